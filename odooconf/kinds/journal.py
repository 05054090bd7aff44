"""Journals (``account.journal``), keyed by their short code in their company.

Odoo stores at most 5 characters of a code and cuts a longer one without a word (A4c): the
blueprint would never converge, and two long codes could become one, so a longer code is a
validate error, as for warehouses. Codes are unique per company, case-sensitively.

Creating a bank, cash or credit card journal without a default account makes Odoo create one
(the next free code under the company's bank prefix) and give the journal the company's
suspense and cash-difference accounts: the blueprint may name them, or leave them to Odoo.
Suspense, profit and loss accounts exist on those types only; declaring them on another type
is a validate error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from odooconf.kinds._base import Attr, Kind, RefSpec, Spec
from odooconf.kinds.lookups import CodeRef

#: Journal types with their own suspense, profit and loss accounts (``credit`` from 18).
LIQUIDITY = ("bank", "cash", "credit")


class JournalSpec(Spec):
    code: str = Field(min_length=1, pattern=r"^\S(.*\S)?$")
    name: str | None = Field(default=None, min_length=1)
    type: Literal["sale", "purchase", "cash", "bank", "credit", "general"] | None = None
    company: RefSpec | None = None
    default_account: CodeRef | None = None
    suspense_account: CodeRef | None = None
    profit_account: CodeRef | None = None
    loss_account: CodeRef | None = None
    #: Currency of a bank or cash journal (ISO code).
    currency: RefSpec | None = None
    active: bool = True

    @field_validator("code")
    @classmethod
    def _fits_odoo(cls, code: str) -> str:
        if len(code) > 5:
            raise ValueError(
                f"{code!r} has {len(code)} characters; Odoo stores at most 5 (it would cut the "
                "code and the blueprint would never converge)"
            )
        return code

    @model_validator(mode="after")
    def _liquidity_accounts(self) -> JournalSpec:
        given = [
            name
            for name in ("suspense_account", "profit_account", "loss_account")
            if getattr(self, name) is not None
        ]
        if given and self.type is not None and self.type not in LIQUIDITY:
            raise ValueError(
                f"{' and '.join(given)} exist only on bank, cash and credit card journals, "
                f"not on a {self.type} journal"
            )
        return self


class Journal(Kind):
    name = "journal"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "journals"
    model = "account.journal"
    module = "account"
    spec = JournalSpec
    identity = "code"
    scope = ("company",)
    key_fields = ("code",)
    create_requires = ("name", "type")
    attrs = (
        Attr("code", "code"),
        Attr("name", "name"),
        Attr("type", "type"),
        Attr("company", "company_id", target="company"),
        Attr("default_account", "default_account_id", target="account"),
        Attr("suspense_account", "suspense_account_id", target="account"),
        Attr("profit_account", "profit_account_id", target="account"),
        Attr("loss_account", "loss_account_id", target="account"),
        Attr("currency", "currency_id", target="currency"),
        Attr("active", "active"),
    )
