"""In-memory tables of the emulated database, with per-call transactions.

Rows are plain dicts in "cache format": many2one as an id or ``False``, many2many as a list of
ids, company-dependent fields as ``{"<company id>": value}``. Every change goes through
:meth:`Store.insert`, :meth:`Store.update` or :meth:`Store.delete`, which journal the previous
row so that a failing RPC call leaves nothing behind, like a rolled-back PostgreSQL transaction.
Id sequences are not rolled back (PostgreSQL sequences are not either).

Columns can be indexed (:meth:`Store.lookup`): an index is built on first use and kept up to date
by every change and rollback, so that finding rows by a value costs the rows found, not the
table. :attr:`Store.rows_scanned` counts the rows examined one by one (index builds included),
which lets tests check that the cost of an operation does not grow with the tables.
"""

from __future__ import annotations

import copy
from typing import Any

Row = dict[str, Any]

_NO_IDS: frozenset[int] = frozenset()
#: Index key of the values that cannot be dict keys (lists...): no lookup value equals them.
_UNHASHABLE = object()


def _key(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return _UNHASHABLE
    return value


class Store:
    """The tables, the id sequences and the display names of rows of models not emulated."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, Row]] = {}
        self.next_ids: dict[str, int] = {}
        self.foreign_names: dict[str, dict[int, str]] = {}
        self._journal: list[tuple[str, int, Row | None]] | None = None
        #: ``{model: {column: {value: ids}}}``, built on first lookup of a column.
        self._indexes: dict[str, dict[str, dict[Any, set[int]]]] = {}
        #: Rows examined one by one by scans of whole tables (see the module's docstring).
        self.rows_scanned = 0

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
            self._unindex(model, table.get(rid))
            if previous is None:
                table.pop(rid, None)
            else:
                table[rid] = previous
                self._index(model, previous)

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
        table = self.table(model)
        self._unindex(model, table.get(rid))
        table[rid] = row
        self._index(model, row)
        self.next_ids[model] = max(self.next_ids.get(model, 1), rid + 1)

    def update(self, model: str, rid: int, changes: Row) -> None:
        self._remember(model, rid)
        row = self.table(model)[rid]
        indexes = self._indexes.get(model)
        if indexes:
            for column in changes.keys() & indexes.keys():
                ids = indexes[column].get(_key(row.get(column)))
                if ids is not None:
                    ids.discard(rid)
                indexes[column].setdefault(_key(changes[column]), set()).add(rid)
        row.update(changes)

    def delete(self, model: str, rid: int) -> None:
        self._remember(model, rid)
        self._unindex(model, self.table(model).pop(rid, None))

    # -- indexes ----------------------------------------------------------------------------
    def lookup(self, model: str, column: str, value: Any) -> frozenset[int] | set[int]:
        """Ids of the rows of ``model`` whose stored ``column`` equals ``value`` (Python's
        ``==``, so ``1`` finds ``1.0`` and ``True``). Do not modify the result."""
        indexes = self._indexes.setdefault(model, {})
        index = indexes.get(column)
        if index is None:
            index = indexes[column] = {}
            table = self.table(model)
            self.rows_scanned += len(table)
            for rid, row in table.items():
                index.setdefault(_key(row.get(column)), set()).add(rid)
        key = _key(value)
        return _NO_IDS if key is _UNHASHABLE else index.get(key, _NO_IDS)

    def values(self, model: str, column: str) -> list[Any]:
        """The distinct stored values of ``column`` (None for rows without one) that
        :meth:`lookup` can find."""
        self.lookup(model, column, None)
        index = self._indexes[model][column]
        return [key for key, ids in index.items() if ids and key is not _UNHASHABLE]

    def invalidate(self, model: str) -> None:
        """Forget the indexes of ``model``, after a change that did not go through the store."""
        self._indexes.pop(model, None)

    def _index(self, model: str, row: Row) -> None:
        for column, index in self._indexes.get(model, {}).items():
            index.setdefault(_key(row.get(column)), set()).add(int(row["id"]))

    def _unindex(self, model: str, row: Row | None) -> None:
        if row is None:
            return
        for column, index in self._indexes.get(model, {}).items():
            ids = index.get(_key(row.get(column)))
            if ids is not None:
                ids.discard(int(row["id"]))

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
