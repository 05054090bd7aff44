"""Product categories (``product.category``), keyed by their complete name: ``All / Saleable``.

Odoo joins the names of a category's ancestors and its own with `` / `` (space, slash, space)
into the stored ``complete_name``: the key is that path, its last part the category's name and
the rest its parent; a path of one part is a root category. A ``/`` inside a name is refused,
as ``All/Saleable`` is almost always a location-style path written by mistake.

Costing method, valuation and the stock accounts are company-dependent (``property_*``) fields:
Odoo keeps one value per company and reads and writes the one of the company in the context,
which the engine sets. Changing the costing method or valuation of a category whose products
are in stock makes Odoo revalue that stock (it empties it out and replenishes it).

Values are Odoo's keys, not its labels, because they differ between versions and the
instance's selection check then names the right ones: ``valuation`` is manual_periodic |
real_time ("Manual" / "Automated") up to Odoo 18 and periodic | real_time in Odoo 19. Odoo 19
also drops the stock input and output accounts and renames the price difference account's
field; declaring them there is reported as needing a field that instance lacks.

Categories have no ``active`` field: one that leaves the blueprints is left alone, never archived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from odooconf.kinds._base import Attr, Kind, RefSpec, Review, Spec
from odooconf.kinds.lookups import CodeRef
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Change

SEPARATOR = " / "
#: The route attribute that lets a route be set on categories (``product_categ_selectable``).
SELECTABLE_ON_CATEGORIES = "selectable.product_categories"
#: Blueprint name of each account → Odoo's company-dependent field on the category.
ACCOUNTS = {
    "stock_valuation": "property_stock_valuation_account_id",
    "stock_input": "property_stock_account_input_categ_id",
    "stock_output": "property_stock_account_output_categ_id",
    "price_difference": "property_account_creditor_price_difference_categ",
}


def check_category_path(path: str) -> str:
    """A category's complete name: names separated by `` / ``."""
    parts = path.split(SEPARATOR)
    if any(not part.strip() or part != part.strip() or "/" in part for part in parts):
        raise ValueError(
            "must be category names separated by ' / ' (space, slash, space) as in Odoo's "
            "complete name, e.g. 'All / Saleable / Frozen', without empty parts, spaces around "
            "a name or '/' inside one"
        )
    return path


CategoryPath = Annotated[str, AfterValidator(check_category_path)]


class AccountsSpec(BaseModel):
    """Stock accounts by code; an omitted account is left as it is on the instance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stock_valuation: CodeRef | None = None
    stock_input: CodeRef | None = None
    stock_output: CodeRef | None = None
    #: Price difference account (used with standard cost and automated valuation).
    price_difference: CodeRef | None = None


class ProductCategorySpec(Spec):
    path: CategoryPath
    costing_method: Literal["standard", "average", "fifo"] | None = None
    #: manual_periodic (Odoo 16-18) or periodic (Odoo 19), or real_time.
    valuation: Literal["manual_periodic", "periodic", "real_time"] | None = None
    #: Which stock leaves first; ``fefo`` needs the product_expiry module.
    removal_strategy: Literal["fifo", "lifo", "closest", "least_packages", "fefo"] | None = None
    routes: list[RefSpec] = Field(default_factory=list)
    accounts: AccountsSpec | None = None


class ProductCategory(Kind):
    name = "product_category"
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "product_categories"
    model = "product.category"
    module = "product"
    spec = ProductCategorySpec
    identity = "path"
    key_fields = ("complete_name",)
    #: Renaming or moving a category renames its descendants (their complete names, the keys):
    #: re-read after each batch, so later batches resolve categories by their current paths.
    side_effects = ("product_category",)
    can_archive = False
    impacts = {
        "costing_method": "Odoo revalues the on-hand stock of the category's products",
        "valuation": "Odoo revalues the on-hand stock of the category's products",
    }
    defaults_for = tuple(f"accounts.{name}" for name in ACCOUNTS)
    attrs = (
        Attr("name", "name"),
        Attr("parent", "parent_id", target="product_category"),
        Attr("costing_method", "property_cost_method"),
        Attr("valuation", "property_valuation"),
        Attr("removal_strategy", "removal_strategy_id", target="removal"),
        Attr("routes", "route_ids", target="route", many=True),
        *(Attr(f"accounts.{name}", field, target="account") for name, field in ACCOUNTS.items()),
    )

    def problems(self, values: Mapping[str, Any], fields: Mapping[str, Any]) -> list[str]:
        # Odoo 16-18 (stock_account) refuse automated valuation without the three stock
        # accounts, and a valuation account that is also the input or output account. Odoo 19
        # has no input and output accounts, and accepts a real-time category without accounts.
        if values.get("valuation") != "real_time" or ACCOUNTS["stock_input"] not in fields:
            return []
        stock = ("stock_valuation", "stock_input", "stock_output")
        missing = [f"accounts.{name}" for name in stock if not values.get(f"accounts.{name}")]
        if missing:
            return [f"automated (real_time) valuation needs {', '.join(missing)}"]
        valuation = values["accounts.stock_valuation"]
        clash = [
            f"accounts.{name}" for name in stock[1:] if values.get(f"accounts.{name}") == valuation
        ]
        if clash:
            return [f"accounts.stock_valuation {valuation!r} is also {' and '.join(clash)}"]
        return []

    def review(self, resources: Sequence[Any], changes: Sequence[Change], live: Any) -> Review:
        # Odoo reads a category's routes through the field's domain: a route not selectable on
        # categories is linked but never read back, so the plan would never converge (seen on a
        # real Odoo 18: routes [1, 2, 5] written, [2] read).
        out = Review()
        declared = {
            r.key: r.values.get(SELECTABLE_ON_CATEGORIES) for r in resources if r.kind == "route"
        }
        routes = live.records.get("route", {})
        for resource in resources:
            if resource.kind != self.name:
                continue
            for key in dict.fromkeys(resource.values.get("routes", [])):
                selectable = declared.get(key)
                ids = live.matches("route", str(key))
                if selectable is None and ids:  # not yet on the instance: Odoo generates it
                    selectable = bool(routes.get(ids[0], {}).get("product_categ_selectable"))
                if selectable is False:
                    message = (
                        f"route {key!r} is not selectable on product categories: Odoo would link "
                        "it but never show it (the plan would never converge); declare the route "
                        "with selectable: {product_categories: true}"
                    )
                    out.diagnostics.append(
                        Diagnostic(
                            "OC-X090", message, resource.source_of("routes"),
                            f"{resource.path} › routes",
                        )
                    )  # fmt: skip
        return out

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, ProductCategorySpec)
        parent, _, name = spec.path.rpartition(SEPARATOR)
        return {"name": name, "parent": parent or None, **super().values(spec)}
