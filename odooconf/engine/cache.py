"""A cache of loaded blueprints: what rendering, parsing, validating and resolving made of them,
kept in the state directory (``<state-dir>/cache``, ``.odooconf/cache`` by default) as ruff and
mypy keep theirs.

An entry is reused only when everything it was made from is the same: the text and name of
every blueprint file the environment selects, the environment (its file's settings, variables
and name) and odooconf itself (its version and the modification times of its modules). One file
per environment and blueprint directory, replaced on each change; only loads without errors are
kept. Deleting the directory is always safe: the next run loads the blueprints again.

It holds what the blueprints declare, rendered with the environment's variables: never a
password (read from the process environment only when connecting). A file that cannot be read,
is damaged, or names anything but odooconf's own data classes is ignored (and replaced), never
run: unpickling is restricted to those classes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import pickle
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from odooconf import __version__
from odooconf.config import Environment
from odooconf.engine.load import RawDocument

#: Changes when the layout of an entry changes.
FORMAT = 1
#: What an entry may hold besides odooconf's data classes (pydantic specs, dataclasses).
_SAFE = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
}
_PACKAGE = Path(__file__).resolve().parents[1]


def key(env: Environment, documents: Sequence[RawDocument]) -> str:
    """What an entry is made from, as one digest."""
    digest = hashlib.blake2b(digest_size=20)
    settings = json.dumps(env.variables(), sort_keys=True, default=str)
    for part in (str(FORMAT), __version__, _code(), env.name, env.spec.model_dump_json(), settings):
        digest.update(part.encode())
        digest.update(b"\0")
    for document in documents:
        digest.update(f"{document.name}\0{len(document.text)}\0{document.text}\0".encode())
    return digest.hexdigest()


@cache
def _code() -> str:
    """odooconf's own modules as they are now (a development tree changes without a new
    version): their paths, sizes and modification times."""
    stats = []
    for path in sorted(_PACKAGE.rglob("*.py")):
        if "testing" not in path.relative_to(_PACKAGE).parts:
            stat = path.stat()
            stats.append(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.blake2b("\n".join(stats).encode(), digest_size=20).hexdigest()


def _entry(directory: Path, env: Environment, blueprints: Path) -> Path:
    name = hashlib.blake2b(f"{env.name}\0{blueprints.resolve()}".encode(), digest_size=12)
    return directory / f"blueprints-{name.hexdigest()}.pickle"


def read(directory: Path, env: Environment, blueprints: Path, digest: str) -> Any | None:
    """The value stored under ``digest``, or None (nothing stored, another digest, damaged)."""
    try:
        data = _entry(directory, env, blueprints).read_bytes()
        stored, value = _Restricted(io.BytesIO(data)).load()
    except Exception:
        return None
    return value if stored == digest else None


def write(directory: Path, env: Environment, blueprints: Path, digest: str, value: Any) -> None:
    """Store ``value`` under ``digest``, replacing the entry atomically; a directory that cannot
    be written leaves the run uncached, not failed."""
    path = _entry(directory, env, blueprints)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, suffix=".tmp", delete=False) as file:
            pickle.dump((digest, value), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, path)
    except OSError:
        return


class _Restricted(pickle.Unpickler):
    """Builds odooconf's data classes (dataclasses and pydantic specs) and a few value types;
    refuses every other global, so a planted file cannot call anything."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE:
            return super().find_class(module, name)
        if module.startswith("odooconf.") and not module.startswith("odooconf.testing"):
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, BaseModel)
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not cached data")
