"""Stage 7 details that need no server: how declared values are put in the instance's shape."""

from __future__ import annotations

from typing import Any

import pytest

from odooconf.engine.diff import stored_value


@pytest.mark.parametrize(
    ("value", "info", "expected"),
    [
        (10.555, {"type": "float", "digits": [16, 2]}, 10.56),  # half up, as Odoo rounds
        (10.5, {"type": "float", "digits": [16, 0]}, 11.0),
        (3, {"type": "float", "digits": [16, 3]}, 3.0),
        (10.555, {"type": "float"}, 10.555),  # no declared precision: left as written
        (10.555, {"type": "float", "digits": False}, 10.555),
        ("x", {"type": "char"}, "x"),
        (None, {"type": "float", "digits": [16, 2]}, None),
    ],
)
def test_floats_take_the_precision_odoo_stores(
    value: Any, info: dict[str, Any], expected: Any
) -> None:
    assert stored_value(value, info) == expected
