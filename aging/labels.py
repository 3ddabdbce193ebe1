"""Labels of sheets, columns, KPIs and fixed texts: now in the message catalogue.

Kept so code written against it still runs; new code uses `aging.i18n` directly (`text`,
`sheet_name`, `grade_label`). New labels go into `aging/locale/<lang>/LC_MESSAGES/messages.po`,
never into a dictionary here.
"""

from __future__ import annotations

from aging import i18n
from aging.i18n import LANGS, SHEET_NAME_MAX, grade_label, safe_sheet_name, sheet_name

__all__ = ["LANGS", "SHEET_NAME_MAX", "all_keys", "grade_label", "has_label", "label",
           "safe_sheet_name", "sheet_name"]  # fmt: skip

_MISSING = object()


def label(key: str, lang: str = "en", default: object = _MISSING, **fill: object) -> str:
    """`i18n.text(key, lang, **fill)`; `default` when the catalogue has no such key."""
    if not i18n.has(key):
        if default is _MISSING:
            raise KeyError(key)
        return str(default)
    return i18n.text(key, lang, **fill)


def has_label(key: str) -> bool:
    return i18n.has(key)


def all_keys() -> tuple[str, ...]:
    return i18n.codes()
