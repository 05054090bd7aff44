"""An Odoo API emulator per test on a free loopback port, and a project wired to it."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from odooconf.cli import main
from odooconf.testing import Emulator, serve_emulator

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "emulator-secret-7f3a"
PASSWORD_ENV = "ODOOCONF_TEST_PASSWORD"


@dataclass
class Odoo:
    emulator: Emulator
    url: str

    def object_calls(self) -> list[tuple[str | None, str | None]]:
        """``(model, method)`` of every object-service call since the last reset."""
        return [
            (call.model, call.model_method)
            for call in self.emulator.calls
            if call.service == "object"
        ]

    def execute(self, model: str, method: str, *args: object, **kwargs: object) -> object:
        return self.emulator.execute(model, method, *args, **kwargs)

    def read(self, model: str, domain: list[Any], fields: list[str]) -> list[dict[str, Any]]:
        """``search_read`` as admin, archived records included (not counted as RPC calls)."""
        rows: Any = self.execute(
            model, "search_read", domain, fields, context={"active_test": False}
        )
        return list(rows)


@pytest.fixture
def odoo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Odoo]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    emulator = Emulator(database="distrib", login="admin", password=PASSWORD)
    with serve_emulator(emulator, host="127.0.0.1", port=0) as server:
        yield Odoo(emulator, server.url)


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path
    odoo: Odoo
    capsys: pytest.CaptureFixture[str]

    @property
    def blueprints(self) -> Path:
        return self.root / "blueprints"

    def write(self, name: str, text: str) -> None:
        path = self.blueprints / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    def environment(self, name: str = "test", **extra: str) -> None:
        lines = [
            "odoo:",
            f"  url: {self.odoo.url}",
            "  database: distrib",
            "  login: admin",
            f"  password_env: {PASSWORD_ENV}",
            "variables:",
            "  company: My Company",
            "  dc_code_prefix: T-",
            "  regions: [{code: RW1, name: West}, {code: RW2, name: East}]",
            *(f"{key}: {value}" for key, value in extra.items()),
        ]
        (self.root / "environments").mkdir(exist_ok=True)
        (self.root / "environments" / f"{name}.yaml").write_text("\n".join(lines) + "\n")

    def apply_ok(self) -> None:
        """``apply --yes`` must succeed."""
        result = self.run("apply", "-e", "test", "--yes")
        assert result.code == 0, result.out + result.err

    def converged(self) -> None:
        """``plan --detailed-exitcode`` must find nothing to do."""
        result = self.run("plan", "-e", "test", "--detailed-exitcode")
        assert result.code == 0, result.out + result.err

    def run(self, *args: str) -> Result:
        self.capsys.readouterr()
        base = [
            "--blueprints", str(self.blueprints),
            "--environments", str(self.root / "environments"),
            "--state-dir", str(self.root / "state"),
        ]  # fmt: skip
        try:
            main([*base, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)


ProjectFactory = Callable[[], Project]


@pytest.fixture
def project(tmp_path: Path, odoo: Odoo, capsys: pytest.CaptureFixture[str]) -> Project:
    """An empty project (no blueprints yet) with environment ``test`` aimed at the emulator."""
    result = Project(tmp_path, odoo, capsys)
    result.blueprints.mkdir()
    result.environment()
    return result


@pytest.fixture
def example(project: Project) -> Project:
    """The project's shipped example blueprints aimed at the emulator's fresh database, which has
    no products: like environments/demo.yaml, it leaves out the product-dependent file."""
    shutil.rmtree(project.blueprints)
    shutil.copytree(REPO / "blueprints", project.blueprints)
    project.environment(exclude='["stock/reordering.yaml"]')
    return project
