"""Kingdee KIS / K/3 核算项目明细账 (科目 1122 应收账款 by 核算项目 客户): 日期 / 凭证字号 / 摘要 /
借方 / 贷方 / 方向 / 余额, one section per customer headed '核算项目：00123 北京华联商贸有限公司',
期初余额 / 本期合计 / 本年累计 rows. Writes export.xlsx (expected.json is computed by hand)."""

import sys
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import save  # noqa: E402


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "核算项目明细账"
    ws.append(["核算项目明细账"])
    ws.append(["科目：1122 应收账款", "", "", "", "期间：2026年第10期", "", "", "币别：人民币"])
    ws.append(["日期", "凭证字号", "摘要", "借方", "贷方", "方向", "余额"])
    ws.append(["核算项目：00123 北京华联商贸有限公司"])
    ws.append(["2026-10-01", "", "期初余额", "", "", "借", 25000])
    ws.append(["2026-10-09", "记-12", "销售商品 发票号26100012", 56500, "", "借", 81500])
    ws.append(["2026-10-20", "记-31", "收到货款", "", 40000, "借", 41500])
    ws.append(["", "", "本期合计", 56500, 40000, "借", 41500])
    ws.append(["", "", "本年累计", 56500, 40000, "借", 41500])
    ws.append(["核算项目：00145 上海申达机电设备有限公司"])
    ws.append(["2026-10-01", "", "期初余额", "", "", "平", 0])
    ws.append(["2026-10-26", "记-36", "销售商品 发票号26100171", 24860, "", "借", 24860])
    ws.append(["", "", "本期合计", 24860, 0, "借", 24860])
    ws.append(["", "", "本年累计", 24860, 0, "借", 24860])
    save(wb, HERE / "export.xlsx", "Kingdee KIS")


if __name__ == "__main__":
    build()
