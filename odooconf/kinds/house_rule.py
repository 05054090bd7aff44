"""House rules (section ``house_rules``): the schema of a rule, and the expression language it
is written in. A rule is checked, never written (like a segregation-of-duties policy): the
checking is ``odooconf.policies.house_rules``, whose docstring describes the rules.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from typing import Any, Literal

import jinja2
from jinja2 import nodes
from jinja2.parser import Parser
from pydantic import BaseModel, Field, field_validator, model_validator

from odooconf.engine.render import Sandbox
from odooconf.kinds._base import CheckedKind, Kind, Spec

SECTION = "house_rules"
#: Names every rule may use besides the kind's attributes.
CONTEXT = ("key", "declared", "planned", "resources")
#: Kinds planned from others (an approval matrix's backend records), never declared themselves.
_PLANNED_ONLY = frozenset({"tier_definition", "purchase_approval", "house_rule"})


def _startswith(value: Any, prefix: str) -> bool:
    """Jinja test ``startswith`` (``selectattr('location_in', 'startswith', code ~ '/')``)."""
    return isinstance(value, str) and value.startswith(prefix)


@functools.cache
def sandbox() -> Sandbox:
    """The templates' sandbox, with the test ``startswith``."""
    env = Sandbox(undefined=jinja2.StrictUndefined, autoescape=False)
    env.tests["startswith"] = _startswith
    return env


def rule_kinds() -> Mapping[str, Kind]:
    """Kinds and sections a rule may name → the kind (imported late: the registry lists this
    module's kind)."""
    from odooconf.kinds import KINDS  # noqa: PLC0415

    out: dict[str, Kind] = {}
    for kind in KINDS.values():
        if kind.name not in _PLANNED_ONLY:
            out[kind.name] = kind
            if kind.section:
                out[kind.section] = kind
    return out


def vocabulary(kind: Kind) -> set[str]:
    """The names a rule about ``kind`` may use."""
    names = {attr.name for attr in kind.attrs if "." not in attr.name}
    return (names or _fields(kind.spec)) | set(CONTEXT)


def _fields(model: type[BaseModel]) -> set[str]:
    """A virtual kind's attributes: its item's fields, a nested item's spread (a level's)."""
    out: set[str] = set()
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        nested = info.annotation
        if isinstance(nested, type) and issubclass(nested, Spec):
            out |= _fields(nested)
        else:
            out.add(name)
    return out


def compile_expression(text: str) -> nodes.Expr:
    """The expression's syntax tree; raises ``ValueError`` saying what is wrong with it."""
    env = sandbox()
    try:
        parser = Parser(env, text, state="variable")
        expression = parser.parse_expression()
        if not parser.stream.eos:
            raise jinja2.TemplateSyntaxError(
                f"unexpected {parser.stream.current.value!r} after the expression",
                parser.stream.current.lineno,
            )
        env.compile_expression(text)
    except jinja2.TemplateSyntaxError as exc:
        raise ValueError(f"not an expression: {exc.message} (in {text!r})") from None
    return expression


class HouseRuleSpec(Spec):
    name: str = Field(min_length=1)
    #: The section (``pricelist_items``) or kind (``pricelist_item``) whose resources it checks.
    kind: str
    #: Which of them the rule is about (all when left out).
    when: str | None = Field(default=None, min_length=1)
    #: What must hold for each of them.
    require: str = Field(min_length=1)
    message: str = Field(min_length=1)
    severity: Literal["error", "warning"] = "error"

    @field_validator("kind")
    @classmethod
    def _known(cls, value: str) -> str:
        known = rule_kinds()
        if value not in known:
            close = difflib.get_close_matches(value, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(f"unknown kind {value!r}; {hint}known: {', '.join(sorted(known))}")
        return value

    @field_validator("when", "require")
    @classmethod
    def _expression(cls, value: str | None) -> str | None:
        if value is not None:
            compile_expression(value)
        return value

    @model_validator(mode="after")
    def _names(self) -> HouseRuleSpec:
        """Names neither the kind nor the rule's context has: a typo would make the rule check
        something else (or nothing) silently."""
        kind = rule_kinds().get(self.kind)
        if kind is None:
            return self
        allowed = vocabulary(kind) | set(sandbox().globals)
        for text in (self.when, self.require):
            if text is None:
                continue
            tree = compile_expression(text)
            used = {
                node.name
                for node in (tree, *tree.find_all(nodes.Name))
                if isinstance(node, nodes.Name)
            }
            for name in sorted(used - allowed):
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ValueError(
                    f"{text!r} names {name!r}, which {kind.name} has not; {hint}it has: "
                    f"{', '.join(sorted(allowed - set(sandbox().globals)))}"
                )
        return self


class HouseRule(CheckedKind):
    """Virtual: never read or written (no model); ``check_house_rules`` checks it."""

    name = "house_rule"
    section = SECTION
    spec = HouseRuleSpec
