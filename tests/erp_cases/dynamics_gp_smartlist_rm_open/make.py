"""Microsoft Dynamics GP SmartList 'Receivables Transactions' (RM Open File) > Excel.
Columns from the RM Open File: Customer Number, Customer Name, Document Type, Document Number,
Document Date, Due Date, Original Trx Amount, Current Trx Amount (the unapplied remainder).
GP keeps every amount positive: Payments and Credit Memos are credits by their type.
Deterministic: fixed creation time, no clock. Writes the export next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = [
    "Customer Number",
    "Customer Name",
    "Document Type",
    "Document Number",
    "Document Date",
    "Due Date",
    "Original Trx Amount",
    "Current Trx Amount",
    "Void Status",
]
ROWS = [
    (
        "AARONFIT0001",
        "Aaron Fitz Electrical",
        "Sales / Invoices",
        "STDINV2261",
        "2026-07-15",
        "2026-08-14",
        5000.00,
        3000.00,
    ),
    (
        "AARONFIT0001",
        "Aaron Fitz Electrical",
        "Sales / Invoices",
        "STDINV2301",
        "2026-10-01",
        "2026-10-31",
        1850.00,
        1850.00,
    ),
    (
        "AARONFIT0001",
        "Aaron Fitz Electrical",
        "Credit Memos",
        "CRMEM1007",
        "2026-10-12",
        "2026-10-12",
        350.00,
        350.00,
    ),
    (
        "ADAMPARK0001",
        "Adam Park Resort",
        "Sales / Invoices",
        "STDINV2277",
        "2026-08-20",
        "2026-09-19",
        2400.00,
        2400.00,
    ),
    (
        "ADAMPARK0001",
        "Adam Park Resort",
        "Payments",
        "PYMNT0000451",
        "2026-10-20",
        "2026-10-20",
        2400.00,
        1000.00,
    ),
    (
        "ALTONMAN0001",
        "Alton Manufacturing",
        "Payments",
        "PYMNT0000460",
        "2026-10-25",
        "2026-10-25",
        1200.00,
        1200.00,
    ),
]


def main():
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sh = book.add_worksheet("Sheet1")
    dfmt = book.add_format({"num_format": "m/d/yyyy"})
    mfmt = book.add_format({"num_format": "$#,##0.00"})
    sh.write_row(0, 0, HEADER)
    for r, row in enumerate(ROWS, 1):
        sh.write_row(r, 0, row[:4])
        sh.write_datetime(r, 4, dt.datetime.fromisoformat(row[4]), dfmt)
        sh.write_datetime(r, 5, dt.datetime.fromisoformat(row[5]), dfmt)
        sh.write_number(r, 6, row[6], mfmt)
        sh.write_number(r, 7, row[7], mfmt)
        sh.write(r, 8, "Normal")
    book.close()


if __name__ == "__main__":
    main()
