"""The emulator with OCA tier validation installed (``Emulator(modules=...)``), against
``odoo-reference/18-tier``: fields, defaults, and what its side_effects.md records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator
from odooconf.testing.errors import OdooError

MODULES = ("base_tier_validation", "purchase_tier_validation")


@pytest.fixture
def tier() -> Emulator:
    return Emulator(database="demo", login="admin", password="admin", modules=MODULES)


def _model_id(emulator: Emulator, model: str) -> int:
    ids: Any = emulator.execute("ir.model", "search", [("model", "=", model)])
    return int(ids[0])


def _order(emulator: Emulator, amount: float = 100.0) -> int:
    created: Any = emulator.execute(
        "purchase.order",
        "create",
        {"name": "PO", "partner_id": 1, "currency_id": 1, "company_id": 1,
         "amount_total": amount, "state": "draft"},
    )  # fmt: skip
    return int(created)


def test_fields_and_defaults_are_the_reference_s(tier: Emulator, reference_tier: Path) -> None:
    captured = json.loads((reference_tier / "fields" / "tier.definition.json").read_text())
    fields: Any = tier.execute("tier.definition", "fields_get", [], attributes=["type"])
    assert {name: info["type"] for name, info in fields.items()} == {
        name: info["type"] for name, info in captured["fields"].items()
    }
    defaults: Any = tier.execute("tier.definition", "default_get", list(captured["default_get"]))
    assert defaults == captured["default_get"]
    installed: Any = tier.execute(
        "ir.module.module", "search_read", [("name", "in", list(MODULES))], ["name", "state"]
    )
    assert sorted((row["name"], row["state"]) for row in installed) == [
        ("base_tier_validation", "installed"),
        ("purchase_tier_validation", "installed"),
    ]


def test_plain_18_has_no_tier_validation() -> None:
    plain = Emulator()
    assert plain.execute("ir.model", "search", [("model", "=", "tier.definition")]) == []
    with pytest.raises(ValueError, match=r"18\.0 only"):
        Emulator(version="19.0", modules=MODULES)
    with pytest.raises(ValueError, match="needs base_tier_validation"):
        Emulator(modules=("purchase_tier_validation",))


def test_odoo_saves_what_breaks_approvals(tier: Emulator) -> None:
    """No reviewer, any model, a list domain stored as its text (side_effects.md)."""
    definition: Any = tier.execute(
        "tier.definition",
        "create",
        {"name": "No reviewer", "review_type": "group",
         "model_id": _model_id(tier, "purchase.order"),
         "definition_domain": [["amount_total", ">", 999999]]},
    )  # fmt: skip
    [row] = tier.execute(
        "tier.definition", "read", [definition], ["model", "reviewer_group_id", "definition_domain"]
    )
    assert row["model"] == "purchase.order" and row["reviewer_group_id"] is False
    assert row["definition_domain"] == "[['amount_total', '>', 999999]]"


@pytest.mark.parametrize(
    ("domain", "name", "message"),
    [
        ("[('amount_total' >", "builtins.SyntaxError", "'(' was never closed"),
        ("[('no_such_field', '>', 1)]", "builtins.KeyError", "no_such_field"),
    ],
)
def test_a_malformed_domain_makes_every_purchase_order_fail_to_load(
    tier: Emulator, domain: str, name: str, message: str
) -> None:
    order = _order(tier, 20000)
    tier.execute(
        "tier.definition",
        "create",
        {"name": "Broken", "model_id": _model_id(tier, "purchase.order"),
         "definition_domain": domain},
    )  # fmt: skip
    with pytest.raises(OdooError) as raised:
        tier.execute("purchase.order", "read", [order], ["need_validation"])
    assert (raised.value.name, str(raised.value.args[-1])) == (name, message)


def test_need_validation_follows_the_active_definitions(tier: Emulator) -> None:
    small, large = _order(tier, 5000), _order(tier, 23000)
    definition: Any = tier.execute(
        "tier.definition",
        "create",
        {"name": "PO over 10k", "model_id": _model_id(tier, "purchase.order"),
         "definition_domain": "[('amount_total', '>', 10000)]"},
    )  # fmt: skip

    def needs() -> list[bool]:
        rows: Any = tier.execute("purchase.order", "read", [small, large], ["need_validation"])
        return [row["need_validation"] for row in rows]

    assert needs() == [False, True]
    tier.execute("tier.definition", "write", [definition], {"active": False})
    assert needs() == [False, False]


def test_a_saved_state_keeps_the_modules(tier: Emulator, tmp_path: Path) -> None:
    tier.execute("tier.definition", "create", {"name": "Kept"})
    tier.dump(tmp_path / "state.json")
    loaded = Emulator.load(tmp_path / "state.json")
    assert loaded.modules == MODULES
    rows: Any = loaded.execute("tier.definition", "search_read", [], ["name"])
    assert [row["name"] for row in rows] == ["Kept"]
    modules: Any = loaded.execute("ir.module.module", "search", [("name", "in", list(MODULES))])
    assert len(modules) == 2  # not installed twice
