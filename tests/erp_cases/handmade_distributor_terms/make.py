"""Hand-kept distributor receivables sheet (浙江 wholesaler style): 客户名称, 发货日期, 送货单号,
应收金额, 已收金额, 未收金额, 账期(天) — no due date; the due date is 发货日期 + 账期. A 合计 row.
Writes export.xlsx next to this file. Deterministic."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook

ROWS = [
    (
        1,
        "杭州恒达五金有限公司",
        date(2026, 7, 10),
        "SH260710-01",
        12000.00,
        5000.00,
        30,
        "王芳",
        "",
    ),
    (2, "杭州恒达五金有限公司", date(2026, 9, 20), "SH260920-03", 8600.00, 0.00, 30, "王芳", ""),
    (
        3,
        "宁波海顺贸易商行",
        date(2026, 8, 15),
        "SH260815-02",
        15000.00,
        15000.00,
        60,
        "李强",
        "已结清",
    ),
    (4, "宁波海顺贸易商行", date(2026, 10, 5), "SH261005-01", 23450.50, 0.00, 60, "李强", ""),
    (
        5,
        "绍兴越城建材经营部",
        date(2026, 4, 30),
        "SH260430-05",
        9800.00,
        3000.00,
        90,
        "王芳",
        "月结",
    ),
]


def build(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "应收款"
    ws.append(["2026年10月应收账款明细"])
    ws.append(
        [
            "序号",
            "客户名称",
            "发货日期",
            "送货单号",
            "应收金额",
            "已收金额",
            "未收金额",
            "账期(天)",
            "业务员",
            "备注",
        ]
    )
    ta = tp = 0.0
    for n, name, d, no, amt, paid, terms, rep, memo in ROWS:
        ws.append([n, name, d, no, amt, paid, round(amt - paid, 2), terms, rep, memo or None])
        ws.cell(ws.max_row, 3).number_format = "yyyy-mm-dd"
        ta += amt
        tp += paid
    ws.append(["合计", None, None, None, round(ta, 2), round(tp, 2), round(ta - tp, 2)])
    wb.properties.created = datetime(2026, 11, 2, 9, 30)  # the same bytes on every run
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
