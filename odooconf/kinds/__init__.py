"""Registry of resource kinds and lookups, written out by hand so grep and mypy follow it.

The order of ``KINDS`` is the apply order between kinds at the same dependency level.
"""

from __future__ import annotations

from odooconf.kinds._base import Kind, Lookup, Target
from odooconf.kinds.access_right import AccessRight
from odooconf.kinds.account import Account
from odooconf.kinds.account_group import AccountGroup
from odooconf.kinds.approval import ApprovalLevel, PurchaseApproval, TierDefinition
from odooconf.kinds.approval_backend import Approval
from odooconf.kinds.fiscal_position import (
    FiscalPosition,
    FiscalPositionAccount,
    FiscalPositionTax,
)
from odooconf.kinds.house_rule import HouseRule
from odooconf.kinds.journal import Journal
from odooconf.kinds.location import Location
from odooconf.kinds.lookups import (
    ACCOUNT_TAG,
    APP_CATEGORY,
    COMPANY,
    COUNTRY,
    COUNTRY_GROUP,
    CURRENCY,
    IR_MODEL,
    PACKAGE_TYPE,
    PARTNER,
    PRIVILEGE,
    PRODUCT,
    PRODUCT_TEMPLATE,
    REMOVAL,
    STORAGE_CATEGORY,
    UOM,
    USER,
)
from odooconf.kinds.operation_type import OperationType
from odooconf.kinds.pricelist import Pricelist, PricelistItem
from odooconf.kinds.product_category import ProductCategory
from odooconf.kinds.putaway_rule import PutawayRule
from odooconf.kinds.record_rule import RecordRule
from odooconf.kinds.reordering_rule import ReorderingRule
from odooconf.kinds.role import Role
from odooconf.kinds.role_assignment import RoleAssignment
from odooconf.kinds.route import Route
from odooconf.kinds.rule import Rule
from odooconf.kinds.sod_policy import SodPolicy
from odooconf.kinds.tax import Tax, TaxLine
from odooconf.kinds.tax_group import TaxGroup
from odooconf.kinds.vendor_price import VendorPrice
from odooconf.kinds.warehouse import Warehouse

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Warehouse(),
        Location(),
        OperationType(),
        Route(),
        Rule(),
        ProductCategory(),
        PutawayRule(),
        ReorderingRule(),
        Pricelist(),
        PricelistItem(),
        VendorPrice(),
        Account(),
        AccountGroup(),
        TaxGroup(),
        Tax(),
        TaxLine(),
        Journal(),
        FiscalPosition(),
        FiscalPositionTax(),
        FiscalPositionAccount(),
        Role(),
        AccessRight(),
        RecordRule(),
        RoleAssignment(),
        SodPolicy(),
        HouseRule(),
        Approval(),
        ApprovalLevel(),
        TierDefinition(),
        PurchaseApproval(),
    )
}
LOOKUPS: dict[str, Lookup] = {
    lookup.name: lookup
    for lookup in (COMPANY, PRODUCT, REMOVAL, PACKAGE_TYPE, STORAGE_CATEGORY, UOM)
}
LOOKUPS.update((lookup.name, lookup) for lookup in (CURRENCY, COUNTRY_GROUP, PRODUCT_TEMPLATE))
LOOKUPS.update((lookup.name, lookup) for lookup in (PARTNER, USER, IR_MODEL))
LOOKUPS.update((lookup.name, lookup) for lookup in (APP_CATEGORY, PRIVILEGE))
LOOKUPS.update((lookup.name, lookup) for lookup in (ACCOUNT_TAG, COUNTRY))
TARGETS: dict[str, Target] = {**KINDS, **LOOKUPS}
#: Kinds planned from another section (a level of ``approvals``, the backends it maps onto)
#: have no section of their own.
SECTIONS: dict[str, Kind] = {kind.section: kind for kind in KINDS.values() if kind.section}

__all__ = ["KINDS", "LOOKUPS", "SECTIONS", "TARGETS", "Kind", "Lookup", "Target"]
