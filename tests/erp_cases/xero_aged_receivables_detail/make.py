"""Xero "Aged Receivables Detail" (new reporting, ageing by due date), as at 31 October 2026,
Export > Excel. A UK organisation without multi-currency: no currency appears in the file.

Four title rows (report name, organisation, "As at ...", "Ageing by due date"), a blank row,
the header, a blank row, then per contact: a heading row with the contact name, its invoices,
credit notes and overpayments, and "Total <contact>"; "Total" closes the report. Rows carry no
contact column. Each amount sits in its ageing column (Current, < 1 Month, 1 Month, 2 Months,
3 Months, Older) and again in Total. Dates are date cells. Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

TITLE = [
    "Aged Receivables Detail",
    "Demo Company (UK)",
    "As at 31 October 2026",
    "Ageing by due date",
]
HEADER = [
    "Invoice Date",
    "Invoice Number",
    "Invoice Reference",
    "Due Date",
    "Current",
    "< 1 Month",
    "1 Month",
    "2 Months",
    "3 Months",
    "Older",
    "Total",
]
BAND_COLUMN = {"current": 4, "lt1": 5, "m1": 6, "m2": 7, "m3": 8, "older": 9}

# contact -> rows: date, number, reference, due date (None: credit), band, amount (pence)
CONTACTS = {
    "Bayside Club": [
        ("2026-08-14", "INV-0031", "Sept membership", "2026-09-13", "m1", 120000),
        ("2026-10-02", "INV-0042", "Oct fees", "2026-11-01", "current", 52000),
    ],
    "Boom FM": [
        ("2026-06-20", "INV-0022", "Radio ad campaign", "2026-07-20", "m3", 235000),
        ("2026-10-05", "CN-0007", "Ad slot refund", None, "lt1", -35000),
    ],
    "City Limousines": [
        ("2026-09-28", "INV-0039", "", "2026-10-12", "lt1", 98560),
    ],
    "Marine Systems": [
        ("2026-03-10", "INV-0011", "Mooring repairs", "2026-04-09", "older", 412500),
    ],
    "Ridgeway University": [
        ("2026-10-20", "", "Overpayment", None, "lt1", -60000),
    ],
}


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Aged Receivables Detail")
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1})
    date_fmt = book.add_format({"num_format": "d mmm yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    total_money = book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
    for r, text in enumerate(TITLE):
        sheet.write_string(r, 0, text, title if r == 0 else None)
    row = len(TITLE) + 1
    sheet.write_row(row, 0, HEADER, head)
    row += 2  # a blank row under the header
    grand = 0
    for contact, items in CONTACTS.items():
        sheet.write_string(row, 0, contact, bold)
        row += 1
        for date, number, reference, due, band, pence in items:
            sheet.write_datetime(row, 0, dt.date.fromisoformat(date), date_fmt)
            if number:
                sheet.write_string(row, 1, number)
            if reference:
                sheet.write_string(row, 2, reference)
            if due:
                sheet.write_datetime(row, 3, dt.date.fromisoformat(due), date_fmt)
            for col in range(4, 10):
                sheet.write_number(row, col, pence / 100 if col == BAND_COLUMN[band] else 0, money)
            sheet.write_number(row, 10, pence / 100, money)
            row += 1
        total = sum(i[5] for i in items)
        grand += total
        sheet.write_string(row, 0, f"Total {contact}", bold)
        for col in range(4, 10):
            band_sum = sum(i[5] for i in items if BAND_COLUMN[i[4]] == col)
            sheet.write_number(row, col, band_sum / 100, total_money)
        sheet.write_number(row, 10, total / 100, total_money)
        row += 1
    sheet.write_string(row, 0, "Total", bold)
    for col in range(4, 10):
        band_sum = sum(
            i[5] for items in CONTACTS.values() for i in items if BAND_COLUMN[i[4]] == col
        )
        sheet.write_number(row, col, band_sum / 100, total_money)
    sheet.write_number(row, 10, grand / 100, total_money)
    sheet.set_column(0, 3, 16)
    sheet.set_column(4, 10, 12)
    book.close()


if __name__ == "__main__":
    main()
