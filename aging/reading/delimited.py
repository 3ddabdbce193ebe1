"""Read CSV (and other delimited text) into a `Sheet`.

In: a path that is not a workbook. Out: one `Sheet`. Encodings: UTF-8 with or without BOM,
GB18030 (which also reads GBK/GB2312), UTF-16 with a BOM; delimiters , ; tab | (`dialect_of`:
the one that splits the most lines into the same number of fields, so a title line above the
table does not hide it). pyarrow's reader when every row has the same number of fields, else
the csv module. Raises `InputError` for text that is neither, or a file that is not CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
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
    dialect = dialect_of(text)
    sheet = _read_csv_fast(path, raw, text, dialect)
    if sheet is None:
        sheet = sheet_from_rows(str(path), "", _csv_rows(path, text, dialect))
    if sheet.height > max_rows + 1000:
        raise InputError("error.too_many_rows", file=path, rows=f"{sheet.height:,}")
    return sheet


# In the order they win a tie: a tab or semicolon file splits on the commas inside its amounts
# (8,750.00; 1.234,56) just as often as on its own delimiter, never more often.
DELIMITERS = "\t;|,"
SAMPLE_CHARS = 65536


def dialect_of(text: str):
    """The dialect of the text: the delimiter that gives the most lines with one same number
    (>1) of fields, ties to the earlier of tab ; | , (a title line, an account block or a footer
    has its own field count and is outvoted by the table's lines; csv.Sniffer gives up on
    them and would fall back to the comma). Quoting as the Sniffer finds it, when it can."""
    sample = text[:SAMPLE_CHARS]
    votes = {d: _same_width_lines(sample, d, len(text) > SAMPLE_CHARS) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (votes[d], -DELIMITERS.index(d)))
    if not votes[best]:
        best = ","  # one field per line: any delimiter reads it the same
    try:
        return csv.Sniffer().sniff(sample, delimiters=best)
    except csv.Error:
        return type("delimited", (csv.excel,), {"delimiter": best})  # csv.excel, another delimiter


def _same_width_lines(sample: str, delimiter: str, cut: bool) -> int:
    """How many lines of the sample share the commonest field count above one."""
    widths: Counter = Counter()
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            widths[len(row)] += 1
    except csv.Error:
        pass  # an unterminated quote at the end of the sample: the lines before still count
    if cut and widths:
        widths[len(row)] -= 1  # the sample's last line is cut short
    return max((n for width, n in widths.items() if width > 1), default=0)


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
    try:
        return raw.decode("utf-8-sig").replace("\x00", "")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
        if not _latin_in_disguise(text):
            return text.replace("\x00", "")
    except UnicodeDecodeError:
        pass
    try:  # Excel's "CSV (Comma delimited)" on a Western Windows: Müller, £, €
        return raw.decode("cp1252").replace("\x00", "")
    except UnicodeDecodeError:
        raise InputError("error.encoding", file=path) from None


# One CJK character between two Latin letters ("M黮ler", "F鋖lig am"): an accented Latin
# letter and the byte after it read as one GB18030 character. Chinese text has its characters
# in runs, not one at a time inside Latin words.
_SANDWICHED = re.compile(r"(?<=[A-Za-z])[\u3400-\u9fff\uac00-\ud7af](?=[A-Za-z])")
_WIDE = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")


def _latin_in_disguise(text: str) -> bool:
    """GB18030 decoded a Windows-1252 file without an error: most of its CJK characters sit
    one at a time inside Latin words."""
    wide = len(_WIDE.findall(text))
    return wide > 0 and len(_SANDWICHED.findall(text)) >= max(1, 0.3 * wide)
