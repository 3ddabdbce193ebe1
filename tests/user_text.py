"""Every text a user reads in a run's outputs, and the words in it that are in the wrong language.

In: the files of an output folder (workbooks, letters, e-mails) and the console text. Out:
`(where, text)` pairs — every cell string, sheet name, header and footer, validation list and
prompt, chart title and category, document property, letter paragraph, e-mail subject and body
line — and the checks `english_words` (for a Chinese run) and `has_cjk` (for an English one).

What counts as "not a word in the wrong language" is short and explained in `ALLOWED` and
`_is_code`: codes, ids, e-mail addresses, currency codes, file names and data from the input.
Used by tests/test_language.py; kept apart so the allow-list is read in one place.
"""

from __future__ import annotations

import email
import json
import re
import zipfile
from email import policy
from html import unescape
from pathlib import Path

from babel.numbers import list_currencies
from python_calamine import CalamineWorkbook

# Elements whose text a user sees in an .xlsx part (cells, chart text and caches, properties,
# headers and footers). Numbers (<v>1234</v>) are skipped.
_TEXT_TAGS = ("t", "v", "title", "subject", "description", "keywords", "category",
              "oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader",
              "firstFooter", "text")  # fmt: skip
_ELEMENT = re.compile(r"<(?:[\w.\-]+:)?(" + "|".join(_TEXT_TAGS) + r")(?:\s[^<>]*)?>([^<]+)<")
# Attributes that carry user text: sheet names, validation prompts and errors.
_ATTR = re.compile(r"\s(?:name|prompt|promptTitle|error|errorTitle)=\"([^\"]*)\"")
_FORMULA1 = re.compile(r"<formula1>\"([^<]*)\"</formula1>")  # a validation's list of choices
_NUMBER = re.compile(r"[-+]?[\d.,eE+\-]+")
# Excel header/footer codes (&P page, &N pages, &L left, &"font,Bold" …), not words.
_HF_CODES = re.compile(r"&(?:\"[^\"]*\"|\d+|[A-Za-z])")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# A token that is a code, an id, an address, an option, a path or config syntax, never a word
# to translate: dotted or snake_case codes (amount.unparseable, plan.call_window), ids mixing
# letters and digits (C01018, AR-202610-C01018-R), e-mail addresses, --options, file names and
# paths (packs/<name>.xlsx, data/*.parquet), config literals in quotes ('auto') and config
# examples in braces ({cooperation: {evasive: [...]}}).
_CODE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|--[a-z][a-z-]*"  # a command-line option
    r"|[\w.*<>\\-]*/[\w.*<>/\\-]*"  # a path: letters/, data/*.parquet, /out/2026-10-31
    r"|[\w.<>\\-]*\.(?:xlsx|xlsm|xls|ods|csv|parquet|docx|pdf|png|eml|sqlite|yaml|json)\b"
    r"|<[a-z_]+>"  # a placeholder in a file-name pattern: <kind>_<lang>.docx
    r"|'[^'\s]+'"  # a config literal: 'auto', 'unassigned'
    r"|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"  # a config example: {cooperation: {evasive: [...]}}
    r"|\b[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+\b"  # amount.unparseable, customer_id, 1.5
    r"|\b(?=[A-Za-z-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"  # ids with a digit: C01018, SHA-256
)
CURRENCIES = frozenset(list_currencies())

# English words allowed in a Chinese run: names of standards, protocols and products that
# Chinese finance and IT staff write in Latin letters (there is no Chinese name to use).
ALLOWED = frozenset({
    "SHA",  # SHA-256, the checksum's name
    "SMTP", "STARTTLS", "TLS", "SWIFT", "BIC",  # mail and bank settings
    "MB", "PDF", "LibreOffice",  # units and the program that writes PDFs
})  # fmt: skip


def workbook_texts(path: Path) -> list[tuple[str, str]]:
    """Every text a user sees in an .xlsx, as (part, text)."""
    out = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml") or name.endswith("app.xml"):
                continue  # app.xml: the application's name and the sheet list again
            doc = archive.read(name).decode("utf-8")
            texts = [v for tag, v in _ELEMENT.findall(doc) if not _NUMBER.fullmatch(v.strip())]
            if name.endswith("sharedStrings.xml") or "/worksheets/" in name:
                texts = [t for t in texts if t.strip()]
            texts += _ATTR.findall(doc) if "worksheets/" in name or "workbook.xml" in name else []
            for choices in _FORMULA1.findall(doc):
                texts += choices.split(",")
            if name == "xl/workbook.xml":  # defined names (_xlnm.Print_Titles) are not text
                texts = re.findall(r"<sheet name=\"([^\"]*)\"", doc)
            out += [(f"{path.name}:{name}", _HF_CODES.sub(" ", unescape(t))) for t in texts]
    return out


def docx_texts(path: Path) -> list[tuple[str, str]]:
    """The paragraphs and table cells of a Word letter, headers and footers included."""
    out = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            doc = archive.read(name).decode("utf-8")
            for para in re.findall(r"<w:p[ >].*?</w:p>", doc, re.S):
                text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", para))
                if text.strip():
                    out.append((f"{path.name}:{name}", unescape(text)))
    return out


def eml_texts(path: Path) -> list[tuple[str, str]]:
    """The subject and every line of the plain-text body."""
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    out = [(f"{path.name}:Subject", str(msg["Subject"]))]
    body = msg.get_body(preferencelist=("plain",))
    out += [(f"{path.name}:body", line) for line in body.get_content().splitlines() if line]
    return out


def output_texts(folder: Path, *, letters: bool = True) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            out += workbook_texts(path)
        elif path.suffix == ".eml":
            out += eml_texts(path)
        elif path.suffix == ".docx" and letters:
            out += docx_texts(path)
    return out


def input_words(paths) -> set[str]:
    """Every word of every cell of the input files: data from the input may be English."""
    words: set[str] = set()
    for path in paths:
        path = Path(path)
        if path.suffix == ".csv":
            cells = [path.read_text(encoding="utf-8-sig")]
        else:
            book = CalamineWorkbook.from_path(str(path))
            cells = [str(c) for name in book.sheet_names
                     for row in book.get_sheet_by_name(name).to_python() for c in row]  # fmt: skip
            cells += book.sheet_names
        cells.append(path.name)
        for cell in cells:
            words.update(_WORD.findall(cell))
    return words


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The English words in `text` that are not codes, ids, currency codes, input data or in
    ALLOWED; a single letter (grade A, an Excel column) is not a word. A text that is a JSON
    value (the Settings sheet shows each setting as the config writes it: true, "auto",
    {"phone": 7}) is config, not prose."""
    if _is_json(text):
        return []
    bare = _CODE.sub(" ", text)
    return [
        w
        for w in _WORD.findall(bare)
        if len(w) > 1 and w not in CURRENCIES and w not in ALLOWED and w not in allowed
    ]


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _is_json(text: str) -> bool:
    text = text.strip()
    if not text or text[0] not in '[{"tfn':
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def foreign_cjk(text: str, input_text: str) -> list[str]:
    """The runs of Chinese characters in `text` that are not data from the input."""
    return [run for run in _CJK_RUN.findall(text) if run not in input_text]


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
