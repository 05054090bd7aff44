"""Where the reference data is looked for, and what a missing reference does to a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import REFERENCE, REFERENCE_19, REFERENCE_TIER
from .helpers import reference_dir, reference_root


def test_reference_is_found_beside_a_checkout_of_any_name(tmp_path: Path) -> None:
    for checkout in ("main", "odooconf-ci-4711"):
        test_file = tmp_path / checkout / "tests" / "emulator" / "conftest.py"
        assert reference_root(test_file) == tmp_path.resolve() / "shared" / "odoo-reference"
    # This checkout: the fixtures' folders are the three sets of the shared reference.
    here = reference_root(Path(__file__))
    assert (here / "18", here / "19", here / "18-tier") == (REFERENCE, REFERENCE_19, REFERENCE_TIER)


def test_present_reference_is_returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert reference_dir(tmp_path) == tmp_path


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_missing_reference_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"not found at .*missing \(required when CI"):
        reference_dir(tmp_path / "missing")


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_missing_reference_skips_outside_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str | None
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="reference data not found"):
        reference_dir(tmp_path / "missing")
