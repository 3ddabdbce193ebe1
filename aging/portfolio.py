"""Portfolio tables the renderers read: customers, aging by customer, by rep or region, by
grade, and the run's summary figures.

In: the open items, unapplied credits, normalised ledger rows, the customer master and the
promise verdicts (all finished by the earlier stages). Out: plain DataFrames / a dict in the
shapes `aging.model.Result` documents. No issues: these only add up what is already decided.
"""

from __future__ import annotations

import pandas as pd

from aging import grade as grading
from aging import promises as promise_stage
from aging.model import (
    BEHAVIOUR_SHOWN,
    CUSTOMER_COLUMNS,
    GRADE_DTYPE,
    GRADES,
    PLAN_COLUMNS,
)


def customer_table(open_items, unapplied, rows, master, promises, config) -> pd.DataFrame:
    ids = pd.Index(open_items["customer_id"].unique()).union(unapplied["customer_id"].unique())
    firsts = rows[rows["excluded"].eq("")].drop_duplicates("customer_id").set_index("customer_id")
    out = pd.DataFrame(index=ids.rename("customer_id"))
    name = firsts["master_name"].where(firsts["master_name"].ne(""), firsts["customer_name"])
    for column, source in (
        ("name", name),
        ("sales_rep", firsts["sales_rep"]),
        ("manager", firsts["manager"]),
        ("region", firsts["region"]),
        ("status", firsts["status"]),
        ("cooperation", firsts["cooperation"]),
    ):
        out[column] = source.reindex(ids).fillna("").to_numpy()
    by_customer = open_items.groupby("customer_id")
    out["open_base_minor"] = by_customer["open_base_minor"].sum().reindex(ids, fill_value=0)
    overdue = open_items[open_items["days_overdue"] >= 1].groupby("customer_id")
    out["overdue_base_minor"] = overdue["open_base_minor"].sum().reindex(ids, fill_value=0)
    out["unapplied_credit_base_minor"] = (
        unapplied.groupby("customer_id")["unapplied_base_minor"].sum().reindex(ids, fill_value=0)
    )
    out["provision_base_minor"] = (
        by_customer["provision_base_minor"].sum().reindex(ids, fill_value=0)
    )
    grades = grading.customer_grades(open_items, config.grading.customer_grade_share)
    out["grade"] = grades.reindex(ids).fillna("not_due").astype(grades.dtype)
    out["max_days_overdue"] = (
        by_customer["days_overdue"].max().reindex(ids).fillna(0).astype("int64")
    )
    out["broken_promises"] = promise_stage.broken_counts(promises).reindex(ids, fill_value=0)
    limit = None if master is None else master.set_index("customer_id")["credit_limit_minor"]
    out["credit_limit_base_minor"] = (
        limit.reindex(ids) if limit is not None else pd.Series(pd.NA, index=ids)
    ).astype("Int64")
    for column in PLAN_COLUMNS:  # the plan stage fills these
        out[column] = pd.NA
    out = out.reset_index()
    out = out.sort_values(
        ["overdue_base_minor", "open_base_minor", "customer_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    for column in (
        "open_base_minor",
        "overdue_base_minor",
        "unapplied_credit_base_minor",
        "provision_base_minor",
        "broken_promises",
    ):
        out[column] = out[column].astype("int64")
    return out[list(CUSTOMER_COLUMNS)].reset_index(drop=True)


def portfolio_by(open_items: pd.DataFrame, customers: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per sales rep (or region): customers, open, overdue and its share, provision,
    and the open balance per aging bucket. Items with no rep or region group under ''."""
    items = open_items.assign(**{key: open_items[key].fillna("")})
    overdue = items["open_base_minor"].where(items["days_overdue"] >= 1, 0)
    sums = (
        items.assign(overdue_base_minor=overdue)
        .groupby(key, sort=True)
        .agg(
            customers=("customer_id", "nunique"),
            open_base_minor=("open_base_minor", "sum"),
            overdue_base_minor=("overdue_base_minor", "sum"),
            provision_base_minor=("provision_base_minor", "sum"),
        )
    )
    buckets = items.pivot_table(
        index=key,
        columns="bucket",
        values="open_base_minor",
        aggfunc="sum",
        observed=False,
        fill_value=0,
    )
    buckets.columns = [str(c) for c in buckets.columns]
    out = sums.join(buckets.astype("int64"))
    out["overdue_share"] = (out["overdue_base_minor"] / out["open_base_minor"]).fillna(0.0)
    out = out.sort_values(["overdue_base_minor", "open_base_minor"], ascending=False)
    return out.reset_index()


def risk_grades(open_items: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """One row per grade, best to worst: customers graded so, items, open, overdue, provision,
    and the grade's share of the open balance."""
    items = open_items.assign(
        overdue_base_minor=open_items["open_base_minor"].where(open_items["days_overdue"] >= 1, 0)
    )
    by_item = (
        items.groupby("grade", observed=False)
        .agg(
            items=("doc_no", "size"),
            open_base_minor=("open_base_minor", "sum"),
            overdue_base_minor=("overdue_base_minor", "sum"),
            provision_base_minor=("provision_base_minor", "sum"),
        )
        .reindex(list(GRADES), fill_value=0)
    )
    by_item["customers"] = (
        customers["grade"].astype(str).value_counts().reindex(list(GRADES), fill_value=0)
    )
    total = by_item["open_base_minor"].sum()
    by_item["share_of_open"] = by_item["open_base_minor"] / total if total else 0.0
    out = by_item.rename_axis("grade").reset_index()
    out["grade"] = out["grade"].astype(GRADE_DTYPE)
    columns = [
        "grade",
        "customers",
        "items",
        "open_base_minor",
        "overdue_base_minor",
        "provision_base_minor",
        "share_of_open",
    ]
    return out[columns].astype({c: "int64" for c in columns[1:6]})


def aging_by_customer(open_items: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    pivot = open_items.pivot_table(
        index="customer_id",
        columns="bucket",
        values="open_base_minor",
        aggfunc="sum",
        observed=False,
        fill_value=0,
    )
    pivot = pivot.astype("int64")
    pivot.columns = [str(c) for c in pivot.columns]
    pivot["total"] = pivot.sum(axis=1)
    names = customers.set_index("customer_id")[["name", "grade"]]
    out = names.join(pivot, how="inner")
    # How each customer pays (aging.behaviour), when the run learned it.
    shown = [c for c in BEHAVIOUR_SHOWN if c in customers.columns]
    out = out.join(customers.set_index("customer_id")[shown]).reset_index()
    return out.sort_values(
        ["total", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def summarise(open_items, customers, issues, as_of, base, rows) -> dict:
    """The run's key figures. The DSO figures come from the history (aging.history.figures:
    countback DSO in the base currency), added by the pipeline."""
    total = int(open_items["open_base_minor"].sum())
    overdue = int(open_items.loc[open_items["days_overdue"] >= 1, "open_base_minor"].sum())
    grades = customers["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    return {
        "as_of": as_of.date().isoformat(),
        "base_currency": base,
        "total_open_base_minor": total,
        "overdue_base_minor": overdue,
        "overdue_share": overdue / total if total else 0.0,
        "provision_base_minor": int(open_items["provision_base_minor"].sum()),
        "unapplied_credit_base_minor": int(customers["unapplied_credit_base_minor"].sum()),
        "customers_by_grade": {g: int(n) for g, n in grades.items()},
        "customers": len(customers),
        "open_items": len(open_items),
        "ledger_rows": int((~rows["synthetic"]).sum()),
        "exceptions": int(issues["severity"].eq("exception").sum()),
        "warnings": int(issues["severity"].eq("warning").sum()),
        "top_debtors": [
            (r.customer_id, r.name, int(r.open_base_minor))
            for r in customers.nlargest(10, "open_base_minor").itertuples()
        ],
    }
