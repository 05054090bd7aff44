"""The pipeline, wired once for the command line and for the Python API.

load → render → parse → validate → resolve → read live state → diff → preflight → plan →
apply.
Stages before the server collect every diagnostic; the run stops at the first stage boundary
that has errors, reporting them all together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from odooconf import __version__
from odooconf.config import Environment
from odooconf.engine import cache
from odooconf.engine.absent import take_absent
from odooconf.engine.apply import apply_plan
from odooconf.engine.checks import PriceCheck, run_checks
from odooconf.engine.diff import diff_resources
from odooconf.engine.duplicates import duplicates
from odooconf.engine.key_changes import key_changes
from odooconf.engine.load import load_documents
from odooconf.engine.preflight import preflight
from odooconf.engine.prices import plan_prices
from odooconf.engine.read import new_live_state, read_live_state, read_needs
from odooconf.engine.resolve import resolve_references
from odooconf.engine.target import Target, select
from odooconf.engine.validate import validate_documents
from odooconf.errors import ApplyFailed, BlueprintError, UserError
from odooconf.kinds import KINDS
from odooconf.kinds._base import Phase, Prepared
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.live import LiveState, PlanContext
from odooconf.model.plan import ApplyResult, Plan, failed, failure_message
from odooconf.model.resource import DesiredResource
from odooconf.odoo.gateway import Gateway, ServerInfo
from odooconf.policies import registry
from odooconf.policies.access import check_blueprint_sod, review_access, unknown_users
from odooconf.policies.finance import risky_refusal
from odooconf.policies.house_rules import check_house_rules, take_rules

if TYPE_CHECKING:
    from odooconf.engine.render import RenderedDocument


@dataclass(frozen=True)
class Blueprints:
    """What the blueprints declare for one environment: the resources, the price checks (not
    resources: nothing is written for them), and the digest of what was declared (a saved plan
    records it: apply refuses blueprints changed since)."""

    resources: tuple[DesiredResource, ...]
    checks: tuple[PriceCheck, ...] = ()
    #: ``blueprint_digest`` of the rendered blueprints and the environment's settings.
    digest: str = ""


def blueprint_digest(rendered: list[RenderedDocument], env: Environment) -> str:
    """SHA-256 of the rendered blueprints (names and texts) and of the environment's settings:
    what the plan was made from, whatever the templates and variables that produced it."""
    digest = hashlib.sha256(env.spec.model_dump_json().encode())
    for document in sorted(rendered, key=lambda d: d.name):
        for part in (document.name, document.text):
            digest.update(len(part.encode()).to_bytes(8, "big") + part.encode())
    return digest.hexdigest()


def load_blueprints(
    blueprints: Path, env: Environment, cache_dir: Path | None = None
) -> Blueprints:
    """Offline stages for one environment; raises ``BlueprintError`` with every problem found.
    With ``cache_dir``, blueprints loaded before from the same files for the same environment
    come from there (``engine.cache``)."""
    spec = env.spec
    raw, diagnostics = load_documents(blueprints, spec.include, spec.exclude)
    entry = cache.key(env, raw) if cache_dir is not None and not diagnostics else None
    if cache_dir is not None and entry is not None:
        cached = cache.read(cache_dir, env, blueprints, entry)
        if isinstance(cached, Blueprints):
            return cached
    # Imported here: a plan whose blueprints come from the cache needs neither Jinja nor YAML.
    from odooconf.engine.parse import parse_documents  # noqa: PLC0415
    from odooconf.engine.render import render_documents  # noqa: PLC0415

    # What the environment's globs select is the environment file's to answer for.
    diagnostics = [
        d if d.source else replace(d, source=SourceRef(str(env.path)), path="include/exclude")
        for d in diagnostics
    ]
    rendered, problems = render_documents(raw, env.variables())
    diagnostics += problems
    parsed, problems = parse_documents(rendered)
    diagnostics += problems
    resources, checks, problems = validate_documents(parsed, spec.xmlid_namespace)
    diagnostics += problems
    diagnostics += check_blueprint_sod(resources, env)  # on the valid items: reported too
    _raise_if(diagnostics)
    digest = blueprint_digest(rendered, env)
    loaded = Blueprints(tuple(resolve_references(resources)), tuple(checks), digest)
    if cache_dir is not None and entry is not None:
        cache.write(cache_dir, env, blueprints, entry, loaded)
    return loaded


@dataclass
class PlanOutcome:
    plan: Plan
    #: The live state the plan was computed from; apply resolves references with it.
    live: LiveState
    #: The blueprints' price checks, recomputed by Odoo after apply.
    checks: tuple[PriceCheck, ...] = ()
    #: Whether the environment lets apply make risky changes (``allow_risky_changes``).
    allow_risky: bool = False
    #: What the access review refuses (a segregation-of-duties policy the plan breaks) and the
    #: house rules of severity error the plan breaks: the plan is still shown, and apply
    #: refuses it.
    refusals: tuple[Diagnostic, ...] = ()

    def refusal(self) -> BlueprintError | None:
        """Why apply refuses this plan, or None: ``plan`` shows the plan and exits 1 with it
        (never 2, "changes to apply"), ``apply`` raises it before any write."""
        risky = risky_refusal(self.plan, self.allow_risky)
        diagnostics = [*self.refusals, *([risky] if risky else [])]
        return BlueprintError(diagnostics) if diagnostics else None

    #: Digest of the blueprints and environment the plan was made from (``blueprint_digest``).
    digest: str = ""


def check_version(env: Environment, gateway: Gateway) -> None:
    """Refuse a server of another version than the environment declares, before reading."""
    server = gateway.server
    if env.release is not None and server.release != env.release:
        raise UserError(
            f"environment {env.name} declares Odoo {env.odoo.version} (odoo.version in "
            f"{env.path}), but {server.url} runs Odoo {server.version}: nothing was read or "
            "changed; point the environment at the right server, or update odoo.version and "
            "plan again"
        )


def check_namespace(env: Environment, gateway: Gateway) -> None:
    """Refuse an ``xmlid_namespace`` that names an installed module: updating that module could
    delete the records odooconf identifies with it."""
    namespace = env.spec.xmlid_namespace
    domain: list[Any] = [("name", "=", namespace), ("state", "=", "installed")]
    if gateway.search_read("ir.module.module", domain, ["name"]):
        raise UserError(
            f"xmlid_namespace {namespace!r} (in {env.path}) is an installed Odoo module: its "
            "records could be deleted when that module is updated; choose another namespace"
        )


def plan_environment(
    blueprints: Path,
    env: Environment,
    gateway: Gateway,
    loaded: Blueprints | None = None,
    targets: tuple[Target, ...] = (),
) -> PlanOutcome:
    """Plan what ``blueprints`` declare (``loaded`` when the caller loaded them already)
    against the instance; only what ``targets`` select and what that depends on, when given
    (``engine.target``: nothing is pruned then)."""
    check_version(env, gateway)
    check_namespace(env, gateway)
    if loaded is None:
        loaded = load_blueprints(blueprints, env)
    declared = list(loaded.resources)
    keep: set[str] = set()
    if targets:
        declared, keep = select(declared, targets)
    prune = "never" if targets else env.spec.prune
    gone = take_absent(declared)  # removed, not planned
    rules = take_rules(declared)  # checked, not planned: on the resources as declared
    context = plan_context(env, gateway.server)
    live = new_live_state(context.namespace)
    # Kinds that make or rename resources (approval matrices onto their backend, vendors named
    # by reference) before the records are read: what is read depends on them.
    early = _prepare("before_read", list(declared), live, context, gateway)
    planned = [r for r in early.resources if KINDS[r.kind].planned]
    also = tuple(kind.name for kind in KINDS.values() if kind.read_anyway(context))
    live = read_live_state(gateway, [*planned, *gone], context.namespace, prune, also, live)
    # Users are master data: one unknown is reported with whatever else is wrong.
    unknown = unknown_users(planned, live, env)
    # Kinds completed from the live records (role assignments), with the checked resources.
    checked = [r for r in early.resources if not KINDS[r.kind].planned]
    late = _prepare("after_read", [*planned, *checked], live, context, gateway, unknown)
    desired = late.resources
    given = [r for r in desired if KINDS[r.kind].planned]
    diff = diff_resources(given, live, prune, gone, keep)
    if targets:  # what no target selected is not considered: no "left alone" for it
        diff.notes = [note for note in diff.notes if note.code != "left_alone"]
    # The diff leaves the resources given as they were: the stages below see each one as
    # planned (references resolved against the instance, ordered behind moves).
    as_planned = _as_planned(given, diff.resources)
    desired, planned, resources = as_planned(desired), as_planned(planned), diff.resources
    _raise_if([*unknown, *diff.diagnostics, *duplicates(resources, diff.changes, live)])
    _raise_if(preflight(diff.changes, resources, gateway))
    read_needs(gateway, live, partial(registry.needs, "rails", diff.changes))
    rails = registry.run("rails", resources, live, diff.changes)
    _raise_if(rails.diagnostics)
    access = review_access(desired, live, diff.changes, context)
    # The rules see the resources as declared, the planned ones as their kinds prepared them
    # (vendors named), not what approval matrices are mapped onto.
    ruled = [*planned, *(r for r in declared if not KINDS[r.kind].planned)]
    verdict = check_house_rules(rules, ruled, diff.changes, live)
    warnings = [*early.warnings, *late.warnings, *access.warnings]
    escalations = [*access.escalations, *early.escalations, *late.escalations]
    server = gateway.server
    plan = Plan(
        environment=env.name,
        url=server.url,
        database=server.database,
        server_version=server.version,
        changes=tuple(diff.changes),
        notes=tuple(diff.notes),
        warnings=(
            *diff.warnings,
            *key_changes(diff.changes, live),
            *warnings,
            *rails.warnings,
            *verdict.warnings,
        ),
        access=tuple(access.access),
        escalations=tuple(escalations),
        login=server.login,
        company=env.odoo.company or "",
        prune=env.spec.prune,
        tool_version=__version__,
        targets=tuple(map(str, targets)),
    )
    # A partial plan does not price the checks: their prices depend on what it leaves out.
    checks = () if targets else loaded.checks
    if checks:
        now = run_checks(checks, gateway)
        plan = replace(plan, checks=tuple(plan_prices(checks, now, diff.changes, live, gateway)))
    allowed = env.spec.allow_risky_changes
    refusals = (*access.diagnostics, *verdict.errors)
    return PlanOutcome(plan, live, checks, allowed, refusals, loaded.digest)


def apply_outcome(outcome: PlanOutcome, gateway: Gateway) -> ApplyResult:
    """Apply the plan, then have Odoo compute the price checks again: a check that does not
    hold fails the apply (``ApplyFailed``, expected vs actual), after every change was made.
    A plan apply refuses (``PlanOutcome.refusal``) is refused before any write."""
    refusal = outcome.refusal()
    if refusal is not None:
        raise refusal
    result = apply_plan(outcome.plan, gateway, outcome.live)
    if outcome.checks:
        start = gateway.call_count
        result.checks = run_checks(outcome.checks, gateway)
        result.rpc_calls += gateway.call_count - start
        if failed(result.checks):  # every write was made: the apply's error is the prices
            raise ApplyFailed(result, UserError(failure_message(result.checks)))
    return result


def prepare_before_read(
    resources: list[DesiredResource], env: Environment, gateway: Gateway
) -> list[DesiredResource]:
    """The resources as the kinds that prepare before the read make them (approval matrices
    mapped onto their backend): what ``doctor`` checks the rights of."""
    context = plan_context(env, gateway.server)
    live = new_live_state(context.namespace)
    return _prepare("before_read", resources, live, context, gateway).resources


def plan_context(env: Environment, server: ServerInfo) -> PlanContext:
    """What kinds and policies know of the environment and the login."""
    spec = env.spec
    return PlanContext(
        environment=env.name,
        environment_path=str(env.path),
        namespace=spec.xmlid_namespace,
        company=env.odoo.company,
        login=server.login,
        uid=server.uid,
        version=server.version,
        exclusive_roles=tuple(spec.exclusive_roles),
        sod_warnings=frozenset(spec.sod_warnings),
        allow_admin_revocation=spec.allow_admin_revocation,
        prune=spec.prune,
    )


def _prepare(
    phase: Phase,
    resources: list[DesiredResource],
    live: LiveState,
    context: PlanContext,
    gateway: Gateway,
    found: list[Diagnostic] | None = None,
) -> Prepared:
    """Run the plan-time hook of every kind that prepares in ``phase``, in registry order, each
    after the read stage answered what it needs; stops at the first kind with errors, reported
    after those already ``found``."""
    out = Prepared(resources)
    for kind in KINDS.values():
        if kind.prepares != phase:
            continue
        read_needs(gateway, live, partial(kind.needs, out.resources, context=context))
        done = kind.prepare(out.resources, live, context)
        if done.diagnostics:
            _raise_if([*(found or []), *done.diagnostics])
        out = Prepared(
            done.resources,
            warnings=[*out.warnings, *done.warnings],
            escalations=[*out.escalations, *done.escalations],
        )
    return out


def _as_planned(
    given: list[DesiredResource], planned: list[DesiredResource]
) -> Callable[[list[DesiredResource]], list[DesiredResource]]:
    """Replaces, in a list, each resource given to the diff by what the diff made of it
    (``planned``: one for each, in order); other resources are kept."""
    made = dict(zip(map(id, given), planned, strict=True))
    return lambda resources: [made.get(id(r), r) for r in resources]


def _raise_if(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        raise BlueprintError(diagnostics)
