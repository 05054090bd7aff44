"""The HTML drift report (issue 20): one self-contained file an auditor opens offline. It is
opened in a real headless Chromium (no console error, no network request, a screenshot kept
with the test run), and it stays under 2 MB for 5,000 differing resources."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from odooconf.drift.compare import compare
from odooconf.drift.normal import Configuration, Record
from odooconf.drift.report import render_html
from tests.browser import chromium, visit
from tests.integration.conftest import Project
from tests.integration.test_drift import PRICELISTS, ROLES, _hand_edits

#: The issue's bound for a report on 5,000 resources.
MAX_BYTES = 2_000_000
RESOURCES = 5_000

#: A name that would load an image and log an error if the report did not escape it.
HOSTILE = "<img src='http://192.0.2.1/p.png'> & <script>console.error('x')</script>"
#: Asked of the page once it has loaded: where the sections are, what is highlighted.
PAGE_FACTS = (
    "[...document.querySelectorAll('h2')].map(h => h.textContent)",
    "document.querySelectorAll('#privileges + table tr:not(:first-child) > th').length",
    "[...document.querySelectorAll('tr.d')]"
    ".map(r => [...r.cells].slice(-3).map(c => c.textContent))",
    "document.querySelectorAll('img, script, link, iframe, object, embed').length",
    "document.body.textContent",
)


@pytest.fixture
def browser() -> str:
    executable = chromium()
    if executable is None:
        pytest.skip(
            "Chromium is not installed: the HTML report's browser check needs it "
            "(Debian: apt-get install chromium; or set ODOOCONF_TEST_CHROMIUM to its path)"
        )
    return executable


def test_the_browser_check_sees_errors_and_requests(browser: str, tmp_path: Path) -> None:
    """The check itself: a page that logs an error, throws, and loads an image is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><img src='http://192.0.2.1/x.png'>"
        "<script>console.error('boom'); missing();</script></body></html>"
    )
    seen = visit(browser, page, tmp_path / "bad.png", tmp_path / "profile")
    assert "http://192.0.2.1/x.png" in seen.requests
    assert any("boom" in error for error in seen.errors)
    assert any("missing" in error for error in seen.errors)


def test_html_report_passes_the_browser_check(
    project: Project, browser: str, tmp_path: Path
) -> None:
    project.write("security/roles.yaml", ROLES)
    project.write("stock.yaml", PRICELISTS)
    project.apply_ok()
    _hand_edits(project.odoo)
    project.odoo.execute("product.pricelist", "create", {"name": HOSTILE})
    result = project.run("drift", "-e", "test", "--format", "html")
    assert result.code == 0, result.out + result.err
    page = tmp_path / "drift.html"
    page.write_text(result.out, encoding="utf-8")
    screenshot = tmp_path / "drift.png"
    seen = visit(browser, page, screenshot, tmp_path / "profile", PAGE_FACTS)
    assert seen.errors == []
    assert seen.requests == []
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 5_000  # something was drawn
    headings, privileges, highlighted, external = (seen.evaluated[f] for f in PAGE_FACTS[:4])
    assert headings[0] == "Privileges" and headings.index("Summary per kind") > 0
    assert privileges == 3
    # The edited item side by side: its field, the declared value, the one found.
    assert ["percent_price", "5.0", "7.0"] in highlighted
    assert external == 0
    assert HOSTILE in seen.evaluated["document.body.textContent"]  # shown, as text


def _scaled(configuration: dict[str, Any], count: int) -> tuple[Configuration, Configuration]:
    """``count`` records made from the real ones of a snapshot's configuration (their fields
    and values), as many of each kind (wide kinds weigh as much as narrow ones), each with one
    field changed on the right."""
    real = [
        [(identity, Record.from_json(data)) for identity, data in records.items()]
        for _kind, records in sorted(configuration.items())
        if records
    ]
    kinds = [kind for kind, records in sorted(configuration.items()) if records]
    left, right = Configuration(), Configuration()
    for index in range(count):
        kind, records = kinds[index % len(kinds)], real[index % len(kinds)]
        identity, record = records[index // len(kinds) % len(records)]
        key = f"{identity} #{index}"
        one = replace(record, key=key, xmlid=None)
        field = next(iter(one.values), None)
        values = {**one.values, **({field: _other(one.values[field])} if field else {})}
        left.kinds.setdefault(kind, {})[key] = one
        right.kinds.setdefault(kind, {})[key] = replace(one, values=values or {"edited": True})
    return left, right


def _other(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, list):
        return [*value, "edited"]
    return f"{value} (edited)"


def test_html_report_of_5000_resources_is_under_2_mb(project: Project, tmp_path: Path) -> None:
    """The worst cases: every one of 5,000 records differs, or is on one side only."""
    path = tmp_path / "snapshot.json"
    assert project.run("snapshot", "-e", "test", "-o", str(path)).code == 0
    left, right = _scaled(json.loads(path.read_text())["configuration"], RESOURCES)
    changed = compare(left, right, ("development", "production"))
    assert len(changed.findings) == RESOURCES
    one_side = compare(left, Configuration(), ("development", "production"))
    assert len(one_side.findings) == RESOURCES
    sizes = [len(render_html(drift).encode("utf-8")) for drift in (changed, one_side)]
    print(f"HTML of {RESOURCES:,} differing resources: {sizes[0]:,} bytes; one side: {sizes[1]:,}")
    assert max(sizes) < MAX_BYTES, sizes
