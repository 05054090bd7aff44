"""One plan reports every error it can find: an unknown login beside an unknown product, the
login located where it is written, in the environment file, as well as in the template."""

from __future__ import annotations

from tests.integration.conftest import REPO, Project


def test_unknown_product_and_unknown_login_in_one_run(project: Project) -> None:
    project.write(
        "stock/reordering.yaml",
        "reordering_rules:\n  - {product: NOPE-1, location: WH/Stock, min: 1, max: 5}\n",
    )
    project.write(
        "security/assignments.yaml",
        (REPO / "blueprints" / "security" / "assignments.yaml").read_text(),
    )
    env = project.root / "environments" / "test.yaml"
    lines = env.read_text().splitlines()
    at = lines.index("variables:") + 1
    lines[at:at] = [
        "  role_holders:",
        "    admin: [{xmlid: stock.group_stock_user}]",
        "    ghost.user: [{xmlid: stock.group_stock_user}]",
    ]
    env.write_text("\n".join(lines) + "\n")

    err = project.refused()

    assert "reordering.yaml:2: reordering_rules[0] (NOPE-1) › product: product 'NOPE-1'" in err
    assert (
        f"{env}:{at + 3}: variables › role_holders › ghost.user: user 'ghost.user' (by login) "
        "is not on the instance"
    ) in err
    assert "assignments.yaml:8 role_assignments[1] (ghost.user)" in err
    assert "2 error(s)" in err
