"""Exit codes a script can trust, one line on stderr, never a traceback (issue "A run you can
trust"; DESIGN "Trustworthy exits").

0 ok; 1 unreconciled; 2 unusable input, arguments or output folder — before anything is
written when that is knowable up front — or an unexpected fault; 3 outputs written but a pack
withheld or an e-mail not delivered; 130 Ctrl-C. Reproduced on the old code: `--out` naming a
file or an uncreatable path, and a full disk, ended in a traceback and exit 1 (which means
"unreconciled"); a send that failed for every manager exited 0; `--send` without a sender or
with a login over `security: none` was refused only after the month was written.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import ROOT, write_csv

import aging.cli
from aging.cli import build_parser, main
from aging.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNDELIVERED,
    EXIT_UNRECONCILED,
    EXIT_UNUSABLE,
)

MONTH = "2026-10-31"
LEDGER = [
    "Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount (CNY)",
    "C1,Alpha,Invoice,I1,2026-08-01,2026-08-31,1000.00",
    "C2,Beta,Invoice,I2,2026-10-20,2026-11-19,99.99",
]


@pytest.fixture
def ledger(tmp_path) -> Path:
    return write_csv(tmp_path / "ar.csv", LEDGER)


@pytest.fixture
def no_pipeline(monkeypatch):
    """Fail the test if the run gets as far as reading the ledger."""

    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline ran: the problem was knowable before")

    monkeypatch.setattr(aging.cli, "run", refuse)


def _ours(out: Path) -> list[str]:
    """What the output root holds, but the history store (aging.history's, not ours)."""
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("history.sqlite"))


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _args(ledger: Path, out: Path, *extra: str) -> list[str]:
    return ["--ledger", str(ledger), "--as-of", MONTH, "--out", str(out), "--jobs", "1", *extra]


# --- 2, before anything is written -----------------------------------------------------------------


def test_out_naming_a_file(ledger, tmp_path, capsys, no_pipeline):
    taken = tmp_path / "report.xlsx"
    taken.write_bytes(b"mine")
    assert main(_args(ledger, taken)) == EXIT_UNUSABLE
    assert "is a file, not a folder" in _one_line(capsys.readouterr().err)
    assert taken.read_bytes() == b"mine"


def test_out_under_a_file_cannot_be_created(ledger, tmp_path, capsys, no_pipeline):
    (tmp_path / "report.xlsx").write_bytes(b"mine")
    assert main(_args(ledger, tmp_path / "report.xlsx" / "out")) == EXIT_UNUSABLE
    assert "cannot be created" in _one_line(capsys.readouterr().err)


def test_out_where_nothing_may_be_written(ledger, tmp_path, capsys, no_pipeline):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        probe = locked / "probe"
        probe.mkdir()  # root may write anyway: then there is nothing to test here
        probe.rmdir()
        pytest.skip("this user can write in a read-only folder (root)")
    except PermissionError:
        pass
    assert main(_args(ledger, locked / "out")) == EXIT_UNUSABLE
    assert "cannot create it (no permission)" in _one_line(capsys.readouterr().err)


def test_out_on_a_file_system_that_refuses_writes(ledger, capsys, no_pipeline):
    """Even root cannot make a folder in /proc or /sys: a real refusal."""
    for place in ("/proc", "/sys"):
        try:
            os.rmdir(tempfile.mkdtemp(dir=place))
        except OSError:
            break
    else:
        pytest.skip("no file system here refuses a new folder")
    assert main(_args(ledger, Path(place) / "aging-out")) == EXIT_UNUSABLE
    assert "--out" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("mail", "message"),
    [
        ("mail:\n  host: 127.0.0.1\n", "mail.from_address is not set"),
        (
            "mail:\n  from_address: ar@example.com\n  user: ar\n  security: none\n",
            "unencrypted",
        ),
        (
            "mail:\n  from_address: ar@example.com\n  user: ar\n  password_env: NO_SUCH_VAR_X\n",
            "NO_SUCH_VAR_X",
        ),
    ],
)
def test_unusable_mail_settings_are_refused_before_the_month_is_written(
    ledger, tmp_path, capsys, no_pipeline, mail, message
):
    config = tmp_path / "mail.yaml"
    config.write_text(mail, encoding="utf-8")
    out = tmp_path / "out"
    assert main(_args(ledger, out, "--config", str(config), "--send")) == EXIT_UNUSABLE
    assert message in _one_line(capsys.readouterr().err)
    assert not (out / MONTH).exists()  # a retry needs no --force


# --- 2, a full disk while writing ------------------------------------------------------------------


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "data/open_items.csv")


def test_a_full_disk_is_one_line_and_replaces_nothing(ledger, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert main(_args(ledger, out, "--quiet")) == EXIT_OK
    before = (out / MONTH / "run.json").read_bytes()
    monkeypatch.setattr(aging.cli, "write_data", _disk_full)
    assert main(_args(ledger, out, "--force", "--quiet")) == EXIT_UNUSABLE
    err = _one_line(capsys.readouterr().err)
    assert "no space left on the disk" in err and "nothing was replaced" in err
    assert (out / MONTH / "run.json").read_bytes() == before  # the month as it was
    assert _ours(out) == [MONTH]  # no backup, no partial folder


def test_a_really_full_disk(ledger, tmp_path, capsys):
    """A 64 KiB tmpfs (needs root and mount rights; skipped elsewhere)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                             capture_output=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert main(_args(ledger, disk / "out")) == EXIT_UNUSABLE
        err = _one_line(capsys.readouterr().err)
        assert "no space left on the disk" in err
        assert _ours(disk / "out") == []  # nothing half-written is left
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)  # lazy: never left mounted


# --- 3: written, but not everything delivered --------------------------------------------------------


class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 mailbox unavailable"


def _mail_config(tmp_path: Path, port: int) -> Path:
    config = tmp_path / "mail.yaml"
    config.write_text(f"mail:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n"
                      "  from_address: ar@example.com\n", encoding="utf-8")  # fmt: skip
    return config


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_every_send_refused_exits_3_with_the_outputs_written(tmp_path, capsys):
    server = Controller(Refusing(), hostname="127.0.0.1", port=_free_port())
    server.start()
    try:
        config = _mail_config(tmp_path, server.port)
        out = tmp_path / "out"
        args = ["--out", str(out), "--config", str(config), "--send", "--quiet"]
        code = main([*args, "--only", "packs"])  # packs and their e-mails
    finally:
        server.stop()
    assert code == EXIT_UNDELIVERED
    err = capsys.readouterr().err
    assert "0 sent, 0 already sent, 2 failed" in err and "550" in err
    assert len(list((out / MONTH / "packs").iterdir())) == 4


def test_an_unreachable_server_exits_3(tmp_path, capsys):
    config = _mail_config(tmp_path, _free_port())  # nobody listens there
    out = tmp_path / "out"
    assert main(["--out", str(out), "--config", str(config), "--send", "--quiet",
                 "--only", "packs"]) == EXIT_UNDELIVERED  # fmt: skip
    assert "2 failed" in capsys.readouterr().err


def test_unreconciled_wins_over_undelivered(tmp_path, capsys):
    ledger = write_csv(tmp_path / "ar.csv", [*LEDGER, "合计,,,,,,5000.00"])  # not 1,099.99
    config = _mail_config(tmp_path, _free_port())
    args = _args(ledger, tmp_path / "out", "--config", str(config), "--send", "--quiet")
    assert main(args) == EXIT_UNRECONCILED


# --- no traceback, ever; Ctrl-C ---------------------------------------------------------------------


def _boom(*args, **kwargs):
    return 1 / 0


def test_an_unexpected_fault_is_one_line(ledger, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(aging.cli, "run", _boom)
    assert main(_args(ledger, tmp_path / "out")) == EXIT_UNUSABLE
    err = _one_line(capsys.readouterr().err)
    assert "unexpected fault: ZeroDivisionError: division by zero" in err
    assert "AGING_DEBUG=1" in err
    monkeypatch.setenv("AGING_DEBUG", "1")
    assert main(_args(ledger, tmp_path / "out")) == EXIT_UNUSABLE
    assert "Traceback" in capsys.readouterr().err  # only when asked


def test_ctrl_c_is_one_quiet_line(ledger, tmp_path, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(aging.cli, "run", interrupted)
    assert main(_args(ledger, tmp_path / "out")) == EXIT_INTERRUPTED
    assert _one_line(capsys.readouterr().err) == "interrupted: nothing was written\n"


def test_ctrl_c_while_writing_in_parallel(tmp_path):
    """A real SIGINT to the whole process group (what the terminal sends on Ctrl-C) while
    two worker processes write: exit 130, one line, no worker's traceback, nothing left."""
    out = tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, str(ROOT / "run_reports.py"), "--out", str(out), "--jobs", "2"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        staging = [p for p in out.glob(".*") if p.is_dir()] if out.is_dir() else []
        if staging and any(staging[0].rglob("*.xlsx")) or any(out.glob(f".{MONTH}.*/letters/*")):
            break
        time.sleep(0.05)
    if run.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    os.killpg(run.pid, signal.SIGINT)
    code = run.wait(timeout=120)
    err = run.stderr.read()
    assert code == EXIT_INTERRUPTED, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1].startswith("interrupted: the month was not replaced")
    assert _ours(out) == []  # no month, no partial folder, no lock


# --- documented, and true ------------------------------------------------------------------------


def test_the_codes_are_documented_in_the_readme_and_help():
    codes = {EXIT_OK, EXIT_UNRECONCILED, EXIT_UNUSABLE, EXIT_UNDELIVERED, EXIT_INTERRUPTED}
    assert codes == {0, 1, 2, 3, 130}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Exit status")[1].split("\n## ")[0]
    assert {int(c) for c in re.findall(r"\*\*(\d+)\*\*", section)} == codes
    epilog = build_parser().epilog
    assert {int(c) for c in re.findall(r"^\s+(\d+)\s", epilog, re.M)} == codes
