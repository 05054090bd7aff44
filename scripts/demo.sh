#!/usr/bin/env bash
# Runs odooconf's main job on the bundled demo environment: starts the Odoo API emulator
# (a stand-in for trying the tool, NOT Odoo) on a loopback port, validates the blueprints,
# plans, applies, and plans again to show that a second run changes nothing.
#   bash scripts/demo.sh [PORT]     (make demo PORT=8269; default 8169)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8169}"
bin=.venv/bin
export ODOOCONF_DEMO_PASSWORD="${ODOOCONF_DEMO_PASSWORD:-demo-only-password}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
  echo "demo: invalid port '$port'" >&2
  exit 2
fi
url="http://127.0.0.1:$port"

# Per-port working files, so that demos on different ports do not share a database:
# the emulator's state (fresh at every demo) and environments/demo.yaml with this port's url.
work=".odooconf/demo-$port"
state="$work/emulator.json"
envs="$work/environments"
rm -rf "$work"
mkdir -p "$envs"
sed -E "s#^(  url:).*#\1 $url#" environments/demo.yaml >"$envs/demo.yaml"
if ! grep -qx "  url: $url" "$envs/demo.yaml"; then
  echo "demo: environments/demo.yaml has no 'odoo: url:' line to point at port $port" >&2
  exit 1
fi

# The emulator must be the one answering on the port, not whatever was already listening there:
# it is started with a fresh instance id, and nothing runs until that id answers.
instance="demo-$$-$RANDOM$RANDOM"
"$bin/python" -m odooconf.testing serve --port "$port" --database demo --login admin \
  --password-env ODOOCONF_DEMO_PASSWORD --state "$state" --instance "$instance" >/dev/null &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true' EXIT
if ! "$bin/python" -m odooconf.testing wait --url "$url" --instance "$instance" \
  --pid "$emulator" --timeout 30; then
  printf 'demo: stopped before planning or applying anything. If another program uses port %s,\n' \
    "$port" >&2
  printf 'choose a free one: make demo PORT=%s\n' "$((port < 65436 ? port + 100 : 8269))" >&2
  exit 1
fi
printf '\033[1m# The odooconf emulator (NOT Odoo) is listening at %s, database demo.\033[0m\n' "$url"
printf '\033[1m# Below, odooconf is %s (environments/demo.yaml for port %s).\033[0m\n' \
  "$bin/odooconf --environments $envs" "$port"

odooconf() { "$bin/odooconf" --environments "$envs" "$@"; }
step() { printf '\n\033[1m$ odooconf %s\033[0m\n' "$*"; odooconf "$@"; }
step validate
step plan -e demo
step apply -e demo --yes
step plan -e demo --detailed-exitcode

printf '\n\033[1m# Someone renames warehouse RW1 by hand in Odoo...\033[0m\n'
"$bin/python" - "$port" <<'PY'
import os, sys, odoorpc
odoo = odoorpc.ODOO("127.0.0.1", port=int(sys.argv[1]))
odoo.login("demo", "admin", os.environ["ODOOCONF_DEMO_PASSWORD"])
ids = odoo.execute_kw("stock.warehouse", "search", [[("code", "=", "RW1")]])
odoo.execute_kw("stock.warehouse", "write", [ids, {"name": "Renamed by hand"}])
PY
step plan -e demo --detailed-exitcode || true
step apply -e demo --yes
step plan -e demo --detailed-exitcode
