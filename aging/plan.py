"""The collection plan: who to chase first, how, and when.

In: the customer table with grades, the open items, the customer master, the contact log with
promise verdicts, the as-of date and the `plan` config. Out: `Plan` — the customer table with
priority score, rank, strategy, next action and contact date, credit hold; and the worklist,
credit-hold list, limitation alerts, broken promises, visit routes and instalment proposals.

DESIGN "Priority" and "Plan", from the seeds' practice: plan by amount, age, grade, credit,
character, strength and distance (全面策划, 轻重缓急); soft (文收) or hard (武收); escalate from a
reminder to a lawsuit, faster when letters go unanswered; react at once to a broken promise;
stop shipping to debtors past their terms (送二结一, 现款现货); weigh the cost of collecting
against what it brings back (讨与不讨). Nothing here contacts anyone but the debtor, and
contact windows respect the debtor's working day.

What the plan says in words — the next action, why a customer is not chased or waits, the
contact window, the credit-hold reasons, the limitation step, the visit route — it says as
`aging.i18n.Msg` (a catalogue code and its parameters); renderers put it in the reader's
language. Plain codes (strategy, channel, letter, recommendation "settle") stay strings.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar
import numpy as np
import pandas as pd

from aging.i18n import Money, Msg, msg
from aging.i18n import has as has_message
from aging.model import GRADES, PLAN_COLUMNS

FACTORS = ("overdue_amount", "age", "grade", "credit_rating", "cooperation", "strength",
           "distance", "broken_promises", "limitation", "behaviour")  # fmt: skip
GRADE_RISK = dict(zip(GRADES, (0.0, 0.25, 0.5, 0.75, 1.0), strict=True))
RATING_RISK = {"A": 0.0, "B": 0.25, "C": 0.5, "D": 0.75, "E": 1.0}
COOPERATION_RISK = {"cooperative": 0.0, "slow": 0.33, "evasive": 0.67, "hostile": 1.0}
# Ability to pay: a strong debtor can pay now, so chasing it brings money soonest.
STRENGTH = {"strong": 1.0, "medium": 0.5, "weak": 0.2}
UNANSWERED = ("", "no_answer")

# Customers not chased, and why (SAP calls these dunning blocks): message block.<status>.
HOLD_STATUS = ("lawsuit", "bankrupt", "deregistered", "untraceable")


@dataclass(frozen=True)
class Plan:
    customers: pd.DataFrame  # the customer table with the plan columns filled
    worklist: pd.DataFrame  # customers to act on, in rank order, with factor contributions
    credit_hold: pd.DataFrame
    limitation_alerts: pd.DataFrame
    broken_promises: pd.DataFrame
    visit_routes: pd.DataFrame
    instalments: pd.DataFrame


def make_plan(customers, open_items, master, contacts, promises, as_of, decimals, config):
    facts = _facts(customers, open_items, master, contacts, promises, as_of, config)
    scored = priority(facts, config)
    planned = next_steps(scored, as_of, decimals, config)
    planned = planned.assign(**credit_holds(planned, open_items, decimals, config))
    out = customers.copy()
    lookup = planned.set_index("customer_id")
    for column in PLAN_COLUMNS:
        out[column] = _by_customer(out, lookup[column])
    out["rank"] = out["rank"].astype("Int64")
    out = out.sort_values(
        ["rank", "open_base_minor", "customer_id"],
        ascending=[True, False, True],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    worklist = planned[planned["rank"].notna()].sort_values("rank").reset_index(drop=True)
    worklist["rank"] = worklist["rank"].astype("int64")
    return Plan(
        customers=out,
        worklist=worklist,
        credit_hold=planned[planned["credit_hold"]]
        .sort_values("rank", na_position="last")[
            [
                "customer_id",
                "name",
                "manager",
                "sales_rep",
                "overdue_base_minor",
                "open_base_minor",
                "credit_limit_base_minor",
                "hold_reason",
            ]
        ]
        .reset_index(drop=True),
        limitation_alerts=limitation_alerts(open_items, as_of, config),
        broken_promises=_broken(promises),
        visit_routes=visit_routes(planned, config),
        instalments=instalments(planned, as_of, decimals, config),
    )


# ---- facts ---------------------------------------------------------------------------------


def _facts(customers, open_items, master, contacts, promises, as_of, config) -> pd.DataFrame:
    """One row per customer with everything the plan decides on. Items the ledger flags as
    disputed age and are provided for, but are not dunned: the plan works on the rest."""
    facts = customers.copy()
    facts = _without_disputed(facts, open_items)
    if "disputed" in open_items:
        open_items = open_items[~open_items["disputed"].fillna(False).astype(bool)]
    columns = {
        "credit_rating": "",
        "financial_strength": "",
        "settlement": "",
        "distance_km": pd.NA,
        "dunning_block": "",
        "settlement_day": pd.NA,
    }
    if master is not None:
        known = master.set_index("customer_id")
        for column, empty in columns.items():
            source = known[column] if column in known else pd.Series(dtype="object")
            facts[column] = _by_customer(facts, source).fillna(empty)
    else:
        for column, empty in columns.items():
            facts[column] = empty
    latest = contacts.sort_values(["contact_date", "src_row"]).groupby("customer_id").tail(1)
    latest = latest.set_index("customer_id")
    facts["last_contact_date"] = _by_customer(facts, latest["contact_date"])
    facts["last_channel"] = _by_customer(facts, latest["channel"]).fillna("")
    facts["last_outcome"] = _by_customer(facts, latest["outcome"]).fillna("")
    facts["unanswered_letters"] = (
        _by_customer(facts, _unanswered_letters(contacts)).fillna(0).astype("int64")
    )
    facts["fresh_broken"] = facts["customer_id"].isin(_fresh_broken(promises, latest))
    soon = open_items["limitation_date"] - as_of
    near = open_items[soon.dt.days.between(0, config.plan.limitation_alert_days)]
    facts["limitation_days_left"] = _by_customer(
        facts, (near["limitation_date"] - as_of).dt.days.groupby(near["customer_id"]).min()
    )
    due_soon = open_items[open_items["days_overdue"].between(-7, 0)]
    facts["due_soon_base_minor"] = (
        facts["customer_id"]
        .map(due_soon.groupby("customer_id")["open_base_minor"].sum())
        .fillna(0)
        .astype("int64")
    )
    overdue = open_items[open_items["days_overdue"] >= 1]
    rates = overdue["grade"].astype(str).map(config.plan.recovery_rates).astype(float)
    expected = (overdue["open_base_minor"] * rates).groupby(overdue["customer_id"]).sum()
    facts["expected_recovery_base_minor"] = (
        _by_customer(facts, expected).fillna(0).round().astype("int64")
    )
    return facts


def _without_disputed(facts: pd.DataFrame, open_items: pd.DataFrame) -> pd.DataFrame:
    """Overdue amount and age of what can be dunned; `disputed_base_minor` of what cannot. A
    customer whose whole overdue balance is disputed keeps it, and is blocked (not chased)."""
    facts["disputed_base_minor"] = 0
    facts["all_disputed"] = False
    if "disputed" not in open_items or not open_items["disputed"].fillna(False).astype(bool).any():
        return facts
    overdue = open_items[open_items["days_overdue"] >= 1]
    flagged = overdue["disputed"].fillna(False).astype(bool)
    disputed = overdue[flagged].groupby("customer_id")["open_base_minor"].sum()
    facts["disputed_base_minor"] = _by_customer(facts, disputed).fillna(0).astype("int64")
    clear = overdue[~flagged]
    amount = _by_customer(facts, clear.groupby("customer_id")["open_base_minor"].sum()).fillna(0)
    days = _by_customer(facts, clear.groupby("customer_id")["days_overdue"].max())
    partly = facts["disputed_base_minor"].gt(0) & amount.gt(0)
    facts["all_disputed"] = facts["disputed_base_minor"].gt(0) & amount.eq(0)
    facts.loc[partly, "overdue_base_minor"] = amount[partly].astype("int64")
    facts.loc[partly, "max_days_overdue"] = days[partly].astype("int64")
    return facts


def _by_customer(facts: pd.DataFrame, values: pd.Series) -> pd.Series:
    """Look up a per-customer series for each row (safe for empty and datetime series)."""
    return pd.Series(values.reindex(facts["customer_id"]).to_numpy(), index=facts.index)


def _unanswered_letters(contacts: pd.DataFrame) -> pd.Series:
    """Letters in a row at the end of each customer's log with no reply (发函未回应)."""
    log = contacts.sort_values(["customer_id", "contact_date", "src_row"])
    written = log["channel"].isin(["letter", "lawyer", "email", "fax"])
    silent = written & log["outcome"].isin(UNANSWERED)
    # count trailing silent letters: cumulative count reset by any other contact
    reset = (~silent).groupby(log["customer_id"]).cumsum()
    streak = silent.groupby([log["customer_id"], reset]).cumsum()
    return streak.groupby(log["customer_id"]).last()


def _fresh_broken(promises: pd.DataFrame, latest: pd.DataFrame) -> set:
    """Customers whose latest promise broke (or partly) with no contact since: react at once."""
    if promises.empty:
        return set()
    broken = promises[promises["verdict"].isin(["broken", "partly_kept"])]
    last_broken = broken.groupby("customer_id")["deadline"].max()
    last_contact = latest["contact_date"].reindex(last_broken.index)
    return set(last_broken.index[last_contact.isna() | (last_contact <= last_broken)])


# ---- priority ------------------------------------------------------------------------------


def factor_values(facts: pd.DataFrame) -> pd.DataFrame:
    """Each factor scaled to 0..1, higher = chase sooner."""
    overdue = facts["overdue_base_minor"].clip(lower=0).astype(float)
    top = overdue.max()
    distance = pd.to_numeric(facts["distance_km"], errors="coerce")
    left = facts["limitation_days_left"]
    return pd.DataFrame(
        {
            # log scale: a debt ten times larger counts more, not ten times more
            "overdue_amount": np.log1p(overdue) / np.log1p(top) if top > 0 else overdue * 0,
            "age": (facts["max_days_overdue"].clip(lower=0) / 365).clip(upper=1),
            "grade": facts["grade"].astype(str).map(GRADE_RISK).fillna(0),
            "credit_rating": facts["credit_rating"]
            .astype(str)
            .str.upper()
            .map(RATING_RISK)
            .fillna(0.5),
            "cooperation": facts["cooperation"].map(COOPERATION_RISK).fillna(0.33),
            "strength": facts["financial_strength"].map(STRENGTH).fillna(0.5),
            # near customers are cheap to visit; unknown distance counts as middling
            "distance": (1 - distance / 500).clip(0, 1).fillna(0.5),
            "broken_promises": (facts["broken_promises"] / 3).clip(upper=1),
            "limitation": (1 - left / 90).clip(0, 1).fillna(0),
            # aging.behaviour: worsening 0.75..1, habitually late 0.25, else 0
            "behaviour": _column(facts, "behaviour_risk", 0.0).astype(float),
        },
        index=facts.index,
    )


def _column(facts: pd.DataFrame, name: str, empty) -> pd.Series:
    """A fact the behaviour stage adds, or `empty` for every customer when it did not run."""
    if name not in facts:
        return pd.Series(empty, index=facts.index)
    return facts[name].fillna(empty)


def priority(facts: pd.DataFrame, config) -> pd.DataFrame:
    """Score 0..100 = weighted mean of the factors; each contribution is kept beside it.
    Customers with nothing overdue get no rank (they are on the coming-due list)."""
    weights = pd.Series({f: config.plan.weights.get(f, 0.0) for f in FACTORS})
    values = factor_values(facts)
    contributions = values.astype(float) * weights / weights.sum() * 100
    out = facts.copy()
    for factor in FACTORS:
        out[f"factor_{factor}"] = contributions[factor].round(1)
    out["priority_score"] = contributions.sum(axis=1).round(1)
    chased = out["overdue_base_minor"] > 0
    order = out[chased].sort_values(
        ["priority_score", "overdue_base_minor", "customer_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    out["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order.index).reindex(out.index)
    out.loc[~chased, "priority_score"] = np.nan
    return out


# ---- next steps ----------------------------------------------------------------------------


def next_steps(facts: pd.DataFrame, as_of: pd.Timestamp, decimals: int, config) -> pd.DataFrame:
    plan = config.plan
    ladder = plan.ladder
    unit = 10**decimals
    out = facts.copy()
    # A customer that reliably pays late is counted from its usual lateness (aging.behaviour:
    # no lawyer's letter for a habit), but stays on the overdue steps.
    allowance = _column(out, "ladder_allowance_days", 0)
    overdue_days = (out["max_days_overdue"] - allowance).clip(lower=1)
    days = overdue_days.where(out["overdue_base_minor"] > 0, -999)
    days = days.where(~((out["overdue_base_minor"] == 0) & (out["due_soon_base_minor"] > 0)), 0)
    starts = np.array([s.from_days for s in ladder])
    level = np.searchsorted(starts, days.to_numpy(), side="right") - 1
    # DESIGN: a broken promise moves the customer one step up at once
    level = np.where(out["fresh_broken"] & (level >= 0), level + 1, level)
    level = np.minimum(level, len(ladder) - 1)
    # a step is only reached when the amount overdue passes its minimum
    mins = np.array([s.min_overdue * unit for s in ladder])
    overdue = out["overdue_base_minor"].to_numpy()
    for _ in range(len(ladder)):
        too_small = (level > 0) & (overdue < mins[np.maximum(level, 0)])
        level = np.where(too_small, level - 1, level)
    out["level"] = level
    for column, field in (("step", "key"), ("channel", "channel"), ("letter", "letter")):
        names = [getattr(ladder[i], field) if i >= 0 else "" for i in level]
        out[column] = pd.Series(names, index=out.index, dtype="str")
    actions = [step_action(step) for step in ladder]
    out["next_action"] = pd.Series([actions[i] if i >= 0 else "" for i in level],
                                   index=out.index, dtype="object")  # fmt: skip
    out = _visits(out, unit, plan)
    out = _cost_and_recovery(out, unit, plan)
    # Lateness that is worsening (aging.behaviour) goes to the hard strategy without waiting
    # for the lawyer's-letter step.
    worsening = _column(out, "behaviour", "").eq("worsening")
    out["strategy"] = np.where(
        out["grade"].astype(str).isin(["bad", "dead"])
        | out["cooperation"].isin(["evasive", "hostile"])
        | (out["broken_promises"] >= 2)
        | (out["level"] >= 4)
        | worsening,
        "hard",
        "soft",
    )
    out.loc[out["level"] < 0, "strategy"] = ""
    out = _blocks(out)
    out["next_contact_date"], out["window"], out["held_reason"] = _when(out, as_of, plan)
    return out


def step_action(step) -> Msg:
    """A ladder step's action: the catalogue's `action.<key>`, or the words the config gives
    a step of its own."""
    if has_message(f"action.{step.key}"):
        return msg(f"action.{step.key}")
    return msg("action.custom", action=step.action or step.key)


def _visit_cost(out: pd.DataFrame, unit: int, plan) -> pd.Series:
    distance = pd.to_numeric(out["distance_km"], errors="coerce").fillna(0)
    return (plan.costs["visit"] + 2 * distance * plan.costs["visit_per_km"]) * unit


def _visits(out: pd.DataFrame, unit: int, plan) -> pd.DataFrame:
    """At the credit-warning and lawyer's-letter steps, go in person when the customer is near,
    or when the trip is cheap beside what it should bring back; otherwise write."""
    distance = pd.to_numeric(out["distance_km"], errors="coerce")
    near = distance <= plan.visit_near_km
    worth = (
        _visit_cost(out, unit, plan)
        <= plan.visit_max_cost_share * out["expected_recovery_base_minor"]
    )
    visit = out["step"].isin(["credit_warning", "lawyer_letter"]) & (
        near | worth & distance.notna()
    )
    out.loc[visit, "channel"] = "visit"
    in_person = [msg("action.in_person", action=a) for a in out.loc[visit, "next_action"]]
    out.loc[visit, "next_action"] = pd.Series(in_person, index=out.index[visit], dtype="object")
    return out


def _cost_and_recovery(out: pd.DataFrame, unit: int, plan) -> pd.DataFrame:
    """The next action's cost against what it is expected to bring back (讨与不讨)."""
    cost, cost_plan = plan.costs, plan
    recovery = out["expected_recovery_base_minor"]
    by_channel = {
        "phone": cost["phone"] * unit,
        "email": cost["email"] * unit,
        "sms": cost["sms"] * unit,
        "letter": cost["letter"] * unit,
        "lawyer": cost["lawyer"] * unit,
    }
    action_cost = out["channel"].map(by_channel).astype(float)
    action_cost = action_cost.where(out["channel"] != "visit", _visit_cost(out, unit, cost_plan))
    legal = out["step"].eq("legal")
    agency = np.maximum(recovery * cost["agency_rate"], cost["agency_min"] * unit)
    lawsuit = cost["lawsuit"] * unit + out["overdue_base_minor"] * cost["lawsuit_rate"]
    sue = legal & (lawsuit < agency)
    out.loc[legal, "channel"] = np.where(sue[legal], "lawsuit", "agency")
    out.loc[legal, "next_action"] = pd.Series(
        [msg("action.lawsuit") if s else msg("action.agency") for s in sue[legal]],
        index=out.index[legal],
        dtype="object",
    )
    action_cost = action_cost.where(~legal, np.minimum(agency, lawsuit))
    out["action_cost_base_minor"] = action_cost.fillna(0).round().astype("int64")
    not_worth = (out["level"] >= 4) & (out["action_cost_base_minor"] >= recovery)
    out.loc[not_worth, "next_action"] = pd.Series(
        msg("action.settle"), index=out.index[not_worth], dtype="object"
    )
    out.loc[not_worth, "channel"] = "phone"
    out.loc[not_worth, "letter"] = ""
    out["recommendation"] = np.where(not_worth, "settle", "")
    return out


def _blocks(out: pd.DataFrame) -> pd.DataFrame:
    """Customers not chased: disputed, blocked, or in a state dunning cannot help."""
    reason = pd.Series(None, index=out.index, dtype="object")
    reason[out["last_outcome"].eq("disputed")] = msg("block.disputed")
    reason[reason.isna() & out["all_disputed"]] = msg("block.disputed_items")
    block = out["dunning_block"].astype(str).str.strip()
    master = reason.isna() & block.ne("") & ~block.str.lower().isin(["no", "n", "false", "0", "否"])
    reason[master] = pd.Series([msg("block.master", block=b) for b in block[master]],
                               index=out.index[master], dtype="object")  # fmt: skip
    for status in HOLD_STATUS:
        reason[reason.isna() & out["status"].eq(status)] = msg(f"block.{status}")
    blocked = reason.notna() & (out["level"] >= 0)
    out["block_reason"] = reason.where(blocked, "")  # "" when chased, as every text column
    out.loc[blocked, "next_action"] = reason[blocked]
    out.loc[blocked, ["channel", "letter", "recommendation"]] = ""
    out.loc[blocked, "action_cost_base_minor"] = 0  # nothing is spent on a customer not chased
    return out


def _when(out: pd.DataFrame, as_of: pd.Timestamp, plan):
    """Next contact date, time window and why it waits: a contact inside the cadence window
    holds the customer back; a broken promise does not wait; visits fall on working days."""
    start = as_of + pd.Timedelta(days=1)
    cadence = out["last_channel"].map(plan.cadence_days).fillna(7).astype(float)
    # 发函未回应则加快: each unanswered letter in a row halves the wait (at least 3 days)
    cadence = (cadence / 2.0 ** out["unanswered_letters"]).clip(lower=3).round()
    resume = out["last_contact_date"] + pd.to_timedelta(cadence, unit="D")
    held = resume.notna() & (resume > start) & ~out["fresh_broken"]
    acting = (out["level"] >= 0) & out["block_reason"].eq("")
    when = resume.where(held, start).where(acting)
    when = _settlement_days(when, out["settlement_day"])
    # few distinct dates: look each up in the holiday calendar once
    workday = {d: pd.Timestamp(next_workday(d.date())) for d in when.dropna().unique()}
    dates = when.map(workday).astype("datetime64[s]")
    windows = out["channel"].map(lambda c: _window(c, plan)).where(acting, "")
    waiting = held & acting
    reasons = pd.Series("", index=out.index, dtype="object")
    reasons[waiting] = pd.Series(
        [msg("held.contacted", date=day, channel=msg(f"channel.{channel}") if channel else "")
         for day, channel in zip(out.loc[waiting, "last_contact_date"],
                                 out.loc[waiting, "last_channel"], strict=True)],
        index=out.index[waiting],
        dtype="object",
    )  # fmt: skip
    return dates, windows.astype("object"), reasons


def _settlement_days(when: pd.Series, day_of_month: pd.Series) -> pd.Series:
    """Be there on the customer's settlement day (结算日) when it falls within two weeks."""
    day = pd.to_numeric(day_of_month, errors="coerce")
    has = when.notna() & day.between(1, 31)
    if not has.any():
        return when
    base = when[has]
    month_end = base + pd.offsets.MonthEnd(0)
    this_month = base.dt.to_period("M").dt.start_time + pd.to_timedelta(
        day[has].clip(upper=month_end.dt.day) - 1, unit="D"
    )
    next_start = (base + pd.offsets.MonthBegin(1)).dt.normalize()
    next_end = next_start + pd.offsets.MonthEnd(0)
    next_month = next_start + pd.to_timedelta(day[has].clip(upper=next_end.dt.day) - 1, unit="D")
    target = this_month.where(this_month >= base, next_month)
    soon = (target - base).dt.days <= 14
    out = when.copy()
    out[has] = target.where(soon, base).astype(when.dtype)
    return out


def _window(channel: str, plan) -> Msg | str:
    if channel == "phone":
        return msg("window.call", window=plan.call_window)
    if channel == "visit":
        return msg("window.visit", window=plan.visit_window)
    if channel in ("letter", "lawyer", "email", "sms"):
        return msg("window.send_by")
    return ""


@functools.lru_cache(maxsize=4096)  # a run asks for the same few hundred days again and again
def next_workday(day: dt.date) -> dt.date:
    """The first PRC working day on or after `day` (public holidays and 调休 make-up days from
    chinese_calendar; past its data, Monday to Friday)."""
    for _ in range(40):
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            working = day.weekday() < 5
        if working:
            return day
        day += dt.timedelta(days=1)
    return day


# ---- lists ---------------------------------------------------------------------------------


def credit_holds(planned, open_items, decimals, config) -> dict:
    """Stop shipping, with every reason that applies (信用控制: 现款现货, 送二结一, limits):
    `hold_reason` is a tuple of messages (credit_hold.*), "" when shipping goes on."""
    days = config.plan.credit_hold_days
    over = planned["open_base_minor"] - planned["credit_limit_base_minor"].astype("Float64")
    overdue = planned["overdue_base_minor"] > 0
    invoices = open_items[open_items["doc_type"].ne("credit_note")].groupby("customer_id").size()
    open_count = planned["customer_id"].map(invoices).fillna(0)
    grade = planned["grade"].astype(str)
    applies = {
        "over_limit": (over.fillna(0) > 0).to_numpy(dtype=bool),
        "cash_only": (planned["settlement"].eq("cash_only") & (planned["open_base_minor"] > 0)),
        "deliver_two_settle_one": planned["settlement"].eq("deliver_two_settle_one")
        & (open_count >= 2)
        & overdue,
        "late": (planned["max_days_overdue"] > days) & overdue,
        "grade": grade.isin(["bad", "dead"]),
    }
    applies = pd.DataFrame(applies, index=planned.index)
    held = applies.any(axis=1)
    reasons = pd.Series("", index=planned.index, dtype="object")
    # the held customers' rows and flags as plain lists: in a wide portfolio of small overdue
    # accounts most customers are held, and a lookup per cell cost seconds
    rows = planned.loc[held, ["open_base_minor", "credit_limit_base_minor", "grade"]]
    flags = applies[held].to_numpy()
    found = [
        tuple(_hold_reason(key, row, days, decimals)
              for key, on in zip(applies.columns, row_flags, strict=True) if on)
        for row, row_flags in zip(rows.to_dict("records"), flags, strict=True)
    ]  # fmt: skip
    reasons[held] = pd.Series(found, index=rows.index, dtype="object")
    return {"credit_hold": held, "hold_reason": reasons}


def _hold_reason(key: str, row, days: int, decimals: int) -> Msg:
    if key == "over_limit":
        # base-currency amounts: the plan does not know the code, the sheet's header says it
        return msg("credit_hold.over_limit",
                   open=Money(int(row["open_base_minor"]), "", decimals),
                   limit=Money(int(row["credit_limit_base_minor"]), "", decimals))  # fmt: skip
    if key == "late":
        return msg("credit_hold.late", days=days)
    if key == "grade":
        return msg("credit_hold.grade", grade=msg(f"grade.{row['grade']}"))
    return msg(f"credit_hold.{key}")


def limitation_alerts(open_items: pd.DataFrame, as_of: pd.Timestamp, config) -> pd.DataFrame:
    """Items whose 3-year limitation ends within the alert window, and those already past."""
    left = (open_items["limitation_date"] - as_of).dt.days
    alert = open_items[left <= config.plan.limitation_alert_days].copy()
    alert["days_left"] = left[alert.index].astype("int64")
    # past: only the debtor's signed acknowledgement (对账函) revives it; else a written demand
    # or a lawsuit before the date interrupts it
    alert["action"] = [
        msg("limitation.past") if left < 0 else msg("limitation.before", date=day)
        for left, day in zip(alert["days_left"], alert["limitation_date"], strict=True)
    ]
    columns = [
        "customer_id",
        "customer_name",
        "doc_no",
        "due_date",
        "open_base_minor",
        "limitation_date",
        "days_left",
        "action",
    ]
    return alert.sort_values(["days_left", "customer_id"])[columns].reset_index(drop=True)


def _broken(promises: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "customer_id",
        "name",
        "currency",
        "contact_date",
        "promise_date",
        "promise_minor",
        "received_minor",
        "verdict",
        "by",
        "note",
    ]
    if promises.empty:
        return pd.DataFrame(columns=columns)
    bad = promises[promises["verdict"].isin(["broken", "partly_kept"])]
    return bad.sort_values(["customer_id", "promise_date"])[columns].reset_index(drop=True)


def visit_routes(planned: pd.DataFrame, config) -> pd.DataFrame:
    """Customers due a visit, grouped by region and ordered by distance, a few per trip, so
    one journey collects from several (一网打尽)."""
    visits = planned[planned["channel"].eq("visit") & planned["rank"].notna()].copy()
    columns = [
        "route",
        "stop",
        "region",
        "customer_id",
        "name",
        "distance_km",
        "overdue_base_minor",
        "next_contact_date",
    ]
    if visits.empty:
        return pd.DataFrame(columns=columns)
    visits["distance_km"] = pd.to_numeric(visits["distance_km"], errors="coerce")
    visits = visits.sort_values(["region", "distance_km", "customer_id"])
    position = visits.groupby("region").cumcount()
    trip = position // config.plan.visits_per_trip
    visits["route"] = [
        msg("route.trip", region=region or msg("route.no_region"), n=str(n))
        for region, n in zip(visits["region"], trip + 1, strict=True)
    ]
    visits["region"] = visits["region"].where(visits["region"].ne(""), msg("route.no_region"))
    visits["stop"] = position % config.plan.visits_per_trip + 1
    return visits[columns].reset_index(drop=True)


def instalments(planned, as_of, decimals, config) -> pd.DataFrame:
    """Monthly instalments for willing-but-unable debtors (cooperative or slow, not yet bad)."""
    plan = config.plan
    willing = planned[
        planned["cooperation"].isin(["cooperative", "slow"])
        & planned["grade"].astype(str).isin(["in_collection", "doubtful"])
        & (planned["overdue_base_minor"] >= plan.instalment_min * 10**decimals)
        & planned["block_reason"].eq("")
    ]
    rows = []
    for customer in willing.itertuples():
        total, months = int(customer.overdue_base_minor), plan.instalment_months
        share, rest = divmod(total, months)
        for month in range(1, months + 1):
            due = (as_of + pd.offsets.MonthEnd(month)).normalize()
            rows.append(
                {
                    "customer_id": customer.customer_id,
                    "name": customer.name,
                    "instalment": month,
                    "due_date": due,
                    "amount_base_minor": share + (rest if month == 1 else 0),
                }
            )
    columns = ["customer_id", "name", "instalment", "due_date", "amount_base_minor"]
    return pd.DataFrame(rows, columns=columns)
