"""The reading stage: input files -> tables of text with canonical column names.

- `files.read_file`: any file -> `Sheet`s of text (format from the bytes: `workbooks`,
  `delimited`, `parquet`; `safety` checks zip and OLE files first; `sheet` holds the
  cell-to-text rule).
- `tables.load_tables`: sheets -> `RawTable`s: the header row, the column mapping, the table
  kind, and the rows that are not data (totals, customer sections, headings, footers).
- `fields`: the canonical fields and the words that name them.
"""
