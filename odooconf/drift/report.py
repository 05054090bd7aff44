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
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;
vertical-align:top;text-align:left}th{background:#f3f3f3}
.priv{background:#fff0f0;border-left:4px solid #c00;padding:.3em .8em;margin:.4em 0}
.diff{background:#fff6d5;font-weight:600}details{margin:.3em 0}summary{cursor:pointer}
code{font-size:12px}.n{text-align:right}
"""


def render_html(drift: Drift) -> str:
    """One self-contained page: no script, no external resource."""
    esc = html.escape
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
        out.append("<h2 id='privileges'>Privileges</h2>")
        for finding in drift.privileges:
            out.append(f"<div class='priv'>{esc(_headline(drift, finding))} — ")
            out.append(f"{esc(finding.privilege)}{_side_by_side(drift, finding)}</div>")
    out.append("<h2>Summary per kind</h2><table><tr><th>kind</th>")
    out.append(f"<th>{esc(drift.left)}</th><th>{esc(drift.right)}</th><th>same</th>")
    out.append("<th>differing</th></tr>")
    for kind, s in drift.summary.items():
        cells = "".join(f"<td class='n'>{n}</td>" for n in (s.left, s.right, s.same, s.differing))
        out.append(f"<tr><td>{esc(kind)}</td>{cells}</tr>")
    out.append("</table>")
    if drift.others:
        out.append("<h2>Differences</h2>")
        for finding in drift.others:
            out.append(f"<details><summary>{esc(_headline(drift, finding))}</summary>")
            out.append(f"{_side_by_side(drift, finding)}</details>")
    out.append("</body></html>")
    return "".join(out)


def _side_by_side(drift: Drift, finding: Finding) -> str:
    esc = html.escape
    left: Mapping[str, Any] = finding.left or {}
    right: Mapping[str, Any] = finding.right or {}
    rows = [
        f"<tr><th>field</th><th>{esc(drift.left)}</th><th>{esc(drift.right)}</th></tr>",
    ]
    for name in sorted({*left, *right}):
        mark = " class='diff'" if name in finding.fields or finding.change != CHANGED else ""
        a = esc(_value(left.get(name))) if finding.left is not None else ""
        b = esc(_value(right.get(name))) if finding.right is not None else ""
        rows.append(f"<tr{mark}><td>{esc(name)}</td><td>{a}</td><td>{b}</td></tr>")
    return f"<table id='f{finding.id}'>{''.join(rows)}</table>"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
RENDERERS["html"] = render_html
