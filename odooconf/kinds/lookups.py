"""Models odooconf references but does not manage: each keyed by one readable field."""

from __future__ import annotations

from odooconf.kinds._base import Lookup


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
