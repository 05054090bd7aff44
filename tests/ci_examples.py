"""The odooconf commands the example CI pipelines (``examples/ci/``) run, in their order."""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import click
from ruamel.yaml import YAML

from odooconf.cli import cli

REPO = Path(__file__).resolve().parents[1]
CI = REPO / "examples" / "ci"
GITHUB = CI / "github" / "odooconf.yml"
GITLAB = CI / "gitlab" / ".gitlab-ci.yml"

#: What the pipelines use that odooconf's saved plans (issue 18) bring and main lacks yet: the
#: plan's ``--out FILE`` and apply's FILE argument. Once they land, the test of the examples
#: fails until they leave this list, and then checks and runs them like the rest.
PENDING = {("plan", "--out"), ("apply", "FILE")}


def comment_helper() -> ModuleType:
    """``examples/ci/odooconf_ci.py``, the pipelines' script that posts the plan."""
    spec = importlib.util.spec_from_file_location("odooconf_ci", CI / "odooconf_ci.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def load(path: Path) -> Any:
    """YAML 1.2, as GitHub and GitLab read it (``on`` is a key, not ``True``)."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def shell_scripts(path: Path) -> list[str]:
    """The shell a pipeline runs, job after job as written: GitHub steps' ``run``, GitLab
    jobs' ``before_script`` and ``script``."""
    document = load(path)
    if path == GITHUB:
        return [step["run"] for job in document["jobs"].values() for step in job["steps"]
                if "run" in step]  # fmt: skip
    scripts = []
    for name, job in document.items():
        if isinstance(job, dict) and "script" in job and not name.startswith("."):
            scripts += job["script"]
    return scripts


def odooconf_commands(path: Path) -> list[list[str]]:
    """Each ``odooconf ...`` command line of the pipeline, as the shell splits it (its
    redirection, pipe or ``;`` excluded)."""
    out = []
    for script in shell_scripts(path):
        lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for start, token in enumerate(tokens):
            if token != "odooconf":
                continue
            end = start + 1
            while end < len(tokens) and not set(tokens[end]) <= set("();<>|&"):
                end += 1
            out.append(tokens[start + 1 : end])
    return out


def parse(args: list[str]) -> tuple[str, click.Context]:
    """The subcommand and its parsed context: a click usage error for what does not exist."""
    root = cli.make_context("odooconf", list(args))
    name, command, rest = cli.resolve_command(root, [*root._protected_args, *root.args])
    assert name is not None and command is not None
    return name, command.make_context(name, rest, parent=root)


def landed(command: str, piece: str) -> bool:
    """Whether odooconf's ``command`` has the option (``--out``) or argument (``FILE``)."""
    params = cli.commands[command].params
    if piece.startswith("-"):
        return any(piece in param.opts for param in params)
    return any(isinstance(param, click.Argument) for param in params)


def without_pending(args: list[str]) -> tuple[list[str], str | None]:
    """The command without the pending options (with their value), or the reason it cannot run
    yet (a pending argument)."""
    command = next(arg for arg in args if not arg.startswith("-"))
    pending = {piece for name, piece in PENDING if name == command and not landed(name, piece)}
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in pending:
            skip = True  # and its value
        else:
            out.append(arg)
    if "FILE" in pending:
        if not out[-1].startswith("-") and not out[-2].startswith("-"):
            out.pop()  # the file, last, after an option's value
        return out, f"odooconf {command} takes no FILE argument yet (saved plans, issue 18)"
    return out, None
