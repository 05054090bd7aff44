"""An in-memory emulator of Odoo 18.0's external API (JSON-RPC as odoorpc speaks it).

It is NOT Odoo: it reproduces the observable behaviour captured from a real Odoo 18 server
(records of a fresh database, side effects, error texts) for tests and demos.
"""

from .emulator import Emulator, EmulatorCrash, RpcCall
from .errors import OdooError
from .server import RunningServer, serve_emulator

__all__ = ["Emulator", "EmulatorCrash", "OdooError", "RpcCall", "RunningServer", "serve_emulator"]
