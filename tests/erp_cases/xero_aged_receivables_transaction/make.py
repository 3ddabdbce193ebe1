"""Xero "Aged Receivables Detail" in the layout with a Transaction column, as at 31 October
2026, Export > Excel. A US organisation without multi-currency: no currency in the file.

The Transaction column names each row's kind and number together ("Invoice INV-0038",
"Credit Note CN-0012", "Overpayment"); Reference is the free text typed on the invoice
("Sept membership", "Credit for INV-0038"). Contact heading rows, "Total <contact>" rows and a
final "Total"; amounts sit in their ageing column and in Total. Dates are text as Xero shows
them ("15 Aug 2026"). Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

TITLE = [
    "Aged Receivables Detail",
    "Demo Company (US)",
    "As at 31 October 2026",
    "Ageing by due date",
]
HEADER = [
    "Date",
    "Transaction",
    "Reference",
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

# contact -> rows: date, transaction, reference, due date (None: none), band, amount (cents)
CONTACTS = {
    "Rex Media Group": [
        ("2026-08-15", "Invoice INV-0038", "Sept membership", "2026-09-14", "m1", 184000),
        ("2026-10-18", "Invoice INV-0049", "Oct retainer", "2026-11-17", "current", 220000),
        ("2026-10-22", "Credit Note CN-0012", "Credit for INV-0038", None, "lt1", -24000),
    ],
    "Ridgeway Banking Corporation": [
        ("2026-05-01", "Invoice INV-0017", "PO 88213", "2026-05-31", "older", 560000),
        ("2026-06-30", "Invoice INV-0026", "PO 88240", "2026-07-30", "m3", 318050),
    ],
    "Hamilton Smith Ltd": [
        ("2026-09-02", "Invoice INV-0041", "", "2026-10-02", "lt1", 76000),
    ],
    "Young Bros Transport": [
        ("2026-08-25", "Invoice INV-0040", "Freight Aug", "2026-09-24", "m1", 135000),
        ("2026-10-12", "Overpayment", "Overpayment", None, "lt1", -110000),
    ],
    "Orlena Greenhouse": [
        ("2026-10-28", "Credit Note CN-0013", "Returned pots", None, "lt1", -9540),
    ],
}


def xero_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def band_sums(items: list[tuple]) -> list[float]:
    return [sum(i[5] for i in items if BAND_COLUMN[i[4]] == col) / 100 for col in range(4, 10)]


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Aged Receivables Detail")
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    total_money = book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
    for r, text in enumerate(TITLE):
        sheet.write_string(r, 0, text, title if r == 0 else None)
    row = len(TITLE) + 1
    sheet.write_row(row, 0, HEADER, head)
    row += 1
    for contact, items in CONTACTS.items():
        sheet.write_string(row, 0, contact, bold)
        row += 1
        for date, transaction, reference, due, band, cents in items:
            sheet.write_string(row, 0, xero_date(date))
            sheet.write_string(row, 1, transaction)
            if reference:
                sheet.write_string(row, 2, reference)
            if due:
                sheet.write_string(row, 3, xero_date(due))
            for col in range(4, 10):
                sheet.write_number(row, col, cents / 100 if col == BAND_COLUMN[band] else 0, money)
            sheet.write_number(row, 10, cents / 100, money)
            row += 1
        sheet.write_string(row, 0, f"Total {contact}", bold)
        sheet.write_row(row, 4, band_sums(items), total_money)
        sheet.write_number(row, 10, sum(i[5] for i in items) / 100, total_money)
        row += 1
    every = [i for items in CONTACTS.values() for i in items]
    sheet.write_string(row, 0, "Total", bold)
    sheet.write_row(row, 4, band_sums(every), total_money)
    sheet.write_number(row, 10, sum(i[5] for i in every) / 100, total_money)
    sheet.set_column(0, 3, 18)
    sheet.set_column(4, 10, 12)
    book.close()


if __name__ == "__main__":
    main()
