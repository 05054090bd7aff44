"""The shipped example's first plan on a fresh database, pinned in text, markdown and JSON on every
emulated Odoo version (``tests/integration/golden/example/<version>/``).

Three environments of ``environments/``, aimed at the emulator (their ``odoo`` section replaced):
``demo`` (plain Community, the product-dependent files left out), ``demo-tier`` (OCA tier
validation, emulated on 18.0 only) and ``production`` (every blueprint file, the eight users of
its ``role_holders``, the products and vendors the blueprints name, ``prune: archive``; on plain
Community, so with ``approval_levels: 1`` as ``demo`` says). What changes from one run to the
next (the emulator's port, the project's folder, odooconf's version, today) is normalised. After
an intended change of output, rewrite them with ``ODOOCONF_UPDATE_GOLDEN=1 pytest
tests/integration/test_example_golden.py`` and review the diff. Each also has the plan that
follows the apply (of a saved plan, as production requires) and a few changes made in Odoo by
hand (``<name>.after.*``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from odooconf import __version__
from odooconf.testing import Emulator, seed, serve_emulator
from tests.integration.conftest import (
    EMULATOR_DATABASE,
    PASSWORD,
    PASSWORD_ENV,
    REPO,
    Odoo,
    Project,
)

GOLDEN = Path(__file__).parent / "golden" / "example"
TIER_MODULES = ("base_tier_validation", "purchase_tier_validation")
#: Environment → (the emulator's optional modules, the versions it is emulated on, extra lines).
SCENARIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "demo": ((), seed.VERSIONS, ""),
    "demo-tier": (TIER_MODULES, ("18.0",), ""),
    "production": ((), seed.VERSIONS, "  approval_levels: 1\n"),
}
FORMATS = {"text": "txt", "markdown": "md", "json": "json"}
#: The vendors and products blueprints/commercial/purchasing.yaml and stock/reordering.yaml name.
VENDORS = ("Acme Foods", "Nordic Frost")
PRODUCTS = ("FRZ-PEAS-1KG", "DRY-RICE-5KG", "DRY-OIL-1L")
#: Sales prices blueprints/commercial/price_checks.yaml expects of the products it names.
LIST_PRICES = {"DRY-RICE-5KG": 9.0, "DRY-OIL-1L": 4.0}


def _cases() -> Iterator[tuple[str, str]]:
    for name, (_modules, versions, _extra) in SCENARIOS.items():
        for version in versions:
            yield name, version


def _environment(name: str, odoo: Odoo, version: str, extra: str) -> str:
    """``environments/<name>.yaml`` with its ``odoo`` section aimed at the emulator."""
    text = (REPO / "environments" / f"{name}.yaml").read_text(encoding="utf-8")
    section = (
        "odoo:\n"
        f"  url: {odoo.url}\n"
        f"  database: {odoo.database}\n"
        "  login: admin\n"
        f"  password_env: {PASSWORD_ENV}\n"
        "  transport: jsonrpc\n"
        f"  version: '{version}'\n"
    )
    text = re.sub(r"(?m)^odoo:\n(?:[ #].*\n)*", lambda _m: section, text, count=1)
    return text.replace("variables:\n", f"variables:\n{extra}", 1)


def _products(odoo: Odoo) -> None:
    """The products and vendors the blueprints name (master data, not configuration)."""
    for code in PRODUCTS:
        values = {"name": code, "default_code": code, **odoo.facts.storable}
        values["list_price"] = LIST_PRICES.get(code, 1.0)
        odoo.execute("product.product", "create", values)
    for vendor in VENDORS:
        odoo.execute("res.partner", "create", {"name": vendor, "is_company": True})


def _by_hand(odoo: Odoo) -> None:
    """Changes made in Odoo after the apply: a warehouse renamed, a pricelist item added."""
    [warehouse] = odoo.read("stock.warehouse", [("code", "=", "RW1")], ["id"])
    odoo.execute("stock.warehouse", "write", [warehouse["id"]], {"name": "Renamed by hand"})
    [pricelist] = odoo.read("product.pricelist", [("name", "=", "Wholesale")], ["id"])
    item = {"pricelist_id": pricelist["id"], "min_quantity": 999, "fixed_price": 1.5}
    odoo.execute("product.pricelist.item", "create", {**item, "compute_price": "fixed"})


def _apply_saved(project: Project, path: Path) -> None:
    """Apply the way the example's production requires (``apply_requires_saved_plan``): a plan
    saved with ``--out``, then applied."""
    saved = project.run("plan", "-e", "test", "--out", str(path))
    assert saved.code == 0, saved.out + saved.err
    applied = project.run("apply", "-e", "test", str(path))
    assert applied.code == 0, applied.out + applied.err


def _holders() -> list[str]:
    """The logins of production's ``role_holders``."""
    text = (REPO / "environments" / "production.yaml").read_text(encoding="utf-8")
    block = text.split("role_holders:\n", 1)[1]
    return re.findall(r"(?m)^    ([\w.]+):", block)


def _normalise(text: str, odoo: Odoo, root: Path) -> str:
    text = text.replace(odoo.url, "http://127.0.0.1:PORT").replace(__version__, "VERSION")
    return text.replace(f"{root}/", "").replace(date.today().isoformat(), "TODAY")


@pytest.mark.emulator_only("the golden files are the emulator's answers")
@pytest.mark.parametrize(("name", "version"), list(_cases()))
def test_the_examples_first_plan_is_unchanged(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    version: str,
) -> None:
    modules, _versions, extra = SCENARIOS[name]
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    emulator = Emulator(
        database=EMULATOR_DATABASE,
        login="admin",
        password=PASSWORD,
        version=version,
        modules=modules,
    )
    with serve_emulator(emulator, host="127.0.0.1", port=0) as server:
        odoo = Odoo(server.url, EMULATOR_DATABASE, _emulator=emulator)
        project = Project(tmp_path, odoo, capsys)
        shutil.copytree(REPO / "blueprints", project.blueprints)
        (tmp_path / "environments").mkdir()
        env = _environment(name, odoo, version, extra)
        (tmp_path / "environments" / "test.yaml").write_text(env, encoding="utf-8")
        if name == "production":
            for login in _holders():
                odoo.add_user(login, "x-password-1", ["base.group_user"])
            _products(odoo)
        outputs = {
            f"{name}.{suffix}": project.run("plan", "-e", "test", "--format", fmt)
            for fmt, suffix in FORMATS.items()
        }
        _apply_saved(project, tmp_path / "plan.json")
        _by_hand(odoo)
        outputs |= {
            f"{name}.after.{suffix}": project.run("plan", "-e", "test", "--format", fmt)
            for fmt, suffix in FORMATS.items()
        }
        assert not emulator.crashes
    for file, result in outputs.items():
        text = _normalise(f"exit {result.code}\n{result.out}{result.err}", odoo, tmp_path)
        path = GOLDEN / version / file
        if os.environ.get("ODOOCONF_UPDATE_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{path} differs: see the docstring"
