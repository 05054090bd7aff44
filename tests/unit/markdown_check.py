"""Parse markdown as GitHub does (CommonMark with tables) and check every table in it."""

from __future__ import annotations

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark").enable("table")


def check_tables(text: str) -> int:
    """Assert that every line starting with ``|`` is a row of a well-formed table (as many
    cells as its header, no row left out of a table); the number of rows."""
    tokens = _PARSER.parse(text)
    rows = 0
    width = 0
    cells = 0
    for token in tokens:
        if token.type == "thead_open":
            width = -1
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            rows += 1
            if width == -1:
                width = cells
            assert cells == width, f"a row of {cells} cells in a table of {width} columns"
    fenced = False
    source_rows = 0
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif line.startswith("|") and not fenced:
            source_rows += 1
    # header rows are counted once as rows, the delimiter row is not a row
    delimiters = sum(1 for token in tokens if token.type == "thead_open")
    assert rows + delimiters == source_rows, "a line starting with | is not in a table"
    return rows
