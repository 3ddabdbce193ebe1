"""Generate the bundled sample inputs: a Chinese trading company's month-end AR export.

In: an output folder (default: the folder this file is in). Out, byte-stable for the seed:
`ar_ledger_2026-10.xlsx` (sheets 应收明细 ledger, 客户资料 customer master, 催收记录 contact
log), `sap_open_items.xlsx` (SAP FBL5N-style open items), `register_gb18030.csv` (invoice
register in GB18030), `fx_rates.csv` and `README.md`, which lists every deliberately planted
problem with its sheet and Excel row so the tool's exceptions can be checked against it.

Everything comes from one `numpy.random.default_rng(SEED)` drawn in a fixed order; nothing
depends on the clock, the locale or hash order. Money is integer cents throughout.

Run: python sample_data/generate.py [OUT_DIR]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import xlsxwriter

SEED = 20261031
AS_OF = date(2026, 10, 31)
PERIOD_START = date(2023, 11, 1)
USD_RATE = "7.1034"
COMPANY = "华东精密机械有限公司"
CLERK = "周敏"  # the AR clerk who logs calls the reps do not make

LEDGER_FILE = "ar_ledger_2026-10.xlsx"
SAP_FILE = "sap_open_items.xlsx"
REGISTER_FILE = "register_gb18030.csv"
FX_FILE = "fx_rates.csv"
README_FILE = "README.md"
LEDGER_SHEET, CUSTOMER_SHEET, CONTACT_SHEET = "应收明细", "客户资料", "催收记录"
SAP_SHEET = "FBL5N"

LEDGER_HEADERS = (
    "客户编码", "客户名称", "单据类型", "单据号", "单据日期", "到期日", "币种", "金额",
    "核销发票号", "业务员", "区域",
)  # fmt: skip
LEDGER_HEADER_ROW = 4  # Excel row: title, period line, blank row, header
CUSTOMER_HEADERS = (
    "客户编码", "客户名称", "业务员", "销售经理", "经理邮箱", "区域", "距离公里", "信用额度",
    "信用等级", "经济实力", "配合度", "客户状态", "账期", "结算方式", "所属集团",
)  # fmt: skip
CONTACT_HEADERS = (
    "联系日期", "客户编码", "单据号", "催收方式", "催收结果", "承诺日期", "承诺金额", "备注",
    "催收人",
)  # fmt: skip
SAP_HEADERS = (
    "Customer", "Name", "Document Number", "Document Type", "Document Date", "Net Due Date",
    "Amount in LC", "Currency",
)  # fmt: skip
SAP_HEADER_ROW = 4
REGISTER_HEADERS = (
    "客户编码", "客户名称", "发票号", "开票日期", "到期日", "发票金额", "已收金额", "结清日期",
)  # fmt: skip

KIND_LABEL = {"invoice": "销售发票", "credit": "红字发票", "receipt": "收款单"}
KIND_SIGN = {"invoice": 1, "credit": -1, "receipt": -1}
KIND_ORDER = {"invoice": 0, "credit": 1, "receipt": 2}
KIND_PREFIX = {"invoice": "XSFP", "credit": "HZFP", "receipt": "SKD"}

MANAGERS = (
    ("王建国", "wang.jianguo@hdjm.com.cn"),
    ("李秀英", "li.xiuying@hdjm.com.cn"),
    ("陈志强", ""),  # planted: a manager without an e-mail address
)
REPS = {  # rep -> manager
    "张伟": "王建国", "刘洋": "王建国", "赵敏": "王建国",
    "孙磊": "李秀英", "周婷": "李秀英", "吴昊": "李秀英",
    "郑凯": "陈志强", "黄丽": "陈志强",
}  # fmt: skip
REGION_REPS = {
    "华东": ("张伟", "刘洋", "赵敏"),
    "华北": ("孙磊", "周婷"),
    "华中": ("吴昊",),
    "华南": ("郑凯", "黄丽"),
    "西南": ("郑凯",),
    "海外": ("黄丽",),
}
CITIES = {  # region -> (city, road km from the company in Kunshan)
    "华东": (
        ("上海", 70), ("苏州", 25), ("无锡", 60), ("常州", 105), ("南京", 215), ("杭州", 160),
        ("宁波", 230), ("嘉兴", 95), ("绍兴", 200), ("合肥", 390), ("南通", 120), ("温州", 420),
    ),
    "华北": (("北京", 1150), ("天津", 1050), ("济南", 760), ("青岛", 700), ("石家庄", 1010)),
    "华中": (("武汉", 820), ("长沙", 1010), ("郑州", 810), ("南昌", 720)),
    "华南": (("广州", 1420), ("深圳", 1450), ("东莞", 1430), ("佛山", 1430), ("厦门", 900)),
    "西南": (("成都", 1900), ("重庆", 1700), ("昆明", 2300), ("贵阳", 1800)),
}  # fmt: skip
REGION_WEIGHTS = (("华东", 0.5), ("华北", 0.15), ("华中", 0.1), ("华南", 0.15), ("西南", 0.1))
BRANDS = (
    "宏达", "恒通", "华信", "鑫源", "金诚", "永盛", "瑞丰", "博远", "正泰", "天成", "嘉禾",
    "汇通", "力拓", "东升", "联创", "广源", "中联", "泰和", "兴业", "凯旋", "新力", "德胜",
    "盛世", "明珠", "远航", "海川", "顺达", "佳美", "安捷", "精工", "荣昌", "富华", "隆鑫",
    "立信", "申达", "通润", "振华", "国泰", "百川", "恒昌", "信达", "宇通", "华瑞", "聚力",
    "鼎盛", "昌隆", "万福", "诚远", "亿丰", "星源", "润泽", "同创", "华宇", "永泰",
)  # fmt: skip
INDUSTRIES = (
    "贸易", "机电设备", "五金机电", "自动化设备", "精密机械", "工业科技", "机械制造", "电气设备",
    "液压设备", "模具", "轴承", "汽车配件", "机床", "工控技术", "物资", "五金制品",
)  # fmt: skip
EXPORT_CUSTOMERS = (  # English name, road/sea km, group
    ("Pacific Rim Trading Ltd", 1250, "Pacific Rim Group"),
    ("Pacific Rim Machinery (HK) Ltd", 1250, "Pacific Rim Group"),
    ("Golden Harbor Imports Pte Ltd", 3800, ""),
    ("Nordic Machine Parts AB", 7900, ""),
    ("Great Lakes Tooling Inc.", 11600, ""),
    ("Saigon Precision Co., Ltd", 2800, ""),
    ("Bangkok Motor Components Co., Ltd.", 2900, ""),
    ("PT Jakarta Teknik Mandiri", 4300, ""),
    ("Gulf Engineering Supplies LLC", 6400, ""),
    ("Allied Engineering Pvt Ltd", 4600, ""),
)
ENGLISH_DOMESTIC = (  # foreign-invested customers in China, invoiced in CNY
    ("Suzhou Kinetic Automation Co., Ltd.", "华东", "苏州", 25),
    ("Shanghai Brightway Industrial Co., Ltd.", "华东", "上海", 70),
    ("Tianjin Northstar Machinery Co., Ltd.", "华北", "天津", 1050),
    ("Shenzhen Everbright Motion Control Co., Ltd.", "华南", "深圳", 1450),
)
GROUPS = (  # group, (city, brand, industry) of its members
    (
        "宏达集团",
        (("上海", "宏达", "贸易"), ("苏州", "宏达", "机电设备"), ("无锡", "宏达", "精密机械")),
    ),
    (
        "恒通控股",
        (("杭州", "恒通", "五金机电"), ("宁波", "恒通", "液压设备"), ("合肥", "恒通", "工业科技")),
    ),
    ("华信实业集团", (("北京", "华信", "机床"), ("天津", "华信", "汽车配件"))),
)
COOPERATION_TEXT = {
    "cooperative": "配合", "slow": "拖延", "evasive": "躲避", "hostile": "恶意",
}  # fmt: skip
STATUS_TEXT = {
    "lawsuit": "诉讼中", "bankrupt": "破产", "deregistered": "注销", "untraceable": "失联",
}  # fmt: skip
SETTLEMENT_TEXT = {
    "credit": "credit", "cash_only": "现款现货", "deliver_two_settle_one": "送二结一",
    "monthly": "月结",
}  # fmt: skip
CHANNEL_ZH = {"phone": "电话", "sms": "短信", "email": "邮件", "letter": "信函", "visit": "拜访"}
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
PROMISE_TOLERANCE_DAYS = 3  # DESIGN: promises default tolerance
# Issue #14: two customers that paid on time for years and stopped paying in mid-2026, so the
# payment-behaviour factor has someone to tell apart from reliably late payers. Drawn from a
# generator of their own (LAPSED_SEED) after everything else: no other row or figure moves but
# the ledger's 合计 rows, the counts and the CNY total.
LAPSED_SEED = SEED + 14
LAPSED = (  # code, city, brand, industry, rep, stopped paying
    ("C02611", "苏州", "恒昌", "自动化设备", "赵敏", date(2026, 7, 6)),
    ("C02637", "济南", "博远", "轴承", "周婷", date(2026, 8, 10)),
)


# ---------------------------------------------------------------------------------------------
# Records


@dataclass
class Customer:
    code: str
    name: str
    region: str
    city: str
    distance_km: int
    currency: str
    group: str = ""
    rep: str = ""
    profile: str = "prompt"  # prompt | slow | stopped | closed | new
    settlement: str = "credit"
    terms: int = 30
    rating: str = "B"
    strength: str = "medium"
    cooperation: str = "cooperative"
    status: str = "active"
    in_master: bool = True
    in_ledger: bool = True
    rate: float = 0.0  # invoices per month
    scale: float = 0.0  # typical invoice, major units
    late_mean: int = 0
    start: date = PERIOD_START
    stop: date | None = None  # stopped paying (stopped) or last trade (closed)
    lumps: bool = False  # pays several invoices at once on fixed days
    disputes: bool = False  # now and then leaves an invoice unpaid
    old_debts: bool = False  # carries invoices from before the period
    prepays: bool = False  # paid on account more than invoiced
    double_pays: bool = False  # paid one invoice twice
    credit_limit: int | None = None  # CNY
    texts: dict = field(default_factory=dict)  # how the master writes coded fields

    @property
    def manager(self) -> str:
        return REPS[self.rep]

    @property
    def email(self) -> str:
        return dict(MANAGERS)[self.manager]


@dataclass
class Doc:
    customer: str
    kind: str  # invoice | credit | receipt
    doc_date: date
    cents: int  # always positive; the kind gives the direction
    due: date | None = None
    key: int = 0
    applies_key: int | None = None
    no: str = ""
    applies_to: str = ""
    # How the export shows the row: messy formats and planted problems.
    name: str | None = None
    amount_text: str | None = None
    date_text: str | None = None
    due_text: str | None = None
    due_blank: bool = False
    blank_customer: bool = False
    in_totals: bool = True  # False: the amount cell is unparseable, the ERP total excludes it
    host: str = ""  # group the row is listed under when its customer cell is blank


@dataclass(frozen=True)
class Money:
    cents: int


@dataclass
class Plant:
    sheet: str
    column: str
    value: str
    problem: str
    expected: str
    docs: tuple = ()
    codes: tuple = ()
    rows: tuple = ()


@dataclass
class Truth:
    """Open items as the design's settlement computes them (named first, then FIFO)."""

    open: dict  # invoice key -> open cents
    receipts_applied: dict  # invoice key -> cents from receipts
    credits_applied: dict  # invoice key -> cents from credit notes
    settled: dict  # invoice key -> date the last cent was applied
    unapplied: dict  # customer -> cents of credit left over
    last_receipt: dict  # customer -> date
    last_applied: dict = field(default_factory=dict)  # invoice key -> date of last receipt on it


# ---------------------------------------------------------------------------------------------
# Dates and money


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_starts(first: date, last: date):
    day = date(first.year, first.month, 1)
    while day <= last:
        yield day
        day = add_months(day, 1)


def workday(day: date) -> date:
    """Saturday -> Friday, Sunday -> Monday: offices do not post at weekends."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def days(n) -> timedelta:
    return timedelta(days=int(n))


def rand_date(rng, first: date, last: date) -> date:
    return first + days(rng.integers(0, (last - first).days + 1))


def plain_amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}" if cents >= 0 else "-" + plain_amount(-cents)


def comma_amount(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}" if cents >= 0 else "-" + comma_amount(-cents)


def slash_date(day: date) -> str:
    return f"{day.year}/{day.month:02d}/{day.day:02d}"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pick(rng, items):
    return items[int(rng.integers(0, len(items)))]


# ---------------------------------------------------------------------------------------------
# Customers


def _chinese_name(rng, city: str, brand: str, industry: str) -> str:
    suffix = pick(rng, ("有限公司",) * 7 + ("股份有限公司", "有限责任公司", "有限公司"))
    city_part = city + "市" if rng.random() < 0.12 else city
    return f"{city_part}{brand}{industry}{suffix}"


def _identities(rng) -> list[dict]:
    """Names, places and currencies of the 153 customers, before roles are dealt."""
    out, taken = [], set()
    for name, km, group in EXPORT_CUSTOMERS:
        out.append(dict(name=name, region="海外", city="", km=km, currency="USD", group=group))
    for name, region, city, km in ENGLISH_DOMESTIC:
        out.append(dict(name=name, region=region, city=city, km=km, currency="CNY", group=""))
    city_region = {city: (region, km) for region, cs in CITIES.items() for city, km in cs}
    for group, members in GROUPS:
        for city, brand, industry in members:
            name = f"{city}{brand}{industry}有限公司"
            region, km = city_region[city]
            out.append(
                dict(name=name, region=region, city=city, km=km, currency="CNY", group=group)
            )
    group_brands = {brand for _, members in GROUPS for _, brand, _ in members}
    regions = [r for r, _ in REGION_WEIGHTS]
    weights = np.array([w for _, w in REGION_WEIGHTS])
    taken.update(i["name"] for i in out)
    while len(out) < 153:
        region = regions[int(rng.choice(len(regions), p=weights))]
        city, km = pick(rng, CITIES[region])
        brand, industry = pick(rng, BRANDS), pick(rng, INDUSTRIES)
        name = _chinese_name(rng, city, brand, industry)
        if name in taken or brand in group_brands:
            continue
        taken.add(name)
        out.append(dict(name=name, region=region, city=city, km=km, currency="CNY", group=""))
    return out


def _roles(rng, identities: list[dict]) -> list[str]:
    """Deal profiles: most pay within terms, some slowly, some stopped paying 1-3 years ago."""
    roles = [""] * len(identities)
    export = [i for i, ident in enumerate(identities) if ident["currency"] == "USD"]
    export_roles = ["prompt"] * 6 + ["slow"] * 3 + ["stopped"]
    for i, role in zip(export, rng.permutation(export_roles), strict=True):
        roles[i] = str(role)
    domestic = [i for i in range(len(identities)) if i not in export]
    deck = ["new"] * 3 + ["ledger_only"] * 3 + ["closed"] * 2 + ["stopped"] * 15 + ["slow"] * 29
    deck += ["prompt"] * (len(domestic) - len(deck))
    for i, role in zip(domestic, rng.permutation(deck), strict=True):
        roles[i] = str(role)
    return roles


def _codes(rng, n: int) -> list[str]:
    numbers = sorted(int(x) for x in rng.choice(np.arange(101, 2600), size=n, replace=False))
    order = rng.permutation(n)
    codes = [f"C{numbers[int(k)]:05d}" for k in order]
    # A few codes that are plain digits with leading zeros ("00417"): they must stay text.
    small = [i for i, code in enumerate(codes) if int(code[1:]) < 1000]
    for i in rng.choice(small, size=6, replace=False):
        codes[int(i)] = codes[int(i)][1:]
    return codes


def build_customers(rng) -> list[Customer]:
    identities = _identities(rng)
    roles = _roles(rng, identities)
    codes = _codes(rng, len(identities))
    customers = []
    for ident, role, code in zip(identities, roles, codes, strict=True):
        c = Customer(
            code=code,
            name=ident["name"],
            region=ident["region"],
            city=ident["city"],
            distance_km=int(round(ident["km"] * rng.uniform(0.85, 1.15))),
            currency=ident["currency"],
            group=ident["group"],
        )
        c.rep = pick(rng, REGION_REPS[c.region])
        c.profile = "prompt" if role == "ledger_only" else role
        c.in_master = role != "ledger_only"
        c.in_ledger = role != "new"
        _behaviour(rng, c)
        customers.append(c)
    _flags(rng, customers)
    for c in customers:
        _master_texts(rng, c)
    return customers


def _behaviour(rng, c: Customer) -> None:
    c.terms = int(pick(rng, (30, 30, 30, 45, 60, 60, 90)))
    c.settlement = str(pick(rng, ("credit",) * 6 + ("monthly",) * 3 + ("deliver_two_settle_one",)))
    c.rate = float(np.clip(rng.lognormal(np.log(0.2), 0.55), 0.06, 1.2))
    if c.currency == "USD":
        c.rate *= 1.35
    typical = 4200.0 if c.currency == "USD" else 24000.0
    c.scale = float(rng.lognormal(np.log(typical), 0.7))
    if c.currency == "USD":
        c.settlement, c.terms = "credit", int(pick(rng, (30, 60, 90)))
    if rng.random() < 0.15:
        c.start = add_months(PERIOD_START, int(rng.integers(2, 32)))
    if c.profile == "slow":
        c.late_mean = int(rng.integers(25, 111))
    elif c.profile == "stopped":
        c.late_mean = int(rng.integers(30, 91))
        c.rate = max(0.3, c.rate * 1.5)  # good buyers who kept ordering while not paying
        c.start = PERIOD_START
        c.stop = rand_date(rng, date(2024, 1, 1), date(2025, 10, 31))
    elif c.profile == "closed":
        c.start = PERIOD_START
        c.stop = rand_date(rng, date(2024, 5, 1), date(2025, 6, 30))
    if not c.in_master:  # one-off customers nobody set up in the master
        c.start = rand_date(rng, date(2025, 6, 1), date(2026, 6, 30))
        c.rate = float(rng.uniform(0.25, 0.5))


def _flags(rng, customers: list[Customer]) -> None:
    def chosen(pool, n):
        return [pool[int(i)] for i in rng.choice(len(pool), size=n, replace=False)]

    prompt_cny = [
        c for c in customers if c.profile == "prompt" and c.currency == "CNY" and c.in_master
    ]
    stopped = [c for c in customers if c.profile == "stopped" and c.currency == "CNY"]
    picked = chosen(prompt_cny, 5)
    for c in picked[:4]:  # cash customers who paid on account
        c.prepays, c.settlement, c.terms = True, "cash_only", 30
    picked[4].double_pays, picked[4].settlement = True, "credit"
    rest = [c for c in prompt_cny if c not in picked]
    for c in chosen(rest, 10):
        c.disputes = True
    for c in customers:
        c.lumps = c.settlement == "credit" and not c.disputes and rng.random() < 0.45
    for c in chosen(stopped, 3):  # debts older than the period: items over 3 years
        c.old_debts = True
        c.stop = rand_date(rng, date(2023, 11, 10), date(2023, 12, 20))
        c.settlement = "credit"
    bad = [c for c in stopped if not c.old_debts]
    statuses = ["lawsuit", "lawsuit", "bankrupt", "deregistered", "untraceable", "untraceable"]
    for c, status in zip(chosen(bad, len(statuses)), statuses, strict=True):
        c.status = status
    for c in customers:
        if c.profile == "closed":
            c.status = "closed"


def _master_texts(rng, c: Customer) -> None:
    r = rng.random
    if c.profile == "prompt":
        c.rating = str(pick(rng, "AAAABBBBBC"))
        c.strength = str(pick(rng, ("strong", "strong", "medium")))
        c.cooperation = "cooperative"
    elif c.profile == "slow":
        c.rating = str(pick(rng, "BCCCD"))
        c.strength = str(pick(rng, ("medium", "medium", "weak")))
        c.cooperation = str(pick(rng, ("slow", "slow", "cooperative")))
    elif c.profile == "stopped":
        c.rating = str(pick(rng, "CDDEE"))
        c.strength = str(pick(rng, ("weak", "weak", "medium")))
        c.cooperation = str(pick(rng, ("evasive", "evasive", "hostile", "slow")))
    elif c.profile == "new":
        c.rating, c.strength = "C", "medium"
    c.texts = {
        "cooperation": COOPERATION_TEXT[c.cooperation] if r() < 0.6 else c.cooperation,
        "status": STATUS_TEXT.get(c.status, c.status) if r() < 0.7 else c.status,
        "settlement": SETTLEMENT_TEXT[c.settlement],
    }
    if c.settlement != "cash_only":
        monthly = c.rate * c.scale * (7.1 if c.currency == "USD" else 1.0)
        limit = monthly * (c.terms / 30 + 1) * 1.3
        c.credit_limit = max(20000, int(np.ceil(limit / 10000)) * 10000)


# ---------------------------------------------------------------------------------------------
# Ledger simulation


class Keys:
    def __init__(self):
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _invoice_cents(rng, c: Customer) -> int:
    low, high = (200.0, 60000.0) if c.currency == "USD" else (300.0, 480000.0)
    major = float(np.clip(c.scale * rng.lognormal(0.0, 0.6), low, high))
    return int(round(major * 100)) + int(rng.integers(0, 100))


def _invoices(rng, c: Customer, key: Keys) -> list[Doc]:
    last = AS_OF
    if c.profile == "stopped":
        last = min(AS_OF, c.stop + days(rng.integers(60, 181)))
    elif c.profile == "closed":
        last = c.stop
    out = []
    for month in month_starts(c.start, last):
        for _ in range(int(rng.poisson(c.rate))):
            ndays = calendar.monthrange(month.year, month.month)[1]
            day = workday(month + days(rng.integers(0, ndays)))
            if c.start <= day <= min(last, AS_OF):
                out.append(Doc(c.code, "invoice", day, _invoice_cents(rng, c), key=key()))
    if c.old_debts:
        for _ in range(int(rng.integers(2, 4))):
            day = workday(rand_date(rng, date(2023, 3, 1), date(2023, 9, 30) - days(c.terms)))
            out.append(Doc(c.code, "invoice", day, _invoice_cents(rng, c), key=key()))
    if not out and c.in_ledger:  # every ledger customer has at least one invoice
        day = workday(rand_date(rng, c.start, min(last, AS_OF)))
        out.append(Doc(c.code, "invoice", day, _invoice_cents(rng, c), key=key()))
    out.sort(key=lambda d: (d.doc_date, d.key))
    for inv in out:
        inv.due = inv.doc_date + days(c.terms)
    return out


def lapsed_customers(customers: list[Customer]) -> list[Customer]:
    """LAPSED as customers: rated B, cooperative, 30 days' credit, in the master."""
    taken = {c.name for c in customers} | {c.code for c in customers}
    city_region = {city: (region, km) for region, cs in CITIES.items() for city, km in cs}
    out = []
    for code, city, brand, industry, rep, stop in LAPSED:
        region, km = city_region[city]
        c = Customer(code, f"{city}{brand}{industry}有限公司", region, city, km, "CNY", rep=rep)
        if c.name in taken or c.code in taken:
            raise RuntimeError(f"lapsed customer {code} {c.name} collides with another")
        c.profile, c.stop, c.rate, c.scale = "lapsed", stop, 0.8, 28000.0
        c.start = date(2024, 11, 1)
        c.texts = {"cooperation": "配合", "status": "active", "settlement": "credit"}
        c.credit_limit = 120000
        out.append(c)
    return out


def simulate_lapsed(rng, lapsed: list[Customer], key: Keys) -> list[Doc]:
    """Invoices every month or so to 2026-10; each paid within a few days of its due date
    until the customer stopped paying, nothing after."""
    docs: list[Doc] = []
    for c in lapsed:
        invoices = [
            d for d in _invoices(rng, c, key) if d.doc_date <= date(2026, 10, 20)
        ]  # ordering went on after the payments stopped
        for inv in invoices:
            day = workday(inv.due + days(rng.integers(-6, 4)))
            if day <= c.stop:
                named = inv.key if rng.random() < 0.5 else None
                docs.append(Doc(c.code, "receipt", day, inv.cents, key=key(), applies_key=named))
        docs += invoices
    number(docs)
    return docs


def lapsed_contacts(lapsed: list[Customer]) -> list[Contact]:
    first, second = lapsed
    return [
        Contact(date(2026, 9, 16), first.code, "电话", "no_answer", "电话无人接听", first.rep),
        Contact(date(2026, 10, 21), first.code, "电话", "no_answer", "对方关机", first.rep),
        Contact(date(2026, 10, 14), second.code, "phone", "reached",
                "已联系财务，对方称正在走付款流程", second.rep),
    ]  # fmt: skip


def _credit_notes(rng, c: Customer, invoices: list[Doc], key: Keys) -> dict[int, Doc]:
    credits = {}
    for inv in invoices:
        if inv.doc_date < PERIOD_START:
            continue
        if rng.random() < (0.06 if c.profile == "slow" else 0.035):
            day = workday(inv.doc_date + days(rng.integers(5, 46)))
            cents = int(inv.cents * rng.uniform(0.03, 0.3))
            if day <= AS_OF and cents > 0:
                named = inv.key if rng.random() < 0.85 else None
                credits[inv.key] = Doc(c.code, "credit", day, cents, key=key(), applies_key=named)
    return credits


def _lateness(rng, c: Customer) -> int | None:
    """Days after the base pay date; None: never paid."""
    if c.profile in ("prompt", "closed"):
        if c.disputes and rng.random() < 0.08:
            return None if rng.random() < 0.5 else int(rng.integers(150, 400))
        if c.settlement in ("monthly", "deliver_two_settle_one"):
            return int(rng.integers(-3, 7))
        return int(rng.integers(-12, 4))
    return c.late_mean + int(rng.integers(-15, 31))


def _tranches(rng, c, inv: Doc, payable: int, next_date: date | None) -> list[tuple]:
    """(pay date, cents, invoice key) for one invoice, before dropping what is not yet paid."""
    if payable <= 0 or inv.doc_date < PERIOD_START:  # debts brought forward stay unpaid
        return []
    if c.settlement == "cash_only":
        return [(workday(inv.doc_date - days(rng.integers(0, 4))), payable, inv.key)]
    late = _lateness(rng, c)
    if late is None:
        return []
    if c.settlement == "deliver_two_settle_one":
        if next_date is None:
            return []
        base = next_date
    elif c.settlement == "monthly":
        ahead = add_months(inv.doc_date, 1 if c.terms <= 45 else 2)
        base = date(ahead.year, ahead.month, 25)
    else:
        base = inv.due
    first = base + days(late)
    if c.profile in ("slow", "stopped") and rng.random() < 0.25:
        parts = int(rng.integers(2, 4))
        shares = rng.dirichlet(np.ones(parts) * 3)
        cents = [int(payable * s) for s in shares[:-1]]
        cents.append(payable - sum(cents))
        out, day = [], first
        for amount in cents:
            out.append((workday(day), amount, inv.key))
            day += days(rng.integers(20, 41))
        return out
    return [(workday(first), payable, inv.key)]


def _snap(day: date) -> date:
    """Customers paying in batches pay on the 10th and the 25th."""
    if day.day <= 10:
        return workday(date(day.year, day.month, 10))
    if day.day <= 25:
        return workday(date(day.year, day.month, 25))
    nxt = add_months(date(day.year, day.month, 1), 1)
    return workday(date(nxt.year, nxt.month, 10))


def _receipts(rng, c: Customer, tranches: list[tuple], key: Keys) -> list[Doc]:
    if c.settlement == "monthly" or c.lumps:
        tranches = [(_snap(d), cents, k) for d, cents, k in tranches]
    tranches = [t for t in tranches if t[0] <= AS_OF and (c.stop is None or t[0] <= c.stop)]
    grouped: dict[date, list] = {}
    for d, cents, k in sorted(tranches, key=lambda t: (t[0], t[2])):
        grouped.setdefault(d, []).append((cents, k))
    out = []
    for d, parts in grouped.items():
        invoice_keys = sorted({k for _, k in parts})
        named = None
        if len(invoice_keys) == 1 and (c.disputes or rng.random() < 0.5):
            named = invoice_keys[0]
        total = sum(cents for cents, _ in parts)
        out.append(Doc(c.code, "receipt", d, total, key=key(), applies_key=named))
    return out


def _extras(rng, c: Customer, invoices, receipts, key: Keys) -> list[Doc]:
    """Payments on account, a double payment, token payments after a customer stopped."""
    out = []
    if c.prepays:
        day = workday(rand_date(rng, date(2026, 8, 1), date(2026, 10, 23)))
        out.append(Doc(c.code, "receipt", day, int(rng.integers(2, 9)) * 1000000, key=key()))
    if c.double_pays:
        named = [r for r in receipts if r.applies_key and r.doc_date >= date(2026, 3, 1)]
        if not named:
            named = [r for r in receipts if r.applies_key]
        first = named[0]
        day = workday(first.doc_date + days(rng.integers(7, 21)))
        out.append(
            Doc(
                c.code,
                "receipt",
                min(day, date(2026, 10, 30)),
                first.cents,
                key=key(),
                applies_key=first.applies_key,
            )
        )
    unpaid = sum(i.cents for i in invoices) - sum(r.cents for r in receipts)
    if c.profile == "stopped" and rng.random() < 0.4 and unpaid >= 2000000:
        last = min(date(2026, 10, 20), c.stop + days(400))
        for _ in range(int(rng.integers(1, 4))):
            cents = max(100000, int(unpaid * rng.uniform(0.02, 0.08)) // 10000 * 10000)
            day = workday(rand_date(rng, c.stop + days(30), last))
            out.append(Doc(c.code, "receipt", day, cents, key=key()))
    return out


def simulate(rng, customers: list[Customer]) -> list[Doc]:
    key = Keys()
    docs: list[Doc] = []
    for c in customers:
        if not c.in_ledger:
            continue
        invoices = _invoices(rng, c, key)
        credits = _credit_notes(rng, c, invoices, key)
        tranches = []
        for i, inv in enumerate(invoices):
            credit = credits.get(inv.key)
            payable = inv.cents
            if credit is not None and credit.doc_date <= inv.due:
                payable -= credit.cents  # the customer deducts a credit it already holds
            nxt = invoices[i + 1].doc_date if i + 1 < len(invoices) else None
            tranches += _tranches(rng, c, inv, payable, nxt)
        receipts = _receipts(rng, c, tranches, key)
        receipts += _extras(rng, c, invoices, receipts, key)
        docs += invoices + list(credits.values()) + receipts
    number(docs)
    return docs


class Numberer:
    def __init__(self):
        self.seq: dict[tuple[str, str], int] = {}

    def __call__(self, kind: str, day: date) -> str:
        month = f"{day.year}{day.month:02d}"
        n = self.seq.get((kind, month), 0) + 1
        self.seq[(kind, month)] = n
        return f"{KIND_PREFIX[kind]}{month}{n:04d}"


NUMBERS = Numberer()


def number(docs: list[Doc]) -> None:
    for d in sorted(docs, key=lambda d: (d.doc_date, KIND_ORDER[d.kind], d.key)):
        d.no = NUMBERS(d.kind, d.doc_date)
    by_key = {d.key: d for d in docs}
    for d in docs:
        if d.applies_key is not None:
            d.applies_to = by_key[d.applies_key].no


def settle(customers: list[Customer], docs: list[Doc]) -> Truth:
    """DESIGN settlement: named documents apply to their invoice, the rest FIFO by due date."""
    truth = Truth({}, {}, {}, {}, {}, {})
    terms = {c.code: c.terms for c in customers}
    for code in sorted({d.customer for d in docs}):
        mine = [d for d in docs if d.customer == code and d.doc_date <= AS_OF]
        invoices = sorted(
            (d for d in mine if d.kind == "invoice"),
            key=lambda d: (d.due or d.doc_date + days(terms[code]), d.doc_date, d.key),
        )
        for inv in invoices:
            truth.open[inv.key] = inv.cents
        pool = []
        for doc in sorted(
            (d for d in mine if d.kind != "invoice"), key=lambda d: (d.doc_date, d.key)
        ):
            rest = doc.cents
            if doc.applies_key in truth.open:
                rest -= _apply(truth, doc, doc.applies_key, rest)
            if rest:
                pool.append((doc, rest))
        for doc, rest in pool:
            for inv in invoices:
                if rest and truth.open[inv.key]:
                    rest -= _apply(truth, doc, inv.key, rest)
            truth.unapplied[code] = truth.unapplied.get(code, 0) + rest
        receipts = [d.doc_date for d in mine if d.kind == "receipt"]
        if receipts:
            truth.last_receipt[code] = max(receipts)
    return truth


def _apply(truth: Truth, doc: Doc, inv_key: int, cents: int) -> int:
    take = min(cents, truth.open[inv_key])
    if take:
        truth.open[inv_key] -= take
        applied = truth.receipts_applied if doc.kind == "receipt" else truth.credits_applied
        applied[inv_key] = applied.get(inv_key, 0) + take
        if doc.kind == "receipt":
            truth.last_applied[inv_key] = doc.doc_date
        if truth.open[inv_key] == 0:
            truth.settled[inv_key] = doc.doc_date
    return take


# ---------------------------------------------------------------------------------------------
# Planted problems and messy formatting


def plant(rng, customers: list[Customer], docs: list[Doc], key: Keys) -> list[Plant]:
    by_code = {c.code: c for c in customers}
    named = {d.applies_key for d in docs if d.applies_key is not None}

    def eligible(c: Customer) -> bool:
        return c.in_master and c.currency == "CNY" and c.profile in ("prompt", "slow")

    pool = [
        d
        for d in docs
        if d.kind == "invoice"
        and d.key not in named
        and eligible(by_code[d.customer])
        and date(2025, 6, 1) <= d.doc_date <= date(2026, 9, 30)
    ]
    order = [pool[int(i)] for i in rng.permutation(len(pool))]
    used: list[str] = []

    def take(year: int | None = None) -> Doc:
        for d in order:
            if d.customer not in used and year in (None, d.doc_date.year):
                used.append(d.customer)
                return d
        raise RuntimeError("not enough invoices to plant problems on")

    def fresh_customer() -> Customer:
        return by_code[take().customer]

    plants: list[Plant] = []

    def note(column: str, value: str, problem: str, expected: str, rows) -> None:
        plants.append(Plant(LEDGER_SHEET, column, value, problem, expected, tuple(rows)))

    # 1. Amount cells no parser can read: the ERP's own totals exclude them.
    c = fresh_customer()
    d = Doc(c.code, "invoice", date(2026, 10, 27), 0, key=key(), amount_text="待定")
    d.due, d.no, d.in_totals = d.doc_date + days(c.terms), NUMBERS("invoice", d.doc_date), False
    docs.append(d)
    note(
        "金额",
        "待定",
        "amount not parseable (invoice amount pending)",
        "amount.unparseable",
        (d,),
    )
    c = fresh_customer()
    d = Doc(c.code, "receipt", date(2026, 9, 18), 0, key=key(), amount_text="n/a", in_totals=False)
    d.no = NUMBERS("receipt", d.doc_date)
    docs.append(d)
    note("金额", "n/a", "amount not parseable", "amount.unparseable", (d,))
    # 2. A document date that is not a date.
    d = take(2026)
    d.date_text = "2026-13-45"
    note(
        "单据日期",
        d.date_text,
        "document date not a valid date",
        "date.unparseable",
        (d,),
    )
    # 3. A receipt with neither customer code nor name, listed inside another customer's group.
    host = fresh_customer()
    d = Doc("", "receipt", date(2026, 10, 16), 580000, key=key(), blank_customer=True)
    d.no, d.host = NUMBERS("receipt", d.doc_date), host.code
    docs.append(d)
    note(
        "客户编码/客户名称",
        "(blank)",
        "amount 5,800.00 with no customer code and no name (unidentified receipt)",
        "customer.missing",
        (d,),
    )
    # 4. Two different invoices carrying the same document number.
    first, second = take(), take()
    second.no = first.no
    note(
        "单据号",
        first.no,
        "the same document number on two different invoices (other customer, date, amount)",
        "document.duplicate_no",
        (first, second),
    )
    # 5. A due date before the document date (a year typed wrong).
    d = take()
    d.due = date(d.due.year - 1, d.due.month, min(d.due.day, 28))
    note(
        "到期日",
        d.due.isoformat(),
        "due date before the document date",
        "date.due_before_doc",
        (d,),
    )
    # 6. Documents dated after the as-of date.
    future = []
    for day in (date(2026, 11, 3), date(2026, 11, 6), date(2026, 11, 13)):
        c = fresh_customer()
        d = Doc(c.code, "invoice", day, _invoice_cents(rng, c), key=key())
        d.due, d.no = day + days(c.terms), NUMBERS("invoice", day)
        docs.append(d)
        future.append(d)
    note(
        "单据日期",
        "2026-11-03 / 2026-11-06 / 2026-11-13",
        "documents dated after the as-of date 2026-10-31",
        "document.after_as_of: out of aging, reconciled apart",
        tuple(future),
    )
    # 7. One customer code under two names: the customer was renamed in mid-2024.
    early_by_code: dict[str, int] = {}
    for d in docs:
        if d.doc_date < date(2024, 7, 1) and d.customer not in used:
            early_by_code[d.customer] = early_by_code.get(d.customer, 0) + 1
    renamed = [
        code
        for code in sorted(early_by_code)
        if 4 <= early_by_code[code] <= 10 and eligible(by_code[code])
    ]
    c = by_code[renamed[int(rng.integers(0, len(renamed)))]]
    old_name = _renamed(c.name)
    early = [d for d in docs if d.customer == c.code and d.doc_date < date(2024, 7, 1)]
    for d in early:
        d.name = old_name
    note(
        "客户名称",
        old_name,
        f"customer code {c.code} appears under two names ({old_name} / {c.name})",
        "customer.two_names",
        tuple(early),
    )
    return plants


def _renamed(name: str) -> str:
    for industry in sorted(INDUSTRIES, key=len, reverse=True):
        if industry in name:
            other = "贸易" if industry != "贸易" else "物资"
            return name.replace(industry, other, 1)
    return name.replace("有限公司", "有限责任公司")


def dress(rng, customers: list[Customer], docs: list[Doc]) -> dict:
    """Messy-but-valid formatting: text amounts, text dates, blank due dates."""
    in_master = {c.code for c in customers if c.in_master}
    currency = {c.code: c.currency for c in customers}
    clean = [
        d
        for d in docs
        if d.in_totals
        and not d.blank_customer
        and d.amount_text is None
        and d.date_text is None
        and d.name is None
        and d.doc_date <= AS_OF
    ]
    order = [clean[int(i)] for i in rng.permutation(len(clean))]
    styles = ["comma"] * 14 + ["sign"] * 14 + ["full"] * 3 + ["space"] * 5
    for d, style in zip(order, styles, strict=False):
        text = comma_amount(d.cents)
        if style == "sign":
            text = ("$" if currency[d.customer] == "USD" else "¥") + text
        elif style == "full":
            text = text.translate(FULL_WIDTH)
        elif style == "space":
            text = f" {text} "
        d.amount_text = text
    rest = order[len(styles) :]
    for i, d in enumerate(rest[:30]):
        if i % 3 == 2 and d.kind == "invoice":
            d.due_text = slash_date(d.due) if i % 2 else cn_date(d.due)
        else:
            d.date_text = slash_date(d.doc_date) if i % 2 else cn_date(d.doc_date)
    blanks = [
        d
        for d in rest[30:]
        if d.kind == "invoice" and d.customer in in_master and d.due_text is None
    ]
    for d in blanks[:55]:
        d.due_blank = True
    for d in docs:
        if d.kind != "invoice":
            d.due = None
    return {
        "text_amounts": len(styles),
        "text_dates": 30,
        "blank_due_dates": len(blanks[:55]),
    }


# ---------------------------------------------------------------------------------------------
# Ledger layout


def ledger_rows(customers: list[Customer], docs: list[Doc]) -> tuple[list, dict, dict]:
    """Rows below the header: data rows grouped by customer, 小计 per customer, 合计 per currency.

    Returns the rows as (style, cells), Excel row of each document key, and totals.
    """
    by_code = {c.code: c for c in customers}
    groups: dict[str, list[Doc]] = {}
    for d in docs:
        groups.setdefault(d.host or d.customer, []).append(d)
    rows, row_of = [], {}
    totals = {"CNY": 0, "USD": 0}
    excel_row = LEDGER_HEADER_ROW + 1
    for code in sorted(groups):
        c = by_code[code]
        items = sorted(
            groups[code],
            key=lambda d: (d.blank_customer, d.doc_date, KIND_ORDER[d.kind], d.no, d.key),
        )
        net = 0
        for d in items:
            rows.append(("data", _ledger_cells(d, c)))
            row_of[d.key] = excel_row
            excel_row += 1
            if d.in_totals:
                net += KIND_SIGN[d.kind] * d.cents
        subtotal = [c.code, "小计", None, None, None, None, c.currency, Money(net)]
        rows.append(("subtotal", subtotal + [None] * 3))
        excel_row += 1
        totals[c.currency] += net
    for cur in ("CNY", "USD"):
        rows.append(("total", ["合计", None, None, None, None, None, cur, Money(totals[cur])]))
    return rows, row_of, totals


def _ledger_cells(d: Doc, c: Customer) -> list:
    blank = d.blank_customer
    due = None if d.due_blank or d.due is None else (d.due_text or d.due)
    return [
        None if blank else c.code,
        None if blank else (d.name or c.name),
        KIND_LABEL[d.kind],
        d.no,
        d.date_text or d.doc_date,
        due,
        c.currency,
        d.amount_text if d.amount_text is not None else Money(d.cents),
        d.applies_to or None,
        None if blank else c.rep,
        None if blank else c.region,
    ]


def customer_rows(customers: list[Customer]) -> list[list]:
    rows = []
    for c in sorted((c for c in customers if c.in_master), key=lambda c: c.code):
        rows.append(
            [
                c.code,
                c.name,
                c.rep,
                c.manager,
                c.email or None,
                c.region,
                c.distance_km,
                c.credit_limit,
                c.rating,
                c.strength,
                c.texts["cooperation"],
                c.texts["status"],
                c.terms,
                c.texts["settlement"],
                c.group or None,
            ]
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Contact log


NOTES = {
    ("phone", "no_answer"): ("电话无人接听", "对方关机", "前台称财务不在", "电话占线，稍后再打"),
    ("phone", "reached"): ("已联系财务，对方称正在走付款流程", "提醒对方到期付款，对方表示知悉",
                           "与采购经理沟通，核对未付发票"),
    ("phone", "refused"): ("对方称资金紧张，拒绝付款", "老板拒绝沟通付款事宜"),
    ("phone", "disputed"): ("对方称部分货物质量有问题，要求扣款", "对方对发票金额有异议，待核对"),
    ("phone", "paid"): ("对方称款项已汇出，待银行到账",),
    ("phone", "acknowledged"): ("对方口头确认欠款金额无误",),
    ("sms", "no_answer"): ("发送催款短信，未回复",),
    ("sms", "reached"): ("发送到期提醒短信，对方回复收到",),
    ("email", "reached"): ("邮件发送对账单，对方回复收到", "邮件提醒发票即将到期"),
    ("email", "no_answer"): ("邮件发送对账单，未回复",),
    ("letter", "no_answer"): ("寄送催款提示函（EMS），未回复", "寄送信用警示函（EMS），未回复"),
    ("letter", "acknowledged"): ("对账函已盖章寄回，确认欠款无误",),
    ("visit", "reached"): ("上门拜访，见到财务负责人，沟通付款计划",),
    ("visit", "refused"): ("上门拜访，对方负责人拒绝见面",),
    ("visit", "disputed"): ("上门拜访，对方提出质量索赔，拒付部分货款",),
    ("lawyer", "no_answer"): ("委托律师发出律师函，对方未回应",),
    ("agency", "reached"): ("委托外部催收机构跟进，已联系到对方",),
}  # fmt: skip
GENERAL = {
    "stopped": (
        (("phone", "no_answer"), 5), (("phone", "refused"), 2), (("phone", "reached"), 2),
        (("sms", "no_answer"), 2), (("letter", "no_answer"), 2), (("visit", "refused"), 1),
        (("visit", "disputed"), 0.5), (("email", "no_answer"), 1), (("lawyer", "no_answer"), 1),
        (("agency", "reached"), 0.5),
    ),
    "slow": (
        (("phone", "reached"), 5), (("phone", "no_answer"), 2), (("email", "reached"), 2),
        (("sms", "reached"), 1), (("letter", "acknowledged"), 1), (("phone", "disputed"), 1),
        (("visit", "reached"), 1), (("phone", "paid"), 1),
    ),
    "prompt": (
        (("email", "reached"), 3), (("phone", "reached"), 3), (("phone", "paid"), 2),
        (("sms", "reached"), 1),
    ),
}  # fmt: skip


@dataclass
class Contact:
    day: date
    code: str
    channel: str
    outcome: str
    note: str
    by: str
    doc_no: str = ""
    promise_date: date | None = None
    promise_cents: int | None = None
    intent: str = ""  # kept | partly_kept | broken | pending (promises only)


def window_cents(receipts: list[tuple], first: date, last: date) -> int:
    return sum(cents for day, cents in receipts if first <= day <= last)


def promise_outcome(receipts: list[tuple], contact: date, promised: date, cents: int) -> str:
    """DESIGN: evaluated once promise date + tolerance is before the as-of date."""
    end = promised + timedelta(days=PROMISE_TOLERANCE_DAYS)
    if end >= AS_OF:
        return "pending"
    got = window_cents(receipts, contact, end)
    return "kept" if got >= cents else ("partly_kept" if got > 0 else "broken")


def _receipts_by_customer(docs: list[Doc]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for d in docs:
        if d.kind == "receipt" and d.in_totals and not d.blank_customer and d.doc_date <= AS_OF:
            out.setdefault(d.customer, []).append((d.doc_date, d.cents))
    return {k: sorted(v) for k, v in out.items()}


def _round_promise(rng, c: Customer) -> int:
    choices = (2000, 3000, 5000, 8000) if c.currency == "USD" else (10000, 20000, 30000, 50000)
    return int(pick(rng, choices)) * 100


def _money_words(cents: int, currency: str) -> str:
    unit = "美元" if currency == "USD" else "元"
    return f"{comma_amount(cents)}{unit}"


def _promise(c: Customer, t: date, p: date, cents: int, intent: str, by: str, ch: str) -> Contact:
    note = f"对方承诺{p.month}月{p.day}日前付款{_money_words(cents, c.currency)}"
    return Contact(t, c.code, ch, "promised", note, by, "", p, cents, intent)


def build_contacts(rng, customers: list[Customer], docs: list[Doc], truth: Truth) -> list[Contact]:
    receipts = _receipts_by_customer(docs)
    ledger = [c for c in customers if c.in_ledger]
    slow = [c for c in ledger if c.profile == "slow"]
    stopped = [c for c in ledger if c.profile == "stopped"]
    old = [c for c in stopped if c.old_debts]
    silent = old[0]  # only unanswered calls: nothing interrupts its limitation period
    out: list[Contact] = []
    by = {c.code: (lambda c=c: c.rep if rng.random() < 0.7 else CLERK) for c in customers}

    def channel(name: str) -> str:
        return CHANNEL_ZH[name] if name in CHANNEL_ZH and rng.random() < 0.7 else name

    # Kept and partly kept promises, built around receipts that did arrive.
    pool = [
        (c, day, cents)
        for c in slow + [c for c in ledger if c.profile == "prompt"][:20]
        for day, cents in receipts.get(c.code, [])
        if date(2025, 1, 1) <= day <= date(2026, 10, 20)
    ]
    per_customer: dict[str, int] = {}
    wanted = ["kept"] * 22 + ["partly_kept"] * 10
    for i in rng.permutation(len(pool)):
        if not wanted:
            break
        c, day, _ = pool[int(i)]
        if per_customer.get(c.code, 0) >= 2:
            continue
        t = workday(day - days(rng.integers(3, 16)))
        p = max(t + days(1), day - days(rng.integers(0, 4)))
        got = window_cents(receipts[c.code], t, p + days(PROMISE_TOLERANCE_DAYS))
        intent = wanted.pop()
        if intent == "kept":
            cents = got // 10000 * 10000 if got >= 100000 else got
        else:
            cents = int(np.ceil(got * rng.uniform(1.6, 2.6) / 100000)) * 100000
        out.append(_promise(c, t, p, cents, intent, by[c.code](), channel("phone")))
        per_customer[c.code] = per_customer.get(c.code, 0) + 1
    # Broken promises: nothing arrived. Three customers break three, three break two.
    owed: dict[str, int] = {}
    for d in docs:
        if d.kind == "invoice":
            owed[d.customer] = owed.get(d.customer, 0) + truth.open.get(d.key, 0)
    heavy = [
        c
        for c in stopped
        if c is not silent and c.stop <= date(2026, 3, 31) and owed.get(c.code, 0) >= 3000000
    ]
    heavy = [heavy[int(i)] for i in rng.choice(len(heavy), size=6, replace=False)]
    debtors = [c for c in slow if owed.get(c.code, 0) >= 1500000]
    singles = [debtors[int(i)] for i in rng.choice(len(debtors), size=6, replace=False)]
    for c, n in (
        [(c, 3) for c in heavy[:3]] + [(c, 2) for c in heavy[3:]] + [(c, 1) for c in singles]
    ):
        first = max(date(2024, 6, 1), (c.stop or date(2024, 6, 1)) + days(30))
        made: list[date] = []
        for _ in range(400):
            if len(made) == n:
                break
            t = workday(rand_date(rng, first, date(2026, 10, 5)))
            p = t + days(rng.integers(5, 22))
            if p + days(PROMISE_TOLERANCE_DAYS) >= AS_OF or any(
                abs((t - m).days) < 25 for m in made
            ):
                continue
            if window_cents(receipts.get(c.code, []), t, p + days(PROMISE_TOLERANCE_DAYS)):
                continue
            made.append(t)
            ch = channel(pick(rng, ("phone", "phone", "visit")))
            cents = min(_round_promise(rng, c), owed[c.code] // 100000 * 100000)
            out.append(_promise(c, t, p, cents, "broken", by[c.code](), ch))
        if len(made) < n:
            raise RuntimeError(f"could not place {n} broken promises for {c.code}")
    # Promises not yet due for evaluation at the as-of date.
    for i in rng.choice(len(slow), size=5, replace=False):
        c = slow[int(i)]
        t = workday(rand_date(rng, date(2026, 10, 12), date(2026, 10, 29)))
        p = max(t + days(3), date(2026, 10, 28)) + days(rng.integers(0, 14))
        out.append(
            _promise(c, t, p, _round_promise(rng, c), "pending", by[c.code](), channel("phone"))
        )
    out += _scripted_contacts(rng, stopped, old, silent, by)
    out += _general_contacts(rng, ledger, silent, by, channel)
    _name_documents(rng, out, customers, docs, truth)
    out.sort(key=lambda k: (k.day, k.code, k.channel, k.outcome))
    return out


def _scripted_contacts(rng, stopped, old, silent, by) -> list[Contact]:
    out = []
    for c in stopped:
        if c.status == "lawsuit":
            t1 = workday(min(c.stop + days(rng.integers(150, 250)), date(2026, 6, 30)))
            t2 = workday(min(t1 + days(rng.integers(60, 120)), date(2026, 10, 20)))
            out.append(
                Contact(t1, c.code, "lawyer", "no_answer", "委托律师发出律师函，对方未回应", CLERK)
            )
            out.append(
                Contact(
                    t2,
                    c.code,
                    "lawsuit",
                    "reached",
                    f"已向法院提起诉讼，案号({t2.year})苏0583民初{int(rng.integers(1000, 9999))}号",
                    CLERK,
                )
            )
    for _ in range(3):  # the silent old debtor: calls only, none answered in substance
        t = workday(rand_date(rng, date(2024, 3, 1), date(2026, 9, 30)))
        outcome = pick(rng, ("no_answer", "no_answer", "refused"))
        out.append(
            Contact(
                t,
                silent.code,
                "电话",
                outcome,
                pick(rng, NOTES[("phone", outcome)]),
                by[silent.code](),
            )
        )
    b, c = old[1], old[2]
    t = workday(date(2025, 3, 12))
    out.append(Contact(t, b.code, "lawyer", "no_answer", "委托律师发出律师函，对方未回应", CLERK))
    t = workday(date(2024, 5, 20))
    out.append(Contact(t, c.code, "信函", "acknowledged", "对账函已盖章寄回，确认欠款无误", CLERK))
    return out


def _general_contacts(rng, ledger, silent, by, channel) -> list[Contact]:
    out = []
    prompt = [c for c in ledger if c.profile == "prompt"]
    chosen_prompt = [prompt[int(i)] for i in rng.choice(len(prompt), size=28, replace=False)]
    plan = [
        (c, "stopped", int(rng.integers(4, 8)))
        for c in ledger
        if c.profile == "stopped" and c is not silent
    ]
    plan += [(c, "slow", int(rng.integers(2, 5))) for c in ledger if c.profile == "slow"]
    plan += [(c, "prompt", int(rng.integers(1, 3))) for c in chosen_prompt]
    for c, kind, n in plan:
        first = {
            "stopped": (c.stop or date(2024, 6, 1)) + days(15),
            "slow": max(date(2024, 3, 1), c.start + days(60)),
            "prompt": max(date(2025, 1, 1), c.start + days(30)),
        }[kind]
        last = date(2026, 10, 30) if c.profile != "closed" else c.stop
        if first >= last:
            continue
        pairs = GENERAL[kind]
        weights = np.array([w for _, w in pairs], dtype=float)
        for _ in range(n):
            ch, outcome = pairs[int(rng.choice(len(pairs), p=weights / weights.sum()))][0]
            if kind == "prompt" and outcome == "reached" and c.disputes and rng.random() < 0.5:
                outcome = "disputed"
            note = pick(rng, NOTES.get((ch, outcome), NOTES[("phone", outcome)]))
            t = workday(rand_date(rng, first, last))
            t = min(t, date(2026, 10, 30))
            who = CLERK if ch in ("lawyer", "agency", "letter") else by[c.code]()
            out.append(Contact(t, c.code, channel(ch), outcome, note, who))
    return out


def _name_documents(rng, contacts, customers, docs, truth) -> None:
    """About a third of the contacts name an overdue invoice still open at the as-of date."""
    invoices: dict[str, list[Doc]] = {}
    for d in docs:
        if d.kind == "invoice" and truth.open.get(d.key):
            invoices.setdefault(d.customer, []).append(d)
    for k in contacts:
        if rng.random() >= 0.33:
            continue
        due = [
            d for d in invoices.get(k.code, []) if d.due and d.due < k.day and d.doc_date <= AS_OF
        ]
        if due:
            k.doc_no = pick(rng, due).no


def contact_rows(contacts: list[Contact]) -> list[list]:
    return [
        [
            k.day,
            k.code,
            k.doc_no or None,
            k.channel,
            k.outcome,
            k.promise_date,
            Money(k.promise_cents) if k.promise_cents is not None else None,
            k.note,
            k.by,
        ]
        for k in contacts
    ]


def promise_summary(contacts: list[Contact], docs: list[Doc]) -> dict:
    receipts = _receipts_by_customer(docs)
    counts = {"kept": 0, "partly_kept": 0, "broken": 0, "pending": 0}
    broken: dict[str, int] = {}
    for k in contacts:
        if k.outcome != "promised":
            continue
        got = promise_outcome(receipts.get(k.code, []), k.day, k.promise_date, k.promise_cents)
        if got != k.intent:
            raise RuntimeError(f"promise {k.code} {k.day} meant {k.intent}, evaluates {got}")
        counts[got] += 1
        if got == "broken":
            broken[k.code] = broken.get(k.code, 0) + 1
    counts["customers_2plus_broken"] = sorted(c for c, n in broken.items() if n >= 2)
    return counts


# ---------------------------------------------------------------------------------------------
# SAP open items and the invoice register


def sap_rows(rng, customers: list[Customer], docs: list[Doc], truth: Truth) -> list:
    """FBL5N-style open items for ten CNY customers: RV invoices, DZ payments, DG credit memos."""
    by_code = {c.code: c for c in customers}
    items: dict[str, list] = {}
    for d in sorted(docs, key=lambda d: (d.doc_date, d.key)):
        c = by_code.get(d.customer)
        if d.kind != "invoice" or c is None or c.currency != "CNY" or not truth.open.get(d.key):
            continue
        if d.doc_date > AS_OF or d.date_text == "2026-13-45":
            continue
        due = d.due or d.doc_date + days(c.terms)
        rows = items.setdefault(c.code, [])
        rows.append(("RV", d.doc_date, due, d.cents))
        paid = truth.receipts_applied.get(d.key, 0)
        if paid:
            day = truth.last_receipt.get(c.code, d.doc_date)
            rows.append(("DZ", day, day, -paid))
        credit = truth.credits_applied.get(d.key, 0)
        if credit:
            day = d.doc_date + days(20)
            rows.append(("DG", day, day, -credit))
    for code, cents in sorted(truth.unapplied.items()):
        c = by_code.get(code)
        if cents and c is not None and c.currency == "CNY":
            day = truth.last_receipt[code]
            items.setdefault(code, []).append(("DZ", day, day, -cents))
    # The ten customers with the most open items (ties in a seeded order).
    pool = [code for code in sorted(items) if by_code[code].in_master and len(items[code]) <= 12]
    pool = [pool[int(i)] for i in rng.permutation(len(pool))]
    negatives = {code: sum(r[3] < 0 for r in items[code]) for code in pool}
    chosen = sorted(pool, key=lambda code: -len(items[code]))[:8]
    chosen += sorted(
        (code for code in pool if code not in chosen), key=lambda code: -negatives[code]
    )[:3]  # payments on account and part-paid invoices: DZ lines
    seq = {"RV": 9000012340, "DZ": 1400003870, "DG": 1600000410}
    out = []
    for code in sorted(chosen):
        c = by_code[code]
        rows = sorted(items[code], key=lambda r: (r[1], r[0]))
        for kind, day, due, cents in rows:
            seq[kind] += int(rng.integers(1, 40))
            amount = Money(cents)
            if cents < 0 and rng.random() < 0.6:
                amount = comma_amount(-cents) + "-"  # SAP writes the minus sign after
            out.append(("data", [code, c.name, str(seq[kind]), kind, day, due, amount, "CNY"]))
        total = sum(r[3] for r in rows)
        out.append(("subtotal", [None, "Subtotal", None, None, None, None, Money(total), "CNY"]))
    grand = sum(r[1][6].cents for r in out if r[0] == "subtotal")
    out.append(("total", [None, "Grand Total", None, None, None, None, Money(grand), "CNY"]))
    return out


def register_rows(rng, customers: list[Customer], docs: list[Doc], truth: Truth) -> list[list]:
    """An invoice register: invoices with the amount received and the date settled."""
    by_code = {c.code: c for c in customers}
    recent: dict[str, list[Doc]] = {}
    for d in docs:
        c = by_code.get(d.customer)
        if (
            d.kind == "invoice"
            and c is not None
            and c.in_master
            and c.currency == "CNY"
            and date(2025, 5, 1) <= d.doc_date <= AS_OF
            and d.date_text is None
            and d.key in truth.open
        ):
            recent.setdefault(c.code, []).append(d)
    numeric = [code for code in sorted(recent) if code.isdigit() and 3 <= len(recent[code]) <= 10]
    others = {
        p: [
            code
            for code in sorted(recent)
            if by_code[code].profile == p and not code.isdigit() and 5 <= len(recent[code]) <= 9
        ]
        for p in ("prompt", "slow", "stopped")
    }
    chosen = numeric[:1]
    for profile, n in (("prompt", 3), ("slow", 2)):
        pool = others[profile]
        chosen += [pool[int(i)] for i in rng.choice(len(pool), size=n, replace=False)]
    rows = []
    for code in sorted(chosen):
        c = by_code[code]
        for d in sorted(recent[code], key=lambda d: (d.doc_date, d.no)):
            if len(rows) >= 40:
                break
            paid = d.cents - truth.open[d.key]
            settled = truth.settled.get(d.key) if truth.open[d.key] == 0 else None
            amount = comma_amount(d.cents) if rng.random() < 0.15 else plain_amount(d.cents)
            doc_day = d.doc_date.isoformat() if rng.random() < 0.85 else slash_date(d.doc_date)
            due = d.due or d.doc_date + days(c.terms)
            rows.append(
                [
                    c.code,
                    c.name,
                    d.no,
                    doc_day,
                    due.isoformat(),
                    amount,
                    plain_amount(paid),
                    settled.isoformat() if settled else "",
                ]
            )
    return rows


# ---------------------------------------------------------------------------------------------
# Writers


def _workbook(path: Path) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"created": datetime(2026, 10, 31), "author": "财务部", "company": COMPANY})
    return wb


class Formats:
    def __init__(self, wb, date_format: str):
        self.header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.date = wb.add_format({"num_format": date_format})
        self.money = wb.add_format({"num_format": "#,##0.00"})
        self.bold_text = wb.add_format({"bold": True})
        self.bold_money = wb.add_format({"bold": True, "num_format": "#,##0.00"})


def _write_cell(ws, row: int, col: int, value, fmt: Formats, bold: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, Money):
        ws.write_number(row, col, value.cents / 100, fmt.bold_money if bold else fmt.money)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt.date)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, value, fmt.bold_text if bold else None)


def _write_table(ws, header_row: int, headers, rows, fmt: Formats, widths) -> None:
    """header_row is 1-based; rows are (style, cells) or bare cell lists."""
    for col, (name, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(header_row - 1, col, name, fmt.header)
        ws.set_column(col, col, width)
    for i, row in enumerate(rows):
        style, cells = row if isinstance(row, tuple) else ("data", row)
        for col, value in enumerate(cells):
            _write_cell(ws, header_row + i, col, value, fmt, bold=style != "data")


def write_ledger_workbook(path: Path, customers, ledger, contacts) -> None:
    wb = _workbook(path)
    fmt = Formats(wb, "yyyy-mm-dd")
    ws = wb.add_worksheet(LEDGER_SHEET)
    ws.merge_range(0, 0, 0, len(LEDGER_HEADERS) - 1, f"{COMPANY} 应收账款明细表", fmt.title)
    ws.write_string(1, 0, "期间: 2023-11-01 至 2026-10-31  币种: 人民币/USD")
    widths = (10, 34, 10, 16, 12, 12, 6, 14, 16, 8, 6)
    _write_table(ws, LEDGER_HEADER_ROW, LEDGER_HEADERS, ledger, fmt, widths)
    ws.freeze_panes(LEDGER_HEADER_ROW, 0)
    ws = wb.add_worksheet(CUSTOMER_SHEET)
    widths = (10, 34, 8, 8, 26, 6, 8, 12, 8, 8, 10, 10, 6, 14, 16)
    _write_table(ws, 1, CUSTOMER_HEADERS, customer_rows(customers), fmt, widths)
    ws.freeze_panes(1, 0)
    ws = wb.add_worksheet(CONTACT_SHEET)
    widths = (12, 10, 16, 10, 12, 12, 14, 44, 8)
    _write_table(ws, 1, CONTACT_HEADERS, contact_rows(contacts), fmt, widths)
    ws.freeze_panes(1, 0)
    wb.close()


def write_sap_workbook(path: Path, rows) -> None:
    wb = _workbook(path)
    fmt = Formats(wb, "dd.mm.yyyy")
    ws = wb.add_worksheet(SAP_SHEET)
    ws.write_string(0, 0, "Customer Line Item Display", fmt.title)
    ws.write_string(1, 0, "Open items at key date 31.10.2026   Company code 1000")
    widths = (10, 34, 14, 12, 12, 12, 16, 8)
    _write_table(ws, SAP_HEADER_ROW, SAP_HEADERS, rows, fmt, widths)
    wb.close()


def write_register(path: Path, rows: list[list]) -> dict:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(REGISTER_HEADERS)
    writer.writerows(rows)
    total = sum(_cents_of(r[5]) for r in rows)
    paid = sum(_cents_of(r[6]) for r in rows)
    writer.writerow(["合计", "", "", "", "", plain_amount(total), plain_amount(paid), ""])
    path.write_bytes(buf.getvalue().encode("gb18030"))
    customers = len({r[0] for r in rows})
    return {"rows": len(rows), "customers": customers, "amount": total, "paid": paid}


def _cents_of(text: str) -> int:
    whole, frac = text.replace(",", "").split(".")
    return int(whole) * 100 + int(frac)


def write_fx(path: Path) -> None:
    path.write_bytes(f"currency,rate\nCNY,1\nUSD,{USD_RATE}\n".encode())


# ---------------------------------------------------------------------------------------------
# README


def readme(summary: dict) -> str:
    s = summary
    lines = [
        "# Sample inputs",
        "",
        "A month-end accounts-receivable export of a made-up Chinese machinery trader, "
        f"{COMPANY}, as of **{AS_OF.isoformat()}**. Every file here is written by "
        "`generate.py` (seeded with `numpy.random.default_rng(20261031)`); do not edit them by "
        "hand. Regenerate with",
        "",
        "    python sample_data/generate.py            # into sample_data/",
        "    python sample_data/generate.py OUT_DIR    # somewhere else",
        "",
        "The output is byte-stable: running the generator twice gives identical files, and "
        "`tests/test_sample_data.py` checks that the committed files match a fresh run.",
        "",
        "## Files",
        "",
        "| file | what it is |",
        "| --- | --- |",
        f"| `{LEDGER_FILE}` | sheet `{LEDGER_SHEET}`: Kingdee/Yonyou-style 应收账款明细表 "
        f"(transactions layout): {s['ledger_lines']} document lines (销售发票 / 红字发票 / 收款单) "
        f"of {s['ledger_customers']} customers, with a title, a period line and a blank row above "
        f"the header (header on row {LEDGER_HEADER_ROW}), a `小计` row after each customer and a "
        "`合计` row per currency at the bottom; "
        f"sheet `{CUSTOMER_SHEET}`: customer master, {s['master_customers']} customers, "
        f"{s['reps']} sales reps under {s['managers']} managers; "
        f"sheet `{CONTACT_SHEET}`: collection contact log, {s['contacts']} rows |",
        f"| `{SAP_FILE}` | SAP FBL5N-style open items of {s['sap_customers']} customers "
        f"({s['sap_rows']} items, "
        "document types RV invoice / DZ payment / DG credit memo, negative amounts for payments "
        "and credits, some written the SAP way as text `1,234.56-`), a `Subtotal` row per "
        "customer and a `Grand Total`. A separate example of the open-items layout: not meant "
        "to be run together with the ledger above |",
        f"| `{REGISTER_FILE}` | invoice register (GB18030, CRLF): {s['register_rows']} invoices "
        f"of {s['register_customers']} customers with 发票金额, 已收金额 and 结清日期, and a "
        "final `合计` row. Also a "
        "separate example |",
        f"| `{FX_FILE}` | rates to CNY: CNY 1, USD {USD_RATE} |",
        "",
        "## What the ledger looks like",
        "",
        f"- Period 2023-11 to 2026-10; {s['usd_lines']} lines ({s['usd_share']}) in USD from 10 "
        "export customers, the rest CNY; each customer has one currency.",
        "- Most customers pay within terms, some late, some stopped paying one to three years "
        "ago (items over 365 and over 1,095 days overdue). Three of those carry invoices dated "
        "March-September 2023, before the period line says the report starts: old debts "
        "brought forward, the only items more than three years overdue.",
        f"- {s['named_receipts']} of {s['receipts']} receipts name the invoice they pay "
        "(核销发票号); the rest are for the tool to apply oldest first. Credit notes mostly name "
        "their invoice.",
        "- Unapplied credits: four cash customers (现款现货) paid on account, one customer paid "
        "an invoice twice, and a few credit notes arrived after the invoice was paid.",
        f"- Messy but valid: {s['dress']['text_amounts']} amounts written as text (`12,345.60`, "
        "`¥8,800.00`, `$1,234.50`, full-width digits, padded with spaces), "
        f"{s['dress']['text_dates']} dates as text (`2026/03/15`, `2026年3月15日`), "
        f"{s['dress']['blank_due_dates']} invoices without a due date (terms from 客户资料 "
        "apply). Customer codes are text; six are plain digits with leading zeros (`00417`).",
        "- Control totals (`小计`, `合计`) equal the sum of their rows to the cent, counting "
        "invoices plus and credit notes and receipts minus; the two rows whose amount cannot be "
        "read (`待定`, `n/a`) are not in them.",
        "",
        "| currency | 合计 (net, cents) |",
        "| --- | ---: |",
    ]
    for cur, cents in s["totals"].items():
        lines.append(f"| {cur} | {cents} |")
    lines += [
        "",
        "## Customers",
        "",
        f"Ledger customers by behaviour: {s['profiles']['prompt']} pay within terms or nearly "
        f"so, {s['profiles']['slow']} pay late, {s['profiles']['stopped']} stopped paying "
        f"between 2023-11 and 2025-10, {s['profiles']['closed']} stopped trading and are paid up "
        "(status `closed`), and "
        + " and ".join(f"`{code}` (from {stop.isoformat()})" for code, stop in s["lapsed"])
        + " paid within a few days of the due date for years, then stopped paying while still "
        "ordering (for the payment-behaviour factor, issue #14). Customers not `active` in "
        "客户资料: "
        + ", ".join(f"`{code}` {status}" for code, status in sorted(s["statuses"].items()))
        + ". The three old debtors, for the limitation rules (3 years from the due date, "
        "restarted by a documented demand or acknowledgement): "
        f"`{s['old_debtors'][0]}` has only unanswered phone calls in the contact log, so only "
        "its own payments restart the period (open items: "
        f"{s['silent_limitation']['past']} past limitation, "
        f"{s['silent_limitation']['within_90']} running out within 90 days, "
        f"{s['silent_limitation']['later']} later), `{s['old_debtors'][1]}` "
        f"got a lawyer's letter on 2025-03-12, `{s['old_debtors'][2]}` signed a balance "
        "confirmation on 2024-05-20.",
        "",
        "## Planted problems",
        "",
        "Rows are Excel row numbers (1-based) in the sheet named.",
        "",
        "| sheet | row(s) | column | value | problem | issue code (aging.issues) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for p in s["plants"]:
        rows = _row_text(p.rows)
        lines.append(
            f"| {p.sheet} | {rows} | {p.column} | `{p.value}` | {p.problem} | {p.expected} |"
        )
    lines += [
        "",
        "## Contact log",
        "",
        f"Promises to pay (outcome `promised`, evaluated with 3 days' tolerance): "
        f"{s['promises']['kept']} kept, {s['promises']['partly_kept']} partly kept, "
        f"{s['promises']['broken']} broken, {s['promises']['pending']} not yet due at the as-of "
        "date. Customers with two or more broken promises: "
        + ", ".join(f"`{c}`" for c in s["promises"]["customers_2plus_broken"])
        + ". Channels and the coded master fields mix English keys and Chinese words "
        "(电话 / phone, 躲避 / evasive, 诉讼中 / lawsuit).",
        "",
    ]
    return "\n".join(lines)


def _row_text(rows) -> str:
    """Excel rows as runs: 5, 7-9, 12."""
    runs: list[list[int]] = []
    for r in sorted(rows):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


# ---------------------------------------------------------------------------------------------
# Main


def _master_plants(customers: list[Customer], docs_rows: dict, docs: list[Doc]) -> list[Plant]:
    master = sorted((c for c in customers if c.in_master), key=lambda c: c.code)
    master_row = {c.code: i + 2 for i, c in enumerate(master)}
    no_email = tuple(master_row[c.code] for c in master if not c.email)
    new = [c for c in master if not c.in_ledger]
    ledger_only = sorted((c for c in customers if not c.in_master), key=lambda c: c.code)
    only_rows = tuple(docs_rows[d.key] for d in docs if d.customer in {c.code for c in ledger_only})
    return [
        Plant(
            CUSTOMER_SHEET,
            "经理邮箱",
            "(blank)",
            "manager 陈志强 has no e-mail address on any of his customers",
            "manager.no_email: pack cannot be e-mailed",
            rows=no_email,
        ),
        Plant(
            CUSTOMER_SHEET,
            "客户编码",
            ", ".join(c.code for c in new),
            "customers in the master with no ledger rows",
            "master.no_ledger_rows",
            rows=tuple(master_row[c.code] for c in new),
        ),
        Plant(
            LEDGER_SHEET,
            "客户编码",
            ", ".join(c.code for c in ledger_only),
            "customers in the ledger but not in 客户资料 (defaults apply)",
            "customer.not_in_master",
            rows=only_rows,
        ),
    ]


def _silent_limitation(customers: list[Customer], docs: list[Doc], truth: Truth) -> dict:
    """Limitation of the silent old debtor's open items: 3 years from due or last payment."""
    code = next(c.code for c in customers if c.in_ledger and c.old_debts)
    out = {"past": 0, "within_90": 0, "later": 0}
    for d in docs:
        if d.customer == code and d.kind == "invoice" and truth.open.get(d.key):
            start = max(d.due, truth.last_applied.get(d.key, d.due))
            ends = date(start.year + 3, start.month, min(start.day, 28 if start.month == 2 else 31))
            if ends < AS_OF:
                out["past"] += 1
            elif ends <= AS_OF + timedelta(days=90):
                out["within_90"] += 1
            else:
                out["later"] += 1
    return out


def generate(out_dir: Path | str) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    NUMBERS.seq.clear()
    rng = np.random.default_rng(SEED)
    customers = build_customers(rng)
    docs = simulate(rng, customers)
    truth = settle(customers, docs)
    key = Keys()
    key.n = max(d.key for d in docs)
    plants = plant(rng, customers, docs, key)
    dressing = dress(rng, customers, docs)
    contacts = build_contacts(rng, customers, docs, truth)
    lapsed = lapsed_customers(customers)
    customers += lapsed
    docs += simulate_lapsed(np.random.default_rng(LAPSED_SEED), lapsed, key)
    contacts = sorted(
        contacts + lapsed_contacts(lapsed), key=lambda k: (k.day, k.code, k.channel, k.outcome)
    )
    ledger, row_of, totals = ledger_rows(customers, docs)
    for p in plants:
        p.rows = tuple(row_of[d.key] for d in p.docs)
    plants += _master_plants(customers, row_of, docs)
    sap = sap_rows(rng, customers, docs, truth)
    register = register_rows(rng, customers, docs, truth)

    write_ledger_workbook(out_dir / LEDGER_FILE, customers, ledger, contacts)
    write_sap_workbook(out_dir / SAP_FILE, sap)
    reg = write_register(out_dir / REGISTER_FILE, register)
    write_fx(out_dir / FX_FILE)
    receipts = [d for d in docs if d.kind == "receipt"]
    usd = {c.code for c in customers if c.currency == "USD"}
    usd_lines = sum(1 for d in docs if d.customer in usd)
    summary = {
        "ledger_lines": len(docs),
        "ledger_customers": len({d.customer for d in docs if d.customer}),
        "master_customers": sum(c.in_master for c in customers),
        "reps": len({c.rep for c in customers}),
        "managers": len({c.manager for c in customers}),
        "contacts": len(contacts),
        "sap_rows": sum(1 for r in sap if r[0] == "data"),
        "register_rows": reg["rows"],
        "register_customers": reg["customers"],
        "sap_customers": len({r[1][0] for r in sap if r[0] == "data"}),
        "register_totals": reg,
        "usd_lines": usd_lines,
        "usd_share": f"{usd_lines / len(docs):.1%}",
        "receipts": len(receipts),
        "named_receipts": sum(1 for d in receipts if d.applies_to),
        "credit_notes": sum(1 for d in docs if d.kind == "credit"),
        "invoices": sum(1 for d in docs if d.kind == "invoice"),
        "dress": dressing,
        "totals": totals,
        "sap_total": sap[-1][1][6].cents,
        "plants": plants,
        "promises": promise_summary(contacts, docs),
        "old_debtors": [c.code for c in customers if c.in_ledger and c.old_debts],
        "silent_limitation": _silent_limitation(customers, docs, truth),
        "statuses": {c.code: c.status for c in customers if c.status != "active"},
        "profiles": {
            p: sum(c.profile == p for c in customers if c.in_ledger)
            for p in ("prompt", "slow", "stopped", "closed", "lapsed")
        },
        "lapsed": [(c.code, c.stop) for c in lapsed],
    }
    (out_dir / README_FILE).write_bytes(readme(summary).encode())
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=str(Path(__file__).resolve().parent))
    args = parser.parse_args(argv)
    s = generate(args.out_dir)
    print(
        f"ledger: {s['ledger_lines']} lines ({s['invoices']} invoices, {s['credit_notes']} "
        f"credit notes, {s['receipts']} receipts, {s['named_receipts']} naming an invoice), "
        f"{s['ledger_customers']} customers, USD {s['usd_share']}"
    )
    print(f"master: {s['master_customers']} customers, {s['reps']} reps, {s['managers']} managers")
    print(f"contacts: {s['contacts']} rows; promises {s['promises']}")
    print(
        f"sap: {s['sap_rows']} items, grand total {s['sap_total']} cents; "
        f"register: {s['register_rows']} invoices"
    )
    print("control totals (cents):", ", ".join(f"{k} {v}" for k, v in s["totals"].items()))
    print("planted problems:")
    for p in s["plants"]:
        print(f"  {p.sheet} rows {_row_text(p.rows)} [{p.column}] {p.value!r}: {p.problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
