"""Command line: ``python -m odooconf.testing serve`` runs the emulator until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

from .emulator import Emulator
from .probe import wait_for_instance
from .seed import DEFAULT_VERSION, VERSIONS
from .server import serve_emulator

#: Not 8069: a real Odoo may be listening there.
DEFAULT_PORT = 8169


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m odooconf.testing",
        description="Emulator of Odoo's external API (16.0 to 19.0) for tests and demos "
        "(it is NOT Odoo).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve the emulator over HTTP (JSON-RPC, and JSON-2 on 19.0)",
        description="Serve a fresh emulated Odoo database until SIGTERM or Ctrl-C. An "
        "environment file aims at it with odoo.url http://HOST:PORT, odoo.database DATABASE, "
        "odoo.login LOGIN and odoo.password_env naming a variable holding the same password.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port to listen on (default: %(default)s; not 8069, where a real Odoo may run)",
    )
    serve.add_argument("--database", default="demo", help="database name (default: %(default)s)")
    serve.add_argument("--login", default="admin", help="the admin's login (default: %(default)s)")
    serve.add_argument(
        "--odoo-version",
        default=DEFAULT_VERSION,
        choices=VERSIONS,
        help="the Odoo version presented: its fields, records and behaviour "
        "(default: %(default)s; a --state file keeps the version it was saved with)",
    )
    serve.add_argument(
        "--password-env",
        default="ODOO_PASSWORD",
        metavar="VAR",
        help="environment variable holding the admin password, which must be set "
        "(default: %(default)s)",
    )
    serve.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="load the store from FILE if it exists and save it after every change (default: "
        "none, a fresh database at every start)",
    )
    serve.add_argument(
        "--module",
        action="append",
        default=[],
        choices=("base_tier_validation", "purchase_tier_validation"),
        help="an optional module installed on the fresh database (repeat; OCA tier validation, "
        "18.0 only: --module base_tier_validation --module purchase_tier_validation)",
    )
    serve.add_argument(
        "--instance",
        metavar="ID",
        help="identifier GET /odooconf/emulator answers (default: a random one)",
    )
    wait = commands.add_parser(
        "wait",
        help="wait until the emulator with the given instance id answers at URL",
        description="Exit 0 once the emulator started with --instance ID answers at URL; exit 1 "
        "if process PID exits first, or if something else answers there until the timeout.",
    )
    wait.add_argument("--url", required=True)
    wait.add_argument("--instance", required=True, metavar="ID")
    wait.add_argument("--pid", type=int, help="the emulator's process id")
    wait.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    return parser


def serve(args: argparse.Namespace) -> int:
    password = os.environ.get(args.password_env)
    if password is None:
        print(
            f"error: environment variable {args.password_env} is not set "
            "(it holds the emulator's admin password)",
            file=sys.stderr,
        )
        return 2
    if args.state is not None and args.state.exists():
        emulator = Emulator.load(
            args.state, login=args.login, password=password, instance=args.instance
        )
    else:
        emulator = Emulator(
            args.database,
            args.login,
            password,
            instance=args.instance,
            version=args.odoo_version,
            modules=tuple(args.module),
        )
    emulator.state_path = args.state
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with ExitStack() as stack:
        try:
            server = stack.enter_context(serve_emulator(emulator, args.host, args.port))
        except OSError as exc:
            print(
                f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            return 1
        print(
            f"odooconf emulator (NOT Odoo) listening on {server.url} database={emulator.database}"
            + ("" if emulator.version == DEFAULT_VERSION else f" version={emulator.version}"),
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    return 0


def wait(args: argparse.Namespace) -> int:
    problem = wait_for_instance(args.url, args.instance, args.pid, args.timeout)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "wait":
        return wait(args)
    try:
        return serve(args)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
