"""Odoo 17 Accounting > Journal Items, filtered on Account = 121000 Account Receivable, grouped by
nothing, all selected > Export (XLSX) with the fields Date, Journal Entry, Account, Partner,
Label, Due Date, Debit, Credit, Balance, Amount in Currency, Currency, Residual Amount, Residual
Amount in Currency, Matching #. Field strings from odoo/addons/account/models/account_move_line.py.

Company currency USD; one EUR customer. Reconciled lines are included (Matching # A…, residual
0); P… is a partial reconcile. Account is the same GL account on every row. Deterministic: fixed
creation time, no clock. Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = [
    "Date",
    "Journal Entry",
    "Account",
    "Partner",
    "Label",
    "Due Date",
    "Debit",
    "Credit",
    "Balance",
    "Amount in Currency",
    "Currency",
    "Residual Amount",
    "Residual Amount in Currency",
    "Matching #",
]
ACCOUNT = "121000 Account Receivable"
# date, journal entry, partner, label, due date, debit, credit (company currency USD),
# amount in currency, currency, residual amount (USD), residual amount in currency, matching #
LINES = [
    ("2026-07-05", "INV/2026/00012", "Azure Interior", "INV/2026/00012", "2026-08-04",
     2000, 0, 2000, "USD", 0, 0, "A15"),
    ("2026-08-01", "PBNK1/2026/00007", "Azure Interior", "Customer Payment $ 2,000.00 - 08/01/2026",
     "2026-08-01", 0, 2000, -2000, "USD", 0, 0, "A15"),
    ("2026-09-10", "INV/2026/00031", "Azure Interior", "INV/2026/00031", "2026-10-10",
     3500, 0, 3500, "USD", 1500, 1500, "P12"),
    ("2026-10-12", "PBNK1/2026/00019", "Azure Interior", "Customer Payment $ 2,000.00 - 10/12/2026",
     "2026-10-12", 0, 2000, -2000, "USD", 0, 0, "P12"),
    ("2026-09-25", "INV/2026/00035", "Deco Addict", "INV/2026/00035", "2026-10-25",
     4600, 0, 4000, "EUR", 4600, 4000, ""),
    ("2026-10-20", "RINV/2026/00004", "Deco Addict", "Reversal of: INV/2026/00035, damaged goods",
     "2026-10-20", 0, 230, -200, "EUR", -230, -200, ""),
    ("2026-10-28", "INV/2026/00040", "Gemini Furniture", "INV/2026/00040", "2026-11-27",
     980, 0, 980, "USD", 980, 980, ""),
]  # fmt: skip


def main() -> None:
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 30, 0)})
    sheet = book.add_worksheet("Sheet1")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, HEADER)
    for row, line in enumerate(LINES, 1):
        day, entry, partner, label, due, debit, credit, in_currency, currency = line[:9]
        residual, residual_currency, matching = line[9:]
        sheet.write_datetime(row, 0, dt.date.fromisoformat(day), date_format)
        sheet.write_string(row, 1, entry)
        sheet.write_string(row, 2, ACCOUNT)
        sheet.write_string(row, 3, partner)
        sheet.write_string(row, 4, label)
        sheet.write_datetime(row, 5, dt.date.fromisoformat(due), date_format)
        sheet.write_number(row, 6, debit, money)
        sheet.write_number(row, 7, credit, money)
        sheet.write_number(row, 8, debit - credit, money)
        sheet.write_number(row, 9, in_currency, money)
        sheet.write_string(row, 10, currency)
        sheet.write_number(row, 11, residual, money)
        sheet.write_number(row, 12, residual_currency, money)
        if matching:
            sheet.write_string(row, 13, matching)
    book.close()


if __name__ == "__main__":
    main()
