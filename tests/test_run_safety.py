"""Nothing a user made is lost, and no run clobbers another (issue "A run you can trust").

Reproduced on the old code, each a test here: `--force` deleted the month it replaced; the
README's month-2 step (`--contacts output/<month>/packs`) needed `--force` and deleted the
packs the managers had filled in; two runs on one month both wrote it, the later silently
replacing the earlier; a killed run's `.<as_of>.xxxxxx` folder stayed forever; the finished
month was mode 0700 (mkdtemp's); `--only close` (issue 15) first copied the whole month byte
by byte. Real files, real folders, real processes holding the lock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, write_csv

from aging.cli import main
from aging.pack_labels import label
from aging.render_pack import CONTACT_INPUTS, pack_file_name

MONTH = "2026-10-31"
LEDGER = [
    "Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount (CNY)",
    "C1,Alpha,Invoice,I1,2026-08-01,2026-08-31,1000.00",
    "C1,Alpha,Payment,P1,2026-09-15,,250.00",
    "C2,Beta,Invoice,I2,2026-10-20,2026-11-19,99.99",
]


@pytest.fixture
def ledger(tmp_path) -> Path:
    return write_csv(tmp_path / "ar.csv", LEDGER)


def _args(ledger: Path, out: Path, *extra: str) -> list[str]:
    return ["--ledger", str(ledger), "--as-of", MONTH, "--out", str(out), "--jobs", "1", *extra]


def _ours(out: Path) -> list[str]:
    """What the output root holds, but the history store (aging.history's, not ours)."""
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("history.sqlite"))


def _backups(out: Path) -> list[Path]:
    return sorted(out.glob(f"{MONTH}.replaced-*"))


def test_force_keeps_the_replaced_month_as_a_dated_backup(ledger, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(_args(ledger, out, "--quiet")) == 0
    month = out / MONTH
    (month / "my notes.txt").write_text("the controller's notes", encoding="utf-8")
    old_record = (month / "run.json").read_bytes()
    assert main(_args(ledger, out, "--force")) == 0
    (backup,) = _backups(out)
    assert (backup / "my notes.txt").read_text(encoding="utf-8") == "the controller's notes"
    assert (backup / "run.json").read_bytes() == old_record  # the month as it was
    assert not (month / "my notes.txt").exists()  # the new month is written afresh
    assert f"kept in {backup}" in capsys.readouterr().out
    record = json.loads((month / "run.json").read_text(encoding="utf-8"))
    assert record["replaced"] == {"backup": backup.name}


def test_finished_folders_get_normal_permissions(ledger, tmp_path):
    previous = os.umask(0o022)
    try:
        assert main(_args(ledger, tmp_path / "out", "--quiet")) == 0
    finally:
        os.umask(previous)
    month = tmp_path / "out" / MONTH
    for folder in (month, month / "data", month / "packs"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder  # not mkdtemp's 0700
    assert stat.S_IMODE((month / "run.json").stat().st_mode) == 0o644


# --- one run per month ---------------------------------------------------------------------------

HOLDER = """
import fcntl, os, sys
handle = open(sys.argv[1], "a")
fcntl.flock(handle, fcntl.LOCK_EX)
handle.write(f"{os.getpid()}\\n")
handle.flush()
print("locked", flush=True)
sys.stdin.read()
os.unlink(sys.argv[1])
"""


class Holder:
    """Another process holding a month's lock, as a run writing that month does."""

    def __init__(self, out: Path, month: str) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(out / f".{month}.lock")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_a_second_run_on_a_month_being_written_exits_2_and_replaces_nothing(
    ledger, tmp_path, capsys
):
    out = tmp_path / "out"
    assert main(_args(ledger, out, "--quiet")) == 0
    before = (out / MONTH / "run.json").read_bytes()
    holder = Holder(out, MONTH)
    try:
        assert main(_args(ledger, out, "--force", "--quiet")) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is being written by another run (process" in err
        assert (out / MONTH / "run.json").read_bytes() == before
        assert not _backups(out)
    finally:
        holder.release()
    assert main(_args(ledger, out, "--force", "--quiet")) == 0  # once it has finished


def test_two_runs_at_once_never_both_write_the_month(ledger, tmp_path):
    """Two real runs started together without --force: exactly one writes the month; the
    other says why (the lock, or the month it finds written) and exits 2."""
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "run_reports.py"), *_args(ledger, out, "--quiet")]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = sorted(run.wait(timeout=300) for run in runs)
    errors = "".join(run.stderr.read() for run in runs)
    assert codes == [0, 2], errors
    assert "being written by another run" in errors or "already exists" in errors
    assert "Traceback" not in errors


def test_stale_temporary_folders_go_and_a_live_runs_stay(ledger, tmp_path, capsys):
    out = tmp_path / "out"
    killed = out / f".{MONTH}.k1ll3d0"  # left by a run killed while writing this month
    (killed / "packs").mkdir(parents=True)
    (killed / "packs" / "big.xlsx").write_bytes(b"x" * 1_500_000)
    older = out / ".2026-08-31.0ld0ne_"  # an older month's, killed too
    older.mkdir()
    live = out / ".2026-09-30.l1ve000"  # September is being written right now
    live.mkdir()
    holder = Holder(out, "2026-09-30")
    try:
        assert main(_args(ledger, out)) == 0
        assert not killed.exists() and not older.exists()
        assert live.is_dir()
    finally:
        holder.release()
    assert "removed 2 temporary folder(s) left by an interrupted run (1.5 MB)" in (
        capsys.readouterr().out
    )
    assert _ours(out) == [".2026-09-30.l1ve000", MONTH]


# --- keeping parts: hard links, never byte copies --------------------------------------------------


@pytest.fixture
def copies(monkeypatch) -> list[int]:
    """Bytes copied by shutil (copytree, copy2 and copyfile all end in copyfile)."""
    copied: list[int] = []
    original = shutil.copyfile

    def counting(src, dst, *args, **kwargs):
        copied.append(Path(src).stat().st_size)
        return original(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", counting)
    return copied


def test_only_close_keeps_the_rest_by_hard_link(tmp_path, copies, capsys):
    """Issue 15 item 4: rewriting the close workbook does not copy the packs and letters."""
    out = tmp_path / "out"
    assert main(["--out", str(out), "--quiet"]) == 0  # the sample: close, packs, letters
    month = out / MONTH
    letter = sorted((month / "letters").iterdir())[0]
    pack = month / "packs" / pack_file_name("王建国")
    notes = month / "my notes.txt"  # the user's own file in the month
    notes.write_text("to check with 王建国", encoding="utf-8")
    inodes = {p.name: p.stat().st_ino for p in (letter, pack, notes)}
    old_close = (month / f"AR_Close_{MONTH}.xlsx").stat().st_ino
    copies.clear()
    assert main(["--out", str(out), "--only", "close", "--quiet"]) == 0
    assert sum(copies) == 0  # not one byte copied
    assert (month / "letters" / letter.name).stat().st_ino == inodes[letter.name]
    assert (month / "packs" / pack.name).stat().st_ino == inodes[pack.name]
    assert notes.stat().st_ino == inodes[notes.name]  # --only keeps the rest, the user's too
    assert (month / f"AR_Close_{MONTH}.xlsx").stat().st_ino != old_close  # rewritten
    (backup,) = _backups(out)
    assert (backup / f"AR_Close_{MONTH}.xlsx").stat().st_ino == old_close  # kept, renamed
    record = json.loads((month / "run.json").read_text(encoding="utf-8"))
    assert (
        f"letters/{letter.name}" in record["outputs"] and f"packs/{pack.name}" in record["outputs"]
    )


# --- returned packs read from the month a run rewrites ----------------------------------------------


def _fill_contact_log(pack: Path) -> bytes:
    """A manager records a call and a promise in the pack's Contact log, as in Excel."""
    book = openpyxl.load_workbook(pack)
    ws = book.worksheets[-1]
    header_row = 5
    col = {c.value: c.column for c in ws[header_row] if c.value}
    h = {k: label(f"contact.{k}", "en") for k in CONTACT_INPUTS}
    first = header_row + 1
    ws.cell(first, col[h["contact_date"]]).value = dt.datetime(2026, 10, 30)
    ws.cell(first, col[h["channel"]]).value = "phone"
    ws.cell(first, col[h["outcome"]]).value = "promised"
    ws.cell(first, col[h["promise_date"]]).value = dt.datetime(2026, 11, 20)
    ws.cell(first, col[h["promise_amount"]]).value = 12345.67
    book.save(pack)
    return pack.read_bytes()


def test_readme_month_two_step_keeps_the_returned_packs(tmp_path, capsys):
    """The README's step, as written (only the output root moved to a temporary folder):
    no --force needed; the packs the managers filled in stay where they are, byte for byte,
    and are read; what the run replaced is kept in the dated backup."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [
        line
        for line in readme.splitlines()
        if line.startswith("python run_reports.py --contacts output/")
    ]
    words = shlex.split(line.split("#")[0])[2:]
    out = tmp_path / "output"
    words = [w.replace("output/", f"{out}/", 1) for w in words]
    assert main(["--out", str(out), "--quiet"]) == 0  # the README's first command
    month = out / MONTH
    pack = month / "packs" / pack_file_name("王建国")
    filled = _fill_contact_log(pack)
    old_close = (month / f"AR_Close_{MONTH}.xlsx").read_bytes()
    capsys.readouterr()
    assert main([*words, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert pack.read_bytes() == filled  # the managers' work survives, where it was
    assert "kept as they were (packs): this run read its inputs there" in printed
    record = json.loads((month / "run.json").read_text(encoding="utf-8"))
    read = [t for t in record["inputs"] if t["kind"] == "contacts" and "王建国" in t["file"]]
    assert read and read[0]["rows"] > 0
    assert record["kept"] == ["packs"]
    (backup,) = _backups(out)
    assert (backup / f"AR_Close_{MONTH}.xlsx").read_bytes() == old_close
    # The close workbook's Worklist now knows the call recorded in the pack (it holds the
    # customer back for the phone cadence).
    book = openpyxl.load_workbook(month / f"AR_Close_{MONTH}.xlsx", read_only=True)
    texts = [c for row in book["Worklist"].iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and "2026-10-30" in c for c in texts)


def test_only_packs_will_not_replace_the_packs_it_reads(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--out", str(out), "--quiet", "--only", "packs"]) == 0
    packs = out / MONTH / "packs"
    before = {p.name: p.read_bytes() for p in packs.iterdir()}
    args = ["--out", str(out), "--contacts", str(packs), "--only", "packs", "--quiet"]
    assert main(args) == 2
    assert "copy them elsewhere" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in packs.iterdir()} == before


def test_lock_files_and_probes_leave_nothing_behind(ledger, tmp_path):
    out = tmp_path / "out"
    assert main(_args(ledger, out, "--quiet")) == 0
    assert main(_args(ledger, out, "--quiet", "--force")) == 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
