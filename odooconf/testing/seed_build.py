"""Regenerate the emulator seed (``odooconf/testing/seed/``) from captured Odoo reference data.

Usage: ``python -m odooconf.testing.seed_build /path/to/odoo-reference`` (the folder holding
``18/`` and ``19/``): writes ``seed/`` (18.0), ``seed/19/`` (19.0) and the 16.0 / 17.0 deltas
``seed/16/delta.json`` and ``seed/17/delta.json`` (from ``seed_deltas.py``, facts read in Odoo's
source of those branches). The seed is committed, so this only runs when the data changes.
Not built here, because the reference did not capture them, and written by hand from Odoo 18's
stock module instead: ``seed/{fields,records}/product.removal.json`` (the four removal
strategies) and ``seed/fields/stock.{package.type,storage.category}.json`` (the fields odooconf
uses; a fresh database has no records of either); 19 uses them too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from . import seed_deltas

SEED_DIR = Path(__file__).resolve().parent / "seed"

#: Models whose records are seeded, with the fields kept (None = every captured field).
RECORD_MODELS: dict[str, tuple[str, ...] | None] = {
    "res.company": None,
    "res.partner": None,
    "res.users": None,
    "res.currency": None,
    "res.country": None,
    "res.country.group": None,
    "res.groups": None,
    "uom.uom": None,
    "ir.model": ("id", "model", "name", "transient"),
    "ir.model.access": (
        "id",
        "name",
        "model_id",
        "group_id",
        "active",
        "perm_read",
        "perm_write",
        "perm_create",
        "perm_unlink",
    ),
    "ir.module.module": None,
    "ir.module.category": None,
    "ir.sequence": None,
    "stock.location": None,
    "stock.warehouse": None,
    "stock.picking.type": None,
    "stock.route": None,
    "stock.rule": None,
    "stock.putaway.rule": None,
    "stock.warehouse.orderpoint": None,
    "product.category": None,
    "product.pricelist": None,
    "product.pricelist.item": None,
    "product.supplierinfo": None,
    "account.account": None,
    "account.account.tag": None,
    "account.group": None,
    "account.journal": None,
    "account.tax": None,
    "account.tax.group": None,
    "account.fiscal.position": None,
    "res.groups.privilege": None,  # 19 only
}

#: Captured values that are dashboards or messages, not configuration.
DROPPED_FIELDS = frozenset(
    {
        "kanban_dashboard",
        "kanban_dashboard_graph",
        "json_activity_data",
        "rule_message",
        "activity_ids",
        "message_ids",
        "message_follower_ids",
        "message_partner_ids",
        "website_message_ids",
    }
)

#: Models whose external ids are left out (they are many and nothing looks them up).
NO_XMLIDS = frozenset({"ir.model.access"})

#: Currencies kept besides the active ones.
EXTRA_CURRENCIES = frozenset({"USD", "EUR"})


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )


def _trim(model: str, record: dict[str, Any], keep: tuple[str, ...] | None) -> dict[str, Any]:
    if keep is not None:
        return {k: v for k, v in record.items() if k in keep}
    return {k: v for k, v in record.items() if k not in DROPPED_FIELDS}


#: Fields a trimmed capture left out (the reference's ``res.users`` holds only the fields
#: odooconf read when it was captured), described from Odoo's source
#: (``odoo/addons/base/models/res_users.py``, the same from 16.0 to 19.0): every server has them.
SUPPLEMENTS: dict[str, dict[str, dict[str, Any]]] = {
    "res.users": {
        "company_id": {
            "company_dependent": False,
            "help": "The default company for this user.",
            "readonly": False,
            "relation": "res.company",
            "required": True,
            "store": True,
            "string": "Company",
            "type": "many2one",
        },
    },
}


def build(source: Path, target: Path = SEED_DIR) -> None:
    """Write the seed files of one captured version from the reference directory ``source``
    (an ``18/`` or ``19/`` folder) into ``target``."""
    version = json.loads((source / "version.json").read_text(encoding="utf-8"))
    _dump(target / "version.json", {"version_info": version["version_info"]})
    for path in sorted((source / "fields").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        fields = {**SUPPLEMENTS.get(data["model"], {}), **data["fields"]}
        _dump(target / "fields" / path.name, {"model": data["model"], "fields": fields})
    for model, keep in RECORD_MODELS.items():
        path = source / "records" / f"{model}.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["records"]
        if model == "res.currency":
            records = [r for r in records if r["active"] or r["name"] in EXTRA_CURRENCIES]
        if model == "ir.module.module":
            # Captured with the domain state = installed, which the fields read leave out.
            records = [{**r, "state": "installed"} for r in records]
        kept_ids = {r["id"] for r in records}
        xmlids = [
            [x["id"], x["module"], x["name"], x["res_id"], x["noupdate"]]
            for x in data.get("xmlids", [])
            if x["res_id"] in kept_ids and model not in NO_XMLIDS
        ]
        _dump(
            target / "records" / f"{model}.json",
            {"records": [_trim(model, r, keep) for r in records], "xmlids": xmlids},
        )


def build_all(reference: Path) -> None:
    """Every version's seed from ``reference`` (``shared/odoo-reference``)."""
    build(reference / "18", SEED_DIR)
    build(reference / "19", SEED_DIR / "19")
    for version, delta in seed_deltas.DELTAS.items():
        _dump(SEED_DIR / version.split(".")[0] / "delta.json", delta)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m odooconf.testing.seed_build ODOO_REFERENCE_DIR")
    build_all(Path(sys.argv[1]))
