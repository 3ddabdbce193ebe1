"""Payment behaviour (了解欠款人): how each customer pays, when each open item should be paid,
and the cash expected week by week.

In: the settled debits (`aging.settle`, with `paid_date`: when each debit's last cent was paid),
the graded open items, the customer table, the customer master and the contact log, the as-of
date, the base currency with the FX rates, and the `behaviour` config. Out: `Behaviour` — the
customer table with BEHAVIOUR_COLUMNS, the open items with EXPECTED_COLUMNS, and the cash
forecast (weekly, monthly, and what is not expected within its weeks). No issues: this stage
only reads what settlement decided.

Learned only from the past: an invoice counts as paid when settlement applied receipts to its
last cent; rows dated after the as-of date never reach settlement, so a register's settled
dates after the as-of date cannot leak in.

Behaviour per customer, from its paid invoices (amount-weighted, base currency): days to pay
(paid - document date), days late (paid - due date; negative = early), on-time share (invoices
paid by their due date), trend (days late over the last 3 months minus the 12 before), and a
state: `worsening` when the oldest overdue item is `worsening_days` past what the customer
usually pays (its 90th percentile of days late, the portfolio's with fewer than `min_invoices`
paid) or the trend reaches `worsening_trend_days`; else `habitually_late` from `late_days`
late on average; else `on_time`, or `no_history` with nothing paid.

Expected payment date, an estimator a collector can check by hand:
  1. days late of every paid invoice;
  2. a customer's delay = its mean days late, recent payments weighing more (half-life
     `half_life_days`), blended with the portfolio's mean as if the portfolio were
     `shrink_invoices` more invoices: (sum w*late + k*portfolio) / (sum w + k);
  3. amount: bigger invoices than the customer's usual may take longer; the days per doubling
     are fitted on the paid invoices (least squares on what the delay leaves unexplained);
  4. an open item is unpaid at the as-of date, so it will be paid later than it already is:
     expected days late = delay + the median of the portfolio's deviations (days late minus
     that customer's delay) among those larger than what the item has already used up. An
     item later than all but `min_later_paid` paid invoices gets no date (`beyond_history`).
Dead items and items of customers in a lawsuit get no date; disputed and held items get the
date the model believes, with the reason beside it. Without any paid invoice in the ledger
(an open-items export), items not yet due are expected on their due date, the rest get none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from aging.model import BEHAVIOUR_COLUMNS, EXPECTED_COLUMNS  # noqa: F401 (the contract)
from aging.parse import currency_decimals

STATES = ("no_history", "on_time", "habitually_late", "worsening")
NO_DATE_REASONS = ("dead", "lawsuit", "beyond_history", "no_history")
HABIT_RISK = 0.25
TREND_INVOICES = 2  # paid invoices needed in each window before a trend is shown
SPREAD_SHRINK = 5.0  # invoices' worth of the portfolio's spread in each customer's
MIN_FOR_AMOUNT = 30  # paid invoices needed before the amount's effect is fitted
MIN_DISPUTED = 10  # paid invoices of each kind, disputed and not, before a dispute counts
NOT_BLOCKED = ("", "no", "n", "false", "0", "否")


@dataclass(frozen=True)
class Behaviour:
    customers: pd.DataFrame  # the customer table + BEHAVIOUR_COLUMNS
    open_items: pd.DataFrame  # the open items + EXPECTED_COLUMNS
    forecast: pd.DataFrame  # week, week_start, week_end, expected_base_minor, items
    forecast_months: pd.DataFrame  # month (first day), expected_base_minor, items
    not_expected: pd.DataFrame  # overdue (bool), reason, open_base_minor, items


def payment_behaviour(debits, open_items, customers, master, contacts, as_of, base, fx_rates,
                      config) -> Behaviour:  # fmt: skip
    rules = config.behaviour
    paid = paid_history(debits, as_of, _base_factors(base, fx_rates))
    profile = customer_profile(paid, open_items, customers["customer_id"], as_of, rules)
    out = customers.drop(columns=[c for c in BEHAVIOUR_COLUMNS if c in customers])
    out = out.merge(profile, on="customer_id", how="left", validate="one_to_one")
    facts = out.set_index("customer_id")[["status", "behaviour_reason"]]
    to_base = _base_factors(base, fx_rates)
    flagged = item_disputes(open_items, debits)
    items = expected_dates(
        paid, open_items, flagged, facts, master, contacts, as_of, to_base, rules
    )
    weeks, months, outside = forecast(items, as_of, rules.forecast_weeks)
    return Behaviour(out, items, weeks, months, outside)


# ---- history ---------------------------------------------------------------------------------


def paid_history(debits: pd.DataFrame, as_of: pd.Timestamp, to_base) -> pd.DataFrame:
    """One row per debit fully paid by the as-of date with at least one receipt in it: customer,
    doc and due date, paid date, days to pay and late, and a weight (its amount in base minor
    units, as a float: `to_base(minor, currency)`)."""
    paid = debits[debits["paid_date"].notna() & debits["last_receipt_date"].notna()]
    # a document with no date of its own (a due date only) says nothing of days to pay
    paid = paid[(paid["paid_date"] <= as_of) & paid["doc_date"].notna()]
    # Paid on account before the invoice was raised: it was paid the day it was issued.
    paid_date = paid["paid_date"].where(paid["paid_date"] >= paid["doc_date"], paid["doc_date"])
    return pd.DataFrame(
        {
            "customer_id": paid["customer_id"],
            "doc_date": paid["doc_date"],
            "due_date": paid["due_eff"],
            "paid_date": paid_date,
            "days_to_pay": (paid_date - paid["doc_date"]).dt.days.astype("int64"),
            "days_late": (paid_date - paid["due_eff"]).dt.days.astype("int64"),
            "weight": to_base(paid["balance_minor"], paid["currency"]),
            "disputed": _flag(paid, "disputed"),
        }
    ).reset_index(drop=True)


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column when the frame has it (the ledger's dispute flag), else all False."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


def _base_factors(base: str, fx_rates: dict):
    """(minor, currency) -> base minor units as floats: for weights and amount ratios only;
    money stays exact elsewhere."""

    def factor(currency: str) -> float:
        if currency == base or currency not in fx_rates:
            return 1.0
        shift = currency_decimals(base) - currency_decimals(currency)
        return float(Decimal(str(fx_rates[currency]).replace(",", "")) * Decimal(10) ** shift)

    def to_base(minor: pd.Series, currency: pd.Series) -> pd.Series:
        rates = {c: factor(c) for c in currency.unique()}
        return minor.astype(float) * currency.map(rates).astype(float)

    return to_base


# ---- behaviour per customer ------------------------------------------------------------------


def customer_profile(paid, open_items, ids: pd.Series, as_of, rules) -> pd.DataFrame:
    """BEHAVIOUR_COLUMNS for each customer id (one row each, in the order given)."""
    out = pd.DataFrame({"customer_id": ids.to_numpy()}).set_index("customer_id")
    by = paid.groupby("customer_id")
    weighted = paid.assign(
        w_pay=paid["weight"] * paid["days_to_pay"],
        w_late=paid["weight"] * paid["days_late"],
        on_time=paid["days_late"].le(0),
    ).groupby("customer_id")
    sums = weighted[["weight", "w_pay", "w_late"]].sum()
    out["paid_invoices"] = by.size().reindex(out.index).fillna(0).astype("int64")
    out["avg_days_to_pay"] = (sums["w_pay"] / sums["weight"]).reindex(out.index)
    out["avg_days_late"] = (sums["w_late"] / sums["weight"]).reindex(out.index)
    out["on_time_share"] = weighted["on_time"].mean().reindex(out.index)
    out["trend_days"] = _trend(paid, as_of).reindex(out.index)
    usual = _quantile_by(paid, 0.9)
    portfolio_usual = float(paid["days_late"].quantile(0.9)) if len(paid) else 0.0
    enough = out["paid_invoices"] >= rules.min_invoices
    out["usual_days_late"] = usual.reindex(out.index).where(enough, portfolio_usual)
    late_now = _late_now(open_items, as_of).reindex(out.index)
    beyond = (late_now - out["usual_days_late"].clip(lower=0)).fillna(-np.inf)
    trend = out["trend_days"].fillna(-np.inf)
    worsening = (beyond >= rules.worsening_days) | (trend >= rules.worsening_trend_days)
    habit = enough & out["avg_days_late"].ge(rules.late_days) & ~worsening
    state = np.select(
        [worsening, habit, ~enough], ["worsening", "habitually_late", "no_history"], "on_time"
    )
    out["behaviour"] = pd.Series(state, index=out.index, dtype="str")
    beyond_usual = beyond >= rules.worsening_days
    out["behaviour_reason"] = np.where(
        worsening, np.where(beyond_usual, "beyond_usual", "trend"), ""
    )
    # Worsening weighs 0.75 at its threshold and 1 at twice it; a habit a quarter.
    how_far = np.maximum(beyond / rules.worsening_days, trend / rules.worsening_trend_days)
    out["behaviour_risk"] = np.select(
        [worsening, habit], [np.clip(0.5 + how_far / 4, 0.75, 1.0), HABIT_RISK], 0.0
    )
    allowance = out["avg_days_late"].clip(lower=0, upper=rules.allowance_max_days)
    out["ladder_allowance_days"] = allowance.where(habit, 0).fillna(0).round().astype("int64")
    return out.reset_index()


def _trend(paid: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Amount-weighted days late paid in the last 3 months minus in the 12 months before, for
    customers with at least TREND_INVOICES paid in each."""
    recent_start = as_of - pd.DateOffset(months=3)
    year_start = recent_start - pd.DateOffset(months=12)
    recent = paid["paid_date"] > recent_start
    before = (paid["paid_date"] > year_start) & ~recent

    def mean_late(rows: pd.Series) -> pd.Series:
        part = paid[rows]
        by = part.groupby("customer_id")
        w = by["weight"].sum()
        mean = (part["weight"] * part["days_late"]).groupby(part["customer_id"]).sum() / w
        return mean[by.size() >= TREND_INVOICES]

    return mean_late(recent) - mean_late(before)


def _quantile_by(paid: pd.DataFrame, q: float) -> pd.Series:
    """Each customer's q-quantile of days late (linear, as pandas' quantile)."""
    return paid.groupby("customer_id")["days_late"].quantile(q)


def _late_now(open_items: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Days past due of each customer's oldest overdue item (by due date, whatever the aging
    basis), for customers with one."""
    late = (as_of - open_items["due_date"]).dt.days
    overdue = late >= 1
    return late[overdue].groupby(open_items.loc[overdue, "customer_id"]).max()


# ---- expected payment dates ------------------------------------------------------------------


@dataclass(frozen=True)
class Delays:
    """What the estimator learned: each customer's delay and spread, the portfolio's, the days
    per doubling of the amount, and the sorted standardised deviations the conditional median
    is read from."""

    delay: pd.Series  # customer_id -> delay in days (shrunk toward the portfolio's)
    spread: pd.Series  # customer_id -> spread in days (shrunk toward the portfolio's)
    portfolio_delay: float
    portfolio_spread: float
    per_doubling: float
    usual_amount: pd.Series  # customer_id -> median paid amount (base minor units)
    dispute_days: float  # how much later a disputed invoice has been paid (0: unknown)
    deviations: np.ndarray  # sorted (days late - delay - amount and dispute terms) / spread


def learn_delays(paid: pd.DataFrame, as_of: pd.Timestamp, rules) -> Delays:
    if paid.empty:
        empty = pd.Series(dtype=float)
        return Delays(empty, empty, 0.0, 1.0, 0.0, empty, 0.0, np.array([], dtype=float))
    age_days = (as_of - paid["paid_date"]).dt.days.clip(lower=0)
    w = 0.5 ** (age_days / rules.half_life_days)
    late = paid["days_late"].astype(float)
    delay, portfolio = _shrunk_mean(late, w, paid["customer_id"], rules.shrink_invoices)
    # A dispute flag on the ledger: how much later disputed invoices came than the customer's
    # others, taken out before the customers' own delays are learned.
    dispute_days = _dispute_days(late - paid["customer_id"].map(delay), w, paid["disputed"])
    if dispute_days:
        late = late - dispute_days * paid["disputed"]
        delay, portfolio = _shrunk_mean(late, w, paid["customer_id"], rules.shrink_invoices)
    left = late - paid["customer_id"].map(delay)
    usual_amount = paid["weight"].groupby(paid["customer_id"]).median()
    ratio = _log2_ratio(paid["weight"], paid["customer_id"].map(usual_amount))
    per_doubling = _slope(ratio, left) if len(paid) >= MIN_FOR_AMOUNT else 0.0
    left = left - per_doubling * ratio
    # Spread: mean absolute deviation of what is left (a few debts paid years late must not
    # widen everyone's), shrunk like the delay but harder (a spread needs more invoices).
    spread, portfolio_spread = _shrunk_mean(left.abs(), w, paid["customer_id"], SPREAD_SHRINK)
    spread = spread.clip(lower=1.0)
    portfolio_spread = max(portfolio_spread, 1.0)
    deviations = np.sort((left / paid["customer_id"].map(spread)).to_numpy(dtype=float))
    return Delays(delay, spread, portfolio, portfolio_spread, per_doubling, usual_amount,
                  dispute_days, deviations)  # fmt: skip


def _dispute_days(left: pd.Series, w: pd.Series, disputed: pd.Series) -> float:
    """Weighted mean of what the delay leaves for disputed invoices minus for the others; 0
    with fewer than MIN_DISPUTED of either."""
    if disputed.sum() < MIN_DISPUTED or (~disputed).sum() < MIN_DISPUTED:
        return 0.0
    on, off = w[disputed], w[~disputed]
    return float((on * left[disputed]).sum() / on.sum() - (off * left[~disputed]).sum() / off.sum())


def _shrunk_mean(values: pd.Series, w: pd.Series, customer: pd.Series, k: float):
    """Per customer: (sum w*v + k*portfolio) / (sum w + k); and the portfolio's weighted mean."""
    portfolio = float((w * values).sum() / w.sum())
    sums = pd.DataFrame({"w": w, "wv": w * values}).groupby(customer).sum()
    return (sums["wv"] + k * portfolio) / (sums["w"] + k), portfolio


def _log2_ratio(amount: pd.Series, usual: pd.Series) -> pd.Series:
    ratio = np.log2(amount.astype(float) / usual.astype(float))
    return ratio.replace([np.inf, -np.inf], np.nan).fillna(0.0)


def _slope(x: pd.Series, y: pd.Series) -> float:
    """Least squares through the origin (x is centred on each customer's median already)."""
    xx = float((x * x).sum())
    return float((x * y).sum() / xx) if xx > 0 else 0.0


def expected_dates(paid, open_items, flagged, facts, master, contacts, as_of, to_base, rules):
    """open_items + expected_pay_date and expected_reason. `flagged`: the ledger's dispute flag
    per item (bool, aligned); `facts`: status and behaviour_reason by customer_id."""
    learned = learn_delays(paid, as_of, rules)
    items = open_items.copy()
    late_now = (as_of - items["due_date"]).dt.days.to_numpy(dtype=float)
    amount = to_base(items["amount_minor"], items["currency"])
    ratio = _log2_ratio(amount, _per_item(items, learned.usual_amount))
    # A customer already far later than it ever paid has broken its habit: its own record
    # says little now, so it is expected as the portfolio pays.
    broken = items["customer_id"].map(facts["behaviour_reason"]).eq("beyond_usual")
    own_delay = _per_item(items, learned.delay).where(~broken)
    delay = own_delay.fillna(learned.portfolio_delay)
    delay = delay + learned.per_doubling * ratio + learned.dispute_days * flagged
    delay = delay.to_numpy(dtype=float)
    own_spread = _per_item(items, learned.spread).where(~broken)
    spread = own_spread.fillna(learned.portfolio_spread)
    days_late, known = _conditional_median(
        learned.deviations, delay, spread.to_numpy(dtype=float), late_now, rules.min_later_paid
    )
    if len(learned.deviations) == 0:  # nothing ever paid: the due date, if still ahead
        days_late = np.zeros(len(items))
        known = late_now <= 0
    days = np.maximum(np.floor(days_late + 0.5), late_now + 1)  # paid after the as-of date
    shift = pd.to_timedelta(np.where(known, days, 0), unit="D")
    expected = (items["due_date"] + shift).where(known)
    reason = pd.Series("", index=items.index, dtype="str")
    reason = reason.mask(~known, "beyond_history" if len(learned.deviations) else "no_history")
    reason = reason.mask(known & (len(learned.deviations) == 0), "due_date")
    held, disputed = _held(items, master), flagged | _disputed_by_contact(items, contacts)
    reason = reason.mask(known & held, "held").mask(known & disputed, "disputed")
    status = items["customer_id"].map(facts["status"]).fillna("")
    gone = items["grade"].astype(str).eq("dead")
    sued = status.eq("lawsuit") & ~gone
    reason = reason.mask(sued, "lawsuit").mask(gone, "dead")
    items["expected_pay_date"] = expected.where(~(gone | sued)).astype("datetime64[s]")
    items["expected_reason"] = reason
    return items


def _per_item(items: pd.DataFrame, by_customer: pd.Series) -> pd.Series:
    """A learned per-customer number for each item (NaN for customers it knows nothing of)."""
    return items["customer_id"].map(by_customer).astype(float)


def _conditional_median(deviations, delay, spread, late_now, min_later_paid: int):
    """Median of delay + spread * deviation over the deviations that put the payment after the
    as-of date (delay + spread * deviation > late_now); `known` is False where fewer than
    min_later_paid deviations do."""
    n = len(deviations)
    if n == 0:
        return np.zeros(len(delay)), np.zeros(len(delay), dtype=bool)
    first = np.searchsorted(deviations, (late_now - delay) / spread, side="right")
    count = n - first
    low = deviations[np.minimum(first + (count - 1) // 2, n - 1)]
    high = deviations[np.minimum(first + count // 2, n - 1)]
    return delay + spread * (low + high) / 2, count >= min_later_paid


def _held(items: pd.DataFrame, master) -> pd.Series:
    """Items of customers with a dunning block in the master (SAP's payment/dunning block)."""
    if master is None or "dunning_block" not in master:
        return pd.Series(False, index=items.index)
    block = master.set_index("customer_id")["dunning_block"].astype(str).str.strip().str.lower()
    blocked = set(block.index[~block.isin(NOT_BLOCKED)])
    return items["customer_id"].isin(blocked)


def item_disputes(open_items: pd.DataFrame, debits: pd.DataFrame) -> pd.Series:
    """The ledger's dispute flag of each open item: its own column when the open items carry
    it, else the flag of the debit row it came from (same file, sheet and row)."""
    if "disputed" in open_items:
        return _flag(open_items, "disputed")
    if "disputed" not in debits:
        return pd.Series(False, index=open_items.index)
    keys = ["src_file", "src_sheet", "src_row", "doc_no"]
    flags = debits[[*keys, "disputed"]].drop_duplicates(keys)
    found = open_items[keys].merge(flags, on=keys, how="left")["disputed"]
    return pd.Series(found.fillna(False).astype(bool).to_numpy(), index=open_items.index)


def _disputed_by_contact(items: pd.DataFrame, contacts: pd.DataFrame) -> pd.Series:
    """The customer's latest contact recorded a dispute (about this document, or naming none)."""
    flag = pd.Series(False, index=items.index)
    if contacts.empty:
        return flag
    latest = contacts.sort_values(["contact_date", "src_row"]).groupby("customer_id").tail(1)
    latest = latest[latest["outcome"].eq("disputed")].set_index("customer_id")["doc_no"]
    named = items["customer_id"].map(latest)
    return flag | (named.notna() & (named.fillna("").eq("") | named.eq(items["doc_no"])))


# ---- cash forecast ---------------------------------------------------------------------------


def forecast(items: pd.DataFrame, as_of: pd.Timestamp, weeks: int):
    """Open amounts by the week (from the day after the as-of date) and calendar month of their
    expected payment date; what falls outside, split by overdue now or not and the reason."""
    starts = as_of + pd.to_timedelta(1 + 7 * np.arange(weeks), unit="D")
    horizon_end = as_of + pd.Timedelta(days=7 * weeks)
    expected = items["expected_pay_date"]
    inside = expected.notna() & (expected <= horizon_end)
    week = ((expected[inside] - as_of).dt.days - 1) // 7
    amounts = items.loc[inside, "open_base_minor"]
    by_week = amounts.groupby(week).agg(["sum", "size"]).reindex(range(weeks), fill_value=0)
    weekly = pd.DataFrame(
        {
            "week": np.arange(1, weeks + 1),
            "week_start": starts.astype("datetime64[s]"),
            "week_end": (starts + pd.Timedelta(days=6)).astype("datetime64[s]"),
            "expected_base_minor": by_week["sum"].to_numpy(dtype="int64"),
            "items": by_week["size"].to_numpy(dtype="int64"),
        }
    )
    month = expected[inside].dt.to_period("M").dt.start_time.astype("datetime64[s]")
    months = amounts.groupby(month).agg(["sum", "size"])
    all_months = pd.period_range(starts[0], horizon_end, freq="M").start_time
    months = months.reindex(all_months.astype("datetime64[s]"), fill_value=0)
    monthly = pd.DataFrame(
        {
            "month": months.index.astype("datetime64[s]"),
            "expected_base_minor": months["sum"].to_numpy(dtype="int64"),
            "items": months["size"].to_numpy(dtype="int64"),
        }
    )
    return weekly, monthly, _not_expected(items, inside)


def _not_expected(items: pd.DataFrame, inside: pd.Series) -> pd.DataFrame:
    """Open items not expected within the forecast: overdue now or not, by reason ('later' for
    a date past the last week)."""
    rest = items[~inside]
    reason = rest["expected_reason"].where(rest["expected_pay_date"].isna(), "later")
    frame = pd.DataFrame(
        {
            "overdue": rest["days_overdue"].ge(1).to_numpy(),
            "reason": reason.to_numpy(),
            "open_base_minor": rest["open_base_minor"].to_numpy(dtype="int64"),
        }
    )
    out = (
        frame.groupby(["overdue", "reason"], sort=False)
        .agg(open_base_minor=("open_base_minor", "sum"), items=("open_base_minor", "size"))
        .reset_index()
    )
    order = {r: i for i, r in enumerate(("later", *NO_DATE_REASONS))}
    out["order"] = out["reason"].map(order).fillna(len(order))
    out = out.sort_values(["overdue", "order"], ascending=[False, True], kind="stable")
    return (
        out.drop(columns="order")
        .reset_index(drop=True)
        .astype({"open_base_minor": "int64", "items": "int64"})
    )
