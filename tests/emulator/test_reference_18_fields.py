"""The emulator's seeded schema is Odoo 18's: ``fields_get`` of every model in the reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator
from odooconf.testing.errors import OdooError
from odooconf.testing.seed_build import SUPPLEMENTS


def test_seeded_fields_get_equals_the_reference_for_every_model(
    emulator: Emulator, reference: Path
) -> None:
    files = sorted((reference / "fields").glob("*.json"))
    assert len(files) >= 40
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = data["model"]
        assert path.name == f"{model}.json"
        # The reference kept these attributes only; the emulator also gives e.g. ``digits``.
        got: dict[str, Any] = emulator.execute(model, "fields_get", [], data["attributes"])
        # A trimmed capture (res.users) plus the fields its model has on every server.
        fields = {**SUPPLEMENTS.get(model, {}), **data["fields"]}
        assert sorted(got) == sorted(fields), f"{model}: field names"
        for name, expected in fields.items():
            assert got[name] == expected, f"{model}.{name}"


def test_models_absent_from_18_are_absent_from_the_emulator(
    emulator: Emulator, reference: Path, experiments: dict[str, Any]
) -> None:
    """No ``tier.definition`` (OCA), ``approval.category``, ``studio.approval.rule``
    (Enterprise) nor 16's ``stock.location.route`` in a plain 18 database: calling one is
    Odoo's unknown-model error (experiment c1), and ``ir.model`` does not list it."""
    version = json.loads((reference / "version.json").read_text(encoding="utf-8"))
    absent = version["models_not_present"]
    assert {"tier.definition", "stock.location.route"} <= set(absent)
    unknown = experiments["c1"]["error"]
    for model in absent:
        with pytest.raises(OdooError) as caught:
            emulator.execute(model, "search", [])
        assert caught.value.name == unknown["data.name"]
        assert caught.value.message == unknown["data.message"].replace("x.no.such.model", model)
    listed = emulator.execute("ir.model", "search_read", [("model", "in", absent)], ["model"])
    assert listed == []
    assert emulator.execute("ir.model", "search_count", [("model", "=", "stock.route")]) == 1
