"""Blueprints that span Odoo versions: the environment declares the version it expects,
templates branch on it, and plan refuses a server of another version before reading anything."""

from __future__ import annotations

from tests.integration.conftest import Project


def _server_version(project: Project) -> str:
    version: object = project.odoo.execute("ir.module.module", "search_read",
                                           [("name", "=", "base")], ["latest_version"])  # fmt: skip
    assert isinstance(version, list)
    return ".".join(str(version[0]["latest_version"]).split(".")[:2])


def test_a_server_of_another_version_is_refused_before_anything_is_read(project: Project) -> None:
    actual = _server_version(project)
    other = "17.0" if actual != "17.0" else "18.0"
    env = project.root / "environments" / "test.yaml"
    env.write_text(env.read_text().replace("odoo:\n", f"odoo:\n  version: '{other}'\n", 1))
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    err = project.refused()
    assert f"environment test declares Odoo {other} (odoo.version in {env})" in err
    assert f"runs Odoo {actual}" in err
    assert "nothing was read or changed" in err
    models = {model for model, _method in project.odoo.object_calls()}
    assert models <= {"res.users"}  # the login's context_get, nothing else


def test_templates_branch_on_the_declared_version(project: Project) -> None:
    actual = _server_version(project)
    env = project.root / "environments" / "test.yaml"
    env.write_text(env.read_text().replace("odoo:\n", f"odoo:\n  version: '{actual}'\n", 1))
    project.write(
        "w.yaml",
        "warehouses:\n"
        "  - code: DC1\n"
        "    name: Central {{ odoo_version }}{% if odoo_major >= 19 %} (new API){% endif %}\n",
    )
    project.apply_ok()
    [dc1] = project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["name"])
    suffix = " (new API)" if int(actual.split(".")[0]) >= 19 else ""
    assert dc1["name"] == f"Central {actual}{suffix}"
    project.converged()


def test_the_version_variables_need_a_declared_version(project: Project) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: 'Central {{ odoo_major }}'}\n")
    err = project.refused("validate")
    assert "undefined template variable: 'odoo_major' is undefined" in err


def test_an_operation_type_this_version_does_not_generate_is_a_plan_error(
    project: Project,
) -> None:
    """Odoo 18 gives a new warehouse a Cross Dock type (DC1/XD); 16 and 17 do not: there, plan
    says so instead of counting on it and failing in the middle of the apply."""
    project.write(
        "r.yaml",
        "warehouses:\n  - {code: DC1, name: Central, reception_steps: two_steps}\n"
        "routes:\n  - name: X\n    rules:\n"
        "      - {action: pull, source: DC1/Input, destination: DC1/Stock,"
        " operation_type: DC1/XD}\n",
    )
    project.odoo.reset_calls()
    result = project.run("plan", "-e", "test")
    if project.odoo.facts.crossdock_type:
        assert result.code == 0, result.err
        project.apply_ok()
        project.converged()
        return
    assert result.code == 1
    assert "r.yaml:6: routes[0] (X) › rules[0]" in result.err
    assert "operation_type 'DC1/XD' is neither declared nor on the instance" in result.err
    assert [m for _model, m in project.odoo.object_calls() if m in ("create", "write")] == []
