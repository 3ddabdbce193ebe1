"""Which rows under a header are data, and which are totals or layout.

In: the body of a ledger table (the rows below its header, column by column), its column
mapping, the header row and title lines, and the ERP profile that applied. Out: `RowKinds`:
per row data / totals / layout / blank, the totals rows with their figures (control totals the
run reconciles to), the layout rows with their kind (customer `section`, `heading`,
`page_header`, `footer`) and text, the customer that section rows give each row, and the rows
that looked like totals but were kept as data (a warning each).

DESIGN: a totals row is recognised by being one — a label in a label position, no document
identity, an amount that closes the rows above — never by a word anywhere in the row; when
unsure, the row is data and a warning says so. Only the few rows that lack an amount or a
document number are read whole; the rest stay Arrow columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aging.parse import parse_amounts
from aging.reading.fields import (
    DOC_TYPE_WORDS,
    fold_traditional,
    han_forms,
    is_age_band,
    normalise_header,
)
from aging.reading.sheet import Sheet

MONEY_FIELDS = (
    "amount", "debit", "credit", "open_amount", "paid_amount", "credited_amount",
    "amount_local", "open_amount_local", "debit_local", "credit_local", "running_balance",
)  # fmt: skip
LABEL_FIELDS = ("customer_id", "customer_name", "doc_no")  # where a totals label may stand

# Chinese reports pad labels with spaces to centre them ('小　计', '合    计', '制 表 人'):
# the words below are matched on the cell with the spaces between Chinese characters taken out.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_GAP = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def squeeze(text: str) -> str:
    """The text with the whitespace between two Chinese characters removed ('小　计' -> '小计'),
    traditional characters folded ('小計' -> '小计')."""
    return fold_traditional(_HAN_GAP.sub("", text))


# Totals labels, whole cell: grand totals, subtotals, cumulative (year to date) and closing
# balance lines. "Total <x>" forms are subtotals when <x> names what they close.
_GRAND = re.compile(
    r"(?i)^\s*(\*{2,}|总计|总合计|合计|共计|累计合计|grand\s*totals?|total|sum|report\s*total|"
    r"total\s+amount|totals)\s*[:：]?\s*$"
)
_SUB = re.compile(
    r"(?i)^\s*(\*|小计|本页合计|本日合计|本月合计|本期合计|subtotal|sub-total)\s*[:：]?\s*$"
)
_CUMULATIVE = re.compile(r"(?i)^\s*(本年累计|累计|year\s*to\s*date|ytd)\s*[:：]?\s*$")
_CLOSING = re.compile(r"(?i)^\s*(期末余额|closing\s*balance|ending\s*balance)\s*[:：]?\s*$")
_NAMED = re.compile(
    r"(?i)^\s*(?:(?:total|subtotal|sub-total|sum)(?:\s+for)?\s*[:：]?\s+(?P<a>.+?)|"
    r"(?P<b>.+?)\s*[(（]?\s*(?:total|subtotal|合计|小计)\s*[)）]?|(?:合计|小计)\s*[:：]\s*(?P<c>.+?))\s*$"
)
# Words a totals-ish cell contains (a superset of the patterns above, for the Arrow prefilter);
# RE2 has no look-around, so the Chinese words allow any spaces between their characters.
_ARROW_GAP = r"[\s\p{Z}]*"


def _spaced(word: str, gap: str = _ARROW_GAP) -> str:
    """A Chinese word as a pattern that allows spaces between its characters (RE2 by default:
    Arrow has no look-around to take them out first)."""
    if not re.fullmatch(f"[{_HAN}]+", word):
        return word
    return gap.join(f"[{han_forms(c)}]" if len(han_forms(c)) > 1 else c for c in word)


_TOTAL_WORDS = (
    "|".join(
        _spaced(w)
        for w in (r"\*", "合计", "总计", "共计", "小计", "累计", "期末余额", "total", "sum", "ytd")
    )
    + "|year|balance"
)
# A footer key whose value may stand in the next cell ('制表人： | 张三 | 审核人： | 李四').
_FOOTER_WORDS = (
    "制表人", "制表", "制单人", "制单", "编制人", "审核人", "审核", "复核人", "复核", "审批人",
    "打印日期", "打印时间", "打印人", "记账人", "记账", "出纳", "会计主管", "财务主管",
    "财务负责人", "单位负责人", "经办人", "操作员",
    r"prepared\s+by", r"approved\s+by", r"checked\s+by", r"reviewed\s+by",
    r"printed(?:\s+(?:by|on|at))?", r"print\s+(?:date|time)", r"run\s+date", r"report\s+date",
)  # fmt: skip
_FOOTER_KEYS = "|".join(_FOOTER_WORDS)
_FOOTER_KEY = re.compile(rf"(?i)^\s*(?:{_FOOTER_KEYS})\s*[:：]?\s*$")  # the key alone
_FOOTER_PAIR = re.compile(rf"(?i)^\s*(?:{_FOOTER_KEYS})\s*[:：]\s*\S")  # key: value
_ARROW_FOOTER_KEY = (
    f"(?i)^{_ARROW_GAP}(?:" + "|".join(map(_spaced, _FOOTER_WORDS)) + f"){_ARROW_GAP}([:：]|$)"
)
_FOOTER = re.compile(
    r"(?i)(制表|制单|审核|复核|打印|记账人|出纳|会计主管|财务负责人|单位负责人|经办人|操作员|"
    r"\bpage\s*\d+|第\s*\d+\s*页|共\s*\d+\s*页|\bprinted\b|\bprint date\b|\brun date\b|"
    r"\bgenerated\b|\bprepared by\b|\bapproved by\b|\breport date\b|\b\d{1,2}:\d{2}(:\d{2})?\s*"
    r"(am|pm)?\b|\bgmt\b|\butc\b)"
)
# A customer section heading: '客户：00123 北京华联', '核算项目：[00123]北京华联', 'Customer: C001 - Acme'.
_SECTION_KEYS = (
    "客户名称", "客户编码", "客户代码", "客户编号", "客户", "往来单位名称", "往来单位编码",
    "往来单位", "单位名称", "核算项目名称", "核算项目代码", "核算项目", "购货单位", "购买方",
    "单位", r"customer(?:\s+(?:name|no\.?|number|code|id|account))?", "client", "debtor",
    "debitor", "kunde", r"account(?:\s+(?:name|no\.?|number))?", "party", "partner",
)  # fmt: skip
_SECTION = re.compile(
    r"(?i)^\s*(" + "|".join(_spaced(w, gap=r"\s*") for w in _SECTION_KEYS) + r")\s*[:：]\s*(.+)$"
)
# '单位：元', '金额单位：万元': the unit of the figures, never a customer
_NOT_A_CUSTOMER = re.compile(r"^(人民币)?(万|千|百万)?元$|^(rmb|cny)$", re.IGNORECASE)
_UNIT_LINE = re.compile(r"^\s*(金额)?单\s*位\s*[:：]\s*(人民币)?(万|千|百万)?元\s*$")


def _section_heading(text: str) -> str | None:
    """The value of a customer section heading ('核算项目：00123 北京华联' -> '00123 北京华联')."""
    hit = _SECTION.match(text)
    if hit is None or _NOT_A_CUSTOMER.match(hit.group(2).strip()):
        return None
    return hit.group(2).strip()


_PAGE = re.compile(
    r"(?i)^(第\s*\d+\s*页\s*[/,，]?\s*(共\s*\d+\s*页)?|共\s*\d+\s*页|page\s*\d+(\s*(of|/)\s*\d+)?)$"
)
_OPENING = re.compile(
    r"(?i)^\s*(期初余额|期初|上期结转|上年结转|opening\s*balance|balance\s*forward|b/f)"
)
# A customer code: letters, digits, '.', '-', '_' with a digit in it, ending in a letter or digit.
_CODE = r"(?=[A-Za-z._-]*\d)[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_CODE_AND_NAME = (
    re.compile(rf"^[\[【(（]\s*({_CODE})\s*[\]】)）]\s*[-–—:：]?\s*(\S.*)$"),  # [00123]北京华联
    re.compile(rf"^({_CODE})(?:\s*[-–—:：/|]\s*|\s+)(\S.*)$"),  # 00123 北京华联, 00123 - 北京华联
    re.compile(
        rf"^(?P<name>\S.*?)\s*[\[【(（]\s*(?P<code>{_CODE})\s*[\]】)）]$"
    ),  # 北京华联(00123)
)


_QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”"}


def unquoted(text: str) -> str:
    """The text without the quotes around it ("'Total'" -> "Total")."""
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def split_code_name(label: str) -> tuple[str, str]:
    """(code, name) of a customer heading's value; ('', label) when it gives no code."""
    label = label.strip()
    for pattern in _CODE_AND_NAME:
        hit = pattern.match(label)
        if hit:
            if "code" in pattern.groupindex:
                return hit.group("code"), hit.group("name").strip()
            return hit.group(1), hit.group(2).strip()
    if re.fullmatch(_CODE, label):
        return label, ""
    return "", label


DATA, TOTAL, LAYOUT, BLANK = 0, 1, 2, 3


@dataclass(frozen=True)
class TotalRow:
    row: int  # 1-based row in the file
    level: str  # "grand" | "sub" | "cumulative" | "closing"
    label: str  # the cell that said so
    values: dict  # canonical column -> raw text (money and currency cells)


@dataclass(frozen=True)
class LayoutRow:
    row: int  # 1-based row in the file
    kind: str  # section | heading | page_header | footer | line
    text: str


@dataclass
class RowKinds:
    kind: np.ndarray  # per body row: DATA, TOTAL, LAYOUT or BLANK
    totals: list = field(default_factory=list)  # TotalRow, file order
    layout: list = field(default_factory=list)  # LayoutRow, file order
    looked_like_totals: list = field(default_factory=list)  # (row, label, header): kept as data
    section_ids: pa.Array | None = None  # customer per row from section rows (None: no sections)
    section_names: pa.Array | None = None


class Body:
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


def classify_rows(
    body: Body, mapping: dict, header: list, titles: list, profile, above: list = ()
) -> RowKinds:
    """Sort every body row of a ledger into data, totals, layout or blank (see module doc).
    `above`: the rows above the header, where the first customer block may open."""
    nonblank = body.nonblank(mapping.values())
    money = [mapping[c] for c in MONEY_FIELDS if c in mapping]
    has_money = np.zeros(body.height, dtype=bool)
    for pos in money:
        has_money |= _figures(body, pos)
    repeated = _repeated_header(body, mapping, header)
    has_doc = body.filled(mapping["doc_no"]) if "doc_no" in mapping else None
    # Only rows lacking an amount, or lacking a document number and holding a totals word,
    # can be anything but data; those few are read whole.
    maybe = nonblank & ~has_money
    lacking = nonblank & has_money & (~has_doc if has_doc is not None else True)
    if lacking.any():
        maybe |= _with_totals_word(body, lacking)
        # a row of figures with no document and no customer (ERPNext's unlabelled total)
        for name in ("customer_id", "customer_name"):
            if name in mapping:
                lacking &= ~body.filled(mapping[name])
        if {"customer_id", "customer_name"} & mapping.keys():
            maybe |= lacking
        # figures with no document and no date: a summary line (Sage's "Turnover:")
        undated = nonblank & has_money & (~has_doc if has_doc is not None else True)
        for name in ("doc_date", "due_date"):
            if name in mapping:
                undated &= ~body.filled(mapping[name])
        maybe |= undated
    kinds = np.where(nonblank, DATA, BLANK).astype(np.int8)
    maybe |= repeated | _with_footer_key(body, nonblank & ~maybe)
    at = np.flatnonzero(maybe)
    judge = _Judge(body, mapping, header, titles, profile, has_money, maybe)
    if not {"customer_id", "customer_name"} & mapping.keys():
        judge.open_above(above)
    found = RowKinds(kind=kinds)
    for row_at, cells in zip(at, body.rows(at), strict=True):
        judge.classify(int(row_at), cells, found)
    _trailing_footers(found, body, has_money, mapping.get("doc_no"))
    if not {"customer_id", "customer_name"} & mapping.keys():
        latest = pa.array(np.cumsum(judge.section_at))
        found.section_ids = pa.array(judge.section_ids).take(latest)
        found.section_names = pa.array(judge.section_names).take(latest)
    _line_rows(found, body, mapping)
    return found


# The figures and dates of a document, as opposed to those of one of its lines.
_DOCUMENT_FIELDS = ("customer_id", "customer_name", "doc_no", "currency", "doc_date", "due_date",
                    "amount", "open_amount", "amount_local", "open_amount_local")  # fmt: skip


def _line_rows(found: RowKinds, body: Body, mapping: dict) -> None:
    """An open-items export with one row per line item (Zoho Books' invoice export): the rows
    after the first of a document that repeat its customer, number, dates and figures (its
    total and open balance) are its lines, layout rows, so its balance counts once. A row
    repeated whole is no line (a duplicate, warned about later), nor is one whose figures or
    dates differ (another document with the same number)."""
    if "doc_no" not in mapping or not {"open_amount", "open_amount_local"} & mapping.keys():
        return
    data = np.flatnonzero(found.kind == DATA)
    if len(data) < 2:
        return
    taken = pa.array(data)
    keys = {f: body.stripped(mapping[f]).take(taken).to_numpy(zero_copy_only=False)
            for f in _DOCUMENT_FIELDS if f in mapping}  # fmt: skip
    if found.section_ids is not None:
        keys["section"] = found.section_ids.take(taken).to_numpy(zero_copy_only=False)
    frame = pd.DataFrame(keys)
    repeats = frame.duplicated() & frame["doc_no"].ne("")
    if not repeats.any():
        return
    whole = pd.DataFrame(
        {
            pos: body.stripped(pos).take(taken).to_numpy(zero_copy_only=False)
            for pos in range(body.sheet.width)
        }  # fmt: skip
    )
    lines = data[(repeats & ~whole.duplicated()).to_numpy()]
    if not len(lines):
        return
    found.kind[lines] = LAYOUT
    for at, cells in zip(lines, body.rows(lines), strict=True):
        found.layout.append(LayoutRow(int(at) + body.start + 1, "line", _text(cells)))
    found.layout.sort(key=lambda r: r.row)


_WORDS = r"[A-Za-z\p{Han}]"  # RE2 (Arrow) syntax
_MONEY_WORDS = r"(?i)\b(cr|dr|rmb|cny|usd|eur|gbp|hkd|jpy|us)\b|元|借$|贷$"


def _figures(body: Body, pos: int) -> np.ndarray:
    """Cells holding a figure: a digit, and no words but a currency or CR/DR ('打印日期:
    2026-11-02' or a repeated header 'Amount' in an amount column is no figure)."""
    filled = body.filled(pos)
    cells = body.stripped(pos)
    worded = pc.match_substring_regex(cells, _WORDS).to_numpy(zero_copy_only=False)
    check = np.flatnonzero(filled & worded)
    if len(check):
        texts = pc.replace_substring_regex(cells.take(pa.array(check)), _MONEY_WORDS, "")
        still = pc.match_substring_regex(texts, _WORDS).to_numpy(zero_copy_only=False)
        filled[check[still]] = False
    digits = pc.match_substring_regex(cells, "[0-9０-９]").to_numpy(zero_copy_only=False)
    return filled & digits


def _repeated_header(body: Body, mapping: dict, header: list) -> np.ndarray:
    """Rows repeating the header (a page break in a printed export)."""
    same = np.zeros(body.height, dtype=np.int8)
    named = [(pos, header[pos].strip()) for pos in mapping.values() if header[pos].strip()]
    for pos, text in named:
        last = text.split(" / ")[-1]  # a two-row header repeats its lower row
        hit = pc.or_(pc.equal(body.stripped(pos), text), pc.equal(body.stripped(pos), last))
        same += hit.to_numpy(zero_copy_only=False).astype(np.int8)
    return same >= max(2, int(0.6 * len(named) + 0.5))


def _with_totals_word(body: Body, rows: np.ndarray) -> np.ndarray:
    at = np.flatnonzero(rows)
    worded = np.zeros(len(at), dtype=bool)
    taken = pa.array(at)
    for pos in range(body.sheet.width):
        cells = body.raw(pos).take(taken)
        worded |= pc.match_substring_regex(cells, _TOTAL_WORDS, ignore_case=True).to_numpy(
            zero_copy_only=False
        )
    out = np.zeros(body.height, dtype=bool)
    out[at[worded]] = True
    return out


def _with_footer_key(body: Body, rows: np.ndarray) -> np.ndarray:
    """Rows with a cell that starts with a footer key ('制表人：', 'Printed on'): a print
    footer may stand under any column, its printed date under a money column."""
    found = np.zeros(body.height, dtype=bool)
    if not rows.any():
        return found
    for pos in range(body.sheet.width):
        hit = pc.match_substring_regex(body.raw(pos), _ARROW_FOOTER_KEY)
        found |= hit.to_numpy(zero_copy_only=False)
    return found & rows


def _footer_pairs(filled: list) -> bool:
    """Every cell is a footer key, its value or 'key: value' ('制表人： | 张三 | 审核人： | 李四 |
    打印日期： | 2026-11-02'): the report's print footer, wherever it stands."""
    keys, value_next = 0, False
    for cell in map(squeeze, filled):
        if _FOOTER_KEY.match(cell):
            keys, value_next = keys + 1, True
        elif _FOOTER_PAIR.match(cell) or _PAGE.match(cell):
            keys, value_next = keys + 1, False
        elif value_next:
            value_next = False
        else:
            return False
    return keys > 0


def _trailing_footers(found: RowKinds, body: Body, has_money: np.ndarray, doc_no) -> None:
    """Rows without an amount after the last data or totals row are the report's footer."""
    kept = np.flatnonzero((found.kind == DATA) & has_money)
    totals = [t.row - body.start - 1 for t in found.totals]
    last = max([*(int(k) for k in kept[-1:]), *totals], default=-1)
    rest = np.flatnonzero(found.kind[last + 1 :] == DATA) + last + 1
    documents = body.filled(doc_no) if doc_no is not None else None
    for at in rest:
        if documents is not None and documents[at]:
            continue  # a document without an amount stays data (an exception later)
        found.kind[at] = LAYOUT
        found.layout.append(
            LayoutRow(int(at) + body.start + 1, "footer", _text(body.rows([at])[0]))
        )
    found.layout.sort(key=lambda r: r.row)


def _text(cells: list) -> str:
    return " ".join(dict.fromkeys(c.strip() for c in cells if c.strip()))[:120]


class _Judge:
    """Decides the rows read whole, in file order (a subtotal closes the rows since the
    previous totals row, so the order matters)."""

    def __init__(self, body, mapping, header, titles, profile, has_money, maybe) -> None:
        self.body = body
        self.mapping = mapping
        self.written = list(header)
        self.header = [normalise_header(h) for h in header]
        self.titles = {normalise_header(t) for t in titles}
        self.profile = profile
        self.has_money = has_money
        self.money = {c: mapping[c] for c in MONEY_FIELDS if c in mapping}
        self.has_customer_column = bool({"customer_id", "customer_name"} & mapping.keys())
        words = dict(_DOC_WORDS)
        if profile is not None:
            words.update(profile.doc_types)
        self.doc_words = words
        self.block_start = 0  # first body row of the current block
        self.block_ids: set = set()
        self._block_end = 0
        self.heading = ""
        self.clear = has_money & ~maybe  # rows that are data without a doubt
        self.section_at = np.zeros(body.height, dtype=bool)
        self.section_ids, self.section_names = [""], [""]
        self._sums = None
        self._names = None

    # -- one row ---------------------------------------------------------------------------

    def classify(self, at: int, cells: list, found: RowKinds) -> None:
        row = at + self.body.start + 1
        text = _text(cells)
        if self._repeats_header(cells):
            self._layout(found, at, row, "page_header", text)
            return
        filled = [c.strip() for c in cells if c.strip()]
        if _footer_pairs(filled):
            self._layout(found, at, row, "footer", text)
            return
        if self._percent_row(cells, filled):
            self._layout(found, at, row, "footer", text)  # MYOB's "Ageing Percent:", shares
            return
        label = self._label(cells)
        if self.has_money[at]:
            if label is None:
                if self._empty_opening(cells):
                    self._layout(found, at, row, "heading", text)  # ERPNext's 'Opening' of zeros
                    return
                if self._matches_profile(text) and not self._cell(cells, "doc_no"):
                    self._layout(found, at, row, "heading", text)  # Sage's "Turnover: 14250"
                    return
                self._unlabelled(found, at, row, cells)
                return
            verdict = self._totals_verdict(at, cells, label)
            if verdict == "total":
                self._total(found, at, row, label)
            elif verdict == "doubt":
                header = self.written[label[2]] if label[2] < len(self.written) else ""
                found.looked_like_totals.append((row, label[1], header))
            return
        if not self.has_customer_column:
            named = _key_values(filled)
            if named is not None:
                self._section(found, at, row, text, named)
                return
            if _bare_name(filled) is not None and self._section_open(found, at):
                self._name_section(found, at, row, text, _bare_name(filled))
                return
        if len(filled) >= 2 and len(set(filled)) == 1:  # one text merged across the row
            if self.has_customer_column:
                self.heading = filled[0]
                self._layout(found, at, row, "heading", filled[0])
            else:
                self._section(found, at, row, filled[0], filled[0])
            return
        document = self._cell(cells, "doc_no")
        if document and not (_FOOTER.search(squeeze(document)) or re.search(r"[:：]", document)):
            if not self.has_customer_column and filled == [document] and _name_like(document):
                self._section(found, at, row, text, ("", document))  # MYOB: the card name
            return  # else a document without an amount: data (an exception later)
        if (
            label is not None
            and not self._own_customer(cells, label)
            and self._closes_rows(at, label)
        ):
            self._total(found, at, row, label)  # a totals row whose figures are blank
            return
        self._no_amount(found, at, row, cells, text)

    def _percent_row(self, cells: list, filled: list) -> bool:
        """A row of percentages, never data: its label says so (MYOB's "Ageing Percent:",
        百分比, 占比) or every figure is a share (written '14.6%', or fractions of which one is
        the sum of the others: each band's share beside the total's 1)."""
        if self._cell(cells, "doc_no") or self._dated(cells):
            return False
        figures = [c for c in filled if _FIGURE.match(c)]
        words = [c for c in filled if not _FIGURE.match(c)]
        if not figures or len(words) > 1:
            return False
        if words and _PERCENT_LABEL.search(squeeze(words[0])):
            return words[0] not in self._customer_names()  # "Percentage Holdings Ltd" is data
        if all(c.endswith("%") for c in figures):
            return True
        return _shares([float(c.replace(",", "")) for c in figures])

    def _closes_rows(self, at: int, label) -> bool:
        """A totals row without figures closes the rows above it: there are some since the
        last totals row, and a named one names what it closes. Else "Total Fitness Ltd" over
        its own invoices is that customer's heading (QuickBooks), not a total."""
        if not self.has_money[self.block_start : at].any():
            return False
        return label[0] != "named" or self._names_what_it_closes(label[1])

    def _empty_opening(self, cells: list) -> bool:
        """The report's own opening line ('Opening' in ERPNext's General Ledger, in the account
        cell) with no document and every figure zero: a period with nothing brought forward.
        With figures, or written as a ledger line's 摘要 / type (U8's 期初余额, which
        normalise reads as an opening balance), it is data."""
        if self._cell(cells, "doc_no"):
            return False
        first = self._first(cells)
        if first in (self.mapping.get("memo"), self.mapping.get("doc_type")):
            return False
        label = unquoted(squeeze(cells[first].strip())) if first is not None else ""
        patterns = (_OPENING, *(self.profile.opening_rows if self.profile else ()))
        if not any(p.match(label) for p in patterns):
            return False
        texts = [cells[p] for p in self.money.values() if p < len(cells) and cells[p].strip()]
        values, bad = parse_amounts(pd.Series(texts, dtype="str"), 2)
        return bool(texts) and not bad.any() and bool(values.eq(0).all())

    def _unlabelled(self, found, at: int, row: int, cells: list) -> None:
        """Figures with no label, no document and no customer: a totals row when they add up
        the rows above (ERPNext writes its total so); else data (an exception later)."""
        if self._cell(cells, "doc_no") or self._customer_of(cells):
            return
        if self._known_type(cells, (None, "", None)) or not self.clear[self.block_start : at].any():
            return  # a document, or nothing above it to close
        if _OPENING.match(squeeze(self._cell(cells, "memo") or self._cell(cells, "doc_type"))):
            return  # a balance brought forward is data
        scope = self._closes(at, cells)
        if scope is not None:
            self._total(found, at, row, (scope, "", None))

    def _no_amount(self, found, at, row, cells, text) -> None:
        if _FOOTER.search(squeeze(text)):
            self._layout(found, at, row, "footer", text)
            return
        if normalise_header(text) in self.titles:
            self._layout(found, at, row, "page_header", text)
            return
        if is_age_band(text) or self._matches_profile(text):
            if not self.has_customer_column and _section_heading(text):
                self._section(found, at, row, text)
                return
            self.heading = text
            self._layout(found, at, row, "heading", text)
            return
        if not self.has_customer_column and self._section_label(cells) is not None:
            self._section(found, at, row, text, self._section_label(cells))
            return
        if self._dated(cells):
            return  # a dated row without an amount: a document (an exception later)
        self.heading = text
        self._layout(found, at, row, "heading", text)

    # -- what the cells say ----------------------------------------------------------------

    def _cell(self, cells: list, name: str) -> str:
        pos = self.mapping.get(name)
        return cells[pos].strip() if pos is not None and pos < len(cells) else ""

    def _repeats_header(self, cells: list) -> bool:
        named = [(normalise_header(cells[p]), self.header[p]) for p in self.mapping.values()
                 if p < len(cells) and self.header[p]]  # fmt: skip
        last = [normalise_header(self.written[p].split(" / ")[-1]) for p in self.mapping.values()]
        same = sum(1 for (c, h), low in zip(named, last, strict=False) if c in (h, low))
        return same >= max(2, int(0.6 * len(named) + 0.5))

    def _label(self, cells: list):
        """(level, text, position) of the first totals label in a label position, or None."""
        first = next((i for i, c in enumerate(cells) if c.strip()), None)
        positions = [first, *(self.mapping.get(f) for f in LABEL_FIELDS)]
        positions += [self.mapping.get(f) for f in ("memo", "doc_type")]
        for pos in dict.fromkeys(p for p in positions if p is not None and p < len(cells)):
            found = self._total_label(cells[pos])
            if found is not None:
                return (*found, pos)
        return None

    def _total_label(self, cell: str):
        cell = squeeze(cell.strip())  # '小　计', '合    计': padded to centre them
        cell = unquoted(cell)  # ERPNext's General Ledger writes 'Total' in single quotes
        if not cell or len(cell) > 80:
            return None
        for level, pattern in (
            ("cumulative", _CUMULATIVE),
            ("closing", _CLOSING),
            ("grand", _GRAND),
            ("sub", _SUB),
        ):
            if pattern.match(cell):
                return level, cell
        if self.profile is not None and any(p.search(cell) for p in self.profile.totals_labels):
            return "sub", cell
        if _NAMED.match(cell):
            return "named", cell
        return None

    def _own_customer(self, cells: list, label) -> bool:
        """The row names a customer in a customer column other than with its label."""
        for name in ("customer_id", "customer_name"):
            pos = self.mapping.get(name)
            if pos is not None and pos != label[2] and pos < len(cells) and cells[pos].strip():
                return True
        return False

    def _dated(self, cells: list) -> bool:
        return any(
            re.match(
                r"^\d{4}[-/.年]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$", self._cell(cells, d)
            )
            for d in ("doc_date", "due_date")
        )

    def _known_type(self, cells: list, label) -> bool:
        pos = self.mapping.get("doc_type")
        if pos is None or pos == label[2] or pos >= len(cells):
            return False
        return fold_traditional(cells[pos].strip().lower()) in self.doc_words

    def _matches_profile(self, text: str) -> bool:
        if self.profile is None:
            return False
        text = squeeze(text)
        return any(p.search(text) for p in self.profile.layout_rows)

    # -- totals ----------------------------------------------------------------------------

    def _totals_verdict(self, at: int, cells: list, label) -> str:
        """'total', 'data' (a document, no doubt) or 'doubt' (kept as data, with a warning)."""
        level, text, pos = label
        if self._cell(cells, "doc_no") and pos != self.mapping.get("doc_no"):
            return "data"
        if self._known_type(cells, label):
            return "data"
        self._block_customers(at)
        if text in self._customer_names():
            return "data"  # "Total Energies" is a customer of the rows around it
        own = self._own_customer(cells, label)
        exact = level != "named"
        named_here = level == "named" and self._names_what_it_closes(text)
        in_label_place = (
            pos
            in (
                self._first(cells),
                *(self.mapping.get(f) for f in LABEL_FIELDS),
            )
            or not self.has_customer_column
        )
        same_customer = own and self._customer_of(cells) in self._block_customers(at)
        if (exact or named_here) and in_label_place and (not own or (exact and same_customer)):
            return "total"
        if not own and (exact or (named_here and not self._dated(cells))):
            return "total"  # a label beside the figures (摘要 本月合计), no document of its own
        if self._closes(at, cells) is not None:
            return "total"
        return "doubt"

    def _first(self, cells: list):
        return next((i for i, c in enumerate(cells) if c.strip()), None)

    def _customer_of(self, cells: list) -> str:
        return self._cell(cells, "customer_id") or self._cell(cells, "customer_name")

    def _names_what_it_closes(self, text: str) -> bool:
        hit = _NAMED.match(text)
        named = next((g for g in hit.groups() if g), "").strip()
        for stop in (" - ", " — "):
            named = named.split(stop)[0]
        targets = {normalise_header(x) for x in (*self._block_customers(None), self.heading) if x}
        folded = normalise_header(named)
        return bool(folded) and (
            folded in targets
            or any(folded in t or t in folded for t in targets if len(t) >= 2)
            or bool(re.fullmatch(r"[a-z]{3}", folded))  # "Total USD"
        )

    def _block_customers(self, at: int | None) -> set:
        """Customers of the rows the next totals row would close (since the last one)."""
        if at is not None:
            self._block_end = at
        found = set(self.block_ids)
        stop = self._block_end
        if stop > self.block_start:
            for name in ("customer_id", "customer_name"):
                if name in self.mapping:
                    cells = self.body.stripped(self.mapping[name]).slice(
                        self.block_start, stop - self.block_start
                    )
                    found |= set(pc.unique(cells).to_pylist())
        return found - {""}

    def _customer_names(self) -> set:
        if self._names is None:
            names = set()
            clear = np.flatnonzero(self.clear)
            for name in ("customer_id", "customer_name"):
                if name in self.mapping and len(clear):
                    column = self.body.stripped(self.mapping[name]).take(pa.array(clear))
                    names |= set(pc.unique(column).to_pylist())
            self._names = names - {""}
        return self._names

    def _closes(self, at: int, cells: list) -> str | None:
        """'sub' when every figure on the row equals the rows of its block added up some way
        an export adds them (as written, gross, debits only, credits only), 'grand' when
        they equal every row above; else None."""
        sums = self._block_sums()
        # a running balance is no sum of the rows above (it is checked as a balance later)
        figures = {
            c: cells[p] for c, p in self.money.items()
            if p < len(cells) and cells[p].strip() and c != "running_balance"
        }  # fmt: skip
        if not figures:
            return None
        scopes = {"sub", "grand"}
        for column, text in figures.items():
            value, bad = parse_amounts(pd.Series([text], dtype="str"), 2)
            if bool(bad.iloc[0]):
                return None
            ways = sums[column]
            figure = int(value.iloc[0])
            if figure not in ways[at] - ways[self.block_start]:
                scopes.discard("sub")
            if figure not in ways[at]:
                scopes.discard("grand")
        return next((s for s in ("sub", "grand") if s in scopes), None)

    def _block_sums(self) -> dict:
        """Per money column: running sums (as written, gross, positive, negative) over the
        rows that are data without a doubt, so any block's sum is two look-ups."""
        if self._sums is None:
            self._sums = {}
            for column, pos in self.money.items():
                values, _bad = parse_amounts(self.body.stripped(pos).to_pandas(), 2)
                values = values.where(pd.Series(self.clear, index=values.index), 0).to_numpy()
                ways = np.stack(
                    [values, np.abs(values), values.clip(min=0), values.clip(max=0)], axis=1
                )
                running = np.vstack([np.zeros((1, 4), dtype=np.int64), np.cumsum(ways, axis=0)])
                self._sums[column] = _Ways(running)
        return self._sums

    def _total(self, found: RowKinds, at: int, row: int, label) -> None:
        level, text, _pos = label
        cells = self.body.rows([at])[0]
        if level in ("grand", "sub") and text:
            # "Total" closes a customer in one export and the report in another: the figures say
            level = self._closes(at, cells) or level
        values = {}
        for column in (*self.money, "currency", "direction"):
            pos = self.mapping.get(column)
            if pos is not None and pos < len(cells) and cells[pos].strip():
                values[column] = cells[pos].strip()
        level = "sub" if level == "named" else level
        found.kind[at] = TOTAL
        found.totals.append(TotalRow(row=row, level=level, label=text, values=values))
        self.block_start = self._block_end = at + 1
        self.block_ids = set()

    # -- layout ----------------------------------------------------------------------------

    def _layout(self, found: RowKinds, at: int, row: int, kind: str, text: str) -> None:
        found.kind[at] = LAYOUT
        found.layout.append(LayoutRow(row, kind, text))

    def _section_label(self, cells: list) -> str | None:
        """The customer a section row names: "客户: C001 上海宏达", or a name alone in the
        first column (QuickBooks, Xero)."""
        filled = list(dict.fromkeys(c.strip() for c in cells if c.strip()))  # merged cells repeat
        if not 1 <= len(filled) <= 2:
            return None
        hit = _section_heading(filled[0])
        if hit:
            return hit
        if len(filled) == 1 and cells and cells[0].strip() and not _UNIT_LINE.match(filled[0]):
            return cells[0].strip()
        return None

    def _section_open(self, found, at: int) -> bool:
        """A customer heading stands above this row with no data row between."""
        since = np.flatnonzero(self.section_at[:at])
        start = int(since[-1]) + 1 if len(since) else 0
        if not len(since) and not self.section_ids[0]:
            return False
        return not (found.kind[start:at] == DATA).any()

    def _name_section(self, found, at, row, text, name: str) -> None:
        """The name line of a customer block ('Name | Mueller Handels GmbH')."""
        self.section_names[-1] = name
        self.block_ids.add(name)
        self._layout(found, at, row, "section", text)

    def open_above(self, rows: list) -> None:
        """The customer block above the header row (SAP's classic list opens with 'Customer |
        100045', 'Name | …' before the first column headings): the customer of the first rows."""
        for cells in rows:
            filled = [c.strip() for c in cells if c.strip()]
            named = _key_values(filled)
            if named is not None and named[0]:
                self.section_ids[0], self.section_names[0] = named[0], named[1] or named[0]
            elif self.section_ids[0] and _bare_name(filled) is not None:
                self.section_names[0] = _bare_name(filled)
        self.block_ids = {x for x in (self.section_ids[0], self.section_names[0]) if x}

    def _section(self, found, at, row, text, label=None) -> None:
        label = label or text
        if isinstance(label, str):
            label = split_code_name(_section_heading(label) or label)
        code, name = label  # (code, name), from "A/C: ABS001  Name: ABS Garages" too
        self.section_ids.append(code or name)
        self.section_names.append(name or code)
        self.section_at[at] = True
        self.block_ids = {self.section_ids[-1], self.section_names[-1]}
        self._layout(found, at, row, "section", text)


_ID_KEYS = re.compile(
    r"(?i)^(a/?c|acct|account( no| ref| code)?|customer( no| code| id)?|"
    r"客户(编码|代码|编号)?|往来单位(编码)?|单位编码|code|no)\s*[:：]?$"
)
# Keys that name the customer without a colon, in a line of just the key and its value; only
# these words, so an ordinary two-cell row never becomes a heading.
_BARE_ID_KEYS = re.compile(
    r"(?i)^(customer( no\.?| number| code| id)?|kunde|debitor|debtor|"
    r"account( no\.?| number)?|客户(编码|代码|编号)?|往来单位(编码)?|核算项目(代码)?)$"
)
_BARE_NAME_KEYS = re.compile(r"(?i)^(name|name 1|customer name|客户名称|单位名称|名称)$")
_NAME_KEYS = re.compile(
    r"(?i)^(name|customer name|company( name)?|客户名称|单位名称|名称)\s*[:：]?$"
)


_PERCENT_LABEL = re.compile(r"(?i)\b(percent(age)?s?|pct)\b|百分比|占比|比重")
_FIGURE = re.compile(r"^[-+]?[0-9][0-9,]*(\.[0-9]+)?\s*%?$")


def _shares(values: list) -> bool:
    """Three or more fractions within 0..1, the largest 1 and the sum of the others: shares."""
    if len(values) < 3 or not all(0 <= v <= 1 for v in values):
        return False
    top = max(values)
    return abs(top - 1) < 1e-6 and abs(sum(values) - 2 * top) < 1e-6


def _name_like(text: str) -> bool:
    """A name rather than a document number: no digit, or words with more letters than
    digits ('Brown Sugar Cafe', 'Cafe 21 Pty Ltd'; never 'INV-0042' or '00000123')."""
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return digits == 0 and letters > 1 or (" " in text.strip() and letters > 2 * digits)


def _key_values(filled: list):
    """(code, name) from a row of 'key:' cells each followed by its value ("A/C: | ABS001 |
    Name: | ABS Garages Ltd | Contact: | …"); None when the row names no customer so."""
    code = name = ""
    for key, value in zip(filled, [*filled[1:], ""][: len(filled)], strict=True):
        if not re.search(r"[:：]$", key):
            continue
        if _ID_KEYS.match(key) and not code:
            code = value
        elif _NAME_KEYS.match(key) and not name:
            name = value
    if not code and not name and len(filled) == 2 and _BARE_ID_KEYS.match(filled[0]):
        code = filled[1]  # SAP's classic list: 'Customer | 100045' (no colon)
    if not code and not name:
        return None
    if code and not name:
        code, name = split_code_name(code)  # '核算项目： | 00123 北京华联'
    return code, name


def _bare_name(filled: list) -> str | None:
    """The name in a 'Name | Mueller Handels GmbH' line (no colon), else None."""
    if len(filled) == 2 and _BARE_NAME_KEYS.match(filled[0]):
        return filled[1]
    return None


class _Ways:
    """Running sums of one money column in four ways; `[at]` gives the four sums before row at."""

    def __init__(self, running: np.ndarray) -> None:
        self.running = running

    def __getitem__(self, at: int) -> np.ndarray:
        return self.running[at]


_DOC_WORDS = {w.lower(): k for k, words in DOC_TYPE_WORDS.items() for w in (k, *words)}
