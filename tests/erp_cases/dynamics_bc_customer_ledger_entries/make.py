"""Microsoft Dynamics 365 Business Central, page 25 "Customer Ledger Entries" filtered on
Open = Yes, exported with Open in Excel.

A UK company (LCY = GBP). The page lists entries newest customer first (sorting "Customer No.",
"Posting Date" descending). Columns are the page's visible fields with their captions; the
Currency Code is blank for entries in LCY, and the export names the LCY nowhere. Remaining
Amount is in the entry's currency, Remaining Amt. (LCY) in GBP. Sales (LCY) is the sales amount
excl. VAT, not an open balance. One invoice carries a Dispute Status. Writes export.xlsx.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

COLUMNS = [
    "Posting Date",
    "Document Date",
    "Document Type",
    "Document No.",
    "Customer No.",
    "Customer Name",
    "Description",
    "Currency Code",
    "Original Amount",
    "Amount",
    "Amount (LCY)",
    "Remaining Amount",
    "Remaining Amt. (LCY)",
    "Sales (LCY)",
    "Due Date",
    "Pmt. Discount Date",
    "Pmt. Disc. Tolerance Date",
    "Original Pmt. Disc. Possible",
    "Remaining Pmt. Disc. Possible",
    "Max. Payment Tolerance",
    "Payment Method Code",
    "Open",
    "Dispute Status",
    "On Hold",
    "Entry No.",
    "Exported to Payment File",
]
NAMES = {
    "10000": "The Cannon Group PLC",
    "20000": "Selangorian Ltd.",
    "30000": "John Haddock Insurance Co.",
    "40000": "Deerfield Graphics Company",
    "50000": "Guildford Water Department",
}
# entry no, posting date, type, document no, customer, description, currency ('' = LCY),
# amount, amount LCY, remaining, remaining LCY, sales LCY, due date, dispute status
ENTRIES = [
    (
        2211,
        "2026-10-15",
        "Payment",
        "G02044",
        "50000",
        "Payment 2026-10-15",
        "",
        -720.00,
        -720.00,
        -720.00,
        -720.00,
        0.00,
        "2026-10-15",
        "",
    ),
    (
        2093,
        "2026-07-07",
        "Invoice",
        "103012",
        "40000",
        "Order 101012",
        "USD",
        4200.00,
        3150.00,
        4200.00,
        3150.00,
        2625.00,
        "2026-08-06",
        "",
    ),
    (
        2176,
        "2026-09-20",
        "Invoice",
        "103025",
        "30000",
        "Order 101025",
        "EUR",
        2400.00,
        2064.00,
        1400.00,
        1204.00,
        1720.00,
        "2026-10-20",
        "",
    ),
    (
        2158,
        "2026-09-01",
        "Invoice",
        "103021",
        "30000",
        "Order 101021",
        "EUR",
        5800.00,
        5046.00,
        5800.00,
        5046.00,
        4205.00,
        "2026-10-01",
        "",
    ),
    (
        2190,
        "2026-10-02",
        "Credit Memo",
        "104006",
        "20000",
        "Return order 1002",
        "",
        -350.00,
        -350.00,
        -350.00,
        -350.00,
        -291.67,
        "2026-10-02",
        "",
    ),
    (
        2042,
        "2026-04-15",
        "Invoice",
        "103004",
        "20000",
        "Order 101004",
        "",
        2150.00,
        2150.00,
        2150.00,
        2150.00,
        1791.67,
        "2026-05-15",
        "PRICE",
    ),
    (
        2237,
        "2026-10-28",
        "Payment",
        "G02051",
        "10000",
        "Payment 2026-10-28",
        "",
        -1000.00,
        -1000.00,
        -1000.00,
        -1000.00,
        0.00,
        "2026-10-28",
        "",
    ),
    (
        2185,
        "2026-10-06",
        "Invoice",
        "103029",
        "10000",
        "Order 101029",
        "",
        1845.60,
        1845.60,
        1845.60,
        1845.60,
        1538.00,
        "2026-11-05",
        "",
    ),
    (
        2117,
        "2026-08-12",
        "Invoice",
        "103017",
        "10000",
        "Order 101017",
        "",
        3264.00,
        3264.00,
        3264.00,
        3264.00,
        2720.00,
        "2026-09-11",
        "",
    ),
]


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties(
        {"created": dt.datetime(2026, 11, 2, 9, 14, 0), "title": "Customer Ledger Entries"}
    )
    sheet = book.add_worksheet("Customer Ledger Entries")
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    amount_fmt = book.add_format({"num_format": "#,##0.00"})
    for r, (
        entry,
        posting,
        typ,
        doc,
        cust,
        desc,
        cur,
        amt,
        amt_lcy,
        rem,
        rem_lcy,
        sales,
        due,
        dispute,
    ) in enumerate(ENTRIES, 1):
        day = dt.date.fromisoformat(posting)
        due_day = dt.date.fromisoformat(due)
        sheet.write_datetime(r, 0, day, date_fmt)
        sheet.write_datetime(r, 1, day, date_fmt)
        sheet.write_string(r, 2, typ)
        sheet.write_string(r, 3, doc)
        sheet.write_string(r, 4, cust)
        sheet.write_string(r, 5, NAMES[cust])
        sheet.write_string(r, 6, desc)
        sheet.write_string(r, 7, cur)
        for c, value in ((8, amt), (9, amt), (10, amt_lcy), (11, rem), (12, rem_lcy), (13, sales)):
            sheet.write_number(r, c, value, amount_fmt)
        sheet.write_datetime(r, 14, due_day, date_fmt)
        if typ == "Invoice":  # no payment discount terms: the discount dates equal the posting date
            sheet.write_datetime(r, 15, day, date_fmt)
            sheet.write_datetime(r, 16, day, date_fmt)
        for c in (17, 18, 19):
            sheet.write_number(r, c, 0, amount_fmt)
        sheet.write_string(r, 20, "BANK" if typ == "Payment" else "")
        sheet.write_string(r, 21, "Yes")
        sheet.write_string(r, 22, dispute)
        sheet.write_string(r, 23, "")
        sheet.write_number(r, 24, entry)
        sheet.write_string(r, 25, "No")
    sheet.add_table(
        0,
        0,
        len(ENTRIES),
        len(COLUMNS) - 1,
        {
            "name": "CustomerLedgerEntries",
            "style": "Table Style Light 9",
            "columns": [{"header": h} for h in COLUMNS],
        },
    )
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(COLUMNS) - 1, 15)
    book.close()


if __name__ == "__main__":
    main()
