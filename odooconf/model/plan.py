"""The plan: plain, serialisable data that views render and apply executes.

A plan is computed from the blueprints and the live instance; it holds no database ids of
records that do not exist yet and no secrets, so it can be printed, saved and reviewed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

PLAN_FORMAT_VERSION = 1


class Action(str, Enum):
    """What apply will do to one resource."""

    #: The record exists and every declared field already matches: nothing is written.
    NOOP = "noop"
    #: No record matched by external id or natural key: it is created with the declared fields.
    CREATE = "create"
    #: The record is managed (found by external id); the listed fields are written.
    UPDATE = "update"
    #: A record matched by natural key only: it gets odooconf's external id, then listed fields.
    ADOPT = "adopt"
    #: Managed by odooconf but gone from the blueprints; the environment's prune policy archives it.
    ARCHIVE = "archive"

    @property
    def symbol(self) -> str:
        return {"noop": " ", "create": "+", "update": "~", "adopt": "*", "archive": "-"}[self.value]


@dataclass(frozen=True)
class FieldChange:
    """One field's transition. ``old`` is None for a create."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """One resource's planned action.

    ``fields`` lists, for CREATE, every declared field (old is None); for UPDATE and ADOPT, only the
    fields whose live value differs; for NOOP and ARCHIVE, nothing (ARCHIVE writes ``active``).
    """

    action: Action
    kind: str
    key: str
    model: str
    xmlid: str
    #: Database id of the live record; None when it will be created.
    record_id: int | None
    fields: tuple[FieldChange, ...] = ()
    #: Apply order: a resource comes after everything it references (level 0 first).
    level: int = 0
    #: ``file:line`` where the resource is declared (empty for ARCHIVE).
    source: str = ""
    #: What a reviewer should know about this change beyond its fields.
    note: str = ""
    #: Every declared field's desired value, in key space: apply compares it again with the
    #: instance as it is then (Odoo may have changed records since the plan, as side effects).
    after: dict[str, Any] = field(default_factory=dict)
    #: For ADOPT: odooconf's external id the record had, renamed to ``xmlid`` (its key changed
    #: with a parent's, e.g. the locations of a warehouse whose code changed).
    previous_xmlid: str = ""

    @property
    def address(self) -> str:
        return f"{self.kind} {self.key}"

    def values(self) -> dict[str, Any]:
        """Desired values of the changed fields, in key space."""
        return {change.field: change.new for change in self.fields}


@dataclass(frozen=True)
class Plan:
    """Everything apply needs, in order, plus what a reviewer needs to trust it."""

    environment: str
    url: str
    database: str
    server_version: str
    changes: tuple[Change, ...]
    #: Things a reviewer should know that are not changes (records left alone, and why).
    notes: tuple[str, ...] = ()
    #: Odoo user the plan was read (and apply writes) as.
    login: str = ""
    #: Company whose company-dependent values are read and written ("" = the user's current).
    company: str = ""
    #: What happens to managed records that left the blueprints (never | archive).
    prune: str = "never"
    #: Version of odooconf that made the plan.
    tool_version: str = ""
    format_version: int = PLAN_FORMAT_VERSION

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.action is not Action.NOOP)

    @property
    def has_changes(self) -> bool:
        return bool(self.pending)

    def counts(self) -> dict[str, int]:
        counts = {action.value: 0 for action in Action}
        for change in self.changes:
            counts[change.action.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for change in data["changes"]:
            change["action"] = change["action"].value
        return data


@dataclass
class ApplyResult:
    """What an apply did: the changes completed, the one that failed, and those not attempted."""

    environment: str
    applied: list[Change] = field(default_factory=list)
    failed: list[Change] = field(default_factory=list)
    not_attempted: list[Change] = field(default_factory=list)
    error: str = ""
    rpc_calls: int = 0
