"""Saved plans: ``plan --out FILE`` writes what a reviewer approved, ``apply -e ENV FILE``
applies exactly that, or refuses before its first write.

A saved plan holds the plan (plain data), where it is for (environment, URL, database and a hash
of the database's ``database.uuid``), what it was made from (the Odoo and odooconf versions, the
digest of the rendered blueprints and environment settings) and a fingerprint of every live value
planning read, record by record: each row ``search_read`` returned, the defaults and the fields
the instance offers. At apply the instance is planned again through the same recorder; a value
that moved makes the plan stale, and the refusal names each record, field, old and new value.

The file is signed with an HMAC keyed by the database's ``database.secret``: a file changed
after it was saved is refused, and only a login that may read that secret can make one. Never
a secret in the file: the password is not in the plan, the secret only keys the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from odooconf import __version__
from odooconf.config import Environment
from odooconf.errors import OdooconfError, UserError
from odooconf.model.plan import Plan
from odooconf.odoo.gateway import Gateway, ServerInfo

#: Version of the saved plan's layout.
SAVED_FORMAT = 1
_SETTINGS = "Administration / Settings (base.group_system)"
#: How many moved values a refusal lists before it counts the rest.
_SHOWN = 50


def canonical(data: Any) -> str:
    """The one JSON text of ``data`` that digests and signatures are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def plain(data: Any) -> Any:
    """``data`` as JSON gives it back (tuples become lists, enums and dates strings)."""
    return json.loads(canonical(data))


def plan_data(plan: Plan) -> dict[str, Any]:
    return dict(plain(plan.to_dict()))


def plan_digest(plan: Plan) -> str:
    """SHA-256 of the plan's JSON: the audit trail names the plan applied by it."""
    return hashlib.sha256(canonical(plan_data(plan)).encode()).hexdigest()


class Recorder:
    """A gateway that remembers every live value planning reads, record by record
    (``model,id`` → field → value), the defaults (``model:defaults``), the fields the instance
    offers (``model:fields``, by digest) and which models it has (``ir.model:existing``)."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self.values: dict[str, dict[str, Any]] = {}

    @property
    def server(self) -> ServerInfo:
        return self._gateway.server

    @property
    def call_count(self) -> int:
        return self._gateway.call_count

    def existing_models(self, models: Sequence[str]) -> set[str]:
        found = self._gateway.existing_models(models)
        self.values.setdefault("ir.model:existing", {}).update({m: m in found for m in models})
        return found

    def fields(self, model: str) -> Mapping[str, Mapping[str, Any]]:
        fields = self._gateway.fields(model)
        digest = hashlib.sha256(canonical(fields).encode()).hexdigest()
        self.values[f"{model}:fields"] = {"sha256": digest}
        return fields

    def search_read(
        self, model: str, domain: list[Any], fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        rows = self._gateway.search_read(model, domain, fields)
        for row in rows:
            values = plain({key: value for key, value in row.items() if key != "id"})
            self.values.setdefault(f"{model},{row['id']}", {}).update(values)
        return rows

    def default_get(self, model: str, fields: Sequence[str]) -> dict[str, Any]:
        defaults = self._gateway.default_get(model, fields)
        self.values.setdefault(f"{model}:defaults", {}).update(plain(defaults))
        return defaults

    def create(self, model: str, values: list[dict[str, Any]]) -> list[int]:
        return self._gateway.create(model, values)

    def write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        self._gateway.write(model, ids, values)

    def unlink(self, model: str, ids: list[int]) -> None:
        self._gateway.unlink(model, ids)

    def contextual_price(self, product_id: int, context: Mapping[str, Any]) -> float:
        # A price check is a result the plan shows, not a value the changes depend on.
        return self._gateway.contextual_price(product_id, context)

    def post_message(
        self, model: str, record_id: int, subject: str, html: str, attachments: list[list[str]]
    ) -> int:
        return self._gateway.post_message(model, record_id, subject, html, attachments)


@dataclass(frozen=True)
class DatabaseIdentity:
    """Which database a gateway talks to, and the key saved plans of it are signed with."""

    uuid_sha256: str
    key: bytes


def database_identity(gateway: Gateway) -> DatabaseIdentity:
    """Read ``database.uuid`` and ``database.secret`` (two ``ir.config_parameter`` rows, which
    Odoo lets only Administration / Settings read)."""
    keys = ["database.uuid", "database.secret"]
    try:
        rows = gateway.search_read("ir.config_parameter", [("key", "in", keys)], ["key", "value"])
    except OdooconfError as exc:
        raise UserError(
            f"a saved plan needs the database's identity, which {gateway.server.login!r} may not "
            f"read ({exc}); the login needs {_SETTINGS}"
        ) from None
    found = {row["key"]: str(row["value"]) for row in rows}
    if set(keys) - set(found):
        raise UserError(
            f"{gateway.server.url} database {gateway.server.database} has no database.uuid or "
            "database.secret: a saved plan cannot be tied to it"
        )
    uuid_hash = hashlib.sha256(found["database.uuid"].encode()).hexdigest()
    key = hashlib.sha256(f"odooconf saved plan\0{found['database.secret']}".encode()).digest()
    return DatabaseIdentity(uuid_hash, key)


def _signature(body: Mapping[str, Any], key: bytes) -> str:
    return "hmac-sha256:" + hmac.new(key, canonical(body).encode(), hashlib.sha256).hexdigest()


def saved_plan(
    env: Environment,
    plan: Plan,
    digest: str,
    values: dict[str, dict[str, Any]],
    identity: DatabaseIdentity,
) -> dict[str, Any]:
    """The saved plan's document, signed."""
    body = {
        "odooconf_saved_plan": SAVED_FORMAT,
        "environment": env.name,
        "url": env.odoo.url,
        "database": env.odoo.database,
        "database_uuid_sha256": identity.uuid_sha256,
        "odoo_version": plan.server_version,
        "odooconf_version": __version__,
        "blueprints_sha256": digest,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "plan_sha256": plan_digest(plan),
        "plan": plan_data(plan),
        "fingerprints": plain(values),
    }
    return {**body, "signature": _signature(body, identity.key)}


def write_saved(path: Path, document: Mapping[str, Any]) -> None:
    try:
        path.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False))
    except OSError as exc:
        raise UserError(f"cannot write the saved plan to {path}: {exc.strerror or exc}") from None


def read_saved(path: Path) -> dict[str, Any]:
    """A saved plan's document, checked for shape (its signature is checked against the
    database: :func:`check_signature`)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read the saved plan {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError(f"{path} is not a saved plan (not JSON: {exc})") from None
    fields = {
        "environment": str,
        "url": str,
        "database": str,
        "database_uuid_sha256": str,
        "odoo_version": str,
        "odooconf_version": str,
        "blueprints_sha256": str,
        "plan_sha256": str,
        "plan": dict,
        "fingerprints": dict,
        "signature": str,
    }
    if not isinstance(document, dict) or document.get("odooconf_saved_plan") != SAVED_FORMAT:
        raise UserError(
            f"{path} is not a saved plan of this odooconf (odooconf_saved_plan "
            f"{SAVED_FORMAT} expected): make it with `odooconf plan -e ENV --out FILE`"
        )
    wrong = [name for name, kind in fields.items() if not isinstance(document.get(name), kind)]
    if wrong:
        raise UserError(f"{path} is not a valid saved plan: {', '.join(wrong)} missing or wrong")
    return document


def _mismatch(path: Path, document: Mapping[str, Any], what: str) -> UserError:
    return UserError(
        f"Saved plan does not match this database: {path} was saved for environment "
        f"{document['environment']} ({document['url']}, database {document['database']}), "
        f"{what}; nothing was applied"
    )


def check_target(path: Path, document: Mapping[str, Any], env: Environment) -> None:
    """Before connecting: the file is for this environment's instance and this odooconf."""
    odoo = env.odoo
    saved = (document["environment"], document["url"], document["database"])
    if saved != (env.name, odoo.url, odoo.database):
        raise _mismatch(
            path, document, f"not for environment {env.name} ({odoo.url}, database {odoo.database})"
        )
    if document["odooconf_version"] != __version__:
        raise UserError(
            f"{path} was saved by odooconf {document['odooconf_version']}, this is odooconf "
            f"{__version__}: plan again with this version; nothing was applied"
        )


def check_blueprints(path: Path, document: Mapping[str, Any], digest: str) -> None:
    if document["blueprints_sha256"] != digest:
        raise UserError(
            f"blueprints changed since the plan was saved ({path}): the rendered blueprints or "
            "the environment's settings differ from those the reviewed plan was made from; "
            "plan again and review it; nothing was applied"
        )


def check_database(path: Path, document: Mapping[str, Any], gateway: Gateway) -> None:
    """Once connected: the same database (by ``database.uuid``), the file as it was saved, the
    same Odoo version."""
    identity = database_identity(gateway)
    if document["database_uuid_sha256"] != identity.uuid_sha256:
        raise _mismatch(path, document, "but this database's database.uuid is another one")
    body = {key: value for key, value in document.items() if key != "signature"}
    if not hmac.compare_digest(document["signature"], _signature(body, identity.key)):
        raise UserError(
            f"{path} was modified after it was saved (its signature does not match its "
            "content): apply only the file plan --out wrote; nothing was applied"
        )
    if document["odoo_version"] != gateway.server.version:
        raise UserError(
            f"{path} was saved against Odoo {document['odoo_version']}; the server now runs "
            f"Odoo {gateway.server.version}: plan again; nothing was applied"
        )


def moved_values(saved: Mapping[str, Any], fresh: Mapping[str, Any]) -> list[str]:
    """Every live value that differs between two recordings, one line each: the record (model,
    id and name when it has one), the field, the old and the new value."""
    lines: list[str] = []
    for record in sorted(set(saved) | set(fresh)):
        old, new = saved.get(record), fresh.get(record)
        label = _label(record, new or old or {})
        if old is None:
            lines.append(f"{label}: appeared since the plan was saved")
        elif new is None:
            lines.append(f"{label}: gone since the plan was saved (deleted or no longer read)")
        else:
            lines += [
                f"{label}: {name} {_text(old.get(name))} → {_text(new.get(name))}"
                for name in sorted(set(old) | set(new))
                if old.get(name) != new.get(name)
            ]
    return lines


def _label(record: str, values: Mapping[str, Any]) -> str:
    model, _, record_id = record.partition(",")
    if not record_id:
        return record
    names = ("complete_name", "full_name", "name", "login", "code")
    name = next((values[f] for f in names if values.get(f)), "")
    return f"{model} #{record_id}" + (f" ({name})" if isinstance(name, str) and name else "")


def _text(value: Any) -> str:
    return "(absent)" if value is None else json.dumps(value, ensure_ascii=False)


def check_fresh(
    path: Path, document: Mapping[str, Any], values: Mapping[str, Any], plan: Plan
) -> None:
    """The instance as planned again under the lock: every fingerprint as saved, and so the
    same plan. Raises, naming each value that moved, before anything is written."""
    moved = moved_values(document["fingerprints"], plain(values))
    if not moved:
        fresh, saved = plan_data(plan)["changes"], document["plan"]["changes"]
        if fresh == saved:
            return
        moved = [
            f"{change['kind']} {change['key']}: planned differently now"
            for change in fresh + saved
            if (change in fresh) != (change in saved)
        ]
    shown = moved[:_SHOWN]
    more = f"\n  ... and {len(moved) - _SHOWN} more" if len(moved) > _SHOWN else ""
    raise UserError(
        f"the saved plan {path} is stale: the instance changed since it was saved; nothing "
        f"was applied. Plan again and review it. What moved ({len(moved)}):\n  "
        + "\n  ".join(shown)
        + more
    )
