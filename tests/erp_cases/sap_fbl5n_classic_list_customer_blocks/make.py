"""SAP FBL5N classic list output (not the ALV grid: Settings > Switch list), sorted and
subtotalled by customer. Each customer's block starts with the account header lines
(Customer / Company Code / Name / City), then the column headings, the items and a '*' total;
'**' grand total at the end. Saved with System > List > Save > Local File > Spreadsheet
(tab-separated). There is no Account column: the customer of the items is in the block header."""

from pathlib import Path

H = [
    "",
    "St",
    "Assignment",
    "DocumentNo",
    "Type",
    "Doc. Date",
    "Net due dt",
    "Amt in loc.cur.",
    "LCurr",
    "Text",
]
blocks = [
    (
        "100045",
        "Mueller Handels GmbH",
        "Hamburg",
        [
            [
                "",
                "",
                "0090000311",
                "1800000311",
                "RV",
                "07/20/2026",
                "08/19/2026",
                "10,500.00",
                "EUR",
                "",
            ],
            [
                "",
                "",
                "0090000356",
                "1800000356",
                "RV",
                "09/25/2026",
                "10/25/2026",
                "4,200.00",
                "EUR",
                "",
            ],
            [
                "",
                "",
                "20261005",
                "1400000087",
                "DZ",
                "10/05/2026",
                "10/05/2026",
                "3,000.00-",
                "EUR",
                "Payment on account",
            ],
        ],
        "11,700.00",
    ),
    (
        "100112",
        "Northwind Traders Ltd",
        "London",
        [
            [
                "",
                "",
                "0090000298",
                "1800000298",
                "RV",
                "06/30/2026",
                "07/30/2026",
                "11,040.00",
                "EUR",
                "",
            ],
        ],
        "11,040.00",
    ),
    (
        "100301",
        "Brennerei Kaiser AG",
        "Munich",
        [
            [
                "",
                "",
                "0090000371",
                "1700000021",
                "DG",
                "10/12/2026",
                "10/12/2026",
                "1,250.00-",
                "EUR",
                "Credit for returned goods",
            ],
        ],
        "1,250.00-",
    ),
]
lines = []
for cust, name, city, rows, tot in blocks:
    lines += [["Customer", cust], ["Company Code", "1000"], ["Name", name], ["City", city], [], H]
    lines += rows
    lines += [["*", "", "", "", "", "", "", tot, "EUR", ""], []]
lines += [["**", "", "", "", "", "", "", "21,490.00", "EUR", ""]]
Path(__file__).with_name("export.csv").write_text(
    "\n".join("\t".join(r) for r in lines) + "\n", encoding="utf-8"
)
