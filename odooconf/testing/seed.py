"""The seed shipped with the package: fields_get and records of a fresh Odoo 18 database."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def _read(*parts: str) -> Any:
    node = resources.files("odooconf.testing").joinpath("seed")
    for part in parts:
        node = node.joinpath(part)
    return json.loads(node.read_text(encoding="utf-8"))


@cache
def version_info() -> dict[str, Any]:
    """``/web/webclient/version_info`` of the captured server."""
    data: dict[str, Any] = _read("version.json")["version_info"]
    return data


@cache
def fields_get() -> dict[str, dict[str, dict[str, Any]]]:
    """fields_get of every seeded model, by model name."""
    folder = resources.files("odooconf.testing").joinpath("seed").joinpath("fields")
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            result[data["model"]] = data["fields"]
    return result


@cache
def records() -> dict[str, dict[str, Any]]:
    """Seeded records by model: ``{"records": [...], "xmlids": [[id, module, name, ...]]}``."""
    folder = resources.files("odooconf.testing").joinpath("seed").joinpath("records")
    result: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            result[entry.name[: -len(".json")]] = json.loads(entry.read_text(encoding="utf-8"))
    return result
