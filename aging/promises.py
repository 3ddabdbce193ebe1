"""Contacts and promises: kept / partly kept / broken, and the latest documented demand.

In: the typed contact log, the ledger's receipts (customer, date, amount) and the as-of date.
Out: one row per promise with its verdict, the broken-promise count per customer, and per
customer the latest contact that interrupts the limitation period.

DESIGN: a promise (outcome `promised`, with date and amount) is evaluated once its date plus
the tolerance days is before the as-of date: kept when the customer's receipts dated from the
contact to that day reach the promised amount, partly kept when some arrived, broken when none
did. A contact by letter, lawyer, e-mail, SMS or lawsuit, or one whose outcome is promised or
acknowledged, is a documented demand (PRC Civil Code art. 195).
"""

from __future__ import annotations

import pandas as pd

DEMAND_CHANNELS = ("letter", "lawyer", "email", "sms", "lawsuit")
DEMAND_OUTCOMES = ("promised", "acknowledged")


def evaluate_promises(
    contacts: pd.DataFrame,
    receipts: pd.DataFrame,
    as_of: pd.Timestamp,
    tolerance_days: int,
    receipts_known: bool,
    who: pd.DataFrame,
) -> pd.DataFrame:
    """Promises with `verdict` in kept / partly_kept / broken / pending / unverifiable.

    `who` (customer_id -> name, currency) names the customer and the currency the promise is
    in: the customer's ledger currency; only receipts in it count towards the promise."""
    promises = contacts[
        contacts["outcome"].eq("promised") & contacts["promise_date"].notna()
    ].copy()
    promises = promises[promises["contact_date"] <= as_of]
    if promises.empty:
        return promises.assign(
            deadline=pd.Series(dtype="datetime64[s]"),
            name=pd.Series(dtype="str"),
            currency=pd.Series(dtype="str"),
            received_minor=pd.Series(dtype="int64"),
            verdict=pd.Series(dtype="str"),
        )
    promises["deadline"] = promises["promise_date"] + pd.Timedelta(days=tolerance_days)
    promises["promise_id"] = range(len(promises))
    promises = promises.merge(
        who[["customer_id", "name", "currency"]], on="customer_id", how="left"
    )
    promises[["name", "currency"]] = promises[["name", "currency"]].fillna("")
    pairs = promises[["promise_id", "customer_id", "currency", "contact_date", "deadline"]].merge(
        receipts[["customer_id", "currency", "doc_date", "receipt_minor"]],
        on=["customer_id", "currency"],
        how="inner",
    )
    inside = pairs["doc_date"].between(pairs["contact_date"], pairs["deadline"])
    received = pairs[inside].groupby("promise_id")["receipt_minor"].sum()
    promises["received_minor"] = promises["promise_id"].map(received).fillna(0).astype("int64")
    due = promises["deadline"] < as_of
    promises["verdict"] = "pending"
    promises.loc[due & (promises["received_minor"] >= promises["promise_minor"]), "verdict"] = (
        "kept"
    )
    promises.loc[
        due & promises["received_minor"].between(1, promises["promise_minor"] - 1), "verdict"
    ] = "partly_kept"
    promises.loc[due & promises["received_minor"].eq(0), "verdict"] = "broken"
    if not receipts_known:
        promises.loc[due, "verdict"] = "unverifiable"
    return promises.drop(columns=["promise_id"])


def broken_counts(promises: pd.DataFrame) -> pd.Series:
    if promises.empty:
        return pd.Series(dtype="int64")
    return promises[promises["verdict"].eq("broken")].groupby("customer_id").size()


def latest_demand(contacts: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """customer_id -> date of the latest contact that interrupts the limitation period."""
    demand = contacts[
        (contacts["channel"].isin(DEMAND_CHANNELS) | contacts["outcome"].isin(DEMAND_OUTCOMES))
        & (contacts["contact_date"] <= as_of)
    ]
    return demand.groupby("customer_id")["contact_date"].max()
