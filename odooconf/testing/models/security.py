"""Security behaviours: users' groups, implied groups, user types, record rules.

From ``odoo-reference/18/side_effects_finance_security.md`` part B and Odoo's source
(``odoo/addons/base/models/res_users.py`` and ``ir_rule.py``, 18.0 and 19.0):

* up to 18 a user's ``groups_id`` carries the groups its groups imply: every write of
  ``groups_id`` adds them (``UsersImplied``), and nothing ever removes them (B1). Odoo 19 keeps
  only the explicit groups in ``group_ids`` and computes the rest (``all_group_ids``);
* a user has at most one user type (internal, portal, public), implied groups included (B2,
  ``_check_one_user_type``); a group that would give a member a second one is refused (B1p);
* a group name starting with "-" is refused on write (B4i);
* ``ir.rule``: at least one right (B3o), never on ``ir.rule`` itself (B3p), ``global`` when it
  has no groups, and its domain checked on create and write while the rule is active (B3h-B3q):
  syntax, that it is a list, the names it may use (``user``, ``time``, ``company_ids``,
  ``company_id``; not ``uid``) and its fields.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import errors
from ..orm import Model, register
from .base import ResGroups, ResUsers, _implied_closure, groups_field

USER_TYPES = ("base.group_user", "base.group_portal", "base.group_public")
ONE_TYPE = "The user cannot have more than one user types."


def _materialized(model: Model) -> bool:
    """Whether users' groups carry their implied groups (up to 18) or not (19)."""
    return "all_group_ids" not in model.env.db.schemas["res.users"].fields


def _check_user_types(model: Model, user_ids: list[int]) -> None:
    types = {model.env.ref(xmlid) for xmlid in USER_TYPES} - {0}
    field = groups_field(model.env)
    for uid in user_ids:
        user = model.env.db.store.get("res.users", uid) or {}
        if len(_implied_closure(model.env, list(user.get(field) or [])) & types) > 1:
            raise errors.validation(ONE_TYPE)


@register
class SecuredUsers(ResUsers):
    _name = "res.users"

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = super().create(vals_list)
        self._implied(ids)
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, vals)
        if groups_field(self.env) in vals:
            self._implied(ids)

    def _implied(self, ids: list[int]) -> None:
        field = groups_field(self.env)
        if _materialized(self):
            for row in self.rows(ids):
                held = list(row.get(field) or [])
                missing = sorted(_implied_closure(self.env, held) - set(held))
                if missing:
                    self._write_x2many(row, self.schema.fields[field], [(4, g) for g in missing])
        _check_user_types(self, ids)


@register
class SecuredGroups(ResGroups):
    _name = "res.groups"

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        """A group created with members and implied groups gives them those groups (B1n)."""
        ids = super().create(vals_list)
        self._propagate_users(ids)
        members = {uid for row in self.rows(ids) for uid in row.get(self.users_field) or []}
        _check_user_types(self, sorted(members))
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        if str(vals.get("name") or "").startswith("-"):
            raise errors.user_error('The name of the group can not start with "-"')
        super().write(ids, vals)
        if "implied_ids" in vals or self.users_field in vals:
            members = {uid for row in self.rows(ids) for uid in row.get(self.users_field) or []}
            _check_user_types(self, sorted(members))


#: What a rule's domain may name (``ir.rule._eval_context``), as the emulator evaluates it.
class _Record:
    def __init__(self, rid: int) -> None:
        self.id = rid


@register
class IrRule(Model):
    _name = "ir.rule"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            vals.setdefault(perm, True)
        vals.setdefault("active", True)

    def check(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            model = self.env.db.store.get("ir.model", int(row.get("model_id") or 0)) or {}
            if model.get("model") == "ir.rule":
                raise errors.validation("Rules can not be applied on the Record Rules model.")
            perms = ("perm_read", "perm_write", "perm_create", "perm_unlink")
            if not any(row.get(perm) for perm in perms):
                raise errors.validation(
                    f"{errors.CANNOT_COMPLETE}Rule must have at least one checked access right!"
                )
            self.store.update(self.name, row["id"], {"global": not row.get("groups")})
            if row.get("active", True) and row.get("domain_force"):
                self._check_domain(str(row["domain_force"]), str(model.get("model") or ""))

    def _check_domain(self, text: str, model: str) -> None:
        try:
            tree = ast.parse(text.strip(), mode="eval").body
        except SyntaxError as exc:
            raise errors.validation(f"Invalid domain: {exc.msg} (, line {exc.lineno})") from None
        context = {
            "user": _Record(self.env.uid),
            "company_id": self.env.company_id,
            "company_ids": [self.env.company_id],
            "time": None,
        }
        value = self._evaluate(tree, context, text)
        if not isinstance(value, list | tuple):
            raise errors.validation(
                f"Invalid domain: '{type(value).__name__}' object is not iterable"
            )
        for leaf in value:
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and isinstance(leaf[0], str):
                self._check_path(model, leaf[0], tuple(leaf))

    def _evaluate(self, node: ast.AST, context: dict[str, Any], text: str) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List | ast.Tuple):
            items = [self._evaluate(item, context, text) for item in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Name):
            if node.id not in context:
                raise errors.validation(
                    f"Invalid domain: NameError(\"name '{node.id}' is not defined\") while "
                    f'evaluating\n"{text}"'
                )
            return context[node.id]
        if isinstance(node, ast.Attribute):
            return getattr(self._evaluate(node.value, context, text), node.attr, False)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self._evaluate(node.operand, context, text)
        return None  # calls and computations: not evaluated by the emulator

    def _check_path(self, model: str, path: str, leaf: tuple[Any, ...]) -> None:
        current = model
        for name in path.split("."):
            schema = self.env.db.schemas.get(current)
            if schema is None:
                return  # a model the emulator does not hold: nothing to check against
            fld = schema.fields.get(name)
            if fld is None:
                raise errors.validation(
                    f"Invalid domain: Invalid field {current}.{name} in leaf {leaf!r}"
                )
            current = fld.relation or ""
