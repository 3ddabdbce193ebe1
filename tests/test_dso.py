"""Issue #11 defect, reproduced first: the Summary's DSO mixed currencies. It divided the
base-converted receivables by the base-currency invoices of the last 90 days (130.4 days on the
sample against about 120; 886.6 on sample_data/sap_open_items.xlsx). The headline DSO is now
the countback DSO in the base currency (aging.history.figures, README "History")."""

from __future__ import annotations

from datetime import date

from conftest import ROOT, run_on, write_csv

HEADER = "Cust No,Client Name,Type,Invoice No,Invoice Date,Due Date,Amount,Applies To,Currency"
AS_OF = date(2026, 3, 31)


def test_summary_dso_is_countback_in_the_base_currency(tmp_path):
    """Issue #11 defect: the old DSO divided base-converted receivables by base-currency-only
    sales over 90 days (130.4 on the sample). A CNY customer owes 1,000.00 invoiced in
    February; a USD customer 1,000.00 USD (7,000.00 CNY at 7) invoiced in March.
    Old: 8,000 / 1,000 (CNY sales only) x 90 = 720.0 days.
    Countback in CNY: 8,000 - Mar 7,000 (31 d) = 1,000; Feb is the first month:
    1,000 / 1,000 x 28 = 28 -> 59.0."""
    path = write_csv(
        tmp_path / "ledger.csv",
        [
            HEADER,
            "X,Xian,Invoice,X1,2026-02-10,2026-03-12,1000.00,,CNY",
            "Y,York,Invoice,Y1,2026-03-10,2026-04-09,1000.00,,USD",
        ],
    )
    fx = write_csv(tmp_path / "fx.csv", ["currency,rate", "CNY,1", "USD,7"])
    result = run_on(path, as_of=AS_OF, fx=[fx], overrides={"base_currency": "CNY"})
    assert result.summary["dso_days"] == 59.0


def test_sample_dso_is_the_countback_figure():
    # The old figure was 130.4 on the sample of the time, 132.5 on today's (CNY sales of 90
    # days against CNY + USD receivables); the countback in CNY is the October row of
    # data/history_monthly.csv.
    result = run_on(
        ROOT / "sample_data" / "ar_ledger_2026-10.xlsx", fx=[ROOT / "sample_data" / "fx_rates.csv"]
    )
    assert result.summary["dso_days"] == 119.8
