"""The sensitive areas: what the playbook names the riskiest things a user may do in Odoo (price
overrides, vendor bank changes, inventory adjustments, credit limit overrides, accounting
postings), mapped to the groups and model rights that allow them, and every change a plan makes
that lets a role or a user do one of them who could not before.

Each area was read in Odoo's source of 16.0, 17.0, 18.0 and 19.0, and in the ``ir.model.access``
and ``res.groups`` of real 18 and 19 databases:

* price overrides: create, write or delete on ``product.pricelist.item`` (the prices the
  pricelists give), or the group *Discount on lines* (a salesperson's discount on an order line):
  ``product.group_discount_per_so_line`` on 16 and 17, ``sale.group_discount_per_so_line`` on 18
  and 19 (``addons/product/security/product_security.xml``, then
  ``addons/sale/security/res_groups.xml``);
* vendor bank changes: create or write on ``res.partner.bank``, or, from 17, the group
  ``account.group_validate_bank_account`` (only its members may trust an account for outgoing
  payments, ``allow_out_payment``: ``res_partner_bank.py`` ``_check_allow_out_payment``);
* inventory adjustments: ``stock.group_stock_manager`` (its *Inventoried Quantity* field applies
  a count at once; it alone deletes quants), or write on ``stock.quant`` with
  ``stock.group_stock_user`` (inventory mode needs that group, ``stock_quant.py``
  ``_is_inventory_mode``, and ``action_apply_inventory`` checks no other);
* credit limit overrides: write on ``res.partner`` with ``account.group_account_invoice`` or
  ``account.group_account_readonly`` (the groups of the ``credit_limit`` field,
  ``addons/account/models/partner.py``);
* accounting postings: create or write on ``account.move`` with ``account.group_account_invoice``
  (``account_move.py`` ``_post`` refuses anyone else).

The rights are the instance's own (``ir.model.access`` as the plan leaves it, implied groups
included), so a module or a role granting them elsewhere counts too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from odooconf.model.plan import Action, Change

#: Per group key, per model, the rights its access rows grant.
Rights = Mapping[str, Mapping[str, set[str]]]
#: Per group key, the groups it implies.
Implied = Mapping[str, Iterable[str]]


@dataclass(frozen=True)
class Area:
    name: str
    #: Groups (external ids, whichever the version has) whose members may do it.
    groups: tuple[str, ...] = ()
    #: A model and the rights on it that let a user do it ...
    model: str = ""
    rights: tuple[str, ...] = ()
    #: ... provided it holds one of these groups too (Odoo checks them in its code or on the
    #: field); none: the rights alone.
    needs: tuple[str, ...] = ()


AREAS = (
    Area(
        "price overrides",
        groups=("product.group_discount_per_so_line", "sale.group_discount_per_so_line"),
        model="product.pricelist.item",
        rights=("create", "write", "delete"),
    ),
    Area(
        "vendor bank changes",
        groups=("account.group_validate_bank_account",),
        model="res.partner.bank",
        rights=("create", "write"),
    ),
    Area(
        "inventory adjustments",
        groups=("stock.group_stock_manager",),
        model="stock.quant",
        rights=("write",),
        needs=("stock.group_stock_user",),
    ),
    Area(
        "credit limit overrides",
        model="res.partner",
        rights=("write",),
        needs=("account.group_account_invoice", "account.group_account_readonly"),
    ),
    Area(
        "accounting postings",
        model="account.move",
        rights=("create", "write"),
        needs=("account.group_account_invoice",),
    ),
)
#: Every group the areas name, resolved to the instance's group keys with the others.
XMLIDS = frozenset(x for area in AREAS for x in (*area.groups, *area.needs))


@dataclass(frozen=True)
class Reach:
    """How a set of groups reaches an area: the group that brings it, and how."""

    group: str
    how: str


def reach(area: Area, groups: set[str], rights: Rights, keys: Mapping[str, str]) -> Reach | None:
    """How ``groups`` (implications expanded) reach ``area``, or None. ``keys``: external id →
    group key on the instance (a group the version lacks is not there)."""
    for xmlid in area.groups:
        if keys.get(xmlid) in groups:
            return Reach(keys[xmlid], f"{keys[xmlid]} ({xmlid})")
    needed = [keys[x] for x in area.needs if keys.get(x) in groups]
    if area.needs and not needed:
        return None
    for group in sorted(groups):
        granted = sorted(set(area.rights) & set(rights.get(group, {}).get(area.model, ())))
        if granted:
            with_group = f" with {needed[0]}" if needed else ""
            return Reach(group, f"{', '.join(granted)} {area.model}{with_group}")
    return None


def sensitive_escalations(
    changes: Iterable[Change],
    keys: Mapping[str, str],
    implied: tuple[Implied, Implied],
    rights: tuple[Rights, Rights],
    users: Mapping[str, tuple[set[str], set[str]]],
    via: Callable[[str, str], str],
) -> list[str]:
    """Escalations into the sensitive areas, a line each: every role the plan changes (its
    implications or rights) and every user (``users``: effective groups before and after the
    plan, by login) that reaches an area it did not, and every record rule the plan lifts or
    rewrites on an area's model (the users reaching the area there may do more).
    ``implied`` and ``rights`` are before and after the plan; ``keys`` maps external ids to
    the instance's group keys; ``via(login, group)`` names the role that brings a user a group."""
    before, after = rights
    out = []
    for role in sorted(_changed_roles(changes)):
        old = closure({role}, implied[0])
        new = closure({role}, implied[1])
        for area in AREAS:
            gained = reach(area, new, after, keys)
            if gained and not reach(area, old, before, keys):
                out.append(f"role {role}: + {area.name}, a sensitive area ({gained.how})")
    for login, (old, new) in sorted(users.items()):
        for area in AREAS:
            gained = reach(area, new, after, keys)
            if gained and not reach(area, old, before, keys):
                by = via(login, gained.group)
                out.append(f"{login}: + {area.name}, a sensitive area (via {by}: {gained.how})")
    for key, what in _loosened_rules(changes):
        model = key.split(" | ", 1)[0]
        for area in (a for a in AREAS if a.model == model):
            holders = sorted(
                login for login, (_old, new) in users.items() if reach(area, new, after, keys)
            )
            if holders:
                out.append(
                    f"record rule {key}: {what}: {area.name}, a sensitive area, may widen for "
                    f"{', '.join(holders)}"
                )
    return out


def _changed_roles(changes: Iterable[Change]) -> set[str]:
    """Roles whose implications or access rights the plan writes."""
    out = set()
    for change in changes:
        if change.action in (Action.NOOP, Action.RELEASE) or change.action.closing:
            continue
        if change.kind == "role":
            out.add(change.key)
        elif change.kind == "access_right" and change.after.get("role"):
            out.add(str(change.after["role"]))
    return out


def _loosened_rules(changes: Iterable[Change]) -> Iterable[tuple[str, str]]:
    """Record rules (key, what happens) the plan takes away or whose domain or roles it
    rewrites: a restriction that may no longer hold."""
    for change in changes:
        if change.kind != "record_rule" or change.record_id is None:
            continue
        if change.action in (Action.NOOP, Action.RELEASE):
            continue
        if change.action.closing or change.after.get("active") is False:
            yield change.key, "archived" if change.action is Action.ARCHIVE else "lifted"
        elif {"domain", "roles"} & {c.field for c in change.fields}:
            yield change.key, "domain or roles rewritten"


def closure(roots: Iterable[str], implied: Implied) -> set[str]:
    """``roots`` and every group they imply, directly or not."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(implied.get(key, ()))
    return seen
