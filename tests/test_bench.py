"""The benchmark harness runs and prints its ratios (never a timing assertion: noisy machines)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_bench_runs_at_small_n_and_prints_ratios():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--lines", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("baseline / product") and float(last.split("=")[1].split()[0]) > 0
    assert "product / floor (read + xlsxwriter write)" in done.stdout
    assert "stage settle" in done.stdout


def test_bench_measures_wide_portfolios_and_huge_customers_with_their_letters():
    for mode in (["--customers", "120"], ["--huge-customer", "400"]):
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "run.py"), *mode],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("product / floor (read + cells + CSVs + letter files)")
        assert float(last.split("=")[1]) > 0
        assert "letters / floor (the same .docx files)" in done.stdout
        assert "peak memory" in done.stdout
