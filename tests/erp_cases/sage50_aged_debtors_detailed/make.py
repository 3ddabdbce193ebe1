"""Sage 50 Accounts (UK) "Aged Debtors Analysis (Detailed)" to 31/10/2026, printed to Excel
(Report > Export > Microsoft Excel), which keeps the printed layout in cells.

Page header (run date and time, company, report name, page), the criteria block, Sage's note
that values are in base currency (without naming it), the column headings, then per customer
an "A/C: ... Name: ... Contact: ... Tel: ..." line, its outstanding transactions (No = audit
trail number, Type SI/SC/SA, Ref = invoice or credit note number), a "Totals:" line and the
"Turnover:" and "Credit Limit £" lines; "Grand Totals:" at the end. Sage ages by transaction
date into Current / Period 1-3 / Older and prints no due date. Writes export.xlsx.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

COMPANY = "Wessex Trading Ltd"
AS_OF = dt.date(2026, 10, 31)
HEADER = [
    "No",
    "Type",
    "Date",
    "Ref",
    "Details",
    "Balance",
    "Future",
    "Current",
    "Period 1",
    "Period 2",
    "Period 3",
    "Older",
]

# account -> (name, contact, telephone, turnover, credit limit, transactions)
# transaction: audit no, type, date, ref (int: number cell), details, balance (pence)
CUSTOMERS = {
    "ABS001": (
        "ABS Garages Ltd",
        "Mike Hall",
        "01742 876234",
        1425000,
        800000,
        [
            (1203, "SI", "2026-08-12", 10051, "Goods", 288000),
            (1251, "SI", "2026-10-24", 10067, "Goods", 102000),
            (1262, "SA", "2026-10-28", "BACS", "Payment on Account", -50000),
        ],
    ),
    "BRO001": (
        "Bronson Inc",
        "Sam Jones",
        "01983 264451",
        367500,
        500000,
        [
            (1102, "SI", "2026-04-15", 10018, "Goods", 367500),
            (1199, "SC", "2026-08-05", 12, "Returned goods", -42500),
        ],
    ),
    "COM001": (
        "County Golf Supplies",
        "Jo Stokes",
        "0121 354 9090",
        680000,
        250000,
        [
            (1230, "SI", "2026-09-03", 10058, "Consultancy", 156000),
        ],
    ),
    "MID001": (
        "Midland Motor Services",
        "Ian Bowen",
        "01604 771200",
        215000,
        300000,
        [
            (1255, "SA", "2026-10-26", "004512", "Payment on Account", -30000),
        ],
    ),
}


def band(date: str) -> int:
    """Sage's column by the transaction's age: Current 0-30 days, Period 1-3, Older."""
    age = (AS_OF - dt.date.fromisoformat(date)).days
    return next(i for i, top in enumerate((30, 60, 90, 120, 10**6)) if age <= top)


def ddmmyyyy(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 33)})
    sheet = book.add_worksheet("Aged Debtors Analysis (Detaile")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    total_money = book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
    sheet.write_string(0, 0, "Date: 02/11/2026")
    sheet.write_string(0, 4, COMPANY, bold)
    sheet.write_string(0, 11, "Page: 1")
    sheet.write_string(1, 0, "Time: 09:14:33")
    sheet.write_string(1, 4, "Aged Debtors Analysis (Detailed)", bold)
    sheet.write_row(3, 0, ["Date From:", "01/01/1980"])
    sheet.write_row(3, 7, ["Customer From:"])
    sheet.write_row(4, 0, ["Date To:", "31/10/2026"])
    sheet.write_row(4, 7, ["Customer To:", "ZZZZZZZZ"])
    sheet.write_row(6, 0, ["Include future transactions:", "No"])
    sheet.write_row(7, 0, ["Exclude later payments:", "No"])
    sheet.write_string(
        9,
        0,
        "** NOTE: All report values are shown in Base Currency, unless otherwise indicated **",
        bold,
    )
    sheet.write_row(11, 0, HEADER, bold)
    row = 13
    grand = [0] * 7  # balance, future, current, period 1-3, older
    for account, (name, contact, tel, turnover, limit, items) in CUSTOMERS.items():
        sheet.write_row(
            row, 0, ["A/C:", account, "Name:", name, "", "Contact:", contact, "", "Tel:", tel], bold
        )
        row += 1
        sums = [0] * 7
        for number, typ, date, ref, details, pence in items:
            sheet.write_number(row, 0, number)
            sheet.write_string(row, 1, typ)
            sheet.write_string(row, 2, ddmmyyyy(date))
            if isinstance(ref, int):
                sheet.write_number(row, 3, ref)
            else:
                sheet.write_string(row, 3, ref)
            sheet.write_string(row, 4, details)
            cells = [pence, 0] + [pence if i == band(date) else 0 for i in range(5)]
            for i, value in enumerate(cells):
                sheet.write_number(row, 5 + i, value / 100, money)
                sums[i] += value
            row += 1
        sheet.write_string(row, 4, "Totals:", bold)
        for i, value in enumerate(sums):
            sheet.write_number(row, 5 + i, value / 100, total_money)
        grand = [g + s for g, s in zip(grand, sums, strict=True)]
        row += 1
        sheet.write_string(row, 4, "Turnover:")
        sheet.write_number(row, 5, turnover / 100, money)
        row += 1
        sheet.write_string(row, 4, "Credit Limit £")
        sheet.write_number(row, 5, limit / 100, money)
        row += 2
    sheet.write_string(row, 4, "Grand Totals:", bold)
    for i, value in enumerate(grand):
        sheet.write_number(row, 5 + i, value / 100, total_money)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 5)
    sheet.set_column(2, 4, 14)
    sheet.set_column(5, 11, 11)
    book.close()


if __name__ == "__main__":
    main()
