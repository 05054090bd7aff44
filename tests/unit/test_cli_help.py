"""``--help``: whole one-line summaries, an example per command, the exit codes; completion of
environment names after ``-e``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from odooconf.cli import cli

COMMANDS = cli.list_commands(click.Context(cli))


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_command_list_shows_each_whole_summary() -> None:
    listing = _flat(_help().split("Commands:")[1])

    for name in COMMANDS:
        command = cli.commands[name]
        summary = _flat((command.help or "").split("\n\n")[0])
        assert summary in listing, name
    assert "..." not in listing


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_shows_an_example(name: str) -> None:
    text = _help(name)

    assert "Example" in text
    examples = text.split("Example")[1]
    assert f"odooconf {name}" in examples


def test_main_help_lists_the_exit_codes_and_completion() -> None:
    text = _flat(_help())

    for code in ("0 ", "1 ", "2 ", "3 ", "130 "):
        assert "Exit codes:" in text and code in text.split("Exit codes:")[1]
    assert "_ODOOCONF_COMPLETE=bash_source odooconf" in text


def _complete(tmp_path: Path, args: list[str], incomplete: str) -> list[str]:
    """What shell completion offers, as the shell asks for it (``_ODOOCONF_COMPLETE``)."""
    from click.shell_completion import ShellComplete  # noqa: PLC0415

    completion = ShellComplete(cli, {}, "odooconf", "_ODOOCONF_COMPLETE")
    return [item.value for item in completion.get_completions(args, incomplete)]


def test_environment_names_complete_after_e(tmp_path: Path) -> None:
    environments = tmp_path / "envs"
    environments.mkdir()
    for name in ("dev", "demo", "production"):
        (environments / f"{name}.yaml").write_text("odoo: {}\n")
    (environments / "notes.txt").write_text("not an environment\n")
    base = ["--environments", str(environments)]

    assert _complete(tmp_path, [*base, "plan", "-e"], "d") == ["demo", "dev"]
    assert _complete(tmp_path, [*base, "validate", "--env"], "") == ["demo", "dev", "production"]
    assert _complete(tmp_path, [*base, "apply", "-e"], "p") == ["production"]


def test_completion_without_the_directory_offers_nothing(tmp_path: Path) -> None:
    base = ["--environments", str(tmp_path / "missing")]

    assert _complete(tmp_path, [*base, "doctor", "-e"], "") == []


def test_every_command_with_an_environment_completes_it(tmp_path: Path) -> None:
    environments = tmp_path / "envs"
    environments.mkdir()
    (environments / "staging.yaml").write_text("odoo: {}\n")
    base = ["--environments", str(environments)]
    with_env = [
        name
        for name in COMMANDS
        if any(isinstance(p, click.Option) and "-e" in p.opts for p in cli.commands[name].params)
    ]

    assert {"plan", "apply", "check", "doctor", "graph", "validate"} <= set(with_env)
    for name in with_env:
        assert _complete(tmp_path, [*base, name, "-e"], "st") == ["staging"], name


def test_the_installed_command_completes_environment_names(tmp_path: Path) -> None:
    """Through the entry point, as bash asks (the script ``bash_source`` prints does this)."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text("odoo: {}\n")
    env = {
        **os.environ,
        "COMP_WORDS": "odooconf apply -e d",
        "COMP_CWORD": "3",
        "_ODOOCONF_COMPLETE": "bash_complete",
    }
    command = [sys.executable, "-c", "from odooconf.cli import main; main()"]
    done = subprocess.run(
        command, check=False, cwd=tmp_path, env=env, capture_output=True, text=True
    )

    assert (done.returncode, done.stdout) == (0, "plain,dev\n")
