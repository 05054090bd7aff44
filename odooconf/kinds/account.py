"""Accounts (``account.account``), keyed by their code in the company odooconf works in.

Odoo's chart of accounts creates most accounts when the ``account`` module is installed (with
external ids such as ``account.1_stock_valuation``): a declared code the instance already has is
that account, adopted and adjusted, never duplicated. Product categories, journals, taxes and
fiscal positions reference accounts by code too, whether declared here or only on the instance.

From Odoo 18 one account may serve several companies and its code is per company
(``code_store``): Odoo reads and writes the code of the company in the context, which is the
environment's (``odoo.company``, or the login's current company). Up to 17 an account has one
company and a plain code. Odoo 18 archives nothing: an account is ``deprecated``; Odoo 19 has
``active`` instead. A blueprint says the one its version has (the other is reported as a field
that instance lacks), and a managed account is kept active only where ``active`` exists.

Odoo refuses a code with other characters than letters, digits and dots; a code of another
length than the chart's (``account_code_digits`` is gone from 17: the plan compares with the
accounts on the instance) is a plan error, as is one another account already has.

Changing the type or the reconcile flag of an account that has journal items, and deprecating
or archiving one that is still a default (of a journal, a product category, the company), are
risky changes: Odoo accepts them and leaves the existing entries as they were (a receivable
switch leaves their residual at 0). The plan names them and apply refuses them unless the
environment says ``allow_risky_changes: true``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from odooconf.kinds._base import Attr, Kind, RefSpec, Review, Spec
from odooconf.kinds.lookups import _number_as_text
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Action, Change, FieldChange

#: Odoo's ``account_type`` keys (16-19; ``expense_other`` from 19).
AccountType = Literal[
    "asset_receivable", "asset_cash", "asset_current", "asset_non_current", "asset_prepayments",
    "asset_fixed", "liability_payable", "liability_credit_card", "liability_current",
    "liability_non_current", "equity", "equity_unaffected", "income", "income_other", "expense",
    "expense_other", "expense_depreciation", "expense_direct_cost", "off_balance",
]  # fmt: skip

#: A code as Odoo accepts it (``_check_account_code``): letters, digits and dots.
_CODE = re.compile(r"[A-Za-z0-9.]+")


class AccountSpec(Spec):
    #: YAML reads ``110100`` as a number: a whole number is taken as its text.
    code: Annotated[str, BeforeValidator(_number_as_text, json_schema_input_type=str | int)] = (
        Field(min_length=1, max_length=64)
    )
    name: str | None = Field(default=None, min_length=1)
    type: AccountType | None = None
    #: Whether journal items of the account can be matched (receivable and payable accounts
    #: always are; Odoo sets it when the type changes and the blueprint does not say).
    reconcile: bool | None = None
    #: Forces the journal items' currency (ISO code).
    currency: RefSpec | None = None
    #: Account tags by name (``Operating Activities``).
    tags: list[RefSpec] | None = None
    #: Odoo 16-18: a deprecated account cannot be used in new entries.
    deprecated: bool | None = None
    #: Odoo 19: an archived account cannot be used in new entries.
    active: bool | None = None

    @field_validator("code")
    @classmethod
    def _odoo_code(cls, code: str) -> str:
        if not _CODE.fullmatch(code):
            raise ValueError(
                f"{code!r}: Odoo accepts only letters, digits and dots in an account code"
            )
        return code


#: Attributes whose change Odoo does not apply to an account's existing journal items.
RETYPING = ("type", "reconcile")
#: Models whose account fields hold defaults other documents post to, how their records are
#: named, and whether only their company-dependent account fields count (a category's
#: ``property_*``; 19's ``account_stock_variation_id`` is computed from them, not searchable).
DEFAULT_HOLDERS = (
    ("account.journal", "code", "of journal", False),
    ("product.category", "complete_name", "of product category", True),
    ("res.company", "name", "of company", False),
)


def _fields(change: Change, names: Sequence[str]) -> list[FieldChange]:
    return [f for f in change.fields if f.field in names]


def _retires(change: Change) -> bool:
    """Whether the change deprecates (16-18) or archives (19, prune) an account."""
    return change.action is Action.ARCHIVE or any(
        (f.field == "deprecated" and f.new is True) or (f.field == "active" and f.new is False)
        for f in change.fields
    )


def _default_uses(ids: list[int], gateway: Any) -> dict[int, list[str]]:
    """Where each account is a default: a journal's account fields, a product category's
    (company-dependent) ones and their company fallback, the company's account fields. Two
    calls per holder model (its fields once, then the records using one of ``ids``), one more
    for the category fallbacks and one for which models exist."""
    out: dict[int, list[str]] = {}

    def note(account: Any, text: str) -> None:
        account_id = account[0] if isinstance(account, list) else account
        if account_id in ids:
            out.setdefault(int(account_id), []).append(text)

    existing = gateway.existing_models([holder[0] for holder in DEFAULT_HOLDERS])
    for model, label, what, properties in DEFAULT_HOLDERS:
        if model not in existing:
            continue
        info = gateway.fields(model)
        names = [
            name
            for name, field in info.items()
            if field.get("type") == "many2one" and field.get("relation") == "account.account"
            and (field.get("company_dependent") or not properties)
        ]  # fmt: skip
        if not names:
            continue
        domain: list[Any] = ["|"] * (len(names) - 1) + [(name, "in", ids) for name in names]
        for row in gateway.search_read(model, domain, [label, *names]):
            for name in names:
                note(row.get(name), f"{what} {row.get(label)} ({name})")
        if model == "product.category":  # the company's fallback for every category
            for name, value in gateway.default_get(model, names).items():
                note(value, f"for new product categories ({name})")
    return out


class Account(Kind):
    name = "account"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "accounts"
    model = "account.account"
    module = "account"
    spec = AccountSpec
    identity = "code"
    key_fields = ("code",)
    create_requires = ("name", "type")
    #: Odoo recomputes reconcile when the type changes (``_compute_reconcile``).
    write_together = (("type", "reconcile"),)
    attrs = (
        Attr("code", "code"),
        Attr("name", "name"),
        Attr("type", "account_type"),
        Attr("reconcile", "reconcile"),
        Attr("currency", "currency_id", target="currency"),
        Attr("tags", "tag_ids", target="account_tag", many=True),
        Attr("deprecated", "deprecated"),
        Attr("active", "active"),
    )

    def risks(self, changes: Sequence[Change], live: Any, gateway: Any) -> list[tuple[Change, str]]:
        out: list[tuple[Change, str]] = []
        retyped = [c for c in changes if c.record_id is not None and _fields(c, RETYPING)]
        if retyped:
            used = self._with_items(sorted(int(c.record_id or 0) for c in retyped), live, gateway)
            for change in retyped:
                if change.record_id in used:
                    what = ", ".join(
                        f"{f.field} {f.old!r} → {f.new!r}" for f in _fields(change, RETYPING)
                    )
                    out.append(
                        (
                            change,
                            f"{what} on an account that has journal items: Odoo accepts it and "
                            "leaves the existing items as they were (their reconciliation and "
                            "residual amounts are not recomputed)",
                        )
                    )
        retired = [c for c in changes if c.record_id is not None and _retires(c)]
        if retired:
            uses = _default_uses(sorted(int(c.record_id or 0) for c in retired), gateway)
            for change in retired:
                where = uses.get(int(change.record_id or 0))
                if where:
                    out.append(
                        (
                            change,
                            f"retires an account that is still the default {'; '.join(where)}: "
                            "Odoo accepts it, and documents using those defaults then fail "
                            "or post to a retired account",
                        )
                    )
        return out

    def _with_items(self, ids: list[int], live: Any, gateway: Any) -> set[int]:
        """Which of these accounts have journal items (one call)."""
        if "used" in live.fields.get(self.model, {}):
            domain: list[Any] = [("id", "in", ids), ("used", "=", True)]
            return {int(row["id"]) for row in gateway.search_read(self.model, domain, ["id"])}
        rows = gateway.search_read("account.move.line", [("account_id", "in", ids)], ["account_id"])
        return {int(row["account_id"][0]) for row in rows if row.get("account_id")}

    def review(self, resources: Sequence[Any], changes: Sequence[Change], live: Any) -> Review:
        """A new code of another length than the instance's accounts (the chart's length), or
        another format, is refused before apply: Odoo would accept it and the account would
        sort and group apart from the chart's."""
        out = Review()
        codes = [
            str(live.key_of(self.name, rid))
            for rid in live.records.get(self.name, {})
            if live.key_of(self.name, rid)
        ]
        if not codes:
            return out
        lengths = {len(code) for code in codes}
        length = next(iter(lengths)) if len(lengths) == 1 else None
        digits = all(code.isdigit() for code in codes)
        sources = {r.xmlid: r for r in resources if r.kind == self.name}
        for change in changes:
            resource = sources.get(change.xmlid)
            if change.kind != self.name or resource is None:
                continue
            renamed = any(f.field == "code" for f in change.fields)
            if change.action is not Action.CREATE and not renamed:
                continue
            code = change.key
            problem = ""
            if length is not None and len(code) != length:
                problem = f"has {len(code)} characters where the company's accounts have {length}"
            elif digits and not code.isdigit():
                problem = "is not all digits, as the company's account codes are"
            if problem:
                message = (
                    f"account code {code!r} {problem} (the chart's format); Odoo would accept "
                    "it and the account would sort and group apart from the chart's"
                )
                out.diagnostics.append(
                    Diagnostic("OC-X100", message, resource.source_of("code"), resource.path)
                )
        return out
