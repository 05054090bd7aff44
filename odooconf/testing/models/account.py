"""Accounting: accounts, account groups, taxes and their repartition lines, journals, fiscal
positions, and just enough journal entries to give an account journal items.

What a real Odoo 18 does is recorded in ``odoo-reference/18/side_effects_finance_security.md``,
part A (experiment labels A1a-A7 are cited where a behaviour is reproduced). Version differences
follow the fields the version has: ``code_store`` (18+: one code per company on a shared account;
up to 17 a stored ``code`` and one ``company_id``), ``deprecated`` (up to 18) or ``active`` (19),
``account.fiscal.position.tax`` (up to 18) or taxes listed on the position (19).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from .. import errors
from ..orm import Model, Signature, register
from ..store import Row
from .base import AccountAccount as _BaseAccount

#: Types whose reconcile flag Odoo sets when the type changes (``_compute_reconcile``); the
#: other asset and liability types keep theirs.
_RECONCILED = {"asset_receivable": True, "liability_payable": True}
_NOT_RECONCILED_TYPES = ("asset_cash", "liability_credit_card", "off_balance")
_NOT_RECONCILED_PREFIXES = ("income", "expense", "equity")
#: Where Odoo 18's generic chart puts the accounts of new bank and cash journals (A4b).
_LIQUIDITY_PREFIX = {"bank": "1014", "cash": "1015", "credit": "2011"}
_LIQUIDITY_TYPE = {"bank": "asset_cash", "cash": "asset_cash", "credit": "liability_credit_card"}
_CODE_PREFIX = {"bank": "BNK", "cash": "CSH", "credit": "CCD"}

#: Odoo 18's messages (A1, A2, A3, A5).
_ZIP_RANGE = (
    'Invalid "Zip Range", You have to configure both "From" and "To" values for the zip range '
    'and "To" should be greater than "From".'
)
_NO_CODE = "The code must be set for every company to which this account belongs."
_USED_IN_TAX = "You cannot deprecate an account that is used in a tax distribution."
_BAD_CODE = "The account code can only contain alphanumeric characters and dots."
_OVERLAP = "Account Groups with the same granularity can't overlap"
_ONE_BASE = (
    "Invoice and credit note distribution should each contain exactly one line for the base."
)
_SAME_COUNT = "Invoice and credit note distribution should have the same number of lines."
_ONE_TAX = "Invoice and credit note repartition should have at least one tax repartition line."
_MATCH = "Invoice and credit note distribution should match (same percentages, in the same order)."
_POSITIVE = "Invoice and credit note distribution should have a total factor (+) equals to 100."
_NEGATIVE = "Invoice and credit note distribution should have a total factor (-) equals to 100."


def _code_mappings(commands: Any) -> dict[str, str]:
    """Codes per company given as ``code_mapping_ids`` create commands (A7j)."""
    out: dict[str, str] = {}
    for command in commands or []:
        if isinstance(command, list | tuple) and command and command[0] == 0:
            data = command[2] or {}
            out[str(data.get("company_id"))] = str(data.get("code"))
    return out


def _equals_at_2_digits(value: float, expected: int) -> bool:
    """Odoo's ``float_compare(value, expected, precision_digits=2) == 0``: the value rounded
    half up (away from zero) to 2 decimals; the tax lines' factors are checked so (a 99.6 %
    total is 1.00)."""
    rounded = Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return rounded == expected


def _ids(value: Any) -> list[int]:
    if isinstance(value, list | tuple):
        return [int(v) for v in value if isinstance(v, int)]
    return [int(value)] if value else []


@register
class AccountAccount(_BaseAccount):
    """Codes per company (18+: ``code_store``), their format and uniqueness, the type and tags
    of the closest account when no type is given, reconcile following the type, the computed
    group, and the refusals of A1."""

    _name = "account.account"

    @property
    def per_company(self) -> bool:
        return "code_store" in self.schema.fields

    def code_of(self, row: Row, company: int | None = None) -> str | bool:
        if not self.per_company:
            return row.get("code") or False
        stored = row.get("code_store")
        key = str(company or self.env.company_id)
        return stored.get(key) or False if isinstance(stored, dict) else False

    def companies(self, row: Row) -> list[int]:
        if "company_ids" in self.schema.fields:
            return _ids(row.get("company_ids"))
        return _ids(row.get("company_id"))

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "code" and self.per_company:
            return self.code_of(row)
        if fname == "group_id":
            return self._group(row)
        if fname == "used":
            return bool(self.env.db.store.lookup("account.move.line", "account_id", row["id"]))
        if fname == "internal_group":
            kind = str(row.get("account_type") or "")
            return "off" if kind == "off_balance" else kind.split("_", 1)[0] or False
        if fname == "root_id":
            code = str(self.code_of(row) or "")
            return [code[:2], code[:2]] if code else False
        if fname == "placeholder_code":
            return self._placeholder(row)
        return super().compute(row, fname)

    def _placeholder(self, row: Row) -> str | bool:
        """The code in the current company, else another company's followed by its name
        (A7d: ``110160 (My Company)``)."""
        code = self.code_of(row)
        if code or not self.per_company:
            return code
        for company in self.companies(row):
            other = self.code_of(row, company)
            if other:
                name = self.env.db.display_name("res.company", company, self.env)
                return f"{other} ({name})"
        return False

    def _to_read(self, row: Row, fname: str, load: str) -> Any:
        if fname == "root_id":  # a non-stored many2one to account.root, read as [id, name]
            return self.compute(row, fname)
        return super()._to_read(row, fname, load)

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        if self.env.db.major >= 19:
            return str(row.get("name") or "")
        code = self.code_of(row)
        return f"{code} {row.get('name')}" if code else str(row.get("name") or "")

    def _group(self, row: Row) -> int | bool:
        """The most specific account group whose prefixes hold the code (A2b), not stored."""
        code = self.code_of(row)
        groups = self.env.db.store.tables.get("account.group", {})
        best: tuple[int, int] | None = None
        for group in groups.values():
            start, end = group.get("code_prefix_start"), group.get("code_prefix_end")
            if (
                not start
                or not code
                or _ids(group.get("company_id"))[:1] != self.companies(row)[:1]
            ):
                continue
            prefix = str(code)[: len(start)]
            if str(start) <= prefix <= str(end or start) and (best is None or len(start) > best[0]):
                best = (len(start), int(group["id"]))
        return best[1] if best else False

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = []
        for original in vals_list:
            vals = dict(original)
            company = self.env.company_id
            code = vals.pop("code", None) if self.per_company else vals.get("code")
            mapped = _code_mappings(vals.pop("code_mapping_ids", None))  # A7j
            if mapped:
                code = code or mapped.get(str(company)) or next(iter(mapped.values()))
            if not code:
                self.store.new_id(self.name)  # A1j: refused after the row's id was drawn
                raise errors.validation(_NO_CODE)
            if "company_ids" in self.schema.fields and not vals.get("company_ids"):
                vals["company_ids"] = [(6, 0, [company])]
            if not vals.get("account_type"):
                self._closest(str(code), vals)  # A1k, A1l
            elif "reconcile" not in vals:
                self._reconcile_of(vals)
            rid = super().create([vals])[0]
            if self.per_company:
                codes = (
                    {**mapped, str(company): code}
                    if str(company) in mapped or not mapped
                    else mapped
                )
                self.store.update(self.name, rid, {"code_store": codes})
            ids.append(rid)
            self.check([rid])
            self._check_codes_set([rid])
        return ids

    def _closest(self, code: str, vals: dict[str, Any]) -> None:
        """Odoo copies the type and tags of the account with the closest lower code."""
        lower = [
            (str(self.code_of(row)), row)
            for row in self.all_rows()
            if self.code_of(row) and str(self.code_of(row)) <= code
        ]
        if lower:
            _code, row = max(lower, key=lambda item: item[0])
            vals["account_type"] = row.get("account_type")
            vals.setdefault("tag_ids", [(6, 0, list(row.get("tag_ids") or []))])
        self._reconcile_of(vals)

    @staticmethod
    def _reconcile_of(vals: dict[str, Any]) -> None:
        kind = str(vals.get("account_type") or "")
        if kind in _RECONCILED:
            vals["reconcile"] = True
        elif kind in _NOT_RECONCILED_TYPES or kind.startswith(_NOT_RECONCILED_PREFIXES):
            vals["reconcile"] = False

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        vals = dict(vals)
        code = vals.pop("code", None) if self.per_company and "code" in vals else None
        if self.per_company and code is not None and not code:
            raise errors.validation(_NO_CODE)
        if vals.get("deprecated") is True or vals.get("active") is False:
            lines = self.env.db.store.tables.get("account.tax.repartition.line", {}).values()
            if any(line.get("account_id") in ids for line in lines):  # A1t
                raise errors.user_error(_USED_IN_TAX)
        if "account_type" in vals and "reconcile" not in vals:
            self._reconcile_of(vals)
        super().write(ids, vals)
        if code is not None:
            # A7: written for the current company, even on an account of another company.
            key = str(self.env.company_id)
            for row in self.rows(ids):
                stored = row.get("code_store")
                stored = stored if isinstance(stored, dict) else {}
                self.store.update(self.name, row["id"], {"code_store": {**stored, key: code}})
        if code is not None or "account_type" in vals:
            self.check(ids)
        if code is not None or "company_ids" in vals:
            self._check_codes_set(ids)

    def _check_codes_set(self, ids: list[int]) -> None:
        """Every company of an account has its code (A7i, A7o), checked once the codes are
        written (after the row, as Odoo's ``_ensure_code_is_unique``)."""
        for row in self.rows(ids):
            if any(not self.code_of(row, company) for company in self.companies(row)):
                raise errors.validation(_NO_CODE)

    def check(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            for company in self.companies(row):
                code = self.code_of(row, company)
                if not code:
                    continue
                if not re.fullmatch(r"[A-Za-z0-9.]+", str(code)):  # A1i
                    raise errors.validation(_BAD_CODE)
                twins = [
                    other
                    for other in self.all_rows()
                    if other["id"] != row["id"]
                    and company in self.companies(other)
                    and self.code_of(other, company) == code
                ]
                if twins:  # A1h, A1o
                    raise errors.validation(
                        "Account codes must be unique. You can't create accounts with these "
                        f"duplicate codes: {code}"
                    )
            kind = row.get("account_type")
            if kind == "equity_unaffected":  # A1z7
                others = [
                    o for o in self.all_rows()
                    if o["id"] != row["id"] and o.get("account_type") == "equity_unaffected"
                    and set(self.companies(o)) & set(self.companies(row))
                ]  # fmt: skip
                if others:
                    codes = [self.code_of(o) for o in others] + [self.code_of(row)]
                    raise errors.validation(
                        'You cannot have more than one account with "Current Year Earnings" as '
                        f"type. (accounts: {codes!r})"
                    )
            if kind in ("asset_receivable", "liability_payable"):  # A1z5, A1z6
                journals = self.env.db.store.tables.get("account.journal", {}).values()
                if any(j.get("default_account_id") == row["id"] for j in journals):
                    raise errors.validation(
                        "You cannot change the type of an account set as Bank Account on a "
                        "journal to Receivable or Payable."
                    )


@register
class AccountGroup(Model):
    """Prefixes default to each other, must have one length and must not overlap another group
    of the same length (A2e, A2f, A2g); the parent is the closest shorter group (A2c)."""

    _name = "account.group"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        start, end = vals.get("code_prefix_start"), vals.get("code_prefix_end")
        if start and not end:
            vals["code_prefix_end"] = start
        elif end and not start:
            vals["code_prefix_start"] = end

    def display_name(self, rid: int) -> str:
        row = self.rows([rid])[0]
        start, end = row.get("code_prefix_start"), row.get("code_prefix_end")
        prefix = start if start == end else f"{start}-{end}"
        return f"{prefix} {row.get('name')}" if start else str(row.get("name") or "")

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "parent_id":
            start = str(row.get("code_prefix_start") or "")
            candidates = [
                g for g in self.table.values()
                if g["id"] != row["id"] and g.get("code_prefix_start")
                and len(str(g["code_prefix_start"])) < len(start)
                and str(g["code_prefix_start"]) <= start[: len(str(g["code_prefix_start"]))]
                <= str(g.get("code_prefix_end") or "")
            ]  # fmt: skip
            best = max(candidates, key=lambda g: len(str(g["code_prefix_start"])), default=None)
            return best["id"] if best else False
        return super().compute(row, fname)

    def check(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            start, end = (
                str(row.get("code_prefix_start") or ""),
                str(row.get("code_prefix_end") or ""),
            )
            if len(start) != len(end):
                raise errors.sql_constraint(
                    "The length of the starting and the ending code prefix must be the same"
                )
            if not start:
                continue
            for other in self.table.values():
                o_start = str(other.get("code_prefix_start") or "")
                o_end = str(other.get("code_prefix_end") or "")
                if other["id"] == row["id"] or len(o_start) != len(start):
                    continue
                if (
                    other.get("company_id") == row.get("company_id")
                    and start <= o_end
                    and o_start <= end
                ):
                    raise errors.validation(_OVERLAP)


@register
class AccountTaxRepartitionLine(Model):
    """Lines belong to their tax through ``tax_id`` and ``document_type`` from 17; on 16 through
    ``invoice_tax_id`` or ``refund_tax_id``, from which both are computed (a ``tax_id`` written
    on 16 is dropped, as Odoo drops a computed field without inverse)."""

    _name = "account.tax.repartition.line"

    @property
    def legacy(self) -> bool:
        return "invoice_tax_id" in self.schema.fields

    def tax_of(self, row: Row) -> int:
        if self.legacy:
            return int(row.get("invoice_tax_id") or row.get("refund_tax_id") or 0)
        return int(row.get("tax_id") or 0)

    def compute(self, row: Row, fname: str) -> Any:
        if fname == "factor":
            return float(row.get("factor_percent") or 0.0) / 100.0
        if self.legacy and fname == "tax_id":
            return self.tax_of(row) or False
        if self.legacy and fname == "document_type":
            return "invoice" if row.get("invoice_tax_id") else "refund"
        return super().compute(row, fname)

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("factor_percent", 100.0)
        vals.setdefault("sequence", 1)
        tax_id = vals.get("tax_id") or vals.get("invoice_tax_id") or vals.get("refund_tax_id")
        tax = self.store.get("account.tax", int(tax_id or 0)) or {}
        vals.setdefault("company_id", tax.get("company_id") or self.env.company_id)
        # A3c: a tax line with an account is used in the tax closing.
        vals.setdefault(
            "use_in_tax_closing",
            vals.get("repartition_type") == "tax" and bool(vals.get("account_id")),
        )


@register
class AccountTax(Model):
    """Taxes: the defaults of A3a (four repartition lines without accounts, the company's
    country and first tax group), lines given per document type, Odoo's checks of the lines
    and of the name (A3d-A3g, A3l), and ``price_include`` computed from the override (18+)."""

    _name = "account.tax"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("type_tax_use", "sale")
        vals.setdefault("amount_type", "percent")
        vals.setdefault("sequence", 1)
        vals.setdefault("tax_exigibility", "on_invoice")
        company = self.store.get("res.company", int(vals["company_id"])) or {}
        country = company.get("account_fiscal_country_id") or company.get("country_id")
        vals.setdefault("country_id", _ids(country)[0] if _ids(country) else False)
        if not vals.get("tax_group_id"):
            groups = sorted(
                g["id"]
                for g in self.store.tables.get("account.tax.group", {}).values()
                if g.get("company_id") == vals["company_id"]
                and g.get("country_id") in (vals["country_id"], False, None)
            )
            vals["tax_group_id"] = groups[0] if groups else False

    def lines(self, row: Row, document: str | None = None) -> list[Row]:
        model = self.env["account.tax.repartition.line"]
        assert isinstance(model, AccountTaxRepartitionLine)
        links = ("invoice_tax_id", "refund_tax_id") if model.legacy else ("tax_id",)
        rows = [
            model.table[rid]
            for link in links
            for rid in self.store.lookup(model.name, link, row["id"])
        ]
        rows = [r for r in rows if document is None or model.value(r, "document_type") == document]
        return sorted(rows, key=lambda r: (int(r.get("sequence") or 0), int(r["id"])))

    def compute(self, row: Row, fname: str) -> Any:
        if fname in ("invoice_repartition_line_ids", "refund_repartition_line_ids"):
            return [r["id"] for r in self.lines(row, fname.split("_", 1)[0])]
        if fname == "repartition_line_ids":
            return [r["id"] for r in self.lines(row)]
        if fname == "price_include" and "price_include_override" in self.schema.fields:
            override = row.get("price_include_override")
            if override:
                return override == "tax_included"
            company = self.store.get("res.company", int(row.get("company_id") or 0)) or {}
            return company.get("account_price_include") == "tax_included"
        return super().compute(row, fname)

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = []
        for original in vals_list:
            vals, lines = self._split(original)
            rid = super().create([vals])[0]
            line_model = self.env["account.tax.repartition.line"]
            row = self.rows([rid])[0]
            for document in ("invoice", "refund"):
                commands = lines.get(document)
                if commands is None:
                    commands = [(0, 0, {"repartition_type": t}) for t in ("base", "tax")]
                self._apply_lines(row, line_model, document, commands or [])
            self._check_lines([rid])
            self._check_name([rid])
            ids.append(rid)
        return ids

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        vals, lines = self._split(vals)
        super().write(ids, vals)
        line_model = self.env["account.tax.repartition.line"]
        for row in self.rows(ids):
            for document, commands in lines.items():
                self._apply_lines(row, line_model, document, commands)
        if lines:
            self._check_lines(ids)
        if {"name", "type_tax_use", "tax_scope", "country_id"} & set(vals):
            self._check_name(ids)

    @staticmethod
    def _split(vals: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """The values without the repartition commands, and those commands per document."""
        rest = dict(vals)
        lines: dict[str, list[Any]] = {}
        for document in ("invoice", "refund"):
            commands = rest.pop(f"{document}_repartition_line_ids", None)
            if commands is not None:
                lines[document] = list(commands)
        rest.pop("repartition_line_ids", None)
        return rest, lines

    def _apply_lines(self, row: Row, line_model: Model, document: str, commands: list[Any]) -> None:
        for command in commands:
            code = command[0]
            data = dict(command[2] or {}) if len(command) > 2 and command[2] else {}
            if code == 0:
                assert isinstance(line_model, AccountTaxRepartitionLine)
                link = (
                    {f"{document}_tax_id": row["id"]}
                    if line_model.legacy
                    else {"tax_id": row["id"], "document_type": document}
                )
                line_model.create([{**data, **link}])
            elif code == 1:
                line_model.write([command[1]], data)
            elif code in (2, 3):
                line_model.unlink([command[1]])
            elif code == 5:
                line_model.unlink([r["id"] for r in self.lines(row, document)])

    def _check_lines(self, ids: list[int]) -> None:
        """Odoo's ``_validate_repartition_lines`` (A3d-A3f)."""
        for row in self.rows(ids):
            invoice, refund = self.lines(row, "invoice"), self.lines(row, "refund")
            if row.get("amount_type") == "group" and not invoice and not refund:
                continue
            for lines in (invoice, refund):
                if len([r for r in lines if r.get("repartition_type") == "base"]) != 1:
                    raise errors.validation(_ONE_BASE)
            if len(invoice) != len(refund):
                raise errors.validation(_SAME_COUNT)
            for lines in (invoice, refund):
                if not any(r.get("repartition_type") == "tax" for r in lines):
                    raise errors.validation(_ONE_TAX)
            for a, b in zip(invoice, refund, strict=True):
                same = a.get("repartition_type") == b.get("repartition_type")
                if not same or float(a.get("factor_percent") or 0) != float(
                    b.get("factor_percent") or 0
                ):
                    raise errors.validation(_MATCH)
            factors = [
                float(r.get("factor_percent") or 0)
                for r in invoice
                if r.get("repartition_type") == "tax"
            ]
            if not _equals_at_2_digits(sum(f for f in factors if f > 0) / 100, 1):
                raise errors.validation(_POSITIVE)
            negative = sum(f for f in factors if f < 0)
            if negative and not _equals_at_2_digits(negative / 100, -1):
                raise errors.validation(_NEGATIVE)

    def _check_name(self, ids: list[int]) -> None:
        """Tax names are unique per company, type, scope and country, except type ``none``."""
        fields = ("name", "type_tax_use", "tax_scope", "country_id", "company_id")
        for row in self.rows(ids):
            if row.get("type_tax_use") == "none":
                continue
            for other in self.store.lookup(self.name, "name", row.get("name")):
                twin = self.table[other]
                if other != row["id"] and all(twin.get(f) == row.get(f) for f in fields):
                    company = self.env.db.display_name(
                        "res.company", int(row["company_id"]), self.env
                    )
                    raise errors.validation(
                        f"Tax names must be unique!\n- {row.get('name')} in {company}"
                    )


@register
class AccountJournal(Model):
    """Journals: codes cut to 5 characters (A4c), a bank, cash or credit journal's code made up
    and its own account created (A4b, A4i) with the company's suspense and cash-difference
    accounts, refund sequences on sale and purchase journals."""

    _name = "account.journal"

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("sequence", 10)
        vals.setdefault("invoice_reference_model", "odoo")
        vals.setdefault("invoice_reference_type", "invoice")

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        ids = []
        for original in vals_list:
            vals = dict(original)
            kind = str(vals.get("type") or "")
            company = int(vals.get("company_id") or self.env.company_id)
            if kind in _CODE_PREFIX and not vals.get("code"):
                vals["code"] = self._next_code(_CODE_PREFIX[kind], company)
            if kind in ("sale", "purchase"):
                vals.setdefault("refund_sequence", True)
            if kind in _LIQUIDITY_PREFIX:
                vals.setdefault("payment_sequence", True)
                for fname, xmlid in (
                    ("suspense_account_id", "account_journal_suspense_account_id"),
                    ("profit_account_id", "cash_diff_income"),
                    ("loss_account_id", "cash_diff_expense"),
                ):
                    if fname not in vals:
                        vals[fname] = self.env.ref(f"account.{company}_{xmlid}") or False
            rid = super().create([vals])[0]
            if kind in _LIQUIDITY_PREFIX and not vals.get("default_account_id"):
                account = self._liquidity_account(rid, kind, str(vals.get("name")), company)
                self.store.update(self.name, rid, {"default_account_id": account})
            ids.append(rid)
        return ids

    def _next_code(self, prefix: str, company: int) -> str:
        used = {r.get("code") for r in self.table.values() if r.get("company_id") == company}
        number = 1
        while f"{prefix}{number}" in used:
            number += 1
        return f"{prefix}{number}"

    def _liquidity_account(self, rid: int, kind: str, name: str, company: int) -> int:
        """The next free code under the company's bank (cash, credit card) prefix, with
        Odoo's external id ``account.<company>_bank_journal_default_account_<id>``."""
        accounts = self.env["account.account"]
        assert isinstance(accounts, AccountAccount)
        prefix = _LIQUIDITY_PREFIX[kind]
        codes = {str(accounts.code_of(r, company)) for r in accounts.table.values()}
        number = 1
        while f"{prefix}{number:02d}" in codes:
            number += 1
        account = accounts.with_context(allowed_company_ids=[company]).create(
            [{"name": name, "code": f"{prefix}{number:02d}", "account_type": _LIQUIDITY_TYPE[kind]}]
        )[0]
        self.env["ir.model.data"].create(
            [{
                "module": "account", "name": f"{company}_bank_journal_default_account_{account}",
                "model": "account.account", "res_id": account, "noupdate": True,
            }]
        )  # fmt: skip
        return int(account)


@register
class AccountFiscalPosition(Model):
    """Fiscal positions. Up to 18 their mappings are ``account.fiscal.position.tax`` and
    ``.account`` rows (unique per position, A5b); in 19 ``tax_ids`` lists the replacing taxes,
    whose ``original_tax_ids`` say what they replace."""

    _name = "account.fiscal.position"

    def create(self, vals_list: list[dict[str, Any]]) -> list[int]:
        return super().create([_padded_zips(dict(vals)) for vals in vals_list])

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        super().write(ids, _padded_zips(dict(vals)))

    def check(self, ids: list[int]) -> None:
        for row in self.rows(ids):
            low, high = row.get("zip_from") or "", row.get("zip_to") or ""
            if bool(low) != bool(high) or low > high:  # A5h
                raise errors.validation(_ZIP_RANGE)


def _padded_zips(vals: dict[str, Any]) -> dict[str, Any]:
    """A5g: both zip codes are left-padded with zeros to the same length."""
    low, high = vals.get("zip_from"), vals.get("zip_to")
    if low and high and str(low).isdigit() and str(high).isdigit():
        width = max(len(str(low)), len(str(high)))
        vals["zip_from"], vals["zip_to"] = str(low).zfill(width), str(high).zfill(width)
    return vals


class _FiscalPositionMapping(Model):
    """A tax or account mapping of a fiscal position: its company is the position's."""

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        position = self.store.get("account.fiscal.position", int(vals.get("position_id") or 0))
        vals.setdefault("company_id", (position or {}).get("company_id") or self.env.company_id)


@register
class AccountFiscalPositionTax(_FiscalPositionMapping):
    _name = "account.fiscal.position.tax"


@register
class AccountFiscalPositionAccount(_FiscalPositionMapping):
    _name = "account.fiscal.position.account"


@register
class AccountMove(Model):
    """Journal entries, only so that an account can have journal items (``used``): created in
    draft, ``action_post`` posts them (A1v, A1w)."""

    _name = "account.move"
    public_methods: ClassVar[dict[str, Signature]] = {"action_post": Signature.of(records=True)}

    def default_values(self, vals: dict[str, Any]) -> None:
        super().default_values(vals)
        vals.setdefault("state", "draft")
        vals.setdefault("move_type", "entry")
        vals.setdefault("date", self.env.now[:10])

    def action_post(self, ids: list[int]) -> bool:
        for row in self.rows(ids):
            journal = self.store.get("account.journal", int(row.get("journal_id") or 0)) or {}
            period = str(row.get("date"))[:7].replace("-", "/")
            name = f"{journal.get('code')}/{period}/{row['id']:04d}"
            self.store.update(self.name, row["id"], {"state": "posted", "name": name})
        return False
