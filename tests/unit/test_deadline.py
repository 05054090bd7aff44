"""A deadline on a whole call: interrupts a slow block, restores the alarm it found."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Iterator
from types import FrameType

import pytest

from odooconf.deadline import Expired, deadline


@pytest.fixture(autouse=True)
def _no_alarm_left() -> Iterator[None]:
    """Each test starts without an alarm (pytest-timeout's, when it uses one, is saved)."""
    handler = signal.getsignal(signal.SIGALRM)
    delay, interval = signal.setitimer(signal.ITIMER_REAL, 0)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, handler)
    if delay:
        signal.setitimer(signal.ITIMER_REAL, delay, interval)


def test_a_receive_that_outlasts_the_deadline_is_interrupted() -> None:
    left, right = socket.socketpair()
    with left, right:
        left.settimeout(5)  # each receive's own bound: not reached
        start = time.monotonic()
        with pytest.raises(Expired), deadline(0.2):
            left.recv(1)
        assert time.monotonic() - start < 1


def test_a_block_that_ends_in_time_leaves_no_alarm() -> None:
    handler = signal.getsignal(signal.SIGALRM)
    with deadline(5):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == handler


def _raise(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt("the outer alarm")


def test_an_earlier_outer_alarm_fires_as_it_would_have() -> None:
    signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    with pytest.raises(KeyboardInterrupt, match="outer"), deadline(5):
        time.sleep(2)


def test_a_later_outer_alarm_is_set_again_less_the_time_spent() -> None:
    signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, 10)
    with deadline(2):
        time.sleep(0.3)
    delay, _interval = signal.getitimer(signal.ITIMER_REAL)
    assert 9 < delay < 9.8
    assert signal.getsignal(signal.SIGALRM) is _raise


def test_outside_the_main_thread_the_block_runs_unbounded() -> None:
    outcome: list[str] = []

    def work() -> None:
        with deadline(0.05):
            time.sleep(0.2)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
