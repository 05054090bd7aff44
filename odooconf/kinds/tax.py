"""Taxes (``account.tax``), keyed by their use and name in their company: ``sale | VAT 15%``,
and their repartition lines (``account.tax.repartition.line``).

Odoo's tax names are unique per company, use (``sale``, ``purchase``, ``none``), scope and
country. A tax created without repartition lines gets four without accounts (invoice and refund,
base and tax), which post the tax amount nowhere; so a tax declares its lines, each ``base`` or
``tax``, with a factor (percent) and an account by code. Lines have no key in Odoo: odooconf keys
them inside their tax by document and place (``sale | VAT 15% | invoice | base``, ``... | tax
1``, the tax lines numbered in Odoo's order, by sequence then id, and written with their number
as ``sequence``: two lines of one sequence are two places). The four lines Odoo makes for a new
tax are adopted, not duplicated; a tax that declares its lines has exactly those (one that
leaves them out does not manage them).

Odoo checks the lines only when they are written through the tax (a write on a line itself
bypasses it), and refuses: other than one base line per document, no tax line, a different
number or order of invoice and refund lines, tax factors not adding up to 100 %. These are
validate errors here; odooconf writes lines only through their tax (``Kind.through``), and a
plan that would leave a tax's tax lines off 100 % (a line no blueprint manages stays) is a plan
error naming them.

Odoo 19 moved fiscal positions' tax mappings onto the taxes: a tax lists the taxes it replaces
(``replaces``) and the positions where it does (``fiscal_positions``). Both are fields only 19
has (a blueprint using them on 18 is told so); up to 18 the mapping is the position's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from odooconf.kinds._base import Attr, Inline, Keyer, KeyRef, Kind, RefSpec, Review, Spec, percent
from odooconf.kinds.lookups import CodeKey
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Action, Change

DOCUMENTS = ("invoice", "refund")
#: Where ``TaxLine.annotate`` writes a tax line's place among its tax's lines (``tax 2``).
PLACE = "odooconf_place"


def adds_up(factors: Iterable[float], total: int) -> bool:
    """Whether percentages add up to ``total`` as Odoo checks it: the sum of the factors
    (percent / 100) rounded half up to 2 decimals (``float_compare``), so 99.6 % passes."""
    factor = Decimal(repr(sum(factors) / 100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return factor == Decimal(total) / 100


class LineSpec(BaseModel):
    """One repartition line: the base, or a share (``factor`` %) of the tax amount posted to
    ``account`` (a code; none posts it nowhere)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["base", "tax"]
    factor: float = 100.0
    account: CodeKey | None = None


def check_lines(invoice: list[LineSpec], refund: list[LineSpec]) -> None:
    """What Odoo's ``_validate_repartition_lines`` refuses."""
    for document, lines in (("invoice", invoice), ("refund", refund)):
        if sum(line.type == "base" for line in lines) != 1:
            raise ValueError(f"{document}_lines need exactly one base line")
        taxes = [line.factor for line in lines if line.type == "tax"]
        if not taxes:
            raise ValueError(f"{document}_lines need at least one tax line")
        if not adds_up((f for f in taxes if f > 0), 100):
            raise ValueError(f"the positive tax factors of {document}_lines must add up to 100")
        negative = [f for f in taxes if f < 0]
        if negative and not adds_up(negative, -100):
            raise ValueError(f"the negative tax factors of {document}_lines must add up to -100")
    shape = [[(line.type, line.factor) for line in lines] for lines in (invoice, refund)]
    if shape[0] != shape[1]:
        raise ValueError(
            "invoice_lines and refund_lines must have the same lines (type and factor) in the "
            "same order"
        )


class TaxSpec(Spec):
    name: str = Field(min_length=1)
    #: Odoo's ``type_tax_use``: on sales, on purchases, or neither (only inside a group).
    scope: Literal["sale", "purchase", "none"]
    #: ``percent`` of the price, a ``fixed`` amount, a ``division`` (price / (1 - rate)), or a
    #: ``group`` of taxes.
    computation: Literal["percent", "fixed", "group", "division"] | None = None
    amount: float | None = None
    #: By name (``Tax 15%``), declared in ``tax_groups`` or on the instance.
    tax_group: RefSpec | None = None
    #: Odoo 18+: whether prices include this tax (else the company's default applies).
    included_in_price: bool | None = None
    #: Goods (``consu``) or ``service`` only; every product when left out.
    goods_or_services: Literal["consu", "service"] | None = None
    active: bool = True
    company: RefSpec | None = None
    #: Label on invoices.
    invoice_label: str | None = None
    invoice_lines: list[LineSpec] | None = None
    refund_lines: list[LineSpec] | None = None
    #: Odoo 19: the taxes this one replaces in its fiscal positions (keys, ``sale | VAT 15%``).
    replaces: list[KeyRef] | None = None
    #: Odoo 19: the fiscal positions (by name) where it replaces them.
    fiscal_positions: list[KeyRef] | None = None

    @model_validator(mode="after")
    def _lines(self) -> TaxSpec:
        if (self.invoice_lines is None) != (self.refund_lines is None):
            raise ValueError("give both invoice_lines and refund_lines (or neither)")
        if self.invoice_lines is not None and self.refund_lines is not None:
            check_lines(self.invoice_lines, self.refund_lines)
        return self

    @model_validator(mode="after")
    def _rate(self) -> TaxSpec:
        """A rate Odoo can compute with: a division tax is price / (1 - rate), so at 100 % and
        more it divides by zero or turns the price negative."""
        if self.computation in ("percent", "division") and self.amount is not None:
            if self.computation == "division" and self.amount >= 100:
                raise ValueError(
                    f"a division tax of {self.amount:g} % divides the price by "
                    f"{1 - self.amount / 100:g}: it must be below 100 %"
                )
            percent(self.amount)
        return self

    @property
    def key(self) -> str:
        return f"{self.scope} | {self.name}"


def _price_include(value: bool | None) -> str | None:
    return None if value is None else "tax_included" if value else "tax_excluded"


class Tax(Kind):
    name = "tax"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "taxes"
    model = "account.tax"
    module = "account"
    spec = TaxSpec
    identity = "name"
    scope = ("company",)
    #: ``price_include`` is read too: what an empty override means (the company's default).
    key_fields = ("type_tax_use", "name", "price_include")
    #: Odoo makes a new tax's repartition lines.
    side_effects = ("tax_line",)
    create_requires = ("amount",)
    lists = {"tax_line": ("invoice_lines", "refund_lines")}
    attrs = (
        Attr("name", "name"),
        Attr("scope", "type_tax_use"),
        Attr("computation", "amount_type"),
        Attr("amount", "amount"),
        Attr("tax_group", "tax_group_id", target="tax_group"),
        Attr("included_in_price", "price_include_override"),
        Attr("goods_or_services", "tax_scope"),
        Attr("active", "active"),
        Attr("company", "company_id", target="company"),
        Attr("invoice_label", "invoice_label"),
        Attr("replaces", "original_tax_ids", target="tax", many=True),
        Attr("fiscal_positions", "fiscal_position_ids", target="fiscal_position", many=True),
    )
    exported_values = {"included_in_price": {"tax_included": True, "tax_excluded": False}}

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, TaxSpec)
        return spec.key

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        use, name = record.get("type_tax_use"), record.get("name")
        return f"{use} | {name}" if use and name else None

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, TaxSpec)
        values = super().values(spec)
        if "included_in_price" in values:
            values["included_in_price"] = _price_include(spec.included_in_price)
        return values

    def from_odoo(
        self, record: Mapping[str, Any], keyer: Keyer, types: Mapping[str, str]
    ) -> dict[str, Any]:
        out = super().from_odoo(record, keyer, types)
        if out.get("included_in_price") is None and "price_include" in record:
            # Odoo 18+ leaves the override empty and follows the company's default.
            out["included_in_price"] = _price_include(bool(record["price_include"]))
        return out

    def expand(self, spec: Spec) -> Iterable[Inline]:
        assert isinstance(spec, TaxSpec)
        for document in DOCUMENTS:
            lines = getattr(spec, f"{document}_lines") or []
            tax_number = 0
            for index, line in enumerate(lines):
                place = "base"
                if line.type == "tax":
                    tax_number += 1
                    place = f"tax {tax_number}"
                item = TaxLineSpec(
                    tax=spec.key, document=document, place=place, factor=line.factor,
                    account=line.account,
                )  # fmt: skip
                yield Inline(
                    "tax_line", item, (f"{document}_lines", index), f"{document} | {place}"
                )

    def generated(
        self, key: str, values: Mapping[str, Any], fields: Mapping[str, Any] | None = None
    ) -> dict[str, list[str]]:
        # A3a: a tax created without lines gets a base and a tax line per document.
        return {"tax_line": [f"{key} | {d} | {p}" for d in DOCUMENTS for p in ("base", "tax 1")]}


class TaxLineSpec(Spec):
    """A repartition line, written inside its tax (``invoice_lines``, ``refund_lines``)."""

    tax: KeyRef
    document: Literal["invoice", "refund"]
    #: ``base``, or ``tax N`` (the N-th tax line of the document).
    place: str = Field(pattern=r"^(base|tax [1-9][0-9]*)$")
    factor: float = 100.0
    account: CodeKey | None = None


class TaxLine(Kind):
    name = "tax_line"
    can_delete = True
    revokes = ""
    section = ""
    model = "account.tax.repartition.line"
    module = "account"
    spec = TaxLineSpec
    identity = "tax"
    container = "tax"
    #: Odoo checks a tax's lines only when they are written through the tax.
    through = "tax"
    archived_with = ("tax",)
    can_archive = False
    owned_by_container = True
    key_fields = ("tax_id", "document_type", "repartition_type", "sequence")
    attrs = (
        Attr("tax", "tax_id", target="tax"),
        Attr("document", "document_type"),
        Attr("type", "repartition_type"),
        Attr("sequence", "sequence"),
        Attr("factor", "factor_percent"),
        Attr("account", "account_id", target="account"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, TaxLineSpec)
        return f"{spec.tax} | {spec.document} | {spec.place}"

    def annotate(self, rows: Mapping[int, dict[str, Any]]) -> None:
        """Number each document's tax lines in Odoo's order (sequence, then id): two lines of
        one sequence (Odoo's default, 1, for lines made without one) are two places."""
        places: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
        for row in rows.values():
            if row.get("repartition_type") == "tax":
                tax = row.get("tax_id")
                places.setdefault((tax[0] if tax else None, row.get("document_type")), []).append(
                    row
                )
        for lines in places.values():
            lines.sort(key=lambda row: (int(row.get("sequence") or 0), int(row["id"])))
            for number, row in enumerate(lines, start=1):
                row[PLACE] = f"tax {number}"

    def one2many(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """A line is written in its tax's ``invoice_repartition_line_ids`` or
        ``refund_repartition_line_ids``, which set its tax and document themselves."""
        rest = {name: value for name, value in values.items() if name not in ("tax", "document")}
        return f"{values['document']}_repartition_line_ids", rest

    def review(self, resources: Sequence[Any], changes: Sequence[Change], live: Any) -> Review:
        """Taxes whose tax lines this plan would leave off 100 % (``_totals``)."""
        return Review(diagnostics=_totals(resources, changes, live))

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        tax = record.get("tax_id")
        name = keyer("tax", tax[0]) if tax else None
        if name is None or not record.get("document_type"):
            return None
        place = "base"
        if record.get("repartition_type") == "tax":
            place = str(record.get(PLACE) or f"tax {record.get('sequence') or 0}")
        return f"{name} | {record['document_type']} | {place}"

    def values(self, spec: Spec) -> dict[str, Any]:
        """Every field of a line is declared: a hand edit of any is restored. The base line's
        sequence is Odoo's (it does not order tax lines)."""
        assert isinstance(spec, TaxLineSpec)
        values: dict[str, Any] = {
            "tax": spec.tax,
            "document": spec.document,
            "type": "base" if spec.place == "base" else "tax",
            "factor": float(spec.factor),
            "account": spec.account,
        }
        if spec.place != "base":
            values["sequence"] = int(spec.place.split()[1])
        return values


#: What changes a tax's lines (a release or a no-op leaves them as they are).
_WRITES = (Action.CREATE, Action.UPDATE, Action.ADOPT, Action.DELETE)


def _totals(resources: Sequence[Any], changes: Sequence[Change], live: Any) -> list[Diagnostic]:
    """Each tax whose lines this plan changes, with its tax lines as the plan leaves them (the
    live ones, changed, deleted or joined by the planned ones): Odoo refuses every later write
    of a tax whose tax lines do not add up to 100 % per document (and -100 % for the negative
    ones), so such a plan is an error naming the lines."""
    writes = [c for c in changes if c.kind == "tax_line" and c.action in _WRITES]
    touched = {c.key.rsplit(" | ", 2)[0] for c in writes}
    if not touched:
        return []
    # Each line (by record id, or by key for a new one) → how the error names it, and its
    # values as the plan leaves them.
    lines: dict[int | str, tuple[str, dict[str, Any]]] = {}
    declared = {c.record_id for c in changes if c.kind == "tax_line" and c.record_id}
    fields = live.fields.get(TAX_LINE.model, {})
    types = {name: str(info.get("type", "")) for name, info in fields.items()}
    for record_id, record in live.records.get("tax_line", {}).items():
        values = TAX_LINE.from_odoo(record, live.key_of, types)
        key = live.key_of("tax_line", record_id)
        if values.get("tax") in touched and key is not None:
            how = "" if record_id in declared else ", not declared"
            lines[record_id] = (f"{_place(key)} (#{record_id}{how})", values)
    for change in writes:
        line: int | str = change.record_id or change.key
        if change.action is Action.DELETE:
            lines.pop(line, None)
        else:
            label, values = lines.get(line, (_place(change.key), {}))
            lines[line] = (label, {**values, **change.after})
    by_tax = {r.key: r for r in resources if r.kind == "tax"}
    out: list[Diagnostic] = []
    for tax in sorted(touched):
        for document in DOCUMENTS:
            mine = sorted(
                (label, float(values.get("factor") or 0))
                for label, values in lines.values()
                if (values.get("tax"), values.get("document"), values.get("type"))
                == (tax, document, "tax")
            )
            positive = [factor for _label, factor in mine if factor > 0]
            negative = [factor for _label, factor in mine if factor < 0]
            if adds_up(positive, 100) and (not negative or adds_up(negative, -100)):
                continue
            named = ", ".join(f"{label} {factor:g} %" for label, factor in mine)
            message = (
                f"tax {tax}: its {document} tax lines would add up to {sum(positive):g} %"
                f"{f' and {sum(negative):g} %' if negative else ''}, not 100 %: {named}; Odoo "
                "refuses such a tax: declare the lines it is to keep, or remove the others in "
                "Odoo"
            )
            resource = by_tax.get(tax)
            out.append(
                Diagnostic(
                    "OC-X111",
                    message,
                    resource.source_of("invoice_lines") if resource else None,
                    resource.path if resource else "",
                )
            )
    return out


def _place(key: str) -> str:
    """``tax 2`` of ``sale | VAT | invoice | tax 2``."""
    return key.rsplit(" | ", 1)[-1]


TAX_LINE = TaxLine()
