"""Column synonyms: how headers in real exports map to canonical field names.

In: a header as written ("客户名称", "Customer No.", "Amount in LC"). Out: the canonical field
name or None. Matching ignores case, width (full-width forms), spaces, punctuation and a
trailing unit like "(CNY)". The config may add synonyms per field (`columns:` section).
"""

from __future__ import annotations

import re
import unicodedata

# Canonical field -> synonyms. The canonical name itself always matches.
# Order matters only for readability; the longest normalised match wins (see match_header).
LEDGER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer id",
        "customer no",
        "customer number",
        "customer code",
        "cust no",
        "cust number",
        "cust_number",
        "customerid",
        "account",
        "account no",
        "debtor",
        "debtor code",
        "kunnr",
        "客户编码",
        "客户代码",
        "客户编号",
        "客户号",
        "往来单位编码",
        "单位编码",
        "客户ID",
    ),
    "customer_name": (
        "customer",
        "customer name",
        "name",
        "name_customer",
        "client",
        "client name",
        "debtor name",
        "account name",
        "name 1",  # SAP's customer name field
        "contact",  # Xero calls its customers contacts
        "contact name",
        "客户",
        "客户名称",
        "往来单位",
        "单位名称",
        "客户全称",
        "购货单位",
        "购买方",
    ),
    "doc_no": (
        "document no",
        "document number",
        "doc no",
        "doc number",
        "doc_id",
        "invoice",
        "invoice no",
        "invoice number",
        "invoicenumber",
        "invoice_id",
        "reference",
        "ref",
        "num",
        "number",
        "transaction no",
        "belnr",
        "单据号",
        "单据编号",
        "发票号",
        "发票号码",
        "凭证号",
        "凭证字号",
        "单号",
        "业务单号",
    ),
    "doc_type": (
        "type",
        "document type",
        "doc type",
        "transaction type",
        "trans type",
        "blart",
        "单据类型",
        "业务类型",
        "类型",
        "摘要类型",
    ),
    "doc_date": (
        "date",
        "document date",
        "doc date",
        "invoice date",
        "invoicedate",
        "posting date",
        "posting_date",
        "transaction date",
        "bldat",
        "budat",
        "日期",
        "单据日期",
        "开票日期",
        "发票日期",
        "业务日期",
        "记账日期",
        "凭证日期",
    ),
    "due_date": (
        "due date",
        "duedate",
        "due_in_date",
        "net due date",
        "payment due",
        "faedt",
        "到期日",
        "到期日期",
        "应收日期",
        "收款到期日",
        "约定收款日",
    ),
    "terms_days": ("terms days", "payment terms days", "账期天数", "信用天数", "账期"),
    "currency": (
        "currency",
        "curr",
        "ccy",
        "invoice_currency",
        "waers",
        "local currency",
        "document currency",
        "币种",
        "币别",
        "货币",
    ),
    "amount": (
        "amount",
        "invoice amount",
        "invoiceamount",
        "document amount",
        "total",
        "value",
        "amount in dc",
        "amount in lc",
        "amount in local currency",
        "amount in doc. curr.",
        "total amount",
        "gross amount",
        "converted_usd",
        "dmbtr",
        "wrbtr",
        "金额",
        "发票金额",
        "单据金额",
        "应收金额",
        "含税金额",
        "价税合计",
        "本币金额",
    ),
    "debit": ("debit", "dr", "debit amount", "借方", "借方金额", "本期应收", "增加"),
    "credit": ("credit", "cr", "credit amount", "贷方", "贷方金额", "本期收回", "减少"),
    "open_amount": (
        "open amount",
        "open balance",
        "balance",
        "amount due",
        "due",  # Xero's amount still due (its date column is "Due Date")
        "outstanding",
        "open",
        "total_open_amount",
        "balance due",
        "remaining",
        "余额",
        "未收金额",
        "应收余额",
        "未核销金额",
        "剩余金额",
        "欠款金额",
        "期末余额",
    ),
    "credited_amount": ("credited", "credit applied", "credited amount", "已冲销金额", "红冲金额"),
    "paid_amount": (
        "paid",
        "paid amount",
        "amount paid",
        "已收金额",
        "已核销金额",
        "收款金额",
        "已收",
    ),
    "settled_date": (
        "settled date",
        "settleddate",
        "paid date",
        "payment date",
        "clear date",
        "clear_date",
        "clearing date",
        "augdt",
        "核销日期",
        "收款日期",
        "结清日期",
    ),
    "applies_to": (
        "applies to",
        "applied to",
        "invoice ref",
        "against invoice",
        "for invoice",
        "paid invoice",
        "对应发票",
        "核销单据",
        "对应单据",
        "核销发票号",
    ),
    "sales_rep": (
        "sales rep",
        "salesperson",
        "sales person",
        "rep",
        "业务员",
        "销售员",
        "经办人",
    ),
    "region": ("region", "area", "territory", "区域", "地区", "片区"),
    "direction": ("direction", "dr/cr", "d/c", "方向", "余额方向", "借贷方向"),
    "memo": ("memo", "description", "text", "remark", "摘要", "备注", "说明"),
}

CUSTOMER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": LEDGER_SYNONYMS["customer_id"],
    "name": (
        "customer name",
        "name",
        "customer",
        "客户名称",
        "客户",
        "单位名称",
        "客户全称",
    ),
    "sales_rep": LEDGER_SYNONYMS["sales_rep"],
    "manager": ("manager", "sales manager", "销售经理", "经理", "主管"),
    "manager_email": (
        "manager email",
        "manager e-mail",
        "email",
        "e-mail",
        "经理邮箱",
        "邮箱",
    ),
    "region": LEDGER_SYNONYMS["region"],
    "distance_km": ("distance km", "distance", "距离", "距离公里", "距离km"),
    "credit_limit": ("credit limit", "limit", "信用额度", "授信额度"),
    "credit_rating": ("credit rating", "rating", "信用等级", "信用评级"),
    "financial_strength": ("financial strength", "strength", "经济实力", "财务实力"),
    "cooperation": ("cooperation", "attitude", "配合度", "配合程度", "还款态度"),
    "status": ("status", "customer status", "客户状态", "状态"),
    "terms_days": (
        "terms",
        "terms days",
        "payment terms",
        "账期",
        "账期天数",
        "信用天数",
    ),
    "settlement": ("settlement", "settlement mode", "结算方式"),
    "group": ("group", "customer group", "集团", "所属集团", "客户分组"),
    "settlement_day": ("settlement day", "payment day", "结算日", "对账日", "付款日", "回款日"),
    "dunning_block": ("dunning block", "blocked", "do not chase", "催收冻结", "暂停催收", "冻结"),
    "currency": LEDGER_SYNONYMS["currency"],
}

CONTACT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "contact_date": ("contact date", "date", "联系日期", "日期", "催收日期"),
    "customer_id": LEDGER_SYNONYMS["customer_id"],
    "doc_no": LEDGER_SYNONYMS["doc_no"],
    "channel": ("channel", "method", "方式", "催收方式", "联系方式"),
    "outcome": ("outcome", "result", "结果", "催收结果"),
    "promise_date": ("promise date", "promised date", "承诺日期", "承诺付款日期"),
    "promise_amount": ("promise amount", "promised amount", "承诺金额", "承诺付款金额"),
    "note": ("note", "notes", "remark", "备注", "说明"),
    "by": ("by", "contacted by", "owner", "催收人", "联系人"),
}

FX_SYNONYMS: dict[str, tuple[str, ...]] = {
    "currency": LEDGER_SYNONYMS["currency"],
    "rate": ("rate", "fx rate", "exchange rate", "rate to base", "汇率", "折算汇率"),
}

TABLE_SYNONYMS = {
    "ledger": LEDGER_SYNONYMS,
    "customers": CUSTOMER_SYNONYMS,
    "contacts": CONTACT_SYNONYMS,
    "fx": FX_SYNONYMS,
}

_UNIT_SUFFIX = re.compile(r"[(（\[【].*?[)）\]】]$")
_NOISE = re.compile(r"[\s_\-\.:：/#№]+")


def normalise_header(text: str) -> str:
    """Fold width, case, spacing and punctuation: 'Customer No.' and 'ＣＵＳＴＯＭＥＲ_NO' agree."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    folded = _UNIT_SUFFIX.sub("", folded).strip() or folded
    return _NOISE.sub("", folded)


def synonym_index(table: str, extra: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Normalised header -> canonical field for one table kind, config synonyms winning."""
    index: dict[str, str] = {}
    for canonical, names in TABLE_SYNONYMS[table].items():
        for name in (canonical, *names):
            index.setdefault(normalise_header(name), canonical)
    for canonical, names in (extra or {}).items():
        for name in names:
            index[normalise_header(name)] = canonical
    return index


# A header that means the customer's name when it stands alone but its id when a separate name
# column exists (SAP FBL5N "Customer" + "Name 1"; QuickBooks has only "Customer", the name).
FALLBACK = {"customer_name": "customer_id"}


def map_headers(headers: list[str], index: dict[str, str]) -> dict[str, int]:
    """Canonical field -> column position; the first column wins when two headers mean one field,
    except that a bare 'Customer' yields the name field to a later, more specific name column."""
    mapping: dict[str, int] = {}
    for position, header in enumerate(headers):
        canonical = index.get(normalise_header(header)) if header else None
        if not canonical:
            continue
        if canonical not in mapping:
            mapping[canonical] = position
            continue
        earlier = normalise_header(headers[mapping[canonical]])
        fallback = FALLBACK.get(canonical)
        if earlier in _BARE and fallback and fallback not in mapping:
            mapping[fallback] = mapping[canonical]
            mapping[canonical] = position
    return mapping


_BARE = {normalise_header(h) for h in ("customer", "client", "客户", "debtor", "account")}
