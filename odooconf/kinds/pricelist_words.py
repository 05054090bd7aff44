"""How a pricelist item is named and described: its natural key (``Wholesale | category All /
Saleable | ≥ 50``) and the sentence the plan shows for its change (``Wholesale: category All /
Saleable, ≥ 50 units: 10 % → 12 % off``), both from key-space values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from odooconf.model.plan import Action, Change


def short_moment(value: str | None) -> str:
    """``2026-01-01 00:00:00`` → ``2026-01-01``; other times are kept."""
    if not value:
        return ""
    return value[:10] if value.endswith(" 00:00:00") else value


def number(value: Any) -> str:
    """A quantity or a price as people write it (``10``, ``12.5``)."""
    return f"{float(value or 0):g}"


def target_text(applied_on: str | None, values: Mapping[str, Any]) -> str:
    if applied_on == "0_product_variant":
        return f"variant {values.get('variant')}"
    if applied_on == "1_product":
        return f"product {values.get('product')}"
    if applied_on == "2_product_category":
        return f"category {values.get('category')}"
    return "all products"


def dates_text(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{short_moment(start)} → {short_moment(end)}"
    if start:
        return f"from {short_moment(start)}"
    if end:
        return f"until {short_moment(end)}"
    return ""


def item_key(pricelist: str, values: Mapping[str, Any]) -> str:
    """``Wholesale | category All / Saleable | ≥ 50 | 2026-01-01 → 2026-03-31``."""
    parts = [pricelist, target_text(values.get("applied_on"), values)]
    parts.append(f"≥ {number(values.get('min_quantity'))}")
    dates = dates_text(values.get("date_start"), values.get("date_end"))
    return " | ".join([*parts, *([dates] if dates else [])])


def _base_text(values: Mapping[str, Any]) -> str:
    base = values.get("based_on")
    if base == "standard_price":
        return "cost"
    if base == "pricelist":
        return f"{values.get('base_pricelist')} price"
    return "sales price"


def _percent(values: Mapping[str, Any]) -> tuple[float, str]:
    """A percentage item as (size, words after ``%``): ``(12, "off")``, ``(5, "more than
    cost")``."""
    percent = float(values.get("percent_price") or 0)
    base = _base_text(values)
    if percent < 0:
        return -percent, "more" if base == "sales price" else f"more than {base}"
    return percent, "off" if base == "sales price" else f"off {base}"


def price_text(values: Mapping[str, Any]) -> str:
    """What an item does to the price, as a buyer reads it."""
    compute = values.get("compute_price")
    if compute == "fixed":
        return f"fixed price {number(values.get('fixed_price'))}"
    if compute == "percentage":
        size, words = _percent(values)
        return f"{number(size)} % {words}"
    discount = float(values.get("discount") or 0)
    parts = [_base_text(values)]
    if discount > 0:
        parts.append(f"− {number(discount)} %")
    elif discount < 0:
        parts.append(f"+ {number(-discount)} % markup")
    if values.get("rounding"):
        parts.append(f"rounded to {number(values.get('rounding'))}")
    surcharge = float(values.get("surcharge") or 0)
    if surcharge:
        parts.append(f"{'+' if surcharge > 0 else '−'} {number(abs(surcharge))}")
    low, high = values.get("min_margin"), values.get("max_margin")
    if low or high:
        parts.append(f"margin {number(low)} to {number(high) if high else 'any'}")
    return ", ".join(parts)


def item_sentence(change: Change) -> str:
    """``Wholesale: category All / Saleable, ≥ 50 units: 10 % → 12 % off``."""
    new = dict(change.after)
    old = {**new, **{f.field: f.old for f in change.fields}}
    head = f"{new.get('pricelist')}: {target_text(new.get('applied_on'), new)}"
    if float(new.get("min_quantity") or 0):
        head += f", ≥ {number(new.get('min_quantity'))} units"
    dates = dates_text(new.get("date_start"), new.get("date_end"))
    if dates:
        head += f", {dates}"
    if change.action is Action.DELETE:
        return f"{head}: {price_text(new)} (removed)"
    if change.record_id is None:
        return f"{head}: {price_text(new)} (new)"
    before, after = price_text(old), price_text(new)
    if before == after:
        return f"{head}: {after}"
    if old.get("compute_price") == new.get("compute_price") == "percentage":
        (old_size, old_words), (new_size, new_words) = _percent(old), _percent(new)
        if old_words == new_words:
            return f"{head}: {number(old_size)} % → {number(new_size)} % {new_words}"
    return f"{head}: {before} → {after}"
