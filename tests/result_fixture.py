"""A small, hand-made but realistic `Result` for renderer tests (no pipeline involved).

As of 2026-10-31, base CNY, USD at 7.1034. Four customers: one Chinese name, one named like a
spreadsheet injection (`=cmd|' /C calc'!A0`). Eight open items in CNY and USD:

| doc            | customer | ccy | open minor | due        | days | bucket   | grade         |
| -------------- | -------- | --- | ---------- | ---------- | ---- | -------- | ------------- |
| INV-2026-0101  | 00123    | CNY |  1,234,567 | 2026-11-14 |  -14 | Not due  | not_due       |
| INV-2026-0088  | 00123    | CNY |  3,000,000 | 2026-08-31 |   61 | 61-90    | in_collection |
| INV-2025-0412  | 00123    | CNY |    880,000 | 2025-04-09 |  570 | 1-2 y    | bad           |
| INV-2026-0150  | C-002    | CNY |  2,750,000 | 2026-10-20 |   11 | 1-30     | in_collection |
| INV-2026-0033  | C-002    | CNY |  1,520,050 | 2026-03-31 |  214 | 181-365  | doubtful      |
| INV-2023-0007  | C-003    | CNY | 45,000,000 | 2023-07-01 | 1218 | Over 3 y | dead          |
| INV-2026-0120  | C-004    | USD |  2,500,000 | 2026-10-01 |   30 | 1-30     | in_collection |
| INV-2026-0131  | C-004    | USD |  1,299,999 | 2026-11-09 |   -9 | Not due  | not_due       |

USD to CNY, rounded half up to the fen: 2,500,000 x 7.1034 = 17,758,500;
1,299,999 x 7.1034 = 9,234,412.8966 -> 9,234,413.
Total open in CNY: 54,384,617 (CNY items) + 26,992,913 (USD items) = 81,377,530 minor
= 813,775.30. Provision: 5 % within a year, 10 % for 1-2 y, dead 100 %:
  (1,234,567 + 3,000,000 + 2,750,000 + 1,520,050 + 17,758,500 + 9,234,413) x 5 % = 1,774,876.5
  item by item rounded = 61,728 + 150,000 + 137,500 + 76,003 + 887,925 + 461,721 = 1,774,877;
  880,000 x 10 % = 88,000; 45,000,000 x 100 % = 45,000,000; total 46,862,877.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from aging.config import Config
from aging.model import (
    CUSTOMER_COLUMNS,
    GRADE_DTYPE,
    GRADES,
    ISSUE_COLUMNS,
    OPEN_ITEM_COLUMNS,
    RECONCILIATION_COLUMNS,
    InputTable,
    Result,
)

AS_OF = date(2026, 10, 31)
BASE = "CNY"
FX = {"CNY": Decimal("1"), "USD": Decimal("7.1034")}
INJECTED_NAME = "=cmd|' /C calc'!A0"
CHINESE_NAME = "上海华信贸易有限公司"
BUCKETS = ["Not due", "1-30", "31-60", "61-90", "91-180", "181-365", "1-2 y", "2-3 y", "Over 3 y"]
BUCKET_DTYPE = pd.CategoricalDtype(BUCKETS, ordered=True)
LEDGER_FILE = "ledger_2026-10.xlsx"
LEDGER_SHEET = "应收明细"

CUSTOMERS = {
    # id: (name, sales rep, manager, region, status, cooperation)
    "00123": (CHINESE_NAME, "王磊", "李娜", "华东", "active", "slow"),
    "C-002": ("Acme Industrial Ltd", "John Smith", "Mary Chen", "North", "active", "cooperative"),
    "C-003": (INJECTED_NAME, "John Smith", "Mary Chen", "South", "untraceable", "evasive"),
    "C-004": ("Northwind Foods Inc.", "王磊", "李娜", "Export", "active", "cooperative"),
}

# doc_no, customer, doc date, due date, currency, amount, open, days, bucket, grade, rate,
# limitation date, source row
ITEMS = [
    ("INV-2026-0101", "00123", "2026-09-15", "2026-11-14", "CNY", 1234567, 1234567, -14,
     "Not due", "not_due", 0.05, "2029-11-14", 12),
    ("INV-2026-0088", "00123", "2026-08-01", "2026-08-31", "CNY", 5000000, 3000000, 61,
     "61-90", "in_collection", 0.05, "2029-09-10", 13),
    ("INV-2025-0412", "00123", "2025-03-10", "2025-04-09", "CNY", 880000, 880000, 570,
     "1-2 y", "bad", 0.10, "2028-04-09", 14),
    ("INV-2026-0150", "C-002", "2026-10-05", "2026-10-20", "CNY", 2750000, 2750000, 11,
     "1-30", "in_collection", 0.05, "2029-10-20", 21),
    ("INV-2026-0033", "C-002", "2026-03-01", "2026-03-31", "CNY", 1520050, 1520050, 214,
     "181-365", "doubtful", 0.05, "2029-03-31", 22),
    ("INV-2023-0007", "C-003", "2023-06-01", "2023-07-01", "CNY", 45000000, 45000000, 1218,
     "Over 3 y", "dead", 1.00, "2026-07-01", 30),
    ("INV-2026-0120", "C-004", "2026-09-01", "2026-10-01", "USD", 2500000, 2500000, 30,
     "1-30", "in_collection", 0.05, "2029-10-01", 41),
    ("INV-2026-0131", "C-004", "2026-10-10", "2026-11-09", "USD", 1299999, 1299999, -9,
     "Not due", "not_due", 0.05, "2029-11-09", 42),
]  # fmt: skip

UNAPPLIED_CREDIT = {"C-002": 150000}  # a receipt that named no invoice, FIFO off


def _base(minor: int, currency: str) -> int:
    value = Decimal(minor) * FX[currency]
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _rounded(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def open_items() -> pd.DataFrame:
    rows = []
    for doc, cid, doc_date, due, ccy, amount, open_, days, bucket, grade, rate, limit, src in ITEMS:
        name, rep, manager, region, *_ = CUSTOMERS[cid]
        base = _base(open_, ccy)
        rows.append(
            {
                "customer_id": cid,
                "customer_name": name,
                "doc_no": doc,
                "doc_type": "invoice",
                "doc_date": pd.Timestamp(doc_date),
                "due_date": pd.Timestamp(due),
                "currency": ccy,
                "amount_minor": amount,
                "open_minor": open_,
                "open_base_minor": base,
                "days_overdue": days,
                "bucket": bucket,
                "grade": grade,
                "provision_rate": rate,
                "provision_base_minor": _rounded(base * rate),
                "limitation_date": pd.Timestamp(limit),
                "sales_rep": rep,
                "manager": manager,
                "region": region,
                "src_file": LEDGER_FILE,
                "src_sheet": LEDGER_SHEET,
                "src_row": src,
            }
        )
    frame = pd.DataFrame(rows, columns=list(OPEN_ITEM_COLUMNS))
    return frame.astype(
        {
            "amount_minor": "int64",
            "open_minor": "int64",
            "open_base_minor": "int64",
            "days_overdue": "int64",
            "provision_base_minor": "int64",
            "src_row": "int64",
            "bucket": BUCKET_DTYPE,
            "grade": GRADE_DTYPE,
            "doc_date": "datetime64[ns]",
            "due_date": "datetime64[ns]",
            "limitation_date": "datetime64[ns]",
        }
    )


def customers(items: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for cid, (name, rep, manager, region, status, cooperation) in CUSTOMERS.items():
        mine = items[items["customer_id"] == cid]
        overdue = mine[mine["days_overdue"] >= 1]
        rows.append(
            {
                "customer_id": cid,
                "name": name,
                "sales_rep": rep,
                "manager": manager,
                "region": region,
                "open_base_minor": int(mine["open_base_minor"].sum()),
                "overdue_base_minor": int(overdue["open_base_minor"].sum()),
                "unapplied_credit_base_minor": UNAPPLIED_CREDIT.get(cid, 0),
                "provision_base_minor": int(mine["provision_base_minor"].sum()),
                # Worst grade holding >= 10 % of overdue: 00123 bad (880,000 of 3,880,000).
                "grade": overdue["grade"].max() if len(overdue) else "not_due",
                "max_days_overdue": int(mine["days_overdue"].max()),
                "broken_promises": 0,
                "status": status,
                "cooperation": cooperation,
                "credit_limit_base_minor": pd.NA,
                "priority_score": pd.NA,
                "rank": pd.NA,
                "strategy": pd.NA,
                "next_action": pd.NA,
                "next_contact_date": pd.NA,
                "credit_hold": pd.NA,
            }
        )
    frame = pd.DataFrame(rows, columns=list(CUSTOMER_COLUMNS))
    frame["grade"] = frame["grade"].astype(GRADE_DTYPE)
    frame["credit_limit_base_minor"] = frame["credit_limit_base_minor"].astype("Int64")
    return frame.sort_values(
        ["overdue_base_minor", "customer_id"], ascending=[False, True]
    ).reset_index(drop=True)


def aging_by_customer(items: pd.DataFrame, custs: pd.DataFrame) -> pd.DataFrame:
    pivot = items.pivot_table(
        index="customer_id",
        columns="bucket",
        values="open_base_minor",
        aggfunc="sum",
        observed=False,
        fill_value=0,
    ).astype("int64")
    pivot.columns = [str(c) for c in pivot.columns]
    pivot["total"] = pivot.sum(axis=1)
    names = custs.set_index("customer_id")[["name", "grade"]]
    out = names.join(pivot, how="inner").reset_index()
    return out.sort_values(["total", "customer_id"], ascending=[False, True]).reset_index(drop=True)


def provision(items: pd.DataFrame) -> pd.DataFrame:
    bands = [("Within 1 y", 365, 0.05), ("1-2 y", 730, 0.10), ("2-3 y", 1095, 0.30),
             ("3-4 y", 1460, 0.50), ("4-5 y", 1825, 0.80), ("Over 5 y", 10**6, 1.00)]  # fmt: skip
    rows, low = [], -(10**6)
    for band, high, rate in bands:
        part = items[(items["days_overdue"] > low) & (items["days_overdue"] <= high)]
        row = {
            "band": band,
            "rate": rate,
            "items": len(part),
            "open_base_minor": int(part["open_base_minor"].sum()),
            "provision_base_minor": int(part["provision_base_minor"].sum()),
        }
        for grade in GRADES:
            row[grade] = int(part.loc[part["grade"] == grade, "open_base_minor"].sum())
        rows.append(row)
        low = high
    return pd.DataFrame(rows)


def issues() -> pd.DataFrame:
    rows = [
        ("exception", "customer.missing_id", "No customer ID; the row is left out.", LEDGER_FILE,
         LEDGER_SHEET, 57, "客户编码", "", "", "INV-2026-0177", "CNY", 99000),
        ("warning", "amount.text", "Amount written as text with a formula-like sign; read as "
         "a number.", LEDGER_FILE, LEDGER_SHEET, 88, "金额", "@SUM(A1)", "C-002",
         "http://evil.example", "CNY", 1520050),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(ISSUE_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    frame["amount_minor"] = frame["amount_minor"].astype("Int64")
    return frame


def reconciliation(items: pd.DataFrame) -> pd.DataFrame:
    """input total = open items + unapplied credits + exceptions + after as-of; difference 0."""
    rows = []
    extra = {"CNY": (-150000, 99000, 500000), "USD": (0, 0, 0)}
    for ccy in ("CNY", "USD"):
        mine = items[items["currency"] == ccy]
        open_total = int(mine["open_minor"].sum())
        credits, excluded, after = extra[ccy]
        total = open_total + credits + excluded + after
        counts = (len(mine), int(credits != 0), int(excluded != 0), int(after != 0))
        rows += [
            (ccy, "input_total", "Input total", total, sum(counts), "", "ok"),
            (ccy, "open_items", "Open items", open_total, counts[0], "", "ok"),
            (ccy, "unapplied_credits", "Unapplied credits", credits, counts[1], "", "ok"),
            (ccy, "exceptions", "Exceptions", excluded, counts[2], "", "explained"),
            (ccy, "after_as_of", "After the as-of date", after, counts[3],
             "Dated 2026-11-02" if after else "", "explained"),
            (ccy, "difference", "Difference", total - open_total - credits - excluded - after,
             0, "", "ok"),
        ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(RECONCILIATION_COLUMNS))
    return frame.astype({"amount_minor": "int64", "rows": "int64"})


def make_result(lang: str = "en", **changes) -> Result:
    """The fixture result; `changes` replace fields (e.g. reconciled=False)."""
    config = Config.model_validate({"output": {"lang": lang}})
    items = open_items()
    custs = customers(items)
    total = int(items["open_base_minor"].sum())
    overdue = int(items.loc[items["days_overdue"] >= 1, "open_base_minor"].sum())
    grades = custs["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    fields = {
        "as_of": AS_OF,
        "base_currency": BASE,
        "currency_decimals": {"CNY": 2, "USD": 2, "JPY": 0},
        "config": config,
        "inputs": (
            InputTable(
                "ledger",
                LEDGER_FILE,
                LEDGER_SHEET,
                3,
                11,
                "open_items",
                {"customer_id": "客户编码", "open_minor": "余额"},
            ),
            InputTable("customers", "customers.csv", "", 1, 4),
        ),  # fmt: skip
        "input_checksums": {
            LEDGER_FILE: "9f2c5a0d3be1c1f0e3a1d2c4b5a69788f0e1d2c3b4a5968778695a4b3c2d1e0f",
            "customers.csv": "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
        },
        "open_items": items,
        "customers": custs,
        "aging_by_customer": aging_by_customer(items, custs),
        "provision": provision(items),
        "issues": issues(),
        "reconciliation": reconciliation(items),
        "summary": {
            "as_of": AS_OF.isoformat(),
            "base_currency": BASE,
            "total_open_base_minor": total,
            "overdue_base_minor": overdue,
            "overdue_share": overdue / total,
            "provision_base_minor": int(items["provision_base_minor"].sum()),
            "unapplied_credit_base_minor": 150000,
            "customers_by_grade": {g: int(n) for g, n in grades.items()},
            "customers": len(custs),
            "open_items": len(items),
            "exceptions": 1,
            "warnings": 1,
            "dso_days": 84.3,
        },
        "reconciled": True,
    }
    fields.update(changes)
    return Result(**fields)
