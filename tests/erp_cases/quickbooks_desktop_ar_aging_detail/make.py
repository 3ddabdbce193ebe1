"""QuickBooks Desktop (Pro/Premier) "A/R Aging Detail" as of 10/31/2026, Excel > Create New
Worksheet, default export options.

With the default "Show report header: On printed report only" the company name, report title,
date and time go into the Excel page header, not into cells, so the sheet starts with the column
headings. "Space between columns" is on: an empty spacer column sits between data columns. The
aging-band headings ("Current", "1 - 30", ... "> 90") and their "Total <band>" rows use column
A; "TOTAL" closes the report; a blank row follows each band total. Customers are written
"Customer:Job" (sample company Rock Castle Construction). Numbers and dates are typed cells.
No currency sign or code anywhere. Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

# column index of each data column, spacer columns between them (A-B hold the row labels)
COLS = {
    "Type": 2,
    "Date": 4,
    "Num": 6,
    "P. O. #": 8,
    "Name": 10,
    "Terms": 12,
    "Due Date": 14,
    "Aging": 16,
    "Open Balance": 18,
}
AS_OF = dt.date(2026, 10, 31)

# band -> rows: type, date, num, po, name, terms, due date, open balance (cents)
BANDS = {
    "Current": [
        (
            "Invoice",
            "2026-10-14",
            "1102",
            "",
            "Cook, Brian:Kitchen",
            "Net 30",
            "2026-11-13",
            432200,
        ),
        (
            "Invoice",
            "2026-10-27",
            "1105",
            "4471",
            "Melton, Johnny:Dental office",
            "Net 30",
            "2026-11-26",
            175000,
        ),
    ],
    "1 - 30": [
        (
            "Invoice",
            "2026-09-18",
            "1097",
            "",
            "Abercrombie, Kristy:Family Room",
            "Net 30",
            "2026-10-18",
            294050,
        ),
        (
            "Credit Memo",
            "2026-10-05",
            "1099",
            "",
            "Abercrombie, Kristy:Family Room",
            "",
            "2026-10-05",
            -44050,
        ),
        (
            "Payment",
            "2026-10-22",
            "1001",
            "",
            "Natiello, Ernesto:Kitchen",
            "",
            "2026-10-22",
            -100000,
        ),
    ],
    "31 - 60": [
        (
            "Invoice",
            "2026-08-28",
            "1093",
            "",
            "Jacobsen, Doug:Poolhouse",
            "Net 15",
            "2026-09-12",
            680000,
        ),
    ],
    "61 - 90": [
        (
            "Invoice",
            "2026-07-10",
            "1088",
            "",
            "Teschner, Anton:Sun Room",
            "Net 30",
            "2026-08-09",
            120000,
        ),
    ],
    "> 90": [
        (
            "Invoice",
            "2026-03-03",
            "1061",
            "",
            "Jacobsen, Doug:Poolhouse",
            "Net 30",
            "2026-04-02",
            56500,
        ),
        ("Payment", "2026-06-30", "5571", "", "Jacobsen, Doug:Poolhouse", "", "2026-06-30", -30000),
    ],
}


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sheet = book.add_worksheet("Sheet1")
    sheet.set_header(
        '&L&"Arial,Bold"&8 9:14 AM\n11/02/26&C&"Arial,Bold"&12Rock Castle Construction\n'
        "&14A/R Aging Detail\n&10As of October 31, 2026"
    )
    sheet.set_footer("&RPage &P of &N")
    head = book.add_format({"bold": True, "bottom": 2, "align": "center"})
    bold = book.add_format({"bold": True})
    date_fmt = book.add_format({"num_format": "mm/dd/yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    total_money = book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
    for name, col in COLS.items():
        sheet.write_string(0, col, name, head)
    row = 1
    grand = 0
    for band, items in BANDS.items():
        sheet.write_string(row, 0, band, bold)
        row += 1
        for typ, date, num, po, name, terms, due, cents in items:
            due_day = dt.date.fromisoformat(due)
            sheet.write_string(row, COLS["Type"], typ)
            sheet.write_datetime(row, COLS["Date"], dt.date.fromisoformat(date), date_fmt)
            sheet.write_number(
                row, COLS["Num"], int(num)
            )  # QuickBooks exports a numeric Num as a number
            if po:
                sheet.write_number(row, COLS["P. O. #"], int(po))
            sheet.write_string(row, COLS["Name"], name)
            if terms:
                sheet.write_string(row, COLS["Terms"], terms)
            sheet.write_datetime(row, COLS["Due Date"], due_day, date_fmt)
            if due_day < AS_OF:  # QuickBooks leaves Aging empty for items not yet past due
                sheet.write_number(row, COLS["Aging"], (AS_OF - due_day).days)
            sheet.write_number(row, COLS["Open Balance"], cents / 100, money)
            row += 1
        total = sum(i[7] for i in items)
        sheet.write_string(row, 0, f"Total {band}", bold)
        sheet.write_number(row, COLS["Open Balance"], total / 100, total_money)
        grand += total
        row += 2  # a blank row after each band total
    sheet.write_string(row, 0, "TOTAL", bold)
    sheet.write_number(row, COLS["Open Balance"], grand / 100, total_money)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 2)
    for col in range(2, 19):
        sheet.set_column(col, col, 1 if col % 2 else 13)
    sheet.set_column(COLS["Name"], COLS["Name"], 30)
    book.close()


if __name__ == "__main__":
    main()
