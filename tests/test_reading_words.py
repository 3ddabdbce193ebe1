"""Words of Chinese exports read with no mapping: the headers, document types and amount
suffixes that Chinese ERPs (金税 开票软件, 管家婆, SAP Business One and Oracle EBS in Chinese,
鼎捷 in traditional characters) and hand-kept spreadsheets write. Each test names the rule."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from conftest import data_issues, run_on, write_csv

from aging.parse import parse_amounts
from aging.reading.fields import fold_traditional, normalise_header

AS_OF = date(2026, 10, 31)


def open_items(result) -> dict:
    return {(r.customer_id, r.doc_no): int(r.open_minor) for r in result.open_items.itertuples()}


def exceptions(result):
    return data_issues(result)[lambda f: f["severity"].eq("exception")]


# ---- 1. order, delivery and contract numbers ------------------------------------------------


@pytest.mark.parametrize("header", ["送货单号", "出库单号", "发货单号", "合同编号", "订单号"])
def test_an_order_or_delivery_number_is_the_document_number_when_there_is_no_other(
    tmp_path, header
):
    path = write_csv(
        tmp_path / "ar.csv",
        [
            f"客户名称,{header},日期,到期日,未收金额",
            "杭州恒达,SH-001,2026-09-01,2026-10-01,1000.00",
            "宁波海顺,SH-002,2026-09-05,2026-10-05,250.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_items(result) == {("杭州恒达", "SH-001"): 100000, ("宁波海顺", "SH-002"): 25000}


@pytest.mark.parametrize("real", ["发票号", "单据编号"])
def test_a_real_document_number_wins_over_an_order_number(tmp_path, real):
    path = write_csv(
        tmp_path / "ar.csv",
        [
            f"客户名称,订单号,合同编号,{real},日期,到期日,未收金额",
            "杭州恒达,SO-1,HT-1,FP-001,2026-09-01,2026-10-01,1000.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_items(result) == {("杭州恒达", "FP-001"): 100000}


# ---- 3. 金税 invoice list -------------------------------------------------------------------


def test_the_buyer_is_the_customer_and_its_tax_id_the_code(tmp_path):
    """购方税号 names the buyer uniquely: the customer's code, its name beside it."""
    path = write_csv(
        tmp_path / "fp.csv",
        [
            "发票号码,购买方名称,购买方纳税人识别号,开票日期,金额,税额,价税合计",
            "00412871,杭州恒达五金有限公司,91330100MA27XK1234,2026-09-01,1000.00,130.00,1130.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    # 价税合计 is what the buyer owes: 1,000.00 + 130.00 VAT
    assert open_items(result) == {("91330100MA27XK1234", "00412871"): 113000}
    assert result.open_items["customer_name"].tolist() == ["杭州恒达五金有限公司"]


def test_a_customer_code_wins_over_the_tax_id(tmp_path):
    path = write_csv(
        tmp_path / "fp.csv",
        [
            "购方税号,客户编码,购方名称,发票号码,开票日期,价税合计",
            "91330100MA27XK1234,C001,杭州恒达,00412871,2026-09-01,1130.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_items(result) == {("C001", "00412871"): 113000}


@pytest.mark.parametrize("order", [("金额", "税额", "价税合计"), ("价税合计", "税额", "金额")])
def test_gross_including_vat_is_the_receivable_never_the_net_or_the_tax(tmp_path, order):
    values = {"金额": "2000.00", "税额": "260.00", "价税合计": "2260.00"}
    path = write_csv(
        tmp_path / "fp.csv",
        [
            "客户名称,发票号码,开票日期," + ",".join(order),
            "宁波海顺,00412872,2026-09-14," + ",".join(values[h] for h in order),
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_items(result) == {("宁波海顺", "00412872"): 226000}


# ---- 5. traditional characters ----------------------------------------------------------------


def test_traditional_headers_fold_to_simplified():
    assert fold_traditional("客戶代號 單據號碼 應收金額 未沖金額 小計 總計") == (
        "客户代号 单据号码 应收金额 未冲金额 小计 总计"
    )
    assert normalise_header("應收帳款") == normalise_header("应收账款")


# ---- 6. document types of 管家婆 / 速达 / 畅捷通 ------------------------------------------------


def test_sale_and_return_documents_of_distributor_software(tmp_path):
    """销售单 and 销售出库单 are sales, 销售退货单 a credit, 收款单 a receipt. Open: 1,000 + 500
    - 200 (return) - 300 (receipt) = 1,000.00, the oldest settled first."""
    path = write_csv(
        tmp_path / "ar.csv",
        [
            "往来单位,单据日期,单据编号,单据类型,金额",
            "杭州恒达,2026-08-01,XSD-1,销售单,1000.00",
            "杭州恒达,2026-09-01,CKD-2,销售出库单,500.00",
            "杭州恒达,2026-09-10,XTD-3,销售退货单,200.00",
            "杭州恒达,2026-09-15,SKD-4,收款单,300.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert open_items(result) == {("杭州恒达", "XSD-1"): 50000, ("杭州恒达", "CKD-2"): 50000}
    assert exceptions(result).empty


# ---- 7. 借 / 贷 after an amount ----------------------------------------------------------------


def test_a_direction_after_the_amount_signs_it():
    minor, bad = parse_amounts(pd.Series(["1000.00贷", "1,000.00借", "250.50 贷", "12.00"]), 2)
    assert minor.tolist() == [-100000, 100000, -25050, 1200]
    assert not bad.any()


def test_a_column_of_amounts_with_directions_is_money(tmp_path):
    path = write_csv(
        tmp_path / "ar.csv",
        [
            "客户名称,单据号,日期,到期日,余额",
            "杭州恒达,XS-1,2026-09-01,2026-10-01,1000.00借",
            "杭州恒达,SK-2,2026-09-20,2026-09-20,400.00贷",
            "宁波海顺,XS-3,2026-09-05,2026-10-05,250.00借",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    # 杭州恒达: 1,000.00 less the 400.00 receipt (贷) = 600.00
    assert open_items(result) == {("杭州恒达", "XS-1"): 60000, ("宁波海顺", "XS-3"): 25000}
    assert exceptions(result).empty
