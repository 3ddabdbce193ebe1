"""An open-items export whose only open item is a credit (one customer filtered, or a month where
every invoice is paid and one credit memo is left): no open debt to age."""

from pathlib import Path

Path(__file__).with_name("export.csv").write_text(
    "Customer,Invoice No,Invoice Date,Due Date,Open Amount,Currency\n"
    "C1,CN-1,2026-10-01,2026-10-01,-100.00,USD\n",
    encoding="utf-8",
)
