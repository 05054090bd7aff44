"""Security planning across kinds: who may do what, before and after the plan.

Roles, access rights, record rules and assignments are planned by their kinds like any other
resource; what no single kind can say is worked out here, from the live state:

* ``Security.prepare`` (after the read, before the diff) completes each role assignment: the
  managed roles the user must not hold (``revoked``), and, when a role is taken away on a
  version whose users carry their implied groups (Odoo up to 18 writes them into ``groups_id``
  and never takes them away, 18/side_effects_finance_security.md B1), the groups only that role
  implied (the *residue*); a user type (internal, portal, public) is never part of it. With
  ``exclusive_roles`` in the environment, users the blueprints do not assign lose those roles.
* ``Security.review`` (after the diff) compares every user's effective access before and after
  the plan (groups with implications expanded, and the model rights they bring), flags
  escalations (Settings or Access Rights handed out, directly or by implication; write, create
  or delete on accounting models) and checks the segregation-of-duties policies on the
  instance's effective groups as the plan leaves them.

``check_blueprint_sod`` checks the policies on the blueprints alone, at validate time.
Nothing here reads anything when the blueprints declare no security resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from odooconf.config import Environment
from odooconf.errors import RemoteError
from odooconf.kinds import KINDS
from odooconf.kinds._base import slug
from odooconf.kinds.access_right import RIGHTS
from odooconf.kinds.domain import domain_paths
from odooconf.kinds.sod_policy import SodPolicySpec
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.model.live import LiveState
from odooconf.model.plan import AccessChange, Action, Change, PlanWarning
from odooconf.model.resource import Address, DesiredResource, XmlidRef
from odooconf.odoo.gateway import Gateway

SECURITY_KINDS = frozenset({"role", "access_right", "record_rule", "role_assignment", "sod_policy"})
#: A user's type: never revoked as a leftover (B2: a user without one loses every access).
USER_TYPES = ("base.group_user", "base.group_portal", "base.group_public")
#: Groups that administer the instance itself.
ESCALATING = ("base.group_system", "base.group_erp_manager")
#: Models whose write, create or delete rights are escalations.
ACCOUNTING_PREFIX = "account."
#: Named first when a role opens many accounting models.
KEY_LEDGER_MODELS = ("account.move", "account.payment", "account.account", "account.journal")
SOD_CODE = "OC-X090"


def _text(ref: Any) -> str:
    return f"xmlid {ref.xmlid}" if isinstance(ref, XmlidRef) else str(ref)


def take_policies(resources: list[DesiredResource]) -> list[DesiredResource]:
    """Remove the segregation-of-duties policies from ``resources`` (they are checked, not
    planned) and return them."""
    policies = [r for r in resources if r.kind == "sod_policy"]
    resources[:] = [r for r in resources if r.kind != "sod_policy"]
    return policies


def check_blueprint_sod(resources: list[DesiredResource], env: Environment) -> list[Diagnostic]:
    """Assignments that give one user two roles a policy keeps apart, on the blueprints alone
    (declared implications expanded; roles compared as written: a key or an external id)."""
    policies = [r for r in resources if r.kind == "sod_policy"]
    if not policies:
        return []
    implied: dict[str, set[str]] = {
        r.key: {_text(ref) for ref in r.values.get("implied") or []}
        for r in resources
        if r.kind == "role"
    }
    out = []
    lowered = set(env.spec.sod_warnings)
    for assignment in (r for r in resources if r.kind == "role_assignment"):
        held = _closure({_text(ref) for ref in assignment.values.get("roles") or []}, implied)
        for policy in policies:
            spec: SodPolicySpec = policy.values["spec"]
            if spec.name in lowered:
                continue
            both = [_text(ref) for ref in spec.roles if _text(ref) in held]
            if len(both) > 1:
                message = (
                    f"user {assignment.key} would hold {_and(both)}, which segregation-of-"
                    f"duties policy {spec.name!r} ({policy.source}) keeps apart"
                )
                source = assignment.source_of("roles")
                out.append(Diagnostic(SOD_CODE, message, source, assignment.path))
    return out


def _closure(roots: Iterable[str], implied: Mapping[str, Iterable[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(implied.get(key, ()))
    return seen


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


@dataclass
class Review:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    access: list[AccessChange] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)


@dataclass
class _User:
    login: str
    #: Keys of the groups its record lists (with the implied ones up to Odoo 18).
    held: set[str]


class Security:
    """The groups, users and rights of the instance, read once per plan, and what the plan
    does to them."""

    def __init__(
        self,
        resources: list[DesiredResource],
        policies: list[DesiredResource],
        live: LiveState,
        gateway: Gateway,
        env: Environment,
    ) -> None:
        self.resources, self.policies, self.live = resources, policies, live
        self.gateway, self.env = gateway, env
        self.active = bool(policies) or any(r.kind in SECURITY_KINDS for r in resources)
        self.exclusive = list(env.spec.exclusive_roles)
        if not self.active and not self.exclusive:
            return
        self.active = True
        users_fields = gateway.fields("res.users")
        self.users_field = "groups_id" if "groups_id" in users_fields else "group_ids"
        #: Odoo 19 keeps a user's explicit groups in ``group_ids`` and computes the implied
        #: ones (``all_group_ids``); up to 18 they are written into ``groups_id`` and stay.
        self.materialized = "all_group_ids" not in users_fields
        self.key_of: dict[int, str] = {}
        self.implied: dict[str, set[str]] = {}
        self._read_groups()
        self.xmlid_keys = self._xmlids()
        #: Group key → xmlid of the groups that administer the instance (ESCALATING).
        self.admin = {self.xmlid_keys[x]: x for x in ESCALATING if x in self.xmlid_keys}
        self.users = self._read_users()
        self.residue: dict[str, dict[str, str]] = {}
        self.kept: list[PlanWarning] = []

    # --- reading ------------------------------------------------------------------------

    def _read_groups(self) -> None:
        role = KINDS["role"]
        records = self.live.records.get("role")
        if records is None:
            fields = self.gateway.fields("res.groups")
            wanted = [
                f for f in ("name", "category_id", "privilege_id", "implied_ids") if f in fields
            ]
            records = {row["id"]: row for row in self.gateway.search_read("res.groups", [], wanted)}
        for gid, row in records.items():
            self.key_of[gid] = role.live_key(row, lambda _t, _i: None) or f"#{gid}"
        for gid, row in records.items():
            self.implied[self.key_of[gid]] = {
                self.key_of.get(other, f"#{other}") for other in row.get("implied_ids") or []
            }

    def _xmlids(self) -> dict[str, str]:
        """Keys of the groups named by external id: user types, escalating groups, and those
        the policies name (one call)."""
        wanted = {*USER_TYPES, *ESCALATING}
        for policy in self.policies:
            wanted |= {ref.xmlid for ref in policy.values["spec"].roles if hasattr(ref, "xmlid")}
        names = sorted({xmlid.split(".", 1)[1] for xmlid in wanted})
        domain: list[Any] = [("model", "=", "res.groups"), ("name", "in", names)]
        rows = self.gateway.search_read("ir.model.data", domain, ["module", "name", "res_id"])
        out = {}
        for row in rows:
            xmlid = f"{row['module']}.{row['name']}"
            if xmlid in wanted and row["res_id"] in self.key_of:
                out[xmlid] = self.key_of[row["res_id"]]
        return out

    def _read_users(self) -> dict[str, _User]:
        records = self.live.records.get("role_assignment")
        if records is None:
            fields = ["login", self.users_field, "active"]
            rows = self.gateway.search_read("res.users", [("active", "in", [True, False])], fields)
            records = {row["id"]: row for row in rows}
        return {
            str(row["login"]): _User(
                str(row["login"]),
                {self.key_of.get(g, f"#{g}") for g in row.get(self.users_field) or []},
            )
            for row in records.values()
            if row.get("login") and row.get("active", True) is not False
        }

    def _role_key(self, ref: Any) -> str | None:
        if isinstance(ref, XmlidRef):
            hit = self.live.xmlids.get(ref.xmlid)
            if hit and hit[0] == "res.groups":
                return self.key_of.get(hit[1])
            return self.xmlid_keys.get(ref.xmlid)
        return str(ref)

    # --- before the diff ------------------------------------------------------------------

    def prepare(self) -> list[Diagnostic]:
        """Check the record rules' domains against the instance's fields; complete every role
        assignment with the roles and leftovers to revoke."""
        if not self.active:
            return []
        problems = self._rule_domains() + self._unknown_roles()
        assignments = [r for r in self.resources if r.kind == "role_assignment"]
        declared_roles = {r.key for r in self.resources if r.kind == "role"}
        # Roles odooconf manages stay managed when they leave the blueprints: retiring a role
        # revokes it from the declared users instead of leaving it behind.
        prefix = f"{self.live.namespace}."
        managed = {
            self.key_of[res_id]
            for xmlid, (model, res_id) in self.live.xmlids.items()
            if xmlid.startswith(prefix) and model == "res.groups" and res_id in self.key_of
        }
        universe = declared_roles | managed | set(self.exclusive)
        for assignment in assignments:
            roles = [self._role_key(ref) or ref for ref in assignment.values.get("roles") or []]
            assignment.values["roles"] = roles
            universe |= {str(role) for role in roles if isinstance(role, str)}
        assigned = {a.key for a in assignments}
        for login, user in sorted(self.users.items()):
            if login not in assigned and user.held & set(self.exclusive):
                assignments.append(self._exclusive(user))
        implied = self._planned_implications()
        for assignment in assignments:
            self._complete(assignment, universe, implied)
        return problems

    def _planned_implications(self) -> dict[str, set[str]]:
        """What each group implies once the declared roles are written."""
        implied = {key: set(groups) for key, groups in self.implied.items()}
        for role in (r for r in self.resources if r.kind == "role"):
            if "implied" in role.values:
                refs = role.values["implied"] or []
                implied[role.key] = {key for ref in refs if (key := self._role_key(ref))}
            else:
                implied.setdefault(role.key, set())
        return implied

    def _unknown_roles(self) -> list[Diagnostic]:
        """Roles the policies and ``exclusive_roles`` name that are neither declared nor on the
        instance: a policy that checks nothing would pass silently."""
        known = set(self.implied) | {r.key for r in self.resources if r.kind == "role"}
        out = []
        for policy in self.policies:
            spec: SodPolicySpec = policy.values["spec"]
            for ref in spec.roles:
                key = self._role_key(_ref(ref))
                if key is None or key not in known:
                    message = f"role {_text(_ref(ref))!r} is neither declared nor on the instance"
                    out.append(
                        Diagnostic("OC-X001", message, policy.source, f"{policy.path} › roles")
                    )
        source = SourceRef(str(self.env.path))
        for role in self.exclusive:
            if role not in known:
                message = f"role {role!r} is neither declared nor on the instance"
                out.append(Diagnostic("OC-X001", message, source, "exclusive_roles"))
        return out

    def _rule_domains(self) -> list[Diagnostic]:
        """Fields a declared rule's domain names that its model lacks (one ``fields_get`` per
        model a domain goes through): Odoo would refuse the rule, or, archived, save it and
        lock users out when it is activated."""
        out = []
        known = {str(row.get("model")) for row in self.live.records.get("ir_model", {}).values()}
        for rule in (r for r in self.resources if r.kind == "record_rule"):
            domain, model = rule.values.get("domain"), str(rule.values.get("model"))
            if not domain or model not in known:  # an unknown model: the diff reports it
                continue
            for path in domain_paths(str(domain)):
                problem = self._path_problem(model, path)
                if problem:
                    where = f"{rule.path} › domain"
                    out.append(Diagnostic("OC-X030", problem, rule.source_of("domain"), where))
        return out

    def _path_problem(self, model: str, path: str) -> str:
        """What is wrong with a domain's field path, to its last name ("" when nothing)."""
        current = model
        names = path.split(".")
        for index, name in enumerate(names):
            try:
                info = self.gateway.fields(current).get(name)
            except RemoteError:  # listed in ir.model but not served: Odoo checks it itself
                return ""
            if info is None:
                return (
                    f"the domain names {path!r}, and {current} has no field {name!r} on this "
                    f"Odoo {self.gateway.server.version} instance: the rule would lock users out"
                )
            relation = str(info.get("relation") or "")
            if not relation and index + 1 < len(names):
                return (
                    f"the domain names {path!r}: {current}.{name} is not a relation, so "
                    f"{'.'.join(names[index + 1 :])!r} cannot follow it: the rule would lock "
                    "users out"
                )
            current = relation
        return ""

    def _exclusive(self, user: _User) -> DesiredResource:
        """An assignment of no role for a user the blueprints do not assign, who holds a role
        the environment manages exclusively."""
        resource = DesiredResource(
            address=Address("role_assignment", user.login),
            values={"roles": [], "revoked": []},
            source=SourceRef(str(self.env.path)),
            path="exclusive_roles",
            xmlid=f"{self.env.spec.xmlid_namespace}.role_assignment_{slug(user.login)}",
        )
        self.resources.append(resource)
        return resource

    def _complete(
        self, assignment: DesiredResource, universe: set[str], implied: dict[str, set[str]]
    ) -> None:
        declared = {str(r) for r in assignment.values.get("roles") or [] if isinstance(r, str)}
        user = self.users.get(assignment.key)
        held = user.held if user else set()
        # A managed role one of the declared roles implies is held through it, not revoked.
        revoked = (universe - _closure(declared, implied)) & held if user else set()
        residue: dict[str, str] = {}
        if revoked and self.materialized:
            types = {self.xmlid_keys[x] for x in USER_TYPES if x in self.xmlid_keys} & held
            explained = _closure(revoked, self.implied)
            roots = (held - explained) | declared | types
            kept = _closure(roots, implied)
            for role in sorted(revoked):
                for group in sorted(_closure({role}, self.implied) & held):
                    if group not in kept and group not in revoked and group not in residue:
                        residue[group] = role
        after_roots = (held - revoked - set(residue)) | declared
        stays = _closure(after_roots, implied)
        for group in sorted((revoked | set(residue)) & stays):
            # Odoo gives a user the groups its other groups imply again: it would come back.
            revoked.discard(group)
            residue.pop(group, None)
            why = sorted(r for r in after_roots if group in _closure({r}, implied) and r != group)
            message = (
                f"{assignment.key} keeps {group}: {_and(why)} implies it "
                "(revoke that too, or stop the implication)"
            )
            self.kept.append(PlanWarning("kept", message, (str(assignment.address),)))
        assignment.values["revoked"] = sorted(revoked | set(residue))
        if residue:
            self.residue[assignment.key] = residue

    # --- after the diff ----------------------------------------------------------------------

    def review(self, changes: list[Change]) -> Review:
        out = Review(warnings=list(self.kept) if self.active else [])
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
                    held |= _closure(change.after.get("roles") or [], implied_after)
        if self.materialized:  # an implication added reaches the members (B1)
            for groups in held_after.values():
                groups.update(_closure(groups, implied_after))
        rights_before, rights_after = self._rights(changes)
        self._escalating_roles(changes, implied_after, rights_before, rights_after, out)
        for login in sorted(self.users):
            before = _closure(self.users[login].held, self.implied)
            after = _closure(held_after[login], implied_after)
            self._user_review(
                login, before, after, held_after[login], implied_after,
                rights_before, rights_after, out,
            )  # fmt: skip
            self._sod(login, after, out)
        for login, residue in sorted(self.residue.items()):
            for group, role in sorted(residue.items()):
                out.warnings.append(
                    PlanWarning(
                        "residue",
                        f"{login}: {group} is revoked with {role}, which implied it: Odoo "
                        "would leave it behind",
                        (f"role_assignment {login}",),
                    )
                )
        return out

    def _rights(
        self, changes: list[Change]
    ) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, set[str]]]]:
        """Per group key, per model, the rights its access rows grant, before and after."""
        records = self.live.records.get("access_right")
        if records is None:
            fields = ["group_id", "model_id", "active", *RIGHTS.values()]
            rows = self.gateway.search_read("ir.model.access", [("group_id", "!=", False)], fields)
            records = {row["id"]: row for row in rows}
        models = self._model_names(
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
            if change.kind != "access_right" or change.action is Action.NOOP:
                continue
            pair = (str(change.after.get("role")), str(change.after.get("model")))
            if change.after.get("active") is False:
                by_key[pair] = set()
            else:
                by_key[pair] = {r for r in RIGHTS if change.after.get(r)}
        after: dict[str, dict[str, set[str]]] = {}
        for (group, model), perms in by_key.items():
            after.setdefault(group, {}).setdefault(model, set()).update(perms)
        return before, after

    def _model_names(self, ids: set[int]) -> dict[int, str]:
        known = self.live.records.get("ir_model", {})
        names = {mid: str(row["model"]) for mid, row in known.items() if mid in ids}
        missing = sorted(ids - set(names))
        if missing:
            rows = self.gateway.search_read("ir.model", [("id", "in", missing)], ["model"])
            names.update((row["id"], str(row["model"])) for row in rows)
        return names

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
                gained = _closure({change.key}, implied_after) - _closure(
                    {change.key}, self.implied
                )
                for group in sorted(set(self.admin) & gained):
                    out.escalations.append(
                        f"role {change.key} implies {group} ({self.admin[group]}): every member "
                        "administers the instance"
                    )
            if change.kind == "access_right":
                role, model = str(change.after.get("role")), str(change.after.get("model"))
                if not model.startswith(ACCOUNTING_PREFIX):
                    continue
                new = rights_after.get(role, {}).get(model, set())
                old = rights_before.get(role, {}).get(model, set())
                for right in sorted((new - old) & {"write", "create", "delete"}):
                    out.escalations.append(f"role {role} gets {right} on {model}")

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

        def via(group: str, holders: set[str], implied: dict[str, set[str]]) -> str:
            found = sorted(r for r in holders if group in _closure({r}, implied) and r != group)
            return found[0] if found else group

        for group in sorted(after - before):
            line = AccessChange(login, "+", f"group {group}", via(group, roots, implied_after))
            out.access.append(line)
            if group in self.admin:
                out.escalations.append(f"{line}: {self.admin[group]} administers the instance")
        for group in sorted(before - after):
            out.access.append(
                AccessChange(login, "-", f"group {group}", via(group, old_roots, self.implied))
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
                out.access.append(AccessChange(login, sign, f"{', '.join(ordered)} {model}", by))
                if sign == "+" and model.startswith(ACCOUNTING_PREFIX) and ordered != ["read"]:
                    ledger.setdefault(by, []).append(model)
        for by, models in sorted(ledger.items()):
            models.sort(key=lambda model: (model not in KEY_LEDGER_MODELS, model))
            shown = ", ".join(models[:3]) + (
                f" and {len(models) - 3} more" if len(models) > 3 else ""
            )
            out.escalations.append(
                f"{login}: + write, create or delete on accounting models ({shown}) (via {by})"
            )

    def _sod(self, login: str, groups: set[str], out: Review) -> None:
        lowered = set(self.env.spec.sod_warnings)
        for policy in self.policies:
            spec: SodPolicySpec = policy.values["spec"]
            roles = [(self._role_key(_ref(ref)), _text(_ref(ref))) for ref in spec.roles]
            both = [key for key, _written in roles if key is not None and key in groups]
            if len(both) < 2:
                continue
            why = f" ({spec.description})" if spec.description else ""
            message = (
                f"user {login} holds {_and(both)} (implied groups included), which "
                f"segregation-of-duties policy {spec.name!r} keeps apart{why}"
            )
            if spec.name in lowered:
                out.warnings.append(
                    PlanWarning("sod", message, (f"sod_policy {spec.name}",), str(policy.source))
                )
            else:
                out.diagnostics.append(Diagnostic(SOD_CODE, message, policy.source, policy.path))


def _ref(ref: Any) -> Any:
    return XmlidRef(ref.xmlid) if hasattr(ref, "xmlid") else str(ref)


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
