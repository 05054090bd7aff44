"""The generic ORM of the emulator: environments, models and the model registry.

:class:`Model` implements what every Odoo model does over RPC (search, read, create, write,
unlink, fields_get...). Models with Odoo-specific behaviour subclass it in
``odooconf.testing.models`` and are registered with :func:`register`; their ``create``,
``write`` and ``unlink`` overrides are the per-model hooks, and they call ``super()`` like
Odoo's own model classes do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from . import domain as domains
from . import errors
from .schema import COMPANY_DEFAULT, Field, ModelSchema

if TYPE_CHECKING:
    from .database import Database
    from .store import Row, Store

#: Fields maintained by the ORM itself; values given by clients are ignored.
LOG_ACCESS = frozenset({"create_uid", "create_date", "write_uid", "write_date"})
_IGNORED_ON_WRITE = LOG_ACCESS | {"id", "display_name", "__last_update"}

_MODEL_CLASSES: dict[str, type[Model]] = {}
#: Whether a field of a model class can be searched with an index (see Model._indexable), per
#: Odoo version presented (a field stored in one version is computed in another: 17's account
#: code, 18's ``code_store``).
_INDEXABLE: dict[tuple[type[Model], str, str, str], bool] = {}
M = TypeVar("M", bound="type[Model]")


def register(cls: M) -> M:
    """Class decorator: use ``cls`` for the model named by its ``_name``."""
    _MODEL_CLASSES[cls._name] = cls
    return cls


#: Marks a parameter without default in a :class:`Signature`.
REQUIRED: Any = object()


@dataclass(frozen=True)
class Signature:
    """Parameters of a public model method; ``records`` methods take the ids first."""

    params: tuple[tuple[str, Any], ...]
    records: bool = False

    @classmethod
    def of(cls, *params: str | tuple[str, Any], records: bool = False) -> Signature:
        return cls(
            tuple(p if isinstance(p, tuple) else (p, REQUIRED) for p in params), records=records
        )


class Env:
    """A user, a context and the database: what an Odoo ``self.env`` gives a model method."""

    def __init__(self, db: Database, uid: int, context: Mapping[str, Any] | None = None) -> None:
        self.db = db
        self.uid = uid
        self.context: dict[str, Any] = dict(context or {})

    def __getitem__(self, model: str) -> Model:
        schema = self.db.schemas.get(model)
        if schema is None:
            raise errors.user_error(f"Object {model} doesn't exist")
        return _MODEL_CLASSES.get(model, Model)(self, schema)

    def __contains__(self, model: object) -> bool:
        return model in self.db.schemas

    def model(self, name: str | None) -> Model | None:
        """The model ``name`` when it is emulated, else None."""
        return self[name] if name and name in self.db.schemas else None

    def with_context(self, **updates: Any) -> Env:
        return Env(self.db, self.uid, {**self.context, **updates})

    @property
    def company_id(self) -> int:
        """The current company: first of ``allowed_company_ids``, else the user's company."""
        allowed = self.context.get("allowed_company_ids")
        if isinstance(allowed, list) and allowed and isinstance(allowed[0], int):
            return allowed[0]
        user = self.db.store.get("res.users", self.uid)
        company = user.get("company_id") if user else False
        return int(company) if company else 1

    @property
    def now(self) -> str:
        return self.db.now

    def ref(self, xmlid: str) -> int:
        """Database id of an external id, 0 when it does not exist."""
        found = self.db.xmlid_lookup(xmlid)
        return int(found[1]) if found else 0


def _cmp(a: Any, b: Any) -> int:
    """Compare two column values like PostgreSQL's ORDER BY ... ASC (NULLs last)."""
    a_null, b_null = a is False or a is None, b is False or b is None
    if a_null or b_null:
        return (a_null > b_null) - (a_null < b_null)
    if isinstance(a, str) and isinstance(b, str):
        a, b = a.lower(), b.lower()
    try:
        return int((a > b) - (a < b))
    except TypeError:
        return 0


class Model:
    """Generic behaviour shared by every emulated model."""

    _name: ClassVar[str] = ""
    #: Methods callable over RPC besides the generic ORM ones, with their signatures.
    public_methods: ClassVar[dict[str, Signature]] = {}

    def __init__(self, env: Env, schema: ModelSchema) -> None:
        self.env = env
        self.schema = schema
        self.name = schema.name

    # ------------------------------------------------------------------ access helpers
    @property
    def store(self) -> Store:
        return self.env.db.store

    @property
    def table(self) -> dict[int, Row]:
        tables: dict[str, dict[int, Row]] = self.env.db.store.tables
        return tables.setdefault(self.name, {})

    def row(self, rid: int) -> Row | None:
        return self.table.get(rid)

    def all_rows(self) -> Iterable[Row]:
        """Every row of the table, counted in :attr:`Store.rows_scanned`."""
        table = self.table
        self.store.rows_scanned += len(table)
        return table.values()

    def referencing(self, fname: str, value: Any) -> list[int]:
        """Ids of the rows whose stored ``fname`` equals ``value`` (an index lookup, not a
        scan), in id order."""
        return sorted(self.store.lookup(self.name, fname, value))

    def rows(self, ids: Iterable[int]) -> list[Row]:
        """Rows of ``ids``; MissingError like Odoo when one is gone."""
        result, gone = [], []
        for rid in ids:
            row = self.table.get(rid)
            if row is None:
                gone.append(rid)
            else:
                result.append(row)
        if gone:
            raise errors.missing(self.name, gone, self.env.uid)
        return result

    def with_context(self, **updates: Any) -> Model:
        return self.env.with_context(**updates)[self.name]

    @property
    def active_test(self) -> bool:
        return self.env.context.get("active_test", True) is not False

    def delegated(self, fname: str) -> bool:
        """Whether ``fname`` is stored on the ``_inherits`` parent rather than here."""
        fld = self.schema.field(fname)
        if self.schema.inherits is None or fld is None or fld.store:
            return False
        parent = self.env.db.schemas[self.schema.inherits[0]].field(fname)
        return parent is not None and parent.store

    def value(self, row: Row, fname: str) -> Any:
        """Value of ``fname`` for ``row`` in cache format (ids for relational fields)."""
        if fname == "id":
            return row["id"]
        fld = self.schema.fields[fname]
        computed = self.compute(row, fname)
        if computed is not NOT_COMPUTED:
            return computed
        if self.delegated(fname) and self.schema.inherits:
            parent_model, link = self.schema.inherits
            parent = self.env[parent_model]
            parent_row = parent.row(row.get(link) or 0)
            return parent.value(parent_row, fname) if parent_row else fld.empty
        if fld.company_dependent:
            return self._company_value(row, fld)
        comodel = self.env.model(fld.relation)
        if fld.type == "one2many" and fld.inverse and comodel is not None:
            return comodel.visible(comodel.referencing(fld.inverse, row["id"]))
        if fld.type in ("one2many", "many2many"):
            ids = [i for i in row.get(fname) or [] if isinstance(i, int)]
            return comodel.visible(ids) if comodel is not None else ids
        return row.get(fname, fld.empty)

    def _company_value(self, row: Row, fld: Field) -> Any:
        company = str(self.env.company_id)
        stored = row.get(fld.name)
        if isinstance(stored, dict) and company in stored:
            return stored[company]
        defaults = self.env.db.property_defaults.get((self.name, fld.name), {})
        if company in defaults:
            return defaults[company]
        # Relational properties (accounts...) are per company; others share the field default.
        if fld.type == "many2one" or not defaults:
            return fld.empty
        return next(iter(defaults.values()))

    def visible(self, ids: list[int]) -> list[int]:
        """Existing ids among ``ids``, without archived ones under active_test, in model order."""
        rows = [self.table[i] for i in dict.fromkeys(ids) if i in self.table]
        if self.active_test and "active" in self.schema.fields:
            rows = [r for r in rows if self.value(r, "active")]
        return [r["id"] for r in self.sort(rows)]

    # ------------------------------------------------------------------ hooks
    def compute(self, row: Row, fname: str) -> Any:
        """Value of a computed field, or ``NOT_COMPUTED`` to use the stored one."""
        if fname == "display_name":
            return self.display_name(row["id"])
        return NOT_COMPUTED

    def display_name(self, rid: int) -> str:
        row = self.row(rid)
        rec_name = self.schema.rec_name
        if row is None or rec_name is None:
            return f"{self.name},{rid}"
        value = self.value(row, rec_name)
        return value if isinstance(value, str) else f"{self.name},{rid}"

    def default_values(self, vals: dict[str, Any]) -> None:
        """Fill ``vals`` in place with the defaults of the fields it lacks."""
        for fname, value in self.schema.defaults.items():
            vals.setdefault(fname, value)
        if "active" in self.schema.fields:
            vals.setdefault("active", True)
        company = self.schema.field("company_id")
        if (
            company is not None
            and company.store
            and (company.required or self.name in COMPANY_DEFAULT)
        ):
            vals.setdefault("company_id", self.env.company_id)

    def check(self, ids: list[int]) -> None:
        """Python constraints (``@api.constrains``); raise an OdooError to refuse."""

    # ------------------------------------------------------------------ search
    def search(
        self,
        domain: Any = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        term = self._search_term(domain)
        candidates = self._candidates(term)
        if candidates is None:
            rows: Iterable[Row] = self.all_rows()
        else:
            rows = [self.table[rid] for rid in candidates if rid in self.table]
        found = [row for row in rows if domains.matches(self, term, row)]
        ordered = self.sort(found, order)
        start = int(offset or 0)
        end = start + int(limit) if limit else None
        return [row["id"] for row in ordered[start:end]]

    def _search_term(self, domain: Any) -> domains.Term | None:
        """``domain`` parsed and checked, with the active test of the context."""
        term = domains.parse(domain)
        domains.validate(self, term)
        if (
            self.active_test
            and "active" in self.schema.fields
            and not any(leaf.path == "active" for leaf in domains.leaves(term))
        ):
            active = domains.Leaf("active", "=", True)
            term = active if term is None else domains.Node("&", (active, term))
        return term

    def matching(self, domain: Any, ids: Iterable[int]) -> Iterator[int]:
        """Those of ``ids`` that exist and that ``search(domain)`` would find, lazily."""
        term = self._search_term(domain)
        for rid in ids:
            row = self.table.get(rid)
            if row is not None and domains.matches(self, term, row):
                yield rid

    def _candidates(self, term: domains.Term | None) -> Collection[int] | None:
        """A superset of the ids matching ``term``, found with indexes (equality leaves: the
        fewest ids of an ``&``, the union of an ``|``); None when that takes a scan."""
        if term is None:
            return None
        if isinstance(term, domains.Leaf):
            return self._leaf_candidates(term)
        if term.operator == "&":
            best: Collection[int] | None = None
            for child in term.children:
                ids = self._candidates(child)
                if ids is not None and (best is None or len(ids) < len(best)):
                    best = ids
            return best
        if term.operator == "|":
            union: set[int] = set()
            for child in term.children:
                ids = self._candidates(child)
                if ids is None:
                    return None
                union.update(ids)
            return union
        return None

    def _leaf_candidates(self, leaf: domains.Leaf) -> Collection[int] | None:
        if leaf.operator not in ("=", "in"):
            return None
        values = list(leaf.value) if isinstance(leaf.value, (list, tuple)) else [leaf.value]
        if leaf.operator == "=" and isinstance(leaf.value, (list, tuple)):
            return None
        if leaf.path != "id" and not self._indexable(leaf.path):
            return None
        # Only values a row can equal through its stored value (no null, no name search);
        # "in" an empty list matches no row (on these fields, unlike on x2many ones).
        if not all(
            isinstance(v, (int, float, str)) and not isinstance(v, bool) and v for v in values
        ):
            return None
        if leaf.path == "id":
            return set(values) if all(isinstance(v, int) for v in values) else None
        fld = self.schema.fields[leaf.path]
        if fld.type == "many2one" and not all(isinstance(v, int) for v in values):
            return None
        if len(values) == 1:
            return self.store.lookup(self.name, leaf.path, values[0])
        found: set[int] = set()
        for value in values:
            found.update(self.store.lookup(self.name, leaf.path, value))
        return found

    def _indexable(self, fname: str) -> bool:
        """Whether ``fname``'s value is its stored column, so that an index on it finds every
        row a leaf on it matches."""
        key = (type(self), self.name, fname, self.env.db.version)
        known = _INDEXABLE.get(key)
        if known is None:
            fld = self.schema.field(fname)
            known = (
                fld is not None
                and fld.store
                and not fld.company_dependent
                and fld.type in ("many2one", "char", "selection", "integer", "float", "text")
                and not self.delegated(fname)
                and not self._overrides_compute(fname)
            )
            _INDEXABLE[key] = known
        return known

    def _overrides_compute(self, fname: str) -> bool:
        if type(self).compute is Model.compute:
            return fname == "display_name"
        try:
            return self.compute({"id": 0}, fname) is not NOT_COMPUTED
        except Exception:
            return True

    def sort(self, rows: list[Row], order: str | None = None) -> list[Row]:
        spec = domains.parse_order(order or self.schema.order)
        if not any(name == "id" for name, _ in spec):
            spec.append(("id", False))
        for fname, _desc in spec:
            if fname != "id" and fname not in self.schema.fields:
                raise errors.value_error(f"Invalid field {fname!r} on model {self.name!r}")
        keys: list[tuple[Callable[[Row], Any], bool]] = [(self._sort_key(f), d) for f, d in spec]

        def compare(a: Row, b: Row) -> int:
            for key, desc in keys:
                result = _cmp(key(a), key(b))
                if result:
                    return -result if desc else result
            return 0

        return sorted(rows, key=cmp_to_key(compare))

    def _sort_key(self, fname: str) -> Callable[[Row], Any]:
        fld = self.schema.field(fname)
        comodel = self.env.model(fld.relation) if fld is not None else None
        if fld is not None and fld.type == "many2one" and comodel is not None:

            def by_name(row: Row) -> Any:
                target = self.value(row, fname)
                return comodel.display_name(target) if target else False

            return by_name
        return lambda row: self.value(row, fname)

    def search_count(self, domain: Any = None, limit: int | None = None) -> int:
        return len(self.search(domain, limit=limit))

    # ------------------------------------------------------------------ read
    def read(
        self, ids: list[int], fields: list[str] | None = None, load: str = "_classic_read"
    ) -> list[dict[str, Any]]:
        names = self._read_fields(fields)
        result = []
        for row in self.rows(dict.fromkeys(ids)):
            record: dict[str, Any] = {"id": row["id"]}
            for fname in names:
                record[fname] = self._to_read(row, fname, load)
            result.append(record)
        return result

    def _read_fields(self, fields: list[str] | None) -> list[str]:
        if not fields:
            return [f for f in self.schema.fields if f != "id"]
        for fname in fields:
            # Every Odoo model has ``id``, even when a captured fields_get left it out.
            if fname not in self.schema.fields and fname != "id":
                raise errors.invalid_field(self.name, fname, self.env.db.major)
        return [f for f in dict.fromkeys(fields) if f != "id"]

    def _to_read(self, row: Row, fname: str, load: str) -> Any:
        value = self.value(row, fname)
        fld = self.schema.fields[fname]
        if fld.type == "many2one" and value and load != "_classic_write":
            return [value, self.env.db.display_name(fld.relation or "", value, self.env)]
        if isinstance(value, list):
            return list(value)
        return value

    def search_read(
        self,
        domain: Any = None,
        fields: list[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        load: str = "_classic_read",
    ) -> list[dict[str, Any]]:
        return self.read(self.search(domain, offset, limit, order), fields, load)

    # ------------------------------------------------------------------ create
    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        return [self._create_one(dict(vals)) for vals in vals_list]

    def _create_one(self, vals: dict[str, Any]) -> int:
        self._check_names(vals)
        self._check_values(vals)
        self.default_values(vals)
        if self.schema.inherits and not vals.get(self.schema.inherits[1]):
            parent_model, link = self.schema.inherits
            parent_vals = {f: vals.pop(f) for f in list(vals) if self.delegated(f)}
            parent = self.env.with_context(create_product_product=False)[parent_model]
            vals[link] = parent.create([parent_vals])[0]
        else:
            vals = {f: v for f, v in vals.items() if not self.delegated(f)}
        # PostgreSQL draws the id before checking the row: failed inserts still consume ids.
        rid = self.store.new_id(self.name)
        self._check_required(vals)
        row: Row = {
            "id": rid,
            "create_uid": self.env.uid,
            "create_date": self.env.now,
            "write_uid": self.env.uid,
            "write_date": self.env.now,
        }
        later: dict[str, Any] = {}
        for fname, value in vals.items():
            fld = self.schema.fields[fname]
            if fname in _IGNORED_ON_WRITE or not (fld.store or fld.company_dependent):
                continue
            if fld.type in ("one2many", "many2many"):
                later[fname] = value
            elif fld.company_dependent:
                row[fname] = {str(self.env.company_id): self.convert(fld, value)}
            else:
                row[fname] = self.convert(fld, value)
        self.store.insert(self.name, row)
        for fname, value in later.items():
            self._write_x2many(row, self.schema.fields[fname], value)
        self._validate([rid], set(vals))
        return int(rid)

    def _check_names(self, vals: Mapping[str, Any]) -> None:
        for fname in vals:
            if fname not in self.schema.fields:
                raise errors.invalid_field(self.name, fname, self.env.db.major)

    def _check_values(self, vals: Mapping[str, Any]) -> None:
        """Refuse ill-typed values before any side effect, as Odoo's record cache does."""
        for fname, value in vals.items():
            fld = self.schema.fields[fname]
            if fld.type not in ("one2many", "many2many"):
                self.convert(fld, value)

    def _check_required(self, vals: Mapping[str, Any]) -> None:
        missing = [
            fld
            for fld in self.schema.fields.values()
            if fld.required
            and fld.store
            and not fld.company_dependent
            and fld.type not in ("one2many", "many2many", "boolean", "integer", "float", "monetary")
            and fld.name not in LOG_ACCESS
            and (vals.get(fld.name) is None or vals.get(fld.name) is False)
        ]
        if missing:
            # PostgreSQL reports one NOT NULL violation; translated columns come last in
            # Odoo 18's tables (observed: picking type {} reports sequence_code, not name).
            first = min(missing, key=lambda f: (f.translate, f.name))
            raise errors.not_null(
                self.name, self.schema.description, first.name, first.string, self.env.db.major
            )

    def convert(self, fld: Field, value: Any) -> Any:
        """A client value for ``fld`` in cache format (raises Odoo's ValueError when invalid)."""
        if value is None:
            value = False
        kind = fld.type
        if kind == "many2one":
            if isinstance(value, (list, tuple)):
                value = value[0] if value else False
            if value is False or value == 0:
                return False
            if isinstance(value, bool) or not isinstance(value, int):
                raise errors.value_error(f"Wrong value for {self.name}.{fld.name}: {value!r}")
            return value
        if kind == "selection":
            if value is False:
                return False
            if fld.selection is not None and value not in fld.selection:
                raise errors.wrong_selection(self.name, fld.name, value)
            return value
        if kind in ("char", "text", "html"):
            if value is False:
                return False
            text = str(value)
            return text[: fld.size] if fld.size else text
        if kind == "boolean":
            return bool(value)
        try:
            if kind == "integer":
                return int(value or 0)
            if kind in ("float", "monetary"):
                number = float(value or 0.0)
                return _round_half_up(number, fld.digits[1]) if fld.digits else number
        except (TypeError, ValueError) as exc:
            raise errors.value_error(f"Wrong value for {self.name}.{fld.name}: {value!r}") from exc
        return value

    # ------------------------------------------------------------------ write
    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        if not ids:
            return
        self._check_names(vals)
        rows = self.rows(dict.fromkeys(ids))
        vals = dict(vals)
        if self.schema.inherits:
            parent_vals = {f: vals.pop(f) for f in list(vals) if self.delegated(f)}
            if parent_vals:
                parent_model, link = self.schema.inherits
                parent_ids = [r[link] for r in rows if r.get(link)]
                self.env[parent_model].write(parent_ids, parent_vals)
        changes: dict[str, Any] = {"write_uid": self.env.uid, "write_date": self.env.now}
        x2many: dict[str, Any] = {}
        company: dict[str, Any] = {}
        for fname, value in vals.items():
            fld = self.schema.fields[fname]
            if fname in _IGNORED_ON_WRITE or not (fld.store or fld.company_dependent):
                continue
            if fld.type in ("one2many", "many2many"):
                x2many[fname] = value
            elif fld.company_dependent:
                company[fname] = self.convert(fld, value)
            else:
                changes[fname] = self.convert(fld, value)
                if fld.required and changes[fname] is False and fld.type != "boolean":
                    raise errors.not_null(
                        self.name, self.schema.description, fname, fld.string, self.env.db.major
                    )
        key = str(self.env.company_id)
        for row in rows:
            row_changes = dict(changes)
            for fname, value in company.items():
                stored = row.get(fname)
                row_changes[fname] = {**(stored if isinstance(stored, dict) else {}), key: value}
            self.store.update(self.name, row["id"], row_changes)
            for fname, value in x2many.items():
                self._write_x2many(row, self.schema.fields[fname], value)
        self._validate([r["id"] for r in rows], set(vals))

    def _write_x2many(self, row: Row, fld: Field, commands: Any) -> None:
        comodel = self.env.model(fld.relation)
        inverse = fld.inverse if fld.type == "one2many" and comodel is not None else None
        if inverse and comodel is not None:
            current = comodel.referencing(inverse, row["id"])
        else:
            current = list(row.get(fld.name) or [])
        result = list(current)
        for command in _commands(commands, self.name, fld.name):
            code = command[0]
            if code == 0 and comodel is not None:
                vals = dict(command[2] or {})
                if inverse:
                    vals[inverse] = row["id"]
                result.append(comodel.create([vals])[0])
            elif code == 1 and comodel is not None:
                comodel.write([command[1]], dict(command[2] or {}))
            elif code == 2:
                result = [i for i in result if i != command[1]]
                if comodel is not None and comodel.row(command[1]) is not None:
                    comodel.unlink([command[1]])
            elif code == 3:
                result = [i for i in result if i != command[1]]
            elif code == 4 and command[1] not in result:
                result.append(command[1])
            elif code == 5:
                result = []
            elif code == 6:
                result = list(dict.fromkeys(command[2] or []))
        if inverse and comodel is not None:
            self._relink_one2many(row["id"], comodel, inverse, set(current), result)
            return
        self.store.update(self.name, row["id"], {fld.name: result})
        mirror = self.schema.mirrors.get(fld.name)
        if mirror is not None and mirror[0] in self.env:
            self._sync_mirror(row["id"], set(current), set(result), mirror)

    @staticmethod
    def _relink_one2many(
        rid: int, comodel: Model, inverse: str, current: set[int], result: list[int]
    ) -> None:
        cascade = comodel.schema.fields[inverse].ondelete == "cascade"
        for other in current - set(result):
            if comodel.row(other) is None:
                continue
            if cascade:
                comodel.unlink([other])
            else:
                comodel.write([other], {inverse: False})
        for other in result:
            target = comodel.row(other)
            if target is not None and target.get(inverse) != rid:
                comodel.write([other], {inverse: rid})

    def _sync_mirror(self, rid: int, old: set[int], new: set[int], mirror: tuple[str, str]) -> None:
        model, fname = mirror
        for other in old ^ new:
            target = self.store.get(model, other)
            if target is None:
                continue
            ids = [i for i in target.get(fname) or [] if i != rid]
            if other in new:
                ids.append(rid)
            self.store.update(model, other, {fname: ids})

    def _validate(self, ids: list[int], written: set[str]) -> None:
        """SQL-level checks (foreign keys, unique constraints) then Python constraints."""
        for row in self.rows(ids):
            self._check_foreign_keys(row, written)
            self._check_unique(row)
        self._check_company(ids, written)
        self.check(ids)

    def _check_company(self, ids: list[int], written: set[str]) -> None:
        """Odoo's automatic company check (``_check_company_auto``): every record a
        ``check_company`` field links to belongs to the record's company or to no company (a
        record without company may only link to records without company). All such fields are
        checked when ``company_id`` is written, else only the written ones; at most five
        inconsistencies are listed."""
        names = self.schema.check_company
        if "company_id" not in written:
            names = tuple(name for name in names if name in written)
        if not names:
            return
        lines: list[str] = []
        for row in self.rows(ids):
            company = row.get("company_id") or False
            allowed = {False, company}
            for fname in names:
                fld = self.schema.fields[fname]
                comodel = self.env.model(fld.relation)
                if comodel is None or "company_id" not in comodel.schema.fields:
                    continue
                value = row.get(fname)
                targets = list(value or []) if fld.type == "many2many" else [value] if value else []
                linked = [comodel.row(t) for t in targets]
                rows = [r for r in linked if r is not None]
                if all((comodel.value(r, "company_id") or False) in allowed for r in rows):
                    continue
                company_name = (
                    self.env.db.display_name("res.company", company, self.env) if company else ""
                )
                values = ", ".join(repr(comodel.display_name(r["id"])) for r in rows)
                lines.append(
                    f"- \u201c{self.display_name(row['id'])}\u201d belongs to company "
                    f"\u201c{company_name}\u201d while \u201c{fld.string}\u201d "
                    f"({fname}: {values}) belongs to another company."
                )
        if lines:
            raise errors.user_error(
                "\n".join(
                    [
                        "Uh-oh! You\u2019ve got some company inconsistencies here:",
                        *lines[:5],
                        "To avoid a mess, no company crossover is allowed!",
                    ]
                )
            )

    def _check_foreign_keys(self, row: Row, written: set[str]) -> None:
        for fname in written:
            fld = self.schema.fields[fname]
            if fld.type != "many2one" or fld.company_dependent or not fld.store:
                continue
            target = row.get(fname)
            comodel = self.env.model(fld.relation)
            if target and comodel is not None and comodel.row(target) is None:
                raise errors.foreign_key(
                    self.name, self.schema.description, fname, fld.string, self.env.db.major
                )

    def _check_unique(self, row: Row) -> None:
        for columns, message in self.schema.unique:
            values = [row.get(c) for c in columns]
            if any(v is None or v is False for v in values):
                continue
            for rid in self.store.lookup(self.name, columns[0], values[0]):
                other = self.table[rid]
                if rid != row["id"] and [other.get(c) for c in columns] == values:
                    raise errors.sql_constraint(message)

    # ------------------------------------------------------------------ unlink
    def unlink(self, ids: list[int]) -> None:
        if not ids:
            return
        self.rows(dict.fromkeys(ids))
        doomed: dict[str, set[int]] = {self.name: set(ids)}
        nulls: list[tuple[str, int, str]] = []
        todo = [(self.name, set(ids))]
        while todo:
            model, targets = todo.pop(0)
            for schema in sorted(self.env.db.schemas.values(), key=lambda s: s.name):
                for fld in schema.fields.values():
                    if fld.type != "many2one" or fld.relation != model or not fld.store:
                        continue
                    referencing = {
                        rid
                        for target in targets
                        for rid in self.store.lookup(schema.name, fld.name, target)
                    }
                    for rid in sorted(referencing):
                        if rid in doomed.get(schema.name, ()):
                            continue
                        if fld.ondelete == "cascade":
                            doomed.setdefault(schema.name, set()).add(rid)
                            todo.append((schema.name, {rid}))
                        elif fld.ondelete == "restrict":
                            raise errors.foreign_key(
                                schema.name,
                                schema.description,
                                fld.name,
                                fld.string,
                                self.env.db.major,
                            )
                        else:
                            nulls.append((schema.name, rid, fld.name))
        for model, rid, fname in nulls:
            if rid not in doomed.get(model, ()) and self.store.get(model, rid) is not None:
                self.store.update(model, rid, {fname: False})
        for model, rids in doomed.items():
            for rid in rids:
                self.store.delete(model, rid)
            self._forget_many2many(model, rids)

    def _forget_many2many(self, model: str, rids: set[int]) -> None:
        for schema in self.env.db.schemas.values():
            for fld in schema.fields.values():
                if fld.type != "many2many" or fld.relation != model or not fld.store:
                    continue
                table = self.store.tables.get(schema.name, {})
                self.store.rows_scanned += len(table)
                for rid, row in table.items():
                    ids = row.get(fld.name) or []
                    if any(i in rids for i in ids):
                        kept = [i for i in ids if i not in rids]
                        self.store.update(schema.name, rid, {fld.name: kept})

    # ------------------------------------------------------------------ misc ORM methods
    def default_get(self, fields_list: list[str]) -> dict[str, Any]:
        vals: dict[str, Any] = {}
        self.default_values(vals)
        # A company-dependent field defaults to the company's fallback value (Odoo keeps it in
        # ir.default in 18, in the default ir.property before): a category's stock accounts.
        company = str(self.env.company_id)
        for fname in fields_list:
            defaults = self.env.db.property_defaults.get((self.name, fname), {})
            if fname not in vals and defaults.get(company) not in (None, False):
                vals[fname] = defaults[company]
        return {f: v for f, v in vals.items() if f in fields_list}

    def fields_get(
        self, allfields: list[str] | None = None, attributes: list[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        names = allfields or list(self.schema.fields)
        result = {}
        for fname in names:
            fld = self.schema.field(fname)
            if fld is None:
                continue
            desc = fld.description
            if attributes:
                desc = {k: v for k, v in desc.items() if k in attributes}
            result[fname] = dict(desc)
        return result

    def name_search(
        self,
        name: str = "",
        args: Any = None,
        operator: str = "ilike",
        limit: int | None = 100,
    ) -> list[list[Any]]:
        ids = self.search(args)
        if name:
            ids = [i for i in ids if domains.compare_text(self.display_name(i), name, operator)]
        if limit:
            ids = ids[:limit]
        return [[i, self.display_name(i)] for i in ids]

    def action_archive(self, ids: list[int]) -> bool:
        self.write(ids, {"active": False})
        return True

    def action_unarchive(self, ids: list[int]) -> bool:
        self.write(ids, {"active": True})
        return True

    def toggle_active(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            self.write([row["id"]], {"active": not row.get("active")})


def _round_half_up(value: float, scale: int) -> float:
    """``value`` rounded to ``scale`` decimals, halves away from zero (as Odoo's float_round)."""
    exponent = Decimal(1).scaleb(-scale)
    return float(Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP))


class _NotComputed:
    """Marker returned by :meth:`Model.compute` for fields that are simply stored."""


NOT_COMPUTED: Any = _NotComputed()


def _commands(value: Any, model: str, fname: str) -> list[tuple[Any, ...]]:
    """Normalize an x2many value (commands or a plain id list) into command tuples."""
    if value is False or value is None:
        return [(5,)]
    if not isinstance(value, (list, tuple)):
        raise errors.value_error(f"Wrong value for {model}.{fname}: {value!r}")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return [(6, 0, list(value))]
    result: list[tuple[Any, ...]] = []
    for command in value:
        if isinstance(command, int) and not isinstance(command, bool):
            result.append((4, command))
            continue
        if not isinstance(command, (list, tuple)) or not command or command[0] not in range(7):
            raise errors.value_error(f"Wrong value for {model}.{fname}: {value!r}")
        padded = [*list(command), None, None][:3]
        result.append(tuple(padded))
    return result
