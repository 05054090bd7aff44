"""Slow and hostile servers: whatever answers at the environment's URL, ``plan`` ends with one
clear paragraph (exit 1, no traceback, the secret never printed) within a bounded time.

Each server here is a loopback socket server of a few lines that stops by itself; the
environment's ``odoo.timeout`` is tiny, so a server that never answers costs a second.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    GOOD_BLUEPRINT,
    MEMORY_LIMIT_MB,
    PASSWORD,
    PASSWORD_ENV,
    environment_text,
    project_args,
    run_cli,
)

TIMEOUT = 0.5
#: What one plan against a hostile server may take (connect, probe, log in: a few timeouts).
BOUND = 8.0
LIFETIME = 12.0
#: A call of a server that drips its answer should end a few timeouts after it started.
DRIP_BOUND = 2.0

Behaviour = Callable[[socket.socket, bytes, "Hostile"], None]


@dataclass
class Hostile:
    """A loopback server answering each request with ``behaviour``; it records what it got."""

    behaviour: Behaviour
    host: str = "127.0.0.1"
    received: list[bytes] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    #: Another server, for redirects.
    other: Hostile | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(2.0)
    data = b""
    with suppress(OSError):
        while b"\r\n\r\n" not in data and len(data) < 1_000_000:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip() or 0)
        while len(body) < min(length, 1_000_000):
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        data = head + b"\r\n\r\n" + body
    return data


def _serve(server: Hostile, listener: socket.socket) -> None:
    deadline = time.monotonic() + LIFETIME
    listener.settimeout(0.05)
    while not server.stop.is_set() and time.monotonic() < deadline:
        try:
            conn, _address = listener.accept()
        except OSError:
            continue
        threading.Thread(target=_handle, args=(server, conn), daemon=True).start()
    listener.close()


def _handle(server: Hostile, conn: socket.socket) -> None:
    with conn:
        request = _read_request(conn)
        server.received.append(request)
        with suppress(OSError):
            server.behaviour(conn, request, server)


@contextmanager
def hostile(behaviour: Behaviour, host: str = "127.0.0.1") -> Iterator[Hostile]:
    server = Hostile(behaviour, host)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))
    listener.listen(16)
    server.port = listener.getsockname()[1]
    thread = threading.Thread(target=_serve, args=(server, listener), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        thread.join(timeout=2)


def _http(status: str, body: bytes, content_type: str = "text/html", extra: str = "") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
    )
    return head.encode() + body


# --- behaviours ----------------------------------------------------------------------------------

LOGIN_PAGE = b"""<!DOCTYPE html><html><head><title>Login | My Company</title></head>
<body><form class="oe_login_form" action="/web/login" method="post">
<input name="login"/><input name="password" type="password"/><button>Log in</button>
</form></body></html>"""


def not_http(conn: socket.socket, _request: bytes, _server: Hostile) -> None:
    conn.sendall(b"\x00\xff\xfeSSH-2.0-OpenSSH_9.6 garbage \x1b[31m\r\n\r\n")


def garbage_body(conn: socket.socket, _request: bytes, _server: Hostile) -> None:
    conn.sendall(_http("200 OK", b"\x89\x00{{{ not json ]]", "application/json"))


def html_login(conn: socket.socket, _request: bytes, _server: Hostile) -> None:
    conn.sendall(_http("200 OK", LOGIN_PAGE, "text/html; charset=utf-8"))


def json_not_rpc(conn: socket.socket, _request: bytes, _server: Hostile) -> None:
    conn.sendall(_http("200 OK", b'{"hello": ["world"], "result": null}', "application/json"))


def rpc_wrong_types(conn: socket.socket, request: bytes, _server: Hostile) -> None:
    """JSON-RPC answers whose results have the wrong shape (a string for everything)."""
    conn.sendall(
        _http("200 OK", b'{"jsonrpc": "2.0", "id": 1, "result": "surprise"}', "application/json")
    )


def server_error_echo(conn: socket.socket, request: bytes, _server: Hostile) -> None:
    """A 500 page quoting the request (a debugging proxy): the body holds the password."""
    body = b"<html><body><h1>Internal Server Error</h1><pre>" + request + b"</pre></body></html>"
    conn.sendall(_http("500 Internal Server Error", body))


def rpc_error_echo(conn: socket.socket, request: bytes, _server: Hostile) -> None:
    """A JSON-RPC error whose message quotes the request's parameters."""
    body = request.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")
    error = {
        "jsonrpc": "2.0",
        "id": 1,
        "error": {
            "code": 200,
            "message": "Odoo Server Error",
            "data": {"name": "builtins.ValueError", "message": f"bad request {body}"},
        },
    }
    conn.sendall(_http("200 OK", json.dumps(error).encode(), "application/json"))


def huge_body(conn: socket.socket, _request: bytes, server: Hostile) -> None:
    """A JSON answer of 1 GB announced, 48 MB sent (then the server gives up)."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000000\r\n\r\n" + b'{"jsonrpc": "2.0", "result": ['
    )
    chunk = b'"' + b"x" * 65_000 + b'",'
    for _ in range(48 * 16):
        if server.stop.is_set():
            return
        conn.sendall(chunk)


def silent(_conn: socket.socket, _request: bytes, server: Hostile) -> None:
    """Accepts, reads, never answers (until it stops)."""
    server.stop.wait(LIFETIME)


def drip(conn: socket.socket, _request: bytes, server: Hostile) -> None:
    """Answers one byte at a time, each well within the timeout, never finishing."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    deadline = time.monotonic() + LIFETIME
    while not server.stop.is_set() and time.monotonic() < deadline:
        conn.sendall(b" ")
        time.sleep(TIMEOUT / 5)


def redirect(conn: socket.socket, _request: bytes, server: Hostile) -> None:
    assert server.other is not None
    location = f"{server.other.url}/jsonrpc"
    for status in ("307 Temporary Redirect",):
        conn.sendall(_http(status, b"", extra=f"Location: {location}\r\n"))


def redirect_302(conn: socket.socket, _request: bytes, server: Hostile) -> None:
    assert server.other is not None
    conn.sendall(_http("302 Found", b"", extra=f"Location: {server.other.url}/web/login\r\n"))


def _record(_conn: socket.socket, _request: bytes, _server: Hostile) -> None:
    """The other host: answers nothing useful, records what reached it."""


BEHAVIOURS: dict[str, Behaviour] = {
    "not_http": not_http,
    "garbage_body": garbage_body,
    "html_login_page": html_login,
    "json_not_rpc": json_not_rpc,
    "rpc_wrong_types": rpc_wrong_types,
    "server_error_echo": server_error_echo,
    "rpc_error_echo": rpc_error_echo,
    "huge_body": huge_body,
    "never_answers": silent,
    "redirect_307_other_host": redirect,
    "redirect_302_other_host": redirect_302,
}
TRANSPORTS = ("auto", "jsonrpc", "json2")
#: Known bugs: (behaviour, transport) → reason.
KNOWN: dict[tuple[str, str], str] = {}


def _project(tmp_path: Path, url: str, transport: str) -> Path:
    root = tmp_path / "project"
    (root / "blueprints").mkdir(parents=True)
    (root / "environments").mkdir()
    (root / "blueprints" / "wh.yaml").write_text(GOOD_BLUEPRINT)
    text = environment_text(url).replace(
        "  login: admin\n", f"  login: admin\n  timeout: {TIMEOUT}\n  transport: {transport}\n"
    )
    (root / "environments" / "test.yaml").write_text(text)
    return root


def _one_clear_paragraph(outcome_err: str, outcome_out: str) -> None:
    text = outcome_out + outcome_err
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    assert PASSWORD not in text, "the secret was printed"
    message = outcome_err.strip()
    assert message.startswith("error: "), message
    assert "\n\n" not in message and len(message) < 1500, message


def _params() -> list[object]:
    return [
        pytest.param(
            name,
            transport,
            id=f"{name}-{transport}",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[name, transport])]
            if (name, transport) in KNOWN
            else [],
        )
        for name in BEHAVIOURS
        for transport in TRANSPORTS
    ]


@pytest.mark.parametrize(("name", "transport"), _params())
def test_a_hostile_server_gets_one_clear_paragraph(
    name: str, transport: str, tmp_path: Path
) -> None:
    with hostile(_record, host="127.0.0.2") as other, hostile(BEHAVIOURS[name]) as server:
        server.other = other
        root = _project(tmp_path, server.url, transport)
        outcome = run_cli(
            [*project_args(root), "plan", "-e", "test"],
            root,
            {PASSWORD_ENV: PASSWORD},
            time_limit=BOUND + 5,
        )
        assert not outcome.timed_out, "still running"
        assert outcome.code == 1, outcome.out + outcome.err
        _one_clear_paragraph(outcome.err, outcome.out)
        assert server.url in outcome.err or f"{server.host}:{server.port}" in outcome.err
        assert outcome.seconds < BOUND, f"took {outcome.seconds:.1f} s"
        assert outcome.grown_mb < MEMORY_LIMIT_MB, f"grew by {outcome.grown_mb:.0f} MB"
        leaked = [request for request in other.received if PASSWORD.encode() in request]
        assert leaked == [], "the redirect carried the secret to another host"


@pytest.mark.parametrize("transport", ["jsonrpc", "json2"])
def test_a_server_that_drips_its_answer_is_cut_off(transport: str, tmp_path: Path) -> None:
    with hostile(drip) as server:
        root = _project(tmp_path, server.url, transport)
        outcome = run_cli(
            [*project_args(root), "plan", "-e", "test"],
            root,
            {PASSWORD_ENV: PASSWORD},
            time_limit=DRIP_BOUND,
        )
        assert not outcome.timed_out, f"still running after {DRIP_BOUND} s (timeout {TIMEOUT} s)"
        assert outcome.code == 1
        _one_clear_paragraph(outcome.err, outcome.out)


def test_a_closed_port_is_reported_at_once(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = _project(tmp_path, f"http://127.0.0.1:{port}", "auto")
    outcome = run_cli([*project_args(root), "plan", "-e", "test"], root, {PASSWORD_ENV: PASSWORD})
    assert outcome.code == 1, outcome.out + outcome.err
    _one_clear_paragraph(outcome.err, outcome.out)
    assert outcome.seconds < 3
