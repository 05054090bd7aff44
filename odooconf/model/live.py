"""Live state: what the instance holds, as read by one batched call per model, and the answers to
the other reads kinds and policies declare (``Query``), all made by the read stage."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

#: Computes a record's natural key from its target name, the record and a key lookup.
KeyFunction = Callable[[str, Mapping[str, Any]], "str | None"]


def _frozen(value: Any) -> Any:
    """A domain made hashable (lists become tuples), to key the answers by their query."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thawed(item) for item in value]
    return value


@dataclass(frozen=True)
class Query:
    """One read a kind or a policy needs besides the kinds' records (``Kind.needs``), answered
    by the read stage into ``LiveState.answers``: a ``search_read`` (archived records included
    only when the domain says so), a model's ``fields_get`` (None when the server lists the
    model but does not serve it), which of some models exist, or the ``default_get`` of some
    fields."""

    what: Literal["search_read", "fields", "models", "defaults"]
    model: str = ""
    domain: tuple[Any, ...] = ()
    fields: tuple[str, ...] = ()

    @property
    def odoo_domain(self) -> list[Any]:
        return [_thawed(leaf) for leaf in self.domain]

    def __str__(self) -> str:
        if self.what == "models":
            return f"which of {', '.join(self.fields)} exist"
        if self.what == "fields":
            return f"fields of {self.model}"
        if self.what == "defaults":
            return f"defaults of {self.model} {list(self.fields)}"
        return f"{self.model} {self.odoo_domain} {list(self.fields)}"


def search(model: str, domain: Sequence[Any], fields: Sequence[str]) -> Query:
    """A ``search_read`` of ``fields`` (plus ``id``) on ``model``."""
    return Query("search_read", model, _frozen(list(domain)), tuple(fields))


def fields_of(model: str) -> Query:
    """The ``fields_get`` of ``model``."""
    return Query("fields", model)


def defaults_of(model: str, fields: Sequence[str]) -> Query:
    """The values a new record of ``model`` would get for ``fields``."""
    return Query("defaults", model, fields=tuple(fields))


def models_among(models: Sequence[str]) -> Query:
    """Which of ``models`` the instance has."""
    return Query("models", fields=tuple(sorted(set(models))))


@dataclass(frozen=True)
class PlanContext:
    """What a plan knows besides the blueprints and the instance's records: the environment's
    settings and who odooconf logs in as (given to ``Kind.needs`` and ``Kind.prepare``)."""

    environment: str
    environment_path: str
    namespace: str = "odooconf"
    #: The environment's ``odoo.company`` (None: the login's current company).
    company: str | None = None
    login: str = ""
    uid: int = 0
    version: str = ""
    exclusive_roles: tuple[str, ...] = ()
    sod_warnings: frozenset[str] = frozenset()
    allow_admin_revocation: bool = False
    prune: str = "never"


@dataclass
class LiveState:
    """Records per target (kind or lookup) by id, and external ids, with key indexes."""

    #: ``fields_get`` per model, for the models read.
    fields: dict[str, Mapping[str, Mapping[str, Any]]]
    #: Target name → model name.
    models: dict[str, str]
    records: dict[str, dict[int, dict[str, Any]]]
    #: ``module.name`` → (model, res_id).
    xmlids: dict[str, tuple[str, int]]
    key_function: KeyFunction
    #: Module part of odooconf's external ids on this instance.
    namespace: str = "odooconf"
    #: Target → the values Odoo gives a new record (``default_get``), for the fields asked.
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: ``module.name`` → id of its ``ir.model.data`` row (to repoint an id whose record is gone).
    xmlid_rows: dict[str, int] = field(default_factory=dict)
    #: odooconf's external ids of the records it created (row ``noupdate`` off, as a module's
    #: own data): only those may be archived by prune; adopted records are only released.
    created: set[str] = field(default_factory=set)
    #: Target → record id → alias key, for records Odoo generates whose names change with their
    #: owner's settings (a warehouse's reception route is ``DC1/reception`` whatever its steps).
    aliases: dict[str, dict[int, str]] = field(default_factory=dict)
    #: The answers to the kinds' and policies' other reads (``Query``), by query.
    answers: dict[Query, Any] = field(default_factory=dict)
    _keys: dict[str, dict[int, str | None]] = field(default_factory=dict)
    #: Keys of records created during apply, known before the target is next re-read.
    _added: dict[str, dict[int, str]] = field(default_factory=dict)
    _owners: dict[tuple[str, int], str] | None = None
    _ids: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    _types: dict[str, dict[str, str]] = field(default_factory=dict)
    _targets: dict[str, str] | None = None

    def types(self, model: str) -> dict[str, str]:
        """The type of each field of ``model`` (``fields_get``), computed once."""
        if model not in self._types:
            fields = self.fields[model].items()
            self._types[model] = {name: str(info.get("type", "")) for name, info in fields}
        return self._types[model]

    def answer(self, query: Query) -> Any:
        """The read stage's answer to ``query``; asking for one it did not make is a bug of
        the kind or policy that did not declare it (``Kind.needs``)."""
        try:
            return self.answers[query]
        except KeyError:
            raise LookupError(
                f"not read by the read stage (declare it in needs): {query}"
            ) from None

    def rows(self, query: Query) -> list[dict[str, Any]]:
        """The rows of a ``search_read`` query."""
        rows: list[dict[str, Any]] = self.answer(query)
        return rows

    def key_of(self, target: str, record_id: int) -> str | None:
        """Natural key of a live record, or None when it is unknown."""
        keys = self._keys.setdefault(target, {})
        if record_id not in keys:
            record = self.records.get(target, {}).get(record_id)
            alias = self.aliases.get(target, {}).get(record_id)
            alias = alias or self._added.get(target, {}).get(record_id)
            if alias is not None or record is None:
                keys[record_id] = alias
            else:
                keys[record_id] = self.key_function(target, record)
        return keys[record_id]

    def matches(self, target: str, key: str) -> list[int]:
        """Live records with this key; when several, the active ones win (Odoo archives the
        records it replaces, e.g. a rule rebuilt when a warehouse's steps change)."""
        ids = self.ids_by_key(target).get(key, [])
        if len(ids) > 1:
            records = self.records.get(target, {})
            active = [i for i in ids if records.get(i, {}).get("active", True) is not False]
            return active or ids
        return ids

    def ids_by_key(self, target: str) -> dict[str, list[int]]:
        """Record ids by key. A record with an alias is found by its natural key too (a
        generated route by its name as well as by ``DC1/delivery``)."""
        if target not in self._ids:
            index: dict[str, list[int]] = {}
            aliased = self.aliases.get(target, {})
            for record_id, record in self.records.get(target, {}).items():
                keys = {self.key_of(target, record_id)}
                if record_id in aliased:
                    keys.add(self.key_function(target, record))
                for key in keys - {None}:
                    index.setdefault(str(key), []).append(record_id)
            self._ids[target] = index
        return self._ids[target]

    def add(self, target: str, record_id: int, key: str, record: dict[str, Any]) -> None:
        """Record a record created during apply, so later references resolve to it."""
        self.records.setdefault(target, {})[record_id] = record
        self._added.setdefault(target, {})[record_id] = key
        self.forget_keys()

    def replace(self, target: str, records: dict[int, dict[str, Any]]) -> None:
        """Swap in a fresh read of one target (after Odoo created records as a side effect)."""
        self.records[target] = records
        self._added.pop(target, None)
        self.forget_keys()

    def set_aliases(self, aliases: dict[str, dict[int, str]]) -> None:
        self.aliases = aliases
        self.forget_keys()

    def forget_keys(self) -> None:
        """Drop computed keys (they depend on other targets' records and on aliases)."""
        self._keys.clear()
        self._ids.clear()

    def owner(self, model: str, record_id: int) -> str | None:
        """odooconf's external id of a record, if it has one."""
        if self._owners is None:
            prefix = f"{self.namespace}."
            self._owners = {
                target: xmlid
                for xmlid, target in sorted(self.xmlids.items(), reverse=True)
                if xmlid.startswith(prefix)
            }
        return self._owners.get((model, record_id))

    def bind(self, xmlid: str, model: str, record_id: int, created: bool) -> None:
        """Record an external id odooconf gave a record during apply."""
        self.xmlids[xmlid] = (model, record_id)
        if created:
            self.created.add(xmlid)
        self._owners = None

    def unbind(self, xmlid: str) -> None:
        """Forget an external id removed during apply."""
        self.xmlids.pop(xmlid, None)
        self.created.discard(xmlid)
        self._owners = None

    def xmlid_record(self, xmlid: str, model: str) -> int | None:
        """Record id an external id points to, if it points to an existing record of ``model``."""
        hit = self.xmlids.get(xmlid)
        if hit is None or hit[0] != model:
            return None
        if self._targets is None:  # the first target of each model
            self._targets = {}
            for name, of in self.models.items():
                self._targets.setdefault(of, name)
        target = self._targets.get(model)
        return hit[1] if target and hit[1] in self.records.get(target, {}) else None
