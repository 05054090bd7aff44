"""The safety contract over every registered kind: each states itself whether it archives,
deletes or takes from users (nothing destructive is inherited), the statements agree with each
other, and the README's table is the one they make."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from odooconf.kinds import KINDS, Kind
from odooconf.kinds._base import CAPABILITIES, SAFETY, Attr, Spec, switches
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


# --- the registry contract: plan-time capabilities are declared, not inherited by accident ----

HOOKS = ("needs", "prepare")


def _overrides(kind: Kind, name: str) -> bool:
    return getattr(type(kind), name) is not getattr(Kind, name)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_a_plan_time_hook_is_declared_with_its_phase(kind: Kind) -> None:
    """A kind that prepares its resources says when (``prepares``) and implements ``prepare``;
    one that says nothing has no hook and reads nothing besides its records."""
    if kind.prepares is None:
        assert not any(_overrides(kind, hook) for hook in HOOKS), kind.name
    else:
        assert kind.prepares in ("before_read", "after_read")
        assert _overrides(kind, "prepare"), f"{kind.name} prepares {kind.prepares} but has no hook"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_kind_names_its_section_key_and_model(kind: Kind) -> None:
    """The small core every kind has: a section, a spec, a key, and a model unless it is only
    checked or mapped onto others (``planned = False``)."""
    assert kind.name and kind.spec and kind.identity
    if kind.planned:
        assert kind.model, f"{kind.name} is planned but names no model"
        assert kind.identity in kind.spec.model_fields or type(kind).key is not Kind.key


def test_the_pipeline_names_no_kind() -> None:
    """Kinds are reached through the registry and their hooks: the pipeline names none."""
    text = (Path(__file__).resolve().parents[2] / "odooconf/engine/pipeline.py").read_text()
    assert not [name for name in KINDS if f'"{name}"' in text or f"'{name}'" in text]
    assert "odooconf.kinds." not in text.replace("odooconf.kinds._base", "")


def _undeclared(kind_class: type[Kind]) -> list[str]:
    """The capability methods a kind defines without declaring their capability (the engine,
    which asks ``isinstance``, would never call them)."""
    return [
        method
        for method, capability in CAPABILITIES.items()
        if hasattr(kind_class, method) and not issubclass(kind_class, capability)
    ]


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_capability_a_kind_uses_is_declared(kind: Kind) -> None:
    assert _undeclared(type(kind)) == [], kind.name
    assert not any(hasattr(Kind, method) for method in CAPABILITIES), "Kind gives no default"


def test_a_capability_method_without_its_declaration_is_found() -> None:
    class Switching(Kind):  # defines switches but does not declare SwitchesSettings
        name = "switching"
        can_archive = can_delete = owned_by_container = False
        revokes = ""

        def switches(self, change: object) -> tuple[str, ...]:
            return ("base.group_multi_warehouse",)

    assert _undeclared(Switching) == ["switches"]
    assert switches(Switching(), None) == ()  # type: ignore[arg-type]
