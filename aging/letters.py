"""Letters to debtors: payment reminder (催款提示函), credit warning (信用警示函), lawyer's letter
(律师函) and statement of account with a reply slip (对账函).

In: a finished `Result` — the worklist's `letter` column says which dunning letter a customer's
plan calls for; the limitation alerts (or `letters.statements`) say who gets a statement — and
the `letters` config (creditor, bank account, contact, deadline days, template folder).
Out: `letters_due` (what to write), `letter_register` (the same as a DataFrame for the close
workbook and the packs) and `write_letters` (one .docx per customer and letter in `letters/`,
from `templates/<kind>_<lang>.docx` or the company's own copy; PDFs too when asked).
Raises `ConfigError` for a company template that is missing its folder or does not render, and
`OutputError` when PDFs are asked for and LibreOffice cannot make them.

Renderers compute no figure of their own: a letter lists open items from the result and its
totals are their sums per currency in integer minor units. A dunning letter lists what is
overdue (only that is due for payment); a statement lists every open item. File names are a
sanitised customer id plus a hash of the id, never a path taken from the data.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import weakref
import zipfile
from collections import namedtuple
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from aging.errors import ConfigError, OutputError
from aging.plan import next_workday

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
KINDS = ("reminder", "credit_warning", "lawyer", "statement")
LANGS = ("zh", "en")
LETTER_LABELS = {
    "en": {
        "reminder": "Payment reminder",
        "credit_warning": "Credit warning",
        "lawyer": "Lawyer's letter",
        "statement": "Statement of account",
    },
    "zh": {
        "reminder": "催款提示函",
        "credit_warning": "信用警示函",
        "lawyer": "律师函",
        "statement": "对账函",
    },
}
# Who signs: the company its own letters, the company's counsel the 律师函.
SIGNER = {"reminder": "company", "credit_warning": "company", "lawyer": "counsel",
          "statement": "company"}  # fmt: skip
REF_CODE = {"reminder": "R", "credit_warning": "W", "lawyer": "L", "statement": "S"}
REGISTER_COLUMNS = (
    "customer_id",
    "name",
    "manager",
    "sales_rep",
    "letter",  # reminder | credit_warning | lawyer | statement
    "lang",  # zh | en
    "file",  # name inside letters/
    "ref",  # the reference printed on the letter
    "items",  # open items listed
    "amounts",  # the total as the letter states it, per currency ("USD 5,488.00")
    "total_base_minor",  # the same items in the base currency
    "letter_date",  # datetime64: when it goes out (the plan's next-contact date)
    "deadline",  # datetime64: pay or reply by
    "signer",  # company | counsel
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
CURRENCY_ZH = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港币", "JPY": "日元",
               "GBP": "英镑", "SGD": "新加坡元", "AUD": "澳大利亚元", "CAD": "加拿大元",
               "KRW": "韩元", "TWD": "新台币", "MOP": "澳门元", "CHF": "瑞士法郎"}  # fmt: skip
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Characters XML 1.0 cannot hold; a name carrying one would make the .docx unreadable.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, eq=False)
class Letter:
    """One letter to write: who to, which kind and language, what it lists, when and by when."""

    customer_id: str
    name: str
    manager: str
    sales_rep: str
    kind: str
    lang: str
    rank: float  # the customer's place in the worklist (NaN: not ranked)
    letter_date: date
    deadline: date
    items: pd.DataFrame  # the open items the letter lists, LETTER_ITEM_COLUMNS
    unapplied_base_minor: int

    @property
    def file(self) -> str:
        return letter_file_name(self.customer_id, self.kind, self.lang)


# ---- what to write -------------------------------------------------------------------------


_DUE_CACHE: dict[int, list] = {}  # id(result) -> its letters, while the Result lives


def letters_due(result) -> list[Letter]:
    """The dunning letter each customer's plan calls for, then the statements of account.

    The close workbook, the packs and the letter writer all ask for the same letters: they
    are worked out once per Result."""
    key = id(result)
    if key not in _DUE_CACHE:
        _DUE_CACHE[key] = _letters_due(result)
        weakref.finalize(result, _DUE_CACHE.pop, key, None)  # dies with its Result
    return _DUE_CACHE[key]


def _letters_due(result) -> list[Letter]:
    worklist = result.worklist
    jobs = []
    if {"customer_id", "letter"} <= set(worklist.columns):  # a run without a plan has none
        planned = worklist[worklist["letter"].isin(KINDS)]
        jobs = list(zip(planned["customer_id"], planned["letter"], strict=True))
    jobs += [(cid, "statement") for cid in _statement_customers(result)]
    items = result.open_items
    # only the customers written to: a million-row ledger is not split customer by customer
    items = items[items["customer_id"].isin({cid for cid, _ in jobs})]
    # sorted once here, so each letter's items arrive in due-date order without a sort each
    items = items.sort_values(["customer_id", "due_date", "doc_no"], kind="stable")
    # only the columns a letter shows or adds up: each letter copies its rows out
    items = items[list(LETTER_ITEM_COLUMNS)].reset_index(drop=True)
    # row positions per customer (one pass; a frame per customer is made only for a letter)
    all_at = items.groupby("customer_id", sort=False).indices
    overdue = (items["days_overdue"] >= 1).to_numpy()
    rows = np.flatnonzero(overdue)  # positions of the overdue rows in `items`
    overdue_at = {
        cid: rows[at]
        for cid, at in items[overdue].groupby("customer_id", sort=False).indices.items()
    }
    facts = _customer_facts(result).to_dict("index")
    out = []
    for customer_id, kind in jobs:
        # only what is overdue is due for payment; a statement lists everything open
        at = (all_at if kind == "statement" else overdue_at).get(customer_id)
        if at is not None and len(at):
            mine = items.take(at)
            out.append(_letter(result, facts[customer_id], customer_id, kind, mine))
    return out


def _letter(result, fact: dict, customer_id: str, kind: str, items) -> Letter:
    cfg = result.config.letters
    first_day = next_workday(result.as_of + timedelta(days=1))
    when = fact["next_contact_date"]
    letter_date = first_day if pd.isna(when) else max(pd.Timestamp(when).date(), first_day)
    return Letter(
        customer_id=customer_id,
        name=str(fact["name"]),
        manager=str(fact["manager"]),
        sales_rep=str(fact["sales_rep"]),
        kind=kind,
        lang=letter_lang(str(fact["name"]), cfg.lang),
        rank=float(fact["rank"]) if pd.notna(fact["rank"]) else float("nan"),
        letter_date=letter_date,
        deadline=deadline(result.as_of, letter_date, cfg.deadline_days),
        items=items,
        unapplied_base_minor=int(fact["unapplied_credit_base_minor"]),
    )


def _statement_customers(result) -> list[str]:
    """DESIGN: a signed 对账函 is the acknowledgement that restarts the limitation period."""
    mode = result.config.letters.statements
    if mode == "none":
        return []
    if mode == "all":
        ids = result.customers.loc[result.customers["open_base_minor"] > 0, "customer_id"]
    else:
        ids = result.limitation_alerts.get("customer_id", pd.Series(dtype="str"))
    blocked = set()
    if "block_reason" in result.worklist:
        wl = result.worklist
        blocked = set(wl.loc[wl["block_reason"].fillna("").ne(""), "customer_id"])
    return [c for c in dict.fromkeys(ids) if c not in blocked]


def _customer_facts(result) -> pd.DataFrame:
    customers = result.customers.set_index("customer_id")
    facts = customers[["name", "manager", "sales_rep", "unapplied_credit_base_minor"]].copy()
    wl = result.worklist
    for column in ("rank", "next_contact_date"):
        if column in wl:
            facts[column] = wl.set_index("customer_id")[column].reindex(facts.index)
        else:
            facts[column] = pd.NA
    return facts


def deadline(as_of: date, letter_date: date, days: int) -> date:
    """As-of + days, moved to the next PRC working day. A letter the plan holds back (sent
    later than the first working day after the as-of date) counts from its own date, so the
    debtor always gets the full period."""
    start = as_of if letter_date <= next_workday(as_of + timedelta(days=1)) else letter_date
    return next_workday(start + timedelta(days=days))


def letter_lang(name: str, setting: str) -> str:
    """Chinese for a customer whose name is written in Chinese, English otherwise."""
    if setting in LANGS:
        return setting
    return "zh" if _CJK.search(name or "") else "en"


# ---- the register --------------------------------------------------------------------------


_REGISTER_CACHE: dict[int, pd.DataFrame] = {}  # id(result) -> its register


def letter_register(result) -> pd.DataFrame:
    """One row per letter `write_letters` writes, in the order it writes them (worked out
    once per Result: the close workbook and the e-mails both show it)."""
    key = id(result)
    if key not in _REGISTER_CACHE:
        _REGISTER_CACHE[key] = _letter_register(result)
        weakref.finalize(result, _REGISTER_CACHE.pop, key, None)
    return _REGISTER_CACHE[key]


def _letter_register(result) -> pd.DataFrame:
    rows = []
    for letter in letters_due(result):
        decimals = result.currency_decimals
        rows.append(
            {
                "customer_id": letter.customer_id,
                "name": letter.name,
                "manager": letter.manager,
                "sales_rep": letter.sales_rep,
                "letter": letter.kind,
                "lang": letter.lang,
                "file": letter.file,
                "ref": letter_ref(letter, result.as_of),
                "items": len(letter.items),
                "amounts": "; ".join(
                    money(m, c, decimals[c], "en") for c, m in _totals(letter.items, result)
                ),
                "total_base_minor": int(letter.items["open_base_minor"].sum()),
                "letter_date": pd.Timestamp(letter.letter_date),
                "deadline": pd.Timestamp(letter.deadline),
                "signer": SIGNER[letter.kind],
            }
        )
    frame = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    frame["items"] = frame["items"].astype("int64")
    frame["total_base_minor"] = frame["total_base_minor"].astype("int64")
    for column in ("letter_date", "deadline"):
        frame[column] = frame[column].astype("datetime64[s]")
    return frame


# ---- writing -------------------------------------------------------------------------------


def write_letters(result, folder: Path) -> list[Path]:
    """Every letter due into `folder/letters/` (the jobs below, one after the other)."""
    written = [path for job in letter_jobs(result, folder) for path in job.run()]
    finish_letters(result, folder, [written])
    return written


# A job renders 10 to 250 letters (up to about 5 s): at least eight jobs when there are
# enough letters, so every process gets a share of even a small run.
LETTERS_PER_JOB = (10, 250)


def letter_jobs(result, folder: Path) -> list:
    """The letters due, in jobs for `write_outputs` to spread over processes; each returns
    the paths it wrote."""
    from aging.outputs import Job

    letters = letters_due(result)
    target = folder / "letters"
    target.mkdir(parents=True, exist_ok=True)
    templates = template_paths(result.config.letters.template_folder)
    least, most = LETTERS_PER_JOB
    size = max(least, min(most, -(-len(letters) // 8)))
    chunks = [letters[at : at + size] for at in range(0, len(letters), size)]
    return [
        Job("letters", functools.partial(_write_letter_files, chunk, result, target, templates),
            weight=0.02 * len(chunk))
        for chunk in chunks
    ]  # fmt: skip


def finish_letters(result, folder: Path, outcomes: list) -> None:
    """After every letter is written: the PDFs, in one LibreOffice run."""
    written = [path for paths in outcomes for path in paths]
    if result.config.letters.pdf and written:
        to_pdf(written, folder / "letters")


def _write_letter_files(letters: list, result, target: Path, templates: dict) -> list[Path]:
    written = []
    for letter in letters:
        path = target / letter.file
        if path.resolve().parent != target.resolve():  # belt and braces: names are our own
            raise OutputError(f"refusing to write a letter outside {target}: {letter.file}")
        path.write_bytes(render_letter(letter, result, templates[(letter.kind, letter.lang)]))
        written.append(path)
    return written


def template_paths(company_folder: str | None) -> dict[tuple[str, str], Path]:
    """Ours, replaced file by file by the company's own `<kind>_<lang>.docx`."""
    paths = {(k, lang): TEMPLATES / f"{k}_{lang}.docx" for k in KINDS for lang in LANGS}
    if company_folder:
        folder = Path(company_folder)
        if not folder.is_dir():
            raise ConfigError(f"letters.template_folder: {folder} is not a folder")
        for key in paths:
            own = folder / f"{key[0]}_{key[1]}.docx"
            if own.is_file():
                paths[key] = own
    return paths


@functools.cache
def _jinja_env():
    """One sandboxed environment per process that compiles each template part once: docxtpl
    hands it the same XML for every letter of a template, and compiling it was most of the
    cost of a letter."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class CompilingOnce(SandboxedEnvironment):
        @functools.lru_cache(maxsize=64)  # noqa: B019 - the environment lives as long as the process
        def from_string(self, source, globals=None, template_class=None):
            return super().from_string(source, globals, template_class)

    # Autoescape: a customer called "A & B <Ltd>" must not break the XML. Strict: a company
    # template naming a variable we do not provide fails loudly instead of printing "".
    return CompilingOnce(undefined=StrictUndefined, autoescape=True)


def render_letter(letter: Letter, result, template: Path) -> bytes:
    """The letter as .docx bytes; the same inputs give the same bytes."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        doc = DocxTemplate(str(template))
        doc.render(letter_context(letter, result), _jinja_env(), autoescape=True)
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ConfigError(f"letter template {template}: {exc}") from None
    when = datetime.combine(result.as_of, datetime.min.time())
    props = doc.docx.core_properties
    props.author = _company(result.config.letters, letter.lang)["name"]
    props.title = clean(f"{LETTER_LABELS[letter.lang][letter.kind]} {letter.name}")[:250]
    props.subject = letter_ref(letter, result.as_of)
    props.last_modified_by = ""
    props.comments = ""
    props.revision = 1
    props.created = props.modified = when
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_docx(buffer.getvalue(), when)


def letter_context(letter: Letter, result) -> dict:
    """Every variable a template may use (templates/README.md lists them)."""
    cfg, lang = result.config.letters, letter.lang
    decimals = result.currency_decimals
    items = letter.items
    totals = _totals(items, result)
    overdue = _totals(items[items["days_overdue"] >= 1], result)
    unapplied = letter.unapplied_base_minor
    base = result.base_currency
    return {
        "company": _company(cfg, lang),
        "counsel": _counsel(cfg, lang),
        "customer": {"id": clean(letter.customer_id), "name": clean(letter.name)},
        "letter": {
            "kind": letter.kind,
            "title": LETTER_LABELS[lang][letter.kind],
            "ref": letter_ref(letter, result.as_of),
            "date": format_date(letter.letter_date, lang),
            "as_of": format_date(result.as_of, lang),
            "deadline": format_date(letter.deadline, lang),
        },
        "items": [_item(row, decimals, lang) for row in _item_rows(items)],
        "totals": [
            {
                "currency": ccy,
                "label": _total_label(ccy, lang, letter.kind),
                "amount": format_amount(minor, decimals[ccy]),
                "text": money(minor, ccy, decimals[ccy], lang, words=True),
            }
            for ccy, minor in totals
        ],
        "total_text": _join([money(m, c, decimals[c], lang, words=True) for c, m in totals], lang),
        "overdue_text": _join([money(m, c, decimals[c], lang) for c, m in overdue], lang),
        "unapplied_text": money(unapplied, base, decimals[base], lang) if unapplied > 0 else "",
        "max_days": int(items["days_overdue"].max()),
    }


# What a letter (and the register and e-mails) use of its open items.
LETTER_ITEM_COLUMNS = ("customer_id", "doc_no", "doc_date", "due_date", "currency",
                       "amount_minor", "open_minor", "open_base_minor", "days_overdue")  # fmt: skip
_ITEM_FIELDS = ("doc_no", "doc_date", "due_date", "currency", "amount_minor", "open_minor",
                "days_overdue")  # fmt: skip
_Item = namedtuple("_Item", _ITEM_FIELDS)


def _item_rows(items: pd.DataFrame):
    """The item columns a letter shows, row by row (itertuples on the whole frame builds a
    tuple class per letter and copies every column)."""
    return map(_Item._make, zip(*(items[c].tolist() for c in _ITEM_FIELDS), strict=True))


def _item(row, decimals: dict, lang: str) -> dict:
    days = int(row.days_overdue)
    if days >= 1:
        status = f"逾期{days}天" if lang == "zh" else f"{days} days"
    else:
        status = "未到期" if lang == "zh" else "not yet due"
    dec = decimals[row.currency]
    return {
        "doc_no": clean(row.doc_no),
        "doc_date": table_date(row.doc_date, lang),
        "due_date": table_date(row.due_date, lang),
        "currency": row.currency,
        "amount": format_amount(int(row.amount_minor), dec),
        "open": format_amount(int(row.open_minor), dec),
        "days": str(days),
        "status": status,
    }


def _totals(items: pd.DataFrame, result) -> list[tuple[str, int]]:
    """Sum per currency, base currency first (integer minor units: exact to the cent)."""
    sums: dict[str, int] = {}
    for currency, minor in zip(items["currency"], items["open_minor"], strict=True):
        sums[currency] = sums.get(currency, 0) + int(minor)  # a letter has a few items
    order = sorted(sums, key=lambda c: (c != result.base_currency, c))
    return [(c, sums[c]) for c in order]


def _total_label(currency: str, lang: str, kind: str) -> str:
    if lang == "zh":
        what = "合计" if kind == "statement" else "逾期合计"
        return f"{what}（{CURRENCY_ZH.get(currency, currency)}）"
    return ("Total " if kind == "statement" else "Total overdue ") + currency


def _join(parts: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(parts)


def _field(cfg, name: str, lang: str) -> str:
    """A sender field as this language's letters print it (`letters.english` for English)."""
    english = cfg.english.get(name, "") if lang == "en" else ""
    return english or getattr(cfg, name)


def _company(cfg, lang: str) -> dict:
    """Unset fields print as the config key to fill in, so a gap is seen, never guessed."""
    name = _field(cfg, "company_name", lang)
    values = {
        "name": name or "[letters.company_name]",
        "address": _field(cfg, "address", lang) or "[letters.address]",
        "bank_name": _field(cfg, "bank_name", lang) or "[letters.bank_name]",
        "bank_account": cfg.bank_account or "[letters.bank_account]",
        "account_name": _field(cfg, "account_name", lang) or name or "[letters.account_name]",
        "swift": cfg.swift,
        "contact": _field(cfg, "contact", lang) or "[letters.contact]",
        "phone": cfg.phone or "[letters.phone]",
        "email": cfg.email or "[letters.email]",
    }
    return {k: clean(v) for k, v in values.items()}


def _counsel(cfg, lang: str) -> dict:
    values = {
        "name": _field(cfg, "counsel", lang) or "[letters.counsel]",
        "address": _field(cfg, "counsel_address", lang) or "[letters.counsel_address]",
        "phone": cfg.counsel_phone or "[letters.counsel_phone]",
    }
    return {k: clean(v) for k, v in values.items()}


def letter_ref(letter: Letter, as_of: date) -> str:
    stem = safe_stem(letter.customer_id)
    return f"AR-{as_of:%Y%m}-{stem}-{REF_CODE[letter.kind]}"


# ---- formats -------------------------------------------------------------------------------


def format_date(day, lang: str) -> str:
    """zh: 2026年11月16日; en: 16 November 2026 (no locale involved)."""
    day = pd.Timestamp(day)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def table_date(day, lang: str) -> str:
    """The compact form for table cells: zh 2026-11-16 (as a 对账单 prints it); en 16 Nov 2026."""
    if day is None or pd.isna(day):
        return ""
    day = pd.Timestamp(day)
    if lang == "zh":
        return f"{day:%Y-%m-%d}"
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def format_amount(minor: int, decimals: int) -> str:
    """Integer minor units -> '1,234.56' with no float in between."""
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(int(minor)), 10**decimals)
    return f"{sign}{whole:,}" + (f".{frac:0{decimals}d}" if decimals else "")


def money(minor: int, currency: str, decimals: int, lang: str, *, words: bool = False) -> str:
    """en: 'CNY 1,234.56'; zh: '¥1,234.56' (with 大写 when asked) or '美元 1,234.56'."""
    amount = format_amount(minor, decimals)
    if lang != "zh":
        return f"{currency} {amount}"
    if currency == "CNY":
        text = f"¥{amount}"
        return f"{text}（大写：{rmb_upper(minor)}）" if words and minor >= 0 else text
    return f"{CURRENCY_ZH.get(currency, currency)} {amount}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_LARGE = ("", "万", "亿", "万亿")


def rmb_upper(fen: int) -> str:
    """Fen -> the amount in capitals as a cheque or contract writes it (人民币大写):
    1,005.00 -> 人民币壹仟零伍元整; 100,000.00 -> 人民币壹拾万元整; 0.56 -> 人民币伍角陆分."""
    if fen < 0:
        raise ValueError("rmb_upper takes a non-negative amount")
    yuan, rest = divmod(int(fen), 100)
    jiao, fen_ = divmod(rest, 10)
    text = _yuan_upper(yuan) + "元" if yuan else ""
    if not rest:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_:
        text += _DIGITS[fen_] + "分"
    return "人民币" + text


def _yuan_upper(number: int) -> str:
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    out, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(out)
            continue
        if out and (zero or group < 1000):
            out += "零"
        zero = False
        out += _group_upper(group) + _LARGE[index]
    return out


def _group_upper(group: int) -> str:
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL[position]
    return out


def clean(text) -> str:
    """Data as one line of printable text: no control characters, no line breaks."""
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    return _NOT_XML.sub("", re.sub(r"[\t\r\n\u2028\u2029]+", " ", text)).strip()


# ---- file names ----------------------------------------------------------------------------


def safe_stem(text: str, limit: int = 32) -> str:
    """Letters, digits, '-' and '_' only: never a separator, a dot or a drive from the data."""
    folded = unicodedata.normalize("NFKC", str(text))
    stem = re.sub(r"[^A-Za-z0-9-]+", "_", folded).strip("_-")[:limit].strip("_-")
    return stem or "customer"


def short_hash(text: str) -> str:
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:8]


def letter_file_name(customer_id: str, kind: str, lang: str) -> str:
    """'C01835_1a2b3c4d_lawyer_zh.docx': stable across runs, unique per customer id (the hash
    is of the id as written, so ids that sanitise alike still differ)."""
    return f"{safe_stem(customer_id)}_{short_hash(customer_id)}_{kind}_{lang}.docx"


# ---- reproducible files --------------------------------------------------------------------


def stable_docx(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip package with a fixed timestamp on every member, so the same letter gives
    the same bytes on every run (DESIGN: re-runs are byte-identical)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            # level 1: a letter is a few KB, and the default level cost more than rendering it
            dst.writestr(member, src.read(info.filename), compresslevel=1)
    return out.getvalue()


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], folder: Path, timeout: int = 600) -> list[Path]:
    """Convert .docx files to PDF beside them with LibreOffice (a private profile, so a
    LibreOffice the user has open does not swallow the job)."""
    office = libreoffice()
    if office is None:
        raise OutputError("letters.pdf is on but LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="aging-lo-") as profile:
        command = [
            office,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"LibreOffice took over {timeout} s to make the PDFs") from None
    pdfs = [f.with_suffix(".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OutputError(f"LibreOffice made no PDF of {missing[0]} {detail[0]}".strip())
    return pdfs
