"""``scripts/demo.sh`` (``make demo PORT=...``): the port is honoured end to end, and the demo
plans and applies only against the emulator it started itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from odooconf.testing import Emulator, serve_emulator
from odooconf.testing.probe import answering_instance, wait_for_instance

from .test_cli import free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class _Impostor(BaseHTTPRequestHandler):
    """Answers every request like a healthy Odoo would answer a login, and remembers it."""

    requests: list[str] = []

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        body = b'{"jsonrpc": "2.0", "id": 1, "result": 2}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def impostor() -> Iterator[tuple[int, list[str]]]:
    """Another program answering HTTP on a loopback port."""
    requests: list[str] = []
    handler = type("Handler", (_Impostor,), {"requests": requests})
    httpd = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(httpd.server_address[1]), requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def copy_project(root: Path) -> None:
    """What the demo script uses, so that its state and audit stay out of the checkout."""
    if not (BIN / "odooconf").exists():
        pytest.skip(f"odooconf is not installed beside {sys.executable}")
    for folder in ("scripts", "environments", "blueprints"):
        shutil.copytree(REPO / folder, root / folder)
    (root / ".venv").symlink_to(BIN.parent)  # the script runs .venv/bin/odooconf


def run_demo(tmp_path: Path, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(tmp_path / "scripts" / "demo.sh"), str(port)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )


def test_demo_refuses_a_port_something_else_answers_on(
    tmp_path: Path, impostor: tuple[int, list[str]]
) -> None:
    port, requests = impostor
    copy_project(tmp_path)
    # The port the demo environment names is taken (as 8169 may be on a developer's machine).
    demo_env = tmp_path / "environments" / "demo.yaml"
    demo_env.write_text(demo_env.read_text().replace(":8169", f":{port}"))
    result = run_demo(tmp_path, port)
    assert result.returncode == 1
    assert "validate" not in result.stdout and "plan" not in result.stdout
    assert not [r for r in requests if r.startswith("POST")]  # no JSON-RPC call reached it
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "demo: stopped before planning or applying anything" in result.stderr
    assert f"make demo PORT={port + 100}" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_on_a_non_default_port(tmp_path: Path) -> None:
    port = free_port()
    copy_project(tmp_path)
    result = run_demo(tmp_path, port)
    assert result.returncode == 0, result.stderr
    assert f"database demo at http://127.0.0.1:{port} (Odoo 18.0)" in result.stdout
    assert "Apply complete" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("No changes. The instance matches")
    # The checked-in environment is left as it is; the demo used a copy for its port.
    assert "url: http://127.0.0.1:8169" in (tmp_path / "environments" / "demo.yaml").read_text()
    assert (tmp_path / f".odooconf/demo-{port}/environments/demo.yaml").is_file()


def test_instance_endpoint_tells_emulators_apart(impostor: tuple[int, list[str]]) -> None:
    emulator = Emulator(instance="run-1")
    with serve_emulator(emulator) as server:
        assert answering_instance(server.url) == "run-1"
        assert wait_for_instance(server.url, "run-1", os.getpid(), timeout=5) is None
    assert emulator.instance_info()["instance"] == "run-1"
    other = f"http://127.0.0.1:{impostor[0]}"
    assert answering_instance(other) == ""
    problem = wait_for_instance(other, "run-1", timeout=0.3)
    assert problem is not None and "something else answers" in problem
    assert answering_instance(f"http://127.0.0.1:{free_port()}") is None
