"""A plan as pull-request comments (GitHub-flavoured markdown), split to fit a comment.

Order: the summary (counts per action and per kind, where the plan applies), then everything a
reviewer must not miss whatever its kind (escalations, revocations, archives, deletions and
releases, risky changes, warehouse step changes, failing price checks, warnings), the access
review per role, the changed route flows, then one collapsed section per kind. A plan larger
than a comment is split between rows and sections only (a table's header is repeated), and
every chunk starts with a hidden marker naming the environment, so that CI updates its comments
in place: ``<!-- odooconf:plan:ENV -->`` on the first, ``<!-- odooconf:plan:ENV:2 -->`` on the
second...
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import AccessChange, Action, Change, Plan, PriceCheckResult
from odooconf.views import mermaid
from odooconf.views.human import describe, header, summary, value_text

#: GitHub's limit on a comment's length (GitLab takes 1,000,000, Bitbucket 32,000).
MAX_COMMENT_CHARS = 65_536
#: Room left in each chunk for its marker, part title and "continued" line.
_FRAME = 300
_ICONS = {
    Action.CREATE: "➕", Action.UPDATE: "✏️", Action.ADOPT: "🔗", Action.ARCHIVE: "🗄️",
    Action.RELEASE: "↩️", Action.DELETE: "🗑️",
}  # fmt: skip
_COLUMNS = [*(a for a in Action if a is not Action.NOOP), Action.NOOP]
_CHANGES_HEADER = ("| | resource | field | before | after |", "|---|---|---|---|---|")
#: Warehouse fields whose change makes Odoo rebuild routes, rules and operation types.
_STEPS = ("reception_steps", "delivery_steps")
#: Models listed per role and rights in the access review's summary (the rest are counted).
_MODELS_SHOWN = 8


def marker(environment: str, part: int = 1) -> str:
    """The hidden line CI finds its comment by (one per environment and part)."""
    suffix = f":{part}" if part > 1 else ""
    return f"<!-- odooconf:plan:{environment}{suffix} -->"


@dataclass(frozen=True)
class Section:
    """Lines a chunk may cut only between ``rows``: ``head`` opens the section (``continued``
    reopens it at the top of the next chunk, a table's header included) and ``tail`` closes it
    in every chunk it spans."""

    head: tuple[str, ...]
    rows: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    continued: tuple[str, ...] | None = None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_plan(plan: Plan) -> str:
    """The whole plan as one document (the chunks one after the other)."""
    return "\n\n".join(render_chunks(plan, max_chars=None))


def render_chunks(plan: Plan, max_chars: int | None = MAX_COMMENT_CHARS) -> list[str]:
    """The plan as comments of at most ``max_chars`` characters each (one when None)."""
    return split(list(sections(plan)), plan.environment, max_chars)


def sections(plan: Plan) -> Iterator[Section]:
    yield Section(
        (
            f"### odooconf plan for `{plan.environment}`",
            "",
            header(plan).replace(f"Environment {plan.environment}: d", "D", 1),
            "",
        )
    )
    if not plan.has_changes:
        yield Section(
            (
                f"**No changes.** The instance matches the blueprints "
                f"({len(plan.changes)} resources).",
            )
        )
    else:
        yield from _summary(plan)
    yield from _review_first(plan)
    yield from _access_review(plan.access)
    yield from _flows(plan)
    yield from _kinds(plan)
    yield from _checks(plan.checks)
    if plan.notes:
        head = ("", "<details><summary>Notes</summary>", "")
        yield Section(head, tuple(f"- {_cell(note.message)}" for note in plan.notes), _CLOSE)


_CLOSE = ("", "</details>")


def _summary(plan: Plan) -> Iterator[Section]:
    titles = " | ".join(f"{_ICONS[a]} {a.value}" if a in _ICONS else "unchanged" for a in _COLUMNS)
    table = (f"| kind | {titles} |", "|---" * (len(_COLUMNS) + 1) + "|")
    counts = plan.counts()
    total = " | ".join(str(counts[a.value]) for a in _COLUMNS)
    per_kind: dict[str, dict[Action, int]] = {}
    for change in plan.changes:
        per_kind.setdefault(change.kind, defaultdict(int))[change.action] += 1
    rows = [
        f"| {kind} | " + " | ".join(str(n[a] or "") for a in _COLUMNS) + " |"
        for kind, n in per_kind.items()
    ]
    yield Section((f"**{summary(plan)}**", "", *table), (*rows, f"| **all** | {total} |"))


def _risky_rows(plan: Plan) -> Iterator[tuple[str, str]]:
    """``(group, markdown line)`` for each item a reviewer must read before approving."""
    for text in plan.escalations:
        yield "🚨 Escalations", f"- 🚨 {_cell(text)}"
    for role, users in _by_role(plan.access, "-").items():
        yield "🔒 Revocations", f"- 🔒 **{_cell(role)}** is taken from {_users(users)}"
    for change in plan.pending:
        if change.action.closing:
            yield (
                "🗄️ Archives, deletions and releases",
                (f"- {_ICONS[change.action]} `{_cell(change.address)}`: {_cell(describe(change))}"),
            )
    for warning in plan.warnings:
        if warning.code == "risky":
            yield (
                "💰 Risky changes (apply refuses them without allow_risky_changes)",
                (
                    f"- 💰 {_cell(warning.message)}"
                    + (f" ({warning.source})" if warning.source else "")
                ),
            )
    for change in plan.pending:
        if change.kind == "warehouse" and change.record_id is not None:
            steps = [f for f in change.fields if f.field in _STEPS]
            for field in steps:
                yield (
                    "🏭 Warehouse step changes (Odoo rebuilds the routes and rules)",
                    (
                        f"- 🏭 `{_cell(change.address)}` {field.field}: "
                        f"{_cell(value_text(field.old))} → {_cell(value_text(field.new))}"
                    ),
                )
    for check in plan.checks:
        if not check.holds_after:
            yield (
                "❌ Failing price checks (once the plan is applied)",
                (f"- ❌ {_cell(check.transition)}"),
            )
    for warning in plan.warnings:
        if warning.code != "risky":
            yield (
                "⚠️ Warnings",
                f"- ⚠️ {_cell(warning.message)}"
                + (f" ({_cell(warning.source)})" if warning.source else ""),
            )


def _review_first(plan: Plan) -> Iterator[Section]:
    groups: dict[str, list[str]] = {}
    for group, row in _risky_rows(plan):
        groups.setdefault(group, []).append(row)
    if not groups:
        return
    count = sum(len(rows) for rows in groups.values())
    yield Section(("", "> [!CAUTION]", f"> **Review first**: {count} item(s)", ""))
    for group, rows in groups.items():
        yield Section((f"**{group}** ({len(rows)})", ""), tuple(rows), ("",))


def _by_role(access: Iterable[AccessChange], sign: str) -> dict[str, list[str]]:
    """Per role, the users who gain (``+``) or lose (``-``) access through it."""
    out: dict[str, list[str]] = {}
    for line in access:
        if line.sign == sign and line.user not in out.setdefault(line.via, []):
            out[line.via].append(line.user)
    return out


def _users(users: Sequence[str]) -> str:
    return ", ".join(f"`{_cell(user)}`" for user in users)


def _grants(lines: Iterable[AccessChange], shown: int | None = _MODELS_SHOWN) -> str:
    """What access lines give, in short: groups by name, models per set of rights (``shown``
    of them, the others counted)."""
    groups: list[str] = []
    models: dict[str, list[str]] = {}
    for line in lines:
        if line.what.startswith("group "):
            if line.what[6:] not in groups:
                groups.append(line.what[6:])
            continue
        rights, _, model = line.what.rpartition(" ")
        if model not in models.setdefault(rights, []):
            models[rights].append(model)
    parts = [f"groups: {', '.join(groups)}"] if groups else []
    for rights, names in models.items():
        more = f" and {len(names) - shown} more" if shown and len(names) > shown else ""
        parts.append(f"{rights}: {', '.join(names[:shown])}{more}")
    return _cell("; ".join(parts))


def _access_review(access: Sequence[AccessChange]) -> Iterator[Section]:
    if not access:
        return
    roles = list(dict.fromkeys(line.via for line in access))
    gain, lose = _by_role(access, "+"), _by_role(access, "-")
    rows = tuple(
        f"| {_cell(role)} | {_users(gain.get(role, []))} | {_users(lose.get(role, []))} | "
        f"{_grants(line for line in access if line.via == role)} |"
        for role in roles
    )
    head = (
        "",
        "**Access review** (per role: who gains or loses it, and the effective access it "
        "brings, implied groups included)",
        "",
    )
    table = (
        "| role | users gaining it | users losing it | access it brings |",
        "|---|---|---|---|",
    )
    yield Section((*head, *table), rows, continued=table)
    per_user: dict[tuple[str, str, str], list[AccessChange]] = {}
    for line in access:
        per_user.setdefault((line.user, line.sign, line.via), []).append(line)
    detail = ("", f"<details><summary>Access review per user ({len(access)} lines)</summary>", "")
    table = ("| user | | through role | access |", "|---|---|---|---|")
    rows = tuple(
        f"| `{_cell(user)}` | {'gains' if sign == '+' else 'loses'} | {_cell(via)} | "
        f"{_grants(lines, shown=None)} |"
        for (user, sign, via), lines in per_user.items()
    )
    yield Section((*detail, *table), rows, _CLOSE, continued=(*detail, *table))


def _flows(plan: Plan) -> Iterator[Section]:
    flows = mermaid.changed_flows(plan)
    if not flows:
        return
    head = ("", f"<details><summary>🔀 Changed route flows ({len(flows)})</summary>", "")
    rows = tuple(
        f"**Route `{_cell(route)}`**\n\n{mermaid.block(edges)}\n" for route, edges in flows.items()
    )
    yield Section(head, rows, _CLOSE)


def _kinds(plan: Plan) -> Iterator[Section]:
    by_kind: dict[str, list[Change]] = {}
    for change in plan.pending:
        by_kind.setdefault(change.kind, []).append(change)
    for kind, changes in by_kind.items():
        counts: dict[Action, int] = defaultdict(int)
        for change in changes:
            counts[change.action] += 1
        what = ", ".join(f"{_ICONS[a]} {n} {a.value}" for a, n in counts.items())
        title = f"<details><summary><b>{kind}</b>: {what}</summary>"
        again = f"<details><summary><b>{kind}</b> (continued)</summary>"
        rows = tuple(row for change in changes for row in _change_rows(change))
        yield Section(
            ("", title, "", *_CHANGES_HEADER),
            rows,
            _CLOSE,
            continued=("", again, "", *_CHANGES_HEADER),
        )


def _change_rows(change: Change) -> list[str]:
    """One row per changed field (a new record's values in one row): a chunk may cut between
    them, so a multi-row change repeats its resource."""
    icon = _ICONS[change.action]
    title = f"`{_cell(change.address)}`<br><sub>{_cell(describe(change))}</sub>"
    if change.sentence:
        title += f"<br>{_cell(change.sentence)}"
    label = f"{icon} {change.action.value}"
    if change.record_id is None:
        values = "<br>".join(f"{_cell(f.field)}: {_cell(value_text(f.new))}" for f in change.fields)
        return [f"| {label} | {title} | | | {values} |"]
    if not change.fields:
        return [f"| {label} | {title} | | | |"]
    rows = []
    for index, field in enumerate(change.fields):
        old, new = _cell(value_text(field.old)), _cell(value_text(field.new))
        resource = title if index == 0 else f"`{_cell(change.address)}`"
        lead = label if index == 0 else icon
        rows.append(f"| {lead} | {resource} | {_cell(field.field)} | {old} | {new} |")
    return rows


def _checks(checks: Sequence[PriceCheckResult]) -> Iterator[Section]:
    if not checks:
        return
    held = sum(1 for check in checks if check.holds_after)
    title = f"<details><summary>Price checks: {held} of {len(checks)} hold once the plan is applied"
    table = (
        "| | pricelist | product | quantity | date | expected | now | after apply |",
        "|---|---|---|---|---|---|---|---|",
    )
    rows = []
    for check in checks:
        mark = "✅" if check.holds_after else "❌"
        actual = f"{check.actual:.2f}" if check.actual is not None else _cell(check.problem)
        after = f"{check.planned:.2f}" if check.planned is not None else ""
        after = after or _cell(check.planned_problem) or actual
        rows.append(
            f"| {mark} | {_cell(check.pricelist)} | {_cell(check.product)} | "
            f"{check.quantity:g} | {check.date} | {check.expected:.2f} | {actual} | {after} |"
        )
    yield Section(("", f"{title}</summary>", "", *table), tuple(rows), _CLOSE)


def split(sections: Sequence[Section], environment: str, max_chars: int | None) -> list[str]:
    """Chunks of at most ``max_chars`` characters, cut between rows and sections only, each
    framed with its marker (and, when there are several, its part number)."""
    budget = max_chars - _FRAME if max_chars is not None else None
    chunks: list[list[str]] = [[]]
    size = 0

    def add(lines: Iterable[str]) -> None:
        nonlocal size
        for line in lines:
            chunks[-1].append(line)
            size += len(line) + 1

    def fits(lines: Sequence[str]) -> bool:
        return budget is None or size + sum(len(line) + 1 for line in lines) <= budget

    def room() -> int | None:
        return None if budget is None else budget - size

    for section in sections:
        if not section.rows:
            if not fits([*section.head, *section.tail]) and chunks[-1]:
                chunks.append([])
                size = 0
            add([*section.head, *section.tail])
            continue
        head, opened = section.head, False
        for row in section.rows:
            if not fits([*(() if opened else head), row, *section.tail]) and chunks[-1]:
                if opened:
                    add(section.tail)
                chunks.append([])
                size = 0
                head, opened = section.continued or section.head, False
            if not opened:
                add(head)
                opened = True
            space = room()
            add([_fit(row, None if space is None else space - len("\n".join(section.tail)))])
        add(section.tail)
    return _frame(chunks, environment)


def _fit(row: str, room: int | None) -> str:
    """A row alone larger than a comment, cut (it would fit nowhere): a table row stays one."""
    if room is None or len(row) < room:
        return row
    cut = max(0, room - 40)
    return row[:cut].rstrip("\\") + (
        " … (cut: too long for a comment) |" if row[0] == "|" else " …"
    )


def _frame(chunks: list[list[str]], environment: str) -> list[str]:
    total = len(chunks)
    out = []
    for number, lines in enumerate(chunks, 1):
        frame = [marker(environment, number)]
        if number > 1:
            frame += [f"### odooconf plan for `{environment}` (part {number} of {total})", ""]
        body = "\n".join(frame) + "\n" + "\n".join(lines).strip("\n")
        if number < total:
            body += f"\n\n*Continued in part {number + 1} of {total}.*"
        out.append(body)
    return out


def render_failure(environment: str, diagnostics: list[Diagnostic]) -> str:
    """A pull-request comment for a plan that could not be made."""
    lines = [marker(environment), f"### ❌ odooconf plan for `{environment}` failed", ""]
    lines += [f"- {_cell(diagnostic.render())}" for diagnostic in diagnostics]
    return "\n".join(lines)


def render_flows(environment: str, flows: dict[str, list[mermaid.Edge]], warehouse: str) -> str:
    """``odooconf graph``: each route's flow as the instance has it."""
    where = f", warehouse {warehouse}" if warehouse else ""
    lines = [f"### Route flows on `{environment}`{where}", ""]
    if not flows:
        lines.append("No active rules.")
    for route, edges in flows.items():
        lines += [f"**Route `{_cell(route)}`**", "", mermaid.block(edges), ""]
    return "\n".join(lines).rstrip("\n")
