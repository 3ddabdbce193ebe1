"""Manager packs: `packs/<name>-<hash>.xlsx`, one per manager (or sales rep, or region).

In: a finished `Result` and the `packs.group_by` config. Out: per group, a workbook holding
that group's customers only — Summary (their key figures, native charts of the aging by bucket
and grade and of the grade mix), Worklist (rank order, with the factor contributions and the
reasons), Open items, Letters to send (the letter register of `aging.letters` for the group's
customers, as in the close workbook), and Contact log (one row per customer on the worklist,
empty input columns with drop-down and date/amount validation; read back next month with
`--contacts packs/`). A pack in which the gate finds another group's customer is withheld:
not moved into place (so not e-mailed), and its job says where the leak was; the other packs
and the rest of the month are written (`write_packs` raises `IsolationError` after writing
the others).

DESIGN "Safe": a pack holds no row, name or cached value of another manager's customers. Two
defences: `split_by` filters the Result to the group's customers before anything is rendered,
so no other customer's data reaches the writer; and `aging.isolation.check_isolation` opens
every written pack and matches every value in it (cells, shared strings, chart caches, defined
names, validation lists, comments, document properties, headers and footers) against every
other customer's id and name; the cells where the pack writes people (sales rep, manager,
region) may hold a person who shares a name with another group's customer.

The renderer computes no business figure: the summary is `aging.pipeline.summarise` on the
filtered tables (the same definitions as the close workbook), and the chart tables only add up
amounts the result already holds. Every table goes through `aging.xlsx_table.write_table`.
Re-running gives byte-identical packs (document dates are the as-of date).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from aging import i18n, render_history
from aging.charts import bucket_grade_table, grade_table
from aging.grade import provision_table
from aging.i18n import grade_label, sheet_name
from aging.isolation import IsolationError, PersonCells, check_isolation
from aging.letters import letters_due, share_letters
from aging.model import (
    BEHAVIOUR_SHOWN,
    CHANGE_COLUMNS,
    GRADES,
    RECONCILIATION_COLUMNS,
    History,
    Result,
)
from aging.normalise import CODED_VALUES
from aging.outputs import Job
from aging.plan import FACTORS
from aging.portfolio import summarise
from aging.render_close import letter_columns, letter_rows, open_item_columns
from aging.render_forecast import behaviour_columns, factor_name
from aging.xlsx_table import (
    TONES,
    Book,
    ColumnSpec,
    TableRange,
    column_ref,
    grade_doughnut,
    money_format,
    write_table,
)

GROUP_KEYS = ("manager", "sales_rep", "region")
# Result tables with a customer_id column: each is filtered to the group's customers.
_CUSTOMER_TABLES = ("open_items", "customers", "aging_by_customer", "issues", "worklist",
                    "credit_hold", "limitation_alerts", "broken_promises", "visit_routes",
                    "instalments")  # fmt: skip
UNASSIGNED = ""  # the group of customers with no manager (rep, region): the "unassigned" pack
PACK_SHEETS = ("summary", "worklist", "open_items", "changes", "letters", "contact_log")
# The contact log's input columns, in order: each header a CONTACT_SYNONYMS name.
CONTACT_INPUTS = ("contact_date", "channel", "outcome", "promise_date", "promise_amount",
                  "note", "by")  # fmt: skip
CHANNELS = tuple(CODED_VALUES["channel"])
OUTCOMES = tuple(CODED_VALUES["outcome"])
SPARE_ROWS = 30  # empty rows under the contact log for further contacts
# Figures of the whole ledger, meaningless for one manager's customers.
_LEDGER_WIDE = ("ledger_rows", "dso_days")
_PROTECT = {
    "autofilter": True,
    "sort": True,
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
_INPUT_FILL = "#FFF9DB"  # the usual "type here" yellow


class PackOutcome(NamedTuple):
    """What one pack job did: the pack's path (None when withheld), the letters in it, and
    when withheld, where the gate found another group's customer (for run.json)."""

    group: str
    path: Path | None
    letters: int
    withheld: dict | None = None


# --- splitting ---------------------------------------------------------------------------------


def group_values(customers: pd.DataFrame, key: str) -> pd.Series:
    """Each customer's group (manager, sales rep or region), "" when it has none."""
    if key not in GROUP_KEYS:
        raise ValueError(f"packs.group_by must be one of {', '.join(GROUP_KEYS)}, not {key!r}")
    return customers[key].fillna("").astype(str).str.strip()


def split_by(result: Result, key: str) -> dict[str, Result]:
    """One Result per group holding that group's customers only, in group order ("" last).

    Every customer table is filtered by customer id; the summary is recomputed from the
    filtered tables; reconciliation (a whole-ledger matter) is left empty.
    """
    return {group: part_of(result, ids) for group, ids in group_members(result, key).items()}


def group_members(result: Result, key: str) -> dict[str, frozenset]:
    """Group -> the ids of its customers, in group order ("" last)."""
    groups = group_values(result.customers, key)
    members: dict[str, set] = {}
    for cid, group in zip(result.customers["customer_id"].astype(str), groups, strict=True):
        members.setdefault(group, set()).add(cid)
    # A customer paid in full since last month is on no list now, but its group's Changes
    # sheet names it (aging.history.changes carries each customer's manager, rep and region).
    changes = result.history.changes
    if key in changes.columns and len(changes):
        for cid, group in zip(changes["customer_id"].astype(str), group_values(changes, key),
                              strict=True):  # fmt: skip
            if group in members:
                members[group].add(cid)
    order = sorted(members, key=lambda g: (g == UNASSIGNED, g))
    return {group: frozenset(members[group]) for group in order}


def part_of(result: Result, ids: frozenset) -> Result:
    """The Result for these customers only."""
    # A customer only the Changes name (paid in full since last month) stays out of the rest.
    listed = ids & frozenset(result.customers["customer_id"].astype(str))
    tables = {name: _rows_of(getattr(result, name), listed) for name in _CUSTOMER_TABLES}
    return _part(result, tables, ids)


def _rows_of(frame: pd.DataFrame, ids: frozenset) -> pd.DataFrame:
    if "customer_id" not in frame.columns or frame.empty:
        return frame.iloc[0:0]
    return frame[frame["customer_id"].astype(str).isin(ids)].reset_index(drop=True)


def _part(result: Result, t: dict, ids: frozenset) -> Result:
    as_of = pd.Timestamp(result.as_of)
    empty_rows = pd.DataFrame({"synthetic": pd.Series(dtype=bool)})
    summary = summarise(t["open_items"], t["customers"], t["issues"], as_of,
                        result.base_currency, empty_rows)  # fmt: skip
    for key in _LEDGER_WIDE:
        summary.pop(key, None)
    lang = result.config.output.lang
    return dataclasses.replace(
        result,
        **t,
        history=_history_of(result.history, ids),
        summary=summary,
        provision=provision_table(t["open_items"], result.config.provision, lang),
        reconciliation=pd.DataFrame(columns=list(RECONCILIATION_COLUMNS)),
    )


def _history_of(history: History, ids: frozenset) -> History:
    """The group's part of the history: its customers' trend and changes; nothing of the whole
    ledger (month-end totals, roll rates, the matrix, promise rates by manager)."""
    return dataclasses.replace(
        history,
        monthly=pd.DataFrame(),
        roll_rates=pd.DataFrame(),
        roll_shares=pd.DataFrame(),
        matrix=pd.DataFrame(),
        promise_rates=pd.DataFrame(),
        flows=pd.DataFrame(),
        by_customer=_rows_of(history.by_customer, ids),
        changes=_rows_of(history.changes, ids),
        promises=_rows_of(history.promises, ids),
    )


# --- file names --------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w\-]+")


def pack_file_name(group: str) -> str:
    """`<name>-<8 hex>.xlsx`: the group made safe for any file system (letters, digits, CJK,
    '_' and '-' only; at most 40 characters), plus a stable hash of the exact name so two
    names that clean up alike ("A/B", "A_B", "a b") never share a file."""
    text = unicodedata.normalize("NFKC", group)
    safe = _UNSAFE.sub("_", text).strip("_-.")[:40].strip("_-.")
    if group == UNASSIGNED:
        safe = "unassigned"
    digest = hashlib.sha256(group.encode("utf-8")).hexdigest()[:8]
    return f"{safe or 'pack'}-{digest}.xlsx"


# --- writing -----------------------------------------------------------------------------------


def write_packs(result: Result, folder: Path) -> dict[str, Path]:
    """Write `folder/packs/` — one pack per group, each kept only once the gate passes.
    Returns group -> pack path ("" is the unassigned pack), for mailing. When the gate
    withheld a pack, the others are written and then `IsolationError` says which."""
    outcomes = [job.run() for job in pack_jobs(result, folder)]
    withheld = [o.withheld for o in outcomes if o.withheld is not None]
    if withheld:
        raise IsolationError(f"{withheld[0]['pack']}: withheld: {withheld[0]['where']} holds "
                             f"{withheld[0]['what']} {withheld[0]['value']!r}")  # fmt: skip
    return {o.group: o.path for o in outcomes}


def pack_jobs(result: Result, folder: Path) -> list[Job]:
    """One job per pack, for `write_outputs` to spread over processes. Each job cuts its own
    group's part of the Result (so that work is spread too) and returns (group, path,
    letters in the pack)."""
    key = result.config.packs.group_by
    target = Path(folder) / "packs"
    target.mkdir(parents=True, exist_ok=True)
    everyone = _identities([result])
    members = group_members(result, key)
    letters_due(result)  # here, once: each pack job (a forked worker) takes its share of it
    items = result.open_items["customer_id"].astype(str).value_counts()
    return [
        Job(f"pack {group}",
            functools.partial(_write_group_pack, result, group, ids, target, key, everyone),
            weight=workbook_weight(int(items.reindex(list(ids)).sum()), len(ids)))
        for group, ids in members.items()
    ]  # fmt: skip


def _write_group_pack(result: Result, group: str, ids: frozenset, target: Path, key: str,
                      everyone: tuple) -> PackOutcome:  # fmt: skip
    part = part_of(result, ids)
    share_letters(part, result, ids)  # the run's letters, worked out once in pack_jobs
    letters = len(letters_due(part))
    try:
        _, path = write_checked_pack(part, target, group, key, everyone)
    except IsolationError as exc:
        leak = exc.leak
        return PackOutcome(group, None, letters, {
            "pack": f"packs/{pack_file_name(group)}", "group": group, "group_by": key,
            "part": leak.part, "where": leak.place, "what": leak.what, "value": leak.value,
            "customer_id": leak.customer_id,
        })  # fmt: skip
    return PackOutcome(group, path, letters)


def workbook_weight(open_items: int, customers: int) -> float:
    """Rough seconds to write a workbook of this many items and customers (so the largest
    jobs start first)."""
    return 4e-5 * open_items + 2e-4 * customers


def write_checked_pack(part: Result, target: Path, group: str, key: str, everyone: tuple):
    """Write one pack and keep it only when no other group's customer is in it (else
    `IsolationError`, and nothing is left behind)."""
    everyone_ids, everyone_names = everyone
    path = target / pack_file_name(group)
    partial = path.with_name(f".{path.stem}.partial.xlsx")
    try:
        person_cells = write_pack(part, partial, group, key).person_cells
        own_ids, own_names = _identities([part])
        others = {n: i for n, i in everyone_names.items() if n not in own_names}
        check_isolation(partial, own_ids, everyone_ids - own_ids, others,
                        own_names=own_names, people=_people(part, group),
                        person_cells=person_cells)  # fmt: skip
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return group, path


def _identities(results: Iterable[Result]) -> tuple[set, dict]:
    """Every customer id the results hold (customers, items, worklist, issues), and every
    customer name with the id it belongs to."""
    ids: set[str] = set()
    names: dict[str, str] = {}
    for r in results:
        for frame, id_col, name_cols in (
            (r.customers, "customer_id", ("name",)),
            (r.open_items, "customer_id", ("customer_name",)),
            (r.worklist, "customer_id", ("name",)),
            (r.aging_by_customer, "customer_id", ("name",)),
            (r.issues, "customer_id", ()),
            (r.history.changes, "customer_id", ("name",)),
        ):
            if id_col not in frame.columns:
                continue
            ids |= _texts(frame[id_col])
            for col in name_cols:
                if col in frame.columns:
                    pairs = frame[[col, id_col]].dropna().astype(str)
                    pairs[col] = pairs[col].str.strip()
                    pairs = pairs[pairs[col].ne("")].drop_duplicates(col)
                    names.update({n: i for n, i in zip(pairs[col], pairs[id_col], strict=True)
                                  if n not in names})  # fmt: skip
    return ids, names


def _texts(series: pd.Series) -> set[str]:
    values = series.dropna().astype(str).str.strip()
    return set(values[values.ne("")])


def _people(part: Result, group: str) -> set[str]:
    """The people and regions this pack writes (its group, its customers' sales reps,
    managers and regions): a customer elsewhere may share one of their names."""
    found = {group}
    for frame in (part.customers, part.open_items, part.worklist):
        for column in GROUP_KEYS:
            if column in frame.columns:
                found |= _texts(frame[column])
    return found


class WrittenPack(NamedTuple):
    path: Path
    person_cells: tuple  # of PersonCells: where the pack writes people (for the gate)


def write_pack(result: Result, path: Path, group: str, key: str) -> WrittenPack:
    """Write one pack of an already filtered Result (see `split_by`) to `path`."""
    lang = result.config.output.lang
    as_of = result.as_of.isoformat()
    shown = group if group != UNASSIGNED else i18n.text("text.unassigned", lang)
    names = {k: sheet_name(k, lang) for k in PACK_SHEETS}
    book = Book(
        path,
        as_of=result.as_of,
        lang=lang,
        title=i18n.text("text.pack_title", lang, group=shown, as_of=as_of),
        subject=i18n.text("text.pack_subject", lang, as_of=as_of),
        # Small files; random access lets the contact log's input cells be styled afterwards.
        constant_memory=False,
        # ... but the open items stream: a customer with 200,000 of them would otherwise hold
        # 200,000 rows of cell objects in memory (1.4 GB) until the pack is saved
        streamed=(names["open_items"],),
    )
    with book:
        for k in PACK_SHEETS:
            book.sheet(names[k])
        ctx = _Ctx(result, lang, names, shown, key, letter_rows(result))
        _summary(book, ctx)
        _worklist(book, ctx)
        items = _open_items(book, ctx)
        _changes(book, ctx, items)
        _letters(book, ctx)
        _contact_log(book, ctx)
        # An accidental-edit guard, not security: no password. The contact log's input cells
        # are unlocked (see _inputs), and rows may be inserted there.
        for k in PACK_SHEETS:
            options = dict(_PROTECT, insert_rows=True) if k == "contact_log" else _PROTECT
            book.worksheet(names[k]).protect("", options)
    return WrittenPack(path, tuple(ctx.person_cells))


class _Ctx:
    def __init__(self, result: Result, lang: str, names: dict, group: str, key: str,
                 letters: pd.DataFrame) -> None:  # fmt: skip
        self.result = result
        self.letters = letters  # the register of this group's letters
        self.lang = lang
        self.names = names
        self.group = group
        self.key = key
        self.ccy = result.base_currency
        self.decimals = int(result.currency_decimals.get(self.ccy, 2))
        self.person_cells: list[PersonCells] = []  # where people are written (for the gate)

    def text(self, key: str, **fill) -> str:
        return i18n.text(key, self.lang, ccy=self.ccy, **fill)

    def col(self, source: str, header_key: str | None = None, kind: str = "text", **kw):
        if kind == "money" and "currency_col" not in kw:
            kw.setdefault("decimals", self.decimals)
        return ColumnSpec(source, self.text(header_key or f"col.{source}"), kind, **kw)

    def table(self, book: Book, sheet: str, frame: pd.DataFrame, columns, **kw) -> TableRange:
        kw.setdefault("currency_decimals", self.result.currency_decimals)
        table = write_table(book, self.names[sheet], frame, columns, **kw)
        for source in GROUP_KEYS:
            if source in table.columns and table.last_row >= table.first_row:
                self.person(table, source, table.first_row, table.last_row)
        return table

    def person(self, table: TableRange, source: str, first_row: int, last_row: int) -> None:
        """Cells of `table`'s column `source` that hold a person (or a region)."""
        self.person_cells.append(PersonCells(table.sheet, table.col(source), first_row, last_row))

    def heading(self, book: Book, sheet: str, note: str | None = None) -> None:
        """The sheet's name, whose pack it is and the as-of date; a note under it; a gap."""
        as_of = self.result.as_of.isoformat()
        by = self.text(f"col.{self.key}")
        text = f"{self.names[sheet]} · {self.text('text.pack_for', by=by, group=self.group)}"
        book.write_line(self.names[sheet], f"{text} · {self.text('text.as_of', as_of=as_of)}",
                        role="title")  # fmt: skip
        book.skip_rows(self.names[sheet])
        if note:
            book.write_line(self.names[sheet], note, role="note")
            book.skip_rows(self.names[sheet])


_FLAT = {"autofilter": False, "freeze": False, "print_titles": False}


# --- Summary -----------------------------------------------------------------------------------


def _summary(book: Book, ctx: _Ctx) -> None:
    result, name = ctx.result, ctx.names["summary"]
    ctx.heading(book, "summary")
    kpis, tones = _kpis(ctx)
    kpi_range = ctx.table(
        book, "summary", kpis,
        [ctx.col("kpi", max_width=40),
         ColumnSpec("value", ctx.text("col.kpi_value"), "mixed", kind_col="kind",
                    decimals=ctx.decimals)],
        title=ctx.text("text.key_figures"), row_tones=tones, totals=False, **_FLAT,
    )  # fmt: skip
    ctx.person(kpi_range, "value", kpi_range.first_row, kpi_range.first_row)  # the group

    links = pd.DataFrame({"sheet": [ctx.names[k] for k in PACK_SHEETS[1:]]})
    links["target"] = ["internal:'" + s.replace("'", "''") + "'!A1" for s in links["sheet"]]
    ctx.table(book, "summary", links,
              [ColumnSpec("sheet", ctx.text("col.go_to"), "link", link_col="target")],
              totals=False, **_FLAT)  # fmt: skip

    buckets = bucket_grade_table(result.open_items).reset_index(names="bucket")
    buckets["total"] = buckets[list(GRADES)].sum(axis=1)
    bucket_columns = [ctx.col("bucket")]
    bucket_columns += [ColumnSpec(g, grade_label(g, ctx.lang), "money", decimals=ctx.decimals)
                       for g in GRADES]  # fmt: skip
    bucket_columns.append(ctx.col("total", kind="money"))
    bucket_range = ctx.table(book, "summary", buckets, bucket_columns,
                             title=ctx.text("text.aging_by_grade"), **_FLAT)  # fmt: skip

    grades = grade_table(result.open_items, result.customers)
    grade_range = ctx.table(
        book, "summary", grades,
        [ctx.col("grade", kind="grade"), ctx.col("customers", kind="int"),
         ctx.col("open_base_minor", kind="money")],
        title=ctx.text("text.grade_mix"), **_FLAT,
    )  # fmt: skip

    top = result.customers.sort_values(
        ["open_base_minor", "customer_id"], ascending=[False, True], kind="stable"
    ).head(10)
    ctx.table(
        book, "summary", top,
        [ctx.col("name", max_width=40), ctx.col("customer_id"), ctx.col("grade", kind="grade"),
         ctx.col("open_base_minor", kind="money"), ctx.col("overdue_base_minor", kind="money")],
        title=ctx.text("text.top_debtors_pack"), **_FLAT,
    )  # fmt: skip
    _charts(book, ctx, kpi_range, bucket_range, grade_range)
    _trend(book, ctx)
    book.worksheet(name).fit_to_pages(1, 1)


def _kpis(ctx: _Ctx) -> tuple[pd.DataFrame, list]:
    """(label, value, kind) per key figure of this pack, and a tone per row."""
    r, s = ctx.result, ctx.result.summary
    rows: list[tuple[str, object, str, str | None]] = [
        (ctx.text(f"col.{ctx.key}"), ctx.group, "text", None),
        (ctx.text("kpi.as_of"), r.as_of, "date", None),
        (ctx.text("kpi.base_currency"), r.base_currency, "text", None),
        (ctx.text("kpi.open_base_minor"), s["total_open_base_minor"], "money", None),
        (ctx.text("kpi.overdue_base_minor"), s["overdue_base_minor"], "money", None),
        (ctx.text("kpi.overdue_share"), s["overdue_share"], "pct", None),
        (ctx.text("kpi.provision_base_minor"), s["provision_base_minor"], "money", None),
        (ctx.text("kpi.unapplied_credit_base_minor"), s["unapplied_credit_base_minor"], "money",
         None),
        (ctx.text("kpi.customers"), s["customers"], "int", None),
    ]  # fmt: skip
    for grade in GRADES:
        count = s["customers_by_grade"].get(grade, 0)
        if count:
            text = ctx.text("kpi.customers_by_grade", grade=grade_label(grade, ctx.lang))
            rows.append((text, count, "int", grade))
    rows += [
        (ctx.text("kpi.open_items"), s["open_items"], "int", None),
        (ctx.text("kpi.worklist"), len(r.worklist), "int", None),
        (ctx.text("kpi.letters"), len(ctx.letters), "int", None),
        (ctx.text("kpi.credit_holds"), len(r.credit_hold), "int",
         "error" if len(r.credit_hold) else None),
        (ctx.text("kpi.broken_promise_rows"), len(r.broken_promises), "int",
         "warn" if len(r.broken_promises) else None),
        (ctx.text("kpi.limitation_alert_items"), len(r.limitation_alerts), "int",
         "error" if len(r.limitation_alerts) else None),
    ]  # fmt: skip
    frame = pd.DataFrame([x[:3] for x in rows], columns=["kpi", "value", "kind"], dtype=object)
    return frame, [x[3] for x in rows]


def _charts(book: Book, ctx: _Ctx, kpis: TableRange, buckets: TableRange, grades: TableRange):
    """A column chart of the aging by bucket stacked by grade, and a doughnut of the grades."""
    workbook, name = book.workbook, ctx.names["summary"]
    column = workbook.add_chart({"type": "column", "subtype": "stacked"})
    for grade in GRADES:
        column.add_series(
            {
                "name": [name, buckets.header_row, buckets.col(grade)],
                "categories": column_ref(name, buckets, "bucket"),
                "values": column_ref(name, buckets, grade),
                "fill": {"color": TONES[grade]["bg_color"]},
                "border": {"color": TONES[grade]["font_color"], "width": 0.5},
                "gap": 60,
            }
        )
    column.set_title({"name": ctx.text("text.aging_by_grade"), "name_font": {"size": 11}})
    column.set_legend({"position": "bottom"})
    column.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    column.set_x_axis({"num_font": {"size": 9}})
    column.set_size({"width": 620, "height": 320})

    doughnut = grade_doughnut(workbook, ctx.text("text.grade_mix"), name, grades, 320)

    worksheet = book.worksheet(name)
    worksheet.insert_chart(kpis.header_row, 3, column, {"object_position": 3})
    worksheet.insert_chart(kpis.header_row, 3, doughnut, {"x_offset": 640, "object_position": 3})


# --- detail sheets -----------------------------------------------------------------------------


def _plan_values(ctx: _Ctx) -> dict:
    return {
        "strategy": i18n.coded("strategy", ctx.lang),
        "channel": i18n.coded("channel", ctx.lang),
        "letter": i18n.coded("letter", ctx.lang),
        "outcome": i18n.coded("outcome", ctx.lang),
    }


def _worklist(book: Book, ctx: _Ctx) -> None:
    """Rank order; what to do, when and why. The printed page stops at the reasons; the
    money behind the decision, how the customer pays and the factor contributions follow to the
    right."""
    frame = i18n.render_frame(ctx.result.worklist, ctx.lang).copy()
    if frame.empty:
        frame = pd.DataFrame(columns=[*_WORKLIST_SOURCES, *(f"factor_{f}" for f in FACTORS),
                                      *BEHAVIOUR_SHOWN])  # fmt: skip
    frame["position"] = range(1, len(frame) + 1)
    frame["credit_hold"] = frame["credit_hold"].map({True: ctx.text("text.yes")})
    frame["why"] = _why(frame, ctx)
    values = _plan_values(ctx)
    printed = [
        ctx.col("position", num_format="0", kind="int", total=False),
        ctx.col("rank", "col.world_rank", kind="int", num_format="0", total=False),
        ctx.col("customer_id"),
        ctx.col("name", max_width=32),
        ctx.col("grade", kind="grade"),
        ctx.col("priority_score", kind="number", num_format="0.0"),
        ctx.col("overdue_base_minor", kind="money"),
        ctx.col("max_days_overdue", kind="int", total=False),
        ctx.col("strategy", values=values["strategy"], tones={"hard": "warn"}),
        ctx.col("next_action", max_width=30, wrap=True),
        ctx.col("channel", "col.next_channel", values=values["channel"]),
        ctx.col("letter", values=values["letter"]),
        ctx.col("next_contact_date", kind="date"),
        ctx.col("window", max_width=16, wrap=True),
        ctx.col("credit_hold", tones={ctx.text("text.yes"): "error"}),
        ctx.col("hold_reason", max_width=30, wrap=True),
        ctx.col("broken_promises", kind="int", total=False),
        ctx.col("last_contact_date", kind="date"),
        ctx.col("last_channel", values=values["channel"]),
        ctx.col("last_outcome", values=values["outcome"]),
        ctx.col("held_reason", max_width=24, wrap=True),
        ctx.col("why", max_width=34, wrap=True),
    ]
    more = [
        *(c for c in behaviour_columns(ctx) if c.source in frame.columns),
        ctx.col("open_base_minor", kind="money"),
        ctx.col("expected_recovery_base_minor", kind="money"),
        ctx.col("action_cost_base_minor", kind="money"),
        ctx.col("recommendation", values={"settle": ctx.text("recommendation.settle")}),
    ]
    more += [
        ColumnSpec(f"factor_{f}", ctx.text("col.factor", factor=ctx.text(f"factor.{f}")),
                   "number", num_format="0.0")
        for f in FACTORS
    ]  # fmt: skip
    more += [ctx.col("sales_rep"), ctx.col("region")]
    ctx.heading(book, "worklist")
    table = ctx.table(book, "worklist", frame, printed + more, freeze_cols=4)
    last = table.totals_row if table.totals_row is not None else max(table.last_row, 0)
    book.worksheet(ctx.names["worklist"]).print_area(0, 0, last, len(printed) - 1)


def _why(frame: pd.DataFrame, ctx: _Ctx, top: int = 3) -> list[str]:
    """The biggest factor contributions, as "amount 20.8 · age 14.8 · grade 11.1"; payment
    behaviour named by its state ("Worsening 12.9")."""
    names = {f: ctx.text(f"factor.{f}") for f in FACTORS}
    points = frame[[f"factor_{f}" for f in FACTORS]].astype(float).fillna(0.0)
    states = frame["behaviour"] if "behaviour" in frame else pd.Series("", index=frame.index)
    out = []
    for row, state in zip(points.itertuples(index=False), states, strict=True):
        named = {**names, "behaviour": factor_name(ctx, state, names["behaviour"])}
        ranked = sorted(zip(FACTORS, row, strict=True), key=lambda fv: -fv[1])[:top]
        out.append(" · ".join(f"{named[f]} {v:.1f}" for f, v in ranked if v > 0))
    return out


_WORKLIST_SOURCES = (
    "rank", "customer_id", "name", "grade", "priority_score", "overdue_base_minor",
    "open_base_minor", "max_days_overdue", "strategy", "next_action", "channel", "letter",
    "next_contact_date", "window", "credit_hold", "hold_reason", "broken_promises",
    "last_contact_date", "last_channel", "last_outcome", "held_reason", "block_reason",
    "recommendation", "expected_recovery_base_minor", "action_cost_base_minor", "sales_rep",
    "region",
)  # fmt: skip


def _open_items(book: Book, ctx: _Ctx) -> TableRange:
    columns = open_item_columns(ctx, full=False)
    ctx.heading(book, "open_items")
    return ctx.table(book, "open_items", ctx.result.open_items, columns, freeze_cols=2)


def _changes(book: Book, ctx: _Ctx, items: TableRange) -> None:
    """What changed since last month for this group's customers (aging.render_history), each
    linked to the customer's first row on Open items."""
    history = ctx.result.history
    ctx.heading(book, "changes", " ".join(render_history.changes_note(history, ctx.text)))
    ids = ctx.result.open_items["customer_id"]
    targets = render_history.customer_targets(ctx.names["open_items"], items, ids)
    frame = history.changes
    if frame.empty:
        frame = pd.DataFrame(columns=list(CHANGE_COLUMNS))
    shown = render_history.changes_frame(frame, ctx.lang, ctx.text, targets)
    columns = render_history.changes_columns(ctx.text, ctx.decimals)
    ctx.table(book, "changes", shown, columns, freeze_cols=2)


def _trend(book: Book, ctx: _Ctx) -> None:
    """The group's customers' open and overdue, month-end by month-end, and a line chart."""
    trend = render_history.pack_trend(ctx.result.history.by_customer)
    if trend.empty:
        return
    name = ctx.names["summary"]
    title = ctx.text("text.trend_pack")
    table = ctx.table(
        book, "summary", trend,
        [ctx.col("month_end", kind="date"), ctx.col("open_base_minor", kind="money", total=False),
         ctx.col("overdue_base_minor", kind="money", total=False)],
        title=title, totals=False, **_FLAT,
    )  # fmt: skip
    chart = render_history.trend_line_chart(book, name, table, ctx.text, title)
    book.worksheet(name).insert_chart(table.header_row, 4, chart, {"object_position": 3})


def _letters(book: Book, ctx: _Ctx) -> None:
    """The letters written for this group's customers: the close workbook's register, filtered
    (the Result is already the group's), with the same columns."""
    ctx.heading(book, "letters")
    ctx.table(book, "letters", ctx.letters, letter_columns(ctx.text, ctx.lang, ctx.decimals),
              freeze_cols=2)  # fmt: skip


# --- Contact log -------------------------------------------------------------------------------


def _contact_log(book: Book, ctx: _Ctx) -> None:
    """One row per worklist customer, pre-filled; the input columns empty, unlocked and
    validated; spare rows below (every column unlocked) for further contacts."""
    worklist = i18n.render_frame(ctx.result.worklist, ctx.lang)
    source = worklist if not worklist.empty else pd.DataFrame(columns=list(_WORKLIST_SOURCES))
    filled = len(source)
    frame = pd.DataFrame(
        {
            "customer_id": [*source["customer_id"].astype(str), *[None] * SPARE_ROWS],
            "name": [*source["name"].astype(str), *[None] * SPARE_ROWS],
        }
    )
    for column in ("last_contact_date", "last_channel", "last_outcome", "next_action",
                   "next_contact_date"):  # fmt: skip
        frame[column] = pd.concat(
            [source[column], pd.Series([None] * SPARE_ROWS, dtype=source[column].dtype)],
            ignore_index=True,
        )
    for column in CONTACT_INPUTS:
        frame[column] = None
    values = _plan_values(ctx)
    columns = [
        ctx.col("customer_id"),
        ctx.col("name", max_width=36),
        ctx.col("last_contact_date", kind="date"),
        ctx.col("last_channel", values=values["channel"]),
        ctx.col("last_outcome", values=values["outcome"]),
        ctx.col("next_action", max_width=30, wrap=True),
        ctx.col("next_contact_date", kind="date"),
        ctx.col("contact_date", "contact.contact_date", kind="date", min_width=12),
        ctx.col("channel", "contact.channel", min_width=12),
        ctx.col("outcome", "contact.outcome", min_width=13),
        ctx.col("promise_date", "contact.promise_date", kind="date", min_width=12),
        ctx.col("promise_amount", "contact.promise_amount", kind="number",
                num_format=money_format(ctx.decimals), min_width=14),
        ctx.col("note", "contact.note", min_width=30),
        ctx.col("by", "contact.by", min_width=10),
    ]  # fmt: skip
    name = ctx.names["contact_log"]
    ctx.heading(book, "contact_log", note=ctx.text("text.contact_log_help"))
    table = ctx.table(book, "contact_log", frame, columns, totals=False, freeze_cols=2,
                      empty_text=" ")  # fmt: skip
    _inputs(book, ctx, name, table, filled)


def _inputs(book: Book, ctx: _Ctx, name: str, table: TableRange, filled: int) -> None:
    """Unlock and validate the input cells (the sheet is protected, these stay editable)."""
    ws = book.worksheet(name)
    first, last = table.first_row, table.last_row
    if last < first:
        return
    base = {"locked": False, "bg_color": _INPUT_FILL, "border": 1, "border_color": "#D9D9D9",
            "valign": "top"}  # fmt: skip
    formats = {
        "date": book.workbook.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"}),
        "amount": book.workbook.add_format({**base, "num_format": money_format(ctx.decimals)}),
        "text": book.workbook.add_format({**base, "indent": 1, "align": "left"}),
    }
    kinds = {"contact_date": "date", "promise_date": "date", "promise_amount": "amount"}
    spare_from = first + filled
    for source in (*CONTACT_INPUTS, "customer_id", "name"):
        col = table.col(source)
        fmt = formats[kinds.get(source, "text")]
        start = first if source in CONTACT_INPUTS else spare_from
        for row in range(start, last + 1):
            ws.write_blank(row, col, None, fmt)

    def validate(source: str, options: dict, start: int = first) -> None:
        col = table.col(source)
        if start <= last:
            ws.data_validation(start, col, last, col, options)

    # The words a user picks, in the run's language (电话, 未接通 …); next month's run reads them
    # back whichever language they were written in (aging.normalise.CODED_VALUES).
    keys = {"channel": CHANNELS, "outcome": OUTCOMES}
    for source, codes in keys.items():
        words = i18n.choices(source, ctx.lang)
        choices = [words.get(code, code) for code in codes]
        validate(source, {
            "validate": "list",
            "source": list(choices),
            "input_title": ctx.text(f"valid.{source}_title")[:32],
            "input_message": ctx.text(f"valid.{source}", keys=", ".join(choices))[:255],
            "error_title": ctx.text(f"valid.{source}_title")[:32],
            "error_message": ctx.text(f"valid.{source}", keys=", ".join(choices))[:255],
        })  # fmt: skip
    for source in ("contact_date", "promise_date"):
        validate(source, {
            "validate": "date",
            "criteria": "between",
            "minimum": date(2000, 1, 1),
            "maximum": date(2099, 12, 31),
            "error_message": ctx.text("valid.date"),
        })  # fmt: skip
    validate("promise_amount", {
        "validate": "decimal",
        "criteria": ">=",
        "value": 0,
        "error_message": ctx.text("valid.amount"),
    })  # fmt: skip
    if filled:  # a spare row names one of this pack's customers (a warning, not a stop)
        col = table.col("customer_id")
        letter = xl_col_to_name(col)
        validate("customer_id", {
            "validate": "list",
            "source": f"=${letter}${first + 1}:${letter}${first + filled}",
            "error_type": "warning",
            "error_message": ctx.text("valid.customer"),
        }, start=spare_from)  # fmt: skip
