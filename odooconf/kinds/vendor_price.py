"""Vendor prices (``product.supplierinfo``): what a supplier charges for a product.

Odoo gives these lines no unique key (exact duplicates are accepted), so odooconf defines one
from what a line is for: the vendor (a partner, by name), the product (a template by internal
reference, or one variant), the minimum quantity and the start date,
``Acme Foods | product:DRY-RICE-5KG | min 100 | from 2026-01-01``. Lines whose vendor has no
name, or that name no product (Odoo accepts both), are left alone.

Partners, products and currencies are master data: odooconf only references them, and one the
instance lacks is a plan error. Odoo accepts things a buyer never means and that make a price
silently never apply; they are validate errors here: a start date after the end date, a
negative minimum quantity, price or delay.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from odooconf.kinds._base import (
    Attr,
    Keyer,
    KeyRef,
    Kind,
    Prepared,
    RefSpec,
    Spec,
    calendar,
    linked_key,
)
from odooconf.kinds.lookups import CodeKey
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState, PlanContext, Query, search
from odooconf.model.resource import Address, DesiredResource


def _iso_date(value: Any) -> Any:
    """YAML reads ``2026-01-01`` as a date; odooconf compares dates as Odoo returns them."""
    value = calendar(value)  # no number, no time zone offset
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return value


#: A calendar date, written ``2026-01-01``.
IsoDate = Annotated[str, BeforeValidator(_iso_date)]


class VendorPriceSpec(Spec):
    #: The supplier: a partner by name (master data, never created by odooconf), or ...
    vendor: KeyRef | None = None
    #: ... by its internal reference (``ref``, ``V-0042``): plan finds its name, the key's.
    vendor_ref: CodeKey | None = None
    #: A product template by internal reference (every variant of it), or ...
    product: CodeKey | None = None
    #: ... one variant by internal reference.
    variant: CodeKey | None = None
    #: The vendor's own reference and name for the product (on its quotations).
    product_code: str | None = None
    product_name: str | None = None
    #: The price applies from this quantity on (in the product's purchase unit).
    min_qty: float = Field(default=0, ge=0)
    price: float = Field(ge=0)
    #: By code (``EUR``); Odoo's default is the company's currency.
    currency: RefSpec | None = None
    #: Lead time in days from order to receipt.
    delay: int | None = Field(default=None, ge=0)
    date_start: IsoDate | None = None
    date_end: IsoDate | None = None
    #: Odoo 17+: a discount on the price, in percent.
    discount: float | None = Field(default=None, ge=0, le=100)
    #: Order among the vendor lines of a product (the first applicable one is proposed).
    sequence: int | None = None
    company: RefSpec | None = None

    @model_validator(mode="after")
    def _consistent(self) -> VendorPriceSpec:
        if (self.vendor is None) == (self.vendor_ref is None):
            raise ValueError("give either 'vendor' or 'vendor_ref' (exactly one of them)")
        if (self.product is None) == (self.variant is None):
            raise ValueError("give either 'product' or 'variant' (exactly one of them)")
        if self.date_start and self.date_end and self.date_start > self.date_end:
            raise ValueError(
                f"date_start ({self.date_start}) is after date_end ({self.date_end}): Odoo "
                "would save the price and never use it"
            )
        return self


#: Marks a vendor written by reference in a key, until plan time gives its name.
REF_PREFIX = "ref:"
#: Value of a resource naming its vendor by reference (not an Odoo field).
VENDOR_REF = "vendor_ref"


def vendor_price_key(vendor: str, matched: str, min_qty: float, date_start: str | None) -> str:
    """``matched`` is ``product:<code>`` or ``variant:<code>``."""
    start = f"from {date_start}" if date_start else "always"
    return f"{vendor} | {matched} | min {min_qty:g} | {start}"


class VendorPrice(Kind):
    name = "vendor_price"
    can_delete = True  # prune: delete, state: absent (no active)
    revokes = ""
    owned_by_container = False
    section = "vendor_prices"
    model = "product.supplierinfo"
    module = "product"
    spec = VendorPriceSpec
    identity = "vendor"
    key_fields = ("partner_id", "product_tmpl_id", "product_id", "min_qty", "date_start")
    # Supplier lines have no ``active``: one that leaves the blueprints is deleted with
    # ``prune: delete`` (created by odooconf), else left alone.
    can_archive = False
    #: Vendors named by reference get their name before the records are read (their keys).
    prepares = "before_read"
    scope = ("company",)
    attrs = (
        Attr("vendor", "partner_id", target="partner"),
        Attr("product", "product_tmpl_id", target="product_template"),
        Attr("variant", "product_id", target="product"),
        Attr("product_code", "product_code"),
        Attr("product_name", "product_name"),
        Attr("min_qty", "min_qty"),
        Attr("price", "price"),
        Attr("currency", "currency_id", target="currency"),
        Attr("delay", "delay"),
        Attr("date_start", "date_start"),
        Attr("date_end", "date_end"),
        Attr("discount", "discount"),
        Attr("sequence", "sequence"),
        Attr("company", "company_id", target="company"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, VendorPriceSpec)
        matched = f"variant:{spec.variant}" if spec.variant else f"product:{spec.product}"
        vendor = spec.vendor if spec.vendor is not None else f"{REF_PREFIX}{spec.vendor_ref}"
        return vendor_price_key(vendor, matched, spec.min_qty, spec.date_start)

    def values(self, spec: Spec) -> dict[str, Any]:
        values = super().values(spec)
        # The key's parts are always declared: a line without them is another line.
        assert isinstance(spec, VendorPriceSpec)
        values["min_qty"] = spec.min_qty
        values["date_start"] = spec.date_start
        if spec.vendor_ref is not None:
            values[VENDOR_REF] = spec.vendor_ref  # replaced by the vendor's name at plan time
        if spec.variant is None:
            # A template's line applies to every variant: a variant set by hand narrows it.
            values["variant"] = None
        return values

    def needs(
        self, resources: Sequence[DesiredResource], live: LiveState, context: PlanContext
    ) -> Iterable[Query]:
        return [_partners(resources)] if _by_ref(resources) else []

    def prepare(
        self, resources: list[DesiredResource], live: LiveState, context: PlanContext
    ) -> Prepared:
        return name_vendors(resources, live)

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        vendor = linked_key(record, "partner_id", "partner", keyer)
        variant = linked_key(record, "product_id", "product", keyer)
        template = linked_key(record, "product_tmpl_id", "product_template", keyer)
        if record.get("product_id"):
            matched = f"variant:{variant}" if variant else None
        else:
            matched = f"product:{template}" if template else None
        if not (vendor and matched):
            return None
        min_qty = float(record.get("min_qty") or 0)
        return vendor_price_key(vendor, matched, min_qty, record.get("date_start") or None)


def _by_ref(resources: Sequence[DesiredResource]) -> list[DesiredResource]:
    return [r for r in resources if r.kind == "vendor_price" and VENDOR_REF in r.values]


def _partners(resources: Sequence[DesiredResource]) -> Query:
    """The partners the lines name by reference (one call)."""
    refs = sorted({str(r.values[VENDOR_REF]) for r in _by_ref(resources)})
    return search("res.partner", [("ref", "in", refs)], ["name", "ref"])


def _ids(resources: Iterable[DesiredResource]) -> set[int]:
    return {id(resource) for resource in resources}


def name_vendors(resources: list[DesiredResource], live: LiveState) -> Prepared:
    """Plan time: give the vendor prices that name their vendor by reference (``vendor_ref``)
    the vendor's name, in their values and keys (read by ``needs``: one call, none when no line
    does). An unknown or shared reference, and two lines that turn out to be one, are located
    errors."""
    by_ref = _by_ref(resources)
    if not by_ref:
        return Prepared(resources)
    names: dict[str, list[str]] = {}
    for row in live.rows(_partners(resources)):
        names.setdefault(str(row["ref"]), []).append(str(row["name"]))
    out: list[Diagnostic] = []
    named: dict[int, DesiredResource] = {}
    for resource in by_ref:
        ref = str(resource.values[VENDOR_REF])
        found = names.get(ref, [])
        where = f"{resource.path} › vendor_ref"
        if len(found) != 1:
            what = "is not on the instance" if not found else f"is shared by {len(found)} partners"
            message = f"partner {ref!r} (by ref) {what}"
            out.append(Diagnostic("OC-X001" if not found else "OC-X003", message,
                                  resource.source_of(VENDOR_REF), where))  # fmt: skip
            continue
        values = {k: v for k, v in resource.values.items() if k != VENDOR_REF}
        values["vendor"] = found[0]
        key = resource.key.replace(f"{REF_PREFIX}{ref} | ", f"{found[0]} | ", 1)
        address = Address(resource.kind, key)
        named[id(resource)] = replace(resource, address=address, values=values)
    result = [named.get(id(resource), resource) for resource in resources]
    by_vendor_ref = _ids(by_ref) | _ids(named.values())
    seen: dict[Address, DesiredResource] = {}
    for resource in result:
        first = seen.setdefault(resource.address, resource)
        if first is not resource and {id(first), id(resource)} & by_vendor_ref:
            message = (
                f"{resource.address} is declared twice (first at {first.source} {first.path}), "
                "once by the vendor's reference"
            )
            out.append(Diagnostic("OC-V020", message, resource.source, resource.path))
    return Prepared(result, out)
