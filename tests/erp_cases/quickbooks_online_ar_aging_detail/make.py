"""QuickBooks Online "A/R Aging Detail Report", as of October 31, 2026, Export > Export to CSV.

Three title rows (company, report name, "As of ..."), a blank row, then the header with an empty
first column: that column holds the aging-band section headings ("91 or more days past due" ...
"Current"), their "Total for <band>" rows and the final "TOTAL". Detail rows leave it empty.
Dates are MM/DD/YYYY, amounts 1,234.56; total rows carry the dollar sign ($4,790.00, -$350.00).
A sub-customer is written "Parent:Child". The report ends with the generated-at timestamp line.
Writes export.csv next to this file.
"""

import csv
import datetime as dt
from pathlib import Path

TITLE = [
    "Craig's Design and Landscaping Services",
    "A/R Aging Detail Report",
    "As of October 31, 2026",
]
HEADER = [
    "",
    "Date",
    "Transaction type",
    "Num",
    "Customer full name",
    "Due date",
    "Amount",
    "Open balance",
]
FOOTER = "Monday, November 2, 2026 09:14 AM GMT-07:00"

# band -> rows: date, type, num, customer, due date, amount (cents), open balance (cents)
BANDS = {
    "91 or more days past due": [
        (
            "2026-06-18",
            "Invoice",
            "1031",
            "Freeman Sporting Goods:55 Twin Lane",
            "2026-07-18",
            185000,
            185000,
        ),
        ("2026-07-02", "Invoice", "1034", "Cool Cars", "2026-08-01", 294000, 94000),
    ],
    "61 - 90 days past due": [
        ("2026-07-27", "Invoice", "1038", "Amy's Bird Sanctuary", "2026-08-26", 67550, 67550),
    ],
    "31 - 60 days past due": [
        ("2026-08-20", "Invoice", "1041", "Dukes Basketball Camp", "2026-09-19", 320000, 320000),
        ("2026-09-05", "Invoice", "1043", "Cool Cars", "2026-09-20", 112000, 112000),
    ],
    "1 - 30 days past due": [
        ("2026-09-24", "Invoice", "1047", "Amy's Bird Sanctuary", "2026-10-24", 45000, 45000),
        (
            "2026-10-12",
            "Credit Memo",
            "1049",
            "Dukes Basketball Camp",
            "2026-10-12",
            -30000,
            -30000,
        ),
        (
            "2026-10-20",
            "Payment",
            "",
            "Freeman Sporting Goods:55 Twin Lane",
            "2026-10-20",
            -50000,
            -50000,
        ),
    ],
    "Current": [
        ("2026-10-15", "Invoice", "1050", "Dukes Basketball Camp", "2026-11-14", 260000, 260000),
        ("2026-10-28", "Invoice", "1052", "Kookies by Kathy", "2026-11-27", 38525, 38525),
        ("2026-10-31", "Payment", "", "Geeta Kalapatapu", "2026-10-31", -12000, -12000),
    ],
}


def money(cents: int, dollar: bool = False) -> str:
    text = f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    if dollar:
        text = "$" + text
    return "-" + text if cents < 0 else text


def us_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%m/%d/%Y")


def rows() -> list[list[str]]:
    out = [[t] for t in TITLE] + [[], HEADER]
    grand_amount = grand_open = 0
    for band, items in BANDS.items():
        out.append([band])
        for date, typ, num, customer, due, amount, open_cents in items:
            out.append(
                [
                    "",
                    us_date(date),
                    typ,
                    num,
                    customer,
                    us_date(due),
                    money(amount),
                    money(open_cents),
                ]
            )
        amount_sum = sum(i[5] for i in items)
        open_sum = sum(i[6] for i in items)
        out.append(
            [
                f"Total for {band}",
                "",
                "",
                "",
                "",
                "",
                money(amount_sum, True),
                money(open_sum, True),
            ]
        )
        grand_amount += amount_sum
        grand_open += open_sum
    out.append(["TOTAL", "", "", "", "", "", money(grand_amount, True), money(grand_open, True)])
    out += [[], [], [FOOTER]]
    return out


def main() -> None:
    path = Path(__file__).with_name("export.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows())


if __name__ == "__main__":
    main()
