"""In-memory tables of the emulated database, with per-call transactions.

Rows are plain dicts in "cache format": many2one as an id or ``False``, many2many as a list of
ids, company-dependent fields as ``{"<company id>": value}``. Every change goes through
:meth:`Store.insert`, :meth:`Store.update` or :meth:`Store.delete`, which journal the previous
row so that a failing RPC call leaves nothing behind, like a rolled-back PostgreSQL transaction.
Id sequences are not rolled back (PostgreSQL sequences are not either).
"""

from __future__ import annotations

import copy
from typing import Any

Row = dict[str, Any]


class Store:
    """The tables, the id sequences and the display names of rows of models not emulated."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, Row]] = {}
        self.next_ids: dict[str, int] = {}
        self.foreign_names: dict[str, dict[int, str]] = {}
        self._journal: list[tuple[str, int, Row | None]] | None = None

    # -- transactions -----------------------------------------------------------------------
    def begin(self) -> None:
        self._journal = []

    @property
    def pending(self) -> bool:
        """Whether the running transaction has changed anything so far."""
        return bool(self._journal)

    def commit(self) -> None:
        """End the transaction, keeping its changes."""
        self._journal = None

    def rollback(self) -> None:
        journal, self._journal = self._journal or [], None
        for model, rid, previous in reversed(journal):
            table = self.tables.setdefault(model, {})
            if previous is None:
                table.pop(rid, None)
            else:
                table[rid] = previous

    def _remember(self, model: str, rid: int) -> None:
        if self._journal is not None:
            row = self.tables.get(model, {}).get(rid)
            self._journal.append((model, rid, copy.deepcopy(row) if row is not None else None))

    # -- rows -------------------------------------------------------------------------------
    def table(self, model: str) -> dict[int, Row]:
        return self.tables.setdefault(model, {})

    def get(self, model: str, rid: int) -> Row | None:
        return self.tables.get(model, {}).get(rid)

    def new_id(self, model: str) -> int:
        rid = self.next_ids.get(model, 1)
        self.next_ids[model] = rid + 1
        return rid

    def insert(self, model: str, row: Row) -> None:
        rid = int(row["id"])
        self._remember(model, rid)
        self.table(model)[rid] = row
        self.next_ids[model] = max(self.next_ids.get(model, 1), rid + 1)

    def update(self, model: str, rid: int, changes: Row) -> None:
        self._remember(model, rid)
        self.table(model)[rid].update(changes)

    def delete(self, model: str, rid: int) -> None:
        self._remember(model, rid)
        self.table(model).pop(rid, None)

    # -- persistence ------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "tables": {m: list(rows.values()) for m, rows in self.tables.items()},
            "next_ids": self.next_ids,
            "foreign_names": {
                m: {str(k): v for k, v in names.items()} for m, names in self.foreign_names.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Store:
        store = cls()
        store.tables = {m: {int(r["id"]): r for r in rows} for m, rows in data["tables"].items()}
        store.next_ids = {m: int(n) for m, n in data["next_ids"].items()}
        store.foreign_names = {
            m: {int(k): str(v) for k, v in names.items()}
            for m, names in data["foreign_names"].items()
        }
        return store
