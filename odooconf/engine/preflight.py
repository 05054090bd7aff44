"""Stage 8b: what the login will be refused, said by the plan before any write.

Some changes make Odoo switch a setting by itself: a company's second warehouse makes every
internal user imply multi-warehouse and storage locations (``base.group_user``'s implied groups,
partly through ``res.config.settings``). Only Administration/Settings (``base.group_system``)
may do that, so an Inventory administrator's apply would stop at its first such write. The plan
reads what is already switched on and what the login may do (two calls, made only when the plan
has such a change) and reports each change that would be refused, with what to do first.
"""

from __future__ import annotations

from typing import Any

from odooconf.kinds import KINDS
from odooconf.kinds._base import switches
from odooconf.kinds.groups import group_users_field
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Change
from odooconf.model.resource import DesiredResource
from odooconf.odoo.gateway import Gateway

_USER = "base.group_user"
_SETTINGS = "base.group_system"


def preflight(
    changes: list[Change], resources: list[DesiredResource], gateway: Gateway
) -> list[Diagnostic]:
    switching = {c.xmlid: groups for c in changes if (groups := switches(KINDS[c.kind], c))}
    if not switching:
        return []
    wanted = sorted({_USER, _SETTINGS, *(g for groups in switching.values() for g in groups)})
    ids = _group_ids(gateway, wanted)
    if _USER not in ids or _SETTINGS not in ids:
        return []  # not an Odoo this check knows; the apply reports Odoo's own refusal
    server = gateway.server
    users_field = group_users_field(server.release[0])
    domain: list[Any] = ["|", ("id", "=", ids[_USER]), "&", ("id", "=", ids[_SETTINGS])]
    domain.append((users_field, "in", [server.uid]))
    rows = {row["id"]: row for row in gateway.search_read("res.groups", domain, ["implied_ids"])}
    if ids[_SETTINGS] in rows:
        return []  # the login may change settings
    implied = set(rows.get(ids[_USER], {}).get("implied_ids", []))
    sources = {resource.xmlid: resource for resource in resources}
    out = []
    for change in changes:
        missing = [g for g in switching.get(change.xmlid, ()) if ids.get(g) not in implied]
        if not missing:
            continue
        resource = sources.get(change.xmlid)
        message = (
            f"{change.action.value} {change.address} makes Odoo switch on "
            f"{' and '.join(missing)} for every internal user (base.group_user), which only "
            f"Administration/Settings (base.group_system) may do, and {server.login!r} lacks "
            "it: give it that group for this apply, or have an administrator switch them on "
            "first (creating a second warehouse by hand once does it)"
        )
        out.append(
            Diagnostic(
                "OC-X070",
                message,
                resource.source if resource else None,
                resource.path if resource else "",
            )
        )
    return out


def _group_ids(gateway: Gateway, xmlids: list[str]) -> dict[str, int]:
    names = sorted(xmlid.split(".", 1)[1] for xmlid in xmlids)
    domain: list[Any] = [("model", "=", "res.groups"), ("name", "in", names)]
    rows = gateway.search_read("ir.model.data", domain, ["module", "name", "res_id"])
    found = {f"{row['module']}.{row['name']}": int(row["res_id"]) for row in rows}
    return {xmlid: found[xmlid] for xmlid in xmlids if xmlid in found}
