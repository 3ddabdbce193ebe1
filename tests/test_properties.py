"""Invariants that must hold for any ledger: hypothesis generates the ledgers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from conftest import run_on
from hypothesis import HealthCheck, example, given, settings
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


@given(st.lists(st.integers(-(10**13), 10**13), min_size=1, max_size=5))
def test_decimal_comma_amounts_parse_to_the_same_cents_with_no_setting(minors):
    """SAP with European decimal notation writes 1.234.567,89 and 3.000,00-: a column of them
    reads right with no setting (it was read 1,000 times too small and "reconciled")."""

    def european(minor: int) -> str:
        whole = f"{abs(minor) // 100:,}".replace(",", ".")
        return f"{whole},{abs(minor) % 100:02d}" + ("-" if minor < 0 else "")

    parsed, bad = parse_amounts(pd.Series([european(m) for m in minors]), 2)
    assert not bad.any()
    assert parsed.tolist() == minors


def test_a_separator_where_the_grouping_has_none_is_unreadable_not_smaller():
    # read with a decimal point, 10.500,00 is no number: unreadable, never 10.50
    parsed, bad = parse_amounts(pd.Series(["10.500,00", "1,234,56", "1,23,456.00"]), 2,
                                decimal_comma=False)  # fmt: skip
    assert bad.tolist() == [True, True, False]
    assert parsed.tolist()[2] == 12345600  # the Indian lakh grouping is a grouping


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
# a lone data row of words (no digits but its number) was once read as a second header row
@example(rows=[("C1", "Invoice", "", "someday", "", "")])
# a paid invoice with a due date and no document date once stopped the behaviour stage
@example(
    rows=[
        ("C1", "Invoice", "", "2020-01-01", "0.01", ""),
        ("C1", "Payment", "2020-01-01", "2020-01-01", "0.01", ""),
    ]
)
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


# ---- issue #11: hostile but valid names and memos, look-alike headers ------------------------

HOSTILE = ["Total Energies", "合计", "*", "Sum", "Subtotal", "Total payment for August", "总计",
           "小计 客户", "Grand Total Ltd", "=SUM(A1)", "NA", "00123", "**"]  # fmt: skip
hostile_row = st.tuples(
    st.sampled_from(HOSTILE + ["Acme", "Beta"]),  # customer name
    st.sampled_from(["Invoice", "Payment", "Credit Note"]),
    st.booleans(),  # with a document number
    st.integers(0, 700),  # days after 2024-12-01
    st.integers(1, 10**7),  # cents
    st.sampled_from(HOSTILE + ["", "paid by transfer"]),  # memo
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(hostile_row, min_size=1, max_size=25))
def test_hostile_names_and_memos_never_lose_a_row(tmp_path, rows):
    """Every row with an amount is a document: in the model or an exception, never taken for
    a totals row because of a word; the equation holds."""
    lines = ["Customer,Type,Doc No,Date,Due Date,Amount,Memo"]
    for at, (name, kind, numbered, day, cents, memo) in enumerate(rows):
        when = date(2024, 12, 1) + timedelta(days=day)
        due = when + timedelta(days=30)
        number = f"D{at}" if numbered else ""
        lines.append(f'"{name}",{kind},{number},{when},{due},{cents / 100:.2f},"{memo}"')
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_on(path, as_of=date(2026, 10, 31))
    recon = result.reconciliation
    assert not recon["line"].str.startswith("control").any()  # no row became a total
    assert result.layout_rows.empty
    equation = recon[recon["line"].isin(["input_total", "difference"])]
    assert equation.loc[equation["line"] == "input_total", "rows"].sum() == len(rows)
    assert (equation.loc[equation["line"] == "difference", "amount_minor"] == 0).all()
    # what the rows add up to, signed by type, is what the model holds (nothing dropped)
    signed = sum((c if kind == "Invoice" else -c) for _n, kind, _d, _day, c, _m in rows)
    input_total = int(equation.loc[equation["line"] == "input_total", "amount_minor"].sum())
    assert input_total == signed


LOOKALIKES = {
    "customer_id": ["Customer No", "客户编码", "Account", "Cust No"],
    "customer_name": ["Customer Name", "客户名称", "Name 1", "Client"],
    "doc_no": ["Invoice No", "单据号", "Voucher No", "Document Number"],
    "doc_date": ["Invoice Date", "开票日期", "Posting Date", "Document Date"],
    "due_date": ["Due Date", "到期日", "Net Due Date", "Due"],
    "amount": ["Amount", "金额", "Invoice Amount", "Total"],
}
# Columns that look like fields and must never be taken for one (age bands, a running day
# count, a text column called "Balance Note").
DECOYS = ["0-30", "31-60", "Days Overdue", "账龄", "Remarks"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.permutations(list(LOOKALIKES) + DECOYS[:2]),
    st.fixed_dictionaries({f: st.sampled_from(names) for f, names in LOOKALIKES.items()}),
)
def test_look_alike_headers_in_any_order_map_one_field_each(tmp_path, order, names):
    """Any order of real-world headers (and decoy age-band columns): each field is found once,
    the decoys are never amounts, and the figures come out the same."""
    values = {
        "customer_id": ["C1", "C2"],
        "customer_name": ["Alpha", "Beta"],
        "doc_no": ["I1", "I2"],
        "doc_date": ["2026-08-01", "2026-09-15"],
        "due_date": ["2026-08-31", "2026-10-15"],
        "amount": ["1200.00", "300.50"],
        "0-30": ["0", "300.50"],
        "31-60": ["1200.00", "0"],
    }
    header = [names.get(c, c) for c in order]
    lines = [",".join(header)]
    for at in range(2):
        lines.append(",".join(values[c][at] for c in order))
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_on(path, as_of=date(2026, 10, 31))
    mapping = {field: header for header, field, _how in result.inputs[0].mapping}
    for field in LOOKALIKES:
        assert mapping.get(field) == names[field], (field, result.inputs[0].mapping)
    items = result.open_items.set_index("doc_no")
    # 1,200.00 due 2026-08-31 (61 days); 300.50 due 2026-10-15 (16 days)
    assert items["open_minor"].to_dict() == {"I1": 120000, "I2": 30050}
    assert items["days_overdue"].to_dict() == {"I1": 61, "I2": 16}
    assert result.reconciled
