"""The access review: who may do what before and after the plan, over (desired, live,
changes).

``AccessReview.review`` compares every user's effective access before and after the plan
(groups with implications expanded, the model rights they bring, the record rules of their
groups that are archived or deleted), flags escalations (Settings or Access Rights given or
taken, directly or by implication, listed first; write, create or delete on accounting models,
or on the models that grant access; a record rule's domain or roles changed) and checks the
segregation-of-duties policies (``SOD_CODE``) on the instance's effective groups as the plan
leaves them. A plan is refused when it would give a user a second user type (Odoo refuses it
halfway through an apply), or take Settings or Access Rights from the login odooconf runs as,
or Settings from its last active holder (``LOCKOUT_CODE``), unless the environment says
``allow_admin_revocation: true``.

``check_blueprint_sod`` checks the policies on the blueprints alone, at validate time;
``unknown_users`` finds the assignments whose login is not on the instance; the escalations
into the sensitive areas are ``odooconf.policies.sensitive``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from odooconf.config import Environment
from odooconf.engine.origin import in_variables
from odooconf.kinds.access_right import RIGHTS
from odooconf.kinds.groups import ODOO_REFUSES, Security, joined, ref_text, role_ref, via
from odooconf.kinds.sod_policy import SodPolicySpec
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.live import LiveState, PlanContext
from odooconf.model.plan import AccessChange, Action, Change, PlanWarning
from odooconf.model.resource import DesiredResource
from odooconf.policies.sensitive import closure, sensitive_escalations

#: Models whose write, create or delete rights let a user grant itself any access.
GRANTING_MODELS = ("res.groups", "res.users", "ir.model.access")
GRANTS = "a member can grant itself any access"
#: Models whose write, create or delete rights are escalations.
ACCOUNTING_PREFIX = "account."
#: Named first when a role opens many accounting models.
KEY_LEDGER_MODELS = ("account.move", "account.payment", "account.account", "account.journal")
SOD_CODE = "OC-X090"
#: A plan that would take the instance's administration away.
LOCKOUT_CODE = "OC-X095"


def check_blueprint_sod(resources: Sequence[DesiredResource], env: Environment) -> list[Diagnostic]:
    """Assignments that give one user two roles a policy keeps apart, on the blueprints alone
    (declared implications expanded; roles compared as written: a key or an external id)."""
    return blueprint_sod(resources, env)[0]


def blueprint_sod(
    resources: Sequence[DesiredResource], env: Environment
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The blueprints' conflicts: errors, and warnings (policies the environment lowers with
    ``sod_warnings``, which ``validate`` still shows)."""
    policies = [r for r in resources if r.kind == "sod_policy"]
    if not policies:
        return [], []
    implied: dict[str, set[str]] = {
        r.key: {ref_text(ref) for ref in r.values.get("implied") or []}
        for r in resources
        if r.kind == "role"
    }
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    lowered = set(env.spec.sod_warnings)
    for assignment in (r for r in resources if r.kind == "role_assignment"):
        held = closure({ref_text(ref) for ref in assignment.values.get("roles") or []}, implied)
        for policy in policies:
            spec: SodPolicySpec = policy.values["spec"]
            both = [ref_text(ref) for ref in spec.roles if ref_text(ref) in held]
            if len(both) < 2:
                continue
            message = (
                f"user {assignment.key} would hold {joined(both)}, which segregation-of-"
                f"duties policy {spec.name!r} ({policy.source}) keeps apart"
            )
            if spec.name in lowered:
                message += f"; lowered to a warning by sod_warnings in {env.path}"
            source = assignment.source_of("roles")
            found = Diagnostic(SOD_CODE, message, source, assignment.path)
            (warnings if spec.name in lowered else errors).append(found)
    return errors, warnings


def unknown_users(
    resources: Sequence[DesiredResource], live: LiveState, env: Environment
) -> list[Diagnostic]:
    """Role assignments whose login is not on the instance: users are master data, never
    created. Located where the environment writes the login (its ``variables``), when it does,
    and at the assignment."""
    out = []
    for resource in resources:
        if resource.kind != "role_assignment":
            continue
        if live.xmlid_record(resource.xmlid, "res.users") is not None:
            continue
        if live.matches(resource.kind, resource.key):
            continue
        assigned = resource.source_of("user")
        origin = in_variables(env, resource.key)
        message = f"user {resource.key!r} (by login) is not on the instance"
        if origin is None:
            source, path = assigned, resource.path
        else:
            (source, path), message = origin, f"{message} ({assigned} {resource.path})"
        message += "; users are master data: create the user first"
        out.append(Diagnostic("OC-X001", message, source, path))
    return out


@dataclass
class Review:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    access: list[AccessChange] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    #: Escalations about administering the instance: listed first.
    administering: list[str] = field(default_factory=list)


def review_access(
    desired: list[DesiredResource], live: LiveState, changes: list[Change], context: PlanContext
) -> Review:
    """The access review of a plan (nothing when it declares no security resource)."""
    return AccessReview(desired, live, context).review(changes)


class AccessReview(Security):
    """What the plan does to the users' access."""

    def review(self, changes: list[Change]) -> Review:
        out = Review()
        if not self.active:
            return out
        implied_after = {key: set(groups) for key, groups in self.implied.items()}
        held_after = {login: set(user.held) for login, user in self.users.items()}
        for change in changes:
            if change.action is Action.NOOP:
                continue
            if change.kind == "role" and "implied" in change.after:
                implied_after[change.key] = set(change.after["implied"])
            elif change.kind == "role" and change.record_id is None:
                implied_after[change.key] = set()
            if change.kind == "role_assignment" and change.key in held_after:
                held = held_after[change.key]
                held -= set(change.after.get("revoked") or [])
                held |= set(change.after.get("roles") or [])
                if self.materialized:
                    held |= closure(change.after.get("roles") or [], implied_after)
        if self.materialized:  # an implication added reaches the members (B1)
            for groups in held_after.values():
                groups.update(closure(groups, implied_after))
        rights_before, rights_after = self._rights(changes)
        lifted = self._lifted_rules(changes, out)
        self._escalating_roles(changes, implied_after, rights_before, rights_after, out)
        effective: dict[str, tuple[set[str], set[str]]] = {}
        for login in sorted(self.users):
            before = closure(self.users[login].held, self.implied)
            after = closure(held_after[login], implied_after)
            effective[login] = (before, after)
            self._user_review(
                login, before, after, held_after[login], implied_after,
                rights_before, rights_after, out,
            )  # fmt: skip
            for rule, groups in lifted.items():
                if before & groups:
                    by = via(sorted(before & groups)[0], self.users[login].held, self.implied)
                    out.access.append(AccessChange(login, "-", f"rule {rule}", by))
            self._user_type(login, before, after, held_after[login], implied_after, out)
            self._sod(login, after, out)
        self._lockout(effective, out)
        out.escalations += sensitive_escalations(
            changes, self.xmlid_keys, (self.implied, implied_after),
            (rights_before, rights_after), effective,
            lambda login, group: via(group, held_after[login], implied_after),
        )  # fmt: skip
        out.escalations[:0] = out.administering
        return out

    def _locate(self, login: str, role: str | None = None) -> tuple[SourceRef | None, str]:
        """Where a problem of user ``login`` is declared: its assignment (or ``exclusive_roles``),
        else the declared role that brings it, else nowhere."""
        for resource in self.resources:
            if resource.kind == "role_assignment" and resource.key == login:
                return resource.source_of("roles"), f"{resource.path} › roles"
        for resource in self.resources:
            if resource.kind == "role" and resource.key == role:
                return resource.source_of("implied"), f"{resource.path} › implied"
        return None, ""

    def _user_type(
        self,
        login: str,
        before: set[str],
        after: set[str],
        roots: set[str],
        implied_after: dict[str, set[str]],
        out: Review,
    ) -> None:
        """A second user type is refused by Odoo halfway through an apply, and odooconf never
        changes a user's type: a plan error naming the role that brings it."""
        had = before & self.types
        if not had or len(after & self.types) < 2:
            return
        for group in sorted((after & self.types) - had):
            by = via(group, roots, implied_after)
            old = _TYPE_NAMES[self.type_of[sorted(had)[0]]]
            new = _TYPE_NAMES[self.type_of[group]]
            message = (
                f"{by} would make {old} user {login} {_article(new)} {new} user too ({group} "
                "comes with it): Odoo allows one user type per user, and odooconf never changes "
                "a user's type; change it in Odoo first, or assign roles that do not imply it"
            )
            source, path = self._locate(login, by)
            out.diagnostics.append(Diagnostic(ODOO_REFUSES, message, source, path))

    def _lockout(self, effective: dict[str, tuple[set[str], set[str]]], out: Review) -> None:
        """Refuse a plan that takes the instance's administration from the login odooconf runs
        as, or Settings from its last active holder, unless the environment allows it."""
        if self.context.allow_admin_revocation:
            return
        way_past = (
            "nothing was changed; keep it in the blueprints, or set allow_admin_revocation: true "
            f"in the environment ({self.context.environment_path}) for this plan"
        )
        login = self.context.login
        before, after = effective.get(login, (set(), set()))
        lost = [group for group in self.admin if group in before - after]
        if lost:
            message = (
                f"{login}, the login odooconf runs as, would lose {joined(lost)}: the next plan "
                f"could not read the instance; {way_past}"
            )
            out.diagnostics.append(Diagnostic(LOCKOUT_CODE, message, *self._locate(login)))
        settings = self.xmlid_keys.get("base.group_system")
        holders = sorted(user for user, (old, _new) in effective.items() if settings in old)
        if settings and holders and not any(settings in new for _old, new in effective.values()):
            message = (
                f"no active user would hold {settings} (base.group_system) after this plan "
                f"({joined(holders)} would lose it): nobody could administer the instance; "
                f"{way_past}"
            )
            out.diagnostics.append(Diagnostic(LOCKOUT_CODE, message, *self._locate(holders[0])))

    def _lifted_rules(self, changes: list[Change], out: Review) -> dict[str, set[str]]:
        """Record rules the plan archives or deletes, with their groups (users holding one no
        longer get what the rule gave them); a global one, and any change of a rule's domain
        or roles, is an escalation."""
        records = self.live.records.get("record_rule", {})
        lifted: dict[str, set[str]] = {}
        for change in changes:
            if change.kind != "record_rule" or change.action in (Action.NOOP, Action.RELEASE):
                continue
            for changed in change.fields:
                if changed.field in ("domain", "roles") and change.record_id is not None:
                    out.escalations.append(
                        f"record rule {change.key}: {changed.field} {_rule_value(changed.old)} → "
                        f"{_rule_value(changed.new)}"
                    )
            if not change.action.closing and change.after.get("active") is not False:
                continue
            row = records.get(change.record_id or 0, {})
            groups = {self.key_of.get(g, f"#{g}") for g in row.get("groups") or []}
            if groups:
                lifted[change.key] = groups
            elif row:
                out.escalations.append(
                    f"record rule {change.key}: {change.action.value}, a global rule: every "
                    "user loses its restriction"
                )
        return lifted

    def _rights(
        self, changes: list[Change]
    ) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, set[str]]]]:
        """Per group key, per model, the rights its access rows grant, before and after."""
        records = self.rights_rows()
        models = self.model_names(
            {row["model_id"][0] for row in records.values() if row.get("model_id")}
        )
        before: dict[str, dict[str, set[str]]] = {}
        by_key: dict[tuple[str, str], set[str]] = {}
        for row in records.values():
            if not row.get("group_id") or not row.get("model_id") or row.get("active") is False:
                continue
            group = self.key_of.get(row["group_id"][0], f"#{row['group_id'][0]}")
            model = models.get(row["model_id"][0], str(row["model_id"][1]))
            perms = {right for right, odoo in RIGHTS.items() if row.get(odoo)}
            before.setdefault(group, {}).setdefault(model, set()).update(perms)
            by_key.setdefault((group, model), set()).update(perms)
        for change in changes:
            if change.kind != "access_right" or change.action in (Action.NOOP, Action.RELEASE):
                continue
            if change.action.closing:  # archived or deleted: the row no longer grants anything
                row = records.get(change.record_id or 0, {})
                if row.get("group_id") and row.get("model_id"):
                    group = self.key_of.get(row["group_id"][0], f"#{row['group_id'][0]}")
                    by_key[(group, models.get(row["model_id"][0], ""))] = set()
                continue
            pair = (str(change.after.get("role")), str(change.after.get("model")))
            active = change.after.get("active") is not False
            by_key[pair] = {r for r in RIGHTS if change.after.get(r)} if active else set()
        after: dict[str, dict[str, set[str]]] = {}
        for (group, model), perms in by_key.items():
            after.setdefault(group, {}).setdefault(model, set()).update(perms)
        return before, after

    def _escalating_roles(
        self,
        changes: list[Change],
        implied_after: dict[str, set[str]],
        rights_before: dict[str, dict[str, set[str]]],
        rights_after: dict[str, dict[str, set[str]]],
        out: Review,
    ) -> None:
        for change in changes:
            if change.action is Action.NOOP:
                continue
            if change.kind == "role":
                gained = closure({change.key}, implied_after) - closure({change.key}, self.implied)
                for group in sorted(set(self.admin) & gained):
                    out.administering.append(
                        f"role {change.key} implies {group} ({self.admin[group]}): every member "
                        "administers the instance"
                    )
            if change.kind == "access_right":
                role, model = str(change.after.get("role")), str(change.after.get("model"))
                new = rights_after.get(role, {}).get(model, set())
                old = rights_before.get(role, {}).get(model, set())
                for right in sorted((new - old) & {"write", "create", "delete"}):
                    if model.startswith(ACCOUNTING_PREFIX):
                        out.escalations.append(f"role {role} gets {right} on {model}")
                    elif model in GRANTING_MODELS:
                        out.administering.append(f"role {role} gets {right} on {model}: {GRANTS}")

    def _user_review(
        self,
        login: str,
        before: set[str],
        after: set[str],
        roots: set[str],
        implied_after: dict[str, set[str]],
        rights_before: dict[str, dict[str, set[str]]],
        rights_after: dict[str, dict[str, set[str]]],
        out: Review,
    ) -> None:
        old_roots = self.users[login].held
        for sign, groups, holders, implied in (
            ("+", after - before, roots, implied_after),
            ("-", before - after, old_roots, self.implied),
        ):
            for group in sorted(groups):
                line = AccessChange(login, sign, f"group {group}", via(group, holders, implied))
                out.access.append(line)
                if group in self.admin:
                    out.administering.append(
                        f"{line}: {self.admin[group]} administers the instance"
                    )
        granted_before = _granted(before, rights_before)
        granted_after = _granted(after, rights_after)
        gained: dict[tuple[str, str], list[str]] = {}  # (model, via) → rights
        lost: dict[tuple[str, str], list[str]] = {}
        for (right, model), groups in granted_after.items():
            if (right, model) not in granted_before:
                by = via(sorted(groups)[0], roots, implied_after)
                gained.setdefault((model, by), []).append(right)
        for (right, model), groups in granted_before.items():
            if (right, model) not in granted_after:
                by = via(sorted(groups)[0], old_roots, self.implied)
                lost.setdefault((model, by), []).append(right)
        ledger: dict[str, list[str]] = {}  # via → accounting models it may now change
        for sign, found in (("+", gained), ("-", lost)):
            for (model, by), rights in sorted(found.items()):
                ordered = [right for right in RIGHTS if right in rights]
                line = AccessChange(login, sign, f"{', '.join(ordered)} {model}", by)
                out.access.append(line)
                if sign != "+" or ordered == ["read"]:
                    continue
                if model.startswith(ACCOUNTING_PREFIX):
                    ledger.setdefault(by, []).append(model)
                elif model in GRANTING_MODELS and not after & set(self.admin):
                    out.administering.append(f"{line}: {GRANTS}")
        for by, models in sorted(ledger.items()):
            models.sort(key=lambda model: (model not in KEY_LEDGER_MODELS, model))
            shown = ", ".join(models[:3]) + (
                f" and {len(models) - 3} more" if len(models) > 3 else ""
            )
            out.escalations.append(
                f"{login}: + write, create or delete on accounting models ({shown}) (via {by})"
            )

    def _sod(self, login: str, groups: set[str], out: Review) -> None:
        lowered = set(self.context.sod_warnings)
        for policy in self.policies:
            spec: SodPolicySpec = policy.values["spec"]
            roles = [(self._role_key(role_ref(ref)), ref_text(role_ref(ref))) for ref in spec.roles]
            both = [key for key, _written in roles if key is not None and key in groups]
            if len(both) < 2:
                continue
            why = f" ({spec.description})" if spec.description else ""
            message = (
                f"user {login} holds {joined(both)} (implied groups included), which "
                f"segregation-of-duties policy {spec.name!r} keeps apart{why}"
            )
            if spec.name in lowered:
                out.warnings.append(
                    PlanWarning("sod", message, (f"sod_policy {spec.name}",), str(policy.source))
                )
            else:
                out.diagnostics.append(Diagnostic(SOD_CODE, message, policy.source, policy.path))


_TYPE_NAMES = {
    "base.group_user": "internal",
    "base.group_portal": "portal",
    "base.group_public": "public",
}


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _rule_value(value: Any) -> str:
    """A record rule's domain or roles as a reviewer reads them."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) if value else "none (a global rule)"
    return str(value) if value else "none"


def _granted(
    groups: set[str], rights: dict[str, dict[str, set[str]]]
) -> dict[tuple[str, str], set[str]]:
    """(right, model) → the groups granting it."""
    out: dict[tuple[str, str], set[str]] = {}
    for group in groups:
        for model, perms in rights.get(group, {}).items():
            for right in perms:
                out.setdefault((right, model), set()).add(group)
    return out
