"""Check an input file before any parser sees it, and note what the fast .xlsx reader needs.

In: a path whose magic bytes say zip (xlsx/ods) or OLE (xls, or an encrypted xlsx). Out:
nothing for a safe file, or, for an .xlsx, a `Book` (sheet parts, date system, merged ranges,
cells the fast reader would show differently). Raises `InputError` (exit 2) for zip bombs,
XML declaring entities (DOCTYPE), sheets sized to exhaust memory, damaged or
password-protected workbooks.
"""

from __future__ import annotations

import mmap
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from aging.errors import InputError
from aging.reading.sheet import (
    MAX_COLUMNS_LABEL,
    cell_text,
)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARQUET_MAGIC = b"PAR1"
MAX_ZIP_RATIO = 200  # compressed -> uncompressed; real workbooks stay far below


@dataclass
class PartScan:
    """What the safety pass over one worksheet's XML noted for the fast reader."""

    merged: dict = field(default_factory=dict)  # ((top, left), (bottom, right)), 0-based: None
    numbers: dict = field(default_factory=dict)  # (row, col) -> (fastexcel's text, ours)
    keep: set = field(default_factory=set)  # (row, col) of text cells that look typed
    iso_dates: bool = False  # t="d" cells: only the cell-by-cell reader renders them as ours
    unplaced: bool = False  # a cell noted above whose place the scan could not tell
    padded: dict = field(default_factory=dict)  # (row, col) -> digits a "00000" format shows


@dataclass
class Book:
    """An .xlsx as the safety pass saw it."""

    parts: dict  # worksheet part name -> PartScan
    sheets: dict  # sheet name -> worksheet part name (worksheets only)
    others: set  # names of chart, dialog and macro sheets: not read
    first_day: str  # the first date that is not time-only: serial 1 (1900 or 1904 system)
    exact: bool  # read cell by cell (see the module docstring)


def check_zip(path: Path, max_unzipped_mb: int, max_rows: int) -> Book | None:
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
                    "error.zip_bomb",
                    file=path,
                    mib=unzipped // 1_048_576,
                    ratio=f"{unzipped / packed:.0f}",
                )
            names = {m.filename for m in members}
            if not ({"xl/workbook.xml", "content.xml"} & names):
                raise InputError("error.zip_not_workbook", file=path)
            parts, exact = {}, False
            padded = _padded_styles(path, archive) if "xl/styles.xml" in names else {}
            for member in members:
                if member.filename.endswith((".xml", ".rels")) and member.file_size:
                    with archive.open(member) as part:
                        root = _check_prolog(path, member.filename, part)
                    # cells written with a namespace prefix (<x:c>) escape the scan's patterns
                    cells = member.filename.startswith(("xl/worksheets/", "xl/sharedStrings"))
                    exact |= cells and ":" in root
                if member.filename.startswith("xl/worksheets/") and member.file_size:
                    with archive.open(member) as part:
                        parts[member.filename] = _scan_sheet(
                            path, member.filename, part, max_rows, padded
                        )
                elif member.filename == "xl/sharedStrings.xml" and member.file_size:
                    with archive.open(member) as part:
                        exact |= _strings_look_typed(part)
            small = {n: archive.read(n) for n in _BOOK_PARTS if n in names}
            for data in small.values():
                SafeET.fromstring(data)
    except zipfile.BadZipFile:
        raise InputError("error.damaged_zip", file=path) from None
    except SafeET.ParseError as exc:
        raise InputError("error.damaged_xml", file=path, detail=exc) from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise InputError("error.hostile_xml", file=path, detail=type(exc).__name__) from None
    if "xl/workbook.xml" not in small:
        return None
    return _book(small, parts, exact)


_BOOK_PARTS = (
    "xl/workbook.xml",
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
)


def _book(small: dict, parts: dict, exact: bool) -> Book:
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
    return Book(parts, sheets, others, first_day, exact)


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
        raise InputError("error.xml_entities", file=path, part=name)

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
        raise InputError("error.damaged_part", file=path, part=name, detail=exc) from None


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


def _padded_styles(path: Path, archive) -> dict:
    """Cell style index -> width, for styles whose number format pads with zeros ("00000":
    the customer code 123 that Excel shows as 00123)."""
    with archive.open("xl/styles.xml") as part:
        _check_prolog(path, "xl/styles.xml", part)
    root = SafeET.fromstring(archive.read("xl/styles.xml"))
    widths = {}
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "numFmt":
            code = element.get("formatCode", "").split(";")[0]
            if re.fullmatch(r"0{2,}", code):
                widths[element.get("numFmtId")] = len(code)
    if not widths:
        return {}
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "cellXfs":
            return {
                at: widths[xf.get("numFmtId")]
                for at, xf in enumerate(element)
                if xf.get("numFmtId") in widths
            }
    return {}


_STYLED_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*)>')


def _note_padded(scan: PartScan, window: bytes, padded: dict) -> None:
    for hit in _STYLED_CELL.finditer(window):
        attrs = hit.group(3)
        style = re.search(rb' s="([0-9]+)"', attrs)
        kind = re.search(rb' t="([a-z]+)"', attrs)
        if style and int(style.group(1)) in padded and (not kind or kind.group(1) == b"n"):
            where = (int(hit.group(2)) - 1, _column_index(hit.group(1)))
            scan.padded[where] = padded[int(style.group(1))]


def _scan_sheet(path: Path, name: str, part, max_rows: int, padded: dict | None = None) -> PartScan:
    """One streaming pass over a worksheet's XML at C speed.

    Refuses a sheet sized to exhaust memory: a single cell at XFD1048576 makes the reader
    allocate 17 billion cells, so cell references beyond column ZZ or row 999,999 are looked
    for before reading. Notes for the fast reader the merged ranges, the number cells fastexcel
    would write differently (with our text) and the text cells that look like its date-times."""
    scan = PartScan()
    tail = b""
    while chunk := part.read(1 << 20):
        window = tail + chunk
        for hit in _FAR.finditer(window):
            ref = hit.group(1) or hit.group(2)
            column = re.match(rb"[A-Z]*", ref).group(0)
            row = int(ref[len(column) :])
            if len(column) >= 3 or row > max_rows + 1000:
                raise InputError(
                    "error.far_cell",
                    file=path,
                    part=name,
                    cell=ref.decode(),
                    columns=MAX_COLUMNS_LABEL,
                    limit=f"{max_rows:,}",
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
        if padded:
            _note_padded(scan, window[max(len(tail) - 256, 0) :], padded)
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


def _note_number(scan: PartScan, window: bytes, at: int, seen: int) -> None:
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


def _note_text(scan: PartScan, window: bytes, end: int) -> None:
    begin = window.rfind(b">", 0, end) + 1
    if not _TYPED_TEXT.fullmatch(window[begin:end]):
        return
    cell = _cell_at(window, begin)
    if cell is None:
        scan.unplaced = True
    elif cell[1] in _TEXT_KINDS:
        scan.keep.add(cell[0])


def texts_like_shown(path: Path, part_name: str) -> set:
    """Text cells "true", "false" or "-0" in a worksheet: read again only when the sheet has
    such text at all (rare), since typed cells give the same text in fastexcel's output."""
    scan = PartScan()
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


def check_ole(path: Path) -> None:
    """An OLE file holding 'EncryptedPackage' is a password-protected xlsx."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        if m.find(marker) != -1:
            raise InputError("error.password", file=path)
