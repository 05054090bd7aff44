"""The finance guard rails: risky changes, what Odoo accepts without a word and cannot take back
cleanly (warning ``risky``; apply refuses them with ``OC-X110``).

Some writes succeed and quietly leave the books inconsistent: an account's type or reconcile
flag changed while it has journal items (Odoo keeps the old items as they were: a switch to
receivable leaves their residual at 0), an account deprecated or archived while a journal, a
product category or the company still posts to it by default. The plan shows each as a
``risky`` warning with its reason, and apply refuses the plan unless the environment says
``allow_risky_changes: true``.

What the rails read (which accounts have journal items, where an account is a default) depends
on the changes, so it is declared after the diff (``needs``) and read by the read stage, only
when the plan has such a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from odooconf.kinds._base import Review
from odooconf.kinds.account import Account
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState, Query, defaults_of, fields_of, models_among, search
from odooconf.model.plan import Action, Change, FieldChange, Plan, PlanWarning
from odooconf.model.resource import DesiredResource

#: ``PlanWarning.code`` of a risky change.
RISKY = "risky"
#: Diagnostic code of a plan apply refuses for its risky changes.
REFUSED = "OC-X110"

ACCOUNTS = Account.model
#: Attributes whose change Odoo does not apply to an account's existing journal items.
RETYPING = ("type", "reconcile")
#: Models whose account fields hold defaults other documents post to, how their records are
#: named, and whether only their company-dependent account fields count (a category's
#: ``property_*``; 19's ``account_stock_variation_id`` is computed from them, not searchable).
DEFAULT_HOLDERS = (
    ("account.journal", "code", "of journal", False),
    ("product.category", "complete_name", "of product category", True),
    ("res.company", "name", "of company", False),
)
#: The holder whose company-wide fallback (``default_get``) is a default of every category.
FALLBACK_HOLDER = "product.category"


def _fields(change: Change, names: Sequence[str]) -> list[FieldChange]:
    return [f for f in change.fields if f.field in names]


def _retires(change: Change) -> bool:
    """Whether the change deprecates (16-18) or archives (19, prune) an account."""
    return change.action is Action.ARCHIVE or any(
        (f.field == "deprecated" and f.new is True) or (f.field == "active" and f.new is False)
        for f in change.fields
    )


def _ids(changes: Iterable[Change]) -> list[int]:
    return sorted(int(c.record_id) for c in changes if c.record_id is not None)


def _retyped(changes: Sequence[Change]) -> list[Change]:
    return [c for c in _accounts(changes) if c.record_id is not None and _fields(c, RETYPING)]


def _retired(changes: Sequence[Change]) -> list[Change]:
    return [c for c in _accounts(changes) if c.record_id is not None and _retires(c)]


def _accounts(changes: Sequence[Change]) -> list[Change]:
    return [c for c in changes if c.kind == Account.name and c.action is not Action.NOOP]


def _with_items(ids: list[int], live: LiveState) -> Query:
    """Which of these accounts have journal items (one call)."""
    if "used" in live.fields.get(ACCOUNTS, {}):
        return search(ACCOUNTS, [("id", "in", ids), ("used", "=", True)], ["id"])
    return search("account.move.line", [("account_id", "in", ids)], ["account_id"])


def _having_items(ids: list[int], live: LiveState) -> set[int]:
    rows = live.answer(_with_items(ids, live))
    if "used" in live.fields.get(ACCOUNTS, {}):
        return {int(row["id"]) for row in rows}
    return {int(row["account_id"][0]) for row in rows if row.get("account_id")}


def _holder_fields(model: str, properties: bool, live: LiveState) -> list[str]:
    """The holder's many2one fields to accounts, from its ``fields_get``."""
    info = live.answer(fields_of(model)) or {}
    return [
        name
        for name, field in info.items()
        if field.get("type") == "many2one" and field.get("relation") == ACCOUNTS
        and (field.get("company_dependent") or not properties)
    ]  # fmt: skip


def _uses_query(model: str, label: str, names: list[str], ids: list[int]) -> Query:
    domain: list[Any] = ["|"] * (len(names) - 1) + [(name, "in", ids) for name in names]
    return search(model, domain, [label, *names])


def needs(changes: Sequence[Change], live: LiveState) -> Iterable[Query]:
    """What the rails read for these changes, given what was read so far (in rounds: a
    holder's fields before the records using an account through them)."""
    retyped, retired = _ids(_retyped(changes)), _ids(_retired(changes))
    if retyped:
        yield _with_items(retyped, live)
    if not retired:
        return
    existing = models_among([holder[0] for holder in DEFAULT_HOLDERS])
    yield existing
    if existing not in live.answers:
        return
    for model, label, _what, properties in DEFAULT_HOLDERS:
        if model not in live.answers[existing]:
            continue
        yield fields_of(model)
        if fields_of(model) not in live.answers:
            continue
        names = _holder_fields(model, properties, live)
        if names:
            yield _uses_query(model, label, names, retired)
            if model == FALLBACK_HOLDER:
                yield defaults_of(model, names)


def _default_uses(ids: list[int], live: LiveState) -> dict[int, list[str]]:
    """Where each account is a default: a journal's account fields, a product category's
    (company-dependent) ones and their company fallback, the company's account fields."""
    out: dict[int, list[str]] = {}

    def note(account: Any, text: str) -> None:
        account_id = account[0] if isinstance(account, list) else account
        if account_id in ids:
            out.setdefault(int(account_id), []).append(text)

    existing = live.answer(models_among([holder[0] for holder in DEFAULT_HOLDERS]))
    for model, label, what, properties in DEFAULT_HOLDERS:
        names = _holder_fields(model, properties, live) if model in existing else []
        if not names:
            continue
        for row in live.answer(_uses_query(model, label, names, ids)):
            for name in names:
                note(row.get(name), f"{what} {row.get(label)} ({name})")
        if model == FALLBACK_HOLDER:
            for name, value in live.answer(defaults_of(model, names)).items():
                note(value, f"for new product categories ({name})")
    return out


def _reasons(changes: Sequence[Change], live: LiveState) -> list[tuple[Change, str]]:
    """The account changes Odoo accepts but that leave the books inconsistent, with why."""
    out: list[tuple[Change, str]] = []
    retyped = _retyped(changes)
    if retyped:
        used = _having_items(_ids(retyped), live)
        for change in retyped:
            if change.record_id in used:
                what = ", ".join(
                    f"{f.field} {f.old!r} → {f.new!r}" for f in _fields(change, RETYPING)
                )
                out.append(
                    (
                        change,
                        f"{what} on an account that has journal items: Odoo accepts it and "
                        "leaves the existing items as they were (their reconciliation and "
                        "residual amounts are not recomputed)",
                    )
                )
    retired = _retired(changes)
    if retired:
        uses = _default_uses(_ids(retired), live)
        for change in retired:
            where = uses.get(int(change.record_id or 0))
            if where:
                out.append(
                    (
                        change,
                        f"retires an account that is still the default {'; '.join(where)}: "
                        "Odoo accepts it, and documents using those defaults then fail "
                        "or post to a retired account",
                    )
                )
    return out


def risky_changes(
    resources: Sequence[DesiredResource], live: LiveState, changes: Sequence[Change]
) -> Review:
    """A ``risky`` warning per risky change, in plan order."""
    sources = {resource.xmlid: resource for resource in resources}
    out = []
    for change, reason in _reasons(changes, live):
        resource = sources.get(change.xmlid)
        source = str(resource.source) if resource is not None else change.source
        message = (
            f"risky change of {change.address}: {reason}; apply refuses it unless the "
            "environment says allow_risky_changes: true"
        )
        out.append(PlanWarning(RISKY, message, (change.address,), source))
    return Review(warnings=out)


def risky_refusal(plan: Plan, allowed: bool) -> Diagnostic | None:
    """Why apply refuses a plan with risky changes the environment does not allow, or None."""
    risky = [warning for warning in plan.warnings if warning.code == RISKY]
    if not risky or allowed:
        return None
    subjects = ", ".join(subject for w in risky for subject in w.subjects)
    return Diagnostic(
        REFUSED,
        f"the plan has {len(risky)} risky change(s) ({subjects}), which environment "
        f"{plan.environment} does not allow: apply refuses this plan; review the warnings, "
        "then change the blueprints or set allow_risky_changes: true in the environment for "
        "this apply",
    )
