"""odooconf over Odoo 19's JSON-2 API, end to end against the emulator's 19.0 profile: plan,
apply and converge; the same errors and messages as over JSON-RPC; which transport is chosen;
the same calls on both transports.

The emulator mints the API keys (a real Odoo needs a web session for that), so these tests are
``emulator_only``.
"""

from __future__ import annotations

import http.server
import socket
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from odooconf.config import load_environment
from odooconf.engine.pipeline import plan_environment
from odooconf.errors import OdooconfError, RemoteError, UserError
from odooconf.odoo.connect import Transport, connect
from odooconf.odoo.gateway import Gateway
from odooconf.odoo.json2 import Json2Gateway
from odooconf.odoo.rpc import RpcGateway
from odooconf.testing import Emulator, RpcCall, serve_emulator

from .conftest import Odoo, Project

pytestmark = pytest.mark.emulator_only("JSON-2 needs an API key, which only the emulator mints")

DATABASE = "distrib19"
PASSWORD = "json2-password-5c1d"
#: The variable the environments name: it holds the API key (or, for a test, the password).
SECRET_ENV = "ODOOCONF_TEST_JSON2_SECRET"
#: Odoo's own warehouse, adopted and renamed, with two new locations: no second warehouse, which
#: would make Odoo switch on multi-warehouse (a plan error unless the login has Settings).
WAREHOUSE = """\
    warehouses:
      - code: WH
        name: Central DC
        locations: [Stock/Bulk, {path: Stock/Cold, barcode: WH-COLD}]
"""
#: What logging in asks of the object service, besides version and login requests.
LOGIN_CALLS = {("res.users", "context_get"), ("res.users", "read")}


@dataclass
class Lab:
    """A served emulator, a project aimed at it, and the admin's API key."""

    emulator: Emulator
    url: str
    key: str
    project: Project

    def environment(self, name: str, transport: Transport, login: str = "admin") -> None:
        text = f"""\
            odoo:
              url: {self.url}
              database: {self.emulator.database}
              login: {login}
              password_env: {SECRET_ENV}
              transport: {transport}
            variables: {{company: My Company}}
        """
        folder = self.project.root / "environments"
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")

    def object_calls(self) -> list[tuple[str | None, str | None]]:
        """Model methods called, but the logins' (odoorpc: ``common.login`` then
        ``context_get``; JSON-2: ``context_get`` then a ``read`` of the key's user)."""
        calls = [(c.model, c.model_method) for c in self.emulator.calls if c.service == "object"]
        return [call for call in calls if call not in LOGIN_CALLS]


@contextmanager
def _served(version: str, **options: Any) -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(DATABASE, "admin", PASSWORD, version=version, **options)
    with serve_emulator(emulator) as server:
        yield emulator, server.url
    assert not emulator.crashes


LabFactory = Callable[..., Lab]
BOTH: tuple[Transport, ...] = ("json2", "jsonrpc")
ALL: tuple[Transport, ...] = ("json2", "jsonrpc", "auto")


@pytest.fixture
def make_lab(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[LabFactory]:
    """``make_lab(version="19.0", name="lab")``: a fresh emulator and a project aimed at it; the
    secret variable holds the admin's API key."""
    with ExitStack() as stack:

        def make(version: str = "19.0", name: str = "lab") -> Lab:
            emulator, url = stack.enter_context(_served(version))
            key = emulator.add_api_key()
            monkeypatch.setenv(SECRET_ENV, key)
            root = tmp_path / name
            (root / "blueprints").mkdir(parents=True)
            project = Project(root, Odoo(url, DATABASE, _emulator=emulator), capsys)
            return Lab(emulator, url, key, project)

        yield make


@pytest.fixture
def lab(make_lab: LabFactory) -> Lab:
    return make_lab()


def _connect(
    lab: Lab, transport: Transport, secret: str | None = None, login: str = "admin"
) -> Gateway:
    return connect(lab.url, DATABASE, login, secret or lab.key, transport=transport)


def _error(call: Callable[..., object], *args: Any, **kwargs: Any) -> OdooconfError:
    """The error ``call(*args, **kwargs)`` raises."""
    with pytest.raises(OdooconfError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- plan, apply, converge ------------------------------------------------------------------------


def test_plan_apply_and_converge_over_json2(lab: Lab) -> None:
    lab.project.write("stock/warehouses.yaml", WAREHOUSE)
    lab.environment("j2", "json2")
    planned = lab.project.run("plan", "-e", "j2", "--detailed-exitcode")
    assert planned.code == 2, planned.out + planned.err
    assert "* warehouse WH" in planned.out
    assert "+ location WH/Stock/Cold" in planned.out
    assert "(Odoo 19.0)" in planned.out
    lab.emulator.reset_calls()
    applied = lab.project.run("apply", "-e", "j2", "--yes")
    assert applied.code == 0, applied.out + applied.err
    # Everything went through /json/2: no JSON-RPC login, no execute_kw.
    assert {(c.service, c.method) for c in lab.emulator.calls} == {
        ("web", "version"),
        ("object", "json2"),
    }
    [warehouse] = lab.emulator.execute("stock.warehouse", "search_read", [], ["name", "code"])
    assert (warehouse["code"], warehouse["name"]) == ("WH", "Central DC")
    cold = lab.emulator.execute(
        "stock.location", "search_read", [("barcode", "=", "WH-COLD")], ["complete_name"]
    )
    assert [row["complete_name"] for row in cold] == ["WH/Stock/Cold"]
    converged = lab.project.run("plan", "-e", "j2", "--detailed-exitcode")
    assert converged.code == 0, converged.out + converged.err


def test_auto_plans_over_json2_where_the_server_has_it(lab: Lab) -> None:
    lab.project.write("stock/warehouses.yaml", WAREHOUSE)
    lab.environment("auto", "auto")
    lab.emulator.reset_calls()
    result = lab.project.run("plan", "-e", "auto")
    assert result.code == 0, result.out + result.err
    assert "* warehouse WH" in result.out
    assert lab.emulator.calls[0] == RpcCall("web", "version", None, None, [], {})
    assert {c.method for c in lab.emulator.calls if c.service == "object"} == {"json2"}
    assert not [c for c in lab.emulator.calls if c.service == "common"]


# --- which transport ------------------------------------------------------------------------------


def test_auto_picks_json2_on_a_server_that_has_it(lab: Lab) -> None:
    gateway = _connect(lab, "auto")
    assert isinstance(gateway, Json2Gateway)
    assert (gateway.server.transport, gateway.server.version, gateway.server.uid) == (
        "json2",
        "19.0",
        2,
    )
    # GET /web/version was asked once, by the choice, and counts as the gateway's first call.
    assert [c.method for c in lab.emulator.calls if c.service == "web"] == ["version"]
    assert gateway.call_count == 3 == len(lab.emulator.calls)


def test_jsonrpc_when_forced_even_where_json2_is_served(lab: Lab) -> None:
    gateway = _connect(lab, "jsonrpc")  # the API key in place of the password
    assert isinstance(gateway, RpcGateway)
    assert gateway.server.transport == "jsonrpc"
    assert not [c for c in lab.emulator.calls if c.method == "json2"]
    assert isinstance(_connect(lab, "jsonrpc", PASSWORD), RpcGateway)


def test_auto_picks_jsonrpc_on_a_server_without_json2(make_lab: LabFactory) -> None:
    lab = make_lab(version="18.0")
    gateway = _connect(lab, "auto", PASSWORD)
    assert isinstance(gateway, RpcGateway)
    assert (gateway.server.transport, gateway.server.version) == ("jsonrpc", "18.0")


def test_json2_forced_on_a_server_without_it_says_so(make_lab: LabFactory) -> None:
    lab = make_lab(version="18.0")
    error = _error(_connect, lab, "json2")
    assert isinstance(error, UserError)
    assert str(error) == (
        f"Odoo at {lab.url} has no JSON-2 API (GET /web/version answered HTTP 404): it needs "
        "Odoo 19 or later; set odoo.transport to jsonrpc (or auto) for this server"
    )


def test_the_environment_chooses_the_transport(lab: Lab) -> None:
    lab.project.write("stock/warehouses.yaml", WAREHOUSE)
    for transport in BOTH:
        lab.environment(transport, transport)
        lab.emulator.reset_calls()
        result = lab.project.run("plan", "-e", transport)
        assert result.code == 0, result.out + result.err
        methods = {c.method for c in lab.emulator.calls if c.service == "object"}
        # odoorpc asks context_get with execute, the rest with execute_kw.
        assert methods == ({"execute", "execute_kw"} if transport == "jsonrpc" else {"json2"})


def test_an_unknown_transport_is_a_located_error(lab: Lab) -> None:
    lab.environment("bad", "json3")  # type: ignore[arg-type]
    result = lab.project.run("plan", "-e", "bad")
    assert result.code == 1
    assert "odoo › transport" in result.err
    assert "'auto', 'jsonrpc' or 'json2'" in result.err


JSON2_ADVICE = (
    "; this server speaks JSON-2, which takes an API key, never a password: put an API key "
    "of the login (Preferences › Account Security › New API Key) in that variable, or set "
    "odoo.transport: jsonrpc, which accepts the password"
)


# --- the same errors on both transports -----------------------------------------------------------


def test_wrong_key_reads_as_a_wrong_password(lab: Lab) -> None:
    over_json2 = _error(_connect, lab, "json2", "0" * 40)
    over_jsonrpc = _error(_connect, lab, "jsonrpc", "not-the-password")
    refused = (
        f"login as 'admin' on database '{DATABASE}' at {lab.url} was refused: wrong login or "
        "password/API key (check the variable named by password_env)"
    )
    assert str(over_jsonrpc) == refused
    # JSON-2 takes no password: it says so, and how to log in with one.
    assert str(over_json2) == refused + JSON2_ADVICE
    # The password is no API key: JSON-2 refuses it as Odoo 19 does.
    assert str(_error(_connect, lab, "json2", PASSWORD)) == str(over_json2)


def test_wrong_key_on_the_command_line(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    lab.project.write("stock/warehouses.yaml", WAREHOUSE)
    monkeypatch.setenv(SECRET_ENV, "not-a-key")
    errors = {}
    for transport in BOTH:
        lab.environment("test", transport)
        result = lab.project.run("plan", "-e", "test")
        assert result.code == 1
        assert result.out == ""
        errors[transport] = result.err
    assert errors["json2"] == errors["jsonrpc"].replace(
        " [environment", JSON2_ADVICE + " [environment"
    )
    assert "was refused: wrong login or password/API key" in errors["json2"]
    assert f"password from ${SECRET_ENV}]" in errors["json2"]
    assert "not-a-key" not in errors["json2"]


def test_a_key_of_another_user_is_refused(lab: Lab) -> None:
    error = _error(_connect, lab, "json2", login="deployer")
    assert str(error) == (
        f"the API key for 'deployer' on database '{DATABASE}' at {lab.url} belongs to 'admin': "
        "give 'deployer''s key, or set odoo.login to 'admin'"
    )


def test_unknown_database_reads_the_same(lab: Lab) -> None:
    messages = {
        t: str(_error(connect, lab.url, "nodb", "admin", lab.key, transport=t)) for t in BOTH
    }
    assert (
        messages["json2"]
        == messages["jsonrpc"]
        == (f"database 'nodb' does not exist on the Odoo server at {lab.url}")
    )


def test_access_denied_reads_the_same(lab: Lab) -> None:
    uid = lab.emulator.add_user("viewer", "viewer-pw", readonly=True)
    key = lab.emulator.add_api_key(uid)
    messages = []
    for transport in BOTH:
        gateway = _connect(lab, transport, key, login="viewer")
        error = _error(gateway.create, "stock.location", [{"name": "Nope"}])
        assert isinstance(error, RemoteError)
        messages.append(str(error))
    assert messages[0] == messages[1]
    assert messages[0].startswith(
        "Odoo denied 'viewer' access for stock.location.create: You are not allowed to create"
    )


def test_access_denied_reads_the_same_on_both_transports(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = lab.emulator.add_user("viewer", "viewer-pw", readonly=True)
    monkeypatch.setenv(SECRET_ENV, lab.emulator.add_api_key(uid))
    lab.project.write("stock/locations.yaml", "locations:\n  - path: WH/Stock/Shelf\n")
    outputs = []
    for transport in BOTH:
        lab.environment("test", transport, login="viewer")
        # plan: apply would stop earlier, at the lock on the instance (Settings only)
        result = lab.project.run("plan", "-e", "test")
        assert result.code == 1
        outputs.append(result.out + result.err)
    assert outputs[0] == outputs[1]
    # As on a real Odoo, an internal user may not even read ir.model (Access Rights).
    assert "Odoo denied 'viewer' access for ir.model.search_read" in outputs[0]


def test_missing_model_and_field_read_the_same(lab: Lab) -> None:
    for transport in BOTH:
        gateway = _connect(lab, transport)
        model = _error(gateway.search_read, "no.such.model", [], ["name"])
        assert str(model) == (
            "Odoo refused no.such.model.search_read: model 'no.such.model' does not exist on "
            "this instance (is the module providing it installed?)"
        )
        domain = [("no_such_field", "=", 1)]
        field = _error(gateway.search_read, "stock.warehouse", domain, ["name"])
        assert str(field).startswith("Odoo refused stock.warehouse.search_read (ValueError): ")
        assert "no_such_field" in str(field)


def test_constraint_error_reads_the_same(lab: Lab) -> None:
    messages = set()
    for transport in BOTH:
        gateway = _connect(lab, transport)
        error = _error(gateway.create, "stock.warehouse", [{"name": "X", "code": "WH"}])
        messages.add(str(error))
    assert messages == {
        "Odoo refused stock.warehouse.create (ValidationError): The operation cannot be "
        "completed: The short name of the warehouse must be unique per company!"
    }


def test_constraint_error_during_apply(lab: Lab) -> None:
    stock = lab.emulator.execute("stock.location", "search", [("complete_name", "=", "WH/Stock")])
    lab.emulator.execute(
        "stock.location", "create", {"name": "Taken", "location_id": stock[0], "barcode": "B-1"}
    )
    lab.project.write(
        "stock/locations.yaml", "locations:\n  - {path: WH/Stock/Shelf, barcode: B-1}\n"
    )
    outputs = []
    for transport in BOTH:
        lab.environment("test", transport)
        result = lab.project.run("apply", "-e", "test", "--yes")
        assert result.code == 1, result.out + result.err
        outputs.append(result.out + result.err)
    assert outputs[0] == outputs[1]
    assert "Odoo refused stock.location.create (ValidationError)" in outputs[0]


def _listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def test_unreachable_server_reads_the_same() -> None:
    with _listening_socket() as sock:  # bound, not listening: connections are refused
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        messages = {str(_error(connect, url, DATABASE, "admin", "k", transport=t)) for t in ALL}
    assert messages == {
        f"cannot reach Odoo at {url}: connection refused (is the server running and the port "
        "right?)"
    }


def test_timeout_reads_the_same() -> None:
    with _listening_socket() as sock:
        sock.listen(8)  # accepts connections, never answers
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        messages = {
            str(_error(connect, url, DATABASE, "admin", "k", transport=t, timeout=0.3))
            for t in BOTH
        }
    assert messages == {f"cannot reach Odoo at {url}: timed out"}


class _NotOdoo(http.server.BaseHTTPRequestHandler):
    """A web server that answers a page to everything."""

    def _page(self) -> None:
        body = b"<html><body>Welcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_garbage_answers_read_the_same() -> None:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotOdoo)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        messages = {str(_error(connect, url, DATABASE, "admin", "k", transport=t)) for t in ALL}
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert messages == {
        f"cannot reach Odoo at {url}: the answer is not Odoo's JSON (is this an Odoo server?)"
    }


# --- the same calls on both transports ------------------------------------------------------------


def test_the_same_plan_and_apply_make_the_same_calls(make_lab: LabFactory) -> None:
    calls: dict[str, list[tuple[str | None, str | None]]] = {}
    totals: dict[str, int] = {}
    for transport in BOTH:
        lab = make_lab(name=transport)
        lab.project.write("stock/warehouses.yaml", WAREHOUSE)
        lab.environment("test", transport)
        lab.project.apply_ok()
        lab.project.converged()
        calls[transport] = lab.object_calls()
        totals[transport] = len(lab.emulator.calls)
    assert calls["json2"] == calls["jsonrpc"]
    assert totals["json2"] == totals["jsonrpc"]


def _plan_calls(lab: Lab, transport: Transport, locations: int) -> int:
    paths = [f"WH/Stock/Bin {n}" for n in range(locations)]
    text = "locations:\n" + "".join(f"  - {{path: {p}}}\n" for p in paths)
    (lab.project.blueprints / "stock").mkdir(exist_ok=True)
    (lab.project.blueprints / "stock" / "locations.yaml").write_text(text, encoding="utf-8")
    lab.environment("count", transport)
    env = load_environment(lab.project.root / "environments", "count")
    gateway = _connect(lab, transport)
    before = gateway.call_count
    plan_environment(lab.project.blueprints, env, gateway)
    return int(gateway.call_count - before)


def test_plan_calls_do_not_grow_with_records_and_match_across_transports(lab: Lab) -> None:
    counts = {
        (transport, size): _plan_calls(lab, transport, size)
        for transport in BOTH
        for size in (1, 6)
    }
    assert len(set(counts.values())) == 1, counts
