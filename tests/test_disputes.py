"""A dispute column in the ledger (Disputed, 争议, 是否争议, dispute reason): the item keeps aging
and provision, and leaves dunning, letters and the ladder — for that item only."""

from __future__ import annotations

from datetime import date

from conftest import run_on, write_csv

AS_OF = date(2026, 10, 31)


def ledger(tmp_path, flags):
    return write_csv(
        tmp_path / "ledger.csv",
        [
            "客户编码,客户名称,单据号,开票日期,到期日,金额,是否争议,争议原因",
            f"C1,上海宏达,F1,2026-05-01,2026-05-31,100000.00,{flags[0]}",
            f"C1,上海宏达,F2,2026-09-01,2026-10-01,2000.00,{flags[1]}",
            f"C2,北京远航,F3,2026-06-01,2026-07-01,8000.00,{flags[2]}",
        ],
    )


def test_a_disputed_item_ages_and_is_provided_for_but_is_not_dunned(tmp_path):
    path = ledger(tmp_path, ["是,质量问题", "否,", "Yes,price"])
    result = run_on(path, as_of=AS_OF)
    items = result.open_items.set_index("doc_no")
    assert items["disputed"].to_dict() == {"F1": True, "F2": False, "F3": True}
    assert items.loc["F1", "dispute_reason"] == "质量问题"
    # aging and provision as for any item: F1 153 days overdue (2026-05-31 -> 10-31),
    # within a year: 5 % of 100,000.00 = 5,000.00
    assert items.loc["F1", "days_overdue"] == 153
    assert items.loc["F1", "provision_base_minor"] == 500000
    work = result.worklist.set_index("customer_id")
    # C1 is dunned for F2 alone: 2,000.00, 30 days overdue -> a reminder letter, not the
    # lawyer's letter F1's 100,000.00 at 153 days would bring
    assert work.loc["C1", "overdue_base_minor"] == 200000
    assert work.loc["C1", "letter"] == "reminder"
    # C2's only overdue item is disputed: listed, not chased
    assert work.loc["C2", "letter"] == ""
    assert work.loc["C2", "block_reason"].code == "block.disputed_items"


def test_no_dispute_column_changes_nothing(tmp_path):
    path = write_csv(
        tmp_path / "plain.csv",
        [
            "客户编码,客户名称,单据号,开票日期,到期日,金额",
            "C1,上海宏达,F1,2026-05-01,2026-05-31,100000.00",
        ],
    )
    result = run_on(path, as_of=AS_OF)
    assert not result.open_items["disputed"].any()
    assert result.worklist.loc[0, "letter"] == "lawyer"


def test_the_disputes_sheet_lists_each_disputed_item_with_reason_and_age(tmp_path):
    import openpyxl

    from aging.cli import main

    path = ledger(tmp_path, ["是,质量问题", "否,", "Yes,price"])
    out = tmp_path / "out"
    args = ["--ledger", str(path), "--as-of", "2026-10-31", "--out", str(out), "--only", "close"]
    assert main([*args, "--quiet"]) == 0
    book = openpyxl.load_workbook(out / "2026-10-31" / "AR_Close_2026-10-31.xlsx")
    rows = [r for r in book["Disputes"].iter_rows(values_only=True) if r and r[0] in ("C1", "C2")]
    # oldest first: F1 153 days (due 05-31), F3 122 days (due 07-01); F2 is not disputed
    assert [(r[3], r[5], r[9]) for r in rows] == [("F1", 153, "质量问题"), ("F3", 122, "price")]


def test_a_dunning_letter_leaves_out_the_disputed_item(tmp_path):
    from aging.letters import letters_due

    path = ledger(tmp_path, ["是,质量问题", "否,", "Yes,price"])
    result = run_on(path, as_of=AS_OF)
    letters = {(x.customer_id, x.kind): x for x in letters_due(result)}
    # C1 gets a reminder for F2 alone; C2, all disputed, gets no dunning letter
    assert letters[("C1", "reminder")].items["doc_no"].tolist() == ["F2"]
    assert ("C2", "reminder") not in letters and ("C2", "lawyer") not in letters
