"""The policies the pipeline runs, in order, each an analyser over (desired, live, changes).

A policy of stage ``diff`` runs at the end of the diff: its errors stop the plan, reported with
the diff's own. A policy of stage ``rails`` runs once the plan is known to be feasible (after
the preflight): what it reads (``needs``, given the changes) is read by the read stage first.
The access review and the house rules are run by the pipeline itself: they need the
environment (``PlanContext``) and the rules taken out of the blueprints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from odooconf.kinds import KINDS
from odooconf.kinds._base import Review
from odooconf.model.live import LiveState, Query
from odooconf.model.plan import Change
from odooconf.model.resource import DesiredResource
from odooconf.policies import finance, pricelist
from odooconf.policies.unmanaged import unmanaged_children

Analyser = Callable[[Sequence[DesiredResource], LiveState, Sequence[Change]], Review]
Needs = Callable[[Sequence[Change], LiveState], Iterable[Query]]
Stage = Literal["diff", "rails"]


def kind_reviews(
    resources: Sequence[DesiredResource], live: LiveState, changes: Sequence[Change]
) -> Review:
    """What each kind that reviews a plan (``Kind.review``) finds, in registry order."""
    out = Review()
    for kind in KINDS.values():
        found = kind.review(resources, changes, live)
        out.diagnostics.extend(found.diagnostics)
        out.warnings.extend(found.warnings)
    return out


@dataclass(frozen=True)
class Policy:
    name: str
    stage: Stage
    check: Analyser
    #: What the policy reads besides the kinds' records, asked again until nothing is new.
    needs: Needs | None = None


POLICIES = (
    Policy("unmanaged children", "diff", unmanaged_children),
    Policy("kinds' own reviews", "diff", kind_reviews),
    Policy("pricelist cycles", "diff", pricelist.base_cycles),
    Policy("pricelist precedence", "diff", pricelist.precedence),
    Policy("finance guard rails", "rails", finance.risky_changes, finance.needs),
)


def needs(stage: Stage, changes: Sequence[Change], live: LiveState) -> Iterable[Query]:
    """What the policies of ``stage`` read, given what was read so far."""
    for policy in POLICIES:
        if policy.stage == stage and policy.needs is not None:
            yield from policy.needs(changes, live)


def run(
    stage: Stage,
    resources: Sequence[DesiredResource],
    live: LiveState,
    changes: Sequence[Change],
) -> Review:
    """The findings of the policies of ``stage``, in registry order."""
    out = Review()
    for policy in POLICIES:
        if policy.stage == stage:
            found = policy.check(resources, live, changes)
            out.diagnostics.extend(found.diagnostics)
            out.warnings.extend(found.warnings)
    return out
