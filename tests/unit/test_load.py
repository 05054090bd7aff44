"""Stage 1 (``load_documents``): which files become blueprints, and which are refused."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from odooconf.engine import load
from odooconf.engine.load import RawDocument, load_documents
from odooconf.model.diagnostics import Diagnostic

TreeBuilder = Callable[[dict[str, str]], Path]

FILES = {
    "z.yaml": "z: 1\n",
    "a/x.yaml": "x: 1\n",
    "a/b/c.yml": "c: 1\n",
    "a/notes.txt": "not a blueprint\n",
    "README.md": "# not a blueprint\n",
    "data.json": "{}\n",
}


def rel(name: str, root: Path) -> str:
    """A document name relative to the blueprint directory (whatever form the name takes)."""
    path = Path(name)
    return (path.relative_to(root) if path.is_absolute() else path).as_posix()


def names(documents: list[RawDocument], root: Path) -> list[str]:
    return [rel(doc.name, root) for doc in documents]


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [diagnostic.code for diagnostic in diagnostics]


def test_finds_yaml_and_yml_recursively_in_sorted_order(tree: TreeBuilder) -> None:
    root = tree(FILES)

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert diagnostics == []
    assert names(documents, root) == ["a/b/c.yml", "a/x.yaml", "z.yaml"]
    assert [doc.text for doc in documents] == ["c: 1\n", "x: 1\n", "z: 1\n"]


def test_order_does_not_depend_on_creation_order(tree: TreeBuilder) -> None:
    root = tree({"m.yaml": "m: 1\n", "b.yaml": "b: 1\n", "k/a.yaml": "a: 1\n", "a.yaml": "a: 1\n"})

    documents, _ = load_documents(root, ["**/*"], [])

    assert names(documents, root) == ["a.yaml", "b.yaml", "k/a.yaml", "m.yaml"]


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (["**/*"], [], ["a/b/c.yml", "a/x.yaml", "z.yaml"]),
        (["*.yaml"], [], ["z.yaml"]),
        (["a/**/*.yaml"], [], ["a/x.yaml"]),
        (["**/*.yml"], [], ["a/b/c.yml"]),
        (["**/*"], ["a/b/*"], ["a/x.yaml", "z.yaml"]),
        (["**/*"], ["**/*.yml"], ["a/x.yaml", "z.yaml"]),
        (["**/*"], ["z.yaml", "a/x.yaml"], ["a/b/c.yml"]),
        (["**/*"], ["nothing/*.yaml"], ["a/b/c.yml", "a/x.yaml", "z.yaml"]),
        # A file matched by several include patterns is loaded once.
        (["**/*", "z.yaml", "a/*.yaml"], [], ["a/b/c.yml", "a/x.yaml", "z.yaml"]),
    ],
)
def test_include_and_exclude_globs(
    tree: TreeBuilder, include: list[str], exclude: list[str], expected: list[str]
) -> None:
    root = tree(FILES)

    documents, diagnostics = load_documents(root, include, exclude)

    assert diagnostics == []
    assert names(documents, root) == expected


_EXCLUDE_DIR_BUG = (
    "excluding a directory excludes none of its files: load.py drops a file only when the file "
    "itself is in the set of excluded paths (and before Python 3.13 'a/**' globs directories only)"
)


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(
            "a",
        ),
        pytest.param(
            "a/**",
        ),
        "a/**/*",
    ],
)
def test_excluding_a_directory_excludes_its_files(tree: TreeBuilder, pattern: str) -> None:
    root = tree(FILES)

    documents, diagnostics = load_documents(root, ["**/*"], [pattern])

    assert diagnostics == []
    assert names(documents, root) == ["z.yaml"]


@pytest.mark.parametrize("pattern", ["nothing/*.yaml", "**/*.txt", "a"])
def test_include_pattern_matching_no_blueprint_is_an_error(tree: TreeBuilder, pattern: str) -> None:
    root = tree(FILES)

    documents, diagnostics = load_documents(root, ["*.yaml", pattern], [])

    assert codes(diagnostics) == ["OC-L001"]
    assert repr(pattern) in diagnostics[0].message
    # The other pattern's files are still read: every problem is collected, nothing stops early.
    assert names(documents, root) == ["z.yaml"]


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"

    documents, diagnostics = load_documents(missing, ["**/*"], [])

    assert documents == []
    assert codes(diagnostics) == ["OC-L001"]
    assert str(missing) in diagnostics[0].message
    assert "does not exist" in diagnostics[0].message


def test_a_file_given_as_directory_is_an_error(tree: TreeBuilder) -> None:
    root = tree({"single.yaml": "a: 1\n"})

    documents, diagnostics = load_documents(root / "single.yaml", ["**/*"], [])

    assert documents == []
    assert codes(diagnostics) == ["OC-L001"]


def test_too_large_file_is_refused(tree: TreeBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_BYTES", 10)
    root = tree({"big.yaml": "a: 123456789\n", "limit.yaml": "a: 123456\n", "small.yaml": "a: 1\n"})
    assert (root / "limit.yaml").stat().st_size == 10

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert names(documents, root) == ["limit.yaml", "small.yaml"]
    assert codes(diagnostics) == ["OC-L003"]
    (problem,) = diagnostics
    assert problem.source is not None
    assert rel(problem.source.file, root) == "big.yaml"
    assert "13 bytes" in problem.message
    assert "10 bytes" in problem.message


def test_binary_file_is_refused(tree: TreeBuilder) -> None:
    root = tree({"good.yaml": "a: 1\n"})
    (root / "image.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert names(documents, root) == ["good.yaml"]
    assert codes(diagnostics) == ["OC-L004"]
    (problem,) = diagnostics
    assert problem.source is not None
    assert rel(problem.source.file, root) == "image.yaml"
    assert "binary" in problem.message


def test_non_utf8_bytes_are_refused_naming_the_line(tree: TreeBuilder) -> None:
    root = tree({})
    (root / "latin1.yaml").write_bytes("a: 1\nb: 2\nc: caf\u00e9\nd: 4\n".encode("latin-1"))

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert documents == []
    assert codes(diagnostics) == ["OC-L004"]
    (problem,) = diagnostics
    assert problem.source is not None
    assert rel(problem.source.file, root) == "latin1.yaml"
    assert problem.source.line == 3
    assert "UTF-8" in problem.message


def test_utf8_byte_order_mark_is_dropped(tree: TreeBuilder) -> None:
    root = tree({})
    (root / "bom.yaml").write_bytes("\ufeffname: Entrepôt\n".encode())

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert diagnostics == []
    assert [doc.text for doc in documents] == ["name: Entrepôt\n"]


@pytest.mark.parametrize(
    ("link", "target", "include"),
    [
        ("escape.yaml", "outside/secret.yaml", ["**/*"]),
        ("linked", "outside", ["linked/*.yaml"]),
    ],
)
def test_symlink_escaping_the_root_is_refused(
    tmp_path: Path, link: str, target: str, include: list[str]
) -> None:
    root = tmp_path / "blueprints"
    root.mkdir()
    (root / "own.yaml").write_text("own: 1\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text("secret: 42\n", encoding="utf-8")
    os.symlink(tmp_path / target, root / link)

    documents, diagnostics = load_documents(root, [*include, "own.yaml"], [])

    assert names(documents, root) == ["own.yaml"]
    assert all("secret" not in doc.text for doc in documents)
    assert codes(diagnostics) == ["OC-L002"]
    assert diagnostics[0].source is not None
    assert link in diagnostics[0].source.file


def test_pattern_climbing_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "blueprints"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text("secret: 42\n", encoding="utf-8")

    documents, diagnostics = load_documents(root, ["../outside/*.yaml"], [])

    assert documents == []
    assert codes(diagnostics) == ["OC-L002"]


def test_symlink_inside_the_root_is_followed(tree: TreeBuilder) -> None:
    root = tree({"shared/base.yaml": "a: 1\n"})
    os.symlink(root / "shared" / "base.yaml", root / "alias.yaml")

    documents, diagnostics = load_documents(root, ["*.yaml"], [])

    assert diagnostics == []
    assert names(documents, root) == ["alias.yaml"]
    assert documents[0].text == "a: 1\n"


@pytest.mark.parametrize(
    ("include", "exclude"),
    [(["/etc/*.yaml"], []), ([""], []), (["**/*"], ["/tmp"])],
)
def test_unusable_glob_is_a_diagnostic_not_a_crash(
    tree: TreeBuilder, include: list[str], exclude: list[str]
) -> None:
    root = tree(FILES)

    pattern = next(p for p in (*include, *exclude) if not p or p.startswith("/"))

    _documents, diagnostics = load_documents(root, include, exclude)

    assert diagnostics
    assert all(code.startswith("OC-L") for code in codes(diagnostics))
    assert any(repr(pattern) in diagnostic.message for diagnostic in diagnostics)


def _dangling(root: Path) -> None:
    os.symlink(root / "gone.yaml", root / "stock.yaml")


def _loop(root: Path) -> None:
    os.symlink(root / "b.yaml", root / "stock.yaml")
    os.symlink(root / "stock.yaml", root / "b.yml.orig")
    os.replace(root / "b.yml.orig", root / "b.yaml")


def _fifo(root: Path) -> None:
    os.mkfifo(root / "stock.yaml")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_dangling, "symbolic link to nothing"),
        (_loop, "cannot be read"),
        (_fifo, "not a regular file"),
    ],
    ids=["dangling-symlink", "symlink-loop", "fifo"],
)
def test_a_blueprint_that_cannot_be_read_is_an_error_not_skipped(
    tree: TreeBuilder, make: Callable[[Path], None], words: str
) -> None:
    """Skipped silently, its resources looked removed: with prune: archive, archived."""
    root = tree({"own.yaml": "own: 1\n"})
    make(root)

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert names(documents, root) == ["own.yaml"]
    stock = [d for d in diagnostics if d.source and d.source.file.endswith("stock.yaml")]
    assert [d.code for d in stock] == ["OC-L005"]
    assert words in stock[0].message


def test_an_excluded_file_that_cannot_be_read_is_no_error(tree: TreeBuilder) -> None:
    root = tree({"own.yaml": "own: 1\n"})
    _dangling(root)

    documents, diagnostics = load_documents(root, ["**/*"], ["stock.yaml"])

    assert (names(documents, root), diagnostics) == (["own.yaml"], [])


def test_a_directory_named_like_a_blueprint_is_not_a_file(tree: TreeBuilder) -> None:
    root = tree({"own.yaml": "own: 1\n", "dir.yaml/inner.yaml": "inner: 1\n"})

    documents, diagnostics = load_documents(root, ["**/*"], [])

    assert diagnostics == []
    assert names(documents, root) == ["dir.yaml/inner.yaml", "own.yaml"]
