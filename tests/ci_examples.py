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
