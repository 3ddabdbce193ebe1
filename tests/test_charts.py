"""PNG charts: written, really PNG, the same bytes on every run, Chinese drawn with a CJK font,
and the display sums behind them adding up to the result's own figures."""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import aging.charts as charts
from aging.charts import (
    CHART_FILES,
    CJK_FAMILIES,
    DPI,
    SIZE,
    TOP_DEBTORS,
    bucket_grade_table,
    chart_font,
    grade_table,
    overdue_by,
    top_debtors,
    write_charts,
)
from aging.config import load_config
from aging.model import GRADES
from aging.pipeline import Inputs, run

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result():
    inputs = Inputs(
        ledger=(ROOT / "sample_data" / "ar_ledger_2026-10.xlsx",),
        fx=(ROOT / "sample_data" / "fx_rates.csv",),
    )
    return run(inputs, load_config(None, {"output.lang": "zh"}))


@pytest.fixture(scope="module")
def written(result, tmp_path_factory):
    return write_charts(result, tmp_path_factory.mktemp("charts"))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def png_chunks(path: Path) -> list[bytes]:
    data, at, kinds = path.read_bytes(), 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kinds.append(data[at + 4 : at + 8])
        at += 12 + length
    return kinds


def test_every_chart_is_a_png_of_the_fixed_size(written):
    assert [p.name for p in written.files] == list(CHART_FILES)
    for path in written.files:
        assert path.parent.name == "charts"
        assert png_size(path) == (int(SIZE[0] * DPI), int(SIZE[1] * DPI))
        assert path.stat().st_size > 10_000  # something was drawn


def test_no_software_or_date_metadata(written):
    for path in written.files:
        chunks = png_chunks(path)
        assert b"tEXt" not in chunks and b"tIME" not in chunks and b"iTXt" not in chunks


def test_two_runs_give_identical_bytes(result, written, tmp_path):
    again = write_charts(result, tmp_path)
    for a, b in zip(written.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_chinese_is_drawn_with_a_cjk_font(written):
    """The chosen family is a CJK one, and its file has glyphs for the labels we draw."""
    assert written.cjk is True
    assert written.font in CJK_FAMILIES
    path = font_manager.findfont(font_manager.FontProperties(family=written.font),
                                 fallback_to_default=False)  # fmt: skip
    font = FT2Font(path)
    for ch in "账龄风险等级分布南通星源精密机械有限公司逾期":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_without_a_cjk_font_the_charts_still_come_and_say_so(result, tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "chart_font", lambda: None)
    run_ = write_charts(result, tmp_path)
    assert run_.cjk is False and run_.font == charts.LATIN_FALLBACK
    assert all(p.exists() and png_size(p) for p in run_.files)


def test_chart_font_is_cached_and_stable():
    assert chart_font() == chart_font()


def test_display_sums_add_up_to_the_result(result):
    s = result.summary
    buckets = bucket_grade_table(result.open_items)
    assert list(buckets.columns) == list(GRADES)
    assert list(buckets.index) == list(result.open_items["bucket"].cat.categories)
    assert int(buckets.to_numpy().sum()) == s["total_open_base_minor"]
    grades = grade_table(result.open_items, result.customers)
    assert int(grades["open_base_minor"].sum()) == s["total_open_base_minor"]
    assert dict(zip(grades["grade"], grades["customers"], strict=True)) == s["customers_by_grade"]
    for column in ("sales_rep", "region"):
        table = overdue_by(result.open_items, column)
        assert int(table.to_numpy().sum()) == s["overdue_base_minor"]
        totals = table.sum(axis=1).tolist()
        assert totals == sorted(totals, reverse=True)
        assert int(table["not_due"].sum()) == 0
    top = top_debtors(result.customers)
    assert len(top) == TOP_DEBTORS
    open_ = (top["overdue_base_minor"] + top["not_due_base_minor"]).tolist()
    assert open_ == sorted(open_, reverse=True)
    assert top["customer_id"].iloc[0] == s["top_debtors"][0][0]


def test_an_empty_result_still_gives_every_chart(result, tmp_path):
    empty = dataclasses.replace(
        result,
        open_items=result.open_items.iloc[0:0],
        customers=result.customers.iloc[0:0],
    )
    run_ = write_charts(empty, tmp_path)
    assert [p.name for p in run_.files] == list(CHART_FILES)


def test_a_blank_sales_rep_is_its_own_bar(result):
    items = result.open_items.copy()
    overdue = items.index[items["days_overdue"] >= 1]
    items.loc[overdue[:3], "sales_rep"] = pd.NA
    table = overdue_by(items, "sales_rep")
    assert "" in table.index
    assert int(table.to_numpy().sum()) == result.summary["overdue_base_minor"]
