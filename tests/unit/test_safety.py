"""The safety contract over every registered kind: each states itself whether it archives,
deletes or takes from users (nothing destructive is inherited), the statements agree with each
other, and the README's table is the one they make."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from odooconf.kinds import KINDS, Kind
from odooconf.kinds._base import SAFETY, Attr, Spec
from odooconf.kinds.safety import listed_in, table

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_kind_states_its_safety_attributes_itself(kind: Kind) -> None:
    below_kind = type(kind).__mro__[: type(kind).__mro__.index(Kind)]
    for attr in SAFETY:
        assert any(attr in vars(cls) for cls in below_kind), f"{kind.name} inherits {attr}"
        assert attr not in vars(Kind)


def test_a_kind_that_does_not_state_them_is_refused_when_made() -> None:
    with pytest.raises(TypeError, match="must declare can_delete, revokes, owned_by_container"):

        class Careless(Kind):  # a new kind that states only one of them
            name = "careless"
            model = "x.careless"
            spec = Spec
            attrs: ClassVar[tuple[Attr, ...]] = ()
            can_archive = False


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_safety_statements_agree(kind: Kind) -> None:
    if kind.can_archive:  # archived by writing active
        assert any(attr.name == "active" for attr in kind.attrs)
    if kind.can_delete:  # only records without active: the others are archived
        assert kind.model
        assert not any(attr.name == "active" for attr in kind.attrs)
    if kind.owned_by_container:
        assert kind.container is not None
        assert kind.can_archive or kind.can_delete, "a child that leaves its list goes somehow"
        listing = listed_in(kind)
        assert listing is not None, f"no kind lists {kind.name}"
        assert listing[0].name == kind.attr(kind.container).target
    for child in kind.lists:
        assert KINDS[child].owned_by_container, f"{kind.name} lists {child}, which it does not own"


def test_the_readme_table_is_the_kinds_own() -> None:
    assert table() in README.read_text(encoding="utf-8")
