"""The one table writer every worksheet uses, so every sheet looks and behaves the same.

In: a `Book` (an xlsxwriter workbook plus the formats it has made, its language and as-of
date), a sheet name, a DataFrame and a list of `ColumnSpec`. Out: on the sheet, optional
title lines, a header row, the data rows, a totals row of live `SUBTOTAL(109, ...)` formulas
with their cached values, an autofilter, frozen panes, fitted column widths and print setup
(DESIGN "Workbooks follow Excel habits"). `write_table` returns where it wrote (`TableRange`),
so charts and links can point at the cells. Raises `ValueError` for a spec that names a
column the frame lacks; writes no issues.

Rules kept here, once:
- Text from inputs is always written with `write_string` (and the workbook is opened with
  `strings_to_formulas/urls/numbers` off): a customer called `=HYPERLINK(...)` or `+123`
  stays literal text (DESIGN "Safe").
- Money arrives as integer minor units and is written as `minor / 10**decimals`, decimals
  fixed per column (base currency) or taken per row from a currency column.
- Formats are made once per workbook (`Book.format` caches them) and never per cell.
- The workbook streams (`constant_memory`): rows are written strictly top to bottom, so
  every sheet is written in order and a sheet can hold several tables one below the other.
- A frame longer than the sheet's row limit is cut, with a note row saying where the full
  list is.
"""

from __future__ import annotations

import contextlib
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range

from aging.i18n import Msg, grade_label, safe_sheet_name
from aging.i18n import text as label
from aging.model import GRADES

EXCEL_MAX_ROWS = 1_048_576
KINDS = ("text", "money", "int", "number", "date", "pct", "grade", "link", "mixed")
NUMERIC_KINDS = frozenset({"money", "int", "number", "date", "pct"})

# Fills and fonts by tone; grades use their own key as the tone.
TONES: dict[str, dict] = {
    "good": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "neutral": {"bg_color": "#FFEB9C", "font_color": "#7F5A00"},
    "warn": {"bg_color": "#FCD5B4", "font_color": "#843C0C"},
    "error": {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True},
    "muted": {"font_color": "#595959", "italic": True},
    "blocked": {"bg_color": "#D9D9D9", "font_color": "#404040"},  # rows left out of an action
    "not_due": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "in_collection": {"bg_color": "#FFEB9C", "font_color": "#7F5A00"},
    "doubtful": {"bg_color": "#F8B26A", "font_color": "#5A2A00"},
    "bad": {"bg_color": "#F07470", "font_color": "#FFFFFF", "bold": True},
    "dead": {"bg_color": "#3A3A3A", "font_color": "#FFFFFF", "bold": True},
}

_HEADER_FILL = "#1F4E78"
_BORDER_COLOR = "#8EA9C1"
_TEXT_NARROW = 0.88  # an average Calibri character, in widths of the digit '0'
_FILTER_BUTTON = 2.5  # characters taken by an autofilter drop-down
# Default font, size and row height (pixels) per language: CJK glyphs need taller rows, and
# DengXian (等线) is Excel's own default font in Chinese.
_FONTS = {"en": ("Calibri", 11, 20), "zh": ("DengXian", 11, 22)}
_DATE_EPOCH = pd.Timestamp("1899-12-30")  # Excel's serial day 0 (1900 date system)


@dataclass(frozen=True)
class ColumnSpec:
    """One output column: where its values come from, how they are shown and summed.

    kind: text | money | int | number | date | pct | grade | link | mixed.
    money: the source holds integer minor units; `decimals` fixes them for the column
        (base currency), otherwise `currency_col` names the row's currency and
        `currency_decimals` (given to `write_table`) maps it.
    total: None means "money with fixed decimals only" (a sum across currencies, or of days
        overdue, means nothing); True/False forces it.
    values: display text for coded values (doc types, severities); unknown codes show as is.
    tones: coded value -> tone (a key of TONES) for that cell's fill.
    link_col: link kind: column holding an internal target such as "internal:'Open items'!A1".
    kind_col: mixed kind: column holding each row's kind (text | money | int | pct | date |
        number); used for a key-figure list where each row is a different kind of value.
    """

    source: str
    header: str
    kind: str = "text"
    decimals: int | None = None
    currency_col: str | None = None
    total: bool | None = None
    values: Mapping[str, str] | None = None
    tones: Mapping[str, str] | None = None
    link_col: str | None = None
    kind_col: str | None = None
    num_format: str | None = None
    wrap: bool = False  # long text wraps within max_width (Excel sizes the row on load)
    width: float | None = None
    min_width: float = 4.0
    max_width: float = 60.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.source!r}: unknown kind {self.kind!r}")
        if self.kind == "money" and self.decimals is None and self.currency_col is None:
            raise ValueError(f"money column {self.source!r} needs decimals or currency_col")
        if self.kind == "link" and self.link_col is None:
            raise ValueError(f"link column {self.source!r} needs link_col")
        if self.kind == "mixed" and self.kind_col is None:
            raise ValueError(f"mixed column {self.source!r} needs kind_col")

    @property
    def totalled(self) -> bool:
        if self.total is not None:
            return self.total
        return self.kind == "money" and self.currency_col is None


@dataclass(frozen=True)
class TableRange:
    """Where a table landed (0-based rows and columns), for charts and links."""

    sheet: str
    header_row: int
    first_row: int  # first data row
    last_row: int  # last data row written; first_row - 1 when none
    totals_row: int | None
    first_col: int
    columns: dict  # source -> column index
    rows_written: int
    rows_total: int
    next_row: int

    def col(self, source: str) -> int:
        return self.columns[source]


@dataclass
class _SheetState:
    worksheet: object
    next_row: int = 0
    widths: dict = field(default_factory=dict)
    frozen: bool = False
    filtered: bool = False
    print_titles: bool = False


class Book:
    """An xlsxwriter workbook with its formats, language and as-of date.

    Opened with the safety options on and `constant_memory` (rows stream to disk). The
    document's dates come from `as_of`, so the same inputs give a byte-identical file.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        as_of: date,
        lang: str = "en",
        title: str = "",
        subject: str = "",
        max_rows: int = EXCEL_MAX_ROWS,
        constant_memory: bool = True,
        streamed: Sequence[str] = (),
    ) -> None:
        self.lang = lang
        self.as_of = as_of
        self.title = title
        self.max_rows = max_rows
        font, size, row_px = _FONTS.get(lang, _FONTS["en"])
        self.line_height = row_px * 0.75  # points per line of text
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": constant_memory,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_format_properties": {"font_name": font, "font_size": size},
                "default_row_height": row_px,
            },
        )
        self.workbook.set_properties(
            {
                "title": title,
                "subject": subject,
                "author": "",
                "company": "",
                # DESIGN: re-running gives byte-identical workbooks (dates from the as-of date).
                "created": datetime.combine(as_of, time()),
            }
        )
        self._formats: dict[tuple, object] = {}
        self._sheets: dict[str, _SheetState] = {}
        # Sheets that stream (rows written top to bottom) in a workbook kept in memory
        # otherwise: a long list beside sheets that are styled after they are written.
        self.streamed = frozenset(streamed)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
            return
        # Release xlsxwriter's temporary files; the original error is the one to see.
        with contextlib.suppress(Exception):
            self.close()

    # Formats: one object per distinct look, made on first use and reused for every cell.
    def format(
        self,
        role: str = "cell",
        kind: str = "text",
        *,
        decimals: int | None = None,
        tone: str | None = None,
        num_format: str | None = None,
        wrap: bool = False,
    ):
        key = (role, kind, decimals, tone, num_format, wrap)
        fmt = self._formats.get(key)
        if fmt is None:
            props = _format_props(role, kind, decimals, tone, num_format, wrap)
            fmt = self.workbook.add_format(props)
            self._formats[key] = fmt
        return fmt

    def sheet(self, name: str) -> _SheetState:
        """The named sheet, made (with print setup) on first use; sheets keep creation order."""
        state = self._sheets.get(name)
        if state is None:
            if safe_sheet_name(name) != name:
                raise ValueError(f"not a valid sheet name: {name!r}")
            worksheet = self._add_worksheet(name)
            self._print_setup(worksheet)
            state = self._sheets[name] = _SheetState(worksheet)
        return state

    def worksheet(self, name: str):
        return self.sheet(name).worksheet

    def _add_worksheet(self, name: str):
        """xlsxwriter fixes a sheet's constant-memory mode when the sheet is made, from the
        workbook's setting (and writes each sheet by its own mode): a streamed sheet is made
        with the setting on."""
        if name not in self.streamed or self.workbook.constant_memory:
            return self.workbook.add_worksheet(name)
        self.workbook.constant_memory = True
        try:
            return self.workbook.add_worksheet(name)
        finally:
            self.workbook.constant_memory = False

    def skip_rows(self, name: str, count: int = 1) -> int:
        """Leave `count` empty rows; returns the next row to write."""
        state = self.sheet(name)
        state.next_row += count
        return state.next_row

    def write_line(self, name: str, text: str, role: str = "subtitle", tone: str | None = None):
        """One line of text in column A at the sheet's next row (titles, notes, status)."""
        state = self.sheet(name)
        state.worksheet.write_string(state.next_row, 0, text, self.format(role, tone=tone))
        state.next_row += 1
        return state.next_row - 1

    def fit_width(self, name: str, col: int, width: float) -> None:
        state = self.sheet(name)
        state.widths[col] = max(state.widths.get(col, 0.0), width)

    def close(self) -> None:
        for state in self._sheets.values():
            for col, width in sorted(state.widths.items()):
                state.worksheet.set_column(col, col, round(width, 1))
        self.workbook.close()

    def _print_setup(self, worksheet) -> None:
        worksheet.set_landscape()
        worksheet.set_paper(9)  # A4
        worksheet.fit_to_pages(1, 0)  # one page wide, as many tall as needed
        worksheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        as_of = self.as_of.isoformat()
        header = "&L" + _footer_text(self.title) + "&R&A"
        footer = (
            "&L"
            + _footer_text(label("text.as_of", self.lang, as_of=as_of))
            + "&R"
            + label("text.page", self.lang)
        )
        worksheet.set_header(header)
        worksheet.set_footer(footer)


def write_table(
    book: Book,
    sheet_name: str,
    frame: pd.DataFrame,
    columns: Sequence[ColumnSpec],
    *,
    title: str | Sequence[str | tuple[str, str]] | None = None,
    totals: bool = True,
    autofilter: bool = True,
    freeze: bool = True,
    freeze_cols: int = 0,
    print_titles: bool = True,
    row_tones: Sequence[str | None] | None = None,
    currency_decimals: Mapping[str, int] | None = None,
    default_decimals: int = 2,
    max_rows: int | None = None,
    overflow_where: str = "data/open_items.csv",
    empty_text: str | None = None,
    gap: int = 1,
    chunk_rows: int = 50_000,
) -> TableRange:
    """Write `frame` as a table at the sheet's next free row; see the module docstring.

    `row_tones` (aligned with `frame`) colours whole rows, e.g. a reconciliation difference;
    a cell with a tone of its own (a grade, a coded value's tone) keeps it.
    `max_rows` is the sheet's row limit (Excel's 1,048,576 by default; tests pass a small one).
    """
    missing = [
        name
        for spec in columns
        for name in (spec.source, spec.currency_col, spec.link_col, spec.kind_col)
        if name is not None and name not in frame.columns
    ]
    if missing:
        raise ValueError(f"sheet {sheet_name!r}: frame lacks columns {missing}")
    state = book.sheet(sheet_name)
    ws = state.worksheet
    row = _write_title(book, ws, state.next_row, title)

    # DESIGN: Excel's row limit; keep room for the header, totals and the note row.
    limit = book.max_rows if max_rows is None else max_rows
    want_totals = totals and any(spec.totalled for spec in columns)
    rows_total = len(frame)
    shown = min(rows_total, max(limit - row - 1 - int(want_totals) - 1, 0))
    frame = frame.iloc[:shown].reset_index(drop=True)
    tones = None if row_tones is None else list(row_tones)[:shown]

    ctx = _Context(book, currency_decimals or {}, default_decimals, tones)
    table = [_measure(ctx, spec, frame, i) for i, spec in enumerate(columns)]
    header_row, first_row, last_row = row, row + 1, row + shown
    totals_row = last_row + 1 if want_totals and shown else None

    _fit_widths(book, sheet_name, table, autofilter)
    _write_header(book, ws, header_row, table, state, _FILTER_BUTTON if autofilter else 0.0)
    # A slice of rows at a time: a million rows never sit in memory as Python objects at once.
    for start in range(0, shown, chunk_rows):
        chunk = frame.iloc[start : start + chunk_rows]
        ctx.row_tones = None if tones is None else tones[start : start + chunk_rows]
        prepared = [_prepare(ctx, column, chunk) for column in table]
        heights = _row_heights(book, prepared, len(chunk))
        _write_rows(ws, first_row + start, prepared, heights, ctx.row_tones)
    row = last_row + 1
    if totals_row is not None:
        _write_totals(book, ws, totals_row, first_row, last_row, table)
        row += 1
    if shown == 0:
        ws.write_string(row, 0, empty_text or label("text.none", book.lang), book.format("note"))
        row += 1
    elif shown < rows_total:
        note = label("text.truncated", book.lang, shown=shown, total=rows_total,
                     where=overflow_where)  # fmt: skip
        ws.write_string(row, 0, note, book.format("note", tone="error"))
        row += 1

    _sheet_features(state, header_row, last_row, len(table) - 1, autofilter, freeze,
                    freeze_cols, print_titles)  # fmt: skip
    state.next_row = row + gap
    return TableRange(
        sheet=sheet_name,
        header_row=header_row,
        first_row=first_row,
        last_row=last_row,
        totals_row=totals_row,
        first_col=0,
        columns={c.spec.source: c.col for c in table},
        rows_written=shown,
        rows_total=rows_total,
        next_row=state.next_row,
    )


def _write_title(book: Book, ws, row: int, title) -> int:
    for number, (text, tone) in enumerate(_title_lines(title)):
        role = "section" if number == 0 else "subtitle"
        ws.write_string(row, 0, text, book.format(role, tone=tone))
        row += 1
    return row


def _sheet_features(state, header_row, last_row, last_col, autofilter, freeze, freeze_cols,
                    print_titles) -> None:  # fmt: skip
    """Filter, frozen panes and repeated print rows: one of each per sheet, the first table's."""
    ws = state.worksheet
    if autofilter and not state.filtered:
        ws.autofilter(header_row, 0, max(last_row, header_row), last_col)
        state.filtered = True
    if freeze and not state.frozen:
        ws.freeze_panes(header_row + 1, freeze_cols)
        state.frozen = True
    if print_titles and not state.print_titles:
        ws.repeat_rows(header_row)
        state.print_titles = True


# --- preparing columns: each source column becomes one Python list, converted once ---------


@dataclass
class _Context:
    book: Book
    currency_decimals: Mapping[str, int]
    default_decimals: int
    row_tones: Sequence[str | None] | None


@dataclass
class _Column:
    """One column of the whole table: measured once, before any row is written."""

    spec: ColumnSpec
    col: int
    width: float = 0.0  # the data's width first, then the fitted column width
    total_value: float = 0.0
    total_format: object = None
    header_format: object = None
    mixed: tuple | None = None  # mixed kind: (values, formats) of the whole (small) column


@dataclass
class _Prepared:
    """One column of one slice of rows, as plain Python lists ready to write."""

    spec: ColumnSpec
    col: int
    width: float
    values: list  # per row: str, float or None (nothing written)
    formats: object  # one Format, or a list with one per row
    write: str  # "string" | "number" | "url" | "any"
    targets: list | None = None  # link kind


def _measure(ctx: _Context, spec: ColumnSpec, frame: pd.DataFrame, col: int) -> _Column:
    """Width and total of a column from the whole frame, vectorised (no per-row objects)."""
    book, kind = ctx.book, spec.kind
    column = _Column(spec, col)
    if kind == "mixed":
        column.mixed = _mixed(ctx, spec, frame[spec.source], frame[spec.kind_col])
    numbers = _numbers(ctx, spec, frame) if kind in NUMERIC_KINDS else None
    if spec.totalled and len(frame):
        column.total_value = _total(spec, frame[spec.source], numbers)
    column.total_format = book.format(
        "total",
        kind if kind in NUMERIC_KINDS else "text",
        decimals=_total_decimals(spec, ctx),
        num_format=spec.num_format,
    )
    align = kind if kind in ("date", "mixed") else "number" if kind in NUMERIC_KINDS else "text"
    column.header_format = book.format("header", align)
    column.width = _data_width(ctx, column, frame, numbers)
    return column


def _numbers(ctx: _Context, spec: ColumnSpec, frame: pd.DataFrame) -> np.ndarray:
    """The numbers a numeric column shows (money scaled to major units), NaN when missing."""
    source = frame[spec.source]
    if spec.kind == "date":
        return _excel_serials(source)
    values = pd.to_numeric(source, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if spec.kind != "money":
        return values
    if spec.currency_col is None:
        return values / 10.0**spec.decimals
    return values / np.power(10.0, _row_decimals(frame[spec.currency_col], ctx))


def _prepare(ctx: _Context, column: _Column, chunk: pd.DataFrame) -> _Prepared:
    spec, book, kind = column.spec, ctx.book, column.spec.kind
    source = chunk[spec.source]
    decimals = spec.decimals
    targets = None
    tones_by_row: list | None = None
    per_row = None
    write = "number"

    if kind == "text":
        raw = _text_list(source)
        values = _display(raw, spec.values)
        tones_by_row = _tones(raw, spec.tones)
        write = "string"
    elif kind == "grade":
        raw = _text_list(source)
        names = {g: grade_label(g, book.lang) for g in GRADES}
        values = [None if v is None else names.get(v, v) for v in raw]
        tones_by_row = [v if v in names else None for v in raw]
        write = "string"
    elif kind == "link":
        values = _text_list(source)
        targets = _text_list(chunk[spec.link_col])
        write = "url"
    elif kind == "mixed":
        start = chunk.index[0] if len(chunk) else 0
        all_values, all_formats = column.mixed
        values = all_values[start : start + len(chunk)]
        formats = all_formats[start : start + len(chunk)]
        write = "any"
    else:
        values = _number_list(_numbers(ctx, spec, chunk))
        if kind == "money" and spec.currency_col is not None:
            per_row = _row_decimals(chunk[spec.currency_col], ctx).tolist()
            decimals = None

    if kind != "mixed":
        formats = _formats(ctx, spec, len(chunk), decimals, tones_by_row, per_row)
    return _Prepared(spec, column.col, column.width, values, formats, write, targets)


def _formats(ctx, spec, n, decimals, tones_by_row, per_row):
    """One format for the column, or one per row when decimals or tones vary by row."""
    book = ctx.book
    kind = "text" if spec.kind in ("grade", "link") else spec.kind
    role = "link" if spec.kind == "link" else "cell"
    row_tones = ctx.row_tones
    if per_row is None and tones_by_row is None and row_tones is None:
        return book.format(
            role, kind, decimals=decimals, num_format=spec.num_format, wrap=spec.wrap
        )
    decs = per_row if per_row is not None else [decimals] * n
    tones = tones_by_row if tones_by_row is not None else [None] * n
    if row_tones is not None:
        # A cell's own tone (a grade, a red recommendation) is more specific than its row's.
        tones = [t or rt for rt, t in zip(row_tones, tones, strict=True)]
    looks: dict = {}  # (decimals, tone) -> Format: a few distinct looks for many rows
    out = []
    for key in zip(decs, tones, strict=True):
        fmt = looks.get(key)
        if fmt is None:
            fmt = looks[key] = book.format(
                role,
                kind,
                decimals=key[0],
                tone=key[1],
                num_format=spec.num_format,
                wrap=spec.wrap,
            )
        out.append(fmt)
    return out


def _mixed(ctx: _Context, spec: ColumnSpec, source: pd.Series, kinds: pd.Series):
    """A column whose rows are of different kinds (key figures): small frames only."""
    book = ctx.book
    values: list = []
    formats: list = []
    row_tones = ctx.row_tones
    for i, (value, kind) in enumerate(zip(source.tolist(), kinds.tolist(), strict=True)):
        tone = row_tones[i] if row_tones is not None else None
        decimals = spec.decimals if kind == "money" else None
        if _is_missing(value):
            shown = None
        elif kind == "money":
            shown = int(value) / 10.0 ** (spec.decimals or 0)
        elif kind == "date":
            shown = float(_excel_serials(pd.Series([value]))[0])
        elif kind in ("int", "number", "pct"):
            shown = float(value)
        else:
            kind = "text"
            shown = str(value) or None
        values.append(shown)
        number_format = _num_format(kind, decimals, None)
        formats.append(
            book.format("cell", "mixed", decimals=decimals, tone=tone, num_format=number_format)
        )
    return values, formats


def _text_list(series: pd.Series) -> list:
    """Python strings (None for missing or empty), converted once for the whole column."""
    missing = series.isna().to_numpy()
    values = series.astype(object).to_numpy(copy=True)
    values[missing] = None
    return [
        v if v.__class__ is str and v else (None if v is None or v == "" else _cell_text(v))
        for v in values.tolist()
    ]


def _cell_text(value) -> str:
    # A message reaching the writer would show in English whatever the run's language.
    if isinstance(value, Msg | tuple):
        raise TypeError(f"render messages before writing them (aging.i18n.render): {value!r}")
    return str(value)


def _display(raw: list, mapping: Mapping[str, str] | None) -> list:
    if not mapping:
        return raw
    return [None if v is None else mapping.get(v, v) for v in raw]


def _tones(raw: list, mapping: Mapping[str, str] | None) -> list | None:
    if not mapping:
        return None
    return [None if v is None else mapping.get(v) for v in raw]


def _number_list(array: np.ndarray) -> list:
    array = np.asarray(array, dtype=float)
    values = array.tolist()
    for index in np.flatnonzero(~np.isfinite(array)).tolist():
        values[index] = None
    return values


def _excel_serials(series: pd.Series) -> np.ndarray:
    """Calendar dates as Excel serial day numbers (a date cell is a number with a date format)."""
    stamps = pd.to_datetime(series, errors="coerce")
    return ((stamps - _DATE_EPOCH) / pd.Timedelta(days=1)).to_numpy(dtype=float, na_value=np.nan)


def _row_decimals(currencies: pd.Series, ctx: _Context) -> np.ndarray:
    mapped = currencies.astype(object).map(dict(ctx.currency_decimals))
    return mapped.fillna(ctx.default_decimals).to_numpy(dtype=int)


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _total(spec: ColumnSpec, source: pd.Series, numbers: np.ndarray | None) -> float:
    """The cached value of the totals formula: exactly what Excel will compute."""
    if spec.kind == "money" and spec.currency_col is None:
        minor = pd.to_numeric(source, errors="coerce").dropna()
        return int(minor.astype("int64").sum()) / 10**spec.decimals  # integer sum: no drift
    if numbers is None:
        return 0.0
    return math.fsum(numbers[np.isfinite(numbers)].tolist())


def _total_decimals(spec: ColumnSpec, ctx: _Context) -> int | None:
    if spec.kind != "money":
        return None
    return spec.decimals if spec.decimals is not None else ctx.default_decimals


# --- writing ---------------------------------------------------------------------------------


def _write_header(book, ws, row: int, table: list[_Column], state, button: float) -> None:
    lines = 1
    for c in table:
        width = state.widths.get(c.col, c.width)
        lines = max(lines, _wrapped_lines(c.spec.header, width - 1.5 - button))
    if lines > 1:
        ws.set_row(row, book.line_height * lines + 2)
    for c in table:
        ws.write_string(row, c.col, c.spec.header, c.header_format)


def _write_rows(ws, first_row: int, prepared: list[_Prepared], heights, row_tones) -> None:
    """Row by row (constant_memory streams rows in order); each column is a plain list.
    Empty cells of a toned row get a styled blank, so the colour runs across the row."""
    writers = {
        "string": ws.write_string,
        "number": ws.write_number,
        "url": None,
        "any": lambda r, c, v, f: (ws.write_string if v.__class__ is str else ws.write_number)(
            r, c, v, f
        ),
    }
    fixed = []
    varying = []
    for p in prepared:
        if p.write == "url":
            continue
        entry = (p.col, p.values, writers[p.write], p.formats)
        (varying if isinstance(p.formats, list) else fixed).append(entry)
    links = [p for p in prepared if p.write == "url"]
    count = len(prepared[0].values) if prepared else 0
    for i in range(count):
        row = first_row + i
        if heights is not None and heights[i] is not None:
            ws.set_row(row, heights[i])  # before the row's cells: rows stream out in order
        for col, values, write, fmt in fixed:
            value = values[i]
            if value is not None:
                write(row, col, value, fmt)
        toned = row_tones is not None and row_tones[i] is not None
        for col, values, write, fmts in varying:
            value = values[i]
            if value is not None:
                write(row, col, value, fmts[i])
            elif toned:
                ws.write_blank(row, col, None, fmts[i])
        for p in links:
            text, target = p.values[i], p.targets[i]
            fmt = p.formats[i] if isinstance(p.formats, list) else p.formats
            if text is not None and target is not None:
                ws.write_url(row, p.col, target, fmt, string=text)
            elif text is not None:
                ws.write_string(row, p.col, text, fmt)


def _write_totals(book, ws, row, first_row, last_row, table: list[_Column]) -> None:
    """Live SUBTOTAL(109, ...) (ignores rows hidden by the filter) with the cached value."""
    label_written = False
    for p in table:
        if p.spec.totalled:
            rng = xl_range(first_row, p.col, last_row, p.col)
            ws.write_formula(row, p.col, f"=SUBTOTAL(109,{rng})", p.total_format, p.total_value)
        elif not label_written:
            ws.write_string(row, p.col, label("text.total", book.lang), p.total_format)
            label_written = True
        else:
            ws.write_blank(row, p.col, None, p.total_format)


# --- widths ----------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a text needs: CJK and full-width characters count double."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _max_text_width(values) -> float:
    """Widest display width among strings (a list or Series; None/NA skipped)."""
    values = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    values = values.dropna().tolist()
    unique = {v if v.__class__ is str else str(v) for v in values}
    if not unique:
        return 0.0
    longest = max(map(len, unique))
    # A string's display width is at most twice its length: only those can be the widest.
    candidates = [s for s in unique if len(s) * 2 >= longest]
    if len(candidates) > 2000:
        candidates = [s for s in candidates if len(s) == longest][:2000]
    return float(max(map(display_width, candidates)))


def _number_width(numbers: np.ndarray, decimals: int, total: float | None, grouped: bool):
    finite = numbers[np.isfinite(numbers)]
    biggest = float(np.abs(finite).max()) if finite.size else 0.0
    if total is not None:
        biggest = max(biggest, abs(total))
    if not finite.size and total is None:
        return 0.0
    text = f"{biggest:,.{decimals}f}" if grouped else f"{biggest:.{decimals}f}"
    return float(len(text) + int(bool((finite < 0).any())))


def _data_width(ctx: _Context, column: _Column, frame: pd.DataFrame, numbers) -> float:
    spec = column.spec
    total = column.total_value if spec.totalled else None
    source = frame[spec.source]
    if spec.kind == "text":
        if spec.values:
            present = pd.unique(source.dropna().astype(str))
            return _max_text_width([spec.values.get(v, v) for v in present])
        return _max_text_width(source)
    if spec.kind == "grade":
        present = pd.unique(source.dropna().astype(str))
        return _max_text_width([grade_label(g, ctx.book.lang) if g in GRADES else g
                                for g in present])  # fmt: skip
    if spec.kind == "link":
        return _max_text_width(source)
    if spec.kind == "money":
        if spec.decimals is not None:
            decimals = spec.decimals
        else:
            decimals = max([ctx.default_decimals, *ctx.currency_decimals.values()])
        return _number_width(numbers, decimals, total, grouped=True)
    if spec.kind == "int":
        grouped = spec.num_format is None or "," in spec.num_format
        return _number_width(numbers, 0, total, grouped)
    if spec.kind == "number":
        finite = numbers[np.isfinite(numbers)]
        return (
            _max_text_width([f"{v:g}" for v in (finite.min(), finite.max())])
            if finite.size
            else 0.0
        )
    if spec.kind == "date":
        return 10.0
    if spec.kind == "pct":
        return 6.0
    # mixed: measure what each row shows
    shown = []
    values, formats = column.mixed
    for value, fmt in zip(values, formats, strict=True):
        if value is not None:
            shown.append(value if value.__class__ is str else _sample(value, fmt.num_format))
    return _max_text_width(shown)


def _sample(value: float, num_format: str) -> str:
    if num_format == "General":
        return f"{value:g}"
    if "yy" in num_format:
        return "2000-01-01"
    if "%" in num_format:
        return f"{value:.1%}"
    decimals = len(num_format.split(";")[0].partition(".")[2])
    return f"{value:,.{decimals}f}"


def _fit_widths(book: Book, sheet_name: str, table: list[_Column], autofilter: bool):
    """Width = widest value, at least the header's longest word; long headers wrap."""
    button = _FILTER_BUTTON if autofilter else 0.0  # the drop-down sits on the header cell
    for c in table:
        spec = c.spec
        if spec.width is not None:
            width = spec.width
        else:
            header = spec.header
            header_full = display_width(header) + button
            longest_word = max((display_width(w) for w in header.split()), default=0) + button
            width = max(c.width, longest_word, min(header_full, max(c.width, 12.0)))
            width = min(max(width, spec.min_width), spec.max_width) + 1.5
            if spec.kind in ("text", "grade", "link"):
                width += 1.0  # the indent
        c.width = width
        book.fit_width(sheet_name, c.col, width)


def _wrapped_lines(text: str, width: float, narrow: float = 1.0) -> int:
    """Lines a text needs in a column `width` characters wide: breaks at spaces, anywhere
    within CJK text, and inside a word longer than the line (as Excel does). `narrow` is the
    width of a non-CJK character in units of the digit '0' (regular text runs about 0.88)."""
    width = max(width, 1.0)
    lines, used = 1, 0.0
    for unit, spaced in _wrap_units(text):
        wide = sum(1 for ch in unit if unicodedata.east_asian_width(ch) in "WF")
        size = 2 * wide + narrow * (len(unit) - wide)
        gap = narrow if spaced and used else 0
        if used and used + gap + size > width:
            lines += 1
            used = 0.0
            gap = 0
        if size > width:  # a word wider than the line breaks across lines
            extra, used = divmod(used + size, width)
            lines += int(extra)
        else:
            used += gap + size
    return lines


def _wrap_units(text: str) -> list[tuple[str, bool]]:
    """(unit, preceded by a space): words, and each CJK character on its own."""
    units: list[tuple[str, bool]] = []
    for line_word, word in enumerate(text.split(" ")):
        spaced = line_word > 0
        chunk = ""
        for ch in word:
            if unicodedata.east_asian_width(ch) in "WF":
                if chunk:
                    units.append((chunk, spaced))
                    chunk, spaced = "", False
                units.append((ch, spaced))
                spaced = False
            else:
                chunk += ch
        if chunk:
            units.append((chunk, spaced))
    return units


def _row_heights(book: Book, prepared: list[_Prepared], count: int) -> list | None:
    """Heights for rows whose wrapped text needs more than one line (xlsxwriter cannot ask
    Excel to fit them, and LibreOffice does not on import), or None when no column wraps."""
    wrapping = [p for p in prepared if p.spec.wrap and p.write == "string"]
    if not wrapping:
        return None
    lines = [1] * count
    for p in wrapping:
        room = p.width - 2.5  # padding and indent
        for i, value in enumerate(p.values):
            if value is not None and len(value) * 2 > room:
                lines[i] = max(lines[i], _wrapped_lines(value, room, _TEXT_NARROW))
    return [book.line_height * n if n > 1 else None for n in lines]


# --- formats ---------------------------------------------------------------------------------


def money_format(decimals: int) -> str:
    """Thousands separators, negatives in red: #,##0.00;[Red]-#,##0.00."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"{body};[Red]-{body}"


def _num_format(kind: str, decimals: int | None, override: str | None) -> str | None:
    if override:
        return override
    if kind == "money":
        return money_format(2 if decimals is None else decimals)
    if kind == "int":
        return "#,##0"
    if kind == "date":
        return "yyyy-mm-dd"
    if kind == "pct":
        return "0.0%"
    return None


def _format_props(role, kind, decimals, tone, num_format, wrap=False) -> dict:
    props: dict = {"valign": "top"}
    if kind == "text" and role in ("cell", "link", "total", "header"):
        # A one-character gutter after a right-aligned number (indent needs an alignment).
        props.update(indent=1, align="left")
    if kind == "mixed":
        props["align"] = "right"  # key-figure values: text sits flush with the numbers
    if wrap:
        props["text_wrap"] = True
    if role == "header":
        props.update(
            bold=True,
            font_color="#FFFFFF",
            bg_color=_HEADER_FILL,
            text_wrap=True,
            valign="vcenter",
            align={"number": "right", "mixed": "right", "date": "center"}.get(kind, "left"),
            border=1,
            border_color=_BORDER_COLOR,
        )
        return props
    if role == "title":
        props.update(bold=True, font_size=14, font_color=_HEADER_FILL)
    elif role == "section":
        props.update(bold=True, font_size=12, font_color=_HEADER_FILL)
    elif role == "subtitle":
        props.update(font_color="#404040")
    elif role == "note":
        props.update(italic=True, font_color="#595959")
    elif role == "link":
        props.update(font_color="#0563C1", underline=1)
    elif role == "total":
        props.update(bold=True, top=1, bottom=6, top_color="#404040", bottom_color="#404040")
    fmt = _num_format(kind, decimals, num_format)
    if fmt:
        props["num_format"] = fmt
    if kind == "date":
        props["align"] = "center"
    if tone:
        props.update(TONES[tone])
    return props


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")


def _title_lines(title) -> list[tuple[str, str | None]]:
    if title is None:
        return []
    if isinstance(title, str):
        return [(title, None)]
    return [(item, None) if isinstance(item, str) else (item[0], item[1]) for item in title]


# ---- charts shared by the workbooks ---------------------------------------------------------


def column_ref(sheet: str, table: TableRange, source: str) -> list:
    """A chart range for one column of a table written by write_table."""
    col = table.col(source)
    return [sheet, table.first_row, col, max(table.last_row, table.first_row), col]


def grade_doughnut(workbook, title: str, sheet: str, grades: TableRange, height: int):
    """The grade mix as a doughnut in the grade colours, labelled with percentages."""
    from aging.model import GRADES

    doughnut = workbook.add_chart({"type": "doughnut"})
    doughnut.add_series(
        {
            "name": title,
            "categories": column_ref(sheet, grades, "grade"),
            "values": column_ref(sheet, grades, "open_base_minor"),
            "points": [{"fill": {"color": TONES[g]["bg_color"]}} for g in GRADES],
            "data_labels": {
                "percentage": True,
                "font": {"size": 8},
                # Labels take the grade's font colour: white on the dark segments.
                "custom": [{"font": {"color": TONES[g]["font_color"], "size": 8}} for g in GRADES],
            },
        }
    )
    doughnut.set_title({"name": title, "name_font": {"size": 11}})
    doughnut.set_legend({"position": "right"})
    doughnut.set_hole_size(50)
    doughnut.set_size({"width": 420, "height": height})
    return doughnut
