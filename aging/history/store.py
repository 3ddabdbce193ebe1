"""The history store: every run's month-end snapshot, in SQLite or PostgreSQL (one schema).

In: a location — a file path (SQLite, `output/history.sqlite` by default) or a PostgreSQL URL
(`postgresql://user@host/db`) — and a finished `Result`. Out: `save` records the run's snapshot
(tables below, one `runs` row per entity and as-of date); `load` reads snapshots back as
DataFrames for the history stage. Raises `OutputError` when a month is already recorded and
not replaced (`--force`), `InputError` when the store cannot be opened or read.

Tables (money in integer minor units: the row's currency for `*_minor`, the base currency for
`*_base_minor`; dates as dates; grades by English key):
- runs: run_id, entity, as_of, recorded_at (UTC), base_currency, base_decimals, layout,
  reconciled, ledger_rows, open_items, total_open_base_minor, inputs (JSON: file, sheet,
  kind, layout, rows, sha256), config (JSON);
- open_items: run_id, customer_id, customer_name, doc_no, doc_type, doc_date, due_date,
  currency, amount_minor, open_minor, open_base_minor, days_overdue, bucket, grade,
  provision_base_minor, sales_rep, manager, region;
- customers: run_id, customer_id, name, sales_rep, manager, region, open_base_minor,
  overdue_base_minor, unapplied_credit_base_minor, provision_base_minor, grade,
  priority_score, rank, strategy, next_action, next_contact_date, credit_hold, broken_promises;
- control_totals: run_id, currency, line, label, amount_minor, rows, status;
- promises: run_id, customer_id, contact_date, promise_date, promise_minor, received_minor,
  verdict;
- monthly_flows: run_id, month_end, sales_base_minor, receipts_base_minor (per calendar month
  of the run's export).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from aging import i18n
from aging.config import config_rows
from aging.errors import InputError, OutputError

METADATA = sa.MetaData()


def _run_id() -> sa.Column:
    return sa.Column(
        "run_id", sa.Integer, sa.ForeignKey("runs.run_id", ondelete="CASCADE"), nullable=False,
        index=True,
    )  # fmt: skip


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text, nullable=False, default="")


def _money(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger, nullable=nullable)


RUNS = sa.Table(
    "runs", METADATA,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity", sa.String(200), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("base_currency", sa.String(3), nullable=False),
    sa.Column("base_decimals", sa.Integer, nullable=False),
    sa.Column("layout", sa.String(20), nullable=False),
    sa.Column("reconciled", sa.Boolean, nullable=False),
    sa.Column("ledger_rows", sa.Integer, nullable=False),
    sa.Column("open_items", sa.Integer, nullable=False),
    _money("total_open_base_minor"),
    _text("inputs"),
    _text("config"),
    sa.UniqueConstraint("entity", "as_of", name="runs_entity_as_of"),
)  # fmt: skip
OPEN_ITEMS = sa.Table(
    "open_items", METADATA, _run_id(),
    _text("customer_id"), _text("customer_name"), _text("doc_no"), _text("doc_type"),
    sa.Column("doc_date", sa.Date), sa.Column("due_date", sa.Date), _text("currency"),
    _money("amount_minor"), _money("open_minor"), _money("open_base_minor"),
    sa.Column("days_overdue", sa.Integer, nullable=False), _text("bucket"), _text("grade"),
    _money("provision_base_minor"), _text("sales_rep"), _text("manager"), _text("region"),
)  # fmt: skip
CUSTOMERS = sa.Table(
    "customers", METADATA, _run_id(),
    _text("customer_id"), _text("name"), _text("sales_rep"), _text("manager"), _text("region"),
    _money("open_base_minor"), _money("overdue_base_minor"),
    _money("unapplied_credit_base_minor"), _money("provision_base_minor"), _text("grade"),
    sa.Column("priority_score", sa.Float), sa.Column("rank", sa.Integer), _text("strategy"),
    _text("next_action"), sa.Column("next_contact_date", sa.Date),
    sa.Column("credit_hold", sa.Boolean), sa.Column("broken_promises", sa.Integer),
)  # fmt: skip
CONTROL_TOTALS = sa.Table(
    "control_totals", METADATA, _run_id(),
    _text("currency"), _text("line"), _text("label"), _money("amount_minor", nullable=True),
    sa.Column("rows", sa.Integer), _text("status"),
)  # fmt: skip
PROMISES = sa.Table(
    "promises", METADATA, _run_id(),
    _text("customer_id"), sa.Column("contact_date", sa.Date), sa.Column("promise_date", sa.Date),
    _money("promise_minor"), _money("received_minor"), _text("verdict"),
)  # fmt: skip
MONTHLY_FLOWS = sa.Table(
    "monthly_flows", METADATA, _run_id(),
    sa.Column("month_end", sa.Date, nullable=False), _money("sales_base_minor"),
    _money("receipts_base_minor"),
)  # fmt: skip
PARTS = {"open_items": OPEN_ITEMS, "customers": CUSTOMERS, "control_totals": CONTROL_TOTALS,
         "promises": PROMISES, "monthly_flows": MONTHLY_FLOWS}  # fmt: skip


def url_of(location: str | Path) -> str:
    """A PostgreSQL URL (psycopg driver) as given, or a file path as a SQLite URL."""
    text = str(location)
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme) :]
    if "://" in text:
        raise InputError("error.history_location", location=shown(text))
    return "sqlite:///" + str(Path(text).resolve())


def shown(location: str | Path) -> str:
    """The location for messages, without a password."""
    text = str(location)
    if "://" in text and "@" in text:
        head, tail = text.split("://", 1)
        user, host = tail.rsplit("@", 1)
        return f"{head}://{user.split(':', 1)[0]}@{host}"
    return text


class Store:
    """One history store, opened lazily; tables are created on first use."""

    def __init__(self, location: str | Path) -> None:
        self.location = location
        url = url_of(location)
        if url.startswith("sqlite:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url)
        try:
            METADATA.create_all(self.engine)
        except sa.exc.SQLAlchemyError as exc:
            raise InputError(
                "error.history_store", store=shown(location), reason=_reason(exc)
            ) from None

    def close(self) -> None:
        self.engine.dispose()

    def recorded(self, entity: str) -> list[date]:
        """The as-of dates this entity has snapshots for, oldest first."""
        query = sa.select(RUNS.c.as_of).where(RUNS.c.entity == entity).order_by(RUNS.c.as_of)
        with self._connect() as conn:
            return [_as_date(v) for v in conn.execute(query).scalars()]

    def save(self, snapshot: dict, *, replace: bool) -> bool:
        """Record a snapshot (`snapshot_of`). A month already recorded is replaced only with
        `replace`; returns False when it was kept."""
        run = snapshot["run"]
        with self._begin() as conn:
            old = conn.execute(
                sa.select(RUNS.c.run_id).where(
                    (RUNS.c.entity == run["entity"]) & (RUNS.c.as_of == run["as_of"])
                )
            ).scalar()
            if old is not None:
                if not replace:
                    return False
                for table in PARTS.values():  # children first: SQLite may not cascade
                    conn.execute(table.delete().where(table.c.run_id == old))
                conn.execute(RUNS.delete().where(RUNS.c.run_id == old))
            run_id = conn.execute(RUNS.insert().values(**run)).inserted_primary_key[0]
            for name, table in PARTS.items():
                _insert(conn, table, snapshot[name], run_id)
        return True

    def load(self, entity: str, dates: list[date], parts: tuple[str, ...]) -> dict:
        """as_of -> {"run": dict, part: DataFrame} for each recorded date among `dates`."""
        wanted = [pd.Timestamp(d).date() for d in dates]
        with self._connect() as conn:
            runs = (
                conn.execute(
                    sa.select(RUNS).where((RUNS.c.entity == entity) & RUNS.c.as_of.in_(wanted))
                )
                .mappings()
                .all()
            )
            out = {}
            for run in runs:
                found = {"run": dict(run)}
                for name in parts:
                    table = PARTS[name]
                    query = sa.select(table).where(table.c.run_id == run["run_id"])
                    found[name] = _frame(conn.execute(query), table)
                out[_as_date(run["as_of"])] = found
        return out

    def _connect(self):
        return _Guard(self, self.engine.connect)

    def _begin(self):
        return _Guard(self, self.engine.begin)


class _Guard:
    """A connection whose database errors become one line naming the store."""

    def __init__(self, store: Store, opener) -> None:
        self.store, self.opener, self.ctx = store, opener, None

    def __enter__(self):
        try:
            self.ctx = self.opener()
            return self.ctx.__enter__()
        except sa.exc.SQLAlchemyError as exc:
            raise InputError(
                "error.history_store", store=shown(self.store.location), reason=_reason(exc)
            ) from None

    def __exit__(self, kind, value, tb):
        try:
            self.ctx.__exit__(kind, value, tb)
        except sa.exc.SQLAlchemyError as exc:
            raise OutputError(
                "error.history_store", store=shown(self.store.location), reason=_reason(exc)
            ) from None
        if isinstance(value, sa.exc.SQLAlchemyError):
            raise OutputError(
                "error.history_store", store=shown(self.store.location), reason=_reason(value)
            ) from None
        return False


def _reason(exc: Exception) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _insert(conn, table: sa.Table, frame: pd.DataFrame, run_id: int) -> None:
    """All rows of a table in one executemany of the driver. (SQLAlchemy's own executemany
    spends ten times longer building a dict per row than the database spends storing it.)"""
    if frame is None or frame.empty:
        return
    iso = conn.dialect.name == "sqlite"  # SQLAlchemy's SQLite dates are ISO text
    columns = []
    for column in table.columns:
        if column.name == "run_id":
            columns.append([run_id] * len(frame))
            continue
        values = frame[column.name] if column.name in frame else pd.Series(None, index=frame.index)
        if isinstance(column.type, sa.Text) and not column.nullable:
            values = values.astype(object).where(values.notna(), "")
        if isinstance(column.type, sa.Text) and not column.nullable:
            values = values.astype(object).where(values.notna(), "")
        if isinstance(column.type, sa.Date):
            days = pd.to_datetime(values).dt.strftime("%Y-%m-%d") if iso else values
            values = days if iso else pd.to_datetime(values).dt.date
        values = values.astype(object)
        columns.append(values.where(values.notna(), None).tolist())
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(conn.dialect.identifier_preparer.quote(c.name) for c in table.columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _frame(result, table: sa.Table) -> pd.DataFrame:
    columns = [c.name for c in table.columns]
    frame = pd.DataFrame(result.fetchall(), columns=columns)
    for column in table.columns:
        if isinstance(column.type, sa.Date):
            frame[column.name] = pd.to_datetime(frame[column.name]).astype("datetime64[s]")
        elif isinstance(column.type, sa.BigInteger | sa.Integer) and not column.nullable:
            frame[column.name] = frame[column.name].astype("int64")
    return frame.drop(columns=["run_id"])


# --- the snapshot of a run --------------------------------------------------------------------


def snapshot_of(result, entity: str) -> dict:
    """What a run records: its metadata row and one frame per table (see the module doc)."""
    items = result.open_items
    history = result.history
    run = {
        "entity": entity,
        "as_of": result.as_of,
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_currency": result.base_currency,
        "base_decimals": int(result.currency_decimals.get(result.base_currency, 2)),
        "layout": history.layout,
        "reconciled": bool(result.reconciled),
        "ledger_rows": int(result.summary.get("ledger_rows", 0)),
        "open_items": len(items),
        "total_open_base_minor": int(items["open_base_minor"].sum()),
        "inputs": json.dumps(
            [{"file": t.file, "sheet": t.sheet, "kind": t.kind, "layout": t.layout,
              "rows": t.rows, "sha256": result.input_checksums.get(t.file, "")}
             for t in result.inputs], ensure_ascii=False),
        "config": json.dumps({k: v for k, v, _ in config_rows(result.config)},
                             ensure_ascii=False),
    }  # fmt: skip
    open_items = items.assign(bucket=items["bucket"].astype(str), grade=items["grade"].astype(str))
    customers = result.customers.assign(
        grade=result.customers["grade"].astype(str),
        next_contact_date=pd.to_datetime(result.customers["next_contact_date"]),
        credit_hold=result.customers["credit_hold"].astype("boolean"),
    )
    controls = result.reconciliation.assign(label=result.reconciliation["label"].fillna(""))
    lang = result.config.output.lang
    customers, controls = _as_text(customers, lang), _as_text(controls, lang)
    promises, flows = history.promises, history.flows
    return {"run": run, "open_items": open_items, "customers": customers,
            "control_totals": controls, "promises": promises, "monthly_flows": flows}  # fmt: skip


def _as_text(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Messages (the plan's next action, a reconciliation note) as the run's words."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = i18n.render_column(out[column], lang)
    return out
