"""Record rules (section ``record_rules``): ``ir.rule``.

A rule is keyed by its model and name (``stock.picking | Own pickings only``). Its domain is
written as Odoo stores it, Python-literal text evaluated with ``user``, ``time``,
``company_ids`` and ``company_id`` (``[('user_id', '=', user.id)]``). A broken domain on an
active rule locks every user it applies to out of the model, and Odoo checks the domain only
while the rule is active (18/side_effects_finance_security.md B3: an archived rule with a
broken domain is saved, and fails when activated): so odooconf checks the domain at validate
time (``odooconf.kinds.domain``: exactly a domain, no code; ``uid`` is not available in a rule,
``user.id`` is) and its field paths against the models' ``fields_get`` at plan time, before
anything is sent.

A rule created without roles is global (it restricts every user). As for every kind, a field
the blueprint does not write is not managed: adopting a rule Odoo or a module ships by its name,
model and permissions keeps its domain and groups (Odoo's defaults are those of a new rule: every
permission, no domain, no group). A change of a rule's domain or roles widens or narrows what its
users see: the plan lists it among the escalations (``odooconf/policies/access.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator, model_validator

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Spec
from odooconf.kinds.domain import domain_paths

#: Blueprint right → Odoo field.
PERMS = {
    "read": "perm_read",
    "write": "perm_write",
    "create": "perm_create",
    "delete": "perm_unlink",
}


class RecordRuleSpec(Spec):
    name: str = Field(min_length=1)
    #: The model by technical name (``stock.picking``).
    model: str = Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+$")
    #: Python-literal text, as Odoo stores it; no domain: every record.
    domain: str | None = None
    #: The roles it applies to; none: every user (a global rule).
    roles: list[RefSpec] = Field(default_factory=list)
    read: bool = True
    write: bool = True
    create: bool = True
    delete: bool = True
    active: bool = True

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        if value is not None:
            domain_paths(value)
        return value

    @model_validator(mode="after")
    def _some_right(self) -> RecordRuleSpec:
        if not any(getattr(self, perm) for perm in PERMS):
            raise ValueError(
                "a rule applies to at least one of read, write, create, delete (Odoo refuses "
                "a rule with none)"
            )
        if self.model == "ir.rule":
            raise ValueError("Odoo applies no rule on the record rules model (ir.rule)")
        return self


def rule_key(model: str, name: str) -> str:
    return f"{model} | {name}"


class RecordRule(Kind):
    name = "record_rule"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "record_rules"
    model = "ir.rule"
    module = "base"
    spec = RecordRuleSpec
    identity = "name"
    key_fields = ("name", "model_id")
    attrs = (
        Attr("name", "name"),
        Attr("model", "model_id", target="ir_model"),
        Attr("domain", "domain_force"),
        Attr("roles", "groups", target="role", many=True),
        *(Attr(perm, field) for perm, field in PERMS.items()),
        Attr("active", "active"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, RecordRuleSpec)
        return rule_key(spec.model, spec.name)

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        name, model = record.get("name"), record.get("model_id")
        technical = keyer("ir_model", model[0]) if model else None
        return rule_key(technical, str(name)) if name and technical else None
