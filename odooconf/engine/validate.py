"""Stage 4: validate parsed documents against each kind's schema; build desired resources."""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from odooconf.engine.absent import offline_problem
from odooconf.engine.checks import SECTION as CHECKS_SECTION
from odooconf.engine.checks import PriceCheck, validate_checks
from odooconf.engine.parse import ParsedDocument
from odooconf.kinds import KINDS, SECTIONS, Kind
from odooconf.kinds._base import Spec, slug
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.resource import Address, DesiredResource


def validate_documents(
    documents: list[ParsedDocument], namespace: str, checks: list[PriceCheck] | None = None
) -> tuple[list[DesiredResource], list[Diagnostic]]:
    """Validate every item of every section; report all errors of all files together. The
    ``price_checks`` sections (not resources) are added to ``checks`` when it is given."""
    resources: list[DesiredResource] = []
    diagnostics: list[Diagnostic] = []
    # Items with errors, by key, each after the resources declared before it: for duplicates.
    invalid: list[tuple[int, DesiredResource]] = []
    for doc in documents:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            diagnostics.append(
                Diagnostic(
                    "OC-V001",
                    f"a blueprint is a mapping of sections ({', '.join(sorted(SECTIONS))}), "
                    f"not a {type(doc.data).__name__}",
                    SourceRef(doc.name, doc.line(())),
                )
            )
            continue
        for section, items in doc.data.items():
            if section == CHECKS_SECTION:
                found, problems = validate_checks(doc.name, items, doc.line)
                diagnostics.extend(problems)
                if checks is not None:
                    checks.extend(found)
                continue
            _validate_section(doc, section, items, namespace, resources, diagnostics, invalid)
    declared = list(resources)
    for position, item in reversed(invalid):
        declared.insert(position, item)
    diagnostics.extend(_duplicates(declared))
    return resources, diagnostics


def _validate_section(
    doc: ParsedDocument,
    section: str,
    items: Any,
    namespace: str,
    resources: list[DesiredResource],
    diagnostics: list[Diagnostic],
    invalid: list[tuple[int, DesiredResource]],
) -> None:
    kind = SECTIONS.get(section)
    source = SourceRef(doc.name, doc.line((section,)))
    if kind is None:
        hint = difflib.get_close_matches(section, SECTIONS, n=1)
        suggestion = f"did you mean {hint[0]!r}? " if hint else ""
        diagnostics.append(
            Diagnostic(
                "OC-V002",
                f"unknown section {section!r}; {suggestion}known: {', '.join(sorted(SECTIONS))}",
                source,
            )
        )
        return
    if items is None:
        return
    if not isinstance(items, list):
        diagnostics.append(
            Diagnostic("OC-V003", f"must be a list of {kind.name} items", source, section)
        )
        return
    for index, item in enumerate(items):
        crumb = f"{section}[{index}]"
        identity = item.get(kind.identity) if isinstance(item, dict) else None
        if isinstance(identity, str | int) and not isinstance(identity, bool):
            crumb += f" ({identity})"  # an account code YAML read as a number too
        item_source = SourceRef(doc.name, doc.line((section, index)))
        try:
            spec = kind.spec.model_validate(item)
        except ValidationError as exc:
            diagnostics.extend(_from_pydantic(exc, kind, doc, (section, index), crumb))
            standin = _by_key(kind, item, exc, item_source, crumb, namespace)
            if standin is not None:
                invalid.append((len(resources), standin))
            continue
        parent = _resource(kind, spec, item_source, crumb, namespace)
        parent.lines = _key_lines(doc, (section, index), item)
        if spec.state == "absent":  # its record is removed: nothing of it is declared
            diagnostics.extend(_absent(parent, kind, spec))
            resources.append(parent)
            continue
        parent.lists = kind.written_lists(spec)
        resources.append(parent)
        try:
            children = list(kind.expand(spec))
        except ValidationError as exc:
            diagnostics.extend(_from_pydantic(exc, kind, doc, (section, index), crumb))
            continue
        for inline in children:
            at = (section, index, *inline.at)
            child_crumb = crumb + "".join(
                f"[{part}]" if isinstance(part, int) else f" › {part}" for part in inline.at
            )
            source = SourceRef(doc.name, doc.line(at))
            child_kind = KINDS[inline.kind]
            # Named after its parent's own id, so it keeps its identity when that parent's key
            # (a warehouse's code) changes: set 'id' on the parent and its children follow.
            default = f"{child_kind.name}_{spec.id}_{slug(inline.local_key)}" if spec.id else None
            child = _resource(child_kind, inline.spec, source, child_crumb, namespace, default)
            child.depends_on.add(parent.address)
            child.lines = _key_lines(doc, at, _item_at(item, inline.at))
            if inline.spec.state == "absent":
                diagnostics.extend(_absent(child, child_kind, inline.spec))
            resources.append(child)


def _absent(resource: DesiredResource, kind: Kind, spec: Spec) -> list[Diagnostic]:
    """Make ``resource`` an absent item (only its key and external id count); why this kind
    cannot be, if it cannot."""
    resource.values, resource.depends_on, resource.absent = {}, set(), True
    problem = offline_problem(kind)
    if problem is None:
        return []
    return [Diagnostic("OC-V030", problem, resource.source_of("state"), f"{resource.path} › state")]


def _by_key(
    kind: Kind, item: Any, exc: ValidationError, source: SourceRef, crumb: str, namespace: str
) -> DesiredResource | None:
    """An item with errors, as its key alone when that key is sound (a kind keyed by one field,
    valid and written): its duplicates are then reported in the same run as its errors."""
    wrong = {error["loc"][0] for error in exc.errors() if error["loc"]}
    key = item.get(kind.identity) if isinstance(item, dict) else None
    if type(kind).key is not Kind.key or kind.identity in wrong or not isinstance(key, str):
        return None
    name = item.get("id") if isinstance(item.get("id"), str) and "id" not in wrong else None
    xmlid = f"{namespace}.{name or f'{kind.name}_{slug(key)}'}"
    return DesiredResource(Address(kind.name, key), {}, source, crumb, xmlid)


def _key_lines(doc: ParsedDocument, at: tuple[str | int, ...], item: Any) -> dict[str, int]:
    """The line of each key of a mapping item (its own line for a scalar item)."""
    if not isinstance(item, dict):
        return {}
    return {key: line for key in item if (line := doc.line((*at, key))) is not None}


def _item_at(item: Any, at: tuple[str | int, ...]) -> Any:
    for part in at:
        try:
            item = item[part]
        except (KeyError, IndexError, TypeError):
            return None
    return item


def _resource(
    kind: Kind,
    spec: Spec,
    source: SourceRef,
    crumb: str,
    namespace: str,
    default_id: str | None = None,
) -> DesiredResource:
    key = kind.key(spec)
    name = spec.id or default_id or f"{kind.name}_{slug(key)}"
    return DesiredResource(
        address=Address(kind.name, key),
        values=kind.values(spec),
        source=source,
        path=crumb,
        xmlid=f"{namespace}.{name}",
    )


def _from_pydantic(
    exc: ValidationError,
    kind: Kind,
    doc: ParsedDocument,
    base: tuple[str | int, ...],
    crumb: str,
) -> list[Diagnostic]:
    out = []
    for error in exc.errors():
        parts = tuple(error["loc"])
        loc = tuple(part for part in parts[:-1] if not _is_union_branch(part))
        # An unknown key is the user's own word, whatever it looks like (``Name``).
        extra = error["type"] == "extra_forbidden"
        loc += tuple(part for part in parts[-1:] if extra or not _is_union_branch(part))
        path = crumb + "".join(f"[{p}]" if isinstance(p, int) else f" › {p}" for p in loc)
        line = doc.line((*base, *loc))
        if error["type"] == "extra_forbidden":
            model = model_at(kind.spec, loc[:-1])
            # The keys every item has (``id``, ``state``) last: the kind's own come first.
            names = sorted(model.model_fields, key=lambda n: n in ("id", "state")) if model else []
            allowed = ", ".join(names)
            message = f"unknown key {loc[-1]!r}" + (f" (allowed: {allowed})" if allowed else "")
        elif error["type"] == "missing":
            message = "required key is missing"
        else:
            text = error["msg"].removeprefix("Value error, ")
            given = error.get("input")
            # A whole item (a rule across fields) or a value the message quotes is not repeated.
            shown = isinstance(given, dict) or _short(given) in text
            message = text if shown else f"{text} (got {_short(given)})"
        out.append(Diagnostic("OC-V010", message, SourceRef(doc.name, line), path))
    return out


def _is_union_branch(part: str | int) -> bool:
    """Pydantic names union members in ``loc`` (``str``, ``XmlidSpec``, discriminator tags such
    as ``ref:key``); users never wrote them."""
    return isinstance(part, str) and (
        part in {"str", "int", "bool"} or part[:1].isupper() or part.startswith("ref:")
    )


def model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if current else None
        current = _find_model(field.annotation) if field else None
    return current


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found:
            return found
    return None


def _short(value: Any) -> str:
    """The value as an error quotes it (a date or time as written, not Python's repr)."""
    text = repr(str(value) if isinstance(value, dt.date) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def _duplicates(resources: Sequence[DesiredResource]) -> list[Diagnostic]:
    out = []
    seen: dict[Address | str, DesiredResource] = {}
    for resource in resources:
        for identity in (resource.address, resource.xmlid):
            first = seen.setdefault(identity, resource)
            if first is resource:
                continue
            where = f"{first.source} {first.path}"
            if first.address == resource.address:
                message = f"{identity} is declared twice (first at {where})"
            else:
                message = (
                    f"{resource.address} gets external id {identity}, like {first.address} "
                    f"(at {where}); give one of them its own 'id'"
                )
            out.append(Diagnostic("OC-V020", message, resource.source, resource.path))
            break
    return out
