"""Record-rule domains (``odooconf.kinds.domain``): exactly what a domain is, nothing else."""

from __future__ import annotations

import pytest

from odooconf.kinds.domain import MAX_CHARACTERS, domain_paths


@pytest.mark.parametrize(
    ("domain", "paths"),
    [
        ("[('user_id', '=', user.id)]", ["user_id"]),
        ("['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]",
         ["company_id", "company_id"]),
        ("[('company_id', '=', company_id)]", ["company_id"]),
        ("[('company_id', 'in', [user.company_id.id, False])]", ["company_id"]),
        ("[('partner_id', 'child_of', [user.commercial_partner_id.id])]", ["partner_id"]),
        ("[('employee_id', 'in', user.employee_ids.ids)]", ["employee_id"]),
        ("[('date', '<=', time.strftime('%Y-%m-%d'))]", ["date"]),
        ("['!', ('state', 'in', ('draft', 'cancel')), ('amount', '>', -1.5)]",
         ["state", "amount"]),
        ("[(1, '=', 1)]", []),
        ("[('x_studio_flag', '=', None)]", ["x_studio_flag"]),
        ("[('line_ids', 'any', [('product_id.categ_id', '=', 3)])]",
         ["line_ids", "line_ids.product_id.categ_id"]),
        ("[]", []),
    ],
)  # fmt: skip
def test_what_a_domain_is_passes(domain: str, paths: list[str]) -> None:
    assert domain_paths(domain) == paths


@pytest.mark.parametrize(
    ("domain", "words"),
    [
        # Code Odoo would run as every user the rule applies to, on every access.
        ("[('id', '=', user.env.cr.execute('UPDATE res_users SET active = false'))]",
         "may not call or compute"),
        ("[('id', '!=', time.sleep(600))]", "may not call or compute (time.sleep(600))"),
        ("[('id', '=', user.__class__)]", "may not call or compute (user.__class__)"),
        ("[('id', '=', user.env.uid)]", "may not call or compute"),
        ("[('id', '=', user.sudo().id)]", "may not call or compute"),
        ("[('id', '<', 9**9**9)]", "may not call or compute (9 ** 9 ** 9)"),
        ("[('name', '=', 'a' * 10**9)]", "may not call or compute"),
        ("[('id', 'in', [x for x in range(10)])]", "may not call or compute"),
        ("[('id', '=', (lambda: 1)())]", "may not call or compute"),
        ("[('date', '<', time.strftime(user.login))]", "may not call or compute"),
        ("[('name', '=', f'{user.login}')]", "may not call or compute"),
        ("[('id', '=', user.login)]", "may not call or compute (user.login)"),
        ("[('id', '=', {1: 2})]", "may not call or compute"),
        ("[('name', '=', b'bytes')]", "may not call or compute"),
        ("[('create_uid', '=', uid)]", "the domain uses 'uid', which a record rule cannot see "
         "(use user.id)"),
        ("[('a', '=', __import__('os'))]", "may not call or compute"),
        ("[('a', '=', user)]", "may not call or compute (user)"),
        ("[('a', '=', -user.id)]", "may not call or compute (-user.id)"),
        # Not a domain.
        ("True", "a domain is a list of conditions"),
        ("[('name', '=', ", "the domain is not valid Python"),
        ("[('a', 'equals', 1)]", "('a', 'equals', 1): unknown operator 'equals'"),
        ("['|', ('a', '=', 1)]", "operator '|' lacks its 2 condition(s)"),
        ("[('a', '=')]", "('a', '=') is not a condition (field, operator, value)"),
        ("[('a b', '=', 1)]", "'a b' is not a field path"),
        ("[('a..b', '=', 1)]", "'a..b' is not a field path"),
        ("[(2, '=', 1)]", "a condition starts with a field name"),
        ("[('line_ids', 'any', 'x')]", "a domain is a list of conditions"),
    ],
)  # fmt: skip
def test_anything_else_is_refused(domain: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        domain_paths(domain)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "domain",
    [
        "[" + "('a', '=', 1), " * 30_000 + "]",  # 450 kB
        "[('a', '=', " + "[" * 100_000 + "]" * 100_000 + ")]",
        "[('a', '=', " + "-" * 15_000 + "1)]",
        "[('a', 'any', " + "[('a', 'any', " * 50 + "[]" + ")]" * 50 + ")]",
    ],
    ids=["long", "nested-lists", "nested-minus", "nested-any"],
)
def test_a_huge_or_deep_domain_is_an_error_not_a_crash(domain: str) -> None:
    with pytest.raises(ValueError) as caught:
        domain_paths(domain)
    assert "domain" in str(caught.value)


def test_the_limit_is_far_beyond_real_rules() -> None:
    assert MAX_CHARACTERS >= 10_000
    domain = "[" + "('a', '=', 1), " * 600 + "]"
    assert len(domain_paths(domain)) == 600
