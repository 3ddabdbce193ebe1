"""Every word a user reads is in the run's language (issue #12).

The bundled sample is run through the CLI in process, once in Chinese and once in English, and
every text a user reads is scanned (tests/user_text.py): each cell, sheet name, header and
footer, validation list and prompt, native chart title and category of every workbook; every
PNG chart's text; every e-mail's subject and body; the console; the letters in the run's
language. A Chinese run shows no English word except codes, ids, e-mail addresses, currency
codes, data from the input and the short ALLOWED list; an English run shows no Chinese except
data from the input. Then the defects the issue quotes, one by one, and the catalogues' own
completeness.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from babel.messages.pofile import read_po
from conftest import ROOT
from matplotlib.figure import Figure
from matplotlib.text import Text
from user_text import (
    ALLOWED,
    docx_texts,
    eml_texts,
    english_words,
    foreign_cjk,
    input_words,
    workbook_texts,
)

from aging import i18n
from aging.cli import build_parser, main
from aging.config import Config, config_rows
from aging.issues import CATALOGUE
from aging.normalise import CODED_VALUES, code_values
from aging.reading.fields import TABLE_FIELDS

SAMPLE = [ROOT / "sample_data" / "ar_ledger_2026-10.xlsx", ROOT / "sample_data" / "fx_rates.csv"]
AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{lang: (output folder, console text, chart texts)} for the sample in both languages."""
    out = {}
    for lang in ("zh", "en"):
        root = tmp_path_factory.mktemp(f"run_{lang}")
        charts: list[str] = []
        printed = io.StringIO()
        real_save = Figure.savefig

        def save(figure, *args, _real=real_save, _charts=charts, **kwargs):
            _charts.extend(t.get_text() for t in figure.findobj(Text) if t.get_text().strip())
            return _real(figure, *args, **kwargs)

        with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(printed):
            patch.setattr(Figure, "savefig", save)
            # one process, so the charts are drawn here where savefig is watched
            assert main(["--lang", lang, "--out", str(root), "--jobs", "1"]) == 0
        out[lang] = (root / AS_OF, printed.getvalue(), charts)
    return out


def texts_of(folder: Path, console: str, charts: list[str], lang: str) -> list[tuple[str, str]]:
    """Everything a user reads: workbooks, e-mails, console, charts and the run-language
    letters (a letter follows its customer: English names get English letters by design)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            found += workbook_texts(path)
        elif path.suffix == ".eml":
            found += eml_texts(path)
        elif path.suffix == ".docx" and path.stem.endswith(f"_{lang}"):
            found += docx_texts(path)
    found += [("console", line) for line in console.splitlines()]
    found += [("chart", text) for text in charts]
    return found


def _sample_text() -> str:
    """All input cell text in one string (for Chinese from the input)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(SAMPLE[0]))
    cells = [str(c) for n in book.sheet_names for r in book.get_sheet_by_name(n).to_python()
             for c in r]  # fmt: skip
    return "\n".join([*cells, *book.sheet_names, SAMPLE[1].read_text(encoding="utf-8")])


# ---- the whole output -----------------------------------------------------------------------


def test_a_chinese_run_shows_no_english_word(runs):
    folder, console, charts = runs["zh"]
    allowed = input_words(SAMPLE)
    setting_keys = {key for key, _, _ in config_rows(Config())}  # codes, as the YAML spells them
    # field names are codes too: what a user writes under `columns:` (Settings' column mapping)
    setting_keys |= {f for fields in TABLE_FIELDS.values() for f in fields}
    texts = texts_of(folder, console, charts, "zh")
    assert len(texts) > 5000  # the scan reads the outputs, not nothing
    english = []
    for where, text in texts:
        if text.strip() in setting_keys:
            continue
        words = english_words(text, allowed)
        if words:
            english.append((where, text, words))
    assert english == []


def test_an_english_run_shows_no_chinese_but_input_data(runs):
    folder, console, charts = runs["en"]
    source = _sample_text()
    # Config descriptions (aging/config.py) name the Chinese term of the trade beside the
    # English one: 呆账 bad, 开户行 bank, 对账函 statement … They are the only Chinese allowed.
    terms = "".join(description for _, _, description in config_rows(Config()))
    chinese = [
        (where, text, runs_)
        for where, text in texts_of(folder, console, charts, "en")
        if (runs_ := foreign_cjk(text, source + terms))
    ]
    assert chinese == []


def test_the_english_catalogue_holds_no_chinese():
    english = i18n.catalogue("en").messages
    assert [(code, t) for code, t in english.items() if re.search(r"[\u3400-\u9fff]", t)] == []


# ---- the defects the issue quotes ---------------------------------------------------------


def _sheet(folder: Path, name: str, pattern: str = "AR_Close_*.xlsx"):
    path = next(folder.glob(pattern))
    return openpyxl.load_workbook(path, read_only=True)[name]


def _column(ws, header: str) -> list:
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if header in row)
    col = rows[at].index(header)
    values = []
    for row in rows[at + 1 :]:  # down to the table's end (an empty row)
        if not row or all(v is None for v in row):
            break
        if row[col] is not None:
            values.append(row[col])
    return values


def test_worklist_next_action_hold_reason_and_window_are_chinese(runs):
    ws = _sheet(runs["zh"][0], "催收清单")
    actions = set(_column(ws, "下一步"))
    # was "collection agency", "lawyer's letter, in person", "untraceable: trace the debtor …"
    assert {"委托催收机构", "律师函（上门）", "失联：先查找债务人下落，再采取其他措施"} <= actions
    windows = set(_column(ws, "时段"))
    assert "15:00-16:00（避开 11:45-14:00）" in windows  # was "15:00-16:00 (not 11:45-14:00)"
    holds = _column(_sheet(runs["zh"][0], "停止发货"), "原因")
    # was "over credit limit; items over 60 days overdue; graded bad"
    assert (
        "超出信用额度：余额 55,740.90，额度 40,000.00；有逾期超过 60 天的单据；风险等级：呆账"
        in holds
    )


def test_limitation_actions_and_exception_messages_are_chinese(runs):
    folder = runs["zh"][0]
    actions = set(_column(_sheet(folder, "诉讼时效预警"), "措施"))
    assert "诉讼时效已届满：只有债务人的书面确认（签章的对账函）才能恢复" in actions
    messages = set(_column(_sheet(folder, "异常"), "说明"))
    assert "金额不是数字：n/a" in messages  # was "The amount is not a number: n/a"


def test_settings_descriptions_are_chinese(runs):
    descriptions = _column(_sheet(runs["zh"][0], "参数设置"), "说明")
    assert "SMTP 服务器。" in descriptions and "SMTP server." not in descriptions
    assert len(descriptions) > 60 and all(re.search(r"[\u3400-\u9fff]", d) for d in descriptions)


def test_reconciliation_notes_are_chinese(runs):
    notes = _column(_sheet(runs["zh"][0], "对账"), "备注")
    assert "尚有贷方余额的客户" in notes  # was "customers with credit left"


def test_console_summary_is_chinese(runs):
    console = runs["zh"][1]
    # The sample as issue #14 left it: two lapsed customers (83 lines, 11 open items) more.
    assert "截至 2026-10-31：台账 2,308 行 -> 未清单据 146 张，客户 80 家" in console
    assert "各风险等级客户数：未收款 35；催收款 22；准呆账 2；呆账 16；死账 5" in console
    assert "as of" not in console and "not e-mailed" not in console


def test_mail_body_speaks_one_language(runs):
    bodies = "\n".join(t for path in runs["zh"][0].glob("outbox/*.eml") for _, t in eml_texts(path))
    # was "逾期 CNY 63,310.23 — collection agency — 2026年11月2日"
    assert (
        "北京华信机床有限公司（C01846）— 逾期 ¥63,310.23 — 委托催收机构 — 2026年11月2日" in bodies
    )
    english = "\n".join(
        t for path in runs["en"][0].glob("outbox/*.eml") for _, t in eml_texts(path)
    )
    assert "Beijing" not in english and "CNY 63,310.23 overdue — collection agency" in english


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contact_log_drop_downs_offer_the_run_language_and_read_back(runs, lang):
    pack = next(runs[lang][0].glob("packs/*.xlsx"))
    lists = [t for where, t in workbook_texts(pack) if "sheet6" in where]  # the Contact log
    expected = {
        "zh": ("电话", "短信", "邮件", "上门", "未接通", "承诺付款", "有争议"),
        "en": ("phone", "sms", "email", "visit", "no_answer", "promised", "disputed"),
    }
    assert set(expected[lang]) <= set(lists)  # was phone / no_answer in a Chinese pack
    for field in ("channel", "outcome"):
        words = i18n.choices(field, lang)
        assert set(words) == set(CODED_VALUES[field])  # every code is offered
        keys, unknown = code_values(pd.Series(list(words.values())), field, Config())
        assert list(keys) == list(words) and not unknown.any()  # each word reads back


# ---- the catalogues -------------------------------------------------------------------------


def _placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", template))


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGS if lang != i18n.SOURCE_LANG])
def test_every_code_has_a_translation_with_the_same_placeholders(lang):
    source, other = i18n.catalogue("en").messages, i18n.catalogue(lang).messages
    assert sorted(set(source) - set(other)) == []
    assert sorted(set(other) - set(source)) == []
    differ = {c: (source[c], other[c]) for c in source
              if _placeholders(source[c]) != _placeholders(other[c])}  # fmt: skip
    assert differ == {}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_settings_description_and_issue_code_is_in_every_catalogue(lang):
    descriptions = {d for _, _, d in config_rows(Config()) if d}
    settings = {s for (context, s) in i18n.catalogue(lang).sources if context == "setting"}
    assert sorted(descriptions - settings) == []
    assert sorted(settings - descriptions) == []  # none left behind by a changed description
    assert sorted(c for c in CATALOGUE if not i18n.has(f"issue.{c}")) == []


def test_a_third_language_is_one_catalogue_file(tmp_path, monkeypatch):
    """Copy the English catalogue under a new language, translate one message: it is used."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    target = locale / "fr" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    po = (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    po = po.replace('msgid "sheet.worklist"\nmsgstr "Worklist"',
                    'msgid "sheet.worklist"\nmsgstr "Relances"')  # fmt: skip
    po = po.replace('msgstr "en_GB"', 'msgstr "fr_FR"')
    target.write_text(po, encoding="utf-8")
    with target.open("rb") as f:
        assert read_po(f).get("sheet.worklist").string == "Relances"
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n, "LANGS", i18n.available_languages())
    i18n.catalogue.cache_clear()
    try:
        assert "fr" in i18n.LANGS
        assert i18n.sheet_name("worklist", "fr") == "Relances"
        assert i18n.money(6331023, "EUR", 2, "fr").endswith(",23")  # French decimals
    finally:
        i18n.catalogue.cache_clear()


def test_allowed_words_are_few():
    assert len(ALLOWED) <= 10


# ---- the command line -----------------------------------------------------------------------


def test_help_and_argument_errors_are_said_in_chinese(capsys):
    """`--lang zh --help` and a mistyped argument: argparse's own words and every option's
    help come from the catalogue (they were English)."""
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh", "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：run_reports.py") and "显示本帮助并退出" in shown
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh", "--only", "everything"])
    assert done.value.code == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.startswith("run_reports.py：错误：参数 --only：无效的选项：'everything'")
    # what stays English is what the user types: options, metavars, names of files and tools
    typed = {"FILE", "DIR", "DATE", "PATH", "URL", "YAML", "SMTP", "PostgreSQL", "SQLite",
             "ERP", "Ctrl", "YYYY", "MM", "DD", "history", "sqlite", "output", "user", "host",
             "db", "postgresql", "close", "packs", "letters", "en", "zh", "as_of", "replaced",
             "mail", "password_env", "outbox", "data", "parquet", "jobs", "xlsx", "xlsm",
             "xls", "ods", "csv", "AGING_DEBUG", "print", "config", "ledger", "customers",
             "contacts", "fx", "as", "of", "out", "lang", "only", "send", "resend", "force",
             "quiet", "explain", "help", "run_reports", "py", "everything", "prog"}  # fmt: skip
    assert [w for line in shown.splitlines() for w in english_words(line, typed)] == []


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_option_help_is_in_every_catalogue(lang):
    parser = build_parser()
    helps = {parser.description, parser.epilog, *(a.help for a in parser._actions)}
    sources = {s for (context, s) in i18n.catalogue(lang).sources if context == "cli"}
    assert sorted(helps - sources) == []


def test_an_output_error_is_said_in_the_run_language(tmp_path, capsys):
    """The month-end errors a user meets most (an --out that is a file, a month that exists)
    were English in a Chinese run."""
    not_a_folder = tmp_path / "out.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    assert main(["--lang", "zh", "--quiet", "--out", str(not_a_folder)]) == 2
    assert capsys.readouterr().err == f"错误：--out {not_a_folder}：是文件，不是文件夹\n"


def test_a_wrong_setting_is_said_in_the_run_language(tmp_path, capsys):
    """pydantic's English ("Extra inputs are not permitted") and our validators' sentences
    come through the catalogue: a Chinese user reads why a setting is refused."""
    config = tmp_path / "config.yaml"
    config.write_text("plan:\n  recovery_rates:\n    bad: 2\n  weights:\n    amout: 1\n",
                      encoding="utf-8")  # fmt: skip
    assert main(["--lang", "zh", "--config", str(config), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"错误：{config}：plan.weights：未知的键 'amout'；可用的键：" + (
        "overdue_amount, age, grade, credit_rating, cooperation, strength, distance, "
        "broken_promises, limitation, behaviour\n"
    )
    config.write_text("plan:\n  recovery_rates:\n    bad: 2\n", encoding="utf-8")
    assert main(["--lang", "zh", "--config", str(config), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"错误：{config}：plan.recovery_rates.bad：应小于或等于 1\n"
    assert main(["--config", str(config), "--out", str(tmp_path)]) == 2
    english = capsys.readouterr().err
    assert (
        english
        == f"error: {config}: plan.recovery_rates.bad: Input should be less than or equal to 1\n"
    )
