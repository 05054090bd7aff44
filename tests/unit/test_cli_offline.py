"""The command line without an Odoo server: validate, early plan failures, exit codes."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from odooconf.cli import main
from odooconf.config import Environment
from odooconf.kinds import SECTIONS

TreeBuilder = Callable[[dict[str, str]], Path]

REPOSITORY = Path(__file__).resolve().parents[2]

BLUEPRINT = """\
    warehouses:
      - code: DC1
        name: "{{ company }} Central"
        locations: [Stock/Bulk]
    {% for code in regions %}
      - code: {{ code }}
        name: "{{ company }} {{ code }}"
        resupply_from: [DC1]
    {% endfor %}
    locations:
      - path: DC1/Stock/Bulk/Shelf
"""

KNOWN_SECTIONS = ", ".join(sorted(SECTIONS))


def environment(
    company: str | None = "ACME",
    regions: str = "[RW1]",
    url: str = "http://127.0.0.1:8069",
) -> str:
    company_line = f"      company: {company}\n" if company is not None else ""
    return (
        "    odoo:\n"
        f"      url: {url}\n"
        "      database: distrib\n"
        "      login: admin\n"
        "      password_env: ODOOCONF_CLI_TEST_PASSWORD\n"
        "      timeout: 10\n"
        "    variables:\n"
        f"{company_line}"
        f"      regions: {regions}\n"
    )


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def odooconf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Callable[..., Result]:
    """Run ``odooconf`` on the tree under tmp_path (or on explicit directories)."""

    def run(*args: str, blueprints: Path | None = None, environments: Path | None = None) -> Result:
        argv = [
            "--blueprints",
            str(blueprints or tmp_path / "blueprints"),
            "--environments",
            str(environments or tmp_path / "environments"),
            "--state-dir",
            str(tmp_path / "state"),
            *args,
        ]
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def free_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- validate ----------------------------------------------------------------------------------


def test_validate_good_tree(tree: TreeBuilder, odooconf: Callable[..., Result]) -> None:
    tree(
        {
            "blueprints/stock/w.yaml": BLUEPRINT,
            "environments/dev.yaml": environment(regions="[RW1]"),
            "environments/production.yaml": environment(regions="[RW1, RW2, RW3]"),
        }
    )

    result = odooconf("validate")

    assert result.code == 0
    assert result.out.splitlines() == [
        "environment dev: valid (2 location, 2 warehouse)",
        "environment production: valid (2 location, 4 warehouse)",
    ]
    assert result.err == ""


def test_validate_named_environment_only(
    tree: TreeBuilder, odooconf: Callable[..., Result]
) -> None:
    tree(
        {
            "blueprints/w.yaml": BLUEPRINT,
            "environments/dev.yaml": environment(),
            "environments/broken.yaml": environment(company=None),
        }
    )

    result = odooconf("validate", "-e", "dev")

    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == ["environment dev: valid (2 location, 2 warehouse)"]


def test_validate_empty_blueprints(tree: TreeBuilder, odooconf: Callable[..., Result]) -> None:
    tree({"blueprints/w.yaml": "# nothing yet\n", "environments/dev.yaml": environment()})

    result = odooconf("validate")

    assert (result.code, result.out) == (0, "environment dev: valid (no resources)\n")


def test_validate_bad_tree_reports_located_errors(
    tree: TreeBuilder, odooconf: Callable[..., Result]
) -> None:
    root = tree(
        {
            "blueprints/w.yaml": """\
                warehouses:
                  - code: DC1
                    name: Central
                    colour: red
                  - code: TOOLONG
                    name: Regional
                warehous: []
            """,
            "environments/dev.yaml": environment(),
        }
    )
    blueprint = root / "blueprints" / "w.yaml"

    result = odooconf("validate", "-e", "dev")

    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        "environment dev: invalid",
        f"error: {blueprint}:4: warehouses[0] (DC1) › colour: unknown key 'colour' "
        "(allowed: code, name, company, reception_steps, delivery_steps, resupply_from, "
        "active, locations, id, state) [OC-V010]",
        f"error: {blueprint}:5: warehouses[1] (TOOLONG) › code: 'TOOLONG' has 7 characters; "
        "Odoo stores at most 5 (it would truncate the code and the blueprint would never "
        "converge) [OC-V010]",
        f"error: {blueprint}:7: unknown section 'warehous'; did you mean 'warehouses'? known: "
        f"{KNOWN_SECTIONS} [OC-V002]",
        "3 error(s); nothing was changed in Odoo.",
    ]
    assert "Traceback" not in result.out + result.err


def test_validate_checks_every_environment(
    tree: TreeBuilder, odooconf: Callable[..., Result]
) -> None:
    root = tree(
        {
            "blueprints/w.yaml": BLUEPRINT,
            # Sorted first, and invalid: the others are still validated.
            "environments/a_no_company.yaml": environment(company=None),
            "environments/b_bad_file.yaml": environment() + "    colour: red\n",
            "environments/dev.yaml": environment(),
            "environments/production.yaml": environment(regions="[RW1, RW2]"),
        }
    )

    result = odooconf("validate")

    assert result.code == 1
    assert result.out.splitlines() == [
        "environment dev: valid (2 location, 2 warehouse)",
        "environment production: valid (2 location, 3 warehouse)",
    ]
    assert "environment a_no_company: invalid" in result.err
    assert (
        f"error: {root / 'blueprints' / 'w.yaml'}:3: undefined template variable: "
        "'company' is undefined"
    ) in result.err
    assert "environment b_bad_file: invalid" in result.err
    assert (
        f"error: {root / 'environments' / 'b_bad_file.yaml'}:10: colour: unknown key (allowed: "
    ) in result.err
    assert "Traceback" not in result.out + result.err


def test_shipped_example_validates_in_every_environment(
    odooconf: Callable[..., Result],
) -> None:
    environments = REPOSITORY / "environments"
    names = sorted(path.stem for path in environments.glob("*.yaml"))
    assert names, "the repository ships example environments"

    result = odooconf("validate", blueprints=REPOSITORY / "blueprints", environments=environments)

    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"environment {name}" for name in names]
    assert all(": valid (" in line and "warehouse" in line for line in lines)


def test_unknown_environment(tree: TreeBuilder, odooconf: Callable[..., Result]) -> None:
    tree({"blueprints/w.yaml": BLUEPRINT, "environments/dev.yaml": environment()})

    result = odooconf("validate", "-e", "qa")

    assert result.code == 1
    assert "error: no environment 'qa'" in result.err
    assert "(known: dev)" in result.err


def test_missing_environment_directory(tmp_path: Path, odooconf: Callable[..., Result]) -> None:
    result = odooconf("validate")

    assert result.code == 1
    assert result.err == (
        f"error: environment directory {tmp_path / 'environments'} does not exist\n"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plan"], "Missing option '-e'"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["plan", "-e", "dev", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_usage_errors_exit_1(
    tree: TreeBuilder, odooconf: Callable[..., Result], args: list[str], words: str
) -> None:
    tree({"blueprints/w.yaml": BLUEPRINT, "environments/dev.yaml": environment()})

    result = odooconf(*args)

    assert result.code == 1
    assert words in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", ["apply", "check", "doctor"])
def test_more_than_one_environment_is_a_usage_error(
    tree: TreeBuilder, odooconf: Callable[..., Result], command: str
) -> None:
    """``apply -e dev -e production`` must not apply production alone and exit 0 (``plan``
    plans several: tests/integration/test_several.py)."""
    tree(
        {
            "blueprints/w.yaml": BLUEPRINT,
            "environments/dev.yaml": environment(),
            "environments/production.yaml": environment(),
        }
    )

    result = odooconf(command, "-e", "dev", "-e", "production")

    assert result.code == 1
    assert result.out == ""
    assert "Usage:" in result.err
    assert "one environment" in result.err
    assert "'-e' / '--env'" in result.err


# --- plan, failing before any Odoo call --------------------------------------------------------


def test_plan_without_password_names_the_variable(
    tree: TreeBuilder, odooconf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ODOOCONF_CLI_TEST_PASSWORD", raising=False)
    tree({"blueprints/w.yaml": BLUEPRINT, "environments/dev.yaml": environment()})

    result = odooconf("plan", "-e", "dev")

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith(
        "error: environment variable ODOOCONF_CLI_TEST_PASSWORD is not set"
    )


def test_plan_checks_blueprints_before_connecting(
    tree: TreeBuilder, odooconf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ODOOCONF_CLI_TEST_PASSWORD", raising=False)

    def no_password(self: Environment) -> str:
        raise AssertionError("the password must not be needed for invalid blueprints")

    monkeypatch.setattr(Environment, "password", no_password)
    tree(
        {
            "blueprints/w.yaml": "warehouses:\n  - {code: DC1}\n",
            "environments/dev.yaml": environment(),
        }
    )

    result = odooconf("plan", "-e", "dev")

    assert result.code == 1
    assert "warehouses[0] (DC1) › name: required key is missing [OC-V010]" in result.err
    assert "nothing was changed in Odoo" in result.err


def test_plan_against_unreachable_url(
    tree: TreeBuilder, odooconf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ODOOCONF_CLI_TEST_PASSWORD", "s3cret-value")
    url = f"http://127.0.0.1:{free_port()}"
    tree({"blueprints/w.yaml": BLUEPRINT, "environments/dev.yaml": environment(url=url)})

    result = odooconf("plan", "-e", "dev")

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith(f"error: cannot reach Odoo at {url}")
    assert "s3cret-value" not in result.err
    assert "Traceback" not in result.err


# --- unexpected errors -------------------------------------------------------------------------


def test_internal_error_exits_3_with_a_log_file(
    tree: TreeBuilder,
    odooconf: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))

    def broken(*args: object) -> None:
        raise RuntimeError("stage exploded")

    monkeypatch.setattr("odooconf.engine.pipeline.load_blueprints", broken)
    tree({"blueprints/w.yaml": BLUEPRINT, "environments/dev.yaml": environment()})

    result = odooconf("validate", "-e", "dev")

    assert result.code == 3
    assert "unexpected internal error: RuntimeError('stage exploded')" in result.err
    assert "Traceback" not in result.err
    (log,) = logs.glob("odooconf-crash-*.log")
    assert str(log) in result.err
    content = log.read_text(encoding="utf-8")
    assert content.startswith("odooconf 0.1.0, Python ")
    assert "Traceback (most recent call last)" in content
    assert "in broken" in content
    assert "RuntimeError: stage exploded" in content


def test_version(odooconf: Callable[..., Result]) -> None:
    result = odooconf("--version")

    assert (result.code, result.out) == (0, "odooconf, version 0.1.0\n")


def test_validate_without_any_environment_says_so(
    tree: TreeBuilder, tmp_path: Path, odooconf: Callable[..., Result]
) -> None:
    tree({"blueprints/w.yaml": BLUEPRINT, "environments/README.txt": "no environment yet\n"})

    result = odooconf("validate")

    assert result.code == 1
    assert result.err == (
        f"error: no environment files (<name>.yaml) in {tmp_path / 'environments'}: nothing "
        "to validate\n"
    )
