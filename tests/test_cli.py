"""The command line in process: exit codes, one-line errors, all-or-nothing outputs."""

from __future__ import annotations

import csv
import json
import socket

import yaml
from conftest import write_csv

from aging.cli import main

LEDGER = [
    "Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount (CNY)",
    'C1,=HYPERLINK("http://x"),Invoice,I1,2026-08-01,2026-08-31,1000.00',
    'C1,=HYPERLINK("http://x"),Payment,P1,2026-09-15,,250.00',
    "C2,Beta,Invoice,I2,2026-10-20,2026-11-19,99.99",
]


def test_run_writes_the_month_and_refuses_to_overwrite(tmp_path, capsys):
    ledger = write_csv(tmp_path / "ar.csv", LEDGER)
    out = tmp_path / "out"
    args = ["--ledger", str(ledger), "--as-of", "2026-10-31", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "reconciled to the cent" in printed
    assert "2 open items for 2 customers" in printed
    month = out / "2026-10-31"
    assert (month / "AR_Close_2026-10-31.xlsx").exists()
    with (month / "data" / "open_items.csv").open(encoding="utf-8") as handle:
        items = list(csv.DictReader(handle))
    # I1 1000.00 - P1 250.00 (oldest first) = 750.00, 61 days past 2026-08-31
    assert [(r["doc_no"], r["open_amount"], r["days_overdue"], r["grade"]) for r in items] == [
        ("I1", "750.00", "61", "in_collection"),
        ("I2", "99.99", "-19", "not_due"),
    ]
    with (month / "data" / "customers.csv").open(encoding="utf-8") as handle:
        customers = list(csv.DictReader(handle))
    assert customers[0]["name"] == '\'=HYPERLINK("http://x")'  # CSV injection defused
    record = json.loads((month / "run.json").read_text(encoding="utf-8"))
    assert record["reconciled"] is True
    assert set(record["outputs"]) >= {"data/open_items.csv", "AR_Close_2026-10-31.xlsx"}
    # second run without --force: refused, exit 2, nothing replaced
    before = (month / "data" / "open_items.csv").read_bytes()
    assert main(args) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert main([*args, "--force", "--quiet"]) == 0
    assert (month / "data" / "open_items.csv").read_bytes() == before  # same inputs, same bytes
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left


def test_unusable_input_is_one_line_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.xlsx"
    assert main(["--ledger", str(missing), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.xlsx: file not found" in err
    headerless = write_csv(tmp_path / "x.csv", ["a,b,c", "1,2,3"])
    assert main(["--ledger", str(headerless), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    # the message names what it saw, what is missing and the config that would fix it
    assert "no ledger table found" in err and "a | b | c" in err and "Traceback" not in err
    assert "columns: {ledger: {" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_bad_config_key_and_date(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("aging:\n  bukets: [0, 30]\n", encoding="utf-8")
    assert main(["--config", str(config), "--print-config"]) == 2
    assert "aging.bukets" in capsys.readouterr().err
    assert main(["--as-of", "31/31/2026", "--out", str(tmp_path)]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_print_config_round_trips(tmp_path, capsys):
    assert main(["--print-config", "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    data = yaml.safe_load(text)
    assert data["output"]["lang"] == "zh"
    assert data["aging"]["buckets"] == [0, 30, 60, 90, 180, 365, 730, 1095]
    saved = tmp_path / "saved.yaml"
    saved.write_text(text, encoding="utf-8")
    assert main(["--config", str(saved), "--print-config"]) == 0
    assert capsys.readouterr().out == text


def test_unexplained_control_total_exits_1(tmp_path, capsys):
    ledger = write_csv(tmp_path / "ar.csv", [*LEDGER, "合计,,,,,,5000.00"])
    code = main(["--ledger", str(ledger), "--as-of", "2026-10-31", "--out", str(tmp_path / "o")])
    assert code == 1
    assert "NOT reconciled" in capsys.readouterr().out


def test_only_rewrites_one_part_and_keeps_the_rest(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--out", str(out), "--quiet"]) == 0  # the bundled sample, every part
    month = out / "2026-10-31"
    close = (month / "AR_Close_2026-10-31.xlsx").read_bytes()
    letters = sorted(p.name for p in (month / "letters").iterdir())
    assert letters and sorted(p.name for p in (month / "packs").iterdir())
    assert main(["--out", str(out), "--only", "letters", "--quiet"]) == 0
    assert (month / "AR_Close_2026-10-31.xlsx").read_bytes() == close  # kept as it was
    assert sorted(p.name for p in (month / "letters").iterdir()) == letters
    record = json.loads((month / "run.json").read_text(encoding="utf-8"))
    assert any(name.startswith("packs/") for name in record["outputs"])


def test_send_delivers_each_manager_their_pack_once(tmp_path, capsys):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    with socket.socket() as probe:  # a free port on the loopback address
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        config = tmp_path / "mail.yaml"
        config.write_text(
            f"mail:\n  host: 127.0.0.1\n  port: {port}\n"
            "  security: none\n  from_address: ar@example.com\n",
            encoding="utf-8",
        )
        args = ["--out", str(tmp_path / "out"), "--config", str(config), "--send", "--quiet"]
        assert main(args) == 0
        first = len(inbox.messages)
        # the sample has three managers, one without an e-mail address
        assert first == 2
        assert main([*args, "--force"]) == 0
        assert len(inbox.messages) == first  # the send log stops a second delivery
    finally:
        server.stop()


def test_readme_documents_every_option():
    from conftest import ROOT

    from aging.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    options = [
        o
        for action in build_parser()._actions
        for o in action.option_strings
        if o.startswith("--") and o != "--help"
    ]
    assert options and [o for o in options if f"`{o}" not in readme] == []


def test_readme_config_reference_matches_the_config_model():
    from conftest import ROOT

    from aging.config import config_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- config:start -->\n")[1].split("<!-- config:end -->")[0]
    assert table == config_markdown(), "run: python -m aging.config, paste into README.md"


def test_readme_field_reference_matches_the_code():
    from conftest import ROOT

    from aging.reading.fields import fields_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- fields:start -->\n")[1].split("<!-- fields:end -->")[0]
    assert table == fields_markdown(), "run: python -m aging.reading.fields, paste into README.md"
