"""What Odoo 16.0 and 17.0 change on top of the 18.0 seed (filled in below)."""

from __future__ import annotations

from typing import Any

DELTAS: dict[str, dict[str, Any]] = {}
