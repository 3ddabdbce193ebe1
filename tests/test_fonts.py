"""The charts bring their own Chinese font (issue "A run you can trust"): on a fresh machine
`pip install -r requirements.txt && python -m pytest -q` must pass with nothing from apt, and
test_charts' CJK test failed there (only .ci/run installed fonts-noto-cjk). Without any font
that draws Chinese, the run says so on the console, not only in small print inside the PNG.
"""

from __future__ import annotations

from conftest import write_csv
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import aging.charts as charts
from aging.cli import main


def test_the_bundled_font_is_registered_and_draws_our_labels_and_names():
    path = charts.BUNDLED_CJK_FONT
    assert path is not None and path.name == "NotoSansCJK-Regular.ttc"
    registered = {(f.name, f.fname) for f in font_manager.fontManager.ttflist}
    assert ("Noto Sans CJK SC", str(path)) in registered
    assert charts.chart_font() in charts.CJK_FAMILIES
    sc = next(f for f in font_manager.fontManager.ttflist
              if f.fname == str(path) and f.name == "Noto Sans CJK SC")  # fmt: skip
    font = FT2Font(str(path), face_index=sc.index)
    # chart titles, grades, and names customers really have (rare characters too)
    for ch in "欠款前名客户账龄风险等级分布逾期未到期呆账准南通星源精密机械有限公司鑫琪璟":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_without_a_cjk_font_the_console_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(charts, "chart_font", lambda: None)
    ledger = write_csv(tmp_path / "ar.csv", [
        "Customer ID,Customer Name,Type,Doc No,Date,Due Date,Amount (CNY)",
        "C1,南通星源,Invoice,I1,2026-08-01,2026-08-31,1000.00",
    ])  # fmt: skip
    args = ["--ledger", str(ledger), "--as-of", "2026-10-31", "--out", str(tmp_path / "o")]
    assert main([*args, "--only", "close", "--jobs", "1"]) == 0
    assert "charts: no font that draws Chinese was found" in capsys.readouterr().out
