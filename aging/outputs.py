"""Write a run's outputs into `<out>/<as_of>/`, all or nothing.

In: a `Result`, the output root, which parts to write. Out: the folder, moved into place only
when every file is complete (a temporary sibling folder, then a rename). An existing month is
never overwritten without `force`. Raises `OutputError`.

The data exports follow DESIGN's column contract exactly: amounts in the base currency as
decimals with two places (the base currency's minor unit), dates ISO, grades by English key.
Text from inputs that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aging.errors import OutputError
from aging.i18n import render_column
from aging.model import Result

OPEN_ITEMS_CSV = ("customer_id", "doc_no", "doc_type", "doc_date", "due_date", "currency",
                  "amount", "open_amount", "open_amount_base", "days_overdue", "bucket", "grade",
                  "provision", "limitation_date", "expected_pay_date")  # fmt: skip
CUSTOMERS_CSV = ("customer_id", "name", "sales_rep", "manager", "region", "open_total",
                 "overdue_total", "unapplied_credit", "grade", "priority_score", "rank",
                 "strategy", "next_action", "next_contact_date", "credit_hold",
                 "broken_promises", "avg_days_to_pay", "avg_days_late", "on_time_share",
                 "paid_invoices")  # fmt: skip
CASH_FORECAST_CSV = ("week_start", "expected_amount")
HISTORY_MONTHLY_CSV = ("month_end", "open_total", "overdue_total", "not_due_total", "sales",
                       "receipts", "dso_countback", "cei")  # fmt: skip
ROLL_RATES_CSV = ("from_month_end", "to_month_end", "from_bucket", "to_bucket", "amount")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# What each part of the outputs owns, so one part can be rewritten and the rest kept.
PART_PATHS = {
    "close": ("AR_Close_*.xlsx", "data", "charts"),
    "packs": ("packs", "outbox"),
    "letters": ("letters",),
}


@dataclass(frozen=True)
class Job:
    """One piece of a month's outputs that can run in a process of its own.

    `run()` writes its files and returns something small (paths, notes) for `Writer.finish`;
    `weight` is the expected cost, so the largest pieces start first."""

    name: str
    run: Callable[[], object]
    weight: float = 1.0


@dataclass(frozen=True)
class Writer:
    """A part of the outputs split into jobs: `plan` lays them out (in the parent, once),
    `finish` gets their results in plan order and does what needs them all (the mail outbox
    after the packs). A plain function `writer(result, folder)` is one job."""

    plan: Callable[[Result, Path], list[Job]]
    finish: Callable[[Result, Path, list], None] | None = None


def write_outputs(
    result: Result,
    out_root: Path,
    *,
    force: bool,
    writers: list,
    replace_parts=None,
    jobs: int = 1,
) -> Path:
    """Run each writer(result, folder) into a temporary folder, then move it into place.

    With `replace_parts`, the existing month is copied in first and only those parts are
    rewritten (--only). With `jobs` > 1 the writers' jobs run in that many processes."""
    final = out_root / result.as_of.isoformat()
    if final.exists() and not force:
        raise OutputError(f"{final} already exists; use --force to replace it")
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=out_root))
    try:
        if replace_parts and final.exists():
            shutil.copytree(final, staging, dirs_exist_ok=True)
            for part in replace_parts:
                for pattern in PART_PATHS[part]:
                    for path in staging.glob(pattern):
                        shutil.rmtree(path) if path.is_dir() else path.unlink()
        _run_writers([_as_writer(w) for w in writers], result, staging, jobs)
        write_run_json(result, staging)
        if final.exists():
            old = final.with_name(f".{final.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(final, old)
            os.replace(staging, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def job_count(setting: int) -> int:
    """output.jobs: 0 means one process per core this process may use."""
    if setting > 0:
        return setting
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def _as_writer(writer) -> Writer:
    if isinstance(writer, Writer):
        return writer
    name = getattr(writer, "__name__", "writer")
    return Writer(lambda result, folder: [Job(name, functools.partial(writer, result, folder))])


def _run_writers(writers: list[Writer], result: Result, folder: Path, jobs: int) -> None:
    planned = [w.plan(result, folder) for w in writers]
    outcomes = iter(run_jobs([job for plan in planned for job in plan], jobs))
    for writer, plan in zip(writers, planned, strict=True):
        mine = [next(outcomes) for _ in plan]
        if writer.finish is not None:
            writer.finish(result, folder, mine)


_PENDING: list[Job] = []  # the jobs of the current run, inherited by forked workers


def run_jobs(jobs: list[Job], processes: int) -> list:
    """Each job's result, in the order given. In `processes` forked workers when there is more
    than one job and on Linux (a fork inherits the Result without copying or pickling it;
    macOS offers fork but its system libraries are not safe across one); else one after the
    other here."""
    global _PENDING
    if processes <= 1 or len(jobs) <= 1 or not sys.platform.startswith("linux"):
        return [job.run() for job in jobs]
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i].weight)
    _PENDING = jobs
    try:
        with mp.get_context("fork").Pool(min(processes, len(jobs))) as pool:
            done = dict(zip(order, pool.imap(_run_pending, order, chunksize=1), strict=True))
    finally:
        _PENDING = []
    return [done[i] for i in range(len(jobs))]


def _run_pending(index: int):
    return _PENDING[index].run()


def safe_text(series: pd.Series) -> pd.Series:
    """CSV injection guard: text a spreadsheet would evaluate gets a leading apostrophe."""
    text = series.fillna("").astype(str)
    risky = text.str.startswith(_FORMULA_START) & ~text.str.fullmatch(r"-?\d+(\.\d+)?")
    return text.where(~risky, "'" + text)


def _money(minor: pd.Series, decimals: int) -> pd.Series:
    """Integer minor units -> exact decimal text ("-1234.50"), no float in between."""
    values = minor.astype("int64")
    sign = values.lt(0).map({True: "-", False: ""})
    whole, frac = values.abs() // 10**decimals, values.abs() % 10**decimals
    if decimals == 0:
        return sign + whole.astype(str)
    return sign + whole.astype(str) + "." + frac.astype(str).str.zfill(decimals)


def _iso(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d").fillna("")


def open_items_frame(result: Result) -> pd.DataFrame:
    items = result.open_items
    base_dec = result.currency_decimals[result.base_currency]
    own_dec = items["currency"].map(result.currency_decimals)
    out = pd.DataFrame(
        {
            "customer_id": safe_text(items["customer_id"]),
            "doc_no": safe_text(items["doc_no"]),
            "doc_type": items["doc_type"],
            "doc_date": _iso(items["doc_date"]),
            "due_date": _iso(items["due_date"]),
            "currency": items["currency"],
            "amount": _money_by_currency(items["amount_minor"], own_dec),
            "open_amount": _money_by_currency(items["open_minor"], own_dec),
            "open_amount_base": _money(items["open_base_minor"], base_dec),
            "days_overdue": items["days_overdue"].astype("int64"),
            "bucket": items["bucket"].astype(str),
            "grade": items["grade"].astype(str),
            "provision": _money(items["provision_base_minor"], base_dec),
            "limitation_date": _iso(items["limitation_date"]),
            "expected_pay_date": _iso(_column(items, "expected_pay_date", "datetime64[s]")),
        }
    )
    return out[list(OPEN_ITEMS_CSV)]


def _column(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    """A column a later stage adds (aging.behaviour), empty when the run has none."""
    if name in frame:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index).astype(dtype)


def _decimal(values: pd.Series, places: int) -> pd.Series:
    """Floats as fixed decimals ("12.5" -> "12.5" with 1 place), empty where missing."""
    return values.map(lambda v: "" if pd.isna(v) else f"{v:.{places}f}")


def _money_by_currency(minor: pd.Series, decimals: pd.Series) -> pd.Series:
    out = pd.Series("", index=minor.index, dtype="str")
    for places in decimals.unique():
        rows = decimals.eq(places)
        out[rows] = _money(minor[rows], int(places))
    return out


def customers_frame(result: Result) -> pd.DataFrame:
    c = result.customers
    base_dec = result.currency_decimals[result.base_currency]
    out = pd.DataFrame(
        {
            "customer_id": safe_text(c["customer_id"]),
            "name": safe_text(c["name"]),
            "sales_rep": safe_text(c["sales_rep"]),
            "manager": safe_text(c["manager"]),
            "region": safe_text(c["region"]),
            "open_total": _money(c["open_base_minor"], base_dec),
            "overdue_total": _money(c["overdue_base_minor"], base_dec),
            "unapplied_credit": _money(c["unapplied_credit_base_minor"], base_dec),
            "grade": c["grade"].astype(str),
            "priority_score": c["priority_score"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}"),
            "rank": c["rank"].astype("Int64"),
            "strategy": c["strategy"].fillna(""),
            # for analysts: the next action in English whatever the run's language
            "next_action": safe_text(render_column(c["next_action"], "en")),
            "next_contact_date": _iso(pd.to_datetime(c["next_contact_date"])),
            "credit_hold": c["credit_hold"].map({True: "true", False: "false"}).fillna(""),
            "broken_promises": c["broken_promises"].astype("int64"),
            # How the customer pays (aging.behaviour): days, the share as a fraction
            "avg_days_to_pay": _decimal(_column(c, "avg_days_to_pay", "float"), 1),
            "avg_days_late": _decimal(_column(c, "avg_days_late", "float"), 1),
            "on_time_share": _decimal(_column(c, "on_time_share", "float"), 3),
            "paid_invoices": _column(c, "paid_invoices", "Int64").fillna(0).astype("int64"),
        }
    )
    return out[list(CUSTOMERS_CSV)]


def cash_forecast_frame(result: Result) -> pd.DataFrame:
    """data/cash_forecast.csv: each week's first day and the open amount expected in it."""
    weeks = result.cash_forecast
    if weeks.empty:
        return pd.DataFrame(columns=list(CASH_FORECAST_CSV))
    base_dec = result.currency_decimals[result.base_currency]
    return pd.DataFrame(
        {
            "week_start": _iso(weeks["week_start"]),
            "expected_amount": _money(weeks["expected_base_minor"], base_dec),
        }
    )[list(CASH_FORECAST_CSV)]


def write_data(result: Result, folder: Path) -> None:
    data = folder / "data"
    data.mkdir(exist_ok=True)
    items = open_items_frame(result)
    customers = customers_frame(result)
    items.to_csv(data / "open_items.csv", index=False, encoding="utf-8", lineterminator="\n")
    customers.to_csv(data / "customers.csv", index=False, encoding="utf-8", lineterminator="\n")
    forecast = cash_forecast_frame(result)
    forecast.to_csv(data / "cash_forecast.csv", index=False, encoding="utf-8", lineterminator="\n")
    monthly, roll = history_monthly_frame(result), roll_rates_frame(result)
    monthly.to_csv(data / "history_monthly.csv", index=False, encoding="utf-8", lineterminator="\n")
    roll.to_csv(data / "roll_rates.csv", index=False, encoding="utf-8", lineterminator="\n")
    if result.config.output.parquet:
        items.to_parquet(data / "open_items.parquet", index=False)
        customers.to_parquet(data / "customers.parquet", index=False)
        forecast.to_parquet(data / "cash_forecast.parquet", index=False)
        monthly.to_parquet(data / "history_monthly.parquet", index=False)
        roll.to_parquet(data / "roll_rates.parquet", index=False)


def history_monthly_frame(result: Result) -> pd.DataFrame:
    """data/history_monthly.csv: one row per month-end, oldest first (README "History")."""
    rows = result.history.monthly
    if rows.empty:
        return pd.DataFrame(columns=list(HISTORY_MONTHLY_CSV))
    dec = result.currency_decimals[result.base_currency]
    return pd.DataFrame(
        {
            "month_end": _iso(rows["month_end"]),
            "open_total": _money(rows["open_base_minor"], dec),
            "overdue_total": _money(rows["overdue_base_minor"], dec),
            "not_due_total": _money(rows["not_due_base_minor"], dec),
            "sales": _money(rows["sales_base_minor"], dec),
            "receipts": _money(rows["receipts_base_minor"], dec),
            "dso_countback": _one_decimal(rows["dso_countback"]),
            "cei": _one_decimal(rows["cei"]),
        }
    )[list(HISTORY_MONTHLY_CSV)]


def roll_rates_frame(result: Result) -> pd.DataFrame:
    """data/roll_rates.csv: where each month-end's open amounts were a month-end later."""
    roll = result.history.roll_rates
    if roll.empty:
        return pd.DataFrame(columns=list(ROLL_RATES_CSV))
    dec = result.currency_decimals[result.base_currency]
    return pd.DataFrame(
        {
            "from_month_end": _iso(roll["from_month_end"]),
            "to_month_end": _iso(roll["to_month_end"]),
            "from_bucket": roll["from_bucket"].astype(str),
            "to_bucket": roll["to_bucket"].astype(str),
            "amount": _money(roll["amount_base_minor"], dec),
        }
    )[list(ROLL_RATES_CSV)]


def _one_decimal(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "" if v is None or pd.isna(v) else f"{v:.1f}")


def write_run_json(result: Result, folder: Path) -> None:
    recon = result.reconciliation
    outputs = {
        str(p.relative_to(folder)): _sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "run.json"
    }
    record = {
        "as_of": result.as_of.isoformat(),
        "base_currency": result.base_currency,
        "base_currency_evidence": _evidence(result.base_evidence),
        "reconciled": result.reconciled,
        "inputs": [
            {
                "file": t.file,
                "sheet": t.sheet,
                "kind": t.kind,
                "layout": t.layout,
                "header_row": t.header_row,
                "rows": t.rows,
                "sha256": result.input_checksums.get(t.file, ""),
                "profile": t.profile,
                "columns": [{"header": h, "field": f, "how": how} for h, f, how in t.mapping],
                "unused": list(t.unused),
                "layout_rows": t.layout_rows,
                "blank_rows": t.blank_rows,
            }
            for t in result.inputs
        ],
        "control_totals": recon.to_dict(orient="records"),
        "counts": {k: v for k, v in result.summary.items() if isinstance(v, int | float | dict)},
        "outputs": outputs,
    }
    text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    (folder / "run.json").write_text(text + "\n", encoding="utf-8")


def _evidence(base) -> dict:
    if base is None:
        return {}
    return {"evidence": base.evidence, "detail": base.detail}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
