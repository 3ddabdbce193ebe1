"""Benchmark: the whole product against the floor of merely reading and writing the cells.

    python bench/run.py --lines 100000 [--jobs N] [--letters]

Generates a seeded ledger workbook of N lines over N/20 customers, with a customer master (200
sales reps under 40 managers) and a contact log, then in this one process measures:
- the product as `run_reports.py` runs it: the pipeline stage by stage, then the close
  workbook, data CSVs, charts, every manager's pack and the mail outbox (`--letters` adds the
  letters, timed apart and left out of the ratios);
- the floor: reading the input with the fastest reader here, and writing exactly the cells the
  product wrote (read back from its files, not timed) with xlsxwriter in constant-memory mode
  and with rust_xlsxwriter (`rustpy-xlsxwriter`, bench/requirements.txt), no product logic;
- the baseline a user would otherwise write: pandas read_excel + to_excel with openpyxl, at N
  (or at N/10, scaled up, above --baseline-max, saying so);
- the history (issue #13): its two pipeline stages (the twelve month-ends rebuilt in one pass
  with their figures, then the changes since last month, with last month rebuilt and graded
  since the store is empty) against the main run's compute stages (settle, age, grade, plan,
  check), and recording the month's snapshot in an SQLite store.
Prints the ratios last. Never asserted in unit tests: these machines are noisy.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aging.cli import PARTS
from aging.config import load_config
from aging.history.store import Store, snapshot_of
from aging.outputs import job_count, write_outputs
from aging.pipeline import Inputs, run

HEADER = ["客户编码", "客户名称", "单据类型", "单据号", "单据日期", "到期日", "金额", "核销发票号"]
CUSTOMER_HEADER = [
    "客户编码",
    "客户名称",
    "业务员",
    "销售经理",
    "经理邮箱",
    "区域",
    "信用额度",
    "账期",
]
CONTACT_HEADER = ["联系日期", "客户编码", "单据号", "催收方式", "催收结果", "承诺日期", "承诺金额"]
REPS, MANAGERS = 200, 40
REGIONS = ("华东", "华北", "华中", "华南", "西南")
START = pd.Timestamp("2023-11-01")


def generate(path: Path, lines: int, seed: int = 20261031) -> None:
    """N ledger lines over N/20 customers; a customer master (200 reps under 40 managers) and
    a contact log of N/20 lines (a third of them promises) in the same workbook."""
    rng = np.random.default_rng(seed)
    customers = max(lines // 20, 1)
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    _ledger_sheet(book, rng, lines, customers, date_format)
    _customer_sheet(book, rng, customers)
    _contact_sheet(book, rng, lines, customers, date_format)
    book.close()


def _ledger_sheet(book, rng, lines: int, customers: int, date_format) -> None:
    ids = rng.integers(0, customers, lines)
    day = rng.integers(0, 1095, lines)
    receipt = rng.random(lines) < 0.35
    amount = rng.integers(10_000, 50_000_000, lines) / 100
    sheet = book.add_worksheet("应收明细")
    sheet.write_row(0, 0, HEADER)
    for at in range(lines):
        cid = int(ids[at])
        when = (START + pd.Timedelta(days=int(day[at]))).to_pydatetime()
        row = at + 1
        sheet.write_string(row, 0, f"C{cid:06d}")
        sheet.write_string(row, 1, f"客户{cid:06d}有限公司")
        sheet.write_string(row, 2, "收款单" if receipt[at] else "销售发票")
        sheet.write_string(row, 3, f"D{at:08d}")
        sheet.write_datetime(row, 4, when, date_format)
        if not receipt[at]:
            sheet.write_datetime(row, 5, when + pd.Timedelta(days=30).to_pytimedelta(), date_format)
        sheet.write_number(row, 6, float(amount[at]))


def _customer_sheet(book, rng, customers: int) -> None:
    rep = rng.integers(0, REPS, customers)
    limit = rng.integers(1, 200, customers) * 10_000
    terms = rng.choice([30, 45, 60, 90], customers)
    sheet = book.add_worksheet("客户资料")
    sheet.write_row(0, 0, CUSTOMER_HEADER)
    for cid in range(customers):
        r = int(rep[cid])
        manager = r % MANAGERS  # five reps per manager
        sheet.write_row(
            cid + 1,
            0,
            [
                f"C{cid:06d}",
                f"客户{cid:06d}有限公司",
                f"业务员{r:03d}",
                f"经理{manager:02d}",
                f"manager{manager:02d}@example.com",
                REGIONS[manager % len(REGIONS)],
                int(limit[cid]),
                int(terms[cid]),
            ],
        )


def _contact_sheet(book, rng, lines: int, customers: int, date_format) -> None:
    count = max(lines // 20, 1)
    ids = rng.integers(0, customers, count)
    day = rng.integers(900, 1095, count)
    outcome = rng.choice(["承诺付款", "未接通", "已确认"], count)
    channel = rng.choice(["电话", "邮件", "拜访"], count)
    sheet = book.add_worksheet("催收记录")
    sheet.write_row(0, 0, CONTACT_HEADER)
    for at in range(count):
        when = (START + pd.Timedelta(days=int(day[at]))).to_pydatetime()
        row = at + 1
        sheet.write_datetime(row, 0, when, date_format)
        sheet.write_string(row, 1, f"C{int(ids[at]):06d}")
        sheet.write_string(row, 3, str(channel[at]))
        sheet.write_string(row, 4, str(outcome[at]))
        if outcome[at] == "承诺付款":
            sheet.write_datetime(row, 5, when + pd.Timedelta(days=14).to_pytimedelta(), date_format)
            sheet.write_number(row, 6, float(rng.integers(100_000, 5_000_000) / 100))


def timed(label: str, results: dict):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            results[label] = time.perf_counter() - self.start
            print(f"{label:<34} {results[label]:8.2f} s", flush=True)

    return Timer()


def floor_read(path: Path) -> int:
    """Every sheet of the input with the fastest reader here (fastexcel's Arrow batches when
    installed, else calamine); returns the cells read."""
    try:
        import fastexcel
    except ImportError:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        grids = [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]
        return sum(len(g) * (len(g[0]) if g else 0) for g in grids)
    reader = fastexcel.read_excel(str(path))
    cells = 0
    for name in reader.sheet_names:
        table = reader.load_sheet(name, header_row=None).to_arrow()
        cells += table.num_rows * table.num_columns
    return cells


def written_cells(folder: Path) -> Iterator[tuple[Path, list]]:
    """Each workbook and CSV the product wrote, read back as plain values (not timed):
    what the floor writes is exactly the cells the product wrote."""
    for path in sorted(folder.rglob("*.xlsx")):
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        yield path, [(n, book.get_sheet_by_name(n).to_python()) for n in book.sheet_names]
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            yield path, [("csv", list(csv.reader(handle)))]


def floor_write(sheets: list, path: Path) -> None:
    """xlsxwriter in constant-memory mode, no formats: the same cells, no product logic."""
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(sheets[0][1])
        return
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for at, row in enumerate(rows):
            sheet.write_row(at, 0, row)
    book.close()


def floor_write_rust(sheets: list, path: Path) -> bool:
    """rust_xlsxwriter through its Python binding, when installed (bench/requirements.txt)."""
    try:
        import rustpy_xlsxwriter
    except ImportError:
        return False
    frames = [(name, _frame(rows)) for name, rows in sheets]
    if path.suffix == ".csv":
        rustpy_xlsxwriter.write_csv(frames[0][1], str(path), header=False)
    else:
        rustpy_xlsxwriter.write_worksheets(frames, str(path))
    return True


def _frame(rows: list) -> pd.DataFrame:
    """Rows of mixed values as a frame of object columns (what the binding takes)."""
    width = max((len(r) for r in rows), default=0)
    columns = [f"c{i}" for i in range(width)]
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=columns)


def baseline(path: Path, out: Path) -> None:
    frame = pd.read_excel(path, engine="openpyxl")
    frame.to_excel(out, engine="openpyxl", index=False)


def run_product(ledger: Path, out: Path, parts: list[str], jobs: int, results: dict):
    """The product as `run_reports.py` runs it: the pipeline, then the parts' writers."""
    config = load_config(None)
    stages = []
    with timed("product: pipeline", results):
        result = run(Inputs(ledger=(ledger,)), config, lambda s: stages.append((s, now())))
    stages.append(("end", now()))
    for (stage, start), (_, end) in zip(stages, stages[1:], strict=False):
        print(f"  stage {stage:<27} {end - start:8.2f} s")
        results[f"stage {stage}"] = end - start
    writers = [w for part in parts for w in PARTS[part]()]
    with timed(f"product: outputs ({' + '.join(parts)})", results):
        folder = write_outputs(result, out, force=True, writers=writers, jobs=jobs)
    return result, folder


# The main run's compute (what the history repeats twelve times over, if done naively), and
# the history's own stages (aging.pipeline's progress steps).
COMPUTE_STAGES = ("settle", "age", "grade", "behaviour", "plan", "check")
HISTORY_STAGES = ("history", "changes")


def now() -> float:
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=100_000,
        help="above this N the baseline runs at N/10 and is scaled up",
    )
    parser.add_argument(
        "--jobs", type=int, default=0, help="processes for the outputs (0 = one per core)"
    )
    parser.add_argument(
        "--letters",
        action="store_true",
        help="also time the letters (one .docx per customer written to; not in the ratios)",
    )
    args = parser.parse_args()
    jobs = job_count(args.jobs)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ledger = work / "ledger.xlsx"
        generate(ledger, args.lines)
        print(f"ledger: {args.lines:,} lines, {ledger.stat().st_size / 1e6:.1f} MB; {jobs} jobs")
        with timed("floor: read (fastest reader)", results):
            read_cells = floor_read(ledger)
        result, folder = run_product(ledger, work / "out", ["close", "packs"], jobs, results)
        product = results["product: pipeline"] + results["product: outputs (close + packs)"]
        with timed("history: store write (SQLite)", results):
            store = Store(work / "history.sqlite")
            store.save(snapshot_of(result, "bench"), replace=True)
            store.close()
        floor_cells, has_rust = _floor_writes(folder, work / "floor", results)
        if args.letters:
            with timed("product: letters", results):
                write_outputs(result, work / "letters", force=True,
                              writers=PARTS["letters"](), jobs=jobs)  # fmt: skip
        scale, base_file = 1, ledger
        if args.lines > args.baseline_max:
            scale, base_file = 10, work / "ledger_small.xlsx"
            generate(base_file, args.lines // 10)
        with timed(f"baseline: pandas+openpyxl (x{scale})", results):
            baseline(base_file, work / "baseline.xlsx")
    read = results["floor: read (fastest reader)"]
    floor = read + results["floor: xlsxwriter write"]
    base = results[f"baseline: pandas+openpyxl (x{scale})"] * scale
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"cells: {read_cells:,} read, {floor_cells:,} written (close workbook, packs, CSVs)")
    print(f"open items {len(result.open_items):,}; customers {len(result.customers):,}")
    print(f"peak memory {parent:,.0f} MiB (largest worker {child:,.0f} MiB)")
    compute = sum(results[f"stage {s}"] for s in COMPUTE_STAGES)
    history = sum(results[f"stage {s}"] for s in HISTORY_STAGES)
    print(
        f"history {history:.2f} s / compute stages {compute:.2f} s = {history / compute:.2f}"
        f" (target <= 1; store write {results['history: store write (SQLite)']:.2f} s)"
    )
    print(f"product / floor (read + xlsxwriter write)    = {product / floor:.2f}")
    if has_rust:
        rust_floor = read + results["floor: rust_xlsxwriter write"]
        print(f"product / floor (read + rust_xlsxwriter)     = {product / rust_floor:.2f}")
    scaled = " (baseline measured at N/10, scaled x10)" if scale > 1 else ""
    print(f"baseline / product                           = {base / product:.2f}{scaled}")


def _floor_writes(folder: Path, target: Path, results: dict) -> tuple[int, bool]:
    """Time writing every cell the product wrote, workbook by workbook, with each writer."""
    target.mkdir()
    spent = {"xlsxwriter": 0.0, "rust_xlsxwriter": 0.0}
    cells, has_rust = 0, True
    for path, sheets in written_cells(folder):
        cells += sum(len(r) for _, rows in sheets for r in rows)
        start = now()
        floor_write(sheets, target / path.name)
        spent["xlsxwriter"] += now() - start
        start = now()
        has_rust = floor_write_rust(sheets, target / f"rust-{path.name}") and has_rust
        spent["rust_xlsxwriter"] += now() - start
    for writer, seconds in spent.items():
        if writer == "rust_xlsxwriter" and not has_rust:
            continue
        results[f"floor: {writer} write"] = seconds
        print(f"{'floor: ' + writer + ' write':<34} {seconds:8.2f} s")
    return cells, has_rust


if __name__ == "__main__":
    main()
