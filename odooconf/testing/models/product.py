"""Products (template + variant), product categories and pricelist items."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..orm import Model, register
from ..store import Row


def _selectable_routes(model: Model, ids: Any, flag: str) -> Any:
    """Odoo's ``Many2many.read`` applies a field's static domain: ``route_ids`` of products and
    categories keep a route that is not selectable on them but never read it back."""
    if not isinstance(ids, list):
        return ids
    routes = model.env.db.store.tables.get("stock.route", {})
    return [rid for rid in ids if (routes.get(rid) or {}).get(flag)]


def _code_name(row: Row, name: Any) -> str:
    code = row.get("default_code")
    return f"[{code}] {name}" if code else str(name or "")


@register
class ProductTemplate(Model):
    """A template gets one variant; its ``default_code`` is the one of its single variant."""

    _name = "product.template"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("categ_id", self.env.ref("product.product_category_all") or False)
        vals.setdefault("uom_id", self.env.ref("uom.product_uom_unit") or False)
        if "uom_po_id" in self.schema.fields:  # no purchase unit of measure on 19
            vals.setdefault("uom_po_id", vals["uom_id"])
        if "detailed_type" in self.schema.fields:
            # 16/17: the product type is derived from the required detailed_type (default
            # consumable); a client giving only ``type`` gets the same detailed type.
            vals.setdefault("detailed_type", vals.get("type") or "consu")
            vals.setdefault("type", vals["detailed_type"])

    def value(self, row: Row, fname: str) -> Any:
        result = super().value(row, fname)
        if fname == "route_ids":  # domain=[('product_selectable', '=', True)]
            return _selectable_routes(self, result, "product_selectable")
        return result

    def variants(self, tmpl_id: int) -> list[int]:
        products = self.env.with_context(active_test=False)["product.product"]
        return products.referencing("product_tmpl_id", tmpl_id)

    def compute(self, row: Row, fname: str) -> Any:
        if fname in ("product_variant_id", "product_variant_count"):
            variants = self.env["product.product"].visible(self.variants(row["id"]))
            if fname == "product_variant_count":
                return len(variants)
            return variants[0] if variants else False
        return super().compute(row, fname)

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        return _code_name(row, row.get("name"))

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = super().create(vals_list)
        if self.env.context.get("create_product_product", True) is not False:
            products = self.env["product.product"]
            for tmpl_id in ids:
                row = self.rows([tmpl_id])[0]
                products.create(
                    [
                        {
                            "product_tmpl_id": tmpl_id,
                            "default_code": row.get("default_code") or False,
                            "active": bool(row.get("active")),
                        }
                    ]
                )
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, vals)
        products = self.env["product.product"]
        for tmpl_id in ids:
            variants = self.variants(tmpl_id)
            if "default_code" in vals and len(variants) == 1:
                products.write(variants, {"default_code": vals["default_code"]})
            if "active" in vals:
                products.write(variants, {"active": vals["active"]})


@register
class ProductProduct(Model):
    """A variant; fields it does not store are read from and written to its template."""

    _name = "product.product"

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        return _code_name(row, self.value(row, "name"))

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = super().create(vals_list)
        templates = self.env.with_context(active_test=False)["product.template"]
        for rid in ids:
            row = self.rows([rid])[0]
            template = templates.row(row.get("product_tmpl_id") or 0)
            if template is not None and template.get("default_code") != row.get("default_code"):
                self.store.update(
                    "product.template", template["id"], {"default_code": row.get("default_code")}
                )
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, vals)
        if "default_code" not in vals:
            return
        templates = ProductTemplate(self.env, self.env.db.schemas["product.template"])
        for row in self.rows(ids):
            tmpl_id = row.get("product_tmpl_id") or 0
            if templates.row(tmpl_id) is not None and len(templates.variants(tmpl_id)) == 1:
                self.store.update(
                    "product.template", tmpl_id, {"default_code": vals["default_code"]}
                )

    def unlink(self, ids: list[int]) -> None:
        """Deleting the last variant of a template deletes the template too."""
        rows = self.rows(ids)
        templates = ProductTemplate(self.env, self.env.db.schemas["product.template"])
        super().unlink(ids)
        for tmpl_id in {r.get("product_tmpl_id") for r in rows}:
            if tmpl_id and templates.row(tmpl_id) is not None and not templates.variants(tmpl_id):
                templates.unlink([tmpl_id])


#: The stock accounts automated valuation needs (stock_account).
_STOCK_ACCOUNTS = (
    "property_stock_account_input_categ_id",
    "property_stock_account_output_categ_id",
    "property_stock_valuation_account_id",
)
_VALUATION_FIELDS = frozenset({*_STOCK_ACCOUNTS, "property_valuation"})


@register
class ProductCategory(Model):
    """Categories with their stored ``"Parent / Child"`` complete name."""

    _name = "product.category"

    def value(self, row: Row, fname: str) -> Any:
        result = super().value(row, fname)
        if fname == "route_ids":  # domain=[('product_categ_selectable', '=', True)]
            return _selectable_routes(self, result, "product_categ_selectable")
        return result

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = super().create(vals_list)
        self._recompute_names(ids)
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        variation = self.schema.fields.get("account_stock_variation_id")
        if variation is not None and not variation.store and variation.name in vals:
            # Odoo 19: related to the valuation account's stock variation account, written
            # through to that account (19/side_effects.md, difference 20).
            accounts = {
                self.value(row, "property_stock_valuation_account_id") for row in self.rows(ids)
            }
            self.env["account.account"].write(
                sorted(a for a in accounts if a), {variation.name: vals[variation.name]}
            )
        super().write(ids, vals)
        if "name" in vals or "parent_id" in vals:
            self._recompute_names(ids)

    def compute(self, row: Row, fname: str) -> Any:
        field = self.schema.fields.get(fname)
        if fname == "account_stock_variation_id" and field is not None and not field.store:
            account = self.value(row, "property_stock_valuation_account_id")
            accounts = self.env["account.account"]
            account_row = accounts.row(account) if account else None
            return accounts.value(account_row, fname) if account_row else False
        return super().compute(row, fname)

    def _validate(self, ids: list[int], written: set[str]) -> None:
        super()._validate(ids, written)
        # Odoo 19 has no stock input/output accounts and no such check (19/side_effects.md,
        # differences 17 and 19).
        if _VALUATION_FIELDS & written and all(f in self.schema.fields for f in _STOCK_ACCOUNTS):
            self._check_valuation_accounts(ids)

    def _check_valuation_accounts(self, ids: list[int]) -> None:
        """stock_account's constraint, on the values of the current company (company-dependent
        fields, falling back to the company's defaults): automated valuation needs the three
        stock accounts, and the valuation account must differ from the input and output ones."""
        for row in self.rows(ids):
            accounts = {fname: self.value(row, fname) for fname in _STOCK_ACCOUNTS}
            if self.value(row, "property_valuation") == "real_time" and not all(accounts.values()):
                raise errors.validation(
                    "The stock accounts should be set in order to use the automatic valuation."
                )
            valuation = accounts["property_stock_valuation_account_id"]
            others = (
                accounts["property_stock_account_input_categ_id"],
                accounts["property_stock_account_output_categ_id"],
            )
            if valuation and valuation in others:
                raise errors.validation(
                    "The Stock Input and/or Output accounts cannot be the same as the Stock "
                    "Valuation account."
                )

    def check(self, ids: list[int]) -> None:
        for rid in ids:
            seen = {rid}
            parent = self.rows([rid])[0].get("parent_id")
            while parent:
                if parent in seen:
                    raise errors.validation("You cannot create recursive categories.")
                seen.add(parent)
                parent = (self.row(parent) or {}).get("parent_id")

    def unlink(self, ids: list[int]) -> None:
        main = self.env.ref("product.product_category_all")
        if main in ids:
            name = self.rows([main])[0].get("name")
            raise errors.user_error(f"You cannot delete the {name} product category.")
        super().unlink(ids)

    def _recompute_names(self, ids: list[int]) -> None:
        todo = list(ids)
        while todo:
            rid = todo.pop(0)
            row = self.row(rid)
            if row is None:
                continue
            parent = self.row(row.get("parent_id") or 0)
            name = row.get("name") or ""
            complete = f"{parent.get('complete_name')} / {name}" if parent else name
            path = f"{parent.get('parent_path') if parent else ''}{rid}/"
            self.store.update(self.name, rid, {"complete_name": complete, "parent_path": path})
            todo.extend(self.referencing("parent_id", rid))


@register
class ProductPricelistItem(Model):
    _name = "product.pricelist.item"

    def check(self, ids: list[int]) -> None:
        messages = {
            "2_product_category": ("categ_id", "category"),
            "1_product": ("product_tmpl_id", "product"),
            "0_product_variant": ("product_id", "product variant"),
        }
        for row in self.rows(ids):
            needed = messages.get(str(row.get("applied_on")))
            if needed and not row.get(needed[0]):
                raise errors.validation(
                    f"Please specify the {needed[1]} for which this rule should be applied"
                )
            if (row.get("price_min_margin") or 0.0) > (
                row.get("price_max_margin") or 0.0
            ) and row.get("price_max_margin"):
                raise errors.validation(
                    "The minimum margin should be lower than the maximum margin."
                )


@register
class ProductSupplierinfo(Model):
    _name = "product.supplierinfo"

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        for vals in vals_list:
            self._sanitize_vals(vals)
        return super().create(vals_list)

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        vals = dict(vals)
        self._sanitize_vals(vals)
        super().write(ids, vals)

    def _sanitize_vals(self, vals: dict[str, Any]) -> None:
        """Odoo 18 product_supplierinfo.py ``_sanitize_vals`` (create and write): a variant
        given without a template brings its template."""
        if vals.get("product_id") and not vals.get("product_tmpl_id"):
            variant = self.env.db.store.get("product.product", vals["product_id"])
            if variant is not None:
                vals["product_tmpl_id"] = variant.get("product_tmpl_id") or False

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        company = self.env.db.store.get("res.company", self.env.company_id) or {}
        vals.setdefault("currency_id", company.get("currency_id") or False)
        fields = self.schema.fields
        if fields.get("product_tmpl_id") is not None and fields["product_tmpl_id"].required:
            # 19: the template is computed from the variant (product_supplierinfo.py).
            variant = self.env.db.store.get("product.product", vals.get("product_id") or 0)
            if variant is not None and not vals.get("product_tmpl_id"):
                vals["product_tmpl_id"] = variant.get("product_tmpl_id") or False
        if "product_uom_id" in fields and not vals.get("product_uom_id"):
            # 19: the unit is computed from the template's unit of measure.
            template = self.env.db.store.get("product.template", vals.get("product_tmpl_id") or 0)
            vals["product_uom_id"] = (template or {}).get("uom_id") or False
