"""The seed shipped with the package: fields_get and records of a fresh Odoo database, per version.

``seed/`` holds Odoo 18.0 (captured from a real server), ``seed/19/`` Odoo 19.0 (captured too),
and ``seed/16/delta.json`` / ``seed/17/delta.json`` what 16.0 and 17.0 change on top of 18.0
(read in Odoo's source of those branches; see ``seed_build.py``). All are written by
``python -m odooconf.testing.seed_build``.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any

#: Odoo versions the emulator can present (``server_serie``), oldest first.
VERSIONS = ("16.0", "17.0", "18.0", "19.0")
DEFAULT_VERSION = "18.0"
#: The version whose seed the delta versions are built on.
BASE_VERSION = "18.0"
#: Versions seeded from a captured database of their own (the others are deltas from 18.0).
CAPTURED = frozenset({"18.0", "19.0"})
#: Models the reference did not capture, written by hand from Odoo 18's stock module; a
#: captured version without them uses 18's (their fields odooconf uses did not change).
HAND_WRITTEN = ("product.removal", "stock.package.type", "stock.storage.category")


def check_version(version: str) -> str:
    """``version`` when the emulator has a profile for it, else a ValueError naming them."""
    if version not in VERSIONS:
        raise ValueError(
            f"unknown Odoo version {version!r}: the emulator presents {', '.join(VERSIONS)}"
        )
    return version


def _root() -> Traversable:
    return resources.files("odooconf.testing").joinpath("seed")


def _folder(version: str) -> Traversable:
    root = _root()
    return root if version == BASE_VERSION else root.joinpath(version.split(".", maxsplit=1)[0])


def _read(node: Traversable) -> Any:
    return json.loads(node.read_text(encoding="utf-8"))


@cache
def delta(version: str) -> dict[str, Any]:
    """What a delta version changes on 18.0 (empty for a captured version)."""
    if check_version(version) in CAPTURED:
        return {}
    data: dict[str, Any] = _read(_folder(version).joinpath("delta.json"))
    return data


@cache
def version_info(version: str = DEFAULT_VERSION) -> dict[str, Any]:
    """``/web/webclient/version_info`` of the server of that version."""
    if version in CAPTURED:
        data: dict[str, Any] = _read(_folder(version).joinpath("version.json"))["version_info"]
        return data
    info: dict[str, Any] = delta(version)["version_info"]
    return info


def _read_folder(folder: Traversable) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if not folder.is_dir():
        return result
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            result[entry.name[: -len(".json")]] = _read(entry)
    return result


@cache
def _captured_fields(version: str) -> dict[str, dict[str, dict[str, Any]]]:
    result = {
        data["model"]: data["fields"]
        for data in _read_folder(_folder(version).joinpath("fields")).values()
    }
    if version != BASE_VERSION:
        base = _captured_fields(BASE_VERSION)
        for model in HAND_WRITTEN:
            result.setdefault(model, base[model])
    return result


@cache
def _captured_records(version: str) -> dict[str, dict[str, Any]]:
    result = _read_folder(_folder(version).joinpath("records"))
    if version != BASE_VERSION:
        base = _captured_records(BASE_VERSION)
        for model in HAND_WRITTEN:
            if model in base:
                result.setdefault(model, base[model])
    return result


@cache
def fields_get(version: str = DEFAULT_VERSION) -> dict[str, dict[str, dict[str, Any]]]:
    """fields_get of every seeded model, by model name."""
    if check_version(version) in CAPTURED:
        return _captured_fields(version)
    return with_delta(_captured_fields(BASE_VERSION), delta(version))


def with_delta(
    base: dict[str, dict[str, dict[str, Any]]], changes: dict[str, Any]
) -> dict[str, dict[str, dict[str, Any]]]:
    """The fields of 18.0's models ``base`` as a delta version (``changes``) has them."""
    result = copy.deepcopy(base)
    for model in changes.get("models_removed", []):
        result.pop(model, None)
    for model, change in changes.get("fields", {}).items():
        fields = result[model]
        for name in change.get("remove", []):
            fields.pop(name)
        for name, attributes in change.get("change", {}).items():
            fields[name] = {**fields[name], **attributes}
        for name, description in change.get("add", {}).items():
            fields[name] = description
    return result


@cache
def records(version: str = DEFAULT_VERSION) -> dict[str, dict[str, Any]]:
    """Seeded records by model: ``{"records": [...], "xmlids": [[id, module, name, ...]]}``."""
    if check_version(version) in CAPTURED:
        return _captured_records(version)
    result = copy.deepcopy(_captured_records(BASE_VERSION))
    changes = delta(version)
    fields = fields_get(version)
    for model in changes.get("models_removed", []):
        result.pop(model, None)
    for model, change in changes.get("records", {}).items():
        data = result[model]
        removed = set(change.get("remove", []))
        kept = []
        for record in data["records"]:
            if record["id"] in removed:
                continue
            updated = {**record, **change.get("update_all", {})}
            for fname, (old, new) in change.get("replace_prefix", {}).items():
                value = updated.get(fname)
                if isinstance(value, str) and value.startswith(old):
                    updated[fname] = new + value[len(old) :]
            kept.append({**updated, **change.get("update", {}).get(str(record["id"]), {})})
        kept.extend(change.get("add", []))
        data["records"] = sorted(kept, key=lambda r: int(r["id"]))
        renamed = change.get("rename_xmlids", {})
        xmlids = []
        for xid, old_module, old_name, res_id, noupdate in data["xmlids"]:
            if res_id in removed:
                continue
            full = renamed.get(f"{old_module}.{old_name}", f"{old_module}.{old_name}")
            module, _, name = full.partition(".")
            xmlids.append([xid, module, name, res_id, noupdate])
        data["xmlids"] = xmlids
    for model, data in result.items():
        known = fields.get(model, {})
        data["records"] = [
            {name: value for name, value in record.items() if name in known or name == "id"}
            for record in data["records"]
        ]
    return result
