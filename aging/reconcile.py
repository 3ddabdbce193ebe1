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

from aging.currency import LOCAL_TWINS
from aging.i18n import Money, msg
from aging.issues import concat_issues, one_issue
from aging.model import RECONCILIATION_COLUMNS
from aging.normalise import currency_codes, decimal_comma_of, unit_places
from aging.parse import currency_decimals, parse_amounts
from aging.reading.tables import RawTable

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
                msg("recon_note.unapplied_credits"),
            ),
            "exceptions": (
                int(rows.loc[excluded, "balance_minor"].sum()),
                int(excluded.sum()),
                msg("recon_note.unreadable_zero", rows=unreadable) if unreadable else "",
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
    tables: list[RawTable], rows: pd.DataFrame, default_currency: str, decimal_comma
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
                    "base_minor",
                    "layout",
                ]
            ],
            on="src_row",
            how="left",
        )
        # Parse every money cell once per table, not once per totals row, with the mark the
        # table's rows were read with.
        comma = decimal_comma_of(table.frame, decimal_comma)
        for column in _MONEY:
            if column in data:
                places = (
                    currency_decimals(default_currency)
                    if column in LOCAL_TWINS
                    else data["currency"].fillna(default_currency).map(currency_decimals)
                ) + unit_places(table, column)
                data[f"written_{column}"], data[f"unreadable_{column}"] = parse_amounts(
                    data[column].fillna(""), places, decimal_comma=comma
                )
        currencies = _total_currencies(table.totals, data, default_currency)
        stated = _stated(table, currencies, comma, default_currency)
        figures = _Figures(data)
        for at, total in enumerate(table.totals):
            out.extend(
                _check_total(
                    table, figures, at, total, currencies[at], stated[at], default_currency
                )
            )
    lines = pd.DataFrame(
        out, columns=[*RECONCILIATION_COLUMNS, "file", "sheet", "row", "column", "value"]
    )
    return lines[list(RECONCILIATION_COLUMNS)], _mismatch_issues(lines)


def layout_lines(tables: list[RawTable]) -> pd.DataFrame:
    """One line per ledger table with layout rows: how many, of which kinds, and where —
    with the data rows, the totals rows and the exceptions, every row is accounted for."""
    out = []
    for table in tables:
        if not table.layout and not table.blank_rows:
            continue
        kinds = pd.Series([r.kind for r in table.layout], dtype="str").value_counts()
        rows = ", ".join(str(r.row) for r in table.layout[:20])
        more = " …" if len(table.layout) > 20 else ""
        out.append(
            dict(
                currency="",
                line="layout_rows",
                label=msg("recon_label.layout_rows", file=_name(table), sheet=table.sheet),
                amount_minor=0,
                rows=len(table.layout),
                note=msg(
                    "recon_note.layout_rows",
                    kinds=tuple(msg(f"row_kind.{k}", count=int(n)) for k, n in kinds.items()),
                    blank=table.blank_rows,
                    rows=f"{rows}{more}",
                ),
                status="ok",
            )
        )
    return pd.DataFrame(out, columns=list(RECONCILIATION_COLUMNS))


def _mismatch_issues(lines: pd.DataFrame) -> pd.DataFrame:
    """Each export total no class explains is also a finding, pointing at its cell."""
    bad = lines[lines["status"].eq("unexplained")]
    return concat_issues(
        [
            one_issue(
                "control.total_mismatch",
                f"{r.label}: {r.note}.",
                params={"label": r.label, "note": r.note},
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


_MONEY = ("amount", "debit", "credit", "open_amount", "paid_amount", "credited_amount",
          "running_balance", *LOCAL_TWINS)  # fmt: skip


def _stated(table, currencies: list, decimal_comma: bool, base: str) -> list[dict]:
    """Each totals row's money cells as (minor units, readable) in one parse."""
    totals = table.totals
    cells = [
        (at, c, text) for at, t in enumerate(totals) for c, text in t.values.items() if c in _MONEY
    ]
    out = [{} for _ in totals]
    if not cells:
        return out
    texts = pd.Series([text for _, _, text in cells], dtype="str")
    places = pd.Series(
        [currency_decimals(base if c in LOCAL_TWINS else currencies[at]) + unit_places(table, c)
         for at, c, _ in cells]
    )  # fmt: skip
    minor, bad = parse_amounts(texts, places, decimal_comma=decimal_comma)
    for (at, column, _), value, unreadable in zip(cells, minor, bad, strict=True):
        out[at][column] = (int(value), bool(unreadable))
    return out


_WAYS = (
    "as written",
    "net of credits and receipts",
    "gross (credits added as positive)",
    "debits only",
)


class _Figures:
    """A table's rows added up every way an export may total them, per block (the rows a
    subtotal covers) at once: an export with a subtotal per customer has tens of thousands,
    and filtering the rows again for each was quadratic."""

    def __init__(self, data: pd.DataFrame) -> None:
        self.data = data
        self.running = bool(data["layout"].eq("transactions").any())
        self._by_block: dict[str, dict] = {}
        self._balances = None

    def scope(self, at: int, total, currency: str, column: str = "") -> pd.Series:
        """Which rows the totals row covers (a mask). A company-currency column adds up
        every currency's rows, each already in the base."""
        data = self.data
        if total.level in _BLOCK_LEVELS:
            return data["block"].eq(at)
        if "currency" in total.values and column not in LOCAL_TWINS:
            return data["currency"].eq(currency)
        return pd.Series(True, index=data.index)

    def ways(self, at: int, total, currency: str, column: str) -> dict:
        """{way: sum} plus "rows" and "unreadable" (count) for the rows the total covers."""
        if total.level in _BLOCK_LEVELS:
            if column not in self._by_block:
                self._by_block[column] = _added_up(self.data, column, self.data["block"])
            return self._by_block[column].get(at, dict.fromkeys((*_WAYS, "rows", "unreadable"), 0))
        mask = self.scope(at, total, currency, column)
        return _added_up(self.data[mask], column, pd.Series(0, index=self.data.index[mask])).get(
            0, dict.fromkeys((*_WAYS, "rows", "unreadable"), 0)
        )

    def year_to_date(self, at: int, column: str) -> dict:
        """The ways of adding up every row of the block's customers from the top of the table
        to the end of the block (what a 本年累计 line covers when the export holds the year)."""
        data = self.data
        above = data[data["block"].le(at)]
        last = (
            above.loc[above["block"].eq(above["block"].max()), "customer_id"] if len(above) else []
        )
        customers = set(pd.Series(last).dropna())  # of the rows just above (本月合计's)
        mask = data["customer_id"].isin(customers) & data["block"].le(at)
        keys = pd.Series(0, index=data.index[mask])
        return _added_up(data[mask], column, keys).get(
            0, dict.fromkeys((*_WAYS, "rows", "unreadable"), 0)
        )

    def customers_above(self, at: int) -> set:
        """The customers of the nearest rows above totals row `at` (a 本年累计 line follows
        its 本月合计 and covers the same customer)."""
        above = self.data[self.data["block"].le(at)]
        if above.empty:
            return set()
        return set(above.loc[above["block"].eq(above["block"].max()), "customer_id"].dropna())

    def balances_above(self, row: int, customers) -> tuple[int, int]:
        """Running balance before file row `row`: of these customers, and of the whole export."""
        if self._balances is None:
            data = self.data.sort_values("src_row", kind="stable")
            balance = data["balance_minor"].fillna(0).astype("int64")
            rows = data["src_row"].to_numpy()
            per_customer = {
                cid: (part["src_row"].to_numpy(), part["balance"].cumsum().to_numpy())
                for cid, part in pd.DataFrame(
                    {
                        "src_row": rows,
                        "balance": balance.to_numpy(),
                        "customer_id": data["customer_id"].to_numpy(),
                    }  # fmt: skip
                ).groupby("customer_id", sort=False)
            }
            self._balances = (rows, balance.cumsum().to_numpy(), per_customer)
        rows, running, per_customer = self._balances
        whole = _sum_before(rows, running, row)
        mine = sum(_sum_before(*per_customer[c], row) for c in customers if c in per_customer)
        return int(mine), int(whole)


def _added_up(data: pd.DataFrame, column: str, keys: pd.Series) -> dict:
    written = data[f"written_{column}"]
    if column in LOCAL_TWINS:
        signed = data["base_minor"].astype("Int64")
    elif column in ("amount", "debit", "credit"):
        signed = data["amount_minor"]
    else:
        signed = data["open_minor"]
    signed = signed.fillna(written).astype("int64")
    frame = pd.DataFrame(
        {
            _WAYS[0]: written,
            _WAYS[1]: signed,
            _WAYS[2]: written.abs(),
            # debits only: the rows that raise the debt, whatever sign the export wrote
            _WAYS[3]: written.abs().where(signed > 0, 0),
            "rows": 1,
            "unreadable": data[f"unreadable_{column}"].astype("int64"),
        }
    )
    sums = frame.groupby(keys.to_numpy(), sort=False).sum()
    return {key: {k: int(v) for k, v in row.items()} for key, row in sums.to_dict("index").items()}


def _sum_before(rows, running, row: int) -> int:
    at = int(rows.searchsorted(row, side="left"))
    return int(running[at - 1]) if at else 0


def _check_total(table, figures: _Figures, at, total, currency, stated, base) -> list[dict]:
    lines = []
    for column, text in total.values.items():
        if column in ("currency", "direction"):
            continue
        shown = base if column in LOCAL_TWINS else currency  # the currency the cell is in
        stated_minor, bad = stated[column]
        header = table.headers.get(column, column)
        source = dict(file=table.file, sheet=table.sheet, row=total.row, column=header, value=text)
        balance = column == "running_balance"
        ways = None if bad or balance else figures.ways(at, total, currency, column)
        count = ways["rows"] if ways else int(figures.scope(at, total, currency, column).sum())
        if bad:
            lines.append(
                dict(
                    currency=shown,
                    line=f"control:{total.level}",
                    label=_control_label(table, total, header),
                    amount_minor=0,
                    rows=count,
                    status="not_checked",
                    note=msg("recon_note.not_a_number", value=text),
                    **source,
                )
            )
            continue
        credit_side = total.values.get("direction", "").strip().lower() in (
            "贷",
            "cr",
            "credit",
            "c",
        )
        if credit_side and column in ("running_balance", "open_amount"):  # 方向 is the balance's
            stated_minor = -abs(stated_minor)
        line = dict(
            currency=shown,
            line=f"control:{total.level}",
            label=_control_label(table, total, header),
            amount_minor=stated_minor,
            rows=count,
            **source,
        )
        if total.level == "cumulative":
            # year to date: it agrees when the export holds the whole year of its customers
            if balance:
                status, note = _explain_balance(stated_minor, figures, at, total, currency)
            else:
                status, note = _explain(stated_minor, figures.year_to_date(at, column),
                                        figures, at, total, currency, column, shown)  # fmt: skip
            if status != "ok":
                status, note = "not_checked", msg("recon_note.cumulative")
            line.update(status=status, note=note)
        elif balance:
            status, note = _explain_balance(stated_minor, figures, at, total, currency)
            line.update(status=status, note=note)
        else:
            status, note = _explain(stated_minor, ways, figures, at, total, currency, column, shown)
            line.update(status=status, note=note)
        lines.append(line)
    return lines


def _explain_balance(stated: int, figures: _Figures, at, total, currency) -> tuple[str, str]:
    """A balance column on a totals row of a transactions export is a running balance."""
    scope = figures.data[figures.scope(at, total, currency)]
    customers = set(scope["customer_id"].dropna()) or figures.customers_above(at)
    mine, whole = figures.balances_above(total.row, customers)
    ways = {
        "net": int(scope["balance_minor"].fillna(0).sum()),
        "customer": mine,
        "export": whole,
    }
    for way, value in ways.items():
        if value == stated:
            return "ok", msg("recon_note.balance_agrees", way=msg(f"recon_balance.{way}"))
    gap = Money(stated - mine, currency, currency_decimals(currency))
    return "unexplained", msg("recon_note.balance_differs", gap=gap)


def _explain(stated: int, ways: dict, figures: _Figures, at, total, currency, column, shown):
    """Which way of adding the covered rows gives the export's figure (in `shown`, the
    currency of the column: the base for a local-currency column)."""
    count = ways["rows"]
    places = currency_decimals(shown)
    for way in _WAYS:
        if ways[way] == stated:
            if way == _WAYS[0]:
                return "ok", msg("recon_note.agrees", rows=count)
            name = msg(f"recon_way.{_WAY_CODES[way]}")
            return "ok", msg("recon_note.agrees_way", rows=count, way=name)
    if ways["unreadable"]:
        scope = figures.data[figures.scope(at, total, currency, column)]
        unreadable = scope[f"unreadable_{column}"].astype(bool)
        refs = ", ".join(str(r) for r in scope.loc[unreadable, "src_row"].head(10))
        gap = Money(stated - ways[_WAYS[1]], shown, places)
        return "explained", msg("recon_note.unreadable_rows", gap=gap, rows=refs)
    gap = Money(stated - ways[_WAYS[0]], shown, places)
    return "unexplained", msg("recon_note.differs", count=count, gap=gap)


_WAY_CODES = {_WAYS[1]: "net", _WAYS[2]: "gross", _WAYS[3]: "debits"}


def _control_label(table, total, header: str):
    return msg(
        "recon.control",
        total=total.label.strip() or msg("recon.total_word"),
        file=_name(table),
        sheet=table.sheet,
        row=str(total.row),
        column=header,
    )


def _total_currencies(totals: list, data: pd.DataFrame, default_currency: str) -> list[str]:
    """The currency each totals row is in: its own currency cell, else the table's only one."""
    written = pd.Series([t.values.get("currency", "") for t in totals], dtype="str")
    codes = currency_codes(written, "")
    known = data["currency"].dropna().unique()
    fallback = known[0] if len(known) == 1 else default_currency
    # a subtotal covers its block: one customer's rows, often all in one document currency
    per_block = data.dropna(subset=["currency"]).groupby("block")["currency"].unique()
    out = []
    for at, (total, code) in enumerate(zip(totals, codes, strict=True)):
        block = per_block.get(at, ()) if total.level in _BLOCK_LEVELS else ()
        if len(code) == 3 and code.isalpha():
            out.append(code)
        else:
            out.append(block[0] if len(block) == 1 else fallback)
    return out


_BLOCK_LEVELS = ("sub", "closing", "cumulative")


def _name(table: RawTable) -> str:
    return f"{table.file} [{table.sheet}]" if table.sheet else table.file
