"""``odooconf plan -e dev -e staging -e production``: several environments planned at once.

Each environment is planned in a thread of its own, with its own connection, exactly as
``plan -e ENV`` would (the same output, the same exit code); what each thread prints is kept
apart (:class:`PerThread`) and printed after all are done, environment by environment, in the
order given. The exit codes fold into one: any error → 1, else any changes → 2 (with
``--detailed-exitcode``), else 0.
"""

from __future__ import annotations

import io
import json
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from odooconf.errors import EXIT_CHANGES, EXIT_ERROR


class PerThread(io.TextIOBase):
    """A stream that writes to the calling thread's buffer when it has one, else to ``real``."""

    def __init__(self, real: TextIO) -> None:
        super().__init__()
        self.real = real
        self._local = threading.local()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def capture(self) -> io.StringIO:
        buffer = io.StringIO()
        self._local.buffer = buffer
        return buffer

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False  # no colour, no progress bar in a captured environment's output

    def write(self, text: str) -> int:
        buffer = getattr(self._local, "buffer", None)
        return (buffer or self.real).write(text)

    def flush(self) -> None:
        if getattr(self._local, "buffer", None) is None:
            self.real.flush()


@contextmanager
def per_thread() -> Iterator[tuple[PerThread, PerThread]]:
    """``sys.stdout`` and ``sys.stderr`` kept apart per thread, for the duration."""
    out, err = PerThread(sys.stdout), PerThread(sys.stderr)
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = out.real, err.real


@dataclass
class Run:
    """One environment's plan: what it printed and how it ended."""

    name: str
    code: int = 0
    changes: bool = False
    out: str = ""
    err: str = ""

    @property
    def status(self) -> str:
        if self.code not in (0, EXIT_CHANGES):
            return "error"
        return "changes" if self.changes or self.code == EXIT_CHANGES else "no changes"


def fold(runs: list[Run], detailed: bool) -> int:
    """One exit code for all: any error → 1, else any changes → 2 (``--detailed-exitcode``)."""
    if any(run.status == "error" for run in runs):
        return EXIT_ERROR
    return EXIT_CHANGES if detailed and any(run.status == "changes" for run in runs) else 0


def plan_all(
    names: tuple[str, ...],
    plan_one: Callable[[str], bool],
    report: Callable[[BaseException], int],
) -> list[Run]:
    """Run ``plan_one(name)`` (which prints, returns whether the plan has changes and may
    exit) for every environment concurrently; ``report`` prints an exception as the command
    line does and gives its exit code."""
    with per_thread() as (out, err):

        def run(name: str) -> Run:
            result = Run(name)
            stdout, stderr = out.capture(), err.capture()
            try:
                result.changes = plan_one(name)
            except SystemExit as exc:
                result.code = exc.code if isinstance(exc.code, int) else EXIT_ERROR
            except Exception as exc:
                result.code = report(exc)
            result.out, result.err = stdout.getvalue(), stderr.getvalue()
            return result

        with ThreadPoolExecutor(max_workers=len(names)) as pool:
            return list(pool.map(run, names))


def json_document(runs: list[Run], detailed: bool) -> str:
    """``--format json``: each environment's plan document (or errors), its status and exit
    code, and the folded exit code."""
    environments: list[dict[str, Any]] = []
    for run in runs:
        try:
            document: Any = json.loads(run.out)
        except ValueError:  # nothing printed (an error before the plan): its message
            document = None
        environments.append(
            {
                "environment": run.name,
                "status": run.status,
                "exit_code": run.code,
                "plan": document,
                "stderr": run.err,
            }
        )
    return json.dumps(
        {"exit_code": fold(runs, detailed), "environments": environments},
        indent=2,
        ensure_ascii=False,
    )


def summary(runs: list[Run]) -> str:
    """``3 environments: dev changes, staging no changes, production error (exit 1)``."""
    parts = [f"{run.name} {run.status}" for run in runs]
    return f"{len(runs)} environments planned: " + ", ".join(parts)
