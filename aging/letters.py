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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from aging.docx_template import ZIP_LEVEL, CompiledTemplate, Unsupported, compile_template
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
    "items",  # open items the letter covers (it lists up to letters.max_items of them)
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
_FILE_NAME = re.compile(r"[A-Za-z0-9_-]+\.docx")  # what letter_file_name makes
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Characters XML 1.0 cannot hold; a name carrying one would make the .docx unreadable.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, eq=False)
class ItemTable:
    """The open items of every customer a letter goes to, sorted by customer, due date and
    document (`frame`, LETTER_ITEM_COLUMNS), and the same as numpy columns: a letter picks
    its rows by position, so no frame is cut per letter."""

    frame: pd.DataFrame
    doc_no: np.ndarray  # object
    doc_date: np.ndarray  # datetime64[D]; NaT where unknown
    due_date: np.ndarray
    currency: np.ndarray  # object
    amount_minor: np.ndarray  # int64
    open_minor: np.ndarray
    open_base_minor: np.ndarray
    days_overdue: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ItemTable:
        def days(column: str) -> np.ndarray:
            return frame[column].to_numpy(dtype="datetime64[D]")

        def ints(column: str) -> np.ndarray:
            return frame[column].to_numpy(dtype="int64")

        return cls(frame, frame["doc_no"].to_numpy(dtype=object), days("doc_date"),
                   days("due_date"), frame["currency"].to_numpy(dtype=object),
                   ints("amount_minor"), ints("open_minor"), ints("open_base_minor"),
                   ints("days_overdue"))  # fmt: skip


@dataclass(frozen=True, eq=False)
class Letter:
    """One letter to write: who to, which kind and language, what it covers, when and by when."""

    customer_id: str
    name: str
    manager: str
    sales_rep: str
    kind: str
    lang: str
    rank: float  # the customer's place in the worklist (NaN: not ranked)
    letter_date: date
    deadline: date
    table: ItemTable
    rows: np.ndarray  # positions in `table` of the open items the letter covers
    unapplied_base_minor: int

    @property
    def items(self) -> pd.DataFrame:
        """The open items the letter covers (its totals), LETTER_ITEM_COLUMNS."""
        return self.table.frame.take(self.rows)

    @functools.cached_property
    def file(self) -> str:
        return letter_file_name(self.customer_id, self.kind, self.lang)

    @property
    def schedule_file(self) -> str:
        """The workbook listing every item, beside a letter that lists only some."""
        return self.file.removesuffix(".docx") + "_items.xlsx"


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


def share_letters(part, whole, customer_ids) -> None:
    """Let a part of a run (a pack's customers) take its letters from the whole run's, worked
    out once, instead of working them out again: a letter depends on its own customer only,
    so they are the same letters (tests/test_letters.py checks it)."""
    key = id(part)
    if key not in _DUE_CACHE:
        _DUE_CACHE[key] = [x for x in letters_due(whole) if x.customer_id in customer_ids]
        weakref.finalize(part, _DUE_CACHE.pop, key, None)


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
    items_index = items.index
    # only the columns a letter shows or adds up
    items = items[list(LETTER_ITEM_COLUMNS)].reset_index(drop=True)
    table = ItemTable.of(items)
    spans = _customer_spans(items["customer_id"].to_numpy(dtype=object))
    overdue = table.days_overdue >= 1
    # a disputed item is not dunned (a statement still lists it: the reply slip may dispute it)
    if "disputed" in result.open_items:
        disputed = result.open_items.loc[items_index, "disputed"].fillna(False).to_numpy(bool)
        overdue = overdue & ~disputed
    facts = _customer_facts(result)
    at_fact = dict(zip(facts.index.tolist(), range(len(facts)), strict=True))
    columns = {c: facts[c].tolist() for c in facts.columns}
    dates = functools.lru_cache(maxsize=None)(functools.partial(_dates, result))
    out = []
    for customer_id, kind in jobs:
        if customer_id not in spans:
            continue
        first, end = spans[customer_id]
        rows = np.arange(first, end)
        # only what is overdue is due for payment; a statement lists everything open
        if kind != "statement":
            rows = rows[overdue[first:end]]
        if len(rows):
            fact = {c: values[at_fact[customer_id]] for c, values in columns.items()}
            out.append(_letter(result, fact, customer_id, kind, table, rows, dates))
    return out


def _customer_spans(ids: np.ndarray) -> dict[str, tuple[int, int]]:
    """Where each customer's rows start and end in items sorted by customer (one pass)."""
    if not len(ids):
        return {}
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], len(ids)]
    spans = zip(starts.tolist(), ends.tolist(), strict=True)
    return dict(zip(ids[starts].tolist(), spans, strict=True))


def _letter(result, fact: dict, customer_id: str, kind: str, table, rows, dates) -> Letter:
    when = fact["next_contact_date"]
    letter_date, pay_by = dates(None if pd.isna(when) else pd.Timestamp(when).date())
    return Letter(
        customer_id=customer_id,
        name=str(fact["name"]),
        manager=str(fact["manager"]),
        sales_rep=str(fact["sales_rep"]),
        kind=kind,
        lang=letter_lang(str(fact["name"]), result.config.letters.lang),
        rank=float(fact["rank"]) if pd.notna(fact["rank"]) else float("nan"),
        letter_date=letter_date,
        deadline=pay_by,
        table=table,
        rows=rows,
        unapplied_base_minor=int(fact["unapplied_credit_base_minor"]),
    )


def _dates(result, next_contact: date | None) -> tuple[date, date]:
    """A letter's date (the plan's next contact, at the earliest the first working day after
    the as-of date) and its deadline."""
    first_day = next_workday(result.as_of + timedelta(days=1))
    letter_date = first_day if next_contact is None else max(next_contact, first_day)
    return letter_date, deadline(result.as_of, letter_date, result.config.letters.deadline_days)


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
    decimals, base = result.currency_decimals, result.base_currency
    for letter in letters_due(result):
        totals = _totals(letter.table, letter.rows, base)
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
                "items": len(letter.rows),
                "amounts": "; ".join(money(m, c, decimals[c], "en") for c, m in totals),
                "total_base_minor": int(letter.table.open_base_minor[letter.rows].sum()),
                "letter_date": letter.letter_date,
                "deadline": letter.deadline,
                "signer": SIGNER[letter.kind],
            }
        )
    frame = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    frame["items"] = frame["items"].astype("int64")
    frame["total_base_minor"] = frame["total_base_minor"].astype("int64")
    for column in ("letter_date", "deadline"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return frame


# ---- writing -------------------------------------------------------------------------------


def write_letters(result, folder: Path) -> list[Path]:
    """Every letter due into `folder/letters/` (the jobs below, one after the other)."""
    written = [path for job in letter_jobs(result, folder) for path in job.run()]
    finish_letters(result, folder, [written])
    return written


# A job writes 10 to 2,000 letters (about 1 ms each): at least eight jobs when there are
# enough letters, so every process gets a share of even a small run.
LETTERS_PER_JOB = (10, 2000)
SECONDS_PER_LETTER = 0.0015  # a job's weight beside the workbooks'


def letter_jobs(result, folder: Path) -> list:
    """The letters due, in jobs for `write_outputs` to spread over processes; each returns
    the paths it wrote. The templates are compiled here, once, before any job starts (forked
    workers inherit them), so a template that does not compile stops the run at once."""
    from aging.outputs import Job

    letters = letters_due(result)
    target = folder / "letters"
    target.mkdir(parents=True, exist_ok=True)
    templates = template_paths(result.config.letters.template_folder)
    for key in {(x.kind, x.lang) for x in letters}:
        compiled_template(templates[key])
    # a letter with a schedule (a workbook of every item) is a job of its own: a customer
    # with 200,000 items has two, and two processes write them side by side
    cap = result.config.letters.max_items
    long = [[x] for x in letters if len(x.rows) > cap]
    short = [x for x in letters if len(x.rows) <= cap]
    least, most = LETTERS_PER_JOB
    size = max(least, min(most, -(-len(short) // 8)))
    chunks = long + [short[at : at + size] for at in range(0, len(short), size)]
    return [
        Job("letters", functools.partial(_write_letter_files, chunk, result, target, templates),
            weight=SECONDS_PER_LETTER * len(chunk) + _schedule_weight(chunk, cap))
        for chunk in chunks
    ]  # fmt: skip


def _schedule_weight(letters: list, cap: int) -> float:
    return 2e-5 * sum(len(x.rows) for x in letters if len(x.rows) > cap)


def finish_letters(result, folder: Path, outcomes: list) -> None:
    """After every letter is written: the PDFs, in one LibreOffice run."""
    written = [path for paths in outcomes for path in paths]
    pdfs = [path for path in written if path.suffix == ".docx"]
    if result.config.letters.pdf and pdfs:
        to_pdf(pdfs, folder / "letters")


def letter_notes(result) -> list:
    """What the console tells the user about this run's letters, as messages: sender fields
    left unset (issue `letters.sender_unset`), and company templates only docxtpl renders."""
    from aging.i18n import msg

    if not letters_due(result):
        return []
    notes = []
    unset = result.issues[result.issues["code"].eq("letters.sender_unset")]
    if not unset.empty:
        notes.append(msg("console.letters_sender_unset", keys=unset["value"].iloc[0]))
    templates = template_paths(result.config.letters.template_folder)
    for key in sorted({(x.kind, x.lang) for x in letters_due(result)}):
        compiled = compiled_template(templates[key])
        if isinstance(compiled, Unsupported):
            why = msg(f"letters.unsupported.{compiled.reason}", detail=compiled.detail)
            notes.append(msg("console.letters_slow_template", template=templates[key].name,
                             why=why))  # fmt: skip
    return notes


def _write_letter_files(letters: list, result, target: Path, templates: dict) -> list[Path]:
    written = []
    cap = result.config.letters.max_items
    compiled = {
        key: compiled_template(templates[key]) for key in {(x.kind, x.lang) for x in letters}
    }
    for letter in letters:
        path = target / letter.file
        if not _FILE_NAME.fullmatch(letter.file):  # belt and braces: names are our own
            raise OutputError(f"refusing to write a letter outside {target}: {letter.file}")
        key = (letter.kind, letter.lang)
        path.write_bytes(render_letter(letter, result, templates[key], compiled[key]))
        written.append(path)
        if len(letter.rows) > cap:
            schedule = target / letter.schedule_file
            write_schedule(letter, result, schedule)
            written.append(schedule)
    return written


# The schedule beside a letter that lists only some items: the letter table's columns.
SCHEDULE_LABELS = {
    "zh": {
        "book": "未结清款项明细",
        "title": "附件：未结清款项明细（{name}，客户编号 {id}）",
        "subtitle": "{letter}　编号 {ref}　截至 {as_of}，共 {count:,} 笔",
        "sheet": "明细",
        "columns": ("单据号", "单据日期", "到期日", "币种", "单据金额", "未付金额", "逾期天数",
                    "状态"),
    },
    "en": {
        "book": "Schedule of open items",
        "title": "Schedule of open items: {name} (customer no. {id})",
        "subtitle": "{letter}, ref. {ref}, on {as_of}: {count:,} items",
        "sheet": "Items",
        "columns": ("Document", "Date", "Due date", "Currency", "Amount", "Unpaid",
                    "Days overdue", "Status"),
    },
}  # fmt: skip


def write_schedule(letter: Letter, result, path: Path) -> None:
    """Every item a letter covers, in one workbook the letter names: its table lists only
    `letters.max_items` of them. A single currency gets a live total row; the totals per
    currency, as the letter states them, head the sheet."""
    from aging.xlsx_table import Book, ColumnSpec, write_table

    lang, labels = letter.lang, SCHEDULE_LABELS[letter.lang]
    decimals = result.currency_decimals
    items = letter.items.reset_index(drop=True)
    days = items["days_overdue"]
    late = "逾期" + days.astype(str) + "天" if lang == "zh" else days.astype(str) + " days"
    items["status"] = late.where(days >= 1, "未到期" if lang == "zh" else "not yet due")
    totals = _totals(letter.table, letter.rows, result.base_currency)
    one = decimals[totals[0][0]] if len(totals) == 1 else None
    money_spec = {"decimals": one} if one is not None else {"currency_col": "currency"}
    heads = dict(zip(("doc_no", "doc_date", "due_date", "currency", "amount_minor",
                      "open_minor", "days_overdue", "status"), labels["columns"], strict=True))  # fmt: skip
    last = ("status", "text") if letter.kind == "statement" else ("days_overdue", "int")
    columns = [
        ColumnSpec("doc_no", heads["doc_no"]),
        ColumnSpec("doc_date", heads["doc_date"], "date"),
        ColumnSpec("due_date", heads["due_date"], "date"),
        ColumnSpec("currency", heads["currency"]),
        ColumnSpec("amount_minor", heads["amount_minor"], "money", **money_spec),
        ColumnSpec("open_minor", heads["open_minor"], "money", **money_spec),
        ColumnSpec(last[0], heads[last[0]], last[1], total=False),
    ]
    title = [
        (labels["title"].format(name=clean(letter.name), id=clean(letter.customer_id)), None),
        labels["subtitle"].format(letter=LETTER_LABELS[lang][letter.kind],
                                  ref=letter_ref(letter, result.as_of),
                                  as_of=format_date(result.as_of, lang), count=len(items)),
        *(f"{_total_label(c, lang, letter.kind)}: {money(m, c, decimals[c], lang)}"
          for c, m in totals),
    ]  # fmt: skip
    with Book(path, as_of=result.as_of, lang=lang, title=labels["book"]) as book:
        write_table(book, labels["sheet"], items, columns, title=title,
                    currency_decimals=decimals, overflow_where=letter.file)  # fmt: skip


def template_paths(company_folder: str | None) -> dict[tuple[str, str], Path]:
    """Ours, replaced file by file by the company's own `<kind>_<lang>.docx`."""
    paths = {(k, lang): TEMPLATES / f"{k}_{lang}.docx" for k in KINDS for lang in LANGS}
    if company_folder:
        folder = Path(company_folder)
        if not folder.is_dir():
            raise ConfigError("error.template_folder", folder=folder)
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


_COMPILED: dict[tuple, object] = {}  # (path, mtime, size) -> CompiledTemplate or the reason not


def compiled_template(template: Path):
    """The template compiled for the fast path (once per process and file version), or why
    it cannot be: then docxtpl renders its letters. Raises `ConfigError` for a template that
    is not a Word file or whose tags do not compile."""
    from jinja2 import TemplateError

    stat = Path(template).stat()
    key = (str(template), stat.st_mtime_ns, stat.st_size)
    if key not in _COMPILED:
        try:
            _COMPILED[key] = compile_template(Path(template), _jinja_env())
        except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ConfigError("error.letter_template", template=template, reason=exc) from None
    return _COMPILED[key]


def render_letter(letter: Letter, result, template: Path, compiled=None) -> bytes:
    """The letter as .docx bytes; the same inputs give the same bytes. `compiled`: the
    template's `compiled_template`, when the caller has it at hand."""
    from jinja2 import TemplateError

    compiled = compiled_template(template) if compiled is None else compiled
    context = letter_context(letter, result)
    properties = letter_properties(letter, result)
    try:
        if isinstance(compiled, CompiledTemplate):
            return compiled.render(context, properties, result.as_of)
        return _docxtpl_letter(template, context, properties, result.as_of)
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ConfigError("error.letter_template", template=template, reason=exc) from None


def letter_properties(letter: Letter, result) -> dict:
    """The document's title, subject and author (never a placeholder: blank when unset)."""
    return {
        "title": clean(f"{LETTER_LABELS[letter.lang][letter.kind]} {letter.name}")[:250],
        "subject": letter_ref(letter, result.as_of),
        "author": clean(_field(result.config.letters, "company_name", letter.lang))[:250],
    }


def _docxtpl_letter(template: Path, context: dict, properties: dict, day: date) -> bytes:
    """A letter through docxtpl's document model: for the templates the fast path cannot
    compile (`compiled_template` says why)."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template))
    doc.render(context, _jinja_env(), autoescape=True)
    when = datetime.combine(day, datetime.min.time())
    props = doc.docx.core_properties
    props.author = properties["author"]
    props.title = properties["title"]
    props.subject = properties["subject"]
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
    decimals, base = result.currency_decimals, result.base_currency
    table, rows = letter.table, letter.rows
    listed = _listed(table, rows, cfg.max_items)
    rest = np.setdiff1d(rows, listed, assume_unique=True) if len(listed) < len(rows) else rows[:0]
    totals = _totals(table, rows, base)
    overdue = _totals(table, rows[table.days_overdue[rows] >= 1], base)
    unapplied = letter.unapplied_base_minor
    return {
        "company": _sender("company", cfg, lang),
        "counsel": _sender("counsel", cfg, lang),
        "customer": {"id": clean(letter.customer_id), "name": clean(letter.name)},
        "letter": {
            "kind": letter.kind,
            "title": LETTER_LABELS[lang][letter.kind],
            "ref": letter_ref(letter, result.as_of),
            "date": format_date(letter.letter_date, lang),
            "as_of": format_date(result.as_of, lang),
            "deadline": format_date(letter.deadline, lang),
        },
        "items": _items(table, listed, decimals, lang) + _rest(table, rest, decimals, lang),
        "schedule": {
            "file": letter.schedule_file if len(rest) else "",
            "listed": f"{len(listed):,}",
            "total": f"{len(rows):,}",
            "rest": f"{len(rest):,}",
        },
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
        "max_days": max(table.days_overdue[rows].tolist()),
    }


# What a letter (and the register and e-mails) use of its open items.
LETTER_ITEM_COLUMNS = ("customer_id", "doc_no", "doc_date", "due_date", "currency",
                       "amount_minor", "open_minor", "open_base_minor", "days_overdue")  # fmt: skip


def _listed(table: ItemTable, rows: np.ndarray, cap: int) -> np.ndarray:
    """The items a letter lists: all of them, or the `cap` largest (in the base currency; the
    oldest first among equals), as a collector picks what to put in front of a debtor. They
    keep the letter's due-date order."""
    if len(rows) <= cap:
        return rows
    largest = np.lexsort((rows, -table.open_base_minor[rows]))[:cap]
    return np.sort(rows[largest])


def _items(table: ItemTable, rows: np.ndarray, decimals: dict, lang: str) -> list[dict]:
    """One dict per listed item, as the table rows of the letter show it."""
    return [
        _item(*fields, decimals, lang)
        for fields in zip(
            table.doc_no[rows].tolist(),
            table.doc_date[rows].tolist(),
            table.due_date[rows].tolist(),
            table.currency[rows].tolist(),
            table.amount_minor[rows].tolist(),
            table.open_minor[rows].tolist(),
            table.days_overdue[rows].tolist(),
            strict=True,
        )  # fmt: skip
    ]


def _item(doc_no, doc_date, due_date, currency, amount, open_, days, decimals, lang) -> dict:
    if days >= 1:
        status = f"逾期{days}天" if lang == "zh" else f"{days} days"
    else:
        status = "未到期" if lang == "zh" else "not yet due"
    dec = decimals[currency]
    return {
        "doc_no": clean(doc_no),
        "doc_date": table_date(doc_date, lang),
        "due_date": table_date(due_date, lang),
        "currency": currency,
        "amount": format_amount(amount, dec),
        "open": format_amount(open_, dec),
        "days": str(days),
        "status": status,
    }


def _rest(table: ItemTable, rows: np.ndarray, decimals: dict, lang: str) -> list[dict]:
    """The items a letter does not list, one table row per currency: how many, their document
    amounts and what is unpaid, so the rows of the table add up to its totals."""
    if not len(rows):
        return []
    currencies = table.currency[rows]
    out = []
    for currency in sorted(set(currencies.tolist())):
        mine = rows[currencies == currency]
        count, dec = len(mine), decimals[currency]
        see = "见附件" if lang == "zh" else "see schedule"
        out.append({
            "doc_no": f"其余{count:,}笔" if lang == "zh" else f"{count:,} more",
            "doc_date": "",
            "due_date": "",
            "currency": currency,
            "amount": format_amount(int(table.amount_minor[mine].sum()), dec),
            "open": format_amount(int(table.open_minor[mine].sum()), dec),
            "days": see,
            "status": see,
        })  # fmt: skip
    return out


def _totals(table: ItemTable, rows: np.ndarray, base: str) -> list[tuple[str, int]]:
    """What is unpaid per currency, base currency first (integer minor units: exact)."""
    currencies, minor = table.currency[rows], table.open_minor[rows]
    if len(rows) > 32:  # a long letter: a pass per currency in numpy
        sums = {str(c): int(minor[currencies == c].sum()) for c in set(currencies.tolist())}
    else:
        sums = {}
        for currency, amount in zip(currencies.tolist(), minor.tolist(), strict=True):
            sums[currency] = sums.get(currency, 0) + amount
    order = sorted(sums, key=lambda c: (c != base, c))
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


_SENDERS: dict[tuple[int, str, str], tuple] = {}  # (id(cfg), who, lang) -> (cfg, fields)


def _sender(who: str, cfg, lang: str) -> dict:
    """The company's or counsel's fields, made once per config and language (every letter
    of a run prints the same)."""
    key = (id(cfg), who, lang)
    if key not in _SENDERS or _SENDERS[key][0] is not cfg:
        _SENDERS[key] = (cfg, (_company if who == "company" else _counsel)(cfg, lang))
    return _SENDERS[key][1]


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
    if not isinstance(day, date):
        day = pd.Timestamp(day)
    if lang == "zh":
        return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
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
            dst.writestr(member, src.read(info.filename), compresslevel=ZIP_LEVEL)
    return out.getvalue()


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], folder: Path, timeout: int = 600) -> list[Path]:
    """Convert .docx files to PDF beside them with LibreOffice (a private profile, so a
    LibreOffice the user has open does not swallow the job)."""
    office = libreoffice()
    if office is None:
        raise OutputError("error.no_libreoffice")
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
            raise OutputError("error.libreoffice_timeout", seconds=timeout) from None
    pdfs = [f.with_suffix(".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OutputError("error.libreoffice_no_pdf", file=missing[0], detail=detail[0])
    return pdfs
