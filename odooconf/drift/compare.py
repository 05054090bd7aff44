"""Drift: the differences between two normalised configurations, privileges first.

Records are matched by odooconf's external id, then by natural key; values are compared as
normalised (references by what they point to, many2many values as sets). Ignores and expected
differences (``kind:key[.field]``, globs, ``!`` to negate, the last matching line wins) are
counted, never silently dropped.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from odooconf.drift.normal import Configuration, Record
from odooconf.policies.sensitive import closure as _closure

#: The groups that administer an instance, by external id: what privilege findings are about.
SETTINGS = "base.group_system"
ACCESS_RIGHTS = "base.group_erp_manager"
ADMIN_GROUPS = (SETTINGS, ACCESS_RIGHTS)


@dataclass(frozen=True)
class Finding:
    """One record that differs: only on one side, or with differing fields."""

    kind: str
    key: str
    #: ``only_left``, ``only_right`` or ``changed``.
    change: str
    fields: tuple[str, ...] = ()
    left: Mapping[str, Any] | None = None
    right: Mapping[str, Any] | None = None
    #: Why this finding is about privileges ("" when it is not).
    privilege: str = ""

    @property
    def id(self) -> str:
        """Stable across runs: the same drift has the same id (values left out, so that a
        value drifting further is still recognised)."""
        text = f"{self.kind}|{self.key}|{self.change}|{','.join(self.fields)}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "key": self.key}
        out |= {"change": self.change, "fields": list(self.fields)}
        out |= {"left": self.left, "right": self.right, "privilege": self.privilege or None}
        return out


#: ``change`` values: the record is only on the left, only on the right, or differs.
ONLY_LEFT, ONLY_RIGHT, CHANGED = "only_left", "only_right", "changed"


@dataclass
class KindSummary:
    left: int = 0
    right: int = 0
    same: int = 0
    differing: int = 0


@dataclass
class Drift:
    """The findings between two sides (``left``, ``right``: what each side is), privileges
    first, with what was counted and not listed."""

    left: str
    right: str
    findings: list[Finding] = field(default_factory=list)
    ignored: int = 0
    expected: int = 0
    summary: dict[str, KindSummary] = field(default_factory=dict)
    #: Lines said before the findings (coverage of each kind, in ``drift -e A`` alone).
    coverage: list[str] = field(default_factory=list)

    @property
    def privileges(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.privilege]

    @property
    def others(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.privilege]


class Patterns:
    """Lines ``kind:key[.field]`` with globs; ``!`` negates; the last matching line wins."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.rules: list[tuple[bool, str, str]] = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            kind, _, rest = line.removeprefix("!").partition(":")
            self.rules.append((not negated, kind.strip(), rest.strip() or "*"))

    def __bool__(self) -> bool:
        return bool(self.rules)

    def hit(self, kind: str, subject: str) -> bool:
        """Whether ``subject`` (a key, or ``key.field``) of ``kind`` is matched."""
        verdict = False
        for positive, kind_glob, glob in self.rules:
            if fnmatch.fnmatchcase(kind, kind_glob) and fnmatch.fnmatchcase(subject, glob):
                verdict = positive
        return verdict


def compare(
    left: Configuration,
    right: Configuration,
    names: tuple[str, str],
    kinds: Sequence[str] = (),
    ignore: Patterns | None = None,
    expected: Patterns | None = None,
) -> Drift:
    """The drift from ``left`` to ``right`` over the kinds both hold (or ``kinds``)."""
    drift = Drift(*names)
    wanted = [k for k in {**left.kinds, **right.kinds} if not kinds or k in kinds]
    for kind in wanted:
        a, b = left.kinds.get(kind, {}), right.kinds.get(kind, {})
        summary = drift.summary.setdefault(kind, KindSummary(len(a), len(b)))
        for identity, one, other in _pairs(a, b):
            finding = _differ(kind, identity, one, other)
            if finding is None:
                summary.same += 1
            else:
                drift.findings.append(finding)
    screen(drift, ignore, expected)
    flag_privileges(drift, left, right)
    return drift


def screen(drift: Drift, ignore: Patterns | None, expected: Patterns | None) -> None:
    """Take out of ``drift`` what ``ignore`` and ``expected`` match, counting it, and count
    the differing records per kind."""
    kept = []
    for finding in drift.findings:
        current: Finding | None = finding
        for patterns, counter in ((ignore, "ignored"), (expected, "expected")):
            if current is not None and patterns:
                current, dropped = _filter(current, patterns)
                setattr(drift, counter, getattr(drift, counter) + dropped)
        if current is not None:
            kept.append(current)
    drift.findings = kept
    for kind, summary in drift.summary.items():
        summary.differing = sum(1 for finding in kept if finding.kind == kind)


def _pairs(
    a: Mapping[str, Record], b: Mapping[str, Record]
) -> list[tuple[str, Record | None, Record | None]]:
    """Records matched by odooconf's external id, then by natural key (identity)."""
    by_xmlid = {record.xmlid: identity for identity, record in b.items() if record.xmlid}
    taken: set[str] = set()
    out: list[tuple[str, Record | None, Record | None]] = []
    unmatched: list[tuple[str, Record]] = []
    for identity, record in a.items():
        other = by_xmlid.get(record.xmlid) if record.xmlid else None
        if other is not None and other not in taken:
            taken.add(other)
            out.append((identity, record, b[other]))
        else:
            unmatched.append((identity, record))
    for identity, record in unmatched:
        if identity in b and identity not in taken:
            taken.add(identity)
            out.append((identity, record, b[identity]))
        else:
            out.append((identity, record, None))
    out += [(identity, None, record) for identity, record in b.items() if identity not in taken]
    return sorted(out, key=lambda item: item[0])


def _differ(kind: str, key: str, one: Record | None, other: Record | None) -> Finding | None:
    if one is None and other is not None:
        return Finding(kind, key, ONLY_RIGHT, right=other.values)
    if other is None and one is not None:
        return Finding(kind, key, ONLY_LEFT, left=one.values)
    assert one is not None and other is not None
    fields = tuple(
        name
        for name in sorted({*one.values, *other.values})
        if one.values.get(name) != other.values.get(name)
    )
    return Finding(kind, key, CHANGED, fields, one.values, other.values) if fields else None


def _filter(finding: Finding, patterns: Patterns) -> tuple[Finding | None, int]:
    """The finding without what ``patterns`` match, and how many were matched."""
    if patterns.hit(finding.kind, finding.key):
        return None, 1
    kept = tuple(f for f in finding.fields if not patterns.hit(finding.kind, f"{finding.key}.{f}"))
    dropped = len(finding.fields) - len(kept)
    if not dropped:
        return finding, 0
    return (replace(finding, fields=kept) if kept else None), dropped


# --- privileges -------------------------------------------------------------------------------


class Roles:
    """One side's roles: which administer the instance, directly or by what they imply."""

    def __init__(self, config: Configuration) -> None:
        roles = config.kinds.get("role", {})
        self.owner = {record.owner: identity for identity, record in roles.items() if record.owner}
        self.managed = {identity for identity, record in roles.items() if record.xmlid}
        self.implied = {
            identity: set(record.values.get("implied") or []) for identity, record in roles.items()
        }
        self.admin = {self.owner[x] for x in ADMIN_GROUPS if x in self.owner}
        self.settings = self.owner.get(SETTINGS)

    def closure(self, roles: Iterable[str]) -> set[str]:
        """``roles`` and every role they imply."""
        return _closure(roles, self.implied)

    def administers(self, roles: Iterable[str]) -> set[str]:
        """The administration groups ``roles`` give."""
        return self.closure(roles) & self.admin


def flag_privileges(drift: Drift, left: Configuration, right: Configuration) -> None:
    """Mark the findings about privileges, and put them first."""
    sides = (Roles(left), Roles(right))
    marked = [replace(f, privilege=_privilege(f, sides)) for f in drift.findings]
    drift.findings = sorted(marked, key=lambda f: (not f.privilege, f.kind, f.key))


def _privilege(finding: Finding, sides: tuple[Roles, Roles]) -> str:
    values = (finding.left or {}, finding.right or {})
    if finding.kind == "role_assignment":
        held = [
            roles.administers(v.get("roles") or []) for roles, v in zip(sides, values, strict=True)
        ]
        if held[0] != held[1]:
            gained = sorted(held[1] - held[0]) or sorted(held[0] - held[1])
            return f"user holds {' and '.join(gained)} on one side only"
    if finding.kind == "role":
        implies = [
            roles.settings is not None
            and roles.settings in roles.closure(v.get("implied") or []) - {finding.key}
            for roles, v in zip(sides, values, strict=True)
        ]
        if any(implies) and implies[0] != implies[1]:
            return "group implies Settings on one side only"
    if finding.kind in ("access_right", "record_rule"):
        named = {
            *(v.get("role") for v in values),
            *(r for v in values for r in v.get("roles") or []),
        }
        managed = sorted(r for r in named if r and any(r in roles.managed for roles in sides))
        if finding.kind == "record_rule" and "domain" in finding.fields:
            return "record rule domain changed"
        if managed and finding.change != CHANGED:
            return f"{finding.kind.replace('_', ' ')} on managed role {managed[0]} on one side only"
        if managed:
            return f"{finding.kind.replace('_', ' ')} of managed role {managed[0]} changed"
    return ""
