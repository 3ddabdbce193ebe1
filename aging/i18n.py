"""Every word a user reads, from one gettext catalogue per language.

In: a message code (`sheet.worklist`, `credit_hold.over_limit`), a language and the message's
parameters. Out: the text in that language, parameters formatted the language's way (money
`CNY 63,310.23` / `¥63,310.23`, dates `2 Nov 2026` / `2026年11月2日`, Babel's CLDR data).

The catalogues are `aging/locale/<lang>/LC_MESSAGES/messages.po`, read at import with Babel
(no build step). Their msgids are codes; the English catalogue holds the English text, so a
code is never shown. A code missing from a language falls back to English; a code missing from
English raises `KeyError` (a typo fails its test, never prints a raw code). Settings
descriptions are the exception: their msgid is the English description written in
`aging/config.py` (msgctxt "setting"), as gettext does with source strings.

Stages say *what* happened as a `Msg` (code + parameters) and never format it; renderers, the
console and the mail call `render`. A parameter may be a `Money`, a date, a number, text from
the data (shown as is) or another `Msg` (rendered in the same language).
Adding a language is adding `aging/locale/<lang>/LC_MESSAGES/messages.po` (see docs).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SOURCE_LANG = "en"  # the catalogue every other falls back to


def _catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> tuple[str, ...]:
    """The catalogues present, the source language first: adding a folder adds a language."""
    found = (p.name for p in LOCALE_DIR.iterdir() if _catalogue_path(p.name).exists())
    return tuple(sorted(found, key=lambda lang: (lang != SOURCE_LANG, lang)))


LANGS = available_languages()


@dataclass(frozen=True)
class Msg:
    """A message as data: a catalogue code and its parameters (hashable, so a column of them
    can be rendered once per distinct value)."""

    code: str
    params: tuple = ()  # ((name, value), ...) sorted by name

    @property
    def kw(self) -> dict:
        return dict(self.params)

    def __str__(self) -> str:  # for logs and assertion messages: English
        return render(self, SOURCE_LANG)


def msg(code: str, **params) -> Msg:
    """`msg("credit_hold.over_limit", limit=Money(...), open=Money(...))`."""
    return Msg(code, tuple(sorted(params.items())))


@dataclass(frozen=True)
class Money:
    """An amount in integer minor units of a currency, formatted per language; currency ""
    for a base-currency amount shown as a plain number (where a header names the currency)."""

    minor: int
    currency: str
    decimals: int = 2


class _Catalogue:
    def __init__(self, lang: str) -> None:
        with _catalogue_path(lang).open("rb") as f:
            catalog = read_po(f, locale=None, domain=DOMAIN)
        self.lang = lang
        self.messages: dict[str, str] = {}
        self.sources: dict[tuple[str | None, str], str] = {}
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue  # untranslated: falls back to the source language
            if message.context:
                self.sources[(message.context, message.id)] = message.string
            else:
                self.messages[message.id] = message.string


@functools.cache
def catalogue(lang: str) -> _Catalogue:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return _Catalogue(lang)


def codes() -> tuple[str, ...]:
    """Every code of the source catalogue."""
    return tuple(catalogue(SOURCE_LANG).messages)


def has(code: str) -> bool:
    return code in catalogue(SOURCE_LANG).messages


def template(code: str, lang: str) -> str:
    """The raw catalogue text of `code` (English when `lang` lacks it)."""
    text = catalogue(lang).messages.get(code)
    if text is None:
        text = catalogue(SOURCE_LANG).messages.get(code)
    if text is None:
        raise KeyError(code)
    return text


def text(code: str, lang: str = SOURCE_LANG, **params) -> str:
    """The message `code` in `lang`, its {placeholders} filled from `params` (formatted)."""
    shown = template(code, lang)
    if not params:
        return shown
    return shown.format_map({k: _param(v, lang) for k, v in params.items()})


def render(value, lang: str = SOURCE_LANG) -> str:
    """What a cell shows: a `Msg` rendered, several joined by the language's list separator,
    text from the data as it is, nothing for a missing value."""
    if isinstance(value, Msg):
        return text(value.code, lang, **value.kw)
    if isinstance(value, tuple | list):
        parts = [render(v, lang) for v in value]
        return template("text.list_sep", lang).join(p for p in parts if p)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def render_column(values: pd.Series, lang: str) -> pd.Series:
    """`render` over a column, once per distinct value (most rows share a few messages)."""
    shown: dict = {}

    def one(value) -> str:
        key = tuple(value) if isinstance(value, list) else value
        if key not in shown:
            shown[key] = render(value, lang)
        return shown[key]

    return pd.Series([one(v) for v in values.tolist()], index=values.index, dtype="object")


# Columns of the plan's tables that hold messages (aging.plan): rendered before writing.
MESSAGE_COLUMNS = ("next_action", "window", "held_reason", "block_reason", "hold_reason",
                   "action", "route", "region", "reason")  # fmt: skip


def render_frame(frame: pd.DataFrame, lang: str, columns=MESSAGE_COLUMNS) -> pd.DataFrame:
    """A copy of `frame` with its message columns (those of `columns` it has) as text."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return frame
    return frame.assign(**{c: render_column(frame[c], lang) for c in present})


def gettext(source: str, lang: str, context: str | None = None) -> str:
    """The translation of an English source text (a Settings description); itself when the
    language has none."""
    if lang == SOURCE_LANG or not source:
        return source
    return catalogue(lang).sources.get((context, source), source)


# ---- formats -------------------------------------------------------------------------------


def locale(lang: str) -> str:
    """The CLDR locale of a language's catalogue (`format.locale`: en_GB, zh_Hans_CN)."""
    return template("format.locale", lang)


def money(minor: int, currency: str, decimals: int, lang: str) -> str:
    """`CNY 63,310.23` in English, `¥63,310.23` in Chinese: the catalogue's `format.money`
    pattern (CLDR syntax, ¤ symbol, ¤¤ ISO code) with the currency's own decimals."""
    amount = Decimal(int(minor)).scaleb(-int(decimals))
    places = "0" * int(decimals)
    if not currency:
        return format_decimal(amount, format="#,##0." + places if places else "#,##0",
                              locale=locale(lang), decimal_quantization=True)  # fmt: skip
    pattern = template("format.money", lang)
    pattern = re.sub(r"0\.0+|0(?=\s*¤|$)", "0." + places if places else "0", pattern, count=1)
    return format_currency(amount, currency, format=pattern, locale=locale(lang),
                           currency_digits=False)  # fmt: skip


def date(day, lang: str, form: str | None = None) -> str:
    """A date in a sentence: the catalogue's `format.date` pattern (`2026-11-02` /
    `2026年11月2日`), or CLDR's `long` / `medium` / `short` form when asked."""
    if day is None or pd.isna(day):
        return ""
    return format_date(pd.Timestamp(day).date(), format=form or template("format.date", lang),
                       locale=locale(lang))  # fmt: skip


def number(value, lang: str) -> str:
    """Grouped as the language groups thousands: 1,048,576."""
    return format_decimal(value, locale=locale(lang))


def percent(share: float, lang: str) -> str:
    """69%: a share as the language writes a whole percentage."""
    return format_percent(share, format="#,##0%", locale=locale(lang))


def _param(value, lang: str) -> str:
    if isinstance(value, Msg | tuple | list):
        return render(value, lang)
    if isinstance(value, Money):
        return money(value.minor, value.currency, value.decimals, lang)
    if isinstance(value, bool):
        return text("text.yes" if value else "text.no", lang)
    if isinstance(value, dt.date | pd.Timestamp):  # datetime is a date too
        return date(value, lang)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return number(value, lang)
    return render(value, lang)


# ---- labels the renderers share -----------------------------------------------------------

# Excel: sheet names up to 31 characters, none of these, no apostrophe at either end.
SHEET_NAME_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def grade_label(grade: str, lang: str) -> str:
    """未收款 / 催收款 / 准呆账 / 呆账 / 死账 in Chinese."""
    return template(f"grade.{grade}", lang)


def sheet_name(key: str, lang: str) -> str:
    """A sheet's display name, checked against Excel's rules."""
    name = template(f"sheet.{key}", lang)
    if safe_sheet_name(name) != name:
        raise ValueError(f"sheet label {key!r} is not a valid Excel sheet name: {name!r}")
    return name


def safe_sheet_name(name: str) -> str:
    """Make text usable as a sheet name: drop forbidden characters, trim to 31 characters."""
    cleaned = _SHEET_BAD.sub("_", str(name)).strip().strip("'")
    return (cleaned or "Sheet")[:SHEET_NAME_MAX]


def coded(prefix: str, lang: str, keys: Iterable[str] | None = None) -> dict[str, str]:
    """Display text of coded values (`channel`, `strategy` …) by key: the given keys, or
    every code under `prefix.`."""
    start = prefix + "."
    if keys is None:
        keys = [
            c[len(start) :] for c in codes() if c.startswith(start) and "." not in c[len(start) :]
        ]
    return {key: template(start + key, lang) for key in keys}


def choices(field: str, lang: str) -> dict[str, str]:
    """A drop-down's words by key (`choice.channel.phone` = 电话): what a pack offers for a
    coded input column in the run's language. Each word must read back to its key
    (aging.normalise.CODED_VALUES; tests check it)."""
    return coded(f"choice.{field}", lang)


# ---- issues -------------------------------------------------------------------------------

_ISSUE_FIELDS = ("file", "sheet", "column", "value", "customer_id", "doc_no", "currency")


def issue_text(row: Mapping, lang: str, base_currency: str = "", decimals: Mapping | None = None):
    """An issue row's message: `issue.<code>` filled from the row's own fields (value, column,
    currency, row, doc_no, customer_id, file, sheet, amount), the run's base currency and the
    row's optional `params`; the row's `message` when the catalogue has no such code."""
    code = str(row.get("code", ""))
    if not has(f"issue.{code}"):
        return render(row.get("message", ""), lang)
    fields = {k: render(row.get(k, ""), lang) for k in _ISSUE_FIELDS}
    fields["row"] = "" if pd.isna(row.get("row")) else str(int(row["row"]))
    fields["base"] = base_currency
    amount, currency = row.get("amount_minor"), fields["currency"] or base_currency
    if amount is not None and not pd.isna(amount) and currency:
        places = (decimals or {}).get(currency, 2)
        fields["amount"] = Money(int(amount), currency, int(places))
    params = row.get("params")
    if isinstance(params, Mapping):
        fields.update(params)
    try:
        return text(f"issue.{code}", lang, **fields)
    except KeyError:  # a stage that does not give the parameter yet: its own text
        return render(row.get("message", ""), lang)
