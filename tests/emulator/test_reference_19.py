"""odooconf against Odoo 19's reference data: the fields its kinds map, the selection values its
blueprints accept, and Odoo's own locations, whose paths 19 shortened.

Every divergence from 19 is listed here with the reason; a new, unlisted one fails."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from odooconf.kinds import KINDS, LOOKUPS, TARGETS, Kind
from odooconf.testing import Emulator, seed

#: Models the reference did not capture and the emulator's seed holds as read on the 18 and 19
#: labs (``odooconf/testing/seed``).
CAPTURED_IN_SEED = frozenset({"account.tax.repartition.line"})

#: (model, field) odooconf maps that Odoo 19 no longer has: 19/side_effects.md and MODELS.md.
ABSENT_IN_19 = {
    ("stock.warehouse", "crossdock_route_id"): "no cross-dock route in 19 (difference 6)",
    ("stock.rule", "group_propagation_option"): "procurement groups removed in 19",
    ("product.category", "property_stock_account_input_categ_id"): "no interim accounts (17)",
    ("product.category", "property_stock_account_output_categ_id"): "no interim accounts (17)",
    ("product.category", "property_account_creditor_price_difference_categ"): (
        "renamed property_price_difference_account_id (18)"
    ),
    ("stock.warehouse.orderpoint", "qty_multiple"): "replaced by replenishment_uom_id (21)",
    ("account.account", "deprecated"): "replaced by active (MODELS.md 7.1)",
    ("res.groups", "category_id"): "groups point to a privilege (MODELS.md 6.1)",
    ("res.users", "groups_id"): "renamed group_ids (MODELS.md 6.2), found by introspection",
}
#: Models odooconf maps that Odoo 19 no longer has.
MODELS_ABSENT_IN_19 = {
    "account.fiscal.position.tax": "tax mappings moved onto account.tax (MODELS.md 7.5)",
}
#: (model, field) odooconf maps that only Odoo 19 has, each its own blueprint attribute (never a
#: translation of an 18 one): 19/side_effects.md.
ONLY_IN_19 = {
    ("stock.warehouse.orderpoint", "replenishment_uom_id"): "replaces qty_multiple (21)",
    ("account.account", "active"): "replaces deprecated (MODELS.md 7.1)",
    ("account.tax", "original_tax_ids"): "fiscal position mappings on taxes (MODELS.md 7.3)",
    ("account.tax", "fiscal_position_ids"): "fiscal position mappings on taxes (MODELS.md 7.3)",
    ("res.groups", "privilege_id"): "replaces category_id (MODELS.md 6.1)",
}
#: Selection values a blueprint may declare that a version lacks (difference 16), by version.
MISSING_VALUES = {
    ("product.category", "property_valuation"): {"18": {"periodic"}, "19": {"manual_periodic"}},
    ("account.account", "account_type"): {"18": {"expense_other"}},
}
#: Selections a blueprint says as a boolean, and the values the kind writes for it.
BOOLEAN_SELECTIONS = {("account.tax", "price_include_override"): {"tax_included", "tax_excluded"}}
#: Selections odooconf leaves open (modules add values): checked against the instance only.
OPEN_SELECTIONS = {("stock.rule", "action"), ("stock.picking.type", "code")}


def fields_of(reference: Path, model: str) -> dict[str, dict[str, Any]] | None:
    path = reference / "fields" / f"{model}.json"
    if not path.is_file():
        # Captured from the labs into the emulator's seed (tax repartition lines).
        version = "19.0" if reference.name == "19" else "18.0"
        captured = seed.fields_get(version).get(model)
        return captured if captured is not None and model in CAPTURED_IN_SEED else None
    fields: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["fields"]
    return fields


#: Kinds on models of Odoo's own modules (the reference's): not the virtual ``approvals`` and
#: its level (no model), nor OCA tier validation's (checked against 18-tier in
#: tests/unit/test_kinds_purchasing.py).
CORE_KINDS = [
    kind for kind in KINDS.values() if kind.model and kind.module != "base_tier_validation"
]


def mapped_fields(kind: Kind) -> list[str]:
    """Every Odoo field odooconf reads or writes on the kind's model."""
    return sorted({*kind.key_fields, *(attr.odoo for attr in kind.attrs)})


def test_kinds_map_fields_odoo_19_has_or_a_listed_difference(
    reference: Path, reference_19: Path
) -> None:
    absent: set[tuple[str, str]] = set()
    new: set[tuple[str, str]] = set()
    for kind in CORE_KINDS:
        fields_18 = fields_of(reference, kind.model)
        fields_19 = fields_of(reference_19, kind.model)
        if fields_19 is None and kind.model in MODELS_ABSENT_IN_19:
            continue
        assert fields_18 is not None and fields_19 is not None, kind.model
        for field in mapped_fields(kind):
            if field not in fields_18:
                assert field in fields_19, f"{kind.model}.{field} is neither an 18 nor a 19 field"
                new.add((kind.model, field))
            elif field not in fields_19:
                absent.add((kind.model, field))
    assert absent == set(ABSENT_IN_19)
    assert new == set(ONLY_IN_19)


def test_listed_19_differences_are_documented_in_the_reference(reference_19: Path) -> None:
    notes = (reference_19 / "side_effects.md").read_text(encoding="utf-8")
    notes += (reference_19.parent / "MODELS.md").read_text(encoding="utf-8")
    notes += (reference_19.parent / "18" / "side_effects_finance_security.md").read_text(
        encoding="utf-8"
    )
    for model, field in [*ABSENT_IN_19, *ONLY_IN_19]:
        assert re.search(rf"`({re.escape(model)}\.)?{field}`", notes), field


def test_lookup_keys_exist_on_18_and_19(reference: Path, reference_19: Path) -> None:
    checked = 0
    for lookup in LOOKUPS.values():
        for folder in (reference, reference_19):
            fields = fields_of(folder, lookup.model)
            if fields is None:  # product.removal, package types, storage categories
                continue
            checked += 1
            assert set(lookup.key_fields) <= set(fields), f"{folder.name} {lookup.model}"
    assert checked >= 6  # company, product and account on both versions


@pytest.mark.parametrize("version", ["18", "19"])
def test_mapped_fields_keep_their_type_and_relation(
    reference: Path, reference_19: Path, version: str
) -> None:
    """A reference attribute points to the model of its target (a location to stock.location),
    a many2many (``many``) is a many2many, on both versions."""
    folder = reference if version == "18" else reference_19
    for kind in CORE_KINDS:
        fields = fields_of(folder, kind.model)
        if fields is None and version == "19" and kind.model in MODELS_ABSENT_IN_19:
            continue
        assert fields is not None
        for attr in kind.attrs:
            info = fields.get(attr.field_in(fields))  # a renamed field under either name
            if info is None:
                missing = ABSENT_IN_19 if version == "19" else ONLY_IN_19
                assert (kind.model, attr.odoo) in missing, f"{version} {kind.model}.{attr.odoo}"
                continue
            where = f"{version} {kind.model}.{attr.odoo}"
            if attr.target is None:
                assert info["type"] not in ("many2one", "many2many", "one2many"), where
                continue
            assert info["relation"] == TARGETS[attr.target].model, where
            assert info["type"] == ("many2many" if attr.many else "many2one"), where


def _literals(annotation: Any) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return {str(value) for value in typing.get_args(annotation)}
    return {value for arg in typing.get_args(annotation) for value in _literals(arg)}


def _annotation(spec: type[BaseModel], dotted: str) -> Any:
    """The type of a (possibly nested: ``selectable.products``) spec attribute."""
    *heads, last = dotted.split(".")
    owner = spec
    for head in heads:
        args = typing.get_args(owner.model_fields[head].annotation)
        owner = next(a for a in args if isinstance(a, type) and issubclass(a, BaseModel))
    return owner.model_fields[last].annotation


@pytest.mark.parametrize("version", ["18", "19"])
def test_selection_values_blueprints_accept_exist_on_each_version(
    reference: Path, reference_19: Path, version: str
) -> None:
    folder = reference if version == "18" else reference_19
    open_seen: set[tuple[str, str]] = set()
    checked = 0
    for kind in CORE_KINDS:
        fields = fields_of(folder, kind.model)
        if fields is None and version == "19" and kind.model in MODELS_ABSENT_IN_19:
            continue
        assert fields is not None
        for attr in kind.attrs:
            info = fields.get(attr.odoo)
            if info is None or info["type"] != "selection":
                continue
            where = (kind.model, attr.odoo)
            if where in BOOLEAN_SELECTIONS:
                offered = {str(option[0]) for option in info["selection"]}
                assert BOOLEAN_SELECTIONS[where] <= offered, where
                continue
            if attr.name.split(".")[0] not in kind.spec.model_fields:
                continue  # derived by the kind (a pricelist item's applied_on), Odoo's own values
            accepted = _literals(_annotation(kind.spec, attr.name))
            if not accepted:
                open_seen.add(where)
                continue
            offered = {str(option[0]) for option in info["selection"]}
            missing = accepted - offered
            assert missing == MISSING_VALUES.get(where, {}).get(version, set()), where
            checked += 1
    assert open_seen == OPEN_SELECTIONS
    assert checked >= 7


# --- Odoo's own locations -------------------------------------------------------------------------

_CELL = re.compile(r"`([^`]+)` \((\d+), (\w+), \**(active|archived)\b")


def _location_table(reference_19: Path) -> list[tuple[str, re.Match[str], re.Match[str]]]:
    """Rows of 19/side_effects.md's "Odoo's own locations" table naming a location in both
    versions: (role, 19 cell, 18 cell)."""
    text = (reference_19 / "side_effects.md").read_text(encoding="utf-8")
    section = text.split("## (d) Odoo's own locations", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            continue
        new, old = _CELL.match(cells[1]), _CELL.match(cells[2])
        if new and old:
            rows.append((cells[0], new, old))
    return rows


def _records(reference: Path) -> tuple[dict[int, dict[str, Any]], dict[int, str]]:
    data = json.loads((reference / "records" / "stock.location.json").read_text("utf-8"))
    xmlids = {row["res_id"]: f"{row['module']}.{row['name']}" for row in data["xmlids"]}
    return {row["id"]: row for row in data["records"]}, xmlids


def test_own_locations_of_19_have_the_paths_side_effects_md_lists(
    reference: Path, reference_19: Path, emulator: Emulator
) -> None:
    rows = _location_table(reference_19)
    roles = [role for role, _new, _old in rows]
    assert len(rows) == 6, roles  # vendors, customers, 2 transits, adjustment, production
    records_19, xmlids_19 = _records(reference_19)
    records_18, xmlids_18 = _records(reference)
    for role, new, old in rows:
        for cell, records in ((new, records_19), (old, records_18)):
            path, rid, usage, state = cell.groups()
            record = records[int(rid)]
            assert (record["complete_name"], record["usage"]) == (path, usage), role
            assert record["active"] is (state == "active"), role
        xmlid = re.search(r"`(stock\.\w+)`", new.string)
        if xmlid:
            assert xmlids_19.get(int(new.group(2))) == xmlid.group(1), role
            assert xmlids_18.get(int(old.group(2))) == xmlid.group(1), role
        # The emulator is Odoo 18: its seeded locations are the 18 column.
        [seeded] = emulator.execute(
            "stock.location",
            "read",
            [int(old.group(2))],
            ["complete_name", "usage", "active"],
            context={"active_test": False},
        )
        assert (seeded["complete_name"], seeded["usage"]) == old.group(1, 3), role
        assert seeded["active"] is (old.group(4) == "active"), role


def test_19_has_no_location_tree_views_nor_scrap(reference_19: Path) -> None:
    records, _xmlids = _records(reference_19)
    parents = ("Physical Locations", "Partners", "Virtual Locations")
    for record in records.values():
        assert record["complete_name"].split("/")[0] not in parents, record["complete_name"]
        assert record["name"] != "Scrap"
    assert {r["complete_name"] for r in records.values() if r["location_id"] is False} == {
        "Vendors",
        "Customers",
        "Inter-company transit",
        "WH",
        "Inter-warehouse transit",
        "Inventory adjustment",
        "Production",
    }
