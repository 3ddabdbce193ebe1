"""Kingdee K/3 WISE 到期债权列表 printed to Excel with the totals labels spaced out the way
Chinese account books centre them: '小　计' (full-width space), '小  计', '合    计'.
Writes export.xlsx (expected.json is computed by hand)."""

import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import save  # noqa: E402

HEADER = [
    "核算项目代码",
    "核算项目名称",
    "单据类型",
    "单据号码",
    "单据日期",
    "到期日期",
    "币别",
    "应收金额",
    "已收金额",
    "未收余额",
]


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "到期债权列表"
    ws.append(["到期债权列表"])
    ws.append(["截止日期：2026年10月31日"])
    ws.append(HEADER)
    ws.append(
        [
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP000812",
            date(2026, 6, 15),
            date(2026, 7, 15),
            "人民币",
            58500,
            20000,
            38500,
        ]
    )
    ws.append(
        [
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP000955",
            date(2026, 8, 20),
            date(2026, 9, 19),
            "人民币",
            45200,
            0,
            45200,
        ]
    )
    ws.append(["小\u3000计", None, None, None, None, None, None, 103700, 20000, 83700])
    ws.append(
        [
            "00145",
            "上海申达机电设备有限公司",
            "销售普通发票",
            "ZPOFP000210",
            date(2026, 9, 5),
            date(2026, 10, 5),
            "人民币",
            12680,
            0,
            12680,
        ]
    )
    ws.append(["小  计", None, None, None, None, None, None, 12680, 0, 12680])
    ws.append(["合    计", None, None, None, None, None, None, 116380, 20000, 96380])
    ws.append(["制单：张三", None, None, "审核：李四"])
    for r in range(4, 10):
        ws.cell(r, 1).number_format = "@"
        for c in (5, 6):
            ws.cell(r, c).number_format = "yyyy-mm-dd"
        for c in (8, 9, 10):
            ws.cell(r, c).number_format = "#,##0.00"
    save(wb, HERE / "export.xlsx", "Kingdee K/3")


if __name__ == "__main__":
    build()
