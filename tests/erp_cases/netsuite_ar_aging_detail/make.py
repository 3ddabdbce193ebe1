"""NetSuite "A/R Aging Detail" report (Reports > Customers/Receivables), as of 10/31/2026,
exported with the CSV button.

The export keeps the report's header lines (company, report name, date), then the column
headings, then one group per customer: a row with the customer name, its open transactions,
and "Total - <customer>"; "Total" closes the report. Amounts are written as displayed, with the
currency symbol and thousands separators, negatives in parentheses ($1,500.00 / ($1,500.00));
dates M/D/YYYY; Age is left empty for transactions not yet due. Writes export.csv.
"""

import csv
import datetime as dt
from pathlib import Path

TITLE = ["Honeycomb Mfg.", "A/R Aging Detail", "As of 10/31/2026"]
HEADER = ["Type", "Date", "Document Number", "Due Date", "Age", "Open Balance"]
AS_OF = dt.date(2026, 10, 31)

# customer -> rows: type, date, document number, due date, open balance (cents)
CUSTOMERS = {
    "Altima Distribution": [
        ("Invoice", "2026-08-03", "INV10231", "2026-09-02", 648000),
        ("Invoice", "2026-10-09", "INV10311", "2026-11-08", 211575),
        ("Payment", "2026-10-26", "PYMT1877", "2026-10-26", -150000),
    ],
    "Bergstrom Labs": [
        ("Invoice", "2026-05-11", "INV09874", "2026-06-10", 1230000),
        ("Credit Memo", "2026-10-02", "CM1033", "2026-10-02", -80000),
        ("Invoice", "2026-09-22", "INV10287", "2026-10-22", 305000),
    ],
    "Coastal Outfitters": [
        ("Invoice", "2026-01-14", "INV09402", "2026-02-13", 94000),
        ("Journal", "2026-06-30", "JE2214", "2026-06-30", 7500),
    ],
    "Delmar Healthcare": [
        ("Payment", "2026-10-29", "PYMT1891", "2026-10-29", -240000),
    ],
}


def money(cents: int) -> str:
    text = f"${abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    return f"({text})" if cents < 0 else text


def ns_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def rows() -> list[list[str]]:
    out = [[t] for t in TITLE] + [[], HEADER]
    grand = 0
    for customer, items in CUSTOMERS.items():
        out.append([customer, "", "", "", "", ""])
        for typ, date, number, due, cents in items:
            due_day = dt.date.fromisoformat(due)
            age = (AS_OF - due_day).days
            out.append(
                [
                    typ,
                    ns_date(dt.date.fromisoformat(date)),
                    number,
                    ns_date(due_day),
                    str(age) if age > 0 else "",
                    money(cents),
                ]
            )
        total = sum(i[4] for i in items)
        grand += total
        out.append([f"Total - {customer}", "", "", "", "", money(total)])
    out.append(["Total", "", "", "", "", money(grand)])
    return out


def main() -> None:
    path = Path(__file__).with_name("export.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows())


if __name__ == "__main__":
    main()
