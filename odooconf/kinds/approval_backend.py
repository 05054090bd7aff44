"""The ``approvals`` section's kind, and its plan time: each matrix mapped onto the backend the
instance offers.

The approval kind's ``prepare`` (before the kinds' records are read): ``approvals`` items (and
their levels) are replaced by ``tier_definition`` or ``purchase_approval`` resources, which the
engine then plans like any other (field by field, external ids in odooconf's namespace,
converging applies). What it needs to choose is read by the read stage (``_Instance.needs``: a
few calls, none when the blueprints declare no approvals); it reports, together and located,
every matrix the instance cannot express.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from odooconf.kinds._base import Inline, Kind, Prepared, Spec, XmlidSpec, as_ref, slug
from odooconf.kinds.approval import (
    DOCUMENTS,
    ApprovalLevelSpec,
    ApprovalSpec,
    ApproverSpec,
    LevelOf,
    approval_key,
    tier_key,
)
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.live import LiveState, PlanContext, Query, fields_of, models_among, search
from odooconf.model.resource import Address, DesiredResource

#: The kinds approval matrices are planned onto.
BACKEND_KINDS = ("tier_definition", "purchase_approval")
TIER_MODEL = "tier.definition"
TIER_BASE = "base_tier_validation"
MANAGER = "purchase.group_purchase_manager"
#: Code of a matrix this instance cannot express.
CANNOT = "OC-X080"
#: Fields of the document model the generated domains use.
DOMAIN_FIELDS = ("amount_total", "currency_id")


def tier_domain(document: str, amount: float, currency: str) -> str:
    """The ``definition_domain`` of a level, as Python-literal text (how Odoo stores it):
    documents of this type, in this currency, whose total is at least the amount."""
    _model, extra, _label, _module = DOCUMENTS[document]
    leaves = [
        *extra,
        ("amount_total", ">=", float(amount)),
        ("currency_id.name", "=", str(currency)),
    ]
    text = "[" + ", ".join(repr(tuple(leaf)) for leaf in leaves) + "]"
    parsed = ast.literal_eval(text)  # a domain Odoo can evaluate, or odooconf's own bug
    assert isinstance(parsed, list) and all(len(leaf) == 3 for leaf in parsed), text
    return text


def review_sequences(levels: int) -> list[int]:
    """``sequence`` of each level's definitions, level 1 first. Tier validation numbers a
    document's reviews by *descending* sequence (the highest is reviewed first), so level 1
    gets the highest."""
    return [10 * (levels - index) for index in range(levels)]


def tier_name(label: str, number: int, levels: int, level: ApprovalLevelSpec, currency: str) -> str:
    if level.name:
        return level.name
    return f"{label} from {level.amount:,.2f} {currency}: level {number} of {levels}"


def _approvals(resources: Sequence[DesiredResource]) -> list[DesiredResource]:
    return [r for r in resources if r.kind == "approval"]


class _Instance:
    """What the mapping needs to know about the instance, from the read stage's answers to
    ``needs``."""

    def __init__(self, live: LiveState, context: PlanContext) -> None:
        self.live, self.context = live, context

    @staticmethod
    def needs(
        resources: Sequence[DesiredResource], live: LiveState, context: PlanContext
    ) -> list[Query]:
        """The reads of the mapping, those that depend on others once those are answered."""
        approvals = _approvals(resources)
        if not approvals:
            return []
        specs: list[ApprovalSpec] = [a.values["spec"] for a in approvals]
        currencies = sorted({str(as_ref(spec.currency)) for spec in specs})
        out = [
            _MODELS,
            _COMPANIES,
            _MANAGER_XMLID,
            search("res.currency", [("name", "in", currencies)], ["name"]),
        ]
        if not context.company:
            out.append(search("res.users", [("id", "=", context.uid)], ["company_id"]))
        named = _role_names(resources)
        if named:
            out.append(search("res.groups", [("name", "in", named)], ["name"]))
        models = live.answers.get(_MODELS)
        if models is not None:
            out += [fields_of(model) for model in sorted(models) if model != TIER_MODEL]
            if TIER_MODEL in models:
                out.append(_own_tier_ids(context.namespace))
        manager = live.answers.get(_MANAGER_XMLID)
        if manager:
            out.append(search("res.groups", [("id", "=", manager[0]["res_id"])], ["full_name"]))
        own = live.answers.get(_own_tier_ids(context.namespace))
        if own:
            ids = sorted(int(row["res_id"]) for row in own)
            out.append(search(TIER_MODEL, [("id", "in", ids)], ["model", "name"]))
        return out

    @property
    def models(self) -> set[str]:
        models: set[str] = self.live.answer(_MODELS)
        return models

    def has_tier_validation(self, model: str) -> bool:
        """Whether documents of ``model`` go through tier validation (the model carries the
        abstract ``tier.validation``'s reviews)."""
        if TIER_MODEL not in self.models or model not in self.models:
            return False
        return "review_ids" in self.fields(model)

    def fields(self, model: str) -> Mapping[str, Any]:
        """A model's fields; none when the model is missing, or listed but not served."""
        return (self.live.answer(fields_of(model)) or {}) if model in self.models else {}

    @property
    def companies(self) -> dict[str, dict[str, Any]]:
        return {str(row["name"]): row for row in self.live.rows(_COMPANIES)}

    @property
    def current_company(self) -> str | None:
        if self.context.company:
            return self.context.company
        query = search("res.users", [("id", "=", self.context.uid)], ["company_id"])
        [user] = self.live.rows(query)
        company = user.get("company_id")
        return str(company[1]) if company else None

    def currencies(self, codes: list[str]) -> set[str]:
        found = {
            str(row["name"])
            for query, rows in self.live.answers.items()
            if query.model == "res.currency"
            for row in rows
        }
        return found & set(codes)

    @property
    def manager_xmlid(self) -> int | None:
        """The group id Purchase / Administrator's external id names (None: no such id)."""
        rows = self.live.rows(_MANAGER_XMLID)
        return int(rows[0]["res_id"]) if rows else None

    @property
    def manager_group(self) -> tuple[int, str] | None:
        """Id and full name (its key as a role) of Purchase / Administrator; None when the
        instance has none (its external id missing, or naming a deleted group)."""
        if self.manager_xmlid is None:
            return None
        rows = self.live.rows(
            search("res.groups", [("id", "=", self.manager_xmlid)], ["full_name"])
        )
        return (int(rows[0]["id"]), str(rows[0]["full_name"])) if rows else None

    def manager_gone(self) -> str | None:
        """What to say when Purchase / Administrator's external id names a group that is no
        longer on the instance (deleted in SQL, or by a faulty migration)."""
        if self.manager_xmlid is None or self.manager_group is not None:
            return None
        return (
            f"external id {MANAGER!r} names res.groups #{self.manager_xmlid}, which is not on "
            "the instance (the group was deleted): Odoo's purchase double validation is "
            "approved by that group's members only; updating the purchase module recreates it"
        )

    def own_tier_ids(self, namespace: str) -> list[dict[str, Any]]:
        """odooconf's external ids of tier definitions."""
        return self.live.rows(_own_tier_ids(namespace))

    def tier_records(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """The tier definitions odooconf tagged (read whole: ``ids`` picks among them)."""
        if not ids:
            return {}
        own = sorted(int(row["res_id"]) for row in self.own_tier_ids(self.context.namespace))
        rows = self.live.rows(search(TIER_MODEL, [("id", "in", own)], ["model", "name"]))
        return {int(row["id"]): row for row in rows if int(row["id"]) in ids}

    def groups_named(self, name: str) -> list[int]:
        query = search("res.groups", [("name", "in", _role_names_of(self.live))], ["name"])
        return [int(row["id"]) for row in self.live.rows(query) if row["name"] == name]


_MODELS = models_among([TIER_MODEL, "res.company", *(doc[0] for doc in DOCUMENTS.values())])
_COMPANIES = search("res.company", [], ["name", "currency_id"])
_MODULE, _NAME = MANAGER.split(".")
_MANAGER_XMLID = search(
    "ir.model.data",
    [("module", "=", _MODULE), ("name", "=", _NAME), ("model", "=", "res.groups")],
    ["res_id"],
)


def _own_tier_ids(namespace: str) -> Query:
    return search("ir.model.data", [("module", "=", namespace), ("model", "=", TIER_MODEL)],
                  ["name", "res_id"])  # fmt: skip


def _role_names(resources: Sequence[DesiredResource]) -> list[str]:
    """The approvers' roles named by name (not external id), to find their groups by it."""
    names = {
        str(approver.role)
        for level in resources
        if level.kind == "approval_level"
        for approver in level.values["spec"].approvers
        if approver.role is not None and not isinstance(approver.role, XmlidSpec)
    }
    return sorted(names)


def _role_names_of(live: LiveState) -> list[str]:
    """The names ``needs`` asked for (the one ``res.groups`` query by name)."""
    for query in live.answers:
        if query.model == "res.groups" and query.fields == ("name",):
            return list(query.odoo_domain[0][2])
    return []


def realize_approvals(
    resources: list[DesiredResource], live: LiveState, context: PlanContext
) -> Prepared:
    """``resources`` with every approval matrix replaced by its backend's resources, and every
    matrix (or level) the instance cannot express as located errors. Matrices without a
    company apply to the environment's (``odoo.company``), else to the login's company."""
    approvals = _approvals(resources)
    if not approvals:
        return Prepared(resources)
    instance = _Instance(live, context)
    levels: dict[str, list[DesiredResource]] = {}
    for resource in resources:
        if resource.kind == "approval_level":
            levels.setdefault(str(resource.values["approval"]), []).append(resource)
    kept = [r for r in resources if r.kind not in ("approval", "approval_level")]
    made: list[DesiredResource] = []
    diagnostics: list[Diagnostic] = []
    for approval in approvals:
        mapping = _Mapping(approval, sorted(levels.get(approval.key, []), key=_number), instance)
        made.extend(mapping.resources())
        diagnostics.extend(mapping.diagnostics)
    seen: dict[Address, DesiredResource] = {}
    for resource in made:
        first = seen.setdefault(resource.address, resource)
        if first is not resource and resource.values.get("active") is not False:
            message = (
                f"{resource.address} would be made twice (first for {first.path}, at "
                f"{first.source}): give the levels different names"
            )
            diagnostics.append(Diagnostic("OC-V020", message, resource.source, resource.path))
    return Prepared([*kept, *made], diagnostics)


class Approval(Kind):
    """The ``approvals`` section. Virtual: never read or written itself (no model); planning
    replaces it by resources of the backend kinds below."""

    name = "approval"
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = "approvals"
    model = ""
    module = "base_tier_validation"
    spec = ApprovalSpec
    identity = "document"
    key_fields = ()
    can_archive = False
    attrs = ()
    prepares = "before_read"
    #: Planned as the backend's resources instead (``prepare``).
    planned = False

    def needs(
        self, resources: Sequence[DesiredResource], live: LiveState, context: PlanContext
    ) -> Iterable[Query]:
        return _Instance.needs(resources, live, context)

    def prepare(
        self, resources: list[DesiredResource], live: LiveState, context: PlanContext
    ) -> Prepared:
        """Each matrix mapped onto the backend the instance offers."""
        return realize_approvals(resources, live, context)

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, ApprovalSpec)
        return approval_key(spec.document, spec.company)

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, ApprovalSpec)
        return {"spec": spec}

    def expand(self, spec: Spec) -> list[Inline]:
        """Each level, so that what is said about it points at its line."""
        assert isinstance(spec, ApprovalSpec)
        key = self.key(spec)
        return [
            Inline(
                "approval_level",
                LevelOf(approval=key, number=index + 1, level=level),
                ("levels", index),
                f"level {index + 1}",
            )
            for index, level in enumerate(spec.levels)
        ]


def _number(resource: DesiredResource) -> int:
    return int(resource.values["number"])


class _Mapping:
    """One matrix onto one backend."""

    def __init__(
        self, approval: DesiredResource, levels: list[DesiredResource], instance: _Instance
    ) -> None:
        self.approval = approval
        self.spec: ApprovalSpec = approval.values["spec"]
        self.levels = levels
        self.instance = instance
        self.diagnostics: list[Diagnostic] = []
        self.model, _extra, self.label, self.tier_module = DOCUMENTS[self.spec.document]
        self.namespace = approval.xmlid.split(".", 1)[0]
        base = self.spec.id or f"approval_{self.spec.document}"
        if self.spec.company is not None and not self.spec.id:
            base += f"_{slug(approval_company_text(self.spec.company))}"
        self.base = base

    def fail(self, message: str, where: DesiredResource | None = None, code: str = CANNOT) -> None:
        at = where or self.approval
        self.diagnostics.append(Diagnostic(code, message, at.source, at.path))

    @property
    def modules(self) -> str:
        return f"OCA tier validation (modules {TIER_BASE} and {self.tier_module})"

    def resources(self) -> list[DesiredResource]:
        spec = self.spec
        tier = self.instance.has_tier_validation(self.model)
        backend = spec.backend
        if backend == "auto":
            backend = "tier_validation" if tier else "double_validation"
        if spec.document != "purchase_order" and backend == "double_validation":
            why = "" if spec.backend == "auto" else "; backend double_validation is purchase only"
            self.fail(
                f"Odoo has no approval of {self.label.lower()} of its own: this matrix needs "
                f"{self.modules}, which this instance lacks{why}"
            )
            return []
        self._check_currency()
        if backend == "tier_validation":
            if not tier:
                self.fail(
                    f"backend tier_validation: {self.label.lower()} have no tier validation on "
                    f"this instance; it needs {self.modules}"
                )
                return []
            return self._tier()
        return self._double_validation()

    def _check_currency(self) -> None:
        currency = str(as_ref(self.spec.currency))
        if currency not in self.instance.currencies([currency]):
            self.fail(f"currency {currency!r} (by name) is not on the instance", code="OC-X001")

    def _company(self) -> str | None:
        """Name of the company the matrix applies to, or None (reported)."""
        declared = self.spec.company
        if isinstance(declared, XmlidSpec):
            self.fail(
                "a matrix on Odoo's purchase double validation names its company by name, "
                "not by external id",
                code="OC-X001",
            )
            return None
        name = str(declared) if declared is not None else self.instance.current_company
        if name is None or name not in self.instance.companies:
            self.fail(f"company {name!r} (by name) is not on the instance", code="OC-X001")
            return None
        return name

    # --- OCA tier validation ---------------------------------------------------------------

    def _tier(self) -> list[DesiredResource]:
        fields = self.instance.fields(self.model)
        missing = [name for name in DOMAIN_FIELDS if name not in fields]
        if missing:
            self.fail(
                f"{self.model} has no field {', '.join(missing)} on this instance: the "
                "levels' amounts cannot be checked"
            )
            return []
        currency = str(as_ref(self.spec.currency))
        sequences = review_sequences(len(self.levels))
        out: list[DesiredResource] = []
        for level_resource, sequence in zip(self.levels, sequences, strict=True):
            level: ApprovalLevelSpec = level_resource.values["spec"]
            number = _number(level_resource)
            label = self.label
            if self.spec.company is not None:  # one matrix per company: names apart
                label += f" of {approval_company_text(self.spec.company)}"
            name = tier_name(label, number, len(self.levels), level, currency)
            for index, approver in enumerate(level.approvers):
                several = len(level.approvers) > 1
                values: dict[str, Any] = {
                    "name": f"{name} ({approver.describe()})" if several else name,
                    "document": self.model,
                    "review_type": "group" if approver.role is not None else "individual",
                    "reviewer_group": as_ref(approver.role) if approver.role else None,
                    "reviewer": as_ref(approver.user) if approver.user else None,
                    "definition_type": "domain",
                    "domain": tier_domain(self.spec.document, level.amount, currency),
                    "sequence": sequence,
                    # Level 2 waits for level 1: reviews are approved in their order.
                    "approve_sequence": True,
                    "active": True,
                }
                if self.spec.company is not None:
                    values["company"] = as_ref(self.spec.company)
                suffix = f"_level{number}" + (f"_{index + 1}" if several else "")
                out.append(
                    DesiredResource(
                        address=Address("tier_definition", tier_key(self.model, values["name"])),
                        values=values,
                        source=level_resource.source,
                        path=level_resource.path,
                        xmlid=f"{self.namespace}.{self.base}{suffix}",
                    )
                )
        dropped = self._dropped_levels({resource.xmlid for resource in out})
        taken = {resource.address for resource in out}
        for resource in dropped:
            if resource.address in taken:  # its old name is a kept level's new one
                resource.address = Address(resource.kind, f"{resource.key} (left the matrix)")
        out.extend(dropped)
        if self.model == "purchase.order" and "po_double_validation" in self.instance.fields(
            "res.company"
        ):
            # Both mechanisms can run at once: the matrix is the whole truth, so Odoo's own
            # purchase double validation is switched off rather than left to add a review.
            company = self._company()
            if company is not None:
                out.append(self._company_resource(company, {"double_validation": "one_step"}))
        return out

    def _dropped_levels(self, kept: set[str]) -> list[DesiredResource]:
        """Definitions odooconf made for levels (or approvers) this matrix no longer has: a
        matrix lists exactly its levels, so they are archived, whatever the prune policy (a
        forgotten review would still hold documents)."""
        rows = [
            row
            for row in self.instance.own_tier_ids(self.namespace)
            if level_owner(str(row["name"])) == self.base
            and f"{self.namespace}.{row['name']}" not in kept
        ]
        records = self.instance.tier_records([int(row["res_id"]) for row in rows])
        out = []
        for row in rows:
            record = records.get(int(row["res_id"]))
            if record is None:
                continue
            key = tier_key(str(record["model"]), str(record["name"]))
            out.append(
                DesiredResource(
                    address=Address("tier_definition", key),
                    values={"active": False},
                    source=self.approval.source,
                    path=self.approval.path,
                    xmlid=f"{self.namespace}.{row['name']}",
                )
            )
        return out

    # --- Odoo's purchase double validation ------------------------------------------------

    def _double_validation(self) -> list[DesiredResource]:
        if "po_double_validation" not in self.instance.fields("res.company"):
            self.fail(
                f"purchase approvals need Odoo's purchase module (double validation) or "
                f"{self.modules}, and this instance has neither"
            )
            return []
        if len(self.levels) > 1:
            self.fail(
                f"{len(self.levels)} levels: Odoo Community's purchase double validation has "
                f"exactly one; this matrix needs {self.modules}, which this instance lacks"
            )
            return []
        company = self._company()
        if company is None:
            return []
        if not self.levels:
            off = self._company_resource(company, {"double_validation": "one_step"})
            return [off, *self._leftover_tiers()]
        [level_resource] = self.levels
        level: ApprovalLevelSpec = level_resource.values["spec"]
        gone = self.instance.manager_gone()
        if gone is not None:
            self.fail(gone, level_resource, code="OC-X002")
            return []
        ok = True
        for approver in level.approvers:
            if not self._is_manager(approver):
                ok = False
                self.fail(
                    f"{approver.describe()}: Odoo's purchase double validation is approved "
                    f"by Purchase / Administrator ({{xmlid: {MANAGER}}}) only; other approvers "
                    f"need {self.modules}",
                    level_resource,
                )
        own = str(self.instance.companies[company]["currency_id"][1])
        currency = str(as_ref(self.spec.currency))
        if currency != own:
            ok = False
            self.fail(
                f"the amount is in {currency}, and Odoo's purchase double validation amount is "
                f"in the company's currency ({company}: {own}); write the matrix in {own}, or "
                f"use {self.modules}",
                level_resource,
            )
        if not ok:
            return []
        values = {"double_validation": "two_step", "double_validation_amount": level.amount}
        resource = self._company_resource(company, values)
        resource.source, resource.path = level_resource.source, level_resource.path
        return [resource, *self._leftover_tiers()]

    def _leftover_tiers(self) -> list[DesiredResource]:
        """Definitions odooconf made for this matrix on tier validation, archived when it moves
        to double validation: both would review."""
        return self._dropped_levels(set()) if TIER_MODEL in self.instance.models else []

    def _is_manager(self, approver: ApproverSpec) -> bool:
        role = approver.role
        if role is None:
            return False
        if isinstance(role, XmlidSpec):
            return role.xmlid == MANAGER
        manager = self.instance.manager_group
        if manager is None:
            return False
        # By its key as a role (``Purchase / Administrator``), or by a name only it has.
        return str(role) == manager[1] or self.instance.groups_named(str(role)) == [manager[0]]

    def _company_resource(self, company: str, values: dict[str, Any]) -> DesiredResource:
        return DesiredResource(
            address=Address("purchase_approval", company),
            values=values,
            source=self.approval.source,
            path=self.approval.path,
            xmlid=f"{self.namespace}.{self.base}_company_{slug(company)}",
        )


#: The external id name of a level's definition: its matrix's base, the level's number and, for
#: a level of several approvers, the approver's.
_LEVEL_NAME = re.compile(r"(?P<base>.+)_level[0-9]+(?:_[0-9]+)?")


def level_owner(name: str) -> str | None:
    """The base of the matrix that made the definition tagged ``name`` (None: not a level's).
    Matched whole, never as a prefix: the company-less matrix's ``approval_purchase_order``
    does not own ``approval_purchase_order_level_co_level1`` (company "Level Co"), whose name
    merely starts with its levels' ``approval_purchase_order_level``. A name parses one way
    only: the suffix holds no ``_level`` but its own, so the base ends at the last one."""
    match = _LEVEL_NAME.fullmatch(name)
    return match["base"] if match else None


def approval_company_text(company: Any) -> str:
    return company.xmlid if isinstance(company, XmlidSpec) else str(company)
