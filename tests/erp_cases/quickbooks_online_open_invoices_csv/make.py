"""QuickBooks Online "Open Invoices" report (Reports > Who owes you > Open Invoices), as of
October 31, 2026, Export to CSV. Title rows (company, report, date), header with an unlabelled
first column holding the customer group headings, 'Total for <customer>' rows, 'TOTAL', and the
generated-at footer. Total rows carry the dollar sign; data rows plain numbers."""

import csv
from pathlib import Path

rows = [
    ["Craig's Design and Landscaping Services"],
    ["Open Invoices"],
    ["As of October 31, 2026"],
    [],
    ["", "Date", "Transaction type", "Num", "Terms", "Due date", "Open balance"],
    ["Amy's Bird Sanctuary"],
    ["", "09/18/2026", "Invoice", "1037", "Net 30", "10/18/2026", "2,940.50"],
    ["", "10/05/2026", "Credit Memo", "1041", "", "10/05/2026", "-440.50"],
    ["Total for Amy's Bird Sanctuary", "", "", "", "", "", "$2,500.00"],
    ["Bill's Windsurf Shop"],
    ["", "07/16/2026", "Invoice", "1027", "Net 30", "08/15/2026", "1,200.00"],
    ["", "10/14/2026", "Invoice", "1044", "Net 30", "11/13/2026", "4,322.00"],
    ["Total for Bill's Windsurf Shop", "", "", "", "", "", "$5,522.00"],
    ["Freeman Sporting Goods:55 Twin Lane"],
    ["", "08/02/2026", "Invoice", "1030", "Net 30", "09/01/2026", "3,000.00"],
    ["", "10/22/2026", "Payment", "", "", "10/22/2026", "-1,000.00"],
    ["Total for Freeman Sporting Goods:55 Twin Lane", "", "", "", "", "", "$2,000.00"],
    ["TOTAL", "", "", "", "", "", "$10,022.00"],
    [],
    [],
    ["Saturday, November 01, 2026 09:14 AM GMT-07:00"],
]
with open(Path(__file__).with_name("export.csv"), "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
