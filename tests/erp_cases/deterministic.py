"""What the cases' make.py scripts share: the same data gives the same bytes, and the
expected figures are written one way."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path


def freeze(path: Path, when: tuple = (2026, 11, 2, 9, 30, 0)) -> None:
    """Rewrite an .xlsx zip with fixed entry times, and 'modified' equal to 'created'
    (openpyxl stamps it with the clock)."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", data).group(1)
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + created, data)
            dst.writestr(zipfile.ZipInfo(name, date_time=when), data, zipfile.ZIP_DEFLATED)


def save(wb, path: Path, creator: str) -> None:
    """An openpyxl workbook saved with a fixed author and date, then frozen."""
    wb.properties.creator = creator
    wb.properties.created = wb.properties.modified = datetime(2026, 11, 2, 9, 30)
    wb.save(path)
    freeze(path)


def item(cid, doc, cur, open_minor, base_minor, days, bucket) -> dict:
    """One expected open item of expected.json."""
    return dict(customer_id=cid, doc_no=doc, currency=cur, open_minor=open_minor,
                open_base_minor=base_minor, days_overdue=days, bucket=bucket)  # fmt: skip


def ctl(row, column, amount, status="ok", currency="CNY") -> dict:
    """One expected control total of expected.json."""
    return dict(row=row, column=column, currency=currency, amount_minor=amount, status=status)


def write_expected(folder: Path, spec: dict) -> None:
    text = json.dumps(spec, ensure_ascii=False, indent=1) + "\n"
    (folder / "expected.json").write_text(text, encoding="utf-8")
