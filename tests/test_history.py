"""History (issue #13): month-end figures, roll rates, the provision matrix and the changes,
against hand-computed cases; the one-pass rebuild against the per-month loop.

The hand ledger (CNY, as of 2026-03-31, `history.months` 4: month-ends 2025-12-31,
2026-01-31, 2026-02-28, 2026-03-31; the export's first month is 2025-11):

| customer | doc  | type    | date       | due        | amount   | names |
| -------- | ---- | ------- | ---------- | ---------- | -------- | ----- |
| A        | A1   | invoice | 2025-11-10 | 2025-12-10 | 1,000.00 |       |
| A        | AR1  | receipt | 2026-01-15 |            |   400.00 | A1    |  partial, across Jan-end
| A        | AR2  | receipt | 2026-03-05 |            |   600.00 | A1    |  A pays in full
| B        | B1   | invoice | 2025-12-05 | 2026-01-04 | 2,000.00 |       |
| B        | B2   | invoice | 2026-01-20 | 2026-02-19 |   500.00 |       |
| B        | BR1  | receipt | 2026-02-10 |            | 1,200.00 |       |  oldest first: B1
| C        | C1   | invoice | 2026-03-15 | 2026-04-14 |   300.00 |       |

Sales: Nov 1,000; Dec 2,000; Jan 500; Feb none (the month with no sales); Mar 300.
Receipts: Jan 400; Feb 1,200; Mar 600.

Open at each month-end (days overdue -> bucket):
  Dec-31: A1 1,000 (21 -> 1-30), B1 2,000 (-4 -> not due)            open 3,000 overdue 1,000
  Jan-31: A1 600 (52 -> 31-60), B1 2,000 (27 -> 1-30), B2 500 (-19)  open 3,100 overdue 2,600
  Feb-28: A1 600 (80 -> 61-90), B1 800 (55 -> 31-60), B2 500 (9)     open 1,900 overdue 1,900
  Mar-31: B1 800 (86 -> 61-90), B2 500 (40 -> 31-60), C1 300 (-14)   open 1,600 overdue 1,300
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from conftest import ROOT, run_on, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aging.config import load_config
from aging.history import changes as change_list
from aging.history import figures, matrix, rebuild
from aging.outputs import history_monthly_frame, roll_rates_frame

HEADER = "Cust No,Client Name,Type,Invoice No,Invoice Date,Due Date,Amount,Applies To,Currency"
HAND = [
    HEADER,
    "A,Alpha,Invoice,A1,2025-11-10,2025-12-10,1000.00,,CNY",
    "A,Alpha,Receipt,AR1,2026-01-15,,400.00,A1,CNY",
    "A,Alpha,Receipt,AR2,2026-03-05,,600.00,A1,CNY",
    "B,Beta,Invoice,B1,2025-12-05,2026-01-04,2000.00,,CNY",
    "B,Beta,Invoice,B2,2026-01-20,2026-02-19,500.00,,CNY",
    "B,Beta,Receipt,BR1,2026-02-10,,1200.00,,CNY",
    "C,Gamma,Invoice,C1,2026-03-15,2026-04-14,300.00,,CNY",
]
AS_OF = date(2026, 3, 31)


@pytest.fixture
def hand(tmp_path):
    path = write_csv(tmp_path / "ledger.csv", HAND)
    return run_on(path, as_of=AS_OF, overrides={"history.months": 4})


def test_monthly_figures_by_hand(hand):
    frame = history_monthly_frame(hand)
    assert frame.to_dict("records") == [
        # DSO Dec: AR 3,000 - Dec 2,000 = 1,000, 31 days; Nov (the first month) 1,000 / 1,000
        # x 30 = 30 -> 61.0. No CEI for the first month-end.
        {"month_end": "2025-12-31", "open_total": "3000.00", "overdue_total": "1000.00",
         "not_due_total": "2000.00", "sales": "2000.00", "receipts": "0.00",
         "dso_countback": "61.0", "cei": ""},
        # DSO Jan: 3,100 - 500 (31 d) - 2,000 (31 d) = 600; 600 / 1,000 x 30 = 18 -> 80.0.
        # CEI: (3,000 + 500 - 3,100) / (3,000 + 500 - 500) = 400 / 3,000 = 13.3 %.
        {"month_end": "2026-01-31", "open_total": "3100.00", "overdue_total": "2600.00",
         "not_due_total": "500.00", "sales": "500.00", "receipts": "400.00",
         "dso_countback": "80.0", "cei": "13.3"},
        # Feb has no sales: the walk stops at once and adds nothing -> 0.0.
        # CEI: (3,100 + 0 - 1,900) / (3,100 + 0 - 0) = 1,200 / 3,100 = 38.7 %.
        {"month_end": "2026-02-28", "open_total": "1900.00", "overdue_total": "1900.00",
         "not_due_total": "0.00", "sales": "0.00", "receipts": "1200.00",
         "dso_countback": "0.0", "cei": "38.7"},
        # DSO Mar: 1,600 - 300 (31 d) = 1,300; Feb has no sales: stop -> 31.0.
        # CEI: (1,900 + 300 - 1,600) / (1,900 + 300 - 300) = 600 / 1,900 = 31.6 %.
        {"month_end": "2026-03-31", "open_total": "1600.00", "overdue_total": "1300.00",
         "not_due_total": "300.00", "sales": "300.00", "receipts": "600.00",
         "dso_countback": "31.0", "cei": "31.6"},
    ]  # fmt: skip


def test_roll_rates_by_hand(hand):
    rows = roll_rates_frame(hand).itertuples(index=False, name=None)
    assert list(rows) == [
        # Dec -> Jan: B1 2,000 not due -> 1-30; A1 1,000 in 1-30: 600 still open (31-60),
        # 400 paid (the part payment of Jan 15, across the month-end).
        ("2025-12-31", "2026-01-31", "Not due", "1-30", "2000.00"),
        ("2025-12-31", "2026-01-31", "1-30", "31-60", "600.00"),
        ("2025-12-31", "2026-01-31", "1-30", "paid", "400.00"),
        # Jan -> Feb: B2 500 not due -> 1-30; B1 2,000 in 1-30: 800 on to 31-60, 1,200 paid by
        # the unnamed receipt (oldest first); A1 600 31-60 -> 61-90.
        ("2026-01-31", "2026-02-28", "Not due", "1-30", "500.00"),
        ("2026-01-31", "2026-02-28", "1-30", "31-60", "800.00"),
        ("2026-01-31", "2026-02-28", "1-30", "paid", "1200.00"),
        ("2026-01-31", "2026-02-28", "31-60", "61-90", "600.00"),
        # Feb -> Mar: A pays in full (600 from 61-90); C1 is new in March and not counted.
        ("2026-02-28", "2026-03-31", "1-30", "31-60", "500.00"),
        ("2026-02-28", "2026-03-31", "31-60", "61-90", "800.00"),
        ("2026-02-28", "2026-03-31", "61-90", "paid", "600.00"),
    ]


def test_headline_dso_and_changes_by_hand(hand):
    summary = hand.summary
    # DSO at 2026-03-31 as the March row: 31.0. Best possible: not-due AR 300 - Mar sales 300
    # = 0 after 31 days; Feb has no sales: stop -> 31.0. Days delinquent 31.0 - 31.0 = 0.0.
    assert summary["dso_days"] == 31.0
    assert summary["best_possible_dso_days"] == 31.0
    assert summary["average_days_delinquent"] == 0.0
    assert summary["cei"] == 31.6
    history = hand.history
    assert (history.source, history.months, history.provisional) == ("export", 4, True)
    # Last month (Feb-28) rebuilt from the export: A had 600 open and has nothing now; C is
    # new (+300); B is unchanged (1,300 both times). No grade moved (all in collection).
    assert (history.previous, history.previous_source) == (date(2026, 2, 28), "export")
    changes = history.changes[["change", "customer_id", "before", "after", "amount_base_minor"]]
    assert changes.values.tolist() == [
        ["paid_in_full", "A", 60000, 0, 60000],
        ["increase", "C", 0, 30000, 30000],
        ["decrease", "A", 60000, 0, -60000],
    ]


def test_history_is_empty_before_the_export_starts(tmp_path):
    # One month of data, four month-ends: the three before the first document are zero rows,
    # and a DSO walk that starts before the export adds nothing.
    path = write_csv(tmp_path / "l.csv", [HEADER, "A,Alpha,Invoice,A1,2026-03-02,2026-04-01,"
                                                  "100.00,,CNY"])  # fmt: skip
    result = run_on(path, as_of=AS_OF, overrides={"history.months": 4})
    frame = history_monthly_frame(result)
    assert frame["open_total"].tolist() == ["0.00", "0.00", "0.00", "100.00"]
    assert frame["dso_countback"].tolist() == ["0.0", "0.0", "0.0", "31.0"]
    # CEI with nothing collectable (0 + 0 - 0 over 0 + 0 - 0) is blank, not a division by 0.
    assert frame["cei"].tolist() == ["", "", "", ""]
    assert result.history.months == 1


# ---- countback and CEI on their own ---------------------------------------------------------


def _end(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_countback_walks_to_the_first_month_and_stops_at_a_month_without_sales():
    sales = {_end("2026-01-31"): 100, _end("2026-02-28"): 0, _end("2026-03-31"): 200}
    first = _end("2026-01-31")
    # 150 of Mar's 200: 150 / 200 x 31 = 23.25 -> 23.2 (round half to even on the float).
    assert figures.countback(150, _end("2026-03-31"), sales, first) == 23.2
    # 200 exactly: all of March (31), then Feb has no sales: stop -> 31.0.
    assert figures.countback(250, _end("2026-03-31"), sales, first) == 31.0
    # Jan is the first month: 250 - 200 = 50 left at Jan... Feb stops the walk before it.
    # From Jan itself: 150 against Jan's 100 at the first month: 150 / 100 x 31 = 46.5.
    assert figures.countback(150, _end("2026-01-31"), sales, first) == 46.5
    # Nothing open: 0 days.
    assert figures.countback(0, _end("2026-03-31"), sales, first) == 0.0
    # Mid-month as-of: the month counts its days so far (15): 100 / 200 x 15 = 7.5.
    assert figures.countback(100, _end("2026-03-15"), sales, first) == 7.5


# ---- the one-pass rebuild against the per-month loop ------------------------------------------

CUSTOMERS = ("A", "B", "C")


@st.composite
def ledgers(draw):
    """Invoices, credit notes and receipts over six months for three customers and two
    currencies; some credits name an invoice (that may come later, or twice), some do not."""
    count = draw(st.integers(1, 25))
    rows = []
    for n in range(count):
        kind = draw(st.sampled_from(["invoice", "invoice", "receipt", "credit_note"]))
        day = pd.Timestamp("2025-10-01") + pd.Timedelta(days=draw(st.integers(0, 180)))
        due = day + pd.Timedelta(days=draw(st.sampled_from([0, 15, 30, 60, 90])))
        doc = f"D{draw(st.integers(0, count))}" if kind == "invoice" else f"R{n}"
        names = draw(st.sampled_from(["", "", f"D{draw(st.integers(0, count))}"]))
        rows.append(
            {
                "customer_id": draw(st.sampled_from(CUSTOMERS)),
                "currency": draw(st.sampled_from(["CNY", "CNY", "USD"])),
                "doc_type": kind,
                "doc_no": doc,
                "doc_date": day,
                "due_date": due if kind == "invoice" else pd.NaT,
                "due_eff": due,
                "balance_minor": draw(st.integers(1, 5000)) * (1 if kind == "invoice" else -1),
                "applies_to": names if kind != "invoice" else "",
                "src_row": n + 2,
            }
        )
    frame = pd.DataFrame(rows)
    frame["customer_name"] = frame["customer_id"]
    frame["amount_minor"] = frame["balance_minor"]
    frame["src_file"], frame["src_sheet"] = "ledger.csv", ""
    for column in ("doc_date", "due_date", "due_eff"):
        frame[column] = frame[column].astype("datetime64[s]")
    return frame


ENDS = [pd.Timestamp(d) for d in ("2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31",
                                  "2026-02-28", "2026-03-31")]  # fmt: skip
KEY = ["month_end", "customer_id", "currency", "doc_no", "src_row", "open_minor"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.booleans())
def test_one_pass_rebuild_equals_settling_each_month(model, fifo):
    one = rebuild.open_by_month(model, ENDS, fifo=fifo)
    loop = rebuild.open_by_loop(model, ENDS, fifo=fifo)
    sort = lambda f: f[KEY].sort_values(KEY).reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(sort(one), sort(loop), check_dtype=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_roll_rate_amounts_add_up_to_the_bucket_total(model):
    config = load_config(None)
    labels = ["Not due", "1-30", "31-60", "61-90", "91-180", "181-365", "1-2 y", "2-3 y",
              "Over 3 y"]  # fmt: skip
    items = rebuild.open_by_month(model, ENDS, fifo=True)
    items["open_base_minor"] = items["open_minor"] * 7  # any exact conversion
    parts = [rebuild_age(part, end, config) for end, part in items.groupby("month_end", sort=False)]
    items = pd.concat(parts, ignore_index=True) if parts else items.assign(
        days_overdue=0, bucket="Not due")  # fmt: skip
    roll = figures.roll_rates(items, ENDS, labels)
    totals = items.groupby(["month_end", items["bucket"].astype(str)])["open_base_minor"].sum()
    moved = roll.groupby(["from_month_end", "from_bucket"])["amount_base_minor"].sum()
    for (start, bucket), amount in totals.items():
        if start == ENDS[-1]:
            continue
        assert moved.get((start, bucket), 0) == amount, (start, bucket)
    assert len(moved) == len(totals[totals.index.get_level_values(0) != ENDS[-1]])


def rebuild_age(part, end, config):
    from aging.age import age

    return age(part, pd.Timestamp(end), config.aging, "en")


# ---- the provision matrix -------------------------------------------------------------------


def test_migration_matrix_by_hand():
    """Three buckets (not due, 1-30, over 30), two month-end pairs pooled.
    Not due: 1,000 -> 600 to 1-30, 400 paid; then 1,000 -> 200 stay, 500 to 1-30, 300 paid:
      balance 2,000; worse 1,100 / 2,000 = 55 %; stay 10 %; paid 35 %.
    1-30: 500 -> 250 to over 30, 250 paid; 600 -> 300 to over 30, 300 paid: worse 50 %.
    Loss rates (the last bucket 100 %): 1-30: 0.5 x 1 = 0.5; not due leaves for 1-30 with
    1,100 / (1,100 + 700) = 0.6111, so 0.6111 x 0.5 = 0.30556. Factor 1.2: 0.36667, 0.6, 1.0."""
    roll = pd.DataFrame(
        [
            ("m1", "m2", "Not due", "1-30", 60000),
            ("m1", "m2", "Not due", "paid", 40000),
            ("m1", "m2", "1-30", "Over 30", 25000),
            ("m1", "m2", "1-30", "paid", 25000),
            ("m2", "m3", "Not due", "Not due", 20000),
            ("m2", "m3", "Not due", "1-30", 50000),
            ("m2", "m3", "Not due", "paid", 30000),
            ("m2", "m3", "1-30", "Over 30", 30000),
            ("m2", "m3", "1-30", "paid", 30000),
        ],
        columns=["from_month_end", "to_month_end", "from_bucket", "to_bucket",
                 "amount_base_minor"],
    )  # fmt: skip
    out = matrix.migration(roll, ["Not due", "1-30", "Over 30"], 1.2).set_index("bucket")
    assert out["balance_base_minor"].tolist() == [200000, 110000, 0]
    assert out.loc["Not due", ["worse_share", "stay_share", "paid_share"]].tolist() == (
        pytest.approx([0.55, 0.10, 0.35])
    )
    assert out["rolls_on"].tolist() == pytest.approx([1100 / 1800, 0.5, 1.0])
    assert out["loss_rate"].tolist() == pytest.approx([1100 / 1800 * 0.5, 0.5, 1.0])
    assert out["rate"].tolist() == pytest.approx([1100 / 1800 * 0.5 * 1.2, 0.6, 1.0])


def test_bucket_without_history_rolls_on_whole():
    # Nothing was ever in 1-30: not due's 50 % that moves on is assumed to reach the end.
    roll = pd.DataFrame(
        [("m1", "m2", "Not due", "1-30", 500), ("m1", "m2", "Not due", "paid", 500)],
        columns=["from_month_end", "to_month_end", "from_bucket", "to_bucket",
                 "amount_base_minor"],
    )  # fmt: skip
    out = matrix.migration(roll, ["Not due", "1-30", "Over 30"], 1.0)
    assert out["loss_rate"].tolist() == pytest.approx([0.5, 1.0, 1.0])


def test_matrix_books_only_with_a_full_year(tmp_path):
    path = write_csv(tmp_path / "ledger.csv", HAND)
    short = run_on(path, as_of=AS_OF, overrides={"provision.method": "history"})
    assert short.history.booked == "age_bands" and short.history.provisional
    assert "provision.history_provisional" in set(short.issues["code"])
    sample = ROOT / "sample_data" / "ar_ledger_2026-10.xlsx"
    fx = [ROOT / "sample_data" / "fx_rates.csv"]
    booked = run_on(sample, fx=fx, overrides={"provision.method": "history"})
    assert booked.history.booked == "history" and not booked.history.provisional
    matrix_total = int(booked.history.matrix["matrix_base_minor"].sum())
    assert booked.summary["provision_base_minor"] == matrix_total
    plain = run_on(sample, fx=fx)
    assert plain.summary["provision_base_minor"] == int(
        plain.history.matrix["bands_base_minor"].sum()
    )


# ---- changes since last month ----------------------------------------------------------------


def test_changes_by_hand():
    """Before: P open 500 (overdue 0, not due), Q open 900 in collection, R open 200, S on
    hold. Now: P overdue 500 (new overdue), Q bad (worse) with item Q1 from 80 to 95 days,
    R paid in full, S still held, T new with 50 overdue and held; a new broken promise for Q."""
    before = change_list.Before(
        customers=pd.DataFrame(
            {"customer_id": ["P", "Q", "R", "S"], "open_base_minor": [500, 900, 200, 100],
             "overdue_base_minor": [0, 900, 200, 100],
             "grade": ["not_due", "in_collection", "in_collection", "in_collection"],
             "credit_hold": [False, False, False, True]}
        ),
        items=pd.DataFrame({"customer_id": ["Q"], "doc_no": ["Q1"], "currency": ["CNY"],
                            "days_overdue": [80]}),
        promises=pd.DataFrame(columns=change_list.PROMISE_KEY + ["verdict"]),
        holds_known=True,
    )  # fmt: skip
    customers = pd.DataFrame(
        {"customer_id": ["P", "Q", "S", "T"], "name": ["Pe", "Qu", "Es", "Te"],
         "manager": ["M", "M", "N", "N"], "sales_rep": ["r", "r", "s", "s"],
         "open_base_minor": [500, 1000, 100, 50], "overdue_base_minor": [500, 1000, 100, 50],
         "grade": ["in_collection", "bad", "in_collection", "in_collection"]}
    )  # fmt: skip
    items = pd.DataFrame({"customer_id": ["Q"], "doc_no": ["Q1"], "currency": ["CNY"],
                          "days_overdue": [95], "open_base_minor": [1000]})  # fmt: skip
    holds = pd.DataFrame({"customer_id": ["S", "T"], "overdue_base_minor": [100, 50]})
    promises = pd.DataFrame(
        {"customer_id": ["Q"], "contact_date": [pd.Timestamp("2026-03-01")],
         "promise_date": [pd.Timestamp("2026-03-10")], "promise_minor": [300],
         "verdict": ["broken"]}
    )  # fmt: skip
    names = pd.DataFrame({"customer_id": ["R"], "name": ["Ar"], "manager": ["N"],
                          "sales_rep": ["s"]})  # fmt: skip
    out = change_list.changes(customers, items, holds, promises, before,
                              pd.concat([customers, names]))  # fmt: skip
    shown = out[["change", "customer_id", "name", "doc_no", "amount_base_minor"]]
    assert shown.values.tolist() == [
        ["new_overdue", "P", "Pe", "", 500],
        ["new_overdue", "T", "Te", "", 50],
        ["grade_worse", "Q", "Qu", "", 1000],
        ["grade_worse", "P", "Pe", "", 500],  # not due -> in collection
        ["paid_in_full", "R", "Ar", "", 200],
        ["into_91", "Q", "Qu", "Q1", 1000],
        ["new_broken_promise", "Q", "Qu", "", 300],
        ["new_credit_hold", "T", "Te", "", 50],
        # Increases: T +50 (new), Q +100; decreases: R -200.
        ["increase", "Q", "Qu", "", 100],
        ["increase", "T", "Te", "", 50],
        ["decrease", "R", "Ar", "", -200],
    ]
    assert out.loc[out["change"].eq("grade_worse"), ["before", "after"]].values.tolist() == [
        ["in_collection", "bad"],
        ["not_due", "in_collection"],
    ]


def test_promise_rates_overall_and_per_manager():
    promises = pd.DataFrame(
        {"customer_id": ["P", "P", "Q", "Q", "Q"],
         "verdict": ["kept", "broken", "partly_kept", "kept", "pending"]}
    )  # fmt: skip
    who = pd.DataFrame({"customer_id": ["P", "Q"], "manager": ["M", "N"], "sales_rep": ["r", "r"]})
    rates = figures.promise_rates(promises, who)
    # Four evaluated (pending is not): kept 2/4, partly 1/4, broken 1/4; M: 1 kept 1 broken.
    overall = rates.iloc[0]
    assert (overall["promises"], overall["kept_share"], overall["broken_share"]) == (4, 0.5, 0.25)
    by_manager = rates[rates["level"].eq("manager")].set_index("name")
    assert by_manager.loc["M", ["kept", "broken"]].tolist() == [1, 1]
    assert by_manager.loc["N", ["kept", "partly_kept"]].tolist() == [1, 1]
    assert rates[rates["level"].eq("sales_rep")]["promises"].tolist() == [4]


def test_last_month_graded_from_the_rebuild_equals_settling_it_again(monkeypatch):
    """The previous month-end's grades come from the one-pass rebuild (only customers with
    items older than the limitation period are settled again); the reference settles the
    whole ledger as of that month-end and grades it as the main run does. The sample has such
    old debtors (C01415, C02380, C00790)."""
    from aging import grade as grading
    from aging import pipeline
    from aging import promises as promise_stage
    from aging.age import age
    from aging.history import stage
    from aging.settle import settle

    seen = {}
    real = stage.finish

    def spy(past_, open_items, customers, holds, promises, model, contacts, as_of, to_base,
            config):  # fmt: skip
        seen.update(past=past_, promises=promises, model=model, contacts=contacts,
                    to_base=to_base, config=config)  # fmt: skip
        return real(past_, open_items, customers, holds, promises, model, contacts, as_of,
                    to_base, config)  # fmt: skip

    monkeypatch.setattr(pipeline.history_stage, "finish", spy)
    run_on(ROOT / "sample_data" / "ar_ledger_2026-10.xlsx",
           fx=[ROOT / "sample_data" / "fx_rates.csv"])  # fmt: skip
    at = pd.Timestamp("2026-09-30")
    config, model, promises = seen["config"], seen["model"], seen["promises"]
    got = stage._graded(seen["past"], model, at, promises, seen["contacts"], seen["to_base"],
                        config)  # fmt: skip

    debits = settle(model[~(rebuild.dated(model) > at)], fifo=True).debits
    items = debits[debits["open_minor"] > 0].copy()
    items["open_base_minor"] = seen["to_base"](items)
    items = age(items, at, config.aging, "en")
    due = promises[promises["deadline"] < at]
    items["broken_promises"] = items["customer_id"].map(promise_stage.broken_counts(due))
    items["broken_promises"] = items["broken_promises"].fillna(0).astype("int64")
    demand = promise_stage.latest_demand(seen["contacts"], at).reindex(items["customer_id"])
    restart = pd.concat([items["last_receipt_date"],
                         pd.Series(demand.to_numpy(), index=items.index).astype(
                             "datetime64[s]")], axis=1).max(axis=1)  # fmt: skip
    items["limitation_date"] = grading.limitation_dates(items["due_eff"], restart, 3)
    items["grade"] = grading.item_grades(items, at, config.grading)
    assert (items["grade"] == "dead").any()  # the limitation rule is exercised
    grades = grading.customer_grades(items, 0.10).astype(str).sort_index()
    mine = got.customers.set_index("customer_id").sort_index()
    assert mine["grade"].to_dict() == grades.to_dict()
    totals = items.groupby("customer_id")["open_base_minor"].sum().sort_index()
    assert mine["open_base_minor"].to_dict() == totals.to_dict()
