"""Models odooconf references but does not manage: each keyed by one readable field."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from odooconf.kinds._base import KeyRef, Lookup, RefSpec


def _number_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: A reference by code (a product's default code, an account code). YAML reads an unquoted
#: ``110100`` as a number, so a whole number is taken as its text; quote codes that start with 0
#: (YAML reads ``0123`` as an octal number).
CodeRef = Annotated[RefSpec, BeforeValidator(_number_as_text)]
#: The same, as part of a natural key (a code only, no external id).
CodeKey = Annotated[KeyRef, BeforeValidator(_number_as_text)]


class Company(Lookup):
    name = "company"
    model = "res.company"
    module = "base"
    key_fields = ("name",)


class Product(Lookup):
    """Products are master data: referenced by internal reference (default code)."""

    name = "product"
    model = "product.product"
    module = "product"
    key_fields = ("default_code",)


class PackageType(Lookup):
    name = "package_type"
    model = "stock.package.type"
    module = "stock"
    key_fields = ("name",)


class StorageCategory(Lookup):
    name = "storage_category"
    model = "stock.storage.category"
    module = "stock"
    key_fields = ("name",)


class Removal(Lookup):
    """Removal strategies: one record per method (fifo, lifo, closest, least_packages; fefo
    exists only with the product_expiry module), keyed by that method."""

    name = "removal"
    model = "product.removal"
    module = "stock"
    key_fields = ("method",)
    hints = {"fefo": "FEFO comes with the product_expiry module"}


class Account(Lookup):
    """Accounts, keyed by code. From Odoo 18 one account may serve several companies and its
    code is company-dependent: it is the code in the company odooconf works in."""

    name = "account"
    model = "account.account"
    module = "account"
    key_fields = ("code",)
