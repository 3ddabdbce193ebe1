"""The one place that wires the stages: ingest -> normalise -> settle -> age -> grade -> reconcile.

In: `Inputs` (paths by table kind) and a `Config`. Out: a frozen `Result` for the renderers.
No stage calls another; each takes plain data and returns new data plus issues. Raises
`InputError` for unusable input (no ledger table, several currencies and no base, ...).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd

from aging import age as aging_stage
from aging import grade as grading
from aging import promises as promise_stage
from aging import quality, reconcile
from aging.errors import InputError
from aging.issues import concat_issues, one_issue, rows_issue
from aging.mail import recipients_from_master
from aging.model import OPEN_ITEM_COLUMNS, InputTable, Result
from aging.normalise import (
    currency_codes,
    normalise_contacts,
    normalise_customers,
    normalise_fx,
    normalise_ledger,
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


def run(inputs: Inputs, config, progress=None) -> Result:
    step = progress or (lambda name: None)
    step("read")
    tables = _load_all(inputs, config)
    ledgers = [t for t in tables if t.kind == "ledger"]
    if not ledgers:
        raise InputError(f"{_shown(inputs.ledger[0], inputs)}: no ledger table found")
    fx_rates = {**_fx_from_tables(tables, config), **config.fx_rates}
    base = _base_currency(config, ledgers, fx_rates)

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
    contacts, contact_issues = _contacts(tables, config)
    issues += [master_issues, contact_issues]
    issues.append(_exclude_unrated(rows, base, fx_rates))
    as_of = pd.Timestamp(inputs.as_of) if inputs.as_of else default_as_of(ledgers, rows)

    step("settle")
    rows = _with_customer_facts(rows, master, config)
    after = rows["excluded"].eq("") & (rows["doc_date"].fillna(rows["due_date"]) > as_of)
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
    items["open_base_minor"] = to_base(items["open_minor"], items["currency"], base, fx_rates)
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

    step("grade")
    items["grade"] = grading.item_grades(items, as_of, config.grading)
    items["provision_rate"] = grading.provision_rates(items, config.provision)
    items["provision_base_minor"] = grading.provision_amounts(
        items["open_base_minor"], items["provision_rate"]
    )
    items["due_date"] = items["due_eff"]
    open_items = items.sort_values(["customer_id", "due_date", "doc_no"], kind="stable")
    open_items = open_items[list(OPEN_ITEM_COLUMNS)].reset_index(drop=True)
    unapplied = settled.unapplied.assign(
        unapplied_base_minor=lambda f: to_base(f["unapplied_minor"], f["currency"], base, fx_rates)
    )
    customers = customer_table(open_items, unapplied, rows, master, promises, config)
    step("plan")
    plan = make_plan(
        customers, open_items, master, contacts, promises, as_of, currency_decimals(base), config
    )
    customers = plan.customers

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
    issues += [mismatches, _contact_checks(contacts, rows), _fx_checks(tables, rows, base)]
    recon = pd.concat([lines, controls], ignore_index=True)
    for table in ledgers:  # name files in labels as the user gave them, not by full path
        recon["label"] = recon["label"].str.replace(
            table.file, _shown(table.file, inputs), regex=False
        )
    all_issues = _shown_issues(_written_headers(concat_issues(issues), tables), inputs)
    decimals = {c: currency_decimals(c) for c in {base, *rows["currency"].unique()}}
    aging_frame = aging_by_customer(open_items, customers)
    summary = summarise(open_items, customers, all_issues, as_of, base, rows, model)
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


def _layout(table: RawTable) -> str:
    from aging.normalise import detect_layout

    return detect_layout(table.frame.columns)


def _fx_from_tables(tables: list[RawTable], config) -> dict:
    rates = {}
    for table in tables:
        if table.kind == "fx":
            rates.update(normalise_fx(table, config))
    return rates


def _base_currency(config, ledgers: list[RawTable], fx_rates: dict) -> str:
    """Config, else the ledger's only currency, else the FX table's rate-1 currency, else CNY."""
    if config.base_currency:
        return config.base_currency.upper()
    seen = set()
    for table in ledgers:
        if "currency" in table.frame:
            codes = currency_codes(table.frame["currency"], "")
            # Only real codes count; an invalid cell becomes that row's exception later.
            seen |= set(codes[codes.str.fullmatch(r"[A-Z]{3}")].unique())
    if len(seen) == 1:
        return seen.pop()
    ones = [c for c, r in fx_rates.items() if _decimal(r, c) == 1]
    if len(ones) == 1:
        return ones[0]
    if not seen:
        return "CNY"
    raise InputError(
        f"the ledger holds {len(seen)} currencies ({', '.join(sorted(seen))}); set base_currency "
        "in the config, or give an FX table with the base currency at rate 1"
    )


def _decimal(text: str, currency: str) -> Decimal:
    try:
        value = Decimal(str(text).replace(",", ""))
    except InvalidOperation:
        raise InputError(f"FX rate for {currency} is not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise InputError(f"FX rate for {currency} must be a positive number, not {text!r}")
    return value


def to_base(minor: pd.Series, currency: pd.Series, base: str, fx_rates: dict) -> pd.Series:
    """Exact conversion: minor * rate, rounded half up to the base currency's minor unit."""
    out = pd.Series(0, index=minor.index, dtype="int64")
    for code in currency.unique():
        rows = currency.eq(code)
        if code == base:
            out[rows] = minor[rows]
            continue
        rate = _decimal(fx_rates[code], code)
        shift = currency_decimals(base) - currency_decimals(code)
        num, den = (rate * Decimal(10) ** shift).as_integer_ratio()
        values = [(2 * int(v) * num + den) // (2 * den) for v in minor[rows]]
        out[rows] = np.array(values, dtype="int64")
    return out


def _exclude_unrated(rows: pd.DataFrame, base: str, fx_rates: dict) -> pd.DataFrame:
    """DESIGN: a currency with no FX rate is an error to report, never a silent 1:1."""
    mask = (
        rows["excluded"].eq("") & rows["currency"].ne(base) & ~rows["currency"].isin(list(fx_rates))
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
        raise InputError("no readable document date in the ledger; give --as-of")
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
    terms = (
        pd.to_numeric(joined["terms_days"], errors="coerce")
        .fillna(config.settlement.default_terms_days)
        .astype("int64")
    )
    joined["due_eff"] = joined["due_date"].fillna(joined["doc_date"] + pd.to_timedelta(terms, "D"))
    return joined.drop(columns=["master_rep", "master_region", "terms_days"])


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
        codes = currency_codes(table.frame["currency"], "")
        found.append(
            rows_issue(
                table.frame,
                ~codes.isin(used),
                "fx.unused_rate",
                file=table.file,
                sheet=table.sheet,
                column=table.headers["currency"],
                value=table.frame["currency"],
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
    )


def _checksums(inputs: Inputs, tables) -> dict:
    files = sorted({t.file for t in tables})
    return {_shown(f, inputs): hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files}
