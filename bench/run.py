"""Benchmark: the whole product against the floor of merely reading and writing the cells.

    python bench/run.py --lines 100000 [--jobs N] [--letters]
    python bench/run.py --customers 20000 --items-per-customer 1-2     # a wide portfolio
    python bench/run.py --huge-customer 200000                         # one huge customer

Generates a seeded ledger workbook, with a customer master (200 sales reps under 40 managers)
and a contact log: N lines over N/20 customers (`--lines`); C customers with one or two
invoices each, most of them overdue, as a distributor's portfolio is (`--customers`); or one
customer with N open invoices beside 99 small ones (`--huge-customer`). Then in this one
process it measures:
- the product as `run_reports.py` runs it: the pipeline stage by stage, then the close
  workbook, data CSVs, charts, every manager's pack and the mail outbox, and — in the wide and
  huge modes, or with `--letters` — the letters (with `--lines` they are timed apart and left
  out of the ratios), peak memory read right after;
- the floor: reading the input with the fastest reader here, and writing exactly the cells the
  product wrote (read back from its files, not timed) with xlsxwriter in constant-memory mode
  and with rust_xlsxwriter (`rustpy-xlsxwriter`, bench/requirements.txt), no product logic;
  for letters, writing the same .docx files again with zipfile (same members, same bytes, the
  product's deflate level);
- the baseline a user would otherwise write (`--lines` only): pandas read_excel + to_excel with
  openpyxl, at N (or at N/10, scaled up, above --baseline-max, saying so);
- the history (issue #13, `--lines` only): its two pipeline stages (the twelve month-ends
  rebuilt in one pass with their figures, then the changes since last month, with last month
  rebuilt and graded since the store is empty) against the main run's compute stages (settle,
  age, grade, plan, check), and recording the month's snapshot in an SQLite store.
Prints the ratios last. Never asserted in unit tests: these machines are noisy.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
import zipfile
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


def generate_wide(path: Path, customers: int, items: tuple[int, int], seed: int = 20261031) -> int:
    """A distributor's portfolio: each customer with `items` (low, high) invoices, due from 20
    days ahead to three years back (most overdue, some near their limitation date), 100 to
    500,000 each, one in ten part-paid by a receipt naming it; the customer master and the
    contact log as `generate` makes them. Returns the ledger lines written."""
    rng = np.random.default_rng(seed)
    per = rng.integers(items[0], items[1] + 1, customers)
    ids = np.repeat(np.arange(customers), per)
    days_overdue = rng.integers(-20, 1096, len(ids))
    amount = rng.integers(10_000, 50_000_000, len(ids)) / 100
    return _write_invoices(path, rng, ids, days_overdue, amount, customers)


def generate_huge(path: Path, items: int, seed: int = 20261031) -> int:
    """One customer (C000000) with `items` open invoices over three years, beside 99 customers
    with three each; the customer master and contact log as `generate` makes them."""
    rng = np.random.default_rng(seed)
    ids = np.concatenate([np.zeros(items, dtype="int64"), np.repeat(np.arange(1, 100), 3)])
    days_overdue = rng.integers(-20, 1096, len(ids))
    amount = rng.integers(10_000, 5_000_000, len(ids)) / 100
    return _write_invoices(path, rng, ids, days_overdue, amount, 100)


def _write_invoices(path: Path, rng, ids, days_overdue, amount, customers: int) -> int:
    """Invoices due `days_overdue` before 2026-10-31 (30 days' terms), one in ten with a
    receipt for part of it naming the invoice."""
    as_of = START + pd.Timedelta(days=1095)
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("应收明细")
    sheet.write_row(0, 0, HEADER)
    paid = rng.random(len(ids)) < 0.1
    row = 0
    for at in range(len(ids)):
        cid = int(ids[at])
        due = (as_of - pd.Timedelta(days=int(days_overdue[at]))).to_pydatetime()
        when = due - pd.Timedelta(days=30).to_pytimedelta()
        row += 1
        sheet.write_string(row, 0, f"C{cid:06d}")
        sheet.write_string(row, 1, f"客户{cid:06d}有限公司")
        sheet.write_string(row, 2, "销售发票")
        sheet.write_string(row, 3, f"D{at:08d}")
        sheet.write_datetime(row, 4, min(when, as_of.to_pydatetime()), date_format)
        sheet.write_datetime(row, 5, due, date_format)
        sheet.write_number(row, 6, float(amount[at]))
        if paid[at]:
            row += 1
            sheet.write_string(row, 0, f"C{cid:06d}")
            sheet.write_string(row, 1, f"客户{cid:06d}有限公司")
            sheet.write_string(row, 2, "收款单")
            sheet.write_string(row, 3, f"R{at:08d}")
            sheet.write_datetime(row, 4, min(due, as_of.to_pydatetime()), date_format)
            sheet.write_number(row, 6, float(round(amount[at] * 0.3, 2)))
            sheet.write_string(row, 7, f"D{at:08d}")
    _customer_sheet(book, rng, customers)
    _contact_sheet(book, rng, customers * 20, customers, date_format)
    book.close()
    return row


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


def peak_memory() -> tuple[float, float]:
    """MiB: this process's peak, and the largest of its finished workers'."""
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return parent, child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument(
        "--customers", type=int, default=0, help="a wide portfolio of this many customers"
    )
    parser.add_argument(
        "--items-per-customer",
        default="1-2",
        help="with --customers: invoices per customer, as LOW-HIGH (default 1-2)",
    )
    parser.add_argument(
        "--huge-customer", type=int, default=0, help="one customer with this many open items"
    )
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
    with tempfile.TemporaryDirectory() as tmp:
        if args.customers or args.huge_customer:
            whole_run(args, Path(tmp), jobs)
        else:
            lines_run(args, Path(tmp), jobs)


def lines_run(args, work: Path, jobs: int) -> None:
    """N ledger lines: the close workbook and packs against their floor; letters apart."""
    results: dict[str, float] = {}
    ledger = work / "ledger.xlsx"
    generate(ledger, args.lines)
    print(f"ledger: {args.lines:,} lines, {ledger.stat().st_size / 1e6:.1f} MB; {jobs} jobs")
    result, folder = run_product(ledger, work / "out", ["close", "packs"], jobs, results)
    product = results["product: pipeline"] + results["product: outputs (close + packs)"]
    with timed("history: store write (SQLite)", results):
        store = Store(work / "history.sqlite")
        store.save(snapshot_of(result, "bench"), replace=True)
        store.close()
    if args.letters:
        with timed("product: letters", results):
            letters = write_outputs(result, work / "letters", force=True,
                                    writers=PARTS["letters"](), jobs=jobs)  # fmt: skip
    parent, child = peak_memory()
    with timed("floor: read (fastest reader)", results):
        read_cells = floor_read(ledger)
    floor_cells, has_rust = _floor_writes(folder, work / "floor", results)
    if args.letters:
        count, _ = _floor_letters(letters, work / "floor-letters", results)
    scale, base_file = 1, ledger
    if args.lines > args.baseline_max:
        scale, base_file = 10, work / "ledger_small.xlsx"
        generate(base_file, args.lines // 10)
    with timed(f"baseline: pandas+openpyxl (x{scale})", results):
        baseline(base_file, work / "baseline.xlsx")
    read = results["floor: read (fastest reader)"]
    floor = read + results["floor: xlsxwriter write"]
    base = results[f"baseline: pandas+openpyxl (x{scale})"] * scale
    print(f"cells: {read_cells:,} read, {floor_cells:,} written (close workbook, packs, CSVs)")
    print(f"open items {len(result.open_items):,}; customers {len(result.customers):,}")
    print(f"peak memory {parent:,.0f} MiB (largest worker {child:,.0f} MiB)")
    if args.letters:
        _print_letters(results, count)
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


def whole_run(args, work: Path, jobs: int) -> None:
    """A wide portfolio or a huge customer: the whole run, letters included, against the floor
    of reading the input and writing its cells, CSVs and letter files; then the letters alone
    against writing the same .docx files."""
    results: dict[str, float] = {}
    ledger = work / "ledger.xlsx"
    if args.huge_customer:
        lines = generate_huge(ledger, args.huge_customer)
        shape = f"one customer with {args.huge_customer:,} invoices beside 99 small ones"
    else:
        low, _, high = args.items_per_customer.partition("-")
        items = (int(low), int(high or low))
        lines = generate_wide(ledger, args.customers, items)
        shape = f"{args.customers:,} customers with {args.items_per_customer} invoices each"
    print(f"ledger: {shape}: {lines:,} lines, {ledger.stat().st_size / 1e6:.1f} MB; {jobs} jobs")
    parts = ["close", "packs", "letters"]
    result, folder = run_product(ledger, work / "out", parts, jobs, results)
    parent, child = peak_memory()
    product = results["product: pipeline"] + results[f"product: outputs ({' + '.join(parts)})"]
    with timed("product: letters alone", results):
        letters = write_outputs(result, work / "letters", force=True,
                                writers=PARTS["letters"](), jobs=jobs)  # fmt: skip
    with timed("floor: read (fastest reader)", results):
        read_cells = floor_read(ledger)
    floor_cells, _ = _floor_writes(folder, work / "floor", results, rust=False)
    count, size = _floor_letters(letters, work / "floor-letters", results)
    # the schedules' cells are among the workbooks' cells already
    floor = sum(results[k] for k in ("floor: read (fastest reader)", "floor: xlsxwriter write",
                                     "floor: letters write (.docx)"))  # fmt: skip
    print(f"cells: {read_cells:,} read, {floor_cells:,} written (workbooks, CSVs)")
    print(f"open items {len(result.open_items):,}; customers {len(result.customers):,}")
    print(f"letters: {count:,} files, {size / max(count, 1) / 1e3:,.1f} KB each on average")
    print(f"peak memory {parent:,.0f} MiB (largest worker {child:,.0f} MiB)")
    _print_letters(results, count, "product: letters alone")
    print(f"product / floor (read + cells + CSVs + letter files) = {product / floor:.2f}")


def _print_letters(results: dict, count: int, label: str = "product: letters") -> None:
    letters, floor = results[label], results["floor: letters write"]
    per = 1000 * letters / max(count, 1)
    print(
        f"letters: {per:.2f} ms a letter (wall, all jobs); floor {1000 * floor / max(count, 1):.2f} ms"
    )
    print(f"letters / floor (the same .docx files)       = {letters / floor:.2f}")


def _floor_letters(folder: Path, target: Path, results: dict) -> tuple[int, int]:
    """Write every .docx under `folder` again with zipfile: the same members with the same
    bytes (read back, not timed), deflated at the product's level; and the cells of the
    schedules beside long letters with xlsxwriter. Returns .docx files and their bytes."""
    from aging.letters import ZIP_LEVEL

    target.mkdir()
    spent, count, size = 0.0, 0, 0
    for path in sorted(folder.rglob("*.docx")):
        with zipfile.ZipFile(path) as package:
            members = [(info, package.read(info)) for info in package.infolist()]
        start = now()
        with zipfile.ZipFile(target / path.name, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in members:
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED,
                             compresslevel=ZIP_LEVEL)  # fmt: skip
        spent += now() - start
        count += 1
        size += path.stat().st_size
    results["floor: letters write (.docx)"] = spent
    print(f"{'floor: letter files (.docx)':<34} {spent:8.2f} s")
    for path, sheets in written_cells(folder):  # the schedules beside long letters
        start = now()
        floor_write(sheets, target / path.name)
        spent += now() - start
    results["floor: letters write"] = spent
    print(f"{'floor: letters write':<34} {spent:8.2f} s")
    return count, size


def _floor_writes(folder: Path, target: Path, results: dict, rust: bool = True) -> tuple[int, bool]:
    """Time writing every cell the product wrote, workbook by workbook, with each writer."""
    target.mkdir()
    spent = {"xlsxwriter": 0.0, "rust_xlsxwriter": 0.0}
    cells, has_rust = 0, rust
    for path, sheets in written_cells(folder):
        cells += sum(len(r) for _, rows in sheets for r in rows)
        start = now()
        floor_write(sheets, target / path.name)
        spent["xlsxwriter"] += now() - start
        if has_rust:
            start = now()
            has_rust = floor_write_rust(sheets, target / f"rust-{path.name}")
            spent["rust_xlsxwriter"] += now() - start
    for writer, seconds in spent.items():
        if writer == "rust_xlsxwriter" and not has_rust:
            continue
        results[f"floor: {writer} write"] = seconds
        print(f"{'floor: ' + writer + ' write':<34} {seconds:8.2f} s")
    return cells, has_rust


if __name__ == "__main__":
    main()
