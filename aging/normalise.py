"""Turn raw text tables into the typed ledger, customer master, contact log and FX table.

In: `RawTable`s from aging.ingest and the config. Out: a ledger DataFrame (LEDGER_COLUMNS plus
`balance_minor`, the signed effect of the row on what the customer owes, and `layout`), typed
side tables, and issues. A row that cannot be read goes to the issues as an exception with its
file, sheet, row, column and raw value; nothing is dropped silently.

Layouts (DESIGN "Ledger layouts"), detected from the columns present:
- open_items: an open balance column and no debit/credit columns: balance = the open amount;
- register: invoice amount with paid amount and/or settled date: the payment becomes a receipt
  row dated at the settled date that names the invoice;
- transactions: amount (signed by document type) or debit/credit columns.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

from aging.currency import codes, pro_rata, scale
from aging.errors import InputError
from aging.issues import concat_issues, one_issue, rows_issue
from aging.parse import (
    AmbiguousDates,
    clean_date_text,
    currency_decimals,
    day_month_order,
    decimal_comma_in,
    needs_day_month_order,
    parse_amounts,
    parse_dates,
    parse_int,
    terms_days_of,
)
from aging.reading.fields import DOC_TYPE_WORDS, traditional_table
from aging.reading.profiles import all_doc_type_words, load_profiles
from aging.reading.sheet import EXCEL_ERRORS
from aging.reading.tables import RawTable

_CREDIT_TYPES = ("credit_note", "receipt")
_MONEY = ("amount", "debit", "credit", "open_amount", "paid_amount", "credited_amount",
          "running_balance")  # fmt: skip
_LOCAL = {"amount_local": "amount", "open_amount_local": "open_amount",
          "debit_local": "debit", "credit_local": "credit"}  # fmt: skip
_TEXT = ("customer_id", "customer_name", "doc_no", "doc_type", "currency", "applies_to",
         "sales_rep", "region", "memo", "dispute_reason", "disputed")  # fmt: skip
_NOT_DISPUTED = {"", "no", "n", "false", "0", "否", "无", "没有", "none", "-", "n/a", "resolved",
                 "已解决", "closed"}  # fmt: skip


def detect_layout(columns) -> str:
    """A balance the export states wins (open items); else paid/settled columns make a
    register; else documents with amounts are transactions. A running balance is never an
    open amount (aging.reading.tables has renamed it)."""
    cols = set(columns)
    moves = {"debit", "credit", "debit_local", "credit_local"}
    if cols & {"open_amount", "open_amount_local"} and not cols & moves:
        return "open_items"
    if cols & {"amount", "amount_local"} and cols & {
        "paid_amount",
        "settled_date",
        "credited_amount",
    }:
        return "register"
    return "transactions"


def normalise_ledger(table: RawTable, config, default_currency: str):
    """One ledger table -> (typed rows, issues). Rows with exceptions are returned with a
    non-empty `excluded` code so reconciliation can count them; the model drops them.

    `default_currency` is the base currency: rows without a currency cell are in it, and so
    are company-currency amounts (本币, LC) the export gives without their document twins."""
    raw, base_only = _as_read(table.frame)
    layout = detect_layout(raw.columns)
    if not {"doc_date", "due_date"} & set(raw.columns):
        raise InputError("error.no_dates", where=_where(table))
    where = dict(file=table.file, sheet=table.sheet)
    text = {c: raw[c] if c in raw else pd.Series("", index=raw.index, dtype="str") for c in _TEXT}
    if not (
        text["customer_id"].str.strip().ne("") | text["customer_name"].str.strip().ne("")
    ).any():
        # no customer on any row: a statement (对账单) names its one customer in the title rows
        for field, value in customer_in_titles(table.titles).items():
            text[field] = pd.Series(value, index=raw.index, dtype="str")
    for c in ("customer_id", "doc_no", "applies_to"):
        text[c] = shown_id(text[c])
    profile = _profile(table.profile)
    doc_type, unknown_type = _doc_types(text["doc_type"], config, profile)
    if "doc_type" not in raw:
        text["doc_no"], doc_type = _type_in_number(text["doc_no"], doc_type, config, profile)
    out = pd.DataFrame(index=raw.index)
    # An error cell (#N/A from a failed VLOOKUP) names nobody: the other column stands in,
    # and with neither the row is an exception, never a customer called "#N/A".
    ids, names = (
        text[c].mask(text[c].isin(EXCEL_ERRORS), "") for c in ("customer_id", "customer_name")
    )
    out["customer_id"] = ids.where(ids != "", names)
    out["customer_name"] = names.where(names != "", ids)
    out["doc_no"] = text["doc_no"]
    words = profile.currency_words if profile is not None else {}
    out["currency"] = (
        pd.Series(default_currency, index=raw.index, dtype="str")
        if base_only
        else currency_codes(text["currency"], default_currency, words)
    )
    out["applies_to"] = text["applies_to"]
    out["sales_rep"] = text["sales_rep"]
    out["region"] = text["region"]
    # the document's own terms (账期(天), Terms "Net 30") give its due date when none is written
    out["doc_terms_days"] = terms_days_of(raw["terms_days"]) if "terms_days" in raw else pd.NA
    out["disputed"] = ~text["disputed"].str.strip().str.lower().isin(_NOT_DISPUTED) | text[
        "dispute_reason"
    ].str.strip().ne("")
    out["dispute_reason"] = text["dispute_reason"].where(
        text["dispute_reason"].ne(""), text["disputed"].where(out["disputed"], "")
    )
    out["src_file"] = table.file
    out["src_sheet"] = table.sheet
    out["src_row"] = raw["src_row"].astype("int64")
    out["block"] = raw["block"].astype("int64")
    out["layout"] = layout
    out["excluded"] = ""
    issues = []

    def exclude(mask, code, column="", value=None, message=""):
        mask = mask & out["excluded"].eq("")
        amount = None if code == "amount.unparseable" else out["balance_minor"]
        issues.append(
            rows_issue(
                out,
                mask,
                code,
                column=table.headers.get(column, column),
                value=value,
                message=message,
                amount=amount,
                **where,
            )
        )
        out.loc[mask, "excluded"] = code

    bad_currency = ~out["currency"].str.fullmatch(r"[A-Z]{3}")
    decimals = out["currency"].map(currency_decimals).where(~bad_currency, 2).astype("int64")

    dates = _dates(raw, table, config)
    for column in ("doc_date", "due_date", "settled_date"):
        out[column] = dates[column][0]
        # The cell as written, for messages that quote it.
        out[f"{column}_text"] = raw.get(column, "")
    money = {}
    comma = decimal_comma_of(raw, config.reading.decimal_comma)
    for column in _MONEY:
        if column in raw:
            places = decimals + unit_places(table, column)
            money[column] = parse_amounts(raw[column], places, decimal_comma=comma)
    opening = _opening_rows(text, raw, money)
    _date_openings(out, opening)
    direction = _direction(raw, profile)
    _signed_amounts(out, layout, money, doc_type, direction, opening)
    local = {}
    base_places = currency_decimals(default_currency)
    for column, twin in _LOCAL.items():
        if column in raw:
            places = base_places + unit_places(table, column)
            local[twin] = parse_amounts(raw[column], places, decimal_comma=comma)
    out["base_minor"] = _base_amounts(out, raw, layout, money, local, doc_type, direction,
                                      opening, default_currency, base_only)  # fmt: skip
    exclude(
        out["customer_id"].eq(""),
        "customer.missing",
        "customer_id",
        text["customer_id"],
        message="No customer id or name on this row.",
    )
    exclude(
        bad_currency,
        "currency.invalid",
        "currency",
        text["currency"],
        "The currency is not a three-letter code.",
    )
    # Exceptions, in the order a reader would fix them; each row gets its first reason only.
    for column, (_values, bad) in [
        *money.items(),
        *((_LOCAL_NAME[t], v) for t, v in local.items()),
    ]:
        exclude(
            bad,
            "amount.unparseable",
            column,
            raw[column],
            "The amount is not a number: " + raw[column].astype(str),
        )
    amount_cols = [c for c in ("amount", "debit", "credit", "open_amount", *_LOCAL) if c in raw]
    no_amount = np.logical_and.reduce([raw[c].str.strip().eq("") for c in amount_cols])
    no_amount &= ~opening
    exclude(
        pd.Series(no_amount, index=raw.index),
        "amount.missing",
        amount_cols[0],
        message="No amount on this document row.",
    )
    for column in ("doc_date", "due_date", "settled_date"):
        if column in raw:
            exclude(
                dates[column][1],
                "date.unparseable",
                column,
                raw[column],
                "Not a date: " + raw[column].astype(str),
            )
    exclude(
        out["doc_date"].isna() & out["due_date"].isna(),
        "date.missing",
        "doc_date",
        message="Neither a document date nor a due date.",
    )
    exclude(
        unknown_type,
        "doc_type.unknown",
        "doc_type",
        text["doc_type"],
        "Unknown document type: " + text["doc_type"],
    )
    out["doc_type"] = out["doc_type"].where(~unknown_type, "")
    out["applies_to"] = _applies_in_memo(out, text["memo"])
    if layout == "register":
        out = _register_receipts(out, money, decimals)
    return out.reset_index(drop=True), concat_issues(issues)


_LOCAL_NAME = {twin: name for name, twin in _LOCAL.items()}
# "Payment for invoice 1038", "Partial payment inv 1040", "Credit for Invoice #1038", "冲发票号 F001"
_MEMO_INVOICE = (
    r"(?i)(?:\b(?:invoices?|inv|bill)\b\.?|发票号码|发票号|发票)\s*(?:no\.?|number|#)?\s*[:：#]?\s*"
    r"([A-Za-z0-9][\w\-/]*)"
)


def _applies_in_memo(out: pd.DataFrame, memo: pd.Series) -> pd.Series:
    """A payment or credit naming no invoice in an 'applies to' column pays the one its memo
    names, when that is an invoice of the same customer in the export (QuickBooks' Transaction
    List writes "Payment for invoice 1038" in Memo/Description); else it stays unnamed (FIFO)."""
    applies = out["applies_to"]
    ask = applies.eq("") & out["doc_type"].isin(_CREDIT_TYPES) & memo.str.strip().ne("")
    if not ask.any():
        return applies
    named = memo[ask].str.extract(_MEMO_INVOICE, expand=False).fillna("")
    invoices = out["doc_type"].eq("invoice") & out["doc_no"].ne("")
    known = pd.MultiIndex.from_arrays(
        [out.loc[invoices, "customer_id"], out.loc[invoices, "doc_no"]]
    )
    asked = pd.MultiIndex.from_arrays([out.loc[ask, "customer_id"], named])
    found = pd.Series(asked.isin(known), index=named.index) & named.ne("")
    return applies.mask(
        found.reindex(applies.index, fill_value=False), named.reindex(applies.index)
    )


def _as_read(raw: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Company-currency amounts without their document-currency twins are the amounts, in the
    base currency (SAP "Amount in LC" alone): never converted again."""
    local = [c for c in _LOCAL if c in raw]
    if not local or any(c in raw for c in _LOCAL.values()):  # a document-currency amount too
        return raw, False
    return raw.rename(columns={c: _LOCAL[c] for c in local}), True


def shown_id(values: pd.Series) -> pd.Series:
    """A code written as a float by the tool that exported it ('1930661421.0') is the
    number the ERP showed: the '.0' goes, leading zeros stay."""
    if not values.str.contains(".", regex=False).any():
        return values
    return values.str.replace(r"^(-?[0-9]+)\.0+$", r"\1", regex=True)


def _profile(name: str):
    if not name:
        return None
    return next((p for p in load_profiles() if p.erp == name), None)


def currency_codes(raw: pd.Series, default: str, words: dict | None = None) -> pd.Series:
    return codes(raw, default, words)


def _doc_type_words(config, profile) -> dict:
    words = {w.lower(): k for k, names in DOC_TYPE_WORDS.items() for w in (k, *names)}
    words.update(all_doc_type_words())
    if profile is not None:
        words.update(profile.doc_types)
    for key, names in config.synonyms.get("doc_type", {}).items():
        words.update({n.strip().lower(): key for n in names})
    return words


def _doc_types(raw: pd.Series, config, profile=None) -> tuple[pd.Series, pd.Series]:
    """Document type words -> keys; blank stays blank (sign then decides)."""
    words = _doc_type_words(config, profile)
    # folded once per distinct word (a million rows hold a few dozen): 銷貨發票 -> 销货发票
    kinds = pd.Series(raw.unique(), dtype="str")
    keys = kinds.str.strip().str.lower().str.translate(traditional_table())
    folded = raw.map(dict(zip(kinds, keys, strict=True))).astype("str")
    mapped = folded.map(words)
    unknown = mapped.isna() & folded.ne("")
    return mapped.fillna(""), unknown


def _type_in_number(doc_no: pd.Series, doc_type: pd.Series, config, profile):
    """Xero's "Transaction" column holds "Invoice INV-0042": the type, then the number."""
    words = sorted(_doc_type_words(config, profile), key=len, reverse=True)
    words = [w for w in words if len(w) > 2 and not w.isdigit()]
    if not words or not doc_no.str.contains(" ", regex=False).any():
        return doc_no, doc_type
    pattern = r"(?i)^(" + "|".join(re.escape(w) for w in words) + r")\s*[:#]?\s+(\S.*)$"
    parts = doc_no.str.extract(pattern)
    hit = parts[0].notna()
    if not hit.any():
        return doc_no, doc_type
    lookup = _doc_type_words(config, profile)
    kinds = parts[0].str.lower().map(lookup)
    return doc_no.where(~hit, parts[1].str.strip()), doc_type.where(~hit, kinds.fillna(""))


def _dates(raw: pd.DataFrame, table: RawTable, config) -> dict:
    cleaned = {
        c: clean_date_text(raw[c]) for c in ("doc_date", "due_date", "settled_date") if c in raw
    }
    order = None if config.reading.date_order == "auto" else config.reading.date_order
    if order is None and needs_day_month_order(list(cleaned.values())):
        try:
            order = day_month_order(list(cleaned.values()))
        except AmbiguousDates:
            raise InputError("error.dates_both_orders", where=_where(table)) from None
        if order is None:
            raise InputError("error.date_order", where=_where(table))
    result = {}
    for column in ("doc_date", "due_date", "settled_date"):
        if column in cleaned:
            result[column] = parse_dates(cleaned[column], order)
        else:
            empty = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
            result[column] = (empty, pd.Series(False, index=raw.index))
    return result


def _where(table: RawTable) -> str:
    return f"{table.file} [{table.sheet}]" if table.sheet else table.file


_OPENING = r"(?i)^\s*(期初余额|期初|上期结转|上年结转|opening\s*balance|balance\s*forward|b/f|brought\s*forward)"


def _date_openings(out: pd.DataFrame, opening: pd.Series) -> None:
    """A balance brought forward (期初余额) with no date of its own is older than every
    document in the table: it takes the day before the earliest one, so it is settled first."""
    undated = opening & out["doc_date"].isna() & out["due_date"].isna()
    earliest = out.loc[~opening, "doc_date"].min()
    if undated.any() and not pd.isna(earliest):
        day = earliest - pd.Timedelta(days=1)
        out.loc[undated, "doc_date"] = day
        out.loc[undated, "due_date"] = day


def _opening_rows(text: dict, raw: pd.DataFrame, money: dict) -> pd.Series:
    """Opening-balance rows: their amount stands in the balance column only."""
    said = text["memo"].str.match(_OPENING) | text["doc_type"].str.match(_OPENING)
    if not {"open_amount", "running_balance"} & money.keys():
        return said & False
    movement = [raw[c].str.strip().ne("") for c in ("amount", "debit", "credit") if c in raw]
    moved = np.logical_or.reduce(movement) if movement else False
    return said & ~pd.Series(moved, index=raw.index)


def _direction(raw: pd.DataFrame, profile=None) -> pd.Series:
    """+1 / -1 / 0 from a 方向 column (借 / 贷 / 平); +1 where there is none."""
    if "direction" not in raw:
        return pd.Series(1, index=raw.index, dtype="int64")
    word = raw["direction"].str.strip().str.lower()
    words = {"贷": -1, "cr": -1, "credit": -1, "c": -1, "平": 0}
    if profile is not None:
        words.update(profile.direction_words)
    sign = word.map(words)
    return sign.fillna(1).astype("int64")


# Amounts stated in a larger unit: 万元 in the header (应收余额(万元)) or 单位：万元 in the title
# rows; "(in thousands)", "$000". Parsed with as many more decimals, so 38.05 万元 is
# 380,500.00 exactly.
_UNITS = (
    (r"亿元|亿", 8), (r"百万元|百万|(?i:in\s+millions|\bmillions\b|\$?m\)|\(mn\))", 6),
    (r"万元|万", 4), (r"千元|(?i:in\s+thousands|\bthousands\b|'000|\$000|\(000s?\)|\(k\))", 3),
)  # fmt: skip
_UNIT_IN_TITLE = r"(?:金额)?单位\s*[:：]\s*|(?i:amounts?\s+(?:are\s+)?in\s+|in\s+)"


def unit_places(table: RawTable, field: str) -> int:
    """How many powers of ten the export's money unit is (万元: 4), from the column's header,
    else from a "单位：万元" in the title rows; 0 for plain 元 / dollars."""
    header = str(table.headers.get(field, ""))
    for pattern, places in _UNITS:
        if re.search(rf"[(（\[【/]\s*(?:{pattern})\s*[)）\]】]?\s*$|(?:{pattern})\s*$", header):
            return places
    for line in table.titles:
        for pattern, places in _UNITS:
            if re.search(rf"(?:{_UNIT_IN_TITLE})(?:{pattern})", line):
                return places
    return 0


_TITLE_KEY = r"(?:^|\s)({keys})\s*[:：]\s*(.+?)(?=\s+(?:[^\s:：]{{1,12}}\s){{0,2}}[^\s:：]{{1,12}}\s*[:：]|$)"
_TITLE_NAME = _TITLE_KEY.format(
    keys="客户名称|客户全称|客户|往来单位|购货单位|购买方名称|购方名称|单位名称|"
    "(?i:customer\\s+name|customer|bill\\s+to|sold\\s+to)"
)
_TITLE_CODE = _TITLE_KEY.format(
    keys="客户编码|客户代码|客户编号|(?i:customer\\s+(?:no\\.?|number|id|code)|account\\s+no\\.?)"
)


def customer_in_titles(titles: list) -> dict:
    """The customer a statement's title rows name (客户名称：宁波海顺贸易有限公司 over a sheet
    of one customer's documents): {"customer_name": …, "customer_id": …} as found."""
    found = {}
    for line in titles:
        for field, pattern in (("customer_id", _TITLE_CODE), ("customer_name", _TITLE_NAME)):
            hit = re.search(pattern, line)
            if hit and field not in found and hit.group(2).strip():
                found[field] = hit.group(2).strip()
    return found


def decimal_comma_of(table: pd.DataFrame, setting) -> bool:
    """The table's decimal mark: the setting, or with 'auto' what its amounts say (one
    decision for every money column of the table and its totals rows)."""
    if setting != "auto":
        return bool(setting)
    columns = [table[c] for c in (*_MONEY, *_LOCAL) if c in table]
    return decimal_comma_in(columns) if columns else False


def _signed_amounts(
    out: pd.DataFrame,
    layout: str,
    money: dict,
    doc_type: pd.Series,
    direction: pd.Series,
    opening: pd.Series,
) -> None:
    """Fill amount_minor (the document), open_minor and balance_minor (its effect on the debt)."""
    zero = pd.Series(0, index=out.index, dtype="int64")
    if "debit" in money or "credit" in money:
        debit = money.get("debit", (zero, None))[0]
        credit = money.get("credit", (zero, None))[0]
        amount = debit - credit
        if "amount" in money:
            amount = amount.where((debit != 0) | (credit != 0), money["amount"][0])
    else:
        amount = money.get("amount", money.get("open_amount", (zero, None)))[0]
    # A credit-type document lowers the debt whatever sign the export wrote it with.
    credit_type = doc_type.isin(_CREDIT_TYPES)
    amount = amount.where(~credit_type, -amount.abs())
    # an open balance, or a running balance (which only an opening-balance row reads)
    stated = "open_amount" if "open_amount" in money else "running_balance"
    open_amount = money[stated][0] if stated in money else amount
    if stated in money:
        open_amount = (open_amount.abs() * direction).where(direction != 1, open_amount)
        open_amount = open_amount.where(~credit_type, -open_amount.abs())
    amount = amount.where(~opening, open_amount)
    basis = open_amount if layout == "open_items" else amount
    kind = doc_type.where(doc_type != "", np.where(basis < 0, "credit_note", "invoice"))
    out["doc_type"] = kind.where(~opening, "adjustment")
    out["amount_minor"] = amount.astype("int64")
    out["open_minor"] = open_amount.astype("int64")
    out["balance_minor"] = basis.astype("int64")


def _base_amounts(out, raw, layout, money, local, doc_type, direction, opening, base,
                  base_only):  # fmt: skip
    """Each row's signed effect in the base currency where the export states it (本币 / LC
    columns, or a per-row rate); <NA> where it must be converted with the FX table."""
    unknown = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if base_only:
        return out["balance_minor"].astype("Int64")
    if local:
        stated = np.logical_or.reduce([raw[_LOCAL_NAME[t]].str.strip().ne("") for t in local])
        if (
            layout == "open_items"
            and {"open_amount", "amount"} <= set(money)
            and set(local) == {"amount"}
        ):
            # 未核销金额 beside 价税合计本位币 only: the open part in base at the document's rate
            part = pro_rata(money["open_amount"][0], local["amount"][0].where(stated),
                            money["amount"][0])  # fmt: skip
            stated = stated & part.notna().to_numpy()
            local = {"open_amount": (part.fillna(0).astype("int64"), None)}
        scratch = pd.DataFrame(index=out.index)
        _signed_amounts(scratch, layout, local, doc_type, direction, opening)
        known = scratch["balance_minor"].astype("Int64").where(stated)
        # a row in the base currency is its own base amount
        return known.where(out["currency"].ne(base), out["balance_minor"].astype("Int64"))
    if "fx_rate" in raw:
        return _at_row_rates(out, raw["fx_rate"], base).where(
            out["currency"].ne(base), out["balance_minor"]
        )
    return unknown


def _at_row_rates(out: pd.DataFrame, rates: pd.Series, base: str) -> pd.Series:
    """balance * the row's own exchange rate (汇率), exactly, rounded half up."""
    found = pd.Series(pd.NA, index=out.index, dtype="Int64")
    text = rates.str.strip().str.replace(",", "", regex=False)
    for (rate, code), rows in out.groupby([text, out["currency"]]).groups.items():
        try:
            factor = Fraction(Decimal(rate))
        except (InvalidOperation, ValueError):
            continue
        if factor <= 0 or not re.fullmatch(r"[A-Z]{3}", code):
            continue
        shift = currency_decimals(base) - currency_decimals(code)
        minor = out.loc[rows, "balance_minor"].to_numpy()
        found[rows] = scale(minor, factor * Fraction(10) ** shift)
    return found


def _register_receipts(out: pd.DataFrame, money: dict, decimals: pd.Series) -> pd.DataFrame:
    """Invoice register: each paid amount becomes a receipt row naming its invoice, dated at
    the settled date; a credited amount (Xero's "Credited") a credit note naming it.

    With a settled date and no paid amount, the whole invoice was paid on that date.
    """
    zero = pd.Series(0, index=out.index, dtype="int64")
    amount = out["amount_minor"]
    paid = money["paid_amount"][0] if "paid_amount" in money else zero
    credited = money["credited_amount"][0] if "credited_amount" in money else zero
    paid = paid.where(~(paid.eq(0) & credited.eq(0) & out["settled_date"].notna()), amount)
    parts = [out.assign(synthetic=False)]
    for kind, value, suffix in (("receipt", paid, "/paid"), ("credit_note", credited, "/credit")):
        rows = out[value.ne(0) & out["excluded"].eq("")].copy()
        rows["doc_type"] = kind
        rows["applies_to"] = rows["doc_no"]
        rows["doc_no"] = rows["doc_no"] + suffix
        if kind == "receipt":
            rows["doc_date"] = rows["settled_date"].fillna(rows["doc_date"])
            rows["doc_date_text"] = rows["settled_date_text"].where(
                rows["settled_date"].notna(), rows["doc_date_text"]
            )
        rows["due_date"] = pd.NaT
        rows["amount_minor"] = -value[rows.index].abs()
        rows["open_minor"] = rows["amount_minor"]
        rows["balance_minor"] = rows["amount_minor"]
        # the payment in base at the invoice's own rate, where the export gives one
        invoice = out.loc[rows.index]
        rows["base_minor"] = pro_rata(
            rows["amount_minor"], invoice["base_minor"], invoice["amount_minor"]
        )
        parts.append(rows.assign(synthetic=True))
    return pd.concat(parts).sort_values(["src_row", "synthetic"], kind="stable")


# ---- side tables -------------------------------------------------------------------------

CODED_VALUES = {
    "cooperation": {
        "cooperative": ("cooperative", "配合", "良好", "good"),
        "slow": ("slow", "拖延", "缓慢", "一般"),
        "evasive": ("evasive", "躲避", "回避", "推诿"),
        "hostile": ("hostile", "恶意", "拒付", "恶意拖欠"),
    },
    "status": {
        "active": ("active", "正常", "在营", "存续", "活跃"),
        "closed": ("closed", "关闭", "停止合作", "已关闭"),
        "lawsuit": ("lawsuit", "诉讼中", "诉讼", "起诉"),
        "bankrupt": ("bankrupt", "破产", "破产清算"),
        "deregistered": ("deregistered", "注销", "已注销", "吊销"),
        "untraceable": ("untraceable", "失联", "下落不明"),
    },
    "settlement": {
        "credit": ("credit", "赊销", "信用"),
        "cash_only": ("cash_only", "cash only", "现款现货", "现结", "款到发货"),
        "deliver_two_settle_one": ("deliver_two_settle_one", "送二结一"),
        "monthly": ("monthly", "月结"),
    },
    "financial_strength": {
        "strong": ("strong", "强", "雄厚"),
        "medium": ("medium", "中", "一般"),
        "weak": ("weak", "弱", "薄弱"),
    },
    "channel": {
        "phone": ("phone", "call", "电话", "打电话", "电话催收", "手机"),
        # a written message by any messenger: WeChat, QQ, DingTalk, WhatsApp count as an SMS
        "sms": ("sms", "短信", "text", "微信", "wechat", "weixin", "qq", "钉钉", "dingtalk",
                "whatsapp", "企业微信", "message"),
        "email": ("email", "e-mail", "邮件", "电子邮件"), "letter": ("letter", "信函", "函件", "催款函"),
        "visit": ("visit", "拜访", "上门", "上门拜访", "面谈"), "agency": ("agency", "委托", "催收公司"),
        "lawyer": ("lawyer", "律师", "律师函"), "lawsuit": ("lawsuit", "诉讼", "起诉"),
        "fax": ("fax", "传真"),
    },
    "outcome": {
        "no_answer": ("no_answer", "no answer", "未接通", "无人接听", "未接", "关机", "无人应答"),
        "reached": ("reached", "已联系", "接通", "已接通", "已沟通", "contacted"),
        "promised": ("promised", "承诺", "承诺付款", "已承诺", "承诺还款", "答应付款", "同意付款",
                     "promise", "promise to pay", "ptp"),
        "acknowledged": ("acknowledged", "确认", "已确认", "对账确认"),
        "disputed": ("disputed", "争议", "有争议"),
        "refused": ("refused", "拒绝", "拒付"),
        "paid": ("paid", "已付", "已付款", "已回款", "已收款"),
    },
}  # fmt: skip


def code_values(raw: pd.Series, field: str, config) -> tuple[pd.Series, pd.Series]:
    """Coded text (English key or Chinese word) -> key; returns (keys, unknown non-blank mask)."""
    words = {}
    for key, names in CODED_VALUES[field].items():
        for name in (*names, *config.synonyms.get(field, {}).get(key, [])):
            words[name.strip().lower()] = key
    folded = raw.fillna("").str.strip().str.lower()
    mapped = folded.map(words)
    return mapped.fillna(""), mapped.isna() & folded.ne("")


def normalise_customers(table: RawTable, config):
    raw = table.frame
    where = dict(file=table.file, sheet=table.sheet)
    # a master keyed by name (QuickBooks, Xero, Odoo): the name is the key, as in a ledger
    # that names its customers without codes
    key = raw["customer_id"] if "customer_id" in raw else raw["name"].str.strip()
    out = pd.DataFrame({"customer_id": key, "src_row": raw["src_row"]})
    for column in (
        "name",
        "sales_rep",
        "manager",
        "manager_email",
        "region",
        "credit_rating",
        "group",
        "currency",
        "dunning_block",
    ):
        out[column] = raw[column].str.strip() if column in raw else ""
    out["credit_rating"] = out["credit_rating"].str.upper()
    issues = []
    for field in ("cooperation", "status", "settlement", "financial_strength"):
        values = raw[field] if field in raw else pd.Series("", index=raw.index, dtype="str")
        out[field], unknown = code_values(values, field, config)
        issues.append(
            rows_issue(
                out,
                unknown,
                "master.value_unknown",
                column=field,
                value=values,
                message=f"Unknown {field} value: " + values,
                **where,
            )
        )
    for field in ("terms_days", "distance_km", "settlement_day"):
        values = raw[field] if field in raw else pd.Series("", index=raw.index, dtype="str")
        if field == "terms_days":  # "Net 30", "月结60天", "ZB30", 货到付款 as the ledger reads them
            out[field] = terms_days_of(values)
            bad = out[field].isna() & values.fillna("").str.strip().ne("")
        else:
            out[field], bad = parse_int(values)
        issues.append(
            rows_issue(
                out,
                bad,
                "master.value_unknown",
                column=field,
                value=values,
                message=f"Not a whole number for {field}: " + values,
                **where,
            )
        )
    limit = raw["credit_limit"] if "credit_limit" in raw else pd.Series("", index=raw.index)
    limit_minor, bad = parse_amounts(limit.astype(str), 2)
    out["credit_limit_minor"] = limit_minor.astype("Int64").where(
        limit.astype(str).str.strip().ne("")
    )
    issues.append(
        rows_issue(
            out,
            bad,
            "master.value_unknown",
            column="credit_limit",
            value=limit.astype(str),
            message="Credit limit is not a number.",
            **where,
        )
    )
    out = out[out["customer_id"].ne("")]
    dup = out["customer_id"].duplicated()
    issues.append(
        rows_issue(
            out,
            dup,
            "master.duplicate_id",
            column="customer_id",
            value=out["customer_id"],
            message="Customer id listed twice.",
            **where,
        )
    )
    return out[~dup].reset_index(drop=True), concat_issues(issues)


def _id_fold(text: str) -> str:
    """An id as a person compares it: no spaces, upper case, no leading zeros on a number."""
    folded = re.sub(r"\s+", "", str(text)).upper()
    return (folded.lstrip("0") or "0") if folded.isdigit() else folded


def pair_master_ids(master: pd.DataFrame, ledger_ids, file: str, sheet: str):
    """The master with each id the ledger spells otherwise (00123 / 123, C002 / c002, GZ 003 /
    GZ003) renamed to the ledger's spelling, where exactly one ledger id and one master id
    fold together; each pairing a `master.id_spelling` warning naming both. Ids that fold
    together two ways stay apart (then customer.not_in_master / master.no_ledger_rows)."""
    if master is None or master.empty:
        return master, concat_issues([])
    ledger = set(pd.Series(ledger_ids, dtype="str").dropna())
    known = master["customer_id"].isin(ledger)
    taken = set(master["customer_id"])
    by_fold: dict[str, list] = {}
    for cid in sorted(ledger - taken):
        by_fold.setdefault(_id_fold(cid), []).append(cid)
    folds = master["customer_id"].map(_id_fold)
    loose = folds[~known]
    single = loose[~loose.duplicated(keep=False)]
    pairs = {at: by_fold[f][0] for at, f in single.items() if len(by_fold.get(f, ())) == 1}
    if not pairs:
        return master, concat_issues([])
    paired = master.copy()
    was = master["customer_id"]
    paired.loc[list(pairs), "customer_id"] = pd.Series(pairs)
    mask = master.index.isin(list(pairs))
    mask = pd.Series(mask, index=master.index)
    issue = rows_issue(
        paired,
        mask,
        "master.id_spelling",
        file=file,
        sheet=sheet,
        column="customer_id",
        value=was,
        message="Customer master id "
        + was
        + " is paired with the ledger's "
        + paired["customer_id"]
        + ": they differ only by leading zeros, case or spaces.",
    )
    return paired, issue


def normalise_contacts(table: RawTable, config):
    raw = table.frame
    where = dict(file=table.file, sheet=table.sheet)
    out = pd.DataFrame({"customer_id": raw["customer_id"], "src_row": raw["src_row"]})
    out["doc_no"] = raw.get("doc_no", "")
    out["note"] = raw.get("note", "")
    out["by"] = raw.get("by", "")
    unknown = {}
    for field in ("channel", "outcome"):
        values = raw[field] if field in raw else pd.Series("", index=raw.index, dtype="str")
        out[field], unknown[field] = code_values(values, field, config)
    cleaned = {c: clean_date_text(raw[c]) for c in ("contact_date", "promise_date") if c in raw}
    order = None if config.reading.date_order == "auto" else config.reading.date_order
    if order is None and needs_day_month_order(list(cleaned.values())):
        try:
            order = day_month_order(list(cleaned.values()))
        except AmbiguousDates:
            order = None
    out["src_file"] = table.file
    out["src_sheet"] = table.sheet
    issues, bad = [], pd.Series(False, index=raw.index)

    def unreadable(mask, column, what):
        nonlocal bad
        mask = mask & ~bad & out["customer_id"].ne("")
        issues.append(
            rows_issue(
                out,
                mask,
                "contact.unreadable",
                column=table.headers.get(column, column),
                value=raw.get(column, None),
                message=f"Contact skipped: the {what} is not readable.",
                **where,
            )
        )
        bad |= mask

    for column in ("contact_date", "promise_date"):
        if column in cleaned:
            out[column], wrong = parse_dates(cleaned[column], order)
            unreadable(wrong, column, column.replace("_", " "))
        else:
            out[column] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
    amount = raw["promise_amount"] if "promise_amount" in raw else pd.Series("", index=raw.index)
    out["promise_minor"], wrong = parse_amounts(amount.astype(str), 2)
    unreadable(wrong, "promise_amount", "promise amount")
    # A returned pack lists every customer with the input cells left empty: only rows where
    # something was entered are contacts.
    typed = [
        c
        for c in (
            "contact_date",
            "channel",
            "outcome",
            "promise_date",
            "promise_amount",
            "note",
            "by",
        )
        if c in raw
    ]
    entered = np.logical_or.reduce([raw[c].str.strip().ne("") for c in typed]) if typed else bad
    entered = pd.Series(entered, index=raw.index)
    unreadable(out["contact_date"].isna() & entered, "contact_date", "contact date")
    keep = ~bad & out["customer_id"].ne("") & entered
    # a promise date and amount with no outcome read: a promise (DESIGN: promises are checked)
    dated = out["promise_date"].notna() & out["promise_minor"].fillna(0).gt(0)
    out["outcome"] = out["outcome"].mask(out["outcome"].eq("") & dated, "promised")
    for field, mask in unknown.items():  # kept without the word, never silently
        issues.append(
            rows_issue(
                out,
                mask & keep,
                "contact.value_unknown",
                column=table.headers.get(field, field),
                value=raw[field],
                message=f"Not a known {field} in the contact log: " + raw[field].astype(str),
                **where,
            )
        )
    return out[keep].reset_index(drop=True), concat_issues(issues)


# "USD/CNY", "JPY-CNY", "EUR:CNY": the first currency's rate in the second
_PAIR = r"^([A-Z]{3})\s*[/\-:]\s*([A-Z]{3})$"


def normalise_fx(table: RawTable, config, as_of=None):
    """The FX table's rates: ({currency: rate text, exact}, {currency: (quote, row)} of a
    pair column, issues).

    A unit column (日元 100 4.75) divides the rate (0.0475 per yen). A date column chooses,
    per currency, the latest rate dated on or before `as_of` (with none given: the latest).
    Several rates for a currency and no date: the last row's, with `fx.several_rates`. A pair
    (USD/CNY 7.1) is the first currency's rate in the second, which read() checks is the base.
    Raises InputError for a rate or unit that is not a number."""
    raw = table.frame
    blank = pd.Series("", index=raw.index, dtype="str")
    currency, quote = fx_currencies(raw)
    rows = pd.DataFrame({"currency": currency, "quote": quote, "src_row": raw["src_row"]})
    rows["rate"] = [
        _fx_number(rate, unit, table.file, row, cur)
        for rate, unit, row, cur in zip(
            raw["rate"], raw.get("unit", blank), raw["src_row"], currency, strict=True
        )
    ]
    rows["date"] = _fx_dates(raw, config)
    rows = rows[rows["currency"].ne("") & rows["rate"].ne("")]
    issues = []
    if rows["date"].notna().any():
        cutoff = pd.Timestamp(as_of) if as_of is not None else rows["date"].max()
        rows = rows[rows["date"].le(cutoff)].sort_values("date", kind="stable")
    else:
        several = rows.groupby("currency", sort=True).agg(list)
        for cur, rates, at in several[several["rate"].str.len() > 1][
            ["rate", "src_row"]
        ].itertuples():
            issues.append(
                one_issue(
                    "fx.several_rates",
                    f"Several FX rates for {cur} ({', '.join(rates)}) and no date to choose "
                    f"by; the last, {rates[-1]}, is used.",
                    file=table.file,
                    sheet=table.sheet,
                    row=at[-1],
                    column="rate",
                    value=cur,
                    params={"rates": ", ".join(rates), "used": rates[-1]},
                )
            )
    last = rows.drop_duplicates("currency", keep="last")
    rates = dict(zip(last["currency"], last["rate"], strict=True))
    quotes = {r.currency: (r.quote, r.src_row) for r in last.itertuples() if r.quote}
    return rates, quotes, concat_issues(issues)


def fx_currencies(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each FX row's currency code and, for a pair (USD/CNY), the currency it is quoted in."""
    column = "pair" if "pair" in raw else "currency"
    pairs = raw[column].fillna("").str.strip().str.upper().str.extract(_PAIR)
    currency = currency_codes(raw["currency"], "") if "currency" in raw else pairs[0]
    return currency.where(pairs[0].isna(), pairs[0]).fillna(""), pairs[1].fillna("")


def _fx_number(rate, unit, file, row, currency) -> str:
    """The rate per one unit of the currency, as exact text ('4.75' per 100 -> '0.0475')."""
    rate = str(rate).strip().replace(",", "")
    unit = str(unit).strip().replace(",", "")
    if not currency or not rate:
        return ""
    for value in (rate, unit or "1"):
        try:
            Decimal(value)
        except InvalidOperation:
            raise InputError(
                "error.fx_row_not_number", file=file, row=row, currency=currency,
                value=repr(value),
            ) from None  # fmt: skip
    if not unit or Decimal(unit) in (0, 1):
        return rate
    return format((Decimal(rate) / Decimal(unit)).normalize(), "f")


def _fx_dates(raw: pd.DataFrame, config) -> pd.Series:
    if "rate_date" not in raw:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
    cleaned = clean_date_text(raw["rate_date"])
    order = None if config.reading.date_order == "auto" else config.reading.date_order
    if order is None and needs_day_month_order([cleaned]):
        try:
            order = day_month_order([cleaned])
        except AmbiguousDates:
            order = None
    return parse_dates(cleaned, order)[0]
