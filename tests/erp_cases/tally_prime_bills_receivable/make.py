"""Tally Prime "Bills Receivable" (Display > Statements of Accounts > Outstandings > Receivables),
exported as ASCII (Comma Delimited): company, report name and period above the header; columns
Date, Ref. No., Party's Name, Pending Amount, Due on, Overdue by days; dates d-Mmm-yy; amounts in
Indian (lakh) grouping with a Dr/Cr suffix; an advance receipt shows as a Cr bill; Grand Total."""

import csv
from pathlib import Path

rows = [
    ["Shree Ganesh Traders Pvt Ltd"],
    ["Bills Receivable"],
    ["1-Apr-26 to 31-Oct-26"],
    ["Date", "Ref. No.", "Party's Name", "Pending Amount", "Due on", "Overdue by days"],
    ["2-May-26", "SI/26-27/001", "Sharma Enterprises", "1,23,456.00 Dr", "1-Jun-26", "152"],
    ["20-Aug-26", "SI/26-27/009", "Gupta & Co.", "45,500.50 Dr", "19-Sep-26", "42"],
    ["15-Sep-26", "SI/26-27/014", "Sharma Enterprises", "2,50,000.00 Dr", "15-Oct-26", "16"],
    ["10-Oct-26", "Adv-Gupta", "Gupta & Co.", "10,000.00 Cr", "10-Oct-26", "21"],
    ["25-Oct-26", "SI/26-27/021", "Mehta Textiles", "12,34,567.00 Dr", "24-Nov-26", ""],
    ["Grand Total", "", "", "16,43,523.50 Dr", "", ""],
]
with open(Path(__file__).with_name("export.csv"), "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
