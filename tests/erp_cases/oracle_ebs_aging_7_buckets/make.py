"""Oracle E-Business Suite R12 Receivables "Aging - 7 Buckets - By Account Report", as of
31-OCT-2026, Report Format Detailed, Report Summary Invoice Summary, Show On Account = Age,
output Excel (BI Publisher).

Header block with the operating unit, report name, run date and parameters; column headings;
a balancing-segment heading; one row per open payment schedule with the customer name and
number; a "Customer Total" row after each customer, "Report Total" at the end and Oracle's
"*** End of Report ***" line. Dates in Oracle's DD-MON-YYYY; transaction and customer numbers
are number cells; amounts in the functional currency, which the output does not name. The
standard 7-bucket aging set: Current, 1-30, 31-60, 61-90, 91-180, 181-360, 361+ days past due.
Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

AS_OF = dt.date(2026, 10, 31)
HEADER = [
    "Customer Name",
    "Customer Number",
    "Invoice Number",
    "Type",
    "Due Date",
    "Days Past Due",
    "Outstanding Amount",
    "Current",
    "1-30 Days Past Due",
    "31-60 Days Past Due",
    "61-90 Days Past Due",
    "91-180 Days Past Due",
    "181-360 Days Past Due",
    "361+ Days Past Due",
]
TOPS = (0, 30, 60, 90, 180, 360, 10**6)  # upper bound of each bucket in days past due

# (customer name, number) -> rows: transaction number, type, due date, outstanding (cents)
CUSTOMERS = {
    ("Business World", 1006): [
        (10023412, "Invoice", "2026-09-02", 825000),
        (10023688, "Invoice", "2026-11-15", 410000),
        (2047, "Credit Memo", "2026-10-20", -125000),
    ],
    ("Hilman and Associates", 1009): [
        (10022967, "Invoice", "2026-04-30", 264000),
        (10023501, "Debit Memo", "2026-10-14", 31000),
    ],
    ("A. C. Networks", 1608): [
        (10021873, "Invoice", "2025-10-10", 590000),
        (10023755, "Invoice", "2026-10-05", 148000),
        (45129, "Payment", "2026-10-27", -200000),
    ],
    ("Computer Service and Rentals", 1287): [
        (45177, "Payment", "2026-10-30", -75000),
    ],
}


def oracle_date(day: dt.date) -> str:
    return day.strftime("%d-%b-%Y").upper()


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Sheet1")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00;-#,##0.00"})
    total_money = book.add_format({"num_format": "#,##0.00;-#,##0.00", "bold": True, "top": 1})
    sheet.write_string(0, 0, "Vision Operations", bold)
    sheet.write_string(0, 11, "Report Date: 02-NOV-2026 09:14")
    sheet.write_string(1, 0, "Aging - 7 Buckets - By Account Report", bold)
    sheet.write_string(1, 11, "Page: 1 of 1")
    sheet.write_row(3, 0, ["Order By:", "Customer"])
    sheet.write_row(3, 4, ["Report Format:", "Detailed"])
    sheet.write_row(4, 0, ["As of Date:", oracle_date(AS_OF)])
    sheet.write_row(4, 4, ["Report Summary:", "Invoice Summary"])
    sheet.write_row(5, 0, ["Aging Bucket Name:", "Standard"])
    sheet.write_row(5, 4, ["Show On Account:", "Age"])
    sheet.write_row(7, 0, HEADER, head)
    sheet.write_string(8, 0, "Balancing Segment: 01", bold)
    row = 9
    report_total = 0
    for (name, number), items in CUSTOMERS.items():
        for trx, typ, due, cents in items:
            due_day = dt.date.fromisoformat(due)
            days = (AS_OF - due_day).days
            sheet.write_string(row, 0, name)
            sheet.write_number(row, 1, number)
            sheet.write_number(row, 2, trx)
            sheet.write_string(row, 3, typ)
            sheet.write_string(row, 4, oracle_date(due_day))
            sheet.write_number(row, 5, days)
            sheet.write_number(row, 6, cents / 100, money)
            bucket = next(i for i, top in enumerate(TOPS) if days <= top)
            sheet.write_number(row, 7 + bucket, cents / 100, money)
            row += 1
        total = sum(i[3] for i in items)
        report_total += total
        sheet.write_string(row, 0, "Customer Total", bold)
        sheet.write_number(row, 6, total / 100, total_money)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Report Total", bold)
    sheet.write_number(row, 6, report_total / 100, total_money)
    row += 2
    sheet.write_string(row, 0, "*** End of Report ***")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 13, 13)
    book.close()


if __name__ == "__main__":
    main()
