"""Every code in the issue catalogue, reproduced from a small input, and found where it happened.

For each code in `aging.issues.CATALOGUE` there is one reproducer below: a ledger (CSV or xlsx,
some with title rows above the header) and, where the code needs them, customers / contacts / FX
side tables. The run's `result.issues` must hold the code with its severity, the file, sheet and
row a person sees in the spreadsheet (header row and title rows count), the column header as
written in the file and the raw text of the cell. Exception rows must still reconcile.

A second group keeps the catalogue and the code base in step: every code that `aging/` emits is
in the catalogue, and every catalogue code has a reproducer here.
"""

from __future__ import annotations

import ast
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, run_on

from aging import i18n
from aging.issues import CATALOGUE

AS_OF = date(2026, 10, 31)
HEADER = [
    "Cust No",
    "Client Name",
    "Type",
    "Invoice No",
    "Invoice Date",
    "Due Date",
    "Amount",
    "Applies To",
    "Currency",
]
# C1 Alpha, invoice A1 of 1,000.00 due 2026-05-31: a row with nothing wrong.
GOOD = ["C1", "Alpha", "Invoice", "A1", "2026-05-01", "2026-05-31", "1000.00", "", "CNY"]


def csv_file(path: Path, rows: list[list[str]], titles: tuple[str, ...] = ()) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for title in titles:
        writer.writerow([title])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def xlsx_file(path: Path, rows: list[list[str]], titles=(), sheet="应收明细") -> Path:
    """Every cell written as text, as an ERP export would hold it."""
    book = openpyxl.Workbook()
    page = book.active
    page.title = sheet
    for title in titles:
        page.append([title])
    for row in rows:
        page.append([cell if cell != "" else None for cell in row])
    book.save(path)
    return path


def ledger(tmp: Path, *rows: list[str], titles=(), name="ledger.csv") -> Path:
    if name.endswith(".xlsx"):
        return xlsx_file(tmp / name, [HEADER, *rows], titles)
    return csv_file(tmp / name, [HEADER, *rows], titles)


def side(tmp: Path, name: str, lines: list[str]) -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Case:
    """What a reproducer ran and where its issue must point."""

    result: object  # aging.model.Result
    severity: str
    file: Path | None  # None: a customer-level finding with no single source row
    row: int | None
    sheet: str = ""
    column: str | None = None  # header as written; None where no cell is concerned
    value: str | None = None  # raw cell text; None where no cell is concerned
    fields: dict = field(default_factory=dict)  # customer_id, doc_no, currency, amount_minor
    excluded_minor: int | None = None  # exceptions: the amount the exceptions line must hold


# ---- one reproducer per code ----------------------------------------------------------------


def amount_unparseable(tmp):
    # xlsx with two title rows: header on row 3, the good row 4, the bad amount on row 5
    path = ledger(
        tmp,
        GOOD,
        ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "abc", "", "CNY"],
        titles=("ACME Trading Co.", "Receivables ledger"),
        name="ledger.xlsx",
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "exception",
        path,
        5,
        sheet="应收明细",
        column="Amount",
        value="abc",
        fields=dict(customer_id="C1", doc_no="A2", currency="CNY"),
        excluded_minor=0,  # an unreadable amount counts as 0 in the equation
    )


def amount_missing(tmp):
    # one title row: header on row 2, good row 3, blank amount on row 4
    path = ledger(
        tmp,
        GOOD,
        ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "", "", "CNY"],
        titles=("Receivables ledger",),
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "exception",
        path,
        4,
        column="Amount",
        value="",
        fields=dict(customer_id="C1", doc_no="A2", amount_minor=0),
        excluded_minor=0,
    )


def date_unparseable(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Invoice", "A2", "someday", "2026-06-30", "10.00", "", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "exception",
        path,
        3,
        column="Invoice Date",
        value="someday",
        fields=dict(customer_id="C1", doc_no="A2", amount_minor=1000),
        excluded_minor=1000,
    )


def date_missing(tmp):
    path = ledger(
        tmp,
        GOOD,
        ["C1", "Alpha", "Invoice", "A2", "", "", "20.00", "", "CNY"],
        name="ledger.xlsx",
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "exception",
        path,
        3,
        sheet="应收明细",
        column="Invoice Date",
        value="",
        fields=dict(customer_id="C1", doc_no="A2", amount_minor=2000),
        excluded_minor=2000,
    )


def customer_missing(tmp):
    path = ledger(
        tmp, GOOD, ["", "", "Invoice", "A2", "2026-06-01", "2026-06-30", "30.00", "", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "exception",
        path,
        3,
        column="Cust No",
        value="",
        fields=dict(customer_id="", doc_no="A2", amount_minor=3000),
        excluded_minor=3000,
    )


def doc_type_unknown(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Widget", "A2", "2026-06-01", "2026-06-30", "40.00", "", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "exception",
        path,
        3,
        column="Type",
        value="Widget",
        fields=dict(customer_id="C1", doc_no="A2", amount_minor=4000),
        excluded_minor=4000,
    )


def currency_no_rate(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "50.00", "", "USD"]
    )
    result = run_on(path, as_of=AS_OF, overrides={"base_currency": "CNY"})
    return Case(
        result,
        "exception",
        path,
        3,
        column="Currency",
        value="USD",
        fields=dict(customer_id="C1", doc_no="A2", currency="USD", amount_minor=5000),
        excluded_minor=5000,
    )


def currency_invalid(tmp):
    path = ledger(
        tmp,
        GOOD,
        ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "60.00", "", "Dollars"],
    )
    # base currency set: without it the run stops (see test_invalid_currency_...)
    return Case(
        run_on(path, as_of=AS_OF, overrides={"base_currency": "CNY"}),
        "exception",
        path,
        3,
        column="Currency",
        value="Dollars",
        fields=dict(customer_id="C1", doc_no="A2", amount_minor=6000),
        excluded_minor=6000,
    )


def document_duplicate_no(tmp):
    # A1 on row 2 (C1) and again on row 3 (C2): both rows are named
    path = ledger(
        tmp, GOOD, ["C2", "Beta", "Invoice", "A1", "2026-06-01", "2026-06-30", "5.00", "", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        3,
        column="Invoice No",
        value="A1",
        fields=dict(customer_id="C2", doc_no="A1", amount_minor=500),
    )


def date_due_before_doc(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Invoice", "B1", "2026/06/01", "2026/05/30", "5.00", "", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        3,
        column="Due Date",
        value="2026/05/30",
        fields=dict(customer_id="C1", doc_no="B1", amount_minor=500),
    )


def receipt_exceeds_open(tmp):
    # C2 was invoiced 100.00 in all and pays 500.00
    path = ledger(
        tmp,
        ["C2", "Beta", "Invoice", "I1", "2026-06-01", "2026-06-30", "100.00", "", "CNY"],
        ["C2", "Beta", "Payment", "P1", "2026-06-10", "", "500.00", "", "CNY"],
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        3,
        column="Amount",
        value="500.00",
        fields=dict(customer_id="C2", doc_no="P1", amount_minor=-50000),
    )


def settlement_unknown_invoice(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Payment", "P1", "2026-06-05", "", "50.00", "X999", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        3,
        column="Applies To",
        value="X999",
        fields=dict(customer_id="C1", doc_no="P1", amount_minor=-5000),
    )


def credit_refund_owed(tmp):
    # 500.00 paid on 2026-05-01 with nothing to pay: 183 days unapplied at 2026-10-31 (> 90)
    path = ledger(tmp, ["C2", "Beta", "Payment", "P1", "2026-05-01", "", "500.00", "", "CNY"])
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        None,
        None,
        fields=dict(customer_id="C2", currency="CNY", amount_minor=50000),
    )


def customer_not_in_master(tmp):
    path = ledger(
        tmp, GOOD, ["C2", "Beta", "Invoice", "B1", "2026-06-01", "2026-06-30", "5.00", "", "CNY"]
    )
    master = side(tmp, "customers.csv", ["Customer ID,Customer Name", "C1,Alpha"])
    return Case(
        run_on(path, as_of=AS_OF, customers=[master]),
        "warning",
        None,
        None,
        fields=dict(customer_id="C2"),
    )


def customer_two_names(tmp):
    path = ledger(
        tmp,
        GOOD,
        ["C1", "Alpha Ltd", "Invoice", "A2", "2026-06-01", "2026-06-30", "5.00", "", "CNY"],
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        3,
        column="Client Name",
        value="Alpha Ltd",
        fields=dict(customer_id="C1", doc_no="A2"),
    )


def manager_no_email(tmp):
    path = ledger(tmp, GOOD)
    master = side(
        tmp,
        "customers.csv",
        ["Customer ID,Customer Name,Manager,Manager Email", "C1,Alpha,Ann Lee,"],
    )
    return Case(
        run_on(path, as_of=AS_OF, customers=[master]),
        "warning",
        master,
        2,
        column="Manager Email",
    )


def master_value_unknown(tmp):
    path = ledger(tmp, GOOD)
    master = side(tmp, "customers.csv", ["Customer ID,Customer Name,Status", "C1,Alpha,sleeping"])
    return Case(
        run_on(path, as_of=AS_OF, customers=[master]),
        "warning",
        master,
        2,
        column="Status",
        value="sleeping",
        fields=dict(customer_id="C1"),
    )


def master_id_spelling(tmp):
    # the ledger's C1 is c1 in the master: paired, naming both spellings
    path = ledger(tmp, GOOD)
    master = side(tmp, "customers.csv", ["Customer ID,Customer Name,Status", "c1,Alpha,active"])
    return Case(
        run_on(path, as_of=AS_OF, customers=[master]),
        "warning",
        master,
        2,
        column="Customer ID",
        value="c1",
        fields=dict(customer_id="C1"),
    )


def master_duplicate_id(tmp):
    path = ledger(tmp, GOOD)
    master = side(tmp, "customers.csv", ["Customer ID,Customer Name", "C1,Alpha", "C1,Alpha"])
    return Case(
        run_on(path, as_of=AS_OF, customers=[master]),
        "warning",
        master,
        3,
        column="Customer ID",
        value="C1",
        fields=dict(customer_id="C1"),
    )


def contact_value_unknown(tmp):
    path = ledger(tmp, GOOD)
    log = side(
        tmp,
        "contacts.csv",
        [
            "Contact Date,Customer ID,Channel,Outcome",
            "2026-10-01,C1,phone,reached",
            "2026-10-02,C1,carrier pigeon,reached",
        ],
    )
    return Case(
        run_on(path, as_of=AS_OF, contacts=[log]),
        "warning",
        log,
        3,
        column="Channel",
        value="carrier pigeon",
        fields=dict(customer_id="C1"),
    )


def contact_unreadable(tmp):
    path = ledger(tmp, GOOD)
    log = side(
        tmp,
        "contacts.csv",
        [
            "Contact Date,Customer ID,Channel,Outcome",
            "2026-10-01,C1,phone,reached",
            "sometime,C1,phone,reached",
        ],
    )
    return Case(
        run_on(path, as_of=AS_OF, contacts=[log]),
        "warning",
        log,
        3,
        column="Contact Date",
        value="sometime",
        fields=dict(customer_id="C1"),
    )


def contact_unknown_customer(tmp):
    path = ledger(tmp, GOOD)
    log = side(
        tmp,
        "contacts.csv",
        ["Contact Date,Customer ID,Channel,Outcome", "2026-10-01,C77,phone,reached"],
    )
    return Case(
        run_on(path, as_of=AS_OF, contacts=[log]),
        "warning",
        log,
        2,
        column="Customer ID",
        value="C77",
        fields=dict(customer_id="C77"),
    )


def promise_unverifiable(tmp):
    # open-items layout: no receipts, so a promise due 2026-07-10 (+3 days) cannot be checked
    path = side(
        tmp,
        "open_items.csv",
        [
            "Customer ID,Customer Name,Doc No,Date,Due Date,Open Balance",
            "C1,Alpha,I1,2026-05-01,2026-05-31,100.00",
        ],
    )
    log = side(
        tmp,
        "contacts.csv",
        [
            "Contact Date,Customer ID,Channel,Outcome,Promise Date,Promise Amount",
            "2026-07-01,C1,phone,promised,2026-07-10,100.00",
        ],
    )
    return Case(run_on(path, as_of=AS_OF, contacts=[log]), "info", None, None)


def document_after_as_of(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Invoice", "A2", "2026/11/05", "2026/12/05", "70.00", "", "CNY"]
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "info",
        path,
        3,
        column="Invoice Date",
        value="2026/11/05",
        fields=dict(customer_id="C1", doc_no="A2", amount_minor=7000),
    )


def master_no_ledger_rows(tmp):
    path = ledger(tmp, GOOD)
    master = side(tmp, "customers.csv", ["Customer ID,Customer Name", "C1,Alpha", "C9,Nine"])
    return Case(
        run_on(path, as_of=AS_OF, customers=[master]),
        "info",
        master,
        3,
        fields=dict(customer_id="C9"),
    )


def fx_unused_rate(tmp):
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "10.00", "", "USD"]
    )
    rates = side(tmp, "fx.csv", ["Currency,Rate", "USD,7.10", "EUR,7.80"])
    return Case(
        run_on(path, as_of=AS_OF, overrides={"base_currency": "CNY"}, fx=[rates]),
        "info",
        rates,
        3,
        column="Currency",
        value="EUR",
    )


def fx_several_rates(tmp):
    # USD on rows 2 and 4, no date column: the last (7.30, row 4) is used
    path = ledger(
        tmp, GOOD, ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "10.00", "", "USD"]
    )
    rates = side(tmp, "fx.csv", ["Currency,Rate", "USD,7.10", "EUR,7.80", "USD,7.30"])
    return Case(
        run_on(path, as_of=AS_OF, overrides={"base_currency": "CNY"}, fx=[rates]),
        "warning",
        rates,
        4,
        column="Rate",
        value="USD",
    )


def control_total_mismatch(tmp):
    # rows 2-3 hold 100.00 + 50.00 = 150.00; the export's Total on row 4 says 999.00
    path = side(
        tmp,
        "open_items.csv",
        [
            "Customer ID,Customer Name,Doc No,Date,Due Date,Open Balance",
            "C1,Alpha,I1,2026-05-01,2026-05-31,100.00",
            "C1,Alpha,I2,2026-06-01,2026-06-30,50.00",
            ",Total,,,,999.00",
        ],
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        4,
        column="Open Balance",
        value="999.00",
    )


def letters_sender_unset(tmp):
    # A1 of 1,000.00 is 153 days overdue on 2026-10-31: a credit-warning letter is due (the
    # lawyer's step needs 10,000 overdue), and the config names no sender: the company's
    # fields are listed, the counsel's are not (no lawyer's letter).
    path = ledger(tmp, GOOD)
    case = Case(run_on(path, as_of=AS_OF, overrides={"letters.phone": "0512-1"}), "warning",
                None, None, column="")  # fmt: skip
    case.value = ("letters.company_name, letters.address, letters.bank_name, "
                  "letters.bank_account, letters.contact, letters.email")  # fmt: skip
    return case


def provision_history_provisional(tmp):
    # provision.method history, but one month of history (of the 12 a matrix needs): warned,
    # and the age bands book. A run-level finding, tied to no row.
    path = ledger(tmp, GOOD)
    return Case(
        run_on(path, as_of=AS_OF, overrides={"provision.method": "history"}),
        "warning",
        None,
        None,
        column="",
        value="",
    )


def row_looks_like_total(tmp):
    # row 3: no invoice number, no type, a memo "Sum"-like label in the customer's own row:
    # Alpha's receipt of 300.00 does not add up the 1,000.00 above it, so it stays data
    path = side(
        tmp,
        "ledger.csv",
        [
            "Customer,Invoice No,Date,Due Date,Amount,Memo",
            "Alpha,A1,2026-05-01,2026-05-31,1000.00,",
            "Alpha,,2026-06-05,,-300.00,Sum",
        ],
    )
    return Case(run_on(path, as_of=AS_OF), "warning", path, 3, column="Memo", value="Sum")


def customer_id_leading_zeros(tmp):
    # HighRadius' raw export writes the same customer as 0200759878 and 200759878
    path = ledger(
        tmp,
        ["0200759878", "SA us", "Invoice", "A1", "2026-05-01", "2026-05-31", "10.00", "", "CNY"],
        ["200759878", "SA us", "Invoice", "A2", "2026-06-01", "2026-06-30", "20.00", "", "CNY"],
    )
    return Case(
        run_on(path, as_of=AS_OF),
        "warning",
        path,
        2,
        column="Cust No",
        value="0200759878 / 200759878",
        fields=dict(customer_id="0200759878"),
    )


def fx_rate_differs(tmp):
    # USD 100.00 stated as 800.00 in the company currency (8.00) against a table rate of 7.10:
    # 12.7 % apart, beyond the 10 % tolerance
    path = side(
        tmp,
        "open_items.csv",
        [
            "Customer ID,Customer Name,Doc No,Date,Due Date,Currency,Open Amount,本币余额",
            "C1,Alpha,I1,2026-05-01,2026-05-31,USD,100.00,800.00",
        ],
    )
    rates = side(tmp, "fx.csv", ["Currency,Rate", "USD,7.10", "CNY,1"])
    return Case(
        run_on(path, as_of=AS_OF, fx=[rates]),
        "warning",
        None,
        None,
        column="CNY",  # the base amounts that imply it
        value="8",  # 800.00 / 100.00
        fields=dict(currency="USD"),
    )


def table_summary_left(tmp):
    # a workbook: sheet 汇总 (header on row 1, two balances, no dates) beside the dated ledger
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "汇总"
    for row in (
        ["客户编码", "客户名称", "期末余额"],
        ["C1", "Alpha", "1000.00"],
        ["C2", "Beta", "5.00"],
    ):
        summary.append(row)
    detail = book.create_sheet("应收明细")
    for row in (HEADER, GOOD):
        detail.append([cell if cell != "" else None for cell in row])
    path = tmp / "workbook.xlsx"
    book.save(path)
    return Case(run_on(path, as_of=AS_OF), "warning", path, 1, sheet="汇总", column="", value="2")


REPRODUCERS = {
    "table.summary_left": table_summary_left,
    "row.looks_like_total": row_looks_like_total,
    "customer.id_leading_zeros": customer_id_leading_zeros,
    "fx.rate_differs": fx_rate_differs,
    "amount.unparseable": amount_unparseable,
    "amount.missing": amount_missing,
    "date.unparseable": date_unparseable,
    "date.missing": date_missing,
    "customer.missing": customer_missing,
    "doc_type.unknown": doc_type_unknown,
    "currency.no_rate": currency_no_rate,
    "currency.invalid": currency_invalid,
    "document.duplicate_no": document_duplicate_no,
    "date.due_before_doc": date_due_before_doc,
    "receipt.exceeds_open": receipt_exceeds_open,
    "settlement.unknown_invoice": settlement_unknown_invoice,
    "credit.refund_owed": credit_refund_owed,
    "customer.not_in_master": customer_not_in_master,
    "customer.two_names": customer_two_names,
    "manager.no_email": manager_no_email,
    "master.value_unknown": master_value_unknown,
    "master.duplicate_id": master_duplicate_id,
    "master.id_spelling": master_id_spelling,
    "contact.unreadable": contact_unreadable,
    "contact.value_unknown": contact_value_unknown,
    "contact.unknown_customer": contact_unknown_customer,
    "promise.unverifiable": promise_unverifiable,
    "document.after_as_of": document_after_as_of,
    "master.no_ledger_rows": master_no_ledger_rows,
    "fx.unused_rate": fx_unused_rate,
    "fx.several_rates": fx_several_rates,
    "control.total_mismatch": control_total_mismatch,
    "letters.sender_unset": letters_sender_unset,
    "provision.history_provisional": provision_history_provisional,
}

NEVER_EMITTED: dict[str, str] = {}

# The header as written and the raw cell text, where the product reports something else.
COLUMN_NOT_AS_WRITTEN: dict[str, str] = {}


def _param(code: str, known_bugs: dict) -> object:
    reason = known_bugs.get(code) or NEVER_EMITTED.get(code)
    if reason is None:
        return code
    return pytest.param(code, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """Each reproducer runs once per module, in its own folder."""
    built: dict[str, Case] = {}

    def get(code: str) -> Case:
        if code not in built:
            folder = tmp_path_factory.mktemp(code.replace(".", "_"))
            built[code] = REPRODUCERS[code](folder)
        return built[code]

    return get


def the_issue(case: Case, code: str) -> pd.Series:
    """The one issue row of this code at the case's row (or the only one, for no-row codes)."""
    issues = case.result.issues
    found = issues[issues["code"].eq(code)]
    assert not found.empty, f"{code} not among {sorted(set(issues['code']))}"
    if case.row is not None:
        found = found[found["row"].eq(case.row) & found["file"].eq(str(case.file))]
    assert len(found) == 1, found.to_string()
    return found.iloc[0]


# ---- the catalogue, code by code ------------------------------------------------------------


@pytest.mark.parametrize("code", [_param(c, {}) for c in CATALOGUE])
def test_issue_is_reported_where_it_happened(cases, code):
    case = cases(code)
    issue = the_issue(case, code)
    assert issue["severity"] == case.severity == CATALOGUE[code][0]
    # what a user reads: the catalogue's issue.<code> filled from the row, in both languages
    english = i18n.issue_text(issue, "en", "CNY", {"CNY": 2, "USD": 2, "JPY": 0})
    chinese = i18n.issue_text(issue, "zh", "CNY", {"CNY": 2, "USD": 2, "JPY": 0})
    assert english.strip() and "{" not in english.replace("{cooperation", "")
    # not English text passed through
    assert re.search(r"[\u3400-\u9fff]", chinese), chinese
    if case.file is not None:
        assert issue["file"] == str(case.file)
        assert issue["sheet"] == case.sheet
        assert issue["row"] == case.row
    for key, expected in case.fields.items():
        got = issue[key]
        got = int(got) if key == "amount_minor" and not pd.isna(got) else got
        assert got == expected, (key, got, expected)
    # every issue of the run carries the severity its code has in the catalogue
    issues = case.result.issues
    assert issues["code"].isin(list(CATALOGUE)).all()
    assert (issues["severity"] == issues["code"].map(lambda c: CATALOGUE[c][0])).all()


WITH_CELL = [c for c in CATALOGUE if c not in {"credit.refund_owed", "customer.not_in_master"}]
WITH_CELL = [c for c in WITH_CELL if c not in {"promise.unverifiable", "master.no_ledger_rows"}]


@pytest.mark.parametrize("code", [_param(c, COLUMN_NOT_AS_WRITTEN) for c in WITH_CELL])
def test_issue_names_the_header_as_written_and_the_raw_value(cases, code):
    case = cases(code)
    issue = the_issue(case, code)
    assert issue["column"] == case.column
    if case.value is not None:
        assert issue["value"] == case.value


def test_duplicate_document_number_names_both_rows(cases):
    issues = cases("document.duplicate_no").result.issues
    dup = issues[issues["code"].eq("document.duplicate_no")]
    assert sorted(dup["row"].tolist()) == [2, 3]  # A1 for C1 on row 2, A1 for C2 on row 3
    assert sorted(dup["amount_minor"].tolist()) == [500, 100000]


def test_document_after_as_of_is_its_own_reconciliation_line(cases):
    recon = cases("document.after_as_of").result.reconciliation
    after = recon[(recon["currency"] == "CNY") & (recon["line"] == "after_as_of")].iloc[0]
    # A2 of 70.00 dated 2026-11-05 > as of 2026-10-31
    assert (after["amount_minor"], after["rows"]) == (7000, 1)
    open_line = recon[(recon["currency"] == "CNY") & (recon["line"] == "open_items")].iloc[0]
    assert open_line["amount_minor"] == 100000  # A1 only


def test_invalid_currency_cell_does_not_stop_the_run_without_a_base_currency(tmp_path):
    path = ledger(
        tmp_path,
        GOOD,
        ["C1", "Alpha", "Invoice", "A2", "2026-06-01", "2026-06-30", "60.00", "", "Dollars"],
    )
    result = run_on(path, as_of=AS_OF)  # no base_currency: CNY is the only valid currency
    assert result.base_currency == "CNY"
    # (and, a letter being due with no sender in the config, the warning that it prints
    # placeholders)
    assert result.issues["code"].tolist() == ["currency.invalid", "letters.sender_unset"]
    assert result.reconciled


EXCEPTION_CODES = [c for c, (severity, _) in CATALOGUE.items() if severity == "exception"]


@pytest.mark.parametrize("code", [_param(c, {}) for c in EXCEPTION_CODES])
def test_exception_row_is_counted_and_the_run_still_reconciles(cases, code):
    case = cases(code)
    recon = case.result.reconciliation
    equation = recon[~recon["line"].str.startswith("control")]
    difference = equation[equation["line"] == "difference"]
    assert difference["amount_minor"].eq(0).all(), difference.to_string()
    assert case.result.reconciled
    exceptions = equation[equation["line"] == "exceptions"]
    # exactly the one bad row is kept out, with its amount, in whichever currency it carries
    assert int(exceptions["rows"].sum()) == 1
    assert int(exceptions["amount_minor"].sum()) == case.excluded_minor
    issues = case.result.issues
    assert int(issues["severity"].eq("exception").sum()) == 1  # one reason per row
    # the good row A1 (1,000.00, due 2026-05-31) is the only open item
    assert case.result.open_items["doc_no"].tolist() == ["A1"]
    cny = equation[(equation["currency"] == "CNY") & (equation["line"] == "open_items")]
    assert int(cny["amount_minor"].iloc[0]) == 100000


# ---- the catalogue and the code base stay in step -------------------------------------------

EMITTERS = {"rows_issue", "one_issue", "exclude"}
CODE_SHAPE = r"[a-z_]+\.[a-z_]+"


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def emitted_codes() -> dict[str, list[str]]:
    """Quoted dotted codes passed to rows_issue / one_issue / exclude, or to a wrapper of them
    (a function that hands its own `code` parameter on, like quality._rows), in aging/*.py."""
    trees = {
        p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "aging").rglob("*.py"))
    }
    emitters = set(EMITTERS)
    changed = True
    while changed:  # a function passing a non-literal code to an emitter is an emitter too
        changed = False
        for tree in trees.values():
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef) or fn.name in emitters:
                    continue
                params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
                for call in ast.walk(fn):
                    if (
                        isinstance(call, ast.Call)
                        and _called(call) in emitters
                        and any(isinstance(a, ast.Name) and a.id in params for a in call.args)
                    ):
                        emitters.add(fn.name)
                        changed = True
                        break
    found: dict[str, list[str]] = {}
    for path, tree in trees.items():
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or _called(call) not in emitters:
                continue
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                text = arg.value if isinstance(arg, ast.Constant) else None
                if isinstance(text, str) and re.fullmatch(CODE_SHAPE, text):
                    found.setdefault(text, []).append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_every_emitted_code_is_in_the_catalogue():
    emitted = emitted_codes()
    # the scan itself works: codes from each kind of call site are found
    assert {"amount.unparseable", "credit.refund_owed", "document.duplicate_no"} <= set(emitted)
    unknown = {code: where for code, where in emitted.items() if code not in CATALOGUE}
    assert not unknown, f"emitted but not catalogued: {unknown}"


def test_every_catalogue_code_has_a_reproducer():
    assert set(REPRODUCERS) == set(CATALOGUE)
    assert all(severity in {"exception", "warning", "info"} for severity, _ in CATALOGUE.values())


def test_every_catalogue_code_is_emitted_somewhere():
    assert set(CATALOGUE) - set(emitted_codes()) == set()
