"""The canonical fields of each input table and the words that name them in real exports.

In: a header as written ("客户名称", "Customer No.", "未收余额", "Remaining Amt. (LCY)"). Out:
candidate fields with a score and how they matched; aging.reading.headers weighs them against
the values under the header and assigns each column once (`assign`).

Three ways a header names a field, strongest first:
- a synonym: the whole header, folded (case, width, spaces, punctuation, a trailing unit like
  "(元)"), equals a known name (`LEDGER_SYNONYMS` …; the config's `columns:` and an ERP
  profile's labels outrank these);
- its words: a header made of known parts ("未收余额", "本币余额", "应收余额(元)" all say balance;
  "Voucher No", "单据编号" say document number), with a local-currency qualifier ("本币",
  "LC", "LCY", "local currency") turning an amount into its base-currency twin (`TOKEN_RULES`);
- its values (dates, amounts, codes): checked for every candidate, so "Due" over dates is the
  due date and never the amount.
No issues: an unmatched header is simply unused (and listed by --explain).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Each field's kind says what the values under it must look like (aging.reading.headers).
DATE, MONEY, NUMBER, TEXT, CURRENCY = "date", "money", "number", "text", "currency"

# field -> (kind, meaning); the README's field reference is generated from this (and checked).
LEDGER_FIELDS: dict[str, tuple[str, str]] = {
    "customer_id": (TEXT, "Customer code as the ERP keeps it ('00123' stays '00123')."),
    "customer_name": (TEXT, "Customer name; stands in for the code when there is none."),
    "doc_no": (TEXT, "Document number: invoice, credit note or receipt number."),
    "doc_type": (TEXT, "Document type (销售发票, 收款单, Invoice, Payment, RV, DZ …)."),
    "doc_date": (DATE, "Document or posting date."),
    "due_date": (DATE, "Due date (net due date); missing: document date + terms."),
    "terms_days": (NUMBER, "Payment terms in days."),
    "currency": (CURRENCY, "Document currency (币种/币别, Curr.)."),
    "amount": (MONEY, "Document amount in the document currency."),
    "debit": (MONEY, "Debit amount (借方): raises the debt."),
    "credit": (MONEY, "Credit amount (贷方): lowers the debt."),
    "open_amount": (MONEY, "Open balance still owed, in the document currency."),
    "paid_amount": (MONEY, "Amount paid against the invoice (invoice register)."),
    "credited_amount": (MONEY, "Amount credited against the invoice (invoice register)."),
    "settled_date": (DATE, "Date the invoice was settled (invoice register)."),
    "amount_local": (MONEY, "Document amount in the company's currency (本币金额, Amount in LC)."),
    "open_amount_local": (MONEY, "Open balance in the company's currency (本币余额, LCY)."),
    "debit_local": (MONEY, "Debit in the company's currency (本币借方)."),
    "credit_local": (MONEY, "Credit in the company's currency (本币贷方)."),
    "local_currency": (CURRENCY, "Currency of the company-currency amounts (SAP LCurr)."),
    "fx_rate": (NUMBER, "Exchange rate of the row, document currency to company currency."),
    "running_balance": (MONEY, "Running balance of a transactions ledger (never an open amount)."),
    "applies_to": (TEXT, "The invoice a receipt or credit note pays (核销发票号, Applies To)."),
    "sales_rep": (TEXT, "Sales representative (业务员)."),
    "region": (TEXT, "Region or territory (区域)."),
    "direction": (TEXT, "Balance direction 借/贷 (方向) of a running balance."),
    "memo": (TEXT, "Description or memo (摘要)."),
    "disputed": (TEXT, "Dispute flag (争议, Disputed: yes/no); a disputed item is not dunned."),
    "dispute_reason": (TEXT, "Dispute reason or status; filled means disputed."),
    "ignore": (TEXT, "A column read and deliberately left unused (age bands, age in days)."),
}

LEDGER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer id", "customer no", "customer number", "customer code", "cust no",
        "cust number", "cust_number", "customerid", "account", "account no", "debtor",
        "debtor code", "kunnr", "customer account", "客户编码", "客户代码", "客户编号", "客户号",
        "往来单位编码", "单位编码", "往来户编码", "往来户代码", "客户ID", "kundennummer", "kundennr",
        "debitornr", "debitorennr", "debitorennummer", "konto", "kontonummer",
    ),
    "customer_name": (
        "customer", "customer name", "name", "name_customer", "client", "client name",
        "debtor name", "account name", "name 1", "contact", "contact name", "客户", "客户名称",
        "往来单位", "单位名称", "往来户", "往来户名称", "客户全称", "购货单位", "购买方",
        "购方企业名称", "购方名称",
        "购买方名称", "kunde", "debitor",
        "kundenname", "debitorname", "debitorenname",
    ),
    "doc_no": (
        "document no", "document number", "doc no", "doc number", "doc_id", "invoice",
        "invoice no", "invoice number", "invoicenumber", "invoice_id", "reference", "ref",
        "num", "number", "transaction no", "belnr", "voucher no", "单据号", "单据编号", "发票号",
        "发票号码", "凭证号", "凭证字号", "单号", "业务单号", "belegnr", "belegnummer",
        "rechnungsnummer", "rechnungsnr",
    ),
    "doc_type": (
        "type", "document type", "doc type", "transaction type", "trans type", "blart",
        "voucher type", "单据类型", "业务类型", "类型", "摘要类型",
    ),
    "doc_date": (
        "date", "document date", "doc date", "invoice date", "invoicedate", "posting date",
        "posting_date", "transaction date", "bldat", "budat", "日期", "单据日期", "开票日期",
        "发票日期", "业务日期", "记账日期", "凭证日期", "belegdatum", "rechnungsdatum",
        "buchungsdatum",
    ),
    "due_date": (
        "due date", "duedate", "due_in_date", "net due date", "payment due", "faedt",
        "到期日", "到期日期", "应收日期", "收款到期日", "约定收款日", "fälligkeitsdatum",
        "fälligkeit", "fällig am", "nettofälligkeit",
    ),
    "terms_days": ("terms days", "payment terms days", "账期天数", "信用天数", "账期"),
    "currency": (
        "currency", "curr", "ccy", "invoice_currency", "waers", "document currency",
        "币种", "币别", "货币", "währung", "währungscode",
    ),
    "amount": (
        "amount", "invoice amount", "invoiceamount", "document amount", "total", "value",
        "amount in dc", "amount in doc curr", "total amount", "gross amount", "converted_usd",
        "wrbtr", "金额", "发票金额", "单据金额", "应收金额", "含税金额", "价税合计", "原币金额",
    ),
    "debit": ("debit", "dr", "debit amount", "借方", "借方金额", "本期应收", "增加"),
    "credit": ("credit", "cr", "credit amount", "贷方", "贷方金额", "本期收回", "减少"),
    "open_amount": (
        "open amount", "open balance", "balance", "amount due", "due", "outstanding",
        "open", "total_open_amount", "balance due", "remaining", "余额", "未收金额", "应收余额",
        "未核销金额", "剩余金额", "欠款金额", "期末余额", "原币余额", "restbetrag",
        "offener betrag",
    ),
    "credited_amount": ("credited", "credit applied", "credited amount", "已冲销金额", "红冲金额"),
    "paid_amount": ("paid", "paid amount", "amount paid", "已收金额", "已核销金额", "收款金额", "已收"),
    "settled_date": (
        "settled date", "settleddate", "paid date", "payment date", "clear date", "clear_date",
        "clearing date", "augdt", "核销日期", "收款日期", "结清日期",
    ),
    "amount_local": (
        "amount in lc", "amount in local currency", "local amount", "lc amount", "dmbtr",
        "本币金额", "本位币金额",
    ),
    "open_amount_local": ("本币余额", "本位币余额", "open amount lc", "balance lcy", "restbetrag mw"),
    "debit_local": ("本币借方", "本币借方金额"),
    "credit_local": ("本币贷方", "本币贷方金额"),
    "local_currency": ("local currency", "lcurr", "lc", "本位币", "本位币币别"),
    "fx_rate": ("rate", "fx rate", "exchange rate", "exch rate", "汇率", "折算汇率"),
    "running_balance": ("running balance", "running total", "累计余额"),
    "applies_to": (
        "applies to", "applied to", "invoice ref", "against invoice", "for invoice",
        "paid invoice", "对应发票", "核销单据", "对应单据", "核销发票号",
    ),
    "sales_rep": ("sales rep", "salesperson", "sales person", "rep", "业务员", "销售员", "经办人"),
    "region": ("region", "area", "territory", "区域", "地区", "片区"),
    "direction": ("direction", "dr/cr", "d/c", "方向", "余额方向", "借贷方向"),
    "memo": ("memo", "description", "text", "remark", "摘要", "备注", "说明"),
    "disputed": ("disputed", "dispute", "in dispute", "争议", "是否争议", "有无争议"),
    "dispute_reason": (
        "dispute reason", "dispute status", "dispute code", "争议原因", "争议状态", "争议说明",
    ),
    "ignore": ("age", "age days", "arrears", "days overdue", "逾期天数", "账龄", "账龄天数"),
}  # fmt: skip

# Synonyms that name a field only loosely: "Reference" is Xero's free text beside the invoice
# number, 凭证号 a journal voucher beside the document number. They yield to a better column.
# "Invoice ID" is often the system's internal key (Zoho Books: 4612000000101) beside the
# "Invoice Number" the customer sees (INV-000101).
WEAK_SYNONYMS = frozenset(
    {"reference", "ref", "凭证号", "凭证字号", "name", "contact", "value", "invoice_id", "invoice id"}
)  # fmt: skip
# Synonyms that outrank another synonym of their field in the same header row: a VAT invoice
# list (金税 开票软件) prints 金额 (net), 税额 (the VAT) and 价税合计 (gross): the customer owes
# the gross.
STRONG_SYNONYMS = frozenset({"价税合计", "含税金额", "gross amount"})

CUSTOMER_FIELDS: dict[str, tuple[str, str]] = {
    "customer_id": (TEXT, "Customer code, as in the ledger."),
    "name": (TEXT, "Customer name."),
    "sales_rep": (TEXT, "Sales representative."),
    "manager": (TEXT, "Sales manager who receives the pack."),
    "manager_email": (TEXT, "The manager's e-mail address."),
    "region": (TEXT, "Region."),
    "distance_km": (NUMBER, "Distance in km (visit cost)."),
    "credit_limit": (MONEY, "Credit limit in the base currency."),
    "credit_rating": (TEXT, "Credit rating A–E."),
    "financial_strength": (TEXT, "strong / medium / weak."),
    "cooperation": (TEXT, "cooperative 配合 / slow 拖延 / evasive 躲避 / hostile 恶意."),
    "status": (TEXT, "active / closed / lawsuit / bankrupt / deregistered / untraceable."),
    "terms_days": (NUMBER, "Payment terms in days."),
    "settlement": (
        TEXT,
        "credit / cash_only 现款现货 / deliver_two_settle_one 送二结一 / monthly.",
    ),
    "group": (TEXT, "Customer group."),
    "settlement_day": (NUMBER, "Day of the month the customer settles (结算日)."),
    "dunning_block": (TEXT, "Filled: do not chase (催收冻结)."),
    "currency": (CURRENCY, "The customer's currency."),
}

CUSTOMER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": LEDGER_SYNONYMS["customer_id"],
    "name": (
        "customer name", "name", "customer", "客户名称", "客户", "单位名称", "客户全称",
        "name 1",  # SAP
        "display name",  # Odoo res.partner
        "contactname",  # Xero contacts (the organisation; a person's "Contact" stays unused)
    ),
    # U8 专管业务员, SAP "Sales employee", Odoo "Salesperson"
    "sales_rep": (*LEDGER_SYNONYMS["sales_rep"], "专管业务员", "sales employee", "销售代表"),
    "manager": ("manager", "sales manager", "销售经理", "经理", "主管"),
    # Only a header naming the manager or sales person: a bare 邮箱 / Email beside 联系人 and
    # 电话 is the customer's own mailbox, and the manager's pack (every customer's debts) must
    # never be addressed to a customer. The product keeps no customer e-mail: such a column
    # stays unused.
    "manager_email": (
        "manager email", "manager e-mail", "manager mail", "sales manager email",
        "account manager email", "account manager e-mail", "sales rep email",
        "sales rep e-mail", "salesperson email", "sales person email", "经理邮箱",
        "销售经理邮箱", "经理电子邮箱", "经理邮件", "业务员邮箱", "业务员电子邮箱", "销售员邮箱",
        "客户经理邮箱", "负责人邮箱",
    ),
    "region": LEDGER_SYNONYMS["region"],
    "distance_km": ("distance km", "distance", "距离", "距离公里", "距离km"),
    "credit_limit": ("credit limit", "limit", "信用额度", "授信额度"),
    "credit_rating": ("credit rating", "rating", "信用等级", "信用评级"),
    "financial_strength": ("financial strength", "strength", "经济实力", "财务实力"),
    "cooperation": ("cooperation", "attitude", "配合度", "配合程度", "还款态度"),
    "status": ("status", "customer status", "客户状态", "状态"),
    # Kingdee 收款条件, U8 信用期限, SAP "Terms of payment"; the values may be words ("Net 30",
    # "月结60天", ZB30), read by aging.parse.terms_days_of
    "terms_days": (
        "terms", "terms days", "payment terms", "terms of payment", "payment terms days",
        "customer payment terms", "duedatesalesday", "账期", "账期天数", "信用天数", "收款条件", "信用期限",
        "付款条件", "结算期限", "信用期", "收款期限天数", "付款期限",
    ),
    "settlement": ("settlement", "settlement mode", "结算方式"),
    "group": ("group", "customer group", "集团", "所属集团", "客户分组"),
    "settlement_day": ("settlement day", "payment day", "结算日", "对账日", "付款日", "回款日"),
    "dunning_block": ("dunning block", "blocked", "do not chase", "催收冻结", "暂停催收", "冻结"),
    "currency": LEDGER_SYNONYMS["currency"],
}  # fmt: skip

CONTACT_FIELDS: dict[str, tuple[str, str]] = {
    "contact_date": (DATE, "Date of the contact."),
    "customer_id": (TEXT, "Customer code."),
    "doc_no": (TEXT, "Document the contact was about (optional)."),
    "channel": (TEXT, "phone / sms / email / letter / visit / agency / lawyer / lawsuit."),
    "outcome": (TEXT, "no_answer / reached / promised / acknowledged / disputed / refused / paid."),
    "promise_date": (DATE, "Date the customer promised to pay."),
    "promise_amount": (MONEY, "Amount promised."),
    "note": (TEXT, "Note."),
    "by": (TEXT, "Who made the contact."),
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

FX_FIELDS: dict[str, tuple[str, str]] = {
    "currency": (CURRENCY, "Currency code."),
    "rate": (NUMBER, "Rate to the base currency (1 unit of the currency in base)."),
    "unit": (NUMBER, "Units of the currency the rate is quoted for (日元 100 4.75: 0.0475 each)."),
    "rate_date": (DATE, "Date of the rate: the latest on or before the as-of date is used."),
    "pair": (TEXT, "Currency pair USD/CNY: the first currency's rate in the second, the base."),
}
FX_SYNONYMS: dict[str, tuple[str, ...]] = {
    "currency": LEDGER_SYNONYMS["currency"],
    "rate": (
        "rate",
        "fx rate",
        "exchange rate",
        "rate to base",
        "汇率",
        "折算汇率",
        "折算价",
        "中间价",
    ),
    "unit": ("unit", "units", "per", "quoted per", "单位", "货币单位", "折算单位", "兑换单位"),
    "rate_date": (
        "date",
        "rate date",
        "as of",
        "valid from",
        "effective date",
        "日期",
        "汇率日期",
        "生效日期",
        "发布日期",
    ),
    "pair": ("currency pair", "pair", "ccy pair", "货币对", "币种对", "汇率对"),
}

TABLE_FIELDS = {
    "ledger": LEDGER_FIELDS,
    "customers": CUSTOMER_FIELDS,
    "contacts": CONTACT_FIELDS,
    "fx": FX_FIELDS,
}
TABLE_SYNONYMS = {
    "ledger": LEDGER_SYNONYMS,
    "customers": CUSTOMER_SYNONYMS,
    "contacts": CONTACT_SYNONYMS,
    "fx": FX_SYNONYMS,
}


# Document-type words -> type key (profiles and the config add more). Matched on the cell
# folded to lower case and simplified characters (銷貨發票 -> 销货发票). The distributor
# packages (管家婆 销售单 / 销售退货单, 畅捷通 T+ 销货单 / 销售出库单, 速达 销售开单) name their
# sales, returns and receipts in their own words.
DOC_TYPE_WORDS = {
    "invoice": ("invoice", "inv", "sales invoice", "bill", "dr", "rv", "发票", "销售发票",
                "蓝字发票", "应收单", "其他应收单", "销售出库", "销售出库单", "出库单", "销售单",
                "销货单", "销售开单", "发货单", "送货单", "销货发票", "销售专用发票",
                "销售普通发票", "专用发票", "普通发票", "增值税专用发票", "增值税普通发票",
                "debit memo", "debit note", "rechnung", "ausgangsrechnung"),
    "credit_note": ("credit note", "credit memo", "cn", "cm", "dg", "红字发票", "红冲",
                    "退货", "退货单", "销售退货", "销售退货单", "销货退回", "销售退回",
                    "红字销售发票", "贷项通知单", "折让", "销售折让", "credit", "gutschrift"),
    "receipt": ("receipt", "payment", "pmt", "dz", "cash receipt", "收款", "收款单", "回款",
                "回款单", "销售收款单", "预收", "预收款", "预收款单", "银行收款", "现金收款",
                "zahlung", "zahlungseingang"),
    "adjustment": ("adjustment", "adj", "journal", "journal entry", "ab", "调整", "调整单",
                   "核销调整", "期初", "opening balance", "opening", "erstattung",
                   "zinsrechnung", "mahnung"),
}  # fmt: skip
CURRENCY_WORDS = {
    "人民币": "CNY", "rmb": "CNY", "本位币": "", "美元": "USD", "美金": "USD", "欧元": "EUR",
    "港币": "HKD", "港元": "HKD", "日元": "JPY", "英镑": "GBP", "$": "USD", "us$": "USD",
    "¥": "CNY", "￥": "CNY",
}  # fmt: skip


def field_kind(table: str, field: str) -> str:
    return TABLE_FIELDS[table].get(field, (TEXT, ""))[0]


# A trailing unit names no field ("金额(元)", "Amount (USD)"); a currency qualifier does
# ("尚未收款金额(本位币)", "Remaining Amt. (LCY)") and stays.
_UNIT_SUFFIX = re.compile(
    r"[(（\[【]\s*(元|万元|人民币|美元|rmb|(?!lcy|acy|fcy)[a-z]{3}|%|天|days?|km|公里|no\.?)\s*[)）\]】]$"
)
_NOISE = re.compile(r"[\s_\-\.:：/#№()（）\[\]【】]+")


# Traditional characters (Taiwan, Hong Kong: 鼎捷 Digiwin writes 客戶代號, 未沖金額, 小計) fold to
# simplified ones before headers, totals labels and document-type words are matched; the data
# (names, numbers) stays as written. A character table kept as data, generated once from
# OpenCC's t2s (one character each; 帳 -> 账 as in 应收账款).
_TRADITIONAL = Path(__file__).with_name("traditional.txt")


@functools.cache
def traditional_table() -> dict:
    _comment, traditional, simplified = _TRADITIONAL.read_text(encoding="utf-8").splitlines()[:3]
    return str.maketrans(traditional, simplified)


def fold_traditional(text: str) -> str:
    """'客戶代號' -> '客户代号'; simplified text and other scripts are unchanged."""
    return text.translate(traditional_table())


@functools.cache
def han_forms(char: str) -> str:
    """The character and every traditional form that folds to it: '计' -> '计計'."""
    folded = fold_traditional(char)
    table = traditional_table()
    return folded + "".join(
        chr(t) for t, s in table.items() if chr(s) == folded and chr(t) != folded
    )


def normalise_header(text: str) -> str:
    """Fold width, case, spacing, punctuation and traditional characters: 'Customer No.' and
    'ＣＵＳＴＯＭＥＲ_NO' agree, and so do '客戶代號' and '客户代号'."""
    folded = fold_traditional(unicodedata.normalize("NFKC", str(text)).strip().lower())
    folded = _UNIT_SUFFIX.sub("", folded).strip() or folded
    return _NOISE.sub("", folded)


def header_words(text: str) -> str:
    """The header as space-separated lower-case words, units kept: 'Remaining Amt. (LCY)' ->
    'remaining amt lcy'. Chinese runs and German compounds stay whole (their rules match parts
    of them: 'belegnummer', 'restbetrag')."""
    folded = fold_traditional(unicodedata.normalize("NFKC", str(text)).lower())
    # accented Latin letters stay in their word ("fälligkeitsdatum", "währung")
    return " ".join(re.findall(r"[a-z0-9\u00c0-\u024f]+|[^\x00-\x7f\s]+|#", folded))


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


# ---- matching by the words of a header (ledger tables) ------------------------------------

_LOCAL = r"(本币|本位币|记账本位币|\blocal\b|\blc\b|\blcy\b|\bin lc\b|\bcompany currency\b|\bbase\b|\bfunctional\b|\breporting currency\b|\bacy\b|\bhome currency\b|hauswähr\w*|\bhw\b|\bmw\b|mandantenwährung|\bbuchungskreiswährung\b)"
_FOREIGN = r"(原币|外币|\bdocument currency\b|\bdoc curr\b|\bdc\b|\bfc\b|\bfcy\b|\bforeign\b|\btransaction currency\b|\boriginal currency\b|\bentered\b|belegwähr\w*|\bfw\b|fremdwährung)"
_CUSTOMER = r"(客户|往来单位|往来户|单位|购货单位|购买方|购方|购货方|\bcustomer\b|\bcust\b|\bclient\b|\bdebtor\b|\bparty\b|\baccount\b|\bsold to\b|\bbill to\b|\bkunde|\bdebitor)"
_CODE = r"(编码|代码|代号|编号|号码|号$|\bid\b|\bno\b|\bnumber\b|\bcode\b|\bnr\b|#|\bref\b|nummer\b|nr\b)"
_NAME = r"(名称|全称|简称|\bname\b|(kunden|debitoren?)name\b)"
_DOC = r"(单据|发票|事务处理|\bdocument\b|\bdoc\b|\binvoice\b|\binv\b|\bvoucher\b|\btransaction\b|\btrans\b|\btrx\b|\bbill\b|\breceipt\b|\bitem\b|\bbeleg|\brechnungs?|\bentry\b)"
_TAX_ID = r"(税号|纳税人识别号|识别号|\btax (id|no|number)\b|\bvat (id|no|number|reg\w*)\b)"
# An order, delivery or contract number: the document's identity when the export has no better
# one (a hand-kept list by 送货单号), below an invoice or document number when it has.
_ORDER = r"(送货单|出库单|发货单|销售单|合同|订单|\bsales order\b|\border\b|\bdelivery( note)?\b|\bcontract\b|\bso\b)"
_AGE_BAND = (
    r"^(\d+\s*(?:-|to|~|–)\s*\d+(\s*days?)?(\s*past due)?|over \d+(\s*days?)?|\d+\s*(\+|and over|or more|以上)"
    r"(\s*days?)?|> ?\d+|< ?\d+|current|not due|未到期|\d+\s*[-~至]\s*\d+\s*天|\d+天以[上内]|"
    r"\d+\s*年以[上内]|\d+\s*[-~至]\s*\d+\s*年|\d+\s*days?)$"
)


@dataclass(frozen=True)
class TokenRule:
    field: str
    pattern: str  # on header_words()
    score: int
    unless: str = ""  # a pattern that vetoes the rule


# Tried in order; every rule that matches proposes its field (the values and the global
# assignment decide). Scores sit below whole-header synonyms (90) and above guesses (40).
TOKEN_RULES: tuple[TokenRule, ...] = (
    TokenRule("ignore", _AGE_BAND, 88),
    TokenRule("ignore", r"(账龄|逾期天数|\bage\b|\bdays (overdue|late|past due)\b|\barrears\b|\bdays\b$|\bverzug\b|\btage\b|überfällig\w* tage)", 80),
    TokenRule("running_balance", r"(\brunning\b|累计余额|滚动余额)", 80),
    TokenRule("open_amount_local", r"(余额|未收|未核销|未结|未冲|欠款|\boutstanding\b|\bbalance\b|\bopen\b|\bremaining\b|\bdue\b|\bunpaid\b|\bresidual\b|\boffen\w*|restbetrag|\bsaldo\b)", 78, unless=rf"^(?!.*{_LOCAL})|期初|\bopening\b|方向|\bforward\b|\bdate\b"),
    TokenRule("open_amount", r"(余额|未收|未核销|未结|未冲|欠款|\boutstanding\b|\bbalance\b|\bopen\b|\bremaining\b|\bamount due\b|\bbalance due\b|\bunpaid\b|\bresidual\b|\bpending\b|\boffen\w*|restbetrag|\bsaldo\b)", 74, unless=rf"{_LOCAL}|期初|\bopening\b|方向|\bforward\b|\bdate\b|\bdays\b"),
    TokenRule("paid_amount", r"(已收|已核销|已结算|已冲(?!销)|收款金额|回款金额|\bpaid\b|\breceived\b|\bpayments?\b|\bapplied\b)", 72, unless=r"\bdate\b|日期|\bterms\b|\bmethod\b|方式"),
    TokenRule("credited_amount", r"(已冲销|红冲|\bcredited\b|\bcredit notes?\b|\bcredit memos?\b)", 72, unless=r"\bdate\b|日期|\bno\b|\bnumber\b"),
    TokenRule("debit_local", r"(借方|\bdebit\b|\bdr\b)", 76, unless=rf"^(?!.*{_LOCAL})"),
    TokenRule("credit_local", r"(贷方|\bcredit\b|\bcr\b)", 76, unless=rf"^(?!.*{_LOCAL})|\bnote\b|\bmemo\b|\blimit\b"),
    TokenRule("debit", r"(借方|\bdebit\b|\bdr\b|本期应收|本期增加|应收增加)", 72, unless=_LOCAL),
    TokenRule("credit", r"(贷方|\bcredit\b|\bcr\b|本期收回|本期减少|应收减少)", 72, unless=rf"{_LOCAL}|\bnote\b|\bmemo\b|\blimit\b|\brating\b"),
    TokenRule("amount_local", r"(金额|价税合计|\bamount\b|\bamt\b|\btotal\b|\bvalue\b|betrag\b)", 74, unless=rf"^(?!.*{_LOCAL})|\bdate\b"),
    TokenRule("amount", r"(金额|价税合计|\bamount\b|\bamt\b|\binvoiced\b|\boriginal\b|\bgross\b|\btotal\b|\bvalue\b|betrag\b)", 66, unless=rf"{_LOCAL}|\bdate\b|\bno\b|\bnumber\b"),
    TokenRule("local_currency", r"(币种|币别|货币|\bcurrency\b|\bcurr\b|\bccy\b|\bcur\b|währ\w*)", 76, unless=rf"^(?!.*{_LOCAL})|\bamount\b|金额|余额|betrag\b|\bkurs\b"),
    TokenRule("currency", r"(币种|币别|货币|\bcurrency\b|\bcurr\b|\bccy\b|\bcur\b|währ\w*)", 72, unless=rf"{_LOCAL}|\bamount\b|金额|余额|\brate\b|汇率|betrag\b|\bkurs\b"),
    TokenRule("fx_rate", r"(汇率|\bexch(ange)? rate\b|\bfx\b|\bconversion rate\b|\brate\b|\bwechselkurs\b|\bkurs\b)", 72),
    TokenRule("due_date", r"(到期|\bdue\b|收款期限|付款期限|最后收款日|\bnet due\b|fällig)", 72, unless=r"\bamount\b|金额|余额|\bbalance\b|\bdays\b|天数|betrag\b|\bverzug\b|\btage\b|skonto"),
    TokenRule("settled_date", r"(核销日期|收款日期|结清日期|到账日期|\bclear(ing|ed)? date\b|\bsettle(d|ment)? date\b|\bpaid date\b|\bdate paid\b|\bpayment date\b|\bclosed date\b|ausgleichsdatum|zahlungsdatum|zahlungseingang)", 74),
    TokenRule("doc_date", r"(日期|\bdate\b|\bdt\b|datum\b)", 64, unless=r"到期|\bdue\b|核销|收款|结清|到账|\bclear|\bsettle|\bpaid\b|\bpayment\b|\bprint|打印|\bpromise|承诺|\bcontact\b|\bbaseline\b|\bcreate\b|\bentry\b|fällig|ausgleich|zahlung|skonto|mahn"),
    TokenRule("customer_id", rf"{_CUSTOMER}.*{_CODE}", 74, unless=rf"{_NAME}|{_TAX_ID}"),
    # the buyer's tax id names it uniquely: its code when the export keeps no customer code
    TokenRule("customer_id", rf"{_CUSTOMER}.*{_TAX_ID}", 62),
    TokenRule("customer_name", rf"{_CUSTOMER}.*{_NAME}|^{_CUSTOMER}$", 72),
    TokenRule("customer_name", r"^(name|名称|name 1)$", 60),
    TokenRule("applies_to", r"(对应|核销单|\bapplies to\b|\bapplied to\b|\bagainst\b|\bfor invoice\b|\bsettles\b)", 72),
    TokenRule("doc_no", rf"{_DOC}.*{_CODE}|^(num|no|number|#|invoice|transaction|document|单号|编号)$|单据号|发票号", 70, unless=rf"{_CUSTOMER}|\bdate\b|日期|\btype\b|类型|\bpo\b|\border\b|订单|对应|核销"),
    TokenRule("doc_no", r"(凭证号|凭证字号|凭证编号|\breference\b|\bref\b)", 56),
    TokenRule("doc_no", rf"{_ORDER}.*{_CODE}", 54, unless=rf"{_CUSTOMER}|\bdate\b|日期|\btype\b|类型|\bpo\b|\bcustomer\b"),
    TokenRule("doc_type", r"(类型|类别|性质|\btype\b|\bkind\b|belegart|buchungsart|vorgangsart|\bart\b)", 70, unless=rf"{_CUSTOMER}|\bcurrency\b|\bpayment terms\b|币"),
    TokenRule("sales_rep", r"(业务员|销售员|\bsales ?(rep|person|man)\b|\bsalesperson\b|\bagent\b|\bsold by\b)", 72),
    TokenRule("region", r"(区域|地区|片区|\bregion\b|\bterritory\b|\barea\b)", 70),
    TokenRule("direction", r"(方向|\bdr ?/ ?cr\b|\bd ?/ ?c\b)", 72),
    TokenRule("memo", r"(摘要|备注|说明|\bmemo\b|\bdescription\b|\bnarration\b|\bremarks?\b|\btext\b|\bcomments?\b|beschreibung|buchungstext|bemerkung)", 66),
    TokenRule("dispute_reason", r"(争议|纠纷|\bdisput).*(原因|说明|状态|\breason\b|\bstatus\b|\bcode\b|\bnote\b)", 74),
    TokenRule("disputed", r"(争议|纠纷|\bdisputed?\b|\bin dispute\b)", 72),
    TokenRule("terms_days", r"(账期|信用天数|\bterms\b)", 64),
)  # fmt: skip

_COMPILED = [
    (r, re.compile(r.pattern), re.compile(r.unless) if r.unless else None) for r in TOKEN_RULES
]


def token_candidates(header: str) -> list[tuple[str, int]]:
    """(field, score) for every word rule the header satisfies, in rule order."""
    words = header_words(header)
    if not words:
        return []
    out = []
    for rule, pattern, unless in _COMPILED:
        if pattern.search(words) and not (unless and unless.search(words)):
            out.append((rule.field, rule.score))
    return out


def is_age_band(header: str) -> bool:
    return bool(re.search(_AGE_BAND, header_words(header)))


# A header that means the customer's name when it stands alone but its id when a separate name
# column exists (SAP FBL5N "Customer" + "Name 1", German "Kunde" + "Name"; QuickBooks has only
# "Customer", the name).
BARE_CUSTOMER = frozenset(
    normalise_header(h)
    for h in ("customer", "client", "客户", "debtor", "account", "party", "kunde", "debitor")
)


def fields_markdown() -> str:
    """The README's field reference: every field of every table, its meaning and the headers
    that name it (the config's `columns:` adds more; the ERP profiles add their own)."""
    lines = []
    for table, fields in TABLE_FIELDS.items():
        lines += [
            f"**{table}**",
            "",
            "| field | meaning | headers that name it |",
            "| --- | --- | --- |",
        ]
        for name, (_kind, meaning) in fields.items():
            names = TABLE_SYNONYMS[table].get(name, ())
            shown = ", ".join(f"`{n}`" for n in names[:8]) + (" …" if len(names) > 8 else "")
            lines.append(f"| `{name}` | {meaning} | {shown} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m aging.reading.fields: print the README's field table
    print(fields_markdown(), end="")
