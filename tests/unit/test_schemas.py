"""The JSON Schemas of blueprints and environments: generated from the specs and committed in
step with them; the shipped example validates against them, a misspelt key does not."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from odooconf import schema
from odooconf.config import environment_names, load_environment
from odooconf.engine.load import load_documents
from odooconf.engine.render import render_documents

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"


def _committed(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data


def _as_json(value: Any) -> Any:
    """YAML data as an editor's YAML language server sees it (dates are strings)."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def test_the_committed_schemas_are_the_generated_ones() -> None:
    for name, text in schema.generated().items():
        committed = (SCHEMAS / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is stale: run make schemas"


@pytest.mark.parametrize("name", environment_names(REPO / "environments"))
def test_the_shipped_example_validates(name: str) -> None:
    validator = jsonschema.Draft202012Validator(_committed("blueprint.schema.json"))
    env = load_environment(REPO / "environments", name)
    raw, problems = load_documents(REPO / "blueprints", env.spec.include, env.spec.exclude)
    rendered, errors = render_documents(raw, env.variables())
    assert not problems and not errors
    for document in rendered:
        data = _as_json(yaml.safe_load(document.text))
        assert list(validator.iter_errors(data)) == [], document.name
    environment = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    jsonschema.validate(environment, _committed("environment.schema.json"))


ODOO = {"url": "http://x", "database": "d", "login": "a", "password_env": "P"}
WAREHOUSE = {"code": "DC1", "name": "DC"}


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("blueprint.schema.json", {"warehouses": [{**WAREHOUSE, "recepton_steps": "two_steps"}]}),
        ("blueprint.schema.json", {"warehouse": [WAREHOUSE]}),
        ("blueprint.schema.json", {"warehouses": [{**WAREHOUSE, "reception_steps": "2"}]}),
        ("environment.schema.json", {"odoo": {**ODOO, "pasword_env": "P"}}),
        ("environment.schema.json", {"odoo": ODOO, "prune": "destroy"}),
    ],
)
def test_a_misspelt_key_or_a_wrong_value_fails(name: str, document: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, _committed(name))
