"""The close workbook and the table writer: read the file back and check what Excel would see.

Values, types, formats, formulas and their cached values, freeze panes, filters, print setup,
conditional formats, native charts (found through each sheet's drawing), safety of text from
inputs, byte-identical re-runs, Chinese labels, the row limit, and (when LibreOffice is
installed) a recalculation that must agree with the cached totals.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from result_fixture import AS_OF, BUCKETS, CHINESE_NAME, INJECTED_NAME, make_result

from aging.labels import SHEET_NAME_MAX, all_keys, label, safe_sheet_name, sheet_name
from aging.letters import LETTER_LABELS, letter_register
from aging.model import GRADES
from aging.plan import FACTORS
from aging.render_close import SHEETS, close_workbook_name, write_close_workbook
from aging.xlsx_table import (
    TONES,
    Book,
    ColumnSpec,
    _wrapped_lines,
    display_width,
    money_format,
    write_table,
)

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
EN_SHEETS = [
    "Summary",
    "Aging by customer",
    "Open items",
    "Forecast",
    "By sales rep",
    "By region",
    "Risk grades",
    "Provision",
    "Trends",
    "Roll rates",
    "Provision matrix",
    "Changes",
    "Worklist",
    "Why this rank",
    "Credit hold",
    "Limitation alerts",
    "Broken promises",
    "Disputes",
    "Visit routes",
    "Instalments",
    "Letters",
    "Exceptions",
    "Reconciliation",
    "Settings",
]
# Open items: title (row 1), blank (2), header (3), eight items (4-11), totals (12).
OPEN_HEADER, OPEN_FIRST, OPEN_LAST, OPEN_TOTALS = 3, 4, 11, 12
# Plan sheets: title (1), what the sheet is for (2), blank (3), header (4), rows from 5.
# Why this rank has a second note (the weights), so its header is row 5.
PLAN_HEADER, WHY_HEADER = 4, 5
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture(scope="module")
def close_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("close")
    return write_close_workbook(make_result(), folder)


@pytest.fixture(scope="module")
def book(close_file):
    return openpyxl.load_workbook(close_file)


@pytest.fixture(scope="module")
def cached(close_file):
    return openpyxl.load_workbook(close_file, data_only=True)


def sheet_xml(path: Path, sheet_index: int) -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read(f"xl/worksheets/sheet{sheet_index}.xml"))


def raw_cell(path: Path, sheet_index: int, ref: str) -> ElementTree.Element:
    root = sheet_xml(path, sheet_index)
    found = root.find(f".//m:c[@r='{ref}']", NS)
    assert found is not None, ref
    return found


def headers(ws, row: int) -> list:
    return [c.value for c in ws[row] if c.value is not None]


def _rels(archive: zipfile.ZipFile, part: str) -> dict:
    """Relationship id -> target path (resolved against the part's folder) of one part."""
    folder, name = part.rsplit("/", 1)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels))
    out = {}
    for rel in root:
        parts = folder.split("/")
        for piece in rel.get("Target").split("/"):
            if piece == "..":
                parts.pop()
            else:
                parts.append(piece)
        out[rel.get("Id")] = "/".join(parts)
    return out


R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"


def sheet_drawings(path: Path, sheet: str) -> list[tuple[int, int, str]]:
    """(column, row) of the top-left anchor (0-based) and the XML of each chart on one sheet,
    in drawing order."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rid = next(s.get(R_ID) for s in workbook.iter(f"{{{NS['m']}}}sheet")
                   if s.get("name") == sheet)  # fmt: skip
        part = _rels(archive, "xl/workbook.xml")[rid]
        out = []
        for drawing in (t for t in _rels(archive, part).values() if "/drawings/" in t):
            targets = _rels(archive, drawing)
            root = ElementTree.fromstring(archive.read(drawing))
            for anchor in root:
                start = anchor.find(f"{XDR}from")
                chart = next(e for e in anchor.iter() if e.get(R_ID))
                out.append((int(start.find(f"{XDR}col").text), int(start.find(f"{XDR}row").text),
                            archive.read(targets[chart.get(R_ID)]).decode()))  # fmt: skip
        return out


def sheet_charts(path: Path, sheet: str) -> list[str]:
    """The XML of the charts drawn on one sheet, in drawing order."""
    return [xml for _, _, xml in sheet_drawings(path, sheet)]


def table_rows(ws, header_row: int, width: int) -> list[list]:
    """Data rows under a header, up to the totals row or the first empty first cell."""
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, max_col=width, values_only=True):
        if row[0] in (None, "Total", "合计"):
            break
        out.append(list(row))
    return out


# --- the close workbook ----------------------------------------------------------------------


def test_file_name_and_sheet_order(close_file, book):
    assert close_file.name == close_workbook_name(AS_OF) == "AR_Close_2026-10-31.xlsx"
    assert book.sheetnames == EN_SHEETS


def test_open_items_headers(book):
    ws = book["Open items"]
    assert ws["A1"].value == "Open items · As of 2026-10-31"
    assert headers(ws, OPEN_HEADER) == [
        "Customer ID", "Customer", "Document no.", "Type", "Document date", "Due date",
        "Currency", "Amount", "Open amount", "Open (CNY)", "Days overdue", "Age bucket", "Grade",
        "Provision rate", "Provision (CNY)", "Limitation date", "Expected payment",
        "Expected payment: note", "Sales rep", "Manager", "Region", "Source file",
        "Source sheet", "Source row",
    ]  # fmt: skip


def test_money_cells_are_numbers_in_major_units(book):
    ws = book["Open items"]
    first = ws[OPEN_FIRST]  # INV-2026-0101: 1,234,567 fen
    assert first[2].value == "INV-2026-0101"
    assert first[7].value == 12345.67 and first[7].data_type == "n"
    assert first[7].number_format == "#,##0.00;[Red]-#,##0.00"
    assert first[9].value == 12345.67
    usd = ws[OPEN_LAST]  # INV-2026-0131: 1,299,999 cents USD, 9,234,413 fen at 7.1034
    assert (usd[6].value, usd[7].value, usd[9].value) == ("USD", 12999.99, 92344.13)
    assert first[10].value == -14 and first[13].value == 0.05
    assert first[13].number_format == "0.0%"


def test_dates_are_dates(book):
    ws = book["Open items"]
    doc_date, due, limitation = (
        ws.cell(OPEN_FIRST, 5),
        ws.cell(OPEN_FIRST, 6),
        ws.cell(OPEN_FIRST, 16),
    )
    assert doc_date.value == datetime(2026, 9, 15) and doc_date.is_date
    assert due.value == datetime(2026, 11, 14)
    assert limitation.value == datetime(2029, 11, 14)
    assert doc_date.number_format == "yyyy-mm-dd"


def test_text_from_inputs_stays_text(close_file, book):
    ws = book["Open items"]
    row = next(r for r in range(OPEN_FIRST, OPEN_LAST + 1) if ws.cell(r, 1).value == "C-003")
    cell = ws.cell(row, 2)
    assert cell.value == INJECTED_NAME and cell.data_type == "s"
    raw = raw_cell(close_file, 3, f"B{row}")
    assert raw.get("t") in ("inlineStr", "s")
    assert raw.find("m:f", NS) is None
    assert raw.find("m:is/m:t", NS).text == INJECTED_NAME
    # The raw values of the issues (a formula-like value, a URL as a doc no.) stay text too.
    issues = book["Exceptions"]
    texts = {c.value for row in issues.iter_rows(min_row=4) for c in row}
    assert {"@SUM(A1)", "http://evil.example"} <= texts
    assert all(c.hyperlink is None for row in issues.iter_rows() for c in row)


def test_no_formula_or_external_link_carries_input_text(close_file):
    with zipfile.ZipFile(close_file) as archive:
        for name in archive.namelist():
            data = archive.read(name).decode("utf-8", "replace")
            if name.startswith("xl/worksheets/sheet"):
                root = ElementTree.fromstring(data)
                formulas = [f.text or "" for f in root.iter(f"{{{NS['m']}}}f")]
                assert all(f.startswith("SUBTOTAL(109,") for f in formulas), formulas
            assert 'TargetMode="External"' not in data, name


def test_totals_are_live_subtotals_with_cached_values(close_file, book, cached):
    ws, values = book["Open items"], cached["Open items"]
    assert ws.cell(OPEN_TOTALS, 1).value == "Total"
    assert ws.cell(OPEN_TOTALS, 10).value == f"=SUBTOTAL(109,J{OPEN_FIRST}:J{OPEN_LAST})"
    assert ws.cell(OPEN_TOTALS, 15).value == f"=SUBTOTAL(109,O{OPEN_FIRST}:O{OPEN_LAST})"
    # 81,377,530 fen open (see result_fixture), provision 46,862,877 fen.
    assert values.cell(OPEN_TOTALS, 10).value == 813775.30
    assert values.cell(OPEN_TOTALS, 15).value == 468628.77
    assert raw_cell(close_file, 3, f"J{OPEN_TOTALS}").find("m:v", NS).text == "813775.3"
    # Per-currency and day columns are not summed: their total means nothing.
    for col in (8, 9, 11, 24):
        assert ws.cell(OPEN_TOTALS, col).value is None
    aging = book["Aging by customer"]
    last = aging.max_row
    assert aging.cell(last, 1).value == "Total"
    total = headers(aging, 3).index("Total (CNY)") + 1
    assert cached["Aging by customer"].cell(last, total).value == 813775.30


def test_freeze_filter_and_print_setup(book):
    ws = book["Open items"]
    assert ws.freeze_panes == "C4"
    assert ws.auto_filter.ref == f"A{OPEN_HEADER}:X{OPEN_LAST}"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # 24 columns: two pages across, customer id and name repeated on both
    assert ws.page_setup.fitToWidth == 2
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_cols == "$A:$C"
    assert book["Exceptions"].page_setup.fitToWidth in (None, 1)  # 1 is the default, omitted
    assert ws.oddFooter.left.text == "As of 2026-10-31"
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert book["Exceptions"].freeze_panes == "A4"
    assert book["Aging by customer"].freeze_panes == "C4"


def test_column_widths_fit_content(book):
    ws = book["Open items"]
    name_width = ws.column_dimensions["B"].width
    assert name_width >= display_width(CHINESE_NAME) == 20
    assert ws.column_dimensions["E"].width >= 10  # yyyy-mm-dd
    assert ws.column_dimensions["B"].width < 60


def test_grade_cells_are_labelled_and_coloured(book):
    ws = book["Open items"]
    grades = {ws.cell(r, 13).value: ws.cell(r, 13) for r in range(OPEN_FIRST, OPEN_LAST + 1)}
    assert set(grades) == {"Not due", "In collection", "Doubtful", "Bad", "Dead"}
    assert grades["Dead"].fill.fgColor.rgb.endswith("3A3A3A")
    assert grades["Dead"].font.color.rgb.endswith("FFFFFF")
    assert grades["Not due"].fill.fgColor.rgb.endswith("C6EFCE")


def test_summary_key_figures_links_and_charts(close_file, book):
    ws = book["Summary"]
    assert ws["A2"].value == "Reconciliation: Reconciled"
    figures = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 40)}
    assert figures["As-of date"] == datetime(2026, 10, 31)
    assert figures["Total receivables (CNY)"] == 813775.30
    assert figures["Overdue share"] == pytest.approx(70908550 / 81377530)
    assert figures["Unapplied credits (CNY)"] == 1500.00
    assert figures["Customers: Dead"] == 1
    assert figures["Reconciled"] == "Yes"
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {name: f"'{name}'!A1" for name in EN_SHEETS[1:]}
    # Top debtors: the dead C-003 owes most; its name is text.
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Top 20 debtors")
    assert ws.cell(top + 2, 1).value == INJECTED_NAME
    kinds = sheet_charts(close_file, "Summary")
    assert len(kinds) == 3
    assert '<c:barDir val="col"/>' in kinds[0] and "<c:doughnutChart>" in kinds[1]
    assert '<c:barDir val="bar"/>' in kinds[2]


def test_summary_top_debtors_table_and_chart(close_file, book, cached):
    """The top debtors (first 20 rows of the customers by open balance; the fixture has four)
    as a table and a bar chart of it, largest on top, each bar in its grade's colour."""
    ws = book["Summary"]
    title = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Top 20 debtors")
    header, first = title + 1, title + 2
    assert headers(ws, header) == ["Customer", "Customer ID", "Grade", "Open (CNY)",
                                   "Overdue (CNY)", "Provision (CNY)"]  # fmt: skip
    rows = table_rows(ws, header, 6)
    # C-003 450,000.00; C-004 269,929.13; 00123 51,145.67; C-002 42,700.50 (see the fixture).
    assert [r[1] for r in rows] == ["C-003", "C-004", "00123", "C-002"]
    assert [r[3] for r in rows] == [450000.00, 269929.13, 51145.67, 42700.50]
    total = first + len(rows)
    assert ws.cell(total, 4).value == f"=SUBTOTAL(109,D{first}:D{total - 1})"
    assert cached["Summary"].cell(total, 4).value == 813775.30
    links = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Detail sheets")
    drawings = sheet_drawings(close_file, "Summary")
    col, row, chart = drawings[2]
    assert (col, row) == (3, links - 1)  # beside the list of detail sheets, under the others
    assert drawings[0][1] < row and col > 0
    assert "<c:barChart>" in chart and '<c:barDir val="bar"/>' in chart
    assert f"<c:f>Summary!$A${first}:$A${total - 1}</c:f>" in chart  # names
    assert f"<c:f>Summary!$D${first}:$D${total - 1}</c:f>" in chart  # open balance
    assert '<c:orientation val="maxMin"/>' in chart  # the largest on top
    fills = re.findall(r'<c:dPt>.*?<a:srgbClr val="(\w+)"/>', chart)
    assert fills == ["3A3A3A", "FFEB9C", "F07470", "F8B26A"]  # dead, in coll., bad, doubtful
    assert "<c:v>Northwind Foods Inc.</c:v>" in chart and "<c:v>450000.0</c:v>" in chart


def test_bucket_table_feeds_the_chart(book):
    ws = book["Summary"]
    start = next(
        r for r in range(1, 80) if ws.cell(r, 1).value == "Receivables by age bucket (CNY)"
    )
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(start + 2, start + 11)}
    assert rows["Not due"] == 104689.80  # 1,234,567 + 9,234,413 fen
    assert rows["Over 3 y"] == 450000.00
    assert ws.cell(start + 11, 2).value == f"=SUBTOTAL(109,B{start + 2}:B{start + 10})"


def test_reconciliation_status_and_lines(book):
    ws = book["Reconciliation"]
    assert ws["A1"].value == "Reconciled"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    difference = next(r for r in rows if r[0] == "CNY" and r[1] == "Difference")
    assert difference[2] == 0
    exceptions = next(r for r in rows if r[0] == "CNY" and r[1] == "Exceptions")
    assert exceptions[2] == 990.00 and exceptions[4] == "Explained"


def test_not_reconciled_is_red(tmp_path):
    result = make_result(reconciled=False)
    recon = result.reconciliation.copy()
    recon.loc[5, "amount_minor"] = 1234
    recon.loc[5, "status"] = "unexplained"
    path = write_close_workbook(
        make_result(reconciled=False, reconciliation=recon), tmp_path / "x.xlsx"
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["Reconciliation"]
    assert ws["A1"].value == "NOT reconciled"
    assert ws["A1"].font.color.rgb.endswith("9C0006")
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value == "Difference")
    assert ws.cell(row, 3).value == 12.34
    assert ws.cell(row, 3).fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["Summary"]["A2"].value == "Reconciliation: NOT reconciled"


def test_settings_and_inputs(book):
    ws = book["Settings"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert values["output.lang"] in ("en", '"en"')
    assert "aging.buckets" in values
    ledger = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Ledger")
    assert ws.cell(ledger, 2).value == "ledger_2026-10.xlsx"
    assert ws.cell(ledger, 3).value.startswith("9f2c5a0d")


def test_document_properties(book):
    props = book.properties
    assert props.title == "Accounts receivable close 2026-10-31"
    assert props.subject == "AR close 2026-10-31"
    assert props.created == datetime(2026, 10, 31)


def test_writing_twice_gives_identical_bytes(tmp_path):
    first = write_close_workbook(make_result(), tmp_path / "a.xlsx")
    second = write_close_workbook(make_result(), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()


def test_chinese_labels(tmp_path):
    path = write_close_workbook(make_result("zh"), tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "汇总", "客户账龄", "未清明细", "回款预测", "按业务员", "按区域", "风险等级", "坏账准备",
        "趋势", "账龄迁徙", "迁徙率坏账准备", "本月变动", "催收清单",
        "排名依据", "停止发货", "诉讼时效预警", "违约承诺", "争议单据", "拜访路线", "分期付款建议", "函件登记",
        "异常", "对账", "参数设置",
    ]  # fmt: skip
    ws = wb["未清明细"]
    assert headers(ws, OPEN_HEADER)[:3] == ["客户编码", "客户名称", "单据号"]
    assert ws.cell(OPEN_TOTALS, 1).value == "合计"
    grades = {ws.cell(r, 13).value for r in range(OPEN_FIRST, OPEN_LAST + 1)}
    assert grades == {"未收款", "催收款", "准呆账", "呆账", "死账"}
    assert ws.cell(OPEN_FIRST, 4).value == "发票"
    assert wb["汇总"]["A2"].value == "对账结果：已对平"
    assert ws.oddFooter.right.text == "第 &P 页，共 &N 页"
    work = wb["催收清单"]
    assert headers(work, PLAN_HEADER)[:3] == ["排名", "客户编码", "客户名称"]
    assert [work.cell(PLAN_HEADER, c).value for c in (9, 10, 11, 17, 20)] == [
        "优先分", "主要因素", "策略", "停止发货", "建议",
    ]  # fmt: skip
    first, second = work[PLAN_HEADER + 1], work[PLAN_HEADER + 2]
    assert first[9].value == "金额 22.2 · 账龄 14.8 · 等级 14.8"
    assert (first[7].value, first[10].value, first[16].value) == ("死账", "武收", "是")
    assert (second[12].value, second[19].value) == ("电话", "和解 / 核销")
    assert "排名依据" in work["A2"].value
    why = wb["排名依据"]
    assert headers(why, WHY_HEADER)[7:] == [
        "金额", "账龄", "等级", "信用评级", "配合度", "付款能力", "距离", "违约承诺", "诉讼时效",
        "付款习惯", "付款情况",
    ]  # fmt: skip
    assert why["A3"].value.startswith("权重（plan.weights）：金额 3, 账龄 2")
    promises = wb["违约承诺"]
    assert [promises.cell(r, 7).value for r in (5, 6)] == ["违约", "部分履行"]
    figures = {c.value: c.offset(0, 1).value for c in wb["汇总"]["A"] if c.value}
    assert figures["停止发货客户数"] == 3
    assert figures["诉讼时效预警（90天内 / 已过）"] == "0 / 1"


def test_empty_exceptions_sheet(tmp_path):
    result = make_result()
    path = write_close_workbook(
        make_result(issues=result.issues.iloc[0:0]), tmp_path / "empty.xlsx"
    )
    ws = openpyxl.load_workbook(path)["Exceptions"]
    assert ws["A3"].value == "Severity"
    assert ws["A4"].value == "(none)"


def test_close_workbook_respects_the_row_limit(tmp_path):
    path = write_close_workbook(make_result(), tmp_path / "cut.xlsx", max_rows=9)
    ws = openpyxl.load_workbook(path)["Open items"]
    # Title, blank, header (rows 1-3); 9 - 3 - totals - note = 4 items (4-7); totals 8; note 9.
    assert ws.cell(7, 3).value == "INV-2026-0150"  # the fourth item
    assert ws.cell(8, 10).value == "=SUBTOTAL(109,J4:J7)"
    assert "data/open_items.csv" in ws.cell(9, 1).value
    assert "4 of 8" in ws.cell(9, 1).value


# --- the collection plan sheets ----------------------------------------------------------------


def rules(ws) -> dict:
    """sqref -> the conditional format rules on it."""
    return {str(cf.sqref): list(cf.rules) for cf in ws.conditional_formatting}


def test_worklist_headers_values_and_types(book):
    ws = book["Worklist"]
    assert ws["A1"].value == "Worklist · As of 2026-10-31"
    assert "Why this rank" in ws["A2"].value and "Grey rows" in ws["A2"].value
    assert headers(ws, PLAN_HEADER) == [
        "Rank", "Customer ID", "Customer", "Manager", "Sales rep", "Overdue (CNY)",
        "Days overdue", "Grade", "Score", "Why (biggest factors)", "Strategy", "Next action",
        "Channel", "Letter", "Next contact", "Window", "Credit hold",
        "Cost of next action (CNY)", "Expected recovery (CNY)", "Recommendation",
        "Held / blocked because",
    ]  # fmt: skip
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)]
    assert [r[:3] for r in rows] == [
        [1, "C-003", INJECTED_NAME], [2, "00123", CHINESE_NAME],
        [3, "C-002", "Acme Industrial Ltd"], [4, "C-004", "Northwind Foods Inc."],
    ]  # fmt: skip
    assert [r[8] for r in rows] == [80.4, 65.2, 45.5, 35.4]
    blocked, settle, visit, letter = rows
    # 45,000,000 fen overdue = 450,000.00; 1218 days; agency 5,625.00 against 22,500.00.
    assert blocked[5:8] == [450000.00, 1218, "Dead"]
    assert blocked[12:15] == [None, None, None]  # no channel, letter or date: not chased
    assert (blocked[16], blocked[17], blocked[18]) == ("Yes", 5625.00, 22500.00)
    assert blocked[20] == "untraceable: trace the debtor before any other step"
    assert settle[12:16] == ["Phone", None, datetime(2026, 11, 2), "15:00-16:00 (not 11:45-14:00)"]
    assert (settle[17], settle[18], settle[19]) == (2000.00, 1760.00, "Settle / write off")
    assert visit[10:14] == ["Hard", "lawyer's letter, in person", "Visit", "Lawyer's letter"]
    assert visit[20] == "contacted 2026-10-28 (Phone)"  # held back: the reason shows
    assert (letter[16], letter[19], letter[20]) == ("No", None, None)
    cells = ws[5]
    assert cells[0].data_type == "n" and cells[0].number_format == "0"
    assert cells[8].data_type == "n" and cells[8].number_format == "0.0"
    assert ws["O6"].is_date and ws["O6"].number_format == "yyyy-mm-dd"
    assert cells[5].number_format == money_format(2)
    assert cells[2].data_type == "s"  # the injection-like name stays text
    # Totals: overdue 71,208,550 fen = 450,000.00 + 38,800.00 + 42,700.50 + 177,585.00.
    assert ws["F9"].value == "=SUBTOTAL(109,F5:F8)"
    assert ws["A9"].value == "Total"


def test_worklist_why_column_links_to_the_factors(book):
    ws = book["Worklist"]
    why = [ws.cell(r, 10) for r in range(5, 9)]
    assert [c.value for c in why] == [
        "Amount 22.2 · Age 14.8 · Grade 14.8",  # a tie keeps the factors' order
        "Amount 19.6 · Age 14.8 · Grade 11.1",
        "Amount 19.8 · Age 8.7 · Grade 7.4",
        "Amount 20.9 · Strength 7.4 · Grade 3.7",
    ]
    # Row r of the Worklist links to the same rank's row on Why this rank (header 5, rows 6-9).
    assert [c.hyperlink.location for c in why] == [f"'Why this rank'!A{r}" for r in range(6, 10)]
    factors = book["Why this rank"]
    assert [factors.cell(r, 1).value for r in range(6, 10)] == [1, 2, 3, 4]
    assert [factors.cell(r, 2).value for r in range(6, 10)] == ["C-003", "00123", "C-002", "C-004"]


def test_worklist_highlights_blocked_rows_and_settle(book):
    ws = book["Worklist"]
    grey = "D9D9D9"
    assert all(ws.cell(5, c).fill.fgColor.rgb.endswith(grey) for c in (1, 2, 12, 21))
    assert ws.cell(5, 13).fill.fgColor.rgb.endswith(grey)  # empty cells too: a grey band
    assert ws.cell(5, 8).fill.fgColor.rgb.endswith("3A3A3A")  # the grade keeps its colour
    assert not ws.cell(6, 2).fill.fgColor.rgb.endswith(grey)
    settle = ws.cell(6, 20)
    assert settle.fill.fgColor.rgb.endswith("FFC7CE") and settle.font.bold
    assert ws.cell(7, 20).fill.fgColor.rgb in (None, "00000000")


def test_worklist_freeze_and_print(book):
    ws = book["Worklist"]
    assert ws.freeze_panes == "D5"  # rank, customer ID and name stay in view
    assert ws.auto_filter.ref == "A4:U8"
    # Two pages across, rank / ID / name on both, the halves of the same rows side by side.
    assert ws.print_title_rows == "$4:$4" and ws.print_title_cols == "$A:$C"
    assert ws.page_setup.fitToWidth == 2 and ws.page_setup.fitToHeight == 0
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["L"].width <= 30  # long next actions wrap
    assert ws.row_dimensions[5].height >= 30


def test_worklist_score_has_a_data_bar(book):
    found = rules(book["Worklist"])
    (bar,) = found["I5:I8"]
    assert bar.type == "dataBar"
    assert [(v.type, v.val) for v in bar.dataBar.cfvo] == [("num", 0), ("num", 100)]


def test_why_this_rank_factor_points_add_up(book):
    ws = book["Why this rank"]
    assert ws["A1"].value == "Why this rank · As of 2026-10-31"
    assert "add up to the score" in ws["A2"].value
    assert ws["A3"].value == (
        "Weights (plan.weights): Amount 3, Age 2, Grade 2, Rating 1, Cooperation 1, "
        "Strength 1, Distance 0.5, Broken promises 1.5, Limitation 1.5, Behaviour 2."
    )
    assert headers(ws, WHY_HEADER) == [
        "Rank", "Customer ID", "Customer", "Overdue (CNY)", "Days overdue", "Grade", "Score",
        "Amount", "Age", "Grade", "Rating", "Cooperation", "Strength", "Distance",
        "Broken promises", "Limitation", "Behaviour", "Payment behaviour",
    ]  # fmt: skip
    for r in range(6, 10):
        score, points = ws.cell(r, 7).value, [ws.cell(r, c).value for c in range(8, 18)]
        assert sum(points) == pytest.approx(score)
        assert all(ws.cell(r, c).number_format == "0.0" for c in range(7, 18))
    c003 = [ws.cell(6, c).value for c in range(8, 18)]
    assert c003 == [22.2, 14.8, 14.8, 7.4, 5.0, 1.5, 1.8, 0.0, 0.0, 12.9]
    # What the behaviour points rest on: 1,218 days overdue against at most 60 usually.
    assert ws.cell(6, 18).value == "Worsening: 1,218 days overdue; usually at most 60 days late"
    assert ws.cell(7, 18).value == "Habitually late: pays ~21 days late, 12 invoices"
    assert ws.cell(9, 18).value == "Little history: paid invoices so far: 1"
    assert ws.freeze_panes == "D6"
    assert ws.max_row == 9  # no totals: points of different customers do not add up
    found = rules(ws)
    assert found["G6:G9"][0].type == "dataBar"
    (heat,) = found["H6:Q9"]  # one scale over all ten: the biggest contributions stand out
    assert heat.type == "colorScale"
    assert [c.rgb for c in heat.colorScale.color] == ["FFFFFFFF", "FFF4B183"]


def test_credit_hold_sheet(book, cached):
    ws = book["Credit hold"]
    assert ws["A2"].value.startswith("Stop shipping")
    assert headers(ws, PLAN_HEADER) == [
        "Customer ID", "Customer", "Manager", "Sales rep", "Overdue (CNY)", "Open (CNY)",
        "Credit limit (CNY)", "Reason",
    ]  # fmt: skip
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=7)]
    assert [r[0] for r in rows] == ["C-003", "00123", "C-002"]
    assert rows[1][4:7] == [38800.00, 51145.67, 50000.00]
    assert rows[0][6] is None  # no credit limit on file
    assert rows[1][7] == (
        "over credit limit: 51,145.67 open, limit 50,000.00; items over 60 days overdue; graded Bad"
    )
    assert ws["E8"].value == "=SUBTOTAL(109,E5:E7)"
    # 45,000,000 + 3,880,000 + 4,270,050 = 53,150,050 fen
    assert cached["Credit hold"]["E8"].value == 531500.50
    assert ws["G8"].value is None  # credit limits are not summed
    assert ws.freeze_panes == "C5"


def test_limitation_alerts_sheet(book):
    ws = book["Limitation alerts"]
    assert "within 90 days" in ws["A2"].value
    assert headers(ws, PLAN_HEADER) == [
        "Customer ID", "Customer", "Document no.", "Due date", "Open (CNY)", "Limitation date",
        "Days left", "Action",
    ]  # fmt: skip
    row = [c.value for c in ws[5]]
    assert row[:3] == ["C-003", INJECTED_NAME, "INV-2023-0007"]
    assert row[3:7] == [datetime(2023, 7, 1), 450000.00, datetime(2026, 7, 1), -122]
    assert row[7].startswith("limitation has run")
    assert ws["H5"].alignment.wrap_text
    found = rules(ws)["G5"]
    past, soon = found
    assert (past.type, past.operator, past.formula) == ("cellIs", "lessThan", ["0"])
    assert past.dxf.fill.bgColor.rgb.endswith("FFC7CE")  # red
    assert (soon.operator, soon.formula) == ("between", ["0", "30"])
    assert soon.dxf.fill.bgColor.rgb.endswith("FCD5B4")  # orange


def test_broken_promises_sheet(book):
    ws = book["Broken promises"]
    assert headers(ws, PLAN_HEADER) == [
        "Customer ID", "Customer", "Contact date", "Promised by", "Promised amount", "Received",
        "Verdict", "By", "Note",
    ]  # fmt: skip
    broken, partly = ([c.value for c in ws[r]] for r in (5, 6))
    assert broken[:4] == ["00123", CHINESE_NAME, datetime(2026, 9, 20), datetime(2026, 9, 30)]
    assert broken[4:7] == [10000.00, 0, "Broken"]
    assert partly[4:8] == [20000.00, 5000.00, "Partly kept", "John Smith"]
    assert ws["G5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["G6"].fill.fgColor.rgb.endswith("FCD5B4")
    note = ws["I6"]
    assert note.value.startswith("+86") and note.data_type == "s"
    assert ws.max_row == 6  # amounts in the log's own currency: never totalled


def test_visit_routes_and_instalments(book, cached):
    routes = book["Visit routes"]
    assert routes["A2"].value.startswith("Customers due a visit")
    assert "4 to a trip" in routes["A2"].value
    assert headers(routes, PLAN_HEADER) == [
        "Route", "Stop", "Region", "Customer ID", "Customer", "Distance (km)", "Overdue (CNY)",
        "Next contact",
    ]  # fmt: skip
    visit = [c.value for c in routes[5]]
    assert visit[:5] == ["North #1", 1, "North", "C-002", "Acme Industrial Ltd"]
    assert visit[5:] == [35, 42700.50, datetime(2026, 11, 4)]
    assert routes["F5"].number_format == "#,##0"
    plans = book["Instalments"]
    assert plans["A2"].value.startswith("Monthly instalments")
    assert headers(plans, PLAN_HEADER) == [
        "Customer ID",
        "Customer",
        "Instalment no.",
        "Due date",
        "Amount (CNY)",
    ]
    first = [c.value for c in plans[5]]
    assert first == ["C-004", "Northwind Foods Inc.", 1, datetime(2026, 11, 30), 59195.00]
    assert plans["D10"].value == datetime(2027, 1, 31)
    # 3 x 5,919,500 + 3 x 1,423,350 = 22,028,550 fen
    assert cached["Instalments"]["E11"].value == 220285.50


def test_summary_counts_the_plan_lists(tmp_path, book):
    figures = {c.value: c.offset(0, 1) for c in book["Summary"]["A"] if c.value}
    assert figures["Customers on credit hold"].value == 3
    past = figures["Limitation alerts (within 90 days / past)"]
    assert past.value == "0 / 1"
    assert past.fill.fgColor.rgb.endswith("FFC7CE")  # one has already run
    result = make_result()
    alerts = result.limitation_alerts
    soon = alerts.assign(days_left=[20], doc_no=["INV-X"])
    more = make_result(limitation_alerts=pd.concat([soon, alerts], ignore_index=True))
    ws = openpyxl.load_workbook(write_close_workbook(more, tmp_path / "a.xlsx"))["Summary"]
    figures = {c.value: c.offset(0, 1).value for c in ws["A"] if c.value}
    assert figures["Limitation alerts (within 90 days / past)"] == "1 / 1"


def test_empty_plan_shows_none(tmp_path):
    plan = ("worklist", "credit_hold", "limitation_alerts", "broken_promises", "visit_routes",
            "instalments")  # fmt: skip
    empty = {name: pd.DataFrame() for name in plan}  # a run with no plan at all
    wb = openpyxl.load_workbook(write_close_workbook(make_result(**empty), tmp_path / "e.xlsx"))
    plan_sheets = EN_SHEETS[EN_SHEETS.index("Worklist") : EN_SHEETS.index("Instalments") + 1]
    assert len(plan_sheets) == 8  # Disputes among them: none in this fixture
    for name in plan_sheets:
        ws = wb[name]
        header = WHY_HEADER if name == "Why this rank" else PLAN_HEADER
        assert ws.cell(header, 1).value in ("Rank", "Customer ID", "Route"), name
        assert ws.cell(header + 1, 1).value == "(none)", name
    assert wb["Letters"].cell(PLAN_HEADER + 1, 1).value == "(none)"  # no plan, no letters
    figures = {c.value: c.offset(0, 1).value for c in wb["Summary"]["A"] if c.value}
    assert figures["Customers on credit hold"] == 0
    assert figures["Limitation alerts (within 90 days / past)"] == "0 / 0"


# --- portfolio views, conditional formats and the letter register --------------------------


def test_open_items_data_bar_and_days_colour_scale(book):
    found = rules(book["Open items"])
    (bar,) = found[f"J{OPEN_FIRST}:J{OPEN_LAST}"]  # Open (CNY)
    assert bar.type == "dataBar"
    assert [v.type for v in bar.dataBar.cfvo] == ["num", "max"]
    assert bar.dataBar.cfvo[0].val == 0  # bars from zero: lengths compare the amounts
    (scale,) = found[f"K{OPEN_FIRST}:K{OPEN_LAST}"]  # Days overdue
    assert scale.type == "colorScale"
    # Green when due, amber from doubtful (180 days), red from bad (365): grading's thresholds.
    assert [(v.type, v.val) for v in scale.colorScale.cfvo] == [
        ("num", 0), ("num", 180), ("num", 365),
    ]  # fmt: skip
    assert [c.rgb for c in scale.colorScale.color] == ["FFC6EFCE", "FFFFEB9C", "FFF4A6A6"]


BY_HEADERS = ["Customers", "Open (CNY)", "Overdue (CNY)", "Overdue share", "Provision (CNY)",
              *BUCKETS]  # fmt: skip


@pytest.mark.parametrize(
    ("sheet", "field", "key", "first"),
    [
        ("By sales rep", "by_rep", "sales_rep", ["Sales rep", "John Smith", 2, 492700.50,
                                                  492700.50, 1.0, 452135.03]),
        ("By region", "by_region", "region", ["Region", "South", 1, 450000.00, 450000.00, 1.0,
                                              450000.00]),
    ],
)  # fmt: skip
def test_portfolio_sheets(close_file, book, cached, sheet, field, key, first):
    ws = book[sheet]
    assert ws["A1"].value == f"{sheet} · As of 2026-10-31"
    assert ws["A2"].value.startswith("Receivables per")
    assert headers(ws, PLAN_HEADER) == [first[0], *BY_HEADERS]
    rows = table_rows(ws, PLAN_HEADER, len(BY_HEADERS) + 1)
    assert rows[0][:6] == first[1:]
    # Every row is the result's row: money in major units, the share as a fraction.
    frame = getattr(make_result(), field)
    assert len(rows) == len(frame)
    for got, (_, want) in zip(rows, frame.iterrows(), strict=True):
        money = [want[c] / 100 for c in ("open_base_minor", "overdue_base_minor")]
        assert got[:4] == [want[key], want["customers"], *money]
        assert got[4] == pytest.approx(want["overdue_share"], rel=1e-15)
        assert got[5:] == [want["provision_base_minor"] / 100,
                           *(want[b] / 100 for b in BUCKETS)]  # fmt: skip
    assert ws.cell(5, 5).number_format == "0.0%"
    assert ws.cell(5, 4).number_format == money_format(2)
    totals = PLAN_HEADER + len(rows) + 1
    assert ws.cell(totals, 1).value == "Total"
    assert ws.cell(totals, 4).value == f"=SUBTOTAL(109,D5:D{totals - 1})"
    values = cached[sheet]
    assert values.cell(totals, 2).value == 4  # customers
    assert values.cell(totals, 3).value == 813775.30  # open
    assert values.cell(totals, 4).value == 709085.50  # overdue
    assert values.cell(totals, 6).value == 468628.77  # provision
    assert values.cell(totals, 7).value == 104689.80  # Not due: 1,234,567 + 9,234,413 fen
    assert ws.cell(totals, 5).value is None  # shares do not add up
    assert ws.freeze_panes == "B5"
    (bar,) = rules(ws)[f"D5:D{totals - 1}"]  # the overdue column
    assert bar.type == "dataBar" and bar.dataBar.color.rgb == "FFE6A5A3"
    ((col, row, chart),) = sheet_drawings(close_file, sheet)
    assert (col, row) == (0, totals + 1)  # under the table, after a blank row
    assert '<c:barDir val="bar"/>' in chart
    assert f"<c:f>'{sheet}'!$A$5:$A${totals - 1}</c:f>" in chart
    assert f"<c:f>'{sheet}'!$D$5:$D${totals - 1}</c:f>" in chart
    assert f"<c:v>{first[1]}</c:v>" in chart and "Overdue by" in chart


def test_portfolio_row_without_a_rep_is_named(tmp_path):
    result = make_result()
    by_rep = result.by_rep.assign(sales_rep=["", "王磊"])
    path = write_close_workbook(make_result(by_rep=by_rep), tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path)["By sales rep"]
    assert ws.cell(5, 1).value == "(none)"
    assert "<c:v>(none)</c:v>" in sheet_charts(path, "By sales rep")[0]


def test_risk_grades_sheet(close_file, book, cached):
    ws = book["Risk grades"]
    assert ws["A1"].value == "Risk grades · As of 2026-10-31"
    assert headers(ws, PLAN_HEADER) == [
        "Grade", "Customers", "Items", "Open (CNY)", "Overdue (CNY)", "Provision (CNY)",
        "Share of open",
    ]  # fmt: skip
    rows = table_rows(ws, PLAN_HEADER, 7)
    frame = make_result().risk_grades
    assert [r[0] for r in rows] == ["Not due", "In collection", "Doubtful", "Bad", "Dead"]
    for got, (_, want) in zip(rows, frame.iterrows(), strict=True):
        assert got[1:6] == [
            want["customers"], want["items"], want["open_base_minor"] / 100,
            want["overdue_base_minor"] / 100, want["provision_base_minor"] / 100,
        ]  # fmt: skip
        assert got[6] == pytest.approx(want["share_of_open"], rel=1e-15)
    assert rows[4][1:6] == [1, 1, 450000.00, 450000.00, 450000.00]  # dead: C-003
    # Whole rows in the grade's colour, the numbers too.
    for r, grade in enumerate(GRADES, start=5):
        fills = {ws.cell(r, c).fill.fgColor.rgb[-6:] for c in range(1, 8)}
        assert fills == {TONES[grade]["bg_color"].lstrip("#")}, grade
    assert ws.cell(9, 4).font.color.rgb.endswith("FFFFFF")  # white on the dark dead row
    assert ws.cell(10, 1).value == "Total"
    values = cached["Risk grades"]
    assert [values.cell(10, c).value for c in range(2, 7)] == [
        4, 8, 813775.30, 709085.50, 468628.77,
    ]  # fmt: skip
    assert ws.cell(10, 7).value == "=SUBTOTAL(109,G5:G9)"
    assert values.cell(10, 7).value == pytest.approx(1.0)  # the shares add up to 100 %
    ((col, row, chart),) = sheet_drawings(close_file, "Risk grades")
    assert (col, row) == (8, PLAN_HEADER - 1)  # beside the table, a column apart
    assert '<c:barDir val="col"/>' in chart
    assert "<c:f>'Risk grades'!$D$5:$D$9</c:f>" in chart  # open balance
    fills = re.findall(r'<c:dPt>.*?<a:srgbClr val="(\w+)"/>', chart)
    assert fills == [TONES[g]["bg_color"].lstrip("#") for g in GRADES]


LETTER_HEADERS = [
    "Customer ID", "Customer", "Manager", "Letter", "Language", "File", "Reference", "Items",
    "Amount stated", "Total (CNY)", "Letter date", "Pay / reply by", "Signed by",
]  # fmt: skip


def register_as_shown(register: pd.DataFrame, lang: str = "en") -> list[list]:
    """The letter register as the sheet shows it: codes as text, money in major units."""
    langs = {"en": {"zh": "Chinese", "en": "English"}, "zh": {"zh": "中文", "en": "英文"}}[lang]
    signers = {"en": {"company": "Company", "counsel": "Counsel"},
               "zh": {"company": "本公司", "counsel": "律师"}}[lang]  # fmt: skip
    return [
        [r.customer_id, r.name, r.manager, LETTER_LABELS[lang][r.letter], langs[r.lang], r.file,
         r.ref, r.items, r.amounts, r.total_base_minor / 100, r.letter_date.to_pydatetime(),
         r.deadline.to_pydatetime(), signers[r.signer]]
        for r in register.itertuples()
    ]  # fmt: skip


def test_letters_sheet(book, cached):
    ws = book["Letters"]
    assert ws["A1"].value == "Letters · As of 2026-10-31"
    assert "letters/" in ws["A2"].value
    assert headers(ws, PLAN_HEADER) == LETTER_HEADERS
    rows = table_rows(ws, PLAN_HEADER, len(LETTER_HEADERS))
    register = letter_register(make_result())
    assert rows == register_as_shown(register)
    # C-002's lawyer's letter and C-004's reminder (C-003 is blocked: no statement).
    assert [r[:4] for r in rows] == [
        ["C-002", "Acme Industrial Ltd", "Mary Chen", "Lawyer's letter"],
        ["C-004", "Northwind Foods Inc.", "李娜", "Payment reminder"],
    ]  # fmt: skip
    assert (rows[1][8], rows[1][9], rows[1][12]) == ("USD 25,000.00", 177585.00, "Company")
    assert ws.cell(5, 11).is_date and ws.cell(5, 11).number_format == "yyyy-mm-dd"
    assert ws["J7"].value == "=SUBTOTAL(109,J5:J6)"
    assert cached["Letters"]["J7"].value == 220285.50  # 4,270,050 + 17,758,500 fen
    assert ws["H7"].value is None  # items are not summed: a statement may list them again
    assert ws.freeze_panes == "C5"


def test_portfolio_and_letters_in_chinese(tmp_path):
    path = write_close_workbook(make_result("zh"), tmp_path)
    wb = openpyxl.load_workbook(path)
    assert headers(wb["按业务员"], PLAN_HEADER)[:6] == [
        "业务员", "客户数", "余额（CNY）", "逾期（CNY）", "逾期占比", "坏账准备（CNY）",
    ]  # fmt: skip
    assert headers(wb["按区域"], PLAN_HEADER)[0] == "区域"
    grades = wb["风险等级"]
    assert headers(grades, PLAN_HEADER)[-1] == "余额占比"
    assert [grades.cell(r, 1).value for r in range(5, 10)] == [
        "未收款", "催收款", "准呆账", "呆账", "死账",
    ]  # fmt: skip
    assert grades.cell(10, 1).value == "合计"
    assert "各风险等级余额" in sheet_charts(path, "风险等级")[0]
    letters = wb["函件登记"]
    assert headers(letters, PLAN_HEADER)[3:6] == ["函件", "语言", "文件"]
    rows = table_rows(letters, PLAN_HEADER, len(LETTER_HEADERS))
    assert rows == register_as_shown(letter_register(make_result("zh")), "zh")
    assert rows[0][3:5] == ["律师函", "英文"]
    summary = wb["汇总"]
    assert any(c.value == "欠款前 20 名客户" for c in summary["A"])


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    from aging.config import load_config
    from aging.pipeline import Inputs, run

    inputs = Inputs(ledger=(SAMPLE / "ar_ledger_2026-10.xlsx",), fx=(SAMPLE / "fx_rates.csv",))
    result = run(inputs, load_config(None))
    path = write_close_workbook(result, tmp_path_factory.mktemp("sample"))
    return result, openpyxl.load_workbook(path), path


def test_sample_worklist_matches_the_plan(sample_run):
    result, wb, _ = sample_run
    plan, ws = result.worklist, wb["Worklist"]
    assert len(plan) > 10
    shown = [[c.value for c in row[:9]] for row in ws.iter_rows(min_row=5)]
    shown = [row for row in shown if isinstance(row[0], int | float)]  # not the totals row
    assert len(shown) == len(plan)
    want = list(zip(plan["rank"], plan["customer_id"], plan["priority_score"], strict=True))
    got = [(rank, customer, score) for rank, customer, *_, score in shown]
    assert got[:10] == want[:10]
    assert got == want
    why = wb["Why this rank"]
    assert why.cell(WHY_HEADER + len(plan), 1).value == len(plan)
    points = [why.cell(WHY_HEADER + 1, c).value for c in range(8, 18)]
    first = plan.iloc[0]
    assert points == [first[f"factor_{f}"] for f in FACTORS]
    rows = {name: wb[name].max_row for name in ("Credit hold", "Limitation alerts")}
    assert rows["Credit hold"] == PLAN_HEADER + len(result.credit_hold) + 1  # and totals
    assert rows["Limitation alerts"] == PLAN_HEADER + len(result.limitation_alerts) + 1


def test_sample_letters_and_portfolio_match_the_result(sample_run):
    result, wb, path = sample_run
    register = letter_register(result)
    assert len(register) > 10 and set(register["letter"]) >= {"lawyer", "statement"}
    rows = table_rows(wb["Letters"], PLAN_HEADER, len(LETTER_HEADERS))
    assert rows == register_as_shown(register)
    for sheet, frame, key in (("By sales rep", result.by_rep, "sales_rep"),
                              ("By region", result.by_region, "region")):  # fmt: skip
        rows = table_rows(wb[sheet], PLAN_HEADER, 4)
        assert [r[0] for r in rows] == list(frame[key]), sheet
        assert [r[3] for r in rows] == list(frame["overdue_base_minor"] / 100), sheet
    grades = table_rows(wb["Risk grades"], PLAN_HEADER, 4)
    assert [r[3] for r in grades] == list(result.risk_grades["open_base_minor"] / 100)
    # The top-20 chart: the first 20 customers by open balance, largest first.
    debtors = result.customers[result.customers["open_base_minor"] > 0]
    top = debtors.sort_values(["open_base_minor", "customer_id"],
                              ascending=[False, True]).head(20)  # fmt: skip
    chart = sheet_charts(path, "Summary")[2]
    names = re.findall(r"<c:pt idx=\"\d+\"><c:v>([^<]*)</c:v>", chart.split("</c:cat>")[0])
    assert names == list(top["name"])


# --- the table writer on its own -------------------------------------------------------------


def small_book(path: Path, **kw) -> Book:
    return Book(path, as_of=date(2026, 10, 31), **kw)


def test_per_row_currency_decimals(tmp_path):
    frame = pd.DataFrame(
        {"ccy": ["CNY", "JPY", "BHD", "XXX"], "amount": [1234567, 1234567, 1234567, 1234567]}
    )
    spec = [ColumnSpec("ccy", "Ccy"), ColumnSpec("amount", "Amount", "money", currency_col="ccy")]
    with small_book(tmp_path / "t.xlsx") as book:
        write_table(book, "T", frame, spec, currency_decimals={"CNY": 2, "JPY": 0, "BHD": 3})
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["T"]
    assert [ws.cell(r, 2).value for r in range(2, 6)] == [12345.67, 1234567, 1234.567, 12345.67]
    assert ws.cell(3, 2).number_format == money_format(0) == "#,##0;[Red]-#,##0"
    assert ws.cell(4, 2).number_format == "#,##0.000;[Red]-#,##0.000"
    assert ws.cell(6, 2).value is None  # no total across currencies by default


def test_hostile_text_is_written_as_text(tmp_path):
    hostile = ['=HYPERLINK("http://x","y")', "+1234", "-1", "@SUM(A1)", "http://evil.example",
               "00123", "NA", "1e5"]  # fmt: skip
    frame = pd.DataFrame({"name": hostile})
    with small_book(tmp_path / "h.xlsx") as book:
        write_table(book, "T", frame, [ColumnSpec("name", "Name")])
    ws = openpyxl.load_workbook(tmp_path / "h.xlsx")["T"]
    cells = [ws.cell(r, 1) for r in range(2, 2 + len(hostile))]
    assert [c.value for c in cells] == hostile
    assert all(c.data_type == "s" and c.hyperlink is None for c in cells)
    root = sheet_xml(tmp_path / "h.xlsx", 1)
    assert not list(root.iter(f"{{{NS['m']}}}f"))
    assert root.find("m:hyperlinks", NS) is None


def test_row_limit_cuts_and_notes(tmp_path):
    frame = pd.DataFrame({"id": [f"D{i}" for i in range(20)], "amount": list(range(100, 120))})
    spec = [ColumnSpec("id", "Doc"), ColumnSpec("amount", "Amount", "money", decimals=2)]
    with small_book(tmp_path / "r.xlsx") as book:
        placed = write_table(book, "T", frame, spec, max_rows=10, overflow_where="data/x.csv")
    # Header row 1; 10 - 1 header - 1 totals - 1 note = 7 rows (2-8); totals 9; note 10.
    assert (placed.rows_written, placed.rows_total, placed.totals_row) == (7, 20, 8)
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    ws = wb["T"]
    assert ws.max_row == 10
    assert ws["B9"].value == "=SUBTOTAL(109,B2:B8)"
    assert "data/x.csv" in ws["A10"].value and "7 of 20" in ws["A10"].value
    cached = openpyxl.load_workbook(tmp_path / "r.xlsx", data_only=True)["T"]
    assert cached["B9"].value == pytest.approx(sum(range(100, 107)) / 100)


def test_missing_values_leave_cells_empty(tmp_path):
    frame = pd.DataFrame(
        {
            "text": pd.Series(["a", None, ""], dtype="str"),
            "n": pd.Series([1, pd.NA, 3], dtype="Int64"),
            "d": pd.to_datetime(["2026-01-02", None, "2026-03-04"]),
        }
    )
    spec = [ColumnSpec("text", "T"), ColumnSpec("n", "N", "int", total=True),
            ColumnSpec("d", "D", "date")]  # fmt: skip
    with small_book(tmp_path / "m.xlsx") as book:
        write_table(book, "T", frame, spec)
    ws = openpyxl.load_workbook(tmp_path / "m.xlsx", data_only=True)["T"]
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == [None, None, None]
    assert ws["C4"].value == datetime(2026, 3, 4)
    assert ws["B5"].value == 4


def test_chunked_writing_gives_the_same_file(tmp_path):
    frame = pd.DataFrame(
        {
            "id": [f"D{i}" for i in range(10)],
            "grade": pd.Series(["dead", "not_due"] * 5, dtype="category"),
            "ccy": ["CNY", "JPY"] * 5,
            "amount": range(1000, 1010),
            "note": ["a rather long note that has to wrap onto more lines " * (i % 3)
                     for i in range(10)],
        }
    )  # fmt: skip
    spec = [
        ColumnSpec("id", "Doc"),
        ColumnSpec("grade", "Grade", "grade"),
        ColumnSpec("amount", "Amount", "money", currency_col="ccy"),
        ColumnSpec("note", "Note", max_width=20, wrap=True),
    ]
    tones = [None, "error"] * 5
    for name, chunk in (("one.xlsx", 1000), ("many.xlsx", 3)):
        with small_book(tmp_path / name) as book:
            write_table(book, "T", frame, spec, row_tones=tones, chunk_rows=chunk,
                        currency_decimals={"CNY": 2, "JPY": 0})  # fmt: skip
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "many.xlsx").read_bytes()
    ws = openpyxl.load_workbook(tmp_path / "many.xlsx")["T"]
    assert ws["C3"].value == 1001 and ws["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["B2"].value == "Dead"
    assert ws.row_dimensions[2].height is None  # empty note: default height
    assert ws.row_dimensions[3].height >= 3 * 15  # 53 characters in a 20-wide column


def test_spec_errors():
    with pytest.raises(ValueError):
        ColumnSpec("x", "X", "money")  # neither decimals nor a currency column
    with pytest.raises(ValueError):
        ColumnSpec("x", "X", "colour")


def test_unknown_column_is_an_error(tmp_path):
    with small_book(tmp_path / "e.xlsx") as book, pytest.raises(ValueError, match="lacks"):
        write_table(book, "T", pd.DataFrame({"a": [1]}), [ColumnSpec("b", "B")])


def test_display_width_and_wrapping():
    assert display_width("Acme") == 4
    assert display_width("上海华信") == 8
    assert display_width("ＡＢ") == 4  # full-width forms
    assert _wrapped_lines("Days overdue", 20) == 1
    assert _wrapped_lines("Days overdue", 8) == 2
    assert _wrapped_lines("上海华信贸易", 6) == 2


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sheet_names_are_valid(lang):
    names = [label(k, lang) for k in all_keys() if k.startswith("sheet.")]
    assert len(set(names)) == len(names)
    for name in names:
        assert len(name) <= SHEET_NAME_MAX and safe_sheet_name(name) == name
    assert [sheet_name(k, lang) for k in SHEETS]


def test_labels_fall_back_and_fill():
    assert label("col.open_base_minor", "zh", ccy="USD") == "余额（USD）"
    assert label("no.such.key", "zh", default="x") == "x"
    with pytest.raises(KeyError):
        label("no.such.key", "en")
    assert safe_sheet_name("a/b:c*d?e[f]g\\h" * 3) == "a_b_c_d_e_f_g_ha_b_c_d_e_f_g_ha"


# --- LibreOffice: the file opens, prints and recalculates to the cached values ---------------

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _convert(source: Path, target: str, outdir: Path, profile: Path) -> None:
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip


@pytest.mark.skipif(LIBREOFFICE is None, reason="libreoffice is not installed")
def test_libreoffice_prints_and_recalculates_to_the_cached_totals(tmp_path, close_file):
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    # Recalculate every formula on load, so the converted file holds LibreOffice's own sums.
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
    out = tmp_path / "out"
    _convert(close_file, "pdf", out, profile)
    pdf = out / close_file.with_suffix(".pdf").name
    assert pdf.read_bytes().startswith(b"%PDF")
    _convert(close_file, "xlsx:Calc MS Excel 2007 XML", out, profile)
    ours = openpyxl.load_workbook(close_file)
    ours_cached = openpyxl.load_workbook(close_file, data_only=True)
    theirs = openpyxl.load_workbook(out / close_file.name, data_only=True)
    compared = 0
    for ws in ours.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=SUBTOTAL"):
                    mine = ours_cached[ws.title][cell.coordinate].value
                    recalculated = theirs[ws.title][cell.coordinate].value
                    assert recalculated == pytest.approx(mine, abs=1e-9), (ws.title, cell)
                    compared += 1
    assert compared >= 10
