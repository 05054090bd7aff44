"""The cache of loaded blueprints (``<state-dir>/cache``): what was rendered and validated
before is reused while the blueprints, the environment and odooconf are the same; anything
else, a damaged file included, loads them again."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from odooconf.config import Environment, load_environment
from odooconf.engine import pipeline
from odooconf.engine.pipeline import load_blueprints
from odooconf.errors import BlueprintError

BLUEPRINT = """\
warehouses:
  - {code: DC1, name: "{{ company }} Central"}
roles:
  - {name: Auditors, implied: [{xmlid: base.group_user}]}
sod_policies:
  - {name: Buy or pay, roles: [Auditors, {xmlid: base.group_system}]}
price_checks:
  - {pricelist: Retail, product: WIDGET, quantity: 2, date: 2026-01-31, expected: 9.5}
"""


def _environment(root: Path, company: str = "Acme") -> Environment:
    (root / "environments").mkdir(exist_ok=True)
    text = f"""\
        odoo: {{url: "http://127.0.0.1:1", database: db, login: admin, password_env: CACHE_PW}}
        variables: {{company: {company}}}
    """
    (root / "environments" / "dev.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_environment(root / "environments", "dev")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "b.yaml").write_text(BLUEPRINT, encoding="utf-8")
    return tmp_path


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(pipeline, "validate_documents", refuse)


def test_a_second_load_comes_from_the_cache(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, cache = _environment(root), root / "state" / "cache"
    first = load_blueprints(root / "blueprints", env, cache)
    _no_validation(monkeypatch)
    again = load_blueprints(root / "blueprints", env, cache)
    assert again == first
    assert [check.spec for check in again.checks] == [check.spec for check in first.checks]
    assert again.resources[0].values["name"] == "Acme Central"


@pytest.mark.parametrize("change", ["blueprint", "variable"])
def test_a_changed_blueprint_or_environment_is_loaded_again(root: Path, change: str) -> None:
    env, cache = _environment(root), root / "state" / "cache"
    load_blueprints(root / "blueprints", env, cache)
    if change == "blueprint":
        text = BLUEPRINT.replace("Central", "Main")
        (root / "blueprints" / "b.yaml").write_text(text, encoding="utf-8")
        expected = "Acme Main"
    else:
        env, expected = _environment(root, company="Globex"), "Globex Central"
    assert load_blueprints(root / "blueprints", env, cache).resources[0].values["name"] == expected


def test_a_damaged_or_foreign_cache_is_ignored(
    root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env, cache = _environment(root), root / "state" / "cache"
    expected = load_blueprints(root / "blueprints", env, cache)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"not a pickle")
    assert load_blueprints(root / "blueprints", env, cache) == expected
    # A file that would run code when unpickled is refused, not run.
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (marker.write_text, ("pwned",))

    entry.write_bytes(pickle.dumps(Hostile()))
    assert load_blueprints(root / "blueprints", env, cache) == expected
    assert not marker.exists()


def test_no_cache_without_a_state_directory_and_none_written_on_errors(root: Path) -> None:
    env, cache = _environment(root), root / "state" / "cache"
    load_blueprints(root / "blueprints", env)
    assert not cache.exists()
    (root / "blueprints" / "bad.yaml").write_text("warehouses: [{code: DC2, colour: red}]\n")
    with pytest.raises(BlueprintError):
        load_blueprints(root / "blueprints", env, cache)
    assert list(cache.glob("*")) == []


def test_the_cache_holds_no_secret(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "s3cret-cache-pw"
    monkeypatch.setenv("CACHE_PW", secret)
    env, cache = _environment(root), root / "state" / "cache"
    load_blueprints(root / "blueprints", env, cache)
    (entry,) = cache.iterdir()
    assert secret.encode() not in entry.read_bytes()
