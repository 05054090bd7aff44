"""Exception tree and the exit codes the command line maps them to.

Only the command line prints; every stage raises one of these (or returns diagnostics).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from odooconf.model.diagnostics import Diagnostic
    from odooconf.model.plan import ApplyResult

EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class OdooconfError(Exception):
    """Root of every error odooconf reports to a person (exit 1)."""

    exit_code = EXIT_ERROR


class UserError(OdooconfError):
    """A problem the user can fix: bad configuration, missing secret, unreachable server."""


class BlueprintError(OdooconfError):
    """One or more located diagnostics from loading, rendering, validating or resolving."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} error(s) in the blueprints")


class RemoteError(OdooconfError):
    """Odoo refused a call: access rights, constraint, missing field or model."""

    def __init__(self, message: str, *, model: str = "", method: str = "", odoo_error: str = ""):
        self.model = model
        self.method = method
        self.odoo_error = odoo_error
        super().__init__(message)


class Interrupted(OdooconfError):
    """The user interrupted the run (Ctrl-C)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")


class ApplyFailed(OdooconfError):
    """An apply stopped part-way: carries what was done before the failure."""

    def __init__(self, result: ApplyResult, cause: OdooconfError) -> None:
        self.result = result
        self.cause = cause
        self.exit_code = cause.exit_code
        super().__init__(str(cause))
