"""The pre-commit hook runs a command odooconf has."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import yaml

from odooconf.cli import cli

REPO = Path(__file__).resolve().parents[2]


def test_the_pre_commit_hook_runs_validate() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    program, command, *options = shlex.split(hook["entry"])
    assert (program, command, options) == ("odooconf", "validate", [])
    assert isinstance(cli, click.Group) and command in cli.commands
    assert hook["language"] == "python" and hook["pass_filenames"] is False
