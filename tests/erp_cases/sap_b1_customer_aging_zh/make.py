"""SAP Business One (中文界面) 客户应收账龄 exported to Excel/CSV: 类型 column keeps B1's document codes IN (应收发票) / RC (收款) / CN (贷项凭证) / JE.
Writes export.csv (UTF-8) next to this file. Deterministic."""

from pathlib import Path

LINES = [
    "客户代码,客户名称,类型,凭证编号,分期付款,过帐日期,到期日,凭证总计,余额,0-30,31-60,61-90,90+",
    "C20001,杭州恒达五金有限公司,IN,1001,1/1,2026-07-01,2026-07-31,5000.00,4000.00,,,,4000.00",
    "C20001,杭州恒达五金有限公司,RC,2005,,2026-09-15,2026-09-15,-1500.00,-1500.00,,-1500.00,,",
    "C20002,宁波海顺贸易有限公司,IN,1010,1/1,2026-09-01,2026-10-01,2000.00,2000.00,2000.00,,,",
]

if __name__ == "__main__":
    Path(__file__).with_name("export.csv").write_bytes(("\n".join(LINES) + "\n").encode("utf-8"))
