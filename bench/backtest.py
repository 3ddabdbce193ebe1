"""Backtest of the expected payment dates on real public data, with the future blanked out.

    python bench/backtest.py [--quarters 2012-03-31,...] [--markdown]

The IBM accounts-receivable data set (../shared/external/ibm_accounts_receivable.csv, see its
SOURCES.md) is an invoice register: every invoice with its due and settled date. At each
quarter-end the product runs on the file as a user would — its own reader and pipeline,
`--as-of` the quarter-end, base USD — so every settled date after the as-of date is a payment
the product must not see (the pipeline leaves those receipts out; tests/test_behaviour.py
checks that changing them changes nothing). Each item open at the quarter-end gets the
product's `expected_pay_date`; the truth is its settled date, read here with the csv module.

Compared, in mean absolute error in days over the items open at each quarter-end:
- product: the `expected_pay_date` of data/open_items.csv (items given no date are counted
  apart, and scored at the customer-mean baseline's date in the "all items" column);
- due date: "pays on its due date";
- customer mean: "due date + the customer's mean days late so far" — the mean over its
  invoices settled by the quarter-end of settled minus due date (early payments negative;
  0 with none), rounded to whole days;
- customer mean, clipped: the same with the file's own DaysLate column (early = 0).

Parameters were chosen on the 2012 quarter-ends only; the 2013 ones were held out (the
pooled table says both). The last quarter-end, 2013-12-31, is truncated by the data set
itself: it holds only invoices settled by 2014-01-09, so the items open then are the ones
paid within nine days — shown, but not in the pooled rows.

Also HighRadius: see `highradius_note()` — its public open items carry no clear dates.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aging.config import load_config  # noqa: E402
from aging.pipeline import Inputs, run  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "external"
IBM = EXTERNAL / "ibm_accounts_receivable.csv"
HIGHRADIUS = EXTERNAL / "highradius_open_items_2020.csv"
HIGHRADIUS_RAW = EXTERNAL / "highradius_raw_open_items_excerpt.csv"
QUARTERS = ("2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31", "2013-03-31",
            "2013-06-30", "2013-09-30", "2013-12-31")  # fmt: skip
CHOSEN_ON = ("2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31")
TRUNCATED = ("2013-12-31",)


@dataclass(frozen=True)
class Invoice:
    customer: str
    invoiced: date
    due: date
    settled: date
    days_late_column: int


def read_ibm(path: Path = IBM) -> dict[str, Invoice]:
    def day(text: str) -> date:
        return datetime.strptime(text, "%m/%d/%Y").date()

    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["invoiceNumber"]: Invoice(
                row["customerID"],
                day(row["InvoiceDate"]),
                day(row["DueDate"]),
                day(row["SettledDate"]),
                int(row["DaysLate"]),
            )
            for row in csv.DictReader(handle)
        }


def customer_means(invoices: dict[str, Invoice], as_of: date) -> tuple[dict, dict]:
    """Per customer, over invoices settled by as_of: mean signed days late, mean DaysLate."""
    signed: dict[str, list[int]] = {}
    clipped: dict[str, list[int]] = {}
    for inv in invoices.values():
        if inv.settled <= as_of:
            signed.setdefault(inv.customer, []).append((inv.settled - inv.due).days)
            clipped.setdefault(inv.customer, []).append(inv.days_late_column)
    return (
        {c: sum(v) / len(v) for c, v in signed.items()},
        {c: sum(v) / len(v) for c, v in clipped.items()},
    )


def product_dates(as_of: date, config) -> dict[str, date | None]:
    """doc_no -> expected_pay_date as the product gives it for the items open at as_of."""
    result = run(Inputs(ledger=(IBM,), as_of=as_of), config)
    items = result.open_items
    return {
        no: (None if when != when or when is None else when.date())
        for no, when in zip(items["doc_no"], items["expected_pay_date"], strict=True)
    }


def quarter(as_of: date, invoices: dict[str, Invoice], config) -> dict:
    predicted = product_dates(as_of, config)
    open_now = {n: i for n, i in invoices.items() if i.invoiced <= as_of < i.settled}
    assert set(predicted) == set(open_now), "the product's open items differ from the file's"
    signed, clipped = customer_means(invoices, as_of)
    errors = {"product": [], "product_all": [], "due": [], "mean": [], "mean_clipped": []}
    undated = 0
    for no, inv in open_now.items():
        truth = inv.settled
        mean_date = date.fromordinal(inv.due.toordinal() + round(signed.get(inv.customer, 0)))
        clip_date = date.fromordinal(inv.due.toordinal() + round(clipped.get(inv.customer, 0)))
        errors["due"].append(abs((truth - inv.due).days))
        errors["mean"].append(abs((truth - mean_date).days))
        errors["mean_clipped"].append(abs((truth - clip_date).days))
        if predicted[no] is None:
            undated += 1
            errors["product_all"].append(abs((truth - mean_date).days))
        else:
            errors["product"].append(abs((truth - predicted[no]).days))
            errors["product_all"].append(abs((truth - predicted[no]).days))
    return {"as_of": as_of, "items": len(open_now), "undated": undated, **errors}


def mae(values: list[int]) -> float:
    return sum(values) / len(values) if values else float("nan")


def pooled(rows: list[dict], label: str) -> dict:
    out = {"as_of": label, "items": sum(r["items"] for r in rows),
           "undated": sum(r["undated"] for r in rows)}  # fmt: skip
    for key in ("product", "product_all", "due", "mean", "mean_clipped"):
        out[key] = [e for r in rows for e in r[key]]
    return out


def table(rows: list[dict]) -> str:
    lines = [
        "| quarter-end | open items | no date | product | product, all items | due date | "
        "customer mean | customer mean (clipped) | product / due | product / customer mean |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        m = {k: mae(r[k]) for k in ("product", "product_all", "due", "mean", "mean_clipped")}
        lines.append(
            f"| {r['as_of']} | {r['items']} | {r['undated']} | {m['product']:.2f} | "
            f"{m['product_all']:.2f} | {m['due']:.2f} | {m['mean']:.2f} | "
            f"{m['mean_clipped']:.2f} | {m['product_all'] / m['due']:.2f} | "
            f"{m['product_all'] / m['mean']:.2f} |"
        )
    return "\n".join(lines)


def highradius_note() -> str:
    """What the HighRadius files allow: open items only, so nothing to score."""
    notes = []
    for path in (HIGHRADIUS, HIGHRADIUS_RAW):
        if not path.exists():
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        cleared = sum(1 for r in rows if (r.get("clear_date") or "").strip())
        notes.append(f"{path.name}: {len(rows)} rows, {cleared} with a clear_date")
    return "; ".join(notes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", default=",".join(QUARTERS))
    args = parser.parse_args(argv)
    config = load_config(None, {"base_currency": "USD"})
    invoices = read_ibm()
    rows = [quarter(date.fromisoformat(q), invoices, config) for q in args.quarters.split(",")]
    shown = list(rows)
    chosen = [r for r in rows if r["as_of"].isoformat() in CHOSEN_ON]
    held = [r for r in rows if r["as_of"].isoformat() not in CHOSEN_ON + TRUNCATED]
    whole = [r for r in rows if r["as_of"].isoformat() not in TRUNCATED]
    if chosen:
        shown.append(pooled(chosen, "pooled, 2012 (parameters chosen here)"))
    if held:
        shown.append(pooled(held, "pooled, 2013 Q1-Q3 (held out)"))
    if whole:
        shown.append(pooled(whole, "**pooled, 2012-03-31 to 2013-09-30**"))
    shown.append(pooled(rows, "pooled, all quarter-ends given"))
    print(table(shown))
    print()
    print("HighRadius:", highradius_note())


if __name__ == "__main__":
    main()
