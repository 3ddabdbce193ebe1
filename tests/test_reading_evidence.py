"""What the values under a header say about its field, with no ERP profile to help.

- One GL account on every row ("121000 Account Receivable") is the account a journal export is
  filtered on, not the customer: the partner column is.
- A "No." whose values repeat one to one with the Name column is the customer's number, not
  the document's.
"""

from __future__ import annotations

from datetime import date

from conftest import run_on, write_csv

AS_OF = date(2026, 10, 31)


def customers_and_documents(result) -> set:
    return {(r.customer_id, r.doc_no, int(r.open_minor)) for r in result.open_items.itertuples()}


def test_one_receivable_account_on_every_row_is_not_the_customer(tmp_path):
    path = write_csv(
        tmp_path / "journal.csv",
        [
            "Date,Entry,Account,Customer,Due Date,Open Balance",
            "2026-09-10,INV-31,1100 Trade Debtors,Azure Interior,2026-10-10,1500.00",
            "2026-10-28,INV-40,1100 Trade Debtors,Gemini Furniture,2026-11-27,980.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, base="USD")
    assert customers_and_documents(result) == {
        ("Azure Interior", "INV-31", 150000),
        ("Gemini Furniture", "INV-40", 98000),
    }


def test_a_number_repeating_with_the_name_is_the_customers(tmp_path):
    path = write_csv(
        tmp_path / "aged.csv",
        [
            "No.,Customer Name,Invoice,Due Date,Amount Due",
            "C-10,Adatum,E101,2026-09-09,5000.00",
            "C-10,Adatum,E115,2026-10-20,700.00",
            "C-20,Trey Research,E120,2026-10-20,1200.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, base="GBP")
    assert customers_and_documents(result) == {
        ("C-10", "E101", 500000),
        ("C-10", "E115", 70000),
        ("C-20", "E120", 120000),
    }
