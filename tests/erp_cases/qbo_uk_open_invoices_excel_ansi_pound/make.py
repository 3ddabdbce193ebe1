"""QuickBooks Online "Open Invoices" (as of October 31, 2026) exported to Excel, then saved by
Excel on Windows as "CSV (Comma delimited)": Excel writes the ANSI code page (Windows-1252),
not UTF-8. A customer name with umlauts (Smith & Sons Ltd)."""

import csv
from pathlib import Path

rows = [
    ["Craig's Design and Landscaping Services"],
    ["Open Invoices"],
    ["As of October 31, 2026"],
    [],
    ["", "Date", "Transaction type", "Num", "Terms", "Due date", "Open balance"],
    ["Smith & Sons Ltd"],
    ["", "09/18/2026", "Invoice", "1037", "Net 30", "10/18/2026", "2,940.50"],
    ["Total for Smith & Sons Ltd", "", "", "", "", "", "£2,940.50"],
    ["Bill's Windsurf Shop"],
    ["", "07/16/2026", "Invoice", "1027", "Net 30", "08/15/2026", "1,200.00"],
    ["Total for Bill's Windsurf Shop", "", "", "", "", "", "£1,200.00"],
    ["TOTAL", "", "", "", "", "", "£4,140.50"],
    [],
    ["Saturday, November 01, 2026 09:14 AM GMT-07:00"],
]
with open(Path(__file__).with_name("export.csv"), "w", newline="", encoding="cp1252") as f:
    csv.writer(f).writerows(rows)
