"""Models odooconf references but does not manage: each keyed by one readable field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator

from odooconf.kinds._base import Keyer, KeyRef, Lookup, RefSpec


def _number_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: A reference by code (a product's default code, an account code). YAML reads an unquoted
#: ``110100`` as a number, so a whole number is taken as its text (``0123``, which YAML 1.1 reads
#: as octal, is kept as written by the parser).
CodeRef = Annotated[RefSpec, BeforeValidator(_number_as_text, json_schema_input_type=RefSpec | int)]
#: The same, as part of a natural key (a code only, no external id).
CodeKey = Annotated[KeyRef, BeforeValidator(_number_as_text, json_schema_input_type=str | int)]


COMPANY = Lookup("company", "res.company", "base", "name")
#: Products are master data, referenced by internal reference (default code).
PRODUCT = Lookup("product", "product.product", "product", "default_code")
PACKAGE_TYPE = Lookup("package_type", "stock.package.type", "stock", "name")
STORAGE_CATEGORY = Lookup("storage_category", "stock.storage.category", "stock", "name")
#: One removal strategy per method (fifo, lifo, closest, least_packages; fefo only with the
#: product_expiry module).
REMOVAL = Lookup(
    "removal", "product.removal", "stock", "method",
    hints={"fefo": "FEFO comes with the product_expiry module"},
)  # fmt: skip
#: Account tags by name (``Operating Activities``).
ACCOUNT_TAG = Lookup("account_tag", "account.account.tag", "account", "name")
#: Countries by ISO code (``CA``).
COUNTRY = Lookup("country", "res.country", "base", "code")
#: Units of measure and packagings by name (``Units``, ``Pack of 6``).
UOM = Lookup("uom", "uom.uom", "uom", "name")
#: Currencies by ISO code (``USD``), archived ones included.
CURRENCY = Lookup("currency", "res.currency", "base", "name")
#: Country groups by name (``Europe``).
COUNTRY_GROUP = Lookup("country_group", "res.country.group", "base", "name")
#: Product templates by internal reference (a pricelist item on a product and all its variants).
PRODUCT_TEMPLATE = Lookup("product_template", "product.template", "product", "default_code")
#: Partners (vendors) by name: master data, never created by odooconf.
PARTNER = Lookup("partner", "res.partner", "base", "name")


class _Application(Lookup):
    """Applications (``ir.module.category``) by path, as Odoo's settings group them:
    ``Inventory / Purchase``, ``Sales / Sales``, ``Technical``. Odoo 18 reuses names (four
    categories are called Purchase), so a name alone is ambiguous. Read narrowly like every
    lookup: the categories the instance's groups are in."""

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        name, parent = record.get("name"), record.get("parent_id")
        if not name:
            return None
        return f"{parent[1]} / {name}" if parent else str(name)


#: A role's application up to Odoo 18 (``res.groups.category_id``).
APP_CATEGORY = _Application("app_category", "ir.module.category", "base", "name")
APP_CATEGORY.key_fields = ("name", "parent_id")
#: A role's privilege from Odoo 19 (``res.groups.privilege_id``), by name.
PRIVILEGE = Lookup("privilege", "res.groups.privilege", "base", "name")
#: Users by login.
USER = Lookup("user", "res.users", "base", "login")
#: Models by technical name (``purchase.order``).
IR_MODEL = Lookup("ir_model", "ir.model", "base", "model")
