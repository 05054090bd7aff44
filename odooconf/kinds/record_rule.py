"""Record rules (section ``record_rules``): ``ir.rule``.

A rule is keyed by its model and name (``stock.picking | Own pickings only``). Its domain is
written as Odoo stores it, Python-literal text evaluated with ``user``, ``time``,
``company_ids`` and ``company_id`` (``[('user_id', '=', user.id)]``). A broken domain on an
active rule locks every user it applies to out of the model, and Odoo checks the domain only
while the rule is active (18/side_effects_finance_security.md B3: an archived rule with a
broken domain is saved, and fails when activated): so odooconf checks the syntax and the names
at validate time (``uid`` is not available in a rule, ``user.id`` is) and the field names
against the model's ``fields_get`` at plan time (``domain_fields``), before anything is sent.

A rule without roles is global (it restricts every user); ``roles: []`` says so explicitly and
a rule's roles are always managed, so a global rule never silently becomes a group rule.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator, model_validator

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Spec

#: What a rule's domain may name (Odoo's ``ir.rule._eval_context``).
DOMAIN_NAMES = frozenset({"user", "time", "company_ids", "company_id"})
OPERATORS = frozenset(
    {
        "=", "!=", "<>", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like",
        "ilike", "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any",
    }
)  # fmt: skip
#: Blueprint right → Odoo field.
PERMS = {
    "read": "perm_read",
    "write": "perm_write",
    "create": "perm_create",
    "delete": "perm_unlink",
}


def domain_paths(text: str) -> list[str]:
    """The field paths a domain's leaves name (``partner_id.country_id``), in order; raises
    ``ValueError`` saying what Odoo would refuse (syntax, structure, names)."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ValueError(
            f"the domain is not valid Python: {exc.msg} (column {exc.offset})"
        ) from None
    if not isinstance(tree, ast.List | ast.Tuple):
        raise ValueError("a domain is a list of conditions, such as [('user_id', '=', user.id)]")
    paths: list[str] = []
    operands = 0  # conditions not yet taken by an operator, reading right to left
    for element in reversed(tree.elts):
        node: ast.AST = element
        if isinstance(node, ast.Constant) and node.value in ("&", "|", "!"):
            needed = 1 if node.value == "!" else 2
            if operands < needed:
                raise ValueError(f"operator {node.value!r} lacks its {needed} condition(s)")
            operands -= needed - 1
            continue
        paths.insert(0, _leaf(node))
        operands += 1
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Name) and sub.id not in DOMAIN_NAMES:
            hint = " (use user.id)" if sub.id == "uid" else ""
            raise ValueError(
                f"the domain uses {sub.id!r}, which a record rule cannot see{hint}; it may use "
                f"{', '.join(sorted(DOMAIN_NAMES))}"
            )
        if isinstance(sub, ast.Call | ast.Lambda | ast.ListComp | ast.GeneratorExp):
            if isinstance(sub, ast.Call) and _is_time_call(sub):
                continue
            raise ValueError("the domain may not call or compute: write plain values")
    return [path for path in paths if path]


def _is_time_call(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name | ast.Attribute)


def _leaf(node: ast.AST) -> str:
    """The field path of one condition (``""`` for Odoo's constant leaves ``(1, '=', 1)``)."""
    if not isinstance(node, ast.List | ast.Tuple) or len(node.elts) != 3:
        raise ValueError(f"{ast.unparse(node)} is not a condition (field, operator, value)")
    field, operator, _value = node.elts
    if isinstance(field, ast.Constant) and field.value in (0, 1):
        return ""
    if not isinstance(field, ast.Constant) or not isinstance(field.value, str) or not field.value:
        raise ValueError(f"{ast.unparse(node)}: a condition starts with a field name")
    if not isinstance(operator, ast.Constant) or operator.value not in OPERATORS:
        raise ValueError(f"{ast.unparse(node)}: unknown operator {ast.unparse(operator)}")
    return str(field.value)


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

    def values(self, spec: Spec) -> dict[str, Any]:
        """Every field that decides what the rule does is managed, declared or defaulted."""
        assert isinstance(spec, RecordRuleSpec)
        values = super().values(spec)
        values.update({perm: getattr(spec, perm) for perm in PERMS})
        values.update(roles=values.get("roles", []), active=spec.active, domain=spec.domain)
        return values

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        name, model = record.get("name"), record.get("model_id")
        technical = keyer("ir_model", model[0]) if model else None
        return rule_key(technical, str(name)) if name and technical else None
