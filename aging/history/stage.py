"""The history stage: the past month-ends, what they show, and what changed since last month.

In: the main run's model rows and open items, the history read from the store (`read_store`),
a converter to the base currency, and the config. Out, in two steps so the provision can be
booked from the matrix: `past` (before grading) gives the month-end items, monthly figures,
roll rates and the migration matrix, and the rates to book when `provision.method` is
`history`; `finish` (after the plan) adds the matrix beside today's provision, the changes
since last month, the trend per customer and the promise rates, as `aging.model.History`,
with the Summary's headline figures. Issues: `provision.history_provisional` when the matrix
should book but the history has fewer than 12 month-ends.

Where the past comes from (DESIGN "History"): a transactions or register export carries its
own, so its month-ends are rebuilt from it (`rebuild.open_by_month`, the main run's rules); an
open-items export has none, so its month-ends are the snapshots earlier runs recorded in the
store, this run's own items standing for its month-end. The previous month-end that "Changes"
compares with is the store's snapshot when there is one (what last month's run reported),
else rebuilt and graded from the export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from aging import age as aging_stage
from aging import grade as grading
from aging import promises as promise_stage
from aging.history import changes as change_list
from aging.history import figures, matrix
from aging.history.rebuild import dated, month_ends, settle_by_month, take
from aging.history.store import Store
from aging.issues import concat_issues, one_issue
from aging.model import CHANGE_COLUMNS, History
from aging.settle import settle

FULL_YEAR = 12  # month-ends a matrix needs before it books (fewer: provisional)
STORED_PARTS = ("customers", "open_items", "promises", "monthly_flows")


@dataclass(frozen=True)
class Past:
    layout: str
    source: str  # export | store | ""
    ends: list
    items: pd.DataFrame  # month_end, item, customer_id, doc_no, currency, ... bucket
    flows: pd.DataFrame  # month_end, sales_base_minor, receipts_base_minor
    months: int
    monthly: pd.DataFrame
    roll_rates: pd.DataFrame
    matrix: pd.DataFrame
    provisional: bool
    booked_rates: dict | None  # bucket -> rate, when the matrix books the provision
    issues: pd.DataFrame
    stored: dict = field(default_factory=dict)  # as_of date -> snapshot parts (store)
    debits: pd.DataFrame | None = None  # rebuilt from the export: the debits `item` numbers


def read_store(location, settings, as_of: pd.Timestamp, rebuildable: bool) -> dict:
    """The snapshots the history needs from the store at `location` (nothing without one):
    the previous month-end's, and for an open-items export every month-end of the window."""
    if not location or ("://" not in str(location) and not Path(location).exists()):
        return {}  # nothing recorded yet: the file is made when the first run records
    ends = month_ends(as_of, settings.months)
    wanted = [previous_month_end(as_of)] + ([] if rebuildable else ends)
    store = Store(location)
    try:
        return store.load(settings.entity, wanted, STORED_PARTS)
    finally:
        store.close()


def previous_month_end(as_of: pd.Timestamp) -> pd.Timestamp:
    """The last month-end strictly before the as-of date."""
    return pd.Timestamp(as_of).normalize() - pd.offsets.MonthEnd(1)


def past(model: pd.DataFrame, current: pd.DataFrame, as_of: pd.Timestamp, layout: str,
         stored: dict, in_base: Callable, config) -> Past:  # fmt: skip
    """Month-end items and figures. `current` is this run's aged open items (open_minor,
    open_base_minor, days_overdue, bucket, ...), which stand for the as-of month-end of an
    open-items export."""
    ends = month_ends(as_of, config.history.months)
    lang = config.output.lang
    labels = aging_stage.bucket_labels(config.aging.buckets, lang)
    flow = figures.flows(dated(model), in_base(model.assign(open_minor=model["balance_minor"])))
    debits = None
    if layout != "open_items":
        debits, items = settle_by_month(model, ends, fifo=config.settlement.fifo)
        # Only what the figures need, taken once per item; texts as categories (12 copies).
        for column in ("customer_id", "currency"):
            items[column] = take(debits[column].astype("category"), items["item"])
        for column in ("due_eff", "doc_date", "base_minor", "balance_minor"):
            items[column] = take(debits[column], items["item"])
        items["open_base_minor"] = in_base(items)
        items = _aged(items, ends, config)
        source = "export"
        months = figures.months_with_data(ends, flow["month_end"].min() if len(flow) else None)
    else:
        items, flow, months = _from_store(stored, current, ends, as_of, flow, config)
        source = "store" if months > int(_is_month_end(as_of)) else ""
    dtype = pd.CategoricalDtype(labels, ordered=True)
    if items["bucket"].dtype != dtype:
        items["bucket"] = pd.Categorical(items["bucket"].astype(str), dtype=dtype)
    monthly = figures.monthly(items, ends, flow, labels)
    roll = figures.roll_rates(items, ends, labels)
    migration = matrix.migration(roll, labels, config.provision.forward_factor)
    provisional = months < FULL_YEAR
    books = config.provision.method == "history"
    issues = concat_issues([])
    if books and provisional:
        issues = one_issue(
            "provision.history_provisional",
            f"provision.method is history, but the history holds {months} month-ends of the "
            f"{FULL_YEAR} a matrix needs: the age-band rates book this month.",
            params={"months": str(months)},
        )
    return Past(
        layout=layout, source=source, ends=ends, items=items, flows=flow, months=months,
        monthly=monthly, roll_rates=roll, matrix=migration, provisional=provisional,
        booked_rates=matrix.bucket_rates(migration) if books and not provisional else None,
        issues=issues, stored=stored, debits=debits,
    )  # fmt: skip


def _aged(items: pd.DataFrame, ends: list, config) -> pd.DataFrame:
    """days_overdue and bucket at each item's own month-end (aging.age, month by month)."""
    parts = []
    for end, part in items.groupby("month_end", sort=False):
        parts.append(aging_stage.age(part, pd.Timestamp(end), config.aging, config.output.lang))
    if not parts:
        return items.assign(days_overdue=pd.Series(dtype="int64"), bucket=pd.Series(dtype="str"))
    return pd.concat(parts, ignore_index=True)


def _is_month_end(day: pd.Timestamp) -> bool:
    return pd.Timestamp(day).is_month_end


def _from_store(stored: dict, current: pd.DataFrame, ends: list, as_of: pd.Timestamp,
                flow: pd.DataFrame, config):  # fmt: skip
    """Month-end items of an open-items history: the store's snapshot at each month-end (this
    run's own items at the as-of month-end); each month's sales and receipts as the export of
    that month-end stated them, else as this export does."""
    parts, flows = [], {}
    for end in ends:
        day = pd.Timestamp(end).date()
        if _is_month_end(as_of) and pd.Timestamp(end) == pd.Timestamp(as_of):
            frame = current
        elif day in stored and "open_items" in stored[day]:
            frame = stored[day]["open_items"].rename(columns={"due_date": "due_eff"})
            recorded = stored[day]["monthly_flows"]
            flows.update({pd.Timestamp(m): r for m, r in
                          zip(recorded["month_end"], recorded.to_dict("records"), strict=True)
                          if pd.Timestamp(m) == pd.Timestamp(end)})  # fmt: skip
        else:
            continue
        columns = ["customer_id", "doc_no", "currency", "doc_date", "due_eff", "open_minor",
                   "open_base_minor"]  # fmt: skip
        parts.append(frame[columns].assign(month_end=pd.Timestamp(end)))
    if not parts:
        empty = current.iloc[0:0].assign(month_end=pd.Series(dtype="datetime64[s]"),
                                         item=pd.Series(dtype="int64"))  # fmt: skip
        return _aged(empty, ends, config), flow, 0
    items = pd.concat(parts, ignore_index=True)
    items = _aged(items.drop(columns=["bucket", "days_overdue"], errors="ignore"), ends, config)
    keyed = change_list.numbered(items.rename(columns={"due_eff": "due_date"}), ("month_end",))
    if len(keyed):  # (no month end held an open item: agg gives a frame, not keys)
        keys = (
            keyed[["customer_id", "doc_no", "currency", "n"]].astype(str).agg("\x1f".join, axis=1)
        )
        items.loc[keyed.index, "item"] = pd.factorize(keys)[0]
    else:
        items["item"] = 0
    items["item"] = items["item"].astype("int64")
    merged = flow.set_index("month_end")
    for month, record in flows.items():
        merged.loc[month, ["sales_base_minor", "receipts_base_minor"]] = [
            record["sales_base_minor"], record["receipts_base_minor"]]  # fmt: skip
    merged = merged.sort_index().fillna(0).astype("int64").reset_index()
    return items, merged, len(parts)


def finish(past_: Past, open_items: pd.DataFrame, customers: pd.DataFrame,
           credit_hold: pd.DataFrame, promises: pd.DataFrame, model: pd.DataFrame,
           contacts: pd.DataFrame, as_of: pd.Timestamp, in_base: Callable,
           config) -> tuple[History, dict]:  # fmt: skip
    """The finished History and the Summary's headline figures."""
    provisions = _provisions(open_items, past_.matrix, config)
    compared = matrix.compare(past_.matrix, open_items, *provisions)
    before, previous, where = _before(past_, model, promises, contacts, as_of, in_base, config)
    names = _names(model, customers)
    hold_frame = credit_hold if len(credit_hold) else pd.DataFrame(
        columns=["customer_id", "overdue_base_minor"])  # fmt: skip
    changed = (
        change_list.changes(customers, open_items, hold_frame, promises, before, names)
        if before is not None
        else pd.DataFrame(columns=list(CHANGE_COLUMNS))
    )
    rates = figures.promise_rates(promises, names)
    headline = figures.headline(open_items, as_of, past_.flows)
    monthly = past_.monthly
    latest_cei = monthly["cei"].dropna() if len(monthly) else pd.Series(dtype=float)
    headline["cei"] = float(latest_cei.iloc[-1]) if len(latest_cei) else None
    headline.update(figures.kept_shares(rates))
    history = History(
        layout=past_.layout,
        source=past_.source,
        months=past_.months,
        provisional=past_.provisional,
        booked="history" if past_.booked_rates is not None else "age_bands",
        previous=previous.date() if before is not None else None,
        previous_source=where,
        holds_compared=bool(before is not None and before.holds_known),
        monthly=monthly,
        roll_rates=past_.roll_rates,
        roll_shares=matrix.shares_table(past_.roll_rates, list(past_.matrix["bucket"])),
        matrix=compared,
        by_customer=figures.trend_by_customer(past_.items),
        changes=changed,
        promise_rates=rates,
        promises=_promise_record(promises),
        flows=past_.flows,
    )
    return history, headline


def _provisions(items: pd.DataFrame, migration: pd.DataFrame, config):
    """Each item's provision by the age bands and by the matrix, grade overrides in both."""
    bands = grading.provision_rates(items, config.provision)
    by_matrix = grading.provision_rates(items, config.provision, matrix.bucket_rates(migration))
    base = items["open_base_minor"]
    return grading.provision_amounts(base, bands), grading.provision_amounts(base, by_matrix)


def _names(model: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """customer_id -> name, manager, sales_rep, region: the customer list's, else the ledger's."""
    first = model.drop_duplicates("customer_id")
    own = first["master_name"].where(first["master_name"].ne(""), first["customer_name"])
    ledger = pd.DataFrame({"customer_id": first["customer_id"], "name": own,
                           "manager": first["manager"], "sales_rep": first["sales_rep"],
                           "region": first["region"]})  # fmt: skip
    listed = customers[["customer_id", "name", "manager", "sales_rep", "region"]]
    return pd.concat([listed, ledger], ignore_index=True).drop_duplicates("customer_id")


def _before(past_: Past, model, promises, contacts, as_of, in_base, config):
    """(Before, its month-end, where from) — the store's snapshot, else the export rebuilt."""
    previous = previous_month_end(as_of)
    stored = past_.stored.get(previous.date())
    if stored is not None:
        before = change_list.Before(
            customers=stored["customers"],
            items=stored["open_items"],
            promises=stored["promises"],
            holds_known=True,
        )
        return before, previous, "store"
    if past_.layout == "open_items":
        return None, previous, ""
    graded = _graded(past_, model, previous, promises, contacts, in_base, config)
    return graded, previous, "export"


def _graded(past_: Past, model, at: pd.Timestamp, promises, contacts, in_base,
            config) -> change_list.Before:  # fmt: skip
    """The previous month-end graded as the main run grades (aging.grade), from the month-end
    already rebuilt. Only the limitation rule needs what the rebuild does not keep (the latest
    receipt that reached each item), and only for items due longer ago than the limitation
    period: their customers are settled again on their own (settlement is per customer), the
    rest cannot be past their limitation date whatever was received. A promise's verdict,
    once due, never changes, so those due by then count as broken then."""
    years = config.grading.limitation_years
    rebuilt = past_.items[past_.items["month_end"] == at].copy()
    rebuilt["customer_id"] = rebuilt["customer_id"].astype(str)
    rebuilt["currency"] = rebuilt["currency"].astype(str)
    for column in ("doc_no", "src_row"):
        rebuilt[column] = take(past_.debits[column], rebuilt["item"])
    rebuilt["last_receipt_date"] = pd.Series(pd.NaT, index=rebuilt.index, dtype="datetime64[s]")
    old = rebuilt["due_eff"] < at - pd.DateOffset(years=years)
    again = set(rebuilt.loc[old, "customer_id"])
    items = rebuilt[~rebuilt["customer_id"].isin(again)]
    if again:
        rows = model[model["customer_id"].isin(again) & ~(dated(model) > at)]
        debits = settle(rows, fifo=config.settlement.fifo).debits
        settled = debits[debits["open_minor"] > 0].copy()
        if "open_base_minor" not in settled:  # settled in base already when every row states it
            settled["open_base_minor"] = in_base(settled)
        settled = aging_stage.age(settled, at, config.aging, config.output.lang)
        items = pd.concat([items, settled[list(items.columns.intersection(settled.columns))]],
                          ignore_index=True)  # fmt: skip
    facts = model.drop_duplicates("customer_id").set_index("customer_id")
    for column in ("status", "cooperation"):
        items[column] = items["customer_id"].map(facts[column]).fillna("").astype(str)
    due = promises[promises["deadline"] < at] if len(promises) else promises
    broken = promise_stage.broken_counts(due)
    items["broken_promises"] = items["customer_id"].map(broken).fillna(0).astype("int64")
    demand = promise_stage.latest_demand(contacts, at)
    demanded = pd.Series(demand.reindex(items["customer_id"]).to_numpy(), index=items.index)
    restart = pd.concat([items["last_receipt_date"], demanded.astype("datetime64[s]")], axis=1)
    items["limitation_date"] = grading.limitation_dates(items["due_eff"], restart.max(axis=1),
                                                        years)  # fmt: skip
    items["grade"] = grading.item_grades(items, at, config.grading)
    overdue = items["open_base_minor"].where(items["days_overdue"] >= 1, 0)
    per = items.assign(overdue_base_minor=overdue).groupby("customer_id")
    customers = per[["open_base_minor", "overdue_base_minor"]].sum()
    grades = grading.customer_grades(items, config.grading.customer_grade_share)
    customers["grade"] = grades.reindex(customers.index).astype(str)
    customers["credit_hold"] = pd.NA
    return change_list.Before(
        customers=customers.reset_index(),
        items=items[
            ["customer_id", "doc_no", "currency", "due_eff", "src_row", "days_overdue"]
        ].rename(columns={"due_eff": "due_date"}),
        promises=due,
        holds_known=False,
    )


def _promise_record(promises: pd.DataFrame) -> pd.DataFrame:
    columns = ["customer_id", "contact_date", "promise_date", "promise_minor", "received_minor",
               "verdict"]  # fmt: skip
    if promises is None or promises.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        return frame.astype({"contact_date": "datetime64[s]", "promise_date": "datetime64[s]",
                             "promise_minor": "int64", "received_minor": "int64"})  # fmt: skip
    return promises[columns].reset_index(drop=True)
