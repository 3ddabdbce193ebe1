"""Benchmark: the whole product against the floor of merely reading and writing the cells.

    python bench/run.py --lines 100000

Generates a seeded transactions ledger of N lines (N/20 customers) as .xlsx, then in this one
process measures: the product end to end (pipeline + all outputs); the floor (calamine reading
the file, xlsxwriter in constant-memory mode writing the same cells); and the baseline a user
would otherwise write (pandas read_excel + to_excel with openpyxl, at N/10 scaled up when N is
large). Prints seconds per stage and, last, the ratios. Never asserted in unit tests: these
machines are noisy.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aging.config import load_config
from aging.outputs import write_data, write_outputs
from aging.pipeline import Inputs, run

HEADER = ["客户编码", "客户名称", "单据类型", "单据号", "单据日期", "到期日", "金额", "核销发票号"]


def generate(path: Path, lines: int, seed: int = 20261031) -> None:
    rng = np.random.default_rng(seed)
    customers = max(lines // 20, 1)
    ids = rng.integers(0, customers, lines)
    day = rng.integers(0, 1095, lines)
    receipt = rng.random(lines) < 0.35
    amount = rng.integers(10_000, 50_000_000, lines) / 100
    start = pd.Timestamp("2023-11-01")
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("应收明细")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for at in range(lines):
        cid = int(ids[at])
        when = (start + pd.Timedelta(days=int(day[at]))).to_pydatetime()
        row = at + 1
        sheet.write_string(row, 0, f"C{cid:06d}")
        sheet.write_string(row, 1, f"客户{cid:06d}有限公司")
        sheet.write_string(row, 2, "收款单" if receipt[at] else "销售发票")
        sheet.write_string(row, 3, f"D{at:08d}")
        sheet.write_datetime(row, 4, when, date_format)
        if not receipt[at]:
            sheet.write_datetime(row, 5, when + pd.Timedelta(days=30).to_pytimedelta(), date_format)
        sheet.write_number(row, 6, float(amount[at]))
    book.close()


def timed(label: str, results: dict):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            results[label] = time.perf_counter() - self.start
            print(f"{label:<34} {results[label]:8.2f} s", flush=True)

    return Timer()


def floor_read(path: Path) -> list:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def floor_write(rows: list, path: Path) -> None:
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet()
    for at, row in enumerate(rows):
        sheet.write_row(at, 0, row)
    book.close()


def floor_write_rust(rows: list, path: Path) -> bool:
    """rust_xlsxwriter through its Python binding, when installed (bench/requirements.txt)."""
    try:
        import rustpy_xlsxwriter
    except ImportError:
        return False
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=False)) for row in body]
    rustpy_xlsxwriter.write_worksheet(records, str(path), sheet_name="floor")
    return True


def baseline(path: Path, out: Path) -> None:
    frame = pd.read_excel(path, engine="openpyxl")
    frame.to_excel(out, engine="openpyxl", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=100_000,
        help="above this N the baseline runs at N/10 and is scaled up",
    )
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ledger = work / "ledger.xlsx"
        generate(ledger, args.lines)
        print(f"ledger: {args.lines:,} lines, {ledger.stat().st_size / 1e6:.1f} MB")
        with timed("floor: calamine read", results):
            rows = floor_read(ledger)
        with timed("floor: xlsxwriter write (const mem)", results):
            floor_write(rows, work / "floor.xlsx")
        with timed("floor: rust_xlsxwriter write", results):
            has_rust = floor_write_rust(rows, work / "floor_rust.xlsx")
        config = load_config(None)
        from aging.render_close import write_close_workbook

        def close(result, folder):
            write_close_workbook(result, folder / f"AR_Close_{result.as_of}.xlsx")

        stages = []

        def progress(stage: str) -> None:
            stages.append((stage, time.perf_counter()))

        with timed("product: pipeline", results):
            result = run(Inputs(ledger=(ledger,)), config, progress)
        stages.append(("end", time.perf_counter()))
        for (stage, start), (_, end) in zip(stages, stages[1:], strict=False):
            print(f"  stage {stage:<27} {end - start:8.2f} s")
        with timed("product: outputs", results):
            write_outputs(result, work / "out", force=True, writers=[write_data, close])
        scale = 1
        base_file = ledger
        if args.lines > args.baseline_max:
            scale = 10
            base_file = work / "ledger_small.xlsx"
            generate(base_file, args.lines // 10)
        with timed(f"baseline: pandas+openpyxl (x{scale})", results):
            baseline(base_file, work / "baseline.xlsx")
    floor = results["floor: calamine read"] + results["floor: xlsxwriter write (const mem)"]
    product = results["product: pipeline"] + results["product: outputs"]
    base = results[f"baseline: pandas+openpyxl (x{scale})"] * scale
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak_mib:,.0f} MiB; open items {len(result.open_items):,}")
    print(f"product / floor (calamine + xlsxwriter)      = {product / floor:.2f}")
    if has_rust:
        rust_floor = results["floor: calamine read"] + results["floor: rust_xlsxwriter write"]
        print(f"product / floor (calamine + rust_xlsxwriter) = {product / rust_floor:.2f}")
    scaled = " (baseline measured at N/10, scaled x10)" if scale > 1 else ""
    print(f"baseline / product                           = {base / product:.2f}{scaled}")


if __name__ == "__main__":
    main()
