"""The history store, in SQLite and in a real PostgreSQL server: every run records its month-end,
the next month's run reads it back, a month is replaced only with --force, and open-items
exports build their history run by run.

PostgreSQL runs when AGING_TEST_POSTGRES_URL names a server (`.ci/run` starts one with
`.ci/postgres.sh`); each test gets a database of its own. Without it those cases skip.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import write_csv
from test_history import HAND

from aging.cli import main
from aging.history.store import Store, url_of

PG_URL = os.environ.get("AGING_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request, tmp_path):
    """A fresh, empty history store of each kind."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
        return
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set AGING_TEST_POSTGRES_URL (.ci/run starts one)")
    import psycopg

    name = f"aging_{uuid.uuid4().hex[:12]}"
    server = url_of(PG_URL).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(tmp_path, ledger, as_of: str, history: str, *extra: str) -> int:
    out = tmp_path / "out"
    return main(["--ledger", str(ledger), "--as-of", as_of, "--out", str(out), "--history",
                 history, "--only", "close", "--quiet", *extra])  # fmt: skip


def _rows(location: str, sql: str) -> list[tuple]:
    """Rows of a query, dates as ISO text (SQLite gives text, PostgreSQL dates)."""
    engine = sa.create_engine(url_of(location))
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(sql))
            return [tuple(v.isoformat() if isinstance(v, date) else v for v in r) for r in rows]
    finally:
        engine.dispose()


def _result_of(location: str, ledger, as_of: date, **overrides):
    from aging.config import load_config
    from aging.pipeline import Inputs, run

    config = load_config(None, {"history.months": 4, **overrides})
    return run(Inputs(ledger=(ledger,), as_of=as_of, history=location), config)


def test_each_run_records_its_month_end_and_the_next_reads_it(tmp_path, store_location):
    ledger = write_csv(tmp_path / "ledger.csv", HAND)
    # --only close without --force: the store is still written when the month is new.
    assert _run(tmp_path, ledger, "2026-02-28", store_location) == 0
    # February's snapshot as recorded (see tests/test_history.py: A1 600 at 80 days, B1 800
    # at 55, B2 500 at 9; A and B on credit hold from 60 days? A only: 80 > 60).
    assert _rows(store_location, "select entity, as_of, layout, open_items, "
                 "total_open_base_minor from runs") == [
        ("default", "2026-02-28", "transactions", 3, 190000)
    ]  # fmt: skip
    items = _rows(store_location, "select doc_no, open_base_minor, days_overdue, bucket, grade "
                  "from open_items order by doc_no")  # fmt: skip
    assert items == [
        ("A1", 60000, 80, "61-90", "in_collection"),
        ("B1", 80000, 55, "31-60", "in_collection"),
        ("B2", 50000, 9, "1-30", "in_collection"),
    ]
    holds = _rows(store_location, "select customer_id from customers where credit_hold")
    assert holds == [("A",)]
    flows = _rows(store_location, "select month_end, sales_base_minor, receipts_base_minor "
                  "from monthly_flows order by month_end")  # fmt: skip
    assert flows[-1] == ("2026-02-28", 0, 120000)  # February: no sales, B's 1,200 paid

    # March reads February back: the changes come from the store, credit holds included
    # (B1 reaches 86 days: B is newly held; the export alone cannot tell what was held).
    march = _result_of(store_location, ledger, date(2026, 3, 31))
    history = march.history
    assert (history.previous, history.previous_source, history.holds_compared) == (
        date(2026, 2, 28), "store", True)  # fmt: skip
    held = history.changes[history.changes["change"].eq("new_credit_hold")]
    assert held["customer_id"].tolist() == ["B"]
    assert _run(tmp_path, ledger, "2026-03-31", store_location) == 0
    assert _rows(store_location, "select as_of from runs order by as_of") == [
        ("2026-02-28",), ("2026-03-31",)]  # fmt: skip


def test_a_month_is_replaced_only_with_force(tmp_path, store_location, capsys):
    ledger = write_csv(tmp_path / "ledger.csv", HAND)
    assert _run(tmp_path, ledger, "2026-03-31", store_location) == 0
    first = _rows(store_location, "select run_id, recorded_at from runs")
    # The month folder is gone, the snapshot is not: refused before anything is written.
    for path in sorted((tmp_path / "out").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    out = tmp_path / "out"
    args = ["--ledger", str(ledger), "--as-of", "2026-03-31", "--out", str(out), "--history",
            store_location, "--quiet"]  # fmt: skip
    assert main(args) == 2
    assert "already holds 2026-03-31" in capsys.readouterr().err
    assert not (out / "2026-03-31").exists()
    assert _rows(store_location, "select run_id, recorded_at from runs") == first
    # --only rewrites a part and keeps the month's snapshot as it was.
    assert main([*args, "--only", "close"]) == 0
    assert _rows(store_location, "select run_id, recorded_at from runs") == first
    # --force replaces it: one snapshot of the month, its items once.
    assert main([*args, "--force"]) == 0
    assert len(_rows(store_location, "select run_id from runs")) == 1
    assert _rows(store_location, "select count(*) from open_items") == [(3,)]


OPEN_HEADER = "Cust No,Client Name,Invoice No,Invoice Date,Due Date,Open Amount,Currency"


def test_open_items_exports_build_history_run_by_run(tmp_path, store_location):
    """Three month-end open-item exports run one by one. Jan: K1 1,000 (due Jan 20, 11 days
    -> 1-30), K2 500 not due. Feb: K1 400 left (39 days, 31-60; 600 paid), K2 500 (due Feb 10,
    18 days, 1-30). Mar: K1 gone (paid), K2 500 (49 days, 31-60), K3 200 new, not due."""
    exports = {
        "2026-01-31": ["K,Kilo,K1,2025-12-21,2026-01-20,1000.00,CNY",
                       "K,Kilo,K2,2026-01-11,2026-02-10,500.00,CNY"],
        "2026-02-28": ["K,Kilo,K1,2025-12-21,2026-01-20,400.00,CNY",
                       "K,Kilo,K2,2026-01-11,2026-02-10,500.00,CNY"],
        "2026-03-31": ["K,Kilo,K2,2026-01-11,2026-02-10,500.00,CNY",
                       "K,Kilo,K3,2026-03-20,2026-04-19,200.00,CNY"],
    }  # fmt: skip
    for as_of, lines in exports.items():
        path = write_csv(tmp_path / f"open_{as_of}.csv", [OPEN_HEADER, *lines])
        assert _run(tmp_path, path, as_of, store_location) == 0
    result = _result_of(store_location, path, date(2026, 3, 31))
    history = result.history
    assert (history.source, history.months, history.layout) == ("store", 3, "open_items")
    monthly = history.monthly.set_index("month_end")
    assert monthly["open_base_minor"].tolist() == [0, 150000, 90000, 70000]
    roll = history.roll_rates
    assert roll[["from_bucket", "to_bucket", "amount_base_minor"]].values.tolist() == [
        # Jan -> Feb: K2 not due -> 1-30; K1 1,000 in 1-30: 400 on to 31-60, 600 paid.
        ["Not due", "1-30", 50000],
        ["1-30", "31-60", 40000],
        ["1-30", "paid", 60000],
        # Feb -> Mar: K2 1-30 -> 31-60; K1's 400 paid; K3 new, not counted.
        ["1-30", "31-60", 50000],
        ["31-60", "paid", 40000],
    ]
    # The previous month-end comes from the store for an open-items export too.
    assert history.previous_source == "store"


def test_store_tables_are_the_same_in_both_kinds(store_location):
    store = Store(store_location)
    try:
        names = sorted(sa.inspect(store.engine).get_table_names())
    finally:
        store.close()
    assert names == ["control_totals", "customers", "monthly_flows", "open_items", "promises",
                     "runs"]  # fmt: skip


def test_unreachable_store_is_one_line_exit_2(tmp_path, capsys):
    ledger = write_csv(tmp_path / "ledger.csv", HAND)
    bad = "postgresql://nobody:secret@127.0.0.1:1/none"
    assert _run(tmp_path, ledger, "2026-03-31", bad) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: history store postgresql://nobody@127.0.0.1:1/none")
    assert "secret" not in err and "Traceback" not in err


def test_snapshot_round_trips_promises(tmp_path, store_location):
    """The sample's 53 evaluated promises (22 kept, 10 partly, 21 broken) and 5 pending are
    recorded with their verdicts."""
    from conftest import ROOT

    out = tmp_path / "out"
    args = ["--out", str(out), "--history", store_location, "--only", "close", "--quiet"]
    assert main(args) == 0
    counts = dict(_rows(store_location, "select verdict, count(*) from promises group by verdict"))
    assert counts == {"kept": 22, "partly_kept": 10, "broken": 21, "pending": 5}
    assert ROOT.exists()
    frame = pd.DataFrame(_rows(store_location, "select line, status from control_totals"))
    assert not frame.empty and "unexplained" not in set(frame[1])
