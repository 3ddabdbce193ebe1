"""Evaluate the Rust-backed writer (rustpy_xlsxwriter) against what our one table writer does.

    python bench/writer_eval.py                  # feature table, then timings at 300,000 rows
    python bench/writer_eval.py --rows 30000     # quicker timings
    python bench/writer_eval.py --skip-timing    # feature table only

Issue #6 asks whether rust_xlsxwriter, through its Python binding rustpy_xlsxwriter (pinned in
bench/requirements.txt), can write the large detail sheets behind `aging.xlsx_table.write_table`.
For every feature that writer uses, this script tries it with rustpy_xlsxwriter on a small frame,
reads the result back with openpyxl (and reads the XML inside the zip where openpyxl cannot
tell), writes the same data twice to see whether the files are byte-identical, converts the file
with LibreOffice headless to prove it opens, and times an Open-items-shaped frame written by
rustpy_xlsxwriter, by xlsxwriter (constant_memory, a format per cell) and by `write_table`
itself. Every status in the table comes from what the check observed, not from this docstring.
Findings and the recommendation: docs/rust_writer.md. Never part of the tests (LibreOffice and
timings are slow and noisy).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aging.age import bucket_labels
from aging.labels import grade_label
from aging.model import GRADE_DTYPE, GRADES
from aging.xlsx_table import TONES, Book, ColumnSpec, money_format, write_table

AS_OF = date(2026, 10, 31)
SHEET = "Open items"
LOG = "Contact log"
TITLE = "Open items · as of 2026-10-31"
SUBTITLE = "One row per document with something still open"
MONEY2 = money_format(2)
MONEY0 = money_format(0)
UNSAFE = ['=HYPERLINK("http://evil.example","x")', "+123", "@SUM(A1)", "-1+2", "http://x.example/"]
CHANNELS = ["phone", "sms", "email", "letter", "visit", "lawyer"]


@dataclass
class Finding:
    feature: str
    status: str  # yes | no | partial | not checked
    how: str


# --- the small frames ------------------------------------------------------------------------


def small_frame() -> pd.DataFrame:
    """Open items as the close workbook shows them (labels already in display text)."""
    n = 6
    return pd.DataFrame(
        {
            "Customer": ["00123", "C002", "C003", "C004", "C005", "C006"],
            "Name": ["Acme 有限公司", *UNSAFE],
            "Go to": [f"internal:'{LOG}'!A{4 + i}" for i in range(n)],
            "Doc date": pd.to_datetime(
                ["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05", "2026-06-05"]
            ),
            "Currency": ["CNY", "CNY", "JPY", "CNY", "USD", "CNY"],
            "Open": [1234.5, -20.0, 150000.0, 0.01, 99.99, 5000.0],
            "Grade": [grade_label(g) for g in (*GRADES, "bad")],
            "Next action": [
                "Phone call",
                "Reminder letter and call: the customer asked for a statement of account first",
                "",
                "Visit",
                "Lawyer's letter",
                "Agency",
            ],
        }
    )


def contact_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Customer": ["C001", "C002", None, None],
            "Contact date": [None, None, None, None],
            "Channel": [None, None, None, None],
            "Promise amount": [None, None, None, None],
        }
    )


def _fmt(**props):
    """A rustpy_xlsxwriter Format from xlsxwriter-style properties (the ones we use)."""
    from rustpy_xlsxwriter import Format

    fmt = Format()
    setters = {
        "bold": lambda f, v: f.set_bold() if v else f,
        "italic": lambda f, v: f.set_italic() if v else f,
        "font_size": lambda f, v: f.set_font_size(v),
        "font_name": lambda f, v: f.set_font_name(v),
        "font_color": lambda f, v: f.set_font_color(v),
        "bg_color": lambda f, v: f.set_background_color(v),
        "num_format": lambda f, v: f.set_num_format(v),
        "text_wrap": lambda f, v: f.set_text_wrap() if v else f,
        "align": lambda f, v: f.set_align(v),
        "locked": lambda f, v: f if v else f.set_unlocked(),
        "top": lambda f, v: f.set_border_top("thin") if v else f,
        "bottom": lambda f, v: f.set_border_bottom("double") if v else f,
    }
    for key, value in props.items():
        fmt = setters[key](fmt, value)
    return fmt


def grade_rules() -> list[dict]:
    """Grade fills as conditional rules: the only per-value styling the binding offers."""
    return [
        {
            "type": "text",
            "criteria": "begins_with",
            "value": grade_label(g),
            "format": _fmt(bg_color=TONES[g]["bg_color"], font_color=TONES[g]["font_color"]),
        }
        for g in GRADES
    ]


def write_full(path: Path) -> None:
    """A two-sheet workbook using every feature the binding has for our detail sheets and pack
    contact log: the file the openpyxl, XML and LibreOffice checks read."""
    from rustpy_xlsxwriter import write_worksheets

    frame, log = small_frame(), contact_frame()
    header = _fmt(bold=True, font_color="#FFFFFF", bg_color="#1F4E78", text_wrap=True)
    width = len(frame.columns) - 1
    write_worksheets(
        [(SHEET, frame), (LOG, log)],
        str(path),
        password="",  # sheet protection without a password, as the packs
        freeze_panes={SHEET: {"row": 3, "col": 2}, LOG: {"row": 1, "col": 1}},
        datetime_format="yyyy-mm-dd",
        header_row={SHEET: 2},
        merge_ranges={
            SHEET: [
                (0, 0, 0, width, TITLE, _fmt(bold=True, font_size=14)),
                (1, 0, 1, width, SUBTITLE, _fmt(italic=True)),
            ]
        },
        header_format={SHEET: header, LOG: header},
        column_formats={
            SHEET: {"Open": _fmt(num_format=MONEY2), "Next action": _fmt(text_wrap=True)},
            LOG: {
                "Contact date": _fmt(locked=False, num_format="yyyy-mm-dd"),
                "Channel": _fmt(locked=False),
                "Promise amount": _fmt(locked=False, num_format=MONEY2),
            },
        },
        column_widths={SHEET: {"Name": 30, "Next action": 40}},
        row_heights={SHEET: {4: 45}},
        autofilter={SHEET: True},
        url_columns={SHEET: {"Go to": "Name"}},
        totals_row={SHEET: {"Open": "=SUBTOTAL(109,{col}{first}:{col}{last})"}},
        totals_label={SHEET: "Total"},
        totals_format={SHEET: _fmt(bold=True, top=True, bottom=True, num_format=MONEY2)},
        page_setup={
            SHEET: {
                "landscape": True,
                "paper_size": 9,
                "fit_to_pages": (1, 0),
                "margins": {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6},
                "repeat_rows": 2,
                "header": "&LAR close&R&A",
                "footer": "&LAs of 2026-10-31&RPage &P of &N",
            }
        },
        conditional_formats={SHEET: {"Grade": grade_rules()}},
        data_validations={
            LOG: {
                "Channel": {
                    "type": "list",
                    "values": CHANNELS,
                    "input_title": "Channel",
                    "input_message": "Pick one",
                    "error_message": ", ".join(CHANNELS),
                },
                "Promise amount": {"type": "decimal", "criteria": ">=", "value": 0},
                "Contact date": {
                    "type": "custom",
                    "formula": "=AND(B2>=DATE(2000,1,1),B2<=DATE(2099,12,31))",
                },
            }
        },
        charts={
            SHEET: [
                {
                    "type": "column",
                    "series": ["Open"],
                    "categories": "Customer",
                    "title": "Open by customer",
                    "row": 12,
                    "col": 0,
                }
            ]
        },
    )


def write_rust(path: Path, frame: pd.DataFrame, **options) -> list[str]:
    """One sheet; returns the warnings the binding gave (an option it skips is a finding)."""
    from rustpy_xlsxwriter import write_worksheet

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_worksheet(frame, str(path), sheet_name=SHEET, **options)
    return [str(w.message) for w in caught]


# --- reading back ----------------------------------------------------------------------------


def sheet_xml(path: Path, number: int = 1) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8") if name in z.namelist() else ""


def status(ok: bool, partly: bool = False) -> str:
    return "yes" if ok else "partial" if partly else "no"


# --- the checks: each returns what it saw ----------------------------------------------------


def check_titles(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    ok = ws["A1"].value == TITLE and ws["A2"].value == SUBTITLE and ws["A3"].value == "Customer"
    single = "a one-cell merge is accepted"
    try:
        write_rust(
            work / "title1.xlsx", small_frame(), header_row=1, merge_ranges=[(0, 0, 0, 0, TITLE)]
        )
    except Exception as error:  # the binding raises RuntimeError here
        single = f"a one-cell title raises ({type(error).__name__})"
    return Finding(
        "title lines above the header",
        status(ok),
        f"header_row=2 + merge_ranges: openpyxl reads A1/A2 titles, A3 header; {single}, so "
        "each title is merged across the table",
    )


def check_header_format(full: Path, work: Path) -> Finding:
    cell = openpyxl.load_workbook(full)[SHEET]["A3"]
    fill = (cell.fill.fgColor.rgb or "")[-6:]
    ok = cell.font.b and fill == "1F4E78" and cell.alignment.wrap_text
    return Finding(
        "header row format (bold, fill, wrap)",
        status(bool(ok)),
        f"header_format: A3 bold={cell.font.b}, fill={fill}, wrap={cell.alignment.wrap_text}",
    )


def check_money_fixed(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    cell = ws["F4"]
    ok = cell.number_format == MONEY2 and cell.value == 1234.5
    return Finding(
        "money, fixed decimals per column",
        status(ok),
        f"column_formats: F4 = {cell.value!r}, format {cell.number_format!r}",
    )


def check_money_per_row(full: Path, work: Path) -> Finding:
    """Decimals per row from the currency column: one Format per column is all there is; the
    only per-row styling, row_formats, is tried too (it also restyles the row's date cells)."""
    frame = small_frame()[["Customer", "Doc date", "Currency", "Open"]]
    path = work / "per_row.xlsx"
    jpy = [i + 1 for i, c in enumerate(frame["Currency"]) if c == "JPY"]
    write_rust(
        path,
        frame,
        datetime_format="yyyy-mm-dd",
        column_formats={"Open": _fmt(num_format=MONEY2)},
        row_formats=dict.fromkeys(jpy, _fmt(num_format=MONEY0)),
    )
    ws = openpyxl.load_workbook(path)[SHEET]
    row = jpy[0] + 1
    money, when = ws.cell(row, 4).number_format, ws.cell(row, 2).number_format
    ok = money == MONEY0 and when == "yyyy-mm-dd"
    return Finding(
        "money, decimals per row from a currency column",
        status(ok),
        f"JPY row given row_formats #,##0 over a money column format: the money cell shows "
        f"{money!r}, the row's date cell {when!r}",
    )


def check_dates(full: Path, work: Path) -> Finding:
    cell = openpyxl.load_workbook(full)[SHEET]["D4"]
    ok = cell.is_date and cell.number_format == "yyyy-mm-dd"
    return Finding(
        "dates as dates (yyyy-mm-dd)",
        status(ok),
        f"datetime64 column: D4 = {cell.value!r}, format {cell.number_format!r}",
    )


def check_value_formats(full: Path, work: Path) -> Finding:
    """Grade fills / coded-value tones: a format chosen per cell by its value."""
    ws = openpyxl.load_workbook(full)[SHEET]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    texts = {r.text for r in rules if r.type == "beginsWith"}
    own_fill = ws["G7"].fill.fill_type  # the "Bad" cell: any fill of its own?
    have = all(grade_label(g) in texts for g in GRADES)
    return Finding(
        "per-cell format chosen by value (grade fills, coded-value tones)",
        status(have and own_fill is not None, partly=have),
        f"no per-cell format; conditional_formats text rules: {len(texts)} beginsWith rules "
        f"on the grade column, the cell's own fill is {own_fill!r} (a live rule, not a style; "
        "a coded-value tone needs one rule per code)",
    )


def check_categorical(full: Path, work: Path) -> Finding:
    frame = pd.DataFrame(
        {"Grade": pd.Categorical(["bad", "dead"], dtype=GRADE_DTYPE), "Open": [1.0, 2.0]}
    )
    path = work / "categorical.xlsx"
    said = write_rust(path, frame)
    values = [c.value for c in openpyxl.load_workbook(path)[SHEET]["A"]][1:]
    ok = values == ["bad", "dead"]
    return Finding(
        "pandas categorical columns (our grade, bucket)",
        status(ok),
        f"Categorical column written without an error, warnings {said}; read back {values}",
    )


def check_row_tones(full: Path, work: Path) -> Finding:
    frame = small_frame()[["Customer", "Currency", "Open"]]
    path = work / "row_tones.xlsx"
    tone = _fmt(bg_color=TONES["error"]["bg_color"])
    last = len(frame)
    write_rust(
        path,
        frame,
        column_formats={"Open": _fmt(num_format=MONEY2)},
        row_formats={2: tone, last: tone},
    )
    ws = openpyxl.load_workbook(path)[SHEET]
    text_fill = (ws["A3"].fill.fgColor.rgb or "")[-6:]
    money_fill = ws["C3"].fill.fill_type
    rows = re.findall(r'<row r="(\d+)"', sheet_xml(path))
    unique = len(rows) == len(set(rows))
    ok = text_fill == TONES["error"]["bg_color"][1:] and money_fill is not None and unique
    return Finding(
        "row tones (a whole row coloured)",
        status(ok, partly=bool(text_fill)),
        f"row_formats: text cell fill {text_fill or None}, money cell with a column format "
        f"fill {money_fill!r}; a row format on the last data row writes <row r> twice "
        f"({'no' if unique else 'yes'}: rows {rows})",
    )


def check_links(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    cell = ws["C4"]
    link = cell.hyperlink.location if cell.hyperlink else None
    ok = link == f"'{LOG}'!A4" and cell.value == ws["B4"].value
    twice = [c.value for c in ws["B"][3:]] == [c.value for c in ws["C"][3:]]
    return Finding(
        "internal hyperlinks to other sheets",
        status(ok and not twice, partly=ok),
        f"url_columns {{link: text}}: C4 shows {cell.value!r}, links to {link!r}; the text "
        f"column is also written as a column of its own (B repeats C: {twice})",
    )


def check_totals(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    formula, label_ = ws["F10"].value, ws["A10"].value
    cached = openpyxl.load_workbook(full, data_only=True)[SHEET]["F10"].value
    xml_cell = re.search(r'<c r="F10"[^>]*>.*?</c>', sheet_xml(full))
    ok_formula = formula == "=SUBTOTAL(109,F4:F9)" and label_ == "Total"
    return Finding(
        "totals row SUBTOTAL(109, ...) with cached values",
        status(ok_formula and cached not in (None, ""), partly=ok_formula),
        f"totals_row template: F10 {formula!r}, label {label_!r}; cached value {cached!r} "
        f"({xml_cell.group(0) if xml_cell else 'no cell'}): readers of cached values "
        "(pandas, openpyxl data_only) see nothing until Excel/LibreOffice recalculates",
    )


def check_autofilter(full: Path, work: Path) -> Finding:
    ref = openpyxl.load_workbook(full)[SHEET].auto_filter.ref
    return Finding("autofilter", status(ref == "A3:H9"), f"autofilter=True: ref {ref!r}")


def check_freeze(full: Path, work: Path) -> Finding:
    pane = openpyxl.load_workbook(full)[SHEET].freeze_panes
    return Finding(
        "freeze panes (rows and columns)",
        status(pane == "C4"),
        f"freeze_panes row 3 col 2: {pane!r}",
    )


def check_print_rows(full: Path, work: Path) -> Finding:
    rows = openpyxl.load_workbook(full)[SHEET].print_title_rows
    return Finding(
        "repeated print rows",
        status((rows or "").replace("$", "") == "3:3"),
        f"page_setup repeat_rows: print titles {rows!r}",
    )


def check_header_footer(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    seen = (ws.oddHeader.left.text, ws.oddHeader.right.text, ws.oddFooter.right.text)
    ok = seen == ("AR close", "&A", "Page &P of &N")
    return Finding("page header / footer", status(ok), f"page_setup header/footer: {seen}")


def check_page(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    setup = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None
    seen = (
        setup.orientation,
        setup.paperSize,
        fit,
        setup.fitToWidth,
        setup.fitToHeight,
        ws.page_margins.left,
    )
    ok = seen[:3] == ("landscape", 9, True) and seen[3] in (None, 1) and seen[4] == 0
    return Finding(
        "landscape, A4, fit to one page wide, margins",
        status(ok and seen[5] == 0.4),
        f"page_setup: orientation, paper, fitToPage, width, height, left = {seen}",
    )


def check_widths(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    width, height = ws.column_dimensions["B"].width, ws.row_dimensions[5].height
    wrap = ws["H5"].alignment.wrap_text
    ok = round(width) == 31 and height == 45 and wrap
    return Finding(
        "column widths, row heights, wrapped text",
        status(ok),
        f"column_widths / row_heights / Format.set_text_wrap: B width {width}, "
        f"row 5 height {height}, H5 wrap {wrap}",
    )


def check_several_tables(full: Path, work: Path) -> Finding:
    from rustpy_xlsxwriter import write_worksheets

    try:
        write_worksheets(
            [(SHEET, small_frame()), (SHEET, small_frame())], str(work / "two_tables.xlsx")
        )
        seen = "accepted"
    except Exception as error:  # the binding raises OSError
        seen = f"{type(error).__name__}: {str(error)[:70]}"
    return Finding(
        "several tables on one sheet",
        "not checked" if seen == "accepted" else "no",
        f"one frame per sheet, one header_row; a second frame for the same sheet: {seen}",
    )


def column_unlocked(path: Path, sheet: int, col: int) -> bool:
    """Whether the column's default style (what a typed-in cell takes) is unlocked."""
    xml = sheet_xml(path, sheet)
    found = re.search(rf'<col min="{col}" max="{col}"[^>]*style="(\d+)"', xml)
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", part(path, "xl/styles.xml"), re.S)
    if not found or not xfs:
        return False
    styles = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs.group(1), re.S)
    return 'locked="0"' in styles[int(found.group(1))]


def check_protection(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[LOG]
    protected = ws.protection.sheet
    unlocked = all(column_unlocked(full, 2, col) for col in (2, 3, 4))
    # Our packs allow filter, sort, column/row formats and (contact log) inserting rows.
    allowed = not ws.protection.autoFilter and not ws.protection.sort
    ok = protected and unlocked and allowed
    return Finding(
        "unlocked input cells under sheet protection",
        status(ok, partly=protected and unlocked),
        f"password='' protects: {protected}; column_formats set_unlocked: the input columns' "
        f"style is unlocked {unlocked} (whole columns, blank cells are not written); options "
        f"(allow autofilter, sort, insert rows) cannot be set: autofilter allowed "
        f"{not ws.protection.autoFilter}, sort allowed {not ws.protection.sort}",
    )


def check_validation_list(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[LOG]
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    ok = bool(lists) and lists[0].formula1 == '"' + ",".join(CHANNELS) + '"'
    where = str(lists[0].sqref) if lists else None
    return Finding(
        "data validation lists (drop-downs)",
        status(ok),
        f"data_validations type list: {len(lists)} rule over {where}, with input "
        f"title {lists[0].promptTitle if lists else None!r}",
    )


def check_validation_other(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[LOG]
    kinds = sorted(v.type for v in ws.data_validations.dataValidation)
    try:
        write_rust(
            work / "date_rule.xlsx",
            contact_frame(),
            data_validations={
                "Contact date": {"type": "date", "criteria": ">=", "value": "2000-01-01"}
            },
        )
        date_rule = "accepted"
    except ValueError:
        date_rule = "raises ValueError (unknown type)"
    ok = "decimal" in kinds and "custom" in kinds
    return Finding(
        "data validation: date range, amount >= 0",
        status(ok and date_rule == "accepted", partly=ok),
        f"rules written: {kinds}; type 'date' {date_rule}, so the date range is a custom formula",
    )


def cached_values(path: Path) -> list[str]:
    """The value cache of the chart's (last) series."""
    cached = re.findall(r"<c:numCache>(.*?)</c:numCache>", part(path, "xl/charts/chart1.xml"), re.S)
    return re.findall(r"<c:pt idx=\"\d+\"><c:v>([^<]*)</c:v>", cached[-1]) if cached else []


def check_charts(full: Path, work: Path) -> Finding:
    refs = re.findall(r"<c:f>(.*?)</c:f>", part(full, "xl/charts/chart1.xml"))
    values = cached_values(full)
    frame = small_frame()
    buffered = work / "chart_buffered.xlsx"  # dedupe_strings takes the sheet out of streaming
    chart = {"type": "column", "series": ["Open"], "categories": "Customer"}
    write_rust(buffered, frame, dedupe_strings=True, charts=[chart])
    try:
        write_rust(
            work / "chart_labels.xlsx",
            frame,
            charts=[
                {"type": "bar", "series": ["Open"], "categories": "Customer", "data_labels": True}
            ],
        )
        labels = "accepted"
    except ValueError:
        labels = "raise ValueError"
    colours = work / "chart_points.xlsx"
    series = {"values": "Open", "points": [{"fill": {"color": "#F07470"}}]}
    write_rust(
        colours, frame, charts=[{"type": "bar", "categories": "Customer", "series": [series]}]
    )
    coloured = "<c:dPt>" in part(colours, "xl/charts/chart1.xml")
    other = work / "chart_other.xlsx"
    write_rust(other, frame, charts=[{"type": "bar", "series": [{"values": "'Summary'!B2:B7"}]}])
    elsewhere = bool(part(other, "xl/charts/chart1.xml"))
    ok = bool(refs) and f"'{SHEET}'!$F$4:$F$9" in refs
    complete = len(values) == len(frame) and labels == "accepted" and coloured and elsewhere
    return Finding(
        "native charts on table ranges",
        status(ok and complete, partly=ok),
        f"charts option: ranges {refs[1:] if refs else None}; value cache holds {len(values)} "
        f"of {len(frame)} points (constant memory; {len(cached_values(buffered))} with "
        f"dedupe_strings=True); data labels {labels}; per-point colours "
        f"written: {coloured}; a range on another sheet gives a chart: {elsewhere}",
    )


def check_rules(full: Path, work: Path) -> Finding:
    """Our data bars (min fixed at 0) and day scales (thresholds 180 / 365)."""
    path = work / "rules.xlsx"
    frame = pd.DataFrame({"Days": [5.0, 200.0, 400.0], "Open": [1.0, 2.0, 3.0]})
    said = write_rust(
        path,
        frame,
        conditional_formats={
            "Open": {"type": "data_bar", "color": "#9BC2E6", "min_type": "num", "min_value": 0},
            "Days": {
                "type": "3_color_scale",
                "min_color": "#C6EFCE",
                "mid_color": "#FFEB9C",
                "max_color": "#F4A6A6",
                "mid_type": "num",
                "mid_value": 180,
                "max_type": "num",
                "max_value": 365,
            },
        },
    )
    xml = sheet_xml(path)
    cfvo = re.findall(r"<cfvo [^>]*/>", xml)
    honoured = '<cfvo type="num" val="180"/>' in xml
    return Finding(
        "conditional formats: data bars, 3-colour scale with thresholds",
        status(honoured, partly=bool(cfvo)),
        f"data_bar / 3_color_scale written; min 0, mid 180, max 365 honoured: {honoured} "
        f"(warnings {said}); cfvo {cfvo}",
    )


def check_safe_strings(full: Path, work: Path) -> Finding:
    ws = openpyxl.load_workbook(full)[SHEET]
    names = [ws.cell(r, 2).value for r in range(5, 10)]
    xml = sheet_xml(full)
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    links = re.findall(r'<hyperlink ref="([A-Z]+)\d+"', xml)
    ok = (
        names == UNSAFE
        and ws["A4"].value == "00123"
        and formulas == ["SUBTOTAL(109,F4:F9)"]
        and set(links) == {"C"}
    )
    return Finding(
        "text from inputs stays text ('=', '+', '@', '-', URLs, 00123)",
        status(ok),
        f"names read back as written; formulas in the sheet: {formulas}; hyperlinks "
        f"only in column(s) {sorted(set(links))}",
    )


def check_fonts(full: Path, work: Path) -> Finding:
    path = work / "font.xlsx"
    write_rust(
        path, small_frame()[["Customer"]], column_formats={"Customer": _fmt(font_name="DengXian")}
    )
    styles = part(path, "xl/styles.xml")
    default = re.search(r'<font>.*?<name val="([^"]+)"', styles)
    return Finding(
        "workbook default font and row height per language (DengXian for zh)",
        status(False, partly=bool(re.search(r'name val="DengXian"', styles))),
        f"only per-column Format.set_font_name; the default font stays "
        f"{default.group(1) if default else None!r}, row height not settable",
    )


def check_properties(full: Path, work: Path) -> Finding:
    core = part(full, "docProps/core.xml")
    created = re.search(r"<dcterms:created[^>]*>([^<]+)<", core)
    has_title = "<dc:title>" in core
    ok = has_title and created is not None and created.group(1).startswith(AS_OF.isoformat())
    return Finding(
        "document properties (title, subject, created = as-of date)",
        status(ok),
        f"no option; core.xml title present: {has_title}, created "
        f"{created.group(1) if created else None} (the clock at writing)",
    )


def check_sheets(full: Path, work: Path) -> Finding:
    book = openpyxl.load_workbook(full)
    ok = book.sheetnames == [SHEET, LOG] and book[LOG].freeze_panes == "B2"
    return Finding(
        "several sheets, options per sheet",
        status(ok),
        f"write_worksheets: sheets {book.sheetnames}, {LOG} frozen at {book[LOG].freeze_panes}",
    )


def normalise_core(path: Path, out: Path, as_of: date) -> None:
    """Rewrite docProps/core.xml's dates to the as-of date; every other member is copied as is
    (the binding stores fixed 1980 timestamps in the zip)."""
    stamp = f"{as_of.isoformat()}T00:00:00Z"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]+",
                    rf"\g<1>{stamp}",
                    data.decode("utf-8"),
                )
                data = text.encode("utf-8")
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def check_byte_stable(full: Path, work: Path) -> Finding:
    first, second = work / "stable_a.xlsx", work / "stable_b.xlsx"
    write_full(first)
    time.sleep(1.1 - time.time() % 1)  # the next wall-clock second
    write_full(second)
    same = first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        differ = [n for n in a.namelist() if a.read(n) != b.read(n)]
    fixed_a, fixed_b = work / "stable_a2.xlsx", work / "stable_b2.xlsx"
    normalise_core(first, fixed_a, AS_OF)
    normalise_core(second, fixed_b, AS_OF)
    fixed = fixed_a.read_bytes() == fixed_b.read_bytes()
    return Finding(
        "byte-identical output for the same inputs",
        status(same, partly=fixed),
        f"two writes a second apart identical: {same}; members that differ: {differ}; after "
        f"rewriting core.xml's dates to the as-of date: identical {fixed}",
    )


def libreoffice(path: Path, kind: str, work: Path) -> Path | None:
    """Convert with LibreOffice headless (own profile, so parallel runs do not collide)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    outdir = work / f"lo_{kind.split(':')[0]}"
    profile = (work / "lo_profile").resolve().as_uri()
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    made = outdir / (path.stem + "." + kind.split(":")[0])
    return made if made.exists() and made.stat().st_size else None


def check_libreoffice(full: Path, work: Path) -> Finding:
    if not (shutil.which("libreoffice") or shutil.which("soffice")):
        return Finding(
            "LibreOffice opens it",
            "not checked",
            "libreoffice not installed (apt-get install -y libreoffice-calc)",
        )
    pdf = libreoffice(full, "pdf", work)
    text = ""
    if pdf and shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False
        ).stdout
    csv = libreoffice(full, "csv:Text - txt - csv (StarCalc):44,34,76", work)  # UTF-8
    total = None
    if csv:
        lines = csv.read_text(encoding="utf-8", errors="replace").splitlines()
        total = next((ln for ln in lines if ln.startswith("Total")), None)
    expected = round(sum(small_frame()["Open"]), 2)
    numbers = re.findall(r"-?\d[\d,]*\.?\d*", total or "")
    recalculated = any(float(n.replace(",", "")) == expected for n in numbers)
    seen = "title in the PDF text" if TITLE.split(" ·")[0] in text else "no text check"
    duplicate = work / "row_tones.xlsx"  # written by check_row_tones, with a <row> twice
    tolerant = duplicate.exists() and libreoffice(duplicate, "pdf", work) is not None
    return Finding(
        "LibreOffice opens it",
        status(pdf is not None and recalculated, partly=pdf is not None),
        f"--convert-to pdf: {'made' if pdf else 'failed'} ({seen}); --convert-to csv totals "
        f"row {total!r} (recalculated {expected}: {recalculated}); the row-tones file with "
        f"a duplicate <row> converts too: {tolerant}",
    )


CHECKS: list[Callable[[Path, Path], Finding]] = [
    check_titles,
    check_header_format,
    check_money_fixed,
    check_money_per_row,
    check_dates,
    check_value_formats,
    check_categorical,
    check_row_tones,
    check_links,
    check_totals,
    check_autofilter,
    check_freeze,
    check_print_rows,
    check_header_footer,
    check_page,
    check_widths,
    check_several_tables,
    check_sheets,
    check_protection,
    check_validation_list,
    check_validation_other,
    check_charts,
    check_rules,
    check_safe_strings,
    check_fonts,
    check_properties,
    check_byte_stable,
    check_libreoffice,
]


def features(work: Path) -> list[Finding]:
    full = work / "full.xlsx"
    write_full(full)
    found = []
    for check in CHECKS:
        try:
            found.append(check(full, work))
        except Exception as error:  # a crashing check is a finding too
            found.append(Finding(check.__name__, "no", f"check failed: {error!r}"[:200]))
    return found


# --- timings ---------------------------------------------------------------------------------

DOC_TYPES = {"invoice": "Invoice", "adjustment": "Adjustment", "open_item": "Open item"}
DECIMALS = {"CNY": 2, "JPY": 0}


def open_items(rows: int, seed: int = 20261031) -> pd.DataFrame:
    """A seeded Open-items frame as the pipeline hands it over: minor units, categoricals."""
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, max(rows // 7, 1), rows)
    currency = np.where(rng.random(rows) < 0.1, "JPY", "CNY")
    amount = rng.integers(10_000, 50_000_000, rows)
    open_minor = (amount * rng.random(rows)).astype("int64") + 1
    base = np.where(currency == "JPY", (open_minor * 4.8).astype("int64"), open_minor)
    doc_date = pd.Timestamp("2023-11-01") + pd.to_timedelta(rng.integers(0, 1095, rows), "D")
    due = doc_date + pd.Timedelta(days=30)
    days = (pd.Timestamp(AS_OF) - due).days.to_numpy()
    bounds = [0, 30, 60, 90, 180, 365, 730, 1095]
    bucket = pd.Categorical.from_codes(
        np.searchsorted(bounds, days, side="left"),
        categories=bucket_labels(bounds, "en"),
        ordered=True,
    )
    grade = np.select(
        [days > 1095, days > 365, days > 180, days >= 1],
        ["dead", "bad", "doubtful", "in_collection"],
        "not_due",
    )
    rate = np.select([days > 730, days > 365], [0.3, 0.1], 0.05)
    reps = np.array([f"Rep {i:02d}" for i in range(40)])
    return pd.DataFrame(
        {
            "customer_id": pd.Series(customers).map("C{:06d}".format),
            "customer_name": pd.Series(customers).map("客户{:06d}有限公司".format),
            "doc_no": [f"D{i:08d}" for i in range(rows)],
            "doc_type": rng.choice(list(DOC_TYPES), rows, p=[0.9, 0.05, 0.05]),
            "doc_date": doc_date.astype("datetime64[s]"),
            "due_date": due.astype("datetime64[s]"),
            "currency": currency,
            "amount_minor": amount,
            "open_minor": open_minor,
            "open_base_minor": base,
            "days_overdue": days,
            "bucket": bucket,
            "grade": pd.Categorical(grade, dtype=GRADE_DTYPE),
            "provision_rate": rate,
            "provision_base_minor": np.floor(base * rate + 0.5).astype("int64"),
            "limitation_date": (due + pd.DateOffset(years=3)).astype("datetime64[s]"),
            "sales_rep": reps[customers % 40],
            "manager": np.where(customers % 2 == 0, "Manager A", "Manager B"),
            "region": np.where(customers % 3 == 0, "华东", "华南"),
            "src_row": np.arange(2, rows + 2),
        }
    )


def time_write_table(frame: pd.DataFrame, path: Path) -> None:
    """The product's own writer: aging.xlsx_table.write_table (xlsxwriter, constant_memory)."""
    columns = [
        ColumnSpec("customer_id", "Customer"),
        ColumnSpec("customer_name", "Name", max_width=44),
        ColumnSpec("doc_no", "Doc no"),
        ColumnSpec("doc_type", "Type", values=DOC_TYPES),
        ColumnSpec("doc_date", "Doc date", "date"),
        ColumnSpec("due_date", "Due date", "date"),
        ColumnSpec("currency", "Currency"),
        ColumnSpec("amount_minor", "Amount", "money", currency_col="currency"),
        ColumnSpec("open_minor", "Open", "money", currency_col="currency"),
        ColumnSpec("open_base_minor", "Open (CNY)", "money", decimals=2),
        ColumnSpec("days_overdue", "Days overdue", "int", total=False),
        ColumnSpec("bucket", "Bucket"),
        ColumnSpec("grade", "Grade", "grade"),
        ColumnSpec("provision_rate", "Provision rate", "pct"),
        ColumnSpec("provision_base_minor", "Provision", "money", decimals=2),
        ColumnSpec("limitation_date", "Limitation date", "date"),
        ColumnSpec("sales_rep", "Sales rep"),
        ColumnSpec("manager", "Manager"),
        ColumnSpec("region", "Region"),
        ColumnSpec("src_row", "Row", "int", num_format="0", total=False),
    ]
    with Book(path, as_of=AS_OF, title="AR close") as book:
        book.write_line(SHEET, TITLE, role="title")
        book.skip_rows(SHEET)
        write_table(book, SHEET, frame, columns, freeze_cols=2, currency_decimals=DECIMALS)


def time_xlsxwriter(frame: pd.DataFrame, path: Path) -> None:
    """xlsxwriter constant_memory, a format per cell (grade fill, decimals by currency)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet(SHEET)
    header = book.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"})
    text, date_fmt = book.add_format({"indent": 1}), book.add_format({"num_format": "yyyy-mm-dd"})
    money = {d: book.add_format({"num_format": money_format(d)}) for d in (0, 2)}
    pct, whole = book.add_format({"num_format": "0.0%"}), book.add_format({"num_format": "#,##0"})
    grades = {g: book.add_format(TONES[g]) for g in GRADES}
    serial = {
        c: ((frame[c] - pd.Timestamp("1899-12-30")).dt.days).tolist()
        for c in ("doc_date", "due_date", "limitation_date")
    }
    dec = frame["currency"].map(DECIMALS).to_numpy()
    scale = np.power(10.0, dec)
    cols = {
        "amount": (frame["amount_minor"] / scale).tolist(),
        "open": (frame["open_minor"] / scale).tolist(),
        "base": (frame["open_base_minor"] / 100).tolist(),
        "prov": (frame["provision_base_minor"] / 100).tolist(),
    }
    texts = {
        c: frame[c].astype(str).tolist()
        for c in (
            "customer_id",
            "customer_name",
            "doc_no",
            "currency",
            "bucket",
            "sales_rep",
            "manager",
            "region",
        )
    }
    doc_type = frame["doc_type"].map(DOC_TYPES).tolist()
    grade = frame["grade"].astype(str).tolist()
    days, rate, src = (frame[c].tolist() for c in ("days_overdue", "provision_rate", "src_row"))
    decs = dec.tolist()
    sheet.write_row(0, 0, [f"c{i}" for i in range(20)], header)
    for i in range(len(frame)):
        r, m = i + 1, money[decs[i]]
        sheet.write_string(r, 0, texts["customer_id"][i], text)
        sheet.write_string(r, 1, texts["customer_name"][i], text)
        sheet.write_string(r, 2, texts["doc_no"][i], text)
        sheet.write_string(r, 3, doc_type[i], text)
        sheet.write_number(r, 4, serial["doc_date"][i], date_fmt)
        sheet.write_number(r, 5, serial["due_date"][i], date_fmt)
        sheet.write_string(r, 6, texts["currency"][i], text)
        sheet.write_number(r, 7, cols["amount"][i], m)
        sheet.write_number(r, 8, cols["open"][i], m)
        sheet.write_number(r, 9, cols["base"][i], money[2])
        sheet.write_number(r, 10, days[i], whole)
        sheet.write_string(r, 11, texts["bucket"][i], text)
        sheet.write_string(r, 12, grade_label(grade[i]), grades[grade[i]])
        sheet.write_number(r, 13, rate[i], pct)
        sheet.write_number(r, 14, cols["prov"][i], money[2])
        sheet.write_number(r, 15, serial["limitation_date"][i], date_fmt)
        sheet.write_string(r, 16, texts["sales_rep"][i], text)
        sheet.write_string(r, 17, texts["manager"][i], text)
        sheet.write_string(r, 18, texts["region"][i], text)
        sheet.write_number(r, 19, src[i])
    sheet.autofilter(0, 0, len(frame), 19)
    sheet.freeze_panes(1, 2)
    book.close()


def rust_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """What the binding needs: display text, no categoricals, major units."""
    scale = np.power(10.0, frame["currency"].map(DECIMALS).to_numpy())
    return pd.DataFrame(
        {
            "Customer": frame["customer_id"],
            "Name": frame["customer_name"],
            "Doc no": frame["doc_no"],
            "Type": frame["doc_type"].map(DOC_TYPES),
            "Doc date": frame["doc_date"],
            "Due date": frame["due_date"],
            "Currency": frame["currency"],
            "Amount": frame["amount_minor"] / scale,
            "Open": frame["open_minor"] / scale,
            "Open (CNY)": frame["open_base_minor"] / 100,
            "Days overdue": frame["days_overdue"],
            "Bucket": frame["bucket"].astype(str),
            "Grade": frame["grade"].astype(str).map(grade_label),
            "Provision rate": frame["provision_rate"],
            "Provision": frame["provision_base_minor"] / 100,
            "Limitation date": frame["limitation_date"],
            "Sales rep": frame["sales_rep"],
            "Manager": frame["manager"],
            "Region": frame["region"],
            "Row": frame["src_row"],
        }
    )


def time_rust(frame: pd.DataFrame, path: Path) -> None:
    """rustpy_xlsxwriter with what it offers for this sheet: column formats (2 decimals for
    every row), grade fills as conditional rules, totals, filter, panes, print setup."""
    data = rust_frame(frame)
    total = "=SUBTOTAL(109,{col}{first}:{col}{last})"
    money = _fmt(num_format=MONEY2)
    write_rust(
        path,
        data,
        header_row=2,
        merge_ranges=[(0, 0, 0, 19, TITLE, _fmt(bold=True, font_size=14))],
        datetime_format="yyyy-mm-dd",
        header_format=_fmt(bold=True, font_color="#FFFFFF", bg_color="#1F4E78"),
        column_formats={
            "Amount": money,
            "Open": money,
            "Open (CNY)": money,
            "Provision": money,
            "Provision rate": _fmt(num_format="0.0%"),
            "Days overdue": _fmt(num_format="#,##0"),
        },
        column_widths={"Name": 30, "Doc date": 11, "Due date": 11, "Limitation date": 11},
        autofilter=True,
        freeze_row=3,
        freeze_col=2,
        totals_row={"Open (CNY)": total, "Provision": total},
        totals_label="Total",
        page_setup={
            "landscape": True,
            "paper_size": 9,
            "fit_to_pages": (1, 0),
            "repeat_rows": 2,
        },
        conditional_formats={"Grade": grade_rules()},
    )


def time_rust_plain(frame: pd.DataFrame, path: Path) -> None:
    """rustpy_xlsxwriter with no formatting at all: the binding's floor."""
    write_rust(path, rust_frame(frame))


WRITERS = {
    "write_table": ("aging.xlsx_table.write_table (xlsxwriter, constant_memory)", time_write_table),
    "xlsxwriter": ("xlsxwriter constant_memory, a format per cell", time_xlsxwriter),
    "rust": ("rustpy_xlsxwriter, formats + rules + totals", time_rust),
    "rust_plain": ("rustpy_xlsxwriter, no formats", time_rust_plain),
}


def time_one(name: str, rows: int, out: Path) -> dict:
    """In a child process, so each writer's peak memory is its own."""
    frame = open_items(rows)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    WRITERS[name][1](frame, out)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0)
    return {
        "seconds": seconds,
        "peak_mib": peak,
        "extra_mib": peak - before,
        "size_mb": out.stat().st_size / 1e6,
        "rows_read": sheet.total_height,
    }


def timings(rows: int, work: Path) -> list[dict]:
    results = []
    for name, (text, _) in WRITERS.items():
        out = work / f"timing_{name}.xlsx"
        done = subprocess.run(
            [sys.executable, __file__, "--one", name, "--rows", str(rows), "--out", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result.update(writer=name, text=text)
        print(f"  {text:<60} {result['seconds']:7.2f} s", flush=True)
        results.append(result)
    return results


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--one", choices=list(WRITERS), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(time_one(args.one, args.rows, args.out)))
        return

    import rustpy_xlsxwriter

    print(f"rustpy_xlsxwriter {rustpy_xlsxwriter.__version__}, openpyxl {openpyxl.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        found = features(work)
        print("\n| feature | supported | how checked |\n| --- | --- | --- |")
        for f in found:
            print(f"| {f.feature} | {f.status} | {f.how.replace('|', '/')} |")
        counts = pd.Series([f.status for f in found]).value_counts().to_dict()
        print(f"\n{len(found)} features: {counts}")
        if args.skip_timing:
            return
        print(f"\nTimings: an Open-items frame of {args.rows:,} rows x 20 columns")
        results = timings(args.rows, work)
    if not results:
        return
    base = next((r for r in results if r["writer"] == "xlsxwriter"), results[0])
    print(
        "\n| writer | seconds | vs xlsxwriter | peak MiB (+ writing) | file MB | rows read back |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['text']} | {r['seconds']:.2f} | {r['seconds'] / base['seconds']:.2f} | "
            f"{r['peak_mib']:,.0f} (+{r['extra_mib']:,.0f}) | {r['size_mb']:.1f} | "
            f"{r['rows_read']:,} |"
        )


if __name__ == "__main__":
    main()
