"""Data-quality checks a controller wants before trusting a month. None fixes anything.

In: the model's ledger rows, the settled result, the customer master. Out: issue rows (warnings
and infos) naming every row concerned: duplicate document numbers, due before document date,
receipts larger than anything open, old unapplied credits (refunds owed), customers missing from
the master and the reverse, managers without e-mail, one customer id under two names. Each is a
code with parameters; the words are the catalogue's `issue.<code>` (aging.i18n.issue_text).
"""

from __future__ import annotations

import pandas as pd

from aging.i18n import Money
from aging.issues import concat_issues, one_issue, rows_issue
from aging.parse import currency_decimals


def ledger_checks(rows: pd.DataFrame) -> pd.DataFrame:
    originals = rows[~rows["synthetic"]] if "synthetic" in rows else rows
    debit_like = originals[
        originals["doc_type"].isin(["invoice", "adjustment", "open_item"])
        & originals["doc_no"].ne("")
    ]
    dup = debit_like["doc_no"].duplicated(keep=False)
    due_first = rows["due_date"] < rows["doc_date"]
    names = originals.groupby("customer_id")["customer_name"].nunique()
    two_names = originals["customer_id"].isin(names[names > 1].index)
    first_of_name = two_names & ~originals.duplicated(["customer_id", "customer_name"])
    # name the other spelling(s): "also appears as 上海宏达贸易" (issue #10)
    spelled = originals[two_names].drop_duplicates(["customer_id", "customer_name"])
    every = spelled.groupby("customer_id")["customer_name"].agg(list)
    others = originals["customer_id"].map(every).where(two_names)
    others = pd.Series(
        [
            " / ".join(n for n in names_ if n != own) if isinstance(names_, list) else ""
            for names_, own in zip(others, originals["customer_name"], strict=True)
        ],
        index=originals.index,
    )
    return concat_issues(
        [
            rows_issue(
                debit_like,
                dup,
                "document.duplicate_no",
                column="doc_no",
                value=debit_like["doc_no"],
                message="",
                amount=debit_like["balance_minor"],
            ),
            rows_issue(
                rows,
                due_first,
                "date.due_before_doc",
                column="due_date",
                value=rows["due_date_text"],
                message="",
                params={"due_date": rows["due_date"], "doc_date": rows["doc_date"]},
                amount=rows["balance_minor"],
            ),
            rows_issue(
                originals,
                first_of_name,
                "customer.two_names",
                column="customer_name",
                value=originals["customer_name"],
                message="",
                amount=None,
                params={"other": others},
            ),
        ]
    )


def receipt_checks(rows: pd.DataFrame, debits: pd.DataFrame) -> pd.DataFrame:
    """A receipt larger than everything the customer was ever invoiced in that currency, or
    than the invoice it names."""
    receipts = rows[rows["doc_type"].eq("receipt")]
    if receipts.empty:
        return concat_issues([])
    invoiced = debits.groupby(["customer_id", "currency"])["balance_minor"].sum()
    key = pd.MultiIndex.from_frame(receipts[["customer_id", "currency"]])
    ceiling = pd.Series(invoiced.reindex(key).fillna(0).to_numpy(), index=receipts.index)
    named = debits.drop_duplicates(["customer_id", "currency", "doc_no"]).set_index(
        ["customer_id", "currency", "doc_no"]
    )["balance_minor"]
    named_key = pd.MultiIndex.from_frame(receipts[["customer_id", "currency", "applies_to"]])
    named_amount = pd.Series(named.reindex(named_key).to_numpy(), index=receipts.index)
    ceiling = named_amount.where(named_amount.notna(), ceiling)
    too_big = (-receipts["balance_minor"]) > ceiling
    paid = _money_text(-receipts["balance_minor"], receipts["currency"])
    hit = receipts[too_big]
    could = ceiling[too_big].fillna(0).astype("int64")
    return rows_issue(
        receipts,
        too_big,
        "receipt.exceeds_open",
        column="amount",
        value=paid,
        message="",
        amount=receipts["balance_minor"],
        params={
            "paid": _money(-hit["balance_minor"], hit["currency"]),
            "ceiling": _money(could, hit["currency"]),
        },
    )


def _money(minor: pd.Series, currency: pd.Series) -> pd.Series:
    """Minor units as Money parameters of a message (formatted in the reader's language)."""
    places = currency.map(currency_decimals)
    return pd.Series(
        [Money(int(m), c, int(p)) for m, c, p in zip(minor, currency, places, strict=True)],
        index=minor.index,
        dtype="object",
    )


def _money_text(minor: pd.Series, currency: pd.Series) -> pd.Series:
    """Minor units as a readable amount ('60,000.00') for messages."""
    places = currency.map(currency_decimals)
    text = [f"{m / 10**p:,.{p}f}" for m, p in zip(minor, places, strict=True)]
    return pd.Series(text, index=minor.index, dtype="str")


def credit_checks(unapplied: pd.DataFrame, as_of: pd.Timestamp, days: int) -> pd.DataFrame:
    old = unapplied[(as_of - unapplied["last_credit_date"]).dt.days > days]
    if old.empty:
        return concat_issues([])
    issues = one_issue("credit.refund_owed", "").iloc[[0] * len(old)].reset_index(drop=True)
    credit = _money(old["unapplied_minor"], old["currency"])
    issues["params"] = [
        {"credit": c, "since": s, "days": days}
        for c, s in zip(credit, old["last_credit_date"], strict=True)
    ]
    issues["customer_id"] = old["customer_id"].to_numpy()
    issues["currency"] = old["currency"].to_numpy()
    issues["amount_minor"] = pd.array(old["unapplied_minor"].to_numpy(), dtype="Int64")
    return issues


def master_checks(
    ledger_ids: pd.Series, master: pd.DataFrame, master_file: str, master_sheet: str
) -> pd.DataFrame:
    if master is None:
        return concat_issues([])
    in_ledger = pd.Index(ledger_ids.unique())
    in_master = pd.Index(master["customer_id"])
    missing = in_ledger.difference(in_master)
    unused = master[~master["customer_id"].isin(in_ledger)]
    managers = master[master["manager"].ne("")]
    no_email = managers[managers["manager_email"].eq("")].drop_duplicates("manager")
    with_email = set(managers.loc[managers["manager_email"].ne(""), "manager"])
    no_email = no_email[~no_email["manager"].isin(with_email)]
    where = dict(file=master_file, sheet=master_sheet)
    return concat_issues(
        [
            *(one_issue("customer.not_in_master", "", customer_id=cid) for cid in missing),
            *(
                one_issue(
                    "master.no_ledger_rows",
                    "",
                    customer_id=r.customer_id,
                    row=r.src_row,
                    **where,
                )
                for r in unused.itertuples()
            ),
            *(
                one_issue(
                    "manager.no_email",
                    "",
                    row=r.src_row,
                    column="manager_email",
                    value=r.manager,
                    **where,
                )
                for r in no_email.itertuples()
            ),
        ]
    )


# What a letter prints from the sender's config, by who signs it (templates/README.md).
SENDER_FIELDS = {
    "company": ("company_name", "address", "bank_name", "bank_account", "contact", "phone",
                "email"),
    "counsel": ("counsel", "counsel_address", "counsel_phone"),
}  # fmt: skip


def sender_checks(letters, worklist: pd.DataFrame, limitation_alerts: pd.DataFrame) -> pd.DataFrame:
    """Letters are due but sender fields they print are unset: they would go out with
    `[letters.company_name]` in place of the creditor's name, bank or telephone. One warning
    listing the config keys to fill in (the counsel's only when a lawyer's letter is due)."""
    planned = set(worklist["letter"]) - {""} if "letter" in worklist else set()
    statements = letters.statements == "all" and not worklist.empty
    statements |= letters.statements == "alerts" and not limitation_alerts.empty
    if not planned and not statements:
        return concat_issues([])
    needed = SENDER_FIELDS["company"] + (SENDER_FIELDS["counsel"] if "lawyer" in planned else ())
    missing = [f"letters.{name}" for name in needed if not str(getattr(letters, name)).strip()]
    if not missing:
        return concat_issues([])
    return one_issue(
        "letters.sender_unset",
        f"Letters print [letters.…] placeholders until these are set in the config: "
        f"{', '.join(missing)}.",
        value=", ".join(missing),
    )
