"""Environments: where an Odoo instance is, how to log in, and the variables for blueprints.

An environment file names the variable that holds the password; it never holds the secret.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from odooconf.engine.invalid import model_at
from odooconf.engine.parse import ParsedDocument, parse_documents
from odooconf.engine.render import RenderedDocument
from odooconf.errors import BlueprintError, UserError
from odooconf.model.diagnostics import Diagnostic, SourceRef
from odooconf.odoo.faults import url_problem

_ENV_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def _relative_glob(pattern: str) -> str:
    if not pattern or pattern.startswith(("/", "\\")) or ".." in pattern.split("/"):
        raise ValueError("must be a non-empty glob relative to the blueprint directory")
    return pattern


GlobPattern = Annotated[str, AfterValidator(_relative_glob)]


class OdooConnection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    database: str = Field(min_length=1)
    login: str = Field(min_length=1)
    #: Name of the environment variable holding the password or API key.
    password_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    timeout: float = Field(default=120.0, gt=0)
    #: Company whose company-dependent values (e.g. a product category's costing method) are read
    #: and written; default: the login user's current company.
    company: str | None = None
    #: How odooconf talks to Odoo: ``json2`` (Odoo 19+, an API key), ``jsonrpc`` (odoorpc, up to
    #: Odoo 21) or ``auto``, JSON-2 where the server has it.
    transport: Literal["auto", "jsonrpc", "json2"] = "auto"
    #: Odoo version the blueprints are written for (``18.0``, ``saas~18.2``): templates branch on
    #: it (``odoo_version``, ``odoo_major``) and plan refuses a server of another version.
    version: str | None = Field(default=None, pattern=r"^(saas~)?\d{2}\.\d$")

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        """Checked offline, as plan checks it before connecting: a password in the URL, or
        one Python cannot split (``http://[::1``), is a located error at validate."""
        problem = url_problem(url)
        if problem:
            raise ValueError(problem)
        return url


class EnvironmentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The server; an environment may name a ``snapshot`` instead.
    odoo: OdooConnection | None = None
    #: Values for rendering blueprints (``{{ company }}``).
    variables: dict[str, Any] = Field(default_factory=dict)
    #: Blueprint files of this environment, as globs relative to the blueprint directory.
    include: list[GlobPattern] = Field(default_factory=lambda: ["**/*"])
    exclude: list[GlobPattern] = Field(default_factory=list)
    #: Module part of the external ids odooconf creates; must not be an installed module.
    xmlid_namespace: str = Field(default="odooconf", pattern=r"^[a-z][a-z0-9_]{0,63}$")
    #: What happens to records odooconf manages that left the blueprints.
    prune: Literal["never", "archive", "delete"] = "never"
    #: Roles (by key) whose members are exactly the users the blueprints assign them to: other
    #: users lose them. Without it, users the blueprints do not name keep their groups.
    exclusive_roles: list[str] = Field(default_factory=list)
    #: Segregation-of-duties policies (by name) this environment reports as warnings instead
    #: of failing the plan.
    sod_warnings: list[str] = Field(default_factory=list)
    #: Whether apply may make the changes the plan calls risky (an account's type changed
    #: while it has journal items): without it, apply refuses a plan that has any.
    allow_risky_changes: bool = False
    #: Whether a plan may take Settings or Access Rights from the login odooconf runs as, or
    #: Settings from its last active holder: without it, such a plan is refused.
    allow_admin_revocation: bool = False
    #: A snapshot file (``odooconf snapshot``, relative to the environment file) that stands for
    #: the instance: validate, plan and drift then read it, offline, and apply is refused.
    snapshot: str | None = Field(default=None, min_length=1)
    #: Differences expected between this environment and others (``kind:key[.field]``, globs):
    #: drift counts them and does not list them (a barcode prefix per environment).
    expected_differences: list[str] = Field(default_factory=list)

    #: Whether apply refuses to plan by itself: it applies only a plan saved with ``plan --out``
    #: (reviewed, then applied exactly).
    apply_requires_saved_plan: bool = False
    #: Seconds the lock of an apply lasts without a heartbeat: a holder killed without releasing
    #: it blocks the next apply at most this long.
    lock_expiry: float = Field(default=300.0, gt=0)

    @model_validator(mode="after")
    def _instance(self) -> EnvironmentSpec:
        if (self.odoo is None) == (self.snapshot is None):
            raise ValueError("give the instance as either odoo (a server) or snapshot (a file)")
        return self


@dataclass(frozen=True)
class Environment:
    name: str
    path: Path
    spec: EnvironmentSpec

    @property
    def odoo(self) -> OdooConnection:
        """The server's settings; for a snapshot environment, none (no server is called)."""
        if self.spec.odoo is not None:
            return self.spec.odoo
        return OdooConnection.model_construct(
            url=f"snapshot {self.snapshot}", database=self.name, login="", password_env="",
            timeout=120.0, company=None, transport="auto", version=None,
        )  # fmt: skip

    @property
    def snapshot(self) -> Path | None:
        """The snapshot file standing for the instance, if the environment names one."""
        return self.path.parent / self.spec.snapshot if self.spec.snapshot else None

    @property
    def release(self) -> tuple[int, int] | None:
        """``(major, minor)`` of the declared Odoo version, if any."""
        version = self.odoo.version
        if version is None:
            return None
        major, minor = version.removeprefix("saas~").split(".")
        return int(major), int(minor)

    def variables(self) -> dict[str, Any]:
        """What blueprints are rendered with: the declared variables, the environment's name and,
        when the environment declares it, the Odoo version."""
        extra: dict[str, Any] = {"environment": self.name}
        if self.release is not None:
            extra |= {"odoo_version": self.odoo.version, "odoo_major": self.release[0]}
        return {**self.spec.variables, **extra}

    def password(self) -> str:
        """The secret, read from the process environment at the last moment."""
        variable = self.odoo.password_env
        value = os.environ.get(variable)
        if not value:
            raise UserError(
                f"environment variable {variable} is not set: it must hold the password or API "
                f"key of {self.odoo.login!r} for environment {self.name!r} ({self.path})"
            )
        return value


def environment_names(directory: Path) -> list[str]:
    if not directory.is_dir():
        raise UserError(f"environment directory {directory} does not exist")
    return sorted(path.stem for path in directory.glob("*.yaml"))


def load_environment(directory: Path, name: str) -> Environment:
    """Read and validate ``<directory>/<name>.yaml``."""
    if not _ENV_NAME.fullmatch(name):
        raise UserError(f"invalid environment name {name!r}")
    path = directory / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(environment_names(directory)) or "none"
        raise UserError(f"no environment {name!r}: {path} does not exist (known: {known})")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read environment file: {exc}") from None
    parsed, diagnostics = parse_documents([RenderedDocument(str(path), text)])
    if diagnostics:
        raise BlueprintError(diagnostics)
    doc = parsed[0] if parsed else ParsedDocument(str(path), None)
    try:
        spec = EnvironmentSpec.model_validate(doc.data)
    except ValidationError as exc:
        raise BlueprintError(
            [
                Diagnostic(
                    "OC-E001",
                    _message(error),
                    SourceRef(str(path), doc.line(tuple(error["loc"]))),
                    " › ".join(str(part) for part in error["loc"]),
                )
                for error in exc.errors()
            ]
        ) from None
    return Environment(name, path, spec)


def _message(error: Any) -> str:
    if error["type"] != "extra_forbidden":
        return str(error["msg"]).removeprefix("Value error, ")
    model = model_at(EnvironmentSpec, tuple(error["loc"])[:-1])
    allowed = ", ".join(model.model_fields) if model else ""
    hint = difflib.get_close_matches(str(error["loc"][-1]), allowed.split(", "), n=1, cutoff=0.7)
    return (
        "unknown key"
        + (f"; did you mean {hint[0]!r}?" if hint else "")
        + (f" (allowed: {allowed})" if allowed else "")
    )
