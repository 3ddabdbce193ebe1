"""The close workbook: `AR_Close_<as_of>.xlsx`, the month-end file the AR controller keeps.

In: a finished `Result`. Out: one .xlsx with the sheets Summary, Aging by customer, Open
items, the portfolio views (By sales rep, By region, Risk grades), Provision, the collection
plan (Worklist, Why this rank, Credit hold, Limitation alerts, Broken promises, Visit routes,
Instalments), Letters (the register of `aging.letters.letter_register`), Exceptions,
Reconciliation and Settings (names in the run's language), every table written by
`aging.xlsx_table.write_table`, with native Excel charts (Summary, the portfolio views) and
conditional formats (data bars, colour scales) that follow the numbers if someone edits them.
Raises nothing of its own; an unwritable path surfaces as xlsxwriter's error for the caller
to turn into an OutputError.

The renderer computes no business figure: every amount comes from the result. The only sums
made here are for display of figures already computed (bucket totals for the chart, open
balance per grade when the summary does not carry it, rows of the plan's lists counted for
the key figures; the top-20 debtors are the first rows of the customers sorted by open
balance); every totals row is a live formula. The Letters sheet shows
`aging.letters.letter_register` as it is, the rows the letters are written from; the packs
show the same register of their own customers (`letter_rows`, `letter_columns`). Re-running
gives a byte-identical file: document dates are the as-of date and nothing reads the clock.

The worklist is split in two sheets so each prints readably on a landscape page: the
Worklist (who, what, when, at what cost) and Why this rank (the factor contributions that
add up to the score), in the same rank order; each Worklist row names its biggest
factors and links to its row on Why this rank.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from aging import i18n, render_history
from aging.config import RUN_ONLY_SETTINGS, config_rows
from aging.explain import base_line
from aging.i18n import grade_label, sheet_name
from aging.letters import REGISTER_COLUMNS, letter_register
from aging.model import BEHAVIOUR_SHOWN, CHANGE_COLUMNS, GRADES, Result
from aging.plan import FACTORS
from aging.render_forecast import (
    behaviour_columns,
    behaviour_detail,
    expected_columns,
    factor_name,
    forecast_sheet,
)
from aging.xlsx_table import (
    EXCEL_MAX_ROWS,
    TONES,
    Book,
    ColumnSpec,
    TableRange,
    column_ref,
    display_width,
    grade_doughnut,
    write_table,
)

# Sheet keys in workbook order (labels.py holds their names in each language).
SHEETS = (
    "summary",
    "aging_by_customer",
    "open_items",
    "forecast",
    "by_sales_rep",
    "by_region",
    "risk_grades",
    "provision",
    "trends",
    "roll_rates",
    "provision_matrix",
    "changes",
    "worklist",
    "why_rank",
    "credit_hold",
    "limitation_alerts",
    "broken_promises",
    "disputes",
    "visit_routes",
    "instalments",
    "letter_register",
    "exceptions",
    "reconciliation",
    "settings",
)

# Result.summary keys shown as key figures, in this order; kind from the key's suffix.
# Keys not listed follow in the summary's own order; lists (top_debtors) are not key figures.
SUMMARY_KEYS = (
    "total_open_base_minor",
    "open_base_minor",
    "overdue_base_minor",
    "overdue_share",
    "provision_base_minor",
    "unapplied_credit_base_minor",
    "customers",
    "customers_by_grade",
    "open_items",
    "ledger_rows",
    "exceptions",
    "warnings",
    "dso_days",
    "best_possible_dso_days",
    "average_days_delinquent",
    "cei",
    "promises_kept_share",
    "promises_partly_kept_share",
    "promises_broken_share",
)
_FROM_RESULT = ("as_of", "base_currency", "reconciled")  # shown from Result's own fields

SEVERITY_TONES = {"exception": "error", "warning": "neutral"}
OPEN_ITEMS_CSV = "data/open_items.csv"

# The plan's coded values shown in the run's language (labels.py: strategy.*, channel.* ...).
STRATEGIES = ("hard", "soft")
CHANNELS = ("phone", "sms", "email", "fax", "letter", "visit", "lawyer", "agency", "lawsuit")
LETTERS = ("reminder", "credit_warning", "lawyer")
VERDICTS = ("broken", "partly_kept", "kept", "pending", "unverifiable")
VERDICT_TONES = {"broken": "error", "partly_kept": "warn"}
SETTLE = "settle"  # aging.plan's recommendation when chasing costs more
TOP_FACTORS = 3  # factors named in the Worklist's "Why" column
TOP_DEBTORS = 20  # rows of the Summary's top-debtors table and bars of its chart
CHART_BARS = 30  # at most this many bars in a rep / region chart (the most overdue)
OVERDUE_COLOUR = "#C0504D"  # as the PNG charts (aging.charts)
SIGNERS = ("company", "counsel")

# Conditional formats (live Excel rules, so they follow the numbers if someone edits them).
# Score bars on a fixed 0-100 scale; Excel 2007 style (no 2010 extension) so every reader
# that knows conditional formats shows them.
SCORE_BAR = {"type": "data_bar", "bar_color": "#9BC2E6", "data_bar_2010": False,
             "min_type": "num", "min_value": 0, "max_type": "num", "max_value": 100}  # fmt: skip
FACTOR_HEAT = {"type": "2_color_scale", "min_type": "num", "min_value": 0,
               "min_color": "#FFFFFF", "max_type": "max", "max_color": "#F4B183"}  # fmt: skip
# Open items: the open balance as a bar; days overdue green (due) -> amber (doubtful from
# grading.doubtful_days) -> red (bad from grading.bad_days); an overdue bar per rep / region.
OPEN_BAR = {"type": "data_bar", "bar_color": "#9BC2E6", "data_bar_2010": False,
            "min_type": "num", "min_value": 0, "max_type": "max"}  # fmt: skip
OVERDUE_BAR = {"type": "data_bar", "bar_color": "#E6A5A3", "data_bar_2010": False,
               "min_type": "num", "min_value": 0, "max_type": "max"}  # fmt: skip
# Excel's light fills (as the grade tones), so the scale does not outshout the grade column.
DAYS_SCALE = {"type": "3_color_scale", "min_type": "num", "min_value": 0,
              "min_color": "#C6EFCE", "mid_type": "num", "mid_color": "#FFEB9C",
              "max_type": "num", "max_color": "#F4A6A6"}  # fmt: skip
DAYS_LEFT_RULES = (
    {"type": "cell", "criteria": "<", "value": 0, "tone": "error"},
    {"type": "cell", "criteria": "between", "minimum": 0, "maximum": 30, "tone": "warn"},
)


def close_workbook_name(as_of: date) -> str:
    return f"AR_Close_{as_of.isoformat()}.xlsx"


def write_close_workbook(result: Result, path: Path, *, max_rows: int = EXCEL_MAX_ROWS) -> Path:
    """Write the close workbook to `path` (a file, or a folder to hold AR_Close_<as_of>.xlsx).

    `max_rows` is the sheets' row limit (Excel's by default; tests pass a small one).
    Returns the file written.
    """
    path = Path(path)
    if path.is_dir():
        path = path / close_workbook_name(result.as_of)
    lang = result.config.output.lang
    as_of = result.as_of.isoformat()
    names = {key: sheet_name(key, lang) for key in SHEETS}
    book = Book(
        path,
        as_of=result.as_of,
        lang=lang,
        title=i18n.text("text.title", lang, as_of=as_of),
        subject=i18n.text("text.subject", lang, as_of=as_of),
        max_rows=max_rows,
    )
    with book:
        for key in SHEETS:  # made up front so the order holds whatever is written first
            book.sheet(names[key])
        ctx = _Ctx(result, lang, names)
        _summary(book, ctx)
        aging = _aging(book, ctx)
        _open_items(book, ctx)
        forecast_sheet(book, ctx)
        _portfolio(book, ctx, "by_sales_rep", "sales_rep", ctx.result.by_rep)
        _portfolio(book, ctx, "by_region", "region", ctx.result.by_region)
        _risk_grades(book, ctx)
        _provision(book, ctx)
        _history_sheets(book, ctx, aging)
        why = _why_rank(book, ctx)  # first: each Worklist row links to its row here
        _worklist(book, ctx, why)
        _credit_hold(book, ctx)
        _limitation_alerts(book, ctx)
        _broken_promises(book, ctx)
        _disputes(book, ctx)
        _visit_routes(book, ctx)
        _instalments(book, ctx)
        _letters(book, ctx)
        _exceptions(book, ctx)
        _reconciliation(book, ctx)
        _settings(book, ctx)
    return path


class _Ctx:
    """What every sheet needs: the result, language, sheet names and base-currency helpers."""

    def __init__(self, result: Result, lang: str, names: dict) -> None:
        self.result = result
        self.lang = lang
        self.names = names
        self.ccy = result.base_currency
        self.base_decimals = int(result.currency_decimals.get(self.ccy, 2))

    def text(self, key: str, **fill) -> str:
        return i18n.text(key, self.lang, ccy=self.ccy, **fill)

    def col(self, source: str, header_key: str | None = None, kind: str = "text", **kw):
        """A column headed by its label (`col.<source>` unless told otherwise)."""
        if kind == "money" and "currency_col" not in kw:
            kw.setdefault("decimals", self.base_decimals)
        header = self.text(f"col.{header_key or source}")
        return ColumnSpec(source, header, kind, **kw)

    def major(self, minor: pd.Series) -> list[float]:
        """Base-currency minor units as the cells show them (a chart's cached values)."""
        return (pd.to_numeric(minor).astype(float) / 10**self.base_decimals).tolist()

    def money(self, source: str, header: str) -> ColumnSpec:
        return ColumnSpec(source, header, "money", decimals=self.base_decimals)

    def table(self, book: Book, key: str, frame: pd.DataFrame, columns, **kw) -> TableRange:
        kw.setdefault("currency_decimals", self.result.currency_decimals)
        return write_table(book, self.names[key], frame, columns, **kw)

    def heading(self, book: Book, key: str, *notes: str) -> None:
        """The sheet's first line: its name and the as-of date; then any notes (what the
        sheet is for), then a blank row."""
        as_of = self.result.as_of.isoformat()
        text = f"{self.names[key]} · {self.text('text.as_of', as_of=as_of)}"
        book.write_line(self.names[key], text, role="title")
        for note in notes:
            book.write_line(self.names[key], note, role="subtitle")
        book.skip_rows(self.names[key])

    def plan(self, field: str, columns) -> pd.DataFrame:
        """One of the plan's tables, its messages in the run's language; an empty one (a run
        without a plan) gets its columns."""
        frame = getattr(self.result, field)
        if frame.empty:
            return frame.reindex(columns=list(dict.fromkeys([*frame.columns, *columns])))
        return i18n.render_frame(frame, self.lang)

    def coded(self, prefix: str, codes) -> dict:
        return {code: self.text(f"{prefix}.{code}") for code in codes}


# --- Summary -----------------------------------------------------------------------------


def _summary(book: Book, ctx: _Ctx) -> None:
    result, name = ctx.result, ctx.names["summary"]
    book.write_line(name, ctx.text("text.title", as_of=result.as_of.isoformat()), role="title")
    status = ctx.text("text.reconciled" if result.reconciled else "text.not_reconciled")
    book.write_line(
        name,
        ctx.text("text.recon_status", status=status),
        role="section",
        tone="good" if result.reconciled else "error",
    )
    book.skip_rows(name)

    kpis, tones = _kpi_frame(ctx)
    kpi_columns = [
        ctx.col("kpi", max_width=44),
        ColumnSpec("value", ctx.text("col.kpi_value"), "mixed", kind_col="kind",
                   decimals=ctx.base_decimals),
    ]  # fmt: skip
    flat = {"autofilter": False, "freeze": False, "print_titles": False}
    kpi_range = ctx.table(
        book, "summary", kpis, kpi_columns, title=ctx.text("text.key_figures"),
        row_tones=tones, totals=False, **flat,
    )  # fmt: skip

    links = pd.DataFrame(
        {
            "sheet": [ctx.names[k] for k in SHEETS[1:]],
            "target": [_internal_link(ctx.names[k]) for k in SHEETS[1:]],
        }
    )
    link_range = ctx.table(
        book, "summary", links,
        [ColumnSpec("sheet", ctx.text("col.go_to"), "link", link_col="target")],
        totals=False, **flat,
    )  # fmt: skip

    buckets = _bucket_totals(result.aging_by_customer)
    bucket_range = ctx.table(
        book, "summary", buckets,
        [ctx.col("bucket"), ctx.money("open_base_minor", ctx.text("col.open_base_minor"))],
        title=ctx.text("text.aging_by_bucket"), **flat,
    )  # fmt: skip

    grades = _grade_mix(ctx)
    grade_range = ctx.table(
        book, "summary", grades,
        [
            ctx.col("grade", kind="grade"),
            ctx.col("customers", kind="int"),
            ctx.money("open_base_minor", ctx.text("col.open_base_minor")),
        ],
        title=ctx.text("text.grade_mix"), **flat,
    )  # fmt: skip

    top = _top_debtors(result.customers)
    top_range = ctx.table(
        book, "summary", top,
        [
            ctx.col("name", max_width=44),
            ctx.col("customer_id"),
            ctx.col("grade", kind="grade"),
            ctx.col("open_base_minor", kind="money"),
            ctx.col("overdue_base_minor", kind="money"),
            ctx.col("provision_base_minor", kind="money"),
        ],
        title=ctx.text("text.top_debtors", n=TOP_DEBTORS), **flat,
    )  # fmt: skip

    _charts(book, ctx, kpi_range, bucket_range, grade_range)
    _top_debtors_chart(book, ctx, top, top_range, link_range)
    book.worksheet(name).fit_to_pages(1, 1)  # the summary prints as one page


def _kpi_frame(ctx: _Ctx) -> tuple[pd.DataFrame, list]:
    """(label, value, kind) per key figure, and a tone per row (grade colours, reconciled)."""
    result, summary = ctx.result, ctx.result.summary
    rows: list[tuple[str, object, str, str | None]] = [
        (ctx.text("kpi.as_of"), result.as_of, "date", None),
        (ctx.text("kpi.base_currency"), result.base_currency, "text", None),
    ]
    ordered = [k for k in SUMMARY_KEYS if k in summary]
    ordered += [k for k in summary if k not in SUMMARY_KEYS and k not in _FROM_RESULT]
    for key in ordered:
        value = summary[key]
        if key == "customers_by_grade" and isinstance(value, Mapping):
            for grade in GRADES:
                if grade in value:
                    text = ctx.text("kpi.customers_by_grade", grade=grade_label(grade, ctx.lang))
                    rows.append((text, value[grade], "int", grade))
            continue
        kind = _kpi_kind(key, value)
        if kind is None:
            continue
        if kind == "bool":
            value, kind = ctx.text("text.yes" if value else "text.no"), "text"
        text = ctx.text(f"kpi.{key}") if i18n.has(f"kpi.{key}") else key
        rows.append((text, value, kind, None))
    rows += _plan_kpis(ctx)
    yes_no = ctx.text("text.yes" if result.reconciled else "text.no")
    rows.append(
        (ctx.text("kpi.reconciled"), yes_no, "text", "good" if result.reconciled else "error")
    )
    frame = pd.DataFrame([r[:3] for r in rows], columns=["kpi", "value", "kind"], dtype=object)
    return frame, [r[3] for r in rows]


def _plan_kpis(ctx: _Ctx) -> list[tuple[str, object, str, str | None]]:
    """Customers on credit hold, and limitation alerts still open / already past: rows of the
    plan's own lists, counted (the plan decided who is on them)."""
    holds = len(ctx.result.credit_hold)
    days_left = ctx.plan("limitation_alerts", ["days_left"])["days_left"]
    past = int((pd.to_numeric(days_left) < 0).sum())
    within = len(days_left) - past
    alert_days = ctx.result.config.plan.limitation_alert_days
    return [
        (ctx.text("kpi.credit_hold"), holds, "int", None),
        (
            ctx.text("kpi.limitation_alerts", days=alert_days),
            f"{within:,} / {past:,}",
            "text",
            "error" if past else ("warn" if within else None),
        ),
    ]


def _kpi_kind(key: str, value) -> str | None:
    if value is None or isinstance(value, list | tuple | Mapping):
        return None  # nothing to show, or not a single figure (top_debtors has its own table)
    if isinstance(value, bool):
        return "bool"
    if key.endswith("_minor"):
        return "money"
    if key.endswith(("_share", "_rate")):
        return "pct"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "number"
    return "text"


def _bucket_totals(aging: pd.DataFrame) -> pd.DataFrame:
    """Bucket columns of the aging table, each summed for the chart (display only)."""
    fixed = ("customer_id", "name", "grade", "total", *BEHAVIOUR_SHOWN)
    buckets = [c for c in aging.columns if c not in fixed]
    amounts = [int(pd.to_numeric(aging[c]).sum()) for c in buckets]
    return pd.DataFrame({"bucket": buckets, "open_base_minor": amounts})


def _grade_mix(ctx: _Ctx) -> pd.DataFrame:
    """Customers per grade (from the summary) and open balance per grade (display sum)."""
    summary = ctx.result.summary
    counts = summary.get("customers_by_grade") or {}
    by_grade = summary.get("open_by_grade_base_minor")
    if by_grade is None:
        items = ctx.result.open_items
        by_grade = items.groupby("grade", observed=False)["open_base_minor"].sum().to_dict()
    return pd.DataFrame(
        {
            "grade": list(GRADES),
            "customers": [counts.get(g, pd.NA) for g in GRADES],
            "open_base_minor": [int(by_grade.get(g, 0)) for g in GRADES],
        }
    )


def _top_debtors(customers: pd.DataFrame) -> pd.DataFrame:
    ordered = customers.sort_values(
        ["open_base_minor", "customer_id"], ascending=[False, True], kind="stable"
    )
    # Debtors only (as the PNG chart, aging.charts.top_debtors): a customer holding nothing
    # but an unapplied credit owes nothing.
    return ordered[ordered["open_base_minor"] > 0].head(TOP_DEBTORS).reset_index(drop=True)


def _charts(book: Book, ctx: _Ctx, kpis: TableRange, buckets: TableRange, grades: TableRange):
    """A column chart of the aging by bucket and a doughnut of the grade mix, beside the KPIs."""
    workbook, name = book.workbook, ctx.names["summary"]
    worksheet = book.worksheet(name)

    column = workbook.add_chart({"type": "column"})
    column.add_series(
        {
            "name": ctx.text("text.aging_by_bucket"),
            "categories": column_ref(name, buckets, "bucket"),
            "values": column_ref(name, buckets, "open_base_minor"),
            "fill": {"color": "#2E75B6"},
            "gap": 60,
            "data_labels": {"value": True, "num_format": "#,##0", "font": {"size": 8}},
        }
    )
    column.set_title({"name": ctx.text("text.aging_by_bucket"), "name_font": {"size": 11}})
    column.set_legend({"none": True})
    column.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    column.set_x_axis({"num_font": {"size": 9}})
    column.set_size({"width": 560, "height": 300})

    doughnut = grade_doughnut(workbook, ctx.text("text.grade_mix"), name, grades, 300)

    anchor_row = kpis.header_row
    worksheet.insert_chart(anchor_row, 3, column, {"object_position": 3})
    worksheet.insert_chart(anchor_row, 3, doughnut, {"x_offset": 580, "object_position": 3})


def _top_debtors_chart(book: Book, ctx: _Ctx, top: pd.DataFrame, table: TableRange,
                       beside: TableRange) -> None:  # fmt: skip
    """Bars of the top debtors' open balance, largest at the top, each in its grade's colour;
    under the first two charts, beside the list of detail sheets."""
    if not table.rows_written:
        return
    name = ctx.names["summary"]
    title = ctx.text("text.top_debtors_chart", n=TOP_DEBTORS)
    shown = top.iloc[: table.rows_written]
    grades = [g if g in GRADES else None for g in shown["grade"].astype(str)]
    chart = _bar_chart(book, title, name, table, "name", "open_base_minor",
                       shown["name"].astype(str).tolist(),
                       ctx.major(shown["open_base_minor"]), grades=grades, width=1000)  # fmt: skip
    book.worksheet(name).insert_chart(beside.header_row, 3, chart, {"object_position": 3})


def _bar_chart(book: Book, title: str, sheet: str, table: TableRange, category: str,
               value: str, names: list[str], values: list[float], *,
               grades: list | None = None, width: int = 640):  # fmt: skip
    """Horizontal bars of a table's first `len(names)` rows, first row on top, each labelled
    with its value; in the grades' colours when given. `names` and `values` are what those
    cells show: they become the chart's cache (a streamed sheet cannot be read back for it),
    so every reader shows the names as text. The plot leaves room for the longest name
    (LibreOffice cuts long category labels otherwise)."""
    shown = max(len(names), 1)
    last = table.first_row + shown - 1
    chart = book.workbook.add_chart({"type": "bar"})
    series = {
        "name": title,
        "categories": [sheet, table.first_row, table.col(category), last, table.col(category)],
        "values": [sheet, table.first_row, table.col(value), last, table.col(value)],
        "categories_data": names,
        "values_data": values,
        "fill": {"color": OVERDUE_COLOUR},
        "gap": 50,
        "data_labels": {"value": True, "num_format": "#,##0", "font": {"size": 8}},
    }
    if grades:
        series["points"] = [
            {"fill": {"color": TONES[g]["bg_color"]},
             "border": {"color": TONES[g]["font_color"], "width": 0.5}} if g else None
            for g in grades
        ]  # fmt: skip
    chart.add_series(series)
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    chart.set_x_axis(
        {
            "num_format": "#,##0",
            "num_font": {"size": 8},
            "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}},
        }
    )
    # Categories top down (the first row on top), the value axis kept at the bottom.
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 9}})
    height = 90 + 24 * max(shown, 3)
    # About 6 pixels per column of a 9-point label; the value labels need room on the right.
    left = min(max(display_width(n) for n in names) * 6 + 16, width * 0.45) / width
    chart.set_plotarea({"layout": {"x": left, "y": 50 / height, "width": 0.93 - left,
                                   "height": 1 - 90 / height}})  # fmt: skip
    chart.set_size({"width": width, "height": height})
    return chart


def _internal_link(sheet: str, cell: str = "A1") -> str:
    return "internal:'" + sheet.replace("'", "''") + "'!" + cell


# --- detail sheets -----------------------------------------------------------------------


def _aging(book: Book, ctx: _Ctx) -> TableRange:
    frame = ctx.result.aging_by_customer
    behaviour = [c for c in behaviour_columns(ctx) if c.source in frame.columns]
    fixed = ("customer_id", "name", "grade", "total", *(c.source for c in behaviour))
    columns = [ctx.col("customer_id"), ctx.col("name", max_width=44)]
    if "grade" in frame.columns:
        columns.append(ctx.col("grade", kind="grade"))
    columns += [ctx.money(c, str(c)) for c in frame.columns if c not in fixed]
    columns.append(ctx.col("total", kind="money"))
    columns += behaviour  # how the customer pays (aging.behaviour), after what it owes
    ctx.heading(book, "aging_by_customer")
    return ctx.table(book, "aging_by_customer", frame, columns, freeze_cols=2)


def _history_sheets(book: Book, ctx: _Ctx, aging: TableRange) -> None:
    """Trends, Roll rates, Provision matrix and Changes (aging.render_history); each change
    links to the customer's row on Aging by customer."""
    render_history.trends(book, ctx)
    render_history.roll_rates(book, ctx)
    render_history.provision_matrix(book, ctx)
    history = ctx.result.history
    ctx.heading(book, "changes", *render_history.changes_note(history, ctx.text))
    ids = ctx.result.aging_by_customer["customer_id"]
    targets = render_history.customer_targets(ctx.names["aging_by_customer"], aging, ids)
    frame = history.changes
    if frame.empty:
        frame = pd.DataFrame(columns=[*CHANGE_COLUMNS])
    shown = render_history.changes_frame(frame, ctx.lang, ctx.text, targets)
    columns = render_history.changes_columns(ctx.text, ctx.base_decimals)
    ctx.table(book, "changes", shown, columns, freeze_cols=2)


def open_item_columns(ctx, *, full: bool) -> list[ColumnSpec]:
    """The Open items columns for both workbooks: the close workbook adds the provision rate,
    the manager and the source file and sheet; a pack keeps what a manager works with."""
    doc_types = {k: ctx.text(f"doc_type.{k}") for k in ("invoice", "credit_note", "receipt",
                                                          "adjustment", "open_item")}  # fmt: skip
    columns = [
        ctx.col("customer_id"),
        ctx.col("customer_name", max_width=44 if full else 36),
        ctx.col("doc_no"),
        ctx.col("doc_type", values=doc_types),
        ctx.col("doc_date", kind="date"),
        ctx.col("due_date", kind="date"),
        ctx.col("currency"),
        ctx.col("amount_minor", kind="money", currency_col="currency"),
        ctx.col("open_minor", kind="money", currency_col="currency"),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("days_overdue", kind="int", total=False),
        ctx.col("bucket"),
        ctx.col("grade", kind="grade"),
        *([ctx.col("provision_rate", kind="pct")] if full else []),
        ctx.col("provision_base_minor", kind="money"),
        ctx.col("limitation_date", kind="date"),
        *expected_columns(ctx),
        ctx.col("sales_rep"),
        *([ctx.col("manager")] if full else []),
        ctx.col("region"),
        *([ctx.col("src_file", max_width=40), ctx.col("src_sheet")] if full else []),
        ctx.col("src_row", kind="int", num_format="0", total=False),
    ]
    return columns


def _open_items(book: Book, ctx: _Ctx) -> None:
    columns = open_item_columns(ctx, full=True)
    ctx.heading(book, "open_items")
    table = ctx.table(book, "open_items", ctx.result.open_items, columns, freeze_cols=2,
                      overflow_where=OPEN_ITEMS_CSV)  # fmt: skip
    _rule(book, table, "open_base_minor", OPEN_BAR)
    grading = ctx.result.config.grading
    days = dict(DAYS_SCALE, mid_value=grading.doubtful_days, max_value=grading.bad_days)
    _rule(book, table, "days_overdue", days)
    _two_pages_wide(book, ctx.names["open_items"], repeat_last_col=2)


# --- portfolio views ------------------------------------------------------------------------

PORTFOLIO_FIXED = ("customers", "open_base_minor", "overdue_base_minor", "overdue_share",
                   "provision_base_minor")  # fmt: skip
RISK_COLUMNS = ("grade", "customers", "items", "open_base_minor", "overdue_base_minor",
                "provision_base_minor", "share_of_open")  # fmt: skip


def _portfolio(book: Book, ctx: _Ctx, key: str, by: str, frame: pd.DataFrame) -> None:
    """One row per sales rep (region) as the result holds them, most overdue first; a bar per
    row in the overdue column, and a bar chart of the overdue amounts under the table."""
    if frame.empty:
        frame = frame.reindex(columns=list(dict.fromkeys([*frame.columns, by,
                                                           *PORTFOLIO_FIXED])))  # fmt: skip
    # Items with no rep (region) group under "": shown as "(none)", in the chart too.
    shown = frame[by].fillna("").astype(str)
    frame = frame.assign(**{by: shown.where(shown.str.strip().ne(""), ctx.text("text.none"))})
    buckets = [c for c in frame.columns if c != by and c not in PORTFOLIO_FIXED]
    columns = [
        ctx.col(by, max_width=30),
        ctx.col("customers", kind="int", total=True),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("overdue_share", kind="pct"),
        ctx.col("provision_base_minor", kind="money"),
        *(ctx.money(c, str(c)) for c in buckets),
    ]
    ctx.heading(book, key, ctx.text(f"text.{key}_note"))
    table = ctx.table(book, key, frame, columns, freeze_cols=1)
    _rule(book, table, "overdue_base_minor", OVERDUE_BAR)
    if not table.rows_written:
        return
    title = ctx.text("text.overdue_by_rep" if by == "sales_rep" else "text.overdue_by_region")
    if table.rows_written > CHART_BARS:
        title = ctx.text("text.chart_first", title=title, n=CHART_BARS)
    shown = frame.iloc[: min(table.rows_written, CHART_BARS)]
    chart = _bar_chart(
        book,
        title,
        ctx.names[key],
        table,
        by,
        "overdue_base_minor",
        shown[by].astype(str).tolist(),
        ctx.major(shown["overdue_base_minor"]),
    )
    book.worksheet(ctx.names[key]).insert_chart(table.next_row, 0, chart,
                                                {"object_position": 3})  # fmt: skip


def _risk_grades(book: Book, ctx: _Ctx) -> None:
    """One row per grade, best to worst, each row in its grade's colour; a column chart of the
    open balance per grade beside the table."""
    frame = ctx.plan("risk_grades", RISK_COLUMNS)
    columns = [
        ctx.col("grade", kind="grade"),
        ctx.col("customers", kind="int", total=True),
        ctx.col("items", kind="int", total=True),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("provision_base_minor", kind="money"),
        ctx.col("share_of_open", kind="pct", total=True),  # adds up to 100 %
    ]
    grades = frame["grade"].astype(object).where(frame["grade"].notna(), None).tolist()
    tones = [g if g in GRADES else None for g in grades]
    ctx.heading(book, "risk_grades", ctx.text("text.risk_grades_note"))
    table = ctx.table(book, "risk_grades", frame, columns, row_tones=tones)
    if not table.rows_written:
        return
    name = ctx.names["risk_grades"]
    title = ctx.text("text.open_by_grade")
    chart = book.workbook.add_chart({"type": "column"})
    shown = tones[: table.rows_written]
    chart.add_series(
        {
            "name": title,
            "categories": column_ref(name, table, "grade"),
            "values": column_ref(name, table, "open_base_minor"),
            "categories_data": [grade_label(g, ctx.lang) if g else "" for g in shown],
            "values_data": ctx.major(frame["open_base_minor"].iloc[: table.rows_written]),
            "points": [
                {"fill": {"color": TONES[g]["bg_color"] if g else OVERDUE_COLOUR},
                 "border": {"color": TONES[g]["font_color"] if g else OVERDUE_COLOUR,
                            "width": 0.5}}
                for g in shown
            ],
            "gap": 60,
            "data_labels": {"value": True, "num_format": "#,##0", "font": {"size": 8}},
        }
    )  # fmt: skip
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    chart.set_y_axis(
        {
            "num_format": "#,##0",
            "num_font": {"size": 8},
            "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}},
        }
    )
    chart.set_x_axis({"num_font": {"size": 9}})  # fmt: skip
    chart.set_size({"width": 520, "height": 300})
    book.worksheet(name).insert_chart(table.header_row, len(columns) + 1, chart,
                                      {"object_position": 3})  # fmt: skip


def _provision(book: Book, ctx: _Ctx) -> None:
    frame = ctx.result.provision
    known = {
        "band": ctx.col("band"),
        "rate": ctx.col("rate", kind="pct"),
        "items": ctx.col("items", kind="int", total=True),
        "open_base_minor": ctx.col("open_base_minor", kind="money"),
        "provision_base_minor": ctx.col("provision_base_minor", kind="money"),
    }
    if "grade" in frame.columns:
        known["grade"] = ctx.col("grade", kind="grade")
    columns = []
    for source in frame.columns:
        if source in known:
            columns.append(known[source])
        elif source in GRADES:  # open balance per grade, so the grade overrides show
            header = f"{grade_label(source, ctx.lang)} ({ctx.ccy})"
            columns.append(ctx.money(source, header))
        else:
            columns.append(_guess_column(ctx, frame, source))
    ctx.heading(book, "provision")
    ctx.table(book, "provision", frame, columns, freeze_cols=1)


def _guess_column(ctx: _Ctx, frame: pd.DataFrame, source: str) -> ColumnSpec:
    """A column outside the contract: shown by what its name and dtype say it is."""
    header = ctx.text(f"col.{source}") if i18n.has(f"col.{source}") else source
    series = frame[source]
    if source.endswith("_base_minor"):
        return ctx.money(source, header)
    if pd.api.types.is_datetime64_any_dtype(series):
        return ColumnSpec(source, header, "date")
    if pd.api.types.is_bool_dtype(series):
        return ColumnSpec(source, header, "text")
    if pd.api.types.is_integer_dtype(series):
        return ColumnSpec(source, header, "int", total=False)
    if pd.api.types.is_float_dtype(series):
        return ColumnSpec(
            source, header, "pct" if "rate" in source or "share" in source else "number"
        )
    return ColumnSpec(source, header, "text")


# --- the collection plan -------------------------------------------------------------------

FACTOR_COLUMNS = tuple(f"factor_{f}" for f in FACTORS)
WORKLIST_COLUMNS = (
    "rank", "customer_id", "name", "manager", "sales_rep", "overdue_base_minor",
    "max_days_overdue", "grade", "priority_score", "strategy", "next_action", "channel",
    "letter", "next_contact_date", "window", "credit_hold", *FACTOR_COLUMNS,
    "action_cost_base_minor", "expected_recovery_base_minor", "recommendation", "held_reason",
    "block_reason",
)  # fmt: skip
BROKEN_COLUMNS = ("customer_id", "contact_date", "promise_date", "promise_minor",
                  "received_minor", "verdict", "by", "note")  # fmt: skip


def _rank(ctx: _Ctx) -> ColumnSpec:
    return ctx.col("rank", kind="int", num_format="0", total=False)


def _score(ctx: _Ctx) -> ColumnSpec:
    return ctx.col("priority_score", kind="number", num_format="0.0")


def _blocked(frame: pd.DataFrame) -> list:
    """Grey rows for customers the plan does not chase (block_reason given)."""
    reasons = frame["block_reason"].fillna("").astype(str).str.strip()
    return ["blocked" if reason else None for reason in reasons.tolist()]


def _rule(book: Book, table: TableRange, first: str, options: dict, last: str | None = None):
    """A conditional format over a column's data rows (or a block of columns, first..last);
    a `tone` names the look, from the writer's TONES like every other colour."""
    if not table.rows_written:
        return
    options = dict(options)
    tone = options.pop("tone", None)
    if tone:
        options["format"] = book.format("highlight", tone=tone)
    book.worksheet(table.sheet).conditional_format(
        table.first_row, table.col(first), table.last_row, table.col(last or first), options
    )


def _why_rank(book: Book, ctx: _Ctx) -> TableRange:
    """Rank, customer and the factor contributions (points out of 100) beside the score, and
    what the payment-behaviour factor rests on."""
    frame = ctx.plan("worklist", WORKLIST_COLUMNS)
    weights = ctx.result.config.plan.weights
    shown = ", ".join(f"{ctx.text(f'col.factor_{f}')} {weights.get(f, 0):g}" for f in FACTORS)
    ctx.heading(
        book, "why_rank",
        ctx.text("text.why_note", worklist=ctx.names["worklist"]),
        ctx.text("text.why_weights", weights=shown),
    )  # fmt: skip
    columns = [
        _rank(ctx),
        ctx.col("customer_id"),
        ctx.col("name", max_width=26, wrap=True),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("max_days_overdue", kind="int", total=False),
        ctx.col("grade", kind="grade"),
        _score(ctx),
        *(ctx.col(c, kind="number", num_format="0.0", min_width=7) for c in FACTOR_COLUMNS),
        ctx.col("behaviour_detail", "behaviour", max_width=40, wrap=True),
    ]
    frame = frame.assign(behaviour_detail=behaviour_detail(ctx, frame))
    # No grey rows here: a blocked customer still has its rank, and the heat would hide them.
    table = ctx.table(book, "why_rank", frame, columns, freeze_cols=3, totals=False)
    _rule(book, table, "priority_score", SCORE_BAR)
    _rule(book, table, FACTOR_COLUMNS[0], FACTOR_HEAT, last=FACTOR_COLUMNS[-1])
    return table


def _worklist(book: Book, ctx: _Ctx, why: TableRange) -> None:
    """Who to chase, in rank order: the next action, when, at what cost; grey when blocked."""
    frame = ctx.plan("worklist", WORKLIST_COLUMNS).copy()
    holds = frame["credit_hold"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    frame["hold_shown"] = np.where(holds, "yes", "no")
    block = frame["block_reason"].fillna("").astype(str)
    frame["reason"] = block.where(block.str.strip().ne(""), frame["held_reason"].fillna(""))
    frame["why"] = _top_factors(ctx, frame)
    # Each row links to the same rank's row on Why this rank (same frame, same order).
    frame["why_target"] = [
        _internal_link(ctx.names["why_rank"], f"A{why.first_row + 1 + i}")
        if i < why.rows_written else None
        for i in range(len(frame))
    ]  # fmt: skip
    yes_no = {"yes": ctx.text("text.yes"), "no": ctx.text("text.no")}
    columns = [
        _rank(ctx),
        ctx.col("customer_id"),
        ctx.col("name", max_width=26, wrap=True),
        ctx.col("manager"),
        ctx.col("sales_rep"),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("max_days_overdue", kind="int", total=False),
        ctx.col("grade", kind="grade"),
        _score(ctx),
        # Not wrapped: LibreOffice does not wrap a link's text.
        ColumnSpec("why", ctx.text("col.why"), "link", link_col="why_target", max_width=40),
        ctx.col("strategy", values=ctx.coded("strategy", STRATEGIES)),
        ctx.col("next_action", max_width=26, wrap=True),
        ctx.col("channel", values=ctx.coded("channel", CHANNELS)),
        ctx.col("letter", values=ctx.coded("letter", LETTERS), max_width=14, wrap=True),
        ctx.col("next_contact_date", kind="date"),
        ctx.col("window", max_width=13, wrap=True),
        ctx.col("hold_shown", "credit_hold", values=yes_no),
        ctx.col("action_cost_base_minor", kind="money"),
        ctx.col("expected_recovery_base_minor", kind="money"),
        ctx.col(
            "recommendation",
            values={SETTLE: ctx.text("recommendation.settle")},
            tones={SETTLE: "error"},
            max_width=14,
            wrap=True,
        ),
        ctx.col("reason", max_width=30, wrap=True),
    ]
    ctx.heading(book, "worklist", ctx.text("text.worklist_note", why=ctx.names["why_rank"]))
    table = ctx.table(book, "worklist", frame, columns, freeze_cols=3,
                      row_tones=_blocked(frame))  # fmt: skip
    _rule(book, table, "priority_score", SCORE_BAR)
    _two_pages_wide(book, ctx.names["worklist"], repeat_last_col=2)


def _two_pages_wide(book: Book, sheet: str, repeat_last_col: int) -> None:
    """Too wide for one readable page: two pages across, each repeating the identifying
    columns, printed side by side (left and right half of the same rows) before going down."""
    worksheet = book.worksheet(sheet)
    worksheet.fit_to_pages(2, 0)
    worksheet.repeat_columns(0, repeat_last_col)
    worksheet.print_across()


def _top_factors(ctx: _Ctx, frame: pd.DataFrame) -> list[str]:
    """The biggest factor contributions of each row, largest first ("Amount 22.2 · Age 14.8");
    the payment-behaviour factor is named by its state ("Worsening 12.9")."""
    names = [ctx.text(f"col.factor_{f}") for f in FACTORS]
    at = FACTORS.index("behaviour")
    states = frame["behaviour"] if "behaviour" in frame else pd.Series("", index=frame.index)
    points = frame[list(FACTOR_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    points = points.fillna(0.0).to_numpy(dtype=float)
    order = np.argsort(-points, axis=1, kind="stable")[:, :TOP_FACTORS]
    out = []
    for row, picks, state in zip(points, order, states, strict=True):
        shown = [factor_name(ctx, state, n) if i == at else n for i, n in enumerate(names)]
        out.append(" · ".join(f"{shown[i]} {row[i]:.1f}" for i in picks if row[i] > 0))
    return out


def _credit_hold(book: Book, ctx: _Ctx) -> None:
    columns = [
        ctx.col("customer_id"),
        ctx.col("name", max_width=36),
        ctx.col("manager"),
        ctx.col("sales_rep"),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("credit_limit_base_minor", kind="money", total=False),
        ctx.col("hold_reason", max_width=60, wrap=True),
    ]
    frame = ctx.plan("credit_hold", [c.source for c in columns])
    ctx.heading(book, "credit_hold", ctx.text("text.credit_hold_note"))
    ctx.table(book, "credit_hold", frame, columns, freeze_cols=2)


def _disputes(book: Book, ctx: _Ctx) -> None:
    """Items the ledger flags as disputed: they age and are provided for, but nobody chases
    them until the dispute is resolved; the oldest first."""
    columns = [
        ctx.col("customer_id"),
        ctx.col("customer_name", max_width=36),
        ctx.col("manager"),
        ctx.col("doc_no"),
        ctx.col("due_date", kind="date"),
        ctx.col("days_overdue", kind="int", total=False),
        ctx.col("bucket"),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("provision_base_minor", kind="money"),
        ctx.col("dispute_reason", max_width=50, wrap=True),
    ]
    items = ctx.result.open_items
    flags = items["disputed"].fillna(False).astype(bool) if "disputed" in items else None
    flagged = items[flags] if flags is not None else items.iloc[:0]
    frame = flagged.sort_values(["days_overdue", "customer_id"], ascending=[False, True])
    frame = frame.assign(bucket=frame["bucket"].astype(str))[[c.source for c in columns]]
    ctx.heading(book, "disputes", ctx.text("text.disputes_note"))
    ctx.table(book, "disputes", frame.reset_index(drop=True), columns, freeze_cols=2)


def _limitation_alerts(book: Book, ctx: _Ctx) -> None:
    columns = [
        ctx.col("customer_id"),
        ctx.col("customer_name", max_width=36),
        ctx.col("doc_no"),
        ctx.col("due_date", kind="date"),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("limitation_date", kind="date"),
        ctx.col("days_left", kind="int", total=False),
        ctx.col("action", max_width=60, wrap=True),
    ]
    frame = ctx.plan("limitation_alerts", [c.source for c in columns])
    days = ctx.result.config.plan.limitation_alert_days
    ctx.heading(book, "limitation_alerts", ctx.text("text.limitation_note", days=days))
    table = ctx.table(book, "limitation_alerts", frame, columns, freeze_cols=2)
    for rule in DAYS_LEFT_RULES:
        _rule(book, table, "days_left", rule)


def _broken_promises(book: Book, ctx: _Ctx) -> None:
    frame = ctx.plan("broken_promises", BROKEN_COLUMNS)
    customers = ctx.result.customers
    names = customers.drop_duplicates("customer_id").set_index("customer_id")["name"]
    frame = frame.assign(name=frame["customer_id"].map(names))  # the name, for reading only
    # The contact log's amounts carry no currency: shown with the base currency's decimals,
    # never totalled (a customer may promise in another currency).
    columns = [
        ctx.col("customer_id"),
        ctx.col("name", max_width=36),
        ctx.col("contact_date", kind="date"),
        ctx.col("promise_date", kind="date"),
        ctx.col("promise_minor", kind="money", total=False),
        ctx.col("received_minor", kind="money", total=False),
        ctx.col("verdict", values=ctx.coded("verdict", VERDICTS), tones=VERDICT_TONES),
        ctx.col("by"),
        ctx.col("note", max_width=50, wrap=True),
    ]
    ctx.heading(book, "broken_promises", ctx.text("text.broken_note"))
    ctx.table(book, "broken_promises", frame, columns, freeze_cols=2)


def _visit_routes(book: Book, ctx: _Ctx) -> None:
    columns = [
        ctx.col("route"),
        ctx.col("stop", kind="int", num_format="0", total=False),
        ctx.col("region"),
        ctx.col("customer_id"),
        ctx.col("name", max_width=36),
        ctx.col("distance_km", kind="int", total=False),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("next_contact_date", kind="date"),
    ]
    frame = ctx.plan("visit_routes", [c.source for c in columns])
    per_trip = ctx.result.config.plan.visits_per_trip
    ctx.heading(book, "visit_routes", ctx.text("text.visit_routes_note", per_trip=per_trip))
    ctx.table(book, "visit_routes", frame, columns, freeze_cols=2)


def _instalments(book: Book, ctx: _Ctx) -> None:
    columns = [
        ctx.col("customer_id"),
        ctx.col("name", max_width=36),
        ctx.col("instalment", kind="int", num_format="0", total=False),
        ctx.col("due_date", kind="date"),
        ctx.col("amount_base_minor", kind="money"),
    ]
    frame = ctx.plan("instalments", [c.source for c in columns])
    ctx.heading(book, "instalments", ctx.text("text.instalments_note"))
    ctx.table(book, "instalments", frame, columns, freeze_cols=2)


def letter_columns(text, lang: str, decimals: int) -> list[ColumnSpec]:
    """The letter register's columns (the close workbook's Letters and each pack's Letters to
    send): codes shown in the run's language, the base-currency total summed."""

    def col(source: str, kind: str = "text", **kw) -> ColumnSpec:
        return ColumnSpec(source, text(f"col.{source}"), kind, **kw)

    return [
        col("customer_id"),
        col("name", max_width=36),
        col("manager"),
        col("letter", values=i18n.coded("letter_kind", lang)),
        col("lang", values=i18n.coded("lang", lang)),
        col("file", max_width=40),
        col("ref"),
        col("items", "int", total=False),  # a statement may list a dunning letter's items again
        col("amounts", max_width=30, wrap=True),
        ColumnSpec("total_base_minor", text("col.total"), "money", decimals=decimals),
        col("letter_date", "date"),
        col("deadline", "date"),
        col("signer", values={code: text(f"signer.{code}") for code in SIGNERS}),
    ]


def letter_rows(result: Result) -> pd.DataFrame:
    """`letter_register(result)`; for a result without a plan (no worklist columns: no letter
    is written for it) an empty register, which letter_register itself cannot make."""
    if "customer_id" not in result.worklist.columns:
        return pd.DataFrame(columns=list(REGISTER_COLUMNS))
    return letter_register(result)


def _letters(book: Book, ctx: _Ctx) -> None:
    """The register of the letters this run writes (aging.letters), in the order written."""
    frame = letter_rows(ctx.result)
    ctx.heading(book, "letter_register", ctx.text("text.letters_note"))
    ctx.table(book, "letter_register", frame, letter_columns(ctx.text, ctx.lang,
              ctx.base_decimals), freeze_cols=2)  # fmt: skip


def _exceptions(book: Book, ctx: _Ctx) -> None:
    severities = {k: ctx.text(f"severity.{k}") for k in ("exception", "warning", "info")}
    columns = [
        ctx.col("severity", values=severities, tones=SEVERITY_TONES),
        ctx.col("code"),
        ctx.col("message", max_width=80, wrap=True),
        ctx.col("file", max_width=40),
        ctx.col("sheet"),
        ctx.col("row", kind="int", num_format="0", total=False),
        ctx.col("column"),
        ctx.col("value", max_width=40, wrap=True),
        ctx.col("customer_id"),
        ctx.col("doc_no"),
        ctx.col("currency"),
        ctx.col("amount_minor", kind="money", currency_col="currency"),
    ]
    issues = ctx.result.issues.copy()
    decimals = ctx.result.currency_decimals
    issues["message"] = [
        i18n.issue_text(row, ctx.lang, ctx.ccy, decimals) for row in issues.to_dict("records")
    ]
    ctx.heading(book, "exceptions")
    ctx.table(book, "exceptions", issues, columns, freeze_cols=0)


def _reconciliation(book: Book, ctx: _Ctx) -> None:
    result = ctx.result
    frame = result.reconciliation.copy()
    # Lines by their key; the export's own totals and the notes as the stage gives them: a
    # Msg (code + params) rendered here, or text (what older stages wrote) shown as it is.
    frame["shown"] = [
        ctx.text(f"recon.{line}") if i18n.has(f"recon.{line}") else i18n.render(text, ctx.lang)
        for line, text in zip(frame["line"].astype(str), frame["label"], strict=True)
    ]
    statuses = frame["status"] if "status" in frame.columns else pd.Series("", index=frame.index)
    frame["status_shown"] = [
        (ctx.text(f"recon_status.{s}") if i18n.has(f"recon_status.{s}") else s)
        if isinstance(s, str) else ""
        for s in statuses
    ]  # fmt: skip
    frame["note"] = i18n.render_column(frame["note"], ctx.lang)
    # DESIGN: a difference no class explains fails the run; make it impossible to miss.
    tones = []
    for line, amount, state in zip(
        frame["line"].astype(str), frame["amount_minor"], statuses, strict=True
    ):
        if state == "unexplained":
            tones.append("error")
        elif "difference" in line:
            tones.append("good" if not pd.isna(amount) and int(amount) == 0 else "error")
        else:
            tones.append(None)
    status = ctx.text("text.reconciled" if result.reconciled else "text.not_reconciled")
    columns = [
        ctx.col("currency"),
        ctx.col("shown", "line", max_width=60, wrap=True),
        ctx.col("amount_minor", kind="money", currency_col="currency"),
        ctx.col("rows", kind="int", total=False),
        ctx.col("status_shown", "status"),
        ctx.col("note", max_width=80, wrap=True),
    ]
    name = ctx.names["reconciliation"]
    book.write_line(name, status, role="title", tone="good" if result.reconciled else "error")
    book.write_line(name, ctx.text("text.recon_equation"), role="subtitle")
    book.skip_rows(name)
    ctx.table(book, "reconciliation", frame, columns, row_tones=tones, totals=False)


def _settings(book: Book, ctx: _Ctx) -> None:
    result = ctx.result
    # Settings that shape the figures; how many processes wrote the files does not.
    rows = [
        (key, value, i18n.gettext(description, ctx.lang, "setting"))
        for key, value, description in config_rows(result.config)
        if key not in RUN_ONLY_SETTINGS
    ]
    config = pd.DataFrame(rows, columns=["setting", "value", "description"])
    config_columns = [
        ctx.col("setting"),
        ctx.col("value", max_width=50, wrap=True),
        ctx.col("description", max_width=90, wrap=True),
    ]
    ctx.heading(book, "settings")
    ctx.table(book, "settings", config, config_columns, title=ctx.text("text.config"),
              totals=False)  # fmt: skip
    # Inputs sit under the settings, so their long checksum shares the description's column.
    input_columns = [
        ctx.col("kind", values=i18n.coded("kind", ctx.lang)),
        ctx.col("file", max_width=50),
        ctx.col("sha256"),
        ctx.col("sheet"),
        ctx.col("header_row", kind="int", num_format="0", total=False),
        ctx.col("rows", kind="int", total=False),
        ctx.col("layout", values=i18n.coded("layout", ctx.lang)),
    ]
    ctx.table(book, "settings", _inputs_frame(result), input_columns,
              title=ctx.text("text.inputs"), totals=False, autofilter=False, freeze=False,
              print_titles=False)  # fmt: skip
    # How each header was read, and what the base currency rests on (as --explain says it).
    mapping_columns = [
        ctx.col("file", max_width=50),
        ctx.col("sheet"),
        ctx.col("header", max_width=40),
        ctx.col("field"),
        ctx.col("how", values=i18n.coded("how", ctx.lang)),
    ]
    title = ctx.text("text.column_mapping")
    if result.base_evidence is not None:
        title = f"{title} — {base_line(result.base_evidence, ctx.lang)}"
    ctx.table(book, "settings", _mapping_frame(result), mapping_columns, title=title,
              totals=False, autofilter=False, freeze=False, print_titles=False)  # fmt: skip


def _mapping_frame(result: Result) -> pd.DataFrame:
    """One row per header read: the table it is in, the field it gives and how it matched;
    headers left unused are listed with no field."""
    rows = []
    for t in result.inputs:
        rows += [
            dict(file=t.file, sheet=t.sheet, header=h, field=f, how=how) for h, f, how in t.mapping
        ]
        rows += [dict(file=t.file, sheet=t.sheet, header=h, field="", how="") for h in t.unused]
    return pd.DataFrame(rows, columns=["file", "sheet", "header", "field", "how"])


def _inputs_frame(result: Result) -> pd.DataFrame:
    """One row per input table, with its file's checksum; checksummed files without a table
    (a config file, say) follow."""
    checksums = dict(result.input_checksums)
    rows = [
        {
            "kind": t.kind,
            "file": t.file,
            "sheet": t.sheet,
            "header_row": t.header_row,
            "rows": t.rows,
            "layout": t.layout,
            "sha256": checksums.get(t.file, ""),
        }
        for t in result.inputs
    ]
    listed = {t.file for t in result.inputs}
    rows += [
        {"kind": "", "file": f, "sheet": "", "header_row": pd.NA, "rows": pd.NA, "layout": "",
         "sha256": digest}
        for f, digest in checksums.items() if f not in listed
    ]  # fmt: skip
    columns = ["kind", "file", "sheet", "header_row", "rows", "layout", "sha256"]
    return pd.DataFrame(rows, columns=columns)
