"""A loopback TCP relay that counts the bytes each way: what a client sends and receives on the
wire (HTTP headers included), whatever its HTTP library."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

_CHUNK = 256 * 1024


@dataclass
class Counters:
    sent: int = 0  # client → server
    received: int = 0  # server → client
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.sent = self.received = 0

    def add(self, upstream: bool, count: int) -> None:
        with self.lock:
            if upstream:
                self.sent += count
            else:
                self.received += count


def _pump(source: socket.socket, sink: socket.socket, counters: Counters, upstream: bool) -> None:
    try:
        while True:
            data = source.recv(_CHUNK)
            if not data:
                break
            counters.add(upstream, len(data))
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _serve(listener: socket.socket, target: tuple[str, int], counters: Counters) -> None:
    while True:
        try:
            client, _address = listener.accept()
        except OSError:  # the listener was closed: stop
            return
        try:
            server = socket.create_connection(target)
        except OSError:
            client.close()
            continue
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pumps = [
            threading.Thread(target=_pump, args=(client, server, counters, True), daemon=True),
            threading.Thread(target=_pump, args=(server, client, counters, False), daemon=True),
        ]
        for pump in pumps:
            pump.start()
        threading.Thread(target=_close_after, args=(pumps, client, server), daemon=True).start()


def _close_after(pumps: list[threading.Thread], *sockets: socket.socket) -> None:
    for pump in pumps:
        pump.join()
    for sock in sockets:
        sock.close()


@contextmanager
def counting_relay(host: str, port: int) -> Iterator[tuple[str, Counters]]:
    """Relay ``127.0.0.1:<free port>`` to ``host:port``; yields its URL and the counters."""
    counters = Counters()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    thread = threading.Thread(
        target=_serve, args=(listener, (host, port), counters), name="bench-relay", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", counters
    finally:
        with suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept()
        listener.close()
        thread.join(timeout=5)
