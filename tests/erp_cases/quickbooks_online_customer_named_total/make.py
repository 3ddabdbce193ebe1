"""QuickBooks Online "Open Invoices" CSV where customers are called "Total Fitness Ltd",
"Page Industries Inc" and "Grand Total Plumbing": customer headings and 'Total for <customer>'."""

import csv
from pathlib import Path

rows = [
    ["Craig's Design and Landscaping Services"],
    ["Open Invoices"],
    ["As of October 31, 2026"],
    [],
    ["", "Date", "Transaction type", "Num", "Terms", "Due date", "Open balance"],
    ["Total Fitness Ltd"],
    ["", "09/18/2026", "Invoice", "1037", "Net 30", "10/18/2026", "2,940.50"],
    ["", "10/20/2026", "Invoice", "1045", "Net 30", "11/19/2026", "500.00"],
    ["Total for Total Fitness Ltd", "", "", "", "", "", "$3,440.50"],
    ["Page Industries Inc"],
    ["", "07/16/2026", "Invoice", "1027", "Net 30", "08/15/2026", "1,200.00"],
    ["Total for Page Industries Inc", "", "", "", "", "", "$1,200.00"],
    ["Grand Total Plumbing"],
    ["", "08/02/2026", "Invoice", "1030", "Net 30", "09/01/2026", "3,000.00"],
    ["Total for Grand Total Plumbing", "", "", "", "", "", "$3,000.00"],
    ["TOTAL", "", "", "", "", "", "$7,640.50"],
    [],
    ["Saturday, November 01, 2026 09:14 AM GMT-07:00"],
]
with open(Path(__file__).with_name("export.csv"), "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
