"""Reconciliation: every input cent is accounted for, and the export's own totals agree.

In: every normalised ledger row (excluded ones included, with their reason), the open items,
the unapplied credits and the raw tables with their totals rows. Out: RECONCILIATION_COLUMNS
rows and whether anything is left unexplained (the run then exits 1).

The equation, per currency, to the cent (DESIGN "Nothing lost"):
    input total = open items - unapplied credits + exceptions + documents after the as-of date
Each export total (合计 / 小计 / Total / Subtotal row) is compared with the rows it covers:
a subtotal covers the data rows since the previous totals row; a grand total covers every
row of its currency. Real exports total in different ways, so a difference is explained by a
named class (net of credits, gross, debits only, unreadable amounts in named rows); only a
difference no class explains fails the run.
"""

from __future__ import annotations

import pandas as pd

from aging.ingest import RawTable
from aging.issues import concat_issues, one_issue
from aging.model import RECONCILIATION_COLUMNS
from aging.normalise import currency_codes
from aging.parse import currency_decimals, parse_amounts

LINES = (
    ("input_total", "Input total (all ledger rows)"),
    ("open_items", "Open items"),
    ("unapplied_credits", "Unapplied credits"),
    ("exceptions", "Exceptions (rows kept out)"),
    ("after_as_of", "Documents after the as-of date"),
    ("difference", "Difference (must be zero)"),
)


def equation(
    rows: pd.DataFrame, open_items: pd.DataFrame, unapplied: pd.DataFrame, after_mask: pd.Series
) -> pd.DataFrame:
    """The per-currency equation lines; `rows` are all normalised ledger rows."""
    out = []
    for currency in sorted(rows["currency"].unique()):
        mine = rows["currency"].eq(currency)
        excluded = mine & rows["excluded"].ne("")
        after = mine & after_mask & ~excluded
        items = open_items[open_items["currency"].eq(currency)]
        credits = unapplied[unapplied["currency"].eq(currency)]
        unreadable = int((excluded & rows["excluded"].eq("amount.unparseable")).sum())
        values = {
            "input_total": (int(rows.loc[mine, "balance_minor"].sum()), int(mine.sum()), ""),
            "open_items": (int(items["open_minor"].sum()), len(items), ""),
            "unapplied_credits": (
                -int(credits["unapplied_minor"].sum()),
                len(credits),
                "customers with credit left",
            ),
            "exceptions": (
                int(rows.loc[excluded, "balance_minor"].sum()),
                int(excluded.sum()),
                f"{unreadable} rows with unreadable amounts count as 0" if unreadable else "",
            ),
            "after_as_of": (int(rows.loc[after, "balance_minor"].sum()), int(after.sum()), ""),
        }
        parts = sum(
            values[k][0] for k in ("open_items", "unapplied_credits", "exceptions", "after_as_of")
        )
        values["difference"] = (values["input_total"][0] - parts, 0, "")
        for key, label in LINES:
            amount, count, note = values[key]
            status = "ok" if key != "difference" or amount == 0 else "unexplained"
            out.append(
                dict(
                    currency=currency,
                    line=key,
                    label=label,
                    amount_minor=amount,
                    rows=count,
                    note=note,
                    status=status,
                )
            )
    return pd.DataFrame(out)


def control_totals(
    tables: list[RawTable], rows: pd.DataFrame, default_currency: str, decimal_comma: bool
) -> pd.DataFrame:
    """One line per money cell of every totals row, with the class that explains it."""
    out = []
    originals = rows[~rows.get("synthetic", pd.Series(False, index=rows.index)).astype(bool)]
    for table in tables:
        if not table.totals:
            continue
        mine = originals[
            originals["src_file"].eq(table.file) & originals["src_sheet"].eq(table.sheet)
        ]
        data = table.frame.drop(
            columns=["currency", "doc_type", "customer_id"], errors="ignore"
        ).merge(
            mine[
                [
                    "src_row",
                    "currency",
                    "customer_id",
                    "amount_minor",
                    "open_minor",
                    "balance_minor",
                    "layout",
                ]
            ],
            on="src_row",
            how="left",
        )
        # Parse every money cell once per table, not once per totals row.
        for column in _MONEY:
            if column in data:
                data[f"written_{column}"], data[f"unreadable_{column}"] = parse_amounts(
                    data[column].fillna(""),
                    data["currency"].fillna(default_currency).map(currency_decimals),
                    decimal_comma=decimal_comma,
                )
        currencies = _total_currencies(table.totals, data, default_currency)
        stated = _stated(table.totals, currencies, decimal_comma)
        for at, total in enumerate(table.totals):
            out.extend(_check_total(table, data, at, total, currencies[at], stated[at]))
    lines = pd.DataFrame(
        out, columns=[*RECONCILIATION_COLUMNS, "file", "sheet", "row", "column", "value"]
    )
    return lines[list(RECONCILIATION_COLUMNS)], _mismatch_issues(lines)


def _mismatch_issues(lines: pd.DataFrame) -> pd.DataFrame:
    """Each export total no class explains is also a finding, pointing at its cell."""
    bad = lines[lines["status"].eq("unexplained")]
    return concat_issues(
        [
            one_issue(
                "control.total_mismatch",
                f"{r.label}: {r.note}.",
                file=r.file,
                sheet=r.sheet,
                row=r.row,
                column=r.column,
                value=r.value,
                currency=r.currency,
                amount_minor=r.amount_minor,
            )
            for r in bad.itertuples()
        ]
    )


_MONEY = ("amount", "debit", "credit", "open_amount", "paid_amount", "credited_amount")


def _stated(totals: list, currencies: list, decimal_comma: bool) -> list[dict]:
    """Each totals row's money cells as (minor units, readable) in one parse."""
    cells = [
        (at, c, text) for at, t in enumerate(totals) for c, text in t.values.items() if c in _MONEY
    ]
    out = [{} for _ in totals]
    if not cells:
        return out
    texts = pd.Series([text for _, _, text in cells], dtype="str")
    places = pd.Series([currency_decimals(currencies[at]) for at, _, _ in cells])
    minor, bad = parse_amounts(texts, places, decimal_comma=decimal_comma)
    for (at, column, _), value, unreadable in zip(cells, minor, bad, strict=True):
        out[at][column] = (int(value), bool(unreadable))
    return out


def _check_total(table, data, at, total, currency, stated) -> list[dict]:
    if total.level in ("sub", "closing", "cumulative"):
        scope = data[data["block"].eq(at)]
    else:
        scope = data[data["currency"].eq(currency)] if "currency" in total.values else data
    running = data["layout"].eq("transactions").any()
    lines = []
    for column, text in total.values.items():
        if column in ("currency", "direction"):
            continue
        stated_minor, bad = stated[column]
        header = table.headers.get(column, column)
        source = dict(file=table.file, sheet=table.sheet, row=total.row, column=header, value=text)
        if bad:
            lines.append(
                dict(
                    currency=currency,
                    line=f"control:{total.level}",
                    label=f"Export {total.label.strip() or 'total'} ({_name(table)} "
                    f"row {total.row}, {header})",
                    amount_minor=0,
                    rows=len(scope),
                    status="not_checked",
                    note=f"the export's figure {text!r} is not a number",
                    **source,
                )
            )
            continue
        if total.values.get("direction", "").strip().lower() in ("贷", "cr", "credit", "c"):
            stated_minor = -abs(stated_minor)
        where = f"{_name(table)} row {total.row}, {table.headers.get(column, column)}"
        line = dict(
            currency=currency,
            line=f"control:{total.level}",
            label=f"Export {total.label.strip() or 'total'} ({where})",
            amount_minor=stated_minor,
            rows=len(scope),
            **source,
        )
        if total.level == "cumulative":
            line.update(
                status="not_checked",
                note="a cumulative line also sums rows outside this export (year to date)",
            )
        elif column == "open_amount" and running:
            line.update(
                zip(
                    ("status", "note"),
                    _explain_balance(stated_minor, data, scope, total.row),
                    strict=True,
                )
            )
        else:
            written, unreadable = scope[f"written_{column}"], scope[f"unreadable_{column}"]
            line.update(
                zip(
                    ("status", "note"),
                    _explain(stated_minor, written, unreadable, scope, column),
                    strict=True,
                )
            )
        lines.append(line)
    return lines


def _explain_balance(stated: int, data: pd.DataFrame, scope: pd.DataFrame, row: int):
    """A balance column on a totals row of a transactions export is a running balance."""
    above = data[data["src_row"] < row]
    customers = set(scope["customer_id"].dropna())
    ways = {
        "the net of the rows it covers": int(scope["balance_minor"].fillna(0).sum()),
        "the running balance of its customer": int(
            above.loc[above["customer_id"].isin(customers), "balance_minor"].fillna(0).sum()
        ),
        "the running balance of the whole export": int(above["balance_minor"].fillna(0).sum()),
    }
    for way, value in ways.items():
        if value == stated:
            return "ok", f"balance agrees with {way}"
    return "unexplained", (
        f"balance differs from the running balance of its customer by "
        f"{stated - ways['the running balance of its customer']} minor units"
    )


def _explain(
    stated: int, written: pd.Series, unreadable: pd.Series, scope: pd.DataFrame, column: str
) -> tuple[str, str]:
    """Which way of adding the covered rows gives the export's figure."""
    signed = (
        scope["amount_minor"] if column in ("amount", "debit", "credit") else scope["open_minor"]
    )
    signed = signed.fillna(written).astype("int64")
    ways = {
        "as written": int(written.sum()),
        "net of credits and receipts": int(signed.sum()),
        "gross (credits added as positive)": int(written.abs().sum()),
        "debits only": int(written.clip(lower=0).sum()),
    }
    for way, value in ways.items():
        if value == stated:
            cls = "" if way == "as written" else f" — the export totals {way}"
            return "ok", f"agrees with {len(scope)} rows{cls}"
    if unreadable.any():
        refs = ", ".join(str(r) for r in scope.loc[unreadable, "src_row"].head(10))
        gap = stated - ways["net of credits and receipts"]
        return "explained", (
            f"differs by {gap} minor units: rows with unreadable amounts "
            f"({refs}) are in the export's total but not readable"
        )
    gap = stated - ways["as written"]
    return "unexplained", f"differs from its {len(scope)} rows by {gap} minor units"


def _total_currencies(totals: list, data: pd.DataFrame, default_currency: str) -> list[str]:
    """The currency each totals row is in: its own currency cell, else the table's only one."""
    written = pd.Series([t.values.get("currency", "") for t in totals], dtype="str")
    codes = currency_codes(written, "")
    known = data["currency"].dropna().unique()
    fallback = known[0] if len(known) == 1 else default_currency
    return [c if len(c) == 3 and c.isalpha() else fallback for c in codes]


def _name(table: RawTable) -> str:
    return f"{table.file} [{table.sheet}]" if table.sheet else table.file
