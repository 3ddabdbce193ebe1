"""The canonical model: column contracts between stages, and the finished run result.

In: nothing (declarations only). Out: the column lists every stage and test checks against,
the ordered categories for grades, and the frozen `Result` that renderers read.

Money is integer minor units (`*_minor`, int64) in the row's own currency, or `*_base_minor` in
the base currency. Dates are pandas datetime64 (midnight, no time zone) holding calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

# DESIGN: five grades, ordered from best to worst so max() is "worst" by construction.
GRADES = ("not_due", "in_collection", "doubtful", "bad", "dead")
GRADE_LABELS = {
    "en": {
        "not_due": "Not due",
        "in_collection": "In collection",
        "doubtful": "Doubtful",
        "bad": "Bad",
        "dead": "Dead",
    },
    "zh": {
        "not_due": "未收款",
        "in_collection": "催收款",
        "doubtful": "准呆账",
        "bad": "呆账",
        "dead": "死账",
    },
}
GRADE_DTYPE = pd.CategoricalDtype(list(GRADES), ordered=True)

DOC_TYPES = ("invoice", "credit_note", "receipt", "adjustment", "open_item")

# Where every row came from: the columns that let an issue or a figure be traced back.
SOURCE_COLUMNS = ("src_file", "src_sheet", "src_row")

# Ledger after normalise: one row per input document, typed. `amount_minor` is signed:
# positive raises what the customer owes (invoice, debit adjustment), negative lowers it.
LEDGER_COLUMNS = (
    "customer_id",  # str, as written in the export ("00123" stays "00123")
    "customer_name",  # str
    "doc_no",  # str
    "doc_type",  # one of DOC_TYPES
    "doc_date",  # datetime64
    "due_date",  # datetime64, may be NaT (then doc_date + terms)
    "currency",  # ISO code, upper case
    "amount_minor",  # int64, signed document amount
    "open_minor",  # int64, signed open balance as the export states it (open-items layout)
    "applies_to",  # str: the invoice a receipt / credit names, "" when none
    "sales_rep",  # str
    "region",  # str
    *SOURCE_COLUMNS,
)

# Open items after settle, age and grade: one row per document with something still open.
OPEN_ITEM_COLUMNS = (
    "customer_id",
    "customer_name",
    "doc_no",
    "doc_type",
    "doc_date",
    "due_date",  # effective due date (missing ones filled from terms)
    "currency",
    "amount_minor",  # original document amount
    "open_minor",  # what is still open, same currency, > 0
    "open_base_minor",  # open_minor converted to the base currency
    "days_overdue",  # int64: as_of - basis date; negative = not yet due
    "bucket",  # ordered categorical of bucket labels
    "grade",  # GRADE_DTYPE
    "provision_rate",  # float, 0..1
    "provision_base_minor",  # int64
    "limitation_date",  # datetime64
    "sales_rep",
    "manager",
    "region",
    "disputed",  # bool: the ledger flags the item disputed (it ages and is provided for, but
    #              is left out of dunning and letters)
    "dispute_reason",  # str: the ledger's dispute reason or status, "" when none
    *SOURCE_COLUMNS,
)

# One row per customer with an open balance or an unapplied credit.
CUSTOMER_COLUMNS = (
    "customer_id",
    "name",
    "sales_rep",
    "manager",
    "region",
    "open_base_minor",  # open debit items, base currency
    "overdue_base_minor",  # the part with days_overdue >= 1
    "unapplied_credit_base_minor",  # credits left after settlement (a positive number)
    "provision_base_minor",
    "grade",  # GRADE_DTYPE: worst grade holding >= share threshold of the overdue balance
    "max_days_overdue",
    "broken_promises",  # int64
    "status",
    "cooperation",
    "credit_limit_base_minor",  # int64 or <NA>
    # Filled by the plan stage (PLAN_COLUMNS).
    "priority_score",
    "rank",
    "strategy",
    "next_action",
    "next_contact_date",
    "credit_hold",
)
PLAN_COLUMNS = CUSTOMER_COLUMNS[-6:]  # what aging.plan adds to each customer

# Payment behaviour (aging.behaviour), learned from invoices paid by the as-of date.
# Added to each customer row (Result.customers).
BEHAVIOUR_COLUMNS = (
    "paid_invoices",  # int64: invoices fully paid by the as-of date
    "avg_days_to_pay",  # float: amount-weighted days from document date to payment
    "avg_days_late",  # float: amount-weighted days past due (negative: paid early)
    "on_time_share",  # float 0..1: share of paid invoices paid by their due date
    "trend_days",  # float: days late, last 3 months minus the 12 before (NaN: not both)
    "usual_days_late",  # float: the 90th percentile of days late (the portfolio's if few)
    "behaviour",  # no_history (fewer than min_invoices paid) | on_time | habitually_late |
    #               worsening
    "behaviour_reason",  # worsening because: beyond_usual (the oldest overdue item) | trend
    "behaviour_risk",  # float 0..1: the priority factor (worsening 0.75..1, habit 0.25)
    "ladder_allowance_days",  # int64: days the ladder allows a reliably late payer
)
# The ones Result.aging_by_customer carries after its buckets and total.
BEHAVIOUR_SHOWN = ("behaviour", "paid_invoices", "avg_days_to_pay", "avg_days_late",
                   "on_time_share", "trend_days")  # fmt: skip
# Added to each open item (Result.open_items).
EXPECTED_COLUMNS = (
    "expected_pay_date",  # datetime64, NaT when none is given
    "expected_reason",  # "" | dead | lawsuit | beyond_history | no_history | due_date |
    #                     disputed | held (the last three keep a date)
)

# Rows kept out of the model, and data-quality findings on rows kept in it.
ISSUE_COLUMNS = (
    "severity",  # "exception" (row excluded), "warning" (row kept, figure may be off), "info"
    "code",  # stable dotted code, see aging.issues.CATALOGUE
    "message",  # English text, shown only for a code aging/locale lacks (issue.<code>)
    "file",
    "sheet",
    "row",  # Excel / file row number, 1-based; <NA> for file-level issues
    "column",  # the header as written in the export
    "value",  # the raw text of the offending cell
    "customer_id",
    "doc_no",
    "currency",
    "amount_minor",  # the row's signed amount when known (exceptions count in reconciliation)
    "params",  # dict of the message's further parameters (aging.i18n.issue_text), or None
)

RECONCILIATION_COLUMNS = (
    "currency",
    "line",  # key: input_total, open_items, unapplied_credits, exceptions, after_as_of,
    #            difference (input - sum of the four), then control_* lines
    "label",
    "amount_minor",
    "rows",  # how many input rows make up the line
    "note",
    "status",  # ok | explained (a named class accounts for it) | unexplained (run exits 1)
)


@dataclass(frozen=True)
class InputTable:
    """One table found in an input file: which file, sheet and header row it came from."""

    kind: str  # ledger | customers | contacts | fx
    file: str  # the name as given by the user (relative when possible)
    sheet: str
    header_row: int  # 1-based
    rows: int  # data rows read (blank rows excluded)
    layout: str = ""  # ledger only: open_items | transactions | register
    columns: dict = field(default_factory=dict)  # canonical name -> header as written
    # How each header was read: (header as written, field, how it matched: config | profile
    # <ERP> | synonym | ERP label | header words), and the headers left unused.
    mapping: tuple = ()
    unused: tuple = ()
    profile: str = ""  # the ERP profile that applied, "" for none
    layout_rows: int = 0  # rows that were neither data nor totals (headings, footers …)
    blank_rows: int = 0


# One row per change since last month (aging.history.changes): the kind, the customer with
# its manager, rep and region, the item for "into_91", before / after (money, grade key, days
# or date as `value_kind` says) and the amount it concerns, base currency.
CHANGE_COLUMNS = ("change", "customer_id", "name", "manager", "sales_rep", "region", "doc_no",
                  "before", "after", "value_kind", "amount_base_minor")  # fmt: skip


@dataclass(frozen=True)
class History:
    """A run's history (aging.history): the month-ends it looked back on and what they show.
    Empty frames and `months == 0` when there is none (a first run on an open-items export)."""

    layout: str = ""  # the export's layout: open_items | transactions | register
    source: str = ""  # where the past month-ends came from: export | store | "" (none)
    months: int = 0  # month-ends in the window the history speaks for
    provisional: bool = True  # fewer than 12 months: the provision matrix is provisional
    booked: str = "age_bands"  # the provision basis that booked: age_bands | history
    previous: date | None = None  # the month-end "Changes" compares with
    previous_source: str = ""  # store | export | "" (nothing to compare with)
    holds_compared: bool = False  # credit holds compared (last month's plan is in the store)
    # One row per month-end, oldest first: month_end, open/overdue/not_due/sales/receipts
    # (_base_minor), dso_countback, cei, and the open balance per bucket (a column each).
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    # from_month_end, to_month_end, from_bucket, to_bucket ("paid" too), amount_base_minor.
    roll_rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    # from_bucket, balance_base_minor, then the share to each bucket and "paid" (pooled).
    roll_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Per bucket: migration shares, loss_rate, rate, today's open and provision both ways.
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    # customer_id, month_end, open_base_minor, overdue_base_minor (the packs' trend lines).
    by_customer: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # aging.history.changes
    # level (all | manager | sales_rep), name, promises, kept, partly_kept, broken, *_share.
    promise_rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    promises: pd.DataFrame = field(default_factory=pd.DataFrame)  # every verdict, for the store
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)  # month_end, sales, receipts


@dataclass(frozen=True)
class Result:
    """Everything a renderer needs; no renderer computes a figure of its own."""

    as_of: date
    base_currency: str
    currency_decimals: dict  # currency -> minor-unit decimals (CNY 2, JPY 0)
    config: object  # aging.config.Config
    inputs: tuple  # of InputTable
    input_checksums: dict  # file -> sha256
    open_items: pd.DataFrame  # OPEN_ITEM_COLUMNS
    customers: pd.DataFrame  # CUSTOMER_COLUMNS
    aging_by_customer: pd.DataFrame  # customer_id, name, grade, one column per bucket label,
    # total, then BEHAVIOUR_SHOWN
    provision: pd.DataFrame  # band, rate, grade..., open_base_minor, provision_base_minor
    issues: pd.DataFrame  # ISSUE_COLUMNS: exceptions and findings together
    reconciliation: pd.DataFrame  # RECONCILIATION_COLUMNS
    summary: dict  # KPI name -> value (see aging.pipeline.summarise)
    reconciled: bool  # False when a difference no class explains remains (exit 1)
    # The collection plan (aging.plan): customers to act on in rank order with the factor
    # contributions (factor_*), and the lists that go with it.
    worklist: pd.DataFrame = field(default_factory=pd.DataFrame)
    credit_hold: pd.DataFrame = field(default_factory=pd.DataFrame)
    limitation_alerts: pd.DataFrame = field(default_factory=pd.DataFrame)
    broken_promises: pd.DataFrame = field(default_factory=pd.DataFrame)
    visit_routes: pd.DataFrame = field(default_factory=pd.DataFrame)
    instalments: pd.DataFrame = field(default_factory=pd.DataFrame)
    manager_emails: dict = field(default_factory=dict)  # manager -> address, from the master
    # Portfolio views: one row per sales rep / region (customers, open, overdue, overdue_share,
    # provision, one column per bucket) and per grade (customers, items, open, overdue,
    # provision, share_of_open).
    # Rows of the inputs that are layout, not data: file, sheet, row, kind (section, heading,
    # page_header, footer), text. With the data rows, the totals rows and the exceptions,
    # every row of every ledger is accounted for.
    layout_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The base currency's evidence (aging.currency.Base): config, ledger, title, ….
    base_evidence: object = None
    by_rep: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_region: pd.DataFrame = field(default_factory=pd.DataFrame)
    risk_grades: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Payment behaviour (aging.behaviour): open amounts by week of their expected payment date
    # (week, week_start, week_end, expected_base_minor, items), by calendar month (month,
    # expected_base_minor, items), and what is not expected within those weeks (overdue,
    # reason, open_base_minor, items). The customers carry BEHAVIOUR_COLUMNS, the open items
    # EXPECTED_COLUMNS.
    cash_forecast: pd.DataFrame = field(default_factory=pd.DataFrame)
    cash_forecast_months: pd.DataFrame = field(default_factory=pd.DataFrame)
    cash_not_expected: pd.DataFrame = field(default_factory=pd.DataFrame)
    history: History = field(default_factory=History)  # aging.history (issue #13)
