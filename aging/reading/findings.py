"""Findings about how the inputs were read, for the controller to look at.

In: the tables as read, the normalised ledger rows, the FX table. Out: issue rows (warnings):
rows that read like totals rows but were kept as data (`row.looks_like_total`), customer ids
that differ only by leading zeros (`customer.id_leading_zeros`), and company-currency amounts
whose implied rate is far from the FX table's (`fx.rate_differs`). Nothing is changed.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from aging.currency import implied_rates, rate_check
from aging.issues import concat_issues, one_issue


def looked_like_totals(tables: list) -> pd.DataFrame:
    return concat_issues(
        [
            one_issue(
                "row.looks_like_total",
                f"Reads like a totals row ({label!r}) but names a customer of its own or does "
                "not add up the rows above it; kept as data.",
                file=table.file,
                sheet=table.sheet,
                row=row,
                column=header,
                value=label,
            )
            for table in tables
            for row, label, header in table.looked_like_totals
        ]
    )


def summaries_left(tables: tuple) -> pd.DataFrame:
    """Ledger-like sheets without dates beside the dated ledger (a 汇总 of balances): left
    out of the figures, and said."""
    return concat_issues(
        [
            one_issue(
                "table.summary_left",
                "A sheet of balances without document dates beside the dated ledger; left out "
                "of the figures.",
                file=table.file,
                sheet=table.sheet,
                row=table.header_row,
                value=str(len(table.frame)),
                params={"rows": str(len(table.frame))},
            )
            for table in tables
        ]
    )


def leading_zero_ids(rows: pd.DataFrame) -> pd.DataFrame:
    """'0200759878' and '200759878': one customer or two? The run keeps them apart and says so."""
    ids = pd.Series(rows["customer_id"].unique(), dtype="str")
    numeric = ids[ids.str.fullmatch(r"0*[0-9]+")]
    if numeric.empty:
        return concat_issues([])
    key = numeric.str.lstrip("0")
    spellings = numeric.groupby(key.to_numpy()).agg(list)
    found = []
    for same in spellings[spellings.map(len) > 1]:
        same = sorted(same, key=len, reverse=True)
        first = rows[rows["customer_id"].eq(same[0])].iloc[0]
        found.append(
            one_issue(
                "customer.id_leading_zeros",
                f"Customer ids {' and '.join(same)} differ only by leading zeros; they are "
                "kept as separate customers. If they are one, export them alike.",
                file=first["src_file"],
                sheet=first["src_sheet"],
                row=int(first["src_row"]),
                column="customer_id",
                value=" / ".join(same),
                customer_id=same[0],
            )
        )
    return concat_issues(found)


def rates_against_table(rows: pd.DataFrame, fx_rates: dict, base: str, tolerance: float):
    """Where the export states base amounts and an FX table is given too, cross-check them."""
    found = []
    for code, implied in implied_rates(rows, base).items():
        if code not in fx_rates:
            continue
        table = rate_check(fx_rates[code], code)
        if abs(implied / table - 1) > Fraction(str(tolerance)):
            found.append(
                one_issue(
                    "fx.rate_differs",
                    f"The export's {base} amounts for {code} imply a rate of "
                    f"{float(implied):.6g}, the FX table gives {float(table):.6g} "
                    f"(more than {tolerance:.0%} apart); the export's amounts are used.",
                    currency=code,
                    column=base,
                    value=f"{float(implied):.6g}",
                    params={"table_rate": f"{float(table):.6g}"},
                )
            )
    return concat_issues(found)
