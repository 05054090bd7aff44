"""Property-based fuzzing of the offline stages (load, render, parse, validate) and of
environment files: whatever the input, the outcome is resources or located diagnostics, never
another exception. Bounded and derandomized: a few seconds, the same examples on every run."""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odooconf.config import Environment, load_environment
from odooconf.engine.pipeline import load_blueprints
from odooconf.errors import BlueprintError, UserError
from odooconf.kinds import KINDS

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SECTIONS = sorted({*(kind.section for kind in KINDS.values() if kind.section), "bogus"})
FIELDS = sorted(
    {
        *(name for kind in KINDS.values() for name in kind.spec.model_fields),
        "code", "name", "path", "locations", "rules", "xmlid", "id", "bogus",
    }
)  # fmt: skip
NAME = "fuzz.yaml"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["DC1", "DC1/Stock", "WH/Stock", "All / Saleable", "{xmlid: a.b}", "Buy",
                     "{{ company }}", "{{ nope }}", "{% if %}", "pull", "one_step", ""]),
)  # fmt: skip
#: Keys as users write them (``Name`` included: corpus case ``blueprints/shape_capitalised_key``).
keys = st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), keys), inner, max_size=6),
    ),
    max_leaves=25,
)
items = st.dictionaries(st.sampled_from(FIELDS), values, max_size=7)
blueprints = st.dictionaries(
    st.sampled_from(SECTIONS),
    st.one_of(st.lists(st.one_of(items, values), max_size=5), values),
    max_size=4,
)

#: YAML's punctuation, Jinja's delimiters and a few words.
YAML_TOKENS = st.sampled_from(
    [*"abcDC1/: -[]{},&*!|>'\"#%@`?\n\t\\", "{{", "}}", "{%", "%}", "warehouses", "code"]
)


@pytest.fixture(scope="module")
def workspace() -> Iterator[tuple[Path, Environment]]:
    with tempfile.TemporaryDirectory(prefix="odooconf-fuzz-") as tmp:
        root = Path(tmp)
        (root / "blueprints").mkdir()
        (root / "environments").mkdir()
        (root / "environments" / "fuzz.yaml").write_text(
            "odoo: {url: 'http://127.0.0.1:9', database: d, login: a, password_env: FUZZ_PW}\n"
            "variables: {company: My Company}\n"
        )
        yield root, load_environment(root / "environments", "fuzz")


def _offline(root: Path, env: Environment, data: bytes) -> None:
    """Load a blueprint of these bytes: resources, or diagnostics that each name the file."""
    (root / "blueprints" / NAME).write_bytes(data)
    try:
        load_blueprints(root / "blueprints", env)
    except BlueprintError as exc:
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            assert diagnostic.source is not None, diagnostic
            assert diagnostic.source.file.endswith(NAME), diagnostic
            assert diagnostic.message.strip(), diagnostic
            diagnostic.render()


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@settings(FUZZ, max_examples=80)
@given(document=blueprints)
def test_structured_blueprints_give_resources_or_located_diagnostics(
    workspace: tuple[Path, Environment], document: dict[str, Any]
) -> None:
    root, env = workspace
    _offline(root, env, _dump(document))


@FUZZ
@given(text=st.lists(YAML_TOKENS, max_size=120).map("".join))
def test_yaml_shaped_text_gives_resources_or_located_diagnostics(
    workspace: tuple[Path, Environment], text: str
) -> None:
    root, env = workspace
    _offline(root, env, text.encode("utf-8"))


@settings(FUZZ, max_examples=60)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_give_resources_or_located_diagnostics(
    workspace: tuple[Path, Environment], data: bytes
) -> None:
    root, env = workspace
    _offline(root, env, data)


@settings(FUZZ, max_examples=60)
@given(
    document=st.one_of(
        values,
        st.fixed_dictionaries(
            {"odoo": st.one_of(values, st.dictionaries(
                st.sampled_from(["url", "database", "login", "password_env", "timeout",
                                 "company", "transport", "version", "bogus"]),
                values, max_size=8))},
            optional={"variables": values, "include": values, "exclude": values,
                      "xmlid_namespace": values, "prune": values},
        ),
    )
)  # fmt: skip
def test_environment_files_load_or_give_located_errors(
    workspace: tuple[Path, Environment], document: Any
) -> None:
    root, _env = workspace
    (root / "environments" / "generated.yaml").write_bytes(_dump(document))
    try:
        env = load_environment(root / "environments", "generated")
    except BlueprintError as exc:
        for diagnostic in exc.diagnostics:
            assert diagnostic.source is not None, diagnostic
            assert diagnostic.source.file.endswith("generated.yaml"), diagnostic
        return
    except UserError as exc:
        assert "generated" in str(exc)
        return
    assert env.odoo.timeout > 0 and math.isfinite(env.odoo.timeout)
