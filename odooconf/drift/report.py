"""Drift reports: text, markdown, JSON and one self-contained HTML file; privileges first in
each, then the other differences, and always how many were ignored or expected."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from odooconf.drift.compare import CHANGED, ONLY_LEFT, Drift, Finding

#: Version of the JSON document (``drift --format json``).
JSON_VERSION = 1


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "—" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _headline(drift: Drift, finding: Finding) -> str:
    if finding.change == CHANGED:
        return f"{finding.kind} {finding.key}: {', '.join(finding.fields)} differ"
    side = drift.left if finding.change == ONLY_LEFT else drift.right
    return f"{finding.kind} {finding.key}: only in {side}"


def _counted(drift: Drift) -> str:
    return f"{drift.ignored} ignored, {drift.expected} expected"


def _pairs(finding: Finding) -> list[tuple[str, Any, Any]]:
    left, right = finding.left or {}, finding.right or {}
    names = finding.fields if finding.change == CHANGED else sorted({*left, *right})
    return [(name, left.get(name), right.get(name)) for name in names]


def render_text(drift: Drift) -> str:
    lines = [f"Drift from {drift.left} to {drift.right}:"]
    lines += [f"  {line}" for line in drift.coverage]
    for title, findings in (("Privileges", drift.privileges), ("Differences", drift.others)):
        if not findings:
            continue
        lines.append(f"{title} ({len(findings)}):")
        for finding in findings:
            reason = f"  [{finding.privilege}]" if finding.privilege else ""
            lines.append(f"  ! {_headline(drift, finding)}{reason}")
            for name, a, b in _pairs(finding) if finding.change == CHANGED else ():
                lines.append(f"      {name}: {_value(a)} → {_value(b)}")
    total = len(drift.findings)
    lines.append(
        f"{total} difference(s) ({len(drift.privileges)} about privileges); {_counted(drift)}."
        if total
        else f"No differences; {_counted(drift)}."
    )
    return "\n".join(lines)


def render_markdown(drift: Drift) -> str:
    lines = [f"## Drift from `{drift.left}` to `{drift.right}`", ""]
    lines += [f"- {line}" for line in drift.coverage] + ([""] if drift.coverage else [])
    if drift.privileges:
        lines += ["### ⚠️ Privileges", ""]
        lines += [f"- **{_headline(drift, f)}** — {f.privilege}" for f in drift.privileges]
        lines.append("")
    lines += ["| kind | left | right | same | differing |", "|---|---:|---:|---:|---:|"]
    for kind, s in drift.summary.items():
        lines.append(f"| {kind} | {s.left} | {s.right} | {s.same} | {s.differing} |")
    lines.append("")
    if drift.others:
        lines += ["### Differences", ""]
        for finding in drift.others:
            lines.append(f"- `{finding.id}` {_headline(drift, finding)}")
            for name, a, b in _pairs(finding) if finding.change == CHANGED else ():
                lines.append(f"  - `{name}`: `{_value(a)}` → `{_value(b)}`")
        lines.append("")
    lines.append(f"{len(drift.findings)} difference(s); {_counted(drift)}.")
    return "\n".join(lines)


def render_json(drift: Drift) -> str:
    document = {
        "version": JSON_VERSION,
        "left": drift.left,
        "right": drift.right,
        "coverage": drift.coverage,
        "summary": {kind: vars(s) for kind, s in drift.summary.items()},
        "privileges": [f.as_json() for f in drift.privileges],
        "findings": [f.as_json() for f in drift.others],
        "ignored": drift.ignored,
        "expected": drift.expected,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}h3{font-size:1em;margin-top:1.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;
vertical-align:top;text-align:left}th{background:#f3f3f3;font-weight:600}
#privileges+table tr+tr>th{background:#fff0f0;border-left:4px solid #c00}
.d td{background:#fff6d5;font-weight:600}.s{color:#666;font-size:12px}.n{text-align:right}
small{display:block;font-weight:400;color:#a00}
"""


def render_html(drift: Drift) -> str:
    """One self-contained page, no script and no external resource: privileges first, a
    summary per kind, then a table per kind of the differing records side by side."""
    esc = _text
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>odooconf drift: {esc(drift.left)} → {esc(drift.right)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Drift from {esc(drift.left)} to {esc(drift.right)}</h1>",
        f"<p>{len(drift.findings)} difference(s), {len(drift.privileges)} about privileges; "
        f"{esc(_counted(drift))}.</p>",
    ]
    out += [f"<p>{esc(line)}</p>" for line in drift.coverage]
    if drift.privileges:
        out.append("<h2 id=privileges>Privileges</h2>")
        out.append(_table(drift, drift.privileges, with_kind=True))
    out.append("<h2>Summary per kind</h2><table><tr><th>kind")
    out.append(f"<th>{esc(drift.left)}<th>{esc(drift.right)}<th>same<th>differing")
    by_kind: dict[str, list[Finding]] = {}
    for finding in drift.others:
        by_kind.setdefault(finding.kind, []).append(finding)
    for kind, s in drift.summary.items():
        cells = "".join(f"<td class=n>{n}" for n in (s.left, s.right, s.same, s.differing))
        name = f"<a href='#k-{html.escape(kind)}'>{esc(kind)}</a>" if kind in by_kind else esc(kind)
        out.append(f"<tr><td>{name}{cells}")
    out.append("</table>")
    if by_kind:
        out.append("<h2>Differences</h2>")
        for kind, findings in by_kind.items():
            out.append(f"<h3 id='k-{html.escape(kind)}'>{esc(kind)} ({len(findings)})</h3>")
            out.append(_table(drift, findings, with_kind=False))
    out.append("</body></html>")
    return "".join(out)


def _table(drift: Drift, findings: list[Finding], with_kind: bool) -> str:
    """The records side by side, one header for all: per record, each differing field with
    its value on each side (highlighted), then the fields equal on both sides on one line. A
    record on one side only has its values in that side's column. Optional end tags are left
    out (valid HTML), so that the report stays small at thousands of findings."""
    rows = [f"<table><tr><th>record<th>field<th>{_text(drift.left)}<th>{_text(drift.right)}"]
    for finding in findings:
        label = _text(f"{finding.kind} {finding.key}" if with_kind else finding.key)
        if finding.privilege:
            label += f"<small>{_text(finding.privilege)}</small>"
        left: Mapping[str, Any] = finding.left or {}
        right: Mapping[str, Any] = finding.right or {}
        if finding.change != CHANGED:
            values = _inline(left or right)
            cells = (values, "<i>absent</i>") if finding.change == ONLY_LEFT else (
                "<i>absent</i>", values)  # fmt: skip
            rows.append(f"<tr><th>{label}<td>record<td>{cells[0]}<td>{cells[1]}")
            continue
        same = {n: left.get(n) for n in sorted({*left, *right}) if n not in finding.fields}
        span = len(finding.fields) + (1 if same else 0)
        head = f"<th rowspan={span}>{label}" if span > 1 else f"<th>{label}"
        for name in finding.fields:
            a, b = _text(_value(left.get(name))), _text(_value(right.get(name)))
            rows.append(f"<tr class=d>{head}<td>{_text(name)}<td>{a}<td>{b}")
            head = ""
        if same:
            rows.append(f"<tr><td colspan=3 class=s>same on both: {_inline(same)}")
    return "".join(rows) + "</table>"


def _inline(values: Mapping[str, Any]) -> str:
    """Fields and values on one line, in field order."""
    return _text(" · ".join(f"{name}: {_value(values[name])}" for name in sorted(values)))


def _text(value: str) -> str:
    """``value`` escaped for an element's text (quotes need no escaping there)."""
    return html.escape(value, quote=False)


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
RENDERERS["html"] = render_html
