"""PNG charts of a run, and the display sums the charts (PNG and native Excel) are drawn from.

In: a finished `Result`. Out: `charts/*.png` — receivables by age bucket stacked by grade, the
grade mix, the top-20 debtors, overdue by sales rep and overdue by region — and `ChartRun`,
saying which font drew them. Raises nothing of its own; an unwritable folder surfaces as
matplotlib's OSError for the caller to turn into an OutputError.

No figure is computed here: the tables below only add up amounts the result already holds
(open balance per bucket and grade, per sales rep …), as render_close does for its chart.
Rendering uses matplotlib's Agg canvas directly (no pyplot: no global figure registry to leak,
no GUI backend), one Figure reused for every chart. Output is deterministic — a fixed size and
dpi, and no "Software" or date metadata in the PNG — so the same result gives the same bytes.

Chinese text needs a CJK font: the first of `CJK_FAMILIES` that matplotlib knows is used
(Noto Sans CJK on Debian/Ubuntu via `fonts-noto-cjk`, Microsoft YaHei / SimHei on Windows,
PingFang on macOS). Without one the charts are still written, in DejaVu Sans, and say so in
small print, since Chinese names would show as boxes.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from aging import i18n
from aging.i18n import grade_label
from aging.model import GRADES, Result
from aging.render_history import CEI_COLOUR, DSO_COLOUR, bucket_colour, bucket_columns
from aging.xlsx_table import TONES, display_width

# Preferred first; all render Simplified Chinese.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Droid Sans Fallback",
    "Noto Serif CJK SC",
)
LATIN_FALLBACK = "DejaVu Sans"  # ships with matplotlib
DPI = 100
SIZE = (10.0, 5.6)  # inches: 1000 x 560 pixels
TOP_DEBTORS = 20
CHART_FILES = (
    "aging_by_bucket.png",
    "grade_mix.png",
    "top_debtors.png",
    "overdue_by_rep.png",
    "overdue_by_region.png",
    "trend_by_bucket.png",
    "trend_dso_cei.png",
)
GRADE_COLOURS = {g: TONES[g]["bg_color"] for g in GRADES}
GRADE_EDGES = {g: TONES[g]["font_color"] for g in GRADES}
_OVERDUE_COLOUR = "#C0504D"
_NOT_DUE_COLOUR = "#9DC3E6"
_TEXT = "#262626"
_MUTED = "#595959"


@dataclass(frozen=True)
class ChartRun:
    files: tuple  # of Path, in CHART_FILES order
    font: str  # the family that drew them
    cjk: bool  # False: no CJK font was found, Chinese may show as boxes


# --- display sums (shared with the packs' native charts) ---------------------------------


def bucket_grade_table(open_items: pd.DataFrame) -> pd.DataFrame:
    """Open balance (minor units) per age bucket (rows, in bucket order) and grade (columns)."""
    grades = open_items["grade"].astype(pd.CategoricalDtype(list(GRADES), ordered=True))
    table = open_items.pivot_table(
        index="bucket",
        columns=grades,
        values="open_base_minor",
        aggfunc="sum",
        observed=False,
        fill_value=0,
    )
    table = table.reindex(columns=list(GRADES), fill_value=0).astype("int64")
    table.index = [str(b) for b in table.index]
    table.columns = [str(c) for c in table.columns]
    return table


def grade_table(open_items: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Per grade: customers (by their customer grade) and open balance (by item grade)."""
    counts = customers["grade"].astype(str).value_counts()
    amounts = open_items.groupby(open_items["grade"].astype(str))["open_base_minor"].sum()
    return pd.DataFrame(
        {
            "grade": list(GRADES),
            "customers": [int(counts.get(g, 0)) for g in GRADES],
            "open_base_minor": [int(amounts.get(g, 0)) for g in GRADES],
        }
    )


def top_debtors(customers: pd.DataFrame, n: int = TOP_DEBTORS) -> pd.DataFrame:
    """The n largest open balances, with the overdue part and what is not yet due."""
    ordered = customers.sort_values(
        ["open_base_minor", "customer_id"], ascending=[False, True], kind="stable"
    )
    top = ordered[ordered["open_base_minor"] > 0].head(n)
    return pd.DataFrame(
        {
            "customer_id": top["customer_id"].astype(str).to_numpy(),
            "name": top["name"].astype(str).to_numpy(),
            "overdue_base_minor": top["overdue_base_minor"].astype("int64").to_numpy(),
            "not_due_base_minor": (top["open_base_minor"] - top["overdue_base_minor"])
            .clip(lower=0)
            .astype("int64")
            .to_numpy(),
        }
    )


def overdue_by(open_items: pd.DataFrame, column: str) -> pd.DataFrame:
    """Overdue balance (items 1 day or more overdue) per value of `column` (rows, largest
    first) and grade (columns); a blank value is its own row, ""."""
    overdue = open_items[open_items["days_overdue"] >= 1]
    keys = overdue[column].fillna("").astype(str).str.strip()
    grades = overdue["grade"].astype(pd.CategoricalDtype(list(GRADES), ordered=True))
    table = overdue.pivot_table(
        index=keys,
        columns=grades,
        values="open_base_minor",
        aggfunc="sum",
        observed=False,
        fill_value=0,
    )
    table = table.reindex(columns=list(GRADES), fill_value=0).astype("int64")
    table.columns = [str(c) for c in table.columns]
    order = sorted(table.index, key=lambda k: (-int(table.loc[k].sum()), k))
    return table.loc[order]


# --- fonts ---------------------------------------------------------------------------------


@functools.cache
def chart_font() -> str | None:
    """The CJK font family to draw with, or None when the machine has none."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    found = next((f for f in CJK_FAMILIES if f in known), None)
    if found is None:
        # Fonts installed after matplotlib built its font cache are not in it: look once.
        for path in font_manager.findSystemFonts():
            name = Path(path).name.lower()
            if any(w in name for w in ("cjk", "wqy", "sourcehan", "yahei", "simhei", "pingfang")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
        found = next((f for f in CJK_FAMILIES if f in known), None)
    return found


# --- writing -------------------------------------------------------------------------------


def write_charts(result: Result, folder: Path) -> ChartRun:
    """Write every chart into `folder/charts/`; returns the files and the font used."""
    target = Path(folder) / "charts"
    target.mkdir(parents=True, exist_ok=True)
    font = chart_font()
    ctx = _Ctx(result, font)
    rc = {
        "font.family": [font, LATIN_FALLBACK] if font else [LATIN_FALLBACK],
        "font.size": 10,
        "axes.unicode_minus": False,  # CJK fonts lack U+2212
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#A6A6A6",
        "axes.titlelocation": "left",
        "text.color": _TEXT,
        "xtick.color": _MUTED,
        "ytick.color": _MUTED,
    }
    figure = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    files = []
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        if font is None:  # said once on the chart instead of once per missing glyph
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        for name, draw in _CHARTS:
            figure.clear()
            draw(figure, ctx)
            if font is None:
                figure.text(0.99, 0.01, ctx.text("chart.no_cjk_font"), ha="right", va="bottom",
                            fontsize=7, color=_MUTED)  # fmt: skip
            path = target / name
            figure.savefig(path, dpi=DPI, format="png", metadata={"Software": None})
            files.append(path)
    figure.clear()
    return ChartRun(files=tuple(files), font=font or LATIN_FALLBACK, cjk=font is not None)


class _Ctx:
    def __init__(self, result: Result, font: str | None) -> None:
        self.result = result
        self.lang = result.config.output.lang
        self.ccy = result.base_currency
        self.unit = 10 ** int(result.currency_decimals.get(self.ccy, 2)) * 1000  # thousands
        self.font = font

    def text(self, key: str, **fill) -> str:
        return i18n.text(key, self.lang, ccy=self.ccy, **fill)

    def grade(self, grade: str) -> str:
        return grade_label(grade, self.lang)

    def thousands(self, minor) -> np.ndarray:
        return np.asarray(minor, dtype=float) / self.unit

    def title(self, figure: Figure, key: str, **fill) -> None:
        """Title and subtitle at the figure's top left, the same place on every chart."""
        figure.text(0.012, 0.975, self.text(key, **fill), fontsize=14, fontweight="bold",
                    va="top")  # fmt: skip
        as_of = self.text("chart.as_of", as_of=self.result.as_of.isoformat())
        figure.text(0.012, 0.915, f"{as_of} · {self.text('chart.amount')}", fontsize=9,
                    color=_MUTED, va="top")  # fmt: skip


def _layout(figure: Figure, labels: list[str] | None = None, size: float = 10.0) -> None:
    """Fixed margins, the left one wide enough for the category labels of a bar chart.
    (tight_layout would draw every chart twice to measure it: a third of the time.)"""
    left = 0.075
    if labels:
        # About half an em per display column (a CJK character is two columns, one em).
        widest = max((display_width(t) for t in labels), default=0)
        left = min(0.45, (widest * 0.55 * size * DPI / 72 + 14) / (SIZE[0] * DPI))
    figure.subplots_adjust(left=left, right=0.975, top=0.85, bottom=0.09)


def _amount_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def _nothing(figure: Figure, ctx: _Ctx, key: str, **fill) -> None:
    axes = figure.add_subplot()
    axes.set_axis_off()
    ctx.title(figure, key, **fill)
    axes.text(0.5, 0.5, ctx.text("chart.nothing"), ha="center", va="center", color=_MUTED,
              fontsize=12, transform=axes.transAxes)  # fmt: skip


def _legend(axes, **kw) -> None:
    axes.legend(frameon=False, fontsize=9, **kw)


def _draw_aging(figure: Figure, ctx: _Ctx) -> None:
    table = bucket_grade_table(ctx.result.open_items)
    if table.to_numpy().sum() == 0:
        return _nothing(figure, ctx, "chart.aging_by_bucket")
    axes = figure.add_subplot()
    x = np.arange(len(table.index))
    bottom = np.zeros(len(table.index))
    for grade in GRADES:
        values = ctx.thousands(table[grade].to_numpy())
        if values.any():
            axes.bar(x, values, 0.7, bottom=bottom, color=GRADE_COLOURS[grade],
                     edgecolor=GRADE_EDGES[grade], linewidth=0.6,
                     label=ctx.grade(grade))  # fmt: skip
            bottom += values
    for xi, total in zip(x, bottom, strict=True):
        if total > 0:
            axes.annotate(f"{total:,.0f}", (xi, total), xytext=(0, 3),
                          textcoords="offset points", ha="center", fontsize=8.5)  # fmt: skip
    axes.set_xticks(x, table.index)
    axes.set_ylim(0, bottom.max() * 1.1)
    _amount_axis(axes.yaxis)
    axes.grid(axis="y", color="#E7E6E6", linewidth=0.8)
    axes.set_axisbelow(True)
    ctx.title(figure, "chart.aging_by_bucket")
    _legend(axes, loc="upper right")
    _layout(figure)


def _draw_grade_mix(figure: Figure, ctx: _Ctx) -> None:
    table = grade_table(ctx.result.open_items, ctx.result.customers)
    shown = table[table["open_base_minor"] > 0]
    if shown.empty:
        return _nothing(figure, ctx, "chart.grade_mix")
    axes = figure.add_subplot()
    values = ctx.thousands(shown["open_base_minor"])
    total = values.sum()
    wedges, _ = axes.pie(
        values,
        colors=[GRADE_COLOURS[g] for g in shown["grade"]],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.42, "edgecolor": "white", "linewidth": 1.5},
    )
    for wedge, grade, value in zip(wedges, shown["grade"], values, strict=True):
        if value / total < 0.03:
            continue
        angle = np.deg2rad((wedge.theta1 + wedge.theta2) / 2)
        axes.text(0.79 * np.cos(angle), 0.79 * np.sin(angle), f"{value / total:.0%}",
                  ha="center", va="center", fontsize=9, color=GRADE_EDGES[grade],
                  fontweight="bold")  # fmt: skip
    axes.text(0, 0.06, f"{total:,.0f}", ha="center", va="center", fontsize=14,
              fontweight="bold")  # fmt: skip
    customers = int(table["customers"].sum())
    axes.text(0, -0.12, ctx.text("chart.customers", n=customers), ha="center", va="center",
              fontsize=9, color=_MUTED)  # fmt: skip
    legend = [
        f"{ctx.grade(g)}  {v:,.0f}  ({ctx.text('chart.customers', n=int(n))})"
        for g, v, n in zip(shown["grade"], values, shown["customers"], strict=True)
    ]
    axes.legend(wedges, legend, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False,
                fontsize=9.5)  # fmt: skip
    axes.set_aspect("equal")
    ctx.title(figure, "chart.grade_mix")
    figure.subplots_adjust(left=0.02, right=0.98, top=0.86, bottom=0.03)


def _draw_top_debtors(figure: Figure, ctx: _Ctx) -> None:
    top = top_debtors(ctx.result.customers)
    if top.empty:
        return _nothing(figure, ctx, "chart.top_debtors", n=TOP_DEBTORS)
    axes = figure.add_subplot()
    names = _unique_names(top)
    y = np.arange(len(top))[::-1]  # largest at the top
    overdue = ctx.thousands(top["overdue_base_minor"])
    not_due = ctx.thousands(top["not_due_base_minor"])
    axes.barh(y, overdue, 0.7, color=_OVERDUE_COLOUR, label=ctx.text("chart.overdue"))
    axes.barh(y, not_due, 0.7, left=overdue, color=_NOT_DUE_COLOUR,
              label=ctx.text("chart.not_yet_due"))  # fmt: skip
    for yi, total in zip(y, overdue + not_due, strict=True):
        axes.annotate(f"{total:,.0f}", (total, yi), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=8)  # fmt: skip
    axes.set_yticks(y, names, fontsize=8.5)

    _amount_axis(axes.xaxis)
    axes.grid(axis="x", color="#E7E6E6", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.set_xlim(0, float((overdue + not_due).max()) * 1.1)
    axes.margins(y=0.01)
    ctx.title(figure, "chart.top_debtors", n=len(top))
    _legend(axes, loc="lower right")
    _layout(figure, names, 8.5)


def _unique_names(top: pd.DataFrame) -> list[str]:
    """Customer names for the axis; a name two customers share gets their ids."""
    names = [n if n else i for n, i in zip(top["name"], top["customer_id"], strict=True)]
    counts = pd.Series(names).value_counts()
    return [
        f"{n} ({i})" if counts[n] > 1 else _shorten(n)
        for n, i in zip(names, top["customer_id"], strict=True)
    ]


def _shorten(name: str, width: int = 44) -> str:
    """At most `width` display columns (a CJK character counts two)."""
    if display_width(name) <= width:
        return name
    out = ""
    for ch in name:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _draw_overdue_by(column: str, key: str) -> Callable[[Figure, _Ctx], None]:
    def draw(figure: Figure, ctx: _Ctx) -> None:
        table = overdue_by(ctx.result.open_items, column)
        if table.empty or table.to_numpy().sum() == 0:
            return _nothing(figure, ctx, key)
        axes = figure.add_subplot()
        y = np.arange(len(table.index))[::-1]
        left = np.zeros(len(table.index))
        for grade in GRADES:
            values = ctx.thousands(table[grade].to_numpy())
            if values.any():
                axes.barh(y, values, 0.65, left=left, color=GRADE_COLOURS[grade],
                          edgecolor=GRADE_EDGES[grade], linewidth=0.6,
                          label=ctx.grade(grade))  # fmt: skip
                left += values
        for yi, total in zip(y, left, strict=True):
            axes.annotate(f"{total:,.0f}", (total, yi), xytext=(3, 0),
                          textcoords="offset points", va="center", fontsize=8.5)  # fmt: skip
        names = [k if k else ctx.text("chart.none") for k in table.index]
        axes.set_yticks(y, names)
        axes.set_xlim(0, left.max() * 1.1)
        _amount_axis(axes.xaxis)
        axes.grid(axis="x", color="#E7E6E6", linewidth=0.8)
        axes.set_axisbelow(True)
        ctx.title(figure, key)
        _legend(axes, loc="lower right")
        _layout(figure, names)

    return draw


def _draw_trend_buckets(figure: Figure, ctx: _Ctx) -> None:
    """The history's month-ends: open balance stacked by age bucket (as the Trends sheet)."""
    monthly = ctx.result.history.monthly
    if monthly.empty:
        return _nothing(figure, ctx, "chart.trend_by_bucket")
    axes = figure.add_subplot()
    x = np.arange(len(monthly))
    bottom = np.zeros(len(monthly))
    for i, bucket in enumerate(bucket_columns(monthly)):
        values = ctx.thousands(monthly[bucket].to_numpy())
        axes.bar(x, values, 0.7, bottom=bottom, color=bucket_colour(i), edgecolor="#7F7F7F",
                 linewidth=0.4, label=bucket)  # fmt: skip
        bottom += values
    axes.set_xticks(x, _months(monthly), fontsize=8.5)
    axes.set_ylim(0, max(bottom.max(), 1) * 1.1)
    _amount_axis(axes.yaxis)
    axes.grid(axis="y", color="#E7E6E6", linewidth=0.8)
    axes.set_axisbelow(True)
    ctx.title(figure, "chart.trend_by_bucket")
    handles, labels = axes.get_legend_handles_labels()
    axes.legend(handles[::-1], labels[::-1], frameon=False, fontsize=8.5, loc="upper left",
                bbox_to_anchor=(1.0, 1.0))  # fmt: skip
    figure.subplots_adjust(left=0.075, right=0.87, top=0.85, bottom=0.09)


def _draw_trend_dso_cei(figure: Figure, ctx: _Ctx) -> None:
    """Countback DSO (days, left axis) and CEI (%, right axis), month by month."""
    monthly = ctx.result.history.monthly
    if monthly.empty:
        return _nothing(figure, ctx, "chart.trend_dso_cei")
    axes = figure.add_subplot()
    x = np.arange(len(monthly))
    dso = pd.to_numeric(monthly["dso_countback"], errors="coerce").to_numpy(dtype=float)
    cei = pd.to_numeric(monthly["cei"], errors="coerce").to_numpy(dtype=float)
    axes.plot(x, dso, color=DSO_COLOUR, marker="o", linewidth=2, label=ctx.text("chart.dso"))
    axes.set_ylim(0, max(np.nanmax(dso) if np.isfinite(dso).any() else 0, 1) * 1.15)
    axes.set_ylabel(ctx.text("chart.dso"), color=DSO_COLOUR)
    right = axes.twinx()
    right.plot(x, cei, color=CEI_COLOUR, marker="s", linewidth=2, linestyle="--",
               label=ctx.text("chart.cei"))  # fmt: skip
    right.set_ylim(0, 100)
    right.set_ylabel(ctx.text("chart.cei"), color=CEI_COLOUR)
    right.spines["right"].set_visible(True)
    axes.set_xticks(x, _months(monthly), fontsize=8.5)
    axes.grid(axis="y", color="#E7E6E6", linewidth=0.8)
    axes.set_axisbelow(True)
    lines = axes.get_lines() + right.get_lines()
    axes.legend(lines, [line.get_label() for line in lines], frameon=False, fontsize=9,
                loc="lower left")  # fmt: skip
    figure.text(0.012, 0.975, ctx.text("chart.trend_dso_cei"), fontsize=14, fontweight="bold",
                va="top")  # fmt: skip
    as_of = ctx.text("chart.as_of", as_of=ctx.result.as_of.isoformat())
    figure.text(0.012, 0.915, as_of, fontsize=9, color=_MUTED, va="top")
    figure.subplots_adjust(left=0.075, right=0.92, top=0.85, bottom=0.09)


def _months(monthly: pd.DataFrame) -> list[str]:
    return [pd.Timestamp(m).strftime("%Y-%m") for m in monthly["month_end"]]


_CHARTS = (
    ("aging_by_bucket.png", _draw_aging),
    ("grade_mix.png", _draw_grade_mix),
    ("top_debtors.png", _draw_top_debtors),
    ("overdue_by_rep.png", _draw_overdue_by("sales_rep", "chart.overdue_by_rep")),
    ("overdue_by_region.png", _draw_overdue_by("region", "chart.overdue_by_region")),
    ("trend_by_bucket.png", _draw_trend_buckets),
    ("trend_dso_cei.png", _draw_trend_dso_cei),
)
