"""Account groups (``account.group``), keyed by their code prefixes: ``1101`` or ``110-119``.

A group holds the accounts whose code starts with a prefix between its start and its end (both
of one length); Odoo matches accounts to groups when it reads them (``group_id`` is computed,
not stored, from 18) and makes the closest shorter group the parent. Groups of one prefix
length must not overlap: Odoo refuses it, and the validate stage refuses it among the declared
groups. The key is the company's: groups of other companies are other records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from odooconf.kinds._base import Attr, Keyer, Kind, RefSpec, Review, Spec
from odooconf.kinds.lookups import _number_as_text
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import Change

Prefix = Annotated[
    str,
    BeforeValidator(_number_as_text, json_schema_input_type=str | int),
    Field(pattern=r"^[A-Za-z0-9.]+$"),
]


def group_key(start: str, end: str) -> str:
    """``1101`` for one prefix, ``110-119`` for a range."""
    return start if start == end else f"{start}-{end}"


class AccountGroupSpec(Spec):
    #: The first code prefix of the group (``110``).
    prefix_start: Prefix
    #: The last one, of the same length; the start when left out.
    prefix_end: Prefix | None = None
    name: str = Field(min_length=1)
    company: RefSpec | None = None

    @model_validator(mode="after")
    def _same_length(self) -> AccountGroupSpec:
        end = self.prefix_end or self.prefix_start
        if len(end) != len(self.prefix_start):
            raise ValueError(
                "prefix_start and prefix_end must have the same length (Odoo refuses others)"
            )
        if end < self.prefix_start:
            raise ValueError("prefix_end must not come before prefix_start")
        return self

    @property
    def key(self) -> str:
        return group_key(self.prefix_start, self.prefix_end or self.prefix_start)


class AccountGroup(Kind):
    name = "account_group"
    can_delete = True  # prune: delete, state: absent (no active)
    revokes = ""
    owned_by_container = False
    section = "account_groups"
    model = "account.group"
    module = "account"
    spec = AccountGroupSpec
    identity = "prefix_start"
    scope = ("company",)
    key_fields = ("code_prefix_start", "code_prefix_end")
    can_archive = False
    attrs = (
        Attr("prefix_start", "code_prefix_start"),
        Attr("prefix_end", "code_prefix_end"),
        Attr("name", "name"),
        Attr("company", "company_id", target="company"),
    )

    def key(self, spec: Spec) -> str:
        assert isinstance(spec, AccountGroupSpec)
        return spec.key

    def live_key(self, record: Mapping[str, Any], keyer: Keyer) -> str | None:
        start, end = record.get("code_prefix_start"), record.get("code_prefix_end")
        if not start:
            return None  # Odoo accepts a group without prefixes (A2i): it holds no account
        return group_key(str(start), str(end or start))

    def values(self, spec: Spec) -> dict[str, Any]:
        assert isinstance(spec, AccountGroupSpec)
        values = super().values(spec)
        values["prefix_end"] = spec.prefix_end or spec.prefix_start
        return values

    def review(self, resources: Sequence[Any], changes: Sequence[Change], live: Any) -> Review:
        """Declared groups of one prefix length that overlap: Odoo refuses the second one."""
        out = Review()
        groups = [r for r in resources if r.kind == self.name]
        for index, first in enumerate(groups):
            for second in groups[index + 1 :]:
                a = (first.values["prefix_start"], first.values["prefix_end"])
                b = (second.values["prefix_start"], second.values["prefix_end"])
                same_company = first.values.get("company") == second.values.get("company")
                if len(a[0]) == len(b[0]) and same_company and a[0] <= b[1] and b[0] <= a[1]:
                    message = (
                        f"account groups {first.key} and {second.key} overlap: Odoo refuses "
                        "groups of one prefix length that share a prefix"
                    )
                    out.diagnostics.append(
                        Diagnostic("OC-X101", message, second.source, second.path)
                    )
        return out
