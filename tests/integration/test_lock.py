"""One apply at a time: the lock on the instance (issue 18). Applies run as processes, as on
several machines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from typing import Any

from odooconf.lock import acquire
from odooconf.odoo.connect import connect
from tests.integration.conftest import PASSWORD, PASSWORD_ENV, Project

LOCK = [("key", "=", "odooconf.apply_lock")]
NAMES = [f"L{n:02d}" for n in range(1, 31)]


def _thirty_locations(project: Project, **extra: str) -> None:
    project.environment(**extra)
    items = "".join(f"  - {{path: WH/Stock/{name}}}\n" for name in NAMES)
    project.write("stock.yaml", "locations:\n" + items)


def _command(project: Project, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "odooconf",
        "--blueprints", str(project.blueprints),
        "--environments", str(project.root / "environments"),
        "--state-dir", str(project.root / "state"),
        *args,
    ]  # fmt: skip


def _spawn(project: Project, *args: str, **options: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _command(project, *args),
        env={**os.environ, PASSWORD_ENV: PASSWORD},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,
    )


def _created(project: Project) -> list[str]:
    rows = project.odoo.read("stock.location", [("name", "in", NAMES)], ["name"])
    return sorted(row["name"] for row in rows)


def _killed_mid_apply(project: Project) -> str:
    """Start an apply on a slow server, kill it (SIGKILL) once it holds the lock; the lock row's
    value."""
    project.odoo.slow_down(0.3)
    holder = _spawn(project, "apply", "-e", "test", "--yes")
    deadline = time.monotonic() + 60
    while not (rows := project.odoo.read("ir.config_parameter", LOCK, ["value"])):
        assert holder.poll() is None, holder.communicate()
        assert time.monotonic() < deadline, "the apply never took the lock"
        time.sleep(0.05)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    project.odoo.slow_down(0)
    return str(rows[0]["value"])


def test_three_concurrent_applies_one_proceeds_the_others_name_the_holder(
    project: Project,
) -> None:
    _thirty_locations(project)
    project.odoo.slow_down(0.05)

    started = time.monotonic()
    runs = [_spawn(project, "apply", "-e", "test", "--yes") for _ in range(3)]
    ended: dict[int, float] = {}  # wall clock, as the lock's times
    while len(ended) < len(runs) and time.monotonic() - started < 120:
        ended |= {
            i: time.time() for i, r in enumerate(runs) if r.poll() is not None and i not in ended
        }
        time.sleep(0.02)
    outcomes = [(run.returncode, *run.communicate(), ended[i]) for i, run in enumerate(runs)]

    assert sorted(code for code, *_ in outcomes) == [0, 1, 1], outcomes
    [winner] = [o for o in outcomes if o[0] == 0]
    for _code, _out, err, ended_at in (o for o in outcomes if o[0] == 1):
        assert "another apply holds the lock" in err
        assert "apply " in err and f"@{os.uname().nodename}" in err and "expires at" in err
        assert "Traceback" not in err
        taken_at = datetime.fromisoformat(err.split("taken at ")[1].split(",")[0]).timestamp()
        assert ended_at - taken_at < 2.0, err  # named the holder at once
        assert ended_at < winner[3]
    assert _created(project) == NAMES  # each once
    assert project.odoo.read("ir.config_parameter", LOCK, ["value"]) == []


def test_a_killed_holder_s_lock_expires_and_the_next_apply_takes_it_over(
    project: Project,
) -> None:
    _thirty_locations(project, lock_expiry="3")
    value = _killed_mid_apply(project)

    refused = project.run("apply", "-e", "test", "--yes")  # at once: the lock has not expired
    assert refused.code == 1
    assert "another apply holds the lock" in refused.err

    result = project.run("apply", "-e", "test", "--yes", "--lock-timeout", "30")

    assert result.code == 0, result.out + result.err
    assert "took over an expired lock" in result.err
    lock_id = refused.err.split("holds the lock on ")[1].split(": apply ")[1].split(" ")[0]
    assert lock_id in value
    assert _created(project) == NAMES
    assert project.odoo.read("ir.config_parameter", LOCK, ["value"]) == []


def test_plan_says_an_apply_is_in_progress_and_unlock_releases_its_lock(
    project: Project,
) -> None:
    _thirty_locations(project)
    odoo = project.odoo
    held = acquire(
        connect(odoo.url, odoo.database, "admin", PASSWORD, transport="jsonrpc"),
        environment="test",
        operation="apply",
        expiry=300,
    )

    plan = project.run("plan", "-e", "test")
    assert plan.code == 0
    assert f"An apply is in progress on this instance: apply {held.info.id} by " in plan.err
    refused = project.run("apply", "-e", "test", "--yes")
    assert refused.code == 1 and held.info.id in refused.err
    wrong = project.run("unlock", "-e", "test", "0000")
    assert wrong.code == 1 and f"is {held.info.id}, not 0000" in wrong.err
    released = project.run("unlock", "-e", "test", held.info.id)
    assert released.code == 0, released.err

    assert project.odoo.read("ir.config_parameter", LOCK, ["value"]) == []
    project.apply_ok()
    assert _created(project) == NAMES


def test_a_lock_is_named_at_once_even_when_nothing_is_to_change(project: Project) -> None:
    """The holder may be half-way: a second apply refuses before planning, not "No changes";
    once the lock expired, an apply with nothing to change takes it over and leaves none."""
    _thirty_locations(project)
    project.apply_ok()
    odoo = project.odoo
    held = acquire(
        connect(odoo.url, odoo.database, "admin", PASSWORD, transport="jsonrpc"),
        environment="test",
        operation="apply",
        expiry=2,
    )

    refused = project.run("apply", "-e", "test", "--yes")
    assert refused.code == 1
    assert f"another apply holds the lock on {odoo.url}" in refused.err
    assert held.info.id in refused.err
    assert "No changes" not in refused.out

    time.sleep(2.5)  # the holder died: its lock expires
    result = project.run("apply", "-e", "test", "--yes")
    assert result.code == 0, result.out + result.err
    assert f"took over an expired lock: apply {held.info.id}" in result.err
    assert project.odoo.read("ir.config_parameter", LOCK, ["value"]) == []
