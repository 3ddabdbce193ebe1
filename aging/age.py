"""Aging: days overdue and the bucket of every open item.

In: open items with `due_eff` and `doc_date`, the as-of date and the aging config. Out: the
same rows with `days_overdue` (int64; negative = days until due) and `bucket` (an ordered
categorical of labels). DESIGN: days_overdue = as_of - due date (or document date when the
basis says so); each bucket's upper bound is inclusive; 0 and below is "not due".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aging.i18n import text


def bucket_labels(bounds: list[int], lang: str) -> list[str]:
    """[0, 30, 60, 365, 730] -> Not due, 1-30, 31-60, 61-365, 1-2 y, Over 2 y (the catalogue's
    bucket.* words; numbers as text, so 1095 is never written 1,095)."""
    labels = [text("bucket.not_due", lang)]
    for low, high in zip(bounds, bounds[1:], strict=False):
        if low % 365 == 0 and high % 365 == 0 and low > 0:
            labels.append(text("bucket.years", lang, low=str(low // 365), high=str(high // 365)))
        else:
            labels.append(text("bucket.days", lang, low=str(low + 1), high=str(high)))
    last = bounds[-1]
    if last % 365 == 0 and last > 0:
        labels.append(text("bucket.over_years", lang, years=str(last // 365)))
    else:
        labels.append(text("bucket.over", lang, days=str(last)))
    return labels


def age(items: pd.DataFrame, as_of: pd.Timestamp, config, lang: str) -> pd.DataFrame:
    basis = items["due_eff"] if config.basis == "due_date" else items["doc_date"]
    days = (as_of - basis).dt.days.astype("int64")
    labels = bucket_labels(config.buckets, lang)
    edges = np.array(config.buckets, dtype="int64")
    # searchsorted 'left' puts a value equal to a bound in that bound's bucket: upper inclusive.
    codes = np.searchsorted(edges, days.to_numpy(), side="left")
    bucket = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(labels, ordered=True))
    return items.assign(days_overdue=days, bucket=bucket)
