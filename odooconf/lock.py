"""One apply at a time: a lock held on the instance itself, so every machine sees it.

The lock is one ``ir.config_parameter`` row (key ``odooconf.apply_lock``): Odoo's unique
constraint on the key makes its ``create`` atomic, so of two applies that create it at once one
fails and waits. The row's value says who holds it (JSON: id, operation, user@host, odooconf
version, taken at, expires at, heartbeat, the CI job URL). The holder renews it (a heartbeat, from
a thread with a connection of its own) while it runs; a holder that died (kill -9) stops renewing
it, and once expired the next apply takes it over with no manual step. ``ir.config_parameter``
is readable and writable only by Administration / Settings (``base.group_system``).

Expiry is judged by the clocks of the machines that run odooconf (UTC): keep them in time.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from odooconf import __version__
from odooconf.audit import ci_job_url, operator
from odooconf.errors import OdooconfError, UserError
from odooconf.odoo.gateway import Gateway

LOCK_KEY = "odooconf.apply_lock"
_MODEL = "ir.config_parameter"
_RIGHTS = (
    "the lock is an ir.config_parameter row, which only Administration / Settings "
    "(base.group_system) may read and write"
)


@dataclass(frozen=True)
class LockInfo:
    """What the lock row says about its holder."""

    id: str
    operation: str
    holder: str
    environment: str
    odooconf_version: str
    taken_at: str
    expires_at: str
    heartbeat: str
    ci_job_url: str = ""

    def expired(self, now: datetime) -> bool:
        try:
            return datetime.fromisoformat(self.expires_at) <= now
        except ValueError:  # not a lock odooconf wrote: only `unlock` removes it
            return False

    def describe(self) -> str:
        job = f", CI job {self.ci_job_url}" if self.ci_job_url else ""
        return (
            f"{self.operation} {self.id} by {self.holder} (environment {self.environment}, "
            f"odooconf {self.odooconf_version}{job}), taken at {self.taken_at}, last heartbeat "
            f"{self.heartbeat}, expires at {self.expires_at}"
        )


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _parse(row: dict[str, Any]) -> LockInfo:
    try:
        data = json.loads(row["value"])
        return LockInfo(**{name: str(data.get(name, "")) for name in LockInfo.__dataclass_fields__})
    except (TypeError, ValueError, AttributeError):
        unknown = "(not written by odooconf)"
        return LockInfo(f"row-{row['id']}", "lock", unknown, unknown, "?", "?", "?", "?")


def current(gateway: Gateway) -> tuple[int, LockInfo] | None:
    """The lock row on the instance (its id and what it says), or None."""
    try:
        rows = gateway.search_read(_MODEL, [("key", "=", LOCK_KEY)], ["value"])
    except OdooconfError as exc:
        raise UserError(f"cannot read the apply lock: {exc}; {_RIGHTS}") from None
    return (int(rows[0]["id"]), _parse(rows[0])) if rows else None


def in_progress(gateway: Gateway) -> str:
    """A sentence when an apply holds the instance now, "" otherwise (and when the login may
    not read the lock: plan never fails for it)."""
    try:
        held = current(gateway)
    except UserError:
        return ""
    if held is None or held[1].expired(_now()):
        return ""
    return f"An apply is in progress on this instance: {held[1].describe()}."


def _held(gateway: Gateway, holder: LockInfo, environment: str) -> UserError:
    return UserError(
        f"another apply holds the lock on {gateway.server.url} (database "
        f"{gateway.server.database}): {holder.describe()}. Nothing was done. Wait "
        "for it (--lock-timeout SECONDS waits); a holder that died leaves a lock that "
        f"expires by itself; `odooconf unlock -e {environment} {holder.id}` releases "
        "it by hand"
    )


def refuse_if_held(gateway: Gateway, environment: str) -> None:
    """Refuse at once, before planning, while another apply holds the instance: a second apply
    names the holder in one read, not after a plan that may take seconds, and even when it
    would find nothing to change (the holder may be half-way)."""
    held = current(gateway)
    if held is not None and not held[1].expired(_now()):
        raise _held(gateway, held[1], environment)


class Lock:
    """A lock this process holds; :meth:`release` removes it if it is still this one."""

    def __init__(self, gateway: Gateway, row_id: int, info: LockInfo, expiry: float) -> None:
        self.row_id = row_id
        self.info = info
        self.expiry = expiry
        self._gateway = gateway
        #: The lock this one took over (expired), if any.
        self.took_over: LockInfo | None = None

    def renewed(self) -> LockInfo:
        now = _now()
        expires = now + timedelta(seconds=self.expiry)
        return replace(self.info, heartbeat=_stamp(now), expires_at=_stamp(expires))

    def beat(self, gateway: Gateway) -> None:
        """Renew the lock (a heartbeat), through ``gateway``."""
        info = self.renewed()
        gateway.write(_MODEL, [self.row_id], {"value": json.dumps(asdict(info))})
        self.info = info

    def release(self) -> None:
        held = current(self._gateway)
        if held is not None and held[1].id == self.info.id:
            self._gateway.unlink(_MODEL, [held[0]])


def acquire(
    gateway: Gateway,
    *,
    environment: str,
    operation: str,
    expiry: float,
    timeout: float = 0.0,
) -> Lock:
    """Take the instance's lock, waiting up to ``timeout`` seconds for its holder; raise
    :class:`UserError` naming the holder when it is still held then."""
    deadline = time.monotonic() + timeout
    took_over: LockInfo | None = None
    lock_id = secrets.token_hex(8)
    refused = 0
    while True:
        now = _now()
        info = LockInfo(
            id=lock_id,
            operation=operation,
            holder=f"{operator()}@{socket.gethostname()}",
            environment=environment,
            odooconf_version=__version__,
            taken_at=_stamp(now),
            expires_at=_stamp(now + timedelta(seconds=expiry)),
            heartbeat=_stamp(now),
            ci_job_url=ci_job_url(),
        )
        try:
            value = json.dumps(asdict(info))
            [row_id] = gateway.create(_MODEL, [{"key": LOCK_KEY, "value": value}])
        except OdooconfError as exc:
            held = current(gateway)
            if held is None:  # released meanwhile, or the create failed for another reason
                refused += 1
                if refused > 1:
                    raise UserError(f"cannot take the apply lock: {exc}; {_RIGHTS}") from None
                continue
            row_id, holder = held
            if holder.expired(_now()):
                took_over = holder
                # By id: never a lock taken since. It fails if another apply took it over
                # first: then try again.
                with suppress(OdooconfError):
                    gateway.unlink(_MODEL, [row_id])
                continue
            if time.monotonic() >= deadline:
                raise _held(gateway, holder, environment) from None
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
            continue
        lock = Lock(gateway, row_id, info, expiry)
        lock.took_over = took_over
        return lock


@contextmanager
def holding(
    gateway: Gateway,
    connect: Callable[[], Gateway],
    *,
    environment: str,
    operation: str,
    expiry: float,
    timeout: float = 0.0,
) -> Iterator[Lock]:
    """Hold the instance's lock for the block: taken first, renewed every third of ``expiry``
    by a thread with its own connection (``connect``, opened on the first heartbeat), released
    at the end, also when the block fails."""
    lock = acquire(
        gateway, environment=environment, operation=operation, expiry=expiry, timeout=timeout
    )
    stop = threading.Event()

    def heartbeat() -> None:
        own: Gateway | None = None
        while not stop.wait(expiry / 3):
            try:
                own = own or connect()
                lock.beat(own)
            except OdooconfError:
                continue  # the next beat tries again; the lock expires if none succeeds

    thread = threading.Thread(target=heartbeat, name="odooconf-lock-heartbeat", daemon=True)
    thread.start()
    try:
        yield lock
    finally:
        stop.set()
        thread.join()
        for _attempt in range(2):  # once more after a lost call; else it expires by itself
            with suppress(OdooconfError):
                lock.release()
                break


def release_by_id(gateway: Gateway, lock_id: str) -> LockInfo:
    """``odooconf unlock``: remove the lock if it is the one named, and return what it said."""
    held = current(gateway)
    if held is None:
        raise UserError(f"no apply lock is held on {gateway.server.url}: nothing to release")
    row_id, info = held
    if info.id != lock_id:
        raise UserError(
            f"the lock held on {gateway.server.url} is {info.id}, not {lock_id}: "
            f"{info.describe()}; nothing was released"
        )
    gateway.unlink(_MODEL, [row_id])
    return info
