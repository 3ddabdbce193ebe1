"""Each ledger layout end to end through the pipeline, against figures worked out by hand."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from conftest import run_on, write_csv

AS_OF = date(2026, 10, 31)


def items_by_doc(result):
    return result.open_items.set_index("doc_no")


def line(result, currency, key):
    recon = result.reconciliation
    return int(
        recon.loc[(recon.currency == currency) & (recon.line == key), "amount_minor"].iloc[0]
    )


@pytest.fixture
def transactions_csv(tmp_path):
    return write_csv(
        tmp_path / "transactions.csv",
        [
            "Customer ID,Customer Name,Type,Invoice No,Date,Due Date,Amount,Applies To",
            "C1,Alpha,Invoice,A1,2026-05-01,2026-05-31,1000.00,",
            "C1,Alpha,Invoice,A2,2026-08-01,2026-08-31,500.00,",
            "C1,Alpha,Invoice,A3,2026-10-01,2026-10-31,250.00,",
            "C1,Alpha,Payment,P1,2026-09-10,,400.00,A2",
            "C1,Alpha,Payment,P2,2026-10-05,,600.00,",
            "C2,Beta,Invoice,B1,2025-08-15,2025-09-14,3000.00,",
            "C2,Beta,Credit Note,CN1,2025-09-01,,200.00,B1",
            "C3,Gamma,Payment,P3,2026-09-01,,100.00,",
        ],
    )


def test_transactions_named_then_fifo(transactions_csv):
    result = run_on(transactions_csv, as_of=AS_OF)
    items = items_by_doc(result)
    # P1 (400) names A2: 500 -> 100. P2 (600) names nothing: oldest due first, A1 1000 -> 400.
    # CN1 (200) names B1: 3000 -> 2800. P3 has nothing to pay: 100 unapplied credit on C3.
    assert items["open_minor"].to_dict() == {"A1": 40000, "A2": 10000, "A3": 25000, "B1": 280000}
    # days overdue = 2026-10-31 - due date
    assert items["days_overdue"].to_dict() == {"A1": 153, "A2": 61, "A3": 0, "B1": 412}
    assert items["bucket"].astype(str).to_dict() == {
        "A1": "91-180",
        "A2": "61-90",
        "A3": "Not due",
        "B1": "1-2 y",
    }
    assert items["grade"].astype(str).to_dict() == {
        "A1": "in_collection",
        "A2": "in_collection",
        "A3": "not_due",
        "B1": "bad",
    }
    # provision: within 1 y 5 %, 1-2 y 10 %: 20.00 + 5.00 + 12.50 + 280.00
    assert items["provision_base_minor"].to_dict() == {
        "A1": 2000,
        "A2": 500,
        "A3": 1250,
        "B1": 28000,
    }
    # limitation restarts at the receipt applied to the item: A1 by P2 (FIFO), A2 by P1 (named)
    assert str(items.loc["A1", "limitation_date"].date()) == "2029-10-05"
    assert str(items.loc["A2", "limitation_date"].date()) == "2029-09-10"
    assert str(items.loc["B1", "limitation_date"].date()) == "2028-09-14"
    customers = result.customers.set_index("customer_id")
    assert customers.loc["C3", "unapplied_credit_base_minor"] == 10000
    assert customers.loc["C1", "overdue_base_minor"] == 50000
    # input 1000+500+250-400-600+3000-200-100 = 3450 = open 3550 - credit 100
    assert line(result, "CNY", "input_total") == 345000
    assert line(result, "CNY", "open_items") == 355000
    assert line(result, "CNY", "unapplied_credits") == -10000
    assert line(result, "CNY", "difference") == 0
    assert result.reconciled


def test_fifo_off_leaves_unnamed_receipts_as_credit(transactions_csv):
    result = run_on(transactions_csv, as_of=AS_OF, overrides={"settlement.fifo": False})
    items = items_by_doc(result)
    assert items.loc["A1", "open_minor"] == 100000
    customers = result.customers.set_index("customer_id")
    assert customers.loc["C1", "unapplied_credit_base_minor"] == 60000
    assert line(result, "CNY", "difference") == 0


def write_sap_open_items(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "FBL5N"
    rows = [
        ["Customer Line Item Display"],
        ["Key date 31.10.2026"],
        [],
        [
            "Customer",
            "Name",
            "Document Number",
            "Document Type",
            "Document Date",
            "Net Due Date",
            "Amount in LC",
            "Currency",
        ],
        ["100017", "Delta GmbH", "1800001", "RV", "01.06.2026", "01.07.2026", "5,000.00", "EUR"],
        ["100017", "Delta GmbH", "1800002", "RV", "15.09.2026", "15.10.2026", 2000, "EUR"],
        ["100017", "Delta GmbH", "1400001", "DZ", "20.10.2026", "20.10.2026", "1,500.00-", "EUR"],
        [None, "Subtotal", None, None, None, None, "5,500.00", "EUR"],
        ["0200020", "Epsilon Ltd", "1800003", "RV", "05.01.2026", "04.02.2026", 800, "EUR"],
        [None, "Subtotal", None, None, None, None, 800, "EUR"],
        [None, "Grand Total", None, None, None, None, 6300, "EUR"],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_sap_open_items_with_unapplied_payment(tmp_path):
    result = run_on(write_sap_open_items(tmp_path / "fbl5n.xlsx"), base=None)
    assert result.as_of == AS_OF  # from the title row "Key date 31.10.2026"
    assert result.base_currency == "EUR"
    items = items_by_doc(result)
    # the DZ payment (-1,500.00, SAP trailing minus) applies oldest-due first to 1800001
    assert items["open_minor"].to_dict() == {"1800001": 350000, "1800002": 200000, "1800003": 80000}
    assert items["days_overdue"].to_dict() == {"1800001": 122, "1800002": 16, "1800003": 269}
    assert items.loc["1800003", "grade"] == "doubtful"  # over 180 days
    assert items.loc["1800003", "customer_id"] == "0200020"  # leading zero kept
    recon = result.reconciliation
    controls = recon[recon.line.str.startswith("control")]
    assert controls["amount_minor"].tolist() == [550000, 80000, 630000]
    assert controls["status"].eq("ok").all()
    assert result.reconciled


def test_gb18030_invoice_register(tmp_path):
    path = write_csv(
        tmp_path / "register.csv",
        [
            "客户编码,客户名称,发票号,开票日期,到期日,发票金额,已收金额,结清日期",
            '00123,上海宏达贸易有限公司,F001,2026/07/01,2026/07/31,"11,300.00",11300.00,2026/08/20',
            '00123,上海宏达贸易有限公司,F002,2026/08/01,2026/08/31,"22,600.00",10000.00,',
            "00456,北京远航科技有限公司,F003,2026年3月1日,2026年3月31日,5650.00,0,",
            "00456,北京远航科技有限公司,F004,2026/10/15,2026/11/14,1000.00,,2026/11/10",
        ],
        encoding="gb18030",
    )
    result = run_on(path, as_of=AS_OF)
    items = items_by_doc(result)
    # F001 fully paid; F002 22,600 - 10,000; F003 unpaid; F004 settled after the as-of date
    assert items["open_minor"].to_dict() == {"F002": 1260000, "F003": 565000, "F004": 100000}
    assert items["days_overdue"].to_dict() == {"F002": 61, "F003": 214, "F004": -14}
    assert items.loc["F003", "grade"] == "doubtful"
    assert set(items["customer_id"]) == {"00123", "00456"}
    assert items.loc["F002", "customer_name"] == "上海宏达贸易有限公司"
    # input 18,250 = open 19,250 + the payment dated after the as-of date (-1,000)
    assert line(result, "CNY", "input_total") == 1825000
    assert line(result, "CNY", "after_as_of") == -100000
    assert line(result, "CNY", "difference") == 0


def test_utf8_bom_and_semicolons(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufeffCustomer ID;Name;Doc No;Date;Due Date;Balance\n"
        "K1;Kappa;D1;2026-09-01;2026-10-01;99.99\n".encode()
    )
    result = run_on(path, as_of=AS_OF)
    assert result.open_items["open_minor"].tolist() == [9999]
    assert result.open_items["days_overdue"].tolist() == [30]


def test_provision_table_by_age_band(transactions_csv):
    table = run_on(transactions_csv, as_of=AS_OF).provision.set_index("band")
    # within 1 y: A1 400 + A2 100 + A3 250 = 750.00 at 5 % = 37.50; 1-2 y: B1 2,800.00 at 10 %
    assert table.loc[
        "Within 1 y", ["items", "open_base_minor", "provision_base_minor"]
    ].tolist() == [3, 75000, 3750]
    assert table.loc["1-2 y", ["items", "open_base_minor", "provision_base_minor"]].tolist() == [
        1,
        280000,
        28000,
    ]
    assert table.loc["1-2 y", "bad"] == 280000 and table.loc["Within 1 y", "not_due"] == 25000
    assert table["provision_base_minor"].sum() == 31750
