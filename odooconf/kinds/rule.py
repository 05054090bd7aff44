"""Stock rules (``stock.rule``). Odoo gives them no unique key, so odooconf defines one:
route, action, source and destination (``DC1/delivery | pull | DC1/Stock → Customers``).
Two rules of a blueprint with the same key are an error; on the instance, an active rule wins
over archived ones Odoo left behind when it rebuilt a route.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Spec, linked_key
from odooconf.kinds.location import LocationKey


class InlineRuleSpec(Spec):
    """A rule written inside its route."""

    #: pull, push, pull_push; buy (purchase_stock) and manufacture (mrp) when installed.
    action: str = Field(min_length=1)
    #: Locations by path (they are part of the rule's key).
    source: LocationKey | None = None
    destination: LocationKey
    operation_type: RefSpec
    #: Odoo's procure_method: make_to_stock (take from stock), make_to_order (trigger another
    #: rule), mts_else_mto (take from stock, else trigger another rule).
    supply_method: Literal["make_to_stock", "make_to_order", "mts_else_mto"] | None = None
    #: Lead time in days.
    lead_time: int | None = Field(default=None, ge=0)
    propagate_cancel: bool | None = None
    propagate_carrier: bool | None = None
    #: Procurement group propagation (Odoo 16-18: none, propagate, fixed).
    group_propagation: Literal["none", "propagate", "fixed"] | None = None
    warehouse: RefSpec | None = None
    #: Default: the company of its operation type.
    company: RefSpec | None = None
    name: str | None = None
    sequence: int | None = None
    active: bool = True


class RuleSpec(InlineRuleSpec):
    """A rule in the ``rules:`` section, naming its route (which may be one Odoo generated)."""

    route: str


def rule_key(route: str, action: str, source: str | None, destination: str) -> str:
    return f"{route} | {action} | {source or '-'} → {destination}"


class Rule(Kind):
    name = "rule"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "rules"
    model = "stock.rule"
    module = "stock"
    spec = RuleSpec
    identity = "action"
    container = "route"
    company_from = "operation_type"
    archived_with = ("route", "warehouse")
    key_fields = ("route_id", "action", "location_src_id", "location_dest_id")
    attrs = (
        Attr("route", "route_id", target="route"),
        Attr("action", "action"),
        Attr("source", "location_src_id", target="location"),
        Attr("destination", "location_dest_id", target="location"),
        Attr("operation_type", "picking_type_id", target="operation_type"),
        Attr("supply_method", "procure_method"),
        Attr("lead_time", "delay"),
        Attr("propagate_cancel", "propagate_cancel"),
        Attr("propagate_carrier", "propagate_carrier"),
        Attr("group_propagation", "group_propagation_option"),
        Attr("warehouse", "warehouse_id", target="warehouse"),
        Attr("company", "company_id", target="company"),
        Attr("name", "name"),
        Attr("sequence", "sequence"),
        Attr("active", "active"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, RuleSpec)
        return rule_key(spec.route, spec.action, spec.source, spec.destination)

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        route = linked_key(record, "route_id", "route", keyer)
        destination = linked_key(record, "location_dest_id", "location", keyer)
        if not (route and destination):
            return None
        source = linked_key(record, "location_src_id", "location", keyer)
        return rule_key(route, str(record.get("action")), source, destination)

    def create_defaults(self, key: str, values: Mapping[str, Any]) -> dict[str, Any]:
        # Odoo requires a name; this one reads like those Odoo gives its own rules.
        source = values.get("source") or "-"
        return {"name": f"{values['route']}: {source} → {values['destination']}"}
