"""Read any input file into sheets of text: the format from the file's bytes, not its name.

In: a path to .xlsx/.xlsm/.xls/.ods/.csv/.parquet. Out: `Sheet`s (aging.reading.sheet). Raises
`InputError` with a one-line reason for a missing, encrypted, oversized or hostile file. Each
format has its own module: workbooks, delimited (CSV), parquet; safety checks every zip or OLE
file before a parser sees it.
"""

from __future__ import annotations

from pathlib import Path

from aging.errors import InputError
from aging.reading.delimited import read_csv
from aging.reading.parquet import read_parquet
from aging.reading.safety import OLE_MAGIC, PARQUET_MAGIC, ZIP_MAGIC, check_ole, check_zip
from aging.reading.sheet import Sheet
from aging.reading.workbooks import read_workbook

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".parquet"}


def read_file(path: Path, *, max_rows: int, max_unzipped_mb: int) -> list[Sheet]:
    """All sheets of one file as text."""
    if not path.exists():
        raise InputError("error.file_not_found", file=path)
    if path.is_dir():
        raise InputError("error.is_folder", file=path)
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = sniff_kind(path, head)
    if kind == "csv":
        return [read_csv(path, max_rows)]
    if kind == "parquet":
        return [read_parquet(path, max_rows, max_unzipped_mb)]
    book = None
    if kind == "zip":
        book = check_zip(path, max_unzipped_mb, max_rows)
    if kind == "ole":
        check_ole(path)
    return read_workbook(path, max_rows, book)


def sniff_kind(path: Path, head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        what = "parquet" if path.suffix.lower() == ".parquet" else "spreadsheet"
        raise InputError(f"error.not_{what}", file=path, suffix=path.suffix)
    return "csv"
