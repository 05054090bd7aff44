"""https: certificates are checked, on every transport, and no environment variable turns that
off. The server here presents a self-signed certificate for 127.0.0.1 (``tls/``, made with
``openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=127.0.0.1``)."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    GOOD_BLUEPRINT,
    PASSWORD,
    PASSWORD_ENV,
    environment_text,
    project_args,
    run_cli,
)

TLS = Path(__file__).parent / "tls"
#: Variables that turn certificate checks off in some tools or distributions (Red Hat's Python
#: reads PYTHONHTTPSVERIFY; requests and curl read the CA bundles): none may work here.
OFF_SWITCHES = {
    "PYTHONHTTPSVERIFY": "0",
    "CURL_CA_BUNDLE": "",
    "REQUESTS_CA_BUNDLE": "",
    "HTTPX_SSL_VERIFY": "0",
    "ODOOCONF_INSECURE": "1",
    "ODOOCONF_VERIFY_SSL": "0",
}


@contextmanager
def self_signed_server() -> Iterator[tuple[int, list[bytes]]]:
    """An https server on 127.0.0.1; yields its port and the requests it decrypted."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "selfsigned.crt", TLS / "selfsigned.key")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    decrypted: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        deadline = time.monotonic() + 15
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _address = listener.accept()
            except OSError:
                continue
            conn.settimeout(2)
            with suppress(OSError), context.wrap_socket(conn, server_side=True) as tls:
                decrypted.append(tls.recv(65536))
                tls.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], decrypted
    finally:
        stop.set()
        thread.join(timeout=2)


@pytest.mark.parametrize("switches", [False, True], ids=["plain", "off-switches-set"])
@pytest.mark.parametrize("transport", ["auto", "jsonrpc", "json2"])
def test_a_self_signed_certificate_is_refused(
    transport: str, switches: bool, tmp_path: Path
) -> None:
    with self_signed_server() as (port, decrypted):
        root = tmp_path / "project"
        (root / "blueprints").mkdir(parents=True)
        (root / "environments").mkdir()
        (root / "blueprints" / "wh.yaml").write_text(GOOD_BLUEPRINT)
        text = environment_text(f"https://127.0.0.1:{port}").replace(
            "  login: admin\n", f"  login: admin\n  timeout: 2\n  transport: {transport}\n"
        )
        (root / "environments" / "test.yaml").write_text(text)
        env = {PASSWORD_ENV: PASSWORD, **(OFF_SWITCHES if switches else {})}

        outcome = run_cli([*project_args(root), "plan", "-e", "test"], root, env)

    assert outcome.code == 1, outcome.out + outcome.err
    assert "Traceback" not in outcome.err
    assert "certificate" in outcome.err.lower(), outcome.err
    assert decrypted == [], "a request went through an unverified TLS connection"
    assert PASSWORD not in outcome.out + outcome.err


def test_no_environment_key_turns_certificate_checks_off() -> None:
    """The environment file has no such key (extra keys are refused): nothing to warn about."""
    from odooconf.config import OdooConnection  # noqa: PLC0415

    keys = {name.lower() for name in OdooConnection.model_fields}
    assert not keys & {"verify", "verify_ssl", "insecure", "ssl_verify", "tls_verify", "ca_file"}
