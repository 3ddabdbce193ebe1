"""QuickBooks Online 'Transaction List by Customer' (Export to Excel), 1 Jan - 31 Oct 2026.
Title rows (company, report name, date range), header with an empty first column, per customer a
heading row, its transactions, 'Total for <customer>'; a footer timestamp. Amount is the
transaction amount as QuickBooks lists it: every amount positive, the Transaction Type says
what it is. A payment names the invoice it pays in Memo/Description; a credit memo too.
Deterministic: fixed creation time, no clock. Writes the export next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = ["", "Date", "Transaction Type", "Num", "Posting", "Memo/Description", "Account", "Amount"]
CUST = {
    "Cool Cars": [
        ("2026-07-10", "Invoice", "1031", "Yes", "", "Accounts Receivable (A/R)", 2400.00),
        ("2026-08-12", "Invoice", "1038", "Yes", "", "Accounts Receivable (A/R)", 1800.00),
        (
            "2026-09-30",
            "Payment",
            "",
            "Yes",
            "Payment for invoice 1038",
            "Undeposited Funds",
            1500.00,
        ),
        (
            "2026-10-05",
            "Credit Memo",
            "1044",
            "Yes",
            "Credit for invoice 1038 returned parts",
            "Accounts Receivable (A/R)",
            300.00,
        ),
    ],
    "Freeman Sporting Goods": [
        ("2026-09-01", "Invoice", "1040", "Yes", "", "Accounts Receivable (A/R)", 1200.00),
        (
            "2026-10-10",
            "Payment",
            "",
            "Yes",
            "Partial payment inv 1040",
            "Undeposited Funds",
            500.00,
        ),
        ("2026-10-20", "Invoice", "1047", "Yes", "", "Accounts Receivable (A/R)", 650.00),
    ],
}


def main():
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sh = book.add_worksheet("Transaction List by Customer")
    d = book.add_format({"num_format": "mm/dd/yyyy"})
    m = book.add_format({"num_format": "#,##0.00"})
    sh.write(0, 0, "Craig's Design and Landscaping Services")
    sh.write(1, 0, "Transaction List by Customer")
    sh.write(2, 0, "January 1 - October 31, 2026")
    sh.write_row(4, 0, HEADER)
    r = 5
    for name, rows in CUST.items():
        sh.write(r, 0, name)
        r += 1
        for date, typ, num, post, memo, acct, amt in rows:
            sh.write_datetime(r, 1, dt.datetime.fromisoformat(date), d)
            sh.write(r, 2, typ)
            if num:
                sh.write_string(r, 3, num)
            sh.write(r, 4, post)
            if memo:
                sh.write(r, 5, memo)
            sh.write(r, 6, acct)
            sh.write_number(r, 7, amt, m)
            r += 1
        sh.write(r, 0, f"Total for {name}")
        r += 1
    r += 2
    sh.write(r, 0, "Monday, Nov 02, 2026 09:00:00 AM GMT-7")
    book.close()


if __name__ == "__main__":
    main()
