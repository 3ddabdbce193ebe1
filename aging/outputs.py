"""Write a run's outputs into `<out>/<as_of>/`, all or nothing, and lose nothing doing it.

In: a `Result`, the output root, which parts to write. Out: a `Written` (the folder, the
dated backup of the month it replaced, packs withheld by the isolation gate, parts kept,
temporary folders of killed runs removed). The month is written into a temporary sibling
folder and moved into place only when every file is complete. Raises `OutputError`.

DESIGN "Trustworthy exits": a lock (`.<as_of>.lock`, held with flock) stops a second run on
the same month; an existing month is never replaced without `force`, and when it is, it stays
beside the new one as `<as_of>.replaced-<when>` (renamed, not copied); the parts a run keeps
(`--only`, or a part holding this run's own inputs, such as returned packs) are hard links to
the files already there, never byte copies; a temporary folder no live run holds is removed.

The data exports follow DESIGN's column contract exactly: amounts in the base currency as
decimals with two places (the base currency's minor unit), dates ISO, grades by English key.
Text from inputs that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import functools
import hashlib
import json
import multiprocessing as mp
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

import pandas as pd

from aging.errors import OutputError
from aging.i18n import msg, render_column
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
    after the packs) and may return facts for run.json (`{"withheld": [...]}`). A plain
    function `writer(result, folder)` is one job."""

    plan: Callable[[Result, Path], list[Job]]
    finish: Callable[[Result, Path, list], dict | None] | None = None
    part: str | None = None  # the part of the month it writes (close, packs, letters)


@dataclass(frozen=True)
class Written:
    """What `write_month` did, for the console and run.json."""

    folder: Path
    backup: Path | None = None  # the month it replaced, kept beside it
    withheld: tuple = ()  # of dicts: packs the isolation gate kept back, and why
    kept: tuple = ()  # parts kept as they were because this run read its inputs there
    removed: tuple = ()  # (temporary folder, bytes) left by killed runs and removed


def write_outputs(result: Result, out_root: Path, **options) -> Path:
    """`write_month`, returning only the folder (for callers that need no more)."""
    return write_month(result, out_root, **options).folder


def write_month(
    result: Result,
    out_root: Path,
    *,
    force: bool,
    writers: list,
    replace_parts=None,
    jobs: int = 1,
    inputs: tuple = (),
    returned: tuple = (),
) -> Written:
    """Run each writer(result, folder) into a temporary folder, then move it into place.

    With `replace_parts` (--only) the rest of an existing month is kept (hard links) and only
    those parts are rewritten. `inputs`: the paths this run read; a part of the month holding
    one is kept as it is, not rewritten (returned packs read as contacts must survive).
    `returned`: the contact logs among them; a run reading contacts from inside the month
    (`--contacts <out>/<as_of>/packs`) may replace that month without `force`, since it
    keeps them and the replaced files go to the dated backup. With `jobs` > 1 the writers'
    jobs run in that many processes."""
    out_root = Path(out_root)
    final = out_root / result.as_of.isoformat()
    check_output_root(out_root)
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, out_root) from None
    with month_lock(out_root, final.name):
        removed = remove_stale(out_root)
        inside = _inside(final, inputs)
        if final.exists() and not (force or replace_parts or _inside(final, returned)):
            raise OutputError("error.month_exists", folder=final)
        parts = list(replace_parts or PART_PATHS)
        kept = sorted({part for path in inside for part in _parts_holding(final, path)})
        if replace_parts and set(parts) <= set(kept):
            raise OutputError(
                "error.only_would_replace",
                parts=" ".join(parts),
                paths=", ".join(map(str, inside)),
            )
        writers = [w for w in writers if _part_of(w) not in kept]
        rewritten = [p for p in parts if p not in kept]
        staging = _new_staging(out_root, final.name)
        try:
            if final.exists():
                _link_into(staging, _carried(final, rewritten if replace_parts else None, kept))
            facts = _run_writers([_as_writer(w) for w in writers], result, staging, jobs)
            backup = _backup_name(final) if final.exists() else None
            write_run_json(result, staging, previous=final, backup=backup,
                           withheld=facts["withheld"], kept=kept)  # fmt: skip
            _swap(final, staging, backup)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            cause = _os_error_in(exc) if isinstance(exc, Exception) else None
            if cause is not None:
                raise _os_error(cause, final) from None
            raise
    return Written(final, backup, tuple(facts["withheld"]), tuple(kept), tuple(removed))


def _swap(final: Path, staging: Path, backup: Path | None) -> None:
    """The old month becomes the backup, the new one takes its place (two renames; if the
    second fails the old month is put back)."""
    if backup is not None:
        os.replace(final, backup)
    try:
        os.replace(staging, final)
    except OSError:
        if backup is not None:
            os.replace(backup, final)
        raise


def check_output_root(out_root: Path) -> None:
    """Refuse an output root that is a file, cannot be created or cannot be written, before
    anything is written (a probe folder is made in it, or in its nearest existing parent,
    and removed: permission bits alone do not tell, e.g. for root or on a read-only disk)."""
    out_root = Path(out_root)
    if out_root.exists() and not out_root.is_dir():
        raise OutputError("error.out_is_a_file", folder=out_root)
    parent = out_root
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError("error.out_under_a_file", folder=out_root, parent=parent)
    try:
        probe = tempfile.mkdtemp(prefix=".aging-probe-", dir=parent)
    except OSError as exc:
        code = "error.out_not_writable" if parent == out_root else "error.out_not_creatable"
        raise OutputError(code, folder=out_root, reason=_reason(exc)) from None
    os.rmdir(probe)


# --- the lock and the temporary folders -------------------------------------------------------

_STAGING = re.compile(r"\.(\d{4}-\d{2}-\d{2})\.[A-Za-z0-9_]+")  # also an old run's ".<as_of>.old"
_HELD: dict[Path, int] = {}  # locks this process holds, so that a holder may enter again


@contextlib.contextmanager
def month_lock(out_root: Path, month: str):
    """Hold `<out_root>/.<month>.lock` while writing (and sending) that month; another
    process holding it means another run is at work on that month: OutputError. The lock
    dies with its process, so a killed run never blocks the next one."""
    path = Path(out_root) / f".{month}.lock"
    key = path.absolute()
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _acquire(path)
    except OSError as exc:
        raise _os_error(exc, Path(out_root) / month) from None
    if handle is None:
        holder = _read_holder(path)
        raise OutputError("error.month_locked", folder=Path(out_root) / month, holder=holder)
    _HELD[key] = 1
    try:
        yield
    finally:
        del _HELD[key]
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: whoever opens it next makes a fresh one
        _release(handle)


def _acquire(path: Path):
    """An open, locked handle on `path`, or None when another process holds the lock."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file the previous holder unlinked as we opened it
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _release(fd: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _read_holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return msg("error.lock_holder", pid=pid) if pid.isdigit() else ""


def remove_stale(out_root: Path) -> list[tuple[Path, int]]:
    """Remove the temporary folders (`.<as_of>.xxxxxxxx`) of runs that were killed: those
    whose month's lock nobody holds. Returns (folder, bytes) of each removed."""
    removed = []
    for path in sorted(Path(out_root).iterdir()):
        found = _STAGING.fullmatch(path.name)
        if not found or not path.is_dir() or path.is_symlink():
            continue
        try:
            with month_lock(out_root, found.group(1)):
                size = _tree_bytes(path)
                shutil.rmtree(path)
        except OutputError:
            continue  # a live run is writing that month: its folder is not stale
        except OSError:
            continue  # not ours to remove (permissions): left alone
        removed.append((path, size))
    return removed


def _tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _new_staging(out_root: Path, month: str) -> Path:
    """A fresh `.<month>.xxxxxxxx` folder with the permissions any new folder gets (the
    umask's), not mkdtemp's 0700, since it becomes the month."""
    while True:
        path = out_root / f".{month}.{secrets.token_hex(4)}"
        try:
            path.mkdir(mode=0o777)
            return path
        except FileExistsError:
            continue


def _backup_name(final: Path) -> Path:
    """`<as_of>.replaced-<local time>` beside the month (a second in the same second: -2)."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    candidate, n = final.with_name(f"{final.name}.replaced-{stamp}"), 1
    while candidate.exists():
        n += 1
        candidate = final.with_name(f"{final.name}.replaced-{stamp}-{n}")
    return candidate


# --- keeping parts without copying them -------------------------------------------------------


def reads_inside(final: Path, paths) -> bool:
    """Whether any of these input paths lies inside the month folder `final`."""
    return bool(_inside(final, paths))


def _inside(final: Path, inputs) -> list[Path]:
    """The inputs that lie inside the month folder (relative to it)."""
    month = final.resolve()
    found = []
    for path in inputs:
        try:
            found.append(Path(path).resolve().relative_to(month))
        except ValueError:
            continue
    return found


def _parts_holding(final: Path, relative: Path) -> list[str]:
    """The parts whose files include this path (relative to the month)."""
    if not relative.parts:
        return list(PART_PATHS)
    top = relative.parts[0]
    return [
        part
        for part, patterns in PART_PATHS.items()
        if any(fnmatch.fnmatch(top, pattern) for pattern in patterns)
    ]


def _part_of(writer) -> str | None:
    return getattr(writer, "part", None)


def _carried(final: Path, rewritten: list | None, kept: list) -> list[Path]:
    """What the new month takes over from the old one. --only (`rewritten` given): everything
    but the parts it rewrites and run.json, the user's own files too. A whole run: only the
    parts holding its inputs."""

    def owned(path: Path, parts) -> bool:
        return any(fnmatch.fnmatch(path.name, p) for part in parts for p in PART_PATHS[part])

    entries = sorted(final.iterdir())
    if rewritten is None:
        return [p for p in entries if owned(p, kept)]
    return [p for p in entries if p.name != "run.json" and not owned(p, rewritten)]


def _link_into(staging: Path, paths: list[Path]) -> None:
    """Each path (file or folder) into the new month as hard links to the same files: no
    byte is copied (a file system without hard links gets copies)."""
    for path in paths:
        target = staging / path.name
        if path.is_dir() and not path.is_symlink():
            shutil.copytree(path, target, copy_function=_link_or_copy, symlinks=True)
        else:
            _link_or_copy(path, target)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        shutil.copy2(source, target, follow_symlinks=False)


# --- errors a user can act on -----------------------------------------------------------------


def _os_error_in(exc: BaseException) -> OSError | None:
    """An OSError behind a writer's own exception (xlsxwriter wraps the one it met)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError):
            return exc
        wrapped = [a for a in getattr(exc, "args", ()) if isinstance(a, OSError)]
        if wrapped:
            return wrapped[0]
        exc = exc.__cause__ or exc.__context__
    return None


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "no permission"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    return exc.strerror or type(exc).__name__


def _os_error(exc: OSError, final: Path) -> OutputError:
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return OutputError("error.cannot_write", folder=final, reason=_reason(exc), where=where)


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


def _run_writers(writers: list[Writer], result: Result, folder: Path, jobs: int) -> dict:
    planned = [w.plan(result, folder) for w in writers]
    outcomes = iter(run_jobs([job for plan in planned for job in plan], jobs))
    facts: dict = {"withheld": []}
    for writer, plan in zip(writers, planned, strict=True):
        mine = [next(outcomes) for _ in plan]
        if writer.finish is not None:
            for key, values in (writer.finish(result, folder, mine) or {}).items():
                facts.setdefault(key, []).extend(values)
    return facts


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
        pool = mp.get_context("fork").Pool(min(processes, len(jobs)), _ignore_interrupt)
        with pool:
            done = dict(zip(order, pool.imap(_run_pending, order, chunksize=1), strict=True))
    finally:
        _PENDING = []
    return [done[i] for i in range(len(jobs))]


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops them: one quiet line, not a traceback
    from every worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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


def write_run_json(
    result: Result,
    folder: Path,
    *,
    previous: Path | None = None,
    backup: Path | None = None,
    withheld=(),
    kept=(),
) -> None:
    """run.json: inputs, control totals, counts and every output's SHA-256; the month it
    replaced (`backup`), packs withheld, parts kept. A file kept from the `previous` month
    unchanged since that run.json was written keeps its recorded hash (not read again)."""
    recon = result.reconciliation
    known = _known_hashes(previous)
    outputs = {
        p.relative_to(folder).as_posix(): _hash_of(p, folder, known)
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
    if backup is not None:
        record["replaced"] = {"backup": backup.name}
    if withheld:
        record["withheld"] = list(withheld)
    if kept:
        record["kept"] = list(kept)
    text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    (folder / "run.json").write_text(text + "\n", encoding="utf-8")


def _known_hashes(previous: Path | None) -> tuple[dict, int]:
    """The previous run.json's hashes and the time it was written."""
    if previous is None:
        return {}, 0
    try:
        stamp = (previous / "run.json").stat().st_mtime_ns
        record = json.loads((previous / "run.json").read_text(encoding="utf-8"))
        return dict(record.get("outputs") or {}), stamp
    except (OSError, ValueError, AttributeError):
        return {}, 0


def _hash_of(path: Path, folder: Path, known: tuple[dict, int]) -> str:
    hashes, written_ns = known
    recorded = hashes.get(path.relative_to(folder).as_posix())
    if recorded and path.stat().st_nlink > 1 and path.stat().st_mtime_ns <= written_ns:
        return recorded  # a hard link to a file unchanged since its run recorded it
    return _sha256(path)


def _evidence(base) -> dict:
    if base is None:
        return {}
    return {"evidence": base.evidence, "detail": base.detail}


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
