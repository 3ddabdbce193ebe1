"""Kingdee K/3 WISE 到期债权列表 (open receivables with 未收余额), as printed to Excel.

Writes export.xlsx next to this file. Deterministic: no clock, no randomness.
Layout as K/3 WISE prints it: company / report / cut-off title rows, one header row,
rows per 核算项目 (customer code stored as text, leading zeros), a 小计 row per customer,
a page footer and a repeated page title + header at the page break, a 合计 row, and the
制表人 / 审核 / 打印日期 footer. Dates are Excel date cells; amounts are numbers.
"""

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

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
    "过期天数",
    "部门",
    "业务员",
]
MONEY = "#,##0.00;-#,##0.00"
AS_OF = date(2026, 10, 31)

# (code, name, type, number, doc date, due date, receivable, received, dept, rep)
PAGE_1 = [
    [
        (
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP000812",
            date(2026, 6, 15),
            date(2026, 7, 15),
            58500.00,
            20000.00,
            "销售一部",
            "王磊",
        ),
        (
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP000955",
            date(2026, 8, 20),
            date(2026, 9, 19),
            45200.00,
            0.00,
            "销售一部",
            "王磊",
        ),
        (
            "00123",
            "北京华联商贸有限公司",
            "销售增值税发票",
            "ZSEFP001034",
            date(2026, 10, 12),
            date(2026, 11, 11),
            33900.00,
            0.00,
            "销售一部",
            "王磊",
        ),
    ],
    [
        (
            "00145",
            "上海申达机电设备有限公司",
            "销售普通发票",
            "ZPOFP000210",
            date(2026, 9, 5),
            date(2026, 10, 5),
            12680.00,
            0.00,
            "销售二部",
            "陈静",
        ),
        (
            "00145",
            "上海申达机电设备有限公司",
            "红字销售增值税发票",
            "ZSEFP000990",
            date(2026, 9, 28),
            date(2026, 10, 28),
            -2260.00,
            0.00,
            "销售二部",
            "陈静",
        ),
        (
            "00145",
            "上海申达机电设备有限公司",
            "其他应收单",
            "QTYS000031",
            date(2026, 10, 20),
            date(2026, 11, 19),
            1500.00,
            0.00,
            "销售二部",
            "陈静",
        ),
    ],
]
PAGE_2 = [
    [
        (
            "00201",
            "广州穗丰贸易有限公司",
            "销售增值税发票",
            "ZSEFP000377",
            date(2025, 11, 30),
            date(2025, 12, 30),
            96050.00,
            60000.00,
            "华南办事处",
            "刘洋",
        ),
        (
            "00201",
            "广州穗丰贸易有限公司",
            "销售增值税发票",
            "ZSEFP001050",
            date(2026, 10, 25),
            date(2026, 12, 24),
            22600.00,
            0.00,
            "华南办事处",
            "刘洋",
        ),
    ],
    [
        (
            "00307",
            "成都蜀新科技有限公司",
            "销售增值税发票",
            "ZSEFP000601",
            date(2026, 5, 10),
            date(2026, 6, 9),
            18080.00,
            0.00,
            "西南办事处",
            "赵敏",
        ),
        (
            "00307",
            "成都蜀新科技有限公司",
            "收款单",
            "XSKD000318",
            date(2026, 10, 18),
            date(2026, 10, 18),
            0.00,
            5000.00,
            "西南办事处",
            "赵敏",
        ),
        (
            "00307",
            "成都蜀新科技有限公司",
            "销售普通发票",
            "ZPOFP000260",
            date(2026, 10, 30),
            date(2026, 10, 30),
            3390.00,
            0.00,
            "西南办事处",
            "赵敏",
        ),
    ],
]


def _money(cell) -> None:
    cell.number_format = MONEY


def _header(ws) -> None:
    ws.append(HEADER)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")


def _item(ws, row) -> tuple[float, float]:
    code, name, kind, number, doc_date, due_date, receivable, received, dept, rep = row
    open_amount = round(receivable - received, 2)
    # K/3 prints 过期天数 only for debit balances past due; credits and not-due rows show 0
    overdue_days = max((AS_OF - due_date).days, 0) if open_amount > 0 else 0
    ws.append(
        [
            code,
            name,
            kind,
            number,
            doc_date,
            due_date,
            "人民币",
            receivable,
            received,
            open_amount,
            overdue_days,
            dept,
            rep,
        ]
    )
    r = ws.max_row
    ws.cell(r, 1).number_format = "@"  # K/3 keeps 核算项目代码 as text: 00123
    ws.cell(r, 5).number_format = "yyyy-mm-dd"
    ws.cell(r, 6).number_format = "yyyy-mm-dd"
    for col in (8, 9, 10):
        _money(ws.cell(r, col))
    return receivable, received


def _totals(ws, label: str, receivable: float, received: float) -> None:
    ws.append(
        [
            label,
            None,
            None,
            None,
            None,
            None,
            None,
            round(receivable, 2),
            round(received, 2),
            round(receivable - received, 2),
        ]
    )
    r = ws.max_row
    ws.cell(r, 1).font = Font(bold=True)
    for col in (8, 9, 10):
        _money(ws.cell(r, col))


def _blocks(ws, blocks) -> tuple[float, float]:
    total_receivable = total_received = 0.0
    for block in blocks:
        receivable = received = 0.0
        for row in block:
            a, b = _item(ws, row)
            receivable += a
            received += b
        _totals(ws, "小计", receivable, received)
        total_receivable += receivable
        total_received += received
    return total_receivable, total_received


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "到期债权列表"
    ws.append(["北京华远装备制造有限公司"])
    ws.merge_cells("A1:M1")
    ws.append(["到期债权列表"])
    ws.merge_cells("A2:M2")
    ws.append(["截止日期：2026年10月31日", None, None, None, None, None, "币别：人民币"])
    for r in (1, 2):
        ws.cell(r, 1).font = Font(bold=True, size=14)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    ws.append([])
    _header(ws)
    a1, b1 = _blocks(ws, PAGE_1)
    ws.append([None, None, None, None, None, "第 1 页  共 2 页"])
    ws.append([])
    ws.append(["北京华远装备制造有限公司  到期债权列表"])
    _header(ws)
    a2, b2 = _blocks(ws, PAGE_2)
    _totals(ws, "合计", a1 + a2, b1 + b2)
    ws.append([])
    ws.append(["制表人：张三", None, None, "审核：李四", None, None, None, "打印日期：2026-11-02"])
    ws.append([None, None, None, None, None, "第 2 页  共 2 页"])
    widths = [12, 26, 18, 14, 12, 12, 8, 14, 14, 14, 9, 12, 8]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    wb.properties.creator = "Kingdee K/3"
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(
        2026, 11, 2, 9, 30
    )
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
