"""Read CSV (and other delimited text) into a `Sheet`.

In: a path that is not a workbook. Out: one `Sheet`. Encodings: UTF-8 with or without BOM,
GB18030 (which also reads GBK/GB2312), UTF-16 with a BOM; delimiters , ; tab |. pyarrow's
reader when every row has the same number of fields, else the csv module. Raises `InputError`
for text that is neither, or a file that is not CSV.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from aging.errors import InputError
from aging.reading.sheet import (
    MAX_CSV_FIELD,
    Sheet,
    make_sheet,
    sheet_from_rows,
)


def read_csv(path: Path, max_rows: int) -> Sheet:
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
        raise InputError("error.too_many_rows", file=path, rows=f"{sheet.height:,}")
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
    if (len(data) != len(text) and not _is_utf8(data)) or b"\x00" in data:
        data = text.encode("utf-8")  # the decoded text: GB18030 re-encoded, NUL bytes gone
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
        raise InputError("error.csv_unreadable", file=path, detail=exc) from None


def decode_text(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which also reads GBK/GB2312), UTF-16 with a
    BOM. A stray NUL byte (a memo pasted from another system) is dropped: it carries no text
    and no workbook can hold it; a file full of them is binary, not CSV."""
    head = raw[:4096]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16").replace("\x00", "")
    if head.count(b"\x00") > max(2, len(head) // 100):
        raise InputError("error.binary", file=path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).replace("\x00", "")
        except UnicodeDecodeError:
            continue
    raise InputError("error.encoding", file=path)
