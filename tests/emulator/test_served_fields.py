"""Every model the emulator serves, on every version profile, exposes the fields the reference
captured with ``fields_get`` on a real server: no hand-trimmed list may hide a field Odoo has
(a purchase order's buyer, ``user_id``, once did, and a standard record rule was refused).

16.0 and 17.0 were never captured: their expected fields are 18.0's capture with the changes the
emulator's deltas record (``seed_deltas.py``, read in Odoo's source). Models the reference did
not capture are described from Odoo's source; they are listed here, so that a new one is a
decision, not an accident."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator, seed
from odooconf.testing.seed_build import SUPPLEMENTS

from .conftest import REFERENCE_ROOT
from .helpers import reference_dir

TIER = ("base_tier_validation", "purchase_tier_validation")
#: Served, never captured: described from Odoo 18's source (the seed's hand-written models, and
#: the accounting models the emulator needs to refuse what Odoo refuses).
FROM_SOURCE = frozenset(
    {
        "account.move",
        "account.move.line",
        "account.tax.repartition.line",
        "product.removal",
        "stock.package.type",
        "stock.storage.category",
    }
)


def _capture(folder: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """``fields_get`` of every model captured in ``folder`` (trimmed captures completed with
    the fields every server has: ``SUPPLEMENTS``)."""
    out = {}
    for path in sorted(reference_dir(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[data["model"]] = {**SUPPLEMENTS.get(data["model"], {}), **data["fields"]}
    return out


def _expected(profile: str) -> dict[str, dict[str, dict[str, Any]]]:
    version, _, modules = profile.partition("+")
    if version in seed.CAPTURED:
        captured = _capture(REFERENCE_ROOT / version.split(".")[0] / "fields")
    else:
        # The deltas change models described from source too: those come from the seed.
        described = {m: f for m, f in seed.fields_get().items() if m in FROM_SOURCE}
        base = {**described, **_capture(REFERENCE_ROOT / "18" / "fields")}
        captured = seed.with_delta(base, seed.delta(version))
    if modules:  # purchase.order: only its tier fields were captured, as a model of its own
        captured.update(_capture(REFERENCE_ROOT / "18-tier" / "fields"))
    return captured


@pytest.mark.parametrize("profile", [*seed.VERSIONS, "18.0+tier"])
def test_every_served_model_exposes_its_captured_fields(profile: str) -> None:
    version, _, modules = profile.partition("+")
    emulator = Emulator(version=version, modules=TIER if modules else ())
    expected = _expected(profile)
    served = sorted(emulator.db.schemas)
    assert set(served) - set(expected) - FROM_SOURCE == set(), "served, neither captured nor listed"
    for model in served:
        fields = expected.get(model)
        if fields is None:
            continue
        got: dict[str, Any] = emulator.execute(model, "fields_get", [], ["type", "relation"])
        missing = sorted(set(fields) - set(got))
        assert missing == [], f"{profile} {model}: fields Odoo has and the emulator lacks"
        for name, description in fields.items():
            wanted = (description["type"], description.get("relation"))
            assert (got[name]["type"], got[name].get("relation")) == wanted, f"{model}.{name}"


def test_a_purchase_order_has_its_buyer_where_tier_validation_serves_it() -> None:
    emulator = Emulator(modules=TIER)
    fields: dict[str, Any] = emulator.execute("purchase.order", "fields_get", [], ["relation"])
    assert fields["user_id"]["relation"] == "res.users"
    order = emulator.execute(
        "purchase.order", "create", {"name": "PO", "partner_id": 1, "currency_id": 1}
    )
    [row] = emulator.execute("purchase.order", "read", [order], ["user_id", "date_order"])
    assert row["user_id"][0] == 2 and row["date_order"]
