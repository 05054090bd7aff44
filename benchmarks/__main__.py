"""``make bench`` / ``python -m benchmarks [SIZES...]``: odooconf's cost against the emulator.

For each size (resources; default 30 1000 10000), in one run against one emulator on loopback:
validate, the first plan (everything to create), apply, the no-op plan, then 5 % of the records
changed by hand in the database and the plan and apply that put them back. Each step is the real
``odooconf`` command in its own process: wall time (interpreter start-up included), its CPU and
the emulator's meanwhile (robust when the machine is shared), RPC calls (requests the emulator
logged), bytes sent and received (counted on the wire by a relay) and peak memory (the process's
maximum resident set). Beside them, the floor (the no-op plan's own
requests replayed by a bare Python process, no diffing) and a naive baseline (one read per
resource, as hand-written scripts do). The no-op plan and the floor are the best of three.
Then, for the auditors' commands (issue 20), a twin of the instance with 5 % changed by hand is
served beside it: reading both instances' configuration (``benchmarks.read_both``), the drift of
the two as HTML, and the export; ratios drift / read both (target 1.5) and export / no-op plan
(target 2). Then the RPC calls of the shipped example's pricelists planned and applied with 3
and with 60 pricelists (issue 8: the calls must not depend on the number of pricelists). Last,
three environments planned at once against the slowest alone (issue 18: at most 1.2 times).

A benchmark, not a test: it prints tables and never fails on timing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import several
from benchmarks.generate import Shape, product_codes, write_environment, write_project
from benchmarks.proxy import Counters, counting_relay
from odooconf.testing import Emulator, RpcCall, serve_emulator
from odooconf.testing import server as emulator_server

PASSWORD = "bench-secret"
PASSWORD_ENV = "ODOOCONF_BENCH_PASSWORD"
DATABASE = "bench"
ADMIN_UID = 2  # the emulator's admin
NAMESPACE = "odooconf"
DEFAULT_SIZES = (30, 1_000, 10_000)
#: Resources per environment when three are planned at once (``benchmarks.several``).
SEVERAL_SIZE = 1_000
REPEATS = 3
#: Share of the managed records changed by hand before the drift plan.
DRIFT = 0.05
_SUMMARY = re.compile(r"Plan: (\d+) to create, (\d+) to update, (\d+) to adopt, (\d+) to archive")


@dataclass
class Step:
    name: str
    wall: float
    calls: int
    sent: int
    received: int
    peak_mb: float
    #: The process's own CPU (user + system): the client's work, whatever else the machine does.
    cpu: float = 0.0
    #: CPU of the benchmark's own process meanwhile: the emulator answering (and the relay).
    server_cpu: float = 0.0
    note: str = ""

    @property
    def total_cpu(self) -> float:
        return self.cpu + self.server_cpu


@dataclass
class Bench:
    emulator: Emulator
    counters: Counters
    url: str
    root: Path

    def run(self, name: str, argv: list[str], expect: tuple[int, ...] = (0,)) -> Step:
        """Run one process; its wall time, the requests and bytes it caused, its peak RSS."""
        self.emulator.reset_calls()
        self.counters.reset()
        out, err = self.root / "stdout.txt", self.root / "stderr.txt"
        env = {**os.environ, PASSWORD_ENV: PASSWORD}
        with out.open("wb") as stdout, err.open("wb") as stderr:
            start, server_start = time.perf_counter(), time.process_time()
            process = subprocess.Popen(argv, stdout=stdout, stderr=stderr, env=env)
            _pid, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            server_cpu = time.process_time() - server_start
            process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in expect:
            raise RuntimeError(
                f"{name}: exit {process.returncode}\n{out.read_text()[-2000:]}"
                f"{err.read_text()[-4000:]}"
            )
        time.sleep(0.05)  # the relay's last bytes
        return Step(
            name,
            wall,
            len(self.emulator.calls),
            self.counters.sent,
            self.counters.received,
            usage.ru_maxrss / 1024,  # kB on Linux
            usage.ru_utime + usage.ru_stime,
            server_cpu,
            _summary(out.read_text(encoding="utf-8", errors="replace")),
        )

    @property
    def project(self) -> list[str]:
        return [
            "--blueprints", str(self.root / "blueprints"),
            "--environments", str(self.root / "environments"),
            "--state-dir", str(self.root / "state"),
        ]  # fmt: skip

    def odooconf(self, name: str, *args: str, expect: tuple[int, ...] = (0,)) -> Step:
        return self.run(name, [sys.executable, "-m", "odooconf", *self.project, *args], expect)

    def split(self) -> dict[str, Any]:
        """Where a no-op plan's CPU goes, stage by stage, without and with the cache."""
        path = self.root / "split.json"
        argv = [sys.executable, "-m", "benchmarks.split", str(path), *self.project]
        self.run("split", [*argv, "plan", "-e", "bench"])
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return result

    def replay(self, name: str, requests: list[tuple[str, str]], note: str) -> Step:
        path = self.root / f"{name.split(maxsplit=1)[0]}.json"
        path.write_text(json.dumps(requests), encoding="utf-8")
        argv = [sys.executable, "-m", "benchmarks.replay", str(path), self.url]
        step = self.run(name, argv)
        step.note = note
        return step


def _summary(output: str) -> str:
    match = _SUMMARY.search(output)
    if match:
        create, update, adopt, archive = (int(n) for n in match.groups())
        return (
            f"{create} create, {update} update"
            + (f", {adopt} adopt" if adopt else "")
            + (f", {archive} archive" if archive else "")
        )
    return "no changes" if "No changes" in output else ""


def _best(steps: list[Step]) -> Step:
    return min(steps, key=lambda step: step.wall)


# --- the floor and the naive baseline -----------------------------------------------------------


def _request(call: RpcCall, uid: int) -> tuple[str, str]:
    """The JSON-RPC request that made a logged call, as odoorpc sends it."""
    if call.service == "web":
        return "/web/webclient/version_info", json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}
        )
    if call.service == "object" and call.method == "execute":
        args = [DATABASE, uid, PASSWORD, call.model, call.model_method, *call.args]
    elif call.service == "object":
        args = [DATABASE, uid, PASSWORD, call.model, call.model_method, call.args, call.kwargs]
    else:
        args = list(call.args)
    params = {"service": call.service, "method": call.method, "args": args}
    return "/jsonrpc", json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1})


def floor_requests(calls: list[RpcCall]) -> list[tuple[str, str]]:
    return [_request(call, ADMIN_UID) for call in calls]


def naive_requests(emulator: Emulator, plan_calls: list[RpcCall]) -> list[tuple[str, str]]:
    """Log in as the plan does, then one ``search_read`` of each managed record (by id, with the
    fields the plan reads for its model): the least a script reading resource by resource does."""
    login = [call for call in plan_calls if call.service != "object"]
    fields = {
        call.model: call.kwargs.get("fields")
        for call in plan_calls
        if call.model_method == "search_read" and call.model != "ir.model.data"
    }
    managed: Any = emulator.execute(
        "ir.model.data", "search_read", [("module", "=", NAMESPACE)], ["model", "res_id"]
    )
    reads = [
        RpcCall(
            "object",
            "execute_kw",
            row["model"],
            "search_read",
            [[("id", "=", row["res_id"])]],
            {"fields": fields.get(row["model"]), "context": {"active_test": False}},
        )
        for row in managed
    ]
    return floor_requests([*login, *reads])


# --- changes made by hand -----------------------------------------------------------------------


def _edit(row: dict[str, Any], model: str) -> dict[str, Any] | None:
    """A change by hand to a field the blueprints declare (None: leave this record)."""
    if model == "stock.warehouse":
        return {"name": f"{row['name']} (edited)"}
    if model == "stock.location":
        return {"active": False} if "/B" in row["complete_name"] else None
    if model == "stock.picking.type":
        return {"name": f"{row['name']} (edited)"}
    if model == "stock.route":
        return {"sequence": row["sequence"] + 1000}
    if model == "stock.rule":
        return {"procure_method": "make_to_stock"} if row["action"] == "pull" else None
    if model == "product.category":
        return {"removal_strategy_id": False}
    if model == "stock.putaway.rule":
        return {"sequence": row["sequence"] + 500}
    if model == "stock.warehouse.orderpoint":
        return {"product_max_qty": row["product_max_qty"] + 7}
    if model == "product.pricelist":
        return {"sequence": row["sequence"] + 100}
    if model == "product.pricelist.item":
        return {"percent_price": row["percent_price"] + 1}
    if model == "account.account":
        return {"name": f"{row['name']} (edited)"}
    if model == "res.groups":
        return {"comment": "edited by hand"}
    if model == "ir.model.access":
        return {"perm_unlink": not row["perm_unlink"]}
    return None


_READ = {
    "stock.warehouse": ["name"],
    "stock.location": ["complete_name"],
    "stock.picking.type": ["name"],
    "stock.route": ["sequence"],
    "stock.rule": ["action"],
    "product.category": ["name"],
    "stock.putaway.rule": ["sequence"],
    "stock.warehouse.orderpoint": ["product_max_qty"],
    "product.pricelist": ["sequence"],
    "product.pricelist.item": ["percent_price"],
    "account.account": ["name"],
    "res.groups": ["comment"],
    "ir.model.access": ["perm_unlink"],
}


def change_by_hand(emulator: Emulator) -> int:
    """Change about :data:`DRIFT` of each kind's managed records directly in the database."""
    changed = 0
    leftover: tuple[str, dict[str, Any], dict[str, Any]] | None = None
    for model, fields in _READ.items():
        ids: Any = emulator.execute(
            "ir.model.data",
            "search_read",
            [("module", "=", NAMESPACE), ("model", "=", model)],
            ["res_id"],
        )
        records = sorted(row["res_id"] for row in ids)
        rows: Any = emulator.execute(model, "read", records, fields, context={"active_test": False})
        candidates = [(row, edit) for row in rows if (edit := _edit(row, model)) is not None]
        wanted = round(len(records) * DRIFT)
        step = max(1, len(candidates) // max(1, wanted))
        for row, edit in candidates[::step][:wanted]:
            emulator.execute(model, "write", [row["id"]], edit)
            changed += 1
        if candidates and leftover is None:
            leftover = (model, *candidates[0])
    if not changed and leftover is not None:  # a small configuration: one record at least
        model, row, edit = leftover
        emulator.execute(model, "write", [row["id"]], edit)
        changed = 1
    return changed


# --- one size -----------------------------------------------------------------------------------


@contextmanager
def fresh_emulator() -> Iterator[Bench]:
    """A fresh emulator on loopback behind a byte-counting relay, and a project folder."""
    # The emulator's handler writes its headers and its body in two segments: with Nagle's
    # algorithm on, a keep-alive client waits for a delayed ACK (40 ms) on every answer.
    emulator_server._Handler.disable_nagle_algorithm = True
    emulator = Emulator(database=DATABASE, login="admin", password=PASSWORD)
    with (
        serve_emulator(emulator, host="127.0.0.1", port=0) as server,
        counting_relay(server.host, server.port) as (url, counters),
        tempfile.TemporaryDirectory(prefix="odooconf-bench-") as tmp,
    ):
        yield Bench(emulator, counters, url, Path(tmp))


def bench(size: int) -> tuple[Shape, list[Step], dict[str, float], dict[str, Any]]:
    with fresh_emulator() as b:
        emulator, root = b.emulator, b.root
        shape = write_project(root, size, b.url, PASSWORD_ENV, DATABASE)
        emulator.execute(
            "product.product",
            "create",
            [
                {"name": code, "default_code": code, "is_storable": True}
                for code in product_codes(shape)
            ],
        )
        steps = [b.odooconf("validate", "validate", "-e", "bench")]
        steps.append(b.odooconf("first plan", "plan", "-e", "bench"))
        steps.append(b.odooconf("apply", "apply", "-e", "bench", "--yes"))
        noop = [b.odooconf("no-op plan", "plan", "-e", "bench") for _ in range(REPEATS)]
        plan_calls = list(emulator.calls)
        stages = b.split()
        steps.append(_best(noop))
        reads = [c for c in plan_calls if c.model_method in ("search_read", "read")]
        floors = [
            b.replay("floor (replayed plan calls)", floor_requests(plan_calls),
                     f"{len(reads)} reads of {len(plan_calls)} calls")
            for _ in range(REPEATS)
        ]  # fmt: skip
        floor = _best(floors)
        steps.append(floor)
        naive = b.replay(
            "naive (a read per resource)", naive_requests(emulator, plan_calls), "by id"
        )
        steps.append(naive)
        changed = change_by_hand(emulator)
        drift_plan = b.odooconf("5% plan", "plan", "-e", "bench")
        drift_plan.note = f"{changed} records edited; " + drift_plan.note
        steps.append(drift_plan)
        steps.append(b.odooconf("5% apply", "apply", "-e", "bench", "--yes"))
        check = b.odooconf(
            "converged?", "plan", "-e", "bench", "--detailed-exitcode", expect=(0, 2)
        )
        if check.note != "no changes":
            print(f"warning: after the 5% apply the plan is not empty: {check.note}")
        noop_step = steps[3]
        ratios = {
            "no-op plan / floor, wall": noop_step.wall / floor.wall,
            "no-op plan / floor, CPU (client + emulator)": min(s.total_cpu for s in noop)
            / min(s.total_cpu for s in floors),
            "naive / plan, RPC calls": naive.calls / noop_step.calls,
        }
        audit, audit_ratios = auditor_steps(b, noop)
        return shape, steps + audit, ratios | audit_ratios, stages


# --- drift and export (issue 20) ------------------------------------------------------------------


def auditor_steps(b: Bench, noop: list[Step]) -> tuple[list[Step], dict[str, float]]:
    """A twin of the instance (its database copied) with 5 % changed by hand, served beside it:
    reading both (the drift's reads and normalisation, no comparison), the drift of the two live
    instances as HTML, and the export of the first; each best of :data:`REPEATS`."""
    b.emulator.dump(b.root / "twin.json")
    twin = Emulator.load(b.root / "twin.json", "admin", PASSWORD)
    edited = change_by_hand(twin)
    with serve_emulator(twin, host="127.0.0.1", port=0) as server:
        write_environment(b.root, server.url, PASSWORD_ENV, DATABASE, "twin")

        def both(step: Callable[[], Step]) -> Step:
            """``step``, with the twin's calls counted too."""
            twin.reset_calls()
            done = step()
            done.calls += len(twin.calls)
            return done

        environments = str(b.root / "environments")
        argv = [sys.executable, "-m", "benchmarks.read_both", environments, "bench", "twin"]
        reads = [both(lambda: b.run("read both", argv)) for _ in range(REPEATS)]
        drifts = [
            both(lambda: b.odooconf("drift, 2 live, html", "drift", "-e", "bench", "-e", "twin",
                                    "--format", "html"))
            for _ in range(REPEATS)
        ]  # fmt: skip
        html = (b.root / "stdout.txt").stat().st_size
    read, drift = _best(reads), _best(drifts)
    drift.note = f"{edited} records edited on the twin; report {html / 1e6:.2f} MB"
    out = b.root / "exported"
    argv = ["export", "-e", "bench", "-o", str(out)]
    exports = [b.odooconf("export", *argv) for _ in range(REPEATS)]
    export = _best(exports)
    export.note = f"{sum(1 for _ in out.iterdir())} files, {_size(out) / 1e6:.1f} MB"
    best_noop = _best(noop)
    ratios = {
        "drift / read both, wall (target ≤ 1.5)": drift.wall / read.wall,
        "drift / read both, CPU": min(s.total_cpu for s in drifts)
        / min(s.total_cpu for s in reads),
        "export / no-op plan, wall (target ≤ 2)": export.wall / best_noop.wall,
        "export / no-op plan, CPU": min(s.total_cpu for s in exports)
        / min(s.total_cpu for s in noop),
    }
    return [read, drift, export], ratios


def _size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.iterdir())


# --- the example's pricelists, 3 and 60 -----------------------------------------------------------

#: The shipped example's customer pricelists (Retail, Wholesale, Key Accounts).
EXAMPLE_PRICELISTS = (
    Path(__file__).resolve().parent.parent / "blueprints/commercial/pricelists.yaml"
)
#: The example's Wholesale break at 10 units, before and after the edit the last step applies.
_BREAK, _EDITED_BREAK = "{min_quantity: 10, percentage: 5}", "{min_quantity: 10, percentage: 6}"


def _example_pricelists(count: int) -> str:
    """The example's three pricelists and ``count - 3`` customer pricelists based on Wholesale,
    each with a category break of its own."""
    text = EXAMPLE_PRICELISTS.read_text(encoding="utf-8")
    return text + "".join(
        f"  - name: Customer {index:03d}\n"
        "    items:\n"
        f"      - {{base_pricelist: Wholesale, percentage: {index % 7}}}\n"
        f"      - {{category: All, min_quantity: {10 + index}, percentage: 3}}\n"
        for index in range(count - 3)
    )


def pricelist_calls(count: int) -> dict[str, int]:
    """RPC calls of the example's pricelist steps with ``count`` pricelists, on a fresh emulator."""
    with fresh_emulator() as b:
        write_environment(b.root, b.url, PASSWORD_ENV, DATABASE)
        blueprint = b.root / "blueprints" / "pricelists.yaml"
        blueprint.parent.mkdir()
        blueprint.write_text(_example_pricelists(count), encoding="utf-8")
        calls = {
            "first plan": b.odooconf("first plan", "plan", "-e", "bench").calls,
            "apply": b.odooconf("apply", "apply", "-e", "bench", "--yes").calls,
            "no-op plan": b.odooconf("no-op plan", "plan", "-e", "bench").calls,
        }
        blueprint.write_text(
            _example_pricelists(count).replace(_BREAK, _EDITED_BREAK), encoding="utf-8"
        )
        calls["plan of one edit"] = b.odooconf("edit plan", "plan", "-e", "bench").calls
        calls["apply of one edit"] = b.odooconf("edit apply", "apply", "-e", "bench", "--yes").calls
        return calls


def pricelist_table() -> str:
    """The example's pricelists planned and applied with 3 and with 60 pricelists."""
    few, many = pricelist_calls(3), pricelist_calls(60)
    lines = [
        "### The example's pricelists: RPC calls with 3 and with 60 pricelists",
        "",
        "| step | 3 pricelists | 60 pricelists |",
        "|---|--:|--:|",
        *(f"| {step} | {few[step]} | {many[step]} |" for step in few),
        "",
        "same calls: " + ("yes" if few == many else "NO"),
        "",
    ]
    return "\n".join(lines)


def split_table(stages: dict[str, Any]) -> str:
    """The no-op plan's client CPU by stage, without and with the cache of loaded blueprints."""
    names = list(dict.fromkeys([*stages["uncached"], *stages["cached"]]))
    lines = [
        "No-op plan, client CPU by stage (s; `benchmarks/split.py`, in one process):",
        "",
        "| | start-up | " + " | ".join(names) + " |",
        "|---|--:|" + "--:|" * len(names),
    ]
    for run in ("uncached", "cached"):
        figures = " | ".join(f"{stages[run].get(name, 0.0):.2f}" for name in names)
        lines.append(f"| {run} | {stages['start-up']:.2f} | {figures} |")
    return "\n".join([*lines, ""])


def table(size: int, shape: Shape, steps: list[Step], ratios: dict[str, float]) -> str:
    lines = [
        f"### {shape.total:,} resources (`make bench SIZES={size}`)",
        "",
        "| step | wall s | CPU s | emulator CPU s | RPC calls | sent KB | received KB | peak MB "
        "| notes |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    lines += [
        f"| {s.name} | {s.wall:.2f} | {s.cpu:.2f} | {s.server_cpu:.2f} | {s.calls:,} | "
        f"{s.sent / 1024:,.0f} | {s.received / 1024:,.0f} | {s.peak_mb:.0f} | {s.note} |"
        for s in steps
    ]
    lines += ["", " · ".join(f"{name}: {value:.2f}" for name, value in ratios.items()), ""]
    return "\n".join(lines)


def main() -> None:
    sizes = [int(arg) for arg in " ".join(sys.argv[1:]).split()] or list(DEFAULT_SIZES)
    print(f"odooconf benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for size in sizes:
        before = os.getloadavg()[0]
        shape, steps, ratios, stages = bench(size)
        print(table(size, shape, steps, ratios), flush=True)
        print(split_table(stages), flush=True)
        print(f"load average (1 min) before / after: {before:.1f} / {os.getloadavg()[0]:.1f}\n")
    print(pricelist_table(), flush=True)
    print(several.table(SEVERAL_SIZE), flush=True)


if __name__ == "__main__":
    main()
