"""Read input files into columns of text, after checking they are safe to parse.

In: a path to .xlsx/.xlsm/.xls/.ods/.csv/.parquet (the real format is taken from the magic bytes,
not the name). Out: `Sheet` objects, each a list of Arrow string columns from column A on, one
string per row ("" for empty cells). Raises `InputError` with a one-line reason for a missing,
encrypted, oversized or hostile file.

Every cell is turned into text here so typed parsing happens in one place (aging.parse): a code
`00123` stored as text stays `00123`; a number cell 123.0 becomes "123" and 1234.5 "1234.5" (the
shortest text that reads back to the same float); a date cell becomes ISO, a date-time cell
"2026-10-31 13:45:00", a time cell "13:45:00"; TRUE/FALSE; an error cell its Excel text
("#DIV/0!", "#N/A"), so a broken formula in an amount column is reported as a bad amount.

How, per format (the text is the same whichever way a cell is read; `cell_text` is the rule):
- .xlsx/.xlsm: fastexcel turns the sheet into Arrow strings natively; its text for typed cells
  is put into our form by vectorised rules (`_as_shown`). The streaming pass that checks the
  sheet XML for safety also notes what fastexcel cannot know: merged ranges, and number cells
  whose value has more digits than fastexcel's nine decimals show, and text cells that look like
  its typed output ("true", "2026-10-31 00:00:00"), which keep their text. A workbook with such
  text in its shared strings, ISO date cells, duration formats, or cells the pass cannot place
  (a namespace prefix, no cell reference) is read cell by cell instead, as before.
- .xls/.ods: python-calamine, cell by cell through `cell_text` (these are small by nature:
  .xls stops at 65,536 rows); error cells are found with fastexcel.
- .csv: pyarrow's CSV reader when every row has the same number of fields, else the csv module.
- .parquet: pyarrow; the column names are row 1, each column turned into text by the same rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import mmap
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import python_calamine
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from aging.errors import InputError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARQUET_MAGIC = b"PAR1"
MAX_ZIP_RATIO = 200  # compressed -> uncompressed; real workbooks stay far below
MAX_COLUMNS = 702
MAX_COLUMNS_LABEL = "ZZ (702)"
MAX_CSV_FIELD = 10 * 1024 * 1024
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".parquet"}


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
        return self.columns[at] if at < self.width else _blank(self.height)

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


def _blank(height: int) -> pa.Array:
    return pa.repeat(pa.scalar("", pa.string()), height)


def make_sheet(file: str, name: str, columns: dict, height: int) -> Sheet:
    """A Sheet from {absolute column position: string array}; gaps become blank columns."""
    width = max(columns, default=-1) + 1
    blank = _blank(height) if len(columns) < width else None
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


def read_file(path: Path, *, max_rows: int, max_unzipped_mb: int) -> list[Sheet]:
    """All sheets of one file as text."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = sniff_kind(path, head)
    if kind == "csv":
        return [_read_csv(path, max_rows)]
    if kind == "parquet":
        return [_read_parquet(path, max_rows, max_unzipped_mb)]
    book = None
    if kind == "zip":
        book = _check_zip(path, max_unzipped_mb, max_rows)
    if kind == "ole":
        _check_ole(path)
    return _read_workbook(path, max_rows, book)


def sniff_kind(path: Path, head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        what = "a Parquet file" if path.suffix.lower() == ".parquet" else "a spreadsheet"
        raise InputError(f"{path}: not {what} (its content is not {path.suffix} format)")
    return "csv"


# ---- safety checks and what the same pass learns about an .xlsx ----------------------------


@dataclass
class _PartScan:
    """What the safety pass over one worksheet's XML noted for the fast reader."""

    merged: dict = field(default_factory=dict)  # ((top, left), (bottom, right)), 0-based: None
    numbers: dict = field(default_factory=dict)  # (row, col) -> (fastexcel's text, ours)
    keep: set = field(default_factory=set)  # (row, col) of text cells that look typed
    iso_dates: bool = False  # t="d" cells: only the cell-by-cell reader renders them as ours
    unplaced: bool = False  # a cell noted above whose place the scan could not tell


@dataclass
class _Book:
    """An .xlsx as the safety pass saw it."""

    parts: dict  # worksheet part name -> _PartScan
    sheets: dict  # sheet name -> worksheet part name (worksheets only)
    others: set  # names of chart, dialog and macro sheets: not read
    first_day: str  # the first date that is not time-only: serial 1 (1900 or 1904 system)
    exact: bool  # read cell by cell (see the module docstring)


def _check_zip(path: Path, max_unzipped_mb: int, max_rows: int) -> _Book | None:
    """Refuse zip bombs, XML declaring entities and sheets sized to exhaust memory, before
    the native reader (which allocates every sheet as a dense grid) sees the file. For an .xlsx
    the same pass notes what the fast reader needs (None for an OpenDocument file)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unzipped = sum(m.file_size for m in members)
            packed = max(sum(m.compress_size for m in members), 1)
            if unzipped > max_unzipped_mb * 1024 * 1024 or unzipped / packed > MAX_ZIP_RATIO:
                raise InputError(
                    f"{path}: refused: expands to {unzipped // 1_048_576} MiB "
                    f"({unzipped / packed:.0f}x its size); raise reading.max_unzipped_mb if real"
                )
            names = {m.filename for m in members}
            if not ({"xl/workbook.xml", "content.xml"} & names):
                raise InputError(f"{path}: a zip file, but not an Excel or OpenDocument workbook")
            parts, exact = {}, False
            for member in members:
                if member.filename.endswith((".xml", ".rels")) and member.file_size:
                    with archive.open(member) as part:
                        root = _check_prolog(path, member.filename, part)
                    # cells written with a namespace prefix (<x:c>) escape the scan's patterns
                    cells = member.filename.startswith(("xl/worksheets/", "xl/sharedStrings"))
                    exact |= cells and ":" in root
                if member.filename.startswith("xl/worksheets/") and member.file_size:
                    with archive.open(member) as part:
                        parts[member.filename] = _scan_sheet(path, member.filename, part, max_rows)
                elif member.filename == "xl/sharedStrings.xml" and member.file_size:
                    with archive.open(member) as part:
                        exact |= _strings_look_typed(part)
            small = {n: archive.read(n) for n in _BOOK_PARTS if n in names}
            for data in small.values():
                SafeET.fromstring(data)
    except zipfile.BadZipFile:
        raise InputError(f"{path}: damaged workbook (not a readable zip archive)") from None
    except SafeET.ParseError as exc:
        raise InputError(f"{path}: damaged workbook XML ({exc})") from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise InputError(f"{path}: refused: hostile workbook XML ({type(exc).__name__})") from None
    if "xl/workbook.xml" not in small:
        return None
    return _book(small, parts, exact)


_BOOK_PARTS = (
    "xl/workbook.xml",
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
)


def _book(small: dict, parts: dict, exact: bool) -> _Book:
    """Sheet names -> worksheet parts, the date system, and whether to read cell by cell."""
    workbook = SafeET.fromstring(small["xl/workbook.xml"])
    rels = SafeET.fromstring(small.get("xl/_rels/workbook.xml.rels", b"<r/>"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "").lstrip("/")
        target = target if target.startswith("xl/") else f"xl/{target}"
        targets[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    sheets, others, first_day = {}, set(), "1900-01-01"
    for element in workbook.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "workbookPr" and element.get("date1904", "").lower() in ("1", "true"):
            first_day = "1904-01-02"
        if tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            kind, target = targets.get(rid, ("", ""))
            if kind == "worksheet":
                sheets[element.get("name")] = target
            else:
                others.add(element.get("name"))
    exact |= any(scan.iso_dates or scan.unplaced for scan in parts.values())
    exact |= _has_duration_format(small.get("xl/styles.xml"))
    return _Book(parts, sheets, others, first_day, exact)


_DURATION = re.compile(r"(?i)\[(h+|m+|s+)\]")


def _has_duration_format(styles: bytes | None) -> bool:
    """A cell style with an elapsed-time format ([h]:mm:ss): calamine reads such cells as
    durations, which only the cell-by-cell reader turns into our text."""
    if not styles:
        return False
    root = SafeET.fromstring(styles)
    durations = {"46"}
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "numFmt" and _DURATION.search(element.get("formatCode", "")):
            durations.add(element.get("numFmtId"))
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "cellXfs":
            return any(xf.get("numFmtId") in durations for xf in element)
    return False


class _RootReached(Exception):
    """Raised by the prolog parser at the first element: the prolog was clean."""


def _check_prolog(path: Path, name: str, part) -> str | None:
    """Parse an XML part up to its root element; a DOCTYPE or ENTITY before it is refused.
    Returns the root element's name as written ("worksheet", "x:worksheet").

    Entity declarations can only stand in the prolog, so the rest need not be read."""
    parser = expat.ParserCreate()
    seen = []

    def refuse(*_args):
        raise InputError(f"{path}: refused: {name} declares XML entities (DOCTYPE)")

    def root(tag, *_args):
        seen.append(tag)
        raise _RootReached

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = root
    try:
        while chunk := part.read(65536):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        return seen[0]
    except expat.ExpatError as exc:
        raise InputError(f"{path}: damaged workbook XML in {name} ({exc})") from None


_FAR = re.compile(rb'<(?:c r="([A-Z]{3}[0-9]+|[A-Z]{1,2}[0-9]{7,})"|row r="([0-9]{7,})")')
# A number's text in the XML when fastexcel may write its float differently from `cell_text`
# (which writes the shortest text that reads back to the same float; fastexcel rounds to nine
# decimals): sixteen digits or more, seven integer digits and a fraction (binary noise shows
# at the ninth decimal from 2**23 on), ten decimals or more, an exponent, or minus zero. Plain
# amounts and whole numbers do not match, so the pass stays at C speed with few hits.
_LONG_VALUE = re.compile(
    rb"<v>-?(?:[0-9]{16}|[0-9]{7}[0-9]*+\.|[0-9]*+\.[0-9]{10}|[0-9.]*+[eE])|<v>-0[.<]"
)
# The end of a text ending like a time ("...:45:00</t>"): text cells that may look like
# fastexcel's date-time text, which `_as_shown` rewrites.
_TIME_END = re.compile(rb":[0-9]{2}(?:\.[0-9]++)?</[tv]>")
# Texts fastexcel also writes for typed cells (booleans, minus zero, date-times).
_TYPED_TEXT = re.compile(
    rb"true|false|-0|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
)
_SHOWN_TEXT = re.compile(rb">(?:true|false|-0)</[tv]>")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_CELL_REF = re.compile(rb' r="([A-Z]+)([0-9]+)"')
_CELL_TYPE = re.compile(rb' t="([a-zA-Z]+)"')
_TEXT_KINDS = (b"str", b"inlineStr")  # text held in the sheet (shared strings: _strings_look_typed)
_TAIL = 16384  # bytes carried into the next chunk: a cell's tag stays in view of its value


def _scan_sheet(path: Path, name: str, part, max_rows: int) -> _PartScan:
    """One streaming pass over a worksheet's XML at C speed.

    Refuses a sheet sized to exhaust memory: a single cell at XFD1048576 makes the reader
    allocate 17 billion cells, so cell references beyond column ZZ or row 999,999 are looked
    for before reading. Notes for the fast reader the merged ranges, the number cells fastexcel
    would write differently (with our text) and the text cells that look like its date-times."""
    scan = _PartScan()
    tail = b""
    while chunk := part.read(1 << 20):
        window = tail + chunk
        for hit in _FAR.finditer(window):
            ref = hit.group(1) or hit.group(2)
            column = re.match(rb"[A-Z]*", ref).group(0)
            row = int(ref[len(column) :])
            if len(column) >= 3 or row > max_rows + 1000:
                raise InputError(
                    f"{path}: refused: {name} has a cell at {ref.decode()}, beyond "
                    f"{MAX_COLUMNS_LABEL} columns or reading.max_rows ({max_rows:,}) rows"
                )
        # a value ending in the carried tail was seen whole in the previous window
        for hit in _LONG_VALUE.finditer(window, max(len(tail) - 64, 0)):
            _note_number(scan, window, hit.start(), len(tail))
        for hit in _TIME_END.finditer(window, max(len(tail) - 64, 0)):
            if hit.end() > len(tail):
                _note_text(scan, window, hit.end() - 4)
        if b"<mergeCell " in window:
            for hit in _MERGE.finditer(window):
                first = (int(hit.group(2)) - 1, _column_index(hit.group(1)))
                last = (
                    (int(hit.group(4)) - 1, _column_index(hit.group(3))) if hit.group(3) else first
                )
                scan.merged[(first, last)] = None
        scan.iso_dates |= b't="d"' in window
        tail = window[-_TAIL:]
    return scan


def _cell_at(window: bytes, at: int):
    """((row, column), type) of the cell whose content is at `at`, or None when its tag is out
    of view or carries no reference."""
    start = window.rfind(b"<c ", 0, at)
    if start < 0 or window.find(b"</c>", start, at) >= 0:
        return None
    tag = window[start : window.find(b">", start)]
    ref = _CELL_REF.search(tag)
    if ref is None:
        return None
    typed = _CELL_TYPE.search(tag)
    return (int(ref.group(2)) - 1, _column_index(ref.group(1))), typed.group(1) if typed else b"n"


def _note_number(scan: _PartScan, window: bytes, at: int, seen: int) -> None:
    begin = at + 3
    stop = window.find(b"<", begin)
    if stop < 0 or stop < seen:
        return  # runs on into the next chunk, or was seen whole in the previous window
    cell = _cell_at(window, at)
    if cell is None:
        scan.unplaced = True
        return
    where, kind = cell
    value = window[begin:stop]
    if kind in _TEXT_KINDS and _TYPED_TEXT.fullmatch(value):
        scan.keep.add(where)
    if kind != b"n":
        return
    try:
        number = float(value)
    except ValueError:
        return
    theirs = format(number, ".9f").rstrip("0").rstrip(".")  # fastexcel: {:.9}, zeros trimmed
    ours = cell_text(number)
    if theirs != ours:
        scan.numbers[where] = (theirs, ours)


def _note_text(scan: _PartScan, window: bytes, end: int) -> None:
    begin = window.rfind(b">", 0, end) + 1
    if not _TYPED_TEXT.fullmatch(window[begin:end]):
        return
    cell = _cell_at(window, begin)
    if cell is None:
        scan.unplaced = True
    elif cell[1] in _TEXT_KINDS:
        scan.keep.add(cell[0])


def _texts_like_shown(path: Path, part_name: str) -> set:
    """Text cells "true", "false" or "-0" in a worksheet: read again only when the sheet has
    such text at all (rare), since typed cells give the same text in fastexcel's output."""
    scan = _PartScan()
    with zipfile.ZipFile(path) as archive, archive.open(part_name) as part:
        tail = b""
        while chunk := part.read(1 << 20):
            window = tail + chunk
            for hit in _SHOWN_TEXT.finditer(window, max(len(tail) - 64, 0)):
                if hit.end() > len(tail):
                    _note_text(scan, window, hit.end() - 4)
            tail = window[-_TAIL:]
    return scan.keep


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


_STRING_TYPED_LOOK = re.compile(rb"<t(?: [^>]*+)?>(?:" + _TYPED_TEXT.pattern + rb")<")


def _strings_look_typed(part) -> bool:
    """Does the shared-string table hold a text fastexcel's typed output could be taken for?"""
    tail = b""
    while chunk := part.read(1 << 20):
        window = tail + chunk
        if _STRING_TYPED_LOOK.search(window):
            return True
        tail = window[-256:]
    return False


def _check_ole(path: Path) -> None:
    """An OLE file holding 'EncryptedPackage' is a password-protected xlsx."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        if m.find(marker) != -1:
            raise InputError(
                f"{path}: the workbook is password-protected; save it without a password"
            )


# ---- workbooks ------------------------------------------------------------------------------


def _read_workbook(path: Path, max_rows: int, book: _Book | None) -> list[Sheet]:
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
            raise InputError(f"{path}: the workbook is password-protected") from None
        raise InputError(f"{path}: cannot read the workbook ({_first_line(exc)})") from None


def _load(path: Path, reader, name: str, max_rows: int):
    """(record batch, absolute column positions, errors) of one sheet, all cells as text."""
    try:
        sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        if sheet.total_height > max_rows + 1000:
            raise InputError(
                f"{path} [{name}]: {sheet.total_height:,} rows is over the limit "
                f"reading.max_rows ({max_rows:,})"
            )
        batch, errors = sheet.to_arrow_with_errors()
        positions = [column.absolute_index for column in sheet.selected_columns]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path} [{name}]: cannot read ({_first_line(exc)})") from None
    return batch, positions, _error_cells(errors, positions)


# calamine's names for Excel's error values -> the text Excel shows.
_ERROR_TEXT = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}
_ERROR_DETAIL = re.compile(r"'Error\((\w+)\)'")
EXCEL_ERRORS = frozenset(_ERROR_TEXT.values())  # a cell showing one of these holds no value


def _error_cells(errors, positions: list) -> dict:
    """(row, absolute column) -> Excel's error text, for the cells holding an error value.

    fastexcel reports each cell it could not turn into a string (error values are the only
    kind it cannot) with calamine's name for it; other reports are left alone."""
    cells = {}
    for error in errors.errors if errors else ():
        hit = _ERROR_DETAIL.search(error.detail)
        if hit:
            row, column = error.position
            cells[(row, positions[column])] = _ERROR_TEXT.get(hit.group(1), f"#{hit.group(1)}")
    return cells


def _read_fast(path: Path, reader, name: str, part: str, book: _Book, max_rows: int) -> Sheet:
    batch, positions, errors = _load(path, reader, name, max_rows)
    scan = book.parts.get(part, _PartScan())
    height = batch.num_rows
    keep = set(scan.keep)
    if any(_any(pc.is_in(column, value_set=_SHOWN)) for column in batch.columns):
        keep |= _texts_like_shown(path, part)
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
        columns[position] = _patch(_as_shown(raw, book.first_day), _cells(raw, patches[position]))
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
    if _any(pc.is_in(column, value_set=_SHOWN)):
        column = pc.if_else(pc.equal(column, "true"), "TRUE", column)
        column = pc.if_else(pc.equal(column, "false"), "FALSE", column)
        column = pc.if_else(pc.equal(column, "-0"), "0", column)
    length = pc.binary_length(column)
    maybe = pc.is_in(length, value_set=_STAMP_LENGTHS)
    if not _any(maybe):
        return column
    stamp = None
    early = pc.and_(maybe, pc.less(column, first_day))
    fraction = pc.and_(maybe, pc.is_in(length, value_set=pa.array([23, 29], pa.int32())))
    if _any(early) or _any(fraction):
        stamp = pc.and_(maybe, pc.match_substring_regex(column, _STAMP))
    shown = column
    if _any(early):  # time cells: a serial below 1 is shown without its date
        time_only = pc.and_(early, stamp)
        shown = pc.if_else(time_only, pc.utf8_slice_codeunits(column, 11, 40), shown)
    midnight = pc.and_(pc.equal(length, 19), pc.ends_with(shown, " 00:00:00"))
    if _any(midnight):
        midnight = pc.and_(midnight, pc.match_substring_regex(shown, _MIDNIGHT))
        shown = pc.if_else(midnight, pc.utf8_slice_codeunits(shown, 0, 10), shown)
    if stamp is not None and _any(pc.and_(stamp, fraction)):
        longer = pc.replace_substring_regex(shown, _MILLIS, r"\1000")
        longer = pc.replace_substring_regex(longer, _NANOS, r"\1")  # calamine rounds to ms
        shown = pc.if_else(pc.and_(stamp, fraction), longer, shown)
    return shown


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def _patch(column: pa.Array, cells: dict) -> pa.Array:
    """The column with the cells at these rows replaced by these texts."""
    if not cells:
        return column
    rows = np.fromiter(cells.keys(), dtype=np.int64, count=len(cells))
    take = np.arange(len(column), dtype=np.int64)
    take[rows] = len(column) + np.arange(len(rows), dtype=np.int64)
    values = pa.array(list(cells.values()), column.type)
    return pa.concat_arrays([column, values]).take(pa.array(take))


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
        raise InputError(f"{path}: the workbook is password-protected") from None
    except Exception as exc:
        raise InputError(f"{path}: cannot read the workbook ({_first_line(exc)})") from None
    sheets = []
    errors_of = False  # fastexcel, opened on the first worksheet
    for meta in book.sheets_metadata:
        if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.total_height > max_rows + 1000:
                raise InputError(
                    f"{path} [{meta.name}]: {sheet.total_height:,} rows is over the limit "
                    f"reading.max_rows ({max_rows:,})"
                )
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"{path} [{meta.name}]: cannot read ({_first_line(exc)})") from None
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


# ---- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path, max_rows: int) -> Sheet:
    raw = path.read_bytes()
    text = decode_text(raw, path)
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    sheet = _read_csv_fast(path, raw, text, dialect)
    if sheet is None:
        sheet = sheet_from_rows(str(path), "", _csv_rows(path, text, dialect))
    if sheet.height > max_rows + 1000:
        raise InputError(f"{path}: {sheet.height:,} rows is over the limit reading.max_rows")
    return sheet


def _read_csv_fast(path: Path, raw: bytes, text: str, dialect) -> Sheet | None:
    """pyarrow's reader, all columns as text, when it reads the file as the csv module would:
    every row the same number of fields (blank lines read as blank rows), no field over a
    block, no space skipped after the delimiter. Otherwise None."""
    csv.field_size_limit(MAX_CSV_FIELD)
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), dialect), [])
    except csv.Error:
        return None  # the csv module says what is wrong
    if dialect.skipinitialspace or not first:
        return None
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if len(data) != len(text) and not _is_utf8(data):
        data = text.encode("utf-8")
    parse = pa_csv.ParseOptions(
        delimiter=dialect.delimiter,
        quote_char=dialect.quotechar or False,
        double_quote=dialect.doublequote,
        escape_char=dialect.escapechar or False,
        newlines_in_values=True,
        ignore_empty_lines=False,
    )
    names = [f"f{at}" for at in range(len(first))]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=parse,
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowException:
        return None
    columns = {at: table.column(at) for at in range(table.num_columns)}
    return make_sheet(str(path), "", columns, table.num_rows)


def _is_utf8(raw: bytes) -> bool:
    if b"\x00" in raw[:4096]:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(path: Path, text: str, dialect) -> list[list[str]]:
    csv.field_size_limit(MAX_CSV_FIELD)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None


def decode_text(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which also reads GBK/GB2312)."""
    if b"\x00" in raw[:4096]:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return raw.decode("utf-16")
        raise InputError(f"{path}: binary content, not a CSV file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: text is neither UTF-8 nor GB18030")


# ---- Parquet --------------------------------------------------------------------------------


def _read_parquet(path: Path, max_rows: int, max_unzipped_mb: int) -> Sheet:
    """A Parquet ledger: the column names are row 1, the values the rows below, each turned
    into text by `cell_text`'s rules. Rows, columns and the unpacked size are checked from the
    footer before any data is read, the size of the text before it is decoded."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
    except Exception as exc:
        raise InputError(f"{path}: damaged Parquet file ({_first_line(exc)})") from None
    unpacked = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    if unpacked > max_unzipped_mb * 1024 * 1024:
        raise InputError(
            f"{path}: refused: expands to {unpacked // 1_048_576} MiB; "
            "raise reading.max_unzipped_mb if real"
        )
    if meta.num_rows > max_rows + 1000:
        raise InputError(f"{path}: {meta.num_rows:,} rows is over the limit reading.max_rows")
    if meta.num_columns > MAX_COLUMNS:
        raise InputError(f"{path}: refused: {meta.num_columns} columns, beyond {MAX_COLUMNS_LABEL}")
    try:
        # Text columns stay dictionary-encoded until their size is known: a few distinct
        # values repeated a million times are small on disk and in the footer, not in memory.
        schema = pq.read_schema(path)
        texts = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_binary(f.type)]
        table = pq.read_table(path, read_dictionary=texts)
    except Exception as exc:
        raise InputError(f"{path}: cannot read the Parquet file ({_first_line(exc)})") from None
    expanded = sum(_expanded_bytes(table.column(at)) for at in range(table.num_columns))
    if expanded > max_unzipped_mb * 1024 * 1024:
        raise InputError(
            f"{path}: refused: its text expands to {expanded // 1_048_576} MiB; "
            "raise reading.max_unzipped_mb if real"
        )
    columns = {}
    try:
        for at, name in enumerate(table.column_names):
            texts = [arrow_text(chunk) for chunk in table.column(at).chunks]
            columns[at] = pa.concat_arrays([pa.array([str(name)], pa.string()), *texts])
    except pa.ArrowException as exc:
        raise InputError(f"{path}: cannot read the Parquet file ({_first_line(exc)})") from None
    return make_sheet(str(path), "", columns, table.num_rows + 1)


def _expanded_bytes(column: pa.ChunkedArray) -> int:
    """Bytes the column takes once dictionary-encoded text is decoded."""
    total = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            sizes = pc.binary_length(chunk.dictionary) if _is_text(chunk.dictionary) else None
            if sizes is not None and len(chunk):
                total += (pc.sum(sizes.take(chunk.indices)).as_py() or 0) + 4 * len(chunk)
                continue
        total += chunk.nbytes
    return total


def _is_text(values: pa.Array) -> bool:
    return pa.types.is_string(values.type) or pa.types.is_binary(values.type)


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
        return _blank(len(values))
    if pa.types.is_boolean(kind):
        return pc.if_else(values, "TRUE", "FALSE").fill_null("")
    if pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        return values.cast(pa.string()).fill_null("")
    if pa.types.is_floating(kind):
        text = values.cast(pa.string()).fill_null("")
        # Arrow writes large and small floats with an exponent, and minus zero as "-0".
        odd = pc.or_(pc.match_substring(text, "e"), pc.equal(text, "-0"))
        if _any(odd):
            rows = np.flatnonzero(odd.to_numpy(zero_copy_only=False))
            cells = {int(r): cell_text(float(values[int(r)].as_py())) for r in rows}
            text = _patch(text, cells)
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


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
