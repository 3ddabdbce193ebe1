"""Payment behaviour (aging.behaviour): when each invoice's last cent was paid, how each customer
pays, expected payment dates learned only from the past, the priority factor and the ladder,
and the 13-week cash forecast. Figures are worked out by hand in the comments."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import run_on, write_csv
from hypothesis import given, settings
from hypothesis import strategies as st
from result_fixture import make_result

from aging.behaviour import customer_profile, expected_dates, forecast
from aging.config import Config
from aging.outputs import cash_forecast_frame, customers_frame, open_items_frame
from aging.render_close import write_close_workbook
from aging.settle import settle

AS_OF = pd.Timestamp("2026-10-31")


def ledger(rows: list[tuple]) -> pd.DataFrame:
    """(customer, doc_no, type, doc date, due date, signed minor, applies_to) -> settle's input."""
    frame = pd.DataFrame(
        rows,
        columns=["customer_id", "doc_no", "doc_type", "doc_date", "due_eff", "balance_minor",
                 "applies_to"],
    )  # fmt: skip
    frame["currency"] = "CNY"
    frame["src_row"] = range(2, len(frame) + 2)
    frame["src_file"], frame["src_sheet"] = "f.csv", ""
    for column in ("doc_date", "due_eff"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
    return frame


# --- settle: the date of the last cent --------------------------------------------------------


def test_paid_date_is_the_date_of_the_last_cent():
    # I1 1,000.00 due 02-09, I2 500.00 due 03-12, I3 300.00 due 03-31. The credit note C1
    # names I2 and applies first (200.00 -> I2 open 300.00). Then oldest-due first:
    # R1 600.00 (02-20) -> I1 open 400.00; R2 700.00 (03-05) -> I1's last 400.00 (paid 03-05),
    # then I2's last 300.00: I2 settled by R2 and C1, the later of them 03-20.
    # I3 stays open: no paid date.
    frame = ledger(
        [
            ("A", "I1", "invoice", "2026-01-10", "2026-02-09", 100000, ""),
            ("A", "I2", "invoice", "2026-02-10", "2026-03-12", 50000, ""),
            ("A", "I3", "invoice", "2026-03-01", "2026-03-31", 30000, ""),
            ("A", "R1", "receipt", "2026-02-20", None, -60000, ""),
            ("A", "R2", "receipt", "2026-03-05", None, -70000, ""),
            ("A", "C1", "credit_note", "2026-03-20", None, -20000, "I2"),
        ]
    )
    debits = settle(frame, fifo=True).debits.set_index("doc_no")
    assert debits["open_minor"].to_dict() == {"I1": 0, "I2": 0, "I3": 30000}
    assert debits.loc["I1", "paid_date"] == pd.Timestamp("2026-03-05")
    assert debits.loc["I2", "paid_date"] == pd.Timestamp("2026-03-20")
    assert debits.loc["I2", "last_receipt_date"] == pd.Timestamp("2026-03-05")  # unchanged
    assert pd.isna(debits.loc["I3", "paid_date"])


def test_a_register_payment_without_a_settled_date_teaches_no_date():
    # A register row with a paid amount and no settled date becomes a receipt dated at the
    # invoice date (aging.normalise); when it was paid is unknown, so no paid date.
    frame = ledger(
        [
            ("B", "V1", "invoice", "2026-05-01", "2026-05-31", 10000, ""),
            ("B", "V1/paid", "receipt", "2026-05-01", None, -10000, "V1"),
            ("B", "V2", "invoice", "2026-06-01", "2026-07-01", 20000, ""),
            ("B", "V2/paid", "receipt", "2026-07-09", None, -20000, "V2"),
        ]
    )
    frame["synthetic"] = [False, True, False, True]
    frame["settled_date"] = pd.to_datetime([None, None, None, "2026-07-09"]).astype("datetime64[s]")
    debits = settle(frame, fifo=True).debits.set_index("doc_no")
    assert debits["open_minor"].to_dict() == {"V1": 0, "V2": 0}
    assert pd.isna(debits.loc["V1", "paid_date"])
    assert debits.loc["V2", "paid_date"] == pd.Timestamp("2026-07-09")


unnamed = st.lists(
    st.tuples(st.booleans(), st.integers(1, 10**6), st.integers(0, 400)), min_size=1, max_size=30
)


@settings(max_examples=150, deadline=None)
@given(unnamed)
def test_paid_date_matches_a_cent_by_cent_walk(docs):
    """Receipts naming nothing, oldest due first: a paid date is the date of the receipt that
    paid the invoice's last cent (receipts in date order), NaT while open."""
    start = pd.Timestamp("2026-01-01")
    rows = []
    for at, (debit, minor, day) in enumerate(docs):
        when = (start + pd.Timedelta(days=day)).date().isoformat()
        due = (start + pd.Timedelta(days=day + 30)).date().isoformat()
        kind = "invoice" if debit else "receipt"
        rows.append(("A", f"D{at}", kind, when, due, minor if debit else -minor, ""))
    frame = ledger(rows)
    got = settle(frame, fifo=True).debits.set_index("doc_no")["paid_date"]
    # The walk: invoices by (due, doc date, doc no, row), receipts by (date, row).
    invoices = frame[frame["balance_minor"] > 0].sort_values(
        ["due_eff", "doc_date", "doc_no", "src_row"], kind="stable"
    )
    receipts = frame[frame["balance_minor"] < 0].sort_values(["doc_date", "src_row"])
    pool = [[-m, d] for m, d in zip(receipts["balance_minor"], receipts["doc_date"], strict=True)]
    for doc_no, owed in zip(invoices["doc_no"], invoices["balance_minor"], strict=True):
        last = None
        while owed and pool:
            take = min(owed, pool[0][0])
            owed, pool[0][0], last = owed - take, pool[0][0] - take, pool[0][1]
            if not pool[0][0]:
                pool.pop(0)
        want = last if owed == 0 else None
        assert (pd.isna(got[doc_no]) and want is None) or got[doc_no] == want


# --- behaviour per customer -------------------------------------------------------------------


def paid_rows(customer: str, rows: list[tuple]) -> pd.DataFrame:
    """(doc date, due date, paid date, amount) -> aging.behaviour.paid_history's shape."""
    frame = pd.DataFrame(rows, columns=["doc_date", "due_date", "paid_date", "weight"])
    for column in ("doc_date", "due_date", "paid_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame.insert(0, "customer_id", customer)
    frame["days_to_pay"] = (frame["paid_date"] - frame["doc_date"]).dt.days
    frame["days_late"] = (frame["paid_date"] - frame["due_date"]).dt.days
    frame["weight"] = frame["weight"].astype(float)
    frame["disputed"] = False
    return frame


def overdue(customer: str, days: int) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [customer], "due_date": [AS_OF - pd.Timedelta(days=days)]})


def test_profile_averages_are_amount_weighted():
    # P paid three invoices (amount, days to pay, days late): 1,000 40 +10; 3,000 30 0;
    # 1,000 50 +20. Days to pay (40x1000 + 30x3000 + 50x1000) / 5000 = 36.0; days late
    # (10x1000 + 0 + 20x1000) / 5000 = 6.0; on time 1 of 3; 90th percentile of days late
    # [0, 10, 20] (linear) = 18. Its oldest item is 50 days overdue: 50 - 18 = 32 >= 30 days
    # past what it usually does -> worsening; risk 0.5 + (32 / 30) / 4 = 0.767.
    paid = paid_rows(
        "P",
        [
            ("2026-01-01", "2026-01-31", "2026-02-10", 1000),
            ("2026-02-01", "2026-03-03", "2026-03-03", 3000),
            ("2026-03-01", "2026-03-31", "2026-04-20", 1000),
        ],
    )
    rules = Config().behaviour
    got = customer_profile(paid, overdue("P", 50), pd.Series(["P"]), AS_OF, rules).iloc[0]
    assert got["paid_invoices"] == 3
    assert got["avg_days_to_pay"] == pytest.approx(36.0)
    assert got["avg_days_late"] == pytest.approx(6.0)
    assert got["on_time_share"] == pytest.approx(1 / 3)
    assert got["usual_days_late"] == pytest.approx(18.0)
    assert pd.isna(got["trend_days"])  # nothing paid in the last three months
    assert (got["behaviour"], got["behaviour_reason"]) == ("worsening", "beyond_usual")
    assert got["behaviour_risk"] == pytest.approx(0.5 + 32 / 30 / 4)
    assert got["ladder_allowance_days"] == 0
    # 45 days overdue is 27 past 18: not yet worsening; 6 days late on average is on time.
    calm = customer_profile(paid, overdue("P", 45), pd.Series(["P"]), AS_OF, rules).iloc[0]
    assert (calm["behaviour"], calm["behaviour_risk"]) == ("on_time", 0.0)


def test_trend_compares_the_last_three_months_with_the_twelve_before():
    # Paid 2026-03 (12 months before the last three): +5 and +5 days, 100 each -> 5.0.
    # Paid in the last three months (after 2026-07-31): +25 (100) and +35 (300)
    # -> (2,500 + 10,500) / 400 = 32.5. Trend +27.5 >= 15: worsening by its trend;
    # risk 0.5 + (27.5 / 15) / 4 = 0.958.
    paid = paid_rows(
        "T",
        [
            ("2026-02-01", "2026-03-01", "2026-03-06", 100),
            ("2026-02-05", "2026-03-05", "2026-03-10", 100),
            ("2026-07-01", "2026-08-01", "2026-08-26", 100),
            ("2026-08-01", "2026-09-01", "2026-10-06", 300),
        ],
    )
    got = customer_profile(paid, overdue("T", 5), pd.Series(["T"]), AS_OF, Config().behaviour)
    row = got.iloc[0]
    assert row["trend_days"] == pytest.approx(27.5)
    assert (row["behaviour"], row["behaviour_reason"]) == ("worsening", "trend")
    assert row["behaviour_risk"] == pytest.approx(0.5 + 27.5 / 15 / 4)


def test_a_reliably_late_payer_gets_a_ladder_allowance():
    # H paid four invoices 20 days late each: habitually late (20 >= 7), usually 20 late at
    # most; 35 days overdue now is 15 past that (< 30): still its habit. Allowance 20 days
    # (under the 30-day cap); risk 0.25.
    paid = paid_rows(
        "H",
        [(f"2026-0{m}-01", f"2026-0{m}-05", f"2026-0{m}-25", 500) for m in range(2, 6)],
    )
    got = customer_profile(paid, overdue("H", 35), pd.Series(["H"]), AS_OF, Config().behaviour)
    row = got.iloc[0]
    assert (row["behaviour"], row["behaviour_risk"], row["ladder_allowance_days"]) == (
        "habitually_late",
        0.25,
        20,
    )
    assert row["on_time_share"] == 0.0


# --- expected payment dates -------------------------------------------------------------------


def test_expected_dates_by_hand():
    # X paid six invoices, late -2, 0, 1, 3, 5, 11 days, all a week before the as-of date
    # (equal weights); no blending (shrink 0): delay = 18 / 6 = 3.0. What is left:
    # -5, -3, -2, 0, 2, 8; spread = mean absolute = 20 / 6 = 3.333; standardised
    # -1.5, -0.9, -0.6, 0, 0.6, 2.4.
    # N: due in 10 days: every deviation is later than -13 / 3.333; median of all six
    #    (-0.6 + 0) / 2 = -0.3 -> 3 - 1.0 = 2 days late: due + 2.
    # M: 2 days overdue: deviations above (2 - 3) / 3.333 = -0.3 are 0, 0.6, 2.4; median 0.6
    #    -> 3 + 2 = 5 days late: due + 5 (3 days after the as-of date).
    # L: 4 days overdue: above 0.3 only 0.6 and 2.4; fewer than min_later_paid = 3: no date.
    paid_on = (AS_OF - pd.Timedelta(days=7)).date().isoformat()
    due = [(AS_OF - pd.Timedelta(days=7 + late)).date().isoformat() for late in
           (-2, 0, 1, 3, 5, 11)]  # fmt: skip
    paid = paid_rows("X", [("2026-01-01", d, paid_on, 100) for d in due])
    items = pd.DataFrame(
        {
            "customer_id": "X",
            "doc_no": ["N", "M", "L"],
            "due_date": [AS_OF + pd.Timedelta(days=d) for d in (10, -2, -4)],
            "amount_minor": 100,
            "currency": "CNY",
            "grade": ["not_due", "in_collection", "in_collection"],
            "days_overdue": [-10, 2, 4],
            "open_base_minor": 100,
        }
    )
    rules = Config().behaviour.model_copy(
        update={"shrink_invoices": 0.0, "half_life_days": 10**6, "min_later_paid": 3}
    )
    facts = pd.DataFrame({"status": ["active"], "behaviour_reason": [""]}, index=["X"])
    got = expected_dates(paid, items, pd.Series(False, index=items.index), facts, None,
                         pd.DataFrame(columns=["customer_id", "contact_date", "src_row",
                                               "outcome", "doc_no"]),
                         AS_OF, lambda m, c: m.astype(float), rules)  # fmt: skip
    got = got.set_index("doc_no")
    assert got.loc["N", "expected_pay_date"] == AS_OF + pd.Timedelta(days=12)
    assert got.loc["M", "expected_pay_date"] == AS_OF + pd.Timedelta(days=3)
    assert pd.isna(got.loc["L", "expected_pay_date"])
    assert got["expected_reason"].tolist() == ["", "", "beyond_history"]


REGISTER = "客户编码,客户名称,发票号,开票日期,到期日,发票金额,已收金额,结清日期"


def register(path, future: dict[str, str]) -> object:
    """Two customers, eight invoices paid before 2026-10-31; K05, K06 and Q03 settled after it,
    on the dates given (the export says when; the as-of date must hide it)."""
    lines = [REGISTER]
    for n, (doc, due, paid) in enumerate(
        [
            ("2026-03-01", "2026-03-31", "2026-04-08"),
            ("2026-04-01", "2026-05-01", "2026-05-12"),
            ("2026-05-01", "2026-05-31", "2026-06-06"),
            ("2026-06-01", "2026-07-01", "2026-07-10"),
        ],
        start=1,
    ):
        lines.append(f"K,Kilo Co,K0{n},{doc},{due},1000.00,1000.00,{paid}")
    lines += [
        f"K,Kilo Co,K05,2026-09-01,2026-10-01,2000.00,2000.00,{future['K05']}",
        f"K,Kilo Co,K06,2026-10-05,2026-11-04,3000.00,3000.00,{future['K06']}",
        "Q,Quebec Co,Q01,2026-06-01,2026-07-01,500.00,500.00,2026-06-28",
        "Q,Quebec Co,Q02,2026-07-01,2026-07-31,500.00,500.00,2026-07-30",
        f"Q,Quebec Co,Q03,2026-10-01,2026-10-31,800.00,800.00,{future['Q03']}",
    ]
    return write_csv(path, lines)


def test_no_payment_after_the_as_of_date_leaks_into_the_expected_dates(tmp_path):
    """The register says when K05, K06 and Q03 were settled, after the as-of date. Move those
    dates by months: nothing the run learns or expects may change. (A leak would show: K05
    paid on 2026-11-03 would teach K a 33-day delay and move every K date.)"""
    early = {"K05": "2026-11-03", "K06": "2026-11-05", "Q03": "2026-11-01"}
    late = {"K05": "2027-03-30", "K06": "2027-06-01", "Q03": "2027-02-15"}
    one = run_on(register(tmp_path / "a.csv", early), as_of=date(2026, 10, 31))
    two = run_on(register(tmp_path / "b.csv", late), as_of=date(2026, 10, 31))
    columns = ["doc_no", "expected_pay_date", "expected_reason"]
    assert one.open_items[columns].equals(two.open_items[columns])
    assert sorted(one.open_items["doc_no"]) == ["K05", "K06", "Q03"]
    learned = ["customer_id", "paid_invoices", "avg_days_late", "behaviour"]
    assert one.customers[learned].equals(two.customers[learned])
    # K learned from K01-K04 only: late 8, 11, 6, 9 days, 1,000.00 each -> 8.5.
    k = one.customers.set_index("customer_id").loc["K"]
    assert (k["paid_invoices"], k["avg_days_late"]) == (4, 8.5)
    dated = one.open_items["expected_pay_date"].notna()
    assert dated.any()
    assert (one.open_items.loc[dated, "expected_pay_date"] > AS_OF).all()  # unpaid: later
    # Six invoices paid in all: an item later than all but five of them gets no date.
    assert one.open_items.loc[~dated, "expected_reason"].eq("beyond_history").all()


# --- the priority factor and the ladder -------------------------------------------------------

HEADER = "Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount,Applies To"


def two_customers(tmp_path):
    """LAPS paid six invoices on their due dates, then stopped: its oldest item is 45 days
    overdue. LATE pays 40 days late, always (six paid, each 40 days after due); its oldest is
    60 days overdue. Same amounts, same master facts."""
    rows = [HEADER]
    for n in range(6):
        due = date(2026, 1, 31) + timedelta(days=30 * n)
        doc = due - timedelta(days=30)
        rows.append(f"LAPS,Lapsed Co,Invoice,L{n},{doc},{due},10000.00,")
        rows.append(f"LAPS,Lapsed Co,Receipt,LR{n},{due},,10000.00,L{n}")
        rows.append(f"LATE,Late Co,Invoice,T{n},{doc},{due},10000.00,")
        paid = due + timedelta(days=40)
        rows.append(f"LATE,Late Co,Receipt,TR{n},{paid},,10000.00,T{n}")
    rows.append("LAPS,Lapsed Co,Invoice,L9,2026-08-17,2026-09-16,30000.00,")  # 45 days
    rows.append("LATE,Late Co,Invoice,T9,2026-08-02,2026-09-01,30000.00,")  # 60 days
    master = [
        "Customer ID,Name,Manager,Distance km,Credit Rating,Financial Strength,Cooperation",
        "LAPS,Lapsed Co,Wang,300,B,medium,cooperative",
        "LATE,Late Co,Wang,300,B,medium,cooperative",
    ]
    return write_csv(tmp_path / "ledger.csv", rows), write_csv(tmp_path / "m.csv", master)


def test_a_customer_that_stopped_paying_ranks_above_a_reliably_late_one(tmp_path):
    ledger_path, master = two_customers(tmp_path)
    result = run_on(ledger_path, as_of=date(2026, 10, 31), customers=[master])
    plan = result.worklist.set_index("customer_id")
    # LAPS: 45 days overdue, usually 0 late -> worsening; LATE: 40 late on average and at
    # most, 60 overdue is 20 past it -> habitually late, 30 days' allowance (40 capped).
    assert plan.loc["LAPS", "behaviour"] == "worsening"
    assert plan.loc["LATE", "behaviour"] == "habitually_late"
    assert (plan.loc["LAPS", "rank"], plan.loc["LATE", "rank"]) == (1, 2)
    # Points out of 100 with the default weights (sum 15.5): LAPS is 45 days past its usual 0,
    # risk 0.5 + (45 / 30) / 4 = 0.875 -> 0.875 x 2 / 15.5 x 100 = 11.3; habitually late
    # 0.25 x 2 / 15.5 x 100 = 3.2.
    assert plan.loc["LAPS", "factor_behaviour"] == 11.3
    assert plan.loc["LATE", "factor_behaviour"] == 3.2
    # The ladder: LAPS at 45 days is on the reminder-letter step (16-45) and hard at once;
    # LATE at 60 days would get the credit-warning letter (46-90), but 60 - 30 = 30 days
    # keeps it on the reminder letter, soft.
    assert (plan.loc["LAPS", "step"], plan.loc["LAPS", "strategy"]) == ("reminder_letter", "hard")
    assert (plan.loc["LATE", "step"], plan.loc["LATE", "strategy"]) == ("reminder_letter", "soft")
    # Without the behaviour factor the older debt came first.
    old = run_on(
        ledger_path,
        as_of=date(2026, 10, 31),
        customers=[master],
        overrides={"plan.weights": {**Config().plan.weights, "behaviour": 0.0}},
    )
    assert old.worklist["customer_id"].tolist()[:2] == ["LATE", "LAPS"]


def test_the_why_column_names_the_behaviour(tmp_path):
    ledger_path, master = two_customers(tmp_path)
    result = run_on(ledger_path, as_of=date(2026, 10, 31), customers=[master])
    book = openpyxl.load_workbook(write_close_workbook(result, tmp_path))
    ws = book["Worklist"]
    why = {ws.cell(r, 2).value: ws.cell(r, 10).value for r in range(5, 7)}
    assert "Worsening 11.3" in why["LAPS"]
    assert "Worsening" not in why["LATE"]
    detail = book["Why this rank"]
    texts = [detail.cell(r, 18).value for r in (6, 7)]
    assert texts[0] == "Worsening: 45 days overdue; usually at most 0 days late"
    assert texts[1] == "Habitually late: pays ~40 days late, 6 invoices"


# --- the cash forecast ------------------------------------------------------------------------


def forecast_items(rows: list[tuple]) -> pd.DataFrame:
    """(days after the as-of date or None, open minor, days overdue, reason)."""
    return pd.DataFrame(
        {
            "expected_pay_date": [
                AS_OF + pd.Timedelta(days=d) if d is not None else pd.NaT for d, *_ in rows
            ],
            "open_base_minor": [m for _, m, _, _ in rows],
            "days_overdue": [o for _, _, o, _ in rows],
            "expected_reason": [r for *_, r in rows],
        }
    )


def test_forecast_week_and_month_boundaries():
    # Weeks run from the day after the as-of date: week 1 is 11-01..11-07, week 13
    # 01-24..01-30 (as-of + 85..91). As-of + 7 -> week 1; + 8 -> week 2; + 91 -> week 13;
    # + 92 is after the forecast. November: 100 + 200 = 300; January: 400.
    items = forecast_items(
        [
            (7, 100, 5, ""),
            (8, 200, -3, ""),
            (91, 400, -60, ""),
            (92, 800, -60, ""),
            (None, 1600, 400, "beyond_history"),
            (None, 3200, 900, "dead"),
        ]
    )
    weeks, months, outside = forecast(items, AS_OF, 13)
    assert weeks["week_start"].iloc[0] == pd.Timestamp("2026-11-01")
    assert weeks["week_end"].iloc[12] == pd.Timestamp("2027-01-30")
    assert weeks["expected_base_minor"].tolist() == [100, 200] + [0] * 10 + [400]
    assert months.set_index("month")["expected_base_minor"].to_dict() == {
        pd.Timestamp("2026-11-01"): 300,
        pd.Timestamp("2026-12-01"): 0,
        pd.Timestamp("2027-01-01"): 400,
    }
    assert outside.values.tolist() == [
        [True, "dead", 3200, 1],
        [True, "beyond_history", 1600, 1],
        [False, "later", 800, 1],
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(1, 200)),
            st.integers(1, 10**9),
            st.integers(-90, 900),
            st.sampled_from(["", "dead", "lawsuit", "beyond_history"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_forecast_adds_up_to_the_open_items(rows):
    items = forecast_items(rows)
    weeks, months, outside = forecast(items, AS_OF, 13)
    inside = sum(m for d, m, _, _ in rows if d is not None and d <= 91)
    assert (
        int(weeks["expected_base_minor"].sum())
        == inside
        == int(months["expected_base_minor"].sum())
    )
    assert inside + int(outside["open_base_minor"].sum()) == sum(m for _, m, _, _ in rows)
    assert int(weeks["items"].sum()) + int(outside["items"].sum()) == len(rows)


def test_the_sample_forecast_adds_up(tmp_path):
    from conftest import ROOT

    sample = ROOT / "sample_data"
    result = run_on(sample / "ar_ledger_2026-10.xlsx", fx=[sample / "fx_rates.csv"])
    items = result.open_items
    horizon = pd.Timestamp(result.as_of) + pd.Timedelta(days=91)
    within = items[items["expected_pay_date"].notna() & (items["expected_pay_date"] <= horizon)]
    weeks = result.cash_forecast
    assert len(weeks) == 13
    assert int(weeks["expected_base_minor"].sum()) == int(within["open_base_minor"].sum()) > 0
    rest = int(result.cash_not_expected["open_base_minor"].sum())
    assert int(weeks["expected_base_minor"].sum()) + rest == int(items["open_base_minor"].sum())
    # Dead items get no date and say so.
    dead = items[items["grade"].astype(str).eq("dead")]
    assert dead["expected_pay_date"].isna().all() and dead["expected_reason"].eq("dead").all()


# --- outputs ----------------------------------------------------------------------------------


def test_data_exports_carry_the_forecast_and_the_behaviour():
    result = make_result()
    weeks = cash_forecast_frame(result)
    assert weeks.columns.tolist() == ["week_start", "expected_amount"]
    assert len(weeks) == 13
    # Week 1: 17,758,500 + 2,750,000 fen = 205,085.00; week 3 30,000.00; week 5 12,345.67.
    assert weeks.iloc[0].tolist() == ["2026-11-01", "205085.00"]
    assert weeks.iloc[2].tolist() == ["2026-11-15", "30000.00"]
    assert weeks.iloc[4].tolist() == ["2026-11-29", "12345.67"]
    assert sum(float(v) for v in weeks["expected_amount"]) == pytest.approx(247430.67)
    items = open_items_frame(result).set_index("doc_no")
    assert items.loc["INV-2026-0120", "expected_pay_date"] == "2026-11-03"
    assert items.loc["INV-2023-0007", "expected_pay_date"] == ""  # dead: none
    customers = customers_frame(result).set_index("customer_id")
    assert customers.loc["00123", ["avg_days_to_pay", "avg_days_late", "on_time_share",
                                   "paid_invoices"]].tolist() == ["51.0", "21.0", "0.250", 12]  # fmt: skip


def test_forecast_sheet_adds_up(tmp_path):
    path = write_close_workbook(make_result(), tmp_path)
    book = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)["Forecast"]
    ws = book["Forecast"]
    assert ws["A1"].value == "Forecast · As of 2026-10-31"
    start = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Expected within 13 weeks")
    header, first = start + 1, start + 2
    assert [c.value for c in ws[header]][:5] == ["Week", "From", "To", "Items", "Expected (CNY)"]
    rows = [[c.value for c in ws[r]][:5] for r in range(first, first + 13)]
    assert rows[0][1].date() == date(2026, 11, 1) and rows[12][2].date() == date(2027, 1, 30)
    assert [r[4] for r in rows] == [205085.0, 0, 30000.0, 0, 12345.67] + [0] * 8
    total = first + 13
    assert ws.cell(total, 5).value == f"=SUBTOTAL(109,E{first}:E{total - 1})"
    assert values.cell(total, 5).value == pytest.approx(247430.67)  # the open items within
    texts = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    months = texts.index("By month of the expected date") + 3
    assert [values.cell(months + i, 3).value for i in range(3)] == [235085.0, 12345.67, 0]
    outside = texts.index("Not expected within 13 weeks") + 3
    assert [ws.cell(outside + i, 2).value for i in range(3)] == [
        "Later than almost every invoice paid here: no date",
        "Dead: no payment expected",
        "Expected after the last week",
    ]
    assert values.cell(outside + 3, 4).value == pytest.approx(24000.50 + 450000 + 92344.13)
    # One chart: a blue bar a week and the overdue amount not expected (24,000.50 + 450,000)
    # as a red bar of its own.
    with __import__("zipfile").ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = [archive.read(n).decode() for n in charts]
    forecast_chart = next(x for x in xml if "Expected cash in by week" in x)
    assert forecast_chart.count("<c:ser>") == 2
    assert "C0504D" in forecast_chart and "<c:v>474000.5</c:v>" in forecast_chart


def test_open_items_csv_dates_come_after_the_as_of(tmp_path):
    from conftest import ROOT

    sample = ROOT / "sample_data"
    result = run_on(sample / "ar_ledger_2026-10.xlsx", fx=[sample / "fx_rates.csv"])
    frame = open_items_frame(result)
    dated = frame[frame["expected_pay_date"].ne("")]
    assert (dated["expected_pay_date"] > "2026-10-31").all()
    assert len(dated) > 0
    path = tmp_path / "open.csv"
    frame.to_csv(path, index=False)
    with path.open(encoding="utf-8") as handle:
        assert "expected_pay_date" in next(csv.reader(handle))
    assert np.isfinite(result.customers["behaviour_risk"]).all()
