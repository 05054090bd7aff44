"""The README's walk-through "Your own project", step by step against the server under test:
init, the README's blueprints, plan naming the missing master data in one run, the shipped
script creating them, plan, apply, converged."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.integration.conftest import PASSWORD, PASSWORD_ENV, REPO, Odoo, Project


def readme_blueprints() -> dict[str, str]:
    """The walk-through's YAML blocks, by the file their first line names."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own project\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n# (blueprints/\S+)\n(.*?)```", section, re.DOTALL)
    return dict(blocks)


def test_readme_walk_through(
    tmp_path: Path, odoo: Odoo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = Project(tmp_path / "shop", odoo, capsys)
    assert shop.run("init", str(shop.root)).code == 0
    dev = shop.root / "environments" / "dev.yaml"
    assert "url: http://127.0.0.1:8169\n  database: demo\n  login: admin\n" in dev.read_text()
    dev.write_text(  # aimed at the server under test instead of the emulator's defaults
        dev.read_text()
        .replace("http://127.0.0.1:8169", odoo.url)
        .replace("database: demo", f"database: {odoo.database}\n  transport: jsonrpc")
        .replace("password_env: ODOO_PASSWORD", f"password_env: {PASSWORD_ENV}")
    )
    files = readme_blueprints()
    assert sorted(files) == ["blueprints/purchasing.yaml", "blueprints/security.yaml"]
    for name, text in files.items():
        (shop.root / name).write_text(text, encoding="utf-8")

    assert shop.run("validate").code == 0
    missing = shop.run("plan", "-e", "dev")
    assert missing.code == 1
    for master in ("product 'RICE-5KG'", "partner 'Acme Foods'", "user 'bruno.buyer'"):
        assert master in missing.err
    assert "4 error(s)" in missing.err  # the product twice: as a variant and as a template

    monkeypatch.setenv("ODOO_PASSWORD", PASSWORD)
    script = REPO / "examples" / "own-project" / "master_data.py"
    spec = importlib.util.spec_from_file_location("master_data", script)
    assert spec is not None and spec.loader is not None
    master_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(master_data)
    master_data.main(odoo.url, odoo.database, "admin")
    master_data.main(odoo.url, odoo.database, "admin")  # again: nothing twice

    assert shop.run("plan", "-e", "dev").code == 0
    applied = shop.run("apply", "-e", "dev", "--yes")
    assert applied.code == 0, applied.out + applied.err
    assert shop.run("plan", "-e", "dev", "--detailed-exitcode").code == 0
    assert len(odoo.read("product.product", [("default_code", "=", "RICE-5KG")], ["id"])) == 1
