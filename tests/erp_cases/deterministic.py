"""One helper the cases' make.py scripts share: the same data gives the same bytes."""

from __future__ import annotations

import re
import zipfile
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
