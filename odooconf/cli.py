"""Command line: ``odooconf validate | plan | apply | check | doctor``. The only module that
prints.

Start-up is part of every command's time (``odooconf --version`` included): the engine, the
kinds, pydantic and Jinja are imported by the commands that need them, not here.

Exit codes: 0 success / no changes, 1 user-facing error (also a plan apply would refuse, and
a failing price check under ``plan --detailed-exitcode``), 2 changes present (``plan
--detailed-exitcode``), 3 unexpected internal error (traceback in a log file), 130 interrupted.
"""

from __future__ import annotations

import json as json_module
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from odooconf import __version__, progress
from odooconf.cli_support import Command, complete_environment
from odooconf.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    ApplyFailed,
    BlueprintError,
    OdooconfError,
    UserError,
)
from odooconf.model.diagnostics import Diagnostic
from odooconf.model.plan import ApplyResult, Plan, fail_after_plan, failed, failure_message
from odooconf.views import github, human, json, markdown

if TYPE_CHECKING:
    from odooconf.config import Environment
    from odooconf.engine.pipeline import Blueprints, PlanOutcome
    from odooconf.engine.target import Target
    from odooconf.odoo.gateway import Gateway

FORMATS = {
    "text": human.render_plan,
    "markdown": markdown.render_plan,
    "json": json.render_plan,
    "github": github.render_plan,
}


@dataclass(frozen=True)
class Project:
    blueprints: Path
    environments: Path
    state: Path

    @property
    def cache(self) -> Path:
        """Where loaded blueprints are kept between runs (``engine.cache``)."""
        return self.state / "cache"


class _Group(click.Group):
    """The command line. The auditors' commands (``odooconf.drift``, which load the engine and
    the kinds) are registered when one is looked up or all are listed (``--help``, completion),
    not on start-up."""

    command_class = Command

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            _auditors()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _auditors()
        return super().list_commands(ctx)


EPILOG = """\b
Exit codes:
  0    success, or no changes
  1    an error to fix (located: file, line, field), a refused or failed apply
  2    changes to apply (plan --detailed-exitcode)
  3    internal error (the traceback is in the log file named)
  130  interrupted

\b
Shell completion (commands, options, environment names after -e):
  eval "$(_ODOOCONF_COMPLETE=bash_source odooconf)"   # bash, in ~/.bashrc
  eval "$(_ODOOCONF_COMPLETE=zsh_source odooconf)"    # zsh, in ~/.zshrc
  _ODOOCONF_COMPLETE=fish_source odooconf | source    # fish
"""


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--blueprints",
    type=click.Path(path_type=Path, file_okay=False),
    default="blueprints",
    show_default=True,
    help="Directory of blueprint YAML files.",
)
@click.option(
    "--environments",
    type=click.Path(path_type=Path, file_okay=False),
    default="environments",
    show_default=True,
    help="Directory of environment files (<name>.yaml).",
)
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=".odooconf",
    show_default=True,
    help="Where the audit trail and the cache of loaded blueprints are written.",
)
@click.option(
    "--no-color",
    is_flag=True,
    help="No colour, even on a terminal (also when the NO_COLOR variable is set).",
)
@click.version_option(__version__, prog_name="odooconf")
@click.pass_context
def cli(
    ctx: click.Context, blueprints: Path, environments: Path, state_dir: Path, no_color: bool
) -> None:
    """Configuration-as-code for Odoo: validate blueprints, plan and apply them."""
    ctx.obj = Project(blueprints, environments, state_dir)
    if no_color or os.environ.get("NO_COLOR"):  # https://no-color.org: set and not empty
        ctx.color = False  # the commands' contexts inherit it; click.echo then strips styles
    bar = progress.terminal_bar(sys.stderr)  # reads and applies over a second, on a terminal
    if bar is not None:
        ctx.with_resource(progress.showing(bar))


def _single(_ctx: click.Context, param: click.Parameter, names: tuple[str, ...]) -> str:
    """The one environment of a command that works on one: a repeated ``-e`` would otherwise
    mean the last one alone, silently."""
    if len(names) > 1:
        raise click.BadParameter(
            f"give one environment, not {len(names)} ({', '.join(names)}): this command works "
            "on one environment at a time",
            param=param,
        )
    return names[0]


def _targets(
    _ctx: click.Context, param: click.Parameter, texts: tuple[str, ...]
) -> tuple[Target, ...]:
    from odooconf.engine.target import parse_target

    try:
        return tuple(parse_target(text) for text in texts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


_TARGET = click.option(
    "--target",
    "targets",
    multiple=True,
    callback=_targets,
    metavar="KIND[:KEY]",
    help="Only this resource (every one of KIND without a key) and what it depends on "
    "(repeatable): a partial plan, which prunes nothing.",
)


def _environment_option(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "-e",
        "--env",
        "name",
        multiple=True,
        required=True,
        callback=_single,
        help=help_text,
        shell_complete=complete_environment,
    )


@cli.command()
@click.option(
    "-e",
    "--env",
    "names",
    multiple=True,
    help="Environment(s); default: all.",
    shell_complete=complete_environment,
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for CI, github for annotations on a pull request's lines.",
)
@click.pass_obj
def validate(project: Project, names: tuple[str, ...], output: str) -> None:
    """Check blueprints offline for every (or the named) environment.

    \b
    Example: odooconf validate -e staging --format github
    """
    from collections import Counter

    from odooconf.config import environment_names, load_environment
    from odooconf.engine.pipeline import load_blueprints
    from odooconf.policies.access import blueprint_sod

    results: list[tuple[str, dict[str, int], list[Diagnostic]]] = []
    warnings: dict[str, list[Diagnostic]] = {}
    names = names or tuple(environment_names(project.environments))
    if not names:
        raise UserError(
            f"no environment files (<name>.yaml) in {project.environments}: nothing to validate"
        )
    for name in names:
        try:
            env = load_environment(project.environments, name)
            loaded = load_blueprints(project.blueprints, env, project.cache)
        except BlueprintError as exc:
            results.append((name, {}, exc.diagnostics))
            continue
        kinds = Counter(resource.kind for resource in loaded.resources)
        results.append((name, dict(sorted(kinds.items())), []))
        # The segregation-of-duties policies lowered to warnings.
        warnings[name] = blueprint_sod(list(loaded.resources), env)[1]
    if output == "json":
        click.echo(json.validate_document(results, warnings))
    for name, counts, problems in results:
        lowered = warnings.get(name, [])
        if output == "github" and lowered:
            click.echo(github.render_diagnostics(lowered, name, "warning"))
        elif output == "text":
            for warning in lowered:
                click.echo(f"warning: {warning.render()}", err=True)
        if output == "github" and problems:
            click.echo(github.render_diagnostics(problems, name))
        elif output == "text" and problems:
            click.echo(f"environment {name}: invalid", err=True)
            click.echo(human.render_diagnostics(problems), err=True)
        elif output == "text":
            detail = ", ".join(f"{count} {kind}" for kind, count in counts.items())
            click.echo(f"environment {name}: valid ({detail or 'no resources'})")
    if any(problems for _name, _counts, problems in results):
        sys.exit(EXIT_ERROR)


def _connect(env: Environment) -> Gateway:
    if env.snapshot is not None:  # no server: the snapshot answers, offline
        from odooconf.drift.snapshot import SnapshotGateway, load_snapshot

        return SnapshotGateway(load_snapshot(env.snapshot), env.snapshot)
    from odooconf.odoo.connect import connect

    odoo = env.odoo
    try:
        return connect(
            odoo.url,
            odoo.database,
            odoo.login,
            env.password(),
            timeout=odoo.timeout,
            company=odoo.company,
            transport=odoo.transport,
        )
    except UserError as exc:  # say which file to fix, and which variable holds the secret
        raise UserError(
            f"{exc} [environment {env.name}: {env.path}; password from ${odoo.password_env}]"
        ) from None


@cli.command()
@click.option(
    "-e",
    "--env",
    "names",
    multiple=True,
    required=True,
    help="Environment to plan (repeatable: several are planned concurrently).",
    shell_complete=complete_environment,
)
@click.option(
    "--format",
    "output",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="text for people, markdown for pull requests, json for CI, github for annotations.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when there are changes, 1 when a price check fails once the plan is applied.",
)
@click.option(
    "--max-comment-chars",
    type=click.IntRange(min=2_000),
    default=markdown.MAX_COMMENT_CHARS,
    show_default=True,
    help="markdown: split into comments of at most this size, each starting with "
    "<!-- odooconf:plan:ENV[:PART] --> (GitLab takes 1000000, Bitbucket 32000).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Save the plan to FILE, for `apply -e ENV FILE` to apply exactly it (several "
    "environments: a FILE with {env}, one file each).",
)
@_TARGET
@click.pass_obj
def plan(
    project: Project,
    names: tuple[str, ...],
    output: str,
    detailed_exitcode: bool,
    max_comment_chars: int,
    out: Path | None,
    targets: tuple[Target, ...],
) -> None:
    """Show what apply would change on the environment's instance (or instances: several -e
    are planned concurrently, their exit codes folded into one).

    \b
    Example: odooconf plan -e staging --format markdown --detailed-exitcode
    Example: odooconf plan -e dev -e staging -e production --detailed-exitcode
    """
    from odooconf import several

    if len(set(names)) < len(names):
        raise click.BadParameter(
            f"an environment is given twice ({', '.join(names)})", param_hint="-e"
        )
    if len(names) > 1 and out is not None and "{env}" not in str(out):
        raise click.BadParameter(
            f"{len(names)} environments cannot share one saved plan: give a FILE with {{env}} "
            "(plan-{env}.json), written once per environment",
            param_hint="--out",
        )

    def plan_one(name: str) -> Plan:
        path = Path(str(out).replace("{env}", name)) if out is not None else None
        args = (output, detailed_exitcode, max_comment_chars, path, targets)
        return _plan(project, name, *args)

    if len(names) == 1:
        plan_one(names[0])
        return
    runs = several.plan_all(names, lambda name: plan_one(name).has_changes, _report)
    code = several.fold(runs, detailed_exitcode)
    if output == "json":
        click.echo(several.json_document(runs, detailed_exitcode))
        sys.exit(code)
    for run in runs:
        if output == "text":
            click.echo(f"== environment {run.name}: {run.status} (exit {run.code}) ==")
        click.echo(run.out.rstrip("\n"))
        if run.err:
            click.echo(run.err.rstrip("\n"), err=True)
    click.echo(several.summary(runs) + f"; exit {code}", err=output != "text")
    sys.exit(code)


def _plan(
    project: Project,
    name: str,
    output: str,
    detailed_exitcode: bool,
    max_comment_chars: int,
    out: Path | None,
    targets: tuple[Target, ...],
) -> Plan:
    """``plan -e NAME``: print the plan, save it (``out``), exit as the command does; the
    plan, when the command would exit 0."""
    from odooconf.config import load_environment
    from odooconf.engine import saved
    from odooconf.engine.pipeline import load_blueprints, plan_environment
    from odooconf.lock import in_progress

    try:
        env = load_environment(project.environments, name)
        loaded = load_blueprints(project.blueprints, env, project.cache)  # offline, first
        gateway = _connect(env)
        recorder = saved.Recorder(gateway)
        outcome = plan_environment(project.blueprints, env, recorder, loaded, targets)
        if out is not None:
            if env.snapshot is not None:
                raise UserError(
                    f"environment {env.name} is a snapshot ({env.snapshot}): a saved plan is "
                    "made against the instance it will be applied to"
                )
            identity = saved.database_identity(gateway)
            document = saved.saved_plan(
                env, outcome.plan, outcome.digest, recorder.values, identity
            )
            saved.write_saved(out, document)
    except Exception as exc:
        # CI and pull requests read stdout: they get every failure in their format too (an
        # unforeseen one as well; main still logs its traceback and exits 3).
        diagnostics = _as_diagnostics(exc)
        if output == "json":
            click.echo(json.render_diagnostics(diagnostics, name))
        elif output == "github":
            click.echo(github.render_diagnostics(diagnostics, name))
        elif output == "markdown":
            click.echo(markdown.render_failure(name, diagnostics))
        raise
    if env.snapshot is None:
        busy = in_progress(gateway)  # plan takes no lock, but says when an apply holds one
        if busy:
            click.echo(f"note: {busy}", err=True)
    if output == "markdown":
        click.echo("\n\n".join(markdown.render_chunks(outcome.plan, max_comment_chars)))
    else:
        click.echo(FORMATS[output](outcome.plan))
    if out is not None:
        click.echo(
            f"Plan saved to {out} (plan SHA-256 {document['plan_sha256']}): after review, "
            f"`odooconf apply -e {env.name} {out}` applies exactly this plan.",
            err=True,
        )
    refusal = outcome.refusal()
    if refusal is not None:
        raise refusal  # the plan is shown, and it is not one apply makes
    failing = fail_after_plan(outcome.plan.checks)
    if detailed_exitcode and failing:  # CI gates on the prices the plan makes
        raise UserError(failing)
    if detailed_exitcode and outcome.plan.has_changes:
        sys.exit(EXIT_CHANGES)
    return outcome.plan


def _as_diagnostics(exc: Exception) -> list[Diagnostic]:
    """What stopped a command, as the located errors machine-readable output lists."""
    if isinstance(exc, BlueprintError):
        return exc.diagnostics
    if isinstance(exc, OdooconfError):
        return [Diagnostic("OC-E100", str(exc))]
    return [Diagnostic("OC-E999", f"odooconf hit an internal error: {exc!r}")]


_JSON_OR_TEXT = click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for CI.",
)


@cli.command()
@_environment_option("Environment to apply.")
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help="Seconds to wait for another apply's lock on the instance before failing.",
)
@_TARGET
@click.pass_obj
def apply(
    project: Project,
    name: str,
    plan_file: Path | None,
    yes: bool,
    lock_timeout: float,
    targets: tuple[Target, ...],
) -> None:
    """Make the environment's instance match the blueprints, or apply exactly the plan saved
    in PLAN_FILE (``plan --out``): refused, with nothing written, if it no longer holds.

    \b
    Example: odooconf apply -e staging --yes
    Example: odooconf apply -e production plan.json
    """
    from odooconf.config import load_environment
    from odooconf.engine import saved
    from odooconf.engine.pipeline import load_blueprints
    from odooconf.engine.target import saved_targets
    from odooconf.lock import current, refuse_if_held

    env = load_environment(project.environments, name)
    if env.snapshot is not None:
        raise UserError(
            f"environment {env.name} is a snapshot ({env.snapshot}, in {env.path}): it can be "
            "validated, planned and compared, never applied to"
        )
    document = saved.read_saved(plan_file) if plan_file is not None else None
    if document is None and env.spec.apply_requires_saved_plan:
        raise UserError(
            f"environment {env.name} applies only saved plans (apply_requires_saved_plan in "
            f"{env.path}): run `odooconf plan -e {env.name} --out FILE`, have it reviewed, "
            f"then `odooconf apply -e {env.name} FILE`"
        )
    if plan_file is not None and document is not None:
        saved.check_target(plan_file, document, env)
        targets = saved_targets(plan_file, document, targets)
    loaded = load_blueprints(project.blueprints, env, project.cache)  # offline, first
    if plan_file is not None and document is not None:
        saved.check_blueprints(plan_file, document, loaded.digest)
    gateway = _connect(env)
    if plan_file is not None and document is not None:
        saved.check_database(plan_file, document, gateway)
    if lock_timeout == 0:  # with a timeout, taking the lock below waits for its holder
        refuse_if_held(gateway, env.name)
    outcome = _checked_plan(project, env, gateway, loaded, plan_file, document, targets)
    click.echo(human.render_plan(outcome.plan))
    refusal = outcome.refusal()
    if refusal is not None:
        raise refusal  # before asking anyone to confirm
    if not outcome.plan.has_changes:  # nothing to write: no lock either
        if current(gateway) is not None:  # but one left by an apply that died: take it over
            with _locked(env, gateway, lock_timeout):
                pass
        if failed(outcome.plan.checks):  # and the prices are not as expected
            raise UserError(failure_message(outcome.plan.checks))
        return
    if not yes and document is None:  # a saved plan was reviewed already
        if not sys.stdin.isatty():
            raise UserError(
                f"standard input is not a terminal, so nobody can confirm: pass --yes to apply "
                f"the plan above to {env.name}"
            )
        click.confirm(f"Apply these changes to {env.name}?", abort=True)
    with _locked(env, gateway, lock_timeout):
        # Under the lock the instance is read again: what was confirmed (or saved) is applied
        # only if it still holds, since another apply or a hand edit may have come first.
        fresh = _checked_plan(project, env, gateway, None, plan_file, document, targets)
        if fresh.plan.changes != outcome.plan.changes:
            click.echo(human.render_plan(fresh.plan), err=True)
            raise UserError(
                f"the instance changed while the plan waited for confirmation or the lock (the "
                f"plan is now the one shown last); nothing was applied to {env.name}: run apply "
                "again"
            )
        _apply_outcome(project, env, gateway, fresh)


@contextmanager
def _locked(env: Environment, gateway: Gateway, timeout: float) -> Iterator[None]:
    """Hold the instance's apply lock (``odooconf.lock``), saying when it took over an expired
    one."""
    from odooconf.lock import holding

    with holding(
        gateway,
        lambda: _connect(env),
        environment=env.name,
        operation="apply",
        expiry=env.spec.lock_expiry,
        timeout=timeout,
    ) as lock:
        if lock.took_over is not None:
            click.echo(f"note: took over an expired lock: {lock.took_over.describe()}", err=True)
        yield


def _checked_plan(
    project: Project,
    env: Environment,
    gateway: Gateway,
    loaded: Blueprints | None,
    plan_file: Path | None,
    document: dict[str, Any] | None,
    targets: tuple[Target, ...],
) -> PlanOutcome:
    """Plan, and with a saved plan check that it still holds: the blueprints, and every
    fingerprint of the instance, before any write."""
    from odooconf.engine import saved
    from odooconf.engine.pipeline import plan_environment

    recorder = saved.Recorder(gateway)
    outcome = plan_environment(project.blueprints, env, recorder, loaded, targets)
    if plan_file is not None and document is not None:
        saved.check_blueprints(plan_file, document, outcome.digest)
        saved.check_fresh(plan_file, document, recorder.values, outcome.plan)
    return outcome


def _apply_outcome(
    project: Project, env: Environment, gateway: Gateway, outcome: PlanOutcome
) -> None:
    """Write, then audit locally and on the instance."""
    from odooconf.audit import git_commit
    from odooconf.engine import saved
    from odooconf.engine.pipeline import apply_outcome

    try:
        result, failure = apply_outcome(outcome, gateway), None
    except ApplyFailed as exc:
        result, failure = exc.result, exc
    click.echo(human.render_apply(result), err=failure is not None)
    digest = saved.plan_digest(outcome.plan)
    commit = git_commit(project.blueprints)
    posted = _post_trail(env, gateway, outcome.plan, result, commit, digest)
    audited = _audit(project, outcome.plan, result, env.odoo.login, commit, digest)
    if failure is not None:
        sys.exit(failure.exit_code)
    if audited is None or not posted:
        sys.exit(EXIT_ERROR)
    click.echo(f"Audit record appended to {audited}.")


def _post_trail(
    env: Environment, gateway: Gateway, plan: Plan, result: ApplyResult, commit: str, digest: str
) -> bool:
    """Post the apply's audit message on the instance (``trail``); say so when it cannot."""
    from odooconf import trail

    secrets = [env.password()]
    subject, body = trail.message(
        env.name, env.odoo.login, result, commit=commit, digest=digest, secrets=secrets
    )
    plan_json = json.render_plan(plan)
    try:
        where = trail.find_trail(gateway, env.odoo.company)
        trail.post(gateway, where, subject, body, plan_json, env.name, digest, secrets)
    except OdooconfError as exc:
        click.echo(f"error: the audit message could not be posted on the instance: {exc}", err=True)
        return False
    click.echo(f"Audit message posted on {where.label} ({where.model}).", err=True)
    return True


def _audit(
    project: Project, plan: Plan, result: ApplyResult, login: str, commit: str, digest: str
) -> Path | None:
    """Append the apply's audit record. When the file cannot be written, say so and print the
    record on stderr, so the trail is never silently lost."""
    from odooconf.audit import append_entry, audit_entry, entry_line

    entry = audit_entry(plan, result, login, commit, digest)
    directory = project.state / "audit"
    try:
        return append_entry(directory, plan.environment, entry)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        click.echo(
            f"error: the audit record could not be written to {directory} ({reason}); "
            "keep this record, it is the only one:",
            err=True,
        )
        click.echo(entry_line(entry), err=True)
        return None


@cli.command()
@_environment_option("Environment whose instance to unlock.")
@click.argument("lock_id")
@click.pass_obj
def unlock(project: Project, name: str, lock_id: str) -> None:
    """Release the apply lock LOCK_ID by hand (its holder died and you will not wait for it to
    expire).

    \b
    Example: odooconf unlock -e production 3f2a9c1e
    """
    from odooconf.config import load_environment
    from odooconf.lock import release_by_id

    env = load_environment(project.environments, name)
    info = release_by_id(_connect(env), lock_id)
    click.echo(f"Released the lock {info.describe()}.")


@cli.command()
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
def environments(project: Project, output: str) -> None:
    """List the environments (for a CI matrix): name, URL, Odoo version, whether apply needs a
    saved plan, prune policy.

    \b
    Example: odooconf environments --format json
    """
    from odooconf.config import environment_names, load_environment

    rows = []
    for name in environment_names(project.environments):
        env = load_environment(project.environments, name)
        spec = env.spec
        rows.append(
            {
                "name": name,
                "url": env.odoo.url,
                "database": env.odoo.database,
                "version": env.odoo.version,
                "apply_requires_saved_plan": spec.apply_requires_saved_plan,
                "prune": spec.prune,
            }
        )
    if output == "json":
        click.echo(json_module.dumps(rows, indent=2))
        return
    for row in rows:
        saved_only = ", saved plans only" if row["apply_requires_saved_plan"] else ""
        click.echo(
            f"{row['name']}: {row['url']} database {row['database']}, Odoo "
            f"{row['version'] or 'any version'}, prune {row['prune']}{saved_only}"
        )


@cli.command()
@_environment_option("Environment whose prices to check.")
@_JSON_OR_TEXT
@click.pass_obj
def check(project: Project, name: str, output: str) -> None:
    """Have Odoo compute the blueprints' price checks on the instance, without applying.

    \b
    Example: odooconf check -e staging --format json
    """
    from odooconf.config import load_environment
    from odooconf.engine.checks import run_checks
    from odooconf.engine.pipeline import check_version, load_blueprints

    try:
        env = load_environment(project.environments, name)
        checks = load_blueprints(project.blueprints, env, project.cache).checks
        if checks:
            gateway = _connect(env)
            check_version(env, gateway)
        results = run_checks(checks, gateway) if checks else []
    except Exception as exc:
        if output == "json":
            click.echo(json.check_document(name, [], _as_diagnostics(exc)))
        raise
    held = len(results) - len(failed(results))
    if output == "json":
        click.echo(json.check_document(env.name, results))
    elif not checks:
        click.echo(f"The blueprints of {env.name} declare no price checks.")
    else:
        click.echo("\n".join(human.check_lines(results, f"Price checks on {env.name}:")[1:]))
        click.echo(f"{held} of {len(results)} price check(s) hold.")
    if held < len(results):
        sys.exit(EXIT_ERROR)


@cli.command()
@_environment_option("Environment to check.")
@_JSON_OR_TEXT
@click.pass_obj
def doctor(project: Project, name: str, output: str) -> None:
    """Say whether an environment is ready for apply: server, modules, rights, blueprints.

    \b
    Example: odooconf doctor -e production
    """
    from odooconf.config import load_environment
    from odooconf.doctor import diagnose

    try:
        env = load_environment(project.environments, name)
        report = diagnose(project.blueprints, env, _connect(env))
    except Exception as exc:
        if output == "json":
            click.echo(json.doctor_document(name, None, _as_diagnostics(exc)))
        raise
    if output == "json":
        click.echo(json.doctor_document(env.name, report))
    else:
        click.echo(human.render_doctor(report))
    if not report.ready:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.option(
    "-e",
    "--env",
    "name",
    required=True,
    help="Environment whose instance to draw.",
    shell_complete=complete_environment,
)
@click.option("--warehouse", default="", help="Only this warehouse's flows (by code).")
@click.pass_obj
def graph(project: Project, name: str, warehouse: str) -> None:
    """Draw the instance's route flows as Mermaid diagrams, in markdown (reads, writes nothing).

    \b
    Example: odooconf graph -e staging --warehouse DC1 > flows.md
    """
    from odooconf.config import load_environment
    from odooconf.engine.graph import live_flows
    from odooconf.engine.pipeline import check_version

    env = load_environment(project.environments, name)
    gateway = _connect(env)
    check_version(env, gateway)
    flows = live_flows(gateway, env.spec.xmlid_namespace, warehouse)
    click.echo(markdown.render_flows(env.name, flows, warehouse))


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
def init(directory: Path) -> None:
    """Start a new project in DIRECTORY (default: here): blueprints, environments/dev.yaml,
    editor schemas, a .gitignore for the state directory.

    \b
    Example: odooconf init my-odoo && cd my-odoo && odooconf validate
    """
    from odooconf.scaffold import scaffold

    for path in scaffold(directory):
        click.echo(f"wrote {path}")
    click.echo(
        "Next: start the emulator (ODOO_PASSWORD=admin python -m odooconf.testing serve) or "
        "aim environments/dev.yaml at your Odoo, then odooconf plan -e dev."
    )


def _auditors() -> None:
    """Register the auditors' commands (snapshot, drift, export), which live in
    ``odooconf.drift``."""
    from odooconf.drift.commands import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: the one place errors become messages and exit codes."""
    try:
        cli.main(args=argv, prog_name="odooconf", standalone_mode=False)
    except click.exceptions.Abort as exc:
        # click turns Ctrl-C into Abort; a declined confirmation is an Abort too.
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo("Aborted: nothing was applied.", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        sys.exit(_report(exc))


def _report(exc: BaseException) -> int:
    """Print what stopped a command (located errors, one paragraph, or where the traceback of
    an internal error was logged); its exit code."""
    import tempfile
    import traceback

    if isinstance(exc, BlueprintError):
        click.echo(human.render_diagnostics(exc.diagnostics), err=True)
        return exc.exit_code
    if isinstance(exc, OdooconfError):
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    with tempfile.NamedTemporaryFile(
        "w", prefix="odooconf-crash-", suffix=".log", delete=False
    ) as log:
        log.write(f"odooconf {__version__}, Python {sys.version}\n")
        log.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    click.echo(
        f"odooconf hit an unexpected internal error: {exc!r}. "
        f"The traceback was written to {log.name}; please include it in a bug report.",
        err=True,
    )
    return EXIT_INTERNAL
