"""`--explain`: how the run read its inputs, in the user's language, before anything is written.

In: the reading stage's result (aging.pipeline.Read) and the names to show for the files. Out:
lines of text: per table its kind, sheet, header row, ledger layout and ERP profile; each
header -> field and how it matched; the headers left unused; the rows that are totals or
layout; and the base currency with the evidence it rests on. Also `mapping_records`, the same
facts as data for run.json.
"""

from __future__ import annotations

from aging import i18n
from aging.normalise import detect_layout


def lines(found, shown, lang: str) -> list[str]:
    out = []
    for table in found.tables:
        where = shown(table.file) + (f" [{table.sheet}]" if table.sheet else "")
        kind = i18n.text(f"kind.{table.kind}", lang)
        out.append(
            i18n.text("explain.table", lang, where=where, kind=kind, row=str(table.header_row))
        )
        if table.kind == "ledger":
            layout = i18n.text(f"layout.{detect_layout(table.frame.columns)}", lang)
            out.append("  " + i18n.text("explain.layout", lang, layout=layout))
            if table.profile:
                out.append("  " + i18n.text("explain.profile", lang, erp=table.profile))
        for column in table.columns:
            how = i18n.text(f"how.{column.how}", lang)
            out.append(f"  {column.header!s} -> {column.field} ({how})")
        if table.unused:
            unused = ", ".join(header for _at, header in table.unused)
            out.append("  " + i18n.text("explain.unused", lang, headers=unused))
        if table.kind == "ledger":
            out.append(
                "  "
                + i18n.text(
                    "explain.rows",
                    lang,
                    data=len(table.frame),
                    totals=len(table.totals),
                    layout=len(table.layout),
                    blank=table.blank_rows,
                )
            )
    out.append(base_line(found.base, lang))
    return out


def base_line(base, lang: str) -> str:
    """'base currency: USD (from the currency column, the ledger's only currency)'."""
    why = i18n.text(f"evidence.{base.evidence}", lang, detail=base.detail)
    return i18n.text("explain.base", lang, currency=base.code, why=why)


def mapping_records(found, shown) -> list[dict]:
    """The mapping as data (run.json): per table, header -> field and how, and what is unused."""
    return [
        {
            "file": shown(t.file),
            "sheet": t.sheet,
            "kind": t.kind,
            "header_row": t.header_row,
            "profile": t.profile,
            "columns": [{"header": c.header, "field": c.field, "how": c.how} for c in t.columns],
            "unused": [header for _at, header in t.unused],
        }
        for t in found.tables
    ]
