"""odooconf export (issue 20): blueprints for an instance configured by hand, which plan to no
change against it, read it only, and come out the same every time."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.conftest import Project

#: Object-service methods that change an instance.
WRITES = ("create", "write", "unlink")


def _export(project: Project, out: Path, *args: str) -> str:
    project.odoo.reset_calls()
    result = project.run("export", "-e", "test", "-o", str(out), *args)
    assert result.code == 0, result.out + result.err
    assert [m for _model, m in project.odoo.object_calls() if m in WRITES] == []
    return result.out


def _round_trip(project: Project, out: Path) -> list[str]:
    """The exported blueprints validate, and plan to no change against the instance: nothing
    to create, update, archive or delete, and no field to change in the records the first apply
    adopts (binds to odooconf's external ids). Their keys."""
    base = ["--blueprints", str(out)]
    result = project.run(*base, "validate", "-e", "test")
    assert result.code == 0, result.out + result.err
    result = project.run(*base, "plan", "-e", "test", "--format", "json")
    assert result.code == 0, result.out + result.err
    changes = json.loads(result.out)["changes"]
    changed = [c for c in changes if c["action"] not in ("noop", "adopt") or c["fields"]]
    assert changed == [], json.dumps(changed, indent=1)[:3000]
    return [c["key"] for c in changes if c["action"] == "adopt"]


def test_fresh_database_round_trip(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "exported"
    said = _export(project, out)
    assert "0 record(s)" not in said
    _round_trip(project, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    _export(project, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def _hand_made(project: Project) -> str:
    """Blueprints of records of every exportable kind; applied, then stripped of their
    external ids, they are what a team configured by hand."""
    facts = project.odoo.facts
    project.odoo.execute(
        "product.product", "create", {"name": "Hand Rice", "default_code": "HAND-RICE"}
    )
    project.odoo.execute("res.partner", "create", {"name": "Hand Vendor", "is_company": True})
    project.odoo.add_user("hand.user", "hand-password", ["base.group_user"])
    return f"""\
warehouses:
  - {{code: HW1, name: Hand Warehouse, reception_steps: two_steps}}
locations:
  - {{path: HW1/Stock/Shelf A, barcode: HW1-A}}
  - {{path: HW1/Stock/Shelf B, active: false}}
operation_types:
  - {{warehouse: HW1, sequence_code: HXD, name: Hand Cross, type: internal,
     default_source: HW1/Stock, default_destination: HW1/Stock/Shelf A, reservation_method: manual}}
routes:
  - name: Hand Route
    selectable: {{products: true, warehouses: false}}
    warehouses: [HW1]
    rules:
      - {{action: pull, source: HW1/Stock, destination: HW1/Stock/Shelf A,
         operation_type: HW1/HXD, lead_time: 2}}
product_categories:
  - {{path: {facts.top} / Hand Goods, costing_method: average, routes: [Hand Route]}}
putaway_rules:
  - {{location_in: HW1/Stock, category: {facts.top} / Hand Goods, location_out: HW1/Stock/Shelf A}}
  - {{location_in: HW1/Stock, product: HAND-RICE, location_out: HW1/Stock/Shelf A, sequence: 3}}
reordering_rules:
  - {{product: HAND-RICE, location: HW1/Stock, min: 5, max: 50}}
pricelists:
  - name: Hand Wholesale
    items:
      - {{min_quantity: 10, percentage: 5}}
      - {{category: {facts.top} / Hand Goods, fixed_price: 80, start: 2026-12-01, end: 2026-12-31}}
      - {{variant: HAND-RICE, base: cost, formula: {{discount: -25, rounding: 0.5}}}}
  - name: Hand Retail
    active: false
    items: [{{base_pricelist: Hand Wholesale, percentage: 2}}]
vendor_prices:
  - {{vendor: Hand Vendor, product: HAND-RICE, price: 6.2, delay: 3, product_code: HV-R}}
  - {{vendor: Hand Vendor, product: HAND-RICE, min_qty: 100, price: 5.8,
     date_start: 2026-01-01, date_end: 2026-12-31}}
accounts:
  - {{code: "990100", name: Hand Clearing, type: asset_current, reconcile: true}}
account_groups:
  - {{prefix_start: "9901", prefix_end: "9902", name: Hand Group}}
tax_groups:
  - {{name: Hand Tax Group, sequence: 7}}
taxes:
  - {{name: Hand Tax 3%, scope: sale, amount: 3, tax_group: Hand Tax Group}}
journals:
  - {{code: HJ, name: Hand Journal, type: general}}
fiscal_positions:
  - {{name: Hand Position, auto_apply: false, sequence: 4}}
roles:
  - name: Hand Auditor
    comment: made by hand
    implied: [{{xmlid: base.group_user}}]
access_rights:
  - {{role: Hand Auditor, model: res.partner, read: true, write: true}}
record_rules:
  - {{name: Hand rule, model: res.partner, roles: [Hand Auditor], domain: "[(1, '=', 1)]",
     delete: false}}
role_assignments:
  - {{user: hand.user, roles: [Hand Auditor]}}
"""


def test_configured_instance_round_trip(example: Project, tmp_path: Path) -> None:
    """The shipped example applied, and records of every kind made by hand: each hand-made
    record is exported, and the export plans to no change."""
    project = example
    project.apply_ok()
    hand = tmp_path / "hand"
    hand.mkdir()
    (hand / "hand.yaml").write_text(_hand_made(project))
    env = project.root / "environments"
    (env / "hand.yaml").write_text((env / "test.yaml").read_text() + "xmlid_namespace: hand\n")
    result = project.run("--blueprints", str(hand), "apply", "-e", "hand", "--yes")
    assert result.code == 0, result.out + result.err
    ids = project.odoo.read("ir.model.data", [("module", "=", "hand")], ["id"])
    project.odoo.execute("ir.model.data", "unlink", [row["id"] for row in ids])

    out = tmp_path / "exported"
    _export(project, out)
    _round_trip(project, out)
    text = {p.stem: p.read_text() for p in out.iterdir()}
    sections = [line.split(":")[0] for line in (hand / "hand.yaml").read_text().splitlines()]
    for section in [s for s in sections if s and not s.startswith(" ")]:
        assert (
            "Hand" in text.get(section, "")
            or "HAND" in text.get(section, "")
            or ("HW1" in text.get(section, ""))
        ), f"{section}: no hand-made record exported\n{text.get(section)}"
    # Every record odooconf can key is written: the only comments are records without a key.
    assert "gives back" not in "".join(text.values())
    assert "HW1/Stock/Shelf B" in text["locations"] and "active: false" in text["locations"]
    assert "HW1/IN" not in text.get("operation_types", "")  # Odoo's own: implied
    assert "HW1/Stock\n" not in text["locations"]
