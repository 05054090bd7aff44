"""Shared vocabulary of the pipeline: imports nothing else from odooconf."""
