"""A distributor's configuration of about ``size`` resources, for the benchmark.

Run ``python -m benchmarks.generate SIZE DIR`` to write it (``DIR/blueprints``,
``DIR/environments/bench.yaml``, ``DIR/products.txt``) and look at it. The mix, at 10,000, after
the issue's example:

- 40 warehouses (two steps in, pick-ship out) with 27 sub-locations each (3 zones of 8 bins);
- 80 operation types (2 per warehouse: a quality hold and a returns type);
- 400 routes with 1,200 rules (3 rules each, between the warehouses' generated locations);
- 200 product categories (3 levels under ``All``);
- 800 putaway rules (by category and by product, into the bins);
- 320 reordering rules (8 products in each warehouse), on products created in the database
  first (products are master data odooconf does not create);
- 60 pricelists with 2,200 items (by category and by product, volume breaks);
- 2,000 accounts (codes from 700000, beside the installed chart's);
- 150 roles with 1,500 access rights (10 models each), every fifth implying the one before.

Smaller and larger sizes scale every count (at least one of each). Each file is plain YAML, no
template loops, so that validate measures parsing and validation, not Jinja.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

#: Per 10,000 resources.
_WAREHOUSES = 40
_ZONES = 3
_BINS = 8
_ROUTES = 400
_RULES_PER_ROUTE = 3
_CATEGORIES = 200
_PUTAWAYS = 800
_PRODUCTS_PER_WAREHOUSE = 8
_PRICELISTS = 60
_ITEMS = 2_200
_ACCOUNTS = 2_000
_ROLES = 150
_RIGHTS_PER_ROLE = 10
#: Models of a fresh Odoo 18 with stock, purchase, sale and account that roles grant rights on.
RIGHT_MODELS = (
    "stock.picking", "stock.move", "stock.quant", "stock.location", "stock.warehouse",
    "stock.route", "stock.rule", "stock.picking.type", "stock.lot", "stock.scrap",
    "product.template", "product.product", "product.category", "product.pricelist",
    "product.supplierinfo", "purchase.order", "purchase.order.line", "sale.order",
    "sale.order.line", "account.move", "account.move.line", "account.account", "account.journal",
    "account.tax", "account.payment", "res.partner", "uom.uom", "stock.putaway.rule",
    "stock.warehouse.orderpoint", "product.pricelist.item",
)  # fmt: skip
BASE = 10_000


@dataclass(frozen=True)
class Shape:
    """How many of each kind a configuration of ``size`` resources holds."""

    warehouses: int
    zones: int
    bins: int
    routes: int
    categories: int
    putaways: int
    products: int
    pricelists: int
    items: int
    accounts: int
    roles: int

    @classmethod
    def of(cls, size: int) -> Shape:
        scale = size / BASE
        # Above 10,000 the warehouses stay at 40 and get more bins (each warehouse makes Odoo
        # generate dozens of locations, routes, rules and operation types).
        warehouses = max(1, min(_WAREHOUSES, round(_WAREHOUSES * scale)))
        per_wh = max(2, round(_ZONES * (1 + _BINS) * scale * _WAREHOUSES / warehouses))
        zones = max(1, min(_ZONES, per_wh // 2))
        bins = max(1, per_wh // zones - 1)
        return cls(
            warehouses=warehouses,
            zones=zones,
            bins=bins,
            routes=max(1, round(_ROUTES * scale)),
            categories=max(1, round(_CATEGORIES * scale)),
            putaways=max(1, round(_PUTAWAYS * scale)),
            products=max(1, round(_PRODUCTS_PER_WAREHOUSE * scale * _WAREHOUSES / warehouses)),
            pricelists=max(1, round(_PRICELISTS * scale)),
            items=max(1, round(_ITEMS * scale)),
            accounts=max(1, round(_ACCOUNTS * scale)),
            roles=max(1, round(_ROLES * scale)),
        )

    @property
    def locations(self) -> int:
        return self.warehouses * self.zones * (1 + self.bins)

    @property
    def total(self) -> int:
        return (
            self.warehouses
            + self.locations
            + 2 * self.warehouses  # operation types
            + self.routes * (1 + _RULES_PER_ROUTE)
            + self.categories
            + self.putaways
            + self.warehouses * self.products  # reordering rules
            + self.pricelists
            + self.items
            + self.accounts
            + self.roles * (1 + _RIGHTS_PER_ROLE)
        )


def _code(i: int) -> str:
    return f"W{i:03d}"


def product_codes(shape: Shape) -> list[str]:
    return [f"BP-{i:05d}" for i in range(shape.products)]


def _bins(shape: Shape, wh: int) -> list[str]:
    return [
        f"{_code(wh)}/Stock/Z{zone}/B{b:02d}"
        for zone in range(shape.zones)
        for b in range(shape.bins)
    ]


def _warehouses(shape: Shape) -> str:
    lines = ["warehouses:"]
    for wh in range(shape.warehouses):
        code = _code(wh)
        lines += [
            f"  - code: {code}",
            f"    name: Bench DC {wh}",
            "    reception_steps: two_steps",
            "    delivery_steps: pick_ship",
            "    locations:",
        ]
        for zone in range(shape.zones):
            lines.append(f"      - {{path: Stock/Z{zone}, barcode: {code}-Z{zone}}}")
            lines += [f"      - Stock/Z{zone}/B{b:02d}" for b in range(shape.bins)]
    return "\n".join(lines) + "\n"


def _operation_types(shape: Shape) -> str:
    lines = ["operation_types:"]
    for wh in range(shape.warehouses):
        code = _code(wh)
        lines += [
            f"  - {{warehouse: {code}, sequence_code: QH, name: Quality Hold {code}, "
            f"type: internal, default_source: {code}/Stock, "
            f"default_destination: {code}/Stock/Z0, use_existing_lots: true}}",
            f"  - {{warehouse: {code}, sequence_code: RET, name: Returns {code}, "
            f"type: incoming, default_destination: {code}/Stock, sequence: 30}}",
        ]
    return "\n".join(lines) + "\n"


def _routes(shape: Shape) -> str:
    lines = ["routes:"]
    for r in range(shape.routes):
        code = _code(r % shape.warehouses)
        zone = r % shape.zones
        lines += [
            f"  - name: Bench Route {r:04d}",
            f"    sequence: {100 + r % 50}",
            "    selectable: {products: true, product_categories: true, warehouses: false}",
            "    rules:",
            f"      - {{action: pull, source: {code}/Stock/Z{zone}, destination: {code}/Output, "
            f"operation_type: {code}/PICK, supply_method: make_to_order}}",
            f"      - {{action: pull, source: {code}/Output, destination: Customers, "
            f"operation_type: {code}/OUT, supply_method: make_to_order}}",
            f"      - {{action: push, source: {code}/Input, destination: {code}/Stock/Z{zone}, "
            f"operation_type: {code}/INT, lead_time: {r % 5}}}",
        ]
    return "\n".join(lines) + "\n"


def category_paths(shape: Shape) -> list[str]:
    """Three levels under ``All``: ``All / Bench Cn``, ``… / Sm``, ``… / Lk``."""
    paths: list[str] = []
    top = 0
    while len(paths) < shape.categories:
        paths.append(f"All / Bench C{top}")
        for sub in range(4):
            paths.append(f"All / Bench C{top} / S{sub}")
            paths += [f"All / Bench C{top} / S{sub} / L{leaf}" for leaf in range(4)]
        top += 1
    return paths[: shape.categories]


def _categories(shape: Shape) -> str:
    methods = ("standard", "average", "fifo")
    strategies = ("fifo", "lifo", "closest")
    lines = ["product_categories:"]
    for i, path in enumerate(category_paths(shape)):
        lines.append(
            f"  - {{path: {path}, costing_method: {methods[i % 3]}, "
            f"removal_strategy: {strategies[i % 3]}}}"
        )
    return "\n".join(lines) + "\n"


def _putaways(shape: Shape) -> str:
    categories = category_paths(shape)
    products = product_codes(shape)
    lines = ["putaway_rules:"]
    for p in range(shape.putaways):
        wh = p % shape.warehouses
        bins = _bins(shape, wh)
        target = bins[(p // shape.warehouses) % len(bins)]
        # Half by category, half by product; each (in, what, out) is its own key.
        slot = p // shape.warehouses
        if p % 2 == 0:
            what = f"category: {categories[slot % len(categories)]}"
        else:
            what = f"product: {products[slot % len(products)]}"
        lines.append(
            f"  - {{location_in: {_code(wh)}/Stock, {what}, location_out: {target}, "
            f"sequence: {p % 100}}}"
        )
    return "\n".join(_unique(lines)) + "\n"


def _unique(lines: list[str]) -> list[str]:
    """Drop repeated putaway keys (small sizes wrap around their lists)."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = line.split(", sequence:")[0]
        if key not in seen:
            seen.add(key)
            kept.append(line)
    return kept


def _reordering(shape: Shape) -> str:
    lines = ["reordering_rules:"]
    for wh in range(shape.warehouses):
        for i, product in enumerate(product_codes(shape)):
            low = 10 + (wh + i) % 40
            lines.append(
                f"  - {{product: {product}, location: {_code(wh)}/Stock, min: {low}, "
                f"max: {low * 3}, multiple: {1 + i % 6}}}"
            )
    return "\n".join(lines) + "\n"


def _pricelists(shape: Shape) -> str:
    """Items spread over the pricelists; each targets a category or a product, with a volume
    break that makes its key unique within its pricelist."""
    targets = [f"category: {path}" for path in category_paths(shape)]
    targets += [f"product: {code}" for code in product_codes(shape)]
    lines = ["pricelists:"]
    per_list = -(-shape.items // shape.pricelists)
    written = 0
    for p in range(shape.pricelists):
        lines += [f"  - name: Bench Pricelist {p:03d}", f"    sequence: {10 + p}", "    items:"]
        for i in range(min(per_list, shape.items - written)):
            target = targets[(p + i) % len(targets)]
            low = 10 * (i // len(targets))
            lines.append(
                f"      - {{{target}, min_quantity: {low}, percentage: {1 + (p + i) % 20}}}"
            )
            written += 1
        if lines[-1] == "    items:":
            lines[-1] = "    items: []"
    return "\n".join(lines) + "\n"


def _accounts(shape: Shape) -> str:
    types = ("income", "expense", "asset_current", "liability_current")
    lines = ["accounts:"]
    for i in range(shape.accounts):
        kind = types[i % len(types)]
        lines.append(
            f"  - {{code: '{700000 + i}', name: Bench Account {i:04d}, type: {kind}, "
            f"reconcile: {str(kind == 'asset_current').lower()}}}"
        )
    return "\n".join(lines) + "\n"


def _roles(shape: Shape) -> str:
    """Roles without an application (their key is their name), each granting rights on 10
    models; every fifth implies the role before it."""
    lines = ["roles:"]
    for r in range(shape.roles):
        lines += [f"  - name: Bench Role {r:03d}", f"    comment: Generated role {r}"]
        if r % 5 == 4:
            lines.append(f"    implied: [Bench Role {r - 1:03d}]")
        lines.append("    access_rights:")
        for j in range(_RIGHTS_PER_ROLE):
            model = RIGHT_MODELS[(r + j) % len(RIGHT_MODELS)]
            write = str((r + j) % 3 == 0).lower()
            lines.append(f"      - {{model: {model}, read: true, write: {write}, create: {write}}}")
    return "\n".join(lines) + "\n"


def write_project(root: Path, size: int, url: str, password_env: str, database: str) -> Shape:
    """Write the configuration and an environment ``bench`` aimed at ``url``."""
    shape = Shape.of(size)
    blueprints = root / "blueprints" / "stock"
    blueprints.mkdir(parents=True, exist_ok=True)
    files = {
        "warehouses.yaml": _warehouses(shape),
        "operation_types.yaml": _operation_types(shape),
        "routes.yaml": _routes(shape),
        "categories.yaml": _categories(shape),
        "putaway.yaml": _putaways(shape),
        "reordering.yaml": _reordering(shape),
        "pricelists.yaml": _pricelists(shape),
        "accounts.yaml": _accounts(shape),
        "roles.yaml": _roles(shape),
    }
    for name, text in files.items():
        (blueprints / name).write_text(text, encoding="utf-8")
    write_environment(root, url, password_env, database)
    (root / "products.txt").write_text("\n".join(product_codes(shape)) + "\n", encoding="utf-8")
    return shape


def write_environment(
    root: Path, url: str, password_env: str, database: str, name: str = "bench"
) -> None:
    """The environment ``name``, aimed at ``url``."""
    (root / "environments").mkdir(parents=True, exist_ok=True)
    (root / "environments" / f"{name}.yaml").write_text(
        "odoo:\n"
        f"  url: {url}\n"
        f"  database: {database}\n"
        "  login: admin\n"
        f"  password_env: {password_env}\n"
        "  version: '18.0'\n"
        "  timeout: 600\n",
        encoding="utf-8",
    )


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python -m benchmarks.generate SIZE DIR")
    root, size = Path(sys.argv[2]), int(sys.argv[1])
    shape = write_project(root, size, "http://127.0.0.1:8169", "BENCH", "bench")
    print(f"{shape.total} resources: {shape}")


if __name__ == "__main__":
    main()
