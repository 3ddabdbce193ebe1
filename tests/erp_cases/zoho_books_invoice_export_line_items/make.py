"""Zoho Books Sales > Invoices > Export Invoices (CSV), status filter 'All' except draft/void.
One row per invoice LINE ITEM: the invoice-level fields (date, number, status, customer, due
date, currency, Total, Balance) repeat on every line of the invoice; Item Total is the line.
Deterministic: fixed creation time, no clock. Writes the export next to this file.
"""

import csv
from pathlib import Path

HEADER = [
    "Invoice Date",
    "Invoice ID",
    "Invoice Number",
    "Invoice Status",
    "Customer ID",
    "Customer Name",
    "Due Date",
    "Currency Code",
    "Exchange Rate",
    "Item Name",
    "Quantity",
    "Item Price",
    "Item Total",
    "SubTotal",
    "Total",
    "Balance",
]
INV = [
    # date, id, number, status, cust id, cust name, due, lines [(item, qty, price)], balance
    (
        "2026-08-10",
        "4612000000101",
        "INV-000101",
        "Overdue",
        "4612000000011",
        "Alpha Traders",
        "2026-09-09",
        [("Consulting", 10, 150.00), ("Travel", 1, 420.00), ("Report", 2, 300.00)],
        2520.00,
    ),
    (
        "2026-09-20",
        "4612000000108",
        "INV-000108",
        "PartiallyPaid",
        "4612000000011",
        "Alpha Traders",
        "2026-10-20",
        [("Consulting", 8, 150.00), ("Licence", 1, 800.00)],
        1200.00,
    ),
    (
        "2026-10-15",
        "4612000000115",
        "INV-000115",
        "Sent",
        "4612000000023",
        "Beta Foods",
        "2026-11-14",
        [
            ("Licence", 2, 800.00),
            ("Support", 3, 120.00),
            ("Setup", 1, 250.00),
            ("Travel", 1, 95.50),
        ],
        2305.50,
    ),
    (
        "2026-07-01",
        "4612000000090",
        "INV-000090",
        "Paid",
        "4612000000023",
        "Beta Foods",
        "2026-07-31",
        [("Consulting", 4, 150.00)],
        0.00,
    ),
]


def main():
    path = Path(__file__).with_name("export.csv")
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for date, iid, num, status, cid, cname, due, lines, bal in INV:
            total = sum(q * p for _, q, p in lines)
            for item, q, p in lines:
                w.writerow(
                    [
                        date,
                        iid,
                        num,
                        status,
                        cid,
                        cname,
                        due,
                        "USD",
                        "1.00",
                        item,
                        q,
                        f"{p:.2f}",
                        f"{q * p:.2f}",
                        f"{total:.2f}",
                        f"{total:.2f}",
                        f"{bal:.2f}",
                    ]
                )


if __name__ == "__main__":
    main()
