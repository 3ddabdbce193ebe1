"""客户对账单, one sheet per customer (as 好会计 / 精斗云 / hand-kept statements are exported):
our company, title 客户对账单, 客户名称：<name> and 对账期间 in the title rows; columns 日期,
单据编号, 摘要, 发货金额, 收款金额, 余额 (running); a 合计 row and a 客户确认 footer.
The customer is named only in the title rows. Writes export.xlsx. Deterministic."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook

SHEETS = [
    (
        "宁波海顺",
        "宁波海顺贸易有限公司",
        [
            (date(2026, 7, 15), "XS0715001", "销售出库", 30000.00, None),
            (date(2026, 8, 20), "XS0820003", "销售出库", 12000.00, None),
            (date(2026, 9, 10), "SK0910001", "银行收款", None, 25000.00),
            (date(2026, 10, 12), "XS1012002", "销售出库", 8000.00, None),
        ],
    ),
    (
        "温州瓯江",
        "温州瓯江电器有限公司",
        [
            (date(2026, 9, 5), "XS0905001", "销售出库", 15600.00, None),
            (date(2026, 10, 25), "SK1025002", "银行收款", None, 5600.00),
        ],
    ),
]


def build(path):
    wb = Workbook()
    wb.remove(wb.active)
    for title, customer, rows in SHEETS:
        ws = wb.create_sheet(title)
        ws.append(["杭州恒达机械有限公司"])
        ws.append(["客户对账单"])
        ws.append([f"客户名称：{customer}"])
        ws.append(["对账期间：2026年7月1日至2026年10月31日"])
        ws.append(["日期", "单据编号", "摘要", "发货金额", "收款金额", "余额"])
        bal = dr = cr = 0.0
        for d, no, memo, debit, credit in rows:
            bal += (debit or 0) - (credit or 0)
            dr += debit or 0
            cr += credit or 0
            ws.append([d, no, memo, debit, credit, round(bal, 2)])
            ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd"
        ws.append(["合计", None, None, round(dr, 2), round(cr, 2), round(bal, 2)])
        ws.append([])
        ws.append(["客户确认：", None, "盖章：", None, "日期："])
    wb.properties.created = datetime(2026, 11, 2, 9, 30)  # the same bytes on every run
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
