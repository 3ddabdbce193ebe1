"""鼎捷 Digiwin (鼎新 易飛 / Workflow ERP, 繁體) 應收帳款明細表 / 未沖帳款明細 exported to Excel by a
台商 subsidiary in 昆山: traditional-character headers 客戶代號, 客戶簡稱, 單據性質, 單據號碼, 單據日期,
到期日, 幣別, 應收金額, 已沖金額, 未沖金額; 小計 per customer, 總計. Writes export.xlsx."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook

BLOCKS = [
    [
        (
            "C001",
            "恆達五金",
            "銷貨發票",
            "6110-20260701001",
            date(2026, 7, 1),
            date(2026, 7, 31),
            5000.00,
            1000.00,
        ),
        (
            "C001",
            "恆達五金",
            "銷貨發票",
            "6110-20261005002",
            date(2026, 10, 5),
            date(2026, 11, 4),
            3000.00,
            0.00,
        ),
    ],
    [
        (
            "C002",
            "海順貿易",
            "銷貨發票",
            "6110-20260901003",
            date(2026, 9, 1),
            date(2026, 10, 1),
            2000.00,
            0.00,
        )
    ],
]


def build(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "應收帳款明細表"
    ws.append(["崑山恆新精密工業有限公司"])
    ws.append(["應收帳款明細表"])
    ws.append(["截止日期：2026/10/31"])
    ws.append(
        [
            "客戶代號",
            "客戶簡稱",
            "單據性質",
            "單據號碼",
            "單據日期",
            "到期日",
            "幣別",
            "應收金額",
            "已沖金額",
            "未沖金額",
        ]
    )
    ga = gp = 0.0
    for block in BLOCKS:
        a = p = 0.0
        for code, name, kind, no, d, due, amt, paid in block:
            ws.append([code, name, kind, no, d, due, "RMB", amt, paid, round(amt - paid, 2)])
            ws.cell(ws.max_row, 5).number_format = ws.cell(ws.max_row, 6).number_format = (
                "yyyy/mm/dd"
            )
            a += amt
            p += paid
        ws.append(["小計", None, None, None, None, None, None, a, p, round(a - p, 2)])
        ga += a
        gp += p
    ws.append(["總計", None, None, None, None, None, None, ga, gp, round(ga - gp, 2)])
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)  # no clock
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
