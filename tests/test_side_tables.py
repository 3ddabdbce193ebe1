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

TERMS = [
    "Net 30",
    "月结60天",
    "60天",
    "ZB30",
    "N30",
    "Net 45",
    "2/10 Net 30",
    "60 days",
    "货到付款",
]


def test_master_terms_written_as_words_are_read(tmp):
    # invoices of 2026-08-15 with no due date: due = 08-15 + terms
    ids = [f"C{i:03d}" for i in range(1, len(TERMS) + 1)]
    master = write_csv(
        tmp / "customers.csv",
        [
            "客户编码,客户名称,账期",
            *(f"{c},客户{i},{t}" for i, (c, t) in enumerate(zip(ids, TERMS, strict=True), 1)),
        ],
    )
    result = run_on(ledger(tmp, ids), as_of="2026-10-31", customers=[master])
    start = dt.date(2026, 8, 15)
    days = [30, 60, 60, 30, 30, 45, 30, 60, 0]
    assert due(result) == {c: start + dt.timedelta(days=d) for c, d in zip(ids, days, strict=True)}
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
    reps = dict(zip(result.customers["customer_id"], result.customers["sales_rep"], strict=True))
    assert reps == {"C001": "张三", "C002": "李四"}
    assert due(result) == {"C001": dt.date(2026, 10, 14), "C002": dt.date(2026, 11, 13)}


# ---- 3. FX tables as treasury writes them -------------------------------------------------

FX_LEDGER = [
    "客户编码,客户名称,单据日期,到期日,单据类型,单据编号,币种,金额",
    "C001,Acme Inc,2026-09-15,2026-10-15,销售发票,XS001,USD,1000.00",
    "C002,Tokyo KK,2026-09-15,2026-10-15,销售发票,XS002,JPY,100000",
    "C003,北京华联,2026-09-15,2026-10-15,销售发票,XS003,CNY,5000.00",
]


def open_base(result) -> dict:
    items = result.open_items
    return dict(zip(items["customer_id"], items["open_base_minor"].astype(int), strict=True))


def test_fx_table_with_a_unit_column_gives_the_rate_per_unit(tmp):
    # 日元 100 4.75: 100,000 JPY x 4.75 / 100 = 4,750.00 CNY (not 475,000.00)
    fx = write_csv(tmp / "fx.csv", ["币种,单位,汇率", "美元,1,7.1000", "日元,100,4.7500"])
    result = run_on(write_csv(tmp / "export.csv", FX_LEDGER), as_of="2026-10-31", fx=[fx])
    assert open_base(result) == {"C001": 710000, "C002": 475000, "C003": 500000}


def test_fx_history_uses_the_latest_rate_on_or_before_the_as_of_date(tmp):
    fx = write_csv(
        tmp / "fx.csv",
        ["日期,币种,汇率", "2026-11-30,USD,7.0000", "2026-10-31,USD,7.1000",
         "2026-10-31,JPY,0.0475", "2026-09-30,USD,7.3000", "2026-09-30,JPY,0.0490"],
    )  # fmt: skip
    ledger_file = write_csv(tmp / "export.csv", FX_LEDGER)
    result = run_on(ledger_file, as_of="2026-10-31", fx=[fx])
    # 1,000 USD x 7.10 = 7,100.00; 100,000 JPY x 0.0475 = 4,750.00
    assert open_base(result) == {"C001": 710000, "C002": 475000, "C003": 500000}
    result = run_on(ledger_file, as_of="2026-10-15", fx=[fx])  # the 09-30 rates
    assert open_base(result) == {"C001": 730000, "C002": 490000, "C003": 500000}


def test_several_rates_for_a_currency_and_no_date_is_a_warning(tmp):
    fx = write_csv(tmp / "fx.csv", ["币种,汇率", "USD,7.1", "JPY,0.0475", "USD,7.3"])
    result = run_on(write_csv(tmp / "export.csv", FX_LEDGER), as_of="2026-10-31", fx=[fx])
    found = data_issues(result)
    assert found.loc[found["code"].eq("fx.several_rates"), "value"].tolist() == ["USD"]


def test_fx_table_of_currency_pairs(tmp):
    fx = write_csv(tmp / "fx.csv", ["Currency pair,Rate", "USD/CNY,7.1", "JPY/CNY,0.0475"])
    result = run_on(write_csv(tmp / "export.csv", FX_LEDGER), as_of="2026-10-31", fx=[fx])
    assert open_base(result) == {"C001": 710000, "C002": 475000, "C003": 500000}


def test_fx_pair_quoted_in_another_currency_is_refused(tmp):
    import pytest

    from aging.errors import InputError

    fx = write_csv(tmp / "fx.csv", ["Currency pair,Rate", "USD/CNY,7.1", "JPY/USD,0.0067"])
    with pytest.raises(InputError) as refused:
        run_on(write_csv(tmp / "export.csv", FX_LEDGER), as_of="2026-10-31", fx=[fx])
    assert refused.value.code == "error.fx_pair_not_base"


def test_fx_pair_column_mapped_to_the_currency_by_the_config(tmp):
    # the refusal suggested columns: {fx: {currency: [Currency pair]}}; that must now work
    fx = write_csv(tmp / "fx.csv", ["Ccy Pr,Rate", "USD/CNY,7.1", "JPY/CNY,0.0475"])
    overrides = {"columns": {"fx": {"currency": ["Ccy Pr"]}}}
    result = run_on(
        write_csv(tmp / "export.csv", FX_LEDGER), as_of="2026-10-31", fx=[fx], overrides=overrides
    )
    assert open_base(result) == {"C001": 710000, "C002": 475000, "C003": 500000}


# ---- 4. a CRM contact log in its own words ------------------------------------------------

CRM_LEDGER = [
    "客户编码,客户名称,单据日期,到期日,单据类型,单据编号,金额,币别",
    "C001,北京华联,2026-07-01,2026-07-31,销售发票,XS001,10000,人民币",
    "C002,上海东方,2026-07-01,2026-07-31,销售发票,XS002,20000,人民币",
    "C003,广州南方,2026-07-01,2026-07-31,销售发票,XS003,30000,人民币",
    "C001,北京华联,2026-09-22,,收款单,SK001,10000,人民币",
    "C003,广州南方,2026-10-05,,收款单,SK003,3000,人民币",
]


def crm_run(tmp, outcome="已承诺", channel="微信"):
    contacts = write_csv(
        tmp / "催收记录.csv",
        ["日期,客户,联系方式,结果,承诺付款日期,承诺金额,备注",
         "2026-09-01,C001,电话,已承诺,2026-09-20,10000,财务说月中付",
         f"2026-09-01,C002,{channel},{outcome},2026-09-15,20000,老板答应",
         "2026-09-20,C003,上门,已承诺,2026-10-10,3000,先付一部分",
         "2026-10-20,C002,电话,未接通,,,"],
    )  # fmt: skip
    ledger_file = write_csv(tmp / "export.csv", CRM_LEDGER)
    return run_on(ledger_file, as_of="2026-10-31", contacts=[contacts])


def test_contact_log_customer_column_and_its_words(tmp):
    # C001 promised 10,000 by 09-20, paid 09-22 (within 3 days): kept; C002 promised 20,000 by
    # 09-15, nothing arrived: broken (1); C003 promised 3,000 by 10-10, paid 10-05: kept
    result = crm_run(tmp)
    broken = dict(zip(result.customers["customer_id"], result.customers["broken_promises"],
                      strict=True))  # fmt: skip
    assert broken.get("C001", 0) == 0  # paid in full: no longer open
    assert (broken["C002"], broken["C003"]) == (1, 0)
    assert "contact.value_unknown" not in codes(result)


def test_contact_log_word_not_known_is_a_finding_not_a_blank(tmp):
    result = crm_run(tmp, outcome="老板很生气", channel="飞鸽传书")
    found = data_issues(result)
    unknown = found[found["code"].eq("contact.value_unknown")]
    assert sorted(unknown["value"]) == ["老板很生气", "飞鸽传书"]
    assert set(unknown["row"]) == {3}
    # still a promise: a date and an amount promised say so whatever the outcome's word
    broken = dict(zip(result.customers["customer_id"], result.customers["broken_promises"],
                      strict=True))  # fmt: skip
    assert broken["C002"] == 1


# ---- 5. customer masters as ERPs export them ----------------------------------------------

QB_LEDGER = [
    "Customer,Date,Transaction Type,Num,Amount",
    'Acme Corp,08/15/2026,Invoice,1001,"10,000.00"',
    'Beta LLC,08/15/2026,Invoice,1002,"20,000.00"',
]
# invoices of 2026-08-15 with no due date: 60 days -> 10-14, 90 days -> 11-13
DUE_60_90 = [dt.date(2026, 10, 14), dt.date(2026, 11, 13)]


def test_sap_master_customer_over_codes_beside_name_1(tmp):
    ledger_file = write_csv(
        tmp / "ledger.csv",
        ["Customer,Name,Document Date,Document Type,Document Number,Amount in DC,Currency",
         "100001,Acme GmbH,2026-08-15,RV,9000001,10000.00,EUR",
         "100002,Beta AG,2026-08-15,RV,9000002,20000.00,EUR"],
    )  # fmt: skip
    master = write_csv(
        tmp / "sap_master.csv",
        ["Customer,Name 1,City,Credit limit,Terms of payment,Sales employee",
         "100001,Acme GmbH,Berlin,50000,ZB60,Schmidt", "100002,Beta AG,Bonn,50000,ZB90,Weber"],
    )  # fmt: skip
    result = run_on(ledger_file, as_of="2026-10-31", customers=[master], base="EUR")
    assert list(due(result).values()) == DUE_60_90
    reps = dict(zip(result.customers["customer_id"], result.customers["sales_rep"], strict=True))
    assert reps == {"100001": "Schmidt", "100002": "Weber"}


def test_name_keyed_masters_against_a_ledger_keyed_by_name(tmp):
    ledger_file = write_csv(tmp / "ledger.csv", QB_LEDGER)
    masters = {
        "qb.csv": ["Customer,Phone,Email,Full Name,Terms,Credit Limit",
                   "Acme Corp,555-0100,ap@acme.example,Jane Doe,Net 60,5000",
                   "Beta LLC,555-0200,ap@beta.example,John Roe,Net 90,50000"],
        "xero.csv": ["ContactName,AccountNumber,EmailAddress,FirstName,LastName,DueDateSalesDay,"
                     "DueDateSalesTerm",
                     "Acme Corp,,ap@acme.example,Jane,Doe,60,DAYSAFTERBILLDATE",
                     "Beta LLC,,ap@beta.example,John,Roe,90,DAYSAFTERBILLDATE"],
        "odoo.csv": ["Display Name,Email,Phone,Salesperson,Customer Payment Terms,Credit Limit",
                     "Acme Corp,ap@acme.example,555-0100,Mitchell Admin,60 Days,5000",
                     "Beta LLC,ap@beta.example,555-0200,Marc Demo,90 Days,50000"],
    }  # fmt: skip
    for name, lines in masters.items():
        master = write_csv(tmp / name, lines)
        result = run_on(ledger_file, as_of="2026-10-31", customers=[master], base="USD")
        assert list(due(result).values()) == DUE_60_90, name
        assert result.manager_emails == {}, name  # the customers' AP mailboxes, not managers'
        assert "customer.not_in_master" not in codes(result), name


# ---- 6. master ids spelled differently from the ledger's ----------------------------------


def test_master_ids_differing_by_zeros_case_or_spaces_are_paired(tmp):
    ledger_file = write_csv(
        tmp / "export.csv",
        [LEDGER_HEAD, "00123,华联,2026-08-15,销售发票,XS001,10000,人民币",
         "C002,东方,2026-08-15,销售发票,XS002,10000,人民币",
         "GZ 003,南方,2026-08-15,销售发票,XS003,10000,人民币",
         "C004 ,北方,2026-08-15,销售发票,XS004,10000,人民币"],
    )  # fmt: skip
    master = write_csv(
        tmp / "customers.csv",
        ["客户编码,客户名称,信用额度,销售经理,经理邮箱",
         "123,华联,5000,王经理,wang@ours.example", "c002,东方,5000,王经理,wang@ours.example",
         "GZ003,南方,5000,李经理,li@ours.example", "C004,北方,5000,李经理,li@ours.example",
         "C999,西方,5000,李经理,li@ours.example"],
    )  # fmt: skip
    result = run_on(ledger_file, as_of="2026-10-31", customers=[master])
    managers = dict(zip(result.customers["customer_id"], result.customers["manager"], strict=True))
    assert managers == {"00123": "王经理", "C002": "王经理", "GZ 003": "李经理", "C004": "李经理"}
    found = data_issues(result)
    paired = found[found["code"].eq("master.id_spelling")]
    assert sorted(zip(paired["value"], paired["customer_id"], strict=True)) == [
        ("123", "00123"), ("GZ003", "GZ 003"), ("c002", "C002")
    ]  # fmt: skip
    assert "customer.not_in_master" not in set(found["code"])
    assert found.loc[found["code"].eq("master.no_ledger_rows"), "customer_id"].tolist() == ["C999"]


def test_master_id_spellings_that_pair_two_ways_stay_apart(tmp):
    # ledger 0123 and 123 both fold to 123: the master's 00123 pairs with neither
    ledger_file = write_csv(
        tmp / "export.csv",
        [LEDGER_HEAD, "0123,甲,2026-08-15,销售发票,XS001,100,人民币",
         "123,乙,2026-08-15,销售发票,XS002,100,人民币"],
    )  # fmt: skip
    master = write_csv(tmp / "customers.csv", ["客户编码,客户名称,信用额度", "00123,甲,5000"])
    result = run_on(ledger_file, as_of="2026-10-31", customers=[master])
    assert "master.id_spelling" not in codes(result)
