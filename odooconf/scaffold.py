"""``odooconf init``: a new project (blueprints, one environment aimed at the bundled emulator's
defaults, the editor schemas, a .gitignore for the state directory) that validates as written."""

from __future__ import annotations

from pathlib import Path

from odooconf.errors import UserError
from odooconf.schema import generated

#: The language server's comment, relative to the file (blueprints/ and environments/ alike).
_SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/{}.schema.json\n"

DEV_ENVIRONMENT = """\
# The development instance. As written, it is the bundled emulator with its defaults:
#   ODOO_PASSWORD=admin python -m odooconf.testing serve
odoo:
  url: http://127.0.0.1:8169
  database: demo
  login: admin
  password_env: ODOO_PASSWORD             # the variable holding the password or API key
  # version: "18.0"                       # the Odoo version the blueprints are planned for
variables:
  company: My Company
include: ["**/*"]                         # blueprint files of this environment (globs)
exclude: []
prune: never                              # never | archive: what becomes of records that leave
"""

FIRST_BLUEPRINT = """\
# Blueprints are YAML (with Jinja2 and the environment's variables): one section per kind, each
# a list of resources keyed by readable keys. See the README's tables for every section.
locations:
  - path: WH/Stock/Shelf 1                # under Odoo's own warehouse WH
    barcode: WH-SHELF-1
"""

GITIGNORE_LINE = ".odooconf/"


def scaffold(root: Path) -> list[Path]:
    """Write a new project into ``root``; the paths written. Refuses, writing nothing, when a
    file it would write exists (a .gitignore is only completed)."""
    files = {
        root / "environments" / "dev.yaml": _SCHEMA_COMMENT.format("environment") + DEV_ENVIRONMENT,
        root / "blueprints" / "inventory.yaml": _SCHEMA_COMMENT.format("blueprint")
        + FIRST_BLUEPRINT,
        **{root / "schemas" / name: text for name, text in generated().items()},
    }
    taken = [path for path in files if path.exists() or path.is_symlink()]
    if taken:
        raise UserError(
            f"{', '.join(map(str, taken))} already exist(s): odooconf init makes a new project "
            "and overwrites nothing; nothing was written"
        )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    ignore = root / ".gitignore"
    existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    if GITIGNORE_LINE not in existing.splitlines():
        separator = "\n" if existing and not existing.endswith("\n") else ""
        ignore.write_text(f"{existing}{separator}{GITIGNORE_LINE}\n", encoding="utf-8")
        files[ignore] = ""
    return list(files)
