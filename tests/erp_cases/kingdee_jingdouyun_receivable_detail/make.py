"""金蝶精斗云 (Kingdee JDY) 报表 > 应收款明细表, exported: 日期, 单据编号, 业务类型, 客户,
增加应收款, 收回应收款 and the running 应收款余额 (the previous balance + 增加 - 收回).
Writes export.csv (UTF-8) next to this file. Deterministic."""

from pathlib import Path

LINES = [
    "日期,单据编号,业务类型,客户,增加应收款,收回应收款,应收款余额",
    "2026-07-15,XSD20260715001,销售出库,杭州恒达五金有限公司,30000.00,0.00,30000.00",
    "2026-08-20,XSD20260820003,销售出库,杭州恒达五金有限公司,12000.00,0.00,42000.00",
    "2026-09-10,SKD20260910001,收款,杭州恒达五金有限公司,0.00,25000.00,17000.00",
    "2026-10-12,XSD20261012002,销售出库,杭州恒达五金有限公司,8000.00,0.00,25000.00",
]

if __name__ == "__main__":
    Path(__file__).with_name("export.csv").write_bytes(("\n".join(LINES) + "\n").encode("utf-8"))
