"""Real public AR data (../shared/external, see its SOURCES.md) checked against an independent
computation written here with the csv module, datetime and Decimal only."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import ROOT, run_on

from aging.cli import main
from aging.errors import InputError

EXTERNAL = ROOT.parent / "shared" / "external"
IBM = EXTERNAL / "ibm_accounts_receivable.csv"
HIGHRADIUS = EXTERNAL / "highradius_open_items_2020.csv"
HIGHRADIUS_RAW = EXTERNAL / "highradius_raw_open_items_excerpt.csv"

pytestmark = pytest.mark.skipif(
    not IBM.exists(), reason="../shared/external is not beside the repo"
)


def cents(text: str) -> int:
    """Amounts with more than two decimals round half up to the cent, as DESIGN's money does."""
    return int(Decimal(text).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)


def ibm_expected(as_of: date):
    """Open on as_of: invoiced on or before it and settled after it (M/D/YYYY dates)."""
    open_items = {}
    after = 0
    with IBM.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            invoiced = datetime.strptime(row["InvoiceDate"], "%m/%d/%Y").date()
            settled = datetime.strptime(row["SettledDate"], "%m/%d/%Y").date()
            due = datetime.strptime(row["DueDate"], "%m/%d/%Y").date()
            if invoiced > as_of:
                after += 1
                continue
            if settled > as_of:
                open_items[row["invoiceNumber"]] = (cents(row["InvoiceAmount"]), (as_of - due).days)
    return open_items, after


def test_ibm_register_through_the_cli(tmp_path, capsys):
    as_of = date(2013, 6, 30)
    config = tmp_path / "usd.yaml"
    config.write_text("base_currency: USD\n", encoding="utf-8")
    code = main(
        [
            "--ledger",
            str(IBM),
            "--as-of",
            as_of.isoformat(),
            "--config",
            str(config),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    expected, after = ibm_expected(as_of)
    with (tmp_path / "out" / "2013-06-30" / "data" / "open_items.csv").open(encoding="utf-8") as f:
        got = {r["doc_no"]: r for r in csv.DictReader(f)}
    assert set(got) == set(expected)
    assert any(no.startswith("00") for no in got)  # text kept as written: 0000611365
    for doc_no, (amount, days) in expected.items():
        assert cents(got[doc_no]["open_amount"]) == amount
        assert int(got[doc_no]["days_overdue"]) == days
    total = sum(a for a, _ in expected.values())
    assert sum(cents(r["open_amount_base"]) for r in got.values()) == total
    assert after > 0  # the as-of date splits the data set: later invoices are not aged


def highradius_expected(as_of: date):
    by_bucket = defaultdict(int)
    with HIGHRADIUS.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            due = datetime.strptime(row["due_in_date"], "%d-%m-%Y").date()
            days = (as_of - due).days
            bucket = (
                "Not due"
                if days <= 0
                else "1-30"
                if days <= 30
                else "31-60"
                if days <= 60
                else "61-90"
                if days <= 90
                else "91-180"
                if days <= 180
                else "later"
            )
            by_bucket[bucket] += cents(row["converted_usd"])
    return dict(by_bucket)


def test_highradius_open_items_day_first_dates():
    result = run_on(HIGHRADIUS, as_of=date(2020, 5, 31), overrides={"base_currency": "USD"})
    expected = highradius_expected(date(2020, 5, 31))
    got = result.open_items.groupby(result.open_items["bucket"].astype(str))[
        "open_base_minor"
    ].sum()
    got = {k: int(v) for k, v in got.items() if v}
    assert got == expected
    assert len(result.open_items) == 9681
    assert result.reconciled


def test_highradius_raw_export_two_currencies(tmp_path):
    # The excerpt mixes USD and CAD: without an FX table the run must stop and ask (exit 2),
    # with one (USD at rate 1) the base is USD and CAD converts at the rate given.
    with pytest.raises(InputError, match="2 currencies"):
        run_on(HIGHRADIUS_RAW, as_of=date(2020, 5, 31), base=None)
    fx = tmp_path / "fx.csv"
    fx.write_text("currency,rate\nUSD,1\nCAD,0.75\n", encoding="utf-8")
    result = run_on(HIGHRADIUS_RAW, as_of=date(2020, 5, 31), fx=[fx], base=None)
    by_currency = defaultdict(int)
    base_total = 0
    with HIGHRADIUS_RAW.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    for row in rows:  # columns 10 invoice_currency, 14 total_open_amount
        amount = cents(row[14])
        by_currency[row[10]] += amount
        rate = Decimal("0.75") if row[10] == "CAD" else Decimal(1)
        base_total += int((amount * rate).quantize(Decimal(1), ROUND_HALF_UP))
    assert result.base_currency == "USD"
    got = result.open_items.groupby("currency")["open_minor"].sum().to_dict()
    assert got == dict(by_currency)
    assert int(result.open_items["open_base_minor"].sum()) == base_total
    assert len(result.open_items) == len(rows)
    assert "0200739941" in set(result.open_items["customer_id"])  # leading zero kept


def test_ibm_data_is_what_sources_md_says():
    with Path(IBM).open(encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 2467


def test_highradius_raw_document_numbers_keep_the_digits_the_erp_showed(tmp_path):
    """pandas wrote the ERP's numbers as floats ('1930692127.0'): the digits are the number."""
    fx = tmp_path / "fx.csv"
    fx.write_text("currency,rate\nUSD,1\nCAD,0.75\n", encoding="utf-8")
    result = run_on(HIGHRADIUS_RAW, as_of=date(2020, 5, 31), fx=[fx], base=None)
    numbers = set(result.open_items["doc_no"])
    assert "1930692127" in numbers
    assert not any(n.endswith(".0") for n in numbers)
