"""Bad input end to end: every file of ``corpus/`` through ``odooconf validate`` and ``plan``.

- ``corpus/blueprints/``: a blueprint file (with a valid environment): validate and plan exit 1;
- ``corpus/environments/``: an environment file (``@URL@``, ``@DB@``: the emulator), with a
  valid blueprint: validate and plan exit 1;
- ``corpus/plan/``: a blueprint valid offline that plan must refuse (dangling and cyclic
  references): validate exits 0, plan exits 1 without writing.

Every command must end with a located one-paragraph message (the file, and ``file:line`` when
the case's header says ``# line: N``; ``# expect: text`` names what the message must say), no
traceback, within :data:`TIME_LIMIT` and :data:`MEMORY_LIMIT_MB`, without an object-service call
(offline stages) or a write (plan stage) on the emulator. ``# xfail: reason`` marks a known bug.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    DATABASE,
    GOOD_BLUEPRINT,
    MEMORY_LIMIT_MB,
    PASSWORD,
    PASSWORD_ENV,
    TIME_LIMIT,
    Outcome,
    Served,
    environment_text,
    project_args,
    run_cli,
)

CORPUS = Path(__file__).parent / "corpus"
#: Plan-stage environment cases: valid offline, refused by plan (they need the server).
_PLAN_STAGE_ENVIRONMENTS = {
    "env_version_mismatch",
    "env_company_unknown",
    "env_password_unset",
    "env_namespace_installed_module",
}


@dataclass(frozen=True)
class Case:
    folder: str
    path: Path
    line: int | None
    expect: str | None
    xfail: str | None

    @property
    def name(self) -> str:
        return f"{self.folder}/{self.path.stem}"

    @property
    def plan_stage(self) -> bool:
        return self.folder == "plan" or self.path.stem in _PLAN_STAGE_ENVIRONMENTS


def _header(path: Path) -> dict[str, str]:
    """``# key: value`` lines at the top of a text case (none for binary ones)."""
    fields: dict[str, str] = {}
    with path.open("rb") as handle:
        head = handle.read(4096)
    for raw in head.split(b"\n"):
        match = re.match(rb"# (case|line|expect|xfail): (.*)$", raw)
        if not match:
            break
        fields[match.group(1).decode()] = match.group(2).decode("utf-8", "replace")
    return fields


def _cases() -> list[Case]:
    cases = []
    for folder in ("blueprints", "environments", "plan"):
        for path in sorted((CORPUS / folder).iterdir()):
            header = _header(path)
            line = header.get("line")
            cases.append(
                Case(folder, path, int(line) if line else None, header.get("expect"),
                     header.get("xfail"))
            )  # fmt: skip
    return cases


CASES = _cases()


def _params() -> list[object]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else [],
        )
        for case in CASES
    ]


def test_the_corpus_covers_the_categories() -> None:
    names = {case.path.stem for case in CASES}
    assert len(CASES) >= 60
    prefixes = ("syntax_", "bomb_", "nesting_", "tag_python", "binary_", "encoding_", "type_",
                "value_", "template_", "env_include", "dangling_", "cycle_", "domain_",
                "env_url_")  # fmt: skip
    for prefix in prefixes:
        assert any(name.startswith(prefix) for name in names), prefix


def _project(tmp_path: Path, case: Case, served: Served) -> Path:
    root = tmp_path / "project"
    (root / "blueprints").mkdir(parents=True)
    (root / "environments").mkdir()
    env = root / "environments" / "test.yaml"
    if case.folder == "environments":
        data = case.path.read_bytes()
        data = data.replace(b"@URL@", served.url.encode()).replace(b"@DB@", DATABASE.encode())
        env.write_bytes(data)
        (root / "blueprints" / "good.yaml").write_text(GOOD_BLUEPRINT, encoding="utf-8")
    else:
        env.write_text(environment_text(served.url), encoding="utf-8")
        shutil.copyfile(case.path, root / "blueprints" / f"{case.path.stem}.yaml")
    return root


def _located(outcome: Outcome, case: Case, file: str) -> None:
    """Exit 1 with a clear message naming the file (and line), no traceback, bounded."""
    assert not outcome.timed_out, f"still running after {TIME_LIMIT} s"
    assert outcome.code == 1, outcome.text
    assert "Traceback" not in outcome.text, outcome.text
    assert "internal error" not in outcome.text, outcome.text
    assert outcome.grown_mb < MEMORY_LIMIT_MB, f"grew by {outcome.grown_mb:.0f} MB"
    assert outcome.err.strip(), "no message"
    # Every error is reported, but none echoes a huge value back.
    assert len(outcome.err) < 1000 * (outcome.err.count("\n") + 1), "a message no one can read"
    assert file in outcome.err, outcome.err[:2000]
    if case.line is not None:
        assert f"{file}:{case.line}" in outcome.err, outcome.err[:2000]
    if case.expect:
        assert case.expect.lower() in outcome.err.lower(), outcome.err[:2000]


@pytest.mark.parametrize("case", _params())
def test_bad_input_is_refused_with_a_located_message(
    case: Case, served: Served, tmp_path: Path
) -> None:
    root = _project(tmp_path, case, served)
    file = "test.yaml" if case.folder == "environments" else f"{case.path.stem}.yaml"
    env = {PASSWORD_ENV: PASSWORD}
    served.emulator.reset_calls()

    validate = run_cli([*project_args(root), "validate", "-e", "test"], root, env)
    if case.plan_stage:
        assert validate.code == 0, validate.text
    else:
        _located(validate, case, file)
    plan = run_cli([*project_args(root), "plan", "-e", "test"], root, env)
    if case.path.stem == "env_password_unset":
        file = PASSWORD_ENV.replace("PASSWORD", "UNSET")  # named, with the environment file
    _located(plan, case, file)

    if case.plan_stage:
        assert served.writes() == []
    else:
        assert served.object_calls() == []
    assert not (root / "odooconf-pwned").exists()
    # No audit record: at most the cache of blueprints that loaded before the plan refused.
    assert {path.name for path in (root / "state").glob("*")} <= {"cache"}


@pytest.mark.parametrize("kind", ["dangling-symlink", "symlink-loop", "fifo"])
def test_a_blueprint_that_cannot_be_read_is_refused_not_skipped(
    served: Served, tmp_path: Path, kind: str
) -> None:
    """Skipped without a word, what it declared looked removed: with ``prune: archive``, plan
    archived it."""
    root = tmp_path / "project"
    blueprints = root / "blueprints"
    blueprints.mkdir(parents=True)
    (root / "environments").mkdir()
    env = environment_text(served.url) + "prune: archive\n"
    (root / "environments" / "test.yaml").write_text(env)
    (blueprints / "good.yaml").write_text(GOOD_BLUEPRINT)
    broken = blueprints / "stock.yaml"
    if kind == "dangling-symlink":
        broken.symlink_to(blueprints / "moved.yaml")
    elif kind == "symlink-loop":
        broken.symlink_to(blueprints / "other.yaml")
        (blueprints / "other.yaml").symlink_to(broken)
    else:
        os.mkfifo(broken)
    served.emulator.reset_calls()

    for command in ("validate", "plan"):
        outcome = run_cli(
            [*project_args(root), command, "-e", "test"], root, {PASSWORD_ENV: PASSWORD}
        )

        assert outcome.code == 1, outcome.text
        assert "stock.yaml" in outcome.err
        assert "Traceback" not in outcome.text
    assert served.object_calls() == []


def test_a_blueprint_linking_outside_the_project_is_refused(served: Served, tmp_path: Path) -> None:
    """A symbolic link in the blueprint directory to a file outside it (a path that escapes)."""
    root = tmp_path / "project"
    (root / "blueprints").mkdir(parents=True)
    (root / "environments").mkdir()
    (root / "environments" / "test.yaml").write_text(environment_text(served.url))
    outside = tmp_path / "secret.yaml"
    outside.write_text("warehouses:\n  - {code: SEC, name: outside}\n")
    (root / "blueprints" / "linked.yaml").symlink_to(outside)
    (root / "blueprints" / "dir").symlink_to(tmp_path, target_is_directory=True)
    served.emulator.reset_calls()

    outcome = run_cli([*project_args(root), "plan", "-e", "test"], root, {PASSWORD_ENV: PASSWORD})

    assert outcome.code == 1, outcome.text
    assert "linked.yaml" in outcome.err
    assert "outside the blueprint directory" in outcome.err
    assert "Traceback" not in outcome.text
    assert served.object_calls() == []
