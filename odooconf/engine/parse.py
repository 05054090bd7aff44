"""Stage 3: parse rendered YAML, remembering the line of every value for diagnostics."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from odooconf.engine.render import RenderedDocument
from odooconf.model.diagnostics import Diagnostic, SourceRef

#: Nodes one file may expand to (guards against alias "billion laughs" bombs).
MAX_NODES = 200_000

Path = tuple[str | int, ...]


@dataclass
class ParsedDocument:
    """One YAML document: its data and the line of each value by path (section, index, ...)."""

    name: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """Line of the deepest known value along ``path``."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


class _ParseError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def parse_documents(
    documents: list[RenderedDocument],
) -> tuple[list[ParsedDocument], list[Diagnostic]]:
    """Parse each file (several ``---`` documents allowed) with YAML's safe loader."""
    parsed: list[ParsedDocument] = []
    diagnostics: list[Diagnostic] = []
    for doc in documents:
        try:
            parsed.extend(_parse(doc))
        except _ParseError as exc:
            source = SourceRef(doc.name, doc.source_line(exc.line))
            diagnostics.append(Diagnostic("OC-L010", str(exc), source))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            message = " ".join(part for part in (exc.context, exc.problem) if part)
            if exc.context_mark and mark and exc.context_mark.line != mark.line:
                start = doc.source_line(exc.context_mark.line + 1)
                message += f" (the construct starts at line {start})"
            diagnostics.append(
                Diagnostic(
                    "OC-L010",
                    f"invalid YAML: {message}",
                    SourceRef(doc.name, doc.source_line(line)),
                )
            )
        except (yaml.YAMLError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            diagnostics.append(
                Diagnostic("OC-L010", f"invalid YAML: {reason}", SourceRef(doc.name))
            )
    return parsed, diagnostics


#: libyaml's parser where PyYAML was built with it (several times faster), else pure Python;
#: both compose the same nodes with the same marks.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(doc: RenderedDocument) -> list[ParsedDocument]:
    loader = _Loader(doc.text)
    out: list[ParsedDocument] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            lines: dict[Path, int] = {}
            data = _Converter(loader, lines).convert(node, ())
            mapped = {path: doc.source_line(line) or line for path, line in lines.items()}
            out.append(ParsedDocument(doc.name, data, mapped))
    finally:
        loader.dispose()
    return out


class _Converter:
    """Turns composed YAML nodes into Python values, recording lines and refusing surprises."""

    def __init__(self, loader: yaml.SafeLoader, lines: dict[Path, int]) -> None:
        self.loader = loader
        self.lines = lines
        self.count = 0

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _ParseError(f"document expands to more than {MAX_NODES} values", None)
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            _expect_tag(node, "tag:yaml.org,2002:map", line)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _ParseError("merge keys ('<<') are not supported", key_line)
                key = self._scalar(key_node)
                if not isinstance(key, str):
                    raise _ParseError(f"key {key!r} is not a string", key_line)
                if key in result:
                    raise _ParseError(f"duplicate key {key!r}", key_line)
                # A key's diagnostics point at the key, even when its value starts lower down.
                key_path = (*path, key)
                self.lines[key_path] = key_line
                result[key] = self.convert(value_node, key_path)
            return result
        if isinstance(node, yaml.SequenceNode):
            _expect_tag(node, "tag:yaml.org,2002:seq", line)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        line = node.start_mark.line + 1
        if (
            isinstance(node, yaml.ScalarNode) and node.tag not in _SCALAR_TAGS
        ):  # ``!!binary aGVsbG8=`` would be the text 'hello'
            raise _ParseError(f"tag {_short_tag(node.tag)} is not allowed in blueprints", line)
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # e.g. 2024-02-30 or ``!!int x``: the value, not odooconf
            raise _ParseError(f"invalid value {node.value!r}: {exc}", line) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _ParseError(
                f"{node.value!r} is not a finite number (Odoo stores only finite numbers)", line
            )
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not _DECIMAL.fullmatch(node.value)
        ):
            return node.value
        return value


#: Scalar types of YAML's core schema, and dates (which blueprints use): no ``!!binary``,
#: ``!!python/...`` or application tags.
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
#: A whole number as YAML 1.2 and people read it. YAML 1.1 (PyYAML) also reads ``0110100`` as
#: octal (36928), ``1:30`` as 90, ``1_000``, ``0b101`` and ``0x1F``: those keep their text, so
#: an account code stays what was written, a number field reads the digits written
#: (``010`` → 10) and errors quote the text.
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _expect_tag(node: yaml.Node, tag: str, line: int) -> None:
    if node.tag != tag:
        raise _ParseError(f"tag {_short_tag(node.tag)} is not allowed in blueprints", line)
