"""The pack isolation gate, precise: values, not substrings; people are not customers; a real
leak withholds that pack only (issue "A run you can trust").

The reproduction: a customer called 王伟 (an individual) and a sales rep called 王伟 serving
another manager's customers. The old gate found "王伟" in that manager's pack (the rep's
column), aborted the whole run with exit 2 naming a temporary file, and no close workbook was
written. Now every pack is written and the run exits 0. A planted real leak — another
manager's customer id in a hidden sheet or a chart cache — withholds that one pack (exit 3),
says where, and the rest of the month is written.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from aging.cli import SAMPLE_FX, SAMPLE_LEDGER, main
from aging.config import load_config
from aging.isolation import IsolationError, check_isolation, find_leak
from aging.pipeline import Inputs, run
from aging.render_pack import group_members, pack_file_name, part_of, write_pack, write_packs

REP, CUSTOMER, ITS_MANAGER = "王伟", "C01755", "陈志强"  # C01755 belongs to 陈志强
SAME_NAME_PACK = "王建国"  # whose customers the rep 王伟 serves
OTHER_ID = "C01007"  # another of 陈志强's customers, planted as a real leak


@pytest.fixture(scope="module")
def wang_wei_ledger(tmp_path_factory) -> Path:
    """The sample, with the rep 张伟 renamed 王伟 and customer C01755 (重庆华宇机电设备股份
    有限公司) renamed 王伟: each is one shared string of the workbook, rewritten in place."""
    with zipfile.ZipFile(SAMPLE_LEDGER) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    strings = parts["xl/sharedStrings.xml"].decode()
    for old in ("<t>张伟</t>", "<t>重庆华宇机电设备股份有限公司</t>"):
        assert strings.count(old) == 1
        strings = strings.replace(old, f"<t>{REP}</t>")
    parts["xl/sharedStrings.xml"] = strings.encode()
    path = tmp_path_factory.mktemp("wangwei") / "ar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _run_cli(ledger: Path, out: Path, *extra) -> int:
    args = ["--ledger", str(ledger), "--fx", str(SAMPLE_FX), "--as-of", "2026-10-31"]
    return main([*args, "--out", str(out), *extra])


def test_a_customer_named_like_a_rep_is_no_leak(wang_wei_ledger, tmp_path, capsys):
    assert _run_cli(wang_wei_ledger, tmp_path / "out", "--quiet", "--only", "packs") == 0
    month = tmp_path / "out" / "2026-10-31"
    packs = {p.name for p in (month / "packs").iterdir()}
    assert packs == {pack_file_name(g) for g in ("王建国", "陈志强", "李秀英", "")}
    # 王伟 is in 王建国's pack, as the rep of that manager's customers
    book = openpyxl.load_workbook(month / "packs" / pack_file_name(SAME_NAME_PACK))
    reps = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert REP in reps
    assert "withheld" not in capsys.readouterr().err


def test_packs_by_rep_pass_the_gate_when_a_customer_shares_a_reps_name(wang_wei_ledger, tmp_path):
    result = run(Inputs(ledger=(wang_wei_ledger,), fx=(SAMPLE_FX,)),
                 load_config(None, {"packs.group_by": "sales_rep"}))  # fmt: skip
    written = write_packs(result, tmp_path)
    assert REP in result.customers["name"].tolist()
    assert REP in written  # 王伟's own pack (the group written whole) and the customer's rep's
    assert all(p.is_file() for p in written.values())


def _gate_inputs(result, group: str):
    mine = result.customers["manager"].fillna("").eq(group)
    own = set(result.customers.loc[mine, "customer_id"])
    other = result.customers.loc[~mine]
    names = dict(zip(other["name"], other["customer_id"], strict=True))
    people = set(result.customers.loc[mine, "sales_rep"]) | {group}
    return own, set(other["customer_id"]), names, people


def test_the_persons_name_is_a_leak_outside_the_persons_cells(wang_wei_ledger, tmp_path):
    """王伟 in a customer-name cell of 王建国's pack is the customer 王伟: withheld."""
    result = run(Inputs(ledger=(wang_wei_ledger,), fx=(SAMPLE_FX,)), load_config(None))
    members = group_members(result, "manager")[SAME_NAME_PACK]
    written = write_pack(part_of(result, members), tmp_path / "p.xlsx", SAME_NAME_PACK, "manager")
    own, other_ids, other_names, people = _gate_inputs(result, SAME_NAME_PACK)
    assert REP in people and other_names[REP] == CUSTOMER
    gate = dict(people=people, person_cells=written.person_cells)
    check_isolation(written.path, own, other_ids, other_names, **gate)  # reps in rep cells
    book = openpyxl.load_workbook(written.path)
    ws = book["Worklist"]
    header = [c.value for c in ws[3]]
    name_col = header.index("Customer") + 1
    ws.cell(4, name_col).value = REP  # the customer 王伟, where customers are written
    book.save(tmp_path / "customer.xlsx")
    leak = find_leak(tmp_path / "customer.xlsx", own, other_ids, other_names, **gate)
    assert (leak.place, leak.what, leak.value, leak.customer_id) == (
        f"sheet 'Worklist' cell {openpyxl.utils.get_column_letter(name_col)}4",
        "name", REP, CUSTOMER,
    )  # fmt: skip


# --- a real leak withholds that pack, and only that pack -----------------------------------------


def _hidden_sheet(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    ws = book.create_sheet("notes")
    ws.sheet_state = "hidden"
    ws["B7"] = OTHER_ID
    book.save(path)


def _chart_cache(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    chart = parts["xl/charts/chart1.xml"].decode()
    assert "<c:v>Not due</c:v>" in chart
    parts["xl/charts/chart1.xml"] = chart.replace(
        "<c:v>Not due</c:v>", f"<c:v>{OTHER_ID}</c:v>", 1
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _leaky(monkeypatch, plant) -> None:
    """A renderer bug: another manager's customer slips into 王建国's pack only."""
    import aging.render_pack as rp

    original = rp.write_pack

    def leaky(part, path, group, key):
        written = original(part, path, group, key)
        if group == SAME_NAME_PACK:
            plant(path)
        return written

    monkeypatch.setattr(rp, "write_pack", leaky)


def test_a_chart_cache_leak_withholds_only_that_pack(tmp_path, monkeypatch):
    _leaky(monkeypatch, _chart_cache)
    result = run(Inputs(ledger=(SAMPLE_LEDGER,), fx=(SAMPLE_FX,)), load_config(None))
    with pytest.raises(IsolationError, match=f"chart cache .*'{OTHER_ID}'"):
        write_packs(result, tmp_path)
    packs = {p.name for p in (tmp_path / "packs").iterdir()}
    assert packs == {pack_file_name(g) for g in ("陈志强", "李秀英", "")}


def test_a_hidden_sheet_leak_withholds_only_that_pack(tmp_path, capsys, monkeypatch):
    _leaky(monkeypatch, _hidden_sheet)
    where = "sheet 'notes' cell B7"
    out = tmp_path / "out"
    code = main(["--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 3  # written, but a pack withheld
    month = out / "2026-10-31"
    leaked = pack_file_name(SAME_NAME_PACK)
    packs = {p.name for p in (month / "packs").iterdir()}
    assert packs == {pack_file_name(g) for g in ("陈志强", "李秀英", "")}  # the others are kept
    assert (month / "AR_Close_2026-10-31.xlsx").is_file() and any((month / "letters").iterdir())
    mails = [p.read_bytes() for p in (month / "outbox").iterdir()]
    assert mails and not any(leaked.encode() in m for m in mails)  # not e-mailed
    record = json.loads((month / "run.json").read_text(encoding="utf-8"))
    (withheld,) = record["withheld"]
    assert withheld["pack"] == f"packs/{leaked}" and withheld["customer_id"] == OTHER_ID
    assert withheld["where"] == where and withheld["what"] == "id"
    assert err.count("\n") == 1 and f"pack withheld: packs/{leaked}" in err
    assert where in err and OTHER_ID in err and "Traceback" not in err


# --- values, wherever they are -------------------------------------------------------------------


def _book(path: Path, build) -> Path:
    book = xlsxwriter.Workbook(path)
    build(book, book.add_worksheet("S"))
    book.close()
    return path


@pytest.mark.parametrize(
    "build",
    [
        lambda b, ws: ws.write_rich_string(0, 0, "C01", b.add_format({"bold": True}), "007"),
        lambda b, ws: ws.write_formula(0, 0, '="C01007"', None, "C01007"),
        lambda b, ws: ws.write_comment(0, 0, "C01007"),
        lambda b, ws: ws.data_validation(0, 0, 9, 0, {"validate": "list",
                                                      "source": ["phone", "C01007"]}),
        lambda b, ws: b.define_name("customer", '="C01007"'),
        lambda b, ws: b.set_properties({"keywords": "C01007"}),
        lambda b, ws: b.set_custom_property("who", "C01007"),
        lambda b, ws: ws.set_footer("&LC01007&RPage &P"),
        lambda b, ws: ws.write_url(0, 0, "internal:S!A1", string="C01007"),
    ],
    ids=["rich text runs", "formula literal", "comment", "validation list", "defined name",
         "keywords", "custom property", "footer section", "link text"],
)  # fmt: skip
def test_the_value_is_found_wherever_it_is(tmp_path, build):
    path = _book(tmp_path / "v.xlsx", build)
    with pytest.raises(IsolationError, match="C01007"):
        check_isolation(path, set(), {"C01007"}, set())


def test_a_string_no_cell_shows_is_still_in_the_file(tmp_path):
    path = _book(tmp_path / "s.xlsx", lambda b, ws: ws.write_string(0, 0, "phone"))
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sst = parts["xl/sharedStrings.xml"].decode()
    parts["xl/sharedStrings.xml"] = re.sub(r"</sst>", "<si><t>C01007</t></si></sst>", sst).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    leak = find_leak(path, set(), {"C01007"}, set())
    assert (leak.part, leak.place) == ("xl/sharedStrings.xml", "shared string 1")


def test_labels_and_headings_holding_a_name_are_not_that_customer(tmp_path):
    """A customer called 'Credit' (another manager's) and the label 'Credit hold'; a heading
    'Pack for 王伟' and a customer 王伟."""

    def build(book, ws):
        ws.write_row(0, 0, ["Credit hold", "Worklist · Pack for 王伟 · as of 2026-10-31"])
        book.set_properties({"title": "Collections pack — 王伟 — as of 2026-10-31"})

    path = _book(tmp_path / "l.xlsx", build)
    check_isolation(path, set(), set(), {"Credit": "X1", "王伟": "X2"})
