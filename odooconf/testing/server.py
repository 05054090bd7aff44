"""HTTP transport of the emulator: ``/jsonrpc`` and ``/web/webclient/version_info``, and when the
emulator serves Odoo 19's JSON-2 API, ``/json/2/...`` and ``GET /web/version``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .emulator import Emulator, EmulatorCrash
from .json2 import VERBS as JSON2_VERBS
from .json2 import HttpAnswer

#: ``GET`` here answers :meth:`Emulator.instance_info` (a real Odoo answers 404).
INSTANCE_PATH = "/odooconf/emulator"
_MAX_BODY = 64 * 1024 * 1024
#: Routes of Odoo 19's ``rpc`` module answering the version (type http, any verb; GET here).
VERSION_PATHS = ("/web/version", "/json/version")
_NOT_FOUND = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server. If you entered the URL manually "
    b"please check your spelling and try again.</p>\n"
)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    #: Headers and body go out in two writes: without TCP_NODELAY a keep-alive client (httpx,
    #: http.client) waits for a delayed ACK, 40 ms per answer.
    disable_nagle_algorithm = True
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3"

    def do_POST(self) -> None:
        time.sleep(self.server.emulator.latency)  # outside the database's lock, as the network
        if self._json2("POST"):
            return
        routes = {
            "/jsonrpc": self.server.emulator.jsonrpc,
            "/web/webclient/version_info": self.server.emulator.version_info,
        }
        route = routes.get(self.path.split("?", 1)[0])
        body = self._body()
        if route is None or body is None:
            self._send(404, "text/html; charset=utf-8", _NOT_FOUND)
            return
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            # Odoo answers an undecodable JSON-RPC body with a plain 400, not a JSON-RPC error.
            self._send(400, "text/html; charset=utf-8", b"Invalid JSON data")
            return
        try:
            payload = json.dumps(route(request), default=str).encode("utf-8")
        except Exception as exc:
            # Not JSON-RPC, so that no client takes the emulator's own bug for an Odoo error.
            crash = (
                exc if isinstance(exc, EmulatorCrash) else self.server.emulator.record_crash(exc)
            )
            body = f"{EmulatorCrash.NAME}: {crash}".encode()
            self._send(500, "text/plain; charset=utf-8", body)
            return
        self._send(200, "application/json", payload)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == INSTANCE_PATH:
            payload = json.dumps(self.server.emulator.instance_info()).encode("utf-8")
            self._send(200, "application/json", payload)
            return
        if path in VERSION_PATHS and self.server.emulator.serves_json2:
            payload = json.dumps(self.server.emulator.web_version()).encode("utf-8")
            self._send(200, "application/json; charset=utf-8", payload)
            return
        if self._json2("GET"):
            return
        self._send(404, "text/html; charset=utf-8", _NOT_FOUND)

    def do_PUT(self) -> None:
        self._json2_or_not_found("PUT")

    def do_DELETE(self) -> None:
        self._json2_or_not_found("DELETE")

    def do_PATCH(self) -> None:
        self._json2_or_not_found("PATCH")

    def _json2_or_not_found(self, verb: str) -> None:
        if not self._json2(verb):
            self._send(404, "text/html; charset=utf-8", _NOT_FOUND)

    def _json2(self, verb: str) -> bool:
        """Answer a request under ``/json/2`` when the emulator serves JSON-2; False otherwise."""
        path = self.path.split("?", 1)[0]
        if not self.server.emulator.serves_json2 or verb not in JSON2_VERBS:
            return False
        if path != "/json/2" and not path.startswith("/json/2/"):
            return False
        body = self._body()
        if body is None:
            self._send(413, "text/plain; charset=utf-8", b"Request Entity Too Large")
            return True
        try:
            headers = {name.lower(): value for name, value in self.headers.items()}
            answer = self.server.emulator.json2(verb, self.path, headers, body)
        except EmulatorCrash as crash:
            self._send(500, "text/plain; charset=utf-8", f"{EmulatorCrash.NAME}: {crash}".encode())
            return True
        self._send_answer(answer)
        return True

    def _send_answer(self, answer: HttpAnswer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if length < 0 or length > _MAX_BODY:
            return None
        return self.rfile.read(length)

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are recorded in ``Emulator.calls``; no stderr noise."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)


@dataclass(frozen=True)
class RunningServer:
    """Where a served emulator listens."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def serve_emulator(
    emulator: Emulator, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningServer]:
    """Serve ``emulator`` over HTTP in a background thread (``port=0`` picks a free port)."""
    httpd = _Server((host, port), emulator)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="odooconf-emulator"
    )
    thread.daemon = True
    thread.start()
    try:
        yield RunningServer(host, int(httpd.server_address[1]))
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
