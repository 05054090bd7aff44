"""Located diagnostics: every stage before the server reports these instead of printing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceRef:
    """Where something was written: a blueprint or environment file and a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem, with a stable code (OC-L load, OC-R render, OC-V validate, OC-X references)."""

    code: str
    message: str
    source: SourceRef | None = None
    #: Breadcrumb naming elements by identity, e.g. ``warehouses[1] (RW1) › resupply_from[0]``.
    path: str = ""

    def render(self) -> str:
        where = str(self.source) if self.source else ""
        crumbs = ": ".join(part for part in (where, self.path) if part)
        return (
            f"{crumbs}: {self.message} [{self.code}]" if crumbs else f"{self.message} [{self.code}]"
        )
