"""Rendering only: plans, apply results and diagnostics as text, markdown or JSON."""
