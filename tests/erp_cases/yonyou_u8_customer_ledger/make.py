"""Yonyou U8 客户往来明细账 (科目 1122 应收账款, 期间 2026.01-2026.10), 输出 to Excel.

Writes export.xlsx next to this file. Deterministic: no clock, no randomness.
A transactions ledger as U8 prints it: title rows, a two-row header (本期发生 merged over
借方 / 贷方), one section per customer ('客户：00123 北京华联商贸有限公司'), a 期初余额 row,
the documents with 凭证号 AND 单据类型 / 单据号, a running 方向 / 余额, and 本月合计 / 本年累计
rows after each month with activity; a page break repeats the title and both header rows.
Red invoices (红字专用发票) are negative debits. 单据号 of invoices are numbers (U8 writes the
8-digit invoice number as a number), receipt numbers are text with leading zeros. Dates are
ISO text.
"""

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deterministic import freeze
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

MONEY = "#,##0.00"
# customer code, name, opening (借 positive / 贷 negative), months: [(month, [entries])]
# entry: (date, 凭证号, 单据类型, 单据号, 摘要, 借方, 贷方, 业务员)
PAGE_1 = [
    (
        "00123",
        "北京华联商贸有限公司",
        25000.00,
        [
            (
                9,
                [
                    (
                        "2026-09-03",
                        "记-0008",
                        "销售专用发票",
                        26100012,
                        "销售专用发票 华联 9月货款",
                        56500.00,
                        None,
                        "王磊",
                    ),
                    (
                        "2026-09-18",
                        "记-0025",
                        "收款单",
                        "0000000031",
                        "收款单 电汇",
                        None,
                        40000.00,
                        "王磊",
                    ),
                ],
            ),
            (
                10,
                [
                    (
                        "2026-10-10",
                        "记-0014",
                        "销售专用发票",
                        26100135,
                        "销售专用发票 华联 10月货款",
                        33900.00,
                        None,
                        "王磊",
                    ),
                    (
                        "2026-10-22",
                        "记-0030",
                        "红字专用发票",
                        26100160,
                        "红字专用发票 退货",
                        -3390.00,
                        None,
                        "王磊",
                    ),
                ],
            ),
        ],
    ),
    (
        "00145",
        "上海申达机电设备有限公司",
        0.00,
        [
            (
                9,
                [
                    (
                        "2026-09-12",
                        "记-0019",
                        "销售普通发票",
                        26100048,
                        "销售普通发票 申达",
                        18600.00,
                        None,
                        "陈静",
                    ),
                ],
            ),
            (
                10,
                [
                    (
                        "2026-10-08",
                        "记-0011",
                        "收款单",
                        "0000000038",
                        "收款单 承兑汇票",
                        None,
                        18600.00,
                        "陈静",
                    ),
                    (
                        "2026-10-26",
                        "记-0036",
                        "销售专用发票",
                        26100171,
                        "销售专用发票 申达",
                        24860.00,
                        None,
                        "陈静",
                    ),
                ],
            ),
        ],
    ),
    (
        "00201",
        "广州穗丰贸易有限公司",
        68000.00,
        [
            (
                10,
                [
                    (
                        "2026-10-15",
                        "记-0021",
                        "收款单",
                        "0000000042",
                        "收款单 电汇",
                        None,
                        50000.00,
                        "刘洋",
                    ),
                    (
                        "2026-10-29",
                        "记-0039",
                        "收款单",
                        "0000000047",
                        "收款单 电汇",
                        None,
                        30000.00,
                        "刘洋",
                    ),
                ],
            ),
        ],
    ),
]
PAGE_2 = [
    (
        "00307",
        "成都蜀新科技有限公司",
        15000.00,
        [
            (
                9,
                [
                    (
                        "2026-09-05",
                        "记-0010",
                        "收款单",
                        "0000000029",
                        "收款单 电汇",
                        None,
                        15000.00,
                        "赵敏",
                    ),
                    (
                        "2026-09-20",
                        "记-0027",
                        "销售专用发票",
                        26100090,
                        "销售专用发票 蜀新",
                        45200.00,
                        None,
                        "赵敏",
                    ),
                ],
            ),
            (
                10,
                [
                    (
                        "2026-10-30",
                        "记-0041",
                        "销售普通发票",
                        26100188,
                        "销售普通发票 蜀新",
                        2260.00,
                        None,
                        "赵敏",
                    ),
                ],
            ),
        ],
    ),
    (
        "00412",
        "深圳宏图电子有限公司",
        0.00,
        [
            (
                8,
                [
                    (
                        "2026-08-06",
                        "记-0009",
                        "销售专用发票",
                        26090031,
                        "销售专用发票 宏图",
                        79100.00,
                        None,
                        "孙悦",
                    ),
                    (
                        "2026-08-25",
                        "记-0031",
                        "销售普通发票",
                        26090077,
                        "销售普通发票 宏图",
                        11300.00,
                        None,
                        "孙悦",
                    ),
                ],
            ),
            (
                10,
                [
                    (
                        "2026-10-16",
                        "记-0023",
                        "收款单",
                        "0000000044",
                        "收款单 电汇",
                        None,
                        30000.00,
                        "孙悦",
                    ),
                ],
            ),
        ],
    ),
]
WIDTH = 10


def _direction(balance: float) -> str:
    return "借" if balance > 0.005 else "贷" if balance < -0.005 else "平"


def _header(ws) -> None:
    top = ws.max_row + 1
    ws.append(
        ["日期", "凭证号", "单据类型", "单据号", "摘要", "本期发生", None, "方向", "余额", "业务员"]
    )
    ws.append([None, None, None, None, None, "借方", "贷方", None, None, None])
    for col in (1, 2, 3, 4, 5, 8, 9, 10):
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    ws.merge_cells(start_row=top, start_column=6, end_row=top, end_column=7)
    for r in (top, top + 1):
        for cell in ws[r]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")


def _money_row(ws, values) -> None:
    ws.append(values)
    for col in (6, 7, 9):
        ws.cell(ws.max_row, col).number_format = MONEY


def _customer(ws, code, name, opening, months) -> None:
    ws.append([f"客户：{code} {name}"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=WIDTH)
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    _money_row(
        ws,
        [None, None, None, None, "期初余额", None, None, _direction(opening), abs(opening), None],
    )
    balance, year_debit, year_credit = opening, 0.0, 0.0
    for _month, entries in months:
        month_debit = month_credit = 0.0
        for day, voucher, kind, number, summary, debit, credit, rep in entries:
            balance = round(balance + (debit or 0.0) - (credit or 0.0), 2)
            month_debit += debit or 0.0
            month_credit += credit or 0.0
            _money_row(
                ws,
                [
                    day,
                    voucher,
                    kind,
                    number,
                    summary,
                    debit,
                    credit,
                    _direction(balance),
                    abs(balance),
                    rep,
                ],
            )
            if isinstance(number, int):
                ws.cell(ws.max_row, 4).number_format = "0"
            else:
                ws.cell(ws.max_row, 4).number_format = "@"
        year_debit += month_debit
        year_credit += month_credit
        _money_row(
            ws,
            [
                None,
                None,
                None,
                None,
                "本月合计",
                round(month_debit, 2),
                round(month_credit, 2),
                _direction(balance),
                abs(balance),
                None,
            ],
        )
        _money_row(
            ws,
            [
                None,
                None,
                None,
                None,
                "本年累计",
                round(year_debit, 2),
                round(year_credit, 2),
                _direction(balance),
                abs(balance),
                None,
            ],
        )


def build(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "客户往来明细账"
    ws.append(["客户往来明细账"])
    ws.merge_cells("A1:J1")
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(
        [
            "科目：1122 应收账款",
            None,
            None,
            None,
            "期间：2026.01-2026.10",
            None,
            None,
            None,
            "币种：人民币",
        ]
    )
    ws.append(["核算单位：北京华远装备制造有限公司"])
    _header(ws)
    for customer in PAGE_1:
        _customer(ws, *customer)
    ws.append([None, None, None, None, "第1页/共2页"])
    ws.append(["客户往来明细账"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=WIDTH)
    _header(ws)
    for customer in PAGE_2:
        _customer(ws, *customer)
    ws.append([])
    ws.append(["制表人：张三", None, None, "审核：李四", None, None, None, "打印日期：2026-11-02"])
    ws.append([None, None, None, None, "第2页/共2页"])
    for i, width in enumerate([12, 9, 14, 12, 26, 13, 13, 6, 13, 8]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    wb.properties.creator = "UFIDA U8"
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)
    wb.save(path)
    freeze(path)


if __name__ == "__main__":
    build(Path(__file__).with_name("export.xlsx"))
