"""Find the tables in the input files: header row, column mapping, table kind, row kinds.

In: a file path, the kind wanted (or None: any), the config's reading/columns sections. Out:
`RawTable`s, each a DataFrame of text with canonical column names plus `src_row` (the 1-based
row number in the file) and `block` (totals rows above it), the totals rows (control totals,
never data), the layout rows (customer sections, headings, repeated page headers, footers),
the title lines above the header (where a report date or currency may stand) and the column
mapping with how each header matched. Raises `InputError` when a file holds no table the run
can use, naming the closest header row, what it lacks and the `columns:` lines that would fix it.

The frame is built from the sheet's columns without a Python object per cell (a million-line
ledger is a few Arrow operations); only the header candidates and the rows that may be totals
or layout are looked at one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from aging.currency import codes, sign_codes
from aging.errors import InputError
from aging.i18n import msg
from aging.parse import parse_amounts
from aging.reading.fields import header_words, token_candidates
from aging.reading.files import read_file
from aging.reading.headers import REQUIRED, Assigned, HeaderMatch, best_attempt, find_header
from aging.reading.profiles import load_profiles
from aging.reading.rows import BLANK, DATA, Body, LayoutRow, TotalRow, classify_rows
from aging.reading.sheet import Sheet

__all__ = ["LayoutRow", "RawTable", "TotalRow", "load_tables", "title_dates"]


@dataclass(frozen=True)
class RawTable:
    kind: str
    file: str
    sheet: str
    header_row: int  # 1-based number of the (last) header row
    headers: dict  # canonical -> header as written
    frame: pd.DataFrame  # canonical text columns + src_row (int) + block (totals rows above)
    totals: list = field(default_factory=list)  # TotalRow, in file order
    titles: list = field(default_factory=list)  # text of the rows above the header
    layout: list = field(default_factory=list)  # LayoutRow: rows that are neither data nor totals
    blank_rows: int = 0
    looked_like_totals: list = field(default_factory=list)  # (row, label, header): as data
    columns: tuple = ()  # aging.reading.headers.Assigned, column order
    unused: tuple = ()  # (column position, header) of the headers left unused
    profile: str = ""  # the ERP profile that applied


def load_tables(path: Path, wanted: str | None, config) -> list[RawTable]:
    """Every usable table in one file. `wanted` forces a kind (--customers FILE etc.)."""
    sheets = read_file(
        path,
        max_rows=config.reading.max_rows,
        max_unzipped_mb=config.reading.max_unzipped_mb,
    )
    tables = []
    for sheet in sheets:
        found = find_header(sheet, config, wanted)
        if found is not None:
            tables.append(build_table(sheet, found))
    if not tables:
        code, params = _no_table(path, sheets, config, wanted)
        raise InputError(code, **params)
    return tables


def build_table(sheet: Sheet, match: HeaderMatch) -> RawTable:
    header = list(match.headers)
    start = match.row + 1
    body = Body(sheet, start)
    mapping = match.mapping
    above = sheet.head(match.first_row)
    titles = [" ".join(dict.fromkeys(c for c in r if c.strip())) for r in above]
    titles = [t for t in titles if t]
    if match.kind == "ledger":
        mapping = _running_balance(body, mapping, header, match.unused)
        mapping = _company_currency_amounts(body, mapping)
        profile = _profile(match.profile)
        kinds = classify_rows(body, mapping, header, titles, profile, above)
        kind_of_row = kinds.kind
    else:
        kinds = None
        nonblank = body.nonblank(mapping.values())
        kind_of_row = np.where(nonblank, DATA, BLANK)
    columns = {name: body.stripped(pos) for name, pos in mapping.items()}
    headers = {name: header[pos] for name, pos in mapping.items()}
    header_row = match.row + 1
    layout = kinds.layout if kinds else []
    # columns the header left unused that the values gave a field (增加应收款 as the debit)
    taken = {a.position for a in match.assigned}
    read_as = [Assigned(at, header[at], name, "values") for name, at in mapping.items()
               if at not in taken]  # fmt: skip
    unused = tuple(u for u in match.unused if u[0] not in mapping.values())
    if match.kind == "ledger" and not {"doc_date", "due_date"} & mapping.keys():
        dated = _month_day_dates(sheet, match, body, titles)
        if dated is not None:
            columns["doc_date"], headers["doc_date"], under, at = dated
            read_as.append(Assigned(at[0], headers["doc_date"], "doc_date", "values"))
            unused = tuple(u for u in unused if u[0] not in at)
            if under:  # the 月 | 日 row is the header's second row, not a repeated header
                header_row += 1
                layout = [r for r in layout if r.row != header_row]
    if kinds is not None and kinds.section_ids is not None:
        columns["customer_id"], columns["customer_name"] = kinds.section_ids, kinds.section_names
        headers["customer_id"] = headers["customer_name"] = "(customer section rows)"
    frame = pd.DataFrame({name: _series(values) for name, values in columns.items()})
    frame["src_row"] = range(start + 1, start + 1 + body.height)
    is_total = pd.Series(kind_of_row == 1, index=frame.index)
    # block k = the data rows between totals row k-1 and totals row k (what subtotal k sums).
    frame["block"] = is_total.cumsum().astype("int64")
    frame = frame[kind_of_row == DATA].reset_index(drop=True)
    return RawTable(
        kind=match.kind,
        file=sheet.file,
        sheet=sheet.name,
        header_row=header_row,
        headers=headers,
        frame=frame,
        totals=kinds.totals if kinds else [],
        titles=titles,
        layout=layout,
        blank_rows=int((kind_of_row == BLANK).sum()),
        looked_like_totals=kinds.looked_like_totals if kinds else [],
        columns=tuple(
            sorted((*_columns_as_read(match.assigned, mapping), *read_as), key=lambda a: a.position)
        ),
        unused=unused,
        profile=match.profile,
    )


def _columns_as_read(assigned: tuple, mapping: dict) -> tuple:
    """The header -> field record of the columns in use, with the field the values gave a
    column where they overruled its header (a running balance, a company-currency amount)."""
    field_at = {position: name for name, position in mapping.items()}
    out = []
    for a in assigned:
        if a.field == "ignore" or field_at.get(a.position) == a.field:
            out.append(a)
        elif a.position in field_at:
            out.append(Assigned(a.position, a.header, field_at[a.position], "values"))
    return tuple(out)


def _profile(name: str):
    return next((p for p in load_profiles() if p.erp == name), None)


def _series(values) -> pd.Series:
    if isinstance(values, pa.Array):
        return values.to_pandas()
    return pd.Series(values, dtype="str")


# ---- dates written as 月 / 日 columns under a year --------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*[.\-/年]\s*\d{1,2}")


def _month_day_dates(sheet: Sheet, match: HeaderMatch, body: Body, titles: list):
    """用友 U8 prints a ledger's dates as 月 | 日 columns under a merged "2026年" heading: the
    document date is that year, month and day. (dates, "header as written", whether 月 | 日
    stand in the row under the header, their positions), or None. The year comes from the heading over the
    columns, else from the period in the title rows."""
    rows = sheet.rows([match.row, match.row + 1]) if match.row + 1 < sheet.height else []
    if len(rows) < 2:
        return None
    header, below = ([c.strip() for c in r] for r in rows)

    def column_of(word: str) -> tuple[int, bool] | None:
        for at, (top, under) in enumerate(zip(header, below, strict=False)):
            if top.split("/")[-1].strip() == word:
                return at, False
            if under == word and _YEAR.search(top):
                return at, True
        return None

    month, day = column_of("月"), column_of("日")
    if month is None or day is None or month[0] == day[0]:
        return None
    (month, under), (day, _) = month, day
    year = next((m.group(1) for t in (header[month], *header) if (m := _YEAR.search(t))), None)
    year = year or next((m.group(1) for t in titles if (m := _YEAR_IN_TITLE.search(t))), None)
    if year is None:
        return None
    m = pd.to_numeric(body.stripped(month).to_pandas(), errors="coerce")
    d = pd.to_numeric(body.stripped(day).to_pandas(), errors="coerce")
    ok = m.between(1, 12) & d.between(1, 31) & (m % 1 == 0) & (d % 1 == 0)
    dates = pd.Series("", index=m.index, dtype="str")
    dates[ok] = (year + "-" + m[ok].astype(int).astype(str).str.zfill(2) + "-"
                 + d[ok].astype(int).astype(str).str.zfill(2))  # fmt: skip
    return dates, f"{year}年 / 月 / 日", under, (month, day)


# ---- running balances ------------------------------------------------------------------------

# Headers that say a column raises or lowers the debt (on header_words): beside a balance that
# runs by them they are a transactions ledger's debit and credit, whatever the ERP calls them
# (发货金额 / 收款金额, 增加应收款 / 收回应收款, 应收增加 / 应收减少, Charges / Payments).
_PLUS = re.compile(
    r"(增加|发货|出库|销售|借方|本期应收|\bcharges?\b|\binvoiced\b|\bdebits?\b|\bincreases?\b|"
    r"\bbilled\b|\bsales\b|\bshipped\b)"
)
_MINUS = re.compile(
    r"(减少|收回|收款|回款|已收|贷方|本期收回|\bpayments?\b|\breceived\b|\breceipts?\b|"
    r"\bcredits?\b|\bdecreases?\b|\bcollected\b|\bpaid\b)"
)
_MOVES = ("debit", "credit", "debit_local", "credit_local")


def _running_balance(body: Body, mapping: dict, header: list, unused: tuple) -> dict:
    """A balance column beside debit/credit columns, or one that moves from row to row by the
    row's plus − minus (amount − paid, 增加 − 减少, Charges − Payments; per customer, as a
    balance that restarts at each customer does), is a running balance: never an open amount
    (DESIGN "Read faithfully"). The plus and minus columns it runs by are then the ledger's
    debit and credit, not a register's amount and paid amount (a register's balance is the
    same row's amount − paid, which does not run)."""
    balances = [b for b in ("open_amount", "open_amount_local") if b in mapping]
    if not balances:
        return mapping
    out = dict(mapping)
    if not set(_MOVES) & mapping.keys():
        pair = _runs_by(body, mapping, mapping[balances[0]], header, unused)
        if pair is None:
            return mapping
        plus, minus = pair
        if minus is not None:
            out = {f: p for f, p in out.items() if p not in (plus, minus)}
            out["debit"], out["credit"] = plus, minus
    for balance in balances:
        position = out.pop(balance)
        out.setdefault("running_balance", position)
    return out


def _runs_by(body: Body, mapping: dict, balance_at: int, header: list, unused: tuple):
    """(plus, minus or None) positions of the columns the balance runs by, or None."""
    # what is received lowers the receivable (收回应收款): the account's name is no direction
    words = {at: re.sub(r"应收(账)?款?", "", header_words(h)) for at, h in enumerate(header)}

    def says(at: int, pattern) -> bool:
        return bool(pattern.search(words.get(at, "")))

    free = [at for at, _h in unused if at != balance_at]
    pluses = [at for at in free if says(at, _PLUS) and not says(at, _MINUS)]
    minuses = [at for at in free if says(at, _MINUS) and not says(at, _PLUS)]
    if "amount" in mapping and not says(mapping["amount"], _MINUS):
        pluses.append(mapping["amount"])
    minuses += [mapping[f] for f in ("paid_amount", "credited_amount") if f in mapping]
    for plus in pluses:
        for minus in [*minuses, None]:
            if minus != plus and _moves_with(body, mapping, balance_at, plus, minus):
                return plus, minus
    return None


def _moves_with(
    body: Body, mapping: dict, balance_at: int, plus_at: int, minus_at, rows: int = 500
) -> bool:
    """Does the balance change from row to row by the row's plus − minus? Only documents next
    to each other count (a totals or heading row between breaks the run); where the customer
    changes the balance may restart (it is then the row's own plus − minus) or run on. With
    no minus column a signed or unsigned amount may move it either way."""
    take = min(rows, body.height)
    if take < 2:
        return False

    def figures(at: int):
        values, bad = parse_amounts(body.stripped(at).slice(0, take).to_pandas(), 2)
        return values.to_numpy(), bad.to_numpy()

    balance, bad = figures(balance_at)
    plus, bad_plus = figures(plus_at)
    moved = body.filled(plus_at)[:take]
    bad = bad | bad_plus
    if minus_at is not None:
        minus, bad_minus = figures(minus_at)
        moved = moved | body.filled(minus_at)[:take]
        bad, plus = bad | bad_minus, plus - minus
    ok = body.filled(balance_at)[:take] & moved & ~bad
    if "doc_no" in mapping:
        ok &= body.filled(mapping["doc_no"])[:take]
    pairs = np.flatnonzero(ok[1:] & ok[:-1]) + 1  # row i with row i - 1 right above it
    # two explicit columns (发货 | 收款) prove it with one step, when every step agrees (a
    # statement of one customer may hold two documents); one amount alone needs three
    if len(pairs) < (1 if minus_at is not None else 3):
        return False
    step = balance[pairs] - balance[pairs - 1]
    same = step == plus[pairs]
    if minus_at is None:
        same |= np.abs(step) == np.abs(plus[pairs])
    who = [mapping[f] for f in ("customer_id", "customer_name") if f in mapping]
    if who:
        customer = body.stripped(who[0]).slice(0, take).to_numpy(zero_copy_only=False)
        new = customer[pairs] != customer[pairs - 1]
        same |= new & (balance[pairs] == plus[pairs])  # the balance restarts at a customer
    # a register (or an open-items list) states each row's own balance: never "running"
    own = balance[ok] == plus[ok]
    enough = same.mean() >= 0.8 if len(pairs) >= 3 else same.all()
    return bool(enough) and not bool(own.mean() >= 0.8)


_TWINS = {"amount": "amount_local", "open_amount": "open_amount_local", "debit": "debit_local",
          "credit": "credit_local"}  # fmt: skip


def _company_currency_amounts(body: Body, mapping: dict, rows: int = 500) -> dict:
    """An amount column whose every cell carries one currency's sign while the currency
    column names others, beside an amount column that follows each row's currency, is in that
    one currency — the company's: its local twin (NetSuite's A/R Aging Detail: Open Balance
    "$5,046.00" on a EUR invoice beside Amount (Foreign Currency) "€5,800.00")."""
    if "currency" not in mapping:
        return mapping
    take = min(rows, body.height)

    def cells(position: int) -> pd.Series:
        values = body.stripped(position).slice(0, take).to_pandas()
        return values[values.str.strip().ne("")]

    named = codes(cells(mapping["currency"]), "")
    named = set(named[named.str.fullmatch(r"[A-Z]{3}")])
    signs = {f: sign_codes(cells(mapping[f])) for f in _TWINS if f in mapping
             and _TWINS[f] not in mapping}  # fmt: skip
    one = {f: s.iloc[0] for f, s in signs.items()
           if len(s) >= 2 and s.ne("").all() and s.nunique() == 1}  # fmt: skip
    follows = [f for f in signs if f not in one]
    out = dict(mapping)
    for name, code in one.items():
        if follows and named - {code}:
            out[_TWINS[name]] = out.pop(name)
    return out


# ---- when no table is found ------------------------------------------------------------------


def _no_table(path: Path, sheets: list, config, wanted: str | None) -> tuple[str, dict]:
    """The error's code and parameters: the closest header row as seen, what it lacks, and the
    config line that fixes it (one line)."""
    need = wanted or "ledger"
    attempts = [(s, best_attempt(s, config, need)) for s in sheets]
    attempts = [(s, a) for s, a in attempts if a is not None]
    scan = config.reading.header_scan_rows
    if not attempts:
        first = next((r for s in sheets for r in s.head(scan) if any(c.strip() for c in r)), [])
        seen = " | ".join(c.strip() for c in first if c.strip())[:300]
        ids, others = REQUIRED[need]
        snippet = (
            f'columns: {{{need}: {{{sorted(ids)[0]}: ["<your header>"], '
            f'{sorted(others)[0]}: ["<your header>"]}}}}'
        )
        return "error.no_table_known", dict(
            file=path, kind=msg(f"table_kind.{need}"), scan=scan, seen=seen or "-", ids="/".join(sorted(ids)),
            others="/".join(sorted(others)), snippet=snippet,
        )  # fmt: skip
    sheet, best = max(attempts, key=lambda sa: (-len(sa[1].missing()), sa[1].score))
    where = f" [{sheet.name}]" if sheet.name else ""
    seen = " | ".join(h.strip() for h in best.headers if h.strip())[:300]
    missing = best.missing()
    snippet = _snippet(need, best, missing)
    return "error.no_table", dict(
        file=f"{path}{where}", kind=msg(f"table_kind.{need}"), row=best.row + 1, seen=seen,
        missing=" + ".join(missing), snippet=snippet,
    )  # fmt: skip


def _snippet(kind: str, match: HeaderMatch, missing: list[str]) -> str:
    """`columns: {ledger: {customer_id: [Party], open_amount: [Outstanding Amt]}}`."""
    unused = [h.strip() for _at, h in match.unused]
    lines = []
    for group in missing:
        options = group.split("/")
        guess = None
        for header in unused:
            fields = [f for f, _s in token_candidates(header)]
            hit = next((f for f in fields if f in options), None)
            if hit:
                guess = (hit, header)
                break
        if guess is None:
            guess = (options[0], "<your header>")
        unused = [h for h in unused if h != guess[1]]
        lines.append(f"{guess[0]}: [{_quoted(guess[1])}]")
    return "columns: {" + kind + ": {" + ", ".join(lines) + "}}"


def _quoted(header: str) -> str:
    return f'"{header}"' if re.search(r"[:#\[\]{},\"']", header) or not header else header


# ---- title lines -----------------------------------------------------------------------------

# A whole date; one separator throughout, so '2026.10-2026.10' (a range of months) is no date.
_DATE_IN_TITLE = re.compile(
    r"(?<!\d)(\d{4}([-/.])\d{1,2}\2\d{1,2}(?!\d)|\d{4}年\d{1,2}月\d{1,2}日?|"
    r"\d{1,2}([./])\d{1,2}\3\d{4}(?!\d)|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}|"
    r"\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4})"
)
# A report period or cut-off named as such ('会计期间：2026年10月', '期间：2026.01-2026.10',
# '截止日期：20261031'); only after one of these words, so no title or code is taken for one.
_PERIOD_KEY = re.compile(
    r"(?i)(会计期间|所属期间|报表期间|核算期间|期间|会计月份|截止日期|截至日期|截止|截至|"
    r"\bperiod\b|\bas\s+(?:of|at)\b)\s*[:：]?\s*"
)
_MONTH = re.compile(
    r"(?<!\d)(\d{4})\s*(?:年\s*第?\s*(\d{1,2})\s*[月期]|[-/.](\d{1,2})(?![\d/.-]*\d))"
)
_COMPACT = re.compile(r"^(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


def title_dates(titles: list[str]) -> list[str]:
    """Date-looking tokens in the title rows ('期间: 2023-11-01 至 2026-10-31'), and the end of
    a report period named there ('会计期间：2026年第10期' -> '2026-10-31'), ISO written."""
    found, named = [], []
    for line in titles:
        found.extend(hit.group(0) for hit in _DATE_IN_TITLE.finditer(line))
        named.extend(_period_ends(line))
    return named or found  # the period the report names outranks a print date beside it


def _period_ends(line: str) -> list[str]:
    """The dates a title line names after a period word: its whole dates, else the month end
    of the last month in '2026年10月', '2026年第10期', '2026.01-2026.10'; a compact '20261031'."""
    out = []
    for key in _PERIOD_KEY.finditer(line):
        value = re.split(r"\s+\S+[:：]", line[key.end() :])[0][:40]  # to the next 'key：'
        compact = _COMPACT.match(value)
        if compact:
            out.append("-".join(compact.groups()))
            continue
        whole = [hit.group(0) for hit in _DATE_IN_TITLE.finditer(value)]
        if whole:
            out.extend(whole)  # '截止日期：2026年10月31日', '期间: 2023-11-01 至 2026-10-31'
            continue
        months = [(int(m[0]), int(m[1] or m[2])) for m in _MONTH.findall(value)]
        months = [(y, m) for y, m in months if 1 <= m <= 12]
        if months:
            year, month = months[-1]
            end = (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()
            out.append(end.isoformat())
    return out
