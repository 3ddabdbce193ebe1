"""SAP ERP FBL5N (Customer Line Item Display), open items at key date 10/31/2026, saved from the
ALV grid with List > Save > Local File > Spreadsheet (tab-separated text; SAP names it .xls).

Company code 3000 keeps its books in USD; customers are billed in USD, EUR and CAD. The grid is
sorted and subtotalled by Account, so SAP writes a '*' line after each customer and '**' lines
for the grand total, one line per document currency (the local-currency total only on the first).
The user's settings are date MM/DD/YYYY and decimal notation 1,234.56; SAP writes negative
values with a trailing minus (2,000.00-), days in arrears too (8-). Column headings are the
grid's short labels. Saved with code page 4110 (UTF-8). Writes export.csv next to this file.
"""

import datetime as dt
from pathlib import Path

HEADER = [
    "",
    "Account",
    "Assignment",
    "DocumentNo",
    "Type",
    "Doc. Date",
    "Net due dt",
    "Arrears",
    "Amount in DC",
    "Curr.",
    "Amt in loc.cur.",
    "LCurr",
    "Text",
]
RUN_DATE = dt.date(2026, 11, 2)  # SAP counts arrears from the day the list ran

# account -> items: assignment, document no, type, doc date, net due date,
# amount in document currency (cents), currency, amount in local currency (cents), text
CUSTOMERS = {
    "200118": [
        ("0090004120", "1800004120", "RV", "2026-08-14", "2026-09-13", 875000, "USD", 875000, ""),
        ("0090004388", "1800004388", "RV", "2026-10-09", "2026-11-08", 312540, "USD", 312540, ""),
        (
            "20261022",
            "1400000933",
            "DZ",
            "2026-10-22",
            "2026-10-22",
            -200000,
            "USD",
            -200000,
            "Payment on account",
        ),
    ],
    "200245": [
        ("0090004201", "1800004201", "RV", "2026-09-03", "2026-10-03", 640000, "EUR", 745600, ""),
        ("0090003876", "1800003876", "RV", "2026-05-18", "2026-06-17", 218000, "EUR", 236530, ""),
    ],
    "200307": [
        ("0090004150", "1800004150", "RV", "2026-08-28", "2026-09-27", 1580000, "CAD", 1153400, ""),
        (
            "0090004150",
            "1700000214",
            "DG",
            "2026-10-15",
            "2026-10-15",
            -80000,
            "CAD",
            -58400,
            "Price allowance",
        ),
    ],
    "200410": [
        (
            "SVC-1209",
            "1800002911",
            "DR",
            "2025-12-10",
            "2026-01-09",
            148000,
            "USD",
            148000,
            "Service contract Dec",
        ),
        ("0090004402", "1800004402", "RV", "2026-10-28", "2026-11-27", 96000, "USD", 96000, ""),
    ],
    "200512": [
        (
            "20261030",
            "1400000951",
            "DZ",
            "2026-10-30",
            "2026-10-30",
            -54000,
            "USD",
            -54000,
            "Payment on account",
        ),
    ],
}


def sap_amount(cents: int) -> str:
    """1,234.56 with SAP's trailing minus for negatives."""
    text = f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    return text + "-" if cents < 0 else text


def sap_int(value: int) -> str:
    return f"{abs(value)}-" if value < 0 else str(value)


def sap_date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%m/%d/%Y")


def lines() -> list[list[str]]:
    out = [HEADER]
    doc_totals: dict[str, int] = {}
    local_total = 0
    for account, items in CUSTOMERS.items():
        doc_sum = local_sum = 0
        for assign, doc, typ, doc_date, due, amount, cur, local, text in items:
            arrears = (RUN_DATE - dt.date.fromisoformat(due)).days
            out.append(
                [
                    "",
                    account,
                    assign,
                    doc,
                    typ,
                    sap_date(doc_date),
                    sap_date(due),
                    sap_int(arrears),
                    sap_amount(amount),
                    cur,
                    sap_amount(local),
                    "USD",
                    text,
                ]
            )
            doc_sum += amount
            local_sum += local
            doc_totals[cur] = doc_totals.get(cur, 0) + amount
        cur = items[0][6]
        out.append(
            [
                "*",
                account,
                "",
                "",
                "",
                "",
                "",
                "",
                sap_amount(doc_sum),
                cur,
                sap_amount(local_sum),
                "USD",
                "",
            ]
        )
        local_total += local_sum
    for i, cur in enumerate(sorted(doc_totals)):
        local = [sap_amount(local_total), "USD"] if i == 0 else ["", ""]
        out.append(["**", "", "", "", "", "", "", "", sap_amount(doc_totals[cur]), cur, *local, ""])
    return out


def main() -> None:
    path = Path(__file__).with_name("export.csv")
    text = "".join("\t".join(row) + "\r\n" for row in lines())
    path.write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
