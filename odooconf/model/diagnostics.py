"""Located diagnostics: every stage before the server reports these instead of printing."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The most characters of one word (a key, a quoted value) an error repeats: a 10,000-character
#: key is shown by its ends, once per mention.
MAX_QUOTED = 80
_WORD = re.compile(rf"\S{{{MAX_QUOTED + 1},}}")
#: A file reference (``…/blueprints/a.yaml:3``) is kept whole: it is odooconf's, not the input.
_FILE_REFERENCE = re.compile(r"\(?/\S*\.ya?ml(:\d+)?\)?[,;:]?")


def shorten(text: str) -> str:
    """``text`` with every word longer than :data:`MAX_QUOTED` characters cut in its middle."""

    def cut(match: re.Match[str]) -> str:
        word = match.group()
        if _FILE_REFERENCE.fullmatch(word):
            return word
        half = (MAX_QUOTED - 1) // 2
        return f"{word[: MAX_QUOTED - 1 - half]}…{word[-half:]}"

    return _WORD.sub(cut, text)


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", shorten(self.message))
        object.__setattr__(self, "path", shorten(self.path))

    def render(self) -> str:
        where = str(self.source) if self.source else ""
        crumbs = ": ".join(part for part in (where, self.path) if part)
        return (
            f"{crumbs}: {self.message} [{self.code}]" if crumbs else f"{self.message} [{self.code}]"
        )
