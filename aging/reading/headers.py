"""Find each table's header row and give every column at most one field.

In: a `Sheet` of text, the config (`columns:` synonyms, `reading.header_scan_rows`) and the
ERP profiles. Out: a `HeaderMatch`: the table kind (ledger, customers, contacts, fx), the
header row (two rows when a group header such as 本期发生 or 本币 stands over 借方/贷方), and
each column's field with how it was matched (config, the ERP profile, a synonym, another
ERP's label, the header's words; the values confirm each) — the record `--explain` prints. `best_attempt` returns the closest header
row when none qualifies, for the message that says what to add to the config.

Every header proposes candidate fields (aging.reading.fields); the values under it confirm or
veto each one (a money field needs amounts, a date field dates); then one global assignment
takes the strongest claims first, so two columns never claim one field and a column never
serves two. No issues: what is not matched is listed as unused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from aging.currency import currency_names
from aging.parse import CURRENCY_NOISE, terms_days_of
from aging.reading.fields import (
    BARE_CUSTOMER,
    CURRENCY,
    DATE,
    MONEY,
    NUMBER,
    STRONG_SYNONYMS,
    TEXT,
    WEAK_SYNONYMS,
    field_kind,
    normalise_header,
    synonym_index,
    token_candidates,
)
from aging.reading.profiles import Profile, best_profile, shared_labels
from aging.reading.sheet import Sheet

LEDGER_MONEY = frozenset(
    {"amount", "debit", "credit", "open_amount", "amount_local", "open_amount_local",
     "debit_local", "credit_local"}
)  # fmt: skip
# What a header row must contain to count as each kind of table.
REQUIRED = {
    "ledger": ({"customer_id", "customer_name"}, set(LEDGER_MONEY)),
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
    ),  # fmt: skip
    "contacts": ({"customer_id"}, {"channel", "outcome", "promise_date"}),
    "fx": ({"currency", "pair"}, {"rate"}),
}
# Sheet-name hints that settle a tie between kinds.
SHEET_HINTS = {
    "customers": ("customer", "master", "客户资料", "客户档案", "客户主数据"),
    "contacts": ("contact", "催收", "联系", "log"),
    "fx": ("fx", "rate", "汇率"),
    "ledger": ("ledger", "ar", "应收", "明细", "open items"),
}
SAMPLE_ROWS = 200  # rows under a header whose values are looked at

SCORE_CONFIG, SCORE_PROFILE, SCORE_SYNONYM, SCORE_OTHER_PROFILE, SCORE_WEAK = 100, 95, 90, 86, 70


@dataclass(frozen=True)
class Assigned:
    position: int
    header: str  # as written (a two-row header: "本币 / 借方")
    field: str
    how: str  # config | profile (the match's ERP) | synonym | erp_label | words | values (the values overruled the header)


@dataclass(frozen=True)
class HeaderMatch:
    kind: str
    row: int  # 0-based index of the (last) header row; data starts below it
    first_row: int  # 0-based index of the first header row (== row for one header row)
    headers: tuple  # header text per column position, as used
    assigned: tuple  # Assigned, in column order
    profile: str  # ERP profile that applied, "" for none
    score: tuple

    @property
    def mapping(self) -> dict:
        """Canonical field -> column position (columns deliberately ignored left out)."""
        return {a.field: a.position for a in self.assigned if a.field != "ignore"}

    @property
    def unused(self) -> list:
        taken = {a.position for a in self.assigned}
        return [(at, h) for at, h in enumerate(self.headers) if h.strip() and at not in taken]

    def missing(self) -> list[str]:
        """The required groups this header row lacks, as 'one of a/b' phrases."""
        fields = self.mapping.keys()
        ids, others = REQUIRED[self.kind]
        if self.kind == "ledger" and not ids & fields:
            # customers named in section rows above their documents: a document column
            # stands in for the customer column
            ids = {"doc_no", "doc_date"}
        if self.kind == "customers" and "name" in fields and "customer_id" not in fields:
            # keyed by name (QuickBooks' Customer, Xero's ContactName, Odoo's Display Name):
            # the name is the key, and another column must still say it is a master
            ids, others = ids | {"name"}, others - {"name"}
        groups = [ids, others]
        if self.kind == "contacts":
            groups.append({"contact_date"})  # a worklist with a "Channel" column is no log
        return ["/".join(sorted(group)) for group in groups if not group & fields]


def find_header(sheet: Sheet, config, wanted: str | None) -> HeaderMatch | None:
    """The best qualifying header row in the first `reading.header_scan_rows` rows."""
    found = [m for m in _attempts(sheet, config, wanted) if not m.missing()]
    if not found:
        return None
    best = max(found, key=lambda m: m.score)
    # a header repeated on every page (or over every partner, Odoo) is the table's from its
    # first appearance: the rows between are data
    same = [m for m in found if m.kind == best.kind and m.headers == best.headers]
    return min(same, key=lambda m: m.row)


def best_attempt(sheet: Sheet, config, wanted: str | None) -> HeaderMatch | None:
    """The header row that came closest, qualifying or not (for the error message)."""
    tried = list(_attempts(sheet, config, wanted))
    return max(tried, key=lambda m: (-len(m.missing()), m.score)) if tried else None


def _attempts(sheet: Sheet, config, wanted: str | None):
    scan = config.reading.header_scan_rows
    rows = sheet.head(scan + SAMPLE_ROWS + 1)
    samples = _Samples(rows)
    kinds = [wanted] if wanted else list(REQUIRED)
    indexes = {k: (synonym_index(k), synonym_index(k, getattr(config.columns, k))) for k in kinds}
    for at in range(min(scan, len(rows))):
        for headers, first in _header_texts(rows, at):
            if not any(h.strip() for h in headers):
                continue
            for kind in kinds:
                match = _match(sheet.name, headers, at, first, kind, indexes[kind], samples)
                if match is not None:
                    yield match


def _header_texts(rows: list, at: int):
    """The row as a header, and joined with a group-header row above it (本期发生 over 借方
    and 贷方; 原币 / 本币 over 金额 and 余额) when the row above is one."""
    row = rows[at]
    yield row, at
    if at == 0:
        return
    upper = rows[at - 1]
    distinct = {c.strip() for c in upper if c.strip()}
    # A title merged across the sheet repeats one text; a group header row has several; and
    # neither header row holds dates or amounts (the first data row is no header).
    if len(distinct) < 2 or any(_looks_like_value(c) for c in (*distinct, *row)):
        return
    if any(re.search(r"[:：]\s*\S", c) for c in distinct):
        return  # "编制单位：…", "Currency: USD": a title line, not a group header
    if any(re.search(r"[0-9]", c) for c in row):
        return  # codes and numbers (C1, INV-1): the first data row, not a second header row
    joined = []
    for at_col in range(max(len(row), len(upper))):
        low = row[at_col].strip() if at_col < len(row) else ""
        high = upper[at_col].strip() if at_col < len(upper) else ""
        joined.append(f"{high} / {low}" if high and low and high != low else (low or high))
    yield joined, at - 1


def _looks_like_value(text: str) -> bool:
    return _category(text) in (_DATE, _NUMBER)


def _match(sheet_name, headers, at, first, kind, indexes, samples) -> HeaderMatch | None:
    builtin, configured = indexes
    folded = {normalise_header(h) for h in headers if h.strip()}
    profile = best_profile(folded) if kind == "ledger" else None
    claims = []
    for position, header in enumerate(headers):
        if not header.strip():
            continue
        for field, score, how in _candidates(header, kind, builtin, configured, profile):
            score = samples.weigh(position, at, kind, field, score)
            if score is not None:
                claims.append((score, -position, field, position, how, header))
    if not claims:
        return None
    assigned, fields = _assign(claims)
    number = _customer_number(assigned, fields, claims, samples, at) if kind == "ledger" else None
    if number is not None:  # the repeating "No." is the customer's: assign again without it
        claims = [c for c in claims if c[3] != number[0]]
        claims.append((number[1], -number[0], "customer_id", number[0], "values", number[2]))
        assigned, fields = _assign(claims)
    if profile is not None:
        assigned = _unignore(assigned, claims, fields, set(profile.columns.values()))
    if not fields - {"ignore"}:
        return None
    total = sum(a[4] for a in assigned if a[2] != "ignore")
    named = len(fields - {"ignore"})
    hint = _hint(sheet_name, kind)
    return HeaderMatch(
        kind=kind,
        row=at,
        first_row=first,
        headers=tuple(headers),
        assigned=tuple(Assigned(p, h, f, how) for p, h, f, how, _s in sorted(assigned)),
        profile=profile.erp if profile else "",
        score=(named, total, hint, -at, first == at),
    )


def _assign(claims: list) -> tuple[list, set]:
    """The strongest claims first; a column serves one field and a field one column."""
    assigned, fields, positions = [], set(), set()
    for score, _neg, field, position, how, header in sorted(claims, reverse=True):
        if position in positions or (field in fields and field != "ignore"):
            continue
        assigned.append((position, header, field, how, score))
        fields.add(field)
        positions.add(position)
    return assigned, fields


def _customer_number(assigned: list, fields: set, claims: list, samples, at: int):
    """(position, score, header) of a document-number column that is the customer's number:
    its values repeat, each with one name of the name column and each name with one of them
    (Business Central's Aged Accounts Receivable data sheet: No. 10000 against Adatum on
    every entry). Document numbers do not repeat one to one with the customer's name."""
    if "customer_id" in fields or "customer_name" not in fields:
        return None
    names = next(a[0] for a in assigned if a[2] == "customer_name")
    held = {a[0]: a[2] for a in assigned}
    numbers = sorted(
        {(position, score, header) for score, _neg, field, position, how, header in claims
         if field == "doc_no" and how not in ("config", "profile")
         and held.get(position, "doc_no") == "doc_no"}
    )  # fmt: skip
    for position, score, header in numbers:
        pairs = samples.pairs(position, names, at)
        if len(pairs) < 2 or len(set(pairs)) == len(pairs):
            continue  # too few rows, or no number repeats
        if len(set(pairs)) == len({n for n, _ in pairs}) == len({m for _, m in pairs}):
            return position, score, header
    return None


_AMOUNTS = {"amount", "open_amount", "debit", "credit", "amount_local", "open_amount_local",
            "debit_local", "credit_local", "running_balance"}  # fmt: skip
_MOVES = {"debit", "credit"}


def _unignore(assigned: list, claims: list, fields: set, profile_fields: set) -> list:
    """A column the ERP's layout leaves unused (SAP's Posting Date beside its Document Date)
    serves a field of that layout the export happens to lack. With no amount at all left
    (Odoo's Journal Items exported without their Residual columns), the layout's unused
    Debit / Credit are the amounts — before a Balance, which is each line's, not what is
    open."""
    moves = set()
    if not fields & _AMOUNTS:
        moves = {c[2] for c in claims if c[2] in _MOVES}
    wanted = (profile_fields | moves) - fields - (_AMOUNTS - _MOVES if moves else set())
    out = []
    for position, header, field, how, score in assigned:
        if field == "ignore" and how == "profile":
            better = [
                c for c in sorted(claims, reverse=True)
                if c[3] == position and c[2] in wanted - fields and c[2] != "ignore"
            ]  # fmt: skip
            if better:
                score, _neg, field, _pos, how, _h = better[0]
                fields.add(field)
        out.append((position, header, field, how, score))
    return out


def _candidates(header: str, kind: str, builtin: dict, configured: dict, profile: Profile | None):
    """(field, score, how) for one header: config, the ERP profile, synonyms, header words."""
    folded = normalise_header(header)
    out = []
    if configured.get(folded) and configured.get(folded) != builtin.get(folded):
        out.append((configured[folded], SCORE_CONFIG, "config"))
    if profile is not None and folded in profile.columns:
        field = profile.columns[folded]
        out.append((field, SCORE_PROFILE, "profile"))
    if folded in builtin:
        weak = folded in {normalise_header(w) for w in WEAK_SYNONYMS}
        strong = folded in {normalise_header(w) for w in STRONG_SYNONYMS}
        score = SCORE_WEAK if weak else SCORE_SYNONYM + 2 if strong else SCORE_SYNONYM
        out.append((builtin[folded], score, "synonym"))
    if folded in BARE_CUSTOMER and kind != "fx":
        # a bare "Customer" is the name unless a name column stands beside it (then the code);
        # over codes it is the code (+6 in weigh): SAP's master "Customer" beside "Name 1", a
        # contact log's 客户 C001. A contact log has no name field: its 客户 is the customer.
        out.append(("customer_id", SCORE_SYNONYM - 2, "synonym"))
    if kind != "ledger":
        return out
    shared = shared_labels().get(folded)
    if shared:
        out.append((shared, SCORE_OTHER_PROFILE, "erp_label"))
    out.extend((field, score, "words") for field, score in token_candidates(header))
    return out


def _hint(sheet_name: str, kind: str) -> int:
    name = sheet_name.lower()
    return int(any(word in name for word in SHEET_HINTS[kind]))


# ---- the values under a header ---------------------------------------------------------------

_BLANK, _DATE, _NUMBER, _CURRENCY, _TEXT = range(5)
_DATE_TEXT = re.compile(
    r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|"
    r"\d{1,2}[- ][A-Za-z]{3,9}[- ,]+\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|"
    r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\.0+)?)"
    r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
)
_NUMBER_TEXT = re.compile(r"^\(?[+-]?\d+(\.\d+)?\)?-?(cr|dr|借|贷)?$", re.IGNORECASE)
_NUMBER_NOISE = re.compile(rf"{CURRENCY_NOISE}|,")  # what the amount parser strips, and grouping
_CURRENCY_TEXT = re.compile(
    r"^([A-Z]{3}|人民币|美元|美金|欧元|港币|港元|日元|英镑|本位币|RMB|rmb)$"
)
_GL_ACCOUNT = re.compile(
    r"^\s*\d{3,}[\s.:\-–]+.*(receivable|debtors?|\baccounts?\b|\btrade\b|\bclients?\b|forderung|"
    r"应收|账款|\bar\b)",
    re.IGNORECASE,
)
# The receivable account named without its number ("Accounts Receivable" in QuickBooks'
# Customer Balance Detail, "应收账款"; ERPNext's "Debtors - SGT" with the company's abbreviation):
# the whole cell, so no customer is taken for it.
_AR_ACCOUNT_NAME = re.compile(
    r"^\s*(\d{3,}[\s.:\-–]*)?(accounts?\s+receivables?(\s*\(a/r\))?|a/r|trade\s+(debtors|receivables?)|"
    r"debtors(\s+control)?(\s+account)?|应收账款|应收帐款|应收款|forderungen(\s+aus\s+lieferungen"
    r"\s+und\s+leistungen)?)(\s+-\s+[A-Z0-9]{1,8})?\s*$",
    re.IGNORECASE,
)
# Words of a general-ledger account's name ("Undeposited Funds", "Sales of Product Income",
# "Business Bank Account", "银行存款", "主营业务收入"): a column of several such names beside
# customer headings is the transaction's account column, never the customer.
_GL_WORDS = re.compile(
    r"(?i)\b(accounts?|receivables?|payables?|funds|income|revenue|sales|bank|cash|deposits?|checking|savings|"
    r"expenses?|clearing|suspense|a/r|a/p|ledger)\b|应收|应付|银行|现金|存款|收入|科目|费用"
)
_SERIAL = re.compile(r"^[3-6]\d{4}(\.0+)?$")  # Excel serials 1982..2064


def _category(text: str) -> int:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return _BLANK
    if _DATE_TEXT.match(text):
        return _DATE
    if _NUMBER_TEXT.match(_NUMBER_NOISE.sub("", text)) and any(c.isdigit() for c in text):
        return _NUMBER
    if _CURRENCY_TEXT.match(text) or text.lower() in currency_names():  # "US Dollar", "Euro"
        return _CURRENCY
    return _TEXT


class _Samples:
    """Each cell of the first rows put in a category, so a header's values are judged once."""

    def __init__(self, rows: list) -> None:
        self.rows = rows
        self._columns: dict[int, list[int]] = {}
        self._texts: dict[int, list[str]] = {}

    def _column(self, position: int) -> list[int]:
        if position not in self._columns:
            texts = [r[position] if position < len(r) else "" for r in self.rows]
            self._texts[position] = texts
            self._columns[position] = [_category(t) for t in texts]
        return self._columns[position]

    def counts(self, position: int, header_at: int) -> list[int]:
        cells = self._column(position)[header_at + 1 : header_at + 1 + SAMPLE_ROWS]
        counts = [0] * 5
        for category in cells:
            counts[category] += 1
        return counts

    def weigh(self, position: int, header_at: int, kind: str, field: str, score: int):
        """The claim's score after looking at the values, or None when they veto it."""
        counts = self.counts(position, header_at)
        filled = sum(counts) - counts[_BLANK]
        if not filled:
            return score - 5  # an empty column: the header alone speaks, a little less surely
        share = [c / filled for c in counts]
        what = field_kind(kind, field)
        if what == DATE:
            # labels of heading and totals rows may stand in a date column (QuickBooks,
            # Xero); amounts may not
            if share[_NUMBER] == 1:
                serials = all(_SERIAL.match(t.strip()) for t in self._values(position, header_at))
                return score if serials else None
            return score if share[_DATE] > 0 and share[_NUMBER] < 0.5 else None
        if what in (MONEY, NUMBER):
            # dates are no amounts ("Due" over dates is the due date), nor is a column without
            # a single number (a Yes/No "Open" flag); a stray "待定" is a bad amount, later
            if share[_DATE] >= 0.3:
                return None
            if field == "terms_days" and self._terms(position, header_at):
                return score  # "Net 30", "月结60天", "ZB30", 货到付款: terms as words
            if share[_NUMBER] == 0 and filled >= 2:
                return None
            return score
        if what == CURRENCY:
            if kind == "fx" and self._pairs(position, header_at):
                return score  # "USD/CNY" mapped to the currency by the config
            return score if share[_CURRENCY] >= 0.5 else None
        if what == TEXT and share[_DATE] >= 0.8 and field != "ignore":
            return None  # a column of dates is no name, number or type
        if field in ("customer_id", "customer_name") and (
            self._one_gl_account(position, header_at)
            or self._gl_accounts_under_headings(position, header_at)
        ):
            return None  # "121000 Account Receivable" on every row: the account, not a customer
        if field == "customer_id" and self._codes(position, header_at):
            return score + 6  # "Customer" over codes (C001, 00123) is the code
        return score

    def _values(self, position: int, header_at: int) -> list[str]:
        self._column(position)
        texts = self._texts[position][header_at + 1 : header_at + 1 + SAMPLE_ROWS]
        return [t for t in texts if t.strip()]

    def _dated_values(self, position: int, header_at: int) -> list[str]:
        """The column's values on the rows holding a date in any column."""
        span = range(header_at + 1, min(header_at + 1 + SAMPLE_ROWS, len(self.rows)))
        width = max((len(self.rows[at]) for at in span), default=0)
        dated = [any(self._column(c)[at] == _DATE for c in range(width)) for at in span]
        self._column(position)
        texts = [self._texts[position][at] for at in span]
        return [t for t, d in zip(texts, dated, strict=True) if d and t.strip()]

    def pairs(self, first: int, second: int, header_at: int) -> list[tuple[str, str]]:
        """The two columns' values side by side, on the rows where both are filled."""
        self._column(first)
        self._column(second)
        span = slice(header_at + 1, header_at + 1 + SAMPLE_ROWS)
        both = zip(self._texts[first][span], self._texts[second][span], strict=True)
        return [(a.strip(), b.strip()) for a, b in both if a.strip() and b.strip()]

    def _one_gl_account(self, position: int, header_at: int) -> bool:
        """One general-ledger account (its number, then a name saying receivable, or the
        receivable account's name alone: "Accounts Receivable", "应收账款") on every row: a
        journal export filtered to the receivable account (Odoo's Journal Items), or a report
        that prints the account on each line (QuickBooks' Customer Balance Detail), whose
        customers stand in the partner column or the section headings. A one-customer export
        repeats a customer, whose name does not say receivable."""
        values = self._values(position, header_at)
        if len(set(values)) > 1:
            # the report's own rows ('Opening', 'Total', 'Closing (Opening + Total)' in ERPNext's
            # General Ledger, in the account's cell) are undated: the dated lines say
            values = self._dated_values(position, header_at)
        if len(values) < 2 or len(set(values)) != 1:
            return False
        return bool(_GL_ACCOUNT.match(values[0]) or _AR_ACCOUNT_NAME.match(values[0]))

    def _pairs(self, position: int, header_at: int) -> bool:
        """Most values are currency pairs (USD/CNY, JPY-CNY)."""
        values = self._values(position, header_at)
        pairs = [v for v in values if re.fullmatch(r"\s*[A-Za-z]{3}\s*[/:-]\s*[A-Za-z]{3}\s*", v)]
        return bool(values) and len(pairs) >= 0.8 * len(values)

    def _terms(self, position: int, header_at: int) -> bool:
        """Most values read as payment terms (aging.parse.terms_days_of)."""
        values = self._values(position, header_at)
        days = terms_days_of(pd.Series(values, dtype="str"))
        return bool(values) and days.notna().sum() >= 0.8 * len(values)

    def _gl_accounts_under_headings(self, position: int, header_at: int) -> bool:
        """Several general-ledger accounts, the receivable account among them and most named as
        accounts ("Accounts Receivable (A/R)", "Undeposited Funds", "Sales of Product Income",
        "Checking"), in an export whose customers are heading rows (QuickBooks' Transaction List
        by Customer): the line's account column."""
        values = set(self._dated_values(position, header_at))
        if len(values) < 2 or not any(
            _GL_ACCOUNT.match(v) or _AR_ACCOUNT_NAME.match(v) for v in values
        ):
            return False
        worded = [v for v in values if _GL_WORDS.search(v) or _AR_ACCOUNT_NAME.match(v)]
        return 2 * len(worded) >= len(values) and self._headings(header_at)

    def _headings(self, header_at: int) -> bool:
        """A row holding only a name (no date, no figure) right above a dated row."""
        span = range(header_at + 1, min(header_at + SAMPLE_ROWS, len(self.rows) - 1))
        for at in span:
            cells = [c.strip() for c in self.rows[at] if c.strip()]
            if len(cells) != 1 or _category(cells[0]) != _TEXT:
                continue
            if any(_category(c) == _DATE for c in self.rows[at + 1]):
                return True
        return False

    def _codes(self, position: int, header_at: int) -> bool:
        values = self._values(position, header_at)
        codes = [v for v in values if re.fullmatch(r"[A-Za-z]{0,4}[-_]?\d[\w.-]{0,18}", v.strip())]
        return bool(values) and len(codes) >= 0.8 * len(values)
