"""``python -m benchmarks.read_both ENVIRONMENTS A B``: read the configuration of two
environments as ``odooconf drift -e A -e B`` does (connect, read every kind, normalise), and
nothing else: no comparison, no report. The drift's baseline in ``make bench``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from odooconf.config import load_environment
from odooconf.drift.commands import _gateway
from odooconf.drift.normal import read_configuration


def main() -> None:
    directory, *names = sys.argv[1:]
    for name in names:
        env = load_environment(Path(directory), name)
        config, _live = read_configuration(_gateway(env), env.spec.xmlid_namespace)
        print(f"{name}: {sum(len(records) for records in config.kinds.values())} records")


if __name__ == "__main__":
    main()
