"""What each kind may create, update, archive, delete or take from users, and when: the README's
table, made from the kinds' own declarations (``Kind.SAFETY``, ``rights``, ``lists``), so that
it cannot say other than what the code does (``tests/unit/test_safety.py`` compares them)."""

from __future__ import annotations

from odooconf.kinds import KINDS, Kind

COLUMNS = (
    "kind", "declared in", "Odoo model", "creates", "updates", "archives", "deletes",
    "takes from users",
)  # fmt: skip
HEADER = (f"| {' | '.join(COLUMNS)} |", "|" + "---|" * len(COLUMNS))
NEVER = "never"


def listed_in(kind: Kind) -> tuple[Kind, str] | None:
    """The container kind whose items list records of this kind, and the list's attribute."""
    return next(
        (
            (other, " and ".join(f"`{attr}`" for attr in other.lists[kind.name]))
            for other in KINDS.values()
            if kind.name in other.lists
        ),
        None,
    )


def _declared_in(kind: Kind) -> str:
    places = [f"`{kind.section}`"] if kind.section else []
    listing = listed_in(kind)
    if listing is not None:
        container, attrs = listing
        places.append(f"`{container.section}` › {attrs}")
    return ", ".join(places) or "— (planned by odooconf)"


#: A child that leaves its container's written list (``Kind.owned_by_container``).
LEAVING = "one it manages (created or adopted) that leaves its written list, whatever `prune` says"


#: An item that says ``state: absent``.
ABSENT = "one a `state: absent` item names"


def row(kind: Kind) -> str:
    """One kind's line of the table."""
    writes = bool(kind.model)
    archives = []
    if kind.can_archive:
        archives.append(
            "one it created, once out of the blueprints, with `prune: archive` or `delete`"
        )
        if kind.owned_by_container:
            archives.append(LEAVING)
        archives.append(ABSENT)
    deletes = []
    if kind.can_delete:
        deletes.append("one it created, once out of the blueprints, with `prune: delete`")
        if kind.owned_by_container:
            deletes.append(LEAVING)
        deletes.append(ABSENT)
    cells = (
        f"`{kind.name}`",
        _declared_in(kind),
        f"`{kind.model}`" if kind.model else "— (checked or planned only)",
        "yes" if writes and "create" in kind.rights else NEVER,
        "declared fields" if writes and "write" in kind.rights else NEVER,
        "; ".join(archives) or NEVER,
        "; ".join(deletes) or NEVER,
        kind.revokes or "nothing",
    )
    return f"| {' | '.join(cells)} |"


def table() -> str:
    """The README's table "What odooconf may take away", one line per registered kind."""
    return "\n".join([*HEADER, *(row(kind) for kind in KINDS.values())])
