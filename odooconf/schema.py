"""JSON Schemas of blueprints and environments, generated from the specs that ``validate`` uses,
so that editors complete and check the YAML (``# yaml-language-server: $schema=...``).

``python -m odooconf.schema DIR`` (``make schemas``) writes them into ``DIR``; a test keeps the
committed ones (``schemas/``) in step with the specs. A blueprint is checked as rendered: a
Jinja expression where the schema wants a number is the template's business, not the schema's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from odooconf.config import EnvironmentSpec
from odooconf.engine.checks import SECTION as CHECKS_SECTION
from odooconf.engine.checks import PriceCheckSpec
from odooconf.kinds import SECTIONS

#: Where the schemas are published (their ``$id``), relative to the repository.
BASE_ID = "https://odooconf.example/schemas"


def blueprint_schema() -> dict[str, Any]:
    """A blueprint file: a mapping of sections, each a list of its kind's items."""
    sections: dict[str, type[BaseModel]] = {s: kind.spec for s, kind in SECTIONS.items()}
    sections[CHECKS_SECTION] = PriceCheckSpec
    refs, schema = models_json_schema(
        [(spec, "validation") for spec in sections.values()], ref_template="#/$defs/{model}"
    )
    properties = {
        section: {"type": ["array", "null"], "items": refs[(spec, "validation")]}
        for section, spec in sorted(sections.items())
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}/blueprint.schema.json",
        "title": "odooconf blueprint",
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": properties,
        "$defs": schema["$defs"],
    }


def environment_schema() -> dict[str, Any]:
    """An environment file (``environments/<name>.yaml``)."""
    schema = EnvironmentSpec.model_json_schema(ref_template="#/$defs/{model}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}/environment.schema.json",
        **schema,
        "title": "odooconf environment",
    }


def generated() -> dict[str, str]:
    """File name → text of every generated schema."""
    schemas = {
        "blueprint.schema.json": blueprint_schema(),
        "environment.schema.json": environment_schema(),
    }
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, schema in schemas.items()
    }


def main(argv: list[str]) -> None:
    directory = Path(argv[0] if argv else "schemas")
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in generated().items():
        (directory / name).write_text(text, encoding="utf-8")
        print(f"wrote {directory / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
