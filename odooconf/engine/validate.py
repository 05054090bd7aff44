"""Stage 4: validate parsed documents against each kind's schema; build desired resources."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from odooconf.engine.absent import offline_problem
from odooconf.engine.checks import SECTION as CHECKS_SECTION
from odooconf.engine.checks import PriceCheck, validate_checks
from odooconf.engine.invalid import from_pydantic
from odooconf.engine.parse import ParsedDocument
from odooconf.kinds import KINDS, SECTIONS, Kind
from odooconf.kinds._base import Inline, Spec, slug
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.resource import Address, DesiredResource


def validate_documents(
    documents: list[ParsedDocument], namespace: str
) -> tuple[list[DesiredResource], list[PriceCheck], list[Diagnostic]]:
    """Validate every item of every section; report all errors of all files together. The
    ``price_checks`` sections are not resources: they come back beside them."""
    resources: list[DesiredResource] = []
    checks: list[PriceCheck] = []
    diagnostics: list[Diagnostic] = []
    # The resources, and in their place the items with errors by their key alone: duplicates
    # are reported in the same run as those errors.
    declared: list[DesiredResource] = []
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
                checks.extend(found)
                diagnostics.extend(problems)
                continue
            made, problems, standins = _validate_section(doc, section, items, namespace)
            resources.extend(made)
            diagnostics.extend(problems)
            declared.extend(standins)
    diagnostics.extend(_duplicates(declared))
    return resources, checks, diagnostics


def _validate_section(
    doc: ParsedDocument, section: str, items: Any, namespace: str
) -> tuple[list[DesiredResource], list[Diagnostic], list[DesiredResource]]:
    """The section's resources, its problems, and what ``_duplicates`` reads: the resources
    with the items that have errors in their place (``_by_key``)."""
    kind = SECTIONS.get(section)
    source = SourceRef(doc.name, doc.line((section,)))
    if kind is None:
        hint = difflib.get_close_matches(section, SECTIONS, n=1)
        suggestion = f"did you mean {hint[0]!r}? " if hint else ""
        message = f"unknown section {section!r}; {suggestion}known: {', '.join(sorted(SECTIONS))}"
        return [], [Diagnostic("OC-V002", message, source)], []
    if items is None:
        return [], [], []
    if not isinstance(items, list):
        message = f"must be a list of {kind.name} items"
        return [], [Diagnostic("OC-V003", message, source, section)], []
    resources: list[DesiredResource] = []
    diagnostics: list[Diagnostic] = []
    declared: list[DesiredResource] = []
    for index, item in enumerate(items):
        made, problems, standin = _validate_item(doc, kind, (section, index), item, namespace)
        resources.extend(made)
        diagnostics.extend(problems)
        declared.extend(made if standin is None else [standin])
    return resources, diagnostics, declared


def _validate_item(
    doc: ParsedDocument, kind: Kind, at: tuple[str, int], item: Any, namespace: str
) -> tuple[list[DesiredResource], list[Diagnostic], DesiredResource | None]:
    """One item's resource, then those of the children it declares inline (a warehouse's
    locations); the item alone when its children are invalid. An item with errors makes no
    resource, but stands by its key for the duplicates when it can (``_by_key``)."""
    section, index = at
    crumb = f"{section}[{index}]"
    identity = item.get(kind.identity) if isinstance(item, dict) else None
    if isinstance(identity, str | int) and not isinstance(identity, bool):
        crumb += f" ({identity})"  # an account code YAML read as a number too
    source = SourceRef(doc.name, doc.line(at))
    try:
        spec = kind.spec.model_validate(item)
    except ValidationError as exc:
        problems = from_pydantic(exc, kind.spec, doc.name, doc.line, at, crumb)
        return [], problems, _by_key(kind, item, exc, source, crumb, namespace)
    parent = _resource(kind, spec, source, crumb, namespace)
    parent.lines = _key_lines(doc, at, item)
    if spec.state == "absent":  # its record is removed: nothing of it is declared
        return [parent], _absent(parent, kind, spec), None
    parent.lists = kind.written_lists(spec)
    try:
        children = list(kind.expand(spec))
    except ValidationError as exc:
        return [parent], from_pydantic(exc, kind.spec, doc.name, doc.line, at, crumb), None
    made, problems = [parent], []
    for inline in children:
        child, wrong = _child(doc, at, item, parent, spec.id, inline, namespace)
        made.append(child)
        problems.extend(wrong)
    return made, problems, None


def _child(
    doc: ParsedDocument,
    at: tuple[str, int],
    item: Any,
    parent: DesiredResource,
    parent_id: str | None,
    inline: Inline,
    namespace: str,
) -> tuple[DesiredResource, list[Diagnostic]]:
    """An inline child's resource (absent with its ``state``), and why it cannot be absent."""
    where = (*at, *inline.at)
    crumb = parent.path + "".join(
        f"[{part}]" if isinstance(part, int) else f" › {part}" for part in inline.at
    )
    kind = KINDS[inline.kind]
    # Named after its parent's own id, so it keeps its identity when that parent's key (a
    # warehouse's code) changes: set 'id' on the parent and its children follow.
    default = f"{kind.name}_{parent_id}_{slug(inline.local_key)}" if parent_id else None
    source = SourceRef(doc.name, doc.line(where))
    child = _resource(kind, inline.spec, source, crumb, namespace, default)
    child.depends_on.add(parent.address)
    child.lines = _key_lines(doc, where, _item_at(item, inline.at))
    if inline.spec.state == "absent":
        return child, _absent(child, kind, inline.spec)
    return child, []


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
