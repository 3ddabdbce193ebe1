"""Every kind of cell reads as the same text whichever way the workbook is read.

`aging.reading` reads .xlsx through fastexcel (Arrow-native) and puts fastexcel's text for typed
cells into our form; .xls and .ods, and the rare .xlsx whose text could be mistaken for typed
output, are read cell by cell through python-calamine and `aging.reading.sheet.cell_text`. The reference
here is that cell-by-cell reading: each type of cell is compared with it, in a workbook written
with shared strings (xlsxwriter) and one written with inline strings (openpyxl). Error cells are
the one deliberate difference: python-calamine gives them as "", the reader gives Excel's text
("#DIV/0!") so a broken amount is reported as a bad amount.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine
import xlsxwriter
from conftest import data_issues, run_on
from openpyxl.chart import BarChart, Reference
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from aging.reading import sheet as sheets
from aging.reading import workbooks as workbook_reader
from aging.reading.files import read_file
from aging.reading.sheet import cell_text

AS_OF = date(2026, 10, 31)

# (label, value, number format): one row each, label in column A, value in column B.
CELLS = [
    ("whole number", 100.0, None),
    ("negative", -5.0, None),
    ("cents", 1234.56, None),
    ("float noise", 0.1 + 0.2, None),  # the writers round some of these; see NUMBERS
    ("half a cent below", 1234.5649999999998, None),
    ("eight digits and cents", 12345678.91, None),
    ("a third", 1 / 3, None),
    ("computed rate", 1 / 7.1, None),
    ("ten decimals", 0.1234567891, None),
    ("huge", 1e20, None),
    ("tiny", 1e-7, None),
    ("below a nanounit", 1.5e-12, None),
    ("sixteen digits", 1234567890123456.0, None),
    ("minus zero", -0.0, None),
    ("date", datetime(2026, 10, 31), "yyyy-mm-dd"),
    ("date-time", datetime(2026, 10, 31, 13, 45), "yyyy-mm-dd hh:mm"),
    ("milliseconds", datetime(2026, 10, 31, 13, 45, 30, 500000), "yyyy-mm-dd hh:mm:ss.000"),
    ("almost midnight", datetime(2026, 10, 31, 23, 59, 59, 999900), "yyyy-mm-dd hh:mm:ss"),
    ("time", time(13, 45), "hh:mm"),
    ("time with milliseconds", time(13, 45, 30, 250000), "hh:mm:ss.000"),
    ("serial zero as date", 0.0, "yyyy-mm-dd"),
    ("first of 1900", datetime(1900, 1, 1), "yyyy-mm-dd"),
    ("date serial as number", 46326.0, None),
    ("Chinese date format", datetime(2026, 10, 31), 'yyyy"年"m"月"d"日"'),
    ("locale date format", datetime(2026, 10, 31), "[$-804]yyyy/m/d"),
    ("US date format", datetime(2026, 10, 31), "m/d/yyyy"),
    ("month name format", datetime(2026, 10, 31), "dd-mmm-yy"),
    ("minutes and seconds", time(0, 12, 34), "mm:ss"),
    ("thousands format", 1234567.891, "#,##0.00"),
    ("percent format", 0.125, "0%"),
    ("coloured format", -42.5, "[Red]0.00"),
    ("text format on a number", 123.0, "@"),
    ("currency format", 8800.0, '"¥"#,##0.00'),
    ("boolean true", True, None),
    ("boolean false", False, None),
    ("code", "00123", None),
    ("NA", "NA", None),
    ("spaces", "  x  ", None),
    ("Chinese", "上海宏达贸易有限公司", None),
    ("time-like text", "13:45:30.123", None),
    ("empty text", "", None),
]
# Text a typed cell could also give in fastexcel's output: it must stay as written.
TYPED_LOOKING_TEXT = [
    ("text true", "true", None),
    ("text FALSE", "false", None),
    ("text minus zero", "-0", None),
    ("text midnight", "2026-10-31 00:00:00", None),
    ("text time of 1899", "1899-12-31 13:45:00", None),
    ("text milliseconds", "2026-10-31 13:45:30.500", None),
]


def with_openpyxl(path: Path, cells, epoch=None) -> Path:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "Cells"
    for row, (label, value, number_format) in enumerate(cells, start=1):
        sheet.cell(row=row, column=1, value=label)
        cell = sheet.cell(row=row, column=2, value=value)
        if number_format:
            cell.number_format = number_format
    book.save(path)
    return path


def with_xlsxwriter(path: Path, cells) -> Path:
    book = xlsxwriter.Workbook(path)  # shared strings
    sheet = book.add_worksheet("Cells")
    for row, (label, value, number_format) in enumerate(cells):
        sheet.write_string(row, 0, label)
        style = book.add_format({"num_format": number_format}) if number_format else None
        if isinstance(value, bool):
            sheet.write_boolean(row, 1, value)
        elif isinstance(value, datetime | time):
            sheet.write_datetime(row, 1, value, style)
        elif isinstance(value, str):
            sheet.write_string(row, 1, value)
        else:
            sheet.write_number(row, 1, value, style)
    book.close()
    return path


def reference(path: Path) -> dict[str, list[list[str]]]:
    """python-calamine's typed cells through cell_text, the way the reader read every workbook
    before fastexcel."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    grids = {}
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        grids[name] = sheets.fill_merged(rows, sheet.merged_cell_ranges or [])
    return grids


def grid(sheet) -> list[list[str]]:
    return sheet.rows(range(sheet.height))


@pytest.fixture
def fast_only(monkeypatch):
    """Fail if the reader falls back to reading cell by cell."""

    def refuse(*_args):
        raise AssertionError("read cell by cell, not through fastexcel")

    monkeypatch.setattr(workbook_reader, "_read_cell_by_cell", refuse)


@pytest.fixture
def cell_by_cell(monkeypatch):
    calls = []
    real = workbook_reader._read_cell_by_cell

    def spy(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(workbook_reader, "_read_cell_by_cell", spy)
    return calls


def read_one(path: Path):
    (sheet,) = read_file(path, max_rows=100_000, max_unzipped_mb=100)
    return sheet


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cells")
    return {
        "inline strings": with_openpyxl(folder / "inline.xlsx", CELLS),
        "shared strings": with_xlsxwriter(folder / "shared.xlsx", CELLS),
    }


@pytest.mark.parametrize("writer", ["inline strings", "shared strings"])
@pytest.mark.parametrize("label", [c[0] for c in CELLS])
def test_each_kind_of_cell_reads_as_cell_text_does(workbooks, writer, label, fast_only):
    path = workbooks[writer]
    expected = {row[0]: row[1] for row in reference(path)["Cells"]}
    got = {row[0]: row[1] for row in grid(read_one(path))}
    assert got[label] == expected[label]


def test_the_conversions_spelled_out(workbooks, fast_only):
    got = {row[0]: row[1] for row in grid(read_one(workbooks["shared strings"]))}
    assert got["whole number"] == "100" and got["cents"] == "1234.56"
    assert got["minus zero"] == "0" and got["huge"] == "100000000000000000000"
    assert got["date"] == "2026-10-31" and got["date-time"] == "2026-10-31 13:45:00"
    assert got["milliseconds"] == "2026-10-31 13:45:30.500000"
    assert got["time"] == "13:45:00" and got["serial zero as date"] == "00:00:00"
    assert got["time with milliseconds"] == "13:45:30.250000"
    assert (got["boolean true"], got["boolean false"]) == ("TRUE", "FALSE")
    assert (got["code"], got["NA"], got["spaces"]) == ("00123", "NA", "  x  ")


# Number texts as Excel stores them (up to 17 significant digits) -> the text read: the
# shortest text that reads back to the same float, not fastexcel's nine decimals.
NUMBERS = {
    "0.30000000000000004": "0.30000000000000004",
    "1234.5649999999998": "1234.5649999999998",
    "0.14084507042253522": "0.14084507042253522",
    "0.12345678912345": "0.12345678912345",
    "12345678.91": "12345678.91",
    "123456789.12": "123456789.12",
    "8388608.1": "8388608.1",
    "-98765432.1": "-98765432.1",
    "1234567890123456": "1234567890123456.0",
    "12345678901234567890": "12345678901234567000",
    "1.5E-12": "0.0000000000015",
    "1E-10": "0.0000000001",
    "-1E-10": "-0.0000000001",
    "1E+20": "100000000000000000000",
    "-0": "0",
    "0.5": "0.5",
    "197083.12": "197083.12",
    "1800000123": "1800000123",
}


def test_numbers_keep_every_digit_the_file_holds(tmp_path, fast_only):
    cells = [(f"stored as {text}", 1.0, None) for text in NUMBERS]
    plain = with_xlsxwriter(tmp_path / "plain.xlsx", cells)
    xml = {f"B{i + 1}": f'<c r="B{i + 1}"><v>{text}</v></c>' for i, text in enumerate(NUMBERS)}
    path = with_cells(plain, tmp_path / "numbers.xlsx", xml)
    got = [row[1] for row in grid(read_one(path))]
    assert got == [row[1] for row in reference(path)["Cells"]]
    assert got == list(NUMBERS.values())


def test_text_that_looks_typed_stays_as_written_in_inline_strings(tmp_path, fast_only):
    path = with_openpyxl(tmp_path / "looks.xlsx", CELLS + TYPED_LOOKING_TEXT)
    got = {row[0]: row[1] for row in grid(read_one(path))}
    for label, value, _ in TYPED_LOOKING_TEXT:
        assert got[label] == value
    assert (got["boolean true"], got["date"]) == ("TRUE", "2026-10-31")  # typed: converted


def test_shared_strings_that_look_typed_are_read_cell_by_cell(tmp_path, cell_by_cell):
    path = with_xlsxwriter(tmp_path / "looks.xlsx", CELLS + TYPED_LOOKING_TEXT)
    got = {row[0]: row[1] for row in grid(read_one(path))}
    assert cell_by_cell == [path]
    assert got == {row[0]: row[1] for row in reference(path)["Cells"]}
    assert got["text midnight"] == "2026-10-31 00:00:00" and got["boolean true"] == "TRUE"


def test_plain_shared_strings_stay_on_the_fast_path(workbooks, cell_by_cell):
    read_one(workbooks["shared strings"])
    assert cell_by_cell == []


def test_dates_of_the_1904_system(tmp_path, fast_only):
    cells = [
        ("date", datetime(2026, 10, 31), "yyyy-mm-dd"),
        ("date-time", datetime(2026, 10, 31, 8, 30), "yyyy-mm-dd hh:mm"),
        ("time", time(13, 45), "hh:mm"),
    ]
    path = with_openpyxl(tmp_path / "mac.xlsx", cells, epoch=CALENDAR_MAC_1904)
    got = grid(read_one(path))
    assert got == reference(path)["Cells"]
    assert [row[1] for row in got] == ["2026-10-31", "2026-10-31 08:30:00", "13:45:00"]


def test_duration_cells_are_read_cell_by_cell(tmp_path, cell_by_cell):
    cells = [("hours", timedelta(hours=30), "[h]:mm:ss"), ("date", datetime(2026, 1, 2), None)]
    path = with_openpyxl(tmp_path / "durations.xlsx", cells)
    got = grid(read_one(path))
    assert cell_by_cell == [path]
    assert got == reference(path)["Cells"]


# ---- error cells ----------------------------------------------------------------------------

ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]


def with_cells(source: Path, target: Path, cells: dict[str, str]) -> Path:
    """Copy a workbook, replacing the given cells (e.g. "B2") of its first sheet by raw XML."""
    member = "xl/worksheets/sheet1.xml"

    def edit(xml: bytes) -> bytes:
        for ref, cell in cells.items():
            pattern = rb'<c r="' + ref.encode() + rb'"(?: [^>]*)?(?:/>|>.*?</c>)'
            xml, count = re.subn(pattern, lambda _, cell=cell: cell.encode(), xml)
            assert count == 1, ref
        return xml

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, edit(data) if info.filename == member else data)
    return target


def with_errors(source: Path, target: Path, cells: dict[str, str]) -> Path:
    """Copy a workbook, turning the given cells into cached error values of a formula."""
    xml = {ref: f'<c r="{ref}" t="e"><f>1/0</f><v>{error}</v></c>' for ref, error in cells.items()}
    return with_cells(source, target, xml)


@pytest.mark.parametrize("writer", [with_openpyxl, with_xlsxwriter])
def test_error_cells_read_as_their_excel_text(tmp_path, writer):
    cells = [(error, 1.0, None) for error in ERRORS]
    plain = writer(tmp_path / "plain.xlsx", cells)
    path = with_errors(
        plain, tmp_path / "errors.xlsx", {f"B{i + 1}": e for i, e in enumerate(ERRORS)}
    )
    assert all(row[1] == "" for row in reference(path)["Cells"])  # python-calamine: blank
    assert [row[1] for row in grid(read_one(path))] == ERRORS


def test_error_cells_on_the_cell_by_cell_path(tmp_path, cell_by_cell):
    cells = [("text true", "true", None), ("broken", 1.0, None)]
    plain = with_xlsxwriter(tmp_path / "plain.xlsx", cells)
    path = with_errors(plain, tmp_path / "errors.xlsx", {"B2": "#DIV/0!"})
    assert grid(read_one(path)) == [["text true", "true"], ["broken", "#DIV/0!"]]
    assert cell_by_cell == [path]


LEDGER_HEADER = ["Customer ID", "Customer Name", "Doc No", "Date", "Due Date", "Amount"]


def ledger_workbook(path: Path, rows, *, top: int = 1, left: int = 1) -> Path:
    """A ledger whose header stands at row `top`, column `left` (1-based)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ledger"
    for r, row in enumerate([LEDGER_HEADER, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.cell(row=top + r, column=left + c, value=value)
    book.save(path)
    return path


def test_an_error_in_an_amount_or_a_date_is_an_exception_with_its_text(tmp_path):
    plain = ledger_workbook(
        tmp_path / "plain.xlsx",
        [
            ["C1", "Alpha", "I1", "2026-09-01", "2026-09-30", 100],
            ["C1", "Alpha", "I2", "2026-09-01", "2026-09-30", 1],
            ["C1", "Alpha", "I3", "2026-09-01", "2026-09-30", 300],
        ],
    )
    path = with_errors(plain, tmp_path / "broken.xlsx", {"F3": "#DIV/0!", "E4": "#N/A"})
    result = run_on(path, as_of=AS_OF)
    issues = result.issues.set_index("row")
    # row 3: the amount is #DIV/0! (before: blank, "no amount"); row 4: the due date is #N/A
    # (before: blank, silently aged from the default terms)
    assert issues.loc[3, ["code", "column", "value"]].tolist() == [
        "amount.unparseable",
        "Amount",
        "#DIV/0!",
    ]
    assert issues.loc[4, ["code", "column", "value"]].tolist() == [
        "date.unparseable",
        "Due Date",
        "#N/A",
    ]
    assert result.open_items["doc_no"].tolist() == ["I1"]


def test_a_failed_lookup_in_the_customer_column_is_never_a_customer(tmp_path):
    """#N/A in the id column: the name stands in (as a blank id would); with no name either,
    the row is a customer.missing exception showing the #N/A, not a customer called '#N/A'."""
    plain = ledger_workbook(
        tmp_path / "plain.xlsx",
        [
            ["C1", "Alpha", "I1", "2026-09-01", "2026-09-30", 100],
            ["C2", "Beta", "I2", "2026-09-01", "2026-09-30", 20],
            ["C3", "Gamma", "I3", "2026-09-01", "2026-09-30", 3],
        ],
    )
    path = with_errors(plain, tmp_path / "lookup.xlsx", {"A3": "#N/A", "A4": "#N/A", "B4": "#N/A"})
    result = run_on(path, as_of=AS_OF)
    assert sorted(result.open_items["customer_id"]) == ["Beta", "C1"]
    missing = result.issues[result.issues["code"].eq("customer.missing")]
    assert missing[["row", "value"]].values.tolist() == [[4, "#N/A"]]
    assert "#N/A" not in set(result.customers["customer_id"])


# ---- where cells are ------------------------------------------------------------------------


def test_leading_empty_rows_and_columns_keep_rows_and_columns_in_place(tmp_path, fast_only):
    rows = [
        ["C1", "Alpha", "I1", "2026-09-01", "2026-09-30", 100],
        ["C2", "Beta", "I2", "2026-09-01", "2026-09-30", "abc"],
    ]
    path = ledger_workbook(tmp_path / "offset.xlsx", rows, top=4, left=3)  # header at C4
    sheet = read_one(path)
    assert sheet.height == 6 and sheet.width == 8
    assert sheet.row(3) == ["", "", *LEDGER_HEADER]
    assert sheet.column(2).to_pylist() == ["", "", "", "Customer ID", "C1", "C2"]
    assert sheet.rows(range(sheet.height)) == reference(path)["Ledger"]
    result = run_on(path, as_of=AS_OF)
    assert result.open_items[["doc_no", "src_row"]].values.tolist() == [["I1", 5]]
    (issue,) = data_issues(result).itertuples()
    assert (issue.code, issue.row, issue.column, issue.value) == (
        "amount.unparseable",
        6,
        "Amount",
        "abc",
    )


def test_merged_ranges_fill_every_cell_they_cover(tmp_path, fast_only):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Merged"
    sheet["B2"], sheet["D2"] = "across", "tall"
    sheet["B3"], sheet["C3"] = 1, 2
    sheet["B5"] = datetime(2026, 10, 31)
    sheet["B5"].number_format = "yyyy-mm-dd"
    sheet.merge_cells("B2:C2")  # across two columns
    sheet.merge_cells("D2:D4")  # down three rows
    sheet.merge_cells("B5:C6")  # a block, holding a date
    sheet.merge_cells("F9:G9")  # beyond the cells with values: nothing to fill
    path = tmp_path / "merged.xlsx"
    book.save(path)
    got = grid(read_one(path))
    assert got == reference(path)["Merged"]
    assert got[1][1:4] == ["across", "across", "tall"] and got[3][3] == "tall"
    # a range reaching below the last row with a value fills the rows that exist, as before
    assert len(got) == 5 and got[4][1:3] == ["2026-10-31", "2026-10-31"]


def test_merged_customer_block_in_a_ledger(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([None, *LEDGER_HEADER])
    sheet.append([None, "C1", "深圳华强电子有限公司", "F1", "2026-08-01", "2026-08-31", 100])
    sheet.append([None, None, None, "F2", "2026-09-01", "2026-09-30", 200])
    sheet.append([None, "C2", "Beta", "F3", "2026-09-01", "2026-09-30", 50])
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    path = tmp_path / "merged_ledger.xlsx"
    book.save(path)
    result = run_on(path, as_of=AS_OF)
    items = result.open_items.set_index("doc_no")
    assert items["customer_id"].to_dict() == {"F1": "C1", "F2": "C1", "F3": "C2"}
    assert items.loc["F2", "customer_name"] == "深圳华强电子有限公司"
    assert result.summary["exceptions"] == 0


def test_chart_sheets_are_skipped_and_hidden_sheets_read(tmp_path, fast_only):
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Ledger"
    for row in [LEDGER_HEADER, ["C1", "Alpha", "I1", "2026-09-01", "2026-09-30", 100]]:
        data.append(row)
    chart = BarChart()
    chart.add_data(Reference(data, min_col=6, min_row=2, max_row=2))
    book.create_chartsheet("Chart").add_chart(chart)
    hidden = book.create_sheet("Notes")
    hidden["A1"] = "kept"
    hidden.sheet_state = "hidden"
    path = tmp_path / "charts.xlsx"
    book.save(path)
    sheets = read_file(path, max_rows=1000, max_unzipped_mb=10)
    assert [s.name for s in sheets] == ["Ledger", "Notes"]
    assert run_on(path, as_of=AS_OF).open_items["open_minor"].tolist() == [10000]


def test_large_amounts_and_float_noise_parse_as_before(tmp_path, fast_only):
    rows = [["C1", "Alpha", f"I{i}", "2026-09-01", "2026-09-30", 1] for i in range(1, 5)]
    plain = ledger_workbook(tmp_path / "plain.xlsx", rows)
    amounts = ["12345678.91", "98765432.1", "1234.5649999999998", "0.30000000000000004"]
    xml = {f"F{i + 2}": f'<c r="F{i + 2}"><v>{a}</v></c>' for i, a in enumerate(amounts)}
    result = run_on(with_cells(plain, tmp_path / "large.xlsx", xml), as_of=AS_OF)
    # 1234.5649999999998 rounds half up to 1234.56: the digits the float holds, as before
    # (fastexcel's own text, 1234.565, would round to 1234.57)
    assert result.open_items.set_index("doc_no")["open_minor"].to_dict() == {
        "I1": 1234567891,
        "I2": 9876543210,
        "I3": 123456,
        "I4": 30,
    }


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_fixtures_read_alike_through_either_reader(suffix):
    path = Path(__file__).resolve().parent / "fixtures" / f"ledger.{suffix}"
    (sheet,) = read_file(path, max_rows=1000, max_unzipped_mb=10)
    assert grid(sheet) == reference(path)["AR ledger"]


def test_totals_rows_are_found_without_a_document_date_column(tmp_path):
    lines = ["Customer ID,Customer Name,Doc No,Due Date,Open Balance"]
    lines += [f"C{i % 7},Name {i % 7},D{i},2026-09-30,1.00" for i in range(3000)]
    lines += ["Total,,,,3000.00", ",,,Sum Yacht Ltd,"]  # a name with 'Sum' is no totals row
    path = tmp_path / "open.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_on(path, as_of=AS_OF)
    recon = result.reconciliation
    control = recon[recon["line"].str.startswith("control")]
    assert control[["amount_minor", "status"]].values.tolist() == [[300000, "ok"]]
    assert len(result.open_items) == 3000


def test_sheet_rows_and_columns_agree(tmp_path):
    path = ledger_workbook(tmp_path / "small.xlsx", [["C1", "Alpha", "I1", None, None, 1]])
    sheet = read_one(path)
    frame = pd.DataFrame({i: sheet.column(i).to_pylist() for i in range(sheet.width)})
    assert frame.values.tolist() == sheet.rows(range(sheet.height)) == sheet.head(10)
    assert sheet.column(40).to_pylist() == [""] * sheet.height


def test_cells_noted_across_the_scans_chunk_boundaries(tmp_path, fast_only):
    # several MiB of sheet XML: the safety pass reads it a MiB at a time, so numbers to keep
    # exact and text that looks typed fall on every side of a chunk boundary
    path = tmp_path / "long.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})  # inline strings
    sheet = book.add_worksheet("Cells")
    for row in range(40_000):
        sheet.write_string(row, 0, f"row {row}")
        sheet.write_number(row, 1, 0.1234567891234567 + row)  # fastexcel: nine decimals
        sheet.write_string(row, 2, "2026-10-31 00:00:00" if row % 7 == 0 else "text")
        sheet.write_number(row, 3, 12345678.5 + row)
    book.close()
    got = grid(read_one(path))
    assert got == reference(path)["Cells"]
    assert got[0][1:] == ["0.1234567891234567", "2026-10-31 00:00:00", "12345678.5"]


def test_cells_with_a_namespace_prefix_are_read_cell_by_cell(tmp_path, cell_by_cell):
    # <x:c r="B1"> escapes the safety pass's patterns, so it cannot note what fastexcel misses
    plain = with_openpyxl(tmp_path / "plain.xlsx", CELLS)
    path = tmp_path / "prefixed.xlsx"
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == member:
                data = re.sub(rb"<(/?)([a-zA-Z]+)([ >/])", rb"<\1x:\2\3", data)
                data = data.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")
            new.writestr(info, data)
    assert grid(read_one(path)) == reference(path)["Cells"]
    assert cell_by_cell == [path]
