"""Dynamics 365 Business Central report 4402 "Aged Accounts Receivable Excel" (built-in Excel
layout, ExcelLayoutMultipleDataSheets = true), aged as of 31-10-2026 by Due Date, period length
1M, 5 periods, downloaded as .xlsx. Sheets: the layout's summary sheet (a pivot over the data,
written as values here), the data sheet of the CustomerAgingData data item (customer columns
No./Name flattened with the nested AgingData columns, captions as the report defines them, the
currency column with no caption, so its column name CurrencyCode), and the Dimension1 data sheet.
Deterministic: fixed creation time. Writes export.xlsx next to this file.
Source: microsoft BCApps, report 4402 "EXR Aged Accounts Rec Excel" (columns in dataset order)."""

import datetime as dt
from pathlib import Path

import xlsxwriter

H = [
    "No.",
    "Name",
    "Period Start Date",
    "Period End Date",
    "Remaining Amount",
    "Original Amount",
    "Remaining Amount (LCY)",
    "Original Amount (LCY)",
    "Dimension 1 Code",
    "Dimension 2 Code",
    "CurrencyCode",
    "Posting Date",
    "Document Date",
    "Due Date",
    "Reporting Date",
    "Reporting Date Month",
    "Reporting Date Quarter",
    "Reporting Date Year",
    "Entry No.",
]
# no, name, pstart, pend, rem, orig, remlcy, origlcy, dim1, cur, posting, docdate, due, entry
D = [
    (
        "10000",
        "Adatum Corporation",
        "2026-08-31",
        "2026-09-30",
        5000.00,
        5000.00,
        5000.00,
        5000.00,
        "SALES",
        "GBP",
        "2026-08-10",
        "2026-08-10",
        "2026-09-09",
        101,
    ),
    (
        "10000",
        "Adatum Corporation",
        "2026-09-30",
        "2026-10-31",
        -500.00,
        -500.00,
        -500.00,
        -500.00,
        "SALES",
        "GBP",
        "2026-10-02",
        "2026-10-02",
        "2026-10-02",
        115,
    ),
    (
        "20000",
        "Trey Research",
        "2026-09-30",
        "2026-10-31",
        5800.00,
        5800.00,
        5046.00,
        5046.00,
        "SALES",
        "EUR",
        "2026-09-20",
        "2026-09-20",
        "2026-10-20",
        120,
    ),
    (
        "20000",
        "Trey Research",
        "2026-10-31",
        "2026-11-30",
        1200.00,
        1200.00,
        1200.00,
        1200.00,
        "ADM",
        "GBP",
        "2026-10-25",
        "2026-10-25",
        "2026-11-24",
        130,
    ),
    (
        "30000",
        "School of Fine Art",
        "2026-05-31",
        "2026-06-30",
        1750.00,
        3000.00,
        1750.00,
        3000.00,
        "",
        "GBP",
        "2026-05-31",
        "2026-05-31",
        "2026-06-30",
        140,
    ),
]


def main():
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 30, 0)})  # no clock
    df = book.add_format({"num_format": "dd-mm-yyyy"})
    mf = book.add_format({"num_format": "#,##0.00"})
    summ = book.add_worksheet("Aged by Period (LCY)")
    summ.write_row(0, 0, ["Aged Accounts Receivable by Period (LCY)"])
    summ.write_row(1, 0, ["Open amounts in LCY"])
    summ.write_row(
        3,
        0,
        ["Row Labels", "Balance (LCY)", "30-06-2026", "30-09-2026", "31-10-2026", "30-11-2026"],
    )
    summ.write_row(4, 0, ["Adatum Corporation", 4500.00, "", 5000.00, -500.00, ""])
    summ.write_row(5, 0, ["School of Fine Art", 1750.00, 1750.00, "", "", ""])
    summ.write_row(6, 0, ["Trey Research", 6246.00, "", "", 5046.00, 1200.00])
    summ.write_row(7, 0, ["Grand Total", 12496.00, 1750.00, 5000.00, 4546.00, 1200.00])
    s = book.add_worksheet("CustomerAgingData")
    s.write_row(0, 0, H)
    for r, (no, name, ps, pe, rem, orig, reml, origl, d1, cur, post, docd, due, entry) in enumerate(
        D, 1
    ):
        s.write_string(r, 0, no)
        s.write_string(r, 1, name)
        s.write_datetime(r, 2, dt.date.fromisoformat(ps), df)
        s.write_datetime(r, 3, dt.date.fromisoformat(pe), df)
        for c, v in ((4, rem), (5, orig), (6, reml), (7, origl)):
            s.write_number(r, c, v, mf)
        if d1:
            s.write_string(r, 8, d1)
        s.write_string(r, 10, cur)
        s.write_datetime(r, 11, dt.date.fromisoformat(post), df)
        s.write_datetime(r, 12, dt.date.fromisoformat(docd), df)
        dd = dt.date.fromisoformat(due)
        s.write_datetime(r, 13, dd, df)
        s.write_datetime(r, 14, dd, df)
        s.write_number(r, 15, dd.month)
        s.write_number(r, 16, (dd.month - 1) // 3 + 1)
        s.write_number(r, 17, dd.year)
        s.write_number(r, 18, entry)
    d1s = book.add_worksheet("Dimension1")
    d1s.write_row(0, 0, ["Code", "Name"])
    d1s.write_row(1, 0, ["ADM", "Administration"])
    d1s.write_row(2, 0, ["SALES", "Sales"])
    d1s.write_row(3, 0, ["PROD", "Production"])
    book.close()


if __name__ == "__main__":
    main()
