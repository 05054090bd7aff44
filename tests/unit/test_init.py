"""``odooconf init``: a new project that validates, with editor schemas and a .gitignore."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from odooconf.cli import main
from odooconf.schema import generated


@pytest.fixture
def odooconf(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """``odooconf ARGS``: its exit code, and stdout and stderr together."""

    def run(*args: str) -> tuple[int, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def _schema_of(path: Path) -> Path:
    """The schema the file's yaml-language-server comment names, relative to the file."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    return (path.parent / first.removeprefix(prefix)).resolve()


def test_init_scaffolds_a_project_that_validates(
    tmp_path: Path, odooconf: Callable[..., tuple[int, str]]
) -> None:
    code, out = odooconf("init", str(tmp_path / "shop"))
    root = tmp_path / "shop"

    assert code == 0, out
    assert ".gitignore" in out and "environments/dev.yaml" in out
    assert ".odooconf/" in (root / ".gitignore").read_text().splitlines()
    for name, text in generated().items():
        assert (root / "schemas" / name).read_text(encoding="utf-8") == text
    dev = root / "environments" / "dev.yaml"
    [blueprint] = sorted((root / "blueprints").glob("*.yaml"))
    for path, schema in ((dev, "environment"), (blueprint, "blueprint")):
        contract = _schema_of(path)
        assert contract == root / "schemas" / f"{schema}.schema.json"
        jsonschema.validate(yaml.safe_load(path.read_text()), json.loads(contract.read_text()))
    base = ["--blueprints", str(root / "blueprints"), "--environments", str(root / "environments")]
    code, out = odooconf(*base, "validate")
    assert code == 0, out
    assert out.startswith("environment dev: valid (")


def test_init_in_the_current_directory_keeps_an_existing_gitignore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odooconf: Callable[..., tuple[int, str]]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitignore").write_text("*.pyc")

    code, out = odooconf("init")

    assert code == 0, out
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n.odooconf/\n"
    assert (tmp_path / "environments" / "dev.yaml").is_file()


def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, odooconf: Callable[..., tuple[int, str]]
) -> None:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text("mine\n")

    code, out = odooconf("init", str(tmp_path))

    assert code == 1
    assert f"{tmp_path / 'environments' / 'dev.yaml'}" in out and "nothing was written" in out
    assert (tmp_path / "environments" / "dev.yaml").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["environments"]
