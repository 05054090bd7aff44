"""The audit trail on the instance: each apply that changed something posts a message where a
person browsing Odoo finds it — the company's chatter (with Accounting, ``res.company`` is a mail
thread and the message shows in Accounting > Reporting > Audit Trail), else the chatter of the
company's contact. The plan's JSON is attached. Secrets are redacted.
"""

from __future__ import annotations

import html
import json
import re
import socket
from dataclasses import dataclass
from typing import Any

from odooconf import __version__
from odooconf.audit import ci_job_url, operator
from odooconf.errors import UserError
from odooconf.model.plan import ApplyResult, Change
from odooconf.odoo.gateway import Gateway

_MASK = "*****"
#: Fields whose values are never shown (none of the kinds has one today: a guard for tomorrow's).
_SECRET_FIELD = re.compile(r"pass(word)?|secret|token|api_?key", re.IGNORECASE)


@dataclass(frozen=True)
class Trail:
    """Where the message goes: a mail thread record."""

    model: str
    record_id: int
    label: str


def find_trail(gateway: Gateway, company: str | None) -> Trail:
    """The company odooconf writes for (``odoo.company``, else the login's), or its contact when
    the company is no mail thread (Odoo without Accounting)."""
    domain: list[Any] = [("name", "=", company)] if company else []
    if not company and "company_id" in gateway.fields("res.users"):
        [user] = gateway.search_read("res.users", [("id", "=", gateway.server.uid)], ["company_id"])
        domain = [("id", "=", user["company_id"][0])]
    # An instance that does not say the login's company: its first (main) company.
    rows = gateway.search_read("res.company", domain, ["partner_id"])[:1]
    if len(rows) != 1:
        raise UserError(f"cannot find the company to post the audit message on ({company!r})")
    row = rows[0]
    if "message_ids" in gateway.fields("res.company"):
        return Trail("res.company", int(row["id"]), f"company #{row['id']}")
    partner = row.get("partner_id")
    if partner and "message_ids" in gateway.fields("res.partner"):
        return Trail("res.partner", int(partner[0]), f"the company's contact #{partner[0]}")
    raise UserError("neither the company nor its contact has a chatter (is the mail module on?)")


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, _MASK)
    return text


def _value(field: str, value: Any) -> str:
    if _SECRET_FIELD.search(field):
        return _MASK
    return "(unset)" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _link(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""


def _change_rows(change: Change, outcome: str) -> list[str]:
    cells = [html.escape(change.action.value), html.escape(change.address), html.escape(outcome)]
    head = "".join(f"<td>{cell}</td>" for cell in cells)
    if not change.fields:
        return [f"<tr>{head}<td></td><td></td></tr>"]
    return [
        f"<tr>{head}<td>{html.escape(field.field)}</td><td>"
        f"{html.escape(_value(field.field, field.old))} → "
        f"{html.escape(_value(field.field, field.new))}</td></tr>"
        for field in change.fields
    ]


def message(
    environment: str,
    login: str,
    result: ApplyResult,
    *,
    commit: str,
    digest: str,
    secrets: list[str],
) -> tuple[str, str]:
    """The subject and HTML body of an apply's audit message."""
    outcome = "failed" if result.error else "applied"
    where = ci_job_url()
    facts = [
        ("Run by", f"{operator()}@{socket.gethostname()} as Odoo user {login}"),
        ("From", where or "not a CI job"),
        ("Blueprints commit", commit or "not in a git repository"),
        ("Plan SHA-256", digest),
        ("odooconf", __version__),
        ("Outcome", f"{outcome}: {result.error}" if result.error else outcome),
    ]
    items = "".join(
        f"<li><b>{html.escape(name)}</b>: {_link(value) if value == where else html.escape(value)}"
        "</li>"
        for name, value in facts
    )
    rows: list[str] = []
    for changes, state in (
        (result.applied, "applied"),
        (result.failed, "failed"),
        (result.unknown, "unknown"),
        (result.not_attempted, "not attempted"),
    ):
        for change in changes:
            rows += _change_rows(change, state)
    table = (
        "<table><thead><tr><th>action</th><th>resource</th><th>outcome</th><th>field</th>"
        "<th>old → new</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    subject = f"odooconf apply to {environment}: {outcome}"
    body = f"<p><b>{html.escape(subject)}</b></p><ul>{items}</ul>{table}"
    return subject, redact(body, secrets)


def post(
    gateway: Gateway,
    trail: Trail,
    subject: str,
    body: str,
    plan_json: str,
    environment: str,
    digest: str,
    secrets: list[str],
) -> int:
    """Post the message with the plan attached; the message's id."""
    name = f"odooconf-plan-{environment}-{digest[:12]}.json"
    return gateway.post_message(
        trail.model, trail.record_id, subject, body, [[name, redact(plan_json, secrets)]]
    )
