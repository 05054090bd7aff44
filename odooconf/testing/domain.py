"""Evaluation of Odoo search domains and ``order`` specifications against stored rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from .orm import Model
    from .store import Row

OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "not in",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "=like",
        "=ilike",
        "child_of",
        "parent_of",
    }
)
_NEGATIVE = {"!=": "=", "<>": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}


@dataclass(frozen=True)
class Leaf:
    path: str
    operator: str
    value: Any


@dataclass(frozen=True)
class Node:
    operator: str  # "&", "|" or "!"
    children: tuple[Node | Leaf, ...]


Term = Node | Leaf


def parse(domain: Any) -> Term | None:
    """Turn a domain in Polish notation into a tree; ``None`` for the empty domain."""
    if domain in (None, False):
        return None
    if not isinstance(domain, (list, tuple)):
        raise errors.value_error(f"Invalid domain: {domain!r}")
    items = list(domain)
    terms: list[Term] = []
    while items:
        terms.append(_parse_term(items))
    if not terms:
        return None
    result = terms[-1]
    for term in reversed(terms[:-1]):
        result = Node("&", (term, result))
    return result


def _parse_term(items: list[Any]) -> Term:
    item = items.pop(0)
    if item in ("&", "|"):
        if len(items) < 2:
            raise errors.value_error(f"Invalid domain: operator {item!r} needs two terms")
        left = _parse_term(items)
        right = _parse_term(items)
        return Node(str(item), (left, right))
    if item == "!":
        if not items:
            raise errors.value_error("Invalid domain: operator '!' needs a term")
        return Node("!", (_parse_term(items),))
    if isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], str):
        operator = str(item[1]).lower()
        if operator not in OPERATORS:
            raise errors.value_error(f"Invalid leaf {tuple(item)!r}")
        return Leaf(item[0], operator, item[2])
    if item in (True, 1) or (isinstance(item, (list, tuple)) and list(item) == [1, "=", 1]):
        return Leaf("id", "!=", False)
    if item in (False, 0) or (isinstance(item, (list, tuple)) and list(item) == [0, "=", 1]):
        return Leaf("id", "=", False)
    raise errors.value_error(f"Invalid leaf {item!r}")


def leaves(term: Term | None) -> Iterable[Leaf]:
    if term is None:
        return
    if isinstance(term, Leaf):
        yield term
        return
    for child in term.children:
        yield from leaves(child)


def validate(model: Model, term: Term | None) -> None:
    """Raise Odoo's ValueError for a leaf on a field the model does not have."""
    for leaf in leaves(term):
        current = model
        for index, part in enumerate(leaf.path.split(".")):
            if part == "id":
                break
            fld = current.schema.field(part)
            if fld is None:
                raise errors.invalid_field(current.name, part)
            if index < leaf.path.count(".") and fld.relation and fld.relation in current.env:
                current = current.env[fld.relation]


def matches(model: Model, term: Term | None, row: Row) -> bool:
    if term is None:
        return True
    if isinstance(term, Node):
        if term.operator == "!":
            return not matches(model, term.children[0], row)
        results = (matches(model, child, row) for child in term.children)
        return all(results) if term.operator == "&" else any(results)
    return _match_leaf(model, term, row)


def _match_leaf(model: Model, leaf: Leaf, row: Row) -> bool:
    head, _, rest = leaf.path.partition(".")
    if head == "id":
        return _match_scalar(row["id"], leaf.operator, leaf.value, model, row)
    fld = model.schema.fields[head]
    value = model.value(row, head)
    if rest:
        if not fld.relation or fld.relation not in model.env:
            return False
        comodel = model.env[fld.relation]
        ids = value if isinstance(value, list) else ([value] if value else [])
        sub = Leaf(rest, leaf.operator, leaf.value)
        return any(
            _match_leaf(comodel, sub, sub_row)
            for sub_row in (comodel.row(i) for i in ids)
            if sub_row is not None
        )
    if fld.type in ("one2many", "many2many"):
        return _match_x2many(model, fld.relation or "", value, leaf)
    if fld.type == "many2one":
        return _match_many2one(model, fld.relation or "", value, leaf, row)
    return _match_scalar(value, leaf.operator, leaf.value, model, row)


def _name_ids(model: Model, comodel_name: str, operator: str, value: Any) -> set[int]:
    """Ids of ``comodel_name`` records whose display name matches (Odoo's name search)."""
    if comodel_name not in model.env:
        return set()
    comodel = model.env[comodel_name]
    values = value if isinstance(value, (list, tuple)) else [value]
    result: set[int] = set()
    for row in comodel.all_rows():
        rid = row["id"]
        name = comodel.display_name(rid)
        if any(compare_text(name, op_value, operator) for op_value in values):
            result.add(rid)
    return result


def _resolve_ids(model: Model, comodel_name: str, operator: str, value: Any) -> set[int] | None:
    """Turn a relational leaf value into a set of ids (``None`` means "no record")."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if any(isinstance(v, str) for v in values):
        op = "ilike" if operator in ("like", "ilike", "=like", "=ilike") else "="
        return _name_ids(model, comodel_name, op, [v for v in values if isinstance(v, str)])
    return {int(v) for v in values if v is not False and v is not None}


def _match_many2one(model: Model, comodel: str, value: Any, leaf: Leaf, row: Row) -> bool:
    operator, target = leaf.operator, leaf.value
    if operator in _NEGATIVE:
        positive = Leaf(leaf.path, _NEGATIVE[operator], target)
        if operator in ("not like", "not ilike") and not value:
            return True
        return not _match_many2one(model, comodel, value, positive, row)
    if operator in ("child_of", "parent_of"):
        ids = _resolve_ids(model, comodel, "=", target) or set()
        related = _family(model.env[comodel], ids, operator) if comodel in model.env else ids
        return bool(value) and value in related
    if target is False or target is None:
        return not value if operator == "=" else False
    if operator in ("like", "ilike", "=like", "=ilike") or isinstance(target, str):
        return bool(value) and value in (_resolve_ids(model, comodel, operator, target) or set())
    if operator in ("=", "in"):
        targets = target if isinstance(target, (list, tuple)) else [target]
        if value is False:
            return False in targets
        return value in (_resolve_ids(model, comodel, operator, target) or set())
    return _match_scalar(value, operator, target, model, row)


def _match_x2many(model: Model, comodel: str, value: list[int], leaf: Leaf) -> bool:
    operator, target = leaf.operator, leaf.value
    if operator in _NEGATIVE:
        positive = Leaf(leaf.path, _NEGATIVE[operator], target)
        return not _match_x2many(model, comodel, value, positive)
    if target is False or target is None or target == []:
        return not value if operator in ("=", "in") else False
    if operator in ("child_of", "parent_of"):
        ids = _resolve_ids(model, comodel, "=", target) or set()
        related = _family(model.env[comodel], ids, operator) if comodel in model.env else ids
        return bool(set(value) & related)
    ids = _resolve_ids(model, comodel, operator, target) or set()
    return bool(set(value) & ids)


def _family(model: Model, ids: set[int], operator: str) -> set[int]:
    """``ids`` with their descendants (``child_of``) or ancestors (``parent_of``)."""
    parent = model.schema.parent_name
    result = set(ids)
    if operator == "parent_of":
        todo = list(ids)
        while todo:
            row = model.row(todo.pop())
            up = row.get(parent) if row else False
            if up and up not in result:
                result.add(up)
                todo.append(up)
        return result
    if not parent:
        return result
    todo = list(result)
    while todo:
        for child in model.store.lookup(model.name, parent, todo.pop()):
            if child not in result:
                result.add(child)
                todo.append(child)
    return result


def compare_text(actual: Any, expected: Any, operator: str) -> bool:
    if not isinstance(actual, str) or not isinstance(expected, str):
        return False
    if operator == "=":
        return actual == expected
    if operator in ("like", "ilike"):
        pattern = _like_regex("%" + expected + "%", operator == "ilike")
        return pattern.fullmatch(actual) is not None
    return _like_regex(expected, operator == "=ilike").fullmatch(actual) is not None


def _like_regex(pattern: str, insensitive: bool) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL if insensitive else re.DOTALL)


def _is_null(value: Any) -> bool:
    return value is None or value is False or value == ""


def _match_scalar(value: Any, operator: str, target: Any, model: Model, row: Row) -> bool:
    if operator in ("child_of", "parent_of"):
        ids = {int(v) for v in (target if isinstance(target, (list, tuple)) else [target]) if v}
        return row["id"] in _family(model, ids, operator)
    if operator in ("!=", "<>"):
        if target is False or target is None:
            return not _is_null(value)
        return _is_null(value) or value != target
    if operator == "=":
        if target is False or target is None:
            return _is_null(value) or value is False
        return bool(value == target)
    if operator == "in":
        targets = list(target) if isinstance(target, (list, tuple)) else [target]
        if _is_null(value):
            return any(t is False or t is None for t in targets)
        return value in targets
    if operator == "not in":
        targets = list(target) if isinstance(target, (list, tuple)) else [target]
        if _is_null(value):
            return not any(t is False or t is None for t in targets)
        return value not in targets
    if operator in ("like", "ilike", "=like", "=ilike"):
        return compare_text(value, target, operator)
    if operator in ("not like", "not ilike"):
        return _is_null(value) or not compare_text(value, target, operator[4:])
    if _is_null(value) or target is False or target is None:
        return False
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "<": lambda a, b: bool(a < b),
        "<=": lambda a, b: bool(a <= b),
        ">": lambda a, b: bool(a > b),
        ">=": lambda a, b: bool(a >= b),
    }
    try:
        return comparisons[operator](value, target)
    except TypeError:
        return False


def parse_order(order: str) -> list[tuple[str, bool]]:
    """``"sequence desc, id"`` -> ``[("sequence", True), ("id", False)]`` (True = descending)."""
    result = []
    for part in order.split(","):
        words = part.split()
        if not words:
            continue
        result.append((words[0], len(words) > 1 and words[1].lower() == "desc"))
    return result
