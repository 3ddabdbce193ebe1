"""Odoo (Community, OCA account_financial_report) "Aged Partner Balance" with move line details,
receivable accounts, at 31/10/2026, exported as XLSX.

Written as the OCA module writes it with xlsxwriter: a merged title "Aged Partner Balance -
<company> - <currency>", the filter lines, then per account a title row "121000 - Account
Receivable", per partner a title row, the column header (repeated for every partner), the move
lines, a "Partner cumul aged balance" row and a blank row; the account ends with a "Total" row
and a "Percents" row. Dates are written as text dd/mm/YYYY, amounts as numbers in the company
currency. Writes export.xlsx next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

COMPANY, CURRENCY = "YourCompany", "USD"
HEADER = [
    "Date",
    "Entry",
    "Journal",
    "Account",
    "Partner",
    "Ref - Label",
    "Due date",
    "Residual",
    "Current",
    "Age ≤ 30 d.",
    "Age ≤ 60 d.",
    "Age ≤ 90 d.",
    "Age ≤ 120 d.",
    "Older",
]
WIDTHS = [11, 18, 8, 9, 25, 40, 11, 14, 14, 14, 14, 14, 14, 14]
AS_OF = dt.date(2026, 10, 31)

# partner -> move lines: date, entry, journal, label, due date, residual (cents)
PARTNERS = {
    "Azure Interior": [
        ("2026-08-18", "INV/2026/00311", "INV", "INV/2026/00311", "2026-09-17", 345000),
        ("2026-10-10", "INV/2026/00398", "INV", "INV/2026/00398", "2026-11-09", 118750),
        ("2026-10-25", "PBNK1/2026/00122", "BNK1", "Customer Payment", "2026-10-25", -100000),
    ],
    "Deco Addict": [
        ("2026-05-02", "INV/2026/00140", "INV", "INV/2026/00140", "2026-06-01", 620000),
        ("2026-07-15", "INV/2026/00219", "INV", "INV/2026/00219", "2026-08-14", 277500),
    ],
    "Gemini Furniture": [
        ("2026-09-20", "INV/2026/00355", "INV", "INV/2026/00355", "2026-10-20", 98000),
        (
            "2026-10-06",
            "RINV/2026/00021",
            "INV",
            "Reversal of: INV/2026/00355",
            "2026-10-06",
            -18000,
        ),
    ],
    "Lumber Inc": [
        ("2026-10-28", "PBNK1/2026/00131", "BNK1", "Customer Payment", "2026-10-28", -64000),
    ],
}


def band(due: str) -> int:
    """Index among Current, <=30, <=60, <=90, <=120, Older by days past the due date."""
    days = (AS_OF - dt.date.fromisoformat(due)).days
    return next(i for i, top in enumerate((0, 30, 60, 90, 120, 10**6)) if days <= top)


def ddmmyyyy(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def bands_of(lines: list[tuple]) -> list[int]:
    out = [0] * 6
    for line in lines:
        out[band(line[4])] += line[5]
    return out


def main() -> None:
    path = Path(__file__).with_name("export.xlsx")
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    title = f"Aged Partner Balance - {COMPANY} - {CURRENCY}"
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    header_left = book.add_format({"bold": True, "border": True, "bg_color": "#FFFFCC"})
    header_center = book.add_format(
        {"bold": True, "align": "center", "border": True, "bg_color": "#FFFFCC"}
    )
    header_right = book.add_format(
        {"bold": True, "align": "right", "border": True, "bg_color": "#FFFFCC"}
    )
    header_amount = book.add_format(
        {"bold": True, "border": True, "bg_color": "#FFFFCC", "num_format": "#,##0.00"}
    )
    amount = book.add_format({"num_format": "#,##0.00"})
    right_bold_italic = book.add_format({"align": "right", "bold": True, "italic": True})
    percent = book.add_format({"bold": True, "italic": True, "num_format": "#,##0.00%"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    last = len(HEADER) - 1
    sheet.merge_range(0, 0, 0, last, title, bold)
    row = 3
    for name, value in (
        ("Date at filter", AS_OF.strftime("%d/%m/%Y")),
        ("Target moves filter", "All posted entries"),
    ):
        sheet.merge_range(row, 1, row, 2, name, header_left)
        sheet.merge_range(row, 4, row, 6, value)
        row += 1
    row += 2
    sheet.merge_range(row, 0, row, last, "121000 - Account Receivable", bold)
    row += 1
    account_bands = [0] * 6
    for partner, lines in PARTNERS.items():
        sheet.merge_range(row, 0, row, last, partner, bold)
        row += 1
        for col, text in enumerate(HEADER):
            sheet.write(row, col, text, header_center)
        row += 1
        for date, entry, journal, label, due, cents in lines:
            for col, text in enumerate(
                (ddmmyyyy(date), entry, journal, "121000", partner, label, ddmmyyyy(due))
            ):
                sheet.write_string(row, col, text)
            sheet.write_number(row, 7, cents / 100, amount)
            for i in range(6):
                sheet.write_number(row, 8 + i, cents / 100 if i == band(due) else 0, amount)
            row += 1
        partner_bands = bands_of(lines)
        account_bands = [a + b for a, b in zip(account_bands, partner_bands, strict=True)]
        for col in range(len(HEADER)):
            sheet.write(row, col, "", header_right)
        sheet.merge_range(row, 0, row, 4, None, header_left)
        sheet.write(row, 5, "Partner cumul aged balance", header_right)
        sheet.write_number(row, 7, sum(partner_bands) / 100, header_amount)
        for i, cents in enumerate(partner_bands):
            sheet.write_number(row, 8 + i, cents / 100, header_amount)
        row += 2  # the cumul row, then a line break
    residual = sum(account_bands)
    for col in range(len(HEADER)):
        sheet.write_string(row, col, "", header_right)
    sheet.write_string(row, 5, "Total", header_right)
    sheet.write_number(row, 7, residual / 100, header_amount)
    for i, cents in enumerate(account_bands):
        sheet.write_number(row, 8 + i, cents / 100, header_amount)
    row += 1
    for col in range(len(HEADER)):
        sheet.write_string(row, col, "", right_bold_italic)
    sheet.write_string(row, 5, "Percents", right_bold_italic)
    for i, cents in enumerate(account_bands):
        sheet.write_number(row, 8 + i, round(cents / residual * 100, 2) / 100, percent)
    book.close()


if __name__ == "__main__":
    main()
