"""CSV read the way the csv module reads it, and Parquet ledgers, end to end.

CSV: pyarrow's reader takes files whose rows all have the same number of fields, the csv module
the rest; either way every cell is the csv module's (with the dialect `dialect_of` chooses: the
delimiter that gives the most lines one same field count, so title lines do not hide it). Parquet: the
column names are the header row, each typed column is turned into text by `cell_text`'s rules,
and a Parquet ledger runs through the pipeline and the command line like any other.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import data_issues, run_on

from aging.cli import main
from aging.errors import InputError
from aging.reading import delimited
from aging.reading.files import read_file
from aging.reading.sheet import arrow_text, cell_text

AS_OF = date(2026, 10, 31)

CSV_TEXTS = {
    "plain": "a,b,c\n1,2,3\n4,5,6\n",
    "quoted delimiters and quotes": 'a,b\n"1,234.56","say ""hi"""\n',
    "newline in a quoted field": 'a,b\n"two\nlines",2\n',
    "crlf": "a,b\r\n1,2\r\n",
    "cr only": "a,b\r1,2\r",
    "no final newline": "a,b\n1,2",
    "blank lines": "a,b\n\n1,2\n\n\n",
    "semicolons": "a;b;c\n1;2,5;3\n",
    "tabs": "a\tb\n1\t2\n",
    "pipes": "a|b\n1|2\n",
    "trailing delimiter": "a,b,\n1,2,\n",
    "whitespace kept": "a,b\n  x  ,\u3000\n",
    "title rows above the header": "Report\nAs of 2026-10-31\n\na,b,c\n1,2,3\n",
    "a longer row": "a,b\n1,2,3\n",
    "space after the delimiter": "a, b, c\n1, 2, 3\n4, 5, 6\n",
    "unterminated quote": 'a,b\n"x,y\n',
    "only a newline": "\n",
    "a long first field": "x" * 200_000 + ",b\n1,2\n",
    "a NUL byte after the first 4 KiB": "a,b\n" + "c,d\n" * 1100 + "x\x00y,2\n",
    "a title line above tabs": "Customer Line Item Display\n\na\tb\tc\nX\t1,234.56\t2,000.00-\n",
}


def csv_module_rows(text: str) -> list[list[str]]:
    dialect = delimited.dialect_of(text)
    return list(csv.reader(io.StringIO(text, newline=""), dialect))


TITLE = "Customer Line Item Display\n\n"
DELIMITED = {  # text -> the delimiter a person sees in it
    # SAP Local File: tab-separated, amounts with thousands commas, a title line above
    TITLE + "\tAccount\tDocumentNo\tAmount\n\t200118\t18001\t8,750.00\n\t200118\t18002\t3,125.40\n"
    "*\t200118\t\t11,875.40\n": "\t",
    # the first amount alone on its line: one comma per line, as many lines as the tabs
    TITLE + "Doc\tAmount\n1\t8,750.00\n2\t3,125.40\n": "\t",
    # an account block above every table (SAP's classic list): two fields per block line
    "Customer\t100045\nName\tMueller\n\n\tDoc\tDate\tAmount\n\t1\t07/20/2026\t10,500.00\n"
    "*\t\t\t10,500.00\n": "\t",
    # European numbers under a title: 1.234,56 splits on its comma
    "Offene Posten;;\nKunde;Beleg;Betrag\n1000;4711;1.234,56\n1000;4712;99,00\n": ";",
    "Open items\nCustomer|Doc|Amount\nC1|1|1,234.56\nC2|2|7,000.00\n": "|",
    "Report\nAs of 2026-10-31\n\na,b,c\n1,2,3\n": ",",
    'a,b\n"1,234.56","x"\n"2,000.00","y"\n': ",",
}


@pytest.mark.parametrize("text", list(DELIMITED), ids=range(len(DELIMITED)))
def test_the_delimiter_is_the_one_that_splits_the_table_evenly(text):
    """csv.Sniffer gives up when lines differ in field count (a title line), and the comma it
    would fall back to splits SAP's amounts: the delimiter comes from the table's lines."""
    assert delimited.dialect_of(text).delimiter == DELIMITED[text]


def padded(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


@pytest.mark.parametrize("name", list(CSV_TEXTS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_cells_are_the_csv_modules(tmp_path, name, encoding):
    text = CSV_TEXTS[name]
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode(encoding))
    (sheet,) = read_file(path, max_rows=1000, max_unzipped_mb=10)
    # a NUL byte carries no text (and no workbook could hold it): it is dropped
    expected = padded(csv_module_rows(text.replace("\x00", "")))
    assert padded(sheet.rows(range(sheet.height))) == expected
    assert sheet.height == len(expected)


def test_regular_csv_is_read_by_pyarrow_and_ragged_by_the_csv_module(tmp_path, monkeypatch):
    used = []
    real = delimited._csv_rows
    monkeypatch.setattr(delimited, "_csv_rows", lambda *a: used.append(a[0].name) or real(*a))
    for name in (
        "plain",
        "blank lines",
        "title rows above the header",
        "space after the delimiter",
    ):
        path = tmp_path / f"{name}.csv"
        path.write_text(CSV_TEXTS[name], encoding="utf-8")
        read_file(path, max_rows=1000, max_unzipped_mb=10)
    assert used == ["title rows above the header.csv", "space after the delimiter.csv"]


@pytest.mark.parametrize("title", ["", "Report\n"])  # pyarrow, then the csv module
def test_csv_row_limit(tmp_path, title):
    path = tmp_path / "long.csv"
    path.write_text(title + "a,b\n" + "1,2\n" * 1100, encoding="utf-8")
    rows = 1101 + bool(title)
    with pytest.raises(InputError, match=f"{rows:,} rows is over the limit reading.max_rows"):
        read_file(path, max_rows=10, max_unzipped_mb=10)
    assert read_file(path, max_rows=1000, max_unzipped_mb=10)[0].height == rows


# ---- Parquet --------------------------------------------------------------------------------


def parquet_ledger(path):
    """A transactions ledger as an ERP's data export writes it: typed columns."""
    table = pa.table(
        {
            "客户编码": pa.array(["00123", "00123", "00123", "00456"]),
            "客户名称": pa.array(["上海宏达贸易有限公司"] * 3 + ["北京远航科技有限公司"]),
            "单据类型": pa.array(["销售发票", "销售发票", "收款单", "销售发票"]),
            "单据号": pa.array([1001, 1002, 1003, 1004], pa.int64()),
            "单据日期": pa.array(
                [date(2026, 7, 1), date(2026, 9, 15), date(2026, 8, 20), date(2026, 3, 1)]
            ),
            "到期日": pa.array(
                [datetime(2026, 7, 31), datetime(2026, 10, 15), None, datetime(2026, 3, 31)],
                pa.timestamp("us"),
            ),
            "金额": pa.array(
                [Decimal("11300.00"), Decimal("8800.50"), Decimal("5000.00"), Decimal("5650.25")],
                pa.decimal128(14, 2),
            ),
        }
    )
    pq.write_table(table, path)
    return path


def test_parquet_ledger_through_the_pipeline(tmp_path):
    result = run_on(parquet_ledger(tmp_path / "ledger.parquet"), as_of=AS_OF)
    items = result.open_items.set_index("doc_no")
    # receipt 1003 (5,000.00) names no invoice: oldest due first, 1001 11,300.00 -> 6,300.00
    assert items["open_minor"].to_dict() == {"1001": 630000, "1002": 880050, "1004": 565025}
    # 2026-10-31 minus due 2026-07-31, 2026-10-15, 2026-03-31
    assert items["days_overdue"].to_dict() == {"1001": 92, "1002": 16, "1004": 214}
    assert items.loc["1001", "customer_id"] == "00123"  # text column: leading zeros kept
    assert items["src_row"].to_dict() == {"1001": 2, "1002": 3, "1004": 5}  # names are row 1
    recon = result.reconciliation.set_index("line")["amount_minor"]
    # 11,300.00 + 8,800.50 - 5,000.00 + 5,650.25 = 20,750.75, all of it open
    assert (recon["input_total"], recon["open_items"], recon["difference"]) == (2075075, 2075075, 0)
    assert data_issues(result).empty and result.reconciled


def test_parquet_ledger_through_the_command_line(tmp_path, capsys):
    ledger = parquet_ledger(tmp_path / "ledger.parquet")
    code = main(["--ledger", str(ledger), "--as-of", "2026-10-31", "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert "reconciled to the cent" in captured.out
    with (tmp_path / "out" / "2026-10-31" / "data" / "open_items.csv").open(encoding="utf-8") as f:
        items = {r["doc_no"]: r["open_amount"] for r in csv.DictReader(f)}
    assert items == {"1001": "6300.00", "1002": "8800.50", "1004": "5650.25"}


def test_parquet_format_comes_from_the_bytes(tmp_path):
    path = parquet_ledger(tmp_path / "ledger.parquet").rename(tmp_path / "export.xlsx")
    assert run_on(path, as_of=AS_OF).open_items["open_minor"].sum() == 2075075


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PAR1 but then nothing", "damaged Parquet file"),
        (b"Customer ID,Amount\nC1,100\n", "not a Parquet file"),
    ],
)
def test_unusable_parquet_is_one_line_exit_2(tmp_path, capsys, content, words):
    path = tmp_path / "ledger.parquet"
    path.write_bytes(content)
    assert main(["--ledger", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "ledger.parquet" in err


def test_parquet_sizes_are_checked_before_reading(tmp_path):
    path = tmp_path / "wide.parquet"
    pq.write_table(pa.table({"a": list(range(1100))}), path)
    with pytest.raises(InputError, match="1,100 rows is over the limit reading.max_rows"):
        read_file(path, max_rows=10, max_unzipped_mb=10)
    pq.write_table(pa.table({f"c{i}": [1] for i in range(703)}), path)
    with pytest.raises(InputError, match="703 columns"):
        read_file(path, max_rows=1000, max_unzipped_mb=10)
    pq.write_table(pa.table({"a": ["x" * 1000] * 2000}), path, compression="zstd")
    with pytest.raises(InputError, match="reading.max_unzipped_mb"):
        read_file(path, max_rows=10_000, max_unzipped_mb=1)


TYPED = [
    ("booleans", pa.array([True, False, None]), ["TRUE", "FALSE", ""]),
    ("integers", pa.array([0, -5, 2**62, None], pa.int64()), ["0", "-5", str(2**62), ""]),
    ("unsigned", pa.array([7], pa.uint8()), ["7"]),
    (
        "floats",
        pa.array([100.0, 1234.56, 0.1 + 0.2, 1e20, 1e-7, -0.0, 1234567890123456.0, None]),
        ["100", "1234.56", "0.30000000000000004", "100000000000000000000", "0.0000001", "0"]
        + ["1234567890123456.0", ""],
    ),
    ("float32", pa.array([0.1, 2.5], pa.float32()), ["0.1", "2.5"]),
    (
        "decimals",
        pa.array([Decimal("1234.50"), Decimal("-0.05"), None], pa.decimal128(10, 2)),
        ["1234.50", "-0.05", ""],
    ),
    ("dates", pa.array([date(2026, 10, 31), None]), ["2026-10-31", ""]),
    ("date64", pa.array([date(2026, 10, 31)], pa.date64()), ["2026-10-31"]),
    (
        "timestamps",
        pa.array(
            [
                datetime(2026, 10, 31),
                datetime(2026, 10, 31, 13, 45),
                datetime(2026, 1, 2, 3, 4, 5, 6),
            ],
            pa.timestamp("us"),
        ),
        ["2026-10-31", "2026-10-31 13:45:00", "2026-01-02 03:04:05.000006"],
    ),
    (
        "timestamps in seconds",
        pa.array([datetime(2026, 10, 31), datetime(2026, 10, 31, 8)], pa.timestamp("s")),
        ["2026-10-31", "2026-10-31 08:00:00"],
    ),
    (
        "timestamps with a zone, as its wall clock",
        pa.array(
            [datetime(2026, 10, 30, 16, tzinfo=UTC)],
            pa.timestamp("ms", tz="Asia/Shanghai"),
        ),
        ["2026-10-31"],
    ),
    ("times", pa.array([time(13, 45), time(1, 2, 3, 4)]), ["13:45:00", "01:02:03.000004"]),
    ("text", pa.array(["00123", "NA", None, ""]), ["00123", "NA", "", ""]),
    ("large text", pa.array(["x"], pa.large_string()), ["x"]),
    ("dictionary", pa.array(["a", "b", "a"]).dictionary_encode(), ["a", "b", "a"]),
    ("nulls", pa.nulls(2), ["", ""]),
]


@pytest.mark.parametrize(("label", "values", "expected"), TYPED, ids=[t[0] for t in TYPED])
def test_parquet_column_types_as_text(label, values, expected):
    assert arrow_text(values).to_pylist() == expected


def test_parquet_text_follows_cell_text(tmp_path):
    values = [1.5, 0.1 + 0.2, 1e-12, 2.0**60, -3.0, 1 / 3]
    assert arrow_text(pa.array(values)).to_pylist() == [cell_text(v) for v in values]


def test_a_windows_1252_csv_is_not_read_as_chinese(tmp_path):
    """Excel's "CSV (Comma delimited)" on a Western Windows writes Müller and £ in
    Windows-1252: GB18030 read Müller as M黮ler without an error, and refused £."""
    from aging.reading.delimited import decode_text

    western = "Customer,Due,Amount\nMüller Bäckerei GmbH,Fällig am,£1,234.00 €\n"
    assert decode_text(western.encode("cp1252"), tmp_path / "x.csv") == western
    chinese = "客户名称,金额\n北京华联商贸有限公司,100\nABC公司,3M中国\n"
    assert decode_text(chinese.encode("gb18030"), tmp_path / "x.csv") == chinese
