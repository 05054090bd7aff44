"""Tax groups (``account.tax.group``), keyed by name in their company: how taxes are summed
on invoices (``Tax 15%``). The chart installs the company's first ones; a declared name the
instance has is adopted."""

from __future__ import annotations

from pydantic import Field

from odooconf.kinds._base import Attr, Kind, RefSpec, Spec


class TaxGroupSpec(Spec):
    name: str = Field(min_length=1)
    company: RefSpec | None = None
    #: Order of the subtotals on invoices.
    sequence: int | None = None
    #: Country by ISO code (``US``); taxes of a country use its groups.
    country: RefSpec | None = None


class TaxGroup(Kind):
    name = "tax_group"
    can_delete = True  # prune: delete, state: absent (no active)
    revokes = ""
    owned_by_container = False
    section = "tax_groups"
    model = "account.tax.group"
    module = "account"
    spec = TaxGroupSpec
    identity = "name"
    scope = ("company",)
    key_fields = ("name",)
    can_archive = False
    attrs = (
        Attr("name", "name"),
        Attr("company", "company_id", target="company"),
        Attr("sequence", "sequence"),
        Attr("country", "country_id", target="country"),
    )
