"""K/3-style 应收款余额明细 whose title gives the period ('会计期间：2026年10月') and no day; the
user gives no --as-of. The newest open document is from September (October's invoices are paid).
Writes export.xlsx (expected.json is computed by hand)."""

import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import save  # noqa: E402


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "应收款余额明细表"
    ws.append(["北京华远装备制造有限公司"])
    ws.append(["应收款余额明细表"])
    ws.append(["会计期间：2026年10月", None, None, "币别：人民币"])
    ws.append(["客户代码", "客户名称", "单据号码", "单据日期", "到期日期", "未收余额"])
    ws.append(
        ["00123", "北京华联商贸有限公司", "ZSEFP000812", date(2026, 8, 10), date(2026, 9, 9), 1000]
    )
    ws.append(
        ["00123", "北京华联商贸有限公司", "ZSEFP000900", date(2026, 9, 3), date(2026, 10, 3), 2000]
    )
    for r in (5, 6):
        ws.cell(r, 1).number_format = "@"
        ws.cell(r, 4).number_format = ws.cell(r, 5).number_format = "yyyy-mm-dd"
    save(wb, HERE / "export.xlsx", "Kingdee K/3")


if __name__ == "__main__":
    build()
