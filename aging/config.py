"""The one config model: every rule and mapping with its default, description and validator.

In: an optional YAML file. Out: a frozen `Config`. Unknown keys are errors (a typo in a rule
must not silently fall back to the default). Raises `ConfigError` with the file and the key.
The same model drives `--print-config`, the Settings sheet and the README's option list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, ClassVar, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from aging.errors import ConfigError
from aging.model import GRADES


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SettingError(ValueError):
    """A setting's value is wrong: a catalogue code and its parameters, so that the line is
    said in the user's language (str() is the English pydantic shows)."""

    def __init__(self, code: str, **params) -> None:
        from aging import i18n  # the catalogue loads only when a setting is wrong

        self.code, self.params = code, params
        super().__init__(i18n.text(code, "en", **params))


Rate = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Days = Annotated[int, Field(ge=0)]


def merged_map(value, defaults: dict, valid: Iterable[str]):
    """A config map of fixed keys: the keys given replace their defaults one by one and the
    rest keep theirs (setting one recovery rate must not zero the other four); a key outside
    `valid` is an error naming the valid ones."""
    if not isinstance(value, dict):
        return value  # pydantic says it is not a mapping
    valid = tuple(valid)
    unknown = sorted(str(k) for k in value if k not in valid)
    if unknown:
        raise SettingError(
            "setting_error.unknown_key", key=repr(unknown[0]), valid=", ".join(valid)
        )
    return {**defaults, **value}


def _merge_maps(cls, value, info):
    """Field validator (mode 'before') for a section's maps of fixed keys."""
    defaults = cls.model_fields[info.field_name].default
    return merged_map(value, defaults, cls.map_keys.get(info.field_name, defaults))


class Reading(Section):
    header_scan_rows: int = Field(30, ge=1, le=500, description="Rows searched for the header row.")
    date_order: Literal["auto", "ymd", "dmy", "mdy"] = Field(
        "auto",
        description="Day/month order of dates like 03/04/2026: 'auto' decides from the whole "
        "file and stops with a question when the file cannot tell.",
    )
    decimal_comma: Literal["auto"] | bool = Field(
        "auto",
        description="Amounts use ',' as the decimal mark (1.234,56): 'auto' decides from each "
        "table's amounts (1.234,56 or 12,50 say comma; 1,234.56 or 12.50 say point); true or "
        "false says it.",
    )
    max_rows: int = Field(
        2_000_000, ge=1, description="Refuse a sheet with more data rows than this."
    )
    max_unzipped_mb: int = Field(2048, ge=1, description="Refuse a workbook that unzips larger.")
    fx_tolerance: float = Field(
        0.10,
        ge=0,
        description="Warn when the rate an export's own company-currency amounts imply differs "
        "from the FX table's by more than this share.",
    )


class Columns(Section):
    """Extra header synonyms per table, e.g. {ledger: {customer_id: ['Kundennr']}}."""

    ledger: dict[str, list[str]] = Field(default_factory=dict)
    customers: dict[str, list[str]] = Field(default_factory=dict)
    contacts: dict[str, list[str]] = Field(default_factory=dict)
    fx: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("ledger", "customers", "contacts", "fx")
    @classmethod
    def _known_fields(cls, mapping: dict, info) -> dict:
        """A misspelt field would silently map nothing: name the valid ones instead."""
        from aging.reading.fields import TABLE_FIELDS

        valid = TABLE_FIELDS[info.field_name]
        unknown = sorted(set(mapping) - set(valid))
        if unknown:
            raise SettingError(
                "setting_error.unknown_field_of_table",
                field=repr(unknown[0]),
                table=info.field_name,
                valid=", ".join(sorted(valid)),
            )
        return mapping


class Settlement(Section):
    fifo: bool = Field(
        True,
        description="Apply receipts and credits that name no invoice to the customer's "
        "oldest-due open invoices first. Off: they stay as unapplied credit.",
    )
    default_terms_days: int = Field(
        30,
        ge=0,
        description="Terms used when an item has no due date and its customer no terms.",
    )


class Aging(Section):
    basis: Literal["due_date", "doc_date"] = Field("due_date", description="Age from this date.")
    buckets: list[int] = Field(
        [0, 30, 60, 90, 180, 365, 730, 1095],
        description="Inclusive upper bounds in days overdue; 0 is 'not due', the last bucket "
        "is 'over' the final bound.",
    )

    @field_validator("buckets")
    @classmethod
    def _ascending(cls, bounds: list[int]) -> list[int]:
        if not bounds or bounds[0] != 0 or sorted(set(bounds)) != bounds:
            raise SettingError("setting_error.buckets")
        return bounds


class Grading(Section):
    bad_days: int = Field(365, ge=1, description="呆账 bad: more than this many days overdue.")
    doubtful_days: int = Field(180, ge=1, description="准呆账 doubtful: more than this many days.")
    doubtful_risky_days: int = Field(
        90,
        ge=1,
        description="准呆账 doubtful also from here with broken promises or evasion.",
    )
    doubtful_broken_promises: int = Field(
        2, ge=1, description="Broken promises that count as risky."
    )
    risky_cooperation: list[str] = Field(["evasive", "hostile"])
    dead_status: list[str] = Field(["bankrupt", "deregistered", "untraceable"])
    bad_status: list[str] = Field(["lawsuit"])
    customer_grade_share: float = Field(
        0.10,
        gt=0,
        le=1,
        description="A customer's grade is the worst holding this share of overdue.",
    )
    limitation_years: int = Field(3, ge=1, description="PRC Civil Code art. 188.")


class Provision(Section):
    age_bands: list[tuple[int, float]] = Field(
        [
            (365, 0.05),
            (730, 0.10),
            (1095, 0.30),
            (1460, 0.50),
            (1825, 0.80),
            (10**6, 1.00),
        ],
        description="(max days overdue, rate) from youngest; items not yet due use the first rate.",
    )
    grade_rates: dict[str, Rate] = Field(
        {"dead": 1.00}, description="A grade's rate replaces the age rate when higher."
    )
    method: Literal["age_bands", "history"] = Field(
        "age_bands",
        description="Which rates book the provision: the age bands, or the migration-rate "
        "matrix from the history (IFRS 9 simplified approach, CAS 22 migration rates; age "
        "bands while it has fewer than 12 months).",
    )
    forward_factor: float = Field(
        1.0,
        ge=0,
        le=10,
        description="Forward-looking factor on the matrix's historical loss rates.",
    )

    map_keys: ClassVar[dict] = {"grade_rates": GRADES}
    _maps = field_validator("grade_rates", mode="before")(classmethod(_merge_maps))

    @field_validator("age_bands")
    @classmethod
    def _bands(cls, bands: list[tuple[int, float]]) -> list[tuple[int, float]]:
        days = [d for d, _ in bands]
        if sorted(set(days)) != days or not all(0 <= r <= 1 for _, r in bands):
            raise SettingError("setting_error.age_bands")
        return bands


class Promises(Section):
    tolerance_days: int = Field(3, ge=0, description="Grace days after a promise date.")


class History(Section):
    months: int = Field(
        12,
        ge=2,
        le=120,
        description="Month-ends in the history: the one on or before the as-of date and the "
        "ones before it.",
    )
    entity: str = Field(
        "default",
        min_length=1,
        max_length=200,
        description="Name of this ledger's company in a history store several share.",
    )


class Quality(Section):
    credit_refund_days: int = Field(
        90,
        ge=1,
        description="Unapplied credits older than this are flagged as refunds owed.",
    )


class Output(Section):
    lang: str = Field("en", description="Language of sheet names and labels.")
    parquet: bool = Field(False, description="Also write data/*.parquet.")
    jobs: int = Field(
        0,
        ge=0,
        description="Processes writing the outputs (workbook, packs, letters side by side); "
        "0 = one per core.",
    )

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, lang: str) -> str:
        from aging.i18n import LANGS  # the catalogues present: one file adds a language

        if lang not in LANGS:
            raise SettingError(
                "setting_error.language", language=repr(lang), valid=", ".join(LANGS)
            )
        return lang


class Packs(Section):
    group_by: Literal["manager", "sales_rep", "region"] = Field(
        "manager",
        description="One pack per manager, sales rep or region (packs/<name>.xlsx); customers "
        "with none go to the pack named 'unassigned'.",
    )


class Step(Section):
    """One rung of the escalation ladder (DESIGN "Plan")."""

    key: str
    from_days: int = Field(
        description="Reached when the oldest overdue item is this many days "
        "overdue or more (negative: due within that many days)."
    )
    action: str = Field(
        "",
        description="Words for a step of your own; a known key's words come from the "
        "message catalogue in the run's language.",
    )
    channel: str
    letter: str = ""  # reminder | credit_warning | lawyer | "" (none)
    min_overdue: float = Field(
        0, ge=0, description="Only when this much (base currency) is overdue."
    )


class Plan(Section):
    weights: dict[str, NonNegative] = Field(
        {
            "overdue_amount": 3.0,
            "age": 2.0,
            "grade": 2.0,
            "credit_rating": 1.0,
            "cooperation": 1.0,
            "strength": 1.0,
            "distance": 0.5,
            "broken_promises": 1.5,
            "limitation": 1.5,
            "behaviour": 2.0,
        },
        description="Priority factor weights; each factor is scaled to 0..1 first.",
    )
    ladder: list[Step] = Field(
        [
            Step(key="remind", from_days=-7, channel="email"),
            Step(key="call", from_days=1, channel="phone"),
            Step(
                key="reminder_letter",
                from_days=16,
                channel="letter",
                letter="reminder",
            ),
            Step(
                key="credit_warning",
                from_days=46,
                channel="letter",
                letter="credit_warning",
                min_overdue=1000,
            ),
            Step(
                key="lawyer_letter",
                from_days=91,
                channel="lawyer",
                letter="lawyer",
                min_overdue=10000,
            ),
            Step(
                key="legal",
                from_days=181,
                channel="lawsuit",
                letter="lawyer",
                min_overdue=50000,
            ),
        ],
        description="Escalation ladder from mildest; from_days ascending.",
    )
    cadence_days: dict[str, Days] = Field(
        {
            "phone": 7,
            "sms": 3,
            "email": 7,
            "letter": 14,
            "fax": 7,
            "visit": 21,
            "lawyer": 21,
            "agency": 30,
            "lawsuit": 30,
        },
        description="After a contact by this channel, wait this long before the next one.",
    )
    visit_near_km: int = Field(50, ge=0, description="Visit instead of writing when this near.")
    visit_max_cost_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Farther away, visit only when the trip costs at most this share of what "
        "the customer is expected to pay back.",
    )
    visits_per_trip: int = Field(4, ge=1, description="Customers one visit trip may cover.")
    call_window: str = Field("15:00-16:00", description="Calls around 15:30, never 11:45-14:00.")
    visit_window: str = Field("09:30-11:30", description="Visits in the working morning.")
    credit_hold_days: int = Field(60, ge=1, description="Hold shipments past this many days.")
    limitation_alert_days: int = Field(90, ge=1, description="Alert this long before it ends.")
    costs: dict[str, NonNegative] = Field(
        {
            "phone": 20,
            "sms": 1,
            "email": 1,
            "letter": 50,
            "visit": 300,
            "visit_per_km": 2.0,
            "lawyer": 2000,
            "agency_rate": 0.25,
            "agency_min": 1500,
            "lawsuit": 8000,
            "lawsuit_rate": 0.03,
        },
        description="Cost of each action in the base currency; rates are shares of the claim.",
    )
    recovery_rates: dict[str, Rate] = Field(
        {"not_due": 0.98, "in_collection": 0.9, "doubtful": 0.6, "bad": 0.3, "dead": 0.05},
        description="Share of an overdue balance expected back, by grade.",
    )
    instalment_months: int = Field(3, ge=2, le=24, description="Months of an instalment plan.")
    instalment_min: float = Field(20000, ge=0, description="Smallest overdue balance offered one.")

    # Maps of fixed keys: a key given replaces its default, the others keep theirs.
    map_keys: ClassVar[dict] = {}
    _maps = field_validator("weights", "cadence_days", "costs", "recovery_rates", mode="before")(
        classmethod(_merge_maps)
    )

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, weights: dict[str, float]) -> dict[str, float]:
        if not any(weights.values()):
            raise SettingError("setting_error.weights")
        return weights

    @field_validator("ladder")
    @classmethod
    def _rising(cls, ladder: list[Step]) -> list[Step]:
        days = [s.from_days for s in ladder]
        if not ladder or sorted(days) != days or len(set(days)) != len(days):
            raise SettingError("setting_error.ladder")
        return ladder


class Behaviour(Section):
    """How customers pay (DESIGN "Payment behaviour"), learned from invoices paid by the as-of
    date only; a customer with few paid invoices leans on the whole portfolio's habits."""

    shrink_invoices: float = Field(
        1.0,
        ge=0,
        description="Paid invoices' worth of the portfolio's delay blended into each "
        "customer's own when expecting a payment date (more: a customer needs a longer record "
        "to stand on its own).",
    )
    half_life_days: int = Field(
        365,
        ge=1,
        description="A payment this many days before the as-of date counts half as much as one "
        "made on it when expecting a payment date.",
    )
    min_later_paid: int = Field(
        5,
        ge=1,
        description="An open item later than all but this many of the invoices paid so far "
        "gets no expected date: the ledger has never seen such a debt paid.",
    )
    min_invoices: int = Field(
        3,
        ge=1,
        description="Paid invoices a customer needs before its own habits count; with fewer, "
        "the portfolio's usual lateness stands in.",
    )
    late_days: int = Field(
        7, ge=0, description="Habitually late: paying this many days past due on average, or more."
    )
    worsening_days: int = Field(
        30,
        ge=1,
        description="Worsening: the oldest overdue item is this many days later than the "
        "customer usually pays (its 90th percentile of days past due).",
    )
    worsening_trend_days: int = Field(
        15,
        ge=1,
        description="Worsening too: the last three months' payments came this many days later "
        "on average than the twelve months' before.",
    )
    allowance_max_days: int = Field(
        30,
        ge=0,
        description="The escalation ladder counts a reliably late customer's days overdue from "
        "its usual lateness, up to this many days (no lawyer's letter for a habit).",
    )
    forecast_weeks: int = Field(13, ge=1, le=104, description="Weeks of the cash forecast.")


class Letters(Section):
    """Who the letters come from and how to pay; the wording lives in the templates."""

    company_name: str = Field("", description="Creditor's registered name, as on the letterhead.")
    address: str = Field("", description="Creditor's address.")
    bank_name: str = Field("", description="Bank the debtor pays into (开户行).")
    bank_account: str = Field("", description="Account number the debtor pays into.")
    account_name: str = Field("", description="Account holder (default: the company name).")
    swift: str = Field("", description="The bank's SWIFT/BIC, shown in English letters.")
    contact: str = Field("", description="Person the debtor may contact.")
    phone: str = Field("", description="Contact telephone.")
    email: str = Field("", description="Contact e-mail; also where a signed 对账函 may go.")
    counsel: str = Field("", description="Law firm that signs the lawyer's letter (律师函).")
    counsel_address: str = Field("", description="The law firm's address.")
    counsel_phone: str = Field("", description="The law firm's telephone.")
    english: dict[str, str] = Field(
        default_factory=dict,
        description="The same fields as English letters should print them, where they differ, "
        "e.g. {company_name: 'Huadong Precision Machinery Co., Ltd.'}.",
    )
    deadline_days: int = Field(
        15,
        ge=1,
        le=90,
        description="Days after the as-of date to pay or reply, moved to the next PRC working "
        "day; a letter the plan holds back counts from its own date.",
    )
    lang: Literal["auto", "en", "zh"] = Field(
        "auto",
        description="Letter language; 'auto' writes Chinese to customers with a Chinese name.",
    )
    statements: Literal["alerts", "all", "none"] = Field(
        "alerts",
        description="Who gets a statement of account (对账函) with a reply slip: customers with "
        "a limitation alert (a signed reply restarts the period), all with a balance, or none.",
    )
    max_items: int = Field(
        50,
        ge=1,
        le=10_000,
        description="Items a letter lists at most: the largest; one row per currency sums the "
        "rest, and a workbook beside the letter (<letter>_items.xlsx) lists them all.",
    )
    template_folder: str | None = Field(
        None,
        description="Folder of the company's own templates (<kind>_<lang>.docx, e.g. "
        "reminder_zh.docx); a file found there replaces ours.",
    )
    pdf: bool = Field(False, description="Also write PDFs when LibreOffice is installed.")

    @field_validator("english")
    @classmethod
    def _english_fields(cls, values: dict[str, str]) -> dict[str, str]:
        known = {"company_name", "address", "bank_name", "account_name", "contact",
                 "counsel", "counsel_address"}  # fmt: skip
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingError(
                "setting_error.unknown_field",
                field=repr(unknown[0]),
                valid=", ".join(sorted(known)),
            )
        return values


class Mail(Section):
    """SMTP for sending the manager packs (--send); the password only from the environment."""

    host: str = Field("localhost", description="SMTP server.")
    port: int = Field(587, ge=1, le=65535, description="SMTP port (587 STARTTLS, 465 TLS).")
    security: Literal["none", "starttls", "tls"] = Field(
        "starttls", description="Connection security; certificates are always verified."
    )
    user: str = Field("", description="SMTP login; empty: no login.")
    password_env: str = Field(
        "AGING_SMTP_PASSWORD",
        description="Environment variable holding the SMTP password (never put it in a file).",
    )
    from_address: str = Field("", description="Sender address, e.g. ar@example.com.")
    from_name: str = Field("", description="Sender display name.")
    managers: dict[str, str] = Field(
        default_factory=dict,
        description="Manager -> e-mail address; fills in or overrides the customer master.",
    )
    send_log: str = Field(
        "send_log.jsonl",
        description="Record of what was sent, relative to the output root; a pack listed "
        "there is not sent again unless forced.",
    )
    timeout_seconds: int = Field(30, ge=1, le=600, description="SMTP timeout.")

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, name: str) -> str:
        if not name.replace("_", "").isalnum() or not name.isascii() or name[0].isdigit():
            raise SettingError("setting_error.password_env")
        return name


class Config(Section):
    base_currency: str | None = Field(
        None,
        description="Report currency. Unset: from the export's own evidence (its only currency, "
        "a local-currency column, the title rows, currency signs, a Chinese export for CNY); "
        "with none the run stops and asks.",
    )
    fx_rates: dict[str, str] = Field(
        default_factory=dict,
        description="Currency -> rate to base, as text ('7.1034').",
    )
    reading: Reading = Reading()
    columns: Columns = Columns()
    settlement: Settlement = Settlement()
    aging: Aging = Aging()
    grading: Grading = Grading()
    provision: Provision = Provision()
    promises: Promises = Promises()
    history: History = History()
    quality: Quality = Quality()
    plan: Plan = Plan()
    behaviour: Behaviour = Behaviour()
    output: Output = Output()
    packs: Packs = Packs()
    letters: Letters = Letters()
    mail: Mail = Mail()
    synonyms: dict[str, dict[str, list[str]]] = Field(
        default_factory=dict,
        description="Extra words for coded values, e.g. {cooperation: {evasive: ['回避']}}.",
    )

    @model_validator(mode="after")
    def _upper_currency(self) -> Config:
        if self.base_currency is not None and not self.base_currency.isalpha():
            raise SettingError("setting_error.base_currency")
        return self


def load_config(path: str | Path | None, overrides: dict | None = None) -> Config:
    """Read YAML (or nothing) and validate; `overrides` are CLI settings merged on top."""
    data: dict = {}
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConfigError("error.config_unreadable", path=path, reason=exc.strerror) from None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError("error.config_not_yaml", path=path, reason=exc) from None
        if not isinstance(data, dict):
            raise ConfigError("error.config_not_mapping", path=path)
    for dotted, value in (overrides or {}).items():
        _set_dotted(data, dotted, value)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ConfigError(
            "error.config_invalid", path=path or "config", where=where, reason=_reason(first)
        ) from None


def _reason(error: dict):
    """Why pydantic refused a setting, as a catalogue message when there is one (ours carry
    their code; pydantic's own are known by their type), else pydantic's English."""
    from aging import i18n

    raised = error.get("ctx", {}).get("error")
    if isinstance(raised, SettingError):
        return i18n.msg(raised.code, **raised.params)
    code = f"setting_error.{error['type']}"
    if not i18n.has(code):
        return error["msg"]
    context = error.get("ctx") or {}
    if error["type"] == "literal_error":  # "'en' or 'zh'": the choices, in any language
        return i18n.msg(code, choices=", ".join(re.findall(r"'[^']*'", context["expected"])))
    return i18n.msg(code, **{k: _bound(v) for k, v in context.items()})


def _bound(value) -> str:
    """A limit as pydantic writes it: 1, not 1.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _set_dotted(data: dict, dotted: str, value) -> None:
    *parents, leaf = dotted.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[leaf] = value


def config_yaml(config: Config) -> str:
    """The effective config as YAML, every default spelled out (for --print-config)."""
    plain = config.model_dump(mode="json")
    return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False)


# Settings that change how a run goes, never what it writes (left off the Settings sheet).
RUN_ONLY_SETTINGS = frozenset({"output.jobs"})


def config_rows(config: Config) -> list[tuple[str, str, str]]:
    """(dotted key, value, description) for the Settings sheet."""
    rows: list[tuple[str, str, str]] = []

    def walk(model: BaseModel, prefix: str) -> None:
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            key = f"{prefix}{name}"
            if isinstance(value, BaseModel):
                walk(value, key + ".")
            else:
                text = json.dumps(_plain(value), ensure_ascii=False)
                rows.append((key, text, info.description or ""))

    walk(config, "")
    return rows


def _plain(value):
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def config_markdown(config: Config | None = None) -> str:
    """The README's configuration reference: every key, its default and what it does."""
    lines = ["| key | default | meaning |", "| --- | --- | --- |"]
    for key, value, description in config_rows(config or Config()):
        shown = value if len(value) <= 60 else value[:57] + "…"
        cell = shown.replace("|", "\\|")
        lines.append(f"| `{key}` | `{cell}` | {description.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m aging.config: print the README's reference table
    print(config_markdown(), end="")
