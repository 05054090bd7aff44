"""``python -m odooconf.testing serve``: startup line, password from the environment, --state."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import odoorpc
import pytest

from odooconf.testing.__main__ import main


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running(*args: str, env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "odooconf.testing", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_until_sigterm_and_keep_state(tmp_path: Path) -> None:
    port, state = free_port(), tmp_path / "state.json"
    args = ("--port", str(port), "--database", "lab", "--password-env", "EMU_PW",
            "--state", str(state))  # fmt: skip
    with running(*args, env={"EMU_PW": "s3cret"}) as (process, line):
        assert line == (
            f"odooconf emulator (NOT Odoo) listening on http://127.0.0.1:{port} database=lab"
        )
        client = odoorpc.ODOO("127.0.0.1", port=port)
        client.login("lab", "admin", "s3cret")
        client.execute_kw("stock.warehouse", "create", [{"name": "Kept WH", "code": "KEPT"}])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert state.exists()
    with running(*args, env={"EMU_PW": "other"}) as (process, _line):
        client = odoorpc.ODOO("127.0.0.1", port=port)
        client.login("lab", "admin", "other")
        assert client.execute_kw("stock.warehouse", "search", [[("code", "=", "KEPT")]]) == [2]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_missing_password_variable_is_an_error() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ODOO_PASSWORD"}
    result = subprocess.run(
        [sys.executable, "-m", "odooconf.testing", "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "ODOO_PASSWORD" in result.stderr


def test_serve_help_shows_every_default(capsys: pytest.CaptureFixture[str]) -> None:
    """A user starting the emulator for their own blueprints learns from ``--help`` where it
    listens, which database and login it serves, and where the password comes from."""
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for default in (
        "default: 127.0.0.1",
        "default: 8169",
        "default: demo",
        "default: admin",
        "default: ODOO_PASSWORD",
        "default: 18.0",
    ):
        assert default in text
