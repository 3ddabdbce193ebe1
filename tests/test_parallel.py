"""Writing the outputs in several processes: same files, same errors, same order of results."""

from __future__ import annotations

import json
import os

import pytest

from aging.cli import main
from aging.errors import OutputError
from aging.outputs import Job, job_count, run_jobs


def _square(n: int) -> int:
    return n * n


def _pid(_: int) -> int:
    return os.getpid()


def _fail() -> None:
    raise OutputError("disk full while writing pack X")


def test_results_come_back_in_plan_order_whatever_finishes_first():
    jobs = [Job(f"j{n}", lambda n=n: _square(n), weight=n % 3) for n in range(9)]
    assert run_jobs(jobs, 2) == [n * n for n in range(9)]
    assert run_jobs(jobs, 1) == [n * n for n in range(9)]


def test_jobs_run_in_other_processes_only_when_asked():
    jobs = [Job(f"j{n}", lambda n=n: _pid(n)) for n in range(4)]
    assert set(run_jobs(jobs, 1)) == {os.getpid()}
    assert os.getpid() not in set(run_jobs(jobs, 2))


def test_a_failing_job_fails_the_run_with_its_own_error():
    jobs = [Job("ok", lambda: 1), Job("bad", _fail), Job("ok2", lambda: 2)]
    with pytest.raises(OutputError, match="disk full while writing pack X"):
        run_jobs(jobs, 2)


def test_job_count_zero_means_every_usable_core():
    assert job_count(3) == 3
    assert job_count(0) >= 1


def test_one_process_or_two_write_the_same_bytes(tmp_path, capsys):
    """The whole sample month (close workbook, data, charts, packs, outbox, letters) written
    in one process and in two: every file's SHA-256 in run.json is the same."""
    hashes = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        assert main(["--out", str(out), "--jobs", jobs, "--quiet"]) == 0
        (month,) = (p for p in out.iterdir() if p.is_dir())  # history.sqlite sits beside
        hashes[jobs] = json.loads((month / "run.json").read_text(encoding="utf-8"))["outputs"]
    assert len(hashes["1"]) > 20  # close, data, charts, packs, outbox, letters
    assert {p.split("/")[0] for p in hashes["1"]} >= {"packs", "letters", "outbox", "data"}
    assert hashes["1"] == hashes["2"]
