"""The close workbook: `AR_Close_<as_of>.xlsx`, the month-end file the AR controller keeps.

In: a finished `Result`. Out: one .xlsx with the sheets Summary, Aging by customer, Open
items, Provision, Exceptions, Reconciliation and Settings (names in the run's language),
every table written by `aging.xlsx_table.write_table`. Raises nothing of its own; an
unwritable path surfaces as xlsxwriter's error for the caller to turn into an OutputError.

The renderer computes no business figure: every amount comes from the result. The only sums
made here are for display of figures already computed (bucket totals for the chart, open
balance per grade when the summary does not carry it); every totals row is a live formula.
Re-running gives a byte-identical file: document dates are the as-of date and nothing reads
the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from aging.config import config_rows
from aging.labels import grade_label, has_label, label, sheet_name
from aging.model import GRADES, Result
from aging.xlsx_table import EXCEL_MAX_ROWS, TONES, Book, ColumnSpec, TableRange, write_table

# Sheet keys in workbook order (labels.py holds their names in each language).
SHEETS = (
    "summary",
    "aging_by_customer",
    "open_items",
    "provision",
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
)
_FROM_RESULT = ("as_of", "base_currency", "reconciled")  # shown from Result's own fields

SEVERITY_TONES = {"exception": "error", "warning": "neutral"}
OPEN_ITEMS_CSV = "data/open_items.csv"


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
        title=label("text.title", lang, as_of=as_of),
        subject=label("text.subject", lang, as_of=as_of),
        max_rows=max_rows,
    )
    with book:
        for key in SHEETS:  # made up front so the order holds whatever is written first
            book.sheet(names[key])
        ctx = _Ctx(result, lang, names)
        _summary(book, ctx)
        _aging(book, ctx)
        _open_items(book, ctx)
        _provision(book, ctx)
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
        return label(key, self.lang, ccy=self.ccy, **fill)

    def col(self, source: str, header_key: str | None = None, kind: str = "text", **kw):
        """A column headed by its label (`col.<source>` unless told otherwise)."""
        if kind == "money" and "currency_col" not in kw:
            kw.setdefault("decimals", self.base_decimals)
        header = self.text(f"col.{header_key or source}")
        return ColumnSpec(source, header, kind, **kw)

    def money(self, source: str, header: str) -> ColumnSpec:
        return ColumnSpec(source, header, "money", decimals=self.base_decimals)

    def table(self, book: Book, key: str, frame: pd.DataFrame, columns, **kw) -> TableRange:
        kw.setdefault("currency_decimals", self.result.currency_decimals)
        return write_table(book, self.names[key], frame, columns, **kw)

    def heading(self, book: Book, key: str) -> None:
        """The sheet's first line: its name and the as-of date, then a blank row."""
        as_of = self.result.as_of.isoformat()
        text = f"{self.names[key]} · {self.text('text.as_of', as_of=as_of)}"
        book.write_line(self.names[key], text, role="title")
        book.skip_rows(self.names[key])


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
    ctx.table(
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
    ctx.table(
        book, "summary", top,
        [
            ctx.col("name", max_width=44),
            ctx.col("customer_id"),
            ctx.col("grade", kind="grade"),
            ctx.col("open_base_minor", kind="money"),
            ctx.col("overdue_base_minor", kind="money"),
            ctx.col("provision_base_minor", kind="money"),
        ],
        title=ctx.text("text.top_debtors"), **flat,
    )  # fmt: skip

    _charts(book, ctx, kpi_range, bucket_range, grade_range)
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
        text = ctx.text(f"kpi.{key}") if has_label(f"kpi.{key}") else key
        rows.append((text, value, kind, None))
    yes_no = ctx.text("text.yes" if result.reconciled else "text.no")
    rows.append(
        (ctx.text("kpi.reconciled"), yes_no, "text", "good" if result.reconciled else "error")
    )
    frame = pd.DataFrame([r[:3] for r in rows], columns=["kpi", "value", "kind"], dtype=object)
    return frame, [r[3] for r in rows]


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
    buckets = [c for c in aging.columns if c not in ("customer_id", "name", "grade", "total")]
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
    return ordered.head(10).reset_index(drop=True)


def _charts(book: Book, ctx: _Ctx, kpis: TableRange, buckets: TableRange, grades: TableRange):
    """A column chart of the aging by bucket and a doughnut of the grade mix, beside the KPIs."""
    workbook, name = book.workbook, ctx.names["summary"]
    worksheet = book.worksheet(name)

    column = workbook.add_chart({"type": "column"})
    column.add_series(
        {
            "name": ctx.text("text.aging_by_bucket"),
            "categories": _ref(name, buckets, "bucket"),
            "values": _ref(name, buckets, "open_base_minor"),
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

    doughnut = workbook.add_chart({"type": "doughnut"})
    doughnut.add_series(
        {
            "name": ctx.text("text.grade_mix"),
            "categories": _ref(name, grades, "grade"),
            "values": _ref(name, grades, "open_base_minor"),
            "points": [{"fill": {"color": TONES[g]["bg_color"]}} for g in GRADES],
            "data_labels": {
                "percentage": True,
                "font": {"size": 8},
                # Labels take the grade's font colour: white on the dark segments.
                "custom": [{"font": {"color": TONES[g]["font_color"], "size": 8}} for g in GRADES],
            },
        }
    )
    doughnut.set_title({"name": ctx.text("text.grade_mix"), "name_font": {"size": 11}})
    doughnut.set_legend({"position": "right"})
    doughnut.set_hole_size(50)
    doughnut.set_size({"width": 420, "height": 300})

    anchor_row = kpis.header_row
    worksheet.insert_chart(anchor_row, 3, column, {"object_position": 3})
    worksheet.insert_chart(anchor_row, 3, doughnut, {"x_offset": 580, "object_position": 3})


def _ref(sheet: str, table: TableRange, source: str) -> list:
    col = table.col(source)
    return [sheet, table.first_row, col, max(table.last_row, table.first_row), col]


def _internal_link(sheet: str) -> str:
    return "internal:'" + sheet.replace("'", "''") + "'!A1"


# --- detail sheets -----------------------------------------------------------------------


def _aging(book: Book, ctx: _Ctx) -> None:
    frame = ctx.result.aging_by_customer
    fixed = ("customer_id", "name", "grade", "total")
    columns = [ctx.col("customer_id"), ctx.col("name", max_width=44)]
    if "grade" in frame.columns:
        columns.append(ctx.col("grade", kind="grade"))
    columns += [ctx.money(c, str(c)) for c in frame.columns if c not in fixed]
    columns.append(ctx.col("total", kind="money"))
    ctx.heading(book, "aging_by_customer")
    ctx.table(book, "aging_by_customer", frame, columns, freeze_cols=2)


def _open_items(book: Book, ctx: _Ctx) -> None:
    doc_types = {k: ctx.text(f"doc_type.{k}") for k in ("invoice", "credit_note", "receipt",
                                                          "adjustment", "open_item")}  # fmt: skip
    columns = [
        ctx.col("customer_id"),
        ctx.col("customer_name", max_width=44),
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
        ctx.col("provision_rate", kind="pct"),
        ctx.col("provision_base_minor", kind="money"),
        ctx.col("limitation_date", kind="date"),
        ctx.col("sales_rep"),
        ctx.col("manager"),
        ctx.col("region"),
        ctx.col("src_file", max_width=40),
        ctx.col("src_sheet"),
        ctx.col("src_row", kind="int", num_format="0", total=False),
    ]
    ctx.heading(book, "open_items")
    ctx.table(book, "open_items", ctx.result.open_items, columns, freeze_cols=2,
              overflow_where=OPEN_ITEMS_CSV)  # fmt: skip


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
    header = ctx.text(f"col.{source}") if has_label(f"col.{source}") else source
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
    ctx.heading(book, "exceptions")
    ctx.table(book, "exceptions", ctx.result.issues, columns, freeze_cols=0)


def _reconciliation(book: Book, ctx: _Ctx) -> None:
    result = ctx.result
    frame = result.reconciliation.copy()
    frame["shown"] = [
        label(f"recon.{line}", ctx.lang, default=text or line)
        for line, text in zip(frame["line"].astype(str), frame["label"].fillna(""), strict=True)
    ]
    statuses = frame["status"] if "status" in frame.columns else pd.Series("", index=frame.index)
    frame["status_shown"] = [
        label(f"recon_status.{s}", ctx.lang, default=s) if isinstance(s, str) else ""
        for s in statuses
    ]
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
    config = pd.DataFrame(config_rows(result.config), columns=["setting", "value", "description"])
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
        ctx.col("kind"),
        ctx.col("file", max_width=50),
        ctx.col("sha256"),
        ctx.col("sheet"),
        ctx.col("header_row", kind="int", num_format="0", total=False),
        ctx.col("rows", kind="int", total=False),
        ctx.col("layout"),
    ]
    ctx.table(book, "settings", _inputs_frame(result), input_columns,
              title=ctx.text("text.inputs"), totals=False, autofilter=False, freeze=False,
              print_titles=False)  # fmt: skip


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
