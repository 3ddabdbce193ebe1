"""QuickBooks Desktop "Open Invoices" report (Reports > Customers & Receivables > Open Invoices),
as of 10/31/2026, Excel > Create New Worksheet, default options: report header on printed report
only (not in cells), spacer columns on. Grouped by customer: the customer name is a heading row
in column A, 'Total <customer>' closes it, 'TOTAL' ends the report. Columns Type, Date, Num,
P. O. #, Terms, Due Date, Aging, Open Balance. Unapplied payments and credits are listed."""

import datetime as dt
from pathlib import Path

import xlsxwriter

COLS = {
    "Type": 2,
    "Date": 4,
    "Num": 6,
    "P. O. #": 8,
    "Terms": 10,
    "Due Date": 12,
    "Aging": 14,
    "Open Balance": 16,
}
AS_OF = dt.date(2026, 10, 31)
CUSTOMERS = [
    (
        "Abercrombie, Kristy",
        [
            ("Invoice", "2026-09-18", "1097", "", "Net 30", "2026-10-18", 2940.50),
            ("Credit Memo", "2026-10-05", "1099", "", "", "2026-10-05", -440.50),
        ],
    ),
    (
        "Cook, Brian",
        [
            ("Invoice", "2026-07-16", "1085", "4471", "Net 30", "2026-08-15", 1200.00),
            ("Invoice", "2026-10-14", "1102", "", "Net 30", "2026-11-13", 4322.00),
        ],
    ),
    (
        "Natiello, Ernesto",
        [
            ("Invoice", "2026-08-02", "1090", "", "Net 30", "2026-09-01", 3000.00),
            ("Payment", "2026-10-22", "1001", "", "", "2026-10-22", -1000.00),
        ],
    ),
]


def main():
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    # a fixed creation date: the same bytes on every run
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 30)})
    s = book.add_worksheet("Sheet1")
    df = book.add_format({"num_format": "mm/dd/yyyy"})
    mf = book.add_format({"num_format": "#,##0.00"})
    b = book.add_format({"bold": True})
    for name, c in COLS.items():
        s.write_string(0, c, name, b)
    r = 1
    grand = 0
    for cust, rows in CUSTOMERS:
        s.write_string(r, 0, cust)
        r += 1
        tot = 0
        for typ, d, num, po, terms, due, amt in rows:
            s.write_string(r, COLS["Type"], typ)
            s.write_datetime(r, COLS["Date"], dt.date.fromisoformat(d), df)
            s.write_string(r, COLS["Num"], num)
            if po:
                s.write_string(r, COLS["P. O. #"], po)
            if terms:
                s.write_string(r, COLS["Terms"], terms)
            s.write_datetime(r, COLS["Due Date"], dt.date.fromisoformat(due), df)
            age = (AS_OF - dt.date.fromisoformat(due)).days
            if typ == "Invoice" and age > 0:
                s.write_number(r, COLS["Aging"], age)
            s.write_number(r, COLS["Open Balance"], amt, mf)
            tot += amt
            r += 1
        s.write_string(r, 0, f"Total {cust}")
        s.write_number(r, COLS["Open Balance"], round(tot, 2), mf)
        r += 1
        grand += tot
    r += 1
    s.write_string(r, 0, "TOTAL")
    s.write_number(r, COLS["Open Balance"], round(grand, 2), mf)
    book.close()


main()
