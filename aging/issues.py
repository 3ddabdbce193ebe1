"""The catalogue of issue codes, and helpers that turn row masks into issue rows.

Issues are data, never printed or raised mid-stage. Severity:
- exception: the row is kept out of the model; its amount is a reconciliation line;
- warning: the row is in the model but a controller should look at it before trusting a figure;
- info: worth knowing (documents after the as-of date, master entries with no ledger rows).
"""

from __future__ import annotations

import pandas as pd

from aging.model import ISSUE_COLUMNS

CATALOGUE: dict[str, tuple[str, str]] = {
    # code: (severity, meaning)
    "amount.unparseable": ("exception", "The amount cell is not a number."),
    "amount.missing": ("exception", "A document row has no amount."),
    "date.unparseable": ("exception", "A date cell is not a date."),
    "date.missing": (
        "exception",
        "A document row has neither a document date nor a due date.",
    ),
    "customer.missing": ("exception", "A document row names no customer."),
    "doc_type.unknown": ("exception", "The document type is not one the tool knows."),
    "currency.no_rate": (
        "exception",
        "The row's currency has no FX rate to the base currency.",
    ),
    "currency.invalid": ("exception", "The currency cell is not a currency code."),
    "document.duplicate_no": (
        "warning",
        "The same document number is on more than one document.",
    ),
    "date.due_before_doc": ("warning", "The due date is before the document date."),
    "receipt.exceeds_open": (
        "warning",
        "A receipt is larger than everything open for it.",
    ),
    "settlement.unknown_invoice": (
        "warning",
        "A receipt or credit names an invoice not in the ledger; applied oldest-first.",
    ),
    "credit.refund_owed": (
        "warning",
        "An unapplied credit is older than the configured days.",
    ),
    "customer.not_in_master": (
        "warning",
        "A ledger customer is missing from the customer master.",
    ),
    "customer.two_names": (
        "warning",
        "One customer id appears under more than one name.",
    ),
    "manager.no_email": (
        "warning",
        "A manager has no e-mail address to send the pack to.",
    ),
    "master.value_unknown": (
        "warning",
        "A customer-master code (status, rating…) is not known.",
    ),
    "master.duplicate_id": (
        "warning",
        "A customer id appears twice in the master; first row used.",
    ),
    "contact.unreadable": (
        "warning",
        "A contact-log row has an unreadable date or amount; skipped.",
    ),
    "contact.unknown_customer": (
        "warning",
        "A contact names a customer not in the ledger.",
    ),
    "promise.unverifiable": (
        "info",
        "A promise cannot be checked: the ledger holds no receipts (open-items layout).",
    ),
    "document.after_as_of": (
        "info",
        "Dated after the as-of date: left out of this month's aging.",
    ),
    "master.no_ledger_rows": (
        "info",
        "A customer in the master has no rows in the ledger.",
    ),
    "fx.unused_rate": (
        "info",
        "An FX rate is given for a currency the ledger does not use.",
    ),
    "provision.history_provisional": (
        "warning",
        "provision.method is history but the history has fewer than 12 month-ends; "
        "the age bands book.",
    ),
    "table.summary_left": (
        "warning",
        "A sheet of balances without document dates beside the dated ledger (a summary); left "
        "out of the figures.",
    ),
    "row.looks_like_total": (
        "warning",
        "A row reads like a totals row but is not one (it names a customer of its own, or its "
        "figure does not add up the rows above it); kept as data.",
    ),
    "customer.id_leading_zeros": (
        "warning",
        "Two customer ids differ only by leading zeros (0200759878 and 200759878); kept apart.",
    ),
    "fx.several_rates": (
        "warning",
        "The FX table gives several rates for a currency and no date to choose by; the last "
        "is used.",
    ),
    "contact.value_unknown": (
        "warning",
        "A contact log's channel or outcome word is not known; the contact is kept without it.",
    ),
    "master.id_spelling": (
        "warning",
        "A master id differs from the ledger's only by leading zeros, case or spaces; paired.",
    ),
    "fx.rate_differs": (
        "warning",
        "The export's own company-currency amounts imply a rate far from the FX table's.",
    ),
    "control.total_mismatch": (
        "warning",
        "An export total differs from the rows it covers; see Reconciliation.",
    ),
    "letters.sender_unset": (
        "warning",
        "Letters are due but sender fields they print are unset in the config.",
    ),
}


def severity(code: str) -> str:
    return CATALOGUE[code][0]


def empty_issues() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in ISSUE_COLUMNS})


def _dtype(column: str) -> str:
    return {"row": "Int64", "amount_minor": "Int64", "params": "object"}.get(column, "str")


def rows_issue(
    frame: pd.DataFrame,
    mask: pd.Series,
    code: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    column: str = "",
    value: pd.Series | None = None,
    message: str | pd.Series,
    amount: pd.Series | None = None,
    params: dict | None = None,
) -> pd.DataFrame:
    """One issue row per True in mask, carrying the row's source and identity.

    Without file/sheet, each row's own src_file/src_sheet is used (ledger rows carry them).
    `params`: the message's further parameters (name -> Series or value), beyond the row's own
    fields; the catalogue's `issue.<code>` text names them (aging.i18n.issue_text)."""
    hit = frame[mask]
    if hit.empty:
        return empty_issues()
    out = pd.DataFrame(index=hit.index)
    out["severity"] = severity(code)
    out["code"] = code
    out["message"] = message[mask] if isinstance(message, pd.Series) else message
    out["file"] = hit["src_file"] if file is None else file
    out["sheet"] = hit["src_sheet"] if sheet is None else sheet
    out["row"] = hit["src_row"].astype("Int64")
    out["column"] = column
    out["value"] = "" if value is None else value[mask].astype(str)
    for key in ("customer_id", "doc_no", "currency"):
        out[key] = hit[key].astype(str) if key in hit else ""
    out["amount_minor"] = pd.NA if amount is None else amount[mask].astype("Int64")
    out["params"] = _row_params(params, mask, len(hit))
    return out[list(ISSUE_COLUMNS)].astype({"row": "Int64", "amount_minor": "Int64"})


def _row_params(params: dict | None, mask: pd.Series, count: int) -> list:
    """One dict of parameters per hit row (only the hit rows: few beside the ledger)."""
    if not params:
        return [None] * count
    columns = {
        name: value.reindex(mask.index)[mask].tolist()
        if isinstance(value, pd.Series)
        else [value] * count
        for name, value in params.items()
    }
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def one_issue(code: str, message: str, **fields) -> pd.DataFrame:
    """A single issue not tied to a row mask (file-level, or a customer-level finding)."""
    row = {c: fields.get(c, "") for c in ISSUE_COLUMNS}
    row.update(severity=severity(code), code=code, message=message)
    row["row"] = fields.get("row", pd.NA)
    row["amount_minor"] = fields.get("amount_minor", pd.NA)
    row["params"] = fields.get("params")
    return pd.DataFrame([row]).astype({"row": "Int64", "amount_minor": "Int64"})


def concat_issues(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_issues()
    return pd.concat(parts, ignore_index=True)
