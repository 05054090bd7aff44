"""Validate blueprint text offline, for the kind tests."""

from __future__ import annotations

import textwrap

from odooconf.engine.parse import parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.engine.validate import validate_documents
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.resource import DesiredResource


def validate(text: str) -> tuple[list[DesiredResource], list[Diagnostic]]:
    """The resources and diagnostics of one (dedented) blueprint file, namespace ``acme``."""
    parsed, problems = parse_documents([RenderedDocument("bp.yaml", textwrap.dedent(text))])
    assert problems == [], problems
    resources, _checks, diagnostics = validate_documents(parsed, "acme")
    return resources, diagnostics


def one(text: str) -> DesiredResource:
    """The single resource a valid blueprint declares."""
    resources, diagnostics = validate(text)
    assert diagnostics == []
    (resource,) = resources
    return resource


def errors(text: str) -> list[tuple[str, str]]:
    """``(breadcrumb, message)`` of each diagnostic; every one must be a schema error."""
    _resources, diagnostics = validate(text)
    assert {d.code for d in diagnostics} == {"OC-V010"}
    return [(d.path, d.message) for d in diagnostics]
