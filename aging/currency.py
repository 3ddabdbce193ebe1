"""The base currency, and amounts converted to it exactly.

In: the config, the ledger tables as read (text) and the FX table. Out: the base currency with
the evidence it rests on (`Base`), and conversions in integer minor units. Raises `InputError`
when nothing says which currency the ledger is in (DESIGN: never a silent default), or when a
multi-currency ledger gives no base.

Evidence, strongest first: the config; a local-currency code column (SAP LCurr); the currency
whose rows carry company-currency amounts equal to their document amounts; the ledger's only
currency; the FX table's currency at rate 1; a currency in the title rows ("币别: 人民币",
"All amounts in USD"); a currency named in an amount header ("converted_usd", "金额(元)");
currency signs in the amounts; a Chinese-language export (CNY).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

from aging.errors import InputError
from aging.parse import ISO_CODES, currency_decimals, parse_amounts
from aging.reading.fields import CURRENCY_WORDS

LOCAL_TWINS = {
    "amount_local": "amount",
    "open_amount_local": "open_amount",
    "debit_local": "debit",
    "credit_local": "credit",
}
_MONEY = ("amount", "open_amount", "debit", "credit", "paid_amount", "credited_amount")


@dataclass(frozen=True)
class Base:
    code: str
    evidence: str  # config | local_currency | local_amounts | ledger | fx_table | title |
    #                amount_header | amount_signs | chinese_export | local_signs
    detail: str = ""  # what was seen ("币别: 人民币", "'$' in 14 amounts")


def choose_base(config, ledgers: list, fx_rates: dict) -> Base:
    if config.base_currency:
        return Base(config.base_currency.upper(), "config")
    for find in (_local_currency_column, _equal_local_amounts):
        found = find(ledgers)
        if found:
            return found
    found = _local_signs(ledgers)
    if found:
        return found
    seen = _ledger_currencies(ledgers)
    local_only = any(_local_only(t) for t in ledgers)
    if len(seen) == 1 and not local_only:
        return Base(next(iter(seen)), "ledger")
    ones = sorted(c for c, r in fx_rates.items() if _ratio(r, c) == 1)
    if len(ones) == 1:
        return Base(ones[0], "fx_table")
    if len(seen) > 1:
        raise InputError(
            "error.several_currencies", count=len(seen), currencies=", ".join(sorted(seen))
        )
    for find in (_title_currency, _header_currency, _amount_signs, _chinese_export):
        found = find(ledgers)
        if found:
            return found
    if len(seen) == 1:
        return Base(next(iter(seen)), "ledger")
    raise InputError("error.no_currency")


@functools.cache
def currency_names() -> dict[str, str]:
    """Currency names as ERPs write them in a currency column (NetSuite "US Dollar", "Euro";
    用友 "港元"), lower-cased, from CLDR (Babel) in English and Chinese, with our own words
    (人民币, 美金, RMB) over them."""
    from babel import Locale

    names = {}
    for lang in ("zh", "zh_Hant", "en"):  # English last: a name in two wins as English says
        names.update({n.lower(): c for c, n in Locale.parse(lang).currencies.items()})
    return {**names, **CURRENCY_WORDS}


def codes(raw: pd.Series, default: str, words: dict | None = None) -> pd.Series:
    """Currency cells -> ISO codes ('人民币', 'US Dollar' -> CNY, USD); blank -> default."""
    folded = raw.str.strip().str.lower()
    mapped = folded.map({**currency_names(), **(words or {})})
    code = mapped.where(mapped.notna(), raw.str.strip().str.upper())
    return code.where(code != "", default)


def _ledger_currencies(ledgers: list) -> set:
    seen = set()
    for table in ledgers:
        if "currency" in table.frame:
            found = codes(table.frame["currency"], "")
            # Only real codes count; an invalid cell becomes that row's exception later.
            seen |= set(found[found.str.fullmatch(r"[A-Z]{3}")].unique())
    return seen


def _local_only(table) -> bool:
    """Company-currency amounts without any document-currency amount beside them."""
    cols = set(table.frame.columns)
    local = {c for c in LOCAL_TWINS if c in cols}
    return bool(local) and not any(c in cols for c in LOCAL_TWINS.values())


def _local_currency_column(ledgers: list) -> Base | None:
    found = set()
    for table in ledgers:
        if "local_currency" in table.frame:
            values = codes(table.frame["local_currency"], "")
            found |= set(values[values.str.fullmatch(r"[A-Z]{3}")].unique())
    if len(found) == 1:
        return Base(found.pop(), "local_currency")
    return None


def _equal_local_amounts(ledgers: list) -> Base | None:
    """The currency whose rows state the same figure in document and company currency."""
    equal, differ = set(), set()
    for table in ledgers:
        frame = table.frame
        if "currency" not in frame:
            continue
        currency = codes(frame["currency"], "")
        for local, doc in LOCAL_TWINS.items():
            if local not in frame or doc not in frame:
                continue
            a, bad_a = parse_amounts(frame[doc], 2)
            b, bad_b = parse_amounts(frame[local], 2)
            both = frame[doc].str.strip().ne("") & frame[local].str.strip().ne("")
            both &= ~bad_a & ~bad_b & a.ne(0)
            for code, same in (a.eq(b))[both].groupby(currency[both]):
                (equal if same.all() else differ).add(code)
    candidates = equal - differ
    if len(candidates) == 1:
        return Base(candidates.pop(), "local_amounts")
    return None


_TITLE = re.compile(
    r"(?i)(?:币别|币种|货币|本位币|组织本币|记账本位币|reporting currency|currency|"
    r"amounts?\s+(?:are\s+)?(?:shown\s+)?in|金额单位)\s*[:：]?\s*([A-Za-z]{3}\b|人民币|美元|美金|"
    r"欧元|港币|港元|日元|英镑|元|RMB)(?!\s*/)"
)
_PARENS = re.compile(r"[(（]\s*([A-Z]{3})\s*[)）]")
# ISO codes a title may name alone ("Aged Partner Balance - YourCompany - USD")
_ISO = ISO_CODES
_ALONE = re.compile(rf"(?<![A-Za-z])({_ISO})(?![A-Za-z])")


def _title_currency(ledgers: list) -> Base | None:
    found = {}
    for table in ledgers:
        for line in table.titles:
            for hit in (*_TITLE.finditer(line), *_PARENS.finditer(line), *_ALONE.finditer(line)):
                code = _code(hit.group(1))
                if code:
                    found.setdefault(code, line.strip()[:60])
    if len(found) == 1:
        code, line = found.popitem()
        return Base(code, "title", line)
    return None


_HEADER = re.compile(
    rf"(?:^|[\s_(（\[【])((?i:usd|cny|eur|gbp|hkd|jpy|rmb)|元|人民币|美元|{_ISO})(?:[\s)）\]】]|$)"
)


def _header_currency(ledgers: list) -> Base | None:
    found = {}
    for table in ledgers:
        for field, header in table.headers.items():
            if field in _MONEY:
                hit = _HEADER.search(str(header))
                code = _code(hit.group(1)) if hit else ""
                if code:
                    found.setdefault(code, str(header))
    if len(found) == 1:
        code, header = found.popitem()
        return Base(code, "amount_header", header)
    return None


_SIGNS = (("US$", "USD"), ("HK$", "HKD"), ("NZ$", "NZD"), ("A$", "AUD"), ("C$", "CAD"),
          ("S$", "SGD"), ("R$", "BRL"), ("¥", "CNY"), ("￥", "CNY"), ("RMB", "CNY"),
          ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("₩", "KRW"), ("$", "USD"))  # fmt: skip


def _local_signs(ledgers: list) -> Base | None:
    """A company-currency column whose every amount carries one currency's sign (NetSuite's
    Open Balance "$5,046.00" beside EUR and USD documents) names the base."""
    found = set()
    for table in ledgers:
        for field in LOCAL_TWINS:
            if field in table.frame:
                cells = table.frame[field][table.frame[field].str.strip().ne("")]
                signs = set(sign_codes(cells).unique())
                if len(cells) and len(signs) == 1 and "" not in signs:
                    found |= {(signs.pop(), table.headers.get(field, field))}
    if len({code for code, _ in found}) == 1:
        code, header = sorted(found)[0]
        return Base(code, "local_signs", header)
    return None


def sign_codes(texts: pd.Series) -> pd.Series:
    """The currency each amount cell's sign names ('$5,046.00' -> USD, 'HK$' -> HKD); '' for
    a cell with none."""
    out = pd.Series("", index=texts.index, dtype="str")
    rest = texts.str.contains(r"[$¥￥€£₹₩]|RMB", regex=True)  # one pass; most cells have none
    for sign, code in _SIGNS:
        hit = rest & texts.str.contains(sign, regex=False)
        out[hit] = code
        rest &= ~hit
    return out


def _amount_signs(ledgers: list) -> Base | None:
    found: dict[str, int] = {}
    for table in ledgers:
        for field in _MONEY:
            if field not in table.frame:
                continue
            # the figures of the totals rows too: QuickBooks prints "$" on those alone
            stated = [t.values[field] for t in table.totals if field in t.values]
            column = pd.concat([table.frame[field], pd.Series(stated, dtype="str")])
            signs = sign_codes(column.reset_index(drop=True))
            for code, count in signs[signs.ne("")].value_counts().items():
                found[code] = found.get(code, 0) + int(count)
    if len(found) == 1:
        code, count = found.popitem()
        return Base(code, "amount_signs", str(count))
    return None


def _chinese_export(ledgers: list) -> Base | None:
    for table in ledgers:
        headers = " ".join(str(h) for h in table.headers.values())
        if re.search(r"[\u4e00-\u9fff]", headers):
            return Base("CNY", "chinese_export", headers[:40])
    return None


def _code(text: str) -> str:
    word = text.strip()
    code = CURRENCY_WORDS.get(word.lower(), CURRENCY_WORDS.get(word, word.upper()))
    if word == "元":
        code = "CNY"
    return code if re.fullmatch(r"[A-Z]{3}", code or "") else ""


# ---- converting ------------------------------------------------------------------------------


def _ratio(value, currency: str) -> Fraction:
    """An FX rate as an exact fraction (a rate given as text, or one implied by the export)."""
    if isinstance(value, Fraction):
        return value
    try:
        rate = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise InputError("error.rate_not_number", currency=currency, value=repr(value)) from None
    if not rate.is_finite() or rate <= 0:
        raise InputError("error.rate_not_positive", currency=currency, value=repr(value))
    return Fraction(rate)


def scale(minor: np.ndarray, factor: Fraction) -> np.ndarray:
    """minor * factor, rounded half away from zero, exactly (Python ints when int64 could
    overflow)."""
    num, den = factor.numerator, factor.denominator
    values = np.asarray(minor, dtype="int64")
    if not len(values):
        return values
    if int(np.abs(values).max()) * num < 2**61 and den < 2**61:
        sign = np.sign(values)
        return sign * ((2 * np.abs(values) * num + den) // (2 * den))
    out = [(1 if v >= 0 else -1) * ((2 * abs(int(v)) * num + den) // (2 * den)) for v in values]
    return np.array(out, dtype="int64")


def pro_rata(part: pd.Series, whole_base: pd.Series, whole: pd.Series) -> pd.Series:
    """part × whole_base / whole per row, exactly, rounded half away from zero: what is open
    (or paid) of a document, in the base, at the document's own rate. <NA> where the
    document's base amount is unknown or its amount is 0."""
    known = whole_base.notna() & whole.ne(0) & part.notna()
    out = pd.Series(pd.NA, index=part.index, dtype="Int64")
    if not known.any():
        return out
    n = [int(a) * int(b) for a, b in zip(part[known], whole_base[known], strict=True)]
    d = [int(c) for c in whole[known]]
    out[known] = [
        (1 if (x >= 0) == (y > 0) else -1) * ((2 * abs(x) + abs(y)) // (2 * abs(y)))
        for x, y in zip(n, d, strict=True)
    ]
    return out


def to_base(minor: pd.Series, currency: pd.Series, base: str, fx_rates: dict) -> pd.Series:
    """Exact conversion: minor * rate, rounded half up to the base currency's minor unit."""
    out = pd.Series(0, index=minor.index, dtype="int64")
    for code in currency.unique():
        rows = currency.eq(code)
        if code == base:
            out[rows] = minor[rows]
            continue
        shift = currency_decimals(base) - currency_decimals(code)
        factor = _ratio(fx_rates[code], code) * Fraction(10) ** shift
        out[rows] = scale(minor[rows].to_numpy(), factor)
    return out


def implied_rates(rows: pd.DataFrame, base: str) -> dict:
    """Currency -> the rate its company-currency amounts imply (sum base / sum document), for
    what has no amount of its own in base (an unapplied credit) and no FX table rate."""
    known = rows[rows["base_minor"].notna() & rows["balance_minor"].ne(0)]
    out = {}
    for code, part in known.groupby("currency"):
        if code == base:
            continue
        doc = int(part["balance_minor"].abs().sum())
        local = int(part["base_minor"].astype("int64").abs().sum())
        if doc and local:
            shift = currency_decimals(base) - currency_decimals(code)
            out[code] = Fraction(local, doc) / Fraction(10) ** shift
    return out


def rate_check(value, currency: str) -> Fraction:
    return _ratio(value, currency)
