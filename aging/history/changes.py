"""What changed since last month: the Changes sheet of the close workbook and of each pack.

In: this run's customers, open items, credit holds and promise verdicts, and `Before` — the
same facts at the previous month-end, from the store (what last month's run recorded) or,
when it holds none, rebuilt from the export (then credit holds cannot be compared: the plan
of that month was never made). Out: one row per change, in this order of kinds:

  new_overdue         a customer with an overdue balance now and none then (amount: overdue now)
  grade_worse/better  the customer's grade moved (amount: open now)
  paid_in_full        open then, nothing open now (amount: open then)
  into_91             an item 90 days overdue or less then, 91 or more now (amount: open now)
  new_broken_promise  a promise broken now that was not broken then (amount: promised;
                      after: the promised date)
  new_credit_hold     on credit hold now, not then (amount: overdue now)
  increase/decrease   the largest moves of a customer's open balance (amount: the change)

with the customer's name, manager and sales rep, and before / after (money, grade key, days
or date, said by `value_kind`). No issues.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aging.model import CHANGE_COLUMNS, GRADE_DTYPE

KINDS = ("new_overdue", "grade_worse", "grade_better", "paid_in_full", "into_91",
         "new_broken_promise", "new_credit_hold", "increase", "decrease")  # fmt: skip
LARGEST = 10  # customers listed for the largest increases and decreases each
OVER_90 = 91  # days overdue that count as "91+" (DESIGN bucket 91-180)
ITEM_KEY = ["customer_id", "doc_no", "currency"]


@dataclass(frozen=True)
class Before:
    """The previous month-end, as the changes need it."""

    customers: pd.DataFrame  # customer_id, open_base_minor, overdue_base_minor, grade, credit_hold
    items: pd.DataFrame  # customer_id, doc_no, currency, days_overdue
    promises: pd.DataFrame  # customer_id, contact_date, promise_date, promise_minor, verdict
    holds_known: bool  # False: rebuilt from the export, no plan then


def changes(customers: pd.DataFrame, items: pd.DataFrame, holds: pd.DataFrame,
            promises: pd.DataFrame, before: Before, names: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Every change since `before`, in KINDS order; `names` (customer_id, name, manager,
    sales_rep, region) names customers no longer on this run's customer list."""
    now = _per_customer(customers)
    then = _per_customer(before.customers)
    both = now.join(then, how="outer", suffixes=("_now", "_then"))
    for column in ("open_base_minor", "overdue_base_minor"):
        for side in ("_now", "_then"):
            both[column + side] = both[column + side].fillna(0).astype("int64")
    parts = [
        _new_overdue(both),
        *_grades(both),
        _paid_in_full(both),
        _into_91(items, before.items),
        _broken(promises, before.promises),
        _holds(holds, before) if before.holds_known else _none(),
        *_largest(both),
    ]
    out = pd.concat([p for p in parts if not p.empty] or [_none()], ignore_index=True)
    who = names.drop_duplicates("customer_id").set_index("customer_id")
    for column in ("name", "manager", "sales_rep", "region"):
        values = who[column] if column in who.columns else pd.Series(dtype="str")
        out[column] = out["customer_id"].map(values).fillna("").astype(str)
    return out[list(CHANGE_COLUMNS)].reset_index(drop=True)


def _per_customer(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["open_base_minor", "overdue_base_minor", "grade"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns).rename_axis("customer_id")
    return frame.drop_duplicates("customer_id").set_index("customer_id")[columns]


def _rows(change: str, ids, before, after, kind: str, amount, doc_no=None) -> pd.DataFrame:
    ids = list(ids)
    frame = pd.DataFrame(
        {
            "change": change,
            "customer_id": ids,
            "doc_no": list(doc_no) if doc_no is not None else [""] * len(ids),
            "before": list(before),
            "after": list(after),
            "value_kind": kind,
            "amount_base_minor": [int(a) for a in amount],
        },
        columns=["change", "customer_id", "doc_no", "before", "after", "value_kind",
                 "amount_base_minor"],
    )  # fmt: skip
    frame["before"] = frame["before"].astype(object)
    frame["after"] = frame["after"].astype(object)
    return frame.sort_values(["amount_base_minor", "customer_id"], ascending=[False, True],
                             kind="stable")  # fmt: skip


def _none() -> pd.DataFrame:
    return _rows("", [], [], [], "", [])


def _new_overdue(both: pd.DataFrame) -> pd.DataFrame:
    hit = both[(both["overdue_base_minor_now"] > 0) & (both["overdue_base_minor_then"] == 0)]
    return _rows("new_overdue", hit.index, hit["overdue_base_minor_then"],
                 hit["overdue_base_minor_now"], "money", hit["overdue_base_minor_now"])  # fmt: skip


def _grades(both: pd.DataFrame) -> list[pd.DataFrame]:
    seen = both[both["grade_now"].notna() & both["grade_then"].notna()]
    now = seen["grade_now"].astype(str).astype(GRADE_DTYPE)
    then = seen["grade_then"].astype(str).astype(GRADE_DTYPE)
    out = []
    for change, moved in (("grade_worse", now > then), ("grade_better", now < then)):
        hit = seen[moved.to_numpy()]
        out.append(_rows(change, hit.index, hit["grade_then"].astype(str),
                         hit["grade_now"].astype(str), "grade", hit["open_base_minor_now"]))  # fmt: skip
    return out


def _paid_in_full(both: pd.DataFrame) -> pd.DataFrame:
    hit = both[(both["open_base_minor_then"] > 0) & (both["open_base_minor_now"] == 0)]
    return _rows("paid_in_full", hit.index, hit["open_base_minor_then"],
                 hit["open_base_minor_now"], "money", hit["open_base_minor_then"])  # fmt: skip


def _into_91(items: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    if items.empty or before is None or before.empty:
        return _none()
    now = numbered(items)[[*ITEM_KEY, "n", "days_overdue", "open_base_minor"]]
    then = numbered(before)[[*ITEM_KEY, "n", "days_overdue"]]
    pair = now.merge(then, on=[*ITEM_KEY, "n"], suffixes=("", "_then"))
    hit = pair[(pair["days_overdue"] >= OVER_90) & (pair["days_overdue_then"] < OVER_90)]
    return _rows("into_91", hit["customer_id"], hit["days_overdue_then"], hit["days_overdue"],
                 "days", hit["open_base_minor"], doc_no=hit["doc_no"])  # fmt: skip


def numbered(items: pd.DataFrame, within: tuple[str, ...] = ()) -> pd.DataFrame:
    """Items keyed by customer, document and currency (within each value of the `within`
    columns: one snapshot); a repeated key is told apart by its place in due-date order."""
    key = [*within, *ITEM_KEY]
    order = [c for c in ("due_date", "src_row") if c in items.columns]
    ordered = items.sort_values([*key, *order], kind="stable")
    return ordered.assign(n=ordered.groupby(key, sort=False).cumcount())


PROMISE_KEY = ["customer_id", "contact_date", "promise_date", "promise_minor"]


def _broken(promises: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    if promises.empty:
        return _none()
    broken = promises[promises["verdict"].eq("broken")]
    if before is not None and not before.empty:
        was = before[before["verdict"].eq("broken")][PROMISE_KEY].assign(was=True)
        broken = broken.merge(was, on=PROMISE_KEY, how="left")
        broken = broken[broken["was"].isna()]
    return _rows("new_broken_promise", broken["customer_id"], [None] * len(broken),
                 broken["promise_date"], "date", broken["promise_minor"])  # fmt: skip


def _holds(holds: pd.DataFrame, before: Before) -> pd.DataFrame:
    if holds is None or holds.empty:
        return _none()
    then = before.customers
    held = set() if then.empty else set(then.loc[then["credit_hold"].fillna(False).astype(bool),
                                                 "customer_id"])  # fmt: skip
    hit = holds[~holds["customer_id"].isin(held)]
    return _rows("new_credit_hold", hit["customer_id"], [""] * len(hit), [""] * len(hit), "",
                 hit["overdue_base_minor"])  # fmt: skip


def _largest(both: pd.DataFrame) -> list[pd.DataFrame]:
    delta = both["open_base_minor_now"] - both["open_base_minor_then"]
    up = delta[delta > 0].sort_values(ascending=False, kind="stable").head(LARGEST)
    down = delta[delta < 0].sort_values(kind="stable").head(LARGEST)
    out = []
    for change, picked in (("increase", up), ("decrease", down)):
        rows = both.loc[picked.index]
        frame = _rows(change, picked.index, rows["open_base_minor_then"],
                      rows["open_base_minor_now"], "money", picked)  # fmt: skip
        if change == "decrease":
            frame = frame.iloc[::-1]  # largest fall first
        out.append(frame)
    return out
