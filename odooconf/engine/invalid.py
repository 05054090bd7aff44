"""Pydantic's validation errors worded for the author of a blueprint, the same in every section:
``unknown key 'colour' (allowed: code, name, …)``, ``required key is missing``, or the rule's
own message with the value given."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from odooconf.model.diagnostics import Diagnostic, SourceRef


def from_pydantic(
    exc: ValidationError,
    spec: type[BaseModel],
    file: str,
    line_of: Callable[[tuple[str | int, ...]], int | None],
    base: tuple[str | int, ...],
    crumb: str,
) -> list[Diagnostic]:
    """One diagnostic per error of validating the item at ``base`` of ``file`` with ``spec``,
    at the path ``crumb`` and the line ``line_of`` gives for where the error is."""
    out = []
    for error in exc.errors():
        parts = tuple(error["loc"])
        loc = tuple(part for part in parts[:-1] if not _is_union_branch(part))
        # An unknown key is the user's own word, whatever it looks like (``Name``).
        extra = error["type"] == "extra_forbidden"
        loc += tuple(part for part in parts[-1:] if extra or not _is_union_branch(part))
        path = crumb + "".join(f"[{p}]" if isinstance(p, int) else f" › {p}" for p in loc)
        line = line_of((*base, *loc))
        if error["type"] == "extra_forbidden":
            model = model_at(spec, loc[:-1])
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
        out.append(Diagnostic("OC-V010", message, SourceRef(file, line), path))
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
