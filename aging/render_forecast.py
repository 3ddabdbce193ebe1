"""Payment behaviour in the workbooks: the Forecast sheet, and the behaviour and expected-date
columns the close workbook and the packs show.

In: a finished `Result` (its `cash_forecast`, `cash_forecast_months`, `cash_not_expected`, the
customers' BEHAVIOUR_COLUMNS and the open items' EXPECTED_COLUMNS, all from aging.behaviour)
and the renderer's context (`text`, `col`, `table`, `heading`, `names`, `major`). Out: sheets
and columns written through `aging.xlsx_table`. Computes no figure: the chart's "overdue, not
expected" bar adds up rows of `cash_not_expected`, as the Summary's bucket chart adds up
buckets.

The Forecast sheet: the weeks (from the day after the as-of date) with their expected amounts
and a live total; the same by calendar month; what is not expected within the weeks, overdue
first, by reason; and a native column chart: one bar a week, and the overdue amount not
expected within the weeks as a red bar of its own at the end.
"""

from __future__ import annotations

import pandas as pd

from aging import i18n
from aging.xlsx_table import ColumnSpec, column_ref

STATES = ("no_history", "on_time", "habitually_late", "worsening")
REASONS = ("later", "dead", "lawsuit", "beyond_history", "no_history", "due_date", "disputed",
           "held")  # fmt: skip
EXPECTED_COLOUR = "#2E75B6"
OVERDUE_COLOUR = "#C0504D"  # as the Summary's charts


def expected_columns(ctx) -> list[ColumnSpec]:
    """Open items: the expected payment date and, where it is missing or hedged, why."""
    reasons = {r: ctx.text(f"expected.{r}") for r in REASONS}
    return [
        ctx.col("expected_pay_date", kind="date"),
        ctx.col("expected_reason", values=reasons, max_width=30, wrap=True),
    ]


def behaviour_columns(ctx) -> list[ColumnSpec]:
    """A customer's payment behaviour: state, averages, on-time share, trend, invoices."""
    states = {s: ctx.text(f"behaviour.{s}") for s in STATES}
    tones = {"worsening": "error", "habitually_late": "warn"}
    return [
        ctx.col("behaviour", values=states, tones=tones),
        ctx.col("paid_invoices", kind="int", total=False),
        ctx.col("avg_days_to_pay", kind="number", num_format="0.0"),
        ctx.col("avg_days_late", kind="number", num_format="0.0"),
        ctx.col("on_time_share", kind="pct"),
        ctx.col("trend_days", kind="number", num_format="+0.0;-0.0;0.0"),
    ]


def behaviour_detail(ctx, frame: pd.DataFrame) -> list[str]:
    """One line per customer saying what its behaviour state rests on ("Worsening: 86 days
    overdue; usually at most 3 days late")."""
    out = []
    for row in frame.itertuples(index=False):
        state = getattr(row, "behaviour", "")
        if not isinstance(state, str) or state not in STATES:
            out.append("")
            continue
        key = "trend" if getattr(row, "behaviour_reason", "") == "trend" else state
        detail = ctx.text(
            f"behaviour_detail.{key}",
            paid=int(getattr(row, "paid_invoices", 0) or 0),
            late=_whole(getattr(row, "avg_days_late", None)),
            usual=_whole(max(_number(getattr(row, "usual_days_late", 0)), 0)),
            days=_whole(getattr(row, "max_days_overdue", None)),
            on_time=i18n.percent(_number(getattr(row, "on_time_share", 0)), ctx.lang),
            trend=_whole(getattr(row, "trend_days", None)),
        )
        out.append(f"{ctx.text(f'behaviour.{state}')}: {detail}")
    return out


def _number(value) -> float:
    return 0.0 if value is None or value != value else float(value)


def _whole(value):
    """Whole days for the catalogue to format ("-" when unknown)."""
    if value is None or value != value:
        return "-"
    return int(round(float(value)))


def factor_name(ctx, state, default: str) -> str:
    """The behaviour factor named by the state that earned its points (Why columns)."""
    if state in ("habitually_late", "worsening"):
        return ctx.text(f"behaviour.{state}")
    return default


# --- the Forecast sheet ---------------------------------------------------------------------


def forecast_sheet(book, ctx) -> None:
    result = ctx.result
    weeks = len(result.cash_forecast)
    as_of = result.as_of.isoformat()
    ctx.heading(book, "forecast", ctx.text("text.forecast_note", weeks=weeks, as_of=as_of))
    flat = {"autofilter": False, "freeze": False, "print_titles": False}
    weekly = ctx.table(
        book,
        "forecast",
        _frame(
            result.cash_forecast, ("week", "week_start", "week_end", "items", "expected_base_minor")
        ),  # fmt: skip
        [
            ctx.col("week", kind="int", num_format="0", total=False),
            ctx.col("week_start", kind="date"),
            ctx.col("week_end", kind="date"),
            ctx.col("items", kind="int", total=True),
            ctx.col("expected_base_minor", kind="money"),
        ],
        title=ctx.text("text.expected_within", weeks=weeks),
        **flat,
    )
    ctx.table(
        book,
        "forecast",
        _frame(result.cash_forecast_months, ("month", "items", "expected_base_minor")),
        [
            ctx.col("month", kind="date", num_format="yyyy-mm"),
            ctx.col("items", kind="int", total=True),
            ctx.col("expected_base_minor", kind="money"),
        ],
        title=ctx.text("text.forecast_months"),
        **flat,
    )
    outside = _frame(result.cash_not_expected, ("overdue", "reason", "items", "open_base_minor"))
    outside = outside.assign(
        overdue_now=outside["overdue"].map({True: "yes", False: "no"}).fillna("no")
    )
    yes_no = {"yes": ctx.text("text.yes"), "no": ctx.text("text.no")}
    ctx.table(
        book,
        "forecast",
        outside,
        [
            ctx.col("overdue_now", values=yes_no, tones={"yes": "warn"}),
            ctx.col(
                "reason",
                "not_expected",
                values={r: ctx.text(f"expected.{r}") for r in REASONS},
                max_width=48,
            ),
            ctx.col("items", kind="int", total=True),
            ctx.col("open_base_minor", kind="money"),
        ],  # fmt: skip
        title=ctx.text("text.not_expected", weeks=weeks),
        **flat,
    )
    bars = _chart_rows(ctx, result, weeks)
    chart_table = ctx.table(
        book,
        "forecast",
        bars,
        [
            ctx.col("label", "week_start"),
            ColumnSpec(
                "expected",
                ctx.text("text.expected_within", weeks=weeks),
                "money",
                decimals=ctx.base_decimals,
            ),
            ColumnSpec(
                "overdue_outside",
                ctx.text("text.overdue_outside", weeks=weeks),
                "money",
                decimals=ctx.base_decimals,
            ),
        ],  # fmt: skip
        title=ctx.text("text.forecast_chart"),
        totals=False,
        **flat,
    )
    _chart(book, ctx, bars, chart_table, weekly, weeks)


def _frame(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """The result's table, or an empty one with its columns (a run without a forecast)."""
    if frame.empty:
        return frame.reindex(columns=list(columns))
    return frame


def _chart_rows(ctx, result, weeks: int) -> pd.DataFrame:
    """The chart's bars: one per week (labelled by its first day), then the overdue amount not
    expected within the weeks."""
    weekly = result.cash_forecast
    labels = [d.strftime("%m-%d") for d in pd.to_datetime(weekly.get("week_start", []))]
    outside = result.cash_not_expected
    overdue = 0
    if not outside.empty:
        overdue = int(outside.loc[outside["overdue"].astype(bool), "open_base_minor"].sum())
    amounts = [int(v) for v in weekly.get("expected_base_minor", [])]
    return pd.DataFrame(
        {
            "label": [*labels, ctx.text("text.overdue_later")],
            "expected": pd.array([*amounts, None], dtype="Int64"),
            "overdue_outside": pd.array([*([None] * len(amounts)), overdue], dtype="Int64"),
        }
    )


def _chart(book, ctx, bars: pd.DataFrame, table, beside, weeks: int) -> None:
    """Stacked columns so each category shows its one bar: blue weeks, the red overdue bar."""
    if not table.rows_written:
        return
    name = ctx.names["forecast"]
    chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
    labels = bars["label"].astype(str).tolist()
    for source, colour, title in (
        ("expected", EXPECTED_COLOUR, ctx.text("text.expected_within", weeks=weeks)),
        ("overdue_outside", OVERDUE_COLOUR, ctx.text("text.overdue_outside", weeks=weeks)),
    ):
        values = bars[source]
        chart.add_series(
            {
                "name": title,
                "categories": column_ref(name, table, "label"),
                "values": column_ref(name, table, source),
                "categories_data": labels,
                "values_data": [
                    None if pd.isna(v) else m
                    for v, m in zip(values, ctx.major(values.fillna(0)), strict=True)
                ],
                "fill": {"color": colour},
                "gap": 40,
            }
        )
    chart.set_title({"name": ctx.text("text.forecast_chart"), "name_font": {"size": 11}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45}})
    chart.set_size({"width": 720, "height": 340})
    book.worksheet(name).insert_chart(beside.header_row, 6, chart, {"object_position": 3})
