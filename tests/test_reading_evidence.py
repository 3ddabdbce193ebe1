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


def test_odoo_journal_items_without_residuals_are_read_by_debit_and_credit(tmp_path):
    """Without its Residual columns an Odoo Journal Items export has no open amount: Debit and
    Credit are the amounts (a transactions ledger), never the line's Balance as if it were
    what is open (the Odoo profile leaves all three unused when the residuals are there)."""
    path = write_csv(
        tmp_path / "journal_items.csv",
        [
            "Date,Journal Entry,Account,Partner,Label,Due Date,Debit,Credit,Balance,Matching #",
            "2026-08-01,INV/2026/0001,121000 Account Receivable,Azure Interior,INV/2026/0001,"
            "2026-08-31,1000.00,0.00,1000.00,A1",
            "2026-09-01,INV/2026/0002,121000 Account Receivable,Azure Interior,INV/2026/0002,"
            "2026-10-01,500.00,0.00,500.00,",
            "2026-09-15,BNK1/2026/0003,121000 Account Receivable,Azure Interior,Payment,"
            "2026-09-15,0.00,1000.00,-1000.00,A1",
            "2026-10-05,INV/2026/0004,121000 Account Receivable,Deco Addict,INV/2026/0004,"
            "2026-11-04,750.00,0.00,750.00,",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides={"base_currency": "USD"})
    # Azure: 1,000 + 500 - 1,000 (oldest first) leaves INV/2026/0002 500.00; Deco 750.00
    assert customers_and_documents(result) == {
        ("Azure Interior", "INV/2026/0002", 50000),
        ("Deco Addict", "INV/2026/0004", 75000),
    }
    assert {t.layout for t in result.inputs if t.kind == "ledger"} == {"transactions"}
