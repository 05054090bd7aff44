"""``python -m odooconf``."""

from odooconf.cli import main

main()
