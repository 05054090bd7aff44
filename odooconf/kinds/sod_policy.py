"""Segregation-of-duties policies (section ``sod_policies``): roles no one user may hold together.

Not an Odoo record: a policy is checked, never written. ``odooconf/policies/access.py`` checks
it on the blueprint's assignments at validate time and on the instance's effective groups (implied
groups expanded, Odoo's own assignments included) as the plan would leave them.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from odooconf.kinds._base import CheckedKind, RefSpec, Spec, XmlidSpec


class SodPolicySpec(Spec):
    name: str = Field(min_length=1)
    #: Roles that conflict: a user holding any two of them (directly or by implication)
    #: violates the policy. Declared roles by key, Odoo's own by external id.
    roles: list[RefSpec] = Field(min_length=2)
    #: Why they conflict, shown with a violation.
    description: str | None = None

    @model_validator(mode="after")
    def _distinct(self) -> SodPolicySpec:
        written = [f"xmlid {r.xmlid}" if isinstance(r, XmlidSpec) else str(r) for r in self.roles]
        twice = sorted({role for role in written if written.count(role) > 1})
        if twice:
            raise ValueError(f"names {', '.join(twice)} twice: a policy keeps distinct roles apart")
        return self


class SodPolicy(CheckedKind):
    """Virtual: never read or written (no model); the engine checks it."""

    name = "sod_policy"
    section = "sod_policies"
    spec = SodPolicySpec
