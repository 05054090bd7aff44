"""Several environments planned at once (``plan -e dev -e staging -e production``) against the
time of the slowest one alone: the target is at most 1.2 times.

Each environment has its own emulator, in its own process on its own port (as three Odoo
servers would be), with the same generated configuration and products; each step is the real
``odooconf plan`` in its own process, the first plan (everything to create), best of a few.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from benchmarks.generate import product_codes, write_environment, write_project

PASSWORD = "bench-secret"
PASSWORD_ENV = "ODOOCONF_BENCH_PASSWORD"
DATABASE = "bench"
NAMES = ("dev", "staging", "production")
REPEATS = 3
TARGET = 1.2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(url: str, service: str, method: str, *args: object) -> object:
    body = {"jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": service, "method": method, "args": list(args)}}  # fmt: skip
    request = urllib.request.Request(
        f"{url}/jsonrpc", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())["result"]


@contextmanager
def emulator_process() -> Iterator[str]:
    """An emulator in a process of its own; its URL once it answers."""
    port = _free_port()
    env = {**os.environ, PASSWORD_ENV: PASSWORD}
    argv = [sys.executable, "-m", "odooconf.testing", "serve", "--port", str(port),
            "--database", DATABASE, "--password-env", PASSWORD_ENV]  # fmt: skip
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                _call(url, "common", "version")
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _plan(root: Path, *names: str) -> float:
    argv = [sys.executable, "-m", "odooconf", "--blueprints", str(root / "blueprints"),
            "--environments", str(root / "environments"), "plan"]  # fmt: skip
    for name in names:
        argv += ["-e", name]
    start = time.perf_counter()
    result = subprocess.run(
        [*argv, "--detailed-exitcode"], env={**os.environ, PASSWORD_ENV: PASSWORD},
        capture_output=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if result.returncode != 2:
        raise RuntimeError(f"plan {names}: exit {result.returncode}\n{result.stderr.decode()}")
    return wall


def measure(size: int) -> tuple[dict[str, float], float]:
    """Best wall time of each environment alone, and of the three at once."""
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="odooconf-bench-")))
        urls = [stack.enter_context(emulator_process()) for _ in NAMES]
        shape = write_project(root, size, urls[0], PASSWORD_ENV, DATABASE)
        for name, url in zip(NAMES, urls, strict=True):
            write_environment(root, url, PASSWORD_ENV, DATABASE)
            (root / "environments" / "bench.yaml").rename(root / "environments" / f"{name}.yaml")
            uid = _call(url, "common", "login", DATABASE, "admin", PASSWORD)
            products = [{"name": c, "default_code": c, "is_storable": True}
                        for c in product_codes(shape)]  # fmt: skip
            _call(url, "object", "execute_kw", DATABASE, uid, PASSWORD, "product.product",
                  "create", [products])  # fmt: skip
        alone = {name: min(_plan(root, name) for _ in range(REPEATS)) for name in NAMES}
        together = min(_plan(root, *NAMES) for _ in range(REPEATS))
        return alone, together


def table(size: int) -> str:
    alone, together = measure(size)
    slowest = max(alone.values())
    ratio = together / slowest
    lines = [
        f"### Three environments at once ({size:,} resources each; target ≤ {TARGET}×)",
        "",
        "| plan | wall s |",
        "|---|--:|",
        *(f"| `-e {name}` alone | {wall:.2f} |" for name, wall in alone.items()),
        f"| `-e {' -e '.join(NAMES)}` | {together:.2f} |",
        "",
        f"three at once / slowest alone: {ratio:.2f}× "
        + ("(within the target)" if ratio <= TARGET else f"(OVER the {TARGET}× target)"),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000))
