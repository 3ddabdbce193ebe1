"""金蝶 EAS 应收单序时簿 (财务会计 > 应收管理 > 应收单序时簿), 引出 Excel. One row per 应收单;
往来户 (the customer) by code and name; 币别 + 汇率; 应收金额 / 应收本位币金额 and the
settlement columns 已结算金额 / 未结算金额 / 未结算本位币金额; 到期日.
Deterministic: fixed creation time, no clock. Writes the export next to this file.
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

HEADER = [
    "单据编号",
    "业务日期",
    "单据状态",
    "往来户编码",
    "往来户名称",
    "币别",
    "汇率",
    "应收金额",
    "应收本位币金额",
    "已结算金额",
    "未结算金额",
    "未结算本位币金额",
    "到期日",
    "摘要",
]
ROWS = [
    (
        "AR-2026-000812",
        "2026-07-18",
        "审核",
        "C0103",
        "上海华联商贸有限公司",
        "人民币",
        1,
        120000.00,
        120000.00,
        50000.00,
        70000.00,
        70000.00,
        "2026-08-17",
        "7月货款",
    ),
    (
        "AR-2026-000957",
        "2026-09-26",
        "审核",
        "C0103",
        "上海华联商贸有限公司",
        "人民币",
        1,
        86000.00,
        86000.00,
        0,
        86000.00,
        86000.00,
        "2026-10-26",
        "9月货款",
    ),
    (
        "AR-2026-001004",
        "2026-10-08",
        "审核",
        "C0217",
        "Pacific Rim Trading Ltd",
        "美元",
        7.1,
        15000.00,
        106500.00,
        0,
        15000.00,
        106500.00,
        "2026-12-07",
        "出口",
    ),
    (
        "AR-2026-000655",
        "2026-05-20",
        "审核",
        "C0217",
        "Pacific Rim Trading Ltd",
        "美元",
        7.2,
        8000.00,
        57600.00,
        8000.00,
        0,
        0,
        "2026-06-19",
        "已结清",
    ),
]


def main():
    book = xlsxwriter.Workbook(str(Path(__file__).with_name("export.xlsx")))
    book.set_properties({"created": dt.datetime(2026, 11, 2, 9, 14, 0)})
    sh = book.add_worksheet("应收单序时簿")
    d = book.add_format({"num_format": "yyyy-mm-dd"})
    m = book.add_format({"num_format": "#,##0.00"})
    sh.write_row(0, 0, HEADER)
    for r, row in enumerate(ROWS, 1):
        for c, v in enumerate(row):
            if c in (1, 12):
                sh.write_datetime(r, c, dt.datetime.fromisoformat(v), d)
            elif isinstance(v, (int, float)) and c >= 6:
                sh.write_number(r, c, v, m)
            else:
                sh.write_string(r, c, str(v))
    book.close()


if __name__ == "__main__":
    main()
