"""What the values under a header say about its field, with no ERP profile to help.

- One GL account on every row ("121000 Account Receivable") is the account a journal export is
  filtered on, not the customer: the partner column is.
- A "No." whose values repeat one to one with the Name column is the customer's number, not
  the document's.
- A balance that runs from row to row by the row's plus - minus (应收增加 / 应收减少, Charges /
  Payments), per customer, is a running balance and the two columns are debit and credit; a
  balance that is each row's own amount - paid is a register's open amount.
"""

from __future__ import annotations

from datetime import date

import openpyxl
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


def test_the_receivable_accounts_name_alone_on_every_row_is_not_the_customer(tmp_path):
    """ "Accounts Receivable", "应收账款": the account's name without its number."""
    for account in ("Accounts Receivable", "应收账款"):
        path = write_csv(
            tmp_path / "lines.csv",
            [
                "Date,Invoice,Account,Customer,Due Date,Open Balance",
                f"2026-09-10,INV-31,{account},Azure Interior,2026-10-10,1500.00",
                f"2026-10-28,INV-40,{account},Gemini Furniture,2026-11-27,980.00",
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


def layouts(result) -> set:
    return {t.layout for t in result.inputs if t.kind == "ledger"}


def test_increase_and_decrease_columns_beside_a_running_balance_are_debit_and_credit(tmp_path):
    """管家婆's 往来单位应收明细: 应收增加 / 应收减少 and 应收余额, which restarts at each customer."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "往来单位,单据日期,单据编号,单据类型,应收增加,应收减少,应收余额",
            "恒达五金,2026-07-15,XSD-0001,销售出库,30000.00,,30000.00",
            "恒达五金,2026-08-20,XSD-0003,销售出库,12000.00,,42000.00",
            "恒达五金,2026-09-10,SKD-0001,收款,,25000.00,17000.00",
            "宏达建材,2026-09-01,XSD-0007,销售出库,5000.00,,5000.00",
            "宏达建材,2026-10-12,XSD-0009,销售出库,800.00,,5800.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    # 恒达: 30,000 + 12,000 - 25,000 (oldest first) leaves XSD-0001 5,000 and XSD-0003 12,000
    assert customers_and_documents(result) == {
        ("恒达五金", "XSD-0001", 500000),
        ("恒达五金", "XSD-0003", 1200000),
        ("宏达建材", "XSD-0007", 500000),
        ("宏达建材", "XSD-0009", 80000),
    }
    assert layouts(result) == {"transactions"}


def test_charges_and_payments_beside_a_balance_running_across_customers(tmp_path):
    """One balance running down the whole list (not restarting at each customer)."""
    path = write_csv(
        tmp_path / "statement.csv",
        [
            "Customer,Date,Reference,Charges,Payments,Balance",
            "Acme,2026-08-01,INV-1,1000.00,,1000.00",
            "Acme,2026-09-01,PMT-1,,400.00,600.00",
            "Bolt,2026-09-05,INV-2,250.00,,850.00",
            "Bolt,2026-10-01,INV-3,100.00,,950.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, base="USD")
    assert customers_and_documents(result) == {
        ("Acme", "INV-1", 60000),
        ("Bolt", "INV-2", 25000),
        ("Bolt", "INV-3", 10000),
    }
    assert layouts(result) == {"transactions"}


def test_a_balance_that_is_each_rows_amount_less_paid_stays_the_open_amount(tmp_path):
    """A register: open = amount - paid on the same row, not a balance running down the rows."""
    path = write_csv(
        tmp_path / "register.csv",
        [
            "Customer,Date,Invoice,Invoiced,Received,Balance",
            "Acme,2026-08-01,INV-1,1000.00,400.00,600.00",
            "Acme,2026-09-01,INV-2,500.00,0.00,500.00",
            "Acme,2026-09-15,INV-4,700.00,700.00,0.00",
            "Bolt,2026-09-05,INV-3,250.00,50.00,200.00",
            "Bolt,2026-10-01,INV-5,100.00,0.00,100.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, base="USD")
    assert customers_and_documents(result) == {
        ("Acme", "INV-1", 60000),
        ("Acme", "INV-2", 50000),
        ("Bolt", "INV-3", 20000),
        ("Bolt", "INV-5", 10000),
    }
    assert layouts(result) != {"transactions"}


def test_quoted_report_rows_are_totals_and_an_opening_of_zeros_is_layout(tmp_path):
    """ERPNext's General Ledger, saved from a spreadsheet with its quotes kept in the cells:
    'Opening' (all zero) is the report's opening line, 'Total' and 'Closing (Opening + Total)'
    close the rows, and the account on every dated line is not the customer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Posting Date", "Account", "Debit", "Credit", "Balance", "Voucher Type",
                  "Voucher No", "Party Type", "Party", "Against Voucher"])  # fmt: skip
    sheet.append([None, "'Opening'", 0, 0, 0])
    rows = [
        ("2026-09-01", 500, 0, 500, "Sales Invoice", "SINV-1", "Alpha", "SINV-1"),
        ("2026-09-10", 300, 0, 800, "Sales Invoice", "SINV-2", "Beta", "SINV-2"),
        ("2026-10-01", 0, 200, 600, "Payment Entry", "PAY-1", "Beta", "SINV-2"),
        ("2026-10-20", 100, 0, 700, "Sales Invoice", "SINV-3", "Alpha", "SINV-3"),
    ]
    for day, debit, credit, balance, kind, number, party, against in rows:
        sheet.append([day, "Debtors - TC", debit, credit, balance, kind, number, "Customer",
                      party, against])  # fmt: skip
    sheet.append([None, "'Total'", 900, 200, 700])
    sheet.append([None, "'Closing (Opening + Total)'", 900, 200, 700])
    path = tmp_path / "general_ledger.xlsx"
    book.save(path)
    result = run_on(path, as_of=AS_OF, base="INR")
    # Beta: SINV-2 300 - PAY-1 200 (against SINV-2) = 100
    assert customers_and_documents(result) == {
        ("Alpha", "SINV-1", 50000),
        ("Beta", "SINV-2", 10000),
        ("Alpha", "SINV-3", 10000),
    }
    assert list(result.layout_rows["row"]) == [2]
    recon = result.reconciliation
    controls = recon[recon["line"].str.startswith("control")]
    assert len(controls) == 6  # Debit, Credit and Balance of the Total and Closing rows
    assert set(controls["status"]) == {"ok"}
    assert result.reconciled


def test_a_two_row_statement_with_shipments_and_receipts_runs(tmp_path):
    """One customer's statement with two documents: 发货金额 | 收款金额 | 余额 where the balance
    moves by the one step (15,600 - 5,600 = 10,000) is a running balance, not two open items
    (the receipt was aged as 10,000 of debt)."""
    path = write_csv(
        tmp_path / "statement.csv",
        [
            "客户名称：温州瓯江电器有限公司",
            "日期,单据编号,摘要,发货金额,收款金额,余额",
            "2026-09-05,XS0905001,销售出库,15600.00,,15600.00",
            "2026-10-25,SK1025002,银行收款,,5600.00,10000.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    # XS0905001 15,600 - SK1025002 5,600 = 10,000 open
    assert customers_and_documents(result) == {("温州瓯江电器有限公司", "XS0905001", 1000000)}
