"""Chatter: ``message_post`` on the models that are mail threads (those with ``message_ids``:
res.partner, and res.company once Accounting is installed), the messages and attachments it
creates, and what an attachment's content reads back as.

From Odoo 18's ``mail.thread.message_post`` (addons/mail/models/mail_thread.py): keyword-only
arguments, one record, a ``body`` that is escaped unless ``body_is_html`` is true,
``attachments`` as ``[name, content]`` or ``[name, content, info]`` lists (a text content is
encoded in UTF-8), ``message_type`` ``notification`` by default, the current user's partner as
the author; it returns the message's id over RPC.
"""

from __future__ import annotations

import base64
import html
from typing import Any

from .. import errors
from ..orm import Model, Signature, register
from ..store import Row

#: ``message_post``'s parameters the emulator takes (Odoo's are keyword-only).
MESSAGE_POST = Signature.of(
    ("body", ""),
    ("subject", None),
    ("message_type", "notification"),
    ("attachments", None),
    ("attachment_ids", None),
    ("body_is_html", False),
    records=True,
)


def is_thread(model: Model) -> bool:
    return "message_ids" in model.schema.fields


def message_post(
    model: Model,
    ids: list[int],
    body: str = "",
    subject: str | None = None,
    message_type: str = "notification",
    attachments: Any = None,
    attachment_ids: Any = None,
    body_is_html: bool = False,
) -> int:
    if len(ids) != 1:
        raise errors.value_error(f"Expected singleton: {model.name}{tuple(ids)!r}")
    model.rows(ids)  # a record that does not exist is Odoo's MissingError
    rid = ids[0]
    if message_type == "user_notification":
        raise errors.value_error("Use message_notify to send a notification to an user.")
    if attachments and not all(
        isinstance(item, list | tuple) and len(item) in (2, 3) for item in attachments
    ):
        raise errors.value_error(
            "Invalid attachments format, it should be a list of tuples (name, content) or "
            "(name, content, info)."
        )
    env = model.env
    user = env.db.store.get("res.users", env.uid) or {}
    message = env["mail.message"].create(
        [
            {
                "model": model.name,
                "res_id": rid,
                "body": str(body) if body_is_html else html.escape(str(body)),
                "subject": subject or False,
                "message_type": message_type,
                "author_id": user.get("partner_id") or False,
                "date": env.now,
                "record_name": model.display_name(rid),
            }
        ]
    )[0]
    linked = list(attachment_ids or [])
    for name, content, *_info in attachments or []:
        raw = content.encode() if isinstance(content, str) else bytes(content or b"")
        linked += env["ir.attachment"].create(
            [{"name": name, "res_model": model.name, "res_id": rid, "raw": raw}]
        )
    if linked:
        env["mail.message"].write([message], {"attachment_ids": [(6, 0, linked)]})
    return message


@register
class Attachment(Model):
    """Content given as ``raw`` (bytes) or ``datas`` (base64) is kept as ``db_datas`` (as with
    the database storage) and read back as ``datas``, with its size and checksum."""

    _name = "ir.attachment"

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        prepared = []
        for given in vals_list:
            vals = dict(given)
            raw, datas = vals.pop("raw", None), vals.pop("datas", None)
            if raw is not None:
                datas = base64.b64encode(raw).decode()
            vals.setdefault("type", "binary")
            if datas:
                vals["db_datas"] = datas
                vals["file_size"] = len(base64.b64decode(datas))
            prepared.append(vals)
        return super().create(prepared)

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "datas":
            return row.get("db_datas") or False
        return super().compute(row, fname)
