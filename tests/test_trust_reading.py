"""Issue #11, the reading half: rows and figures that were lost while the run said
"reconciled". Each test reproduces a quoted failure."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import run_on, write_csv

AS_OF = date(2026, 10, 31)
USD = {"base_currency": "USD"}


def open_by_doc(result) -> dict:
    items = result.open_items
    return dict(zip(items["doc_no"], items["open_minor"], strict=True))


def layout_kinds(result) -> list:
    return result.layout_rows["kind"].tolist()


@pytest.mark.parametrize(
    "memo", ["Sum", "*", "Subtotal", "Total payment for August", "Total", "合计"]
)
def test_a_receipt_with_a_totals_word_in_its_memo_is_data(tmp_path, memo):
    """A receipt with no document number whose memo is a totals word is still a receipt: the
    invoice it pays is not open, and no letter goes out for it."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Date,Due Date,Type,Amount,Memo",
            "Acme,INV-1,2026-08-01,2026-08-31,Invoice,1000.00,",
            f"Acme,,2026-09-15,,Payment,1000.00,{memo}",
            "Beta,INV-2,2026-09-01,2026-10-01,Invoice,500.00,",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    # INV-1 (1,000) is paid in full by the receipt; only INV-2 (500) is open.
    assert open_by_doc(result) == {"INV-2": 50000}
    assert result.reconciled
    assert not result.reconciliation["line"].str.startswith("control").any()


def test_a_customer_called_total_energies_is_a_customer(tmp_path):
    """'Total Energies' is a name: the rows under it are data, never a totals row, even when
    the receipt's amount happens to equal the rows above it."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Date,Due Date,Amount",
            "Total Energies,INV-1,2026-08-01,2026-08-31,1000.00",
            "Total Energies,,2026-09-15,,-1000.00",
            "Acme,INV-2,2026-09-01,2026-10-01,500.00",
            "Total Energies,INV-3,2026-10-01,2026-11-30,700.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    # INV-1 is paid by the -1,000 row (oldest-first); INV-2 and INV-3 stay open.
    assert open_by_doc(result) == {"INV-2": 50000, "INV-3": 70000}
    assert result.summary["ledger_rows"] == 4
    assert result.reconciled


def test_receipts_without_document_numbers_and_no_type_column_are_data(tmp_path):
    """No type column, no document number, a memo of '*' or 'Sum': with a customer and a date
    of its own and an amount that does not close the rows above, the row is data (and a
    warning says it looked like a totals row)."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Date,Due Date,Amount,Memo",
            "Acme,INV-2,2026-09-01,2026-10-01,500.00,",
            "Acme,,2026-10-05,,-200.00,Sum",
            "Acme,,2026-10-06,,-100.00,*",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    # 500 - 200 - 100 = 200 open on INV-2
    assert open_by_doc(result) == {"INV-2": 20000}
    warned = result.issues[result.issues["code"].eq("row.looks_like_total")]
    assert sorted(warned["row"].tolist()) == [3, 4]
    assert result.reconciled


def test_real_totals_rows_are_still_control_totals(tmp_path):
    """The strong forms keep working: a label in the first column, no document identity."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Date,Due Date,Amount",
            "Acme,INV-1,2026-08-01,2026-08-31,1000.00",
            "Acme,INV-2,2026-09-01,2026-10-01,500.00",
            "Total for Acme,,,,1500.00",
            "Beta,INV-3,2026-09-01,2026-10-01,200.00",
            "Subtotal,,,,200.00",
            "Grand Total,,,,1700.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    assert open_by_doc(result) == {"INV-1": 100000, "INV-2": 50000, "INV-3": 20000}
    recon = result.reconciliation
    controls = recon[recon["line"].str.startswith("control")]
    # 1,000 + 500 = 1,500; 200; 1,500 + 200 = 1,700
    assert controls["amount_minor"].tolist() == [150000, 20000, 170000]
    assert controls["status"].eq("ok").all()


def test_a_wrong_export_total_is_still_a_totals_row_and_fails_the_run(tmp_path):
    """A strong totals label with a figure that does not add up is a mismatch (exit 1), not a
    data row that would silently double the debt."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Date,Due Date,Amount",
            "Acme,INV-1,2026-08-01,2026-08-31,1000.00",
            "合计,,,,999.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    assert open_by_doc(result) == {"INV-1": 100000}
    assert not result.reconciled


def test_a_due_column_of_dates_is_the_due_date_not_the_amount(tmp_path):
    """'Due' is Xero's open amount, but under this header stand dates: it is the due date.
    Before: every amount was unreadable, counted as 0, and the run said reconciled."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice,Date,Due,Amount",
            "Acme,INV-1,2026-08-01,2026-08-31,1000.00",
            "Beta,INV-2,2026-09-01,2026-11-30,250.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    assert open_by_doc(result) == {"INV-1": 100000, "INV-2": 25000}
    # as-of 2026-10-31 - due 2026-08-31 = 61 days; INV-2 is due in 30 days
    assert dict(
        zip(result.open_items["doc_no"], result.open_items["days_overdue"], strict=True)
    ) == {
        "INV-1": 61,
        "INV-2": -30,
    }
    assert result.summary["exceptions"] == 0


def test_debits_only_total_with_receipts_written_positive(tmp_path):
    """Receipts written as positive numbers under a 收款单 type, and a 合计 of the invoices
    only: the 'debits only' class is decided by the document's sign, not the written one."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "客户,单据号,单据类型,日期,到期日,金额",
            "上海宏达,F1,销售发票,2026-08-01,2026-08-31,1000.00",
            "上海宏达,F2,销售发票,2026-09-01,2026-10-01,500.00",
            "上海宏达,S1,收款单,2026-09-20,,300.00",
            "合计,,,,,1500.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    # 1,000 + 500 invoiced, 300 received oldest-first: F1 700, F2 500 open
    assert open_by_doc(result) == {"F1": 70000, "F2": 50000}
    recon = result.reconciliation
    control = recon[recon["line"].str.startswith("control")].iloc[0]
    assert control["amount_minor"] == 150000 and control["status"] == "ok"
    assert result.reconciled


def test_a_nul_byte_in_a_memo_does_not_make_a_csv_binary(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(
        b"Customer,Invoice,Date,Due Date,Amount,Memo\n"
        b"Acme,INV-1,2026-08-01,2026-08-31,1000.00,note\x00here\n"
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    assert open_by_doc(result) == {"INV-1": 100000}


def test_layout_rows_are_counted_not_exceptions(tmp_path):
    """QuickBooks Online: aging-band headings and a report timestamp below the table are
    layout rows, listed by kind, never 'customer missing' exceptions."""
    path = write_csv(
        tmp_path / "qbo.csv",
        [
            "Acme Widgets Inc",
            "A/R Aging Detail",
            "As of October 31, 2026",
            "",
            "Date,Transaction Type,Num,Customer,Due Date,Amount,Open Balance",
            "Current",
            "10/15/2026,Invoice,1001,Beta LLC,11/14/2026,500.00,500.00",
            "Total for Current,,,,,$500.00,$500.00",
            "1 - 30 days past due",
            "09/20/2026,Invoice,1002,Alpha Corp,10/20/2026,1200.00,1200.00",
            "Total for 1 - 30 days past due,,,,,$1200.00,$1200.00",
            "TOTAL,,,,,$1700.00,$1700.00",
            "",
            "",
            '"Monday, November 2, 2026 09:14 AM GMT-07:00"',
        ],
    )
    result = run_on(path, overrides=USD)
    assert open_by_doc(result) == {"1001": 50000, "1002": 120000}
    assert result.summary["exceptions"] == 0
    assert layout_kinds(result) == ["heading", "heading", "footer"]
    assert result.reconciled


def test_explain_prints_the_mapping_and_writes_nothing(tmp_path, capsys):
    from aging.cli import main

    path = write_csv(
        tmp_path / "erpnext.csv",
        [
            "Posting Date,Party,Customer Name,Voucher Type,Voucher No,Due Date,"
            "Outstanding Amount,0-30,Remarks,Currency",
            "2026-09-01,CUST-1,Acme,Sales Invoice,SINV-1,2026-10-01,500.0,500.0,x,USD",
        ],
    )
    out = tmp_path / "out"
    assert main(["--ledger", str(path), "--explain", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Voucher No -> doc_no" in said and "Outstanding Amount -> open_amount" in said
    assert "0-30 -> ignore" in said  # an age band is never an amount
    assert "base currency: USD (the ledger's only currency)" in said
    assert not out.exists()


def test_a_misspelt_field_under_columns_is_refused_with_the_valid_ones(tmp_path, capsys):
    from aging.cli import main

    config = tmp_path / "c.yaml"
    config.write_text("columns:\n  ledger:\n    custmer_id: [Kundennr]\n", encoding="utf-8")
    assert main(["--config", str(config), "--print-config"]) == 2
    err = capsys.readouterr().err
    assert "custmer_id" in err and "customer_id" in err and err.count("\n") == 1


def test_an_english_export_with_no_currency_stops_and_asks(tmp_path, capsys):
    from aging.cli import main

    path = write_csv(
        tmp_path / "ar.csv",
        ["Customer,Invoice,Date,Due Date,Amount", "Acme,I1,2026-09-01,2026-10-01,100.00"],
    )
    assert main(["--ledger", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "base_currency" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize(
    ("title", "amount", "expected"),
    [
        ("All amounts in USD", "100.00", ("USD", "title")),
        ("Aged Receivables", "$100.00", ("USD", "amount_signs")),
        ("Aged Receivables", "£100.00", ("GBP", "amount_signs")),
        ("币别：人民币", "100.00", ("CNY", "title")),
    ],
)
def test_the_base_currency_comes_from_the_exports_evidence(tmp_path, title, amount, expected):
    path = write_csv(
        tmp_path / "ar.csv",
        [
            title,
            "Customer,Invoice,Date,Due Date,Amount",
            f'Acme,I1,2026-09-01,2026-10-01,"{amount}"',
        ],
    )
    result = run_on(path, as_of=AS_OF, base=None)
    assert (result.base_currency, result.base_evidence.evidence) == expected
    assert result.open_items["open_minor"].tolist() == [10000]


def test_a_second_name_for_one_customer_is_named(tmp_path):
    from aging import i18n

    path = write_csv(
        tmp_path / "ar.csv",
        [
            "Customer ID,Customer Name,Invoice,Date,Due Date,Amount",
            "C1,Alpha,I1,2026-09-01,2026-10-01,100.00",
            "C1,Alpha Ltd,I2,2026-09-02,2026-10-02,100.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    found = result.issues[result.issues["code"].eq("customer.two_names")]
    texts = {int(r["row"]): i18n.issue_text(r, "en", "USD") for _, r in found.iterrows()}
    assert texts[3] == "Customer C1 also appears under another name: Alpha."
    assert texts[2] == "Customer C1 also appears under another name: Alpha Ltd."


def test_an_unusable_file_is_said_in_the_users_language(tmp_path, capsys):
    from aging.cli import main

    path = write_csv(tmp_path / "ab.csv", ["a,b", "1,2"])
    assert main(["--ledger", str(path), "--lang", "zh", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "未找到台账表" in err and err.count("\n") == 1
    assert main(["--ledger", str(tmp_path / "nope.csv"), "--lang", "zh"]) == 2
    assert "文件不存在" in capsys.readouterr().err


def test_a_subtotal_in_the_document_currency_is_labelled_in_that_currency():
    """A Kingdee 小计 of a USD customer states 原币余额 in USD and 本币余额 in CNY: each check
    says the currency it is in (the USD figure was shown as CNY 11,046.00)."""
    from pathlib import Path

    export = Path(__file__).parent / "erp_cases" / "kingdee_k3wise_multicurrency" / "export.xlsx"
    result = run_on(export, as_of=AS_OF, base=None)
    recon = result.reconciliation
    controls = recon[recon["line"].eq("control:sub")]
    by_amount = dict(zip(controls["amount_minor"], controls["currency"], strict=False))
    # row 14: Pacific Rim Trading, 2 USD items: 原币 11,046.00 USD, 本币 78,667.08 CNY
    assert by_amount[1104600] == "USD"
    assert by_amount[7866708] == "CNY"
    # a CNY customer's 小计 (row 8: 176,788.45 in both columns) stays CNY
    assert by_amount[17678845] == "CNY"


def test_an_export_with_only_a_credit_runs(tmp_path):
    """No open debt at a month end: no open items and the credit left unapplied (it crashed
    in the history stage with "factorize requires a Series")."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Invoice Date,Due Date,Open Amount,Currency",
            "C1,CN-1,2026-10-01,2026-10-01,-100.00,USD",
        ],
    )
    result = run_on(path, as_of=AS_OF, base=None)
    assert result.open_items.empty
    assert int(result.customers["unapplied_credit_base_minor"].sum()) == 10000
    assert result.reconciled


def test_currency_names_in_the_currency_column_are_codes():
    """NetSuite writes "Euro" and "US Dollar" in its Currency column, 用友 writes 港元: the
    names are the ISO codes (CLDR names through Babel, our own words over them)."""
    import pandas as pd

    from aging.currency import codes

    names = pd.Series(["Euro", "US Dollar", "British pound", "港元", "美金", "RMB", "", "Zorkmid"])
    assert codes(names, "CNY").tolist() == [
        "EUR", "USD", "GBP", "HKD", "USD", "CNY", "CNY", "ZORKMID",  # unknown: an exception later
    ]  # fmt: skip


# ---- Chinese printouts: padded labels, section headings, split-cell footers -----------------


@pytest.mark.parametrize("label", ["小　计", "小  计", "合    计", "本 月 合 计", "合　计："])
def test_a_totals_label_padded_with_spaces_is_a_totals_row(tmp_path, label):
    """Chinese reports centre 小计 / 合计 with spaces ('小　计', full-width): still a totals
    row, checked as a control total, never a document without a date."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "客户编码,客户名称,单据号,单据日期,到期日,金额",
            "C1,华联,INV-1,2026-08-01,2026-08-31,1000.00",
            "C1,华联,INV-2,2026-09-01,2026-10-01,500.00",
            f"{label},,,,,1500.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_by_doc(result) == {"INV-1": 100000, "INV-2": 50000}
    assert result.summary["exceptions"] == 0
    controls = result.reconciliation[result.reconciliation["line"].str.startswith("control")]
    # 1,000.00 + 500.00 = 1,500.00: the label's row is the export's total, and it agrees
    assert controls["amount_minor"].tolist() == [150000]
    assert controls["status"].tolist() == ["ok"]


@pytest.mark.parametrize(
    "heading",
    [
        "客户：00123 北京华联商贸有限公司",
        "核算项目：00123 北京华联商贸有限公司",
        "客户：[00123]北京华联商贸有限公司",
        "客户：00123-北京华联商贸有限公司",
        "客户：00123 - 北京华联商贸有限公司",
        "往来单位：(00123)北京华联商贸有限公司",
        "客户：北京华联商贸有限公司(00123)",
        "客户名称：【00123】北京华联商贸有限公司",
        "客 户：00123 北京华联商贸有限公司",
        "Customer: 00123 - 北京华联商贸有限公司",
    ],
)
def test_a_customer_section_heading_gives_the_code_and_the_name(tmp_path, heading):
    """The customer of the rows below a section heading is its code when it writes one,
    whatever the key (客户, 核算项目, 往来单位 …) and separator (space, -, brackets)."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "单据号,单据日期,到期日,金额",
            heading,
            "INV-1,2026-08-01,2026-08-31,1000.00",
            "客户：00145 上海申达",
            "INV-2,2026-09-01,2026-10-01,500.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    items = result.open_items.set_index("doc_no")
    assert items["customer_id"].to_dict() == {"INV-1": "00123", "INV-2": "00145"}
    names = dict(zip(result.customers["customer_id"], result.customers["name"], strict=True))
    assert names == {"00123": "北京华联商贸有限公司", "00145": "上海申达"}
    assert result.summary["exceptions"] == 0


def test_a_unit_line_is_no_customer_heading(tmp_path):
    """'单位：元' under a header says the unit of the figures: a heading, not a customer."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "单据号,单据日期,到期日,金额",
            "客户：00123 北京华联",
            "单位：元",
            "INV-1,2026-08-01,2026-08-31,1000.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert result.open_items["customer_id"].tolist() == ["00123"]


@pytest.mark.parametrize(
    "footer",
    [
        "制表人：,张三,,审核人：,李四,打印日期：,2026-11-02",
        "制 表 人：,张三,审 核：,李四,,,2026-11-02",
        "Prepared by,J. Smith,,Printed on,,,2026-11-02",
    ],
)
def test_a_footer_with_keys_and_values_in_separate_cells_is_a_footer(tmp_path, footer):
    """A print footer whose date lands under a money column is a layout row (kind footer),
    wherever it stands, never a document with an unreadable amount."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "客户编码,客户名称,单据号,单据日期,到期日,应收金额,未收余额",
            "C1,华联,INV-1,2026-08-01,2026-08-31,1000.00,1000.00",
            footer,
            "C2,申达,INV-2,2026-09-01,2026-10-01,500.00,500.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_by_doc(result) == {"INV-1": 100000, "INV-2": 50000}
    assert result.summary["exceptions"] == 0
    assert layout_kinds(result) == ["footer"]


def test_a_row_of_data_with_a_reviewer_name_is_still_data(tmp_path):
    """A document whose memo says 审核 is no footer: only rows made of footer keys and their
    values are."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "客户编码,单据号,单据日期,到期日,金额,摘要",
            "C1,INV-1,2026-08-01,2026-08-31,1000.00,审核：",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_by_doc(result) == {"INV-1": 100000}
    assert layout_kinds(result) == []


@pytest.mark.parametrize(
    "title",
    [
        "会计期间：2026年10月",
        "会计期间：2026年第10期",
        "期间：2026.10-2026.10",
        "期间：2026.01-2026.10",
        "截止日期：20261031",
        "会计期间：2026年10月,,打印日期：2026-11-02",
    ],
)
def test_the_period_in_the_title_is_the_as_of_date(tmp_path, title):
    """No --as-of: the report's period (or cut-off) in its title gives the as-of date, the
    period's month end, even when the newest open document is from the month before."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "应收款余额明细表",
            title,
            "客户代码,客户名称,单据号码,单据日期,到期日期,未收余额",
            "00123,华联,INV-1,2026-08-10,2026-09-09,1000.00",
            "00123,华联,INV-2,2026-09-03,2026-10-03,2000.00",
        ],
    )
    result = run_on(path)
    assert result.as_of.isoformat() == "2026-10-31"
    # 2026-10-31 - 2026-09-09 = 21 + 31 = 52 days; - 2026-10-03 = 28 days
    items = result.open_items.set_index("doc_no")
    assert items["days_overdue"].to_dict() == {"INV-1": 52, "INV-2": 28}


@pytest.mark.parametrize(
    "title", ["2026年度应收款明细表", "客户 2026-10", "Report 2026.10-2026.12"]
)
def test_a_year_or_month_in_an_ordinary_title_is_no_period(tmp_path, title):
    """Only a period named as one (期间, 截止日期, Period …) sets the as-of date: otherwise the
    month end of the last document date (2026-09-03 -> 2026-09-30)."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            title,
            "客户代码,客户名称,单据号码,单据日期,到期日期,未收余额",
            "00123,华联,INV-2,2026-09-03,2026-10-03,2000.00",
        ],
    )
    assert run_on(path).as_of.isoformat() == "2026-09-30"


def test_a_document_list_with_direction_and_balance_is_a_ledger(tmp_path):
    """客户编码 | 客户名称 | 单据类型 | 发票号码 | 开票日期 | 到期日 | 方向 | 余额: documents with
    numbers and dates, so a ledger (not a customer master); with no 借方/贷方 and a balance
    that does not move by the rows, 余额 is each document's open amount, never a running one."""
    path = write_csv(
        tmp_path / "u8.csv",
        [
            "客户编码,客户名称,单据类型,发票号码,开票日期,到期日,方向,余额",
            "0100,北京华联,销售专用发票,26100012,2026-08-10,2026-09-09,借,36500.00",
            "0100,北京华联,销售专用发票,26100019,2026-09-10,2026-10-10,借,33900.00",
            "0200,上海申达,销售普通发票,26100021,2026-09-22,2026-10-22,借,2000.00",
            "0200,上海申达,销售普通发票,26100025,2026-10-02,2026-11-01,借,8000.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert [t.kind for t in result.inputs] == ["ledger"]
    assert open_by_doc(result) == {
        "26100012": 3650000,
        "26100019": 3390000,
        "26100021": 200000,
        "26100025": 800000,
    }
    assert result.reconciled


def test_customer_blocks_with_colon_less_keys_give_the_customer(tmp_path):
    """SAP's classic list: 'Customer | 100045' and 'Name | …' lines open each block, the first
    one above the header row. A two-cell line whose key is no customer word ('Plant | 1000')
    is a heading, never a new customer."""
    path = write_csv(
        tmp_path / "blocks.csv",
        [
            "Customer,100045",
            "Name,Mueller Handels GmbH",
            "",
            ",St,DocumentNo,Doc. Date,Net due dt,Amount,Currency",
            ",,1800000311,07/20/2026,08/19/2026,100.00,EUR",
            "Customer,100112",
            "Plant,1000",
            "Name,Northwind Traders Ltd",
            ",,1800000298,06/30/2026,07/30/2026,200.00,EUR",
            "Plant,2000",
            ",,1800000299,06/30/2026,07/30/2026,300.00,EUR",
        ],
    )
    result = run_on(path, as_of=AS_OF, base=None)
    items = result.open_items.set_index("doc_no")
    assert items["customer_id"].to_dict() == {
        "1800000311": "100045",
        "1800000298": "100112",
        "1800000299": "100112",
    }
    names = dict(zip(result.customers["customer_id"], result.customers["name"], strict=True))
    assert names == {"100045": "Mueller Handels GmbH", "100112": "Northwind Traders Ltd"}
    assert result.summary["exceptions"] == 0


def test_month_and_day_columns_under_the_period_are_the_document_date(tmp_path):
    """用友 prints dates as 月 | 日 columns; with no year heading over them, the year is the
    period's in the title rows (it stopped: "no document date or due date column")."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "客户往来明细账",
            "期间：2026.10-2026.10",
            "客户,月,日,单据类型,单据号,借方,贷方,余额",
            "北京华联,10,9,销售专用发票,26100012,56500.00,,56500.00",
            "北京华联,10,20,收款单,0000000031,,40000.00,16500.00",
        ],
    )
    import pandas as pd

    result = run_on(path, as_of=AS_OF)
    # 56,500 - 40,000 = 16,500 open on 26100012, dated 2026-10-09
    assert open_by_doc(result) == {"26100012": 1650000}
    assert result.open_items["doc_date"].iloc[0] == pd.Timestamp("2026-10-09")


@pytest.mark.parametrize(
    "dates, order",
    [
        (["26.07.01", "26.10.01", "26.11.14"], "ymd"),  # 2026-07-01 ..: dmy would span 13 years
        (["05/10/26", "12/10/26", "28/10/26"], "dmy"),  # one October; ymd would span 23 years
        (["10/31/26", "09/01/26"], "mdy"),
        (["01.02.03"], None),  # nothing tells: the run asks
    ],
)
def test_short_dates_are_read_in_the_order_the_column_proves(dates, order):
    """26.07.01 typed the Chinese way is 2026-07-01 (it was read 26 July 2001: 9,136 days
    overdue); the order comes from the whole column, never guessed per cell."""
    import pandas as pd

    from aging.parse import clean_date_text, day_month_order

    assert day_month_order([clean_date_text(pd.Series(dates))]) == order


def test_a_terms_column_in_the_ledger_gives_the_due_date(tmp_path):
    """账期(天) beside each shipment: its own terms make its due date (they were read and then
    ignored for the default 30 days)."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "客户名称,发货日期,单据编号,应收金额,账期(天)",
            "宁波海顺,2026-10-05,SH1,1000.00,60",
            "杭州恒达,2026-07-10,SH2,700.00,月结30天",
            "绍兴越城,2026-04-30,SH3,680.00,",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    days = dict(zip(result.open_items["doc_no"], result.open_items["days_overdue"], strict=True))
    # SH1 due 10-05 + 60 = 12-04: -34; SH2 due 07-10 + 30 = 08-09: 83; SH3 blank: the default
    # 30 days, due 05-30: 154
    assert days == {"SH1": -34, "SH2": 83, "SH3": 154}


@pytest.mark.parametrize(
    "title, header",
    [("", "应收余额(万元)"), ("单位：万元", "应收余额"), ("金额单位: 万元", "未收金额")],
)
def test_amounts_stated_in_ten_thousands_are_read_in_yuan(tmp_path, title, header):
    """38.05 under 应收余额(万元) is 380,500.00 元 (it was read as 38.05 元 and the 合计 agreed
    with it, so the run said reconciled)."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            *([title] if title else []),
            f"客户名称,单据编号,单据日期,到期日,{header}",
            "宁波海顺,HT-1,2026-09-01,2026-10-01,38.05",
            "杭州恒达,HT-2,2026-08-01,2026-08-31,1.25",
            "合计,,,,39.30",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    # 38.05 x 10,000 = 380,500.00; 1.25 x 10,000 = 12,500.00; 合计 39.30 x 10,000 = 393,000.00
    assert open_by_doc(result) == {"HT-1": 38050000, "HT-2": 1250000}
    controls = result.reconciliation[result.reconciliation["line"].str.startswith("control")]
    assert controls["amount_minor"].tolist() == [39300000]
    assert controls["status"].tolist() == ["ok"] and result.reconciled


def test_amounts_in_thousands_are_read_in_units(tmp_path):
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "Customer,Invoice No,Invoice Date,Due Date,Open Balance (in thousands),Currency",
            "Acme,INV-1,2026-09-01,2026-10-01,12.5,USD",
        ],
    )
    assert open_by_doc(run_on(path, as_of=AS_OF, base=None)) == {"INV-1": 1250000}  # 12,500.00


def test_a_statement_names_its_customer_in_the_title_rows(tmp_path):
    """A 对账单 is one customer's: 客户名称：X above the table is every row's customer (the rows
    were all "customer missing" exceptions)."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            "杭州恒达机械有限公司",
            "客户对账单",
            "客户编码：00123 客户名称：宁波海顺贸易有限公司",
            "日期,单据编号,到期日,金额",
            "2026-07-15,XS0715001,2026-08-14,30000.00",
            "2026-09-10,SK0910001,,-25000.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    items = result.open_items
    # 30,000 - 25,000 = 5,000 open on XS0715001, customer 00123
    assert list(zip(items["customer_id"], items["doc_no"], items["open_minor"], strict=True)) == [
        ("00123", "XS0715001", 500000)
    ]
    assert set(result.customers["name"]) == {"宁波海顺贸易有限公司"}


def test_the_same_export_given_twice_is_refused(tmp_path, capsys):
    """Two copies of one export ("应收明细 (1).csv") doubled every debt and said reconciled."""
    from aging.cli import main

    lines = ["客户,单据编号,单据日期,到期日,金额", "C001,XS1,2026-09-01,2026-10-01,6000.00"]
    first = write_csv(tmp_path / "应收明细.csv", lines)
    second = write_csv(tmp_path / "应收明细 (1).csv", lines)
    args = ["--ledger", str(first), "--ledger", str(second), "--as-of", "2026-10-31"]
    assert main([*args, "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "same export" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_summary_sheet_beside_the_dated_ledger_is_left_and_said(tmp_path):
    """A workbook's front 汇总 sheet of balances (no dates) stopped the whole run; the dated
    sheets are the ledger, the summary is left out with a warning."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    for row in (
        ["客户编码", "客户名称", "期末余额"],
        ["C001", "宁波海顺", 8000],
        ["C002", "温州瓯江", 5000],
    ):
        summary.append(row)
    detail = book.create_sheet("10月")
    for row in (
        ["客户编码", "客户名称", "单据编号", "单据日期", "到期日", "金额"],
        ["C001", "宁波海顺", "XS4", "2026-10-20", "2026-11-19", 8000],
        ["C002", "温州瓯江", "XS3", "2026-09-12", "2026-10-12", 5000],
    ):
        detail.append(row)
    path = tmp_path / "应收.xlsx"
    book.save(path)
    result = run_on(path, as_of=AS_OF)
    assert open_by_doc(result) == {"XS4": 800000, "XS3": 500000}
    left = result.issues[result.issues["code"].eq("table.summary_left")]
    assert left["sheet"].tolist() == ["汇总"]


@pytest.mark.parametrize(
    "text, minor",
    [
        ("INR 1,23,456.00", 12345600),  # Tally: lakh grouping, the code before
        ("AUD1,234.00", 123400),
        ("₹1,23,456.00", 12345600),
        ("Rs. 1,23,456.00", 12345600),
        ("$-440.50", -44050),  # the sign after the currency
        ("USD (1,234.00)", -123400),
        ("CHF 1'234.50", 123450),
        ("EUR 1.234,56", 123456),
    ],
)
def test_amounts_with_a_currency_beside_them_are_read(text, minor):
    import pandas as pd

    from aging.parse import parse_amounts

    parsed, bad = parse_amounts(pd.Series([text]), 2)
    assert (int(parsed.iloc[0]), bool(bad.iloc[0])) == (minor, False)


def test_a_word_is_still_no_amount():
    import pandas as pd

    from aging.parse import parse_amounts

    _parsed, bad = parse_amounts(pd.Series(["TBD", "n/a", "待定", "USD"]), 2)
    assert bad.tolist() == [True, True, True, True]  # a currency without a figure is none


@pytest.mark.parametrize(
    "shares",
    [
        "账龄占比,,,100.0%,40.0%,60.0%",  # its label says so, figures written as percentages
        "Percent of total,,,1,0.4,0.6",  # the label says so
        ",,,100%,40%,60%",  # no label: every figure a percentage
        ",,,1,0.4,0.6",  # no label: the band shares and the total's 1
    ],
)
def test_a_row_of_percentages_is_layout_never_data(tmp_path, shares):
    """An aged report closes with each band's share of the total (MYOB's 'Ageing Percent:'):
    a layout row, not a document of $1.00 or an unparseable amount."""
    path = write_csv(
        tmp_path / "aged.csv",
        [
            "Customer,Invoice No,Due Date,Open Balance,Current,Over 30",
            "Alpha Corp,A1,2026-11-20,400.00,400.00,",
            "Beta LLC,B1,2026-09-10,600.00,,600.00",
            "Total,,,1000.00,400.00,600.00",
            shares,
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    assert open_by_doc(result) == {"A1": 40000, "B1": 60000}
    assert result.summary["exceptions"] == 0
    assert layout_kinds(result) == ["footer"]
    assert result.reconciled


def test_an_account_column_of_several_gl_accounts_is_never_the_customer(tmp_path):
    """Customers as heading rows, and an account column naming each line's GL account
    (应收账款, 银行存款, 主营业务收入): the customers are the headings. A receipt whose memo
    names an invoice of its customer pays that invoice."""
    path = write_csv(
        tmp_path / "by_customer.csv",
        [
            ",日期,单据类型,单号,摘要,Account,金额",
            "华联商贸,,,,,,",
            ",2026-07-01,销售发票,F001,,应收账款,1000.00",
            ",2026-08-01,销售发票,F002,,应收账款,500.00",
            ",2026-09-15,收款单,,收回发票号 F002,银行存款,500.00",
            "宏达实业,,,,,,",
            ",2026-09-01,销售发票,F003,,主营业务收入,800.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides={"base_currency": "CNY"})
    items = result.open_items
    keys = zip(items["customer_id"], items["doc_no"], strict=True)
    got = dict(zip(keys, items["open_minor"], strict=True))
    # the receipt names F002 (500 - 500 = 0); FIFO would have taken it from F001
    assert got == {("华联商贸", "F001"): 100000, ("宏达实业", "F003"): 80000}
    assert result.summary["exceptions"] == 0
    assert result.reconciled


def test_line_rows_of_one_invoice_count_its_balance_once(tmp_path):
    """An open-items export with one row per line item repeats the invoice's Total and Balance
    on each line: one open item, the repeats layout rows. A row with the same number but
    another balance is another document (warned as a duplicate number)."""
    path = write_csv(
        tmp_path / "lines.csv",
        [
            "Invoice Number,Customer,Invoice Date,Due Date,Item,Item Total,Total,Balance",
            "INV-1,Alpha,2026-08-01,2026-08-31,Consulting,600.00,1000.00,800.00",
            "INV-1,Alpha,2026-08-01,2026-08-31,Travel,400.00,1000.00,800.00",
            "INV-3,Alpha,2026-10-01,2026-10-31,Travel,150.00,150.00,150.00",
            "INV-2,Beta,2026-09-01,2026-09-30,Licence,300.00,300.00,300.00",
            "INV-2,Beta,2026-09-05,2026-10-05,Licence,250.00,250.00,250.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    items = result.open_items
    # INV-1: 800 once (not 1,600); INV-2 twice: 300 and 250, different dates and figures
    assert sorted(zip(items["doc_no"], items["open_minor"], strict=True)) == [
        ("INV-1", 80000),
        ("INV-2", 25000),
        ("INV-2", 30000),
        ("INV-3", 15000),
    ]
    assert result.layout_rows["kind"].tolist() == ["line"]
    assert result.layout_rows["row"].tolist() == [3]
    codes = result.issues["code"].tolist()
    assert codes.count("document.duplicate_no") == 2  # INV-2's two rows, not INV-1's
    assert result.reconciled


def test_a_customer_whose_name_says_percentage_is_still_a_customer(tmp_path):
    """The percentage-row rule reads labels, not customers named so."""
    path = write_csv(
        tmp_path / "open.csv",
        [
            "Customer,Invoice No,Due Date,Open Balance",
            "Percentage Holdings,P1,2026-09-30,300.00",
            "Percentage Holdings,,,100.00",
            "Alpha Corp,A1,2026-11-20,400.00",
        ],
    )
    result = run_on(path, as_of=AS_OF, overrides=USD)
    assert result.layout_rows.empty  # its undated row is a row of its own, not percentages
    assert result.issues.loc[result.issues["row"].eq(3), "code"].tolist() == ["date.missing"]
