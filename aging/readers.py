"""Read input files into grids of text, after checking they are safe to parse.

In: a path to .xlsx/.xlsm/.xls/.ods/.csv (the real format is taken from the magic bytes, not
the name). Out: `Sheet` objects, each a list of rows of str ("" for empty cells). Raises
`InputError` with a one-line reason for a missing, encrypted, oversized or hostile file.

Every cell is turned into text here so typed parsing happens in one place (aging.parse): a code
`00123` stored as text stays `00123`; a number cell 123.0 becomes "123"; a date cell becomes ISO.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import mmap
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import numpy as np
import python_calamine
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from aging.errors import InputError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_RATIO = 200  # compressed -> uncompressed; real workbooks stay far below
MAX_COLUMNS_LABEL = "ZZ (702)"
MAX_CSV_FIELD = 10 * 1024 * 1024


@dataclass(frozen=True)
class Sheet:
    file: str
    name: str  # sheet name; "" for CSV
    rows: list  # list[list[str]]


def read_file(path: Path, *, max_rows: int, max_unzipped_mb: int) -> list[Sheet]:
    """All sheets of one file as text grids."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = sniff_kind(path, head)
    if kind == "csv":
        return [Sheet(str(path), "", _read_csv(path, max_rows))]
    if kind == "zip":
        _check_zip(path, max_unzipped_mb, max_rows)
    if kind == "ole":
        _check_ole(path)
    return _read_workbook(path, max_rows)


def sniff_kind(path: Path, head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        raise InputError(f"{path}: not a spreadsheet (its content is not {path.suffix} format)")
    return "csv"


def _check_zip(path: Path, max_unzipped_mb: int, max_rows: int) -> None:
    """Refuse zip bombs, XML declaring entities and sheets sized to exhaust memory, before
    the native reader (which allocates every sheet as a dense grid) sees the file."""
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
            for member in members:
                if member.filename.endswith((".xml", ".rels")) and member.file_size:
                    with archive.open(member) as part:
                        _check_prolog(path, member.filename, part)
                if member.filename.startswith("xl/worksheets/") and member.file_size:
                    with archive.open(member) as part:
                        _check_sheet_size(path, member.filename, part, max_rows)
            for small in ("xl/workbook.xml", "[Content_Types].xml"):
                if small in names:
                    SafeET.fromstring(archive.read(small))
    except zipfile.BadZipFile:
        raise InputError(f"{path}: damaged workbook (not a readable zip archive)") from None
    except SafeET.ParseError as exc:
        raise InputError(f"{path}: damaged workbook XML ({exc})") from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise InputError(f"{path}: refused: hostile workbook XML ({type(exc).__name__})") from None


class _RootReached(Exception):
    """Raised by the prolog parser at the first element: the prolog was clean."""


def _check_prolog(path: Path, name: str, part) -> None:
    """Parse an XML part up to its root element; a DOCTYPE or ENTITY before it is refused.

    Entity declarations can only stand in the prolog, so the rest need not be read."""
    parser = expat.ParserCreate()

    def refuse(*_args):
        raise InputError(f"{path}: refused: {name} declares XML entities (DOCTYPE)")

    def root(*_args):
        raise _RootReached

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = root
    try:
        while chunk := part.read(65536):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        return
    except expat.ExpatError as exc:
        raise InputError(f"{path}: damaged workbook XML in {name} ({exc})") from None


_FAR_CELL = re.compile(rb'<c r="([A-Z]{3}[0-9]+|[A-Z]{1,2}[0-9]{7,})"')
_FAR_ROW = re.compile(rb'<row r="([0-9]{7,})"')


def _check_sheet_size(path: Path, name: str, part, max_rows: int) -> None:
    """A single cell at XFD1048576 makes the reader allocate 17 billion cells: look for cell
    references beyond column ZZ or row 999,999 before reading, in one pass of C-speed search."""
    tail = b""
    while chunk := part.read(1 << 20):
        window = tail + chunk
        for hit in (*_FAR_CELL.finditer(window), *_FAR_ROW.finditer(window)):
            column = re.match(rb"[A-Z]*", hit.group(1)).group(0)
            row = int(hit.group(1)[len(column) :])
            if len(column) >= 3 or row > max_rows + 1000:
                where = hit.group(1).decode()
                raise InputError(
                    f"{path}: refused: {name} has a cell at {where}, beyond "
                    f"{MAX_COLUMNS_LABEL} columns or reading.max_rows ({max_rows:,}) rows"
                )
        tail = chunk[-64:]


def _check_ole(path: Path) -> None:
    """An OLE file holding 'EncryptedPackage' is a password-protected xlsx."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        if m.find(marker) != -1:
            raise InputError(
                f"{path}: the workbook is password-protected; save it without a password"
            )


def _read_workbook(path: Path, max_rows: int) -> list[Sheet]:
    try:
        # from_filelike picks the reader from the bytes; from_path trusts the file name.
        with path.open("rb") as handle:
            book = python_calamine.CalamineWorkbook.from_filelike(handle)
    except python_calamine.PasswordError:
        raise InputError(f"{path}: the workbook is password-protected") from None
    except Exception as exc:
        raise InputError(f"{path}: cannot read the workbook ({_first_line(exc)})") from None
    sheets = []
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
        sheets.append(Sheet(str(path), meta.name, fill_merged(rows, merged)))
    return sheets


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


def _read_csv(path: Path, max_rows: int) -> list[list[str]]:
    raw = path.read_bytes()
    text = decode_text(raw, path)
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(MAX_CSV_FIELD)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None
    if len(rows) > max_rows + 1000:
        raise InputError(f"{path}: {len(rows):,} rows is over the limit reading.max_rows")
    return rows


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


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
