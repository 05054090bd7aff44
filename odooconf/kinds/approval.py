"""Approval matrices (section ``approvals``): who approves which documents from which amount.

A blueprint says it once, neutrally, per document type: ordered levels, each an amount in a
currency and its approvers (roles, by external id or name, or users, by login); every approver
of a level must approve. Odoo has several ways of enforcing it, and which ones an instance
offers is only known once it is read, so an ``approvals`` item is a *virtual* resource: at plan
time (its kind's ``prepare``, in ``approval_backend``) it becomes resources of the backend
that fits:

* OCA tier validation (``base_tier_validation`` with ``purchase_tier_validation``,
  ``sale_tier_validation``, ``account_move_tier_validation``): one ``tier.definition``
  (kind ``tier_definition``) per level and approver, on any document model that has tier
  validation; any number of levels. The definitions' domain is generated from the amount and
  the currency, never taken from the blueprint as text (Odoo saves a malformed one, and every
  purchase order then fails to load); their ``sequence`` orders the reviews as the blueprint
  orders its levels (tier validation reviews the highest sequence first).
* Odoo Community's purchase double validation (``res.company.po_double_validation`` and its
  amount; approvers: Purchase / Administrator): exactly one level, on purchase orders, in the
  company's currency (kind ``purchase_approval``).

What the instance cannot express is a plan error naming the module it would need; a blueprint
is never mapped in part.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Spec, XmlidSpec
from odooconf.kinds.lookups import CodeRef

#: Document types an approval matrix can govern: model, extra domain, readable label and the OCA
#: module that gives the model tier validation.
DOCUMENTS: dict[str, tuple[str, tuple[tuple[str, str, str], ...], str, str]] = {
    "purchase_order": ("purchase.order", (), "Purchase orders", "purchase_tier_validation"),
    "sale_order": ("sale.order", (), "Sales orders", "sale_tier_validation"),
    "vendor_bill": (
        "account.move",
        (("move_type", "=", "in_invoice"),),
        "Vendor bills",
        "account_move_tier_validation",
    ),
}


class ApproverSpec(Spec):
    """One approver: a role (a security group, any of whose members may approve) or a user."""

    #: A group by name (``Purchase Directors``) or external id
    #: (``{xmlid: purchase.group_purchase_manager}``).
    role: RefSpec | None = None
    #: A user by login (or ``{xmlid: ...}``).
    user: RefSpec | None = None

    @model_validator(mode="after")
    def _one(self) -> ApproverSpec:
        if (self.role is None) == (self.user is None):
            raise ValueError("give either 'role' or 'user' (exactly one of them)")
        return self

    def describe(self) -> str:
        value = self.role if self.role is not None else self.user
        text = f"xmlid {value.xmlid}" if isinstance(value, XmlidSpec) else str(value)
        return f"{'role' if self.role is not None else 'user'} {text}"


class ApprovalLevelSpec(Spec):
    #: Documents whose total is at least this amount (in the matrix's currency) need this level.
    amount: float = Field(gt=0)
    approvers: list[ApproverSpec] = Field(min_length=1)
    #: Name of the level in Odoo (``Next: <name>`` on a document); generated when omitted.
    name: str | None = Field(default=None, min_length=1)


class ApprovalSpec(Spec):
    document: Literal["purchase_order", "sale_order", "vendor_bill"]
    #: The currency of the levels' amounts, by code.
    currency: CodeRef
    company: RefSpec | None = None
    #: ``auto``: tier validation where the document has it, else Odoo's purchase double
    #: validation; or one of them, refused if the instance lacks it.
    backend: Literal["auto", "tier_validation", "double_validation"] = "auto"
    #: Ordered: level 1 reviews first. No levels: no approval.
    levels: list[ApprovalLevelSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _increasing(self) -> ApprovalSpec:
        amounts = [level.amount for level in self.levels]
        if amounts != sorted(amounts) or len(set(amounts)) != len(amounts):
            raise ValueError(
                "levels must be ordered by strictly increasing amount (level 1 is the first "
                f"to review, from the lowest amount), got {', '.join(f'{a:g}' for a in amounts)}"
            )
        return self


def approval_key(document: str, company: Any) -> str:
    if company is None:
        return document
    name = f"xmlid {company.xmlid}" if isinstance(company, XmlidSpec) else str(company)
    return f"{document} @ {name}"


class LevelOf(Spec):
    """A level as its approval item expands it: which matrix, which position."""

    approval: str
    number: int
    level: ApprovalLevelSpec


class ApprovalLevel(Kind):
    """A level of an ``approvals`` item (virtual, as the item)."""

    name = "approval_level"
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = ""
    model = ""
    module = "base_tier_validation"
    spec = LevelOf
    identity = "number"
    key_fields = ()
    can_archive = False
    attrs = ()
    #: Mapped with its matrix by the approval kind's ``prepare``.
    planned = False

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, LevelOf)
        return f"{spec.approval} | level {spec.number}"

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, LevelOf)
        return {"spec": spec.level, "number": spec.number, "approval": spec.approval}


class TierDefinitionSpec(Spec):
    """What odooconf writes on a ``tier.definition`` (made at plan time, never written)."""

    name: str


class TierDefinition(Kind):
    """OCA ``tier.definition``: one review of a document model (a level and one approver).
    Records have no external ids of their own; odooconf tags what it creates."""

    name = "tier_definition"
    can_archive = True
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = ""
    model = "tier.definition"
    module = "base_tier_validation"
    spec = TierDefinitionSpec
    identity = "name"
    key_fields = ("model", "name")
    attrs = (
        Attr("name", "name"),
        Attr("document", "model_id", target="ir_model"),
        Attr("review_type", "review_type"),
        Attr("reviewer_group", "reviewer_group_id", target="role"),
        Attr("reviewer", "reviewer_id", target="user"),
        Attr("definition_type", "definition_type"),
        Attr("domain", "definition_domain"),
        Attr("sequence", "sequence"),
        Attr("approve_sequence", "approve_sequence"),
        Attr("company", "company_id", target="company"),
        Attr("active", "active"),
    )

    def live_key(self, record: Any, keyer: Keyer) -> str | None:
        model, name = record.get("model"), record.get("name")
        return tier_key(str(model), str(name)) if model and name else None

    def problems(self, values: Any, fields: Any) -> list[str]:
        """Odoo saves a definition without the reviewer its review type uses: its reviews could
        then never be approved."""
        review_type = values.get("review_type")
        if review_type == "group" and not values.get("reviewer_group"):
            return ["a tier definition reviewed by a group names no group"]
        if review_type == "individual" and not values.get("reviewer"):
            return ["a tier definition reviewed by a user names no user"]
        return []


def tier_key(model: str, name: str) -> str:
    return f"{model} | {name}"


class PurchaseApprovalSpec(Spec):
    """What odooconf writes on a company for Odoo's purchase double validation."""

    company: str


class PurchaseApproval(Kind):
    """Odoo Community's purchase double validation, per company (``res.company``): above the
    amount (in the company's currency), a Purchase / Administrator approves purchase orders.
    The company is Odoo's: odooconf only adopts it (and, when it leaves the blueprints,
    releases it)."""

    name = "purchase_approval"
    can_delete = False
    revokes = ""
    owned_by_container = False
    section = ""
    model = "res.company"
    module = "purchase"
    spec = PurchaseApprovalSpec
    identity = "company"
    key_fields = ("name",)
    can_archive = False
    #: The company is Odoo's: odooconf only writes its double validation.
    rights = ("read", "write")
    attrs = (
        Attr("double_validation", "po_double_validation"),
        Attr("double_validation_amount", "po_double_validation_amount"),
    )
