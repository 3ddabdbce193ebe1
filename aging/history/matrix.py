"""Provision matrix from migration rates (IFRS 9 simplified approach; CAS 22 迁徙率法).

In: the roll rates (`figures.roll_rates`) and the age buckets. Out: per bucket, the share of
its balance that moved on, stayed, or was paid over a month (pooled over the window: the
amounts of every month-end pair added up, so a large month counts more than a small one),
the share that eventually rolls on to a worse bucket rather than being paid, and the
cumulative loss rate: the share that, moving month by month at those average rates, reaches
the last bucket before it is paid. The last bucket's loss rate is 100 % (written off).

The 迁徙率法 multiplies each bucket's rate of migration to the next bucket down to the last.
That product is exactly the chance of reaching the last bucket when one period moves every
open amount one bucket on; month-end snapshots with buckets wider than a month (91-180 days,
1-2 years) let an amount stay in its bucket for a month, or skip one, so the chance is solved
as a Markov chain's absorption instead (stays drop out, skips are followed), which reduces to
the product in the classic case. A bucket with no balance in the window is assumed to roll on
whole (the prudent guess). The forward-looking factor scales the loss rates (capped at 100 %).
No issues; `aging.history.stage` says when the matrix is provisional.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aging.history.figures import PAID

MATRIX_COLUMNS = ("bucket", "balance_base_minor", "worse_share", "stay_share", "paid_share",
                  "rolls_on", "loss_rate", "rate")  # fmt: skip


def migration(roll: pd.DataFrame, buckets: list[str], factor: float) -> pd.DataFrame:
    """One row per bucket: pooled monthly shares, the roll-on share, loss rate and the rate
    after the forward-looking factor."""
    n = len(buckets)
    balance, shares = _pooled(roll, buckets)
    stay = np.diag(shares[:, :n]).copy()
    worse = np.array([shares[i, i + 1 : n].sum() for i in range(n)])
    paid = shares[:, n]
    loss = _absorption(shares, balance)
    leaving = worse + paid + np.array([shares[i, :i].sum() for i in range(n)])
    rolls_on = np.divide(worse, leaving, out=np.ones(n), where=leaving > 0)
    rolls_on[-1] = 1.0
    rate = np.minimum(loss * factor, 1.0)
    return pd.DataFrame(
        {
            "bucket": buckets,
            "balance_base_minor": balance.round().astype("int64"),
            "worse_share": worse,
            "stay_share": stay,
            "paid_share": paid,
            "rolls_on": rolls_on,
            "loss_rate": loss,
            "rate": rate,
        }
    )


def _pooled(roll: pd.DataFrame, buckets: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per from-bucket: the balance over the window, and the share of it that went to each
    bucket (columns in bucket order) or was paid (last column)."""
    n = len(buckets)
    index = {b: i for i, b in enumerate(buckets)}
    flow = np.zeros((n, n + 1))
    if len(roll):
        src = roll["from_bucket"].map(index).to_numpy()
        dst = roll["to_bucket"].map({**index, PAID: n}).to_numpy()
        ok = ~(pd.isna(src) | pd.isna(dst))
        np.add.at(
            flow,
            (src[ok].astype(int), dst[ok].astype(int)),
            roll["amount_base_minor"].to_numpy(dtype=float)[ok],
        )
    balance = flow.sum(axis=1)
    shares = np.divide(flow, balance[:, None], out=np.zeros_like(flow), where=balance[:, None] > 0)
    return balance, shares


def shares_table(roll: pd.DataFrame, buckets: list[str]) -> pd.DataFrame:
    """The average monthly roll rates: one row per bucket then, one column per bucket a
    month later and `paid`, each the share of the bucket's balance over the window."""
    balance, shares = _pooled(roll, buckets)
    out = pd.DataFrame(shares, columns=[*buckets, PAID])
    out.insert(0, "balance_base_minor", balance.round().astype("int64"))
    out.insert(0, "from_bucket", buckets)
    return out


def _absorption(shares: np.ndarray, balance: np.ndarray) -> np.ndarray:
    """Chance of reaching the last bucket from each bucket, month by month, before `paid`."""
    n = shares.shape[0]
    move = shares[:, :n].copy()
    np.fill_diagonal(move, 0.0)  # a month in place changes where an amount ends up not at all
    out_total = move.sum(axis=1) + shares[:, n]
    for i in range(n - 1):
        if balance[i] == 0 or out_total[i] == 0:  # no history, or nothing ever left: rolls on
            move[i, :] = 0.0
            move[i, i + 1] = 1.0
            out_total[i] = 1.0
    leave = np.divide(move, out_total[:, None], out=np.zeros_like(move),
                      where=out_total[:, None] > 0)  # fmt: skip
    last = n - 1
    transient = list(range(last))
    if not transient:
        return np.ones(n)
    q = leave[np.ix_(transient, transient)]
    r = leave[transient, last]
    try:
        solved = np.linalg.solve(np.eye(len(transient)) - q, r)
    except np.linalg.LinAlgError:
        solved = np.linalg.lstsq(np.eye(len(transient)) - q, r, rcond=None)[0]
    return np.append(np.clip(solved, 0.0, 1.0), 1.0)


def bucket_rates(matrix: pd.DataFrame) -> dict[str, float]:
    """Bucket label -> provision rate, for booking the provision from the matrix."""
    return dict(zip(matrix["bucket"], matrix["rate"], strict=True))


def compare(matrix: pd.DataFrame, items: pd.DataFrame, bands_minor: pd.Series,
            matrix_minor: pd.Series) -> pd.DataFrame:  # fmt: skip
    """The matrix beside today's balances: per bucket the open balance, the provision by age
    bands and by the matrix (each item's own, grade overrides applied to both), and the
    difference (matrix - age bands)."""
    frame = pd.DataFrame(
        {"bucket": items["bucket"].astype(str), "open_base_minor": items["open_base_minor"],
         "bands_base_minor": bands_minor, "matrix_base_minor": matrix_minor}
    )  # fmt: skip
    sums = frame.groupby("bucket", sort=False).sum()
    sums = sums.reindex(matrix["bucket"], fill_value=0).astype("int64")
    out = matrix.copy()
    for column in ("open_base_minor", "bands_base_minor", "matrix_base_minor"):
        out[column] = sums[column].to_numpy()
    out["difference_base_minor"] = out["matrix_base_minor"] - out["bands_base_minor"]
    return out
