"""QuickBooks Desktop "Customer Balance Detail" (Reports > Customers & Receivables), All dates,
Excel > Create New Worksheet, default options: report header in the Excel page header, spacer
columns, customer headings in column A, 'Total <customer>' and 'TOTAL' rows, a Balance that runs
within each customer. Columns Type, Date, Num, Account, Amount, Balance; the Account is the
receivable account on every line; payments carry the customer's check number."""

import datetime as dt
from pathlib import Path

import xlsxwriter

COLS = {"Type": 2, "Date": 4, "Num": 6, "Account": 8, "Amount": 10, "Balance": 12}
CUSTOMERS = [
    (
        "Cook, Brian:Kitchen",
        [
            ("Invoice", "2026-08-20", "1091", 5000.00),
            ("Payment", "2026-09-25", "5561", -3000.00),
            ("Invoice", "2026-10-14", "1102", 4322.00),
        ],
    ),
    (
        "Melton, Johnny:Dental office",
        [
            ("Invoice", "2026-07-01", "1080", 1500.00),
            ("Credit Memo", "2026-07-15", "1084", -200.00),
        ],
    ),
]


def build(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Sheet1")
    date = book.add_format({"num_format": "mm/dd/yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    for label, col in COLS.items():
        sheet.write(0, col, label)
    row, grand = 1, 0.0

    def totals(label: str, amount: float, balance: float) -> None:
        sheet.write(row, 0, label)
        sheet.write_number(row, COLS["Amount"], amount, money)
        sheet.write_number(row, COLS["Balance"], balance, money)

    for customer, lines in CUSTOMERS:
        sheet.write(row, 0, customer)
        row += 1
        balance = 0.0
        for kind, day, number, amount in lines:
            balance += amount
            sheet.write(row, COLS["Type"], kind)
            sheet.write_datetime(row, COLS["Date"], dt.datetime.fromisoformat(day), date)
            sheet.write(row, COLS["Num"], number)
            sheet.write(row, COLS["Account"], "Accounts Receivable")
            sheet.write_number(row, COLS["Amount"], amount, money)
            sheet.write_number(row, COLS["Balance"], balance, money)
            row += 1
        totals(f"Total {customer}", balance, balance)
        grand += balance
        row += 2  # a blank row after each customer's total
    totals("TOTAL", grand, grand)
    book.close()


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
