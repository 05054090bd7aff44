"""``odooconf doctor``: is an environment ready for ``apply``? Facts, not changes.

It connects, then checks what apply would need, each as a finding a person can act on: the
server's version (against the one the environment declares), the modules each kind needs, the
optional backends, the login's access rights on every model odooconf writes, and whether the
blueprints plan on this instance (what they declare that it cannot express). Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from odooconf.config import Environment
from odooconf.engine.pipeline import (
    Blueprints,
    load_blueprints,
    plan_environment,
    prepare_before_read,
)
from odooconf.errors import BlueprintError, OdooconfError
from odooconf.kinds import KINDS, Kind
from odooconf.kinds.approval_backend import BACKEND_KINDS
from odooconf.kinds.groups import effective_groups_field
from odooconf.model.report import Finding, Report, Status
from odooconf.odoo.gateway import Gateway

#: Rights odooconf needs on its external ids (``ir.model.data``): it removes and recreates
#: them; on each kind's model, ``Kind.rights``.
XMLID_OPERATIONS = ("read", "create", "write", "unlink")

#: Optional Odoo modules that unlock a capability, and what is missing without them.
BACKENDS = {
    "base_tier_validation": "multi-level approvals (OCA tier validation)",
    "purchase": "purchase approvals (purchase double validation)",
}


def diagnose(blueprints: Path, env: Environment, gateway: Gateway) -> Report:
    """Every finding about the environment's instance and blueprints (read-only calls)."""
    findings: list[Finding] = [_server(env, gateway)]
    loaded: Blueprints | None = None
    try:
        loaded = load_blueprints(blueprints, env)
    except BlueprintError as exc:
        findings.append(_blueprint_errors("blueprints", exc))
    if loaded is not None:
        loaded, problems = _map_approvals(loaded, env, gateway)
        findings.extend(problems)
    used = {KINDS[resource.kind] for resource in loaded.resources} if loaded else set()
    models = sorted({kind.model for kind in KINDS.values()} | {"ir.module.module"})
    try:
        existing = gateway.existing_models(models)
        findings.extend(_modules(used, existing))
        findings.extend(_backends(gateway))
        present = [kind for kind in KINDS.values() if kind.model in existing]
        findings.extend(_rights(gateway, present, used))
    except OdooconfError as exc:
        # A login that may not even read models and modules (a real Odoo needs Access Rights
        # for ir.model) is a finding, not the end of the report.
        findings.append(Finding("rights", Status.FAIL, str(exc)))
    if loaded is not None and all(f.status is not Status.FAIL for f in findings):
        findings.append(_plan(blueprints, env, gateway, loaded))
    return Report(env.name, tuple(findings))


def _map_approvals(
    loaded: Blueprints, env: Environment, gateway: Gateway
) -> tuple[Blueprints, list[Finding]]:
    """The blueprints with their approval matrices mapped onto the backend the instance
    offers, as plan does: the models (and rights) they need are the backend's
    (``tier.definition``), known only then. A matrix the instance cannot express is the plan's
    failure."""
    try:
        realized = prepare_before_read(list(loaded.resources), env, gateway)
    except BlueprintError as exc:
        return loaded, [_blueprint_errors("plan", exc)]
    except OdooconfError as exc:
        return loaded, [Finding("plan", Status.FAIL, str(exc))]
    return replace(loaded, resources=tuple(realized)), []


def _server(env: Environment, gateway: Gateway) -> Finding:
    server = gateway.server
    text = (
        f"Odoo {server.version} at {server.url}, database {server.database}, as "
        f"{server.login!r}, over {server.transport}"
    )
    if env.release is not None and env.release != server.release:
        return Finding(
            "server", Status.FAIL, f"{text}; the environment declares {env.odoo.version}"
        )
    return Finding("server", Status.OK, text)


def _modules(used: set[Kind], existing: set[str]) -> Iterable[Finding]:
    for kind in KINDS.values():
        if not kind.model:
            continue  # planned through the kinds of the backend the instance offers (approvals)
        section = _label(kind)
        present = kind.model in existing
        if present:
            yield Finding("module", Status.OK, f"{section}: {kind.model} ({kind.module})")
        else:
            status = Status.FAIL if kind in used else Status.INFO
            why = "the blueprints declare some" if kind in used else "none declared"
            text = f"{section}: needs module {kind.module!r} ({kind.model}); {why}"
            yield Finding("module", status, text)


def _label(kind: Kind) -> str:
    """The blueprint section a kind's records are declared in: its own, its container's (a
    tax's lines), or the approval matrices' (the kinds they are planned onto)."""
    if kind.section:
        return kind.section
    if kind.container:
        container = KINDS[str(kind.attr(kind.container).target)]
        return f"{kind.name} (inline in {container.section})"
    assert kind.name in BACKEND_KINDS, f"kind {kind.name} has no section to name"
    return f"{kind.name} (approvals backend)"


def _backends(gateway: Gateway) -> Iterable[Finding]:
    domain = [("name", "in", sorted(BACKENDS)), ("state", "=", "installed")]
    installed = {row["name"] for row in gateway.search_read("ir.module.module", domain, ["name"])}
    for module, capability in BACKENDS.items():
        if module in installed:
            yield Finding("backend", Status.OK, f"{capability}: {module} installed")
        else:
            yield Finding("backend", Status.INFO, f"{capability}: {module} not installed")


def _rights(gateway: Gateway, kinds: list[Kind], used: set[Kind]) -> Iterable[Finding]:
    """The login's access rights on each model odooconf writes: the ``ir.model.access`` rows
    of its groups and the global ones (record rules aside), read in three calls."""
    server = gateway.server
    wanted: list[tuple[str, tuple[str, ...], bool]] = [
        (kind.model, _operations(kind), kind in used) for kind in kinds
    ]
    wanted.append(("ir.model.data", XMLID_OPERATIONS, True))
    user_fields = gateway.fields("res.users")
    groups_field = effective_groups_field(user_fields)
    [user] = gateway.search_read("res.users", [("id", "=", server.uid)], [groups_field])
    groups = set(user[groups_field])
    models = {
        row["id"]: row["model"]
        for row in gateway.search_read(
            "ir.model", [("model", "in", [model for model, _ops, _needed in wanted])], ["model"]
        )
    }
    fields = ["model_id", "group_id", *(f"perm_{op}" for op in XMLID_OPERATIONS)]
    domain: list[Any] = [("model_id", "in", sorted(models)), ("active", "=", True)]
    granted: dict[str, set[str]] = {}
    for row in gateway.search_read("ir.model.access", domain, fields):
        group = row.get("group_id")
        if not row.get("model_id") or (group and group[0] not in groups):
            continue
        allowed = granted.setdefault(models.get(row["model_id"][0], ""), set())
        allowed.update(op for op in XMLID_OPERATIONS if row.get(f"perm_{op}"))
    for model, operations, needed in wanted:
        missing = [op for op in operations if op not in granted.get(model, set())]
        if not missing:
            yield Finding("rights", Status.OK, f"{model}: {', '.join(operations)}")
            continue
        status = Status.FAIL if needed else Status.INFO
        yield Finding("rights", status, f"{model}: {server.login!r} may not {', '.join(missing)}")


def _operations(kind: Kind) -> tuple[str, ...]:
    return (*kind.rights, "unlink") if kind.can_delete else kind.rights


def _plan(blueprints: Path, env: Environment, gateway: Gateway, loaded: Blueprints) -> Finding:
    try:
        outcome = plan_environment(blueprints, env, gateway, loaded)
        refusal = outcome.refusal()
        if refusal is not None:  # apply would refuse the plan
            raise refusal
    except BlueprintError as exc:
        return _blueprint_errors("plan", exc)
    except OdooconfError as exc:
        return Finding("plan", Status.FAIL, str(exc))
    pending = len(outcome.plan.pending)
    return Finding(
        "plan", Status.OK, f"the blueprints plan on this instance: {pending} change(s) pending"
    )


def _blueprint_errors(topic: str, exc: BlueprintError) -> Finding:
    lines = "; ".join(diagnostic.render() for diagnostic in exc.diagnostics)
    return Finding(topic, Status.FAIL, f"{len(exc.diagnostics)} error(s): {lines}")
