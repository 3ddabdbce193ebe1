"""Minimal: a 发票清单 with 客户名称 and both 金额 (net of VAT) and 价税合计 (gross, what is owed).
Writes export.xlsx. Deterministic."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook


def build(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "发票清单"
    ws.append(["发票代码", "发票号码", "客户名称", "开票日期", "金额", "税额", "价税合计"])
    ws.append(
        [
            "3300261130",
            "00412871",
            "杭州恒达五金有限公司",
            date(2026, 8, 3),
            10000.00,
            1300.00,
            11300.00,
        ]
    )
    ws.append(
        [
            "3300261130",
            "00412872",
            "宁波海顺贸易有限公司",
            date(2026, 9, 14),
            20000.00,
            2600.00,
            22600.00,
        ]
    )
    for r in (2, 3):
        ws.cell(r, 1).number_format = ws.cell(r, 2).number_format = "@"
        ws.cell(r, 4).number_format = "yyyy-mm-dd"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)  # no clock
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
