"""Benchmarks (``make bench``): plan and apply cost against the emulator, by configuration size.

Speed and memory are measured here, never asserted in tests. RPC call counts are the durable
figure: on a real Odoo each call costs 12-18 ms however little it does.
"""
