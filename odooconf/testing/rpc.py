"""Odoo's ``call_kw`` for the emulator: argument binding of the public model methods.

Odoo binds RPC arguments to the Python signature of the model method; this module does the same
for the ORM methods every model has and for the extra public methods a model declares.
"""

from __future__ import annotations

from typing import Any

from . import errors
from .models import mail
from .orm import REQUIRED, Env, Model, Signature

ORM_METHODS: dict[str, Signature] = {
    "search": Signature.of("domain", ("offset", 0), ("limit", None), ("order", None)),
    "search_count": Signature.of("domain", ("limit", None)),
    "search_read": Signature.of(
        ("domain", None),
        ("fields", None),
        ("offset", 0),
        ("limit", None),
        ("order", None),
        ("load", "_classic_read"),
    ),
    "read": Signature.of(("fields", None), ("load", "_classic_read"), records=True),
    "create": Signature.of("vals_list"),
    "write": Signature.of("vals", records=True),
    "unlink": Signature.of(records=True),
    "fields_get": Signature.of(("allfields", None), ("attributes", None)),
    "name_search": Signature.of(
        ("name", ""), ("domain", None), ("operator", "ilike"), ("limit", 100)
    ),
    "default_get": Signature.of("fields_list"),
    "action_archive": Signature.of(records=True),
    "action_unarchive": Signature.of(records=True),
    "toggle_active": Signature.of(records=True),
}

#: Methods that only read: allowed to read-only users.
READ_METHODS = frozenset(
    {
        "search",
        "search_count",
        "search_read",
        "read",
        "fields_get",
        "name_search",
        "default_get",
        "check_object_reference",
        "context_get",
    }
)

_OPERATION_WORDS = {"create": "create", "unlink": "delete"}


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool):
        raise errors.value_error(f"Invalid ids: {value!r}")
    if isinstance(value, int):
        return [value]
    if isinstance(value, (list, tuple)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return list(value)
    raise errors.value_error(f"Invalid ids: {value!r}")


def bind(
    model: str, method: str, sig: Signature, args: list[Any], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Bind positional and keyword arguments like Python would, with Odoo's TypeError texts."""
    bound: dict[str, Any] = {}
    params = list(sig.params)
    if sig.records:
        params.insert(0, ("ids", REQUIRED))
    qualified = f"{model}.{method}()"
    if len(args) > len(params):
        raise errors.OdooError(
            errors.TYPE_ERROR,
            f"{qualified} takes {len(params) + 1} positional arguments "
            f"but {len(args) + 1} were given",
        )
    for (name, _default), value in zip(params, args, strict=False):
        bound[name] = value
    for name, value in kwargs.items():
        if name not in dict(params):
            raise errors.OdooError(
                errors.TYPE_ERROR, f"{qualified} got an unexpected keyword argument {name!r}"
            )
        if name in bound:
            raise errors.OdooError(
                errors.TYPE_ERROR, f"{qualified} got multiple values for argument {name!r}"
            )
        bound[name] = value
    for name, default in params:
        if name not in bound:
            if default is REQUIRED:
                raise errors.OdooError(
                    errors.TYPE_ERROR,
                    f"{qualified} missing 1 required positional argument: {name!r}",
                )
            bound[name] = default
    if sig.records:
        bound["ids"] = _ids(bound["ids"])
    return bound


def check_method_name(model: str, method: str) -> None:
    if method.startswith("_"):
        raise errors.OdooError(
            errors.ACCESS_ERROR,
            f"Private methods (such as '{model}.{method}') cannot be called remotely.",
        )


def check_write_access(env: Env, model: str, method: str) -> None:
    """Refuse mutating methods to read-only users, with Odoo's access-rights wording."""
    if method in READ_METHODS or env.uid not in env.db.readonly_uids:
        return
    word = _OPERATION_WORDS.get(method, "modify")
    description = env.db.schemas[model].description
    raise errors.OdooError(
        errors.ACCESS_ERROR,
        f"You are not allowed to {word} '{description}' ({model}) records.\n\n"
        "Contact your administrator to request access if necessary.",
    )


def call_kw(env: Env, model_name: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run ``model_name.method(*args, **kwargs)`` as Odoo's ``call_kw`` does."""
    check_method_name(model_name, method)
    kwargs = dict(kwargs)
    context = kwargs.pop("context", None)
    if context is not None and not isinstance(context, dict):
        raise errors.value_error(f"Invalid context: {context!r}")
    if context:
        env = Env(env.db, env.uid, context)
    model = env[model_name]
    sig = ORM_METHODS.get(method) or type(model).public_methods.get(method)
    if sig is None and method == "message_post" and mail.is_thread(model):
        sig = mail.MESSAGE_POST
    if sig is None:
        raise errors.OdooError(
            errors.ATTRIBUTE_ERROR, f"The method '{model_name}.{method}' does not exist"
        )
    check_write_access(env, model_name, method)
    bound = bind(model_name, method, sig, list(args), kwargs)
    if method == "create":
        return _create(model, bound["vals_list"])
    if method == "write":
        if not isinstance(bound["vals"], dict):
            raise errors.value_error(f"Invalid values: {bound['vals']!r}")
        model.write(bound["ids"], bound["vals"])
        return True
    if method == "unlink":
        model.unlink(bound["ids"])
        return True
    if method == "message_post":
        return mail.message_post(model, **bound)
    if method == "name_search":
        bound["args"] = bound.pop("domain")
    if method in ("search", "search_count", "search_read") and bound.get("domain") is None:
        bound["domain"] = []
    return getattr(model, method)(**bound)


def _create(model: Model, vals_list: Any) -> int | list[int]:
    if isinstance(vals_list, dict):
        return model.create([vals_list])[0]
    if not isinstance(vals_list, list) or not all(isinstance(v, dict) for v in vals_list):
        raise errors.value_error(f"Invalid values for create: {vals_list!r}")
    return model.create(vals_list)
