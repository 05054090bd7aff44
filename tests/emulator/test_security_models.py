"""Users' groups, implied groups, user types, access rights and record rules against what a
real Odoo 18 did (``side_effects_finance_security.json``, part B), and Odoo 19's explicit
``group_ids``."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from odooconf.testing import Emulator, OdooError
from tests.emulator.helpers import replay

#: Experiments the emulator does not reproduce, and why.
NOT_REPLAYED = {
    "B2h": "(6, 0, [portal]) demoting an internal user (not emulated: odooconf never replaces)",
    "B2j": "refused for a portal user, which B2h made",
    "B2l": "promotion back from portal follows B2h",
    "B3f": "an unknown model id's foreign-key text on create",
    "B4h": "reads the twin groups B4b made, numbered after B2a's template groups",
}
#: Reads of what the emulator does not reproduce: a user created without groups gets the
#: template user's 17 groups (B2a), and the demotion and promotion above.
FOLLOWS = {"B2b", "B2c", "B2i", "B2k", "B2m"}


@pytest.fixture(scope="module")
def security(reference: Path) -> list[dict[str, Any]]:
    path = reference / "side_effects_finance_security.json"
    experiments: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["experiments"]
    return [e for e in experiments if e["label"][:1] == "B"]


def test_replay_of_part_b_gives_odoo_s_outcomes(
    emulator: Emulator, security: list[dict[str, Any]]
) -> None:
    """Every recorded call of part B, in order: the same success or the same error text; and
    every recorded read of a user's groups gives the same groups."""
    mismatches = []
    ids: dict[tuple[str, int], int] = {}
    for experiment in security:
        label = experiment["label"].split()[0]
        call = experiment.get("call")
        if label in NOT_REPLAYED or label in FOLLOWS:
            continue
        if call is None:
            result = experiment.get("result")
            if isinstance(result, dict) and "res_groups_users_rel_gids" in result:
                uid = ids.get(("res.users", result["user_id"]), result["user_id"])
                [user] = emulator.execute("res.users", "read", [uid], ["groups_id"])
                if sorted(user["groups_id"]) != sorted(result["res_groups_users_rel_gids"]):
                    mismatches.append(
                        f"{label}: groups {sorted(user['groups_id'])}, "
                        f"Odoo {sorted(result['res_groups_users_rel_gids'])}"
                    )
            continue
        args = list(call["args"])
        if args and isinstance(args[0], list) and all(isinstance(i, int) for i in args[0]):
            args[0] = [ids.get((call["model"], i), i) for i in args[0]]
        kwargs = call.get("kwargs") or {}
        execute = partial(emulator.execute, call["model"], call["method"], *args, **kwargs)
        done, result = replay(label, experiment, execute, mismatches)
        if done and call["method"] == "create" and result != experiment["result"]:
            ids[(call["model"], experiment["result"])] = result
    assert mismatches == [], "\n".join(mismatches)


def _ref(emulator: Emulator, xmlid: str) -> int:
    module, name = xmlid.split(".")
    found: list[Any] = emulator.execute("ir.model.data", "check_object_reference", module, name)
    return int(found[1])


def _groups(emulator: Emulator, uid: int, field: str) -> set[int]:
    [user] = emulator.execute("res.users", "read", [uid], [field])
    return set(user[field])


def test_implied_groups_reach_members_and_never_leave_them(emulator: Emulator) -> None:
    stock_user, internal = (
        _ref(emulator, "stock.group_stock_user"),
        _ref(emulator, "base.group_user"),
    )
    clerks = emulator.execute(
        "res.groups", "create", {"name": "Clerks", "implied_ids": [(4, stock_user)]}
    )
    uid = emulator.execute(
        "res.users", "create", {"name": "C", "login": "c", "groups_id": [(6, 0, [internal])]}
    )
    emulator.execute("res.users", "write", [uid], {"groups_id": [(4, clerks)]})
    assert {clerks, stock_user, internal} <= _groups(emulator, uid, "groups_id")
    emulator.execute("res.users", "write", [uid], {"groups_id": [(3, clerks)]})
    held = _groups(emulator, uid, "groups_id")
    assert clerks not in held and stock_user in held  # B1j: the implied group stays
    portal = _ref(emulator, "base.group_portal")
    with pytest.raises(OdooError, match="more than one user types"):
        emulator.execute("res.users", "write", [uid], {"groups_id": [(4, portal)]})


def test_odoo_19_keeps_only_the_explicit_groups_and_computes_the_rest() -> None:
    emulator = Emulator(database="demo", login="admin", password="admin", version="19.0")
    fields = emulator.execute("res.users", "fields_get", [], attributes=["type"])
    assert "group_ids" in fields and "groups_id" not in fields and "all_group_ids" in fields
    groups = emulator.execute("res.groups", "fields_get", [], attributes=["type"])
    assert "privilege_id" in groups and "category_id" not in groups
    stock_user, internal = (
        _ref(emulator, "stock.group_stock_user"),
        _ref(emulator, "base.group_user"),
    )
    uid = emulator.execute(
        "res.users", "create", {"name": "C", "login": "c", "group_ids": [(6, 0, [internal])]}
    )
    emulator.execute("res.users", "write", [uid], {"group_ids": [(4, stock_user)]})
    assert _groups(emulator, uid, "group_ids") == {internal, stock_user}
    assert internal in _groups(emulator, uid, "all_group_ids")
    emulator.execute("res.users", "write", [uid], {"group_ids": [(3, stock_user)]})
    assert stock_user not in _groups(emulator, uid, "all_group_ids")


def test_record_rules_check_their_domain_only_while_active(emulator: Emulator) -> None:
    [partner] = emulator.execute("ir.model", "search", [("model", "=", "res.partner")])
    broken = {"model_id": partner, "name": "R", "domain_force": "[('name', '=', "}
    with pytest.raises(OdooError, match="Invalid domain: '\\(' was never closed"):
        emulator.execute("ir.rule", "create", broken)
    rid = emulator.execute("ir.rule", "create", {**broken, "active": False})
    with pytest.raises(OdooError, match="was never closed"):
        emulator.execute("ir.rule", "write", [rid], {"active": True})
    path = {"model_id": partner, "name": "P", "domain_force": "[('company_id.nope', '=', 1)]"}
    with pytest.raises(OdooError, match=r"Invalid field res\.company\.nope in leaf"):
        emulator.execute("ir.rule", "create", path)
    ok = emulator.execute("ir.rule", "create", {"model_id": partner, "name": "G"})
    [rule] = emulator.execute("ir.rule", "read", [ok], ["global", "perm_read", "perm_unlink"])
    assert (rule["global"], rule["perm_read"], rule["perm_unlink"]) == (True, True, True)


@pytest.mark.parametrize(("version", "propagated"), [("18.0", True), ("19.0", False)])
def test_a_group_given_an_implication_gives_its_members_the_implied_group_up_to_18_only(
    version: str, propagated: bool
) -> None:
    """18 stores implied groups in each member's groups (B1); 19 stores only the groups a
    user was given and computes the rest (``res_groups.py``: ``write`` adds no member,
    ``all_user_ids`` is computed)."""
    emulator = Emulator(database="sec", login="admin", password="x", version=version)
    users = "user_ids" if version == "19.0" else "users"
    uid = emulator.add_user("clerk", "clerk-secret")
    lead: Any = emulator.execute("res.groups", "create", {"name": "Lead", users: [(4, uid)]})
    implied: Any = emulator.execute("res.groups", "create", {"name": "Implied"})
    emulator.execute("res.groups", "write", [lead], {"implied_ids": [(4, implied)]})
    [row] = emulator.execute("res.groups", "read", [implied], [users])
    assert (uid in row[users]) is propagated
    if version == "19.0":
        [row] = emulator.execute("res.groups", "read", [implied], ["all_user_ids"])
        assert uid in row["all_user_ids"]
