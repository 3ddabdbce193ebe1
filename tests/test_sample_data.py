"""The bundled sample inputs: reproducible, internally consistent, and planted as documented.

Regenerates `sample_data/` into a temporary folder and compares it with the committed files
(bytes for the text files, cell by cell for the workbooks), then checks the ledger with parsers
of its own (Decimal amounts, its own date reader), independent of the generator's arithmetic.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
AS_OF = date(2026, 10, 31)
LEDGER, SAP, REGISTER, FX = (
    "ar_ledger_2026-10.xlsx",
    "sap_open_items.xlsx",
    "register_gb18030.csv",
    "fx_rates.csv",
)
SIGN = {"销售发票": 1, "红字发票": -1, "收款单": -1}
HEADER_ROW = 4  # 应收明细: title, period line, blank row, header
# Columns of 应收明细 (0-based).
CODE, NAME, TYPE, DOC_NO, DOC_DATE, DUE, CURRENCY, AMOUNT, APPLIES = range(9)


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    generator = _load_generator()
    out = tmp_path_factory.mktemp("sample")
    return generator, out, generator.generate(out)


@pytest.fixture(scope="module")
def ledger_book():
    return openpyxl.load_workbook(SAMPLE / LEDGER)


@pytest.fixture(scope="module")
def ledger(ledger_book):
    """(excel_row, values) of every row below the header of 应收明细."""
    sheet = ledger_book["应收明细"]
    rows = sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    return list(enumerate(rows, start=HEADER_ROW + 1))


def parse_amount(value) -> Decimal | None:
    """Numbers as stored; text with ¥/$, thousands separators, full width, trailing minus."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = unicodedata.normalize("NFKC", value).strip()
    negative = text.endswith("-")
    text = text.rstrip("-").lstrip("¥$").replace(",", "").strip()
    if not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        return None
    amount = Decimal(text)
    return -amount if negative else amount


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?", value.strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def data_rows(ledger):
    return [(n, r) for n, r in ledger if r[NAME] != "小计" and r[CODE] != "合计"]


# --------------------------------------------------------------------------------------------
# Reproducible


@pytest.mark.parametrize("name", [FX, REGISTER, "README.md"])
def test_text_files_match_a_fresh_run_byte_for_byte(generated, name):
    _, out, _ = generated
    assert (out / name).read_bytes() == (SAMPLE / name).read_bytes()


def _cells(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: (
            [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()],
            sorted(str(r) for r in sheet.merged_cells.ranges),
        )
        for sheet in book.worksheets
    }


@pytest.mark.parametrize("name", [LEDGER, SAP])
def test_workbooks_match_a_fresh_run_cell_for_cell(generated, name):
    _, out, _ = generated
    assert _cells(out / name) == _cells(SAMPLE / name)


def test_two_runs_give_identical_bytes(generated, tmp_path):
    generator, out, _ = generated
    generator.generate(tmp_path)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


# --------------------------------------------------------------------------------------------
# Counts and shape


def test_counts(ledger_book, ledger):
    lines = data_rows(ledger)
    assert len(lines) >= 2000
    assert 140 <= len({r[CODE] for _, r in lines if r[CODE]}) <= 160
    master = list(ledger_book["客户资料"].iter_rows(min_row=2, values_only=True))
    assert 140 <= len(master) <= 160
    assert len({r[2] for r in master}) == 8  # 业务员
    assert len({r[3] for r in master}) == 3  # 销售经理
    emails = defaultdict(set)
    for r in master:
        emails[r[3]].add(r[4])
    assert sorted(len(v) for v in emails.values()) == [1, 1, 1]
    assert [m for m, v in emails.items() if v == {None}] == ["陈志强"]
    contacts = list(ledger_book["催收记录"].iter_rows(min_row=2, values_only=True))
    assert 250 <= len(contacts) <= 350


def test_customer_codes_are_text_with_leading_zeros_kept(ledger_book, ledger):
    master = [r[0] for r in ledger_book["客户资料"].iter_rows(min_row=2, values_only=True)]
    codes = master + [r[CODE] for _, r in data_rows(ledger) if r[CODE] is not None]
    assert all(isinstance(code, str) for code in codes)
    numeric = {code for code in codes if code.isdigit()}
    assert numeric and all(code.startswith("0") and len(code) == 5 for code in numeric)


def test_ledger_layout_and_currencies(ledger_book, ledger):
    sheet = ledger_book["应收明细"]
    assert "应收账款明细表" in sheet["A1"].value
    assert sheet["A2"].value.startswith("期间: 2023-11-01 至 2026-10-31")
    assert sheet["A3"].value is None
    lines = data_rows(ledger)
    assert {r[TYPE] for _, r in lines} == set(SIGN)
    currencies = Counter(r[CURRENCY] for _, r in lines)
    assert set(currencies) == {"CNY", "USD"}
    assert 0.05 <= currencies["USD"] / len(lines) <= 0.12
    by_customer = defaultdict(set)
    for _, r in lines:
        by_customer[r[CODE]].add(r[CURRENCY])
    assert all(len(v) == 1 for v in by_customer.values())
    receipts = [r for _, r in lines if r[TYPE] == "收款单"]
    named = sum(1 for r in receipts if r[APPLIES])
    assert 0.35 <= named / len(receipts) <= 0.65


# --------------------------------------------------------------------------------------------
# Control totals, recomputed independently


def test_subtotals_and_grand_totals_equal_their_rows_to_the_cent(generated, ledger):
    _, _, summary = generated
    group = Decimal(0)
    data_by_currency, subtotal_by_currency, grand = Counter(), Counter(), {}
    for _, r in ledger:
        amount = parse_amount(r[AMOUNT])
        if r[CODE] == "合计":
            grand[r[CURRENCY]] = amount
        elif r[NAME] == "小计":
            assert amount == group, f"小计 of {r[CODE]}"
            subtotal_by_currency[r[CURRENCY]] += amount
            group = Decimal(0)
        elif amount is not None:
            assert amount == amount.quantize(Decimal("0.01")) and amount > 0
            group += SIGN[r[TYPE]] * amount
            data_by_currency[r[CURRENCY]] += SIGN[r[TYPE]] * amount
    assert group == 0  # nothing after the last 小计 but the 合计 rows
    assert set(grand) == {"CNY", "USD"}
    for currency, total in grand.items():
        assert total == data_by_currency[currency] == subtotal_by_currency[currency]
        assert int(total * 100) == summary["totals"][currency]


def test_sap_subtotals_and_grand_total(generated):
    _, _, summary = generated
    sheet = openpyxl.load_workbook(SAMPLE / SAP).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [c.value for c in sheet[4]][:3] == ["Customer", "Name", "Document Number"]
    group, total, text_negatives = Decimal(0), Decimal(0), 0
    for r in rows:
        amount = parse_amount(r[6])
        if r[1] == "Subtotal":
            assert amount == group
            total += amount
            group = Decimal(0)
        elif r[1] == "Grand Total":
            assert amount == total
            assert int(amount * 100) == summary["sap_total"]
        else:
            assert r[3] in {"RV", "DZ", "DG"} and (amount > 0) == (r[3] == "RV")
            text_negatives += isinstance(r[6], str)
            group += amount
    assert text_negatives >= 2
    assert 40 <= sum(1 for r in rows if r[0]) <= 70


def test_register_is_gb18030_and_adds_up():
    raw = (SAMPLE / REGISTER).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = list(csv.reader(raw.decode("gb18030").splitlines()))
    assert rows[0] == [
        "客户编码",
        "客户名称",
        "发票号",
        "开票日期",
        "到期日",
        "发票金额",
        "已收金额",
        "结清日期",
    ]
    body, total = rows[1:-1], rows[-1]
    assert 35 <= len(body) <= 45 and total[0] == "合计"
    assert sum(parse_amount(r[5]) for r in body) == parse_amount(total[5])
    assert sum(parse_amount(r[6]) for r in body) == parse_amount(total[6])
    for r in body:
        assert parse_amount(r[6]) <= parse_amount(r[5])
        assert bool(r[7]) == (parse_amount(r[6]) == parse_amount(r[5]))


def test_fx_rates():
    assert (SAMPLE / FX).read_text(encoding="utf-8") == "currency,rate\nCNY,1\nUSD,7.1034\n"


# --------------------------------------------------------------------------------------------
# Planted problems: found in the workbook, at the rows the README gives


def _planted_rows(summary, column: str) -> list[int]:
    return sorted(
        row for p in summary["plants"] if p.sheet == "应收明细" and p.column == column
        for row in p.rows
    )  # fmt: skip


def test_planted_ledger_problems_are_where_the_readme_says(generated, ledger, ledger_book):
    _, _, summary = generated
    lines = data_rows(ledger)
    bad_amounts = [(n, r[AMOUNT]) for n, r in lines if parse_amount(r[AMOUNT]) is None]
    assert sorted(v for _, v in bad_amounts) == ["n/a", "待定"]
    assert sorted(n for n, _ in bad_amounts) == _planted_rows(summary, "金额")
    bad_dates = [n for n, r in lines if parse_date(r[DOC_DATE]) is None]
    assert [r[DOC_DATE] for n, r in lines if n in bad_dates] == ["2026-13-45"]
    future = [n for n, r in lines if (parse_date(r[DOC_DATE]) or AS_OF) > AS_OF]
    assert len(future) == 3
    assert sorted(bad_dates + future) == _planted_rows(summary, "单据日期")
    blank = [n for n, r in lines if r[CODE] is None and r[NAME] is None]
    assert len(blank) == 1 and blank == _planted_rows(summary, "客户编码/客户名称")
    invoice_nos = Counter(r[DOC_NO] for _, r in lines if r[TYPE] == "销售发票")
    duplicated = [no for no, k in invoice_nos.items() if k > 1]
    assert len(duplicated) == 1
    dup_rows = [n for n, r in lines if r[DOC_NO] == duplicated[0]]
    assert dup_rows == _planted_rows(summary, "单据号")
    dated = [(n, parse_date(r[DOC_DATE]), parse_date(r[DUE])) for n, r in lines]
    early_due = [n for n, doc, due in dated if doc and due and due < doc]
    assert early_due == _planted_rows(summary, "到期日")
    names = defaultdict(set)
    for _, r in lines:
        if r[CODE]:
            names[r[CODE]].add(r[NAME])
    assert len([code for code, v in names.items() if len(v) > 1]) == 1
    master = {r[0] for r in ledger_book["客户资料"].iter_rows(min_row=2, values_only=True)}
    assert len(set(names) - master) == 3
    assert len(master - set(names)) == 3


def test_old_debts_and_stopped_payers_give_long_overdue_items(ledger):
    due = [parse_date(r[DUE]) for _, r in data_rows(ledger) if r[TYPE] == "销售发票"]
    overdue = [(AS_OF - d).days for d in due if d]
    assert sum(days > 1095 for days in overdue) >= 3
    assert sum(365 < days <= 1095 for days in overdue) >= 20


# --------------------------------------------------------------------------------------------
# Promises, evaluated from the ledger's receipts


def test_promises_kept_partly_kept_and_broken(ledger, ledger_book):
    receipts = defaultdict(list)
    for _, r in data_rows(ledger):
        amount, day = parse_amount(r[AMOUNT]), parse_date(r[DOC_DATE])
        if r[TYPE] == "收款单" and r[CODE] and amount is not None and day and day <= AS_OF:
            receipts[r[CODE]].append((day, amount))
    outcomes, broken = Counter(), Counter()
    for r in ledger_book["催收记录"].iter_rows(min_row=2, values_only=True):
        contact, code, _, _, outcome, promised, cents, *_ = r
        if outcome != "promised":
            continue
        end = promised.date() + timedelta(days=3)
        if end >= AS_OF:
            outcomes["pending"] += 1
            continue
        got = sum(a for d, a in receipts[code] if contact.date() <= d <= end)
        result = "kept" if got >= parse_amount(cents) else "partly" if got else "broken"
        outcomes[result] += 1
        broken[code] += result == "broken"
    assert outcomes["kept"] >= 10 and outcomes["partly"] >= 5 and outcomes["broken"] >= 10
    assert outcomes["pending"] >= 1
    assert sum(n >= 2 for n in broken.values()) >= 3
