"""Read a Parquet ledger into a `Sheet`: the column names are row 1.

In: a path with Parquet's magic bytes. Out: one `Sheet`, each column turned into text by
`cell_text`'s rules. Rows, columns and the unpacked size are checked from the footer before
any data is read. Raises `InputError`.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from aging.errors import InputError
from aging.reading.sheet import (
    MAX_COLUMNS,
    MAX_COLUMNS_LABEL,
    Sheet,
    arrow_text,
    first_line,
    make_sheet,
)


def read_parquet(path: Path, max_rows: int, max_unzipped_mb: int) -> Sheet:
    """A Parquet ledger: the column names are row 1, the values the rows below, each turned
    into text by `cell_text`'s rules. Rows, columns and the unpacked size are checked from the
    footer before any data is read, the size of the text before it is decoded."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
    except Exception as exc:
        raise InputError("error.parquet_damaged", file=path, detail=first_line(exc)) from None
    unpacked = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    if unpacked > max_unzipped_mb * 1024 * 1024:
        raise InputError("error.parquet_bomb", file=path, mib=unpacked // 1_048_576)
    if meta.num_rows > max_rows + 1000:
        raise InputError("error.too_many_rows", file=path, rows=f"{meta.num_rows:,}")
    if meta.num_columns > MAX_COLUMNS:
        raise InputError(
            "error.too_many_columns", file=path, count=meta.num_columns, limit=MAX_COLUMNS_LABEL
        )
    try:
        # Text columns stay dictionary-encoded until their size is known: a few distinct
        # values repeated a million times are small on disk and in the footer, not in memory.
        schema = pq.read_schema(path)
        texts = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_binary(f.type)]
        table = pq.read_table(path, read_dictionary=texts)
    except Exception as exc:
        raise InputError("error.parquet_unreadable", file=path, detail=first_line(exc)) from None
    expanded = sum(_expanded_bytes(table.column(at)) for at in range(table.num_columns))
    if expanded > max_unzipped_mb * 1024 * 1024:
        raise InputError("error.parquet_bomb", file=path, mib=expanded // 1_048_576)
    columns = {}
    try:
        for at, name in enumerate(table.column_names):
            texts = [arrow_text(chunk) for chunk in table.column(at).chunks]
            columns[at] = pa.concat_arrays([pa.array([str(name)], pa.string()), *texts])
    except pa.ArrowException as exc:
        raise InputError("error.parquet_unreadable", file=path, detail=first_line(exc)) from None
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
