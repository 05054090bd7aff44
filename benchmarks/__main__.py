"""Run: ``python -m benchmarks [SIZES...]`` (default 10 50 100 warehouses)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from odooconf.config import load_environment
from odooconf.engine.pipeline import apply_outcome, plan_environment
from odooconf.odoo.rpc import RpcGateway
from odooconf.testing import Emulator, serve_emulator

PASSWORD = "bench"


def _write_project(root: Path, url: str, size: int) -> None:
    (root / "blueprints").mkdir(parents=True)
    (root / "environments").mkdir()
    items = "".join(
        f"  - {{code: B{i}, name: Bench {i}, locations: [Stock/A, Stock/B]}}\n" for i in range(size)
    )
    (root / "blueprints" / "wh.yaml").write_text("warehouses:\n" + items)
    (root / "environments" / "bench.yaml").write_text(
        f"odoo: {{url: '{url}', database: bench, login: admin, password_env: BENCH_PASSWORD}}\n"
    )


def _measure(label: str, run: object) -> None:
    assert callable(run)
    tracemalloc.start()
    start = time.perf_counter()
    calls = run()
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {elapsed:8.2f} s {calls:8d} RPC calls {peak / 1e6:8.1f} MB peak")


def bench(size: int) -> None:
    os.environ["BENCH_PASSWORD"] = PASSWORD
    emulator = Emulator(database="bench", login="admin", password=PASSWORD)
    with (
        serve_emulator(emulator, host="127.0.0.1", port=0) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        root = Path(tmp)
        _write_project(root, server.url, size)
        env = load_environment(root / "environments", "bench")
        blueprints = root / "blueprints"

        def connect() -> RpcGateway:
            return RpcGateway(server.url, "bench", "admin", PASSWORD)

        def plan() -> int:
            gateway = connect()
            plan_environment(blueprints, env, gateway)
            return gateway.call_count

        def apply() -> int:
            gateway = connect()
            apply_outcome(plan_environment(blueprints, env, gateway), gateway)
            return gateway.call_count

        resources = size * 3
        _measure(f"plan, {resources} resources, empty db", plan)
        _measure(f"apply, {resources} resources", apply)
        _measure(f"plan, {resources} resources, converged", plan)


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10, 50, 100]
    for size in sizes:
        print(f"--- {size} warehouses with 2 sub-locations each")
        bench(size)


if __name__ == "__main__":
    main()
