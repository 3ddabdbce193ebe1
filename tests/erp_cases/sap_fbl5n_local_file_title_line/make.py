"""SAP FBL5N, List > Save > Local File > Spreadsheet, with the list title SAP writes above the
grid when the list header is printed ("Customer Line Item Display" and a blank line).

Everything else is tests/erp_cases/sap_fbl5n_local_file (its rows are taken from that case's
make.py): tab-separated text whose amounts hold commas (8,750.00), so the title line, one field
wide, must not make the reader split on the commas. Writes export.csv next to this file.
"""

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = ["Customer Line Item Display", ""]


def grid_lines() -> list[list[str]]:
    source = HERE.parent / "sap_fbl5n_local_file" / "make.py"
    spec = importlib.util.spec_from_file_location("sap_fbl5n_local_file_make", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lines()


def main() -> None:
    text = "".join(line + "\r\n" for line in TITLE)
    text += "".join("\t".join(row) + "\r\n" for row in grid_lines())
    HERE.joinpath("export.csv").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
