"""What every command shares, wherever it is defined (``cli`` and ``drift.commands``): whole
summaries in ``odooconf --help`` and environment names completed after ``-e``."""

from __future__ import annotations

from pathlib import Path

import click

from odooconf.errors import OdooconfError


class Command(click.Command):
    """A command whose summary in ``odooconf --help`` is its whole first sentence: click cuts
    it to the terminal's width ("Have Odoo compute the blueprints' price checks on the...")."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(limit=1_000)


def complete_environment(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion after ``-e``: the environments of the project's directory."""
    from odooconf.config import environment_names  # noqa: PLC0415 (start-up: pydantic)

    directory = ctx.find_root().params.get("environments") or Path("environments")
    try:
        names = environment_names(Path(directory))
    except OdooconfError:  # no such directory: nothing to offer
        return []
    return [name for name in names if name.startswith(incomplete)]
