"""Odoo-specific model behaviours, registered on import (see ``odooconf.testing.orm.register``)."""

from __future__ import annotations

import importlib

_MODULES = (
    "base",
    "location",
    "routing",
    "picking_type",
    "warehouse",
    "product",
    "replenishment",
    "pricelist",
    "tier",
    "account",
    "security",
    "mail",
)


def load() -> None:
    """Import every behaviour module so that its models are registered."""
    for name in _MODULES:
        importlib.import_module(f"{__name__}.{name}")
