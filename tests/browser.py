"""Open a local HTML file in headless Chromium and tell what it did: console errors, uncaught
exceptions, network requests, and a screenshot.

The Chrome DevTools Protocol is spoken over ``--remote-debugging-pipe`` (JSON messages ended by
a NUL byte on file descriptors 3 and 4): no port to pick, no websocket library, nothing left
listening if the test dies. Chromium comes from the distribution (Debian: ``apt-get install
chromium``); :func:`chromium` is None when it is not installed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Flags for a quiet, offline, throw-away browser: no sandbox (tests may run as root), no GPU,
#: none of Chromium's own background traffic (updates, sync, field trials), a fresh profile.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--remote-debugging-pipe",
)  # fmt: skip
#: Seconds to wait for the browser to answer or the page to load.
TIMEOUT = 60.0


def chromium() -> str | None:
    """The Chromium executable (``ODOOCONF_TEST_CHROMIUM`` or on PATH), or None."""
    named = os.environ.get("ODOOCONF_TEST_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageVisit:
    """What a page did while it loaded."""

    #: ``console.error`` calls, uncaught exceptions and browser log entries of level error.
    errors: list[str] = field(default_factory=list)
    #: URLs of every request but the page's own document.
    requests: list[str] = field(default_factory=list)
    #: Answers of the expressions evaluated once the page had loaded, by expression.
    evaluated: dict[str, Any] = field(default_factory=dict)


class _Pipe:
    """A CDP connection over the two pipes of ``--remote-debugging-pipe``."""

    def __init__(self, executable: str, profile: Path) -> None:
        # Chromium reads commands from its fd 3 and writes answers and events to its fd 4.
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Copies above 4, so that placing one on 3 cannot overwrite the other.
        to_fd3, to_fd4 = (
            fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)
        )
        profile.mkdir(parents=True, exist_ok=True)
        #: Chromium's own messages (a file, not a pipe nobody reads that could fill and block).
        self.log = profile / "chromium.log"
        self._log = self.log.open("wb")
        try:

            def child_fds() -> None:
                os.dup2(to_fd3, 3)
                os.dup2(to_fd4, 4)

            self.process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                # Kept open after ``child_fds`` placed the pipes there (it runs before the
                # child closes the other descriptors).
                pass_fds=(3, 4),
                preexec_fn=child_fds,  # noqa: PLW1509 (only dup2, no lock taken)
            )
        finally:
            for fd in (to_browser_r, from_browser_w, to_fd3, to_fd4):
                os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send a command and wait for its answer, keeping the events that come meanwhile."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        """The first event ``method`` (already received or the next ones)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._receive()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer in {TIMEOUT:.0f} s")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                said = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Chromium closed the pipe:\n{said}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        finally:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            os.close(self._to_browser)
            os.close(self._from_browser)
            self._log.close()


def visit(
    executable: str,
    page: Path,
    screenshot: Path,
    profile: Path,
    evaluate: tuple[str, ...] = (),
    width: int = 1280,
    height: int = 900,
) -> PageVisit:
    """Load ``page`` in a fresh headless Chromium, save a PNG ``screenshot`` of its first
    screen (``width`` by ``height``), evaluate ``evaluate`` in the page, and return what it
    logged and requested."""
    browser = _Pipe(executable, profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        url = page.resolve().as_uri()
        browser.events.clear()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_for("Page.loadEventFired")
        result = PageVisit()
        for expression in evaluate:
            answer = browser.send(
                "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
            )
            if "exceptionDetails" in answer:
                raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
            result.evaluated[expression] = answer["result"].get("value")
        shot = browser.send(
            "Page.captureScreenshot",
            {"format": "png"},
            session=session,
        )
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        # Whatever the page did until now (evaluating and the screenshot flush the events).
        for event in browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                text = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                result.errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                thrown = details.get("exception", {}).get("description", "")
                result.errors.append(f"exception: {details.get('text')} {thrown}".strip())
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                result.errors.append(f"log: {entry.get('text')} {entry.get('url', '')}".strip())
            elif method == "Network.requestWillBeSent":
                requested = params["request"]["url"]
                if requested != url:
                    result.requests.append(requested)
        return result
    finally:
        browser.close()
