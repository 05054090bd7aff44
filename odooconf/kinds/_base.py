"""The contract every resource kind implements, and the defaults most kinds reuse.

A kind maps one blueprint section (``warehouses:``) to one Odoo model. It declares:

* ``spec`` — the pydantic model of one blueprint item (unknown keys rejected);
* ``attrs`` — how each blueprint attribute maps to an Odoo field, and which attributes are
  references to other resources (by their natural key, never a database id);
* ``key`` / ``live_key`` — the natural key of a blueprint item and of a live record;
* optionally ``expand`` (child resources declared inline), ``generated`` (records Odoo creates as a
  side effect, which other resources may reference before they exist) and ``side_effects``.

Everything else (reading, diffing, writing) is generic and lives in the engine.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState, PlanContext, Query
from odooconf.model.plan import Change, PlanWarning
from odooconf.model.resource import DesiredResource, Ref, XmlidRef

#: Given a target name and a live record id, return that record's natural key (or None).
Keyer = Callable[[str, int], "str | None"]
#: Given a target name and a natural key, return the live record id (raises if unknown).
IdOf = Callable[[str, str], int]

_XMLID = r"^[A-Za-z0-9_]+\.[A-Za-z0-9_.\-]+$"


#: Odoo's Integer fields are PostgreSQL ``int4``.
INT4 = 2**31
#: Odoo computes amounts and quantities in double precision: beyond this a value is no longer
#: exact to the cent, and a price, a quantity or a margin that large means nothing to it.
MAX_NUMBER = 1e13
#: A rate beyond this many percent (a tax, a markup: ten times the price) means nothing to
#: Odoo's prices and taxes.
MAX_PERCENT = 1000.0


def storable(value: Any) -> Any:
    """Refuse at validate time what Odoo's database refuses, or cannot mean, at apply time:
    in the value and in every value nested in it (lists, mappings, nested items)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("contains a NUL character, which Odoo's database cannot store")
    if isinstance(value, int) and not isinstance(value, bool) and not -INT4 <= value < INT4:
        raise ValueError(f"{value} is beyond what Odoo stores in an integer (±{INT4 - 1:,})")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if isinstance(value, float) and abs(value) > MAX_NUMBER:
        raise ValueError(f"{value:g} is beyond what Odoo computes with (±{MAX_NUMBER:g})")
    if isinstance(value, list | tuple):
        for item in value:
            storable(item)
    named: Iterable[tuple[Any, Any]] = value.items() if isinstance(value, dict) else ()
    if isinstance(value, BaseModel):  # a nested item (a formula, a tax line)
        named = ((name, getattr(value, name)) for name in type(value).model_fields)
    for name, item in named:
        try:
            storable(item)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return value


def percent(value: float) -> float:
    """``value``, a rate in percent, when Odoo's rates can mean it."""
    if abs(storable(value)) > MAX_PERCENT:
        raise ValueError(f"{value:g} % is beyond the ±{MAX_PERCENT:g} % Odoo's rates can mean")
    return value


def _off(value: float) -> float:
    if storable(value) > 100:
        raise ValueError(f"{value:g} % off is more than the whole price (over 100 %)")
    return percent(value)


#: A share of a price taken off it, in percent: negative for a markup.
PercentOff = Annotated[float, AfterValidator(_off)]


def calendar(value: Any) -> Any:
    """A date or time as written: pydantic would read a number as a Unix timestamp
    (``20261201`` is 1970-08-23), and Odoo stores UTC times without an offset (an offset would
    be dropped, moving the time)."""
    written = value if isinstance(value, str) else str(value)
    number = isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9.]+\s*", value)
    if number or (isinstance(value, int | float) and not isinstance(value, bool)):
        raise ValueError(
            f"{written!r}: a number is not a date; write 2026-12-01 (a time: 2026-12-01 08:00:00)"
        )
    moment = value
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value  # pydantic says what is wrong with it
    if isinstance(moment, dt.datetime) and moment.utcoffset() is not None:
        utc = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        raise ValueError(
            f"{written!r} has a time zone offset, which Odoo does not store (it keeps UTC times "
            f"without one): write the time in UTC, {utc:%Y-%m-%d %H:%M:%S}"
        )
    return value


#: A calendar day, ``2026-12-01``.
Day = Annotated[dt.date, BeforeValidator(calendar)]
#: A day, or a day and a time in UTC (``2026-12-01 08:00:00``), as Odoo stores a Datetime.
Moment = Annotated[dt.date | dt.datetime, BeforeValidator(calendar)]


class Spec(BaseModel):
    """Base of every blueprint item: unknown keys are errors, values are immutable, and so are
    values Odoo cannot store (an infinite number, a NUL character, a 64-bit integer)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)

    #: Stable name of odooconf's external id for this record; lets a key (e.g. a code) change
    #: without odooconf treating it as a new record. Defaults to ``<kind>_<key>``.
    id: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,100}$")
    #: ``absent``: the record this item names is removed (archived, or deleted where the model
    #: has no ``active``), not declared (``engine.absent``).
    state: Literal["present", "absent"] = "present"


class XmlidSpec(BaseModel):
    """A reference written as an external id: ``{xmlid: module.name}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    xmlid: str = Field(pattern=_XMLID)


def _ref_branch(value: Any) -> str:
    return "ref:xmlid" if isinstance(value, dict | XmlidSpec) else "ref:key"


#: Type of a reference attribute in a spec: a natural key or ``{xmlid: ...}``. The discriminator
#: keeps errors to the branch the user meant (no "should be a valid string" noise for a mapping).
RefSpec = Annotated[
    Annotated[str, Tag("ref:key")] | Annotated[XmlidSpec, Tag("ref:xmlid")],
    Discriminator(_ref_branch),
]


@dataclass(frozen=True)
class Inline:
    """A child resource declared inside an item (a warehouse's location, a route's rule)."""

    kind: str
    spec: Spec
    #: Where inside the item it is written, e.g. ``("locations", 0)``.
    at: tuple[str | int, ...]
    #: Its key without its parent's (``Stock/Bulk`` inside warehouse DC1).
    local_key: str


@dataclass(frozen=True)
class Attr:
    """One blueprint attribute and the Odoo field it is stored in."""

    name: str
    odoo: str
    #: For references: the name of the target kind or lookup (``location``, ``company``).
    target: str | None = None
    #: Many2many reference (a list of keys; order does not matter).
    many: bool = False
    #: The field's name on the versions that renamed it (``res.users.groups_id`` is
    #: ``group_ids`` from Odoo 19): the engine uses whichever the instance has.
    also: str | None = None

    def field_in(self, fields: Mapping[str, Any]) -> str:
        """The name this attribute's field has among ``fields`` (``fields_get``, or a record)."""
        if self.also is not None and self.odoo not in fields and self.also in fields:
            return self.also
        return self.odoo


def as_ref(value: Any) -> Ref:
    """Convert a validated spec reference into the pipeline's reference type."""
    return XmlidRef(value.xmlid) if isinstance(value, XmlidSpec) else str(value)


#: A reference that is part of a natural key: a key only (an external id would make the key
#: unknowable before the instance is read).
def _not_an_xmlid(value: Any) -> Any:
    if isinstance(value, dict):
        raise ValueError("is part of the natural key: write the key itself, not an external id")
    return value


KeyRef = Annotated[str, BeforeValidator(_not_an_xmlid), Field(min_length=1)]


def linked_key(record: Mapping[str, Any], field: str, target: str, keyer: Keyer) -> str | None:
    """Natural key of the record a live record's many2one ``field`` points to."""
    value = record.get(field)
    return keyer(target, value[0]) if value else None


def slug(text: str) -> str:
    """Lower-case identifier made of ``[a-z0-9_]`` (for external id names); accented letters
    keep their base letter (``Kühlraum`` → ``kuhlraum``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "x"


class Target:
    """Something a reference can point to: a model and how to compute a record's natural key."""

    name: str
    model: str
    #: Odoo module that provides the model (named in errors when the instance lacks it).
    module: str
    #: Odoo fields ``live_key`` (and ``Kind.aliases``) need; the first is the default key.
    key_fields: tuple[str, ...]
    #: Why a key may be missing from an instance (usually a module), shown when it is.
    hints: Mapping[str, str] = {}

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        """Natural key of a live record as returned by ``search_read``."""
        value = record.get(self.key_fields[0])
        return str(value) if value not in (None, False, "") else None


class Lookup(Target):
    """A model odooconf only references (companies, products), keyed by one field. Only the
    records the blueprints name and those live records point to are read."""

    def __init__(
        self,
        name: str,
        model: str,
        module: str,
        key_field: str,
        hints: Mapping[str, str] | None = None,
    ) -> None:
        self.name, self.model, self.module = name, model, module
        self.key_fields = (key_field,)
        self.hints = hints or {}


@dataclass
class Review:
    """What a kind finds when it looks at a whole plan: errors that stop it, warnings that a
    reviewer must read (``Kind.review``)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)


@dataclass
class Prepared:
    """What a kind's plan-time hook (``Kind.prepare``) makes of the declared resources: the
    resources to plan instead, errors that stop the plan, and what the plan shows with it."""

    resources: list[DesiredResource]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)


#: When a kind's ``prepare`` runs: before the kinds' records are read (it makes or renames
#: resources, which decides what is read), or after (it completes them from the live records).
Phase = Literal["before_read", "after_read"]

#: What each kind must state itself (see ``Kind``): whether it archives, deletes, takes from
#: users, and whether its declared container lists exactly its records.
SAFETY = ("can_archive", "can_delete", "revokes", "owned_by_container")


class Kind(Target):
    """A resource kind: a blueprint section managed on one Odoo model."""

    section: ClassVar[str]
    spec: ClassVar[type[Spec]]
    attrs: ClassVar[tuple[Attr, ...]]
    #: Spec attribute shown in breadcrumbs to name an item (``warehouses[0] (DC1)``).
    identity: ClassVar[str]
    #: Names of kinds whose records Odoo creates or rewrites when this kind is created or written.
    side_effects: ClassVar[tuple[str, ...]] = ()
    # Safety declarations. Every kind states each of them itself (``Kind`` gives no default,
    # and a concrete kind missing one is refused when its class is made): a new kind inherits
    # nothing destructive silently. README's table "What odooconf may take away" is made from
    # them (``odooconf.kinds.safety``).
    #: Whether a record odooconf created and the blueprints no longer declare is archived
    #: (``prune: archive`` or ``delete``), or, for a child listed by its container
    #: (``owned_by_container``), archived when it leaves that list; and whether an item with
    #: ``state: absent`` archives the record it names.
    can_archive: ClassVar[bool]
    #: Whether odooconf may delete a record of this model, which has no ``active``: a child
    #: (``owned_by_container``) that leaves its declared container's written list, one odooconf
    #: created that left the blueprints with ``prune: delete``, one a ``state: absent`` item names.
    can_delete: ClassVar[bool]
    #: What applying takes away from users besides the records' own fields, and when (``""``:
    #: nothing), as the README's table says it.
    revokes: ClassVar[str]
    #: Whether a declared container that writes its list of these records (``lists``) has
    #: exactly those: a record odooconf manages (created or adopted) in it that leaves that list
    #: is removed, archived or deleted, whatever ``prune`` says. An omitted list is not managed.
    owned_by_container: ClassVar[bool]
    #: Lists of children this kind's items may write: child kind → the item's attributes that
    #: write it (``{"pricelist_item": ("items",)}``). Written (even ``[]``), the list is exactly
    #: these children.
    lists: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    #: The container attribute (``container``) whose record is written to create, change and
    #: delete these records, with one2many commands (a tax's repartition lines, which Odoo
    #: checks only as a whole, through the tax); None: written on their own model.
    through: ClassVar[str | None] = None
    #: Attributes within which the natural key is unique (a warehouse code per company): when
    #: declared, only live records with the same values are adoption candidates.
    scope: ClassVar[tuple[str, ...]] = ()
    #: Attribute referencing the record this one belongs to (a rule's route): when Odoo generates
    #: the container, it may generate this record with it.
    container: ClassVar[str | None] = None
    #: References to the record this one belongs to in Odoo's eyes: archiving that record
    #: archives this one too (a location's parent, a rule's route or warehouse).
    archived_with: ClassVar[tuple[str, ...]] = ()
    #: Reference whose record's company a new record takes when the blueprint names none (Odoo
    #: would give it the current company, and refuse it inside another company's warehouse).
    company_from: ClassVar[str | None] = None
    #: Groups of attributes written together when one of them changes: Odoo recomputes the
    #: others from it (a reordering rule's min from its max), undoing what it was not given.
    write_together: ClassVar[tuple[tuple[str, ...], ...]] = ()
    #: What Odoo does besides the write when an attribute of an existing record changes: shown
    #: in the plan, as a one-line edit can rebuild dozens of records or revalue stock.
    impacts: ClassVar[dict[str, str]] = {}
    #: Attributes whose Odoo defaults a new record gets, read for ``problems``.
    defaults_for: ClassVar[tuple[str, ...]] = ()
    #: Attributes a blueprint may omit when it manages an existing record (one Odoo generated)
    #: but must give when odooconf has to create the record.
    create_requires: ClassVar[tuple[str, ...]] = ()
    #: Rights odooconf needs on the model (``doctor`` checks them; ``unlink`` is added for the
    #: kinds that ``can_delete``). A kind without ``create`` never creates a record.
    rights: ClassVar[tuple[str, ...]] = ("read", "create", "write")
    #: Why the model may be missing besides its module not being installed (a version that
    #: dropped it), said instead of naming the module.
    absent: ClassVar[str] = ""
    #: ``odooconf export``: the attribute a spec field (dotted when nested) is read from when
    #: the field is not named like one (a pricelist item's ``start`` is ``date_start``) ...
    exported_from: ClassVar[Mapping[str, str]] = {}
    #: ... and, per spec field, the instance's values the blueprint writes otherwise
    #: (``list_price`` is ``sales_price``).
    exported_values: ClassVar[Mapping[str, Mapping[Any, Any]]] = {}

    #: When ``prepare`` runs (None: the kind has no plan-time hook).
    prepares: ClassVar[Phase | None] = None
    #: Whether the resources are planned as records of ``model`` (False: only checked, as a
    #: segregation-of-duties policy).
    planned: ClassVar[bool] = True

    def needs(
        self, resources: Sequence[DesiredResource], live: LiveState, context: PlanContext
    ) -> Iterable[Query]:
        """What ``prepare`` reads besides the kinds' records, given what was read so far: the
        read stage asks again until nothing new is needed. The default needs nothing."""
        return ()

    def prepare(
        self, resources: list[DesiredResource], live: LiveState, context: PlanContext
    ) -> Prepared:
        """Plan time: the declared resources as this kind needs them planned (an approval
        matrix mapped onto its backend, a vendor named), from ``live`` alone: everything read
        was declared in ``needs``. Runs when ``prepares`` says; the default changes nothing."""
        return Prepared(resources)

    def read_anyway(self, context: PlanContext) -> bool:
        """Whether the plan reads this kind's records though the blueprints declare none."""
        return False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A concrete kind (one naming itself) must declare every safety attribute."""
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            missing = [attr for attr in SAFETY if not hasattr(cls, attr)]
            if missing:
                raise TypeError(f"kind {cls.__name__} must declare {', '.join(missing)}")

    def written_lists(self, spec: Spec) -> frozenset[str]:
        """The child kinds whose list this item writes (``lists``), each exactly these."""
        return frozenset(
            child for child, attrs in self.lists.items() if set(attrs) & spec.model_fields_set
        )

    def sentence(self, change: Change) -> str:
        """The change as one sentence its readers use (a pricelist item's price), or ""."""
        return ""

    def review(self, resources: Sequence[Any], changes: Sequence[Change], live: Any) -> Review:
        """Errors and warnings about the plan as a whole (``resources``: every declared
        resource, ``live``: the ``LiveState``); the default finds nothing."""
        return Review()

    def key(self, spec: Spec) -> str:
        """Natural key of a blueprint item."""
        return str(getattr(spec, self.identity))

    def values(self, spec: Spec) -> dict[str, Any]:
        """The attributes the item declares, in key space (references as keys or XmlidRef).

        A dotted attribute (``selectable.products``) is a field of a nested mapping; only the
        nested fields written in the blueprint are declared.
        """
        values: dict[str, Any] = {}
        for attr in self.attrs:
            owner: BaseModel | None = spec
            head, _, name = attr.name.rpartition(".")
            if head:
                owner = getattr(spec, head) if head in spec.model_fields_set else None
            if owner is None or name not in owner.model_fields_set:
                continue
            raw = getattr(owner, name)
            if attr.target is None or raw is None:
                values[attr.name] = raw
            elif attr.many:
                values[attr.name] = [as_ref(item) for item in raw]
            else:
                values[attr.name] = as_ref(raw)
        return values

    def problems(self, values: Mapping[str, Any], fields: Mapping[str, Any]) -> list[str]:
        """What Odoo would refuse in a record with these values (declared over live ones), on an
        instance whose model has these fields (``fields_get``: refusals differ by version)."""
        return []

    def create_defaults(self, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Key-space values Odoo requires on create that the blueprint may leave out."""
        return {}

    def annotate(self, rows: Mapping[int, dict[str, Any]]) -> None:
        """Add to freshly read records what their keys need from the others (a tax line's place
        among its tax's lines); by default nothing."""

    def one2many(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """For a kind written ``through`` its container: the container's one2many field that
        holds a record with these key-space values, and the values to write through it."""
        raise NotImplementedError(f"{self.name} is written on its own model")

    def expand(self, spec: Spec) -> Iterable[Inline]:
        """Child resources declared inside this item."""
        return ()

    def generated(
        self, key: str, values: Mapping[str, Any], fields: Mapping[str, Any] | None = None
    ) -> dict[str, list[str]]:
        """Keys of records Odoo creates together with this one, per target name. ``fields`` is
        the instance's ``fields_get`` of the kind's model, which tells what this Odoo version
        generates; None before the instance is read (then: what any version generates)."""
        return {}

    def aliases(self, record: Mapping[str, Any], keyer: Keyer) -> Iterable[tuple[str, str, int]]:
        """Stable keys this live record gives to records Odoo generated for it, as
        ``(target, alias key, record id)``."""
        return ()

    def attr(self, name: str) -> Attr:
        return next(attr for attr in self.attrs if attr.name == name)

    def from_odoo(
        self, record: Mapping[str, Any], keyer: Keyer, types: Mapping[str, str]
    ) -> dict[str, Any]:
        """A live record's attributes in key space (the same shape as ``values``)."""
        out: dict[str, Any] = {}
        for attr in self.attrs:
            odoo = attr.field_in(record)
            if odoo not in record:
                continue
            raw = record[odoo]
            if attr.target is None:
                out[attr.name] = _scalar(raw, types.get(odoo, ""))
            elif attr.many:
                out[attr.name] = sorted(str(keyer(attr.target, rid) or f"#{rid}") for rid in raw)
            elif raw:
                rid = raw[0] if isinstance(raw, list) else int(raw)
                out[attr.name] = keyer(attr.target, rid) or f"#{rid}"
            else:
                out[attr.name] = None
        return out

    def to_odoo(self, values: Mapping[str, Any], id_of: IdOf) -> dict[str, Any]:
        """Odoo ``create``/``write`` values for key-space ``values`` (references resolved)."""
        vals: dict[str, Any] = {}
        for name, value in values.items():
            attr = self.attr(name)
            if attr.target is None:
                vals[attr.odoo] = value
            elif attr.many:
                vals[attr.odoo] = [(6, 0, sorted(id_of(attr.target, key) for key in value))]
            else:
                vals[attr.odoo] = id_of(attr.target, value) if value is not None else False
        return vals


def _scalar(value: Any, odoo_type: str) -> Any:
    """Odoo returns False for an empty non-boolean field; the blueprint side says None."""
    if value is False and odoo_type != "boolean":
        return None
    if isinstance(value, float):
        return round(value, 6)
    return value


# --- optional capabilities: a kind that has one inherits its class, and the engine asks
# ``isinstance`` (``tests/unit/test_safety.py`` checks that every kind declares what it defines).


class ComparesPart(ABC):
    """A kind that manages part of a field (a user's declared roles among all its groups)."""

    @abstractmethod
    def compared(self, current: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
        """The live values the declared ones are compared with (``current``: every attribute
        of the live record, key space): only the part the kind manages."""


class SwitchesSettings(ABC):
    """A kind whose changes make Odoo switch a setting on by itself."""

    @abstractmethod
    def switches(self, change: Change) -> tuple[str, ...]:
        """External ids of the groups Odoo makes every internal user imply (``base.group_user``)
        when this change is applied, as a setting it switches on by itself (a second warehouse
        turns on multi-warehouse); only Administration/Settings may do that."""


#: The capabilities a kind may declare, by the method each brings.
CAPABILITIES: Mapping[str, type] = {"compared": ComparesPart, "switches": SwitchesSettings}


def compared(kind: Kind, current: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
    """The live values ``desired`` is compared with: the same attributes, or the part of them
    a kind that ``ComparesPart`` manages."""
    if isinstance(kind, ComparesPart):
        return kind.compared(current, desired)
    return {name: current.get(name) for name in desired}


def switches(kind: Kind, change: Change) -> tuple[str, ...]:
    """The settings groups ``change`` switches on (none unless the kind ``SwitchesSettings``)."""
    return kind.switches(change) if isinstance(kind, SwitchesSettings) else ()


class CheckedKind(Kind):
    """A kind that is checked, never read or written (no model): a policy such as
    segregation of duties or a house rule. It takes nothing away, and says so here once."""

    can_archive = False
    can_delete = False
    revokes = ""
    owned_by_container = False
    model = ""
    module = "base"
    identity = "name"
    key_fields = ()
    attrs = ()
    planned = False

    def values(self, spec: Spec) -> dict[str, Any]:
        return {"spec": spec}
