"""Is the emulator a client started the one answering at a URL? (``python -m odooconf.testing
wait``, used by ``scripts/demo.sh`` before it plans or applies anything.)"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from .server import INSTANCE_PATH


def answering_instance(url: str, timeout: float = 0.5) -> str | None:
    """The instance id of the emulator answering at ``url``; ``""`` when something that is not
    an odooconf emulator answers; None when nothing answers (no listener, no HTTP reply)."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + INSTANCE_PATH, timeout=timeout) as reply:
            body = reply.read(64 * 1024)
    except urllib.error.HTTPError:
        return ""  # an HTTP server, but not an emulator (a real Odoo answers 404 here)
    except (OSError, ValueError):
        return None
    try:
        info = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(info, dict) or info.get("emulator") != "odooconf.testing":
        return ""
    return str(info.get("instance", ""))


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_for_instance(
    url: str,
    instance: str,
    pid: int | None = None,
    timeout: float = 30.0,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> str | None:
    """Wait until the emulator ``instance`` answers at ``url``. None when it does, else why not:
    the process ``pid`` (the emulator) exited, or something else answers there, or nothing."""
    deadline = time.monotonic() + timeout
    other = False
    while True:
        answer = answering_instance(url)
        if answer == instance:
            return None
        other = other or answer is not None
        if pid is not None and not process_alive(pid):
            return f"the emulator (pid {pid}) exited before answering at {url}" + (
                "; something else is listening there" if other else ""
            )
        if time.monotonic() >= deadline:
            if other:
                return (
                    f"something else answers at {url}: it is not the emulator that was started "
                    f"(instance {instance})"
                )
            return f"the emulator did not answer at {url} within {timeout:g} s"
        sleep(0.1)
