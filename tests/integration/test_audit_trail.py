"""The audit trail where auditors look: a message on the company (issue 18)."""

from __future__ import annotations

import base64
import json
import subprocess

import pytest

from tests.integration.conftest import PASSWORD, Project

LOCATIONS = "locations:\n  - {path: WH/Stock/Audited, barcode: AUD-1}\n"


def _messages(project: Project, model: str) -> list[dict[str, object]]:
    return project.odoo.read(
        "mail.message",
        [("model", "=", model), ("subject", "like", "odooconf apply")],
        ["body", "subject", "attachment_ids", "res_id", "message_type"],
    )


def test_apply_posts_its_changes_on_the_company_as_html_with_the_plan_attached(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI_JOB_URL", "https://ci.example.com/jobs/42")
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    project.write("stock.yaml", LOCATIONS)
    git = ["git", "-C", str(project.root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "blueprints"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()

    project.apply_ok()

    [message] = _messages(project, "res.company")
    body = str(message["body"])
    assert message["message_type"] == "notification"
    assert "<table>" in body and "&lt;table" not in body  # HTML reached Odoo as HTML
    assert "location WH/Stock/Audited" in body and "AUD-1" in body
    assert commit in body and "https://ci.example.com/jobs/42" in body
    assert PASSWORD not in body
    [entry] = [
        json.loads(line)
        for line in (project.root / "state" / "audit" / "test.jsonl").read_text().splitlines()
    ]
    assert entry["git_commit"] == commit and entry["plan_sha256"] in body
    assert entry["ci_job_url"] == "https://ci.example.com/jobs/42"
    [attachment] = project.odoo.read(
        "ir.attachment", [("id", "in", message["attachment_ids"])], ["name", "datas"]
    )
    plan = json.loads(base64.b64decode(str(attachment["datas"])))
    assert plan["changes"][0]["key"] == "WH/Stock/Audited"
    project.converged()  # the message, its attachment and the lock are no drift
    assert len(_messages(project, "res.company")) == 1  # nothing changed: nothing posted


@pytest.mark.emulator_only("a company that is no mail thread: Odoo without Accounting")
def test_without_accounting_the_message_goes_to_the_company_s_contact(project: Project) -> None:
    project.odoo.emulator.drop_field("res.company", "message_ids")
    project.write("stock.yaml", LOCATIONS)

    project.apply_ok()

    [company] = project.odoo.read("res.company", [], ["partner_id"])
    [message] = _messages(project, "res.partner")
    assert message["res_id"] == company["partner_id"][0]
