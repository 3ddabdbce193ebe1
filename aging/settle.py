"""Open-item settlement: apply receipts and credits to invoices, vectorised.

In: the typed ledger rows in the model (excluded and after-as-of rows already removed), each
with `balance_minor` (> 0 raises the debt, < 0 lowers it) and `due_eff` (the effective due date),
and the settlement config. Out: `Settled` with every debit row and what is still open on it, the
unapplied credit left per customer and currency, and for each debit the latest receipt applied to
it (a documented part-payment restarts its limitation period) and, once nothing is open on it,
the date its last cent was paid (`paid_date`: what payment behaviour learns from).

DESIGN: credits that name an invoice apply to it first; the rest apply to the customer's
oldest-due open invoices first (FIFO, by due date; PRC Civil Code art. 560 orders an
unspecified payment the same way); what remains is an unapplied credit, never aged as debt.
Settlement moves cents between rows but never creates or loses one: for every customer and
currency, sum(open debits) - unapplied credit == sum(balance_minor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aging.issues import concat_issues, rows_issue

GROUP = ["customer_id", "currency"]
NO_DATE = np.iinfo("int64").min
UNKNOWN_DATE = np.iinfo("int64").max  # a payment whose date the export does not give


@dataclass(frozen=True)
class Settled:
    debits: pd.DataFrame  # debit rows + open_minor (after settlement), last_receipt_date and
    # paid_date: the date of the receipt or credit that settled its last cent (NaT while
    # anything is open on it, or when the export does not date that payment)
    unapplied: pd.DataFrame  # customer_id, currency, unapplied_minor (> 0), last_credit_date
    issues: pd.DataFrame


def settle(ledger: pd.DataFrame, *, fifo: bool) -> Settled:
    debits = ledger[ledger["balance_minor"] > 0].copy()
    credits = ledger[ledger["balance_minor"] < 0].copy()
    debits = debits.sort_values(
        [*GROUP, "due_eff", "doc_date", "doc_no", "src_row"], kind="stable"
    ).reset_index(drop=True)
    debits["open_minor"] = debits["balance_minor"]
    credits["credit_minor"] = -credits["balance_minor"]
    credits["receipt_date"] = credits["doc_date"].where(credits["doc_type"].eq("receipt"))
    credits["paid_on"] = _paid_on(credits)

    in_base = _all_in_base(ledger)
    if in_base:
        debits["open_base_minor"] = debits["base_minor"].astype("int64")
        credits["credit_base_minor"] = -credits["base_minor"].astype("int64")
    pool, named_dates, named_paid, issues = _apply_named(debits, credits)
    debits["last_receipt_date"] = named_dates
    paid = named_paid
    used = pd.Series(0, index=pool.index, dtype="int64")
    if fifo and not pool.empty and not debits.empty:
        fifo_dates, fifo_paid, used = _apply_fifo(debits, pool)
        debits["last_receipt_date"] = pd.concat([named_dates, fifo_dates], axis=1).max(axis=1)
        paid = np.maximum(named_paid, fifo_paid)
    debits["paid_date"] = _seconds_to_dates(paid, debits["open_minor"].eq(0).to_numpy())
    unapplied = _unapplied(pool, used)
    return Settled(debits=debits, unapplied=unapplied, issues=issues)


def _all_in_base(ledger: pd.DataFrame) -> bool:
    """Every row states its company-currency amount (本币): credits then carry their own base
    amount onto what they settle, and nothing is converted (DESIGN: local amounts are truth)."""
    return "base_minor" in ledger and bool(len(ledger)) and bool(ledger["base_minor"].notna().all())


def _share(minor, whole_minor, whole_base):
    """The base part of `minor` out of a document of `whole_minor` worth `whole_base` in base,
    exactly, rounded half away from zero (vectorised; the whole gives back exactly its base)."""
    minor = np.asarray(minor, dtype="int64")
    whole_minor = np.asarray(whole_minor, dtype="int64")
    whole_base = np.asarray(whole_base, dtype="int64")
    safe = np.where(whole_minor == 0, 1, whole_minor)
    num = 2 * np.abs(minor) * np.abs(whole_base) + np.abs(safe)
    part = np.sign(minor) * np.sign(whole_base) * (num // (2 * np.abs(safe)))
    return np.where(minor == whole_minor, whole_base, part)


def _paid_on(credits: pd.DataFrame) -> pd.Series:
    """When each credit paid, as int64 seconds: its document date, except a register's payment
    (a synthetic receipt), which is dated by the register's settled date or is UNKNOWN_DATE
    (the export gives a paid amount but not when: nothing may be learned from its timing)."""
    when = credits["doc_date"].astype("datetime64[s]")
    if "settled_date" in credits and "synthetic" in credits:
        synthetic = credits["synthetic"].fillna(False).astype(bool)
        when = when.where(~synthetic, credits["settled_date"].astype("datetime64[s]"))
    seconds = when.astype("int64").where(when.notna(), UNKNOWN_DATE)
    return seconds.astype("int64")


def _seconds_to_dates(seconds: np.ndarray, settled: np.ndarray) -> pd.Series:
    """int64 seconds -> dates; NaT where not settled, never reached or the date is unknown."""
    seconds = np.asarray(seconds, dtype="int64")
    known = settled & (seconds != NO_DATE) & (seconds != UNKNOWN_DATE)
    dates = pd.to_datetime(np.where(known, seconds, 0), unit="s").astype("datetime64[s]")
    return pd.Series(dates).where(known).reset_index(drop=True)


def _apply_named(debits: pd.DataFrame, credits: pd.DataFrame):
    """Apply credits to the invoice they name. Returns (pool of what is left, latest receipt
    dates, latest paid_on seconds per debit (NO_DATE when none named it), issues)."""
    named = credits[credits["applies_to"].ne("")]
    target = debits.drop_duplicates([*GROUP, "doc_no"])[[*GROUP, "doc_no"]]
    target = target.assign(debit_at=target.index)
    hit = named.merge(
        target,
        how="left",
        left_on=[*GROUP, "applies_to"],
        right_on=[*GROUP, "doc_no"],
        suffixes=("", "_debit"),
    )
    hit.index = named.index
    unknown = hit["debit_at"].isna()
    issues = rows_issue(
        named,
        unknown,
        "settlement.unknown_invoice",
        column="applies_to",
        value=named["applies_to"],
        amount=named["balance_minor"],
        message="Names invoice " + named["applies_to"] + ", not open in the ledger; applied "
        "oldest-first instead.",
    )
    matched = hit[~unknown].assign(debit_at=lambda f: f["debit_at"].astype("int64"))
    in_base = "credit_base_minor" in matched
    sums = dict(
        named_minor=("credit_minor", "sum"),
        receipt_date=("receipt_date", "max"),
        last_date=("doc_date", "max"),
        paid_on=("paid_on", "max"),
        src_row=("src_row", "max"),
    )
    if in_base:
        sums["named_base_minor"] = ("credit_base_minor", "sum")
    per_debit = matched.groupby("debit_at").agg(**sums)
    open_now = debits.loc[per_debit.index, "open_minor"]
    applied = np.minimum(per_debit["named_minor"], open_now)
    debits.loc[per_debit.index, "open_minor"] = open_now - applied
    if in_base:  # the credits' own base amounts, in proportion to what they apply here
        base_applied = _share(applied, per_debit["named_minor"], per_debit["named_base_minor"])
        debits.loc[per_debit.index, "open_base_minor"] -= base_applied
        per_debit["residual_base_minor"] = per_debit["named_base_minor"] - base_applied
    named_dates = pd.Series(pd.NaT, index=debits.index, dtype="datetime64[s]")
    named_dates[per_debit.index] = per_debit["receipt_date"]
    named_paid = np.full(len(debits), NO_DATE, dtype="int64")
    named_paid[per_debit.index.to_numpy()] = per_debit["paid_on"].to_numpy(dtype="int64")
    # What a named credit pays beyond its invoice joins the oldest-first pool.
    residual = per_debit[per_debit["named_minor"] > applied]
    residual_pool = pd.DataFrame(
        {
            "customer_id": debits.loc[residual.index, "customer_id"].to_numpy(),
            "currency": debits.loc[residual.index, "currency"].to_numpy(),
            "credit_minor": (residual["named_minor"] - applied[residual.index]).to_numpy(),
            "doc_date": residual["last_date"].to_numpy(),
            "receipt_date": residual["receipt_date"].to_numpy(),
            "paid_on": residual["paid_on"].to_numpy(dtype="int64"),
            "src_row": residual["src_row"].to_numpy(),
        }
    )
    if in_base:
        residual_pool["credit_base_minor"] = residual["residual_base_minor"].to_numpy()
    unnamed = credits[credits["applies_to"].eq("")].index.union(named.index[unknown])
    pool = pd.concat(
        [credits.loc[unnamed, residual_pool.columns], residual_pool], ignore_index=True
    )
    pool = pool.sort_values([*GROUP, "doc_date", "src_row"], kind="stable", na_position="first")
    return pool.reset_index(drop=True), named_dates, named_paid, concat_issues([issues])


def _apply_fifo(debits: pd.DataFrame, pool: pd.DataFrame):
    """Oldest-due first: each debit takes what its group's pool has left after older debits.

    Updates debits.open_minor. Returns (per debit: the latest receipt date that reached it, NaT
    if none did; per debit: the latest paid_on seconds up to its last applied cent, NO_DATE if
    nothing reached it; per pool row: how much of it was applied).
    """
    keys = pd.concat([debits[GROUP], pool[GROUP]], ignore_index=True)
    codes, _ = pd.factorize(pd.MultiIndex.from_frame(keys))
    debit_group, pool_group = codes[: len(debits)], codes[len(debits) :]
    pool_minor = pool["credit_minor"].to_numpy(dtype="int64")
    pool_total = _group_sum(pool_group, pool_minor, codes.max() + 1)

    open_minor = debits["open_minor"].to_numpy(dtype="int64")
    cum = pd.Series(open_minor).groupby(debit_group).cumsum().to_numpy()
    available = pool_total[debit_group]
    applied = np.clip(available - (cum - open_minor), 0, open_minor)
    debits["open_minor"] = open_minor - applied

    # Lay every group's pool end to end on one number line (pool rows are sorted by group, then
    # date), so the credit that paid a debit's last applied cent is found by one searchsorted.
    line_end = np.cumsum(pool_minor)
    group_start = np.zeros(len(pool_total), dtype="int64")
    first_row = pd.Series(np.arange(len(pool_group))).groupby(pool_group).min()
    group_start[first_row.index] = (line_end - pool_minor)[first_row.to_numpy()]
    receipt = pool["receipt_date"].astype("datetime64[s]")
    receipt_s = receipt.astype("int64").where(receipt.notna(), NO_DATE).to_numpy()
    latest = pd.Series(receipt_s).groupby(pool_group).cummax().to_numpy()
    last_cent = group_start[debit_group] + np.minimum(cum, available)
    at = np.searchsorted(line_end, last_cent, side="left").clip(0, len(line_end) - 1)
    reached = (applied > 0) & (latest[at] != NO_DATE)
    dates = pd.Series(np.where(reached, latest[at], 0), index=debits.index)
    dates = pd.to_datetime(dates, unit="s").astype("datetime64[s]").where(reached)
    # The same walk for the date the last cent came from, receipt or credit note alike.
    paid_on = pool["paid_on"].to_numpy(dtype="int64")
    latest_paid = pd.Series(paid_on).groupby(pool_group).cummax().to_numpy()
    paid = np.where(applied > 0, latest_paid[at], NO_DATE)

    # How much of each pool row was used: the group's applied total eats the pool in order.
    used_total = _group_sum(debit_group, applied, len(pool_total))
    start_in_group = line_end - pool_minor - group_start[pool_group]
    pool_used = np.clip(used_total[pool_group] - start_in_group, 0, pool_minor)
    if "credit_base_minor" in pool:
        first = group_start[debit_group] + cum - open_minor
        debits["open_base_minor"] -= _base_between(pool, line_end, first, first + applied)
    return dates, paid, pd.Series(pool_used, index=pool.index)


def _base_between(pool: pd.DataFrame, line_end: np.ndarray, start, stop) -> np.ndarray:
    """The credits' base amounts on the pool's number line between start and stop: each
    credit's base spread evenly over its own document amount (so a debit settled by whole
    credits takes exactly their base amounts)."""
    minor = pool["credit_minor"].to_numpy(dtype="int64")
    base = pool["credit_base_minor"].to_numpy(dtype="int64")
    base_end = np.cumsum(base)

    def at(position):
        position = np.asarray(position, dtype="int64")
        k = np.searchsorted(line_end, position, side="left").clip(0, len(line_end) - 1)
        before_line = line_end[k] - minor[k]
        before_base = base_end[k] - base[k]
        inside = position - before_line
        return before_base + _share(inside, minor[k], base[k])

    return np.where(np.asarray(stop) > np.asarray(start), at(stop) - at(start), 0)


def _group_sum(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Exact integer sum per group code (np.bincount would go through float64)."""
    out = np.zeros(n, dtype="int64")
    np.add.at(out, groups, values)
    return out


def _unapplied(pool: pd.DataFrame, used: pd.Series) -> pd.DataFrame:
    """Credit left per customer and currency, with the date of the newest credit in it (and
    its base amount, where the credits state theirs)."""
    left = pool.assign(unapplied_minor=pool["credit_minor"] - used)
    sums = dict(unapplied_minor=("unapplied_minor", "sum"), last_credit_date=("doc_date", "max"))
    if "credit_base_minor" in pool:
        left["unapplied_stated_base_minor"] = left["credit_base_minor"] - _share(
            used, pool["credit_minor"], pool["credit_base_minor"]
        )
        sums["unapplied_stated_base_minor"] = ("unapplied_stated_base_minor", "sum")
    per_group = left.groupby(GROUP, sort=True).agg(**sums)
    per_group = per_group[per_group["unapplied_minor"] > 0].reset_index()
    return per_group.astype({"unapplied_minor": "int64"})
