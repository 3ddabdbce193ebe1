"""Known ERP export layouts, kept as data: one YAML file per ERP in `profiles/`.

In: nothing (the files beside this module). Out: `Profile`s: the headers that identify an
ERP's export (its signature), its column labels per canonical field, its document-type words,
and the rows of its exports that are layout rather than data (aging-band headings, footers,
page headers). Adding an ERP is adding a file; the recognition code stays general.

A profile applies to a header row holding at least two of its signature labels (or its only
one). Its labels then outrank the generic synonyms for that table; the labels of the other
profiles still count as synonyms (a little below the generic ones), so an export from an ERP
whose signature is not met is still read. A malformed profile file is a bug in the product:
it raises at import in the tests (`load_profiles`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from aging.reading.fields import LEDGER_FIELDS, normalise_header

FOLDER = Path(__file__).with_name("profiles")
DOC_TYPE_KEYS = ("invoice", "credit_note", "receipt", "adjustment")


@dataclass(frozen=True)
class Profile:
    erp: str
    file: str
    reports: tuple[str, ...]
    signature: frozenset  # normalised headers
    columns: dict  # normalised header -> field
    doc_types: dict  # lower-case word -> doc type key
    layout_rows: tuple  # compiled patterns
    totals_labels: tuple  # compiled patterns
    sources: tuple[str, ...]
    currency_words: dict  # lower-case word in its currency column -> ISO code (人民币 -> CNY)
    direction_words: dict  # word in its 方向 column -> +1 / -1 / 0
    opening_rows: tuple  # compiled patterns of balance-brought-forward rows

    def hits(self, headers: set) -> int:
        """How many of its signature labels a header row holds (0 when it does not apply)."""
        found = len(self.signature & headers)
        return found if found >= min(2, len(self.signature)) else 0


@functools.cache
def load_profiles() -> tuple[Profile, ...]:
    return tuple(_profile(path) for path in sorted(FOLDER.glob("*.yaml")))


def _profile(path: Path) -> Profile:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    where = f"profile {path.name}"
    unknown = set(data) - {
        "erp", "reports", "sources", "signature", "columns", "doc_types", "layout_rows",
        "totals_labels", "notes", "currency_names", "direction_words", "opening_rows",
    }  # fmt: skip
    if unknown or "erp" not in data:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} or no 'erp'")
    columns = {}
    for field, labels in (data.get("columns") or {}).items():
        if field not in LEDGER_FIELDS:
            raise ValueError(f"{where}: unknown field {field!r}")
        for label in labels or ():
            columns[normalise_header(label)] = field
    doc_types = {}
    for key, words in (data.get("doc_types") or {}).items():
        if key not in DOC_TYPE_KEYS:
            raise ValueError(f"{where}: unknown document type {key!r}")
        for word in words or ():
            doc_types[str(word).strip().lower()] = key
    return Profile(
        erp=str(data["erp"]),
        file=path.name,
        reports=tuple(data.get("reports") or ()),
        signature=frozenset(normalise_header(s) for s in data.get("signature") or ()),
        columns=columns,
        doc_types=doc_types,
        layout_rows=tuple(re.compile(p, re.IGNORECASE) for p in data.get("layout_rows") or ()),
        totals_labels=tuple(re.compile(p, re.IGNORECASE) for p in data.get("totals_labels") or ()),
        sources=tuple(data.get("sources") or ()),
        currency_words={
            str(k).strip().lower(): str(v).upper()
            for k, v in (data.get("currency_names") or {}).items()
        },
        direction_words={str(k): int(v) for k, v in (data.get("direction_words") or {}).items()},
        opening_rows=tuple(re.compile(p) for p in data.get("opening_rows") or ()),
    )


def best_profile(headers: set) -> Profile | None:
    """The profile whose signature the header row (normalised headers) holds best."""
    scored = [(p.hits(headers), len(set(p.columns) & headers), p) for p in load_profiles()]
    scored = [s for s in scored if s[0]]
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0], s[1]))[2]


@functools.cache
def shared_labels() -> dict:
    """Normalised header -> field from every profile, where the profiles agree on it."""
    seen: dict[str, set] = {}
    for profile in load_profiles():
        for header, field in profile.columns.items():
            seen.setdefault(header, set()).add(field)
    return {header: fields.pop() for header, fields in seen.items() if len(fields) == 1}


@functools.cache
def all_doc_type_words() -> dict:
    """Document-type words of every profile (lower case -> key), where they agree."""
    seen: dict[str, set] = {}
    for profile in load_profiles():
        for word, key in profile.doc_types.items():
            seen.setdefault(word, set()).add(key)
    return {word: keys.pop() for word, keys in seen.items() if len(keys) == 1}
