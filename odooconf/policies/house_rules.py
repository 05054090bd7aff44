"""House rules (section ``house_rules``): conditions the design authority writes once, checked
on every declared resource of a kind at every plan.

```yaml
house_rules:
  - name: max-discount
    kind: pricelist_items                       # a section (or a kind: pricelist_item)
    when: "compute_price == 'percentage'"       # optional: which resources the rule is about
    require: "percent_price <= 30"              # must hold for each of them
    message: no pricelist item gives more than 30 % off
    severity: error                             # error (default): apply refuses | warning
```

``when`` and ``require`` are expressions of the templates' language (Jinja2, evaluated in the
same sandbox, under the same time and memory bounds), written without ``{{ }}`` (the blueprint is
rendered first: braces would be evaluated then, without the resource's values). Their names are
the resource's attributes as the plan leaves them (declared values over the instance's), and
``key``, ``declared`` (only what the blueprint writes), ``planned`` (every attribute, also the
dotted ones: ``planned['selectable.products']``) and ``resources`` (the declared resources of
every kind, by section or kind name, each with its planned attributes and ``key``). An attribute
neither declared nor on the instance is ``none``.

Not an Odoo record: like segregation-of-duties policies, a rule is checked, never written. A rule
that cannot be compiled, names a name the kind does not have or an unknown kind is a
``validate`` error at the rule; a rule that breaks, or cannot be evaluated, on a resource is
located at the resource and names the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from pydantic import BaseModel

from odooconf.engine.read import live_values
from odooconf.engine.render import MAX_MEMORY, MAX_SECONDS, bounded
from odooconf.kinds._base import Kind, Spec
from odooconf.kinds.house_rule import (
    CONTEXT,
    HouseRule,
    HouseRuleSpec,
    rule_kinds,
    sandbox,
    vocabulary,
)
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState
from odooconf.model.plan import Change, PlanWarning
from odooconf.model.resource import DesiredResource, XmlidRef

#: A rule the plan breaks (an error) or cannot evaluate on a resource.
BROKEN = "OC-P001"
UNCHECKABLE = "OC-P002"


def take_rules(resources: list[DesiredResource]) -> list[DesiredResource]:
    """Remove the house rules from ``resources`` (they are checked, not planned); return them."""
    rules = [r for r in resources if r.kind == HouseRule.name]
    resources[:] = [r for r in resources if r.kind != HouseRule.name]
    return rules


@dataclass
class Verdict:
    #: Rules of severity error the plan breaks, and rules that cannot be evaluated: apply
    #: refuses the plan.
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)


def check_house_rules(
    rules: list[DesiredResource],
    declared: list[DesiredResource],
    changes: Iterable[Change],
    live: LiveState,
) -> Verdict:
    """Every rule on every declared resource of its kind, as the plan leaves it."""
    out = Verdict()
    if not rules:
        return out
    kinds = rule_kinds()
    planned = {(c.kind, c.key): c for c in changes if not c.action.closing and c.kind in kinds}
    views: dict[int, dict[str, Any]] = {}
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for resource in declared:
        kind = kinds.get(resource.kind)
        if kind is None:
            continue
        view = _view(kind, resource, planned.get((resource.kind, resource.key)), live)
        views[id(resource)] = view
        by_kind.setdefault(kind.name, []).append(view["planned"] | {"key": resource.key})
    every = {name: by_kind.get(kind.name, []) for name, kind in kinds.items()}
    env = sandbox()
    for rule in rules:
        spec: HouseRuleSpec = rule.values["spec"]
        when = env.compile_expression(spec.when) if spec.when else None
        require = env.compile_expression(spec.require)
        where = f"house rule {spec.name!r} ({rule.source})"
        for resource in (r for r in declared if r.kind == kinds[spec.kind].name):
            context = {**views[id(resource)], "resources": every}
            try:
                with bounded(MAX_SECONDS, MAX_MEMORY):
                    holds = (when is not None and not when(**context)) or require(**context)
            except _EXPRESSION_ERRORS as exc:
                reason = exc.message if isinstance(exc, jinja2.TemplateError) else str(exc)
                message = f"{where} cannot be checked on {resource.address}: {reason}"
                out.errors.append(Diagnostic(UNCHECKABLE, message, resource.source, resource.path))
                continue
            if holds:
                continue
            if spec.severity == "error":
                message = f"{spec.message} (broken: {where})"
                out.errors.append(Diagnostic(BROKEN, message, resource.source, resource.path))
            else:
                message = f"{resource.path}: {spec.message} ({where})"
                subjects = (str(resource.address),)
                warning = PlanWarning("house_rule", message, subjects, str(resource.source))
                out.warnings.append(warning)
    return out


#: What evaluating an expression raises on the values it meets (``None <= 30``), besides
#: Jinja's and the sandbox's refusals: the rule's, not odooconf's.
_EXPRESSION_ERRORS = (
    jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError, MemoryError,
)  # fmt: skip


def _view(
    kind: Kind, resource: DesiredResource, change: Change | None, live: LiveState
) -> dict[str, Any]:
    """The names a rule sees on one resource: its planned attributes (declared over live),
    ``key``, ``declared`` and ``planned``."""
    blank = dict.fromkeys(vocabulary(kind) - set(CONTEXT))
    declared = blank | _flat(resource.values)
    planned = dict(declared)
    if change is not None:
        on_instance = (
            live_values(kind, change.record_id, live) if change.record_id is not None else {}
        )
        planned = blank | _flat(on_instance) | _flat(change.after)
    return {**planned, "key": resource.key, "declared": declared, "planned": planned}


def _flat(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as a rule reads them: a virtual kind's item spread into its attributes, nested
    items as mappings, external ids as written in errors (``xmlid base.group_user``)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Spec):
            out.update(_plain(value))
        else:
            out[name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, XmlidRef) or (isinstance(value, BaseModel) and hasattr(value, "xmlid")):
        return f"xmlid {value.xmlid}"
    if isinstance(value, BaseModel):
        return {
            name: _plain(getattr(value, name)) for name in type(value).model_fields if name != "id"
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(name): _plain(item) for name, item in value.items()}
    return value
