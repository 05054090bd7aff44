"""``stock.location``: stored complete name and warehouse, archiving of sub-locations."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..orm import Model, register
from ..store import Row
from .base import check_company_unchanged

#: Fields whose change recomputes ``complete_name`` / ``warehouse_id`` of the location tree.
_TREE_FIELDS = frozenset({"name", "location_id", "usage"})


@register
class StockLocation(Model):
    _name = "stock.location"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        if vals.get("usage", "internal") != "internal":
            vals.setdefault("replenish_location", False)
        # Computed before the checks that name the new location (company consistency).
        parent = self.row(vals.get("location_id") or 0)
        if parent is not None and vals.get("usage") != "view":
            vals["complete_name"] = f"{parent.get('complete_name')}/{vals.get('name') or ''}"
        else:
            vals["complete_name"] = vals.get("name") or False

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "child_internal_location_ids":
            inside = self.descendants([row["id"]])
            return self.visible([i for i in inside if self.table[i].get("usage") == "internal"])
        if fname == "is_empty":
            return True
        return super().compute(row, fname)

    def descendants(self, ids: list[int]) -> list[int]:
        """``ids`` and every location below them (archived ones included), in id order."""
        found = {rid for rid in ids if rid in self.table}
        todo = list(found)
        while todo:
            for child in self.referencing("location_id", todo.pop()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return sorted(found)

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = super().create(vals_list)
        self.recompute_tree(ids)
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        check_company_unchanged(self, ids, vals)
        if "active" in vals:
            if not vals["active"]:
                self._check_not_used_by_warehouse(ids)
            children = [i for i in self.descendants(ids) if i not in ids]
            if children:
                super().write(children, {"active": vals["active"]})
        super().write(ids, vals)
        if _TREE_FIELDS & set(vals):
            self.recompute_tree(ids, warehouse="location_id" in vals)

    def _check_not_used_by_warehouse(self, ids: list[int]) -> None:
        warehouses = self.env["stock.warehouse"]
        for rid in ids:
            found = warehouses.search(
                [
                    ("active", "=", True),
                    "|",
                    ("lot_stock_id", "=", rid),
                    ("view_location_id", "=", rid),
                ],
                limit=1,
            )
            if found:
                raise errors.user_error(
                    f"You cannot archive location {self.display_name(rid)} because it is used "
                    f"by warehouse {warehouses.display_name(found[0])}"
                )

    def unlink(self, ids: list[int]) -> None:
        super().unlink(self.descendants(ids))

    def recompute_tree(self, ids: list[int], warehouse: bool = True) -> None:
        """Recompute ``complete_name``, ``parent_path`` (and ``warehouse_id``) below ``ids``."""
        todo = list(dict.fromkeys(ids))
        done: set[int] = set()
        while todo:
            rid = todo.pop(0)
            if rid in done or rid not in self.table:
                continue
            done.add(rid)
            row = self.table[rid]
            parent = self.table.get(row.get("location_id") or 0)
            name = row.get("name") or ""
            if parent is not None and row.get("usage") != "view":
                complete = f"{parent.get('complete_name')}/{name}"
            else:
                complete = name
            changes: dict[str, Any] = {
                "complete_name": complete,
                "parent_path": f"{parent.get('parent_path') if parent else ''}{rid}/",
            }
            if warehouse:
                changes["warehouse_id"] = self._warehouse_of(rid)
            self.store.update(self.name, rid, changes)
            todo.extend(self.referencing("location_id", rid))

    def _warehouse_of(self, rid: int) -> int | bool:
        """The warehouse whose view location is ``rid`` or one of its ancestors."""
        current: Row | None = self.table.get(rid)
        while current is not None:
            warehouses = self.store.lookup("stock.warehouse", "view_location_id", current["id"])
            if warehouses:
                return max(warehouses)
            current = self.table.get(current.get("location_id") or 0)
        return False
