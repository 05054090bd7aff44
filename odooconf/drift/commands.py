"""``odooconf snapshot`` and ``odooconf drift``: read-only commands for auditors."""

from __future__ import annotations

import fnmatch
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from odooconf.cli_support import Command, complete_environment
from odooconf.config import Environment, load_environment
from odooconf.drift.compare import (
    CHANGED,
    ONLY_LEFT,
    ONLY_RIGHT,
    Drift,
    Finding,
    KindSummary,
    Patterns,
    Roles,
    compare,
    screen,
)
from odooconf.drift.export import export_configuration, odoo_defaults
from odooconf.drift.normal import Configuration, read_configuration
from odooconf.drift.report import RENDERERS
from odooconf.drift.snapshot import take_snapshot, write_snapshot
from odooconf.errors import EXIT_CHANGES, UserError
from odooconf.kinds import KINDS
from odooconf.model.plan import Action
from odooconf.odoo.gateway import Gateway

if TYPE_CHECKING:
    from odooconf.cli import Project


def _gateway(env: Environment) -> Gateway:
    from odooconf.cli import _connect  # noqa: PLC0415 (cli registers these commands)
    from odooconf.engine.pipeline import check_version  # noqa: PLC0415

    gateway = _connect(env)
    check_version(env, gateway)
    return gateway


@click.command(cls=Command)
@click.option(
    "-e", "--env", "name", required=True, help="Environment whose instance to record.",
    shell_complete=complete_environment,
)  # fmt: skip
@click.option(
    "-o", "--output", "path", type=click.Path(path_type=Path, dir_okay=False), required=True,
    help="The snapshot file to write (JSON).",
)  # fmt: skip
@click.pass_obj
def snapshot(project: Project, name: str, path: Path) -> None:
    """Record the configuration of an instance in one JSON file (reads, writes nothing).

    \b
    Example: odooconf snapshot -e production -o evidence/production-2026-06-01.json
    """
    env = load_environment(project.environments, name)
    document = take_snapshot(_gateway(env), env.spec.xmlid_namespace, env.name)
    write_snapshot(document, path)
    count = sum(len(records) for records in document["configuration"].values())
    click.echo(f"Snapshot of {env.name} written to {path}: {count} records.")


def _kind_names(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Kinds by name or section (``--kind warehouses`` or ``--kind warehouse``)."""
    by_section = {kind.section: kind.name for kind in KINDS.values() if kind.section}
    out = []
    for kind in kinds:
        name = by_section.get(kind, kind)
        if name not in KINDS or not KINDS[name].model:
            known = ", ".join(sorted(by_section))
            raise click.BadParameter(f"no kind {kind!r} (kinds: {known})", param_hint="--kind")
        out.append(name)
    return tuple(out)


@click.command(cls=Command)
@click.option(
    "-e", "--env", "names", multiple=True, required=True,
    help="Environment(s): two to compare them, one to compare it with its blueprints.",
    shell_complete=complete_environment,
)  # fmt: skip
@click.option("--kind", "kinds", multiple=True, help="Only these kinds (repeatable).")
@click.option(
    "--format", "output", type=click.Choice(sorted(RENDERERS)), default="text",
    show_default=True, help="text, markdown, json for CI, html for one self-contained file.",
)  # fmt: skip
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are differences.")
@click.option(
    "--ignore-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="Lines kind:key[.field] (globs, ! to negate); default: <state-dir>/drift.ignore.",
)  # fmt: skip
@click.option(
    "--write-ignore", is_flag=True,
    help="Append today's differences to the ignore file: accept them as the baseline.",
)  # fmt: skip
@click.option(
    "--strict", is_flag=True,
    help="With one environment: also list records Odoo generated or a module owns.",
)  # fmt: skip
@click.pass_obj
def drift(
    project: Project,
    names: tuple[str, ...],
    kinds: tuple[str, ...],
    output: str,
    detailed_exitcode: bool,
    ignore_file: Path | None,
    write_ignore: bool,
    strict: bool,
) -> None:
    """Compare the configuration of two environments (live or snapshot), or of one with its
    blueprints (reads only).

    \b
    Exit codes: 0 same, 1 error, 2 differences (with --detailed-exitcode).
    Example: odooconf drift -e staging -e production --format html > drift.html
    """
    if len(names) > 2:
        raise click.BadParameter(f"give one or two environments, not {len(names)}", param_hint="-e")
    wanted = _kind_names(kinds)
    envs = [load_environment(project.environments, name) for name in names]
    ignore_path = ignore_file or project.state / "drift.ignore"
    ignore = Patterns(_lines(ignore_path))
    expected = Patterns(line for env in envs for line in env.spec.expected_differences)
    if len(envs) == 2:
        left, right = (read_configuration(_gateway(env), env.spec.xmlid_namespace, wanted)[0]
                       for env in envs)  # fmt: skip
        result = compare(left, right, (envs[0].name, envs[1].name), wanted, ignore, expected)
    else:
        result = _against_blueprints(project, envs[0], wanted, ignore, expected, strict)
    if write_ignore:
        written = _write_ignore(ignore_path, result)
        click.echo(f"{written} line(s) appended to {ignore_path}: today's drift is the baseline.")
        return
    click.echo(RENDERERS[output](result))
    if detailed_exitcode and result.findings:
        sys.exit(EXIT_CHANGES)


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read ignore file {path}: {exc}") from None


def _escape(text: str) -> str:
    """A key as a glob that matches only itself."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _write_ignore(path: Path, result: Drift) -> int:
    lines = []
    for finding in result.findings:
        key = _escape(finding.key)
        if finding.change == CHANGED:
            lines += [f"{finding.kind}:{key}.{_escape(name)}" for name in finding.fields]
        else:
            lines.append(f"{finding.kind}:{key}")
    assert all(fnmatch.fnmatchcase(f.key, _escape(f.key)) for f in result.findings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.writelines(f"{line}\n" for line in lines)
    except OSError as exc:
        raise UserError(f"cannot write ignore file {path}: {exc.strerror or exc}") from None
    return len(lines)


def _against_blueprints(
    project: Project,
    env: Environment,
    kinds: tuple[str, ...],
    ignore: Patterns,
    expected: Patterns,
    strict: bool,
) -> Drift:
    """The instance against its blueprints: what a plan would change, the records of each
    managed kind no blueprint declares, and the privileges no blueprint gives."""
    from odooconf.engine.pipeline import load_blueprints, plan_environment  # noqa: PLC0415

    loaded = load_blueprints(project.blueprints, env)
    declared: dict[str, dict[str, Any]] = {}
    for resource in loaded.resources:
        declared.setdefault(resource.kind, {})[resource.key] = resource
    gateway = _gateway(env)
    outcome = plan_environment(project.blueprints, env, gateway, loaded)
    result = Drift("blueprints", env.name)
    for change in outcome.plan.changes:
        if change.action in (Action.NOOP, Action.RELEASE) or (kinds and change.kind not in kinds):
            continue
        if change.action in (Action.CREATE,):
            finding = Finding(change.kind, change.key, ONLY_LEFT, left=change.after)
        else:
            fields = tuple(c.field for c in change.fields)
            left = {c.field: c.new for c in change.fields}
            right = {c.field: c.old for c in change.fields}
            finding = Finding(change.kind, change.key, CHANGED, fields, left, right)
        result.findings.append(finding)
    managed = [k for k in KINDS if k in declared and KINDS[k].model and (not kinds or k in kinds)]
    config, _live = read_configuration(
        gateway, env.spec.xmlid_namespace, {*managed, "role", "role_assignment"}
    )
    namespace_ids = {r.xmlid.split(".", 1)[1] for rs in declared.values() for r in rs.values()}
    for kind in managed:
        records = config.kinds.get(kind, {})
        summary = result.summary.setdefault(kind, KindSummary(len(declared[kind]), len(records)))
        unmanaged = left_out = 0
        for identity, record in records.items():
            if identity in declared[kind] or record.xmlid in namespace_ids:
                summary.same += 1
                continue
            if (record.generated or record.owner) and not strict:
                left_out += 1
                continue
            unmanaged += 1
            result.findings.append(Finding(kind, identity, ONLY_RIGHT, right=record.values))
        result.coverage.append(
            f"{kind}: {len(declared[kind])} declared, {len(records)} on the instance, "
            f"{unmanaged} unmanaged"
            + (
                f", {left_out} left out (Odoo's own or a module's; --strict shows them)"
                if left_out
                else ""
            )
        )
    result.findings = _single_privileges(result, config, declared, strict)
    screen(result, ignore, expected)
    return result


def _single_privileges(
    result: Drift, config: Configuration, declared: dict[str, dict[str, Any]], strict: bool
) -> list[Finding]:
    """Mark privileges, add the admin rights no declared role gives, privileges first."""
    roles = Roles(config)
    managed_roles = set(declared.get("role", {})) | roles.managed
    out: list[Finding] = []
    for finding in result.findings:
        reason = ""
        values = finding.right or finding.left or {}
        if finding.kind == "record_rule" and "domain" in finding.fields:
            reason = "record rule domain changed"
        elif finding.kind in ("access_right", "record_rule") and finding.change == ONLY_RIGHT:
            named = [values.get("role"), *(values.get("roles") or [])]
            hit = sorted(r for r in named if r in managed_roles)
            reason = f"on managed role {hit[0]} that no blueprint declares" if hit else ""
        elif (
            finding.kind == "role"
            and finding.change == ONLY_RIGHT
            and roles.settings in roles.closure(values.get("implied") or [])
        ):
            reason = "a group no blueprint declares that implies Settings"
        out.append(Finding(**{**vars(finding), "privilege": reason}))
    assignments = declared.get("role_assignment", {})
    for login, record in config.kinds.get("role_assignment", {}).items():
        if record.owner and not strict:
            continue
        held = roles.administers(record.values.get("roles") or [])
        given = assignments.get(login)
        declared_roles = [str(r) for r in given.values.get("roles", [])] if given else []
        by_xmlid = {x: roles.owner[x] for x in roles.owner}
        keys = [by_xmlid.get(r.removeprefix("xmlid "), r) for r in declared_roles]
        extra = sorted(held - roles.administers(keys))
        if extra and record.values.get("active", True) is not False:
            out.append(
                Finding(
                    "role_assignment", login, CHANGED, ("roles",),
                    {"roles": sorted(keys)}, {"roles": record.values.get("roles")},
                    privilege=f"holds {' and '.join(extra)}, which no declared role gives",
                )
            )  # fmt: skip
    return sorted(out, key=lambda f: (not f.privilege, f.kind, f.key))


@click.command(name="export")
@click.option(
    "-e", "--env", "name", required=True, help="Environment whose instance to export.",
    shell_complete=complete_environment,
)  # fmt: skip
@click.option("--kind", "kinds", multiple=True, help="Only these kinds (repeatable).")
@click.option(
    "-o", "--output", "directory", required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory to write the blueprints to, one file per kind (<section>.yaml).",
)  # fmt: skip
@click.pass_obj
def export(project: Project, name: str, kinds: tuple[str, ...], directory: Path) -> None:
    """Write blueprints for an instance configured by hand (reads, writes nothing to it).

    \b
    The blueprints hold literal values (no variables): plan them with the same environment,
    odooconf --blueprints DIR plan -e ENV, which finds nothing to change.
    Example: odooconf export -e production -o adopted/
    """
    env = load_environment(project.environments, name)
    gateway = _gateway(env)
    config, live = read_configuration(gateway, env.spec.xmlid_namespace, _kind_names(kinds))
    defaults = odoo_defaults(gateway, live, config.kinds)
    result = export_configuration(config, f"{env.name} (Odoo {gateway.server.version})", defaults)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for file, text in result.files.items():
            (directory / file).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write to {directory}: {exc.strerror or exc}") from None
    click.echo(
        f"Exported {result.records} record(s) of {env.name} to {directory}, one file per kind "
        f"({len(result.files)}): {result.implied} left implied (Odoo generated them or a module "
        f"owns them), {result.unresolved} unresolved (# unresolved comments in the files)."
    )
    click.echo(f"Check them: odooconf --blueprints {directory} plan -e {env.name}")


COMMANDS = (snapshot, drift, export)
