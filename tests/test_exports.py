"""Exports laid out the way real ERPs and accounting packages write them."""

from __future__ import annotations

from datetime import date

import openpyxl
from conftest import run_on, write_csv


def controls(result):
    recon = result.reconciliation
    return recon[recon["line"].str.startswith("control")].reset_index(drop=True)


def test_kingdee_detail_with_sections_direction_and_running_balance(tmp_path):
    """应收账款明细账: customers as section rows, 借方/贷方/方向/余额, opening balances,
    本月合计 / 本年累计 / 期末余额 lines."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "应收账款明细账"
    for row in [
        ["华东精密机械有限公司"],
        ["应收账款明细账"],
        ["期间：2026年10月"],
        ["日期", "凭证字号", "摘要", "借方", "贷方", "方向", "余额"],
        ["客户：C001 上海宏达贸易有限公司"],
        ["2026-09-30", None, "期初余额", None, None, "借", "10,000.00"],
        ["2026-10-08", "记-12", "销售发票 F101", "5,000.00", None, "借", "15,000.00"],
        ["2026-10-20", "记-30", "收款", None, "8,000.00", "借", "7,000.00"],
        ["2026-10-31", None, "本月合计", "5,000.00", "8,000.00", "借", "7,000.00"],
        ["2026-10-31", None, "本年累计", "60,000.00", "53,000.00", "借", "7,000.00"],
        ["客户：C002 北京远航科技有限公司"],
        ["2026-09-30", None, "期初余额", None, None, "贷", "500.00"],
        ["2026-10-15", "记-20", "销售发票 F102", "2,000.00", None, "借", "1,500.00"],
        ["2026-10-31", None, "本月合计", "2,000.00", None, "借", "1,500.00"],
        [None, None, "期末余额", None, None, "借", "8,500.00"],
    ]:
        sheet.append(row)
    path = tmp_path / "kingdee.xlsx"
    book.save(path)
    result = run_on(path)
    assert result.as_of == date(2026, 10, 31)  # last document date, month end
    items = result.open_items.set_index("doc_no")
    # C001: opening 10,000 (due 09-30 + 30 days) and invoice 5,000; the 8,000 receipt names
    # nothing, so it pays the oldest due first: the opening balance keeps 2,000.
    # C002: the opening balance is a credit (贷 500) and pays 500 of F102.
    assert sorted(zip(items["customer_id"], items["open_minor"], strict=True)) == [
        ("C001", 200000),
        ("C001", 500000),
        ("C002", 150000),
    ]
    assert set(items["customer_name"]) == {"上海宏达贸易有限公司", "北京远航科技有限公司"}
    lines = controls(result)
    assert lines["status"].tolist() == [
        "ok",
        "ok",
        "ok",  # C001 本月合计: debit, credit, running balance
        "not_checked",
        "not_checked",  # 本年累计 debit and credit reach outside the export (60,000 > 5,000)
        "ok",  # ... but its balance is the customer's running balance, 7,000
        "ok",
        "ok",  # C002 本月合计: debit, running balance
        "ok",  # 期末余额 = the running balance of the whole export
    ]
    assert result.reconciled
    assert result.summary["exceptions"] == 0


def test_quickbooks_aging_detail_grouped_by_customer(tmp_path):
    path = write_csv(
        tmp_path / "qb.csv",
        [
            "Acme Widgets Inc",
            "A/R Aging Detail",
            "As of October 31, 2026",
            "",
            ",Date,Transaction Type,Num,Due Date,Amount,Open Balance",
            "Current",
            "Beta LLC",
            ",10/15/2026,Invoice,1001,11/14/2026,500.00,500.00",
            "Total for Beta LLC,,,,,500.00,500.00",
            "1 - 30 days past due",
            "Alpha Corp",
            ',09/20/2026,Invoice,1002,10/20/2026,"1,200.00","1,200.00"',
            ",09/25/2026,Payment,P9,09/25/2026,-200.00,-200.00",
            'Total for Alpha Corp,,,,,"1,000.00","1,000.00"',
            'TOTAL,,,,,"1,500.00","1,500.00"',
        ],
    )
    result = run_on(path)
    assert result.as_of == date(2026, 10, 31)  # "As of October 31, 2026"
    items = result.open_items.set_index("doc_no")
    assert items["open_minor"].to_dict() == {"1001": 50000, "1002": 100000}
    assert items["customer_id"].to_dict() == {"1001": "Beta LLC", "1002": "Alpha Corp"}
    assert items["days_overdue"].to_dict() == {"1001": -14, "1002": 11}
    lines = controls(result)
    assert lines["amount_minor"].tolist() == [50000, 50000, 100000, 100000, 150000, 150000]
    assert lines["status"].eq("ok").all()
    assert result.reconciled


def test_merged_customer_cells_fill_the_rows_they_cover(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户名称", "发票号", "开票日期", "到期日", "金额"])
    sheet.append(["深圳华强电子有限公司", "F1", "2026-08-01", "2026-08-31", 100])
    sheet.append([None, "F2", "2026-09-01", "2026-09-30", 200])
    sheet.merge_cells("A2:A3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = run_on(path, as_of=date(2026, 10, 31))
    assert result.open_items["customer_name"].tolist() == ["深圳华强电子有限公司"] * 2
    assert result.summary["exceptions"] == 0


def test_xero_aged_receivables_detail(tmp_path):
    path = write_csv(
        tmp_path / "xero.csv",
        [
            "Aged Receivables Detail",
            "Demo Company (AU)",
            "As at 30 October 2026",
            "",
            "Invoice Date,Invoice Number,Reference,Due Date,Total,Paid,Credited,Due",
            "Acme Ltd",
            '15 Sep 2026,INV-0101,PO-77,15 Oct 2026,"1,100.00",500.00,100.00,500.00',
            "20 Oct 2026,INV-0107,,19 Nov 2026,220.00,0.00,0.00,220.00",
            'Total Acme Ltd,,,,"1,320.00",500.00,100.00,720.00',
            "Basket Case",
            "01 Jun 2026,INV-0088,,01 Jul 2026,300.00,0.00,0.00,300.00",
            "Total Basket Case,,,,300.00,0.00,0.00,300.00",
            'Total,,,,"1,620.00",500.00,100.00,"1,020.00"',
        ],
    )
    result = run_on(path)
    assert result.as_of == date(2026, 10, 30)  # "As at 30 October 2026"
    items = result.open_items.set_index("doc_no")
    # the "Due" column is what is open: 1,100 - 500 paid - 100 credited = 500
    assert items["open_minor"].to_dict() == {
        "INV-0088": 30000,
        "INV-0101": 50000,
        "INV-0107": 22000,
    }
    assert items["days_overdue"].to_dict() == {"INV-0088": 121, "INV-0101": 15, "INV-0107": -20}
    assert items["customer_id"].to_dict() == {
        "INV-0088": "Basket Case",
        "INV-0101": "Acme Ltd",
        "INV-0107": "Acme Ltd",
    }
    lines = controls(result)
    # Total, Paid, Credited and Due of each of the three totals rows agree with their rows
    assert len(lines) == 12 and lines["status"].eq("ok").all()


def test_xero_register_without_a_due_column_nets_paid_and_credited(tmp_path):
    path = write_csv(
        tmp_path / "xero_register.csv",
        [
            "Contact,Invoice Number,Invoice Date,Due Date,Total,Paid,Credited",
            'Acme Ltd,INV-0101,15 Sep 2026,15 Oct 2026,"1,100.00",500.00,100.00',
        ],
    )
    result = run_on(path, as_of=date(2026, 10, 31))
    assert result.open_items["open_minor"].tolist() == [50000]
    assert result.reconciled


def test_balance_summary_is_refused_with_a_reason(tmp_path, capsys):
    from aging.cli import main

    path = write_csv(
        tmp_path / "balances.csv",
        [
            "客户编码,客户名称,期初余额,本期借方,本期贷方,期末余额",
            "C001,上海宏达,100.00,50.00,20.00,130.00",
        ],
    )
    assert main(["--ledger", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "balance summary" in err and err.count("\n") == 1
