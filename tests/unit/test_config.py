"""Environment files (``load_environment``) and the password read from the process environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from odooconf.config import environment_names, load_environment
from odooconf.errors import BlueprintError, UserError

TreeBuilder = Callable[[dict[str, str]], Path]

MINIMAL = """\
    odoo:
      url: http://localhost:8069
      database: distrib
      login: admin
      password_env: ODOOCONF_TEST_PASSWORD
"""

FULL = """\
    odoo:
      url: https://odoo.example.com
      database: distrib
      login: deploy
      password_env: ODOOCONF_TEST_PASSWORD
      timeout: 30
    variables:
      company: ACME
      regions: [{code: RW1}]
    include: ["stock/**/*.yaml"]
    exclude: ["stock/legacy/*"]
    xmlid_namespace: acme_conf
    prune: archive
"""


def test_valid_file(tree: TreeBuilder) -> None:
    root = tree({"environments/production.yaml": FULL})

    env = load_environment(root / "environments", "production")

    assert env.name == "production"
    assert env.path == root / "environments" / "production.yaml"
    spec, odoo = env.spec, env.odoo
    assert (odoo.url, odoo.database, odoo.login) == (
        "https://odoo.example.com",
        "distrib",
        "deploy",
    )
    assert odoo.password_env == "ODOOCONF_TEST_PASSWORD"
    assert odoo.timeout == 30.0
    assert spec.variables == {"company": "ACME", "regions": [{"code": "RW1"}]}
    assert (spec.include, spec.exclude) == (["stock/**/*.yaml"], ["stock/legacy/*"])
    assert (spec.xmlid_namespace, spec.prune) == ("acme_conf", "archive")


def test_defaults(tree: TreeBuilder) -> None:
    root = tree({"dev.yaml": MINIMAL})

    env = load_environment(root, "dev")
    spec = env.spec

    assert spec.variables == {}
    assert (spec.include, spec.exclude) == (["**/*"], [])
    assert (spec.xmlid_namespace, spec.prune, env.odoo.timeout) == ("odooconf", "never", 120.0)


@pytest.mark.parametrize(
    ("extra", "line", "crumb"),
    [
        ("colour: red\n", 6, "colour"),
        ("variables: {}\nincludes: ['*']\n", 7, "includes"),
    ],
)
def test_unknown_top_level_key(tree: TreeBuilder, extra: str, line: int, crumb: str) -> None:
    root = tree({"dev.yaml": MINIMAL + "    " + extra.replace("\n", "\n    ")})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.path) == ("OC-E001", crumb)
    assert problem.message.startswith("unknown key")
    allowed = "(allowed: odoo, variables, include, exclude, xmlid_namespace, prune, "
    assert allowed in problem.message
    assert problem.source is not None
    assert (problem.source.file, problem.source.line) == (str(root / "dev.yaml"), line)


def test_unknown_key_inside_odoo(tree: TreeBuilder) -> None:
    root = tree({"dev.yaml": MINIMAL + "      port: 8069\n"})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.path, problem.message) == (
        "OC-E001",
        "odoo › port",
        "unknown key (allowed: url, database, login, password_env, timeout, company, transport, "
        "version)",
    )
    assert problem.source is not None
    assert problem.source.line == 6


@pytest.mark.parametrize(
    ("old", "new", "crumb", "line"),
    [
        ("http://localhost:8069", "ftp://localhost", "odoo › url", 2),
        ("database: distrib", "database: ''", "odoo › database", 3),
        ("ODOOCONF_TEST_PASSWORD", "1BAD-NAME", "odoo › password_env", 5),
        ("      login: admin\n", "", "odoo › login", 1),
    ],
)
def test_invalid_values(tree: TreeBuilder, old: str, new: str, crumb: str, line: int) -> None:
    root = tree({"dev.yaml": MINIMAL.replace(old, new)})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    assert [(d.code, d.path) for d in caught.value.diagnostics] == [("OC-E001", crumb)]
    assert caught.value.diagnostics[0].source is not None
    assert caught.value.diagnostics[0].source.line == line


@pytest.mark.parametrize(
    ("extra", "crumb"),
    [
        ("prune: destroy", "prune"),
        ("xmlid_namespace: Bad-Namespace", "xmlid_namespace"),
        ("xmlid_namespace: 1abc", "xmlid_namespace"),
        ("include: '**/*'", "include"),
    ],
)
def test_invalid_options(tree: TreeBuilder, extra: str, crumb: str) -> None:
    root = tree({"dev.yaml": MINIMAL + "    " + extra + "\n"})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    assert [(d.code, d.path) for d in caught.value.diagnostics] == [("OC-E001", crumb)]
    assert caught.value.diagnostics[0].source is not None
    assert caught.value.diagnostics[0].source.line == 6


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://[::1", "http(s)://host[:port]"),  # urlsplit raises: plan crashed with exit 3
        ("http://localhost:99999", "port"),
        ("http://localhost:port", "port"),
        ("http://admin:hunter2@localhost:8069", "must not contain credentials"),
        ("http://admin:hunter2@[::1", "must not contain credentials"),
        ("https://admin@odoo.example.com", "must not contain credentials"),
        ("http://localhost:8069/web", "must not have a path"),
        ("http://", "http(s)://host[:port]"),
    ],
)
def test_an_url_odooconf_cannot_use_is_refused_at_validate(
    tree: TreeBuilder, url: str, words: str
) -> None:
    root = tree({"dev.yaml": MINIMAL.replace("http://localhost:8069", f"'{url}'")})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    [problem] = caught.value.diagnostics
    assert (problem.path, problem.source.line if problem.source else None) == ("odoo › url", 2)
    assert words in problem.message
    assert "hunter2" not in problem.render()


def test_an_ipv6_url_is_accepted(tree: TreeBuilder) -> None:
    root = tree({"dev.yaml": MINIMAL.replace("http://localhost:8069", "'http://[::1]:8069'")})

    assert load_environment(root, "dev").odoo.url == "http://[::1]:8069"


@pytest.mark.parametrize("value", [".nan", "[1, {price: -.inf}]", "1.0e+999"])
def test_a_variable_that_is_not_a_finite_number_is_refused(tree: TreeBuilder, value: str) -> None:
    root = tree({"dev.yaml": MINIMAL + f"    variables:\n      price: {value}\n"})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    [problem] = caught.value.diagnostics
    assert problem.source is not None and problem.source.line == 7
    assert "is not a finite number" in problem.message


def test_a_secret_written_in_the_file_is_never_echoed(tree: TreeBuilder) -> None:
    root = tree(
        {
            "dev.yaml": MINIMAL.replace("ODOOCONF_TEST_PASSWORD", "hunter2 s3cret!")
            + "      password: hunter2-s3cret\n"
        }
    )

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    rendered = [d.render() for d in caught.value.diagnostics]
    assert sorted(d.path for d in caught.value.diagnostics) == [
        "odoo › password",
        "odoo › password_env",
    ]
    assert not any("hunter2" in text for text in rendered)


def test_invalid_yaml_gives_line(tree: TreeBuilder) -> None:
    root = tree({"dev.yaml": "odoo:\n  url: [http://x\n"})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    (problem,) = caught.value.diagnostics
    assert problem.code == "OC-L010"
    assert problem.source is not None
    assert (problem.source.file, problem.source.line) == (str(root / "dev.yaml"), 3)


@pytest.mark.parametrize("text", ["", "# nothing\n", "- a list\n"])
def test_file_that_is_not_a_mapping(tree: TreeBuilder, text: str) -> None:
    root = tree({"dev.yaml": text})

    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")

    assert [d.code for d in caught.value.diagnostics] == ["OC-E001"]


def test_missing_file_lists_known_environments(tree: TreeBuilder) -> None:
    root = tree({"production.yaml": MINIMAL, "dev.yaml": MINIMAL, "notes.txt": "x"})

    with pytest.raises(UserError) as caught:
        load_environment(root, "staging")

    message = str(caught.value)
    assert "no environment 'staging'" in message
    assert str(root / "staging.yaml") in message
    assert "(known: dev, production)" in message


def test_missing_file_in_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\(known: none\)"):
        load_environment(tmp_path, "dev")


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        load_environment(tmp_path / "nowhere", "dev")


@pytest.mark.parametrize(
    "name",
    [
        "../dev",
        "sub/dev",
        "/etc/passwd",
        "",
        "dev env",
        "dév",
        pytest.param(
            "dev\n",
        ),
    ],
)
def test_invalid_name(tree: TreeBuilder, name: str) -> None:
    root = tree({"dev.yaml": MINIMAL})

    with pytest.raises(UserError) as caught:
        load_environment(root, name)

    assert str(caught.value) == f"invalid environment name {name!r}"


def test_environment_names(tree: TreeBuilder) -> None:
    root = tree({"b.yaml": MINIMAL, "a.yaml": MINIMAL, "c.yml": MINIMAL, "d.txt": ""})

    assert environment_names(root) == ["a", "b"]


def test_password_is_read_from_the_named_variable(
    tree: TreeBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree({"dev.yaml": MINIMAL})
    monkeypatch.setenv("ODOOCONF_TEST_PASSWORD", "s3cret-value")
    env = load_environment(root, "dev")

    assert env.password() == "s3cret-value"
    assert "s3cret-value" not in repr(env)


@pytest.mark.parametrize("value", [None, ""])
def test_unset_password_names_the_variable(
    tree: TreeBuilder, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    root = tree({"dev.yaml": MINIMAL})
    if value is None:
        monkeypatch.delenv("ODOOCONF_TEST_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("ODOOCONF_TEST_PASSWORD", value)
    # Secrets in other variables must not leak into the message.
    monkeypatch.setenv("ODOOCONF_TEST_PASSWORD_2", "other-s3cret")
    monkeypatch.setenv("ODOO_PASSWORD", "another-s3cret")
    env = load_environment(root, "dev")

    with pytest.raises(UserError) as caught:
        env.password()

    message = str(caught.value)
    assert "environment variable ODOOCONF_TEST_PASSWORD is not set" in message
    assert "'admin'" in message
    assert "'dev'" in message
    assert "s3cret" not in message


def test_unknown_key_suggests_the_allowed_ones(tree: TreeBuilder) -> None:
    root = tree({"dev.yaml": MINIMAL.replace("password_env:", "passwrd_env:")})
    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")
    messages = [d.message for d in caught.value.diagnostics]
    assert any(
        m.startswith("unknown key; did you mean 'password_env'? (allowed: url, database, login")
        for m in messages
    )


@pytest.mark.parametrize(
    "text",
    ["variables: {}\n", "snapshot: prod.json\nodoo: {url: 'http://h', database: d, login: a,"
     " password_env: P}\n"],
)  # fmt: skip
def test_an_environment_names_a_server_or_a_snapshot(tree: TreeBuilder, text: str) -> None:
    root = tree({"dev.yaml": text})
    with pytest.raises(BlueprintError) as caught:
        load_environment(root, "dev")
    assert "either odoo (a server) or snapshot (a file)" in str(caught.value.diagnostics[0])


def test_a_snapshot_environment_names_its_file_next_to_it(tree: TreeBuilder) -> None:
    root = tree({"prod.yaml": "snapshot: evidence/prod.json\n"})
    env = load_environment(root, "prod")
    assert env.snapshot == root / "evidence" / "prod.json"
    assert env.release is None
