"""Typed parsers for cells read as text: amounts to integer minor units, dates to calendar dates.

In: pandas Series of str (every cell is read as text first, see aging.reading). Out: parsed
values plus a boolean mask of cells that could not be read, so the caller can put those rows on
the exceptions list with their raw value. All work is vectorised string operations; pandas does
the date parsing, we only decide the format (DESIGN: day/month order decided from the whole
file or the config, never guessed per cell).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# ISO 4217 minor-unit exponents that differ from 2; everything else uses 2.
_DECIMALS = {
    "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "PYG": 0, "UGX": 0, "XAF": 0, "XOF": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}  # fmt: skip


def currency_decimals(currency: str) -> int:
    return _DECIMALS.get(currency, 2)


# Currency words and signs people type into amount cells; stripped before reading the number.
# Plain pattern strings, not compiled ones, so pandas can hand them to Arrow's native regex.
# ISO codes people write beside amounts ("INR 1,23,456.00", "AUD1,234.00"), upper case only.
ISO_CODES = (
    "USD|EUR|GBP|CNY|JPY|HKD|CAD|AUD|NZD|SGD|CHF|SEK|NOK|DKK|INR|KRW|TWD|MYR|THB|IDR|PHP|VND|"
    "ZAR|BRL|MXN|AED|SAR|RUB|PLN|CZK|HUF|TRY|ILS|MOP"
)
CURRENCY_NOISE = (
    rf"(?i:rmb|cny|usd|eur|hkd|jpy|gbp|us\$|hk\$|rs\.)|{ISO_CODES}|[¥￥$€£₹₩₽元圆]|\s|'"
)
_NUMBER = r"^[+-]?(\d+)(?:\.(\d*))?$"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋（）−", "0123456789.,-+()-")


def parse_amounts(
    raw: pd.Series, decimals: pd.Series | int, *, decimal_comma: bool | str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Text amounts -> (int64 minor units, mask of unreadable non-blank cells).

    Reads "1,234.56", "¥8,800.00", "(1,200.00)", "1,234.56-" (SAP), "1 234.56 CR", "1000.00贷", full-width
    digits, and with a decimal comma "1.234,56" and "3.000,00-". Blank cells give 0 and are not
    flagged: the caller decides whether blank is allowed. Digits beyond the currency's minor
    unit are rounded half away from zero (float noise such as 1234.5600000000002 from Excel
    formulas). `decimal_comma`: None or "auto" decides from these values (`decimal_comma_in`).
    A separator where the other mark's grouping has none ("10.500,00" read with a decimal
    point) makes the cell unreadable, never a number 1,000 times too small.
    """
    text = raw.fillna("").astype(str).str.strip()
    if decimal_comma is None or decimal_comma == "auto":
        decimal_comma = decimal_comma_in([text])
    blank = text.eq("") | text.isin(["-", "--", "—"])
    # Fast path: most cells are plain numbers; only the rest go through the tidying below.
    plain = text.str.fullmatch(r"-?[0-9]+(\.[0-9]*)?") & (not decimal_comma)
    negative = plain & text.str.startswith("-")
    messy = ~plain & ~blank
    if messy.any():
        tidy, messy_negative = _tidy_amounts(text[messy], decimal_comma)
        text = text.copy()
        text[messy] = tidy
        negative[messy] = messy_negative
    parts = text.str.lstrip("-").str.extract(r"^([0-9]+)(?:\.([0-9]*))?$")
    bad = parts[0].isna() & ~blank
    whole = pd.to_numeric(parts[0], errors="coerce").fillna(0).astype("int64")
    frac_text = parts[1].fillna("")
    dec = decimals if isinstance(decimals, pd.Series) else pd.Series(decimals, index=text.index)
    dec = dec.astype("int64")
    minor = whole * (10**dec) + _fraction_minor(frac_text, dec)
    minor = minor.where(~negative, -minor)
    minor = minor.where(~(bad | blank), 0)
    return minor.astype("int64"), bad


def _tidy_amounts(text: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """Messy amount text -> (unsigned plain number text, negative flags)."""
    # the currency first: "$-440.50" and "USD (1,234.00)" then show their sign
    text = text.str.translate(_FULLWIDTH).str.replace(CURRENCY_NOISE, "", regex=True)
    negative = pd.Series(False, index=text.index)
    signs = (
        (r"^\((.*)\)$", True),
        (r"^(.*)-$", True),
        (r"(?i)^(.*?)\s*cr$", True),
        (r"(?i)^(.*?)\s*dr$", False),  # Tally, Sage: "45,000.00 Dr" is a debit
        (r"^(.*?)\s*贷$", True),  # Chinese ledgers: "1000.00贷" is a credit, lowers the debt
        (r"^(.*?)\s*借$", False),  # "1000.00借" a debit
        (r"^-(.*)$", True),
        (r"^\+(.*)$", False),
    )
    for pattern, flips in signs:
        hit = text.str.match(pattern)
        text = text.where(~hit, text.str.replace(pattern, r"\1", regex=True))
        if flips:
            negative ^= hit
    grouped = text.str.fullmatch(_COMMA_GROUPING if decimal_comma else _POINT_GROUPING)
    text = text.where(grouped, "?")  # a mark where the grouping has none: unreadable
    if decimal_comma:
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(",", "", regex=False)
    return text, negative


# How each style groups a number (after signs and currency are stripped): thousands (and the
# Indian lakh grouping 1,23,456.00 for the point style), then the decimal mark.
_POINT_GROUPING = r"\d*(?:\.\d*)?|\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d*)?"
_COMMA_GROUPING = r"\d*(?:,\d*)?|\d{1,3}(?:\.\d{3})+(?:,\d*)?"
# Values only one style can read: 1.234,56 / 12,5 / 1.234.567 say comma; 1,234.56 / 12.5 /
# 1,234,567 say point. 1.234 and 1,234 say nothing (either style reads them).
_SAYS_COMMA = r"\d{1,3}(?:\.\d{3})*,\d+|\d{1,3}(?:\.\d{3}){2,}|\d{4,},\d+"
_SAYS_POINT = r"\d{1,3}(?:,\d{3})*\.\d+|\d{1,3}(?:,\d{3}){2,}|\d{4,}\.\d+"
_EITHER = r"\d{1,3}[.,]\d{3}"
_EVIDENCE_SAMPLE = 2000


def decimal_comma_in(columns: list[pd.Series]) -> bool:
    """Whether these amount columns write a decimal comma, from values only one style can read
    (the first rows of each, which say it as well as all of them): more saying comma than
    saying point. None saying either: a decimal point."""
    sample = pd.concat([c.head(_EVIDENCE_SAMPLE) for c in columns], ignore_index=True)
    core = (
        sample.fillna("")
        .astype(str)
        .str.translate(_FULLWIDTH)
        .str.replace(r"^[(+-]+|[)-]+$|(?i:\s*(?:cr|dr|借|贷)$)", "", regex=True)
        .str.replace(CURRENCY_NOISE, "", regex=True)
    )
    core = core[~core.str.fullmatch(_EITHER)]
    comma = int(core.str.fullmatch(_SAYS_COMMA).sum())
    return comma > 0 and comma > int(core.str.fullmatch(_SAYS_POINT).sum())


def _fraction_minor(frac: pd.Series, dec: pd.Series) -> pd.Series:
    """The fraction digits as minor units, rounding half away from zero on the first dropped digit."""
    out = pd.Series(0, index=frac.index, dtype="int64")
    for places in dec.unique():
        rows = dec.eq(places)
        digits = frac[rows].str.pad(places + 1, side="right", fillchar="0")
        kept = digits.str[:places]
        kept_value = pd.to_numeric(kept, errors="coerce").fillna(0).astype("int64") if places else 0
        round_up = digits.str[places].astype("int64") >= 5
        out[rows] = kept_value + round_up.astype("int64")
    return out


def is_blank(raw: pd.Series) -> pd.Series:
    return raw.fillna("").astype(str).str.strip().eq("")


# ---- dates -------------------------------------------------------------------------------

# Each pattern: (regex on the cleaned text, pandas format or a keyword for special handling).
_DATE_PATTERNS = (
    (r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    (r"^\d{4}\.\d{1,2}\.\d{1,2}$", "%Y.%m.%d"),
    (r"^\d{4}年\d{1,2}月\d{1,2}日$", "%Y年%m月%d日"),
    (r"^(19|20)\d{6}$", "%Y%m%d"),
    (r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$", "daymonth4"),
    (r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2}$", "daymonth2"),
    (r"^\d{5}$", "serial"),
    # 15 Sep 2026 (Xero, SAP); 2-May-26 (Tally), 15-SEP-26 (Oracle's DD-MON-RR)
    (r"^\d{1,2}[- ][A-Za-z]{3,9}[- ]\d{2}(\d{2})?$", "day-month-name"),
    (r"^[A-Za-z]{3,9} \d{1,2}, \d{4}$", "month-name-day"),  # Sep 15, 2026 (QuickBooks)
)


class AmbiguousDates(ValueError):
    """Dates like 03/04/2026 whose day/month order the file does not reveal."""


def clean_date_text(raw: pd.Series) -> pd.Series:
    """Drop a time of day (a calendar date is wanted) and a float tail ('20200408.0'), fold
    width and spaces."""
    text = raw.fillna("").astype(str).str.strip()
    iso = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the reader's own form: fast path
    if iso.all():
        return text
    rest = text[~iso].str.translate(_FULLWIDTH)
    rest = rest.str.replace(r"[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$", "", regex=True)
    rest = rest.str.replace(r"^([0-9]{5}|[0-9]{8})\.0+$", r"\1", regex=True)
    rest = rest.str.replace(r"\s*([年月日/.-])\s*", r"\1", regex=True)
    text = text.copy()
    text[~iso] = rest
    return text


def day_month_order(columns: list[pd.Series]) -> str | None:
    """'dmy', 'mdy' or 'ymd' from the evidence in all date columns of a table, None if
    undecided.

    Raises AmbiguousDates when one column proves day-first and another month-first.
    """
    if _year_first(columns):
        return "ymd"
    first_big = second_big = False
    for text in columns:
        parts = text[text.str.match(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")].str.extract(
            r"^(\d{1,2})[-/.](\d{1,2})"
        )
        if parts.empty:
            continue
        first_big |= bool((parts[0].astype(int) > 12).any())
        second_big |= bool((parts[1].astype(int) > 12).any())
    if first_big and second_big:
        raise AmbiguousDates("some dates put the day first and others the month first")
    if first_big:
        return "dmy"
    if second_big:
        return "mdy"
    return None


def _year_first(columns: list[pd.Series]) -> bool:
    """Short dates written year first (26.07.01, 26/10/31: Chinese order with a two-digit
    year): the only reading that gives dates at all, or one whose dates lie within a few
    years where reading them day- or month-first scatters them over decades."""
    short = pd.concat([c[c.str.match(r"^\d{2}[-/.]\d{1,2}[-/.]\d{1,2}$")] for c in columns])
    if short.empty or len(short) < sum(len(c[c.str.match(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")])
                                       for c in columns):  # fmt: skip
        return False  # some dates end in a four-digit year: not year first
    parts = short.str.extract(r"^(\d+)[-/.](\d+)[-/.](\d+)$").astype(int)
    a, b, c = parts[0], parts[1], parts[2]

    def span(year, month, day):
        if not (month.between(1, 12).all() and day.between(1, 31).all()):
            return None
        dates = pd.to_datetime(
            pd.DataFrame({"year": 2000 + year, "month": month, "day": day}), errors="coerce"
        )
        if dates.isna().any():
            return None
        return (dates.max() - dates.min()).days

    ymd = span(a, b, c)
    others = [x for x in (span(c, b, a), span(c, a, b)) if x is not None]
    if ymd is None:
        return False
    if not others:
        return True
    return ymd <= 10 * 366 and ymd * 4 < min(others)


def parse_dates(text: pd.Series, order: str | None) -> tuple[pd.Series, pd.Series]:
    """Cleaned date text -> (datetime64 at midnight, mask of unreadable non-blank cells).

    `order` is 'dmy', 'mdy' or None; with None a day/month date is unreadable (the caller has
    already turned that into a question for the user when such dates exist).
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    blank = text.eq("")
    for pattern, fmt in _DATE_PATTERNS:
        rows = text.str.match(pattern) & out.isna()
        if not rows.any():
            continue
        part = text[rows]
        if fmt == "serial":
            serial = pd.to_numeric(part, errors="coerce")
            serial = serial.where(serial.between(1, 2_958_465))
            # Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is allowed for.
            parsed = pd.to_datetime(serial, unit="D", origin="1899-12-30", errors="coerce")
        elif fmt.startswith("daymonth"):
            if order is None:
                continue
            year = "%Y" if fmt.endswith("4") else "%y"
            part = part.str.replace(r"[-.]", "/", regex=True)
            if order == "ymd":  # 26.07.01: a two-digit year first (a four-digit one is read above)
                layout = "%y/%m/%d"
            else:
                layout = f"%d/%m/{year}" if order == "dmy" else f"%m/%d/{year}"
            parsed = pd.to_datetime(part, format=layout, errors="coerce")
        elif fmt == "day-month-name":
            part = part.str.replace("-", " ", regex=False)
            four = part.str.match(r".*\d{4}$")
            parsed = _first_format(part, ("%d %b %Y", "%d %B %Y")).where(
                four, _first_format(part, ("%d %b %y", "%d %B %y"))
            )
        elif fmt == "month-name-day":
            parsed = _first_format(part, ("%b %d, %Y", "%B %d, %Y"))
        else:
            parsed = pd.to_datetime(part, format=fmt, errors="coerce")
        out[rows] = parsed.astype("datetime64[s]")
    out = out.where(out.dt.year.between(1900, 2200))
    bad = out.isna() & ~blank
    return out.astype("datetime64[s]"), bad


def _first_format(part: pd.Series, formats: tuple) -> pd.Series:
    """Month names short or long: each cell takes the first format that reads it."""
    parsed = pd.Series(pd.NaT, index=part.index, dtype="datetime64[s]")
    for fmt in formats:
        parsed = parsed.fillna(pd.to_datetime(part, format=fmt, errors="coerce"))
    return parsed


def needs_day_month_order(columns: list[pd.Series]) -> bool:
    return any(bool(c.str.match(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$").any()) for c in columns)


def parse_int(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers such as terms days or distances ('30', '30.0', '30天')."""
    text = raw.fillna("").astype(str).str.translate(_FULLWIDTH).str.strip()
    text = text.str.replace(r"(天|days?|km|公里)$", "", regex=True).str.strip()
    number = pd.to_numeric(text, errors="coerce")
    bad = number.isna() & text.ne("")
    whole = number.where(number.isna() | (number == np.floor(number)))
    bad |= whole.isna() & number.notna()
    return whole.round().astype("Int64"), bad


_NET = r"(?i)\bnet\s*(\d{1,3})\b"
# SAP payment-term keys ZB30 / NT30 and the short N30: that many days net
_KEY = r"(?i)^\s*(?:zb|nt|n)\s*(\d{1,3})\s*$"
_DAYS = r"(?i)(\d{1,3})\s*(?:天|日|days?\b)"
_ALONE = r"^\s*(\d{1,3})(?:\.0+)?\s*$"
_ON_RECEIPT = (
    r"(?i)due on receipt|upon receipt|\bcod\b|cash on delivery|现结|现款|货到付款|款到发货"
)


def terms_days_of(raw: pd.Series) -> pd.Series:
    """Payment terms as days: "60", "60天", "月结30天", "Net 30", "2/10 Net 30" (the net term),
    "ZB30" / "N30" (SAP keys), "Due on receipt" / 货到付款 (0); <NA> where the text says no
    number of days. The ledger's terms column and the master's read alike."""
    text = raw.fillna("").astype(str).str.translate(_FULLWIDTH)
    days = text.str.extract(_NET)[0]
    for pattern in (_KEY, _DAYS, _ALONE):
        days = days.fillna(text.str.extract(pattern)[0])
    days = pd.to_numeric(days, errors="coerce").astype("Int64")
    return days.mask(days.isna() & text.str.contains(_ON_RECEIPT, regex=True), 0)
