#!/usr/bin/env bash
# Runs odooconf's main job on the bundled demo environment: starts the Odoo API emulator
# (a stand-in for trying the tool, NOT Odoo) on a loopback port, validates the blueprints,
# plans, applies, and plans again to show that a second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8169}"
bin=.venv/bin
export ODOOCONF_DEMO_PASSWORD="${ODOOCONF_DEMO_PASSWORD:-demo-only-password}"
state=.odooconf/demo-emulator.json
mkdir -p .odooconf
rm -f "$state"  # every demo starts from a fresh database

"$bin/python" -m odooconf.testing serve --port "$port" --database demo --login admin \
  --password-env ODOOCONF_DEMO_PASSWORD --state "$state" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true' EXIT
"$bin/python" - "$port" "$emulator" <<'PY'
import os, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        sys.exit(0)
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            sys.exit("the emulator exited before it was ready")
        time.sleep(0.1)
sys.exit(f"the emulator did not start listening on port {port}")
PY

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
step "$bin/odooconf" validate
step "$bin/odooconf" plan -e demo
step "$bin/odooconf" apply -e demo --yes
step "$bin/odooconf" plan -e demo --detailed-exitcode

printf '\n\033[1m# Someone renames warehouse RW1 by hand in Odoo...\033[0m\n'
"$bin/python" - "$port" <<'PY'
import os, sys, odoorpc
odoo = odoorpc.ODOO("127.0.0.1", port=int(sys.argv[1]))
odoo.login("demo", "admin", os.environ["ODOOCONF_DEMO_PASSWORD"])
ids = odoo.execute_kw("stock.warehouse", "search", [[("code", "=", "RW1")]])
odoo.execute_kw("stock.warehouse", "write", [ids, {"name": "Renamed by hand"}])
PY
step "$bin/odooconf" plan -e demo --detailed-exitcode || true
step "$bin/odooconf" apply -e demo --yes
step "$bin/odooconf" plan -e demo --detailed-exitcode
