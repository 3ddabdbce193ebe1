"""English and Chinese labels of the manager packs and the PNG charts.

In: a dotted key and a language (`en` | `zh`). Out: the text to show. The pack's own keys
(`_EN`) win; any other key is looked up with `aging.labels.label` (sheet names, column headers
and KPI names the close workbook already has), so a label is written once. Plan codes and
columns the close workbook may label too (`_EN_SHARED`: strategy, channel, letter …) are
taken from aging.labels when it has them, from here otherwise. A key missing in Chinese falls
back to English; a key missing everywhere raises `KeyError`.

Contact-log headers must stay synonyms in `aging.reading.fields.CONTACT_SYNONYMS`, so a returned
pack is read back as contacts (tests check it). Headers on the other pack sheets must NOT be
contact synonyms ("Channel", "Outcome", "方式", "结果" …): the reader would take that sheet for
a contact log.
"""

from __future__ import annotations

from aging import labels

_EN: dict[str, str] = {
    "text.pack_title": "Collection pack · {group} · {as_of}",
    "text.pack_subject": "Collection pack {as_of}",
    "text.pack_for": "{by}: {group}",
    "text.unassigned": "unassigned",
    "text.aging_by_grade": "Receivables by age bucket and grade ({ccy})",
    "text.top_debtors_pack": "Largest balances",
    "text.contact_log_help": (
        "One row per contact: date, channel and outcome from the lists; for a promise to pay "
        "also its date and amount. More contacts: use the empty rows at the bottom. Return "
        "this file: next month's run reads this sheet (--contacts)."
    ),
    "text.protected": "Sheets are protected against accidental edits (no password).",
    # Columns (pack only; the rest come from aging.labels).
    "col.next_channel": "Next contact by",
    "col.last_contact_date": "Last contact",
    "col.last_channel": "Last contact by",
    "col.last_outcome": "Last contact result",
    "col.held_reason": "Waiting because",
    "col.block_reason": "Not chased because",
    "col.factor": "Score: {factor}",
    "col.world_rank": "Rank (all customers)",
    # Contact-log input columns: each a CONTACT_SYNONYMS header.
    "contact.contact_date": "Contact Date",
    "contact.channel": "Channel",
    "contact.outcome": "Outcome",
    "contact.promise_date": "Promise Date",
    "contact.promise_amount": "Promise Amount",
    "contact.note": "Note",
    "contact.by": "By",
    "factor.overdue_amount": "amount",
    "factor.age": "age",
    "factor.grade": "grade",
    "factor.credit_rating": "rating",
    "factor.cooperation": "cooperation",
    "factor.strength": "strength",
    "factor.distance": "distance",
    "factor.broken_promises": "broken promises",
    "factor.limitation": "limitation",
    "kpi.group": "{by}",
    "kpi.worklist": "Customers to chase",
    "kpi.letters": "Letters to send",
    "kpi.credit_holds": "Customers on credit hold",
    "kpi.broken_promise_rows": "Broken promises",
    "kpi.limitation_alerts": "Limitation alerts (items)",
    # Data validation messages on the contact log.
    "valid.channel_title": "Channel",
    "valid.channel": "Pick from the list: {keys}",
    "valid.outcome_title": "Outcome",
    "valid.outcome": "Pick from the list: {keys}",
    "valid.date": "A date, e.g. 2026-11-05",
    "valid.amount": "An amount of 0 or more",
    "valid.customer": "A customer of this pack (see the rows above)",
    # PNG charts.
    "chart.aging_by_bucket": "Receivables by age bucket and grade",
    "chart.grade_mix": "Grade mix (open balance)",
    "chart.top_debtors": "Top {n} debtors",
    "chart.overdue_by_rep": "Overdue by sales rep",
    "chart.overdue_by_region": "Overdue by region",
    "chart.amount": "{ccy} thousand",
    "chart.overdue": "Overdue",
    "chart.not_yet_due": "Not yet due",
    "chart.none": "(none)",
    "chart.nothing": "Nothing to show",
    "chart.customers": "{n} customers",
    "chart.as_of": "As of {as_of}",
    "chart.no_cjk_font": "No CJK font found: Chinese text may show as boxes",
}

# Plan codes and columns the close workbook may also label: aging.labels wins when it has the
# key, so both workbooks say the same; these are the texts until it does.
_EN_SHARED: dict[str, str] = {
    "col.priority_score": "Priority score",
    "col.strategy": "Strategy",
    "col.next_action": "Next action",
    "col.letter": "Letter",
    "col.next_contact_date": "Next contact",
    "col.window": "Time window",
    "col.credit_hold": "Credit hold",
    "col.hold_reason": "Hold reason",
    "col.broken_promises": "Broken promises",
    "col.max_days_overdue": "Oldest item (days overdue)",
    "col.recommendation": "Recommendation",
    "col.why": "Why (biggest factors)",
    "col.expected_recovery_base_minor": "Expected recovery ({ccy})",
    "col.action_cost_base_minor": "Action cost ({ccy})",
    "strategy.soft": "Soft (文收)",
    "strategy.hard": "Hard (武收)",
    "letter.reminder": "Reminder letter (催款提示函)",
    "letter.credit_warning": "Credit-warning letter (信用警示函)",
    "letter.lawyer": "Lawyer's letter (律师函)",
    "channel.phone": "Phone",
    "channel.sms": "SMS",
    "channel.email": "E-mail",
    "channel.letter": "Letter",
    "channel.visit": "Visit",
    "channel.agency": "Agency",
    "channel.lawyer": "Lawyer",
    "channel.lawsuit": "Lawsuit",
    "channel.fax": "Fax",
    "outcome.no_answer": "No answer",
    "outcome.reached": "Reached",
    "outcome.promised": "Promised",
    "outcome.acknowledged": "Acknowledged",
    "outcome.disputed": "Disputed",
    "outcome.refused": "Refused",
    "outcome.paid": "Paid",
}

_ZH: dict[str, str] = {
    "text.pack_title": "催收资料包 · {group} · {as_of}",
    "text.pack_subject": "催收资料包 {as_of}",
    "text.pack_for": "{by}：{group}",
    "text.unassigned": "未分配",
    "text.aging_by_grade": "按账龄与风险等级（{ccy}）",
    "text.top_debtors_pack": "余额最大的客户",
    "text.contact_log_help": (
        "每次联系填一行：日期、方式和结果从下拉列表选择；承诺付款的，另填承诺日期和金额。"
        "更多联系记录请用底部的空行。请交回本文件：下月运行时读取本表（--contacts）。"
    ),
    "text.protected": "各表已设保护（无密码），防止误改。",
    "col.next_channel": "建议渠道",
    "col.last_contact_date": "上次联系",
    "col.last_channel": "上次联系渠道",
    "col.last_outcome": "上次联系情况",
    "col.held_reason": "暂缓原因",
    "col.block_reason": "不催收原因",
    "col.factor": "得分：{factor}",
    "col.world_rank": "全公司排名",
    "contact.contact_date": "联系日期",
    "contact.channel": "催收方式",
    "contact.outcome": "催收结果",
    "contact.promise_date": "承诺日期",
    "contact.promise_amount": "承诺金额",
    "contact.note": "备注",
    "contact.by": "催收人",
    "factor.overdue_amount": "金额",
    "factor.age": "账龄",
    "factor.grade": "等级",
    "factor.credit_rating": "信用评级",
    "factor.cooperation": "配合度",
    "factor.strength": "实力",
    "factor.distance": "距离",
    "factor.broken_promises": "违约承诺",
    "factor.limitation": "诉讼时效",
    "kpi.group": "{by}",
    "kpi.worklist": "待催收客户",
    "kpi.letters": "待发函件",
    "kpi.credit_holds": "停止发货客户",
    "kpi.broken_promise_rows": "违约承诺",
    "kpi.limitation_alerts": "诉讼时效预警（单据）",
    "valid.channel_title": "催收方式",
    "valid.channel": "从列表选择：{keys}",
    "valid.outcome_title": "催收结果",
    "valid.outcome": "从列表选择：{keys}",
    "valid.date": "日期，如 2026-11-05",
    "valid.amount": "金额，不小于 0",
    "valid.customer": "本资料包中的客户（见上方各行）",
    "chart.aging_by_bucket": "按账龄与风险等级分布",
    "chart.grade_mix": "风险等级分布（余额）",
    "chart.top_debtors": "欠款前 {n} 名客户",
    "chart.overdue_by_rep": "各业务员逾期金额",
    "chart.overdue_by_region": "各区域逾期金额",
    "chart.amount": "单位：千{ccy}",
    "chart.overdue": "逾期",
    "chart.not_yet_due": "未到期",
    "chart.none": "（无）",
    "chart.nothing": "无数据",
    "chart.customers": "{n} 家客户",
    "chart.as_of": "截止 {as_of}",
    "chart.no_cjk_font": "未找到中文字体：中文可能显示为方框",
}

_ZH_SHARED: dict[str, str] = {
    "col.priority_score": "优先级得分",
    "col.strategy": "策略",
    "col.next_action": "下一步",
    "col.letter": "函件",
    "col.next_contact_date": "下次联系",
    "col.window": "时间窗口",
    "col.credit_hold": "停止发货",
    "col.hold_reason": "停货原因",
    "col.broken_promises": "违约承诺次数",
    "col.max_days_overdue": "最长逾期天数",
    "col.recommendation": "建议",
    "col.why": "主要因素",
    "col.expected_recovery_base_minor": "预计可收回（{ccy}）",
    "col.action_cost_base_minor": "行动成本（{ccy}）",
    "strategy.soft": "文收",
    "strategy.hard": "武收",
    "letter.reminder": "催款提示函",
    "letter.credit_warning": "信用警示函",
    "letter.lawyer": "律师函",
    "channel.phone": "电话",
    "channel.sms": "短信",
    "channel.email": "电子邮件",
    "channel.letter": "信函",
    "channel.visit": "上门拜访",
    "channel.agency": "委托催收",
    "channel.lawyer": "律师",
    "channel.lawsuit": "诉讼",
    "channel.fax": "传真",
    "outcome.no_answer": "未接通",
    "outcome.reached": "已联系",
    "outcome.promised": "承诺付款",
    "outcome.acknowledged": "已确认",
    "outcome.disputed": "有争议",
    "outcome.refused": "拒绝",
    "outcome.paid": "已付款",
}

_OWN = {"en": _EN, "zh": _ZH}
_SHARED = {"en": _EN_SHARED, "zh": _ZH_SHARED}


def label(key: str, lang: str = "en", **fill: object) -> str:
    """The text for `key`, placeholders filled: this module's own key, else aging.labels's,
    else this module's text for a shared key aging.labels does not have (yet)."""
    if lang not in _OWN:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(labels.LANGS)}")
    text = _OWN[lang].get(key) or _EN.get(key)
    if text is None and not labels.has_label(key):
        text = _SHARED[lang].get(key) or _EN_SHARED.get(key)
    if text is None:
        return labels.label(key, lang, **fill)
    return text.format(**fill) if fill else text


def has_label(key: str) -> bool:
    return key in _EN or key in _EN_SHARED or labels.has_label(key)


def coded(prefix: str, lang: str) -> dict[str, str]:
    """Display text of every coded value under `prefix` ("channel", "letter" …), by key."""
    start = prefix + "."
    keys = [k for k in (*_EN, *_EN_SHARED) if k.startswith(start)]
    return {k[len(start) :]: label(k, lang) for k in keys}


def all_keys() -> tuple[str, ...]:
    return (*_EN, *_EN_SHARED)
