"""A sheet as columns of text, and the rule that turns a typed cell into the text a person sees.

In: typed cells or Arrow columns from the format readers. Out: `Sheet` (column-major Arrow
string columns from column A on, "" for empty cells). Every cell becomes text here so that typed
parsing happens in one place (aging.parse): a code `00123` stored as text stays `00123`; a
number cell 123.0 becomes "123" and 1234.5 "1234.5" (the shortest text that reads back to the
same float); a date cell ISO, a date-time "2026-10-31 13:45:00", a time "13:45:00"; TRUE/FALSE;
an error cell its Excel text ("#DIV/0!", "#N/A"). No issues: nothing here can fail on data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MAX_COLUMNS = 702
MAX_COLUMNS_LABEL = "ZZ (702)"
MAX_CSV_FIELD = 10 * 1024 * 1024


@dataclass(frozen=True, eq=False)
class Sheet:
    """One sheet as text, column-major: `columns[c]` holds column c (0 = A) for every row."""

    file: str
    name: str  # sheet name; "" for CSV and Parquet
    columns: tuple  # pa.StringArray per column from A, each `height` long, "" for empty cells
    height: int

    @property
    def width(self) -> int:
        return len(self.columns)

    def column(self, at: int) -> pa.Array:
        """Column `at` (0 = A); all "" beyond the last column."""
        return self.columns[at] if at < self.width else blank_column(self.height)

    def row(self, at: int) -> list[str]:
        return [column[at].as_py() for column in self.columns]

    def head(self, count: int) -> list[list[str]]:
        """The first `count` rows, as lists of cells."""
        return self.rows(range(min(count, self.height)))

    def rows(self, at) -> list[list[str]]:
        """The rows at these 0-based positions, as lists of cells (for the few rows that are
        read whole: header candidates, totals and customer section rows)."""
        at = pa.array(np.asarray(list(at), dtype=np.int64), pa.int64())
        if not len(at):
            return []
        if not self.columns:
            return [[] for _ in range(len(at))]
        picked = [column.take(at).to_pylist() for column in self.columns]
        return [list(cells) for cells in zip(*picked, strict=True)]


def blank_column(height: int) -> pa.Array:
    return pa.repeat(pa.scalar("", pa.string()), height)


def make_sheet(file: str, name: str, columns: dict, height: int) -> Sheet:
    """A Sheet from {absolute column position: string array}; gaps become blank columns."""
    width = max(columns, default=-1) + 1
    blank = blank_column(height) if len(columns) < width else None
    ordered = []
    for at in range(width):
        column = columns.get(at)
        if column is None:
            ordered.append(blank)
            continue
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if column.type != pa.string():
            column = column.cast(pa.string())
        ordered.append(column.fill_null("") if column.null_count else column)
    return Sheet(file, name, tuple(ordered), height)


def sheet_from_rows(file: str, name: str, rows: list) -> Sheet:
    """A Sheet from rows of str (ragged rows are padded with "")."""
    columns = itertools.zip_longest(*rows, fillvalue="")
    return make_sheet(
        file, name, {at: pa.array(c, pa.string()) for at, c in enumerate(columns)}, len(rows)
    )


ERROR_TEXT = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}
EXCEL_ERRORS = frozenset(ERROR_TEXT.values())  # a cell showing one of these holds no value


def any_true(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def patch_cells(column: pa.Array, cells: dict) -> pa.Array:
    """The column with the cells at these rows replaced by these texts."""
    if not cells:
        return column
    rows = np.fromiter(cells.keys(), dtype=np.int64, count=len(cells))
    take = np.arange(len(column), dtype=np.int64)
    take[rows] = len(column) + np.arange(len(rows), dtype=np.int64)
    values = pa.array(list(cells.values()), column.type)
    return pa.concat_arrays([column, values]).take(pa.array(take))


def fill_merged(rows: list, merged: list) -> list:
    """Give every cell of a merged range its top-left value, as the user sees it on screen
    (a customer name merged down over its invoices belongs to each of them)."""
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows


def cell_text(value) -> str:
    """One typed cell from the native reader -> the text a person sees, losslessly."""
    kind = type(value)  # exact type checks first: this runs once per cell
    if kind is str:
        return value
    if kind is float:
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)  # shortest form that reads back to the same float: 1234.56
        if "e" in text or "inf" in text or "nan" in text:
            return np.format_float_positional(value, trim="-")
        return text
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def arrow_text(values: pa.Array) -> pa.Array:
    """A typed Arrow column -> text by `cell_text`'s rules, vectorised where the type allows:
    dates and timestamps ISO (midnight dropped), numbers their shortest exact text, decimals
    exactly, booleans TRUE/FALSE, null ""."""
    kind = values.type
    if pa.types.is_dictionary(kind):
        return arrow_text(values.dictionary_decode())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return values.cast(pa.string()).fill_null("")
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        try:  # text stored as bytes: UTF-8 as text, anything else as Python shows bytes
            return values.cast(pa.string()).fill_null("")
        except pa.ArrowInvalid:
            pass
    if pa.types.is_null(kind):
        return blank_column(len(values))
    if pa.types.is_boolean(kind):
        return pc.if_else(values, "TRUE", "FALSE").fill_null("")
    if pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        return values.cast(pa.string()).fill_null("")
    if pa.types.is_floating(kind):
        text = values.cast(pa.string()).fill_null("")
        # Arrow writes large and small floats with an exponent, and minus zero as "-0".
        odd = pc.or_(pc.match_substring(text, "e"), pc.equal(text, "-0"))
        if any_true(odd):
            rows = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
            cells = {int(r): cell_text(float(values[int(r)].as_py())) for r in rows}
            text = patch_cells(text, cells)
        return text
    try:
        if pa.types.is_date(kind):
            return values.cast(pa.date32()).cast(pa.string()).fill_null("")
        if pa.types.is_timestamp(kind):
            if kind.tz is not None:
                values = pc.local_timestamp(values)  # the wall-clock time of its zone
            text = values.cast(pa.timestamp("us"), safe=False).cast(pa.string())
            text = pc.replace_substring_regex(text, r"\.000000$", "")
            return pc.replace_substring_regex(text, r" 00:00:00$", "").fill_null("")
        if pa.types.is_time(kind):
            text = values.cast(pa.time64("us"), safe=False).cast(pa.string())
            return pc.replace_substring_regex(text, r"\.000000$", "").fill_null("")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    return pa.array([cell_text(v) for v in values.to_pylist()], pa.string())


def first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
