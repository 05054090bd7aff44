"""Behaviours of base models: users, external ids, sequences, groups, display names."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from .. import errors
from ..orm import Env, Model, Signature, register
from ..store import Row

COMPANY_CHANGE = (
    "Changing the company of this record is forbidden at this point, "
    "you should rather archive it and create a new one."
)


def check_company_unchanged(model: Model, ids: list[int], vals: dict[str, Any]) -> None:
    """Stock models refuse to move a record to another company."""
    if "company_id" in vals and any(
        row.get("company_id") != vals["company_id"] for row in model.rows(ids)
    ):
        raise errors.user_error(COMPANY_CHANGE)


def _implied_closure(env: Env, group_ids: list[int]) -> set[int]:
    """The groups and, transitively, the groups they imply."""
    groups = env.db.store.tables.get("res.groups", {})
    seen: set[int] = set()
    todo = list(group_ids)
    while todo:
        gid = todo.pop()
        if gid in seen:
            continue
        seen.add(gid)
        todo.extend((groups.get(gid) or {}).get("implied_ids") or [])
    return seen


def groups_field(env: Env) -> str:
    """A user's groups: ``groups_id`` up to 18, ``group_ids`` from 19."""
    return "groups_id" if "groups_id" in env.db.schemas["res.users"].fields else "group_ids"


def _current_user_groups(env: Env) -> set[int]:
    """The current user's groups and the groups they imply."""
    user = env.db.store.get("res.users", env.uid) or {}
    return _implied_closure(env, list(user.get(groups_field(env)) or []))


def user_has_group(env: Env, xmlid: str) -> bool:
    """Whether the current user is in the group ``xmlid``, directly or through implied groups."""
    target = env.ref(xmlid)
    return bool(target) and target in _current_user_groups(env)


def check_read_access(model: Model) -> None:
    """Odoo's read access right (``ir.model.access``): the user needs a rule of the model that
    grants reading to everyone or to one of the user's groups, or Odoo refuses with the groups that
    may. Checked on the models whose classes derive from :class:`ReadChecked` (the ones a plain
    internal user, as the tests' read-only user is, may not read on Odoo 18)."""
    env = model.env
    if env.uid == 1:  # the superuser bypasses access rights
        return
    store = env.db.store
    ir_model = next(
        (r for r in store.table("ir.model").values() if r.get("model") == model.name), None
    )
    if ir_model is None:
        return
    rules = [
        rule
        for rule in store.table("ir.model.access").values()
        if _id_of(rule.get("model_id")) == ir_model["id"]
    ]
    if not rules:  # a profile seeded without the model's access rules
        return
    held = _current_user_groups(env)
    groups: list[str] = []
    for rule in rules:
        if not rule.get("active", True) or not rule.get("perm_read"):
            continue
        group = _id_of(rule.get("group_id"))
        if not group or group in held:
            return
        row = store.get("res.groups", group) or {}
        category = store.get("ir.module.category", _id_of(row.get("category_id")) or 0) or {}
        groups.append(f"{category['name']}/{row.get('name')}" if category else str(row["name"]))
    description = env.db.schemas[model.name].description
    allowed = "".join(f"\n\t- {name}" for name in sorted(groups))
    raise errors.OdooError(
        errors.ACCESS_ERROR,
        f"You are not allowed to access '{description}' ({model.name}) records.\n\n"
        f"This operation is allowed for the following groups:{allowed}\n\n"
        "Contact your administrator to request access if necessary.",
    )


def _id_of(value: Any) -> int:
    if isinstance(value, list | tuple):
        value = value[0] if value else 0
    return int(value or 0)


class ReadChecked(Model):
    """A model whose reads go through :func:`check_read_access`."""

    def search(
        self,
        domain: Any = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        check_read_access(self)
        return super().search(domain, offset, limit, order)

    def read(
        self, ids: list[int], fields: list[str] | None = None, load: str = "_classic_read"
    ) -> list[dict[str, Any]]:
        check_read_access(self)
        return super().read(ids, fields, load)


@register
class IrModel(ReadChecked):
    _name = "ir.model"


@register
class ResUsers(Model):
    _name = "res.users"
    public_methods: ClassVar[dict[str, Signature]] = {"context_get": Signature.of()}

    def context_get(self) -> dict[str, Any]:
        """The user context odoorpc fetches at login (a fresh database has no timezone set)."""
        return {"lang": "en_US", "tz": False, "uid": self.env.uid}

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "all_group_ids":  # 19: the groups and every group they imply
            return sorted(_implied_closure(self.env, list(row.get("group_ids") or [])))
        return super().compute(row, fname)


@register
class IrModelData(ReadChecked):
    _name = "ir.model.data"
    public_methods: ClassVar[dict[str, Signature]] = {
        "check_object_reference": Signature.of(
            "module", "xml_id", ("raise_on_access_error", False)
        ),
    }

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "complete_name":
            return f"{row.get('module')}.{row.get('name')}"
        if fname == "reference":
            return f"{row.get('model')},{row.get('res_id')}"
        return super().compute(row, fname)

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("module", "")
        vals.setdefault("noupdate", False)

    def check(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            name = row.get("name") or ""
            if " " in name:
                raise errors.sql_constraint("External IDs cannot contain spaces")
            for rid in self.store.lookup(self.name, "name", row.get("name")):
                other = self.table[rid]
                same = (other.get("module"), other.get("name")) == (row.get("module"), name)
                if other["id"] != row["id"] and same:
                    raise errors.validation(
                        f"{errors.CANNOT_COMPLETE}duplicate key value violates unique constraint "
                        '"ir_model_data_module_name_uniq_index"\n'
                        f"DETAIL:  Key (module, name)=({row.get('module')}, {name}) "
                        "already exists.\n"
                    )

    def check_object_reference(
        self, module: str, xml_id: str, raise_on_access_error: bool = False
    ) -> list[Any]:
        found = self.env.db.xmlid_lookup(f"{module}.{xml_id}")
        if found is None or self.env.db.store.get(found[0], found[1]) is None:
            raise errors.value_error(f"External ID not found in the system: {module}.{xml_id}")
        return [found[0], found[1]]


@register
class IrSequence(Model):
    _name = "ir.sequence"
    public_methods: ClassVar[dict[str, Signature]] = {
        "next_by_code": Signature.of("sequence_code", ("sequence_date", None)),
    }

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("padding", 0)

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "number_next_actual":
            return row.get("number_next", 1)
        return super().compute(row, fname)

    def next_by_code(self, sequence_code: str, sequence_date: str | None = None) -> str | bool:
        company = self.env.company_id
        ids = self.search([("code", "=", sequence_code), ("company_id", "in", [company, False])])
        if not ids:
            return False
        return self.next_value(ids[0])

    def next_value(self, rid: int) -> str:
        row = self.rows([rid])[0]
        number = int(row.get("number_next") or 1)
        now = datetime.now(timezone.utc)
        legend = {
            "year": now.strftime("%Y"),
            "month": now.strftime("%m"),
            "day": now.strftime("%d"),
        }
        prefix = (row.get("prefix") or "") % legend
        suffix = (row.get("suffix") or "") % legend
        step = int(row.get("number_increment") or 1)
        self.store.update(self.name, rid, {"number_next": number + step})
        return f"{prefix}{number:0{int(row.get('padding') or 0)}d}{suffix}"


#: Odoo 19's non-stored closures over groups (see ResGroups._transitive).
_ALL_GROUP_FIELDS = frozenset({"all_implied_ids", "all_implied_by_ids", "all_user_ids"})


@register
class ResGroups(Model):
    _name = "res.groups"

    @property
    def users_field(self) -> str:
        """A group's members: ``users`` up to 18, ``user_ids`` from 19 (MODELS.md 6.1)."""
        return "users" if "users" in self.schema.fields else "user_ids"

    def compute(self, row: Row, fname: str) -> Any:
        if fname in _ALL_GROUP_FIELDS and not self.schema.fields[fname].store:
            return self._transitive(row, fname)
        if fname == "full_name":
            # Up to 18 the group's application (ir.module.category); from 19 its privilege.
            parent = "category_id" if "category_id" in self.schema.fields else "privilege_id"
            relation = self.schema.fields[parent].relation or ""
            category = row.get(parent)
            if category:
                name = self.env.db.display_name(relation, category, self.env)
                return f"{name} / {row.get('name')}"
            return row.get("name") or False
        return super().compute(row, fname)

    def _transitive(self, row: Row, fname: str) -> list[int]:
        """Odoo 19's computed closures (res_groups.py): ``all_implied_ids`` (the group and what
        it implies), ``all_implied_by_ids`` (the groups implying it, itself included) and
        ``all_user_ids`` (the members of those)."""
        if fname == "all_implied_ids":
            return sorted(_implied_closure(self.env, [row["id"]]))
        implied_by = [gid for gid in self.table if row["id"] in _implied_closure(self.env, [gid])]
        if fname == "all_implied_by_ids":
            return sorted(implied_by)
        users = {uid for gid in implied_by for uid in self.table[gid].get(self.users_field) or []}
        return sorted(users)

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, vals)
        if "implied_ids" in vals or self.users_field in vals:
            self._propagate_users(ids)

    def link(self, gid: int, fname: str, commands: list[tuple[Any, ...]]) -> None:
        """Change a group's ``implied_ids``/``users`` the way settings do it.

        Observed on 18: the group rows keep their ``write_date`` (the reference database
        showed no res_groups row written when the 2nd warehouse implied two groups).
        """
        self._write_x2many(self.rows([gid])[0], self.schema.fields[fname], commands)
        self._propagate_users([gid])

    def _propagate_users(self, ids: list[int]) -> None:
        """Members of a group become members of the groups it implies, transitively (up to 18).
        Odoo 19 stores only the groups a user was given (``res_groups.py``: ``write`` adds no
        members; ``all_user_ids`` computes the implied ones), so there it does nothing."""
        if "all_user_ids" in self.schema.fields:
            return
        for row in self.rows(ids):
            users = list(self.value(row, self.users_field))
            todo, seen = list(row.get("implied_ids") or []), set()
            while todo:
                implied = self.row(todo.pop())
                if implied is None or implied["id"] in seen:
                    continue
                seen.add(implied["id"])
                missing = [u for u in users if u not in (implied.get(self.users_field) or [])]
                if missing:
                    users_field = self.schema.fields[self.users_field]
                    self._write_x2many(implied, users_field, [(4, u) for u in missing])
                todo.extend(implied.get("implied_ids") or [])


@register
class ProductPricelist(Model):
    _name = "product.pricelist"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        company = self.env.db.store.get("res.company", self.env.company_id) or {}
        vals.setdefault("currency_id", company.get("currency_id") or False)

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        currency = row.get("currency_id")
        name = row.get("name") or ""
        if not currency:
            return str(name)
        return f"{name} ({self.env.db.display_name('res.currency', currency, self.env)})"


@register
class AccountAccount(Model):
    _name = "account.account"

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        if self.env.db.major >= 19:
            # 19 shows the name alone (19/side_effects.json g8b: [2, "Stock Valuation"]).
            return str(row.get("name") or "")
        code = row.get("code") or row.get("code_store")
        return f"{code} {row.get('name')}" if code else str(row.get("name") or "")


@register
class ResCompany(Model):
    """Companies get their partner and the defaults of their required fields.

    Approximation: a real Odoo also creates the company's warehouse, locations, sequences and
    chart of accounts; the emulator does not.
    """

    _name = "res.company"

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "active":  # the captured company row lacks it: a company is active
            return row.get("active", True)
        return super().compute(row, fname)

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        current = self.env.db.store.get("res.company", self.env.company_id) or {}
        vals.setdefault("currency_id", current.get("currency_id") or False)
        vals.setdefault("account_opening_date", datetime.now(timezone.utc).strftime("%Y-01-01"))
        vals.setdefault("account_price_include", "tax_excluded")
        vals.setdefault("fiscalyear_last_day", 31)
        vals.setdefault("fiscalyear_last_month", "12")
        vals.setdefault("layout_background", "Blank")
        if not vals.get("partner_id"):
            partner = {"name": vals.get("name"), "is_company": True}
            vals["partner_id"] = self.env["res.partner"].create([partner])[0]
