"""Fiscal positions (``account.fiscal.position``), keyed by name in their company, with the
taxes and accounts they map.

A position applies automatically (``auto_apply``) to partners of a country or country group,
optionally only those with a VAT number. Odoo keeps no uniqueness on names or countries: two
positions of one name in a company are a plan error here (the key would match both).

Its mappings (``account.fiscal.position.account``, and up to Odoo 18
``account.fiscal.position.tax``) have no key in Odoo: odooconf keys them inside their position
by what they map, ``Export | sale | VAT 15% → none``, and a declared position lists exactly its
declared mappings. A tax mapped to nothing is removed from the documents.

Odoo 19 has no ``account.fiscal.position.tax``: a tax lists the taxes it replaces and the
positions where it does (a tax's ``replaces`` and ``fiscal_positions``), and a tax cannot be
mapped to nothing per position. Whether the instance has that model decides: a position's
``taxes`` on Odoo 19 is a plan error that says where to declare them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from odooconf.kinds._base import Attr, Inline, Keyer, KeyRef, Kind, RefSpec, Spec
from odooconf.kinds.lookups import CodeKey

NONE = "none"


class TaxMapSpec(BaseModel):
    """``from`` a tax (``sale | VAT 15%``) ``to`` another, or to nothing (``to: null``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: KeyRef = Field(alias="from")
    to: KeyRef | None = None


class AccountMapSpec(BaseModel):
    """``from`` an account ``to`` another, by code."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: CodeKey = Field(alias="from")
    to: CodeKey


class FiscalPositionSpec(Spec):
    name: str = Field(min_length=1)
    company: RefSpec | None = None
    auto_apply: bool | None = None
    #: By ISO code (``CA``).
    country: RefSpec | None = None
    country_group: RefSpec | None = None
    vat_required: bool | None = None
    sequence: int | None = None
    active: bool = True
    #: Up to Odoo 18 (see the module's docstring for 19). Each list, when written, is exactly
    #: the position's mappings of its kind; left out, they are not managed.
    taxes: list[TaxMapSpec] = Field(default_factory=list)
    accounts: list[AccountMapSpec] = Field(default_factory=list)


class FiscalPosition(Kind):
    name = "fiscal_position"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "fiscal_positions"
    model = "account.fiscal.position"
    module = "account"
    spec = FiscalPositionSpec
    identity = "name"
    scope = ("company",)
    key_fields = ("name",)
    lists = {"fiscal_position_tax": ("taxes",), "fiscal_position_account": ("accounts",)}
    attrs = (
        Attr("name", "name"),
        Attr("company", "company_id", target="company"),
        Attr("auto_apply", "auto_apply"),
        Attr("country", "country_id", target="country"),
        Attr("country_group", "country_group_id", target="country_group"),
        Attr("vat_required", "vat_required"),
        Attr("sequence", "sequence"),
        Attr("active", "active"),
    )

    def expand(self, spec: Spec) -> Iterable[Inline]:
        assert isinstance(spec, FiscalPositionSpec)
        for index, tax in enumerate(spec.taxes):
            item = FiscalPositionTaxSpec(position=spec.name, source=tax.source, to=tax.to)
            local = FISCAL_POSITION_TAX.key(item).split(" | ", 1)[1]
            yield Inline("fiscal_position_tax", item, ("taxes", index), local)
        for index, account in enumerate(spec.accounts):
            mapping = FiscalPositionAccountSpec(
                position=spec.name, source=account.source, to=account.to
            )
            local = FISCAL_POSITION_ACCOUNT.key(mapping).split(" | ", 1)[1]
            yield Inline("fiscal_position_account", mapping, ("accounts", index), local)


class FiscalPositionTaxSpec(Spec):
    model_config = ConfigDict(populate_by_name=True)

    position: KeyRef
    source: KeyRef = Field(alias="from")
    to: KeyRef | None = None


class _Mapping(Kind):
    """What a fiscal position maps one tax or account onto, keyed inside its position by what
    it maps: ``Export | Sales Tax → none``."""

    section = ""
    module = "account"
    identity = "position"
    container = "position"
    archived_with = ("position",)
    can_archive = False
    can_delete = True
    revokes = ""
    owned_by_container = True

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, FiscalPositionTaxSpec | FiscalPositionAccountSpec)
        return f"{spec.position} | {spec.source} → {spec.to or NONE}"

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        _position, source, dest = self.key_fields
        return _mapping_key(record, source, dest, str(self.attr("source").target), keyer)

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, FiscalPositionTaxSpec | FiscalPositionAccountSpec)
        return {"position": spec.position, "source": spec.source, "to": spec.to}


class FiscalPositionTax(_Mapping):
    name = "fiscal_position_tax"
    model = "account.fiscal.position.tax"
    #: Odoo 19 keeps tax mappings on the taxes (read when the model is missing).
    absent = (
        "Odoo 19 keeps tax mappings on the taxes: declare on the replacing tax `replaces: "
        "[<tax>]` and `fiscal_positions: [<position>]` instead of the position's `taxes`; a "
        "tax cannot be mapped to nothing there (map it to a 0 % tax)"
    )
    spec = FiscalPositionTaxSpec
    key_fields = ("position_id", "tax_src_id", "tax_dest_id")
    attrs = (
        Attr("position", "position_id", target="fiscal_position"),
        Attr("source", "tax_src_id", target="tax"),
        Attr("to", "tax_dest_id", target="tax"),
    )


class FiscalPositionAccountSpec(Spec):
    model_config = ConfigDict(populate_by_name=True)

    position: KeyRef
    source: CodeKey = Field(alias="from")
    to: CodeKey


class FiscalPositionAccount(_Mapping):
    name = "fiscal_position_account"
    model = "account.fiscal.position.account"
    spec = FiscalPositionAccountSpec
    key_fields = ("position_id", "account_src_id", "account_dest_id")
    attrs = (
        Attr("position", "position_id", target="fiscal_position"),
        Attr("source", "account_src_id", target="account"),
        Attr("to", "account_dest_id", target="account"),
    )


def _mapping_key(
    record: Mapping[str, Any], source: str, dest: str, target: str, keyer: Keyer
) -> str | None:
    position = record.get("position_id")
    name = keyer("fiscal_position", position[0]) if position else None
    src = record.get(source)
    if name is None or not src:
        return None
    to = record.get(dest)
    src_key = keyer(target, src[0]) or f"#{src[0]}"
    dest_key = (keyer(target, to[0]) or f"#{to[0]}") if to else NONE
    return f"{name} | {src_key} → {dest_key}"


FISCAL_POSITION_TAX = FiscalPositionTax()
FISCAL_POSITION_ACCOUNT = FiscalPositionAccount()
