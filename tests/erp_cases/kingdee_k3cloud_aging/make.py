"""Kingdee 云星空 (K/3 Cloud) 应收款账龄分析表, 按单据显示, 显示本位币, 引出 to Excel.

Writes export.xlsx next to this file. Deterministic: no clock, no randomness.
Columns as the report's FieldKeys name them (往来单位编码, 往来单位名称, 单据类型, 单据编号,
业务日期, 到期日, 币别, 尚未收款金额(原币), 尚未收款金额(本位币), 币别(本位币), 销售部门, 销售员)
followed by the aging-band columns of the 账龄分组设置 (amounts in 原币, by 到期日). Each customer
block ends with a '<name>(小计)' row whose 单据编号 is empty; a 合计 row closes the report
(本位币 only). Dates are text 2026/07/20; amounts are numbers.
"""

import sys
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook
from openpyxl.styles import Font

BANDS = [
    ("未到期", None, 0),
    ("0-30天", 1, 30),
    ("31-60天", 31, 60),
    ("61-90天", 61, 90),
    ("91-180天", 91, 180),
    ("181-365天", 181, 365),
    ("365天以上", 366, None),
]
HEADER = [
    "往来单位编码",
    "往来单位名称",
    "单据类型",
    "单据编号",
    "业务日期",
    "到期日",
    "币别",
    "尚未收款金额(原币)",
    "尚未收款金额(本位币)",
    "币别(本位币)",
    "销售部门",
    "销售员",
] + [band[0] for band in BANDS]
AS_OF = date(2026, 10, 31)
CENT = Decimal("0.01")

# (code, name, bill type, bill no, date, due, currency, rate, 原币 balance, dept, saler)
BLOCKS = [
    [
        (
            "CUST0001",
            "华东精工设备有限公司",
            "标准应收单",
            "AR00001201",
            date(2026, 7, 20),
            date(2026, 8, 19),
            "人民币",
            "1",
            "64410.00",
            "华东销售部",
            "周涛",
        ),
        (
            "CUST0001",
            "华东精工设备有限公司",
            "标准应收单",
            "AR00001388",
            date(2026, 9, 25),
            date(2026, 10, 25),
            "人民币",
            "1",
            "28250.00",
            "华东销售部",
            "周涛",
        ),
        (
            "CUST0001",
            "华东精工设备有限公司",
            "销售收款单",
            "SKD00000452",
            date(2026, 10, 20),
            date(2026, 10, 20),
            "人民币",
            "1",
            "-10000.00",
            "华东销售部",
            "周涛",
        ),
    ],
    [
        (
            "CUST0002",
            "江苏润泽电气有限公司",
            "标准应收单",
            "AR00001290",
            date(2026, 8, 30),
            date(2026, 9, 29),
            "人民币",
            "1",
            "47460.00",
            "华东销售部",
            "吴敏",
        ),
        (
            "CUST0002",
            "江苏润泽电气有限公司",
            "标准应收单",
            "AR00001402",
            date(2026, 10, 28),
            date(2026, 11, 27),
            "人民币",
            "1",
            "15820.00",
            "华东销售部",
            "吴敏",
        ),
        (
            "CUST0002",
            "江苏润泽电气有限公司",
            "标准应收单",
            "AR00001415",
            date(2026, 10, 30),
            date(2026, 10, 30),
            "人民币",
            "1",
            "-1820.00",
            "华东销售部",
            "吴敏",
        ),
    ],
    [
        (
            "CUST0015",
            "Rheinland Maschinenbau GmbH",
            "标准应收单",
            "AR00001330",
            date(2026, 9, 10),
            date(2026, 10, 10),
            "欧元",
            "7.8120",
            "8600.00",
            "国际业务部",
            "孙悦",
        ),
        (
            "CUST0015",
            "Rheinland Maschinenbau GmbH",
            "标准应收单",
            "AR00001420",
            date(2026, 10, 29),
            date(2026, 12, 28),
            "欧元",
            "7.7950",
            "5250.00",
            "国际业务部",
            "孙悦",
        ),
    ],
    [
        (
            "CUST0021",
            "浙江恒通物流有限公司",
            "费用应收单",
            "AR00000876",
            date(2025, 9, 15),
            date(2025, 10, 15),
            "人民币",
            "1",
            "9600.00",
            "华东销售部",
            "周涛",
        ),
        (
            "CUST0021",
            "浙江恒通物流有限公司",
            "销售收款单",
            "SKD00000470",
            date(2026, 10, 31),
            date(2026, 10, 31),
            "人民币",
            "1",
            "-12000.00",
            "华东销售部",
            "周涛",
        ),
    ],
]


def _band_index(days: int) -> int:
    for i, (_, low, high) in enumerate(BANDS):
        if (low is None or days >= low) and (high is None or days <= high):
            return i
    raise ValueError(days)


def _text_date(value: date) -> str:
    return value.strftime("%Y/%m/%d")


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "应收款账龄分析表"
    ws.append(["应收款账龄分析表"])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append(
        [
            "结算组织：华远装备(上海)有限公司",
            None,
            None,
            "截止日期：2026/10/31",
            None,
            None,
            "账龄计算依据：到期日",
            None,
            None,
            "往来单位类型：客户",
        ]
    )
    ws.append(HEADER)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    grand_base = Decimal(0)
    for block in BLOCKS:
        sub_doc = sub_base = Decimal(0)
        sub_bands = [Decimal(0)] * len(BANDS)
        for (
            code,
            name,
            kind,
            number,
            doc_date,
            due_date,
            currency,
            rate,
            amount,
            dept,
            saler,
        ) in block:
            doc_d = Decimal(amount)
            base_d = (doc_d * Decimal(rate)).quantize(CENT, ROUND_HALF_UP)
            bands = [None] * len(BANDS)
            index = _band_index((AS_OF - due_date).days)
            bands[index] = float(doc_d)
            sub_bands[index] += doc_d
            ws.append(
                [
                    code,
                    name,
                    kind,
                    number,
                    _text_date(doc_date),
                    _text_date(due_date),
                    currency,
                    float(doc_d),
                    float(base_d),
                    "人民币",
                    dept,
                    saler,
                ]
                + bands
            )
            sub_doc += doc_d
            sub_base += base_d
        ws.append(
            [
                block[0][0],
                f"{block[0][1]}(小计)",
                None,
                None,
                None,
                None,
                block[0][6],
                float(sub_doc),
                float(sub_base),
                "人民币",
                None,
                None,
            ]
            + [float(v) if v else None for v in sub_bands]
        )
        grand_base += sub_base
    ws.append(["合计", None, None, None, None, None, None, None, float(grand_base), "人民币"])
    for row in ws.iter_rows(min_row=4):
        for cell in row[7:9] + row[12:]:
            cell.number_format = "#,##0.00"
    for i, width in enumerate([12, 28, 12, 14, 12, 12, 8, 16, 18, 10, 12, 8] + [12] * len(BANDS)):
        ws.column_dimensions[ws.cell(3, i + 1).column_letter].width = width
    wb.properties.creator = "Kingdee Cloud"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
