"""Find the tables in the input files: header row, column mapping, table kind, totals rows.

In: sheets of text from aging.readers (Arrow string columns) and the config's reading/columns
sections. Out: `RawTable`s, each a DataFrame of text with canonical column names plus `src_row`
(the 1-based row number in the file), the totals rows found in it (control totals, never data),
and the title lines above the header (where a report date may stand). Raises `InputError` when
a file holds no table the run can use, naming the file and what was missing.

The frame is built from the sheet's columns without a Python object per cell (a million-line
ledger is a few Arrow operations); only the rows that may be header, totals or customer section
rows are looked at one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aging.errors import InputError
from aging.reading.fields import map_headers, normalise_header, synonym_index
from aging.reading.files import read_file
from aging.reading.sheet import Sheet

# What a header row must contain to count as each kind of table.
REQUIRED = {
    "ledger": (
        {"customer_id", "customer_name"},
        {"amount", "debit", "credit", "open_amount"},
    ),
    "customers": (
        {"customer_id"},
        {
            "name",
            "manager",
            "credit_limit",
            "credit_rating",
            "status",
            "cooperation",
            "terms_days",
            "settlement",
            "distance_km",
        },
    ),
    "contacts": ({"customer_id"}, {"channel", "outcome", "promise_date"}),
    "fx": ({"currency"}, {"rate"}),
}
# Sheet-name hints that settle a tie between kinds.
SHEET_HINTS = {
    "customers": ("customer", "master", "客户资料", "客户档案", "客户主数据"),
    "contacts": ("contact", "催收", "联系", "log"),
    "fx": ("fx", "rate", "汇率"),
    "ledger": ("ledger", "ar", "应收", "明细", "open items"),
}

# Totals rows: a cell that is (or starts) one of these words. Grand totals vs subtotals.
_GRAND = re.compile(
    r"(?i)^\s*(\*{2,}|总计|总合计|合计|共计|grand\s*total|total|sum|report\s*total)\s*[:：]?\s*$"
)
_SUB = re.compile(
    r"(?i)^\s*(\*|小计|本页合计|本日合计|本月合计|本期合计|subtotal|sub-total|total\s+for\b.*"
    r"|total\s+\S.*)\s*[:：]?\s*$"
)
# Cumulative lines (year to date) sum rows outside this table: kept out of the data, not checked.
_CUMULATIVE = re.compile(r"(?i)^\s*(本年累计|累计|year\s*to\s*date|ytd)\s*[:：]?\s*$")
# A closing balance states what the rows above net to.
_CLOSING = re.compile(r"(?i)^\s*(期末余额|closing\s*balance|ending\s*balance)\s*[:：]?\s*$")


@dataclass(frozen=True)
class TotalRow:
    row: int  # 1-based row in the file
    level: str  # "grand" | "sub" | "cumulative" | "closing"
    label: str  # the cell that said so
    values: dict  # canonical column -> raw text (money and currency cells)


@dataclass(frozen=True)
class RawTable:
    kind: str
    file: str
    sheet: str
    header_row: int
    headers: dict  # canonical -> header as written
    frame: pd.DataFrame  # canonical text columns + src_row (int) + block (totals rows above)
    totals: list = field(default_factory=list)  # TotalRow, in file order
    titles: list = field(default_factory=list)  # text of the rows above the header


def load_tables(path: Path, wanted: str | None, config) -> list[RawTable]:
    """Every usable table in one file. `wanted` forces a kind (--customers FILE etc.)."""
    sheets = read_file(
        path,
        max_rows=config.reading.max_rows,
        max_unzipped_mb=config.reading.max_unzipped_mb,
    )
    indexes = {kind: synonym_index(kind, getattr(config.columns, kind)) for kind in REQUIRED}
    tables = []
    for sheet in sheets:
        found = find_header(sheet, indexes, wanted, config.reading.header_scan_rows)
        if found is not None:
            kind, header_at, mapping = found
            tables.append(build_table(sheet, kind, header_at, mapping))
    if not tables:
        need = wanted or "ledger"
        ids, amounts = REQUIRED[need]
        raise InputError(
            f"{path}: no header row found in the first {config.reading.header_scan_rows} rows "
            f"of any sheet with a {need} table (needs one of {_names(ids)} and one of "
            f"{_names(amounts)})"
        )
    return tables


def _names(fields: set) -> str:
    return "/".join(sorted(fields))


def find_header(sheet: Sheet, indexes: dict, wanted: str | None, scan_rows: int):
    """(kind, row index, mapping) of the best header row in the first scan_rows rows, or None."""
    best = None
    for at, row in enumerate(sheet.head(scan_rows)):
        for kind, index in indexes.items():
            if wanted and kind != wanted:
                continue
            mapping = map_headers(row, index)
            ids, others = REQUIRED[kind]
            # A ledger may name its customer in section rows above each block instead of a
            # column ("客户: 上海宏达…", QuickBooks' customer lines): a document column then
            # stands in for the customer column.
            if kind == "ledger" and not ids & mapping.keys():
                ids = {"doc_no", "doc_date"}
            # A contact log has the date of each contact; a worklist with a "Channel" and a
            # "Next contact date" column is not one.
            if kind == "contacts" and "contact_date" not in mapping:
                continue
            if not (ids & mapping.keys()) or not (others & mapping.keys()):
                continue
            score = (len(mapping), _hint(sheet.name, kind), -at)
            if best is None or score > best[0]:
                best = (score, kind, at, mapping)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _hint(sheet_name: str, kind: str) -> int:
    name = sheet_name.lower()
    return int(any(word in name for word in SHEET_HINTS[kind]))


def build_table(sheet: Sheet, kind: str, header_at: int, mapping: dict) -> RawTable:
    header = sheet.row(header_at)
    start = header_at + 1
    body = _Body(sheet, start)
    columns = {name: body.stripped(pos) for name, pos in mapping.items()}
    headers = {name: header[pos] for name, pos in mapping.items()}
    nonblank = body.nonblank(mapping.values())
    section = None
    if kind == "ledger" and not {"customer_id", "customer_name"} & mapping.keys():
        section = section_customers(body, mapping, nonblank)
        columns["customer_id"], columns["customer_name"] = section[0], section[1]
        headers["customer_id"] = headers["customer_name"] = "(customer section rows)"
    frame = pd.DataFrame({name: _series(values) for name, values in columns.items()})
    frame["src_row"] = range(start + 1, start + 1 + body.height)
    nonblank = pd.Series(nonblank, index=frame.index, dtype=bool)
    totals_mask, totals = _totals_rows(frame, body, kind) if kind == "ledger" else (None, [])
    keep = nonblank if totals_mask is None else nonblank & ~totals_mask
    if section is not None:
        keep &= ~pd.Series(section[2], index=frame.index)
    # block k = the data rows between totals row k-1 and totals row k (what subtotal k sums).
    frame["block"] = 0 if totals_mask is None else totals_mask.cumsum().astype("int64")
    frame = frame[keep].reset_index(drop=True)
    titles = [" ".join(c for c in r if c.strip()) for r in sheet.head(header_at)]
    return RawTable(
        kind=kind,
        file=sheet.file,
        sheet=sheet.name,
        header_row=header_at + 1,
        headers=headers,
        frame=frame,
        totals=totals,
        titles=[t for t in titles if t],
    )


class _Body:
    """The rows below the header, column by column; each column stripped once, when asked."""

    def __init__(self, sheet: Sheet, start: int):
        self.sheet = sheet
        self.start = start
        self.height = max(sheet.height - start, 0)
        self._stripped: dict[int, pa.Array] = {}

    def raw(self, pos: int) -> pa.Array:
        return self.sheet.column(pos).slice(self.start)

    def stripped(self, pos: int) -> pa.Array:
        if pos not in self._stripped:
            # Arrow trims exactly the characters str.strip() does (Unicode whitespace).
            self._stripped[pos] = pc.utf8_trim_whitespace(self.raw(pos))
        return self._stripped[pos]

    def filled(self, pos: int) -> np.ndarray:
        return pc.not_equal(self.stripped(pos), "").to_numpy(zero_copy_only=False)

    def nonblank(self, first) -> np.ndarray:
        """Rows with any cell that is not blank (any column, mapped or not)."""
        found = np.zeros(self.height, dtype=bool)
        order = list(dict.fromkeys([*first, *range(self.sheet.width)]))
        for pos in order:
            if found.all():
                break
            rest = np.flatnonzero(~found)
            if len(rest) == self.height:
                found |= self.filled(pos)
                continue
            cells = pc.utf8_trim_whitespace(self.raw(pos).take(pa.array(rest)))
            found[rest] |= pc.not_equal(cells, "").to_numpy(zero_copy_only=False)
        return found

    def rows(self, at) -> list[list[str]]:
        """Whole rows (unstripped, every column) at these body positions."""
        return self.sheet.rows(np.asarray(at, dtype=np.int64) + self.start)


def _series(values) -> pd.Series:
    if isinstance(values, pa.Array):
        return values.to_pandas()
    return pd.Series(values, dtype="str")


_MONEY_COLUMNS = ("amount", "debit", "credit", "open_amount", "paid_amount", "credited_amount")


_SECTION = re.compile(
    r"(?i)^\s*(客户名称|客户编码|客户|往来单位|单位名称|customer|client|debtor|account)\s*[:：]\s*(.+)$"
)
_CODE_THEN_NAME = re.compile(r"^([A-Za-z]*\d[\w.-]*)\s+(\S.*)$")


def section_customers(body: _Body, mapping: dict, nonblank: np.ndarray):
    """Customer id and name per row from section rows, and which rows are section rows.

    A section row holds one or two filled cells and no document: either "客户: C001 上海宏达"
    or, as QuickBooks writes it, the customer's name alone in the first column. Only rows with
    something filled and no amount can be one; those few are read whole.
    """
    money = [mapping[c] for c in _MONEY_COLUMNS if c in mapping]
    candidate = nonblank.copy()
    for pos in money:
        candidate &= ~body.filled(pos)
    at = np.flatnonzero(candidate)
    is_section = np.zeros(body.height, dtype=bool)
    ids, names = [""], [""]  # customer before the first section row: none
    for row_at, row in zip(at, body.rows(at), strict=True):
        label = _section_label(row)
        if label is not None:
            split = _CODE_THEN_NAME.match(label)
            ids.append(split.group(1) if split else label)
            names.append(split.group(2) if split else label)
            is_section[row_at] = True
    # each row belongs to the latest section row at or above it
    latest = pa.array(np.cumsum(is_section))
    return pa.array(ids).take(latest), pa.array(names).take(latest), is_section


def _section_label(row: list) -> str | None:
    """The customer a section row names (its money cells are known to be blank), or None."""
    filled = list(dict.fromkeys(c for c in row if c.strip()))  # merged cells repeat
    if not 1 <= len(filled) <= 2:
        return None
    hit = _SECTION.match(filled[0])
    if hit:
        return hit.group(2).strip()
    if len(filled) == 1 and row[0].strip() and _total_label(row) is None:
        return row[0].strip()
    return None


# A cell that names a totals row contains one of these (a superset of the patterns below, for
# picking the rows worth reading whole; Arrow folds case as Python's re does, "ſ" included).
_TOTAL_WORDS = r"\*|合计|总计|共计|小计|累计|期末余额|total|sum|ytd|year|balance"


def _totals_rows(frame: pd.DataFrame, body: _Body, kind: str):
    """Rows with a cell saying total/subtotal and no document date or number: control totals."""
    # Only rows lacking a document date or number, or whose date cell is not a date, can be
    # totals rows, and only those with a totals word in some cell; those few are read whole.
    candidate = pd.Series(True, index=frame.index)
    if "doc_date" in frame:
        candidate = frame["doc_date"].eq("") | ~frame["doc_date"].str.match(r"[0-9]")
        if "doc_no" in frame:
            candidate |= frame["doc_no"].eq("")
    at = np.flatnonzero(candidate.to_numpy())
    if len(at):
        worded = np.zeros(len(at), dtype=bool)
        taken = pa.array(at)
        for pos in range(body.sheet.width):
            cells = body.raw(pos).take(taken)
            worded |= pc.match_substring_regex(cells, _TOTAL_WORDS, ignore_case=True).to_numpy(
                zero_copy_only=False
            )
        at = at[worded]
    is_total = pd.Series(False, index=frame.index)
    totals = []
    money = [c for c in (*_MONEY_COLUMNS, "currency", "direction") if c in frame]
    for row_at, cells in zip(at, body.rows(at), strict=True):
        found = _total_label(cells)
        if found is None:
            continue
        is_total[row_at] = True
        row = frame.loc[row_at]
        totals.append(
            TotalRow(
                row=int(row["src_row"]),
                level=found[0],
                label=found[1],
                values={c: row[c] for c in money if row[c] != ""},
            )
        )
    return is_total, totals


def _total_label(cells: list) -> tuple[str, str] | None:
    for cell in cells:
        if not cell or len(cell) > 60:
            continue
        for level, pattern in (
            ("cumulative", _CUMULATIVE),
            ("closing", _CLOSING),
            ("grand", _GRAND),
            ("sub", _SUB),
        ):
            if pattern.match(cell):
                return level, cell.strip()
    return None


_DATE_IN_TITLE = re.compile(
    r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[./]\d{1,2}[./]\d{4}|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}|"
    r"\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4})"
)


def title_dates(titles: list[str]) -> list[str]:
    """Date-looking tokens in the title rows ('期间: 2023-11-01 至 2026-10-31')."""
    found = []
    for line in titles:
        found.extend(_DATE_IN_TITLE.findall(line))
    return found


def header_key(text: str) -> str:
    return normalise_header(text)
