"""``python -m benchmarks.split OUT.json ODOOCONF-ARGS...``: where a no-op plan's CPU goes.

Run in a process of its own by ``make bench``: the plan command (``odooconf.cli.main``) twice in
this process, first without the cache of loaded blueprints (emptied before), then with it, each
stage's CPU time measured around the pipeline's own functions. Written to OUT.json as
``{"start-up": s, "uncached": {stage: s}, "cached": {stage: s}}``; start-up is the imports the
plan command needs (the interpreter's own start is the same for every command and not in it).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Functions timed, as (module, name), by the stage they belong to.
STAGES = {
    ("odooconf.engine.pipeline", "load_documents"): "load",
    ("odooconf.engine.render", "render_documents"): "load",
    ("odooconf.engine.parse", "parse_documents"): "load",
    ("odooconf.engine.pipeline", "validate_documents"): "validate",
    ("odooconf.engine.pipeline", "resolve_references"): "validate",
    ("odooconf.engine.pipeline", "check_blueprint_sod"): "validate",
    ("odooconf.engine.cache", "read"): "cache",
    ("odooconf.engine.pipeline", "read_live_state"): "read",
    ("odooconf.engine.pipeline", "diff_resources"): "diff",
}


def _timed(spent: dict[str, float], stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.process_time() - start

    return timed


def _plan(argv: list[str], spent: dict[str, float]) -> dict[str, float]:
    from odooconf import cli  # noqa: PLC0415 (imported once, before: start-up)

    spent.clear()
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        cli.main(argv)
    total = time.process_time() - start
    stages = {name: round(value, 3) for name, value in spent.items()}
    stages.setdefault("cache", 0.0)
    stages["other"] = round(total - sum(spent.values()), 3)
    stages["total"] = round(total, 3)
    return stages


def main() -> None:
    out, argv = Path(sys.argv[1]), sys.argv[2:]
    start = time.process_time()
    from odooconf import cli  # noqa: F401, PLC0415
    from odooconf.engine import pipeline  # noqa: F401, PLC0415
    from odooconf.odoo import connect, rpc  # noqa: F401, PLC0415

    startup = time.process_time() - start
    spent: dict[str, float] = {}
    for (module, name), stage in STAGES.items():
        owner = importlib.import_module(module)
        setattr(owner, name, _timed(spent, stage, getattr(owner, name)))
    state = Path(argv[argv.index("--state-dir") + 1])
    shutil.rmtree(state / "cache", ignore_errors=True)
    uncached = _plan(argv, spent)
    cached = _plan(argv, spent)
    result = {"start-up": round(startup, 3), "uncached": uncached, "cached": cached}
    out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
