"""A management AR list kept in 万元 (ten-thousands of yuan): header 应收余额(万元), title
'单位：万元'. Writes export.xlsx. Deterministic."""

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook


def build(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "应收账款"
    ws.append(["2026年10月末应收账款余额表"])
    ws.append([None, None, None, None, "单位：万元"])
    ws.append(["客户名称", "合同编号", "开票日期", "到期日期", "应收余额(万元)"])
    ws.append(["杭州恒达五金有限公司", "HT-2026-011", date(2026, 7, 1), date(2026, 7, 31), 1.25])
    ws.append(["宁波海顺贸易有限公司", "HT-2026-027", date(2026, 9, 1), date(2026, 10, 1), 36.8])
    ws.append(["合计", None, None, None, 38.05])
    for r in (4, 5):
        ws.cell(r, 3).number_format = ws.cell(r, 4).number_format = "yyyy-mm-dd"
        ws.cell(r, 5).number_format = "0.00"
    wb.properties.created = datetime(2026, 11, 2, 9, 30)  # the same bytes on every run
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
