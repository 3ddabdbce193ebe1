"""Kingdee 云星空 应收单列表 引出 (one row per 应收单): 价税合计 / 价税合计本位币 / 已核销金额 /
未核销金额, a HKD customer with its 汇率. No 未核销金额本位币 column. Writes export.xlsx + expected.json."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import item, save, write_expected  # noqa: E402
from openpyxl import Workbook  # noqa: E402

HEADER = [
    "单据编号",
    "业务日期",
    "到期日",
    "客户",
    "单据类型",
    "币别",
    "汇率",
    "价税合计",
    "价税合计本位币",
    "已核销金额",
    "未核销金额",
    "销售员",
]
ROWS = [
    [
        "AR00001201",
        "2026/07/20",
        "2026/08/19",
        "北京华联商贸有限公司",
        "标准应收单",
        "人民币",
        1,
        64410,
        64410,
        10000,
        54410,
        "王磊",
    ],
    [
        "AR00001388",
        "2026/09/25",
        "2026/10/25",
        "北京华联商贸有限公司",
        "标准应收单",
        "人民币",
        1,
        28250,
        28250,
        0,
        28250,
        "王磊",
    ],
    [
        "AR00001290",
        "2026/08/30",
        "2026/09/29",
        "香港利丰贸易有限公司",
        "标准应收单",
        "港币",
        0.912,
        50000,
        45600,
        20000,
        30000,
        "陈静",
    ],
    [
        "AR00001402",
        "2026/10/28",
        "2026/11/27",
        "香港利丰贸易有限公司",
        "标准应收单",
        "港币",
        0.9105,
        12000,
        10926,
        0,
        12000,
        "陈静",
    ],
]


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "应收单"
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
        ws.cell(ws.max_row, 7).number_format = "0.0000"
        for c in (8, 9, 10, 11):
            ws.cell(ws.max_row, c).number_format = "#,##0.00"
    save(wb, HERE / "export.xlsx", "Kingdee K/3 Cloud")
    write_expected(
        HERE,
        {
            "erp": "Kingdee 云星空 (K/3 Cloud), 应收款管理",
            "report": "应收单列表 引出 to Excel (one row per 应收单, 原币 + 本位币 document amount, 已核销/未核销 in 原币)",
            "sources": [
                "bbs.qeasy.cloud/d/3164 (云星空 应收单 fields: 单据编号, 业务日期, 到期日, 币别, 单据类型, 价税合计)",
                "aging/reading/profiles/kingdee_k3cloud.yaml (价税合计, 已核销金额, 未核销金额 as the project's own profile names them)",
            ],
            "config": {},
            "as_of": "2026-10-31",
            "expect": {
                "as_of": "2026-10-31",
                "base_currency": "CNY",
                "layout": "open_items",
                "open_items": [
                    item(
                        "北京华联商贸有限公司", "AR00001201", "CNY", 5441000, 5441000, 73, "61-90"
                    ),
                    item("北京华联商贸有限公司", "AR00001388", "CNY", 2825000, 2825000, 6, "1-30"),
                    item(
                        "香港利丰贸易有限公司", "AR00001290", "HKD", 3000000, 2736000, 32, "31-60"
                    ),
                    item(
                        "香港利丰贸易有限公司",
                        "AR00001402",
                        "HKD",
                        1200000,
                        1092600,
                        -27,
                        "Not due",
                    ),
                ],
                "open_base_total_minor": 12094600,
                "overdue_base_total_minor": 11002000,
                "unapplied_credit_base_minor": 0,
                "exceptions": 0,
                "layout_rows": 0,
                "layout_row_numbers": [],
                "control_totals": [],
                "reconciled": True,
            },
            "notes": (
                "Header row 1, data rows 2-5, no totals. open_amount = 未核销金额 (原币), amount = 价税合计, amount_local = 价税合计本位币, fx_rate = 汇率. "
                "AR00001290 (HKD): 价税合计 50,000.00 HKD = 45,600.00 CNY at 0.9120; 20,000.00 HKD already 核销; open 30,000.00 HKD. "
                "Its open base is 30,000.00 x 0.9120 = 27,360.00 CNY (= 45,600.00 x 30,000/50,000, the document's own rate; no FX table involved) - never the full 45,600.00 document amount. "
                "AR00001402: fully open, 12,000.00 HKD -> 10,926.00 CNY (the export's own 价税合计本位币, = 12,000 x 0.9105). "
                "days_overdue = 2026-10-31 - 到期日: 08-19 -> 12+30+31 = 73 (61-90); 10-25 -> 6 (1-30); 09-29 -> 1+31 = 32 (31-60); 11-27 -> -27 (Not due). "
                "open_base_total = 54,410.00 + 28,250.00 + 27,360.00 + 10,926.00 = 120,946.00; overdue = 54,410.00 + 28,250.00 + 27,360.00 = 110,020.00. "
                "Same rows without the 未核销金额 column (register layout) give 27,360.00 - the tool already does that right."
            ),
        },
    )


if __name__ == "__main__":
    build()
