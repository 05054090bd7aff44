"""A deadline on a block: a whole call to the server, the rendering of a blueprint.

Both HTTP clients (urllib under odoorpc, httpx) bound each connect, send and receive by the
timeout, so a server that answers a byte at a time, each byte within the timeout, keeps a call
alive for ever. ``odoo.timeout`` promises a bound on the call: :func:`deadline` interrupts
whatever the call is doing when it is up (``SIGALRM``, which interrupts a blocking receive) by
raising :class:`Expired`, a ``TimeoutError``, which the transports report as any timeout:
the call got no answer, and may or may not have been committed.

Signals reach the main thread only: elsewhere (a library caller's worker thread) the clients'
per-operation timeouts are the only bound. An alarm already set (pytest-timeout's) that is due
earlier is left to fire; a later one is set again, less the time spent, when the call ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Expired(TimeoutError):
    """The block did not finish in time (for a call: within ``odoo.timeout``)."""


def _usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`Expired` in the block when it runs longer than ``seconds``."""
    if seconds <= 0 or not _usable():
        yield
        return
    start = time.monotonic()
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, 0)
    if outer_delay and outer_delay <= seconds:
        signal.setitimer(signal.ITIMER_REAL, outer_delay, outer_interval)
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise Expired(f"not done within {seconds:g} s")

    outer_handler = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # Nested, so that an alarm firing on the first line still restores the outer state.
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, outer_handler)
            if outer_delay:
                left = max(outer_delay - (time.monotonic() - start), 0.001)
                signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
