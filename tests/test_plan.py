"""The collection plan on small hand-built portfolios where the right answer is obvious."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pandas as pd
import pytest
from conftest import run_on, write_csv

from aging.i18n import msg
from aging.plan import next_workday

AS_OF = date(2026, 10, 31)
HEADER = "Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount,Applies To"
MASTER = (
    "Customer ID,Name,Manager,Region,Distance km,Credit Limit,Credit Rating,"
    "Financial Strength,Cooperation,Status,Terms,Settlement"
)


@pytest.fixture
def portfolio(tmp_path):
    ledger = write_csv(
        tmp_path / "ledger.csv",
        [
            HEADER,
            # BANK: bankrupt, 40 days overdue -> dead by status, not chased
            "BANK,Bankrupt Co,Invoice,B1,2026-08-22,2026-09-21,50000.00,",
            # PROM: 20 days overdue, a promise broken since -> one step up and first in line
            "PROM,Promise Co,Invoice,P1,2026-09-11,2026-10-11,30000.00,",
            # SAME: the same debt as PROM but no broken promise
            "SAME,Same Co,Invoice,S1,2026-09-11,2026-10-11,30000.00,",
            # FAR: 400 km away, 2,000.00 at 200 days -> a legal step would cost more than it brings
            "FAR,Far Co,Invoice,F1,2026-03-15,2026-04-14,2000.00,",
            # FAR2: 100 days, 3,000.00, 400 km away -> a 1,900.00 trip is not worth it: write
            "FAR2,Far Two,Invoice,G1,2026-06-23,2026-07-23,3000.00,",
            # OLD: 1,050 days overdue, no demand on file -> limitation ends in 45 days
            "OLD,Old Co,Invoice,O1,2023-11-15,2023-12-16,80000.00,",
            # NEAR: 60 days overdue, 10 km away -> credit-warning step, by a visit
            "NEAR,Near Co,Invoice,N1,2026-08-02,2026-09-01,20000.00,",
            # CASH: cash-only with anything open -> credit hold
            "CASH,Cash Co,Invoice,C1,2026-10-20,2026-10-20,500.00,",
            # SOON: due in 5 days -> friendly reminder, no rank
            "SOON,Soon Co,Invoice,S9,2026-10-05,2026-11-05,900.00,",
            # DISP: disputed in the last contact -> not chased, listed with the reason
            "DISP,Dispute Co,Invoice,D1,2026-07-01,2026-07-31,7000.00,",
        ],
    )
    master = write_csv(
        tmp_path / "customers.csv",
        [
            MASTER,
            "BANK,Bankrupt Co,Wang,East,20,100000,C,weak,slow,破产,30,credit",
            "PROM,Promise Co,Wang,East,300,100000,B,medium,cooperative,active,30,credit",
            "SAME,Same Co,Wang,East,300,100000,B,medium,cooperative,active,30,credit",
            "FAR,Far Co,Li,West,400,100000,B,medium,slow,active,30,credit",
            "FAR2,Far Two,Li,West,400,100000,B,medium,cooperative,active,30,credit",
            "OLD,Old Co,Li,West,300,100000,D,weak,evasive,active,30,credit",
            "NEAR,Near Co,Li,West,10,100000,B,strong,cooperative,active,30,credit",
            "CASH,Cash Co,Li,West,300,,A,strong,cooperative,active,0,现款现货",
            "SOON,Soon Co,Li,West,300,100000,A,strong,cooperative,active,30,credit",
            "DISP,Dispute Co,Li,West,300,100000,B,medium,cooperative,active,30,credit",
        ],
    )
    contacts = write_csv(
        tmp_path / "contacts.csv",
        [
            "Contact Date,Customer ID,Channel,Outcome,Promise Date,Promise Amount,Note,By",
            "2026-10-12,PROM,phone,promised,2026-10-20,30000.00,will pay,Zhang",
            "2026-10-28,DISP,phone,disputed,,,says goods were damaged,Zhang",
        ],
    )
    overrides = {
        "plan.ladder": [
            {"key": "remind", "from_days": -7, "action": "friendly reminder", "channel": "email"},
            {"key": "call", "from_days": 1, "action": "phone call", "channel": "phone"},
            {
                "key": "reminder_letter",
                "from_days": 16,
                "action": "reminder letter + call",
                "channel": "letter",
                "letter": "reminder",
            },
            {
                "key": "credit_warning",
                "from_days": 46,
                "action": "credit-warning letter",
                "channel": "letter",
                "letter": "credit_warning",
            },
            {
                "key": "lawyer_letter",
                "from_days": 91,
                "action": "lawyer's letter",
                "channel": "lawyer",
                "letter": "lawyer",
            },
            {
                "key": "legal",
                "from_days": 181,
                "action": "agency or lawsuit",
                "channel": "lawsuit",
                "letter": "lawyer",
            },
        ]
    }
    return run_on(ledger, as_of=AS_OF, customers=[master], contacts=[contacts], overrides=overrides)


def by_customer(result):
    return result.worklist.set_index("customer_id")


def test_bankrupt_customer_is_dead_and_not_chased(portfolio):
    customers = portfolio.customers.set_index("customer_id")
    assert customers.loc["BANK", "grade"] == "dead"
    row = by_customer(portfolio).loc["BANK"]
    # codes, not sentences: the words come from the catalogue in the run's language
    assert row["next_action"] == row["block_reason"] == msg("block.bankrupt")
    assert str(row["next_contact_date"]) == "NaT"


def test_broken_promise_jumps_the_queue_and_escalates(portfolio):
    work = by_customer(portfolio)
    # promise of 30,000.00 by 2026-10-20 (+3 days' grace) and no receipt: broken
    assert portfolio.customers.set_index("customer_id").loc["PROM", "broken_promises"] == 1
    assert work.loc["PROM", "rank"] < work.loc["SAME", "rank"]
    # 20 days overdue is the reminder-letter step; the broken promise moves it to credit warning
    assert work.loc["SAME", "step"] == "reminder_letter"
    assert work.loc["PROM", "step"] == "credit_warning"
    # reacting at once: the first working day after the as-of date (31 Oct is a Saturday)
    assert str(work.loc["PROM", "next_contact_date"].date()) == "2026-11-02"
    contribution = work.loc["PROM", "factor_broken_promises"]
    assert contribution > 0 and work.loc["SAME", "factor_broken_promises"] == 0


def test_far_small_debt_is_not_worth_a_visit_or_a_lawsuit(portfolio):
    work = by_customer(portfolio)
    # FAR2: a visit costs 300 + 2 x 400 km x 2.00 = 1,900.00, more than 10 % of the expected
    # 90 % x 3,000.00 = 2,700.00: the lawyer's letter goes by post
    assert work.loc["FAR2", "step"] == "lawyer_letter" and work.loc["FAR2", "channel"] == "lawyer"
    assert work.loc["FAR2", "expected_recovery_base_minor"] == 270000
    # FAR: 200 days reaches the legal step, but an agency (at least 1,500.00) or a lawsuit
    # (8,000.00 + 3 %) costs more than the expected 60 % x 2,000.00 = 1,200.00
    row = work.loc["FAR"]
    assert row["recommendation"] == "settle"
    assert row["next_action"] == msg("action.settle")
    assert (row["action_cost_base_minor"], row["expected_recovery_base_minor"]) == (150000, 120000)


def test_1050_days_with_no_demand_is_flagged_before_limitation_ends(portfolio):
    alerts = portfolio.limitation_alerts.set_index("doc_no")
    # due 2023-12-16 + 3 years = 2026-12-16, 46 days after the as-of date
    assert str(alerts.loc["O1", "limitation_date"].date()) == "2026-12-16"
    assert alerts.loc["O1", "days_left"] == 46
    assert alerts.loc["O1", "action"] == msg("limitation.before", date=pd.Timestamp("2026-12-16"))
    assert by_customer(portfolio).loc["OLD", "factor_limitation"] > 0


def test_near_customer_is_visited_on_a_working_morning(portfolio):
    row = by_customer(portfolio).loc["NEAR"]
    assert row["step"] == "credit_warning" and row["channel"] == "visit"
    assert row["window"] == msg("window.visit", window="09:30-11:30")
    assert row["next_action"] == msg("action.in_person", action=msg("action.credit_warning"))
    # PROM is 300 km away, but its 30,000.00 makes a 1,500.00 trip worth it (<= 10 % of 27,000)
    routes = portfolio.visit_routes.set_index("customer_id")["route"].to_dict()
    assert routes == {"PROM": msg("route.trip", region="East", n="1"),
                      "NEAR": msg("route.trip", region="West", n="1")}  # fmt: skip


def test_credit_hold_reasons(portfolio):
    holds = portfolio.credit_hold.set_index("customer_id")["hold_reason"]
    assert holds["CASH"] == (msg("credit_hold.cash_only"),)
    assert msg("credit_hold.late", days=60) in holds["FAR"]
    assert "SOON" not in holds


def test_disputed_and_coming_due(portfolio):
    work = by_customer(portfolio)
    assert work.loc["DISP", "block_reason"] == msg("block.disputed")
    customers = portfolio.customers.set_index("customer_id")
    # nothing overdue: no rank, but the friendly reminder before the due date
    assert customers.loc["SOON", "next_action"] == msg("action.remind")
    assert customers.loc["SOON", "rank"] is None or str(customers.loc["SOON", "rank"]) == "<NA>"
    ranks = sorted(work["rank"].dropna().astype(int))
    assert ranks == list(range(1, len(ranks) + 1))  # 1..n, no ties


def test_next_workday_skips_holidays_and_keeps_make_up_days():
    assert next_workday(dt.date(2026, 10, 1)) == dt.date(2026, 10, 8)  # National Day week
    assert next_workday(dt.date(2026, 10, 10)) == dt.date(2026, 10, 10)  # a make-up Saturday
    assert next_workday(dt.date(2026, 10, 31)) == dt.date(2026, 11, 2)  # weekend
    assert next_workday(dt.date(2027, 3, 6)) == dt.date(2027, 3, 8)  # past the data: Mon-Fri


def test_settlement_day_is_kept_when_it_falls_within_two_weeks():
    import pandas as pd

    from aging.plan import _settlement_days

    when = pd.Series(pd.to_datetime(["2026-11-02", "2026-11-25", "2026-02-20", "2026-11-02"]))
    day = pd.Series([10, 3, 31, 25])
    got = [str(d.date()) for d in _settlement_days(when.astype("datetime64[s]"), day)]
    # the 10th is 8 days on; the 3rd of next month 8 days on; "31" in February is the 28th;
    # the 25th is 23 days away, so the customer is not kept waiting for it
    assert got == ["2026-11-10", "2026-12-03", "2026-02-28", "2026-11-02"]
