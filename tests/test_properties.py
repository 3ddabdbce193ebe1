"""Invariants that must hold for any ledger: hypothesis generates the ledgers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from conftest import run_on
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aging.age import age
from aging.config import Aging
from aging.parse import parse_amounts
from aging.settle import settle

AS_OF = pd.Timestamp("2026-10-31")

document = st.fixed_dictionaries(
    {
        "customer_id": st.sampled_from(["A", "B", "C"]),
        "currency": st.sampled_from(["CNY", "USD"]),
        "debit": st.booleans(),
        "minor": st.integers(1, 10**9),
        "day": st.integers(0, 2000),
        "names": st.integers(-1, 15),  # which invoice a credit names, -1 none
    }
)


def ledger_frame(docs: list[dict]) -> pd.DataFrame:
    rows = []
    for at, doc in enumerate(docs):
        when = pd.Timestamp("2021-01-01") + pd.Timedelta(days=doc["day"])
        rows.append(
            {
                "customer_id": doc["customer_id"],
                "currency": doc["currency"],
                "doc_no": f"D{at}",
                "doc_type": "invoice" if doc["debit"] else "receipt",
                "doc_date": when,
                "due_eff": when + pd.Timedelta(days=30),
                "balance_minor": doc["minor"] if doc["debit"] else -doc["minor"],
                "applies_to": "" if doc["debit"] or doc["names"] < 0 else f"D{doc['names']}",
                "src_row": at + 2,
                "src_file": "f.csv",
                "src_sheet": "",
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("doc_date", "due_eff"):
        frame[column] = frame[column].astype("datetime64[s]")
    return frame


@settings(max_examples=150, deadline=None)
@given(st.lists(document, min_size=1, max_size=40), st.booleans())
def test_settlement_never_creates_or_loses_a_cent(docs, fifo):
    ledger = ledger_frame(docs)
    result = settle(ledger, fifo=fifo)
    keys = ["customer_id", "currency"]
    net = ledger.groupby(keys)["balance_minor"].sum()
    open_ = result.debits.groupby(keys)["open_minor"].sum().reindex(net.index, fill_value=0)
    credit = result.unapplied.set_index(keys)["unapplied_minor"].reindex(net.index, fill_value=0)
    assert (open_ - credit).equals(net)
    assert (result.debits["open_minor"] >= 0).all()
    assert (result.debits["open_minor"] <= result.debits["balance_minor"]).all()
    assert (result.unapplied["unapplied_minor"] > 0).all()
    if fifo:  # credit is only left over where nothing is open for it to pay
        assert (open_[credit > 0] == 0).all()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-400, 3000), st.integers(1, 10**10)), min_size=1, max_size=60)
)
def test_buckets_sum_to_the_total_and_bounds_are_inclusive(items):
    frame = pd.DataFrame(
        {
            "due_eff": [AS_OF - pd.Timedelta(days=d) for d, _ in items],
            "doc_date": [AS_OF - pd.Timedelta(days=d + 30) for d, _ in items],
            "open_base_minor": [m for _, m in items],
        }
    )
    aged = age(frame, AS_OF, Aging(), "en")
    by_bucket = aged.groupby("bucket", observed=False)["open_base_minor"].sum()
    assert int(by_bucket.sum()) == sum(m for _, m in items)
    bounds = Aging().buckets
    for days, bucket in zip(aged["days_overdue"], aged["bucket"].cat.codes, strict=True):
        # bucket k holds (bounds[k-1], bounds[k]]; code 0 is "not due" (<= 0)
        low = -np.inf if bucket == 0 else bounds[bucket - 1]
        high = bounds[bucket] if bucket < len(bounds) else np.inf
        assert low < days <= high


@given(st.integers(-(10**13), 10**13))
def test_amount_text_forms_parse_to_the_same_cents(minor):
    plain = f"{abs(minor) // 100:,}.{abs(minor) % 100:02d}"
    forms = [
        ("-" if minor < 0 else "") + plain,
        f"({plain})" if minor < 0 else plain,
        plain + ("-" if minor < 0 else ""),
        ("-" if minor < 0 else "") + "¥" + plain,
        ("-" if minor < 0 else "")
        + plain.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，")),
    ]
    parsed, bad = parse_amounts(pd.Series(forms), 2)
    assert not bad.any()
    assert parsed.tolist() == [minor] * len(forms)


cell = st.one_of(
    st.integers(-(10**8), 10**8).map(lambda m: f"{m / 100:.2f}"),
    st.sampled_from(["", "n/a", "待定", "1,000.00", "(50.00)", "12.5-"]),
)
date_cell = st.one_of(
    st.integers(0, 2500).map(lambda d: (date(2020, 1, 1) + timedelta(days=d)).isoformat()),
    st.sampled_from(["", "2026-13-45", "someday"]),
)
raw_row = st.tuples(
    st.sampled_from(["C1", "C2", "00123", ""]),
    st.sampled_from(["Invoice", "Payment", "Credit Note", "Bogus", ""]),
    date_cell,
    date_cell,
    cell,
    st.sampled_from(["", "R0", "R1", "R5"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(raw_row, min_size=1, max_size=30))
def test_every_input_row_lands_in_the_model_or_the_exceptions(tmp_path, rows):
    lines = ["Customer ID,Type,Doc No,Date,Due Date,Amount,Applies To"]
    for at, (cid, kind, doc_date, due, amount, ref) in enumerate(rows):
        lines.append(f'{cid},{kind},R{at},{doc_date},{due},"{amount}",{ref}')
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        result = run_on(path, as_of=date(2026, 10, 31))
    except Exception as exc:  # a wholly unusable file may stop the run, but only as InputError
        from aging.errors import InputError

        assert isinstance(exc, InputError)
        return
    recon = result.reconciliation
    equation = recon[~recon["line"].str.startswith("control")]
    assert (equation.loc[equation["line"] == "difference", "amount_minor"] == 0).all()
    nonblank = sum(1 for r in rows if any(r))
    counted = equation[equation["line"] == "input_total"]["rows"].sum()
    assert counted == nonblank
    exceptions = result.issues[result.issues["severity"] == "exception"]
    assert exceptions["row"].is_unique  # each excluded row is named once, with its reason
    assert len(exceptions) == equation.loc[equation["line"] == "exceptions", "rows"].sum()
