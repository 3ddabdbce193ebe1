"""SAP FBL5N classic list output (not the ALV grid: Settings > Switch list), sorted and
subtotalled by customer, written to xlsx cell by cell as text (as SAP's list export writes it).

Writes export.xlsx next to this file. Deterministic: no clock, no randomness.
Each customer's block opens with the account header lines, key and value in two cells with no
colon (Customer / Company Code / Name / City), then the column headings (no Account column:
the customer of the items is in the block header), the items and a '*' total; '**' grand total
at the end. The first block stands above the first header row.
"""

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import freeze  # noqa: E402

H = ["", "St", "Assignment", "DocumentNo", "Type", "Doc. Date", "Net due dt",
     "Amt in loc.cur.", "LCurr", "Text"]  # fmt: skip
BLOCKS = [
    ("100045", "Mueller Handels GmbH", "Hamburg", [
        ["", "", "0090000311", "1800000311", "RV", "07/20/2026", "08/19/2026", "10,500.00", "EUR", ""],
        ["", "", "0090000356", "1800000356", "RV", "09/25/2026", "10/25/2026", "4,200.00", "EUR", ""],
        ["", "", "20261005", "1400000087", "DZ", "10/05/2026", "10/05/2026", "3,000.00-", "EUR",
         "Payment on account"],
    ], "11,700.00"),
    ("100112", "Northwind Traders Ltd", "London", [
        ["", "", "0090000298", "1800000298", "RV", "06/30/2026", "07/30/2026", "11,040.00", "EUR", ""],
    ], "11,040.00"),
    ("100301", "Brennerei Kaiser AG", "Munich", [
        ["", "", "0090000371", "1700000021", "DG", "10/12/2026", "10/12/2026", "1,250.00-", "EUR",
         "Credit for returned goods"],
    ], "1,250.00-"),
]  # fmt: skip


def lines() -> list[list[str]]:
    out = []
    for customer, name, city, rows, total in BLOCKS:
        out += [["Customer", customer], ["Company Code", "1000"], ["Name", name], ["City", city]]
        out += [[], H, *rows, ["*", "", "", "", "", "", "", total, "EUR", ""], []]
    return [*out, ["**", "", "", "", "", "", "", "21,490.00", "EUR", ""]]


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(lines(), 1):
        for c, value in enumerate(row, 1):
            if value != "":
                ws.cell(r, c, value)
    wb.properties.creator = "SAP"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(HERE / "export.xlsx")
