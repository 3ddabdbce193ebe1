"""Read .xlsx/.xlsm/.xls/.ods workbooks into `Sheet`s of text.

In: a path checked by aging.reading.safety (and its `Book` for an .xlsx). Out: one `Sheet`
per worksheet. Raises `InputError` for a workbook the native readers cannot open.

- .xlsx/.xlsm: fastexcel turns the sheet into Arrow strings natively; its text for typed cells
  is put into our form by vectorised rules (`_as_shown`). The safety pass has noted what
  fastexcel cannot know: merged ranges, number cells whose value has more digits than
  fastexcel's nine decimals show, and text cells that look like its typed output, which keep
  their text. A workbook with such text in its shared strings, ISO date cells, duration
  formats, or cells the pass cannot place is read cell by cell instead.
- .xls/.ods: python-calamine, cell by cell through `cell_text` (small by nature: .xls stops at
  65,536 rows); error cells are found with fastexcel.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from aging.errors import InputError
from aging.reading.safety import Book, PartScan, texts_like_shown
from aging.reading.sheet import (
    ERROR_TEXT,
    Sheet,
    any_true,
    cell_text,
    fill_merged,
    first_line,
    make_sheet,
    patch_cells,
    sheet_from_rows,
)


def read_workbook(path: Path, max_rows: int, book: Book | None) -> list[Sheet]:
    sheets = _read_workbook(path, max_rows, book)
    if book is None:
        return sheets
    return [_zero_padded(s, book.parts.get(book.sheets.get(s.name, ""))) for s in sheets]


def _zero_padded(sheet: Sheet, scan: PartScan | None) -> Sheet:
    """A number shown through a "00000" format is the code as Excel shows it: 00123."""
    if scan is None or not scan.padded:
        return sheet
    by_column: dict[int, dict] = {}
    for (row, column), width in scan.padded.items():
        by_column.setdefault(column, {})[row] = width
    columns = list(sheet.columns)
    for column, rows in by_column.items():
        if column >= len(columns):
            continue
        values = columns[column]
        cells = {}
        for row, width in rows.items():
            text = values[row].as_py() if row < len(values) else None
            if text and text.isdigit():
                cells[row] = text.zfill(width)
        columns[column] = patch_cells(values, cells)
    return Sheet(sheet.file, sheet.name, tuple(columns), sheet.height)


def _read_workbook(path: Path, max_rows: int, book: Book | None) -> list[Sheet]:
    # fastexcel and python-calamine are given the bytes, so they pick the format from the
    # content (from a path they would trust the file name).
    data = path.read_bytes()
    if book is None or book.exact or not book.sheets:
        return _read_cell_by_cell(path, data, max_rows)
    reader = _open_fast(path, data)
    if not set(reader.sheet_names) <= set(book.sheets) | book.others:
        return _read_cell_by_cell(path, data, max_rows)
    sheets = []
    for name in reader.sheet_names:
        if name in book.sheets:
            part = book.sheets[name]
            sheets.append(_read_fast(path, reader, name, part, book, max_rows))
    return sheets


def _open_fast(path: Path, data: bytes):
    try:
        return fastexcel.read_excel(data)
    except Exception as exc:
        if "password" in str(exc).lower():
            raise InputError("error.password", file=path) from None
        raise InputError("error.workbook_unreadable", file=path, detail=first_line(exc)) from None


def _load(path: Path, reader, name: str, max_rows: int):
    """(record batch, absolute column positions, errors) of one sheet, all cells as text."""
    try:
        sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        if sheet.total_height > max_rows + 1000:
            raise InputError(
                "error.sheet_too_many_rows",
                file=path,
                sheet=name,
                rows=f"{sheet.total_height:,}",
                limit=f"{max_rows:,}",
            )
        batch, errors = sheet.to_arrow_with_errors()
        positions = [column.absolute_index for column in sheet.selected_columns]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            "error.sheet_unreadable", file=path, sheet=name, detail=first_line(exc)
        ) from None
    return batch, positions, _error_cells(errors, positions)


_ERROR_DETAIL = re.compile(r"'Error\((\w+)\)'")


def _error_cells(errors, positions: list) -> dict:
    """(row, absolute column) -> Excel's error text, for the cells holding an error value.

    fastexcel reports each cell it could not turn into a string (error values are the only
    kind it cannot) with calamine's name for it; other reports are left alone."""
    cells = {}
    for error in errors.errors if errors else ():
        hit = _ERROR_DETAIL.search(error.detail)
        if hit:
            row, column = error.position
            cells[(row, positions[column])] = ERROR_TEXT.get(hit.group(1), f"#{hit.group(1)}")
    return cells


def _read_fast(path: Path, reader, name: str, part: str, book: Book, max_rows: int) -> Sheet:
    batch, positions, errors = _load(path, reader, name, max_rows)
    scan = book.parts.get(part, PartScan())
    height = batch.num_rows
    keep = set(scan.keep)
    if any(any_true(pc.is_in(column, value_set=_SHOWN)) for column in batch.columns):
        keep |= texts_like_shown(path, part)
    patches: dict[int, dict] = {position: {} for position in positions}
    for (row, column), text in errors.items():
        patches[column][row] = text
    for (row, column), (theirs, ours) in scan.numbers.items():
        if row < height and column in patches:
            patches[column][row] = (theirs, ours)
    for row, column in keep:
        if row < height and column in patches:
            patches[column].setdefault(row, None)
    columns = {}
    for at, position in enumerate(positions):
        raw = batch.column(at)
        columns[position] = patch_cells(
            _as_shown(raw, book.first_day), _cells(raw, patches[position])
        )
    sheet = make_sheet(str(path), name, columns, height)
    return _fill_merged_columns(sheet, list(scan.merged))


def _cells(raw: pa.Array, patch: dict) -> dict:
    """Row -> text to put in place of `_as_shown`'s: an error's text; our text for a number
    fastexcel wrote as `theirs` (a date-formatted number shows as a date, and is left alone);
    fastexcel's own text (None) for a text cell that looks typed."""
    if not patch:
        return {}
    rows = list(patch)
    seen = raw.take(pa.array(rows, pa.int64())).to_pylist()
    cells = {}
    for row, text, change in zip(rows, seen, patch.values(), strict=True):
        if isinstance(change, str):
            cells[row] = change
        elif change is None:
            if text is not None:
                cells[row] = text
        elif text == change[0]:
            cells[row] = change[1]
    return cells


_SHOWN = pa.array(["true", "false", "-0"])
_STAMP = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3}|\.[0-9]{6}|\.[0-9]{9})?$"
)
_STAMP_LENGTHS = pa.array([19, 23, 26, 29], pa.int32())
_MIDNIGHT = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$"
_MILLIS = r"^((?:[0-9]{4}-[0-9]{2}-[0-9]{2} )?[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})$"
_NANOS = r"^((?:[0-9]{4}-[0-9]{2}-[0-9]{2} )?[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6})[0-9]{3}$"


def _as_shown(column: pa.Array, first_day: str) -> pa.Array:
    """fastexcel's text for typed cells -> `cell_text`'s, vectorised.

    fastexcel writes booleans "true"/"false", minus zero "-0" and every date or time cell as
    "YYYY-MM-DD HH:MM:SS[.fff]"; we write TRUE/FALSE, "0", a date without its midnight, a time
    cell (a serial below 1) without its date, and a fraction of a second in microseconds, as
    Python's isoformat does. Text cells holding such text are put back by the caller. The
    common case, a column of dates, costs one pass of Arrow's regex engine.
    """
    column = column.fill_null("")
    if any_true(pc.is_in(column, value_set=_SHOWN)):
        column = pc.if_else(pc.equal(column, "true"), "TRUE", column)
        column = pc.if_else(pc.equal(column, "false"), "FALSE", column)
        column = pc.if_else(pc.equal(column, "-0"), "0", column)
    length = pc.binary_length(column)
    maybe = pc.is_in(length, value_set=_STAMP_LENGTHS)
    if not any_true(maybe):
        return column
    stamp = None
    early = pc.and_(maybe, pc.less(column, first_day))
    fraction = pc.and_(maybe, pc.is_in(length, value_set=pa.array([23, 29], pa.int32())))
    if any_true(early) or any_true(fraction):
        stamp = pc.and_(maybe, pc.match_substring_regex(column, _STAMP))
    shown = column
    if any_true(early):  # time cells: a serial below 1 is shown without its date
        time_only = pc.and_(early, stamp)
        shown = pc.if_else(time_only, pc.utf8_slice_codeunits(column, 11, 40), shown)
    midnight = pc.and_(pc.equal(length, 19), pc.ends_with(shown, " 00:00:00"))
    if any_true(midnight):
        midnight = pc.and_(midnight, pc.match_substring_regex(shown, _MIDNIGHT))
        shown = pc.if_else(midnight, pc.utf8_slice_codeunits(shown, 0, 10), shown)
    if stamp is not None and any_true(pc.and_(stamp, fraction)):
        longer = pc.replace_substring_regex(shown, _MILLIS, r"\1000")
        longer = pc.replace_substring_regex(longer, _NANOS, r"\1")  # calamine rounds to ms
        shown = pc.if_else(pc.and_(stamp, fraction), longer, shown)
    return shown


def _fill_merged_columns(sheet: Sheet, merged: list) -> Sheet:
    """`fill_merged` for a column-major sheet: every cell of a merged range gets its top-left
    value, with one take per column however many cells the ranges cover."""
    segments: dict[int, list] = {}
    for (top, left), (bottom, right) in merged:
        if top >= sheet.height or left >= sheet.width:
            continue
        value = sheet.columns[left][top].as_py()
        stop = min(bottom, sheet.height - 1) + 1
        for column in range(left, min(right, sheet.width - 1) + 1):
            segments.setdefault(column, []).append((top, stop, value))
    columns = list(sheet.columns)
    for column, spans in segments.items():
        height = len(columns[column])
        take = np.arange(height, dtype=np.int64)
        for at, (top, stop, _value) in enumerate(spans):
            take[top:stop] = height + at
        values = pa.array([value for *_, value in spans], pa.string())
        columns[column] = pa.concat_arrays([columns[column], values]).take(pa.array(take))
    return Sheet(sheet.file, sheet.name, tuple(columns), sheet.height)


def _read_cell_by_cell(path: Path, data: bytes, max_rows: int) -> list[Sheet]:
    """python-calamine's typed cells through `cell_text`; error cells from fastexcel."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise InputError("error.password", file=path) from None
    except Exception as exc:
        raise InputError("error.workbook_unreadable", file=path, detail=first_line(exc)) from None
    sheets = []
    errors_of = False  # fastexcel, opened on the first worksheet
    for meta in book.sheets_metadata:
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.total_height > max_rows + 1000:
                raise InputError(
                    "error.sheet_too_many_rows",
                    file=path,
                    sheet=meta.name,
                    rows=f"{sheet.total_height:,}",
                    limit=f"{max_rows:,}",
                )
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except InputError:
            raise
        except Exception as exc:
            raise InputError(
                "error.sheet_unreadable", file=path, sheet=meta.name, detail=first_line(exc)
            ) from None
        rows = [[cell_text(v) for v in row] for row in grid]
        if errors_of is False:
            try:
                errors_of = _open_fast(path, data)
            except InputError:
                errors_of = None
        for (row, column), text in _errors_only(path, errors_of, meta.name, max_rows).items():
            if row < len(rows) and column < len(rows[row]) and rows[row][column] == "":
                rows[row][column] = text
        sheets.append(sheet_from_rows(str(path), meta.name, fill_merged(rows, merged)))
    return sheets


def _errors_only(path: Path, reader, name: str, max_rows: int) -> dict:
    """The error cells of a sheet python-calamine has read (it gives them as ""). Best effort:
    a sheet fastexcel cannot load keeps its error cells blank, as before."""
    if reader is None:
        return {}
    try:
        return _load(path, reader, name, max_rows)[2]
    except InputError:
        return {}
