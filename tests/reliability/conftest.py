"""Running ``odooconf`` on hostile input with bounds: each command runs in a forked child of the
test process (no interpreter start-up, so hundreds of cases stay cheap), with its own output
files, temporary directory and a time limit; the parent measures how much memory it grew by.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from odooconf.cli import main
from odooconf.testing import Emulator, RpcCall, serve_emulator

PASSWORD = "reliability-Secret-5b7e"
PASSWORD_ENV = "ODOOCONF_RELIABILITY_PASSWORD"
DATABASE = "reliability"
#: What one command may take, and grow by, on any input.
TIME_LIMIT = 20.0
MEMORY_LIMIT_MB = 200
#: Beyond this the child's allocations fail (a safety net for the machine, not the bound).
_ADDRESS_SPACE_SLACK = 2 * 1024**3
#: The exit code of a child whose ``main`` raised instead of exiting.
ESCAPED = 99

#: What a plan may call: reads only.
READ_METHODS = frozenset(
    {"search_read", "read", "search", "search_count", "fields_get", "default_get", "context_get"}
)
#: A valid blueprint for the cases that are about the environment.
GOOD_BLUEPRINT = "warehouses:\n  - {code: RC1, name: Reliability}\n"


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    #: Growth of the resident set over the parent's at the fork, in MB.
    grown_mb: float
    timed_out: bool
    #: Files the command left in its temporary directory (crash logs).
    temp_files: dict[str, str]

    @property
    def text(self) -> str:
        return self.out + self.err


def _resident_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _virtual_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def run_cli(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    time_limit: float = TIME_LIMIT,
    before: Callable[[], None] | None = None,
) -> Outcome:
    """``odooconf ARGS`` in a forked child; ``before`` runs in the child first (patches)."""
    scratch = Path(tempfile.mkdtemp(prefix="odooconf-rel-", dir=cwd))
    out_path, err_path = scratch / "stdout", scratch / "stderr"
    temp = scratch / "tmp"
    temp.mkdir()
    baseline = _resident_kb()
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = ESCAPED
        try:
            _child(args, cwd, env or {}, out_path, err_path, temp, before)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    status, usage, timed_out = 0, None, False
    while True:
        waited, status, usage = os.wait4(pid, os.WNOHANG)
        if waited:
            break
        if time.monotonic() - start > time_limit:
            os.kill(pid, signal.SIGKILL)
            _waited, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(0.005)
    seconds = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    temp_files = {
        path.name: path.read_text(errors="replace") for path in temp.iterdir() if path.is_file()
    }
    return Outcome(
        code,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
        seconds,
        max(0.0, (usage.ru_maxrss - baseline) / 1024) if usage else 0.0,
        timed_out,
        temp_files,
    )


def _child(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    out_path: Path,
    err_path: Path,
    temp: Path,
    before: Callable[[], None] | None,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    limit = _virtual_bytes() + _ADDRESS_SPACE_SLACK
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = out_path.open("w", encoding="utf-8")
    err = err_path.open("w", encoding="utf-8")
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    sys.stdout, sys.stderr = out, err
    os.chdir(cwd)
    os.environ.update(env)
    os.environ["TMPDIR"] = str(temp)
    tempfile.tempdir = str(temp)
    if before is not None:
        before()
    main(args)
    sys.exit(0)


# --- a project and the emulator it talks to ------------------------------------------------------


@dataclass
class Served:
    emulator: Emulator
    url: str

    def object_calls(self) -> list[RpcCall]:
        return [call for call in self.emulator.calls if call.service == "object"]

    def writes(self) -> list[tuple[str | None, str | None]]:
        """Object-service calls that are not reads (a plan makes none)."""
        return [
            (call.model, call.model_method)
            for call in self.object_calls()
            if call.model_method not in READ_METHODS
        ]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """One emulator for a module's cases (they never write: each case checks it)."""
    emulator = Emulator(database=DATABASE, login="admin", password=PASSWORD)
    with serve_emulator(emulator, host="127.0.0.1", port=0) as server:
        yield Served(emulator, server.url)


def environment_text(url: str, extra: str = "") -> str:
    return (
        "odoo:\n"
        f"  url: {url}\n"
        f"  database: {DATABASE}\n"
        "  login: admin\n"
        f"  password_env: {PASSWORD_ENV}\n"
        "variables:\n"
        "  company: My Company\n"
        "  codes: [A1, B1]\n" + extra
    )


def project_args(root: Path) -> list[str]:
    return [
        "--blueprints", str(root / "blueprints"),
        "--environments", str(root / "environments"),
        "--state-dir", str(root / "state"),
    ]  # fmt: skip
