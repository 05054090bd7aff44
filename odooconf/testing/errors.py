"""Server-side errors of the emulator and their Odoo JSON-RPC serialization.

Each error carries the dotted Python class name that Odoo puts in ``error.data.name``
(``odoo.exceptions.ValidationError``, ``builtins.ValueError``...) and the exact message text.
"""

from __future__ import annotations

from typing import Any

VALIDATION_ERROR = "odoo.exceptions.ValidationError"
USER_ERROR = "odoo.exceptions.UserError"
ACCESS_ERROR = "odoo.exceptions.AccessError"
ACCESS_DENIED = "odoo.exceptions.AccessDenied"
MISSING_ERROR = "odoo.exceptions.MissingError"
REDIRECT_WARNING = "odoo.exceptions.RedirectWarning"
VALUE_ERROR = "builtins.ValueError"
TYPE_ERROR = "builtins.TypeError"
ATTRIBUTE_ERROR = "builtins.AttributeError"
KEY_ERROR = "builtins.KeyError"
NAME_ERROR = "builtins.NameError"
OPERATIONAL_ERROR = "psycopg2.OperationalError"

#: Prefix Odoo adds when it turns a PostgreSQL integrity error into a ValidationError.
CANNOT_COMPLETE = "The operation cannot be completed: "


class OdooError(Exception):
    """An error the emulated server reports as a JSON-RPC ``error`` object."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message

    @property
    def short_class(self) -> str:
        """The class name as printed on the traceback's last line."""
        module, _, cls = self.name.rpartition(".")
        return cls if module == "builtins" else self.name

    def to_jsonrpc(self, code: int = 200) -> dict[str, Any]:
        """The ``error`` member of a JSON-RPC response, shaped like Odoo's (``code`` is 200 up to
        18, 0 on 19)."""
        return {
            "code": code,
            "message": "Odoo Server Error",
            "data": {
                "name": self.name,
                "message": self.message,
                "arguments": [self.message],
                "context": {},
                "debug": (
                    "Traceback (most recent call last):\n"
                    '  File "odooconf-emulator", line 1, in <module>\n'
                    f"{self.short_class}: {self.message}\n"
                ),
            },
        }


def validation(message: str) -> OdooError:
    return OdooError(VALIDATION_ERROR, message)


def user_error(message: str) -> OdooError:
    return OdooError(USER_ERROR, message)


def value_error(message: str) -> OdooError:
    return OdooError(VALUE_ERROR, message)


def invalid_field(model: str, field: str, major: int = 18) -> OdooError:
    if major >= 19:  # 19/side_effects.md, difference 14
        return value_error(f"Invalid field {field!r} in {model!r}")
    return value_error(f"Invalid field {field!r} on model {model!r}")


def wrong_selection(model: str, field: str, value: Any) -> OdooError:
    return value_error(f"Wrong value for {model}.{field}: {value!r}")


def not_null(
    model: str, description: str, field: str, field_string: str, major: int = 18
) -> OdooError:
    """Odoo's rendering of a PostgreSQL NOT NULL violation (19/side_effects.md, difference 10)."""
    if major >= 19:
        return validation(
            f"{CANNOT_COMPLETE}Missing required value for the field '{field_string}' ({field}).\n"
            f"Model: '{description}' ({model})\n"
            "- create/update: a mandatory field is not set\n"
            "- delete: another model requires the record being deleted, you can archive it "
            "instead\n"
        )
    return validation(
        "The operation cannot be completed:\n"
        "- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. "
        "If possible, archive it instead.\n\n"
        f"Model: {description} ({model})\n"
        f"Field: {field_string} ({field})\n"
    )


def foreign_key(
    model: str, description: str, field: str, field_string: str = "", major: int = 18
) -> OdooError:
    """Odoo's rendering of a PostgreSQL foreign key violation on ``model.field`` (19's text:
    19/side_effects.md, difference 11)."""
    if major >= 19:
        return validation(
            f"{CANNOT_COMPLETE}Another model is using the record you are trying to delete.\n\n"
            f"The troublemaker is: '{description}' ({model})\n"
            f"Thanks to the following constraint: '{field_string or field}' ({field})\n"
            "How about archiving the record instead?"
        )
    table = model.replace(".", "_")
    return validation(
        f"{CANNOT_COMPLETE}another model requires the record being deleted. "
        "If possible, archive it instead.\n\n"
        f"Model: {description} ({model})\n"
        f"Constraint: {table}_{field}_fkey\n"
    )


def sql_constraint(message: str) -> OdooError:
    return validation(CANNOT_COMPLETE + message)


def missing(model: str, ids: list[int], uid: int) -> OdooError:
    shown = ", ".join(str(i) for i in ids) + ("," if len(ids) == 1 else "")
    return OdooError(
        MISSING_ERROR,
        f"Record does not exist or has been deleted.\n(Record: {model}({shown}), User: {uid})",
    )


def access_denied() -> OdooError:
    return OdooError(ACCESS_DENIED, "Access Denied")


def unknown_database(database: str) -> OdooError:
    return OdooError(
        OPERATIONAL_ERROR,
        f'FATAL:  database "{database}" does not exist\n',
    )
