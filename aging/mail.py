"""E-mail to the sales managers: one message each, their pack attached, sent only when asked.

In: a finished `Result`, the packs written for it (`{manager: Path}`), the config (`mail`,
`output.lang`) and the managers' addresses (`{manager: address}` from the customer master;
`mail.managers` in the config fills in or overrides them).
Out: `build_messages` (one `EmailMessage` per manager: a short summary of the manager's
position in the body, the pack attached byte for byte, the as-of date in the subject),
`unmailable` (managers left out, and why), `write_outbox` / `read_outbox` (`outbox/*.eml`) and
`send` (SMTP; a `SendReport` of what went, what had already gone, what failed).
Raises `ConfigError` for mail settings that cannot work: no sender, a login without its password
in the environment, or a password that would cross the network unencrypted.

Safety (DESIGN "Safe"): every address is validated before it becomes a header, and a header
value holding CR, LF or another control character is refused, never cleaned, so data cannot
add a header or a recipient. TLS certificates are verified (`ssl.create_default_context`);
the password is read from the environment variable the config names, never from a file.
Sending is idempotent: each message carries a key (as-of date + manager + address, hashed); a
send log records every delivery, and a key found there is not sent again unless forced. One
recipient's failure is reported and the others still go.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate
from pathlib import Path

import pandas as pd

from aging import i18n
from aging.errors import ConfigError
from aging.i18n import Money
from aging.letters import letter_register, safe_stem, short_hash

KEY_HEADER = "X-AR-Send-Key"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")
# Plain dot-atom addresses only: what every SMTP server accepts without SMTPUTF8.
_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                      r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")  # fmt: skip


class HeaderError(ValueError):
    """A value from the data that must not become a header."""


# ---- validation ----------------------------------------------------------------------------


def header_value(text: str, what: str) -> str:
    """Refuse CR, LF and other control characters: they could start a new header."""
    text = str(text)
    if _CONTROL.search(text):
        raise HeaderError(f"{what} contains a line break or control character: {text!r}")
    return text


def valid_address(text: str, what: str = "address") -> str:
    """A plain ASCII address (local@domain.tld), parsed by the standard library to the same
    text; anything else (a list, a display name, a quoted local part) is refused."""
    text = header_value(str(text).strip(), what)
    if not _ADDRESS.fullmatch(text):
        raise HeaderError(f"{what} is not a valid e-mail address: {text!r}")
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError, TypeError) as exc:
        raise HeaderError(f"{what} is not a valid e-mail address: {text!r} ({exc})") from None
    if parsed.addr_spec != text:
        raise HeaderError(f"{what} is not a single plain address: {text!r}")
    return text


# ---- building ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    mail: list  # of (manager, address, pack path)
    left_out: list  # of (manager, reason)


def _plan(packs: Mapping, config, recipients: Mapping | None) -> _Plan:
    addresses = {**(recipients or {}), **config.mail.managers}
    mail, left_out = [], []
    for manager, path in sorted(packs.items(), key=lambda kv: str(kv[0])):
        address = str(addresses.get(manager, "") or "").strip()
        if not address:
            left_out.append((manager, i18n.msg("mail.no_address")))
            continue
        try:
            header_value(manager, "manager name")
            header_value(Path(path).name, "pack file name")
            mail.append((manager, valid_address(address, f"address of {manager}"), Path(path)))
        except HeaderError as exc:
            left_out.append((manager, str(exc)))
    return _Plan(mail, left_out)


def build_messages(
    result,
    packs: Mapping,
    config,
    recipients: Mapping | None = None,
    letters: Mapping | None = None,
) -> list:
    """One message per manager that has a pack and a valid address, in manager order.
    `letters`: manager -> letters in their pack, when the pack writer counted them already."""
    plan = _plan(packs, config, recipients)
    lang = config.output.lang
    sender = _sender(config.mail, required=False)
    domain = sender.domain if sender else "localhost"
    if letters is None:
        counts = letter_register(result)["manager"].value_counts()
        letters = {manager: int(counts.get(manager, 0)) for manager, _, _ in plan.mail}
    messages = []
    for manager, address, path in plan.mail:
        key = send_key(result.as_of, manager, address)
        msg = EmailMessage(policy=policy.SMTP)
        if sender:
            msg["From"] = sender
        msg["To"] = Address(display_name=manager, addr_spec=address)
        msg["Subject"] = header_value(subject(result.as_of, manager, lang), "subject")
        msg["Message-ID"] = f"<{key.replace('/', '.')}@{domain}>"
        msg[KEY_HEADER] = key
        msg.set_content(summary_text(result, manager, path.name, letters.get(manager, 0), lang))
        msg.add_attachment(path.read_bytes(), *XLSX, filename=path.name)
        for part in msg.iter_parts():
            del part["MIME-Version"]  # belongs on the message only
        # a boundary of our own (base64 and quoted-printable never contain "=_"), so the same
        # run writes the same bytes
        msg.set_boundary(f"=_ar_{key.replace('/', '_')}")
        messages.append(msg)
    return messages


def unmailable(result, packs: Mapping, config, recipients: Mapping | None = None) -> list:
    """(manager, reason) for every pack `build_messages` leaves out."""
    return _plan(packs, config, recipients).left_out


def recipients_from_master(master: pd.DataFrame) -> dict[str, str]:
    """{manager: address} from a customer master with `manager` and `manager_email` columns;
    the first address given for a manager wins (the quality checks report gaps)."""
    if master is None or not {"manager", "manager_email"} <= set(master.columns):
        return {}
    rows = master[["manager", "manager_email"]].fillna("").astype(str)
    rows = rows[rows["manager"].str.strip().ne("") & rows["manager_email"].str.strip().ne("")]
    return dict(rows.drop_duplicates("manager").itertuples(index=False, name=None))


def send_key(as_of, manager: str, address: str) -> str:
    """'2026-10-31/<16 hex>': one month's pack for one manager at one address."""
    digest = hashlib.sha256(f"{manager}\n{address.lower()}".encode()).hexdigest()[:16]
    return f"{as_of.isoformat()}/{digest}"


def subject(as_of, manager: str, lang: str) -> str:
    return i18n.text("mail.subject", lang, as_of=as_of, manager=manager)


def summary_text(result, manager: str, attachment: str, letters: int, lang: str) -> str:
    """The manager's position: totals, holds, letters to sign, the first five actions."""
    base, dec = result.base_currency, result.currency_decimals[result.base_currency]
    mine = result.customers[result.customers["manager"].eq(manager)]
    work = result.worklist
    work = work[work["manager"].eq(manager)] if "manager" in work else work
    open_, overdue = int(mine["open_base_minor"].sum()), int(mine["overdue_base_minor"].sum())
    holds = int(mine["credit_hold"].fillna(False).astype(bool).sum())

    def say(code: str, **params) -> str:
        return i18n.text(code, lang, **params)

    top = [_action_line(i, row, base, dec, lang)
           for i, row in enumerate(work.head(5).itertuples(), start=1)]  # fmt: skip
    lines = [
        say("mail.greeting", manager=manager),
        "",
        say("mail.attached", attachment=attachment, as_of=i18n.date(result.as_of, lang, "long")),
        "",
        say("mail.position"),
        say("mail.customers", customers=len(mine), open=Money(open_, base, dec),
            overdue=Money(overdue, base, dec), share=i18n.percent(overdue / open_ if open_ else 0, lang)),
        say("mail.holds", holds=holds, letters=letters),
        "",
        say("mail.top") if top else say("mail.nothing"),
        *top,
        "",
        say("mail.record"),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def _action_line(number: int, row, base: str, decimals: int, lang: str) -> str:
    when = row.next_contact_date
    params = dict(n=str(number), name=row.name, customer_id=row.customer_id,
                  overdue=Money(int(row.overdue_base_minor), base, decimals),
                  action=row.next_action)  # fmt: skip
    if pd.notna(when):
        return i18n.text("mail.action", lang, date=when, **params)
    return i18n.text("mail.action_undated", lang, **params)


# ---- outbox --------------------------------------------------------------------------------


def write_outbox(messages: list, folder: Path) -> list[Path]:
    """Each message as `<address>_<hash>.eml` (CRLF, as it goes on the wire); no Date header,
    so the same run writes the same bytes (the date is stamped when it is sent)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for msg in messages:
        to = msg["To"].addresses[0].addr_spec
        path = folder / f"{safe_stem(to, 40)}_{short_hash(msg[KEY_HEADER])}.eml"
        path.write_bytes(msg.as_bytes(policy=policy.SMTP))
        written.append(path)
    return written


def read_outbox(folder: Path) -> list:
    """The messages in an outbox folder, in file-name order (what `send` sends)."""
    parser = BytesParser(policy=policy.SMTP)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(Path(folder).glob("*.eml"))]


# ---- sending -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    to: str
    name: str
    key: str
    detail: str = ""


@dataclass
class SendReport:
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # sent before (the send log), not forced
    failed: list = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"e-mail: {len(self.sent)} sent, {len(self.skipped)} already sent, "
               f"{len(self.failed)} failed"]  # fmt: skip
        out += [f"  not sent to {d.name} <{d.to}>: {d.detail}" for d in self.failed]
        out += [f"  already sent to {d.name} <{d.to}>: {d.detail}" for d in self.skipped]
        return out


def send(messages: list, config, log_path: Path, *, force: bool = False, environ=None):
    """Send over SMTP, skipping what the send log says went already (unless `force`)."""
    mail = config.mail
    sender = _sender(mail, required=True)
    password = _password(mail, os.environ if environ is None else environ)
    done = sent_log(log_path)
    report = SendReport()
    session, unreachable = None, ""
    try:
        for msg in messages:
            to = msg["To"].addresses[0]
            delivery = Delivery(valid_address(to.addr_spec), str(to.display_name),
                                str(msg[KEY_HEADER] or ""))  # fmt: skip
            digest = attachment_sha256(msg)
            if delivery.key in done and not force:
                report.skipped.append(_already(delivery, done[delivery.key], digest))
                continue
            if unreachable:  # do not wait for a dead server once per message
                report.failed.append(_with(delivery, unreachable))
                continue
            outgoing = _stamped(msg, sender)
            try:
                if session is None:
                    session = _connect(mail, password)
                session.send_message(outgoing, from_addr=sender.addr_spec, to_addrs=[delivery.to])
            except smtplib.SMTPRecipientsRefused as exc:
                detail = _reply(*next(iter(exc.recipients.values())))
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                detail = _reply(exc.smtp_code, exc.smtp_error)
            except (smtplib.SMTPException, OSError) as exc:
                detail = _connection_error(exc, mail)
                unreachable = detail if session is None else ""
                session = _close(session)
            else:
                _log(log_path, delivery, outgoing, digest, "sent")
                report.sent.append(_with(delivery, str(outgoing["Message-ID"])))
                continue
            _log(log_path, delivery, outgoing, digest, "failed", detail)
            report.failed.append(_with(delivery, detail))
    finally:
        _close(session)
    return report


def check_sending(config, environ=None) -> None:
    """Refuse mail settings that cannot send (no sender, a login over an unencrypted
    connection, a login without its password), before a run writes anything."""
    _sender(config.mail, required=True)
    _password(config.mail, os.environ if environ is None else environ)


def _with(delivery: Delivery, detail: str) -> Delivery:
    return Delivery(delivery.to, delivery.name, delivery.key, detail)


def _already(delivery: Delivery, before: dict, digest: str) -> Delivery:
    note = f"on {before.get('sent_at', '?')}"
    if before.get("sha256") != digest:
        note += "; the pack has changed since (force to send it again)"
    return _with(delivery, note)


def _sender(mail, *, required: bool):
    if not mail.from_address:
        if required:
            raise ConfigError("error.mail_no_sender")
        return None
    try:
        address = valid_address(mail.from_address, "mail.from_address")
        name = header_value(mail.from_name, "mail.from_name")
    except HeaderError as exc:
        raise ConfigError(str(exc)) from None
    return Address(display_name=name, addr_spec=address)


def _password(mail, environ: Mapping) -> str | None:
    if not mail.user:
        return None
    if mail.security == "none":
        raise ConfigError("error.mail_password_in_clear")
    password = environ.get(mail.password_env)
    if not password:
        raise ConfigError("error.mail_password_unset", variable=mail.password_env)
    return password


def _connect(mail, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context()  # verifies the certificate and the host name
    if mail.security == "tls":
        session = smtplib.SMTP_SSL(
            mail.host, mail.port, timeout=mail.timeout_seconds, context=context
        )
    else:
        session = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout_seconds)
    try:
        session.ehlo()
        if mail.security == "starttls":
            # No fallback: a server that does not offer STARTTLS gets nothing.
            session.starttls(context=context)
            session.ehlo()
        if password is not None:
            session.login(mail.user, password)
    except BaseException:
        _close(session)
        raise
    return session


def _close(session) -> None:
    if session is not None:
        try:
            session.quit()
        except (smtplib.SMTPException, OSError):
            session.close()
    return None


def _stamped(msg: EmailMessage, sender: Address) -> EmailMessage:
    """A copy with the configured sender and the date it is sent."""
    out = copy.deepcopy(msg)
    del out["From"]
    del out["Date"]
    out["From"] = sender
    out["Date"] = formatdate(localtime=True)
    return out


def _reply(code, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"refused by the server: {code} {text}".strip()


def _connection_error(exc: BaseException, mail) -> str:
    where = f"{mail.host}:{mail.port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"{where}: TLS certificate not trusted ({exc.verify_message})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"{where}: login refused for {mail.user}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"{where}: the server does not offer STARTTLS; nothing was sent unencrypted"
    return f"{where}: {type(exc).__name__}: {exc}"


def attachment_sha256(msg: EmailMessage) -> str:
    parts = [p.get_payload(decode=True) or b"" for p in msg.iter_attachments()]
    return hashlib.sha256(b"".join(parts)).hexdigest()


# ---- the send log --------------------------------------------------------------------------


def sent_log(path: Path) -> dict[str, dict]:
    """{key: record} of every message the log says was delivered (a torn last line from an
    interrupted run is ignored)."""
    done: dict[str, dict] = {}
    if not Path(path).is_file():
        return done
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("status") == "sent":
            done[str(record.get("key"))] = record
    return done


def _log(path, delivery: Delivery, msg, digest: str, status: str, detail: str = "") -> None:
    """Append one line and flush it to disk before the next message goes."""
    attachments = [p.get_filename() or "" for p in msg.iter_attachments()]
    record = {
        "key": delivery.key,
        "as_of": delivery.key.split("/", 1)[0],
        "to": delivery.to,
        "name": delivery.name,
        "status": status,
        "detail": detail,
        "message_id": str(msg["Message-ID"] or ""),
        "attachment": attachments[0] if attachments else "",
        "sha256": digest,
        "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(record, ensure_ascii=False) + "\n")
        log.flush()
        os.fsync(log.fileno())
