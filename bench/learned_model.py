"""Would a learned model do better? scikit-learn's histogram gradient boosting against the
product's explainable estimator, on the same IBM quarter-ends as bench/backtest.py.

    pip install scikit-learn==1.9.1   # only for this experiment; the product does not use it
    python bench/learned_model.py

At each quarter-end q the model is trained only on what was known at q: snapshots at the
month-ends s at least 60 days before q, each item open at s and settled by q (labels known
at q; items still open at q are left out, which biases it slightly towards quick payers),
with features as known at s — days past due at s, the customer's mean and mean absolute
deviation of days late over invoices settled by s and how many, the amount and its ratio to
the customer's median. Loss: absolute error (the backtest scores MAE). It then predicts days
late for the items open at q, no earlier than the day after q.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import backtest
from sklearn.ensemble import HistGradientBoostingRegressor

from aging.config import load_config


def frame() -> pd.DataFrame:
    raw = pd.read_csv(backtest.IBM, dtype=str)
    out = pd.DataFrame({"customer": raw["customerID"], "doc_no": raw["invoiceNumber"]})
    for name, column in (("invoiced", "InvoiceDate"), ("due", "DueDate"),
                         ("settled", "SettledDate")):  # fmt: skip
        out[name] = pd.to_datetime(raw[column], format="%m/%d/%Y")
    out["amount"] = raw["InvoiceAmount"].astype(float)
    out["late"] = (out["settled"] - out["due"]).dt.days
    return out


def features(data: pd.DataFrame, at: pd.Timestamp, items: pd.DataFrame) -> pd.DataFrame:
    paid = data[data["settled"] <= at]
    by = paid.groupby("customer")
    mean, count = by["late"].mean(), by.size()
    spread = (paid["late"] - paid["customer"].map(mean)).abs().groupby(paid["customer"]).mean()
    median_amount = by["amount"].median()
    portfolio = paid["late"].mean() if len(paid) else 0.0
    return pd.DataFrame(
        {
            "late_now": (at - items["due"]).dt.days,
            "mean": items["customer"].map(mean).fillna(portfolio),
            "spread": items["customer"].map(spread),
            "count": items["customer"].map(count).fillna(0),
            "amount": items["amount"],
            "ratio": items["amount"] / items["customer"].map(median_amount),
        },
        index=items.index,
    )


def learned(data: pd.DataFrame, q: pd.Timestamp) -> pd.Series:
    rows, labels = [], []
    for s in pd.date_range(data["invoiced"].min(), q - pd.Timedelta(days=60), freq="ME"):
        open_then = data[(data["invoiced"] <= s) & (data["settled"] > s) & (data["settled"] <= q)]
        if len(open_then):
            rows.append(features(data, s, open_then))
            labels.append(open_then["late"])
    open_now = data[(data["invoiced"] <= q) & (data["settled"] > q)]
    x_now = features(data, q, open_now)
    if not rows:
        return x_now["mean"].round()
    model = HistGradientBoostingRegressor(loss="absolute_error", max_iter=200, random_state=0)
    model.fit(pd.concat(rows), pd.concat(labels))
    predicted = np.maximum(np.round(model.predict(x_now)), x_now["late_now"] + 1)
    return pd.Series(predicted, index=open_now.index)


def main() -> None:
    data = frame()
    config = load_config(None, {"base_currency": "USD"})
    print("| quarter-end | items | product MAE | learned MAE | customer mean MAE |")
    print("| --- | ---: | ---: | ---: | ---: |")
    pooled = {"product": [], "learned": [], "mean": []}
    for q in backtest.QUARTERS[:-1]:  # the truncated last quarter-end left out, as there
        at = pd.Timestamp(q)
        product = backtest.product_dates(date.fromisoformat(q), config)
        open_now = data[(data["invoiced"] <= at) & (data["settled"] > at)]
        late = learned(data, at)
        means = data[data["settled"] <= at].groupby("customer")["late"].mean()
        errors = {"product": [], "learned": [], "mean": []}
        for i, row in open_now.iterrows():
            mean_date = row["due"] + pd.Timedelta(days=round(means.get(row["customer"], 0)))
            guess = product[row["doc_no"]]
            guess = mean_date if guess is None else pd.Timestamp(guess)
            errors["product"].append(abs((row["settled"] - guess).days))
            errors["learned"].append(abs(row["late"] - late[i]))
            errors["mean"].append(abs((row["settled"] - mean_date).days))
        for key in pooled:
            pooled[key] += errors[key]
        print(f"| {q} | {len(open_now)} | " + " | ".join(
            f"{np.mean(errors[k]):.2f}" for k in ("product", "learned", "mean")) + " |")  # fmt: skip
    print(f"| pooled | {len(pooled['mean'])} | " + " | ".join(
        f"{np.mean(pooled[k]):.2f}" for k in ("product", "learned", "mean")) + " |")  # fmt: skip


if __name__ == "__main__":
    main()
