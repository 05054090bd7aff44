"""Review: what CI, reviewers and auditors see — reports, audit, JSON plans, exit codes, cost."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from odooconf.odoo.rpc import RpcGateway
from tests.integration.conftest import PASSWORD, Project


def _audit(project: Project, env: str = "test") -> list[dict[str, Any]]:
    path = project.root / "state" / "audit" / f"{env}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


WAREHOUSE_AND_TYPES = """\
warehouses:
  - {code: DC1, name: Central}
operation_types:
  - {warehouse: DC1, sequence_code: PICK, reservation_method: manual}
  - {warehouse: DC1, sequence_code: QH, name: Hold, type: internal}
"""

# --- partial failures ---------------------------------------------------------------------------


@pytest.mark.emulator_only("injects a failure (fail_next)")
@pytest.mark.parametrize(
    ("model", "method", "written"),
    [
        ("ir.model.data", "create", "warehouse DC1"),  # DC1 was created, its id failed
        ("stock.picking.type", "write", "operation_type DC1/QH"),  # QH created, PICK write failed
    ],
)
def test_partial_failure_does_not_claim_created_records_were_not_written(
    project: Project, model: str, method: str, written: str
) -> None:
    project.write("wh.yaml", WAREHOUSE_AND_TYPES)
    project.odoo.emulator.fail_next(model, method)
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert f"failed (not done, as read back): {written}" not in result.err
    [entry] = _audit(project)
    assert written in [change["resource"] for change in entry["applied"]]


@pytest.mark.emulator_only("injects a failure (fail_next)")
@pytest.mark.parametrize(
    ("model", "method"),
    [
        ("stock.warehouse", "create"),
        ("ir.model.data", "create"),
        ("stock.picking.type", "create"),
        ("stock.picking.type", "write"),
    ],
)
def test_rerun_after_a_partial_failure_converges_without_duplicates(
    project: Project, model: str, method: str
) -> None:
    project.write("wh.yaml", WAREHOUSE_AND_TYPES)
    project.odoo.emulator.fail_next(model, method)
    assert project.run("apply", "-e", "test", "--yes").code == 1
    project.apply_ok()
    project.converged()
    types = project.odoo.read("stock.picking.type", [("warehouse_id.code", "=", "DC1")], ["id"])
    assert len(types) == len(project.odoo.facts.operation_types) + 1  # Odoo's and QH
    assert len(project.odoo.read("stock.warehouse", [("code", "=", "DC1")], ["id"])) == 1


@pytest.mark.emulator_only("injects a failure (fail_next)")
def test_failure_while_re_reading_side_effects_is_reported_and_audited(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("wh.yaml", "warehouses:\n  - {code: DC1, name: Central, locations: [Stock/A]}\n")
    original = RpcGateway.create

    def create_then_lose_contact(self: RpcGateway, model: str, values: list[Any]) -> list[int]:
        ids = original(self, model, values)
        if model == "stock.warehouse":  # the next read (of side effects) times out
            project.odoo.emulator.fail_next("stock.warehouse", "search_read")
        return ids

    monkeypatch.setattr(RpcGateway, "create", create_then_lose_contact)
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 1
    assert "Apply stopped" in result.err
    assert "+ warehouse DC1: created" in result.err + result.out
    [entry] = _audit(project)
    assert entry["outcome"] == "failed"
    assert [change["resource"] for change in entry["applied"]] == ["warehouse DC1"]


# --- convergence --------------------------------------------------------------------------------


def test_explicit_null_boolean_converges(project: Project) -> None:
    project.write(
        "r.yaml",
        """\
        routes:
          - name: R1
            selectable: {products: null}
            rules:
              - {action: pull, source: WH/Stock, destination: Partners/Customers,
                 operation_type: WH/OUT, propagate_carrier: null}
        """,
    )
    project.apply_ok()
    project.converged()


def test_float_quantities_written_as_integers_converge(project: Project) -> None:
    facts = project.odoo.facts
    values = {"name": "Peas", "default_code": "PEAS", **facts.storable}
    project.odoo.execute("product.product", "create", values)
    # 19 has no reordering multiple: its quantities are the minimum and maximum.
    multiple = ("qty_multiple", ", multiple: {}") if facts.multiple else ("", "")
    project.write(
        "o.yaml",
        "reordering_rules:\n"
        "  - {product: PEAS, location: WH/Stock, min: 10, max: 20.0"
        + multiple[1].format("2.5")
        + "}\n",
    )
    project.apply_ok()
    fields = ["product_min_qty", "product_max_qty", *filter(None, [multiple[0]])]
    [rule] = project.odoo.read("stock.warehouse.orderpoint", [], fields)
    expected = (10.0, 20.0, 2.5) if facts.multiple else (10.0, 20.0)
    assert tuple(rule[name] for name in fields) == expected
    project.converged()
    project.write(
        "o.yaml",
        "reordering_rules:\n"
        "  - {product: PEAS, location: WH/Stock, min: 10.0, max: 20"
        + multiple[1].format("2.50")
        + "}\n",
    )
    project.converged()


def test_company_dependent_values_follow_odoo_company(project: Project) -> None:
    other: Any = project.odoo.execute("res.company", "create", {"name": "Second Co"})
    project.odoo.execute("res.users", "write", [2], {"company_ids": [(4, other)]})
    env = project.root / "environments" / "test.yaml"
    env.write_text(
        env.read_text().replace("  password_env", "  company: Second Co\n  password_env")
    )
    saleable = project.odoo.facts.saleable
    project.write(
        "c.yaml", f"product_categories:\n  - {{path: {saleable}, costing_method: fifo}}\n"
    )
    project.apply_ok()
    project.converged()

    def cost_method(company: int) -> str:
        rows: Any = project.odoo.execute(
            "product.category",
            "search_read",
            [("complete_name", "=", saleable)],
            ["property_cost_method"],
            context={"allowed_company_ids": [company]},
        )
        return str(rows[0]["property_cost_method"])

    assert (cost_method(other), cost_method(1)) == ("fifo", "standard")
    project.environment()  # without odoo.company: the login's company, still standard
    plan = project.run("plan", "-e", "test", "--detailed-exitcode")
    assert plan.code == 2
    assert 'costing_method: "standard" → "fifo"' in plan.out


def test_two_environments_with_their_own_namespaces_share_a_database(project: Project) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: '{{ code }}', name: '{{ code }} store'}\n")
    for name, code in (("east", "E1"), ("west", "W1")):
        project.environment(name, prune="archive", xmlid_namespace=f"odooconf_{name}")
        path = project.root / "environments" / f"{name}.yaml"
        path.write_text(path.read_text().replace("variables:\n", f"variables:\n  code: {code}\n"))
    for name in ("east", "west", "east"):
        result = project.run("apply", "-e", name, "--yes")
        assert result.code == 0, result.err
    for name in ("east", "west"):
        assert project.run("plan", "-e", name, "--detailed-exitcode").code == 0
    rows = project.odoo.read("stock.warehouse", [("code", "in", ["E1", "W1"])], ["active"])
    assert [row["active"] for row in rows] == [True, True]


# --- plan documents -----------------------------------------------------------------------------


def test_json_plan_describes_every_action(project: Project) -> None:
    project.write(
        "a.yaml",
        """\
        warehouses:
          - {code: DC1, name: Central}
        locations:
          - {path: WH/Stock/Old}
          - {path: WH/Stock/Upd, barcode: X1}
        """,
    )
    project.apply_ok()
    project.environment(prune="archive")
    project.write(
        "a.yaml",
        """\
        warehouses:
          - {code: DC1, name: Central}
          - {code: WH, name: Main}
          - {code: DC2, name: Central 2}
        locations:
          - {path: WH/Stock/Upd, barcode: X2}
        operation_types:
          - {warehouse: DC2, sequence_code: PICK, reservation_method: manual}
        """,
    )
    result = project.run("plan", "-e", "test", "--format", "json", "--detailed-exitcode")
    assert result.code == 2
    plan = json.loads(result.out)
    assert plan["odooconf_plan_version"] == 2
    assert plan["summary"] == {
        "noop": 1,
        "create": 1,
        "update": 1,
        "adopt": 2,
        "archive": 1,
        "release": 0,
        "delete": 0,
        "has_changes": True,
    }
    by_key = {change["key"]: change for change in plan["changes"]}
    assert (by_key["DC1"]["action"], by_key["DC1"]["fields"]) == ("noop", [])
    assert by_key["DC2"]["action"] == "create" and by_key["DC2"]["record_id"] is None
    assert by_key["DC2"]["fields"] == [
        {"field": "code", "old": None, "new": "DC2"},
        {"field": "name", "old": None, "new": "Central 2"},
    ]
    assert by_key["WH"]["action"] == "adopt" and by_key["WH"]["record_id"] == 1
    assert by_key["WH"]["fields"] == [{"field": "name", "old": "My Company", "new": "Main"}]
    generated = by_key["DC2/PICK"]
    assert (generated["action"], generated["record_id"]) == ("adopt", None)
    assert by_key["WH/Stock/Upd"]["fields"] == [{"field": "barcode", "old": "X1", "new": "X2"}]
    archived = by_key["WH/Stock/Old"]
    assert (archived["action"], archived["xmlid"]) == ("archive", "odooconf.location_wh_stock_old")
    assert archived["fields"] == [{"field": "active", "old": True, "new": False}]
    # Archives come last, after everything that is created or updated.
    assert plan["changes"][-1]["action"] == "archive"
    assert PASSWORD not in result.out


def test_diagnostic_lines_point_into_the_template_file(project: Project) -> None:
    project.write(
        "l.yaml",
        """\
        locations:
        {% for zone in ['A', 'B', 'A'] %}
          - path: WH/Stock/{{ zone }}
        {% endfor %}
        """,
    )
    err = project.refused()
    assert "WH/Stock/A is declared twice" in err
    lines = len((project.blueprints / "l.yaml").read_text().splitlines())
    reported = [int(n) for n in re.findall(r"l\.yaml:(\d+)", err)]
    assert reported and max(reported) <= lines, err


def test_yaml_anchors_reuse_a_rule_in_two_routes(project: Project) -> None:
    project.write(
        "r.yaml",
        """\
        routes:
          - name: R1
            rules:
              - &ship {action: pull, source: WH/Stock, destination: Partners/Customers,
                       operation_type: WH/OUT}
          - name: R2
            rules:
              - *ship
        """,
    )
    project.apply_ok()
    rules = project.odoo.read("stock.rule", [("route_id.name", "in", ["R1", "R2"])], ["id"])
    assert len(rules) == 2
    project.converged()


def test_large_blueprint_plans_and_applies_quickly_with_constant_plan_calls(
    project: Project,
) -> None:
    def plan_calls(count: int) -> int:
        project.write(
            "l.yaml", "locations:\n" + "".join(f"  - path: WH/Stock/Z{i}\n" for i in range(count))
        )
        project.odoo.reset_calls()
        assert project.run("plan", "-e", "test").code == 0
        return len(project.odoo.calls)

    small = plan_calls(3)
    started = time.monotonic()
    assert plan_calls(1500) == small
    project.apply_ok()
    assert plan_calls(1500) == small
    assert time.monotonic() - started < 30
    project.converged()


def test_plan_calls_do_not_grow_with_references_of_every_kind(project: Project) -> None:
    top = project.odoo.facts.top
    for i in range(25):
        project.odoo.execute(
            "product.product", "create", {"name": f"P{i}", "default_code": f"P{i}"}
        )

    def plan_calls(count: int) -> list[tuple[str | None, str | None]]:
        rows = range(count)
        text = "product_categories:\n" + "".join(
            f"  - {{path: {top} / C{i}, costing_method: fifo, removal_strategy: lifo,"
            " accounts: {stock_valuation: 110100}}\n"
            for i in rows
        )
        text += "locations:\n" + "".join(f"  - {{path: WH/Stock/L{i}}}\n" for i in rows)
        text += "putaway_rules:\n" + "".join(
            f"  - {{location_in: WH/Stock, category: {top} / C{i}, location_out: WH/Stock/L{i},"
            " company: My Company}\n"
            for i in rows
        )
        text += "reordering_rules:\n" + "".join(
            f"  - {{product: P{i}, location: WH/Stock/L{i}, min: 1, max: 5,"
            " route: {xmlid: stock.route_warehouse0_mto}}\n"
            for i in rows
        )
        text += "routes:\n" + "".join(
            f"  - {{name: R{i}, warehouses: [WH], rules: [{{action: pull,"
            f" source: WH/Stock/L{i}, destination: Partners/Customers,"
            " operation_type: WH/OUT}]}\n"
            for i in rows
        )
        project.write("all.yaml", text)
        project.odoo.reset_calls()
        result = project.run("plan", "-e", "test")
        assert result.code == 0, result.err
        return project.odoo.object_calls()

    assert plan_calls(25) == plan_calls(2)
    project.apply_ok()
    assert len(plan_calls(25)) == len(plan_calls(2))
    project.converged()


# --- exit codes and secrets ---------------------------------------------------------------------


def test_exit_codes(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    assert project.run("plan", "-e", "test").code == 0
    assert project.run("plan", "-e", "test", "--detailed-exitcode").code == 2
    assert project.run("plan", "-e", "nope").code == 1
    assert project.run("apply", "-e", "test").code == 1  # not a terminal: --yes needed
    project.apply_ok()
    assert project.run("plan", "-e", "test", "--detailed-exitcode").code == 0
    assert project.run("apply", "-e", "test", "--yes").code == 0  # nothing to do

    def broken(*_args: object, **_kwargs: object) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("odooconf.engine.pipeline.diff_resources", broken)
    result = project.run("plan", "-e", "test")
    assert result.code == 3
    assert "Traceback" not in result.err
    match = re.search(r"written to (\S+odooconf-crash-\S+\.log)", result.err)
    assert match, result.err
    log = Path(match.group(1))
    try:
        text = log.read_text()
        assert "RuntimeError: boom" in text
        assert PASSWORD not in text + result.out + result.err
    finally:
        log.unlink()


def _interrupt(*_args: object, **_kwargs: object) -> Any:
    raise KeyboardInterrupt


def test_interrupted_plan_exits_130(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("w.yaml", "warehouses:\n  - {code: DC1, name: Central}\n")
    monkeypatch.setattr(RpcGateway, "search_read", _interrupt)
    result = project.run("plan", "-e", "test")
    assert result.code == 130, result.err


def test_interrupt_between_batches_reports_what_was_applied(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("wh.yaml", "warehouses:\n  - {code: DC1, name: Central, locations: [Stock/A]}\n")
    monkeypatch.setattr("odooconf.engine.apply.read_kind", _interrupt)
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 130
    assert "nothing was applied" not in result.err
    [entry] = _audit(project)
    assert [change["resource"] for change in entry["applied"]] == ["warehouse DC1"]
