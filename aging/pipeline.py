"""The one place that wires the stages: ingest -> normalise -> settle -> age -> grade -> reconcile.

In: `Inputs` (paths by table kind) and a `Config`. Out: a frozen `Result` for the renderers.
No stage calls another; each takes plain data and returns new data plus issues. Raises
`InputError` for unusable input (no ledger table, several currencies and no base, ...).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from aging import age as aging_stage
from aging import grade as grading
from aging import promises as promise_stage
from aging import quality, reconcile
from aging.behaviour import payment_behaviour
from aging.currency import choose_base, implied_rates, scale, to_base
from aging.errors import InputError
from aging.history import stage as history_stage
from aging.i18n import Msg, msg
from aging.issues import concat_issues, empty_issues, one_issue, rows_issue
from aging.mail import recipients_from_master
from aging.model import OPEN_ITEM_COLUMNS, InputTable, Result
from aging.normalise import (
    fx_currencies,
    normalise_contacts,
    normalise_customers,
    normalise_fx,
    normalise_ledger,
    pair_master_ids,
)
from aging.parse import (
    clean_date_text,
    currency_decimals,
    day_month_order,
    needs_day_month_order,
    parse_dates,
)
from aging.plan import make_plan
from aging.portfolio import (
    aging_by_customer,
    customer_table,
    portfolio_by,
    risk_grades,
    summarise,
)
from aging.reading import findings
from aging.reading.tables import RawTable, load_tables, title_dates
from aging.settle import settle

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".parquet")


@dataclass(frozen=True)
class Inputs:
    ledger: tuple  # of Path; a workbook may also hold customers / contacts / fx sheets
    customers: tuple = ()
    contacts: tuple = ()  # files, or folders of returned packs
    fx: tuple = ()
    as_of: date | None = None
    labels: dict = field(default_factory=dict)  # path -> name to show (relative to cwd)
    history: str | None = None  # the history store: a file path or a PostgreSQL URL; None: none


@dataclass(frozen=True)
class Read:
    """The reading stage's result: every table found, the ledgers among them, the FX rates
    given and the base currency with its evidence (what --explain prints)."""

    tables: list
    ledgers: list
    fx_rates: dict
    base: object  # aging.currency.Base
    fx_issues: pd.DataFrame = field(default_factory=empty_issues)
    summaries: tuple = ()  # ledger-like tables without dates, beside ledgers that have them


def read(inputs: Inputs, config) -> Read:
    _refuse_repeated(inputs)
    tables = _load_all(inputs, config)
    ledgers = [t for t in tables if t.kind == "ledger"]
    if not ledgers:
        raise InputError("error.no_ledger", file=_shown(inputs.ledger[0], inputs))
    # a workbook's 汇总 sheet of balances beside its dated detail sheets: the detail is the
    # ledger, the summary is said and left (alone, it stops the run: nothing to age by)
    dated = [t for t in ledgers if {"doc_date", "due_date"} & set(t.frame.columns)]
    summaries = tuple(t for t in ledgers if dated and t not in dated)
    ledgers = dated or ledgers
    table_rates, quotes, fx_issues = _fx_from_tables(tables, config, inputs.as_of)
    fx_rates = {**table_rates, **config.fx_rates}
    base = choose_base(config, ledgers, fx_rates)
    for currency, (quote, file, row) in quotes.items():
        if quote != base.code:  # JPY/USD 0.0067 is no rate to the base CNY
            raise InputError(
                "error.fx_pair_not_base", file=file, row=row, pair=f"{currency}/{quote}",
                base=base.code,
            )  # fmt: skip
    return Read(tables, ledgers, fx_rates, base, fx_issues, summaries)


def _refuse_repeated(inputs: Inputs) -> None:
    """The same export given twice would double every debt: stop, naming both."""
    seen = {}
    for path in inputs.ledger:
        try:
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            continue  # the reader says what is wrong with it
        if digest in seen:
            raise InputError(
                "error.same_ledger_twice",
                first=_shown(seen[digest], inputs),
                second=_shown(path, inputs),
            )
        seen[digest] = path


def run(inputs: Inputs, config, progress=None) -> Result:
    step = progress or (lambda name: None)
    step("read")
    found = read(inputs, config)
    tables, ledgers, fx_rates = found.tables, found.ledgers, found.fx_rates
    fx_issues = found.fx_issues
    base_evidence = found.base
    base = base_evidence.code
    summaries = findings.summaries_left(found.summaries)

    step("normalise")
    parts, issues = [], []
    for table in ledgers:
        rows, found = normalise_ledger(table, config, base)
        parts.append(rows)
        issues.append(found)
    rows = pd.concat(parts, ignore_index=True)
    rows["synthetic"] = rows.get("synthetic", False)
    rows["synthetic"] = rows["synthetic"].fillna(False).astype(bool)
    master, master_where, master_issues = _master(tables, config)
    master, spelling_issues = pair_master_ids(master, rows["customer_id"], *master_where)
    contacts, contact_issues = _contacts(tables, config)
    issues += [master_issues, spelling_issues, contact_issues, fx_issues, summaries]
    issues.append(_exclude_unrated(rows, base, fx_rates))
    rates = {**implied_rates(rows[rows["excluded"].eq("")], base), **fx_rates}
    as_of = pd.Timestamp(inputs.as_of) if inputs.as_of else default_as_of(ledgers, rows)

    step("settle")
    rows = _with_customer_facts(rows, master, config)
    # only a document date says a document is after the month; a later due date is normal
    after = rows["excluded"].eq("") & (rows["doc_date"] > as_of)
    model = rows[rows["excluded"].eq("") & ~after]
    receipts = model[model["doc_type"].eq("receipt")].assign(
        receipt_minor=lambda f: -f["balance_minor"]
    )
    receipts_known = any(t.frame is not None and _layout(t) != "open_items" for t in ledgers)
    promises = promise_stage.evaluate_promises(
        contacts, receipts, as_of, config.promises.tolerance_days, receipts_known, _who(rows)
    )
    settled = settle(model, fifo=config.settlement.fifo)

    step("age")
    items = settled.debits[settled.debits["open_minor"] > 0].copy()
    if "open_base_minor" not in items:  # settled in base already when every row states it
        items["open_base_minor"] = open_in_base(items, base, rates)
    items = aging_stage.age(items, as_of, config.aging, config.output.lang)
    demand = promise_stage.latest_demand(contacts, as_of)
    items["broken_promises"] = (
        items["customer_id"].map(promise_stage.broken_counts(promises)).fillna(0).astype("int64")
    )
    demanded = pd.Series(demand.reindex(items["customer_id"]).to_numpy(), index=items.index)
    restart = pd.concat([items["last_receipt_date"], demanded.astype("datetime64[s]")], axis=1)
    items["limitation_date"] = grading.limitation_dates(
        items["due_eff"], restart.max(axis=1), config.grading.limitation_years
    )

    step("history")
    layout = _history_layout(ledgers)
    stored = history_stage.read_store(inputs.history, config.history, as_of, layout != "open_items")
    convert = functools.partial(open_in_base, base=base, rates=rates)
    past = history_stage.past(model, items, as_of, layout, stored, convert, config)
    issues.append(past.issues)

    step("grade")
    items["grade"] = grading.item_grades(items, as_of, config.grading)
    items["provision_rate"] = grading.provision_rates(items, config.provision, past.booked_rates)
    items["provision_base_minor"] = grading.provision_amounts(
        items["open_base_minor"], items["provision_rate"]
    )
    items["due_date"] = items["due_eff"]
    open_items = items.sort_values(["customer_id", "due_date", "doc_no"], kind="stable")
    open_items = open_items[list(OPEN_ITEM_COLUMNS)].reset_index(drop=True)
    unapplied = settled.unapplied.assign(
        unapplied_base_minor=lambda f: (
            f["unapplied_stated_base_minor"].astype("int64")
            if "unapplied_stated_base_minor" in f
            else to_base(f["unapplied_minor"], f["currency"], base, rates)
        )
    )
    customers = customer_table(open_items, unapplied, rows, master, promises, config)
    step("behaviour")
    paying = payment_behaviour(
        settled.debits, open_items, customers, master, contacts, as_of, base, fx_rates, config
    )
    open_items, customers = paying.open_items, paying.customers
    step("plan")
    plan = make_plan(
        customers, open_items, master, contacts, promises, as_of, currency_decimals(base), config
    )
    customers = plan.customers

    step("changes")
    history, headline = history_stage.finish(
        past, open_items, customers, plan.credit_hold, promises, model, contacts, as_of, convert,
        config,
    )  # fmt: skip

    step("check")
    issues += [
        settled.issues,
        quality.ledger_checks(rows[rows["excluded"].eq("")]),
        quality.receipt_checks(model, settled.debits),
        quality.credit_checks(unapplied, as_of, config.quality.credit_refund_days),
        quality.master_checks(
            rows.loc[rows["excluded"].eq(""), "customer_id"], master, *master_where
        ),
        _after_as_of_issues(rows, after),
        _promise_issues(promises),
        quality.sender_checks(config.letters, plan.worklist, plan.limitation_alerts),
    ]
    lines = reconcile.equation(rows, open_items, settled.unapplied, after)
    controls, mismatches = reconcile.control_totals(
        ledgers, rows, base, config.reading.decimal_comma
    )
    issues += [
        mismatches,
        _contact_checks(contacts, rows),
        _fx_checks(tables, rows, base),
        findings.looked_like_totals(ledgers),
        findings.leading_zero_ids(rows[rows["excluded"].eq("")]),
        findings.rates_against_table(
            rows[rows["excluded"].eq("")], fx_rates, base, config.reading.fx_tolerance
        ),
    ]
    recon = pd.concat([lines, controls, reconcile.layout_lines(ledgers)], ignore_index=True)
    # name files in labels as the user gave them, not by full path
    recon["label"] = recon["label"].map(lambda cell: _shown_file(cell, inputs))
    all_issues = _shown_issues(_written_headers(concat_issues(issues), tables), inputs)
    decimals = {c: currency_decimals(c) for c in {base, *rows["currency"].unique()}}
    aging_frame = aging_by_customer(open_items, customers)
    summary = summarise(open_items, customers, all_issues, as_of, base, rows) | headline
    return Result(
        as_of=as_of.date(),
        base_currency=base,
        currency_decimals=decimals,
        config=config,
        inputs=tuple(_input_table(t, inputs) for t in tables),
        input_checksums=_checksums(inputs, tables),
        open_items=_shown_sources(open_items, inputs),
        customers=customers,
        aging_by_customer=aging_frame,
        by_rep=portfolio_by(open_items, customers, "sales_rep"),
        by_region=portfolio_by(open_items, customers, "region"),
        risk_grades=risk_grades(open_items, customers),
        provision=grading.provision_table(open_items, config.provision, config.output.lang),
        issues=all_issues,
        reconciliation=recon,
        summary=summary,
        reconciled=not recon["status"].eq("unexplained").any(),
        worklist=plan.worklist,
        credit_hold=plan.credit_hold,
        limitation_alerts=plan.limitation_alerts,
        broken_promises=plan.broken_promises,
        visit_routes=plan.visit_routes,
        instalments=plan.instalments,
        manager_emails=recipients_from_master(master),
        layout_rows=_layout_rows(ledgers, inputs),
        base_evidence=base_evidence,
        cash_forecast=paying.forecast,
        cash_forecast_months=paying.forecast_months,
        cash_not_expected=paying.not_expected,
        history=history,
    )


# ---- reading -----------------------------------------------------------------------------


def _load_all(inputs: Inputs, config) -> list[RawTable]:
    tables = []
    for path in inputs.ledger:
        tables += load_tables(Path(path), None, config)
    for kind in ("customers", "contacts", "fx"):
        for path in getattr(inputs, kind):
            for file in _files(Path(path)):
                tables += load_tables(file, kind, config)
    return tables


def _files(path: Path) -> list[Path]:
    """A folder (returned packs) means every spreadsheet in it, in name order."""
    if path.is_dir():
        return sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith(("~$", "."))
        )
    return [path]


def _history_layout(ledgers: list[RawTable]) -> str:
    """The layout the history goes by: an export with any past in it (transactions or a
    register) is rebuilt month by month; open items only build history run by run."""
    layouts = {_layout(t) for t in ledgers if t.frame is not None}
    past = sorted(layouts - {"open_items"})
    return past[0] if past else "open_items"


def _layout(table: RawTable) -> str:
    from aging.normalise import detect_layout

    return detect_layout(table.frame.columns)


def _fx_from_tables(tables: list[RawTable], config, as_of) -> tuple[dict, dict, pd.DataFrame]:
    rates, quotes, issues = {}, {}, []
    for table in tables:
        if table.kind == "fx":
            found, pairs, found_issues = normalise_fx(table, config, as_of)
            rates.update(found)
            quotes.update({c: (q, table.file, row) for c, (q, row) in pairs.items()})
            issues.append(found_issues)
    return rates, quotes, concat_issues(issues)


def open_in_base(items: pd.DataFrame, base: str, rates: dict) -> pd.Series:
    """What is open on each item in the base currency: its share of the base amount the
    export states for it (本币, LC: never converted again), else converted with the FX rate."""
    converted = to_base(items["open_minor"], items["currency"], base, rates)
    stated = items["base_minor"].notna() & items["balance_minor"].ne(0)
    if not stated.any():
        return converted
    part = items[stated]
    share = part["base_minor"].astype("int64")
    for at in part.index[part["open_minor"].ne(part["balance_minor"])]:  # partly settled: few
        factor = Fraction(int(part.at[at, "base_minor"]), int(part.at[at, "balance_minor"]))
        share[at] = scale(np.array([part.at[at, "open_minor"]]), factor)[0]
    return converted.where(~stated, share)


def _exclude_unrated(rows: pd.DataFrame, base: str, fx_rates: dict) -> pd.DataFrame:
    """DESIGN: a currency with no FX rate is an error to report, never a silent 1:1."""
    mask = (
        rows["excluded"].eq("")
        & rows["currency"].ne(base)
        & ~rows["currency"].isin(list(fx_rates))
        & rows["base_minor"].isna()
    )
    issues = rows_issue(
        rows,
        mask,
        "currency.no_rate",
        column="currency",
        value=rows["currency"],
        amount=rows["balance_minor"],
        message="No FX rate from " + rows["currency"] + " to " + base + ".",
    )
    rows.loc[mask, "excluded"] = "currency.no_rate"
    return issues


def default_as_of(ledgers: list[RawTable], rows: pd.DataFrame) -> pd.Timestamp:
    """A report date in the title rows ('至 2026-10-31'), else the month end of the last
    document date (DESIGN: the ledger's last document date, rounded to that month's end)."""
    found = [d for t in ledgers for d in title_dates(t.titles)]
    if found:
        text = clean_date_text(pd.Series(found, dtype="str"))
        order = day_month_order([text]) if needs_day_month_order([text]) else None
        parsed, _ = parse_dates(text, order or "dmy")  # 31.10.2026 is day-first in practice
        if parsed.notna().any():
            return pd.Timestamp(parsed.max())
    last = rows.loc[rows["excluded"].eq(""), "doc_date"].max()
    if pd.isna(last):
        raise InputError("error.no_doc_date")
    return pd.Timestamp(last) + pd.offsets.MonthEnd(0)


def _master(tables, config):
    found = [t for t in tables if t.kind == "customers"]
    if not found:
        return None, ("", ""), concat_issues([])
    parts, issues = zip(*(normalise_customers(t, config) for t in found), strict=True)
    master = pd.concat(parts, ignore_index=True).drop_duplicates("customer_id")
    return master, (found[0].file, found[0].sheet), concat_issues(list(issues))


def _contacts(tables, config):
    found = [t for t in tables if t.kind == "contacts"]
    columns = [
        "customer_id",
        "contact_date",
        "channel",
        "outcome",
        "promise_date",
        "promise_minor",
        "doc_no",
        "note",
        "by",
        "src_file",
        "src_sheet",
        "src_row",
    ]
    if not found:
        empty = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        for c in ("contact_date", "promise_date"):
            empty[c] = empty[c].astype("datetime64[s]")
        empty[["promise_minor", "src_row"]] = empty[["promise_minor", "src_row"]].astype("int64")
        return empty, concat_issues([])
    parts, issues = zip(*(normalise_contacts(t, config) for t in found), strict=True)
    return pd.concat(parts, ignore_index=True), concat_issues(list(issues))


def _who(rows: pd.DataFrame) -> pd.DataFrame:
    """customer_id -> name (the master's when it has one) and ledger currency."""
    first = rows[rows["excluded"].eq("")].drop_duplicates("customer_id")
    name = first["master_name"].where(first["master_name"].ne(""), first["customer_name"])
    return pd.DataFrame(
        {"customer_id": first["customer_id"], "name": name, "currency": first["currency"]}
    )


def _with_customer_facts(rows: pd.DataFrame, master, config) -> pd.DataFrame:
    """Join what the master knows; fill the due date from terms where the export has none."""
    facts = ["status", "cooperation", "terms_days", "manager", "sales_rep", "region", "name"]
    if master is None:
        joined = rows.assign(
            status="",
            cooperation="",
            terms_days=pd.NA,
            manager="",
            master_rep="",
            master_region="",
            master_name="",
        )
    else:
        joined = rows.merge(
            master[["customer_id", *facts]].rename(
                columns={
                    "sales_rep": "master_rep",
                    "region": "master_region",
                    "name": "master_name",
                }
            ),
            on="customer_id",
            how="left",
        )
        for column in (
            "status",
            "cooperation",
            "manager",
            "master_rep",
            "master_region",
            "master_name",
        ):
            joined[column] = joined[column].fillna("")
    joined["sales_rep"] = joined["master_rep"].where(
        joined["master_rep"].ne(""), joined["sales_rep"]
    )
    joined["region"] = joined["master_region"].where(
        joined["master_region"].ne(""), joined["region"]
    )
    # terms: the document's own (a 账期 column in the ledger), then the customer's, then the
    # default
    own = (
        joined["doc_terms_days"]
        if "doc_terms_days" in joined
        else pd.Series(pd.NA, index=joined.index)
    )
    terms = (
        pd.to_numeric(own, errors="coerce")
        .fillna(pd.to_numeric(joined["terms_days"], errors="coerce"))
        .fillna(config.settlement.default_terms_days)
        .astype("int64")
    )
    joined["due_eff"] = joined["due_date"].fillna(joined["doc_date"] + pd.to_timedelta(terms, "D"))
    return joined.drop(columns=["master_rep", "master_region", "terms_days", "doc_terms_days"],
                       errors="ignore")  # fmt: skip


def _contact_checks(contacts: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    known = set(rows["customer_id"])
    stray = ~contacts["customer_id"].isin(known)
    return rows_issue(
        contacts,
        stray,
        "contact.unknown_customer",
        column="customer_id",
        value=contacts["customer_id"],
        message="Contact for customer "
        + contacts["customer_id"]
        + ", who has no rows in the ledger.",
    )


def _fx_checks(tables: list[RawTable], rows: pd.DataFrame, base: str) -> pd.DataFrame:
    used = set(rows["currency"]) | {base, ""}
    found = []
    for table in (t for t in tables if t.kind == "fx"):
        codes, _quotes = fx_currencies(table.frame)
        column = "currency" if "currency" in table.frame else "pair"
        found.append(
            rows_issue(
                table.frame,
                ~codes.isin(used),
                "fx.unused_rate",
                file=table.file,
                sheet=table.sheet,
                column=table.headers[column],
                value=table.frame[column],
                message="An FX rate is given for " + codes + ", which the ledger does not use.",
            )
        )
    return concat_issues(found)


def _after_as_of_issues(rows, after) -> pd.DataFrame:
    issues = rows_issue(
        rows,
        after & ~rows["synthetic"],
        "document.after_as_of",
        column="doc_date",
        value=rows["doc_date_text"],
        message="Dated after the as-of date; left out of this month.",
        amount=rows["balance_minor"],
    )
    return issues


def _promise_issues(promises) -> pd.DataFrame:
    if promises.empty or not promises["verdict"].eq("unverifiable").any():
        return concat_issues([])
    count = int(promises["verdict"].eq("unverifiable").sum())
    return one_issue(
        "promise.unverifiable",
        f"{count} promises cannot be checked: the ledger holds no receipts (open-items layout).",
    )


# ---- provenance --------------------------------------------------------------------------


def _shown(path, inputs: Inputs) -> str:
    return inputs.labels.get(str(path), str(path))


def _shown_file(cell, inputs: Inputs):
    """A message naming an input file names it as the user gave it."""
    if isinstance(cell, Msg) and "file" in cell.kw:
        return msg(cell.code, **{**cell.kw, "file": _shown(cell.kw["file"], inputs)})
    return cell


def _written_headers(issues: pd.DataFrame, tables: list[RawTable]) -> pd.DataFrame:
    """Name columns as the export writes them ('单据号', not 'doc_no') wherever we can."""
    for table in tables:
        mine = issues["file"].eq(table.file) & issues["sheet"].eq(table.sheet)
        if mine.any():
            named = issues.loc[mine, "column"].map(table.headers)
            issues.loc[mine, "column"] = named.fillna(issues.loc[mine, "column"])
    return issues


def _shown_issues(issues: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    issues["file"] = issues["file"].map(lambda f: _shown(f, inputs) if f else f)
    return issues


def _shown_sources(items: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    return items.assign(src_file=items["src_file"].map(lambda f: _shown(f, inputs)))


def _input_table(table: RawTable, inputs: Inputs) -> InputTable:
    return InputTable(
        kind=table.kind,
        file=_shown(table.file, inputs),
        sheet=table.sheet,
        header_row=table.header_row,
        rows=len(table.frame),
        layout=_layout(table) if table.kind == "ledger" else "",
        columns=dict(table.headers),
        mapping=tuple((a.header, a.field, a.how) for a in table.columns),
        unused=tuple(header for _at, header in table.unused),
        profile=table.profile,
        layout_rows=len(table.layout),
        blank_rows=table.blank_rows,
    )


def _layout_rows(tables: list[RawTable], inputs: Inputs) -> pd.DataFrame:
    records = [
        (_shown(t.file, inputs), t.sheet, r.row, r.kind, r.text) for t in tables for r in t.layout
    ]
    return pd.DataFrame(records, columns=["file", "sheet", "row", "kind", "text"])


def _checksums(inputs: Inputs, tables) -> dict:
    files = sorted({t.file for t in tables})
    return {_shown(f, inputs): hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files}
