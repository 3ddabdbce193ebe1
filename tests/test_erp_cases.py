"""Every ERP export in tests/erp_cases/ read with no mapping, against its hand-computed figures.

A case is a folder (see tests/erp_cases/README.md): the export as that ERP writes it and
`expected.json`. Adding a case is dropping a folder. Each case reports every difference at
once, so a failure says all that is wrong with it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import run_on

CASES = Path(__file__).resolve().parent / "erp_cases"


def case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expected.json").exists())


def exports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.stem.startswith("export"))


def differences(folder: Path) -> list[str]:
    spec = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    expect = spec["expect"]
    as_of = date.fromisoformat(spec["as_of"]) if spec.get("as_of") else None
    result = run_on(exports(folder), as_of=as_of, overrides=spec.get("config") or {}, base=None)
    found = []

    def check(what, got, want):
        if got != want:
            found.append(f"{what}: got {got!r}, expected {want!r}")

    check("as_of", result.as_of.isoformat(), expect["as_of"])
    check("base currency", result.base_currency, expect["base_currency"])
    layouts = {t.layout for t in result.inputs if t.kind == "ledger"}
    check("layout", layouts, {expect["layout"]})
    items = result.open_items
    got_items = {
        (r.customer_id, r.doc_no, r.currency): (
            int(r.open_minor),
            int(r.open_base_minor),
            int(r.days_overdue),
            str(r.bucket),
        )
        for r in items.itertuples()
    }
    want_items = {
        (i["customer_id"], i["doc_no"], i["currency"]): (
            i["open_minor"],
            i["open_base_minor"],
            i["days_overdue"],
            i["bucket"],
        )
        for i in expect["open_items"]
    }
    for key in sorted(set(got_items) | set(want_items), key=str):
        check(f"item {key}", got_items.get(key), want_items.get(key))
    check("open total", int(items["open_base_minor"].sum()), expect["open_base_total_minor"])
    overdue = int(items.loc[items["days_overdue"] >= 1, "open_base_minor"].sum())
    check("overdue total", overdue, expect["overdue_base_total_minor"])
    unapplied = int(result.customers["unapplied_credit_base_minor"].sum())
    check("unapplied credit", unapplied, expect["unapplied_credit_base_minor"])
    exceptions = result.issues[result.issues["severity"].eq("exception")]
    rows = sorted(exceptions["row"].dropna().astype(int))
    want = expect["exceptions"]  # a count (a clean export: 0) or the row numbers
    check("exceptions", rows if isinstance(want, list) else len(rows), want)
    layout = result.layout_rows
    check("layout rows", len(layout), expect["layout_rows"])
    if "layout_row_numbers" in expect:
        check("layout row numbers", sorted(layout["row"]), sorted(expect["layout_row_numbers"]))
    recon = result.reconciliation
    controls = recon[recon["line"].str.startswith("control")]
    got_controls = sorted(
        (_row_of(r), int(r.amount_minor), r.status) for r in controls.itertuples()
    )
    want_controls = sorted(
        (c["row"], c["amount_minor"], c["status"]) for c in expect["control_totals"]
    )
    check("control totals", got_controls, want_controls)
    check("reconciled", result.reconciled, expect["reconciled"])
    return found


def _row_of(line) -> int:
    label = line.label
    params = dict(getattr(label, "params", ()))
    return int(params.get("row", 0))


@pytest.mark.parametrize("folder", case_folders(), ids=lambda p: p.name)
def test_erp_export_reads_right_with_no_mapping(folder):
    found = differences(folder)
    assert not found, f"{folder.name}:\n  " + "\n  ".join(found)


def test_layout_rows_and_export_totals_on_the_reconciliation_sheet(tmp_path):
    """Through the CLI into the close workbook: the layout line and the export's totals in the
    reader's language (QuickBooks Online: band headings, a footer timestamp, Total for …)."""
    import openpyxl

    from aging.cli import main

    folder = CASES / "quickbooks_online_ar_aging_detail"
    out = tmp_path / "out"
    args = ["--ledger", str(exports(folder)[0]), "--out", str(out), "--only", "close", "--quiet"]
    assert main(args) == 0
    assert main([*args, "--lang", "zh", "--force"]) == 0
    book = openpyxl.load_workbook(next(out.glob("*/AR_Close_*.xlsx")), read_only=True)
    texts = [str(c) for row in book["对账"].iter_rows(values_only=True) for c in row if c]
    layout = [t for t in texts if t.startswith("非数据的版式行")]
    assert len(layout) == 1
    notes = " ".join(texts)
    assert "标题行 5" in notes and "页脚 1" in notes  # five band headings, one timestamp
    assert "导出报表Total for 91 or more days past due" in notes
