"""A U8-style 应收单据查询 (one row per open document) with '金额' and a per-document '余额'
(no 借方/贷方): the 余额 is each document's own open balance, not a running balance.
ONLY_BALANCE = True (../yonyou_u8_document_balance_only/make.py) drops the 金额 column.
Writes export.xlsx (expected.json is computed by hand)."""

import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from deterministic import save  # noqa: E402

ONLY_BALANCE = False
ROWS = [
    (
        "0100",
        "北京华联商贸有限公司",
        "销售专用发票",
        "0000000012",
        date(2026, 8, 10),
        date(2026, 9, 9),
        56500,
        36500,
    ),
    (
        "0100",
        "北京华联商贸有限公司",
        "销售专用发票",
        "0000000019",
        date(2026, 9, 10),
        date(2026, 10, 10),
        33900,
        33900,
    ),
    (
        "0200",
        "上海申达机电设备有限公司",
        "销售普通发票",
        "0000000021",
        date(2026, 9, 22),
        date(2026, 10, 22),
        12000,
        2000,
    ),
    (
        "0200",
        "上海申达机电设备有限公司",
        "销售普通发票",
        "0000000025",
        date(2026, 10, 2),
        date(2026, 11, 1),
        8000,
        8000,
    ),
]


def build(here: Path, only_balance: bool):
    wb = Workbook()
    ws = wb.active
    ws.title = "应收单据"
    ws.append(["应收单据查询"])
    money = ["余额"] if only_balance else ["金额", "余额"]
    ws.append(["客户编码", "客户名称", "单据类型", "单据号", "单据日期", "到期日", "币种", *money])
    for code, name, kind, no, d, due, amount, bal in ROWS:
        ws.append(
            [code, name, kind, no, d, due, "人民币", *([bal] if only_balance else [amount, bal])]
        )
        for c in (5, 6):
            ws.cell(ws.max_row, c).number_format = "yyyy-mm-dd"
    ws.append(
        [
            "合计",
            None,
            None,
            None,
            None,
            None,
            None,
            *([80400] if only_balance else [110400, 80400]),
        ]
    )
    save(wb, here / "export.xlsx", "UFIDA U8")


if __name__ == "__main__":
    build(HERE, ONLY_BALANCE)
