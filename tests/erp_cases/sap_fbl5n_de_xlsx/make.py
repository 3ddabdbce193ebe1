"""SAP ERP / S/4HANA FBL5N (Debitoren Einzelposten) with a German logon, open items at key date
31.10.2026, exported from the ALV grid with Liste > Exportieren > Tabellenkalkulation (XLSX).

The grid shows the German long field labels (Kunde, Belegnummer, Nettofälligkeitsdatum, Betrag in
Hauswährung …); Hauswährung is the company code's currency (EUR), Belegwährung the document's.
Numbers and dates are stored as numbers and dates (German Excel shows 10.500,00 and 19.08.2026).
"Verzug nach Nettofälligkeit" is counted by SAP from the day the list ran (02.11.2026).
Deterministic: fixed creation time, no clock. Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = [
    "Buchungskreis",
    "Kunde",
    "Zuordnung",
    "Belegnummer",
    "Belegart",
    "Belegdatum",
    "Buchungsdatum",
    "Nettofälligkeitsdatum",
    "Verzug nach Nettofälligkeit",
    "Betrag in Belegwährung",
    "Belegwährung",
    "Betrag in Hauswährung",
    "Hauswährung",
    "Ausgleichsbeleg",
    "Text",
]
# Kunde, Zuordnung, Belegnummer, Belegart, Belegdatum, Nettofälligkeit,
# Betrag in Belegwährung, Belegwährung, Betrag in Hauswährung, Text
ITEMS = [
    (100045, "0090000311", 1800000311, "RV", "2026-07-20", "2026-08-19", 10500.0, "EUR", 10500.0, ""),
    (100045, "0090000356", 1800000356, "RV", "2026-09-25", "2026-10-25", 4200.0, "EUR", 4200.0, ""),
    (100045, "20261005", 1400000087, "DZ", "2026-10-05", "2026-10-05", -3000.0, "EUR", -3000.0,
     "Akontozahlung"),
    (100112, "0090000298", 1800000298, "RV", "2026-06-30", "2026-07-30", 12000.0, "USD", 11040.0, ""),
    (100301, "0090000371", 1700000021, "DG", "2026-10-12", "2026-10-12", -1250.0, "EUR", -1250.0,
     "Gutschrift Retoure"),
]  # fmt: skip
RUN_DATE = dt.date(2026, 11, 2)


def main() -> None:
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Sheet1")
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    amount_format = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, HEADER)
    for row, item in enumerate(ITEMS, 1):
        customer, assignment, doc, kind, doc_date, due, amount, currency, local, text = item
        sheet.write_string(row, 0, "1000")
        sheet.write_number(row, 1, customer)
        sheet.write_string(row, 2, assignment)
        sheet.write_number(row, 3, doc)
        sheet.write_string(row, 4, kind)
        for col, day in ((5, doc_date), (6, doc_date), (7, due)):
            sheet.write_datetime(row, col, dt.date.fromisoformat(day), date_format)
        sheet.write_number(row, 8, (RUN_DATE - dt.date.fromisoformat(due)).days)
        sheet.write_number(row, 9, amount, amount_format)
        sheet.write_string(row, 10, currency)
        sheet.write_number(row, 11, local, amount_format)
        sheet.write_string(row, 12, "EUR")
        if text:
            sheet.write_string(row, 14, text)
    book.close()


if __name__ == "__main__":
    main()
