"""ERPNext (v15) Accounts Receivable report, Export > CSV with "Include filters" ticked.

Frappe writes the export with Python's csv writer, QUOTE_NONNUMERIC: text and dates quoted,
numbers bare as Python prints them (3120.0, 2350.5). With the filters box ticked the file starts
with one row per filter, a blank row, then the column labels. The report's total row is
exported too; its first column is a Date, so Frappe leaves the label out: the row has no
"Total" word, only sums (Age (Days) summed as well) and the first row's currency.
Customers are named by naming series (Party = CUST-2026-00003, plus a Customer Name column).
All amounts are in the company currency (USD) because no single party is filtered.
Writes export.csv next to this file.
"""

import csv
import datetime as dt
from pathlib import Path

FILTERS = [
    ["Company", "Wind Power LLC"],
    ["Posting Date", "2026-10-31"],
    ["Ageing Based On", "Due Date"],
    ["Calculate Ageing With", "Report Date"],
    ["Ageing Range", "30, 60, 90, 120"],
]
COLUMNS = [
    "Posting Date",
    "Party Type",
    "Party",
    "Receivable Account",
    "Customer Name",
    "Cost Center",
    "Voucher Type",
    "Voucher No",
    "Due Date",
    "Invoiced Amount",
    "Paid Amount",
    "Credit Note",
    "Outstanding Amount",
    "Age (Days)",
    "0-30",
    "31-60",
    "61-90",
    "91-120",
    "121-Above",
    "Currency",
    "Customer LPO",
    "Territory",
    "Customer Group",
    "Customer Contact",
]
REPORT_DATE = dt.date(2026, 10, 31)
NAMES = {
    "CUST-2026-00002": ("Apex Builders Inc", "United States"),
    "CUST-2026-00003": ("Grant Plastics Ltd.", "United States"),
    "CUST-2026-00008": ("Hallmark Catering", "United States"),
    "CUST-2026-00011": ("Rheinland Optik GmbH", "Germany"),
    "CUST-2026-00014": ("Sunrise Dental Clinic", "United States"),
}
# posting date, party, voucher type, voucher no, due date (None: no due date), invoiced, paid,
# credit note, customer PO; ordered by posting date then party as the report sorts them
VOUCHERS = [
    (
        "2025-09-30",
        "CUST-2026-00002",
        "Sales Invoice",
        "ACC-SINV-2025-00212",
        "2025-10-30",
        3120.0,
        0.0,
        0.0,
        "PO-7781",
    ),
    (
        "2026-06-02",
        "CUST-2026-00008",
        "Sales Invoice",
        "ACC-SINV-2026-00029",
        "2026-07-02",
        1275.0,
        0.0,
        275.0,
        "",
    ),
    (
        "2026-08-10",
        "CUST-2026-00003",
        "Sales Invoice",
        "ACC-SINV-2026-00041",
        "2026-09-09",
        4800.0,
        1800.0,
        0.0,
        "4500123",
    ),
    (
        "2026-09-15",
        "CUST-2026-00011",
        "Sales Invoice",
        "ACC-SINV-2026-00058",
        "2026-10-15",
        6960.0,
        0.0,
        0.0,
        "",
    ),
    (
        "2026-09-30",
        "CUST-2026-00002",
        "Journal Entry",
        "ACC-JV-2026-00009",
        "2026-09-30",
        150.0,
        0.0,
        0.0,
        "",
    ),
    (
        "2026-10-05",
        "CUST-2026-00003",
        "Sales Invoice",
        "ACC-SINV-2026-00067",
        "2026-11-04",
        2350.5,
        0.0,
        0.0,
        "4500188",
    ),
    (
        "2026-10-12",
        "CUST-2026-00014",
        "Sales Invoice",
        "ACC-SINV-RET-2026-00004",
        "2026-10-12",
        0.0,
        0.0,
        450.0,
        "",
    ),
    (
        "2026-10-20",
        "CUST-2026-00008",
        "Payment Entry",
        "ACC-PAY-2026-00052",
        None,
        0.0,
        600.0,
        0.0,
        "",
    ),
]
RANGES = (30, 60, 90, 120)


def ageing(due: str | None, outstanding: float) -> tuple[object, list[float]]:
    """Age (Days) and the five range amounts, as ERPNext's get_ageing_data sets them."""
    bands = [0.0] * 5
    if due is None:
        return "", bands  # no entry date: the age is left out, every range 0.0
    age = (REPORT_DATE - dt.date.fromisoformat(due)).days
    index = next((i for i, top in enumerate(RANGES) if age <= top), 4)
    bands[index] = outstanding
    return age, bands


def rows() -> list[list[object]]:
    out: list[list[object]] = []
    for posting, party, vtype, vno, due, invoiced, paid, credit, po in VOUCHERS:
        outstanding = round(invoiced - paid - credit, 2)
        age, bands = ageing(due, outstanding)
        name, territory = NAMES[party]
        due_cell = dt.date.fromisoformat(due) if due else ""
        out.append(
            [
                dt.date.fromisoformat(posting),
                "Customer",
                party,
                "Debtors - WP",
                name,
                "Main - WP",
                vtype,
                vno,
                due_cell,
                invoiced,
                paid,
                credit,
                outstanding,
                age,
                *bands,
                "USD",
                po,
                territory,
                "Commercial",
                "",
            ]
        )
    return out


def total_row(data: list[list[object]]) -> list[object]:
    """frappe.desk.query_report.add_total_row: sums Currency/Int columns, no label for a Date
    first column, the first row's value in the Currency link column."""
    total: list[object] = [""] * len(COLUMNS)
    for i in range(9, 19):
        total[i] = round(sum(r[i] for r in data if isinstance(r[i], (int, float))), 2)
    total[13] = int(total[13])
    total[19] = data[0][19]
    return total


def main() -> None:
    data = rows()
    path = Path(__file__).with_name("export.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerows(FILTERS)
        writer.writerow([])
        writer.writerow(COLUMNS)
        writer.writerows(data)
        writer.writerow(total_row(data))


if __name__ == "__main__":
    main()
