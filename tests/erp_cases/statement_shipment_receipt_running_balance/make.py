"""A 客户对账单 (customer statement) as small-business packages (好会计, 精斗云) and hand-kept
sheets write it: 客户名称 on every row, 日期, 单据编号, 摘要, 发货金额 (shipped, raises the debt),
收款金额 (received, lowers it) and a running 余额 (each row's 余额 = the previous 余额 +
发货金额 - 收款金额). Writes export.xlsx next to this file. Deterministic."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook

ROWS = [
    (date(2026, 7, 15), "XS0715001", "销售出库", 30000.00, None),
    (date(2026, 8, 20), "XS0820003", "销售出库", 12000.00, None),
    (date(2026, 9, 10), "SK0910001", "银行收款", None, 25000.00),
    (date(2026, 10, 12), "XS1012002", "销售出库", 8000.00, None),
]


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "对账单"
    ws.append(["客户名称", "日期", "单据编号", "摘要", "发货金额", "收款金额", "余额"])
    balance = 0.0
    for day, number, memo, shipped, received in ROWS:
        balance += (shipped or 0) - (received or 0)
        ws.append(["宁波海顺贸易有限公司", day, number, memo, shipped, received, round(balance, 2)])
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
