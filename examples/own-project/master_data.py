"""Create the master data the README's "Your own project" blueprints name, which odooconf looks
up but never creates: a product (by internal reference), a vendor (a partner, by name) and a
user (by login). For the bundled emulator or a test database, never a production one.

    ODOO_PASSWORD=admin python examples/own-project/master_data.py [URL] [DATABASE] [LOGIN]

Defaults: http://127.0.0.1:8169 demo admin, the emulator's (python -m odooconf.testing serve).
Running it again creates nothing twice.
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlsplit

import odoorpc


def main(url: str = "http://127.0.0.1:8169", database: str = "demo", login: str = "admin") -> None:
    parts = urlsplit(url)
    protocol = "jsonrpc+ssl" if parts.scheme == "https" else "jsonrpc"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    odoo = odoorpc.ODOO(parts.hostname, protocol=protocol, port=port)
    odoo.login(database, login, os.environ["ODOO_PASSWORD"])
    products = odoo.env["product.product"]
    # A product whose stock is tracked: Odoo 18 and 19 say is_storable, 16 and 17 detailed_type.
    storable = (
        {"is_storable": True}
        if "is_storable" in products.fields_get()
        else {"detailed_type": "product"}
    )
    _ensure(products, "default_code", "RICE-5KG", {"name": "Rice 5 kg", **storable})
    _ensure(odoo.env["res.partner"], "name", "Acme Foods", {"is_company": True})
    _ensure(odoo.env["res.users"], "login", "bruno.buyer", {"name": "Bruno Buyer"})


def _ensure(model: Any, field: str, value: str, values: dict[str, Any]) -> None:
    found = model.search([(field, "=", value)])
    if found:
        print(f"{model._name} {value}: already there (#{found[0]})")
        return
    print(f"{model._name} {value}: created (#{model.create({field: value, **values})})")


if __name__ == "__main__":
    main(*sys.argv[1:])
