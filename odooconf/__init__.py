"""Configuration-as-code for Odoo."""

__version__ = "0.1.0"
