"""OCA tier validation (``base_tier_validation`` + ``purchase_tier_validation`` 18.0), installed
on demand: ``Emulator(..., modules=("base_tier_validation", "purchase_tier_validation"))``.

Fields, defaults and records come from ``seed/tier`` (captured in ``odoo-reference/18-tier``),
behaviour from its ``side_effects.md``: a definition is saved without a reviewer, on any model
and with any domain text (a list is stored as its Python text); ``model`` follows
``model_id``; and reading ``need_validation`` of a purchase order evaluates every active
definition's domain, so one malformed domain makes every purchase order fail to load
(``builtins.SyntaxError``, or ``builtins.KeyError`` for an unknown field).
"""

from __future__ import annotations

import ast
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .. import errors
from ..orm import Model, register
from ..schema import ModelSchema, _make_field
from ..store import Row

if TYPE_CHECKING:
    from ..database import Database

#: Modules this file can install, each with the models it brings.
MODULES = {
    "base_tier_validation": ("tier.definition", "tier.review"),
    "purchase_tier_validation": ("purchase.order",),
}


@cache
def _seed(name: str) -> dict[str, Any]:
    folder = resources.files("odooconf.testing").joinpath("seed").joinpath("tier")
    node = folder
    for part in name.split("/"):
        node = node.joinpath(part)
    data: dict[str, Any] = json.loads(node.read_text(encoding="utf-8"))
    return data


def install(db: Database, module: str) -> None:
    """Install one tier-validation module into an 18.0 database (schemas, ``ir.model`` and
    ``ir.module.module`` rows); a module it depends on must be installed first."""
    if module not in MODULES:
        raise ValueError(f"the emulator cannot install {module!r}: it knows {sorted(MODULES)}")
    if db.major != 18:
        raise ValueError("tier validation is emulated on Odoo 18.0 only (odoo-reference/18-tier)")
    if module == "purchase_tier_validation" and "tier.definition" not in db.schemas:
        raise ValueError("purchase_tier_validation needs base_tier_validation (install it first)")
    info = _seed("module.json")
    # A store saved with the module installed (``Emulator.dump``) has its rows already.
    loaded = bool(db.store.lookup("ir.module.module", "name", module))
    with db.transaction():
        for model in MODULES[module]:
            captured = _seed(f"fields/{model}.json")
            fields = dict(captured["fields"])
            if model == "purchase.order":
                fields = {**info["purchase.order.base"], **fields}
            defaults = {
                name: value
                for name, value in captured.get("default_get", {}).items()
                if name != "company_id"  # the current company, given by the ORM
            }
            db.schemas[model] = ModelSchema(
                name=model,
                description=info["models"].get(model, model),
                fields={name: _make_field(model, name, desc) for name, desc in fields.items()},
                rec_name="name",
                defaults=defaults,
            )
            if not loaded and not db.store.lookup("ir.model", "model", model):
                description = info["models"].get(model, model)
                row = {"id": db.store.new_id("ir.model"), "model": model, "name": description}
                db.store.insert("ir.model", {**row, "transient": False})
        if loaded:
            return
        for model, group, perms in info.get("access", {}).get(module, []):
            _grant(db, model, group, perms)
        for row in info["modules"]:
            if row["name"] == module:
                db.store.insert(
                    "ir.module.module", {"id": db.store.new_id("ir.module.module"), **row}
                )


def _grant(db: Database, model: str, group: str, perms: str) -> None:
    """An ``ir.model.access`` row: ``perms`` among ``rwcu`` (read, write, create, unlink)."""
    model_ids = sorted(db.store.lookup("ir.model", "model", model))
    group_ref = db.xmlid_lookup(group)
    db.store.insert(
        "ir.model.access",
        {
            "id": db.store.new_id("ir.model.access"),
            "name": f"access_{model.replace('.', '_')}_{group.split('.')[1]}",
            "model_id": model_ids[0],
            "group_id": group_ref[1] if group_ref else False,
            "perm_read": "r" in perms,
            "perm_write": "w" in perms,
            "perm_create": "c" in perms,
            "perm_unlink": "u" in perms,
            "active": True,
        },
    )


@register
class TierDefinition(Model):
    _name = "tier.definition"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("company_id", self.env.company_id)

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = super().create([self._stored(vals) for vals in vals_list])
        self._sync_model(ids)
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, self._stored(vals))
        if "model_id" in vals:
            self._sync_model(ids)

    @staticmethod
    def _stored(vals: dict[str, Any]) -> dict[str, Any]:
        """``definition_domain`` is a char: a list sent over RPC is stored as its Python text."""
        domain = vals.get("definition_domain")
        if isinstance(domain, list | tuple):
            return {**vals, "definition_domain": str(domain)}
        return vals

    def _sync_model(self, ids: list[int]) -> None:
        """``model`` is related to ``model_id.model`` (stored)."""
        for row in self.rows(ids):
            target = self.store.get("ir.model", row.get("model_id") or 0)
            self.store.update(self.name, row["id"], {"model": (target or {}).get("model") or False})


@register
class PurchaseOrderTier(Model):
    """``purchase.order`` as far as tier validation reads it."""

    _name = "purchase.order"

    def default_values(self, vals: dict[str, Any]) -> None:
        """The purchase module's defaults (the buyer is the current user)."""
        super().default_values(vals)
        for fname, value in (
            ("date_order", self.env.now),
            ("user_id", self.env.uid),
            ("priority", "0"),
            ("state", "draft"),
            ("invoice_status", "no"),
        ):
            vals.setdefault(fname, value)

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "need_validation":
            return self._need_validation(row)
        return super().compute(row, fname)

    def _need_validation(self, row: Row) -> bool:
        definitions = self.env["tier.definition"]
        needed = False
        for definition in definitions.rows(definitions.search([("model", "=", self.name)])):
            domain = evaluated_domain(str(definition.get("definition_domain") or "[]"), self)
            if domain and self.search([("id", "=", row["id"]), *domain]):
                needed = True
        return needed and row.get("state") in ("draft", "sent", "to approve")


def evaluated_domain(text: str, model: Model) -> list[Any]:
    """A definition's domain as Odoo's ``safe_eval`` reads it, with Odoo's errors: bad syntax is
    a ``builtins.SyntaxError``, a field the model lacks a ``builtins.KeyError``."""
    try:
        domain = ast.literal_eval(text)
    except SyntaxError as exc:
        raise errors.OdooError("builtins.SyntaxError", str(exc.msg)) from None
    except ValueError as exc:
        raise errors.OdooError(errors.VALUE_ERROR, str(exc)) from None
    leaves = domain if isinstance(domain, list) else []
    for leaf in leaves:
        if isinstance(leaf, list | tuple) and leaf:
            head = str(leaf[0]).split(".", 1)[0]
            if head not in model.schema.fields:
                raise errors.OdooError(errors.KEY_ERROR, head)
    return [tuple(leaf) if isinstance(leaf, list) else leaf for leaf in leaves]
