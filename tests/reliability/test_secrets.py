"""The password never leaves the process: every output format, apply's report, doctor, crash
logs and audit records are scanned for it (and for a wrong password tried at login)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from odooconf.odoo import rpc
from odooconf.testing import Emulator, serve_emulator
from tests.reliability.conftest import (
    DATABASE,
    PASSWORD,
    PASSWORD_ENV,
    Outcome,
    environment_text,
    project_args,
    run_cli,
)

WRONG = "wrong-Secret-0c41-attempt"
BLUEPRINT = """\
warehouses:
  - {code: SC1, name: "{{ company }} Secrets DC", reception_steps: two_steps}
operation_types:
  - {warehouse: SC1, sequence_code: QH, name: Hold, type: internal}
routes:
  - name: SC1 Cross-Dock
    warehouses: [SC1]
    rules:
      - {action: pull, source: SC1/Input, destination: Customers, operation_type: SC1/OUT}
product_categories:
  - {path: All / Secret Goods, costing_method: fifo}
"""
DANGLING = "locations:\n  - {path: NOWHERE/Stock/Bin}\n"


class Scanner:
    """Runs commands against a fresh emulator and keeps everything they wrote."""

    def __init__(self, root: Path, url: str, emulator: Emulator) -> None:
        self.root = root
        self.url = url
        self.emulator = emulator
        self.seen: dict[str, str] = {}

    def run(
        self,
        label: str,
        *args: str,
        password: str = PASSWORD,
        before: Callable[[], None] | None = None,
    ) -> Outcome:
        outcome = run_cli(
            [*project_args(self.root), *args], self.root, {PASSWORD_ENV: password}, before=before
        )
        self.seen[f"{label}: stdout"] = outcome.out
        self.seen[f"{label}: stderr"] = outcome.err
        for name, text in outcome.temp_files.items():
            self.seen[f"{label}: {name}"] = text
        return outcome

    def files(self) -> None:
        """Everything odooconf left on disk: the state directory (audit), any saved output."""
        for path in self.root.rglob("*"):
            if path.is_file() and "blueprints" not in path.parts:
                self.seen[str(path.relative_to(self.root))] = path.read_text(errors="replace")


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[Scanner]:
    emulator = Emulator(database=DATABASE, login="admin", password=PASSWORD)
    with serve_emulator(emulator, host="127.0.0.1", port=0) as server:
        root = tmp_path / "project"
        (root / "blueprints").mkdir(parents=True)
        (root / "environments").mkdir()
        (root / "blueprints" / "stock.yaml").write_text(BLUEPRINT)
        (root / "environments" / "test.yaml").write_text(environment_text(server.url))
        yield Scanner(root, server.url, emulator)


def _crash_in_the_gateway() -> None:
    """An internal error in the middle of a plan, with the gateway (and its secret) on the stack."""

    def boom(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("simulated bug while reading")

    rpc.RpcGateway.search_read = boom  # type: ignore[method-assign,assignment]


def test_the_password_appears_in_no_output(scanner: Scanner) -> None:
    codes = {}
    codes["validate"] = scanner.run("validate", "validate").code
    for output in ("text", "markdown", "json"):
        codes[f"plan {output}"] = scanner.run(
            f"plan {output}", "plan", "-e", "test", "--format", output, "--detailed-exitcode"
        ).code
    codes["doctor"] = scanner.run("doctor", "doctor", "-e", "test").code
    codes["apply"] = scanner.run("apply", "apply", "-e", "test", "--yes").code
    # A failed apply: its report, the read-back and the audit record of the failure.
    (scanner.root / "blueprints" / "more.yaml").write_text(
        "locations:\n  - {path: SC1/Stock/Shelf 1}\n  - {path: SC1/Stock/Shelf 2}\n"
    )
    scanner.emulator.fail_next("stock.location", "create", message="refused")
    codes["failed apply"] = scanner.run("failed apply", "apply", "-e", "test", "--yes").code
    for output in ("text", "markdown", "json"):
        codes[f"no-op {output}"] = scanner.run(
            f"converged {output}", "plan", "-e", "test", "--format", output
        ).code
    # Plans that cannot be made print their errors in every format.
    (scanner.root / "blueprints" / "dangling.yaml").write_text(DANGLING)
    for output in ("text", "markdown", "json"):
        codes[f"error {output}"] = scanner.run(
            f"error {output}", "plan", "-e", "test", "--format", output
        ).code
    (scanner.root / "blueprints" / "dangling.yaml").unlink()
    # A wrong password is refused without being shown; a crash writes a log without it.
    codes["wrong password"] = scanner.run(
        "wrong password", "plan", "-e", "test", password=WRONG
    ).code
    codes["crash"] = scanner.run("crash", "plan", "-e", "test", before=_crash_in_the_gateway).code
    scanner.files()

    assert codes == {
        "validate": 0,
        "plan text": 2, "plan markdown": 2, "plan json": 2,
        "doctor": 0,
        "apply": 0,
        "failed apply": 1,
        "no-op text": 0, "no-op markdown": 0, "no-op json": 0,
        "error text": 1, "error markdown": 1, "error json": 1,
        "wrong password": 1,
        "crash": 3,
    }  # fmt: skip
    audit = [name for name in scanner.seen if name.endswith(".jsonl")]
    assert audit, "no audit record was written"
    records = [json.loads(line) for line in scanner.seen[audit[0]].splitlines()]
    assert len(records) == 2  # the apply and the failed apply
    assert any(name.startswith("crash: odooconf-crash-") for name in scanner.seen)
    assert json.loads(scanner.seen["plan json: stdout"])["changes"]
    for secret in (PASSWORD, WRONG):
        leaks = [name for name, text in scanner.seen.items() if secret in text]
        assert leaks == [], f"{secret!r} found in {leaks}"


def _debug_logging() -> None:
    """A host program (or a wrapper script) that logs everything at DEBUG to stderr."""
    import logging  # noqa: PLC0415
    import sys  # noqa: PLC0415

    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, force=True)


def test_debug_logs_do_not_carry_the_password(scanner: Scanner) -> None:
    outcome = scanner.run("debug", "plan", "-e", "test", before=_debug_logging)
    assert outcome.code == 0, outcome.err[-2000:]
    assert "DEBUG:odoorpc" in outcome.err  # the logs were written
    assert PASSWORD not in outcome.out + outcome.err
