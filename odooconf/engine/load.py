"""Stage 1: find blueprint files and read them as text, refusing what is not a text file."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from odooconf.model.diagnostics import Diagnostic, SourceRef

#: A blueprint larger than this is refused rather than parsed (hostile or mistaken input).
MAX_BYTES = 2 * 1024 * 1024
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RawDocument:
    """A blueprint file's text, with the path used in diagnostics (the root's path prefixed)."""

    name: str
    text: str


def load_documents(
    root: Path, include: list[str], exclude: list[str]
) -> tuple[list[RawDocument], list[Diagnostic]]:
    """Read every ``*.yaml``/``*.yml`` under ``root`` matching ``include`` and not ``exclude``."""
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        return [], [Diagnostic("OC-L001", f"blueprint directory {root} does not exist")]
    resolved_root = root.resolve()
    for pattern in (*include, *exclude):
        problem = _unusable(pattern)
        if problem:
            diagnostics.append(problem)
    selected: dict[Path, None] = {}
    for pattern in include:
        matches = sorted(path for path in _glob(root, pattern) if path.suffix in SUFFIXES)
        if not matches and not _unusable(pattern):
            diagnostics.append(
                Diagnostic("OC-L001", f"include pattern {pattern!r} matches no blueprint file")
            )
        selected.update(dict.fromkeys(matches))
    excluded = {path for pattern in exclude for path in _glob(root, pattern)}
    # A pattern without wildcards names its path even where glob lists nothing (a broken link).
    excluded |= {root / p for p in exclude if not _unusable(p) and not re.search(r"[*?[]", p)}
    documents: list[RawDocument] = []
    for path in selected:
        # Excluding a directory excludes everything under it.
        if any(p in excluded for p in (path, *path.parents)):
            continue
        name = str(path)
        unreadable = _not_a_file(path)
        if unreadable:  # skipped, its resources would look removed (and be pruned)
            diagnostics.append(Diagnostic("OC-L005", unreadable, SourceRef(name)))
            continue
        if path.is_dir():  # a directory named like a blueprint (its files are matched too)
            continue
        if not path.resolve().is_relative_to(resolved_root):
            diagnostics.append(
                Diagnostic("OC-L002", "links outside the blueprint directory", SourceRef(name))
            )
            continue
        document, problem = _read(path, name)
        if document:
            documents.append(document)
        if problem:
            diagnostics.append(problem)
    return documents, diagnostics


def _unusable(pattern: str) -> Diagnostic | None:
    if ".." in Path(pattern).parts:
        return Diagnostic("OC-L002", f"pattern {pattern!r} leaves the blueprint directory")
    if not pattern or Path(pattern).is_absolute():
        return Diagnostic("OC-L001", f"pattern {pattern!r} must be relative and non-empty")
    return None


def _glob(root: Path, pattern: str) -> list[Path]:
    """Paths matching a usable pattern (``_unusable`` reports the others, which match nothing)."""
    return [] if _unusable(pattern) else list(root.glob(pattern))


def _not_a_file(path: Path) -> str:
    """Why a selected path is neither a file nor a directory ("" when it is one)."""
    try:
        mode = path.stat().st_mode  # through symbolic links
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a symbolic link to nothing ({os.readlink(path)} does not exist)"
        return "disappeared while the blueprints were read"
    except OSError as exc:  # a symbolic link loop, a permission
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    return "is not a regular file (a FIFO, a socket or a device): a blueprint is a file"


def _read(path: Path, name: str) -> tuple[RawDocument | None, Diagnostic | None]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            message = f"file is {size} bytes; blueprints are limited to {MAX_BYTES} bytes"
            return None, Diagnostic("OC-L003", message, SourceRef(name))
        data = path.read_bytes()
    except OSError as exc:  # no permission, or gone since it was listed
        return None, Diagnostic(
            "OC-L005", f"cannot be read: {exc.strerror or exc}", SourceRef(name)
        )
    if b"\x00" in data:
        return None, Diagnostic("OC-L004", "binary file, not YAML text", SourceRef(name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Diagnostic(
            "OC-L004", f"not UTF-8 text (byte {exc.start})", SourceRef(name, line)
        )
    return RawDocument(name, text), None
