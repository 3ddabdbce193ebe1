"""NetSuite A/R Aging Detail, customised (Customize > add 'Currency: Symbol' and 'Amount (Foreign
Currency)' from Unpaid Receivables Transactions, per NetSuite help 'Balance Information for
Entities with Multiple Currencies'), as of 10/31/2026, CSV export. Amounts and Open Balance are
in the base currency (USD); Amount (Foreign Currency) is the transaction's own total in its
currency; Currency holds the currency record's name."""

import csv
from pathlib import Path

rows = [
    ["Wolfe Electronics"],
    ["A/R Aging Detail"],
    ["As of 10/31/2026"],
    [],
    [
        "Type",
        "Date",
        "Document Number",
        "Due Date",
        "Age",
        "Open Balance",
        "Currency",
        "Amount (Foreign Currency)",
    ],
    ["Altima Retail GmbH", "", "", "", "", "", "", ""],
    ["Invoice", "9/20/2026", "INV10421", "10/20/2026", "11", "$5,046.00", "EUR", "€5,800.00"],
    ["Invoice", "10/15/2026", "INV10466", "11/14/2026", "", "$1,740.00", "EUR", "€1,500.00"],
    ["Total - Altima Retail GmbH", "", "", "", "", "$6,786.00", "", ""],
    ["Boyd Hardware", "", "", "", "", "", "", ""],
    ["Invoice", "8/1/2026", "INV10390", "8/31/2026", "61", "$2,300.00", "USD", "$2,300.00"],
    ["Credit Memo", "10/3/2026", "CM1187", "10/3/2026", "", "($300.00)", "USD", "($300.00)"],
    ["Total - Boyd Hardware", "", "", "", "", "$2,000.00", "", ""],
    ["Total", "", "", "", "", "$8,786.00", "", ""],
]
with open(Path(__file__).with_name("export.csv"), "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
