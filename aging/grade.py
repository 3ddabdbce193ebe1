"""Risk grades per item and per customer, the limitation date, and the bad-debt provision.

In: aged open items joined with each customer's status, cooperation and broken-promise count;
the grading and provision config. Out: `grade`, `limitation_date`, `provision_rate` and
`provision_base_minor` per item; a grade per customer; the provision table by age band.

DESIGN rules, first match from worst:
  dead     past its limitation date, or customer bankrupt / deregistered / untraceable;
  bad      over 365 days, or customer in lawsuit;
  doubtful over 180 days, or over 90 days with >= 2 broken promises or an evasive/hostile customer;
  in_collection 1 day or more overdue;  not_due otherwise.
A customer's grade is the worst grade holding at least 10 % of its overdue balance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aging.i18n import text
from aging.model import GRADE_DTYPE, GRADES


def limitation_dates(start: pd.Series, restart: pd.Series, years: int) -> pd.Series:
    """Same calendar day `years` later from the later of start and restart (29 Feb -> 28 Feb)."""
    base = pd.concat([start, restart], axis=1).max(axis=1).astype("datetime64[s]")
    return (base + pd.DateOffset(years=years)).astype("datetime64[s]")


def item_grades(items: pd.DataFrame, as_of: pd.Timestamp, rules) -> pd.Series:
    days = items["days_overdue"]
    status = items["status"]
    risky = (items["broken_promises"] >= rules.doubtful_broken_promises) | items[
        "cooperation"
    ].isin(rules.risky_cooperation)
    conditions = [
        (items["limitation_date"] < as_of) | status.isin(rules.dead_status),
        (days > rules.bad_days) | status.isin(rules.bad_status),
        (days > rules.doubtful_days) | ((days > rules.doubtful_risky_days) & risky),
        days >= 1,
    ]
    grade = np.select(conditions, ["dead", "bad", "doubtful", "in_collection"], "not_due")
    return pd.Series(pd.Categorical(grade, dtype=GRADE_DTYPE), index=items.index)


def customer_grades(items: pd.DataFrame, share: float) -> pd.Series:
    """Worst grade holding >= share of the customer's overdue balance; with nothing overdue,
    the worst grade of its items (a bankrupt customer's not-yet-due invoices are still dead)."""
    overdue = items[items["days_overdue"] >= 1]
    by_grade = overdue.pivot_table(
        index="customer_id",
        columns="grade",
        values="open_base_minor",
        aggfunc="sum",
        observed=False,
        fill_value=0,
    ).reindex(columns=list(GRADES), fill_value=0)
    total = by_grade.sum(axis=1)
    holds = by_grade.ge(total.to_numpy()[:, None] * share) & by_grade.gt(0)
    worst_code = holds.to_numpy()[:, ::-1].argmax(axis=1)
    grade = pd.Series(np.array(GRADES)[len(GRADES) - 1 - worst_code], index=by_grade.index)
    fallback = items.groupby("customer_id", observed=True)["grade"].max()
    grade = grade.reindex(fallback.index).fillna(fallback.astype(str))
    return grade.astype(GRADE_DTYPE)


def provision_rates(items: pd.DataFrame, config, bucket_rates: dict | None = None) -> pd.Series:
    """Age-band rate (or, given `bucket_rates`, the rate of the item's aging bucket: the
    history's provision matrix), raised to the grade's own rate where that is higher (dead:
    100 %)."""
    if bucket_rates is not None:
        mapped = items["bucket"].astype(str).map(bucket_rates).astype(float)
        rate = mapped.fillna(1.0)  # a bucket the matrix does not know: the prudent rate
    else:
        days = items["days_overdue"].clip(lower=0).to_numpy()
        limits = np.array([d for d, _ in config.age_bands])
        rates = np.array([r for _, r in config.age_bands])
        band = np.searchsorted(limits, days, side="left").clip(max=len(rates) - 1)
        rate = pd.Series(rates[band], index=items.index)
    for grade, grade_rate in config.grade_rates.items():
        rate = rate.where(~(items["grade"].astype(str).eq(grade) & (rate < grade_rate)), grade_rate)
    return rate


def provision_amounts(open_base_minor: pd.Series, rate: pd.Series) -> pd.Series:
    """Round half up to the cent, per item, so item provisions add to the total provision."""
    return np.floor(open_base_minor * rate + 0.5).astype("int64")


def band_labels(config, lang: str) -> list[str]:
    """Labels of the provision age bands: Within 1 y, 1-2 y, ... Over 5 y."""
    labels, low = [], 0
    for high, _ in config.age_bands:
        if high >= 10**5:
            labels.append(text("band.over", lang, years=str(low // 365)))
        elif low == 0:
            labels.append(text("band.within", lang, years=str(high // 365)))
        else:
            labels.append(text("band.range", lang, low=str(low // 365), high=str(high // 365)))
        low = high
    return labels


def provision_table(items: pd.DataFrame, config, lang: str) -> pd.DataFrame:
    """One row per age band: rate, items, open and provision in the base currency, and the
    open balance per grade so the grade overrides are visible."""
    limits = np.array([d for d, _ in config.age_bands])
    band = np.searchsorted(limits, items["days_overdue"].clip(lower=0), side="left")
    band = band.clip(max=len(limits) - 1)
    labels = band_labels(config, lang)
    frame = items.assign(band=band)
    rows = []
    for at, (label, (_, rate)) in enumerate(zip(labels, config.age_bands, strict=True)):
        part = frame[frame["band"] == at]
        row = {
            "band": label,
            "rate": rate,
            "items": len(part),
            "open_base_minor": int(part["open_base_minor"].sum()),
            "provision_base_minor": int(part["provision_base_minor"].sum()),
        }
        for grade in GRADES:
            row[grade] = int(part.loc[part["grade"] == grade, "open_base_minor"].sum())
        rows.append(row)
    return pd.DataFrame(rows)
