"""Letters: each generated .docx is opened with python-docx and its facts are checked against
the ledger — every item listed, the total to the cent, the deadline, the language — plus safe
file names, the company's own templates, reproducible bytes and the register.

The sample ledger is aged at 2026-10-31. Deadline by hand: 2026-10-31 + 15 days = Sunday
2026-11-15, so the next PRC working day, Monday 2026-11-16.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pandas as pd
import pytest
from conftest import ROOT
from lxml import etree

from aging import letters
from aging.config import load_config
from aging.errors import ConfigError
from aging.i18n import render
from aging.pipeline import Inputs, run

SAMPLE = ROOT / "sample_data"
COMPANY = {
    "letters.company_name": "华东精密机械有限公司",
    "letters.address": "江苏省苏州市工业园区星湖街 88 号",
    "letters.bank_name": "中国工商银行苏州工业园区支行",
    "letters.bank_account": "1102 0201 0900 1234 567",
    "letters.contact": "周敏",
    "letters.phone": "0512-6288 1234",
    "letters.email": "ar@hdjm.com.cn",
    "letters.counsel": "江苏恒信律师事务所",
    "letters.counsel_address": "江苏省苏州市干将西路 1 号",
    "letters.counsel_phone": "0512-6777 8888",
    "letters.english": {
        "company_name": "Huadong Precision Machinery Co., Ltd.",
        "counsel": "Jiangsu Hengxin Law Firm",
    },
}
DEADLINE = {"zh": "2026年11月16日", "en": "16 November 2026"}
HELD = {"zh": "2026年11月20日", "en": "20 November 2026"}
TITLES = {
    ("reminder", "zh"): "催款提示函",
    ("credit_warning", "zh"): "信用警示函",
    ("lawyer", "zh"): "律 师 函",
    ("statement", "zh"): "对 账 函",
    ("reminder", "en"): "Payment Reminder",
    ("credit_warning", "en"): "Credit Warning",
    ("lawyer", "en"): "Lawyer's Letter",
    ("statement", "en"): "Statement of Account",
}
ENGLISH_MONTHS = re.compile(r"January|February|March|April|June|July|August|September|October|"
                            r"November|December")  # fmt: skip
FILE_NAME = re.compile(r"[A-Za-z0-9_-]+_[0-9a-f]{8}_(reminder|credit_warning|lawyer|statement)"
                       r"_(zh|en)\.docx")  # fmt: skip


def sample_result(**overrides):
    config = load_config(None, {**COMPANY, **overrides})
    inputs = Inputs(
        ledger=(SAMPLE / "ar_ledger_2026-10.xlsx",),
        fx=(SAMPLE / "fx_rates.csv",),
    )
    return run(inputs, config)


@pytest.fixture(scope="module")
def result():
    return sample_result()


@pytest.fixture(scope="module")
def written(result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    letters.write_letters(result, folder)
    return folder / "letters"


def text_of(path: Path) -> str:
    """Every paragraph, table cell and footer line of a .docx, one per line."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    for section in document.sections:
        lines += [p.text for p in section.footer.paragraphs]
    return "\n".join(lines)


def item_rows(path: Path) -> dict[str, list[str]]:
    """doc_no -> the cells of its row in the letter's items table."""
    table = docx.Document(str(path)).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    return {cells[0]: cells for cells in rows if re.fullmatch(r"[A-Z]+\d+", cells[0])}


def cents(minor: int) -> str:
    """Formatted independently of the code under test: Decimal, two places, thousands."""
    return f"{Decimal(int(minor)).scaleb(-2):,.2f}"


def expected_items(result, customer_id: str, kind: str) -> pd.DataFrame:
    items = result.open_items[result.open_items["customer_id"] == customer_id]
    return items if kind == "statement" else items[items["days_overdue"] >= 1]


# ---- which letters -------------------------------------------------------------------------


def test_one_letter_for_each_customer_whose_plan_calls_for_one(result, written):
    register = letters.letter_register(result)
    planned = result.worklist[result.worklist["letter"].ne("")]
    dunning = register[register["letter"].ne("statement")]
    assert list(dunning["customer_id"]) == list(planned["customer_id"])
    assert list(dunning["letter"]) == list(planned["letter"])
    # statements: the customers with a limitation alert (default letters.statements: alerts)
    statements = register.loc[register["letter"].eq("statement"), "customer_id"]
    assert set(statements) == set(result.limitation_alerts["customer_id"])
    assert sorted(p.name for p in written.iterdir()) == sorted(register["file"])
    assert register["file"].is_unique
    # the sample has every kind, both languages
    assert set(register["letter"]) == {"reminder", "credit_warning", "lawyer", "statement"}
    assert set(register["lang"]) == {"zh", "en"}


def test_blocked_customers_get_no_letter(result):
    register = letters.letter_register(result)
    blocked = result.worklist.loc[result.worklist["block_reason"].ne(""), "customer_id"]
    assert len(blocked) > 0  # bankrupt, untraceable, in lawsuit ... in the sample
    assert not set(blocked) & set(register["customer_id"])


# ---- the facts in each letter --------------------------------------------------------------


def test_every_item_listed_with_its_amount(result, written):
    register = letters.letter_register(result)
    for row in register.itertuples():
        expected = expected_items(result, row.customer_id, row.letter)
        listed = item_rows(written / row.file)
        assert sorted(listed) == sorted(expected["doc_no"]), row.file
        for item in expected.itertuples():
            cells = listed[item.doc_no]
            assert cells[3] == item.currency
            assert cells[4] == cents(item.amount_minor)  # document amount
            assert cells[5] == cents(item.open_minor)  # what is unpaid
            if row.letter != "statement":
                assert cells[6] == str(item.days_overdue)


def test_total_right_to_the_cent(result, written):
    register = letters.letter_register(result)
    for row in register.itertuples():
        expected = expected_items(result, row.customer_id, row.letter)
        text = text_of(written / row.file)
        for currency, minor in expected.groupby("currency")["open_minor"].sum().items():
            if row.lang == "en":
                assert f"{currency} {cents(minor)}" in text, row.file
            elif currency == "CNY":
                assert f"¥{cents(minor)}（大写：人民币" in text, row.file
            else:
                assert f"{cents(minor)}" in text, row.file
        assert row.total_base_minor == expected["open_base_minor"].sum()


def test_deadline_language_and_title(result, written):
    register = letters.letter_register(result)
    # C02380 was phoned on 2026-10-29, so the plan holds its letter to 5 November: its 15
    # days run from then, to Friday 20 November.
    pairs = set(zip(register["letter_date"].dt.date, register["deadline"].dt.date, strict=True))
    assert pairs == {
        (date(2026, 11, 2), date(2026, 11, 16)),
        (date(2026, 11, 5), date(2026, 11, 20)),
    }
    for row in register.itertuples():
        text = text_of(written / row.file)
        held = row.deadline.date() == date(2026, 11, 20)
        assert (HELD[row.lang] if held else DEADLINE[row.lang]) in text
        assert TITLES[(row.letter, row.lang)] in text
        if row.lang == "zh":
            assert "2026年10月31日" in text  # the as-of date
            assert not ENGLISH_MONTHS.search(text)
            assert re.search(r"[\u4e00-\u9fff]", row.name)
        else:
            assert "31 October 2026" in text
            assert not re.search(r"[\u4e00-\u9fff]", text_of(written / row.file).split("\n")[0])


def test_letters_state_creditor_debtor_payment_and_contact(result, written):
    register = letters.letter_register(result)
    for row in register.itertuples():
        text = text_of(written / row.file)
        creditor = "华东精密机械有限公司" if row.lang == "zh" else "Huadong Precision Machinery"
        assert creditor in text
        assert row.name in text and row.customer_id in text
        assert "1102 0201 0900 1234 567" in text  # how to pay
        assert "0512-6288 1234" in text  # whom to call
        assert row.ref in text
        assert "{{" not in text and "{%" not in text and "[letters." not in text


def test_lawyers_letter_is_signed_by_counsel_and_statement_has_a_reply_slip(result, written):
    register = letters.letter_register(result)
    lawyer = register[register["letter"].eq("lawyer") & register["lang"].eq("zh")].iloc[0]
    text = text_of(written / lawyer["file"])
    assert text.splitlines()[0] == "江苏恒信律师事务所"  # the letterhead is the law firm's
    assert "（签字）" in text and "第一百九十五条" in text
    statement = register[register["letter"].eq("statement")].iloc[0]
    text = text_of(written / statement["file"])
    assert "回　执" in text and "（盖章）" in text
    total = expected_items(result, statement["customer_id"], "statement")["open_minor"].sum()
    slip = text[text.index("回　执") :]
    assert f"¥{cents(total)}" in slip  # the amount the customer acknowledges


def test_no_threats_in_any_template():
    """DESIGN: letters are factual and polite; none of the seeds' pressure tactics."""
    banned = ["曝光", "黑名单", "家人", "亲属", "公安", "拘留", "刑事", "征信", "shame",
              "blacklist", "family", "police", "criminal", "prison", "publish"]  # fmt: skip
    for path in sorted((ROOT / "templates").glob("*.docx")):
        text = text_of(path)
        assert not [w for w in banned if w.lower() in text.lower()], path.name


# ---- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "人民币零元整"),
        (56, "人民币伍角陆分"),
        (5, "人民币伍分"),
        (100, "人民币壹元整"),
        (100500, "人民币壹仟零伍元整"),
        (1000000, "人民币壹万元整"),
        (10000000, "人民币壹拾万元整"),
        (1005000, "人民币壹万零伍拾元整"),
        (10000000000, "人民币壹亿元整"),
        (10001000000, "人民币壹亿零壹万元整"),
        (168032, "人民币壹仟陆佰捌拾元叁角贰分"),
        (1234567, "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
        (1989770, "人民币壹万玖仟捌佰玖拾柒元柒角"),
        (100005, "人民币壹仟元零伍分"),
        (5945009, "人民币伍万玖仟肆佰伍拾元零玖分"),
    ],
)
def test_rmb_in_capitals(fen, words):
    assert letters.rmb_upper(fen) == words


def test_dates_and_amounts_by_language():
    assert letters.format_date(date(2026, 11, 5), "zh") == "2026年11月5日"
    assert letters.format_date(date(2026, 11, 5), "en") == "5 November 2026"
    assert letters.format_amount(123456, 2) == "1,234.56"
    assert letters.format_amount(-5, 2) == "-0.05"
    assert letters.format_amount(1234, 0) == "1,234"
    assert letters.money(123456, "CNY", 2, "zh", words=True) == (
        "¥1,234.56（大写：人民币壹仟贰佰叁拾肆元伍角陆分）"
    )
    assert letters.money(123456, "USD", 2, "zh") == "美元 1,234.56"
    assert letters.money(123456, "CNY", 2, "en") == "CNY 1,234.56"


def test_deadline_moves_to_a_working_day_and_counts_from_a_held_letter():
    as_of = date(2026, 10, 31)
    assert letters.deadline(as_of, date(2026, 11, 2), 15) == date(2026, 11, 16)
    # held back by the plan's cadence to 5 November: the debtor still gets 15 days
    assert letters.deadline(as_of, date(2026, 11, 5), 15) == date(2026, 11, 20)
    # National Day: 2026-09-20 + 15 = 5 October, a holiday; the 8th is the first working day
    assert letters.deadline(date(2026, 9, 20), date(2026, 9, 21), 15) == date(2026, 10, 8)


def test_language_follows_the_customer_name():
    assert letters.letter_lang("无锡华宇物资有限公司", "auto") == "zh"
    assert letters.letter_lang("Great Lakes Tooling Inc.", "auto") == "en"
    assert letters.letter_lang("Great Lakes Tooling Inc.", "zh") == "zh"


# ---- safety --------------------------------------------------------------------------------


def small(result, letters_wanted: int = 2, **config):
    """The result cut to its first few letters, with config overrides (for slow paths)."""
    worklist = result.worklist
    keep = worklist[worklist["letter"].ne("")].head(letters_wanted)
    overrides = {**COMPANY, "letters.statements": "none", **config}
    return dataclasses.replace(result, worklist=keep, config=load_config(None, overrides))


def renamed(result, old: str, new: str, name: str):
    """The result with one customer's id and name replaced everywhere a letter reads them."""

    def swap(frame: pd.DataFrame, name_column: str) -> pd.DataFrame:
        frame = frame.copy()
        mine = frame["customer_id"].eq(old)
        frame.loc[mine, "customer_id"] = new
        if name_column in frame:
            frame.loc[mine, name_column] = name
        return frame

    return dataclasses.replace(
        result,
        open_items=swap(result.open_items, "customer_name"),
        customers=swap(result.customers, "name"),
        worklist=swap(result.worklist, "name"),
        limitation_alerts=swap(result.limitation_alerts, "customer_name"),
    )


HOSTILE = [
    ("../../etc/passwd", 'A & B <Ltd> "quoted" {{ 7*7 }} {% if 1 %}x{% endif %}'),
    ("CON", "=cmd|' /C calc'!A0"),
    ("a/b", "Line\r\nbreak\x01\x0bcontrol Co."),
    ("a_b", "C:\\Windows\\evil 有限公司"),
]


def test_hostile_ids_and_names_stay_inside_the_folder_and_print_as_text(result, tmp_path):
    chosen = list(result.worklist.loc[result.worklist["letter"].ne(""), "customer_id"][:4])
    hostile = result
    for old, (new, name) in zip(chosen, HOSTILE, strict=True):
        hostile = renamed(hostile, old, new, name)
    written = letters.write_letters(hostile, tmp_path)
    folder = (tmp_path / "letters").resolve()
    assert all(p.resolve().parent == folder for p in written)
    assert all(FILE_NAME.fullmatch(p.name) for p in written)
    assert len({p.name for p in written}) == len(written)
    assert [p.name for p in tmp_path.iterdir()] == ["letters"]
    register = letters.letter_register(hostile)
    for new, name in HOSTILE:
        row = register[register["customer_id"].eq(new)].iloc[0]
        text = text_of(folder / row["file"])
        assert letters.clean(name) in text  # escaped, not interpreted: no 49, no lost '<'
        assert "\x01" not in text and "\x0b" not in text
    # "a/b" and "a_b" sanitise alike; the hash of the raw id keeps them apart
    names = set(register["file"])
    assert len([n for n in names if n.startswith("a_b_")]) == 2


def test_file_names_are_stable_and_unique():
    assert letters.letter_file_name("C01835", "lawyer", "zh") == (
        f"C01835_{letters.short_hash('C01835')}_lawyer_zh.docx"
    )
    assert letters.safe_stem("../..") == "customer"
    assert letters.safe_stem("客户０１") == "01"  # full-width digits fold to ASCII


# ---- templates and files -------------------------------------------------------------------


def test_company_template_replaces_ours(result, tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    document = docx.Document(str(ROOT / "templates" / "reminder_zh.docx"))
    document.paragraphs[0].insert_paragraph_before("OUR OWN LETTERHEAD")
    document.save(str(own / "reminder_zh.docx"))
    custom = dataclasses.replace(
        result,
        config=load_config(None, {**COMPANY, "letters.template_folder": str(own)}),
    )
    register = letters.letter_register(custom)
    letters.write_letters(custom, tmp_path / "out")
    for row in register.itertuples():
        text = text_of(tmp_path / "out" / "letters" / row.file)
        assert ("OUR OWN LETTERHEAD" in text) == (row.letter == "reminder" and row.lang == "zh")


def test_a_template_naming_an_unknown_field_fails_loudly(result, tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    document = docx.Document(str(ROOT / "templates" / "reminder_zh.docx"))
    document.add_paragraph("{{ company.fax }}")
    document.save(str(own / "reminder_zh.docx"))
    custom = dataclasses.replace(
        result, config=load_config(None, {**COMPANY, "letters.template_folder": str(own)})
    )
    with pytest.raises(ConfigError, match="reminder_zh.docx.*fax"):
        letters.write_letters(custom, tmp_path / "out")
    missing = dataclasses.replace(
        result, config=load_config(None, {"letters.template_folder": str(tmp_path / "nope")})
    )
    with pytest.raises(ConfigError, match="template_folder"):
        letters.write_letters(missing, tmp_path / "out2")


def test_same_inputs_give_the_same_bytes(result, tmp_path):
    first = letters.write_letters(small(result, 4), tmp_path / "a")
    second = letters.write_letters(small(result, 4), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    with zipfile.ZipFile(first[0]) as package:
        assert {i.date_time[:3] for i in package.infolist()} == {(2026, 10, 31)}


def test_templates_are_built_by_their_script():
    """The committed .docx files hold exactly what templates/make_templates.py builds (member
    by member: another zlib may pack the same XML into different bytes)."""
    import importlib.util

    script = ROOT / "templates" / "make_templates.py"
    spec = importlib.util.spec_from_file_location("make_templates", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for kind, lang in module.TEXT:
        built = members(module.build(kind, lang))
        assert built == members((ROOT / "templates" / f"{kind}_{lang}.docx").read_bytes())


def members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def test_unset_sender_fields_show_the_key_to_fill(result, tmp_path):
    bare = dataclasses.replace(small(result, 1), config=load_config(None))
    path = letters.write_letters(bare, tmp_path)[0]
    text = text_of(path)
    assert "[letters.company_name]" in text and "[letters.bank_account]" in text


def test_register_contract(result):
    register = letters.letter_register(result)
    assert tuple(register.columns) == letters.REGISTER_COLUMNS
    assert register["total_base_minor"].dtype == "int64"
    assert str(register["deadline"].dtype).startswith("datetime64")
    lawyer = register[register["letter"].eq("lawyer")]
    assert set(lawyer["signer"]) == {"counsel"}
    usd = register[register["customer_id"].eq("00154")].iloc[0]
    assert usd["lang"] == "en" and usd["amounts"].startswith("USD ")
    # filtered to one manager (as a pack is), the register holds that manager's letters only
    one = result.customers["manager"].iloc[0]
    assert set(register.loc[register["manager"].eq(one), "manager"]) == {one}


def _writer_installed() -> bool:
    office = letters.libreoffice()
    if not office:
        return False
    program = Path(office).resolve().parent
    return any(program.glob("libswlo.*")) or any(program.glob("*swlo*"))


@pytest.mark.skipif(not _writer_installed(), reason="LibreOffice Writer is not installed")
def test_pdf_when_asked(result, tmp_path):
    written = letters.write_letters(small(result, 2, **{"letters.pdf": True}), tmp_path)
    pdfs = sorted((tmp_path / "letters").glob("*.pdf"))
    assert [p.stem for p in pdfs] == sorted(p.stem for p in written)
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_pdf_without_libreoffice_says_so(result, tmp_path, monkeypatch):
    monkeypatch.setattr(letters.shutil, "which", lambda name: None)
    with pytest.raises(letters.OutputError, match="LibreOffice"):
        letters.write_letters(small(result, 1, **{"letters.pdf": True}), tmp_path)


def test_the_packs_letters_together_are_the_runs_letters(result):
    """Each pack works out its own customers' letters; together, in the run's order per pack,
    they are exactly the letters of the whole run (every letter depends on its own customer)."""
    from aging.render_pack import split_by

    parts = split_by(result, "manager")
    assert len(parts) > 1
    whole = letters.letters_due(result)
    seen = []
    for part in parts.values():
        mine = set(part.customers["customer_id"])
        expected = [x for x in whole if x.customer_id in mine]
        got = letters.letters_due(part)
        assert [(x.customer_id, x.kind, x.letter_date, x.deadline) for x in got] == [
            (x.customer_id, x.kind, x.letter_date, x.deadline) for x in expected
        ]
        for a, b in zip(got, expected, strict=True):
            assert a.items["doc_no"].tolist() == b.items["doc_no"].tolist()
        seen += got
        # and a pack's part takes exactly these from the whole run's (share_letters)
        shared = dataclasses.replace(part)
        letters.share_letters(shared, result, mine)
        assert letters.letters_due(shared) == expected
        assert letters.letter_register(shared).equals(letters.letter_register(part))
    assert len(seen) == len(whole)


# ---- the fast path: docxtpl's letters, written at the speed of the file format -------------


def xml_elements(xml: bytes) -> list:
    """Every element of an XML part as a reader of the file sees it: tag, attributes, text."""
    return [(e.tag, sorted(e.attrib.items()), e.text, e.tail) for e in etree.fromstring(xml).iter()]


def properties(xml: bytes) -> dict:
    """Document properties by name; an empty element is the same as none."""
    return {etree.QName(e).localname: e.text for e in etree.fromstring(xml) if e.text}


def assert_same_letter(fast: bytes, slow: bytes) -> None:
    """The same members, every XML part element for element, the same document properties
    and the same bytes for the rest (styles, theme, images). The bytes of the XML may differ:
    namespace declarations, quoting, the order of properties."""
    a, b = members(fast), members(slow)
    assert set(a) == set(b)
    for name in a:
        if name == "docProps/core.xml":
            assert properties(a[name]) == properties(b[name])
        elif name == "[Content_Types].xml":
            assert sorted(xml_elements(a[name])) == sorted(xml_elements(b[name]))
        elif name.endswith((".xml", ".rels")):
            assert xml_elements(a[name]) == xml_elements(b[name]), name
        else:
            assert a[name] == b[name], name


def test_fast_letters_hold_what_docxtpl_writes(result):
    """Every sample letter, and the hostile names' letters, written by the compiled templates
    and by docxtpl's document model (the way letters were written before) are the same."""
    chosen = list(result.worklist.loc[result.worklist["letter"].ne(""), "customer_id"][:4])
    hostile = result
    for old, (new, name) in zip(chosen, HOSTILE, strict=True):
        hostile = renamed(hostile, old, new, name)
    paths = letters.template_paths(None)
    compared = 0
    for run_result in (result, hostile):
        for letter in letters.letters_due(run_result):
            template = paths[(letter.kind, letter.lang)]
            assert isinstance(letters.compiled_template(template), letters.CompiledTemplate)
            fast = letters.render_letter(letter, run_result, template)
            slow = letters._docxtpl_letter(
                template,
                letters.letter_context(letter, run_result),
                letters.letter_properties(letter, run_result),
                run_result.as_of,
            )
            assert_same_letter(fast, slow)
            compared += 1
    assert compared == 2 * len(letters.letters_due(result)) > 40  # every kind, both languages


def tiny_png() -> bytes:
    """A 1x1 white PNG, made by hand (a logo stand-in)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))  # fmt: skip


def test_a_company_template_edited_in_word_stays_on_the_fast_path(result, tmp_path):
    """What a company does in Word: a logo (a drawing, whose id docxtpl renumbers), a header
    with a tag, a tag whose text Word split over runs of different formatting."""
    own = tmp_path / "own"
    own.mkdir()
    (tmp_path / "logo.png").write_bytes(tiny_png())
    document = docx.Document(str(ROOT / "templates" / "reminder_en.docx"))
    first = document.paragraphs[0].insert_paragraph_before()
    first.add_run().add_picture(str(tmp_path / "logo.png"))
    split = document.paragraphs[1].insert_paragraph_before("Customer: ")
    split.add_run("{{ customer.").bold = True
    split.add_run("name }}")
    document.sections[0].header.paragraphs[0].text = "Ref. {{ letter.ref }}"
    document.save(str(own / "reminder_en.docx"))
    custom = dataclasses.replace(
        result, config=load_config(None, {**COMPANY, "letters.template_folder": str(own)})
    )
    template = own / "reminder_en.docx"
    assert isinstance(letters.compiled_template(template), letters.CompiledTemplate)
    reminder = next(x for x in letters.letters_due(custom) if x.kind == "reminder")
    letter = dataclasses.replace(reminder, lang="en")  # the sample's reminders are Chinese
    fast = letters.render_letter(letter, custom, template)
    slow = letters._docxtpl_letter(template, letters.letter_context(letter, custom),
                                   letters.letter_properties(letter, custom), custom.as_of)  # fmt: skip
    assert_same_letter(fast, slow)
    path = tmp_path / "letter.docx"
    path.write_bytes(fast)
    opened = docx.Document(str(path))
    assert f"Customer: {letter.name}" in [p.text for p in opened.paragraphs]
    assert (
        opened.sections[0].header.paragraphs[0].text
        == f"Ref. {letters.letter_ref(letter, custom.as_of)}"
    )
    assert len(opened.inline_shapes) == 1
    assert 'id="1001"' in members(fast)["word/document.xml"].decode()  # renumbered as docxtpl does


def test_a_tag_only_docxtpl_can_render_falls_back_to_it_and_says_so(result, tmp_path):
    """A column loop (`{%tc`) changes a table's grid, which only docxtpl's model rewrites: that
    template's letters are written through docxtpl, and the run says so once."""
    own = tmp_path / "own"
    own.mkdir()
    document = docx.Document(str(ROOT / "templates" / "reminder_zh.docx"))
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["币种", "金额", ""], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells,
                          ["{%tc for t in totals %}", "{{ t.amount }}", "{%tc endfor %}"],
                          strict=True):  # fmt: skip
        cell.text = text
    document.save(str(own / "reminder_zh.docx"))
    custom = dataclasses.replace(
        result, config=load_config(None, {**COMPANY, "letters.template_folder": str(own)})
    )
    assert letters.compiled_template(own / "reminder_zh.docx") == letters.Unsupported("tag", "{%tc")
    written = letters.write_letters(custom, tmp_path / "out")
    register = letters.letter_register(custom)
    reminder = register[register["letter"].eq("reminder") & register["lang"].eq("zh")].iloc[0]
    text = text_of(tmp_path / "out" / "letters" / reminder["file"])
    amount = reminder["amounts"].removeprefix("CNY ")
    assert f"币种 | 金额 | \n{amount}" in text  # the column loop rendered, by docxtpl
    assert len(written) == len(register)
    notes = [render(n, "en") for n in letters.letter_notes(custom)]
    assert [n for n in notes if "reminder_zh.docx" in n] == [
        "letters: reminder_zh.docx uses the tag {%tc, which only docxtpl's document model "
        "renders: its letters are written the slower way"
    ]
    assert [render(n, "zh") for n in letters.letter_notes(custom) if "reminder_zh" in str(n)] == [
        "函件：模板 reminder_zh.docx 使用了标签 {%tc，须经完整的文档模型生成，其函件以较慢的方式写出"
    ]


def test_each_letter_carries_only_the_parts_it_uses(written):
    """Issue #15: each letter was 0.84 MB unzipped, 788 KB of it styles no letter used."""
    for path in sorted(written.glob("*.docx")):
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            unzipped = sum(i.file_size for i in package.infolist())
            styles = package.getinfo("word/styles.xml").file_size
        assert names == {
            "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
            "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
            "word/settings.xml", "word/fontTable.xml", "word/theme/theme1.xml",
            "word/footer1.xml",
        }  # fmt: skip
        assert styles < 5_000 and unzipped < 60_000, path.name
        assert path.stat().st_size < 16_000, path.name


def test_the_zip_is_one_a_zip_reader_accepts(written):
    for path in sorted(written.glob("*.docx"))[:5]:
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
            assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in package.infolist())


# ---- long letters: a cap on what a letter lists, the rest in a workbook beside it ----------


def test_a_long_letter_lists_the_largest_items_and_sums_the_rest(result, tmp_path):
    """00154 (USD, lawyer's letter, English) owes 7 overdue items; with letters.max_items 3
    the letter lists the 3 largest, in due-date order, and one row sums the other 4:
    listed  16,049.55 + 11,916.60 + 6,804.32 = 34,770.47 (XSFP2025030002, -040029, -050010)
    rest     3,385.11 + 5,972.65 + 5,477.34 + 5,786.12 = 20,621.22
    total   55,391.69, as stated without a cap."""
    capped = dataclasses.replace(result, config=load_config(None, {**COMPANY,
                                                                  "letters.max_items": 3}))  # fmt: skip
    written = letters.write_letters(capped, tmp_path)
    register = letters.letter_register(capped)
    row = register[register["customer_id"].eq("00154")].iloc[0]
    assert (row["items"], row["amounts"]) == (7, "USD 55,391.69")
    path = tmp_path / "letters" / row["file"]
    table = docx.Document(str(path)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert [r[0] for r in rows[1:-1]] == ["XSFP2025030002", "XSFP2025040029", "XSFP2025050010",
                                          "4 more"]  # fmt: skip
    assert [r[5] for r in rows[1:]] == ["16,049.55", "11,916.60", "6,804.32", "20,621.22",
                                        "55,391.69"]  # fmt: skip
    assert rows[4][6] == "see schedule"
    schedule = tmp_path / "letters" / row["file"].replace(".docx", "_items.xlsx")
    assert schedule in written
    text = text_of(path)
    assert ("The table lists the 3 largest of 7 items; the other 4 are summed by currency in its "
            f"rows marked “more”, and all are listed in the enclosed schedule, {schedule.name}."
            ) in text  # fmt: skip
    assert "USD 55,391.69" in text
    # the schedule lists all 7, as the ledger has them, with a live total
    import openpyxl

    sheet = openpyxl.load_workbook(schedule).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = values.index(["Document", "Date", "Due date", "Currency", "Amount", "Unpaid",
                           "Days overdue"])  # fmt: skip
    listed = values[header + 1 : header + 8]
    expected = expected_items(result, "00154", "lawyer").sort_values(["due_date", "doc_no"])
    assert [r[0] for r in listed] == expected["doc_no"].tolist()
    assert [round(r[5] * 100) for r in listed] == expected["open_minor"].tolist()
    assert [r[6] for r in listed] == expected["days_overdue"].tolist()
    assert values[header + 8][5] == "=SUBTOTAL(109,F5:F11)"
    assert "Total overdue USD: USD 55,391.69" in [r[0] for r in values[:header]]
    # letters within the cap get no schedule
    assert len(written) == len(register) + int((register["items"] > 3).sum())


def test_a_huge_customer_gets_a_short_letter(tmp_path):
    """Issue #11: 72,285 items made one lawyer's letter of 2.9 MB (62 s, 2.8 GB). Here 3,000
    overdue invoices of 100.00 + i cents: the letter lists 50 (the largest: i = 2,950..2,999),
    one row sums the other 2,950, and the total covers all 3,000:
    3,000 x 100.00 + (0 + 1 + ... + 2,999) cents = 300,000.00 + 44,985.00 = 344,985.00."""
    from conftest import run_on

    lines = ["Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount"]
    lines += [f"C1,Great Lakes Tooling Inc.,Invoice,I{i:05d},2025-01-01,2025-01-31,{100 + i / 100:.2f}"
              for i in range(3000)]  # fmt: skip
    (tmp_path / "ar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    huge = run_on(tmp_path / "ar.csv", as_of=date(2026, 10, 31))
    written = letters.write_letters(huge, tmp_path / "out")
    letter = next(p for p in written if p.suffix == ".docx")
    assert letter.stat().st_size < 30_000
    rows = [[c.text for c in r.cells] for r in docx.Document(str(letter)).tables[0].rows]
    assert [r[0] for r in rows[1:51]] == [f"I{i:05d}" for i in range(2950, 3000)]
    assert rows[51][0] == "2,950 more" and rows[52][5] == "344,985.00"
    assert "CNY 344,985.00" in text_of(letter)
    import openpyxl

    schedule = next(p for p in written if p.suffix == ".xlsx")
    sheet = openpyxl.load_workbook(schedule, read_only=True).active
    docs = [r[0] for r in sheet.iter_rows(values_only=True) if str(r[0]).startswith("I")]
    assert docs == [f"I{i:05d}" for i in range(3000)]


# ---- the sender -----------------------------------------------------------------------------


def test_unset_sender_is_warned_and_never_the_documents_author(result, tmp_path):
    """Issue #11: letters printed [letters.company_name] and used it as the document author
    without a word. Now the run warns (an issue and a console note) and the author is blank;
    the letters are still written, as drafts to complete."""
    inputs = Inputs(ledger=(SAMPLE / "ar_ledger_2026-10.xlsx",), fx=(SAMPLE / "fx_rates.csv",))
    whole = run(inputs, load_config(None))
    keep = whole.worklist[whole.worklist["letter"].ne("")].head(2)
    bare = dataclasses.replace(whole, worklist=keep, limitation_alerts=whole.limitation_alerts[:0])
    unset = bare.issues[bare.issues["code"].eq("letters.sender_unset")]
    assert unset["severity"].tolist() == ["warning"]
    assert unset["value"].iloc[0] == (
        "letters.company_name, letters.address, letters.bank_name, letters.bank_account, "
        "letters.contact, letters.phone, letters.email, letters.counsel, "
        "letters.counsel_address, letters.counsel_phone"
    )
    written = letters.write_letters(bare, tmp_path)
    assert written
    for path in written:
        core = docx.Document(str(path)).core_properties
        assert core.author == "" and "[letters." not in core.title
    assert render(letters.letter_notes(bare)[0], "en").startswith(
        "letters: letters.company_name, letters.address, "
    )
    # with the sender set there is nothing to warn about
    assert "letters.sender_unset" not in set(result.issues["code"])
    assert letters.letter_notes(result) == []


def test_the_console_says_when_letters_print_placeholders(tmp_path, capsys):
    from aging.cli import main

    assert main(["--out", str(tmp_path), "--only", "letters"]) == 0
    printed = capsys.readouterr().out
    assert "letters: letters.company_name, letters.address" in printed
    assert "fill them in before sending (the letters are drafts)" in printed
