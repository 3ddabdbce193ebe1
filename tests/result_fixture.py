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

The collection plan (hand-picked like the rest: the renderer computes nothing, so the rows
need only be plausible, not derived by aging.plan's rules). Worklist in rank order, factor
points out of 100 adding up to the score:

| rank | customer | overdue    | days | grade         | score | next action                  |
| ---- | -------- | ---------- | ---- | ------------- | ----- | ---------------------------- |
|    1 | C-003    | 45,000,000 | 1218 | dead          |  80.4 | blocked: untraceable         |
|    2 | 00123    |  3,880,000 |  570 | bad           |  65.2 | settle / write off (phone)   |
|    3 | C-002    |  4,270,050 |  214 | doubtful      |  45.5 | lawyer's letter, in person   |
|    4 | C-004    | 17,758,500 |   30 | in_collection |  35.4 | reminder letter + call       |

  C-003: 22.2 + 14.8 + 14.8 + 7.4 + 5.0 + 1.5 + 1.8 + 0 + 0 + 12.9 = 80.4 (worsening)
  00123: 19.6 + 14.8 + 11.1 + 5.6 + 2.4 + 1.5 + 3.3 + 3.7 + 0 + 3.2 = 65.2 (habitually late)
  C-002: 19.8 + 8.7 + 7.4 + 3.7 + 0 + 3.7 + 2.2 + 0 + 0 + 0 = 45.5 (on time)
  C-004: 20.9 + 0.6 + 3.7 + 1.9 + 0 + 7.4 + 0.9 + 0 + 0 + 0 = 35.4 (little history)
Expected recovery (overdue x rate by grade): C-003 45,000,000 x 5 % = 2,250,000; C-002
2,750,000 x 90 % + 1,520,050 x 60 % = 3,387,030; C-004 17,758,500 x 90 % = 15,982,650;
00123 set to 176,000 so that its 2,000.00 lawyer's letter costs more (settle / write off).
Credit hold: C-003, 00123 (open 5,114,567 over its 5,000,000 limit), C-002. One limitation
alert, already past: INV-2023-0007, 2026-07-01, 122 days before the as-of date. Two broken
promises (00123 broken, C-002 partly kept), one visit (C-002, 35 km), and three monthly
instalments each for C-004 (17,758,500 / 3 = 5,919,500) and C-002 (4,270,050 / 3 = 1,423,350).

Payment behaviour (hand-picked, see BEHAVIOUR): 00123 habitually late (~21 days), C-002 on
time, C-003 worsening (1,218 days overdue, usually at most 60 days late), C-004 little
history. Expected payment dates (EXPECTED) and the 13-week forecast from 2026-11-01:
  week 1 (11-01..11-07): INV-2026-0120 on 11-03 17,758,500 + INV-2026-0150 on 11-06 2,750,000
    = 20,508,500 (2 items); week 3 (11-15..11-21): INV-2026-0088 on 11-20 3,000,000;
  week 5 (11-29..12-05): INV-2026-0101 on 12-05 1,234,567; the other weeks 0.
  Within 13 weeks 20,508,500 + 3,000,000 + 1,234,567 = 24,743,067; by month November
  23,508,500 (3 items), December 1,234,567, January 0.
  Not expected: overdue, beyond history 880,000 + 1,520,050 = 2,400,050 (2 items); overdue,
  dead 45,000,000; not due, after the 13 weeks (2027-02-15) 9,234,413.
  24,743,067 + 2,400,050 + 45,000,000 + 9,234,413 = 81,377,530, the whole open balance.

Portfolio views, most overdue first (written out by hand below, not computed):

| sales rep  | customers | open       | overdue    | provision  | share  |
| ---------- | --------- | ---------- | ---------- | ---------- | ------ |
| John Smith |         2 | 49,270,050 | 49,270,050 | 45,213,503 | 100 %  |
| 王磊       |         2 | 32,107,480 | 21,638,500 |  1,649,374 | 67.4 % |
  John Smith (C-002, C-003): buckets 1-30 2,750,000; 181-365 1,520,050; Over 3 y 45,000,000;
  provision 137,500 + 76,003 + 45,000,000. 王磊 (00123, C-004): open 5,114,567 + 26,992,913,
  overdue 3,880,000 + 17,758,500; Not due 1,234,567 + 9,234,413 = 10,468,980; 1-30 17,758,500;
  61-90 3,000,000; 1-2 y 880,000; provision 61,728 + 150,000 + 88,000 + 887,925 + 461,721.
Regions, one customer each: South (C-003) 45,000,000 overdue, Export (C-004) 17,758,500,
North (C-002) 4,270,050, 华东 (00123) 3,880,000.

| grade         | customers | items | open       | overdue    | provision  |
| ------------- | --------- | ----- | ---------- | ---------- | ---------- |
| not_due       |         0 |     2 | 10,468,980 |          0 |    523,449 |
| in_collection |         1 |     3 | 23,508,500 | 23,508,500 |  1,175,425 |
| doubtful      |         1 |     1 |  1,520,050 |  1,520,050 |     76,003 |
| bad           |         1 |     1 |    880,000 |    880,000 |     88,000 |
| dead          |         1 |     1 | 45,000,000 | 45,000,000 | 45,000,000 |
  in_collection open 3,000,000 + 2,750,000 + 17,758,500; not_due provision 61,728 + 461,721;
  in_collection provision 150,000 + 137,500 + 887,925. Totals 81,377,530 open, 70,908,550
  overdue, 46,862,877 provision, as above.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from aging.config import Config
from aging.i18n import Money, msg
from aging.model import (
    BEHAVIOUR_COLUMNS,
    CUSTOMER_COLUMNS,
    EXPECTED_COLUMNS,
    GRADE_DTYPE,
    GRADES,
    ISSUE_COLUMNS,
    OPEN_ITEM_COLUMNS,
    RECONCILIATION_COLUMNS,
    InputTable,
    Result,
)
from aging.plan import FACTORS
from aging.portfolio import aging_by_customer  # the real one: the renderer reads its shape

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

NAN = float("nan")
# customer: paid invoices, days to pay, days late, on-time share, trend, usual days late, state,
# reason, risk, ladder allowance (BEHAVIOUR_COLUMNS order)
BEHAVIOUR = {
    "00123": (12, 51.0, 21.0, 0.25, 2.0, 35.0, "habitually_late", "", 0.25, 21),
    "C-002": (8, 28.5, -1.5, 0.875, NAN, 3.0, "on_time", "", 0.0, 0),
    "C-003": (3, 75.0, 45.0, 0.0, NAN, 60.0, "worsening", "beyond_usual", 1.0, 0),
    "C-004": (1, 33.0, 3.0, 0.0, NAN, 35.0, "no_history", "", 0.0, 0),
}
# document: expected payment date, reason
EXPECTED = {
    "INV-2026-0101": ("2026-12-05", ""),
    "INV-2026-0088": ("2026-11-20", ""),
    "INV-2025-0412": (None, "beyond_history"),
    "INV-2026-0150": ("2026-11-06", ""),
    "INV-2026-0033": (None, "beyond_history"),
    "INV-2023-0007": (None, "dead"),
    "INV-2026-0120": ("2026-11-03", ""),
    "INV-2026-0131": ("2027-02-15", ""),
}
WEEKLY = {1: (20508500, 2), 3: (3000000, 1), 5: (1234567, 1)}  # week: (expected, items)
MONTHLY = [("2026-11-01", 23508500, 3), ("2026-12-01", 1234567, 1), ("2027-01-01", 0, 0)]
NOT_EXPECTED = [(True, "beyond_history", 2400050, 2), (True, "dead", 45000000, 1),
                (False, "later", 9234413, 1)]  # fmt: skip


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
    frame["expected_pay_date"] = frame["doc_no"].map(lambda d: _day(EXPECTED[d][0]))
    frame["expected_reason"] = frame["doc_no"].map(lambda d: EXPECTED[d][1])
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
            "expected_pay_date": "datetime64[s]",
        }
    )[[*OPEN_ITEM_COLUMNS, *EXPECTED_COLUMNS]]


def forecast() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The cash forecast as aging.behaviour lays it out (the figures above)."""
    starts = pd.date_range("2026-11-01", periods=13, freq="7D")
    weekly = pd.DataFrame(
        {
            "week": range(1, 14),
            "week_start": starts.astype("datetime64[s]"),
            "week_end": (starts + pd.Timedelta(days=6)).astype("datetime64[s]"),
            "expected_base_minor": [WEEKLY.get(w, (0, 0))[0] for w in range(1, 14)],
            "items": [WEEKLY.get(w, (0, 0))[1] for w in range(1, 14)],
        }
    ).astype({"week": "int64", "expected_base_minor": "int64", "items": "int64"})
    monthly = pd.DataFrame(MONTHLY, columns=["month", "expected_base_minor", "items"])
    monthly["month"] = pd.to_datetime(monthly["month"]).astype("datetime64[s]")
    outside = pd.DataFrame(NOT_EXPECTED, columns=["overdue", "reason", "open_base_minor", "items"])
    return weekly, monthly, outside


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
    for at, column in enumerate(BEHAVIOUR_COLUMNS):
        frame[column] = frame["customer_id"].map(lambda c, at=at: BEHAVIOUR[c][at])
    frame = frame.astype({"paid_invoices": "int64", "ladder_allowance_days": "int64"})
    frame["grade"] = frame["grade"].astype(GRADE_DTYPE)
    frame["credit_limit_base_minor"] = frame["credit_limit_base_minor"].astype("Int64")
    return frame.sort_values(
        ["overdue_base_minor", "customer_id"], ascending=[False, True]
    ).reset_index(drop=True)


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
    frame = pd.DataFrame(rows, columns=[c for c in ISSUE_COLUMNS if c != "params"])
    frame["params"] = None
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


# rank, customer, days, grade, score, factor points (FACTORS order), strategy, step, next
# action, channel, letter, next contact, window, held, blocked, cost, recovery,
# recommendation, credit hold, hold reason, broken promises, last contact, channel, outcome
# What aging.plan says, as messages (code + parameters) rendered in the run's language.
UNTRACEABLE = msg("block.untraceable")
OVER_LIMIT = msg("credit_hold.over_limit", open=Money(5114567, "", 2), limit=Money(5000000, "", 2))
LATE = msg("credit_hold.late", days=60)
WORKLIST = [
    (1, "C-003", 1218, "dead", 80.4, (22.2, 14.8, 14.8, 7.4, 5.0, 1.5, 1.8, 0.0, 0.0, 12.9),
     "hard",
     "legal", UNTRACEABLE, "", "", None, None, None, UNTRACEABLE, 562500, 2250000, "", True,
     (LATE, msg("credit_hold.grade", grade=msg("grade.dead"))), 0, None, "", ""),
    (2, "00123", 570, "bad", 65.2, (19.6, 14.8, 11.1, 5.6, 2.4, 1.5, 3.3, 3.7, 0.0, 3.2),
     "hard",
     "lawyer_letter", msg("action.settle"), "phone", "",
     "2026-11-02", msg("window.call", window="15:00-16:00"), None, None, 200000, 176000,
     "settle", True, (OVER_LIMIT, LATE, msg("credit_hold.grade", grade=msg("grade.bad"))),
     1, "2026-10-12", "phone", "no_answer"),
    (3, "C-002", 214, "doubtful", 45.5, (19.8, 8.7, 7.4, 3.7, 0.0, 3.7, 2.2, 0.0, 0.0, 0.0),
     "hard",
     "lawyer_letter", msg("action.in_person", action=msg("action.lawyer_letter")), "visit",
     "lawyer", "2026-11-04", msg("window.visit", window="09:30-11:30"),
     msg("held.contacted", date=pd.Timestamp("2026-10-28"), channel=msg("channel.phone")), None,
     44000, 3387030, "", True, (LATE,), 0, "2026-10-28", "phone", "reached"),
    (4, "C-004", 30, "in_collection", 35.4,
     (20.9, 0.6, 3.7, 1.9, 0.0, 7.4, 0.9, 0.0, 0.0, 0.0),
     "soft", "reminder_letter", msg("action.reminder_letter"), "letter", "reminder",
     "2026-11-02", msg("window.send_by"), None, None, 5000, 15982650, "", False, (), 0, None,
     "", ""),
]  # fmt: skip
CREDIT_LIMITS = {"00123": 5000000}


def _day(text: str | None):
    return pd.Timestamp(text) if text else pd.NaT


def worklist(custs: pd.DataFrame) -> pd.DataFrame:
    known = custs.set_index("customer_id")
    rows = []
    for (rank, cid, days, grade, score, points, strategy, step, action, channel, letter, when,
         window, held, blocked, cost, recovery, advice, hold, why_hold, broken, last, last_channel,
         outcome) in WORKLIST:  # fmt: skip
        name, rep, manager, region, *_ = CUSTOMERS[cid]
        row = {
            "rank": float(rank),  # as aging.plan gives it
            "customer_id": cid,
            "name": name,
            "manager": manager,
            "sales_rep": rep,
            "region": region,
            "overdue_base_minor": int(known.at[cid, "overdue_base_minor"]),
            "max_days_overdue": days,
            "grade": grade,
            "priority_score": score,
        }
        row.update({f"factor_{f}": v for f, v in zip(FACTORS, points, strict=True)})
        row.update(
            strategy=strategy,
            step=step,
            next_action=action,
            channel=channel,
            letter=letter,
            next_contact_date=_day(when),
            window=window,
            held_reason=held,
            block_reason=blocked,
            action_cost_base_minor=cost,
            expected_recovery_base_minor=recovery,
            recommendation=advice,
            credit_hold=hold,
            hold_reason=why_hold,
            broken_promises=broken,
            last_contact_date=_day(last),
            last_channel=last_channel,
            last_outcome=outcome,
        )
        row.update(zip(BEHAVIOUR_COLUMNS, BEHAVIOUR[cid], strict=True))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("next_contact_date", "last_contact_date"):
        frame[column] = frame[column].astype("datetime64[s]")
    return frame.astype({"grade": GRADE_DTYPE, "credit_hold": bool})


def credit_hold(plan: pd.DataFrame, custs: pd.DataFrame) -> pd.DataFrame:
    held = plan[plan["credit_hold"]]
    opened = custs.set_index("customer_id")["open_base_minor"]
    frame = pd.DataFrame(
        {
            "customer_id": held["customer_id"],
            "name": held["name"],
            "manager": held["manager"],
            "sales_rep": held["sales_rep"],
            "overdue_base_minor": held["overdue_base_minor"],
            "open_base_minor": held["customer_id"].map(opened),
            "credit_limit_base_minor": held["customer_id"].map(CREDIT_LIMITS),
            "hold_reason": held["hold_reason"],
        }
    ).reset_index(drop=True)
    return frame.astype({"open_base_minor": "int64", "credit_limit_base_minor": "Int64"})


def limitation_alerts(items: pd.DataFrame) -> pd.DataFrame:
    past = items[items["doc_no"] == "INV-2023-0007"]
    frame = pd.DataFrame(
        {
            "customer_id": past["customer_id"],
            "customer_name": past["customer_name"],
            "doc_no": past["doc_no"],
            "due_date": past["due_date"],
            "open_base_minor": past["open_base_minor"],
            "limitation_date": past["limitation_date"],
            "days_left": (past["limitation_date"] - pd.Timestamp(AS_OF)).dt.days,  # -122
            "action": msg("limitation.past"),
        }
    ).reset_index(drop=True)
    return frame.astype({"days_left": "int64"})


def broken_promises() -> pd.DataFrame:
    rows = [
        ("00123", "2026-09-20", "2026-09-30", 1000000, 0, "broken", "王磊", "答应9月底前付一万元"),
        ("C-002", "2026-08-14", "2026-08-31", 2000000, 500000, "partly_kept", "John Smith",
         "+86 21 5555 0123: half now, half after their audit"),
    ]  # fmt: skip
    columns = ["customer_id", "contact_date", "promise_date", "promise_minor", "received_minor",
               "verdict", "by", "note"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("contact_date", "promise_date"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return frame


def visit_routes(plan: pd.DataFrame) -> pd.DataFrame:
    visit = plan[plan["channel"] == "visit"].reset_index(drop=True)
    return pd.DataFrame(
        {
            "route": msg("route.trip", region="North", n="1"),
            "stop": 1,
            "region": visit["region"],
            "customer_id": visit["customer_id"],
            "name": visit["name"],
            "distance_km": 35.0,
            "overdue_base_minor": visit["overdue_base_minor"],
            "next_contact_date": visit["next_contact_date"],
        }
    )


def instalments(plan: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for cid in ("C-004", "C-002"):
        mine = plan[plan["customer_id"] == cid].iloc[0]
        share, rest = divmod(int(mine["overdue_base_minor"]), 3)
        for month, due in enumerate(("2026-11-30", "2026-12-31", "2027-01-31"), start=1):
            rows.append((cid, mine["name"], month, pd.Timestamp(due),
                         share + (rest if month == 1 else 0)))  # fmt: skip
    columns = ["customer_id", "name", "instalment", "due_date", "amount_base_minor"]
    return pd.DataFrame(rows, columns=columns).astype({"due_date": "datetime64[s]"})


# key, customers, open, overdue, provision, buckets (BUCKETS order)
BY_REP = [
    ("John Smith", 2, 49270050, 49270050, 45213503, (0, 2750000, 0, 0, 0, 1520050, 0, 0,
                                                     45000000)),
    ("王磊", 2, 32107480, 21638500, 1649374, (10468980, 17758500, 0, 3000000, 0, 0, 880000, 0,
                                             0)),
]  # fmt: skip
BY_REGION = [
    ("South", 1, 45000000, 45000000, 45000000, (0, 0, 0, 0, 0, 0, 0, 0, 45000000)),
    ("Export", 1, 26992913, 17758500, 1349646, (9234413, 17758500, 0, 0, 0, 0, 0, 0, 0)),
    ("North", 1, 4270050, 4270050, 213503, (0, 2750000, 0, 0, 0, 1520050, 0, 0, 0)),
    ("华东", 1, 5114567, 3880000, 299728, (1234567, 0, 0, 3000000, 0, 0, 880000, 0, 0)),
]  # fmt: skip
# grade, customers, items, open, overdue, provision
RISK_GRADES = [
    ("not_due", 0, 2, 10468980, 0, 523449),
    ("in_collection", 1, 3, 23508500, 23508500, 1175425),
    ("doubtful", 1, 1, 1520050, 1520050, 76003),
    ("bad", 1, 1, 880000, 880000, 88000),
    ("dead", 1, 1, 45000000, 45000000, 45000000),
]


def portfolio(key: str, rows) -> pd.DataFrame:
    """By sales rep or region, as aging.portfolio.portfolio_by lays it out."""
    frame = pd.DataFrame(
        [(k, n, o, d, p, *buckets) for k, n, o, d, p, buckets in rows],
        columns=[key, "customers", "open_base_minor", "overdue_base_minor",
                 "provision_base_minor", *BUCKETS],
    )  # fmt: skip
    frame["overdue_share"] = frame["overdue_base_minor"] / frame["open_base_minor"]
    return frame.astype({c: "int64" for c in frame.columns[1:-1]})


def risk_grades() -> pd.DataFrame:
    frame = pd.DataFrame(RISK_GRADES, columns=["grade", "customers", "items", "open_base_minor",
                                               "overdue_base_minor", "provision_base_minor"])  # fmt: skip
    frame["share_of_open"] = frame["open_base_minor"] / sum(r[3] for r in RISK_GRADES)
    return frame.astype({"grade": GRADE_DTYPE})


def make_result(lang: str = "en", **changes) -> Result:
    """The fixture result; `changes` replace fields (e.g. reconciled=False)."""
    config = Config.model_validate({"output": {"lang": lang}})
    items = open_items()
    custs = customers(items)
    total = int(items["open_base_minor"].sum())
    overdue = int(items.loc[items["days_overdue"] >= 1, "open_base_minor"].sum())
    grades = custs["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    plan = worklist(custs)
    weekly, monthly, outside = forecast()
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
        "cash_forecast": weekly,
        "cash_forecast_months": monthly,
        "cash_not_expected": outside,
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
        "worklist": plan,
        "credit_hold": credit_hold(plan, custs),
        "limitation_alerts": limitation_alerts(items),
        "broken_promises": broken_promises(),
        "visit_routes": visit_routes(plan),
        "instalments": instalments(plan),
        "by_rep": portfolio("sales_rep", BY_REP),
        "by_region": portfolio("region", BY_REGION),
        "risk_grades": risk_grades(),
    }
    fields.update(changes)
    return Result(**fields)
