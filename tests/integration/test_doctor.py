"""``odooconf doctor -e ENV``: whether an environment is ready, said before any apply."""

from __future__ import annotations

from tests.integration.conftest import PASSWORD, Project


def test_a_ready_environment(example: Project) -> None:
    result = example.run("doctor", "-e", "test")
    assert result.code == 0, result.out + result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("  ok  server   Odoo ")
    assert f"at {example.odoo.url}, database {example.odoo.database}, as 'admin', over " in lines[0]
    assert lines[0].endswith((" over jsonrpc", " over json2"))
    assert "  ok  module   warehouses: stock.warehouse (stock)" in lines
    assert "  ok  rights   stock.warehouse: read, create, write" in lines
    assert "  ok  rights   ir.model.data: read, create, write, unlink" in lines
    # Items a declared pricelist no longer lists are deleted; users are only ever written.
    assert "  ok  rights   product.pricelist.item: read, create, write, unlink" in lines
    assert "  ok  rights   res.users: read, write" in lines
    assert any(line.startswith("info  backend  multi-level approvals") for line in lines)
    assert any("the blueprints plan on this instance:" in line for line in lines)
    assert lines[-1] == "Environment test is ready."
    assert "FAIL" not in result.out


def test_a_login_without_rights_is_not_ready(example: Project) -> None:
    example.odoo.add_readonly_user("viewer", PASSWORD)
    env = example.root / "environments" / "test.yaml"
    env.write_text(env.read_text().replace("login: admin", "login: viewer"))
    result = example.run("doctor", "-e", "test")
    assert result.code == 1
    # Odoo refuses an internal user the read of ir.model (Access Rights): a finding, not the end.
    [refused] = [line for line in result.out.splitlines() if line.startswith("FAIL  rights")]
    assert "Odoo denied 'viewer' access for ir.model.search_read" in refused
    assert result.out.splitlines()[-1].startswith("Environment test is not ready: ")


def test_missing_inventory_rights_are_named_model_by_model(example: Project) -> None:
    example.odoo.add_user("auditor", PASSWORD, ["base.group_user", "base.group_erp_manager"])
    example.login_as("auditor")
    result = example.run("doctor", "-e", "test")
    assert result.code == 1
    assert "FAIL  rights   stock.warehouse: 'auditor' may not create, write" in result.out
    assert "  ok  rights   ir.model.data: read, create, write, unlink" in result.out


def test_blueprints_the_instance_cannot_express_make_it_unready(project: Project) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: RW1, name: West, resupply_from: [DC9]}\n")
    result = project.run("doctor", "-e", "test")
    assert result.code == 1
    assert "FAIL  plan" in result.out
    assert "warehouse 'DC9' is neither declared nor on the instance" in result.out


def test_a_server_of_another_version_is_not_ready(project: Project) -> None:
    other = "17.0" if project.odoo.version == "16.0" else "16.0"
    env = project.root / "environments" / "test.yaml"
    env.write_text(env.read_text().replace("odoo:\n", f"odoo:\n  version: '{other}'\n", 1))
    result = project.run("doctor", "-e", "test")
    assert result.code == 1
    assert "FAIL  server" in result.out
    assert f"the environment declares {other}" in result.out


def test_inline_kinds_are_labelled_by_the_section_that_declares_them(project: Project) -> None:
    project.write("w.yaml", "warehouses: []\n")
    result = project.run("doctor", "-e", "test")
    assert result.code == 0, result.out + result.err
    lines = result.out.splitlines()
    assert "  ok  module   tax_line (inline in taxes): account.tax.repartition.line (account)" in (
        lines
    )
    fiscal = [line for line in lines if "account.fiscal.position.account (" in line]
    assert fiscal == [
        "  ok  module   fiscal_position_account (inline in fiscal_positions): "
        "account.fiscal.position.account (account)"
    ]
    labels = [line for line in lines if "(approvals backend)" in line]
    assert labels and all(("tier_definition" in x or "purchase_approval" in x) for x in labels)
