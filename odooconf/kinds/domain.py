"""Record-rule domains: what odooconf lets through to ``ir.rule.domain_force``.

Odoo evaluates a rule's domain as Python (``safe_eval``) with ``user`` (the user record),
``time``, ``company_ids`` and ``company_id`` (``ir.rule._eval_context``), for every user the
rule applies to, on every access. A domain that calls a method (``user.env.cr.execute(...)``,
``time.sleep(600)``), reaches into Python (``user.__class__``) or computes (``9**9**9``) runs as
every such user; so odooconf accepts exactly what a domain is, and nothing else:

* a list of ``'&'``, ``'|'``, ``'!'`` and conditions ``(field path, operator, value)``, in
  Odoo's prefix notation, or Odoo's constant conditions ``(1, '=', 1)`` and ``(0, '=', 1)``;
* values: literals (text, numbers, booleans, ``None``) and lists or tuples of values;
  ``company_id`` and ``company_ids``; the user's ids, ``user.id`` and a chain of relational
  fields ending in ``.id`` or ``.ids`` (``user.company_id.id``, ``user.partner_id.id``,
  ``user.employee_ids.ids``); ``time.strftime('%Y-%m-%d')`` with a literal format; for
  ``any`` and ``not any``, a domain.

The text is bounded (:data:`MAX_CHARACTERS`), so a huge or deeply nested domain is an error, not a
``RecursionError``.
"""

from __future__ import annotations

import ast
import re

#: What a rule's domain may name (Odoo's ``ir.rule._eval_context``).
NAMES = frozenset({"user", "time", "company_ids", "company_id"})
OPERATORS = frozenset(
    {
        "=", "!=", "<>", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like",
        "ilike", "not ilike", "in", "not in", "child_of", "parent_of", "any", "not any",
    }
)  # fmt: skip
#: Operators whose value is a domain on the field's model.
_SUBDOMAIN = frozenset({"any", "not any"})
#: Far beyond any rule Odoo or a module ships (a few hundred characters).
MAX_CHARACTERS = 20_000
#: Domains nested in domains (``any``) beyond this are refused.
MAX_DEPTH = 10
_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
#: A relational field of the user (``company_id``, ``employee_ids``), by Odoo's naming.
_RELATIONAL = re.compile(r"[a-z][a-z0-9_]*_ids?")
_ALLOWED = (
    "literals and lists, company_id, company_ids, user.id and the user's relational fields "
    "ending in .id or .ids (user.company_id.id), time.strftime('<format>')"
)


def domain_paths(text: str) -> list[str]:
    """The field paths a domain's conditions name (``partner_id.country_id``), in order; a
    condition ``any`` adds the paths of its domain after its own (``line_ids.product_id``).
    Raises ``ValueError`` saying what Odoo would refuse, or what odooconf does not let through."""
    if len(text) > MAX_CHARACTERS:
        raise ValueError(
            f"the domain has {len(text):,} characters; a record rule's domain is limited to "
            f"{MAX_CHARACTERS:,}"
        )
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ValueError(
            f"the domain is not valid Python: {exc.msg} (column {exc.offset})"
        ) from None
    except (RecursionError, MemoryError):
        raise ValueError("the domain is nested too deeply") from None
    return _domain(tree, 0)


def _domain(node: ast.expr, depth: int) -> list[str]:
    if depth > MAX_DEPTH:
        raise ValueError(f"the domain nests domains more than {MAX_DEPTH} deep")
    if not isinstance(node, ast.List | ast.Tuple):
        raise ValueError("a domain is a list of conditions, such as [('user_id', '=', user.id)]")
    leaves: list[list[str]] = []
    operands = 0  # conditions not yet taken by an operator, reading right to left
    for element in reversed(node.elts):
        if isinstance(element, ast.Constant) and element.value in ("&", "|", "!"):
            needed = 1 if element.value == "!" else 2
            if operands < needed:
                raise ValueError(f"operator {element.value!r} lacks its {needed} condition(s)")
            operands -= needed - 1
            continue
        leaves.insert(0, _leaf(element, depth))
        operands += 1
    return [path for paths in leaves for path in paths]


def _leaf(node: ast.expr, depth: int) -> list[str]:
    """The field paths of one condition (none for Odoo's constant ``(1, '=', 1)``)."""
    if not isinstance(node, ast.List | ast.Tuple) or len(node.elts) != 3:
        raise ValueError(f"{_text(node)} is not a condition (field, operator, value)")
    field, operator, value = node.elts
    if any(_is(field, constant) for constant in (0, 1)) and _is(operator, "=") and _is(value, 1):
        return []
    if not (isinstance(field, ast.Constant) and isinstance(field.value, str)):
        raise ValueError(f"{_text(node)}: a condition starts with a field name")
    if not _FIELD_PATH.fullmatch(field.value):
        raise ValueError(f"{_text(node)}: {field.value!r} is not a field path (partner_id.name)")
    if not isinstance(operator, ast.Constant) or operator.value not in OPERATORS:
        raise ValueError(f"{_text(node)}: unknown operator {_text(operator)}")
    if operator.value in _SUBDOMAIN:
        return [field.value, *(f"{field.value}.{p}" for p in _domain(value, depth + 1))]
    _value(value, node)
    return [field.value]


def _value(node: ast.expr, leaf: ast.expr) -> None:
    """Refuse a value that is not a literal, a list of values or one of the names rules use."""
    if isinstance(node, ast.Constant) and (
        node.value is None or type(node.value) in (str, int, float, bool)
    ):
        return
    if isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            _value(item, leaf)
        return
    signed = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd)
    if isinstance(node, ast.UnaryOp) and signed and _is_number(node.operand):
        return
    if isinstance(node, ast.Name) and node.id in ("company_id", "company_ids"):
        return
    if _user_ids(node) or _strftime(node):
        return
    if isinstance(node, ast.Name) and node.id not in NAMES:
        hint = " (use user.id)" if node.id == "uid" else ""
        raise ValueError(
            f"the domain uses {node.id!r}, which a record rule cannot see{hint}; it may use "
            f"{', '.join(sorted(NAMES))}"
        )
    raise ValueError(
        f"{_text(leaf)}: the domain may not call or compute ({_text(node)}); a value is one of: "
        f"{_ALLOWED}"
    )


def _user_ids(node: ast.expr) -> bool:
    """``user.id``, ``user.ids``, or ``user`` then relational fields then ``.id``/``.ids``."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.insert(0, node.attr)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == "user" and names):
        return False
    return names[-1] in ("id", "ids") and all(_RELATIONAL.fullmatch(n) for n in names[:-1])


def _strftime(node: ast.expr) -> bool:
    """``time.strftime('<literal format>')``, Odoo's documented way to name today."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "strftime"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "time"
        and not node.keywords
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def _is(node: ast.expr, value: object) -> bool:
    """Whether ``node`` is the literal ``value`` (``1`` is not ``True`` here)."""
    return (
        isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value
    )


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _text(node: ast.expr) -> str:
    """The source of ``node`` as an error quotes it."""
    try:
        return ast.unparse(node)
    except (RecursionError, ValueError):
        return "the condition"
