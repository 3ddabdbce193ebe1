"""MYOB AccountRight 'Aged Receivables [Detail]' (ageing by days since invoice date... here by
invoice terms, shown as the ageing columns), Send To > Excel. Title rows: company, report name,
'Ageing Date: 31/10/2026'. Per customer a heading row with the card name, its open sales by
'ID No.' (zero-padded invoice number, text), 'Total:' under each customer, 'Grand Total:' and
the 'Ageing Percent:' row closing the report. Amounts in AUD, unnamed.
Deterministic: fixed creation time, no clock. Writes the export next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = ["ID No.", "Date", "Memo", "Total", "Current", "30 Days", "60 Days", "90+ Days"]
BAND = {"cur": 4, "30": 5, "60": 6, "90": 7}
CUST = {
    "Brown Sugar Cafe": [
        ("00000123", "2026-08-05", "Sale; Brown Sugar Cafe", 1650.00, "60"),
        ("00000141", "2026-10-10", "Sale; Brown Sugar Cafe", 495.00, "cur"),
    ],
    "Island Way Resort": [
        ("00000098", "2026-06-15", "Sale; Island Way Resort", 3300.00, "90"),
        ("CR000012", "2026-10-05", "Customer Credit", -300.00, "cur"),
    ],
    "Sunset Spa": [("00000134", "2026-09-18", "Sale; Sunset Spa", 880.00, "30")],
}


def main():
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sh = book.add_worksheet("Aged Receivables Detail")
    d = book.add_format({"num_format": "dd/mm/yyyy"})
    m = book.add_format({"num_format": "$#,##0.00;-$#,##0.00"})
    p = book.add_format({"num_format": "0.0%"})
    sh.write(0, 0, "Clearwater Pty Ltd")
    sh.write(1, 0, "Aged Receivables [Detail]")
    sh.write(2, 0, "Ageing Date: 31/10/2026")
    sh.write_row(4, 0, HEADER)
    r = 5
    bands = {k: 0 for k in BAND}
    for name, rows in CUST.items():
        sh.write(r, 0, name)
        r += 1
        sub = {k: 0 for k in BAND}
        for no, date, memo, amt, b in rows:
            sh.write_string(r, 0, no)
            sh.write_datetime(r, 1, dt.datetime.fromisoformat(date), d)
            sh.write(r, 2, memo)
            sh.write_number(r, 3, amt, m)
            sh.write_number(r, BAND[b], amt, m)
            sub[b] += amt
            r += 1
        sh.write(r, 2, "Total:")
        sh.write_number(r, 3, sum(sub.values()), m)
        for k, c in BAND.items():
            sh.write_number(r, c, sub[k], m)
            bands[k] += sub[k]
        r += 1
    total = sum(bands.values())
    sh.write(r, 2, "Grand Total:")
    sh.write_number(r, 3, total, m)
    for k, c in BAND.items():
        sh.write_number(r, c, bands[k], m)
    r += 1
    sh.write(r, 2, "Ageing Percent:")
    sh.write_number(r, 3, 1.0, p)
    for k, c in BAND.items():
        sh.write_number(r, c, bands[k] / total, p)
    book.close()


if __name__ == "__main__":
    main()
