"""Hand-kept AR list with dates typed the Chinese short way, yy.mm.dd as text (26.07.01 =
2026-07-01), as 速达 / 管家婆 users key them into Excel. Writes export.xlsx. Deterministic."""

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook


def build(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "应收"
    ws.append(["客户名称", "单据编号", "单据日期", "到期日期", "未收金额"])
    ws.append(["杭州恒达五金有限公司", "XS001", "26.07.01", "26.07.31", 1000.00])
    ws.append(["宁波海顺贸易有限公司", "XS002", "26.09.01", "26.10.01", 2000.00])
    ws.append(["宁波海顺贸易有限公司", "XS003", "26.10.15", "26.11.14", 3000.00])
    wb.properties.created = datetime(2026, 11, 2, 9, 30)  # the same bytes on every run
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
