"""Stage 8c: risky changes — what Odoo accepts without a word and cannot take back cleanly.

Some writes succeed and quietly leave the books inconsistent: an account's type or reconcile
flag changed while it has journal items (Odoo keeps the old items as they were: a switch to
receivable leaves their residual at 0), an account deprecated or archived while a journal, a
product category or the company still posts to it by default. Each kind names its own
(``Kind.risks``, reading what it needs from the instance only when the plan has such a
change). The plan shows each as a ``risky`` warning with its reason, and apply refuses the plan
unless the environment says ``allow_risky_changes: true``.
"""

from __future__ import annotations

from collections.abc import Sequence

from odooconf.kinds import KINDS
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Action, Change, Plan, PlanWarning
from odooconf.model.resource import DesiredResource
from odooconf.odoo.gateway import Gateway

#: ``PlanWarning.code`` of a risky change.
RISKY = "risky"


def assess(
    changes: Sequence[Change],
    resources: Sequence[DesiredResource],
    live: LiveState,
    gateway: Gateway,
) -> list[PlanWarning]:
    """A ``risky`` warning per risky change, in plan order."""
    sources = {resource.xmlid: resource for resource in resources}
    out = []
    for kind in KINDS.values():
        mine = [c for c in changes if c.kind == kind.name and c.action is not Action.NOOP]
        if not mine:
            continue
        for change, reason in kind.risks(mine, live, gateway):
            resource = sources.get(change.xmlid)
            source = str(resource.source) if resource is not None else change.source
            message = (
                f"risky change of {change.address}: {reason}; apply refuses it unless the "
                "environment says allow_risky_changes: true"
            )
            out.append(PlanWarning(RISKY, message, (change.address,), source))
    return out


#: Diagnostic code of a plan apply refuses for its risky changes.
REFUSED = "OC-X110"


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
