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
risky changes (``odooconf.policies.finance``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from odooconf.kinds._base import Attr, Kind, RefSpec, Review, Spec
from odooconf.kinds.lookups import _number_as_text
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Action, Change

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
