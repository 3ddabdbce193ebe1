"""SAP FBL5N (Chinese logon, ZH), ALV grid > Export > Spreadsheet (XLSX), open items at key date
31.10.2026. Company code currency CNY; documents in CNY, USD and EUR. Customer and document
numbers are number cells. '净到期日逾期' (arrears) is SAP's count at run date 02.11.2026.
Deterministic: fixed creation time, no clock. Writes export.xlsx next to this file."""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = [
    "客户",
    "分配",
    "凭证编号",
    "凭证类型",
    "凭证日期",
    "净到期日",
    "净到期日逾期",
    "凭证货币金额",
    "凭证货币",
    "本币金额",
    "本币",
    "文本",
]
ROWS = [
    (
        100045,
        "4500012345",
        1800000311,
        "RV",
        "2026-07-20",
        "2026-08-19",
        75,
        105000.00,
        "CNY",
        105000.00,
        "CNY",
        "",
    ),
    (
        100045,
        "4500012388",
        1800000356,
        "RV",
        "2026-09-25",
        "2026-10-25",
        8,
        42000.00,
        "CNY",
        42000.00,
        "CNY",
        "",
    ),
    (
        100045,
        "",
        1400000077,
        "DZ",
        "2026-10-10",
        "2026-10-10",
        23,
        -30000.00,
        "CNY",
        -30000.00,
        "CNY",
        "预收款",
    ),
    (
        100112,
        "4500013001",
        1800000298,
        "RV",
        "2026-06-30",
        "2026-07-30",
        95,
        12000.00,
        "USD",
        85200.00,
        "CNY",
        "",
    ),
    (
        100112,
        "4500013050",
        1800000377,
        "RV",
        "2026-10-01",
        "2026-10-31",
        2,
        5400.00,
        "USD",
        38340.00,
        "CNY",
        "",
    ),
    (
        100230,
        "4500014002",
        1800000340,
        "RV",
        "2026-09-10",
        "2026-10-10",
        23,
        3800.00,
        "EUR",
        29640.00,
        "CNY",
        "",
    ),
    (
        100301,
        "0090000371",
        1700000021,
        "DG",
        "2026-10-15",
        "2026-10-15",
        18,
        -12500.00,
        "CNY",
        -12500.00,
        "CNY",
        "退货",
    ),
]


def main():
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sh = book.add_worksheet("Sheet1")
    dfmt = book.add_format({"num_format": "yyyy/mm/dd"})
    mfmt = book.add_format({"num_format": "#,##0.00"})
    sh.write_row(0, 0, HEADER)
    for r, row in enumerate(ROWS, start=1):
        for c, v in enumerate(row):
            if c in (4, 5):
                sh.write_datetime(r, c, dt.datetime.fromisoformat(v), dfmt)
            elif c in (7, 9):
                sh.write_number(r, c, v, mfmt)
            elif isinstance(v, int):
                sh.write_number(r, c, v)
            elif v != "":
                sh.write_string(r, c, v)
    book.close()


if __name__ == "__main__":
    main()
