"""Kingdee K/3 WISE 应收款余额明细 in several currencies (币别 / 汇率 / 原币余额 / 本币余额).

Writes export.xlsx next to this file. Deterministic: no clock, no randomness.
This is the export of issue #10: two USD customers beside CNY ones, each row with its own
汇率, its 原币余额 and its 本币余额; the 合计 row carries 本币 only (原币 cannot be added across
currencies). Amounts are text as K/3 prints them (thousands separators, negatives in
parentheses), dates are text like 2026年8月10日, customer codes are text with leading zeros.
"""

import sys
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HEADER = [
    "客户代码",
    "客户名称",
    "单据类型",
    "单据号码",
    "单据日期",
    "到期日期",
    "币别",
    "汇率",
    "原币余额",
    "本币余额",
    "业务员",
]

# (code, name, type, number, doc date, due date, currency, rate, 原币余额, rep)
BLOCKS = [
    [
        (
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP000812",
            (2026, 8, 10),
            (2026, 9, 9),
            "人民币",
            "1.0000",
            "120000.00",
            "王磊",
        ),
        (
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP001021",
            (2026, 10, 15),
            (2026, 11, 14),
            "人民币",
            "1.0000",
            "86788.45",
            "王磊",
        ),
        (
            "00123",
            "北京华联商贸有限公司",
            "收款单",
            "XSKD000317",
            (2026, 10, 28),
            (2026, 10, 28),
            "人民币",
            "1.0000",
            "-30000.00",
            "王磊",
        ),
    ],
    [
        (
            "00201",
            "广州穗丰贸易有限公司",
            "销售普通发票",
            "ZPOFP000233",
            (2026, 7, 1),
            (2026, 7, 31),
            "人民币",
            "1.0000",
            "54000.00",
            "刘洋",
        ),
        (
            "00201",
            "广州穗丰贸易有限公司",
            "其他应收单",
            "QTYS000040",
            (2026, 9, 30),
            (2026, 10, 30),
            "人民币",
            "1.0000",
            "30000.00",
            "刘洋",
        ),
    ],
    [
        (
            "00901",
            "Pacific Rim Trading LLC",
            "销售普通发票",
            "ZPOFP000198",
            (2026, 8, 18),
            (2026, 10, 17),
            "美元",
            "7.1250",
            "6800.00",
            "Sarah Lin",
        ),
        (
            "00901",
            "Pacific Rim Trading LLC",
            "销售普通发票",
            "ZPOFP000251",
            (2026, 10, 9),
            (2026, 12, 8),
            "美元",
            "7.1166",
            "4246.00",
            "Sarah Lin",
        ),
    ],
    [
        (
            "00902",
            "Harbor Lights Imports Inc.",
            "销售普通发票",
            "ZPOFP000205",
            (2026, 9, 2),
            (2026, 10, 2),
            "美元",
            "7.1300",
            "3900.00",
            "Sarah Lin",
        ),
        (
            "00902",
            "Harbor Lights Imports Inc.",
            "收款单",
            "XSKD000322",
            (2026, 10, 26),
            (2026, 10, 26),
            "美元",
            "7.1100",
            "-850.00",
            "Sarah Lin",
        ),
    ],
]
CENT = Decimal("0.01")


def _date_text(ymd: tuple[int, int, int]) -> str:
    year, month, day = ymd
    return f"{year}年{month}月{day}日"


def _amount_text(value: Decimal) -> str:
    text = f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "应收款余额明细表"
    ws.append(["北京华远装备制造有限公司"])
    ws.merge_cells("A1:K1")
    ws.append(["应收款余额明细表"])
    ws.merge_cells("A2:K2")
    ws.append(
        [
            "期间：2026年第10期",
            None,
            None,
            "币别：综合本位币",
            None,
            None,
            "截止日期：2026年10月31日",
        ]
    )
    for r in (1, 2):
        ws.cell(r, 1).font = Font(bold=True, size=14)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    ws.append(HEADER)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    grand_base = Decimal(0)
    for block in BLOCKS:
        sub_doc = sub_base = Decimal(0)
        for code, name, kind, number, doc_date, due_date, currency, rate, doc_amount, rep in block:
            rate_d, doc_d = Decimal(rate), Decimal(doc_amount)
            base_d = (doc_d * rate_d).quantize(
                CENT, ROUND_HALF_UP
            )  # 本币 = 原币 x 汇率, to the cent
            ws.append(
                [
                    code,
                    name,
                    kind,
                    number,
                    _date_text(doc_date),
                    _date_text(due_date),
                    currency,
                    float(rate_d),
                    _amount_text(doc_d),
                    _amount_text(base_d),
                    rep,
                ]
            )
            ws.cell(ws.max_row, 1).number_format = "@"
            ws.cell(ws.max_row, 8).number_format = "0.0000"
            sub_doc += doc_d
            sub_base += base_d
        ws.append(
            [
                "小计",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                _amount_text(sub_doc),
                _amount_text(sub_base),
            ]
        )
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        grand_base += sub_base
    ws.append(["合计", None, None, None, None, None, None, None, None, _amount_text(grand_base)])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    ws.append(
        ["制表人：张三", None, None, "审核：李四", None, None, None, "打印日期：2026年11月2日"]
    )
    for i, width in enumerate([10, 26, 16, 14, 16, 16, 8, 9, 14, 14, 10]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    wb.properties.creator = "Kingdee K/3"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
