"""While planning, the instance is read by the read stage only (``engine/read.py``), into
``LiveState``: kinds declare what they need (``Kind.needs``), their plan-time hooks and the
policies read nothing themselves.

Two stages after the diff still ask the server, and are named here so that a new one cannot
slip in: the price checks (``engine/checks.py``, ``engine/prices.py``) ask Odoo to *compute*
prices, which is not reading state; the settings preflight (``engine/preflight.py``) asks about
the records the changes touch, known only after the diff. The finance guard rails
(``policies/finance.py``) declare what they read after the diff, and the read stage reads it.
Before planning, the command itself (not the plan) asks whether an apply holds the instance's
lock (``odooconf/lock.py``, a row of ``ir.config_parameter``, not the state planned). ``plan``
reads through a recorder of what it read (``engine/saved.py``, for saved plans): a
pass-through, not a reader.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable
from typing import Any

import pytest

from odooconf.engine.saved import Recorder
from odooconf.odoo.rpc import RpcGateway
from tests.integration.conftest import REPO, Project
from tests.integration.test_example_golden import _environment, _holders, _products

READ_STAGE = {"odooconf.engine.read", "odooconf.engine.pipeline"}
AFTER_THE_DIFF = {
    "odooconf.engine.checks",
    "odooconf.engine.prices",
    "odooconf.engine.preflight",
}
#: Whether an apply holds the lock: the command says so before planning.
BESIDE_THE_PLAN = {"odooconf.lock"}
METHODS = ("existing_models", "fields", "search_read", "default_get")


def _caller() -> str:
    """The module of odooconf that asked the gateway (the first frame outside odooconf.odoo)."""
    for frame in inspect.stack()[2:]:
        if isinstance(frame.frame.f_locals.get("self"), Recorder):
            continue
        module = str(frame.frame.f_globals.get("__name__", ""))
        if module.startswith("odooconf.") and not module.startswith("odooconf.odoo"):
            return module
    return "?"


def _recording(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    callers: dict[str, set[str]] = {}
    for name in METHODS:
        method: Callable[..., Any] = getattr(RpcGateway, name)

        def wrapper(self: Any, *args: Any, _method: Any = method, _name: str = name) -> Any:
            callers.setdefault(_caller(), set()).add(_name)
            return _method(self, *args)

        monkeypatch.setattr(RpcGateway, name, wrapper)
    return callers


def test_only_the_read_stage_reads_the_instance_while_planning(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped example with everything: approvals, vendors named, roles assigned to users,
    policies, price checks."""
    odoo = project.odoo
    for login in _holders():
        odoo.add_user(login, "x-password-1", ["base.group_user"])
    _products(odoo)
    shutil.rmtree(project.blueprints)
    shutil.copytree(REPO / "blueprints", project.blueprints)
    env = _environment("production", odoo, odoo.version, "  approval_levels: 1\n")
    (project.root / "environments" / "test.yaml").write_text(env, encoding="utf-8")
    callers = _recording(monkeypatch)

    result = project.run("plan", "-e", "test")

    assert result.code == 0, result.err
    assert "odooconf.engine.read" in callers
    assert set(callers) - {"odooconf.cli"} <= READ_STAGE | AFTER_THE_DIFF | BESIDE_THE_PLAN, callers
    assert not {m for m in callers if m.startswith(("odooconf.kinds", "odooconf.policies"))} - {
        "odooconf.kinds.account"
    }
