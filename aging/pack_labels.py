"""Labels of the manager packs and the PNG charts: now in the message catalogue.

Kept so code written against it still runs; new code uses `aging.i18n` directly. New labels go
into `aging/locale/<lang>/LC_MESSAGES/messages.po`.

Contact-log headers (`contact.*`) must stay synonyms in `aging.reading.fields.CONTACT_SYNONYMS`,
so a returned pack is read back as contacts; headers on the other pack sheets must NOT be contact
synonyms ("Channel", "Outcome", "方式", "结果" …): the reader would take that sheet for a
contact log (tests check both).
"""

from __future__ import annotations

from aging import i18n


def label(key: str, lang: str = "en", **fill: object) -> str:
    return i18n.text(key, lang, **fill)


def has_label(key: str) -> bool:
    return i18n.has(key)


def coded(prefix: str, lang: str) -> dict[str, str]:
    """Display text of every coded value under `prefix` ("channel", "letter" …), by key."""
    return i18n.coded(prefix, lang)


def all_keys() -> tuple[str, ...]:
    return i18n.codes()
