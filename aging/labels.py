"""English and Chinese labels for sheet names, column headers, KPI names and fixed texts.

In: a dotted key (`sheet.open_items`, `col.customer_id`, `kpi.open_base_minor`, `text.total`)
and a language (`en` | `zh`). Out: the text to show. A key missing in Chinese falls back to
English; a key missing everywhere raises `KeyError` unless a default is given, so a typo in a
renderer fails its test instead of printing a raw key. Labels may hold `{ccy}` (the base
currency) and `{as_of}` placeholders, filled by `label(..., ccy=..., as_of=...)`.

Sheet names obey Excel's rules (at most 31 characters, none of `[]:*?/\\`, not starting or
ending with an apostrophe); `safe_sheet_name` enforces them for names built from data.
"""

from __future__ import annotations

import re

from aging.model import GRADE_LABELS

LANGS = ("en", "zh")

_EN: dict[str, str] = {
    # Sheets (DESIGN "Outputs": the close workbook and the manager packs).
    "sheet.summary": "Summary",
    "sheet.aging_by_customer": "Aging by customer",
    "sheet.open_items": "Open items",
    "sheet.by_sales_rep": "By sales rep",
    "sheet.by_region": "By region",
    "sheet.risk_grades": "Risk grades",
    "sheet.provision": "Provision",
    "sheet.worklist": "Worklist",
    "sheet.credit_hold": "Credit hold",
    "sheet.limitation_alerts": "Limitation alerts",
    "sheet.broken_promises": "Broken promises",
    "sheet.why_rank": "Why this rank",
    "sheet.visit_routes": "Visit routes",
    "sheet.instalments": "Instalments",
    "sheet.letter_register": "Letters",
    "sheet.exceptions": "Exceptions",
    "sheet.reconciliation": "Reconciliation",
    "sheet.settings": "Settings",
    "sheet.letters": "Letters to send",
    "sheet.contact_log": "Contact log",
    # Column headers.
    "col.customer_id": "Customer ID",
    "col.customer_name": "Customer",
    "col.name": "Customer",
    "col.doc_no": "Document no.",
    "col.doc_type": "Type",
    "col.doc_date": "Document date",
    "col.due_date": "Due date",
    "col.currency": "Currency",
    "col.amount_minor": "Amount",
    "col.open_minor": "Open amount",
    "col.open_base_minor": "Open ({ccy})",
    "col.overdue_base_minor": "Overdue ({ccy})",
    "col.days_overdue": "Days overdue",
    "col.bucket": "Age bucket",
    "col.grade": "Grade",
    "col.provision_rate": "Provision rate",
    "col.provision_base_minor": "Provision ({ccy})",
    "col.limitation_date": "Limitation date",
    "col.sales_rep": "Sales rep",
    "col.manager": "Manager",
    "col.region": "Region",
    "col.src_file": "Source file",
    "col.src_sheet": "Source sheet",
    "col.src_row": "Source row",
    "col.total": "Total ({ccy})",
    "col.rank": "Rank",
    "col.band": "Age band",
    "col.rate": "Rate",
    "col.severity": "Severity",
    "col.code": "Code",
    "col.message": "Message",
    "col.file": "File",
    "col.sheet": "Sheet",
    "col.row": "Row",
    "col.column": "Column",
    "col.value": "Value",
    "col.line": "Line",
    "col.label": "Line",
    "col.rows": "Rows",
    "col.note": "Note",
    "col.kpi": "Key figure",
    "col.kpi_value": "Value",
    "col.setting": "Setting",
    "col.description": "Description",
    "col.kind": "Table",
    "col.header_row": "Header row",
    "col.layout": "Layout",
    "col.sha256": "SHA-256",
    "col.customers": "Customers",
    "col.items": "Items",
    "col.position": "#",
    "col.go_to": "Detail sheets",
    # The collection plan (aging.plan): worklist, holds, alerts, promises, routes, instalments.
    "col.max_days_overdue": "Days overdue",
    "col.priority_score": "Score",
    "col.strategy": "Strategy",
    "col.next_action": "Next action",
    "col.channel": "Channel",
    "col.letter": "Letter",
    "col.next_contact_date": "Next contact",
    "col.window": "Window",
    "col.credit_hold": "Credit hold",
    "col.why": "Why (biggest factors)",
    "col.action_cost_base_minor": "Cost of next action ({ccy})",
    "col.expected_recovery_base_minor": "Expected recovery ({ccy})",
    "col.recommendation": "Recommendation",
    "col.reason": "Held / blocked because",
    "col.factor_overdue_amount": "Amount",
    "col.factor_age": "Age",
    "col.factor_grade": "Grade",
    "col.factor_credit_rating": "Rating",
    "col.factor_cooperation": "Cooperation",
    "col.factor_strength": "Strength",
    "col.factor_distance": "Distance",
    "col.factor_broken_promises": "Broken promises",
    "col.factor_limitation": "Limitation",
    "col.credit_limit_base_minor": "Credit limit ({ccy})",
    "col.hold_reason": "Reason",
    "col.days_left": "Days left",
    "col.action": "Action",
    "col.contact_date": "Contact date",
    "col.promise_date": "Promised by",
    "col.promise_minor": "Promised amount",
    "col.received_minor": "Received",
    "col.verdict": "Verdict",
    "col.by": "By",
    "col.route": "Route",
    "col.stop": "Stop",
    "col.distance_km": "Distance (km)",
    "col.instalment": "Instalment no.",
    "col.amount_base_minor": "Amount ({ccy})",
    # Portfolio views (by sales rep, by region, risk grades).
    "col.overdue_share": "Overdue share",
    "col.share_of_open": "Share of open",
    # The letter register (aging.letters.letter_register).
    "col.lang": "Language",
    "col.ref": "Reference",
    "col.amounts": "Amount stated",
    "col.letter_date": "Letter date",
    "col.deadline": "Pay / reply by",
    "col.signer": "Signed by",
    "lang.zh": "Chinese",
    "lang.en": "English",
    "signer.company": "Company",
    "signer.counsel": "Counsel",
    # KPIs (keys of Result.summary; see aging.render_close.SUMMARY_KEYS).
    "kpi.as_of": "As-of date",
    "kpi.base_currency": "Base currency",
    "kpi.total_open_base_minor": "Total receivables ({ccy})",
    "kpi.open_base_minor": "Total receivables ({ccy})",
    "kpi.overdue_base_minor": "Overdue ({ccy})",
    "kpi.overdue_share": "Overdue share",
    "kpi.provision_base_minor": "Bad-debt provision ({ccy})",
    "kpi.unapplied_credit_base_minor": "Unapplied credits ({ccy})",
    "kpi.customers": "Customers with a balance",
    "kpi.customers_by_grade": "Customers: {grade}",
    "kpi.open_items": "Open items",
    "kpi.exceptions": "Exceptions (rows excluded)",
    "kpi.warnings": "Warnings",
    "kpi.ledger_rows": "Ledger rows read",
    "kpi.dso_days": "DSO (countback, days)",
    "kpi.reconciled": "Reconciled",
    "kpi.credit_hold": "Customers on credit hold",
    "kpi.limitation_alerts": "Limitation alerts (within {days} days / past)",
    # Plan codes (aging.plan): strategy, channel, letter, recommendation, promise verdict.
    "strategy.hard": "Hard",
    "strategy.soft": "Soft",
    "channel.phone": "Phone",
    "channel.sms": "SMS",
    "channel.email": "E-mail",
    "channel.fax": "Fax",
    "channel.letter": "Letter",
    "channel.visit": "Visit",
    "channel.lawyer": "Lawyer",
    "channel.agency": "Agency",
    "channel.lawsuit": "Lawsuit",
    "letter.reminder": "Reminder",
    "letter.credit_warning": "Credit warning",
    "letter.lawyer": "Lawyer's letter",
    "recommendation.settle": "Settle / write off",
    "verdict.broken": "Broken",
    "verdict.partly_kept": "Partly kept",
    "verdict.kept": "Kept",
    "verdict.pending": "Pending",
    "verdict.unverifiable": "Cannot check",
    # Document types.
    "doc_type.invoice": "Invoice",
    "doc_type.credit_note": "Credit note",
    "doc_type.receipt": "Receipt",
    "doc_type.adjustment": "Adjustment",
    "doc_type.open_item": "Open item",
    # Issue severities.
    "severity.exception": "Exception",
    "severity.warning": "Warning",
    "severity.info": "Info",
    # Reconciliation lines (RECONCILIATION_COLUMNS.line).
    "recon.input_total": "Input total",
    "recon.open_items": "Open items",
    "recon.unapplied_credits": "Unapplied credits",
    "recon.exceptions": "Exceptions",
    "recon.after_as_of": "Documents after the as-of date",
    "recon.difference": "Difference",
    "recon_status.ok": "OK",
    "recon_status.explained": "Explained",
    "recon_status.unexplained": "Unexplained",
    "col.status": "Status",
    # Fixed texts.
    "text.title": "Accounts receivable close {as_of}",
    "text.subject": "AR close {as_of}",
    "text.total": "Total",
    "text.yes": "Yes",
    "text.no": "No",
    "text.reconciled": "Reconciled",
    "text.not_reconciled": "NOT reconciled",
    "text.as_of": "As of {as_of}",
    "text.page": "Page &P of &N",
    "text.none": "(none)",
    "text.truncated": (
        "Only the first {shown:,} of {total:,} rows fit in a worksheet; "
        "the full list is in {where}."
    ),
    "text.aging_by_bucket": "Receivables by age bucket ({ccy})",
    "text.grade_mix": "Grade mix ({ccy})",
    "text.top_debtors": "Top {n} debtors",
    "text.key_figures": "Key figures",
    "text.inputs": "Inputs",
    "text.config": "Settings used for this run",
    "text.recon_status": "Reconciliation: {status}",
    "text.recon_equation": (
        "Input total = open items + unapplied credits + exceptions + documents after the "
        "as-of date, per currency, to the cent."
    ),
    "text.go_to": "Go to {sheet}",
    "text.worklist_note": (
        "Customers to act on, highest priority score (0-100) first. Grey rows are not chased "
        "(see the reason). 'Why' names the biggest factors; the points of all nine are on "
        "'{why}'."
    ),
    "text.why_note": (
        "The points each factor adds to the priority score, out of 100: they add up to the "
        "score (to rounding). The darker the cell, the more it adds. Same order as '{worklist}'."
    ),
    "text.why_weights": "Weights (plan.weights): {weights}.",
    "text.credit_hold_note": (
        "Stop shipping to these customers (cash on delivery only) until paid; every reason "
        "that applies is listed."
    ),
    "text.limitation_note": (
        "Items whose 3-year limitation (PRC Civil Code art. 188) ends within {days} days, and "
        "items already past it: act before the date (red: past, orange: within 30 days)."
    ),
    "text.broken_note": (
        "Promises to pay that were broken or only partly kept: react at once. Amounts as "
        "recorded in the contact log."
    ),
    "text.visit_routes_note": (
        "Customers due a visit, by region and distance, {per_trip} to a trip, so one "
        "journey collects from several."
    ),
    "text.instalments_note": (
        "Monthly instalments to offer willing-but-unable debtors (cooperative or slow, in "
        "collection or doubtful): the overdue balance in equal parts at month ends."
    ),
    "text.top_debtors_chart": "Top {n} debtors by open balance ({ccy})",
    "text.by_sales_rep_note": (
        "Receivables per sales rep, most overdue first: open, overdue and provision, and the "
        "open balance by age bucket. The bars in the overdue column compare the reps."
    ),
    "text.by_region_note": (
        "Receivables per region, most overdue first: open, overdue and provision, and the "
        "open balance by age bucket. The bars in the overdue column compare the regions."
    ),
    "text.risk_grades_note": (
        "Per risk grade, best to worst: items and balances by each item's own grade; customers "
        "by the customer's grade (the worst grade holding a material share of its overdue "
        "balance)."
    ),
    "text.overdue_by_rep": "Overdue by sales rep ({ccy})",
    "text.overdue_by_region": "Overdue by region ({ccy})",
    "text.open_by_grade": "Open balance by grade ({ccy})",
    "text.chart_first": "{title}, first {n}",
    "text.letters_note": (
        "The letters written to letters/ for this run, one file per customer and letter: "
        "dunning letters as the worklist plans them, statements of account (对账函) where a "
        "limitation period needs a signed acknowledgement. Amounts as the letter states them."
    ),
}

_ZH: dict[str, str] = {
    "sheet.summary": "汇总",
    "sheet.aging_by_customer": "客户账龄",
    "sheet.open_items": "未清明细",
    "sheet.by_sales_rep": "按业务员",
    "sheet.by_region": "按区域",
    "sheet.risk_grades": "风险等级",
    "sheet.provision": "坏账准备",
    "sheet.worklist": "催收清单",
    "sheet.credit_hold": "停止发货",
    "sheet.limitation_alerts": "诉讼时效预警",
    "sheet.broken_promises": "违约承诺",
    "sheet.why_rank": "排名依据",
    "sheet.visit_routes": "拜访路线",
    "sheet.instalments": "分期付款建议",
    "sheet.letter_register": "函件登记",
    "sheet.exceptions": "异常",
    "sheet.reconciliation": "对账",
    "sheet.settings": "参数设置",
    "sheet.letters": "待发函件",
    "sheet.contact_log": "催收记录",
    "col.customer_id": "客户编码",
    "col.customer_name": "客户名称",
    "col.name": "客户名称",
    "col.doc_no": "单据号",
    "col.doc_type": "单据类型",
    "col.doc_date": "单据日期",
    "col.due_date": "到期日",
    "col.currency": "币种",
    "col.amount_minor": "原币金额",
    "col.open_minor": "原币余额",
    "col.open_base_minor": "余额（{ccy}）",
    "col.overdue_base_minor": "逾期（{ccy}）",
    "col.days_overdue": "逾期天数",
    "col.bucket": "账龄",
    "col.grade": "风险等级",
    "col.provision_rate": "计提比例",
    "col.provision_base_minor": "坏账准备（{ccy}）",
    "col.limitation_date": "诉讼时效到期日",
    "col.sales_rep": "业务员",
    "col.manager": "销售经理",
    "col.region": "区域",
    "col.src_file": "来源文件",
    "col.src_sheet": "来源工作表",
    "col.src_row": "来源行号",
    "col.total": "合计（{ccy}）",
    "col.rank": "排名",
    "col.band": "账龄段",
    "col.rate": "比例",
    "col.severity": "级别",
    "col.code": "代码",
    "col.message": "说明",
    "col.file": "文件",
    "col.sheet": "工作表",
    "col.row": "行号",
    "col.column": "列",
    "col.value": "原值",
    "col.line": "项目",
    "col.label": "项目",
    "col.rows": "行数",
    "col.note": "备注",
    "col.kpi": "指标",
    "col.kpi_value": "数值",
    "col.setting": "参数",
    "col.description": "说明",
    "col.kind": "表",
    "col.header_row": "表头行",
    "col.layout": "格式",
    "col.sha256": "SHA-256",
    "col.customers": "客户数",
    "col.items": "单据数",
    "col.position": "序号",
    "col.go_to": "明细表",
    "col.max_days_overdue": "逾期天数",
    "col.priority_score": "优先分",
    "col.strategy": "策略",
    "col.next_action": "下一步",
    "col.channel": "方式",
    "col.letter": "函件",
    "col.next_contact_date": "下次联系",
    "col.window": "时段",
    "col.credit_hold": "停止发货",
    "col.why": "主要因素",
    "col.action_cost_base_minor": "下一步成本（{ccy}）",
    "col.expected_recovery_base_minor": "预计回收（{ccy}）",
    "col.recommendation": "建议",
    "col.reason": "暂缓 / 停催原因",
    "col.factor_overdue_amount": "金额",
    "col.factor_age": "账龄",
    "col.factor_grade": "等级",
    "col.factor_credit_rating": "信用评级",
    "col.factor_cooperation": "配合度",
    "col.factor_strength": "付款能力",
    "col.factor_distance": "距离",
    "col.factor_broken_promises": "违约承诺",
    "col.factor_limitation": "诉讼时效",
    "col.credit_limit_base_minor": "信用额度（{ccy}）",
    "col.hold_reason": "原因",
    "col.days_left": "剩余天数",
    "col.action": "措施",
    "col.contact_date": "联系日期",
    "col.promise_date": "承诺付款日",
    "col.promise_minor": "承诺金额",
    "col.received_minor": "已收金额",
    "col.verdict": "结果",
    "col.by": "经办人",
    "col.route": "路线",
    "col.stop": "站",
    "col.distance_km": "距离（公里）",
    "col.instalment": "期数",
    "col.amount_base_minor": "金额（{ccy}）",
    "col.overdue_share": "逾期占比",
    "col.share_of_open": "余额占比",
    "col.lang": "语言",
    "col.ref": "函件编号",
    "col.amounts": "函件所列金额",
    "col.letter_date": "发函日期",
    "col.deadline": "付款 / 回复期限",
    "col.signer": "落款",
    "lang.zh": "中文",
    "lang.en": "英文",
    "signer.company": "本公司",
    "signer.counsel": "律师",
    "kpi.as_of": "截止日期",
    "kpi.base_currency": "记账本位币",
    "kpi.total_open_base_minor": "应收账款合计（{ccy}）",
    "kpi.open_base_minor": "应收账款合计（{ccy}）",
    "kpi.overdue_base_minor": "逾期金额（{ccy}）",
    "kpi.overdue_share": "逾期占比",
    "kpi.provision_base_minor": "坏账准备（{ccy}）",
    "kpi.unapplied_credit_base_minor": "未核销贷项（{ccy}）",
    "kpi.customers": "有余额客户数",
    "kpi.customers_by_grade": "客户数：{grade}",
    "kpi.open_items": "未清单据数",
    "kpi.exceptions": "异常行（未计入）",
    "kpi.warnings": "警告",
    "kpi.ledger_rows": "读取台账行数",
    "kpi.dso_days": "应收账款周转天数（倒推法，天）",
    "kpi.reconciled": "是否对平",
    "kpi.credit_hold": "停止发货客户数",
    "kpi.limitation_alerts": "诉讼时效预警（{days}天内 / 已过）",
    "strategy.hard": "武收",
    "strategy.soft": "文收",
    "channel.phone": "电话",
    "channel.sms": "短信",
    "channel.email": "邮件",
    "channel.fax": "传真",
    "channel.letter": "函件",
    "channel.visit": "上门",
    "channel.lawyer": "律师",
    "channel.agency": "委托催收",
    "channel.lawsuit": "诉讼",
    "letter.reminder": "催款提示函",
    "letter.credit_warning": "信用警示函",
    "letter.lawyer": "律师函",
    "recommendation.settle": "和解 / 核销",
    "verdict.broken": "违约",
    "verdict.partly_kept": "部分履行",
    "verdict.kept": "已履行",
    "verdict.pending": "未到期",
    "verdict.unverifiable": "无法核对",
    "doc_type.invoice": "发票",
    "doc_type.credit_note": "贷项通知单",
    "doc_type.receipt": "收款",
    "doc_type.adjustment": "调整",
    "doc_type.open_item": "未清项",
    "severity.exception": "异常",
    "severity.warning": "警告",
    "severity.info": "提示",
    "recon.input_total": "输入合计",
    "recon.open_items": "未清项",
    "recon.unapplied_credits": "未核销贷项",
    "recon.exceptions": "异常行",
    "recon.after_as_of": "截止日后单据",
    "recon.difference": "差额",
    "recon_status.ok": "正常",
    "recon_status.explained": "已说明",
    "recon_status.unexplained": "未说明差异",
    "col.status": "状态",
    "text.title": "应收账款月结 {as_of}",
    "text.subject": "AR close {as_of}",
    "text.total": "合计",
    "text.yes": "是",
    "text.no": "否",
    "text.reconciled": "已对平",
    "text.not_reconciled": "未对平",
    "text.as_of": "截止 {as_of}",
    "text.page": "第 &P 页，共 &N 页",
    "text.none": "（无）",
    "text.truncated": "工作表仅能容纳前 {shown:,} 行（共 {total:,} 行）；完整清单见 {where}。",
    "text.aging_by_bucket": "按账龄分布（{ccy}）",
    "text.grade_mix": "风险等级分布（{ccy}）",
    "text.top_debtors": "欠款前 {n} 名客户",
    "text.key_figures": "关键指标",
    "text.inputs": "输入文件",
    "text.config": "本次运行参数",
    "text.recon_status": "对账结果：{status}",
    "text.recon_equation": "输入合计 = 未清项 + 未核销贷项 + 异常行 + 截止日后单据（按币种，精确到分）。",
    "text.go_to": "前往 {sheet}",
    "text.worklist_note": (
        "需催收的客户，按优先分（0-100）从高到低。灰色行暂不催收（见原因）。"
        "“主要因素”列出得分最高的因素；九项因素的得分见“{why}”。"
    ),
    "text.why_note": (
        "各因素计入优先分的分值（满分100），合计即优先分（四舍五入差异除外）。"
        "颜色越深，得分越多。顺序同“{worklist}”。"
    ),
    "text.why_weights": "权重（plan.weights）：{weights}。",
    "text.credit_hold_note": "以下客户付清前停止发货（仅限现款现货）；列出全部原因。",
    "text.limitation_note": (
        "诉讼时效（民法典第188条，三年）将在 {days} 天内届满或已届满的单据："
        "请在到期日前采取措施（红色：已届满；橙色：30天内）。"
    ),
    "text.broken_note": "未履行或仅部分履行的付款承诺：应立即跟进。金额按催收记录所载。",
    "text.visit_routes_note": (
        "需上门拜访的客户，按区域和距离排列，每趟 {per_trip} 家，一次出行拜访多家。"
    ),
    "text.instalments_note": (
        "可向有还款意愿但暂时困难的客户（配合或拖延、催收款或准呆账）提出的分期方案："
        "逾期余额按月末等额分期。"
    ),
    "text.top_debtors_chart": "欠款前 {n} 名客户（余额，{ccy}）",
    "text.by_sales_rep_note": (
        "各业务员的应收账款，按逾期金额从高到低：余额、逾期、坏账准备及各账龄段余额。"
        "逾期列中的条形便于比较。"
    ),
    "text.by_region_note": (
        "各区域的应收账款，按逾期金额从高到低：余额、逾期、坏账准备及各账龄段余额。"
        "逾期列中的条形便于比较。"
    ),
    "text.risk_grades_note": (
        "各风险等级由好到差：单据数和金额按每张单据自身的等级；客户数按客户的等级"
        "（其逾期余额中占比达到门槛的最差等级）。"
    ),
    "text.overdue_by_rep": "各业务员逾期金额（{ccy}）",
    "text.overdue_by_region": "各区域逾期金额（{ccy}）",
    "text.open_by_grade": "各风险等级余额（{ccy}）",
    "text.chart_first": "{title}，前 {n} 名",
    "text.letters_note": (
        "本次运行写入 letters/ 的函件，每个客户每种函件一个文件：按催收清单发出的催款函件，"
        "以及需客户签章确认以中断诉讼时效的对账函。金额按函件所列。"
    ),
}

# History (issue #13): each key with its English and its Chinese text, in one block, so the
# message catalogue can take them over as they are.
_HISTORY: dict[str, tuple[str, str]] = {
    "sheet.trends": ("Trends", "趋势"),
    "sheet.roll_rates": ("Roll rates", "账龄迁徙"),
    "sheet.provision_matrix": ("Provision matrix", "迁徙率坏账准备"),
    "sheet.changes": ("Changes", "本月变动"),
    "kpi.best_possible_dso_days": ("Best possible DSO (days)", "最佳周转天数（天）"),
    "kpi.average_days_delinquent": ("Average days delinquent", "平均逾期天数"),
    "kpi.cei": ("Collection effectiveness (CEI, last month, %)", "回款有效指数（上月，%）"),
    "kpi.promises_kept_share": ("Promises kept", "承诺兑现率"),
    "kpi.promises_partly_kept_share": ("Promises partly kept", "承诺部分兑现率"),
    "kpi.promises_broken_share": ("Promises broken", "承诺违约率"),
    "col.month_end": ("Month-end", "月末"),
    "col.not_due_base_minor": ("Not due ({ccy})", "未到期（{ccy}）"),
    "col.sales_base_minor": ("Sales ({ccy})", "当月销售（{ccy}）"),
    "col.receipts_base_minor": ("Receipts and credits ({ccy})", "当月回款及红冲（{ccy}）"),
    "col.dso_countback": ("DSO (countback, days)", "周转天数（倒推法）"),
    "col.cei": ("CEI (%)", "回款有效指数（%）"),
    "col.from_month_end": ("From month-end", "起始月末"),
    "col.to_month_end": ("To month-end", "下一月末"),
    "col.from_bucket": ("Bucket then", "起始账龄段"),
    "col.to_bucket": ("Bucket a month later", "一个月后账龄段"),
    "col.paid": ("Paid", "已收回"),
    "col.balance_base_minor": ("Balance over the window ({ccy})", "期间累计余额（{ccy}）"),
    "col.worse_share": ("Moved on a bucket", "迁入下一账龄段"),
    "col.stay_share": ("Stayed", "留在本段"),
    "col.paid_share": ("Paid", "收回"),
    "col.rolls_on": ("Rolls on before paid", "最终迁徙率"),
    "col.loss_rate": ("Loss rate (history)", "历史损失率"),
    "col.matrix_rate": ("Rate (forward-looking)", "计提比例（含前瞻调整）"),
    "col.bands_base_minor": ("Provision by age bands ({ccy})", "按账龄组合计提（{ccy}）"),
    "col.matrix_base_minor": ("Provision by the matrix ({ccy})", "按迁徙率计提（{ccy}）"),
    "col.difference_base_minor": ("Difference ({ccy})", "差额（{ccy}）"),
    "col.level": ("By", "维度"),
    "col.who": ("Name", "姓名"),
    "col.promises": ("Promises evaluated", "已到期承诺"),
    "col.kept": ("Kept", "兑现"),
    "col.partly_kept": ("Partly kept", "部分兑现"),
    "col.broken": ("Broken", "违约"),
    "col.kept_share": ("Kept %", "兑现率"),
    "col.partly_kept_share": ("Partly kept %", "部分兑现率"),
    "col.broken_share": ("Broken %", "违约率"),
    "col.change": ("Change", "变动"),
    "col.before": ("Last month", "上月"),
    "col.after": ("Now", "本月"),
    "col.change_amount": ("Amount ({ccy})", "金额（{ccy}）"),
    "level.all": ("All customers", "全部客户"),
    "level.manager": ("Manager", "销售经理"),
    "level.sales_rep": ("Sales rep", "业务员"),
    "change.new_overdue": ("New overdue customer", "新增逾期客户"),
    "change.grade_worse": ("Grade worse", "等级恶化"),
    "change.grade_better": ("Grade better", "等级好转"),
    "change.paid_in_full": ("Paid in full", "已全部收回"),
    "change.into_91": ("Item now over 90 days", "单据逾期超过90天"),
    "change.new_broken_promise": ("New broken promise", "新增违约承诺"),
    "change.new_credit_hold": ("New credit hold", "新增停止发货"),
    "change.increase": ("Largest increase", "余额增加最多"),
    "change.decrease": ("Largest decrease", "余额减少最多"),
    "text.trends_note": (
        "{months} month-ends {source}. DSO is the countback DSO; CEI the share of what could "
        "be collected that was (README, History).",
        "{months}个月末，{source}。周转天数按倒推法计算；回款有效指数为当月可收回金额中实际收回的比例"
        "（见 README “History”）。",
    ),
    "text.source_export": ("rebuilt from this export", "由本次导出数据重建"),
    "text.source_store": ("from the history store", "取自历史数据库"),
    "text.source_none": (
        "none yet: an open-items export builds its history run by run",
        "暂无：未清项导出需逐月运行积累历史",
    ),
    "text.month_figures": ("Month-end figures", "各月末数据"),
    "text.trend_by_bucket": (
        "Receivables by age bucket, month by month ({ccy})",
        "各月末应收账款账龄分布（{ccy}）",
    ),
    "text.trend_dso_cei": ("DSO (days) and CEI (%)", "周转天数（天）与回款有效指数（%）"),
    "text.promise_rates": (
        "Promises kept, by manager and sales rep",
        "承诺兑现情况（按经理、业务员）",
    ),
    "text.roll_note": (
        "Where each month-end's open amounts were one month-end later (base currency): rows "
        "are the bucket then, columns the bucket a month later, or paid. Items new at the "
        "later month-end are not counted.",
        "各月末未清金额在下一个月末的去向（本位币）：行为当时的账龄段，列为一个月后的账龄段或已收回；"
        "下一月末新增的单据不计入。",
    ),
    "text.roll_shares": (
        "Average monthly roll rates over {months} month-ends",
        "近{months}个月末的平均月度迁徙率",
    ),
    "text.roll_last": ("Last month: {start} to {end} ({ccy})", "上月：{start} 至 {end}（{ccy}）"),
    "text.roll_all": ("Every month-end pair ({ccy})", "各相邻月末明细（{ccy}）"),
    "text.matrix_note": (
        "Loss rate: the share of a bucket that, moving month by month at the average rates, "
        "reaches the last bucket before it is paid (CAS 22 迁徙率法, IFRS 9 simplified "
        "approach); forward-looking factor {factor}. Grade rates apply to both columns.",
        "损失率：某账龄段金额按平均迁徙率逐月迁徙、在收回之前进入最后账龄段的比例（迁徙率法，"
        "IFRS 9 简化方法）；前瞻调整系数 {factor}。两列均适用风险等级的计提比例。",
    ),
    "text.matrix_booked": ("Booked this month: {method}.", "本月入账：{method}。"),
    "text.matrix_provisional": (
        "PROVISIONAL: {months} month-ends of history, fewer than 12.",
        "暂定：历史仅有{months}个月末，不足12个。",
    ),
    "method.age_bands": ("the age-band rates", "账龄组合计提比例"),
    "method.history": ("the migration-rate matrix", "迁徙率矩阵"),
    "text.changes_note": ("Compared with {previous}, {source}.", "与{previous}比较，{source}。"),
    "text.changes_from_store": ("as last month's run recorded it", "依据上月运行记录"),
    "text.changes_from_export": ("rebuilt from this export", "由本次导出数据重建"),
    "text.changes_none": (
        "Nothing to compare with yet: no earlier month-end in the history.",
        "暂无可比较的数据：历史中没有上一个月末。",
    ),
    "text.holds_not_compared": (
        "Credit holds are compared from the next month on (last month's plan is not in the "
        "history store).",
        "停止发货从下月起比较（历史数据库中没有上月的催收计划）。",
    ),
    "text.trend_pack": ("Your customers, month by month ({ccy})", "您的客户各月末余额（{ccy}）"),
    "chart.trend_by_bucket": (
        "Receivables by age bucket, month by month",
        "各月末应收账款账龄分布",
    ),
    "chart.trend_dso_cei": ("DSO and CEI, month by month", "周转天数与回款有效指数"),
    "chart.dso": ("DSO (days)", "周转天数（天）"),
    "chart.cei": ("CEI (%)", "回款有效指数（%）"),
}
_EN.update({key: texts[0] for key, texts in _HISTORY.items()})
_ZH.update({key: texts[1] for key, texts in _HISTORY.items()})

_LABELS = {"en": _EN, "zh": _ZH}

# Excel: sheet names up to 31 characters, none of these, no apostrophe at either end.
SHEET_NAME_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

_MISSING = object()


def label(key: str, lang: str = "en", default: object = _MISSING, **fill: object) -> str:
    """The text for `key` in `lang` (falling back to English), placeholders filled from `fill`."""
    if lang not in _LABELS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    text = _LABELS[lang].get(key) or _EN.get(key)
    if text is None:
        if default is _MISSING:
            raise KeyError(key)
        return str(default)
    return text.format(**fill) if fill else text


def has_label(key: str) -> bool:
    return key in _EN


def grade_label(grade: str, lang: str = "en") -> str:
    """The grade's display name (未收款 / 催收款 / 准呆账 / 呆账 / 死账 in Chinese)."""
    return GRADE_LABELS[lang][grade]


def sheet_name(key: str, lang: str = "en") -> str:
    """A sheet's display name, checked against Excel's rules."""
    name = label(f"sheet.{key}", lang)
    if safe_sheet_name(name) != name:
        raise ValueError(f"sheet label {key!r} is not a valid Excel sheet name: {name!r}")
    return name


def safe_sheet_name(name: str) -> str:
    """Make text usable as a sheet name: drop forbidden characters, trim to 31 characters."""
    cleaned = _SHEET_BAD.sub("_", str(name)).strip().strip("'")
    return (cleaned or "Sheet")[:SHEET_NAME_MAX]


def all_keys() -> tuple[str, ...]:
    return tuple(_EN)
