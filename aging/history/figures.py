"""Month-end figures from the history: totals, countback DSO, CEI, roll rates, promises kept.

In: the items open at each month-end (`month_end`, `item`, `open_minor`, `open_base_minor`,
`days_overdue`, `bucket`), the month-ends, each calendar month's sales and receipts in the base
currency, the promise verdicts. Out: plain DataFrames and numbers, defined as the README's
"History" semantics say (base currency; integer minor units here, two decimals in the CSVs):

- open_total(M): items open at M (unapplied credits not netted); overdue_total: the part with
  days_overdue >= 1; not_due_total: the rest.
- sales(month): positive documents dated in that calendar month; receipts(month): negative
  documents (receipts, credit notes) dated in it, as a positive number.
- dso_countback(M): AR = open_total(M); walk back calendar months from M's: while
  AR >= sales(month) > 0, AR -= sales(month) and add the month's days; then add
  AR / sales(month) x that month's days (nothing for a month with no sales) and stop; the walk
  stops at the export's first month at the latest. One decimal.
- cei(M) = (open(M-1) + sales(M) - open(M)) / (open(M-1) + sales(M) - not_due(M)) x 100, one
  decimal; blank for the first month-end and when the denominator is 0.
- roll rates: for consecutive month-ends, each item open at the first splits its open amount
  into the part still open at the second (under its bucket then) and the part settled in
  between (`paid`); items new at the second are not counted.
No issues: these only add up what the rebuild or the store decided.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

PAID = "paid"
FLOW_COLUMNS = ("month_end", "sales_base_minor", "receipts_base_minor")


def month_end_of(dates: pd.Series) -> pd.Series:
    """Each date's calendar month, as that month's last day."""
    return dates.dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()


def flows(dates: pd.Series, balance_base_minor: pd.Series) -> pd.DataFrame:
    """Sales (positive documents) and receipts (negative ones, as a positive number) per
    calendar month, from the first document's month to the last, months without documents
    included with zeros."""
    if dates.dropna().empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in FLOW_COLUMNS}).astype(
            {"month_end": "datetime64[s]"}
        )
    month = month_end_of(dates)
    frame = pd.DataFrame(
        {
            "month_end": month,
            "sales_base_minor": balance_base_minor.clip(lower=0),
            "receipts_base_minor": (-balance_base_minor).clip(lower=0),
        }
    )
    sums = frame.groupby("month_end").sum().astype("int64")
    every = pd.date_range(sums.index.min(), sums.index.max(), freq="ME")
    out = sums.reindex(every, fill_value=0).rename_axis("month_end").reset_index()
    out["month_end"] = out["month_end"].astype("datetime64[s]")
    return out


def countback(ar_minor: int, at: pd.Timestamp, sales: dict, first: pd.Timestamp | None) -> float:
    """Countback DSO at `at`: `sales` maps month-end -> sales in that month (base minor),
    `first` is the month-end of the export's first month. The month of `at` counts the days
    up to `at` (all of them at a month-end)."""
    at = pd.Timestamp(at)
    month = at + pd.offsets.MonthEnd(0)
    days, ar = 0.0, int(ar_minor)
    in_month = at.day
    while True:
        month_sales = int(sales.get(month, 0))
        earliest = first is None or month <= first
        if ar >= month_sales > 0 and not earliest:
            ar -= month_sales
            days += in_month
        else:
            if month_sales > 0:
                days += ar / month_sales * in_month
            return round(days, 1)
        month = month - pd.offsets.MonthEnd(1)
        in_month = calendar.monthrange(month.year, month.month)[1]


def monthly(
    items: pd.DataFrame, ends: list, flow: pd.DataFrame, buckets: list[str]
) -> pd.DataFrame:
    """One row per month-end, oldest first: totals, sales, receipts, dso_countback, cei, and the
    open balance per bucket (a column per bucket label)."""
    overdue = items["open_base_minor"].where(items["days_overdue"] >= 1, 0)
    per_month = (
        items.assign(overdue_base_minor=overdue)
        .groupby("month_end")[["open_base_minor", "overdue_base_minor"]]
        .sum()
        .reindex(pd.DatetimeIndex(ends), fill_value=0)
        .astype("int64")
    )
    per_bucket = items.pivot_table(
        index="month_end", columns="bucket", values="open_base_minor", aggfunc="sum",
        observed=False, fill_value=0,
    ).reindex(index=pd.DatetimeIndex(ends), columns=buckets, fill_value=0)  # fmt: skip
    sales = _by_month(flow, "sales_base_minor")
    receipts = _by_month(flow, "receipts_base_minor")
    first = flow["month_end"].min() if len(flow) else None
    out = pd.DataFrame({"month_end": pd.DatetimeIndex(ends).astype("datetime64[s]")})
    out["open_base_minor"] = per_month["open_base_minor"].to_numpy()
    out["overdue_base_minor"] = per_month["overdue_base_minor"].to_numpy()
    out["not_due_base_minor"] = out["open_base_minor"] - out["overdue_base_minor"]
    out["sales_base_minor"] = [int(sales.get(pd.Timestamp(m), 0)) for m in ends]
    out["receipts_base_minor"] = [int(receipts.get(pd.Timestamp(m), 0)) for m in ends]
    out["dso_countback"] = [
        countback(ar, m, sales, first) for ar, m in zip(out["open_base_minor"], ends, strict=True)
    ]
    out["cei"] = _cei(out)
    for bucket in buckets:
        out[bucket] = per_bucket[bucket].astype("int64").to_numpy()
    return out


def _by_month(flow: pd.DataFrame, column: str) -> dict:
    return {pd.Timestamp(m): int(v) for m, v in zip(flow["month_end"], flow[column], strict=True)}


def _cei(rows: pd.DataFrame) -> list:
    out: list = [None]
    opens = rows["open_base_minor"].tolist()
    for k in range(1, len(rows)):
        sales = int(rows["sales_base_minor"].iloc[k])
        collectable = opens[k - 1] + sales - int(rows["not_due_base_minor"].iloc[k])
        collected = opens[k - 1] + sales - opens[k]
        out.append(round(collected / collectable * 100, 1) if collectable else None)
    return out


def roll_rates(items: pd.DataFrame, ends: list, buckets: list[str]) -> pd.DataFrame:
    """from_month_end, to_month_end, from_bucket, to_bucket, amount_base_minor: for each pair
    of consecutive month-ends, where the amounts open at the first went (zero amounts left
    out). An item whose open amount grew counts only what was open at the first."""
    columns = ["from_month_end", "to_month_end", "from_bucket", "to_bucket", "amount_base_minor"]
    to_labels = np.array([*buckets, PAID], dtype=object)
    n = len(buckets)
    month = items["month_end"].to_numpy(dtype="datetime64[s]")
    item = items["item"].to_numpy(dtype="int64")
    open_minor = items["open_minor"].to_numpy(dtype="int64")
    open_base = items["open_base_minor"].to_numpy(dtype="int64")
    code = pd.Categorical(items["bucket"].astype(str), categories=buckets).codes.astype("int64")
    size = int(item.max()) + 1 if len(item) else 0
    parts = []
    for start, end in zip(ends, ends[1:], strict=False):
        first = np.flatnonzero(month == np.datetime64(pd.Timestamp(start), "s"))
        if not len(first):
            continue
        later = np.flatnonzero(month == np.datetime64(pd.Timestamp(end), "s"))
        at_later = np.full(size, -1, dtype="int64")  # item -> its row at the later month-end
        at_later[item[later]] = later
        found = at_later[item[first]]
        here = found >= 0
        row = np.where(here, found, 0)
        # Still open: the later amount, but never more than was open at the first.
        grew = here & (open_minor[row] > open_minor[first])
        still = np.where(here, np.where(grew, open_base[first], open_base[row]), 0)
        sums = np.zeros((n, n + 1), dtype="int64")
        np.add.at(sums, (code[first], np.where(here, code[row], n)), still)
        np.add.at(sums, (code[first], np.full(len(first), n)), open_base[first] - still)
        src, dst = np.nonzero(sums)
        parts.append(pd.DataFrame({
            "from_month_end": pd.Timestamp(start), "to_month_end": pd.Timestamp(end),
            "from_bucket": np.array(buckets, dtype=object)[src], "to_bucket": to_labels[dst],
            "amount_base_minor": sums[src, dst],
        }))  # fmt: skip
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        return empty.astype({"from_month_end": "datetime64[s]", "to_month_end": "datetime64[s]",
                             "amount_base_minor": "int64"})  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    for column in ("from_month_end", "to_month_end"):
        out[column] = out[column].astype("datetime64[s]")
    out["amount_base_minor"] = out["amount_base_minor"].astype("int64")
    return out[columns]


def headline(open_items: pd.DataFrame, as_of: pd.Timestamp, flow: pd.DataFrame) -> dict:
    """The Summary's DSO figures at the as-of date: countback DSO, best possible DSO (the same
    walk over the not-yet-due receivables) and average days delinquent (the difference)."""
    sales = _by_month(flow, "sales_base_minor")
    first = flow["month_end"].min() if len(flow) else None
    total = int(open_items["open_base_minor"].sum())
    not_due = int(open_items.loc[open_items["days_overdue"] < 1, "open_base_minor"].sum())
    dso = countback(total, as_of, sales, first)
    best = countback(not_due, as_of, sales, first)
    return {
        "dso_days": dso,
        "best_possible_dso_days": best,
        "average_days_delinquent": round(dso - best, 1),
    }


VERDICTS = ("kept", "partly_kept", "broken")


def promise_rates(promises: pd.DataFrame, who: pd.DataFrame) -> pd.DataFrame:
    """Promises kept, partly kept and broken, as counts and shares of the promises evaluated
    (those three verdicts): overall, then per manager, then per sales rep of the customer
    (`who`: customer_id, manager, sales_rep)."""
    columns = ["level", "name", "promises", *VERDICTS, *(f"{v}_share" for v in VERDICTS)]
    if promises is None or promises.empty:
        return pd.DataFrame(columns=columns)
    judged = promises[promises["verdict"].isin(VERDICTS)]
    facts = who.drop_duplicates("customer_id").set_index("customer_id")
    parts = []
    for level in ("all", "manager", "sales_rep"):
        names = (
            pd.Series("", index=judged.index)
            if level == "all"
            else judged["customer_id"].map(facts[level]).fillna("").astype(str)
        )
        counts = pd.crosstab(names.rename("name"), judged["verdict"].astype(str))
        counts = counts.reindex(columns=list(VERDICTS), fill_value=0).astype("int64")
        counts.insert(0, "promises", counts.sum(axis=1))
        counts.insert(0, "level", level)
        parts.append(counts.reset_index())
    out = pd.concat(parts, ignore_index=True) if len(judged) else pd.DataFrame(columns=columns)
    for verdict in VERDICTS:
        out[f"{verdict}_share"] = out[verdict] / out["promises"]
    return out[columns]


def kept_shares(rates: pd.DataFrame) -> dict:
    """The overall row of `promise_rates` as Summary figures (none without promises)."""
    overall = rates[rates["level"].eq("all")]
    if overall.empty:
        return {}
    row = overall.iloc[0]
    return {f"promises_{v}_share": float(row[f"{v}_share"]) for v in VERDICTS}


def trend_by_customer(items: pd.DataFrame) -> pd.DataFrame:
    """customer_id, month_end, open and overdue in the base currency: the packs' trend lines
    (each pack keeps its own customers' rows)."""
    overdue = items["open_base_minor"].where(items["days_overdue"] >= 1, 0)
    out = (
        items.assign(overdue_base_minor=overdue)
        .groupby(["customer_id", "month_end"], sort=True, observed=True)[
            ["open_base_minor", "overdue_base_minor"]
        ]
        .sum()
        .reset_index()
    )
    out["customer_id"] = out["customer_id"].astype(str)
    return out.astype({"open_base_minor": "int64", "overdue_base_minor": "int64"})


def months_with_data(ends: list, first: pd.Timestamp | None) -> int:
    """Month-ends on or after the export's first month: those the history can speak for."""
    if first is None:
        return 0
    return int(np.sum([pd.Timestamp(m) >= first for m in ends]))
