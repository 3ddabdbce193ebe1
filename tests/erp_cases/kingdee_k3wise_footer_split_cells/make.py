"""K/3-style 到期债权列表 whose print footer puts each key and value in its own cell
(制表人： | 张三 | | 审核人： | 李四 | 打印日期： | 2026-11-02 as a date cell): the printed date lands
under the 已收金额 column. Also: a named subtotal '北京华联商贸有限公司 小计', a '客户小计' and '总合计：'.
Writes export.xlsx (expected.json is computed by hand)."""

import sys
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import save  # noqa: E402


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "到期债权列表"
    ws.append(["到期债权列表"])
    ws.append(["截止日期：2026年10月31日"])
    ws.append(
        [
            "核算项目代码",
            "核算项目名称",
            "单据号码",
            "单据日期",
            "到期日期",
            "应收金额",
            "已收金额",
            "未收余额",
        ]
    )
    ws.append(
        [
            "00123",
            "北京华联商贸有限公司",
            "ZSEFP000812",
            date(2026, 6, 15),
            date(2026, 7, 15),
            58500,
            20000,
            38500,
        ]
    )
    ws.append(
        [
            "00123",
            "北京华联商贸有限公司",
            "ZSEFP000955",
            date(2026, 8, 20),
            date(2026, 9, 19),
            45200,
            0,
            45200,
        ]
    )
    ws.append(["北京华联商贸有限公司 小计", None, None, None, None, 103700, 20000, 83700])
    ws.append(
        [
            "00145",
            "上海申达机电设备有限公司",
            "ZPOFP000210",
            date(2026, 9, 5),
            date(2026, 10, 5),
            12680,
            0,
            12680,
        ]
    )
    ws.append(["客户小计", None, None, None, None, 12680, 0, 12680])
    ws.append(["总合计：", None, None, None, None, 116380, 20000, 96380])
    ws.append(
        ["制表人：", "张三", None, "审核人：", "李四", "打印日期：", datetime(2026, 11, 2), None]
    )
    ws.cell(ws.max_row, 7).number_format = "yyyy-mm-dd"
    for r in (4, 5, 7):
        ws.cell(r, 1).number_format = "@"
        ws.cell(r, 4).number_format = ws.cell(r, 5).number_format = "yyyy-mm-dd"
    save(wb, HERE / "export.xlsx", "Kingdee K/3")


if __name__ == "__main__":
    build()
