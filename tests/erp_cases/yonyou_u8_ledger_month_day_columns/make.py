"""Yonyou U8 客户往来明细账 as U8 prints it: the date in two columns 月 / 日 under a merged '2026年'
heading (the layout tests/erp_cases/yonyou_u8_customer_ledger notes it did NOT cover).
Writes export.xlsx + expected.json."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import ctl, item, save, write_expected  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402, F401


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "客户往来明细账"
    ws.append(["客户往来明细账"])
    ws.append(
        ["科目：1122 应收账款", "", "", "", "期间：2026.10-2026.10", "", "", "", "币种：人民币"]
    )
    ws.append(
        ["2026年", None, "凭证号", "单据类型", "单据号", "摘要", "借方", "贷方", "方向", "余额"]
    )
    ws.append(["月", "日", None, None, None, None, None, None, None, None])
    ws.merge_cells("A3:B3")
    for c in range(3, 11):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.append(["客户：00123 北京华联商贸有限公司"])
    ws.append([None, None, None, None, None, "期初余额", None, None, "借", 25000])
    ws.append(
        [10, 9, "记-0012", "销售专用发票", "26100012", "销售专用发票", 56500, None, "借", 81500]
    )
    ws.append([10, 20, "记-0031", "收款单", "0000000031", "收款单", None, 40000, "借", 41500])
    ws.append([None, None, None, None, None, "本月合计", 56500, 40000, "借", 41500])
    ws.append(["客户：00145 上海申达机电设备有限公司"])
    ws.append([None, None, None, None, None, "期初余额", None, None, "平", 0])
    ws.append(
        [10, 26, "记-0036", "销售专用发票", "26100171", "销售专用发票", 24860, None, "借", 24860]
    )
    ws.append([None, None, None, None, None, "本月合计", 24860, 0, "借", 24860])
    save(wb, HERE / "export.xlsx", "UFIDA U8")
    write_expected(
        HERE,
        {
            "erp": "Yonyou U8",
            "report": "客户往来明细账 with the date split into 月 / 日 under '2026年'",
            "sources": [
                "tests/erp_cases/yonyou_u8_customer_ledger notes: 'U8 often prints the date as 月 / 日 columns under a 2026年 heading; this case uses one 日期 column'"
            ],
            "config": {},
            "as_of": "2026-10-31",
            "expect": {
                "as_of": "2026-10-31",
                "base_currency": "CNY",
                "layout": "transactions",
                "open_items": [
                    item("00123", "26100012", "CNY", 4150000, 4150000, -8, "Not due"),
                    item("00145", "26100171", "CNY", 2486000, 2486000, -25, "Not due"),
                ],
                "open_base_total_minor": 6636000,
                "overdue_base_total_minor": 0,
                "unapplied_credit_base_minor": 0,
                "exceptions": 0,
                "layout_rows": 2,
                "layout_row_numbers": [5, 10],
                "control_totals": [
                    ctl(9, "借方", 5650000),
                    ctl(9, "贷方", 4000000),
                    ctl(9, "余额", 4150000),
                    ctl(13, "借方", 2486000),
                    ctl(13, "贷方", 0),
                    ctl(13, "余额", 2486000),
                ],
                "reconciled": True,
            },
            "notes": (
                "Header rows 3-4: '2026年' merged over 月 | 日; the date of row 7 is 2026-10-09 (year from the heading, month and day from the two columns). "
                "Section rows 5, 10; 期初余额 rows 6, 11 (balance rows, as in yonyou_u8_customer_ledger); data 7, 8, 12; 本月合计 9, 13. "
                "00123: opening 25,000.00 + 26100012 56,500.00 - 40,000.00 (FIFO, opening first) -> 41,500.00 open on 26100012; 00145: 26100171 24,860.00. "
                "No due date: 日期 + 30: 10-09 -> 11-08 (-8); 10-26 -> 11-25 (-25)."
            ),
        },
    )


if __name__ == "__main__":
    build()
