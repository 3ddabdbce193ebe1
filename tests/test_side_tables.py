"""Side tables (customer master, contact log, FX table) as people and ERPs write them.

Each test is a probe case cut down: the figures are worked out by hand in its comments."""

from __future__ import annotations

import datetime as dt

from conftest import data_issues, run_on, write_csv

LEDGER_HEAD = "客户编码,客户名称,单据日期,单据类型,单据编号,金额,币别"


def ledger(tmp, ids, date="2026-08-15", amount="1000.00"):
    lines = [LEDGER_HEAD]
    for i, cid in enumerate(ids, 1):
        lines.append(f"{cid},客户{i},{date},销售发票,XS{i:03d},{amount},人民币")
    return write_csv(tmp / "export.csv", lines)


def codes(result) -> set:
    return set(data_issues(result)["code"])


def due(result) -> dict:
    items = result.open_items
    return {r.customer_id: r.due_date.date() for r in items.itertuples()}


# ---- 1. a customer's e-mail is never the manager's ----------------------------------------


def test_bare_email_beside_contact_is_the_customers_not_the_managers(tmp):
    # 邮箱 next to 联系人/电话 is the customer's accounts-payable mailbox: the manager's pack
    # (every customer of 王经理) must not be addressed to it.
    master = write_csv(
        tmp / "customers.csv",
        [
            "客户编码,客户名称,联系人,电话,邮箱,销售经理",
            "C001,客户1,刘会计,010-1234,finance@hualian.example,王经理",
            "C002,客户2,陈出纳,021-5678,ap@dongfang.example,王经理",
        ],
    )
    result = run_on(ledger(tmp, ["C001", "C002"]), as_of="2026-10-31", customers=[master])
    assert result.manager_emails == {}
    assert "manager.no_email" in codes(result)


def test_a_header_naming_the_manager_is_the_managers_email(tmp):
    for header in ("经理邮箱", "业务员邮箱", "Manager Email", "Sales Rep Email",
                   "Account Manager E-mail"):  # fmt: skip
        master = write_csv(
            tmp / "customers.csv",
            [f"客户编码,客户名称,销售经理,{header}", "C001,客户1,王经理,wang@ours.example"],
        )
        result = run_on(ledger(tmp, ["C001"]), as_of="2026-10-31", customers=[master])
        assert result.manager_emails == {"王经理": "wang@ours.example"}, header


# ---- 2. terms written as words ------------------------------------------------------------

TERMS = ["Net 30", "月结60天", "60天", "ZB30", "N30", "Net 45", "2/10 Net 30", "60 days", "货到付款"]


def test_master_terms_written_as_words_are_read(tmp):
    # invoices of 2026-08-15 with no due date: due = 08-15 + terms
    ids = [f"C{i:03d}" for i in range(1, len(TERMS) + 1)]
    master = write_csv(
        tmp / "customers.csv",
        ["客户编码,客户名称,账期", *(f"{c},客户{i},{t}" for i, (c, t) in enumerate(zip(ids, TERMS), 1))],
    )
    result = run_on(ledger(tmp, ids), as_of="2026-10-31", customers=[master])
    start = dt.date(2026, 8, 15)
    days = [30, 60, 60, 30, 30, 45, 30, 60, 0]
    assert due(result) == {c: start + dt.timedelta(days=d) for c, d in zip(ids, days)}
    assert "master.value_unknown" not in codes(result)


def test_terms_headers_of_kingdee_u8_sap(tmp):
    # 月结30天 / 月结60天 / 货到90天 -> due 09-14, 10-14, 11-13
    for header in ("收款条件", "信用期限", "付款条件", "结算期限", "信用期", "Terms of payment",
                   "Payment terms"):  # fmt: skip
        master = write_csv(
            tmp / "customers.csv",
            [f"客户编码,客户名称,{header}", "C001,客户1,月结30天", "C002,客户2,月结60天",
             "C003,客户3,90天"],
        )  # fmt: skip
        result = run_on(ledger(tmp, ["C001", "C002", "C003"]), as_of="2026-10-31",
                        customers=[master])  # fmt: skip
        assert due(result) == {
            "C001": dt.date(2026, 9, 14),
            "C002": dt.date(2026, 10, 14),
            "C003": dt.date(2026, 11, 13),
        }, header


def test_u8_master_sales_rep_and_terms(tmp):
    master = write_csv(
        tmp / "customers.csv",
        ["客户编码,客户名称,客户简称,信用额度,信用期限,专管业务员,分管部门",
         "C001,客户1,一,50000,60,张三,销售一部", "C002,客户2,二,50000,90,李四,销售二部"],
    )  # fmt: skip
    result = run_on(ledger(tmp, ["C001", "C002"]), as_of="2026-10-31", customers=[master])
    reps = dict(zip(result.customers["customer_id"], result.customers["sales_rep"]))
    assert reps == {"C001": "张三", "C002": "李四"}
    assert due(result) == {"C001": dt.date(2026, 10, 14), "C002": dt.date(2026, 11, 13)}
