"""SAP ERP / S/4HANA FBL5N (Customer Line Item Display), open items at key date 31.10.2026,
exported from the ALV grid with List > Export > Spreadsheet (XLSX).

Company code 1000 keeps its books in EUR; three of four customers are billed in EUR, USD and GBP.
The grid shows the layout's long field labels; document and account numbers are number cells,
the assignment keeps its leading zeros as text, dates are date cells, amounts number cells in
each column's own currency, no totals rows (the export of a grid without subtotals).
"Arrears after net due date" is counted by SAP from the day the list ran (02.11.2026), not from
the key date. Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = [
    "Company Code",
    "Account",
    "Assignment",
    "Document Number",
    "Document Type",
    "Document Date",
    "Posting Date",
    "Net due date",
    "Arrears after net due date",
    "Amount in doc. curr.",
    "Document currency",
    "Amount in local currency",
    "Local Currency",
    "Clearing Document",
    "Text",
]

RUN_DATE = dt.date(2026, 11, 2)  # the day the list ran: SAP counts arrears from it


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# account, assignment, document no, type, doc date, posting date, net due, doc amount, doc curr,
# local amount, text
ITEMS = [
    (
        100045,
        "0090000311",
        1800000311,
        "RV",
        "2026-07-20",
        "2026-07-20",
        "2026-08-19",
        10500.00,
        "EUR",
        10500.00,
        "",
    ),
    (
        100045,
        "0090000356",
        1800000356,
        "RV",
        "2026-09-25",
        "2026-09-25",
        "2026-10-25",
        4200.00,
        "EUR",
        4200.00,
        "",
    ),
    (
        100045,
        "0090000402",
        1800000402,
        "RV",
        "2026-10-20",
        "2026-10-20",
        "2026-11-19",
        2750.00,
        "EUR",
        2750.00,
        "",
    ),
    (
        100045,
        "20261005",
        1400000087,
        "DZ",
        "2026-10-05",
        "2026-10-05",
        "2026-10-05",
        -3000.00,
        "EUR",
        -3000.00,
        "Payment on account",
    ),
    (
        100112,
        "0090000298",
        1800000298,
        "RV",
        "2026-06-30",
        "2026-06-30",
        "2026-07-30",
        12000.00,
        "USD",
        11040.00,
        "",
    ),
    (
        100112,
        "0090000377",
        1800000377,
        "RV",
        "2026-10-01",
        "2026-10-01",
        "2026-10-31",
        5400.00,
        "USD",
        4995.00,
        "",
    ),
    (
        100230,
        "0090000340",
        1800000340,
        "RV",
        "2026-09-10",
        "2026-09-10",
        "2026-10-10",
        3800.00,
        "GBP",
        4370.00,
        "",
    ),
    (
        100230,
        "SVC-2026-03",
        1800000188,
        "DR",
        "2026-03-02",
        "2026-03-02",
        "2026-04-01",
        950.00,
        "GBP",
        1111.50,
        "Service call March",
    ),
    (
        100301,
        "0090000371",
        1700000021,
        "DG",
        "2026-10-12",
        "2026-10-12",
        "2026-10-12",
        -1250.00,
        "EUR",
        -1250.00,
        "Credit for returned goods",
    ),
]


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Sheet1")
    bold = book.add_format({"bold": True})
    date_fmt = book.add_format({"num_format": "dd.mm.yyyy"})
    number_fmt = book.add_format({"num_format": "0"})
    amount_fmt = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, HEADER, bold)
    for r, (acct, assign, doc, typ, doc_date, post, due, amt, cur, lc, text) in enumerate(ITEMS, 1):
        sheet.write_string(r, 0, "1000")
        sheet.write_number(r, 1, acct, number_fmt)
        sheet.write_string(r, 2, assign)
        sheet.write_number(r, 3, doc, number_fmt)
        sheet.write_string(r, 4, typ)
        sheet.write_datetime(r, 5, d(doc_date), date_fmt)
        sheet.write_datetime(r, 6, d(post), date_fmt)
        sheet.write_datetime(r, 7, d(due), date_fmt)
        sheet.write_number(r, 8, (RUN_DATE - d(due)).days)
        sheet.write_number(r, 9, amt, amount_fmt)
        sheet.write_string(r, 10, cur)
        sheet.write_number(r, 11, lc, amount_fmt)
        sheet.write_string(r, 12, "EUR")
        sheet.write_blank(r, 13, None)
        if text:
            sheet.write_string(r, 14, text)
    sheet.set_column(0, 14, 14)
    book.close()


if __name__ == "__main__":
    main()
