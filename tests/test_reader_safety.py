"""Hostile, broken and awkward input files.

Unusable input must end in `aging.errors.InputError` from the pipeline, and in exit code 2 with
one line on stderr and no traceback from the command line (DESIGN "Safe", "Command line").
Awkward but valid input must read the same whatever the container: .xlsx, .xls, .ods and CSV in
UTF-8, UTF-8 with BOM or GB18030; codes like 00123 and names like NA survive; amounts and dates
in the forms the DESIGN lists parse to the right cents and days.
"""

from __future__ import annotations

import csv
import random
import shutil
import struct
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, data_issues, run_on, write_csv

from aging.cli import main
from aging.errors import InputError
from aging.i18n import render

AS_OF = date(2026, 10, 31)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HEADER = (
    "Customer ID,Customer Name,Doc No,Date,Due Date,Amount (CNY)"  # the header names the currency
)


def small_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ledger"
    sheet.append(["Customer ID", "Customer Name", "Doc No", "Date", "Due Date", "Amount (CNY)"])
    sheet.append(["C1", "Alpha", "I1", "2026-09-01", "2026-09-30", "100.00"])
    book.save(path)
    return path


def with_sheet_xml(source: Path, target: Path, edit) -> Path:
    """Copy a workbook, passing its first sheet's XML through edit(bytes) -> bytes."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, edit(data) if info.filename == member else data)
    return target


def before_sheet_data(extra: bytes):
    return lambda xml: xml.replace(b"<sheetData>", extra + b"<sheetData>", 1)


def cli(tmp_path, capsys, *args) -> tuple[int, str, str]:
    code = main([*args, "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_refused(tmp_path, capsys, path: Path, *words: str, config: dict | None = None):
    """InputError from the pipeline; exit 2, one line naming the file, nothing written."""
    with pytest.raises(InputError) as caught:
        run_on(path, as_of=AS_OF, overrides=config)
    message = str(caught.value)
    assert path.name in message
    said = message.replace(str(path), "<file>")  # the tmp path holds the test's own name
    for word in words:
        assert word in said, message
    args = ["--ledger", str(path), "--as-of", "2026-10-31"]
    if config:
        yaml_lines = []
        for dotted, value in config.items():
            section, key = dotted.split(".")
            yaml_lines += [f"{section}:", f"  {key}: {value}"]
        settings = tmp_path / "settings.yaml"
        settings.write_text("\n".join(yaml_lines) + "\n", encoding="utf-8")
        args += ["--config", str(settings)]
    code, _, err = cli(tmp_path, capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "Traceback" not in err and path.name in err
    for word in words:
        assert word in err.replace(str(path), "<file>")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return message


# ---- hostile and broken files ---------------------------------------------------------------


def test_missing_file(tmp_path, capsys):
    assert_refused(tmp_path, capsys, tmp_path / "nope.xlsx", "file not found")


def test_folder(tmp_path, capsys):
    folder = tmp_path / "ledger.xlsx"
    folder.mkdir()
    assert_refused(tmp_path, capsys, folder, "folder")


def test_empty_file_named_xlsx(tmp_path, capsys):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert_refused(tmp_path, capsys, path, "not a spreadsheet")


def test_text_file_named_xlsx(tmp_path, capsys):
    path = tmp_path / "ledger.xlsx"
    path.write_text("Customer ID,Amount\nC1,100\n", encoding="utf-8")
    assert_refused(tmp_path, capsys, path, "not a spreadsheet")


def test_zip_that_is_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "ledger.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert_refused(tmp_path, capsys, path, "not an Excel or OpenDocument workbook")


def test_truncated_workbook(tmp_path, capsys):
    whole = small_workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert_refused(tmp_path, capsys, path, "damaged")


def test_zip_bomb(tmp_path, capsys):
    # 64 MiB of blanks inside the sheet XML deflate to a few dozen KiB: far over 200x
    path = with_sheet_xml(
        small_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "bomb.xlsx",
        before_sheet_data(b" " * (64 << 20)),
    )
    assert path.stat().st_size < 1 << 20
    assert_refused(tmp_path, capsys, path, "refused", "expands to")


def test_unzipped_size_limit_from_the_config(tmp_path, capsys):
    # ~1.5 MiB of incompressible comment in the sheet XML: a normal ratio, over a 1 MiB limit
    noise = random.Random(0).randbytes(750_000).hex().encode()
    path = with_sheet_xml(
        small_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "big.xlsx",
        before_sheet_data(b"<!--" + noise + b"-->"),
    )
    assert_refused(
        tmp_path, capsys, path, "reading.max_unzipped_mb", config={"reading.max_unzipped_mb": 1}
    )
    # within the default limit the same file reads
    assert run_on(path, as_of=AS_OF).open_items["open_minor"].tolist() == [10000]


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)


def billion_laughs(xml: bytes, padding: bytes = b"") -> bytes:
    return LAUGHS.replace(b"\n", b"\n" + padding + b"\n") + xml.replace(
        b"<t>Alpha</t>", b"<t>&lol9;</t>"
    )


def test_billion_laughs(tmp_path, capsys):
    path = with_sheet_xml(
        small_workbook(tmp_path / "plain.xlsx"), tmp_path / "lol.xlsx", billion_laughs
    )
    assert_refused(tmp_path, capsys, path, "refused", "entities")


def test_billion_laughs_behind_a_long_comment(tmp_path, capsys):
    # the declaration sits after a 5 KB comment; the file must still be refused
    path = with_sheet_xml(
        small_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "lol_late.xlsx",
        lambda xml: billion_laughs(xml, b"<!--" + b"x" * 5000 + b"-->"),
    )
    assert_refused(tmp_path, capsys, path)


def test_entity_declaration_anywhere_in_the_prolog_is_refused(tmp_path, capsys):
    padding = b"<!--" + b"x" * 5000 + b"-->"
    dtd = b'<?xml version="1.0"?>\n' + padding + b'\n<!DOCTYPE worksheet [<!ENTITY a "b">]>'
    path = with_sheet_xml(
        small_workbook(tmp_path / "plain.xlsx"), tmp_path / "dtd_late.xlsx", lambda xml: dtd + xml
    )
    assert_refused(tmp_path, capsys, path, "refused")


def ole_file(path: Path, streams: list[str], directory_sector: int) -> Path:
    """A compound (OLE) file header whose directory sector lists the given stream names: what
    an encrypted .xlsx is (streams EncryptionInfo and EncryptedPackage)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 48, directory_sector)
    entries = bytearray()
    for kind, name in [(5, "Root Entry"), *((2, s) for s in streams)]:
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[: len(encoded)] = encoded
        struct.pack_into("<HB", entry, 64, len(encoded), kind)
        entries += entry
    body = bytearray(b"\xa5" * (512 * directory_sector))  # the encrypted package's sectors
    path.write_bytes(bytes(header + body + entries.ljust(512, b"\0")))
    return path


def test_password_protected_workbook(tmp_path, capsys):
    path = ole_file(tmp_path / "locked.xlsx", ["EncryptionInfo", "EncryptedPackage"], 0)
    assert_refused(tmp_path, capsys, path, "password")


def test_password_protected_workbook_with_its_directory_at_the_end(tmp_path, capsys):
    path = ole_file(tmp_path / "locked.xlsx", ["EncryptionInfo", "EncryptedPackage"], 200)
    assert_refused(tmp_path, capsys, path, "password")


def test_csv_without_a_recognisable_header(tmp_path, capsys):
    path = write_csv(
        tmp_path / "notes.csv", ["when,what,who", "Monday,call,Ann", "Tuesday,mail,Bo"]
    )
    assert_refused(tmp_path, capsys, path, "no ledger table found")


def test_binary_file_named_csv(tmp_path, capsys):
    path = tmp_path / "ledger.csv"
    path.write_bytes(b"Customer ID,Amount\n\x00\x01\x02\x03" * 10)
    assert_refused(tmp_path, capsys, path, "binary")


def test_csv_with_a_huge_cell(tmp_path, capsys):
    path = write_csv(
        tmp_path / "huge.csv", [HEADER, "C1," + "A" * 200_000 + ",I1,2026-09-01,2026-09-30,1.00"]
    )
    code, _, err = cli(tmp_path, capsys, "--ledger", str(path), "--as-of", "2026-10-31")
    # either read (exit 0) or refused in one line (exit 2); never a traceback
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and "huge.csv" in err


CLI_UNDER_MEMORY_LIMIT = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
    f"sys.path.insert(0, {str(ROOT)!r})\n"
    "from aging.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def cli_in_a_child(tmp_path: Path, ledger: Path) -> subprocess.CompletedProcess:
    """A file that makes the reader allocate without bound would take pytest down with it, so
    it runs in a child process capped at 3 GiB of address space."""
    out = tmp_path / f"out_{ledger.stem}"
    command = [sys.executable, "-c", CLI_UNDER_MEMORY_LIMIT, "--ledger", str(ledger)]
    command += ["--as-of", "2026-10-31", "--out", str(out), "--quiet"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)


def test_sheet_dimension_bomb(tmp_path):
    plain = small_workbook(tmp_path / "plain.xlsx")
    assert cli_in_a_child(tmp_path, plain).returncode == 0  # the harness itself runs fine
    far_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = with_sheet_xml(
        plain,
        tmp_path / "wide.xlsx",
        lambda xml: xml.replace(b"</sheetData>", far_cell + b"</sheetData>"),
    )
    assert path.stat().st_size < 10_000
    child = cli_in_a_child(tmp_path, path)
    assert child.returncode == 2, child.stderr[-500:]
    assert child.stderr.count("\n") == 1 and "wide.xlsx" in child.stderr


# ---- day/month order ------------------------------------------------------------------------

AMBIGUOUS = [
    HEADER,
    "C1,Alpha,I1,03/04/2026,05/06/2026,100.00",
    "C1,Alpha,I2,01/07/2026,02/08/2026,50.00",
]


def test_ambiguous_day_month_dates_ask_for_the_order(tmp_path, capsys):
    path = write_csv(tmp_path / "ambiguous.csv", AMBIGUOUS)
    assert_refused(tmp_path, capsys, path, "reading.date_order")


def test_day_month_order_from_the_config(tmp_path, capsys):
    path = write_csv(tmp_path / "ambiguous.csv", AMBIGUOUS)
    settings = tmp_path / "dmy.yaml"
    settings.write_text("reading:\n  date_order: dmy\n", encoding="utf-8")
    code, out, err = cli(
        tmp_path, capsys, "--ledger", str(path), "--as-of", "2026-10-31", "--config", str(settings)
    )
    assert (code, err) == (0, "")
    assert "reconciled to the cent" in out
    with (tmp_path / "out" / "2026-10-31" / "data" / "open_items.csv").open(encoding="utf-8") as f:
        items = {r["doc_no"]: r for r in csv.DictReader(f)}
    # day first: I1 due 5 June -> 25 + 31 + 31 + 30 + 31 = 148 days; I2 due 2 August -> 90
    assert {k: (r["due_date"], r["days_overdue"]) for k, r in items.items()} == {
        "I1": ("2026-06-05", "148"),
        "I2": ("2026-08-02", "90"),
    }
    # month first reads the same cells as 6 May (178 days) and 8 February (265 days)
    mdy = run_on(path, as_of=AS_OF, overrides={"reading.date_order": "mdy"})
    assert mdy.open_items.set_index("doc_no")["days_overdue"].to_dict() == {"I1": 178, "I2": 265}


# ---- the same ledger in every container -----------------------------------------------------

ITEM_COLUMNS = [
    "customer_id",
    "customer_name",
    "doc_no",
    "doc_type",
    "doc_date",
    "due_date",
    "currency",
    "amount_minor",
    "open_minor",
    "days_overdue",
    "src_sheet",
    "src_row",
]


def test_xlsx_fixture_by_hand():
    result = run_on(FIXTURES / "ledger.xlsx")  # as-of from the title row "As of 2026-10-31"
    assert result.as_of == AS_OF
    items = result.open_items.set_index("doc_no")
    # R001 5,000.00 pays F001 first (oldest due): 11,300 - 5,000 = 6,300; F002 "¥8,800.00" text;
    # CN01 "(650.50)" takes F003 5,650.50 down to 5,000.00
    assert items["open_minor"].to_dict() == {"F001": 630000, "F002": 880000, "F003": 500000}
    # 2026-10-31 minus due 2026-07-31, 2026-10-15, 2026-03-31
    assert items["days_overdue"].to_dict() == {"F001": 92, "F002": 16, "F003": 214}
    assert items["src_row"].to_dict() == {"F001": 5, "F002": 6, "F003": 8}  # header on row 4
    assert (
        items.loc["F001", "customer_id"] == "00123" and items.loc["F001", "customer_name"] == "NA"
    )
    recon = result.reconciliation
    control = recon[recon["line"] == "control:grand"].iloc[0]
    assert (control["amount_minor"], control["status"]) == (2010000, "ok")  # 合计 20,100.00
    assert data_issues(result).empty and result.reconciled


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_fixtures_match_the_xlsx(suffix):
    magic = (FIXTURES / f"ledger.{suffix}").read_bytes()[:4]
    assert magic == {"xls": b"\xd0\xcf\x11\xe0", "ods": b"PK\x03\x04"}[suffix]
    expected = run_on(FIXTURES / "ledger.xlsx")
    got = run_on(FIXTURES / f"ledger.{suffix}")
    assert got.as_of == expected.as_of
    pd.testing.assert_frame_equal(got.open_items[ITEM_COLUMNS], expected.open_items[ITEM_COLUMNS])

    def shown(frame):  # labels as the user reads them, with the file name made alike
        text = frame["label"].map(lambda cell: render(cell, "en"))
        text = text.str.replace(f"ledger.{suffix} ", "ledger.xlsx ", regex=False)
        return frame.assign(label=text, note=frame["note"].map(lambda c: render(c, "en")))

    pd.testing.assert_frame_equal(shown(got.reconciliation), shown(expected.reconciliation))


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("xls", "xlsx"),
        ("xlsx", "xls"),
        ("ods", "xlsx"),
        ("xlsx", "csv"),
    ],
)
def test_format_comes_from_the_bytes_not_the_name(tmp_path, source, named):
    # README: "The format is taken from the file's bytes, not its name."
    path = tmp_path / f"export.{named}"
    shutil.copy(FIXTURES / f"ledger.{source}", path)
    got = run_on(path)
    assert got.open_items["open_minor"].tolist() == [630000, 880000, 500000]


ENCODED = [
    "客户编码,客户名称,单据号,开票日期,到期日,金额",
    "00123,上海宏达贸易有限公司,F001,2026-07-01,2026-07-31,11300.00",
    '00123,上海宏达贸易有限公司,F002,2026-09-15,2026-10-15,"¥8,800.00"',
    "00456,北京远航科技有限公司,F003,2026-03-01,2026-03-31,5650.50",
    "00456,北京远航科技有限公司,F004,2026-04-01,,(650.50)",
]


def test_csv_encodings_read_alike(tmp_path):
    paths = {
        "utf-8": write_csv(tmp_path / "utf8.csv", ENCODED),
        "utf-8-sig": write_csv(tmp_path / "bom.csv", ENCODED, encoding="utf-8-sig"),
        "gb18030": write_csv(tmp_path / "gb.csv", ENCODED, encoding="gb18030"),
    }
    assert paths["gb18030"].read_bytes() != paths["utf-8"].read_bytes()
    assert paths["utf-8-sig"].read_bytes().startswith(b"\xef\xbb\xbf")
    results = {k: run_on(p, as_of=AS_OF) for k, p in paths.items()}
    first = results["utf-8"]
    items = first.open_items.set_index("doc_no")
    # F004 (650.50) is a credit: applied oldest-first to F003 -> 5,000.00
    assert items["open_minor"].to_dict() == {"F001": 1130000, "F002": 880000, "F003": 500000}
    assert items.loc["F001", "customer_name"] == "上海宏达贸易有限公司"
    assert set(items["customer_id"]) == {"00123", "00456"}
    for key in ("utf-8-sig", "gb18030"):
        other = results[key]
        pd.testing.assert_frame_equal(
            other.open_items.drop(columns="src_file"), first.open_items.drop(columns="src_file")
        )
        pd.testing.assert_frame_equal(other.customers, first.customers)
        pd.testing.assert_frame_equal(other.reconciliation, first.reconciliation)


# ---- cells read faithfully ------------------------------------------------------------------


def test_codes_with_leading_zeros_and_names_like_na_survive(tmp_path, capsys):
    path = write_csv(
        tmp_path / "names.csv",
        [
            HEADER,
            "00123,NA,I1,2026-09-01,2026-09-30,100.00",
            "007,N/A,I2,2026-09-01,2026-09-30,200.00",
            "NULL,null,I3,2026-09-01,2026-09-30,300.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    names = result.open_items.set_index("customer_id")["customer_name"].to_dict()
    assert names == {"00123": "NA", "007": "N/A", "NULL": "null"}
    assert data_issues(result).empty
    code, _, _ = cli(tmp_path, capsys, "--ledger", str(path), "--as-of", "2026-10-31")
    assert code == 0
    with (tmp_path / "out" / "2026-10-31" / "data" / "customers.csv").open(encoding="utf-8") as f:
        written = {r["customer_id"]: r["name"] for r in csv.DictReader(f)}
    assert written == {"00123": "NA", "007": "N/A", "NULL": "null"}


def test_zero_padded_number_format_keeps_the_code_as_shown(tmp_path):
    """A number cell 123 formatted '00000' shows as 00123 in Excel: read so, to match a master
    that holds 00123."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Customer ID", "Customer Name", "Doc No", "Date", "Due Date", "Amount"])
    sheet.append([123, "Alpha", "I1", "2026-09-01", "2026-09-30", 100])
    sheet["A2"].number_format = "00000"
    book.save(tmp_path / "padded.xlsx")
    result = run_on(tmp_path / "padded.xlsx", as_of=AS_OF)
    assert result.open_items["customer_id"].tolist() == ["00123"]


def test_amount_texts_parse_to_the_cent(tmp_path):
    path = write_csv(
        tmp_path / "amounts.csv",
        [
            HEADER,
            'K1,One,X1,2026-09-01,2026-09-30,"¥8,800.00"',
            'K2,Two,X2,2026-09-01,2026-09-30,"(1,200.00)"',
            'K3,Three,X3,2026-09-01,2026-09-30,"1,234.56-"',
            "K4,Four,X4,2026-09-01,2026-09-30,１２３４.５６",
            "K5,Five,X5,2026-09-01,2026-09-30,￥１，２３４．５６",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert data_issues(result).empty
    # positives are open items, negatives (parentheses, trailing minus) unapplied credits
    assert result.open_items.set_index("customer_id")["open_minor"].to_dict() == {
        "K1": 880000,
        "K4": 123456,
        "K5": 123456,
    }
    credits = result.customers.set_index("customer_id")["unapplied_credit_base_minor"]
    assert credits[credits > 0].to_dict() == {"K2": 120000, "K3": 123456}
    recon = result.reconciliation.set_index("line")["amount_minor"]
    # 8,800.00 - 1,200.00 - 1,234.56 + 1,234.56 + 1,234.56 = 8,834.56
    assert recon["input_total"] == 883456 and recon["difference"] == 0


DATE_FORMS = {
    # doc date 2026-10-31 and due date 2026-11-30 written each way
    "serial": ("46326", "46356"),  # days since 1899-12-30
    "iso": ("2026-10-31", "2026-11-30"),
    "slash": ("2026/10/31", "2026/11/30"),
    "chinese": ("2026年10月31日", "2026年11月30日"),
}


def test_date_texts_parse(tmp_path):
    lines = [HEADER] + [
        f"{form},{form},D-{form},{doc},{due},1.00" for form, (doc, due) in DATE_FORMS.items()
    ]
    result = run_on(write_csv(tmp_path / "dates.csv", lines), as_of=AS_OF)
    assert result.issues.empty
    items = result.open_items.set_index("customer_id")
    assert set(items.index) == set(DATE_FORMS)
    assert (items["doc_date"] == pd.Timestamp("2026-10-31")).all()
    assert (items["due_date"] == pd.Timestamp("2026-11-30")).all()
    assert (items["days_overdue"] == -30).all()


def test_date_cells_and_serial_numbers_in_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Customer ID", "Customer Name", "Doc No", "Date", "Due Date", "Amount"])
    sheet.append(["C1", "Alpha", "I1", datetime(2026, 10, 31), datetime(2026, 11, 30), 1])
    sheet.append(["C2", "Beta", "I2", 46326, 46356, 1])  # plain numbers, no date format
    sheet.append(["C3", "Gamma", "I3", "2026年10月31日", "2026/11/30", 1])
    book.save(tmp_path / "dates.xlsx")
    result = run_on(tmp_path / "dates.xlsx", as_of=AS_OF)
    assert result.issues.empty
    items = result.open_items
    assert items["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert (items["doc_date"] == pd.Timestamp("2026-10-31")).all()
    assert (items["due_date"] == pd.Timestamp("2026-11-30")).all()
