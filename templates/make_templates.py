"""Build the letter templates in this folder: `<kind>_<lang>.docx` for kinds reminder,
credit_warning, lawyer and statement, in Chinese (zh) and English (en).

    python templates/make_templates.py          # rewrite the eight .docx files
    python templates/make_templates.py --png    # and render examples to docs/letters/*.png

The wording lives here, as code that can be reviewed; the .docx files are its build output and
are committed so that a company can open them in Word, change the letterhead or a sentence, and
put its own copy in the folder named by `letters.template_folder`. The tags are docxtpl's
(Jinja): `{{ company.name }}`, `{%tr for i in items %}` for table rows, `{%p if ... %}` for
paragraphs; templates/README.md lists every variable a template may use.

Letters are factual and polite (DESIGN "Some tactics ... are unlawful"): they state the debt, the
deadline, how to pay, the consequence, and whom to call, and nothing else.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from aging.letters import stable_docx  # noqa: E402

BUILT = datetime(2026, 1, 1)  # fixed, so a rebuild gives byte-identical files
FONTS = {
    "zh": {"body": "SimSun", "latin": "Times New Roman", "title": "SimHei"},
    "en": {"body": "Times New Roman", "latin": "Times New Roman", "title": "Arial"},
}
GREY = RGBColor(0x59, 0x59, 0x59)

# ---- the wording ---------------------------------------------------------------------------
# Block kinds: ("p", text), ("if", condition, [blocks]), ("items", statement?), ("pay",),
# ("closing",), ("sign", [lines]), ("slip",), ("to",), ("re", text), ("title", text).

ZH_CONTACT = "联系人：{{ company.contact }}　电话：{{ company.phone }}　邮箱：{{ company.email }}"
ZH_UNAPPLIED = (
    "if",
    "unapplied_text",
    [
        (
            "p",
            "另，我司账上记有贵司尚未核销的付款或贷项{{ unapplied_text }}，请告知其对应的单据，"
            "我们将及时冲抵。",
        )
    ],
)
EN_CONTACT = (
    "Contact: {{ company.contact }}, telephone {{ company.phone }}, e-mail {{ company.email }}."
)
EN_UNAPPLIED = (
    "if",
    "unapplied_text",
    [
        (
            "p",
            "Our records also show unallocated payments or credits of {{ unapplied_text }} on "
            "your account. Please tell us which documents they are meant to settle and we will "
            "apply them.",
        )
    ],
)
ZH_SIGN = ("sign", ["{{ company.name }}（盖章）", "{{ letter.date }}"])
EN_SIGN = ("sign", ["Yours faithfully,", "", "", "{{ company.name }}", "{{ letter.date }}"])

TEXT = {
    ("reminder", "zh"): [
        ("title", "催款提示函"),
        ("to",),
        (
            "p",
            "感谢贵司一直以来对我司的信任与支持。经核对我司账目，截至{{ letter.as_of }}，"
            "贵司下列款项已过约定付款日期，尚未支付：",
        ),
        ("items", False),
        ("p", "逾期未付合计：{{ total_text }}。"),
        (
            "p",
            "烦请贵司于{{ letter.deadline }}前将上述款项汇入以下账户，并在付款附言中注明单据号，"
            "以便我们及时核销：",
        ),
        ("pay",),
        ZH_UNAPPLIED,
        (
            "p",
            "如贵司已在本函发出前付款，请忽略本函，并将付款凭证发送给我们以便核对。"
            "如对上述款项有疑问，请在上述日期前与我们联系。",
        ),
        (
            "p",
            "如届时仍未收到款项或贵司的回复，我们将再次与贵司联系，并可能需要重新评估贵司的信用条件。",
        ),
        ("p", ZH_CONTACT),
        ("closing",),
        ZH_SIGN,
    ],
    ("credit_warning", "zh"): [
        ("title", "信用警示函"),
        ("to",),
        (
            "p",
            "感谢贵司一直以来的合作。经核对我司账目，截至{{ letter.as_of }}，贵司下列款项已逾期"
            "未付，其中最长已逾期{{ max_days }}天：",
        ),
        ("items", False),
        ("p", "逾期未付合计：{{ total_text }}。"),
        (
            "p",
            "根据双方约定的信用条件，在上述逾期款项结清之前，我司将暂停对贵司的赊销发货，"
            "并重新评估贵司的信用额度。我们珍视与贵司的合作，款项结清后即可商议恢复正常的信用安排。",
        ),
        (
            "p",
            "请贵司于{{ letter.deadline }}前将上述款项汇入以下账户，并在付款附言中注明单据号：",
        ),
        ("pay",),
        ZH_UNAPPLIED,
        (
            "p",
            "如贵司暂时存在付款困难，欢迎在上述日期前与我们联系，商议分期付款安排。"
            "如贵司已付款或对上述款项有异议，也请告知我们并提供相关凭证。",
        ),
        ("p", ZH_CONTACT),
        ("closing",),
        ZH_SIGN,
    ],
    ("lawyer", "zh"): [
        ("title", "律 师 函"),
        ("to",),
        (
            "p",
            "{{ counsel.name }}接受{{ company.name }}（以下简称“委托人”）的委托，"
            "就贵司欠付委托人款项一事，特致函如下：",
        ),
        (
            "p",
            "根据委托人提供的资料，截至{{ letter.as_of }}，贵司下列款项已超过约定付款期限，"
            "至今尚未支付：",
        ),
        ("items", False),
        ("p", "欠款合计：{{ total_text }}。"),
        ("p", "请贵司于{{ letter.deadline }}前将上述款项支付至委托人以下账户："),
        ("pay",),
        ZH_UNAPPLIED,
        (
            "p",
            "如贵司对上述款项有异议，请于上述日期前以书面形式向本所或委托人提出，并附相关依据。",
        ),
        (
            "p",
            "如贵司在上述日期前既未付款、也未提出异议，委托人将依法通过诉讼或仲裁途径主张权利，"
            "包括要求支付逾期付款的利息损失及依法由贵司承担的相关费用。委托人仍希望与贵司协商解决，"
            "欢迎贵司与本所联系。",
        ),
        (
            "p",
            "本函即为委托人向贵司提出的书面履行请求（《中华人民共和国民法典》第一百九十五条）。",
        ),
        (
            "p",
            "联系方式：{{ counsel.name }}，电话：{{ counsel.phone }}；委托人联系人："
            "{{ company.contact }}，电话：{{ company.phone }}。",
        ),
        ("p", "特此函告。"),
        (
            "sign",
            ["{{ counsel.name }}", "律师：＿＿＿＿＿＿＿＿（签字）", "{{ letter.date }}"],
        ),
    ],
    ("statement", "zh"): [
        ("title", "对 账 函"),
        ("subtitle", "（往来款项余额确认）"),
        ("to",),
        (
            "p",
            "为核对双方往来账目，现将截至{{ letter.as_of }}我司账面记录的贵司未结清款项列示如下，"
            "敬请核对：",
        ),
        ("items", True),
        ("p", "未结清余额合计：{{ total_text }}。"),
        (
            "if",
            "overdue_text",
            [
                (
                    "p",
                    "其中已到期未付{{ overdue_text }}，请于{{ letter.deadline }}前支付至以下账户：",
                ),
                ("pay",),
            ],
        ),
        ZH_UNAPPLIED,
        (
            "p",
            "请贵司于{{ letter.deadline }}前核对上述款项，在下方回执上签字盖章后寄回，"
            "或扫描发送至{{ company.email }}。如与贵司记录不符，请在回执中注明差异及原因。"
            "如届时未收到回执，我们将与贵司联系以完成对账。",
        ),
        ("p", ZH_CONTACT),
        ("closing",),
        ZH_SIGN,
        ("slip",),
    ],
    ("reminder", "en"): [
        ("title", "Payment Reminder"),
        ("to",),
        ("p", "Dear Sir or Madam,"),
        (
            "p",
            "Thank you for your continued business with {{ company.name }}. According to our "
            "records, the following amounts on your account had passed their due date and were "
            "unpaid on {{ letter.as_of }}:",
        ),
        ("items", False),
        ("p", "Total overdue: {{ total_text }}."),
        (
            "p",
            "We kindly ask you to pay this amount by {{ letter.deadline }} into the account "
            "below, quoting the document numbers as the payment reference:",
        ),
        ("pay",),
        EN_UNAPPLIED,
        (
            "p",
            "If you have already paid, please disregard this letter and send us the payment "
            "details so that we can match them. If any item is in question, please let us know "
            "before that date.",
        ),
        (
            "p",
            "If we have not received payment or heard from you by then, we will contact you "
            "again and may need to review the credit terms of your account.",
        ),
        ("p", EN_CONTACT),
        EN_SIGN,
    ],
    ("credit_warning", "en"): [
        ("title", "Credit Warning"),
        ("to",),
        ("p", "Dear Sir or Madam,"),
        (
            "p",
            "Thank you for your business. According to our records, the following amounts on "
            "your account were overdue on {{ letter.as_of }}, the oldest by {{ max_days }} days:",
        ),
        ("items", False),
        ("p", "Total overdue: {{ total_text }}."),
        (
            "p",
            "Under our agreed credit terms, we will suspend deliveries on credit to your "
            "company until the overdue amount is settled, and we will review your credit "
            "limit. We value our relationship and will gladly discuss restoring normal terms "
            "once the account is up to date.",
        ),
        (
            "p",
            "Please pay the overdue amount by {{ letter.deadline }} into the account below, "
            "quoting the document numbers as the payment reference:",
        ),
        ("pay",),
        EN_UNAPPLIED,
        (
            "p",
            "If you are facing temporary difficulties, please contact us before that date: we "
            "are open to agreeing a schedule of instalments. If you have already paid, or "
            "dispute any item, please tell us and send the supporting documents.",
        ),
        ("p", EN_CONTACT),
        EN_SIGN,
    ],
    ("lawyer", "en"): [
        ("title", "Lawyer's Letter"),
        ("to",),
        ("re", "Re: amounts owed to {{ company.name }}"),
        ("p", "Dear Sir or Madam,"),
        (
            "p",
            "We act for {{ company.name }} (“our client”) and write on its instructions about "
            "amounts your company owes our client.",
        ),
        (
            "p",
            "According to the records our client has provided, the following amounts had "
            "passed their agreed due date and were unpaid on {{ letter.as_of }}:",
        ),
        ("items", False),
        ("p", "Total outstanding: {{ total_text }}."),
        (
            "p",
            "We ask you to pay this amount by {{ letter.deadline }} into our client's account:",
        ),
        ("pay",),
        EN_UNAPPLIED,
        (
            "p",
            "If you dispute any of these amounts, please set out your reasons in writing, with "
            "supporting documents, to us or to our client by that date.",
        ),
        (
            "p",
            "If the amount is neither paid nor disputed by that date, our client intends to "
            "pursue its claim through the courts or arbitration, including interest for late "
            "payment and the costs the law allows. Our client would still prefer to settle this "
            "matter amicably, and we invite you to contact us to that end.",
        ),
        (
            "p",
            "This letter is our client's written demand for payment (Civil Code of the "
            "People's Republic of China, art. 195).",
        ),
        (
            "p",
            "Contact: {{ counsel.name }}, telephone {{ counsel.phone }}; or our client's "
            "{{ company.contact }}, telephone {{ company.phone }}.",
        ),
        (
            "sign",
            [
                "Yours faithfully,",
                "",
                "",
                "{{ counsel.name }}",
                "Lawyer: ____________________ (signature)",
                "{{ letter.date }}",
            ],
        ),
    ],
    ("statement", "en"): [
        ("title", "Statement of Account"),
        ("subtitle", "and balance confirmation"),
        ("to",),
        ("p", "Dear Sir or Madam,"),
        (
            "p",
            "To reconcile our accounts, please find below the open items on your account in "
            "our books on {{ letter.as_of }}:",
        ),
        ("items", True),
        ("p", "Balance on {{ letter.as_of }}: {{ total_text }}."),
        (
            "if",
            "overdue_text",
            [
                (
                    "p",
                    "Of this, {{ overdue_text }} is past its due date; please pay it by "
                    "{{ letter.deadline }} into:",
                ),
                ("pay",),
            ],
        ),
        EN_UNAPPLIED,
        (
            "p",
            "Please check these items, sign the reply slip below and return it to us by "
            "{{ letter.deadline }}, by post or scanned to {{ company.email }}. If your records "
            "differ, please note the difference and its reason on the slip. If we have not "
            "received the slip by then, we will contact you to complete the reconciliation.",
        ),
        ("p", EN_CONTACT),
        EN_SIGN,
        ("slip",),
    ],
}

LABELS = {
    "zh": {
        "ref": "编号：{{ letter.ref }}",
        "date": "日期：{{ letter.date }}",
        "to": "致：{{ customer.name }}（客户编号：{{ customer.id }}）",
        "columns": ["单据号", "单据日期", "到期日", "币种", "单据金额", "未付金额", "逾期天数"],
        "status": "状态",
        "schedule": (
            "上表列示金额最大的{{ schedule.listed }}笔；其余{{ schedule.rest }}笔按币种合计于表中"
            "“其余”一行，全部{{ schedule.total }}笔的明细见附件 {{ schedule.file }}。"
        ),
        "pay": [
            ("户　名：", "{{ company.account_name }}"),
            ("开户行：", "{{ company.bank_name }}"),
            ("账　号：", "{{ company.bank_account }}"),
        ],
        "page": "第 {PAGE} 页",
        "cut": "- - - - - - - - - - - - - - - - 沿此线剪下 - - - - - - - - - - - - - - - -",
        "slip": [
            ("bold", "回　执"),
            ("p", "致：{{ company.name }}　　（编号：{{ letter.ref }}）"),
            (
                "p",
                "☐ 经核对，截至{{ letter.as_of }}，我司尚欠贵司款项{{ total_text }}，"
                "与上述记录相符。",
            ),
            ("p", "☐ 与上述记录不符，差异及原因如下："),
            ("line", ""),
            ("line", ""),
            ("gap", ""),
            ("p", "客户名称（盖章）：{{ customer.name }}"),
            ("p", "经办人（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"),
        ],
    },
    "en": {
        "ref": "Our ref: {{ letter.ref }}",
        "date": "Date: {{ letter.date }}",
        "to": "To: {{ customer.name }} (customer no. {{ customer.id }})",
        "columns": ["Document", "Date", "Due date", "Curr.", "Amount", "Unpaid", "Days overdue"],
        "status": "Overdue",
        "schedule": (
            "The table lists the {{ schedule.listed }} largest of {{ schedule.total }} items; the "
            "other {{ schedule.rest }} are summed by currency in its rows marked “more”, and all "
            "are listed in the enclosed schedule, {{ schedule.file }}."
        ),
        "pay": [
            ("Account name: ", "{{ company.account_name }}"),
            ("Bank: ", "{{ company.bank_name }}"),
            ("Account no.: ", "{{ company.bank_account }}"),
            ("SWIFT/BIC: ", "{{ company.swift }}", "company.swift"),
        ],
        "page": "page {PAGE}",
        "cut": "- - - - - - - - - - - - - - - - cut here - - - - - - - - - - - - - - - -",
        "slip": [
            ("bold", "REPLY SLIP"),
            ("p", "To: {{ company.name }}    (our ref: {{ letter.ref }})"),
            (
                "p",
                "☐ We confirm that on {{ letter.as_of }} we owed you {{ total_text }}, "
                "as listed above.",
            ),
            ("p", "☐ Our records differ. The difference and its reason are:"),
            ("line", ""),
            ("line", ""),
            ("gap", ""),
            ("p", "Customer (company seal): {{ customer.name }}"),
            ("p", "Signed: ______________________   Name: ________________   Date: ____________"),
        ],
    },
}

# Column widths in cm (A4 portrait with 2.2 cm margins leaves 16.6 cm).
WIDTHS = [2.9, 2.5, 2.5, 1.3, 2.45, 2.45, 2.5]


# ---- building ------------------------------------------------------------------------------


def build(kind: str, lang: str) -> bytes:
    doc = Document()
    _page(doc)
    _styles(doc, lang)
    _letterhead(doc, "counsel" if kind == "lawyer" else "company", lang)
    for block in TEXT[(kind, lang)]:
        _block(doc, block, lang)
    _footer(doc, lang)
    props = doc.core_properties
    props.author = "{{ company.name }}" if kind != "lawyer" else "{{ counsel.name }}"
    props.title = f"{kind} ({lang})"
    props.last_modified_by = ""
    props.comments = "Built by templates/make_templates.py"
    props.revision = 1
    props.created = props.modified = BUILT
    _slim(doc)
    return stable_docx(_bytes(doc), BUILT)


# Parts of python-docx's default document that no letter uses: a second copy of the styles
# with Word 2010 effects, web settings, a bibliography store (customXml), an empty numbering
# part and the thumbnail of a blank page.
UNUSED_PARTS = ("stylesWithEffects", "webSettings", "customXml", "numbering", "thumbnail")


def _slim(doc) -> None:
    """Only what the letters use: every letter carries these parts, and the default styles
    alone were 788 KB of each letter's 0.84 MB."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in UNUSED_PARTS:
                del rels[rid]
    _used_styles_only(doc)


def _used_styles_only(doc) -> None:
    """The styles the document and its footers name, the defaults, and the styles those are
    based on or linked to; no latent-style list (Word's built-in defaults apply)."""
    styles = doc.styles.element
    parts = [doc.element] + [rel.target_part.element for rel in doc.part.rels.values()
                             if rel.reltype.endswith(("/header", "/footer"))]  # fmt: skip
    named = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
    keep = {el.get(qn("w:val")) for part in parts for el in part.iter(*named)}
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    keep |= {sid for sid, style in by_id.items() if style.get(qn("w:default")) == "1"}
    todo = list(keep)
    while todo:
        style = by_id.get(todo.pop())
        for ref in ("w:basedOn", "w:link", "w:next"):
            found = None if style is None else style.find(qn(ref))
            if found is not None and found.get(qn("w:val")) not in keep:
                keep.add(found.get(qn("w:val")))
                todo.append(found.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


def _bytes(doc) -> bytes:
    import io

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    section.footer_distance = Cm(1.0)


def _fonts(element, fonts: dict, east: str | None = None) -> None:
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), fonts["latin"])
    rfonts.set(qn("w:eastAsia"), east or fonts["body"])


def _styles(doc, lang: str) -> None:
    fonts = FONTS[lang]
    normal = doc.styles["Normal"]
    normal.font.name = fonts["body"]
    normal.font.size = Pt(10.5)
    _fonts(normal.element, fonts)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.2
    table = doc.styles["Table Grid"]
    table.font.size = Pt(9)


def _para(doc, text: str = "", *, align=None, bold=False, size=None, indent=False, lang="en"):
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if indent and lang == "zh":  # 中文习惯: a body paragraph starts two characters in
        p.paragraph_format.first_line_indent = Pt(21)
    return p


def _letterhead(doc, who: str, lang: str) -> None:
    fonts = FONTS[lang]
    p = _para(doc, f"{{{{ {who}.name }}}}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=16)
    _fonts(p.runs[0]._r, fonts, fonts["title"])
    p.paragraph_format.space_after = Pt(2)
    phone = "电话" if lang == "zh" else "Tel."
    line = f"{{{{ {who}.address }}}}　{phone} {{{{ {who}.phone }}}}"
    p = _para(doc, line, align=WD_ALIGN_PARAGRAPH.CENTER, size=9)
    p.runs[0].font.color.rgb = GREY
    p.paragraph_format.space_after = Pt(14)
    _bottom_border(p)


def _bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "808080")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _block(doc, block: tuple, lang: str) -> None:
    kind, *args = block
    labels = LABELS[lang]
    if kind == "title":
        p = _para(doc, args[0], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=18)
        _fonts(p.runs[0]._r, FONTS[lang], FONTS[lang]["title"])
        p.paragraph_format.space_after = Pt(10)
    elif kind == "subtitle":
        doc.paragraphs[-1].paragraph_format.space_after = Pt(2)
        p = _para(doc, args[0], align=WD_ALIGN_PARAGRAPH.CENTER, size=11)
        p.paragraph_format.space_after = Pt(10)
    elif kind == "to":
        p = _para(doc, f"{labels['ref']}　　{labels['date']}", align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.runs[0].font.size = Pt(9)
        p = _para(doc, labels["to"], bold=True)
        p.paragraph_format.space_before = Pt(6)
    elif kind == "re":
        _para(doc, args[0], bold=True)
    elif kind == "p":
        _para(doc, args[0], indent=True, lang=lang, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    elif kind == "if":
        condition, inner = args
        _para(doc, f"{{%p if {condition} %}}")
        for child in inner:
            _block(doc, child, lang)
        _para(doc, "{%p endif %}")
    elif kind == "items":
        _items(doc, lang, statement=args[0])
        # a letter lists letters.max_items items at most; the rest are in a workbook beside it
        _block(doc, ("if", "schedule.file", [("p", labels["schedule"])]), lang)
    elif kind == "pay":
        _payment(doc, labels["pay"])
    elif kind == "closing":
        # 此致 / 敬礼: the closing is never split from the signature that follows it
        first = _para(doc, "此致", indent=True, lang=lang).paragraph_format
        first.space_after, first.keep_with_next = Pt(0), True
        _para(doc, "敬礼！")
    elif kind == "sign":
        _signature(doc, args[0])
    elif kind == "slip":
        _slip(doc, labels)
    else:  # pragma: no cover - a typo in TEXT
        raise ValueError(f"unknown block {kind}")


def _payment(doc, lines) -> None:
    """Account name, bank, number (and SWIFT when set), indented, values in bold."""
    for label, value, *condition in lines:
        if condition:
            _para(doc, f"{{%p if {condition[0]} %}}")
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(1.5)
        p.paragraph_format.space_after = Pt(0)
        p.add_run(label)
        p.add_run(value).bold = True
        if condition:
            _para(doc, "{%p endif %}")
    _para(doc).paragraph_format.space_after = Pt(0)


def _items(doc, lang: str, statement: bool) -> None:
    """Header, one row per item, one total row per currency: both docxtpl row loops."""
    labels = LABELS[lang]
    columns = list(labels["columns"])
    if statement:
        columns[-1] = labels["status"]
    fields = ["doc_no", "doc_date", "due_date", "currency", "amount", "open",
              "status" if statement else "days"]  # fmt: skip
    right = {4, 5} | (set() if statement else {6})
    table = doc.add_table(rows=7, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, items_for, item, items_end, totals_for, total, totals_end = table.rows
    for i, text in enumerate(columns):
        _cell(header.cells[i], text, bold=True, align=_align(i in right, header=True))
        _shade(header.cells[i], "E7E6E6")
    _repeat_header(header)
    _cell(items_for.cells[0], "{%tr for i in items %}")
    for i, name in enumerate(fields):
        _cell(item.cells[i], f"{{{{ i.{name} }}}}", align=_align(i in right))
    _cell(items_end.cells[0], "{%tr endfor %}")
    _cell(totals_for.cells[0], "{%tr for t in totals %}")
    label = total.cells[0].merge(total.cells[4])
    _cell(label, "{{ t.label }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(total.cells[5], "{{ t.amount }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(totals_end.cells[0], "{%tr endfor %}")
    table.autofit = False
    for i, width in enumerate(WIDTHS):
        table.columns[i].width = Cm(width)
    for row in table.rows:
        for i, width in enumerate(WIDTHS):
            if i < len(row.cells):
                row.cells[i].width = Cm(width)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _align(right: bool, header: bool = False):
    if right:
        return WD_ALIGN_PARAGRAPH.RIGHT
    return WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.LEFT


def _cell(cell, text: str, *, bold=False, align=None) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)
    if align is not None:
        p.alignment = align


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _signature(doc, lines: list[str]) -> None:
    """Right-aligned, kept on one page together with the paragraph before it."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    gap = _para(doc)
    gap.paragraph_format.space_after = Pt(6)
    gap.paragraph_format.keep_with_next = True
    for text in lines:
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.space_after = Pt(2)
        # keep the signature block on one page with what it signs
        p.paragraph_format.keep_with_next = True
    doc.paragraphs[-1].paragraph_format.keep_with_next = False


def _slip(doc, labels: dict) -> None:
    p = _para(doc, labels["cut"], align=WD_ALIGN_PARAGRAPH.CENTER, size=8)
    p.runs[0].font.color.rgb = GREY
    p.paragraph_format.space_before = Pt(18)
    p.paragraph_format.page_break_before = False
    p.paragraph_format.keep_with_next = True
    for kind, text in labels["slip"]:
        if kind == "bold":
            q = _para(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=13)
        elif kind == "line":
            q = _para(doc, "_" * 86)
            q.runs[0].font.color.rgb = GREY
        elif kind == "gap":
            q = _para(doc)
        else:
            q = _para(doc, text)
        q.paragraph_format.keep_with_next = True
    doc.paragraphs[-1].paragraph_format.keep_with_next = False


def _footer(doc, lang: str) -> None:
    footer = doc.sections[0].footer
    doc.styles["Footer"].font.size = Pt(8)
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = LABELS[lang]["page"].split("{PAGE}")
    run = p.add_run("{{ letter.ref }}　·　" + before)
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    _page_field(p)
    tail = p.add_run(after)
    tail.font.size = Pt(8)
    tail.font.color.rgb = GREY


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            node = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            node.set(qn("xml:space"), "preserve")
            node.text = text
            run._r.append(node)


# ---- example renderings -------------------------------------------------------------------

# One sample customer per kind: a short letter where the sample has one. The sample has no
# English-named customer at the credit-warning or statement step; those are shown in English
# for a Chinese-named customer, as `letters.lang: en` would write them.
EXAMPLES = {
    ("reminder", "zh"): "C01565",
    ("credit_warning", "zh"): "C00466",
    ("lawyer", "zh"): "C01835",
    ("statement", "zh"): "C01415",
    ("reminder", "en"): "C02205",
    ("credit_warning", "en"): "C00466",
    ("lawyer", "en"): "C00379",
    ("statement", "en"): "C01415",
}


def render_examples(target: Path) -> list[Path]:
    """Render one letter of each kind and language from the sample ledger, as the debtor sees
    it: .docx -> PDF (LibreOffice) -> PNG at 70 dpi (pdftoppm), one file per page."""
    import dataclasses
    import subprocess
    import tempfile

    from aging.config import load_config
    from aging.letters import letters_due, libreoffice, render_letter, template_paths
    from aging.pipeline import Inputs, run

    sample = HERE.parent / "sample_data"
    config = load_config(HERE / "sample_company.yaml")
    result = run(Inputs(ledger=(sample / "ar_ledger_2026-10.xlsx",),
                        fx=(sample / "fx_rates.csv",)), config)  # fmt: skip
    due = {(x.customer_id, x.kind): x for x in letters_due(result)}
    templates = template_paths(None)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as work:
        docs = []
        for (kind, lang), customer in EXAMPLES.items():
            letter = dataclasses.replace(due[(customer, kind)], lang=lang)
            path = Path(work) / f"{kind}_{lang}.docx"
            path.write_bytes(render_letter(letter, result, templates[(kind, lang)]))
            docs.append(path)
        profile = (Path(work) / "profile").as_uri()
        subprocess.run([libreoffice(), f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", work, *map(str, docs)],
                       check=True, capture_output=True)  # fmt: skip
        for doc in docs:
            pdf = doc.with_suffix(".pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(target / doc.stem)],
                           check=True)  # fmt: skip
    return sorted(target.glob("*.png"))


def main() -> None:
    for kind, lang in TEXT:
        path = HERE / f"{kind}_{lang}.docx"
        path.write_bytes(build(kind, lang))
        print(path.relative_to(HERE.parent))
    if "--png" in sys.argv[1:]:
        for path in render_examples(HERE.parent / "docs" / "letters"):
            print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
