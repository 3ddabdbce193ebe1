"""The history's sheets: Trends, Roll rates, Provision matrix and Changes (close workbook), and
the Changes sheet and the trend table of each pack.

In: a finished `Result` (its `history`, see `aging.model.History`) and the calling renderer's
context (`text`, `col`, `money`, `table`, `heading`, `names`, `lang`, the base currency's
decimals). Out: the sheets, every table through `aging.xlsx_table.write_table`, with native
Excel charts: open balance per bucket month by month (stacked columns), DSO and CEI lines.
Raises nothing of its own.

No figure is computed here: the tables are the history's own rows, reshaped for reading
(the last month's roll rates as a bucket-by-bucket grid; a pack's trend is the open and
overdue of its own customers added up per month-end, a display sum like the charts' tables).
"""

from __future__ import annotations

import pandas as pd

from aging.i18n import grade_label
from aging.xlsx_table import Book, ColumnSpec, TableRange, column_ref

CHANGE_KINDS = ("new_overdue", "grade_worse", "grade_better", "paid_in_full", "into_91",
                "new_broken_promise", "new_credit_hold", "increase", "decrease")  # fmt: skip
CHANGE_TONES = {"grade_worse": "warn", "new_broken_promise": "error", "new_credit_hold": "error",
                "into_91": "warn", "grade_better": "good", "paid_in_full": "good"}  # fmt: skip
# Stacked bucket colours, green (not due) to dark red (oldest); more buckets reuse the last.
BUCKET_COLOURS = ("#A9D18E", "#FFE699", "#FFC000", "#F4B183", "#ED7D31", "#E06666", "#C00000",
                  "#7F0000", "#3A3A3A")  # fmt: skip
DSO_COLOUR = "#2E75B6"
CEI_COLOUR = "#C55A11"
_FLAT = {"autofilter": False, "freeze": False, "print_titles": False}


def bucket_colour(i: int) -> str:
    return BUCKET_COLOURS[min(i, len(BUCKET_COLOURS) - 1)]


def bucket_columns(monthly: pd.DataFrame) -> list[str]:
    """The monthly table's per-bucket columns, in bucket order."""
    fixed = {"month_end", "open_base_minor", "overdue_base_minor", "not_due_base_minor",
             "sales_base_minor", "receipts_base_minor", "dso_countback", "cei"}  # fmt: skip
    return [c for c in monthly.columns if c not in fixed]


# --- close workbook -------------------------------------------------------------------------


def trends(book: Book, ctx) -> None:
    """Month-end figures, the stacked buckets and the DSO / CEI lines, the promise rates."""
    history, key = ctx.result.history, "trends"
    name = ctx.names[key]
    source = ctx.text(f"text.source_{history.source or 'none'}")
    ctx.heading(book, key, ctx.text("text.trends_note", months=history.months, source=source))
    monthly = history.monthly
    if monthly.empty:
        monthly = pd.DataFrame(columns=["month_end", "open_base_minor", "overdue_base_minor",
                                        "not_due_base_minor", "sales_base_minor",
                                        "receipts_base_minor", "dso_countback", "cei"])  # fmt: skip
    buckets = bucket_columns(monthly)
    columns = [
        ctx.col("month_end", kind="date"),
        ctx.col("open_base_minor", kind="money", total=False),
        ctx.col("overdue_base_minor", kind="money", total=False),
        ctx.col("not_due_base_minor", kind="money", total=False),
        ctx.col("sales_base_minor", kind="money", total=False),
        ctx.col("receipts_base_minor", kind="money", total=False),
        ctx.col("dso_countback", kind="number", num_format="0.0"),
        ctx.col("cei", kind="number", num_format="0.0"),
        *(ColumnSpec(b, b, "money", decimals=ctx.base_decimals, total=False) for b in buckets),
    ]
    table = ctx.table(book, key, monthly, columns, title=ctx.text("text.month_figures"),
                      totals=False, freeze_cols=1)  # fmt: skip
    if table.rows_written:
        anchor = table.next_row + 1
        stacked = bucket_chart(book, name, table, buckets, ctx.text("text.trend_by_bucket"))
        book.worksheet(name).insert_chart(anchor, 0, stacked, {"object_position": 3})
        lines = dso_cei_chart(book, name, table, ctx.text)
        book.worksheet(name).insert_chart(anchor, 8, lines, {"object_position": 3})
        book.skip_rows(name, 22)
    rates = history.promise_rates
    if rates.empty:
        return
    shown = rates.assign(
        level=rates["level"].map(lambda v: ctx.text(f"level.{v}")),
        name=rates["name"].where(rates["level"].ne("all"), ""),
    )
    ctx.table(
        book, key, shown,
        [ctx.col("level"), ctx.col("name", "who", max_width=30),
         ctx.col("promises", kind="int", total=False), ctx.col("kept", kind="int", total=False),
         ctx.col("partly_kept", kind="int", total=False),
         ctx.col("broken", kind="int", total=False), ctx.col("kept_share", kind="pct"),
         ctx.col("partly_kept_share", kind="pct"), ctx.col("broken_share", kind="pct")],
        title=ctx.text("text.promise_rates"), totals=False, **_FLAT,
    )  # fmt: skip


def bucket_chart(book: Book, sheet: str, table: TableRange, buckets: list[str], title: str,
                 width: int = 620):  # fmt: skip
    """Stacked columns: each month-end's open balance split by age bucket."""
    chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
    for i, bucket in enumerate(buckets):
        chart.add_series(
            {
                "name": [sheet, table.header_row, table.col(bucket)],
                "categories": column_ref(sheet, table, "month_end"),
                "values": column_ref(sheet, table, bucket),
                "fill": {"color": bucket_colour(i)},
                "border": {"color": "#7F7F7F", "width": 0.25},
                "gap": 50,
            }
        )
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"position": "right", "font": {"size": 8}})
    chart.set_y_axis(
        {"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}}}
    )
    chart.set_x_axis({"num_format": "yyyy-mm", "num_font": {"size": 8, "rotation": -45}})
    chart.set_size({"width": width, "height": 340})
    return chart


def dso_cei_chart(book: Book, sheet: str, table: TableRange, text):
    """DSO (days, left axis) and CEI (%, right axis) as lines, month by month."""
    chart = book.workbook.add_chart({"type": "line"})
    common = {"categories": column_ref(sheet, table, "month_end"),
              "marker": {"type": "circle", "size": 5}}  # fmt: skip
    chart.add_series({**common, "name": text("chart.dso"),
                      "values": column_ref(sheet, table, "dso_countback"),
                      "line": {"color": DSO_COLOUR, "width": 2.25},
                      "marker": {"type": "circle", "size": 5,
                                 "fill": {"color": DSO_COLOUR},
                                 "border": {"color": DSO_COLOUR}}})  # fmt: skip
    chart.add_series({**common, "name": text("chart.cei"),
                      "values": column_ref(sheet, table, "cei"), "y2_axis": True,
                      "line": {"color": CEI_COLOUR, "width": 2.25, "dash_type": "dash"},
                      "marker": {"type": "square", "size": 5, "fill": {"color": CEI_COLOUR},
                                 "border": {"color": CEI_COLOUR}}})  # fmt: skip
    chart.set_title({"name": text("text.trend_dso_cei"), "name_font": {"size": 11}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis(
        {
            "name": text("chart.dso"),
            "num_format": "0",
            "min": 0,
            "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}},
        }
    )
    chart.set_y2_axis({"name": text("chart.cei"), "num_format": "0", "min": 0, "max": 100})
    chart.set_x_axis({"num_format": "yyyy-mm", "num_font": {"size": 8, "rotation": -45}})
    chart.set_size({"width": 560, "height": 340})
    return chart


def roll_rates(book: Book, ctx) -> None:
    """The average monthly rates (shares), the last month's amounts as a grid, every pair."""
    history, key = ctx.result.history, "roll_rates"
    ctx.heading(book, key, ctx.text("text.roll_note"))
    shares = history.roll_shares
    if shares.empty:
        return
    to_columns = [c for c in shares.columns if c not in ("from_bucket", "balance_base_minor")]
    paid = ctx.text("col.paid")
    ctx.table(
        book, key, shares,
        [ctx.col("from_bucket"), ctx.col("balance_base_minor", kind="money", total=False),
         *(ColumnSpec(c, paid if c == "paid" else c, "pct") for c in to_columns)],
        title=ctx.text("text.roll_shares", months=history.months), totals=False, **_FLAT,
    )  # fmt: skip
    roll = history.roll_rates
    if roll.empty:
        return
    last = roll[roll["from_month_end"].eq(roll["from_month_end"].max())]
    grid = last.pivot_table(index="from_bucket", columns="to_bucket", values="amount_base_minor",
                            aggfunc="sum", fill_value=0)  # fmt: skip
    grid = grid.reindex(index=list(shares["from_bucket"]), columns=to_columns, fill_value=0)
    grid = grid.astype("int64").rename_axis(index="from_bucket", columns=None).reset_index()
    start, end = (pd.Timestamp(last[c].iloc[0]).date().isoformat()
                  for c in ("from_month_end", "to_month_end"))  # fmt: skip
    ctx.table(
        book, key, grid,
        [ctx.col("from_bucket"),
         *(ColumnSpec(c, paid if c == "paid" else c, "money", decimals=ctx.base_decimals)
           for c in to_columns)],
        title=ctx.text("text.roll_last", start=start, end=end), **_FLAT,
    )  # fmt: skip
    shown = roll.assign(to_bucket=roll["to_bucket"].where(roll["to_bucket"].ne("paid"), paid))
    ctx.table(
        book, key, shown,
        [ctx.col("from_month_end", kind="date"), ctx.col("to_month_end", kind="date"),
         ctx.col("from_bucket"), ctx.col("to_bucket"),
         ctx.col("amount_base_minor", "change_amount", kind="money", total=False)],
        title=ctx.text("text.roll_all"),
    )  # fmt: skip


def provision_matrix(book: Book, ctx) -> None:
    """Per bucket: the migration shares, loss rate, rate, and today's provision both ways."""
    history, key = ctx.result.history, "provision_matrix"
    config = ctx.result.config.provision
    notes = [
        ctx.text("text.matrix_note", factor=f"{config.forward_factor:g}"),
        ctx.text("text.matrix_booked", method=ctx.text(f"method.{history.booked}")),
    ]
    if history.provisional:
        notes.append(ctx.text("text.matrix_provisional", months=history.months))
    name = ctx.names[key]
    as_of = ctx.result.as_of.isoformat()
    book.write_line(name, f"{name} · {ctx.text('text.as_of', as_of=as_of)}", role="title")
    for i, note in enumerate(notes):
        provisional = history.provisional and i == len(notes) - 1
        book.write_line(name, note, role="section" if provisional else "subtitle",
                        tone="error" if provisional else None)  # fmt: skip
    book.skip_rows(name)
    matrix = history.matrix
    if matrix.empty:
        return
    money = {"kind": "money"}
    ctx.table(
        book, key, matrix,
        [ctx.col("bucket"), ctx.col("balance_base_minor", kind="money", total=False),
         ctx.col("worse_share", kind="pct"), ctx.col("stay_share", kind="pct"),
         ctx.col("paid_share", kind="pct"), ctx.col("rolls_on", kind="pct"),
         ctx.col("loss_rate", kind="pct"), ctx.col("rate", "matrix_rate", kind="pct"),
         ctx.col("open_base_minor", **money), ctx.col("bands_base_minor", **money),
         ctx.col("matrix_base_minor", **money), ctx.col("difference_base_minor", **money)],
        freeze_cols=1,
    )  # fmt: skip


# --- Changes (close workbook and packs) -----------------------------------------------------


def changes_note(history, text) -> list[str]:
    if history.previous is None:
        return [text("text.changes_none")]
    source = text(f"text.changes_from_{history.previous_source}")
    notes = [text("text.changes_note", previous=history.previous.isoformat(), source=source)]
    if not history.holds_compared:
        notes.append(text("text.holds_not_compared"))
    return notes


def changes_frame(changes: pd.DataFrame, lang: str, text, targets: dict) -> pd.DataFrame:
    """The changes as shown: the kind in words, grades by name, the kind of each value for
    the mixed columns, and a link to the customer's row (`targets`: customer_id -> target)."""
    frame = changes.copy()
    kinds = {"money": "money", "grade": "text", "days": "int", "date": "date", "": "text"}
    frame["shown_kind"] = frame["value_kind"].map(kinds).fillna("text")
    for column in ("before", "after"):
        grades = frame["value_kind"].eq("grade")
        frame[column] = frame[column].astype(object)
        frame.loc[grades, column] = [grade_label(g, lang) for g in frame.loc[grades, column]]
    frame["target"] = frame["customer_id"].map(targets)
    frame["customer"] = frame["name"].where(frame["name"].ne(""), frame["customer_id"])
    return frame


def changes_columns(text, decimals: int) -> list[ColumnSpec]:
    def col(source: str, header: str, kind: str = "text", **kw) -> ColumnSpec:
        return ColumnSpec(source, text(header), kind, **kw)

    return [
        col("change", "col.change", values={k: text(f"change.{k}") for k in CHANGE_KINDS},
            tones=CHANGE_TONES, max_width=28),
        col("customer", "col.name", "link", link_col="target", max_width=36),
        col("customer_id", "col.customer_id"),
        col("manager", "col.manager"),
        col("sales_rep", "col.sales_rep"),
        col("doc_no", "col.doc_no"),
        col("before", "col.before", "mixed", kind_col="shown_kind", decimals=decimals),
        col("after", "col.after", "mixed", kind_col="shown_kind", decimals=decimals),
        col("amount_base_minor", "col.change_amount", "money", decimals=decimals, total=False),
    ]  # fmt: skip


def customer_targets(sheet: str, table: TableRange, ids: pd.Series) -> dict:
    """customer_id -> an internal link to the first row holding it in a written table."""
    if table is None or not table.rows_written:
        return {}
    shown = ids.iloc[: table.rows_written].astype(str).reset_index(drop=True)
    first = shown.drop_duplicates()
    quoted = sheet.replace("'", "''")
    return {cid: f"internal:'{quoted}'!A{table.first_row + 1 + i}" for i, cid in first.items()}


def pack_trend(by_customer: pd.DataFrame) -> pd.DataFrame:
    """A pack's customers' open and overdue per month-end (display sum of the history's
    per-customer rows, which the pack holds only for its own customers)."""
    if by_customer.empty:
        return pd.DataFrame(columns=["month_end", "open_base_minor", "overdue_base_minor"])
    sums = by_customer.groupby("month_end", sort=True)[["open_base_minor", "overdue_base_minor"]]
    return sums.sum().astype("int64").reset_index()


def trend_line_chart(book: Book, sheet: str, table: TableRange, text, title: str):
    """Open and overdue of the pack's customers, month by month, as two lines."""
    chart = book.workbook.add_chart({"type": "line"})
    for source, colour, dash in (("open_base_minor", DSO_COLOUR, "solid"),
                                 ("overdue_base_minor", "#C0504D", "dash")):  # fmt: skip
        chart.add_series(
            {
                "name": [sheet, table.header_row, table.col(source)],
                "categories": column_ref(sheet, table, "month_end"),
                "values": column_ref(sheet, table, source),
                "line": {"color": colour, "width": 2.25, "dash_type": dash},
                "marker": {"type": "circle", "size": 4, "fill": {"color": colour},
                           "border": {"color": colour}},
            }
        )  # fmt: skip
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis(
        {
            "num_format": "#,##0",
            "min": 0,
            "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}},
        }
    )
    chart.set_x_axis({"num_format": "yyyy-mm", "num_font": {"size": 8, "rotation": -45}})
    chart.set_size({"width": 620, "height": 300})
    return chart
