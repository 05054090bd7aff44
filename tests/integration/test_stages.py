"""The planning stages return what they make and leave their inputs as they were.

A stage that changed the resources it was given (a reference resolved in place, a dependency
added) would make a second use of the same blueprints (a re-plan, a doctor run, a preview) see
another input than the first: the inputs are copied before each stage and compared after it.
"""

from __future__ import annotations

import copy
from typing import Any

from odooconf.config import load_environment
from odooconf.engine.diff import diff_resources
from odooconf.engine.pipeline import Blueprints, load_blueprints
from odooconf.engine.read import read_live_state
from odooconf.engine.resolve import resolve_references
from odooconf.model.live import LiveState
from odooconf.odoo.rpc import RpcGateway

from .conftest import PASSWORD, Project

#: A location moved to another path, a new one declared where it was (ordered after the move),
#: and a role implying Odoo's own group by external id (resolved to its key against the instance).
MOVED = """\
    locations:
      - {id: bulk, path: WH/Stock/Bulk 2}
      - {path: WH/Stock/Bulk}
"""
ROLE = """\
    roles:
      - {name: Auditors, implied: [{xmlid: base.group_user}]}
"""


def _data(live: LiveState) -> dict[str, Any]:
    """What was read (the key caches a LiveState fills as it is asked are not input)."""
    return {
        name: getattr(live, name)
        for name in ("fields", "models", "records", "xmlids", "defaults", "created", "aliases")
    }


def test_loading_returns_the_resources_and_price_checks_together(project: Project) -> None:
    project.write("w.yaml", "warehouses: [{code: DC1, name: Central}]")
    project.write(
        "checks.yaml",
        "price_checks: [{pricelist: Retail, product: WIDGET, quantity: 2, expected: 9.5}]",
    )
    env = load_environment(project.root / "environments", "test")
    loaded = load_blueprints(project.blueprints, env)
    assert isinstance(loaded, Blueprints)
    assert [str(r.address) for r in loaded.resources] == ["warehouse DC1"]
    assert [check.spec.expected for check in loaded.checks] == [9.5]
    assert copy.copy(loaded).checks == loaded.checks


def test_resolving_and_diffing_change_none_of_their_inputs(project: Project) -> None:
    project.write("stock/locations.yaml", "locations: [{id: bulk, path: WH/Stock/Bulk}]")
    project.apply_ok()
    project.write("stock/locations.yaml", MOVED)
    project.write("security/roles.yaml", ROLE)
    env = load_environment(project.root / "environments", "test")
    loaded = load_blueprints(project.blueprints, env)
    resources = list(loaded.resources)
    gateway = RpcGateway(project.odoo.url, project.odoo.database, "admin", PASSWORD)
    live = read_live_state(gateway, resources, env.spec.xmlid_namespace)

    frozen = copy.deepcopy(resources)
    assert resolve_references(resources) == frozen
    assert resources == frozen

    read = copy.deepcopy(_data(live))
    diff = diff_resources(resources, live, env.spec.prune)
    assert diff.diagnostics == []
    assert resources == frozen
    assert _data(live) == read
    # What the diff resolved is in what it returns: the new location comes after the move, and
    # the role implies Odoo's group by its key.
    planned = {str(r.address): r for r in diff.resources}
    moved = planned["location WH/Stock/Bulk"]
    assert {str(a) for a in moved.depends_on} >= {"location WH/Stock/Bulk 2"}
    assert all(isinstance(ref, str) for ref in planned["role Auditors"].values["implied"])
