"""金税 / 增值税发票税控开票软件 发票查询 导出 (invoice list used as the AR register).
Columns as the 开票软件 exports them: 发票代码, 发票号码 (8 digits kept as text), 购方企业名称,
购方税号, 开票日期, 金额 (excl. tax), 税额, 价税合计; a 红字 (negative) invoice. No payments:
every invoice is what the customer owes (价税合计). Writes export.xlsx. Deterministic."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook

ROWS = [
    (
        "3300261130",
        "00412871",
        "杭州恒达五金有限公司",
        "91330100MA27XK1234",
        date(2026, 8, 3),
        10000.00,
        1300.00,
    ),
    (
        "3300261130",
        "00412872",
        "宁波海顺贸易有限公司",
        "91330200MA28YL5678",
        date(2026, 9, 14),
        20000.00,
        2600.00,
    ),
    (
        "3300261130",
        "00412873",
        "杭州恒达五金有限公司",
        "91330100MA27XK1234",
        date(2026, 10, 8),
        5000.00,
        650.00,
    ),
    (
        "3300261130",
        "00412874",
        "宁波海顺贸易有限公司",
        "91330200MA28YL5678",
        date(2026, 10, 20),
        -2000.00,
        -260.00,
    ),
]


def build(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "发票查询"
    ws.append(
        [
            "序号",
            "发票代码",
            "发票号码",
            "购方企业名称",
            "购方税号",
            "开票日期",
            "金额",
            "税额",
            "价税合计",
            "备注",
        ]
    )
    for i, (code, no, name, tax, d, amt, tax_amt) in enumerate(ROWS, 1):
        memo = "对应正数发票代码:3300261130号码:00412872" if amt < 0 else None
        ws.append([i, code, no, name, tax, d, amt, tax_amt, round(amt + tax_amt, 2), memo])
        r = ws.max_row
        ws.cell(r, 2).number_format = "@"
        ws.cell(r, 3).number_format = "@"
        ws.cell(r, 6).number_format = "yyyy-mm-dd"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)  # no clock
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
