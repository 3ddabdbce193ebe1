"""Past month-ends rebuilt from a transactions or register export, all in one pass.

In: the main run's model rows (excluded and after-as-of rows already out, `due_eff` filled),
the month-ends to rebuild (ascending) and the settlement rule. Out: one row per item open at
each month-end (`open_by_month`): exactly what `aging.settle.settle` leaves open when given the
rows dated on or before that month-end (DESIGN "Open items": named credits first, then the
rest oldest-due first). `open_by_loop` is that per-month loop itself, the reference the
one-pass rebuild is property-tested against. No issues: the main run reports the rows.

Why one pass is exact: at a month-end the rows in force are those dated on or before it, and
settlement depends on them only through (a) which debits exist, (b) what each named credit
reaches, and (c) each customer's pool of other credits. All three are cheap masks over arrays
sorted once, so each month-end costs a few vector operations over the debits instead of a
sort, a merge and a factorisation of the whole ledger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aging.settle import GROUP, settle

# Debit order of aging.settle: oldest due first within a customer and currency.
DEBIT_ORDER = [*GROUP, "due_eff", "doc_date", "doc_no", "src_row"]
# What each rebuilt item carries from its debit row.
ITEM_COLUMNS = ("customer_id", "customer_name", "doc_no", "doc_type", "doc_date", "due_eff",
                "currency", "amount_minor", "src_row")  # fmt: skip


def month_ends(as_of: pd.Timestamp, months: int) -> list[pd.Timestamp]:
    """The month-end on or before the as-of date and the `months - 1` before it, oldest first."""
    last = pd.Timestamp(as_of).normalize() + pd.offsets.MonthEnd(0)
    if last > pd.Timestamp(as_of):
        last = last - pd.offsets.MonthEnd(1)
    return [last - pd.offsets.MonthEnd(k) for k in range(months - 1, -1, -1)]


def dated(rows: pd.DataFrame) -> pd.Series:
    """The date that decides whether a row is in force at a month-end, as for the as-of date:
    its document date (a row without one is in force at every month-end; a later due date is
    normal)."""
    return rows["doc_date"]


def open_by_loop(model: pd.DataFrame, ends: list, *, fifo: bool) -> pd.DataFrame:
    """The reference: `settle` once per month-end on the rows dated on or before it."""
    when = dated(model)
    parts = []
    for end in ends:
        debits = settle(model[~(when > end)], fifo=fifo).debits
        debits = debits[debits["open_minor"] > 0]
        parts.append(debits.assign(month_end=end)[["month_end", *ITEM_COLUMNS, "open_minor"]])
    return pd.concat(parts, ignore_index=True) if parts else _empty()


def open_by_month(
    model: pd.DataFrame, ends: list, *, fifo: bool, columns: tuple = ITEM_COLUMNS
) -> pd.DataFrame:
    """Items open at each month-end: month_end, item (the debit's position, stable across
    month-ends), the debit's `columns` and open_minor; month-ends in the order given."""
    debits, items = settle_by_month(model, ends, fifo=fifo)
    for column in columns:
        items[column] = take(debits[column], items["item"])
    return items[["month_end", "item", *columns, "open_minor"]]


def settle_by_month(model: pd.DataFrame, ends: list, *, fifo: bool):
    """(debits in settlement order, items): one row per debit open at each month-end with
    month_end, item (position in `debits`) and open_minor."""
    debits = model[model["balance_minor"] > 0].sort_values(DEBIT_ORDER, kind="stable")
    debits = debits.reset_index(drop=True)
    credits = model[model["balance_minor"] < 0].reset_index(drop=True)
    if debits.empty or not ends:
        return debits, _empty()[["month_end", "item", "open_minor"]]
    ledger = _Arrays(debits, credits)
    parts = []
    for end in ends:
        open_minor = ledger.open_at(np.datetime64(pd.Timestamp(end), "s"), fifo)
        at = np.flatnonzero(open_minor > 0)
        parts.append(pd.DataFrame({"month_end": end, "item": at, "open_minor": open_minor[at]}))
    items = pd.concat(parts, ignore_index=True)
    items["month_end"] = items["month_end"].astype("datetime64[s]")
    return debits, items


def take(column: pd.Series, rows: pd.Series) -> pd.Series:
    """column[rows] as a new column with a fresh index, in the column's own dtype (an Arrow
    string column stays one: no Python objects in between)."""
    return column.take(rows.to_numpy()).reset_index(drop=True).set_axis(rows.index)


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in ("month_end", *ITEM_COLUMNS)})
    frame["month_end"] = frame["month_end"].astype("datetime64[s]")
    for column in ("doc_date", "due_eff"):
        frame[column] = frame[column].astype("datetime64[s]")
    for column in ("amount_minor", "src_row"):
        frame[column] = frame[column].astype("int64")
    frame.insert(1, "item", pd.Series(dtype="int64"))
    return frame.assign(open_minor=pd.Series(dtype="int64"))


class _Arrays:
    """The ledger as arrays, sorted and matched once; `open_at` settles it at one date."""

    def __init__(self, debits: pd.DataFrame, credits: pd.DataFrame) -> None:
        keys = pd.concat([debits[GROUP], credits[GROUP]], ignore_index=True)
        codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
        self.groups = len(uniques)
        self.d_group = codes[: len(debits)]
        self.c_group = codes[len(debits) :]
        self.d_date = _seconds(dated(debits))
        self.c_date = _seconds(dated(credits))
        self.amount = debits["balance_minor"].to_numpy(dtype="int64")
        self.c_minor = -credits["balance_minor"].to_numpy(dtype="int64")
        # Debits are sorted by group: each group's first position, for per-group running sums.
        starts = np.r_[True, self.d_group[1:] != self.d_group[:-1]]
        self.d_start = np.maximum.accumulate(np.where(starts, np.arange(len(debits)), 0))
        # Every (named credit, debit it names) pair, by credit then debit order: at a date the
        # credit applies to the first such debit that exists then (settle's drop_duplicates).
        named = credits[credits["applies_to"].ne("")]
        target = pd.DataFrame(
            {"customer_id": debits["customer_id"], "currency": debits["currency"],
             "applies_to": debits["doc_no"], "debit": np.arange(len(debits))}
        )  # fmt: skip
        pairs = (
            named[[*GROUP, "applies_to"]]
            .assign(credit=named.index.to_numpy())
            .merge(target, on=[*GROUP, "applies_to"], how="inner")
            .sort_values(["credit", "debit"], kind="stable")
        )
        self.pair_credit = pairs["credit"].to_numpy(dtype="int64")
        self.pair_debit = pairs["debit"].to_numpy(dtype="int64")

    def open_at(self, end: np.datetime64, fifo: bool) -> np.ndarray:
        """Open amount of every debit when only rows dated on or before `end` exist
        (0 for debits dated later)."""
        end_s = end.astype("int64")
        present = self.d_date <= end_s
        in_force = self.c_date <= end_s
        # Named credits reach the first existing debit they name; the rest join the pool.
        live = in_force[self.pair_credit] & present[self.pair_debit]
        credit, debit = self.pair_credit[live], self.pair_debit[live]
        first = np.r_[True, credit[1:] != credit[:-1]] if len(credit) else np.zeros(0, bool)
        credit, debit = credit[first], debit[first]
        named = np.zeros(len(self.amount), dtype="int64")
        np.add.at(named, debit, self.c_minor[credit])
        open_minor = np.where(present, self.amount, 0)
        applied = np.minimum(named, open_minor)
        open_minor = open_minor - applied
        to_pool = in_force.copy()
        to_pool[credit] = False
        pool = np.zeros(self.groups, dtype="int64")
        np.add.at(pool, self.c_group[to_pool], self.c_minor[to_pool])
        np.add.at(pool, self.d_group, named - applied)  # what a named credit pays beyond
        if not fifo:
            return open_minor
        # Oldest-due first: each debit takes what its group's pool has left after older ones.
        running = np.cumsum(open_minor)
        before_group = running[self.d_start] - open_minor[self.d_start]
        cum = running - before_group
        taken = np.clip(pool[self.d_group] - (cum - open_minor), 0, open_minor)
        return open_minor - taken


def _seconds(dates: pd.Series) -> np.ndarray:
    return dates.astype("datetime64[s]").to_numpy().astype("int64")
