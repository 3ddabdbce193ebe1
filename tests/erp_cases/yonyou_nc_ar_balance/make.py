"""Yonyou NC / NC Cloud 应收余额明细 (open receivables by document, 原币 and 组织本币), to Excel.

Writes export.xlsx next to this file. Deterministic: no clock, no randomness.
Two header rows: '余额' merged over '原币' / '组织本币'; every other heading merged over both
rows. A JPY customer (no minor unit) beside CNY ones, each row with its 组织本币汇率. Customer
codes are numbers (NC codes are digits), dates are Excel date cells, amounts numbers with a
minus for negatives. Per-customer 小计, a 合计 in 组织本币 only, and NC's print footer with a
timestamp (打印人 / 打印时间).
"""

import sys
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

CENT = Decimal("0.01")
# (code, name, bill type, bill no, date, due, currency, decimals, rate, 原币余额, dept, person)
BLOCKS = [
    [
        (
            1001,
            "天津滨海重工有限公司",
            "应收单",
            "YS2026080031",
            date(2026, 8, 12),
            date(2026, 9, 11),
            "人民币",
            2,
            "1.00000000",
            "75000.00",
            "华北销售部",
            "李强",
        ),
        (
            1001,
            "天津滨海重工有限公司",
            "收款单",
            "SK2026100007",
            date(2026, 10, 9),
            date(2026, 10, 9),
            "人民币",
            2,
            "1.00000000",
            "-20000.00",
            "华北销售部",
            "李强",
        ),
        (
            1001,
            "天津滨海重工有限公司",
            "应收单",
            "YS2026100044",
            date(2026, 10, 21),
            date(2026, 11, 20),
            "人民币",
            2,
            "1.00000000",
            "18000.00",
            "华北销售部",
            "李强",
        ),
    ],
    [
        (
            1002,
            "大阪精機株式会社",
            "应收单",
            "YS2026070018",
            date(2026, 7, 15),
            date(2026, 8, 14),
            "日元",
            0,
            "0.04780000",
            "1250000",
            "国际业务部",
            "孙悦",
        ),
        (
            1002,
            "大阪精機株式会社",
            "应收单",
            "YS2026100051",
            date(2026, 10, 26),
            date(2026, 11, 25),
            "日元",
            0,
            "0.04750000",
            "480000",
            "国际业务部",
            "孙悦",
        ),
    ],
    [
        (
            1003,
            "重庆长江汽配有限公司",
            "应收单",
            "YS2026040009",
            date(2026, 4, 2),
            date(2026, 5, 2),
            "人民币",
            2,
            "1.00000000",
            "42300.00",
            "西南销售部",
            "赵敏",
        ),
        (
            1003,
            "重庆长江汽配有限公司",
            "应收单",
            "YS2026090027",
            date(2026, 9, 16),
            date(2026, 10, 16),
            "人民币",
            2,
            "1.00000000",
            "9800.00",
            "西南销售部",
            "赵敏",
        ),
    ],
]
TOP = [
    "客户编码",
    "客户名称",
    "单据类型",
    "单据号",
    "单据日期",
    "到期日",
    "币种",
    "组织本币汇率",
    "余额",
    None,
    "部门",
    "业务员",
]


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "应收余额明细"
    ws.append(["应收余额明细"])
    ws.merge_cells("A1:L1")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(
        [
            "财务组织：华远装备集团-天津公司",
            None,
            None,
            None,
            "截止日期：2026-10-31",
            None,
            None,
            None,
            "组织本币：人民币",
        ]
    )
    ws.append(TOP)
    ws.append([None] * 8 + ["原币", "组织本币"])
    for col in (1, 2, 3, 4, 5, 6, 7, 8, 11, 12):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells(start_row=3, start_column=9, end_row=3, end_column=10)
    for r in (3, 4):
        for cell in ws[r]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
    grand_local = Decimal(0)
    for block in BLOCKS:
        sub_doc = sub_local = Decimal(0)
        decimals = block[0][7]
        for (
            code,
            name,
            kind,
            number,
            doc_date,
            due_date,
            currency,
            places,
            rate,
            amount,
            dept,
            person,
        ) in block:
            doc_d = Decimal(amount)
            local_d = (doc_d * Decimal(rate)).quantize(CENT, ROUND_HALF_UP)
            ws.append(
                [
                    code,
                    name,
                    kind,
                    number,
                    doc_date,
                    due_date,
                    currency,
                    float(Decimal(rate)),
                    float(doc_d),
                    float(local_d),
                    dept,
                    person,
                ]
            )
            r = ws.max_row
            ws.cell(r, 5).number_format = ws.cell(r, 6).number_format = "yyyy-mm-dd"
            ws.cell(r, 8).number_format = "0.00000000"
            ws.cell(r, 9).number_format = "#,##0" if places == 0 else "#,##0.00"
            ws.cell(r, 10).number_format = "#,##0.00"
            sub_doc += doc_d
            sub_local += local_d
        ws.append(
            [
                None,
                "小计",
                None,
                None,
                None,
                None,
                block[0][6],
                None,
                float(sub_doc),
                float(sub_local),
            ]
        )
        ws.cell(ws.max_row, 9).number_format = "#,##0" if decimals == 0 else "#,##0.00"
        ws.cell(ws.max_row, 10).number_format = "#,##0.00"
        grand_local += sub_local
    ws.append([None, "合计", None, None, None, None, None, None, None, float(grand_local)])
    ws.cell(ws.max_row, 10).number_format = "#,##0.00"
    ws.append([])
    ws.append(["打印人：张三", None, None, None, "打印时间：2026-11-02 10:15:32"])
    for i, width in enumerate([10, 24, 10, 16, 12, 12, 8, 14, 14, 14, 12, 8]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    wb.properties.creator = "Yonyou NC"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 10, 15, 32)
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
