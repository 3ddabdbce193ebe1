"""E-mail: a real SMTP server (aiosmtpd) on 127.0.0.1 receives the sample's manager packs.

Checked: one message per manager with an address, each to that address with exactly its own
pack attached, byte-identical to the file in packs/; a re-run sends nothing new; a refused
recipient is reported and the others are delivered; header values from the data cannot add
headers or recipients; TLS certificates are verified; the password comes from the environment.

The packs are stand-ins (a small workbook per manager): the pack renderer is built separately,
and mail only needs a file per manager.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import socket
import ssl
from email import policy
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import ROOT

from aging import mail
from aging.config import Mail, load_config
from aging.errors import ConfigError
from aging.letters import safe_stem, short_hash
from aging.pipeline import Inputs, run

SAMPLE = ROOT / "sample_data"
SENDER = "ar@hdjm.com.cn"


class Inbox:
    """aiosmtpd handler: keeps what it receives; refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def result():
    inputs = Inputs(ledger=(SAMPLE / "ar_ledger_2026-10.xlsx",), fx=(SAMPLE / "fx_rates.csv",))
    return run(inputs, load_config(None))


@pytest.fixture(scope="module")
def master_addresses():
    """{manager: address} as the customer master gives it (陈志强 has none in the sample)."""
    master = pd.read_excel(
        SAMPLE / "ar_ledger_2026-10.xlsx", sheet_name="客户资料", dtype=str, engine="calamine"
    ).rename(columns={"销售经理": "manager", "经理邮箱": "manager_email"})
    return mail.recipients_from_master(master)


@pytest.fixture
def packs(result, tmp_path) -> dict[str, Path]:
    """A small, different workbook per manager, named as a pack would be."""
    folder = tmp_path / "packs"
    folder.mkdir()
    out = {}
    for manager in sorted(set(result.customers["manager"]) - {""}):
        path = folder / f"{safe_stem(manager)}_{short_hash(manager)}.xlsx"
        book = xlsxwriter.Workbook(str(path))
        book.set_properties({"created": dt.datetime(2026, 10, 31)})
        sheet = book.add_worksheet("Summary")
        sheet.write(0, 0, manager)
        mine = result.customers[result.customers["manager"].eq(manager)]
        sheet.write_column(1, 0, list(mine["customer_id"]))
        book.close()
        out[manager] = path
    return out


def settings(port: int, **mail_settings):
    values = {"mail.host": "127.0.0.1", "mail.port": port, "mail.security": "none",
              "mail.from_address": SENDER, "mail.from_name": "应收账款 AR"}  # fmt: skip
    return load_config(None, {**values, **{f"mail.{k}": v for k, v in mail_settings.items()}})


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


# ---- delivery ------------------------------------------------------------------------------


def test_each_manager_gets_exactly_their_own_pack(result, packs, master_addresses, server, tmp):
    inbox, port = server
    config = settings(port)
    messages = mail.build_messages(result, packs, config, master_addresses)
    assert [(m, str(why)) for m, why in mail.unmailable(result, packs, config,
                                                      master_addresses)] == [
        ("陈志强", "no e-mail address (customer master or mail.managers)")
    ]  # fmt: skip
    report = mail.send(messages, config, tmp / "send_log.jsonl")
    assert [d.to for d in report.sent] == sorted(
        master_addresses[m] for m in packs if m in master_addresses
    )
    assert not report.failed
    assert len(inbox.messages) == 2
    by_address = {address: manager for manager, address in master_addresses.items()}
    for mail_from, rcpt_tos, raw in inbox.messages:
        assert mail_from == SENDER
        assert len(rcpt_tos) == 1
        manager = by_address[rcpt_tos[0]]
        msg = parsed(raw)
        assert msg["To"].addresses[0].addr_spec == rcpt_tos[0]
        assert msg["To"].addresses[0].display_name == manager
        assert "2026-10-31" in msg["Subject"] and manager in msg["Subject"]
        assert msg["Bcc"] is None and msg["Cc"] is None
        attachments = list(msg.iter_attachments())
        assert len(attachments) == 1
        assert attachments[0].get_filename() == packs[manager].name
        assert attachments[0].get_payload(decode=True) == packs[manager].read_bytes()


def test_the_body_summarises_the_managers_position(result, packs, master_addresses, server):
    _, port = server
    messages = mail.build_messages(result, packs, settings(port), master_addresses)
    body = messages[0].get_body(("plain",)).get_content()
    manager = messages[0]["To"].addresses[0].display_name
    mine = result.customers[result.customers["manager"].eq(manager)]
    overdue = int(mine["overdue_base_minor"].sum())
    assert f"CNY {overdue // 100:,}.{overdue % 100:02d}" in body
    first = result.worklist[result.worklist["manager"].eq(manager)].iloc[0]
    assert f"1. {first['name']} ({first['customer_id']})" in body
    assert "5. " in body and "6. " not in body  # the top five actions
    zh = mail.build_messages(
        result, packs, load_config(None, {"output.lang": "zh"}), master_addresses
    )
    assert "应收账款催收包（截至2026年10月31日）" in zh[0]["Subject"]
    assert "优先处理的五项工作" in zh[0].get_body(("plain",)).get_content()


def test_a_rerun_sends_nothing_new_unless_forced(result, packs, master_addresses, server, tmp):
    inbox, port = server
    config, log = settings(port), tmp / "send_log.jsonl"
    messages = mail.build_messages(result, packs, config, master_addresses)
    assert len(mail.send(messages, config, log).sent) == 2
    again = mail.send(messages, config, log)
    assert not again.sent and len(again.skipped) == 2
    assert len(inbox.messages) == 2
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in records] == ["sent", "sent"]
    assert {r["sha256"] for r in records} == {mail.attachment_sha256(m) for m in messages}
    forced = mail.send(messages, config, log, force=True)
    assert len(forced.sent) == 2 and len(inbox.messages) == 4


def test_a_refused_recipient_is_reported_and_the_rest_delivered(
    result, packs, master_addresses, server, tmp
):
    inbox, port = server
    addresses = {**master_addresses, "陈志强": "chen.zhiqiang@hdjm.com.cn"}
    inbox.refuse = {"li.xiuying@hdjm.com.cn"}
    config, log = settings(port), tmp / "send_log.jsonl"
    messages = mail.build_messages(result, packs, config, addresses)
    assert len(messages) == 3
    report = mail.send(messages, config, log)
    assert [d.to for d in report.failed] == ["li.xiuying@hdjm.com.cn"]
    assert "550" in report.failed[0].detail
    assert sorted(d.to for d in report.sent) == [
        "chen.zhiqiang@hdjm.com.cn",
        "wang.jianguo@hdjm.com.cn",
    ]
    assert sorted(r[1][0] for r in inbox.messages) == sorted(d.to for d in report.sent)
    assert any("not sent to 李秀英" in line for line in report.lines())
    # once the mailbox accepts again, a re-run sends the one that failed, and only it
    inbox.refuse = set()
    retry = mail.send(messages, config, log)
    assert [d.to for d in retry.sent] == ["li.xiuying@hdjm.com.cn"]
    assert len(retry.skipped) == 2


def test_an_unreachable_server_fails_every_message_without_raising(result, packs, tmp):
    config = settings(free_port(), timeout_seconds=2)
    addresses = {m: f"m{i}@hdjm.com.cn" for i, m in enumerate(packs)}
    messages = mail.build_messages(result, packs, config, addresses)
    report = mail.send(messages, config, tmp / "log.jsonl")
    assert len(report.failed) == len(messages) and not report.sent
    assert all("127.0.0.1" in d.detail for d in report.failed)


# ---- headers from data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "a@b.com\r\nBcc: evil@x.com",
        "a@b.com, evil@x.com",
        "Evil <a@b.com>",
        "a@b.com>evil",
        "a@",
        "王@例子.中国",
        '"a b"@b.com',
        "a@localhost",
        "",
    ],
)
def test_bad_addresses_are_refused(address):
    with pytest.raises(mail.HeaderError):
        mail.valid_address(address)


def test_header_injection_from_the_data_is_refused(result, packs, master_addresses, server, tmp):
    inbox, port = server
    manager = "王建国"
    hostile = {"王建国\r\nBcc: evil@x.com": packs[manager]}
    config = settings(port)
    addresses = {"王建国\r\nBcc: evil@x.com": "wang.jianguo@hdjm.com.cn"}
    assert mail.build_messages(result, hostile, config, addresses) == []
    [(name, reason)] = mail.unmailable(result, hostile, config, addresses)
    assert "line break" in reason
    smuggled = {manager: "wang.jianguo@hdjm.com.cn\r\nBcc: evil@x.com"}
    assert mail.build_messages(result, {manager: packs[manager]}, config, smuggled) == []
    listed = {manager: "wang.jianguo@hdjm.com.cn, evil@x.com"}
    assert mail.build_messages(result, {manager: packs[manager]}, config, listed) == []
    bad_sender = load_config(None, {"mail.from_address": "ar@x.com\nBcc: evil@x.com"})
    with pytest.raises(ConfigError, match="from_address"):
        mail.send([], bad_sender, tmp / "log.jsonl")
    assert inbox.messages == []


# ---- outbox --------------------------------------------------------------------------------


def test_outbox_is_reproducible_and_sendable(result, packs, master_addresses, server, tmp):
    inbox, port = server
    config = settings(port)
    messages = mail.build_messages(result, packs, config, master_addresses)
    first = mail.write_outbox(messages, tmp / "a" / "outbox")
    again = mail.build_messages(result, packs, config, master_addresses)
    second = mail.write_outbox(again, tmp / "b" / "outbox")
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert all(p.suffix == ".eml" and p.parent == tmp / "a" / "outbox" for p in first)
    assert all(b"\r\nDate:" not in p.read_bytes() for p in first)  # stamped when sent
    loaded = mail.read_outbox(tmp / "a" / "outbox")
    report = mail.send(loaded, config, tmp / "log.jsonl")
    assert len(report.sent) == 2
    for _, _, raw in inbox.messages:
        msg = parsed(raw)
        assert msg["Date"] is not None
        manager = msg["To"].addresses[0].display_name
        [attachment] = msg.iter_attachments()
        assert attachment.get_payload(decode=True) == packs[manager].read_bytes()


# ---- credentials and TLS -------------------------------------------------------------------


def test_the_password_comes_only_from_the_environment(result, tmp):
    assert "password" not in Mail.model_fields  # there is no place to write one down
    plain = load_config(
        None, {"mail.user": "ar", "mail.from_address": SENDER, "mail.security": "none"}
    )
    with pytest.raises(ConfigError, match="unencrypted"):
        mail.send([], plain, tmp / "log.jsonl", environ={"AGING_SMTP_PASSWORD": "x"})
    tls = load_config(None, {"mail.user": "ar", "mail.from_address": SENDER})
    with pytest.raises(ConfigError, match="AGING_SMTP_PASSWORD"):
        mail.send([], tls, tmp / "log.jsonl", environ={})
    with pytest.raises(ConfigError):
        load_config(None, {"mail.password_env": "hunter2 is my password"})


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no authority signed."""
    crypto = pytest.importorskip("cryptography")
    del crypto
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path):
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        logins.append((auth_data.login, ok))
        return AuthResult(success=ok)

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, controller.port, cert, logins
    finally:
        controller.stop()


def test_starttls_refuses_an_untrusted_certificate(result, packs, master_addresses, tls_server,
                                                   tmp):  # fmt: skip
    inbox, port, _, logins = tls_server
    config = settings(port, security="starttls", user="ar")
    messages = mail.build_messages(result, packs, config, master_addresses)
    report = mail.send(
        messages, config, tmp / "log.jsonl", environ={"AGING_SMTP_PASSWORD": "s3cret"}
    )
    assert not report.sent and len(report.failed) == 2
    assert "certificate not trusted" in report.failed[0].detail
    assert inbox.messages == [] and logins == []  # the password never left


def test_starttls_with_a_trusted_certificate_logs_in_and_sends(
    result, packs, master_addresses, tls_server, tmp, monkeypatch
):
    inbox, port, cert, logins = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust it the way an admin would
    config = settings(port, security="starttls", user="ar")
    messages = mail.build_messages(result, packs, config, master_addresses)
    report = mail.send(
        messages, config, tmp / "log.jsonl", environ={"AGING_SMTP_PASSWORD": "s3cret"}
    )
    assert len(report.sent) == 2 and not report.failed
    assert logins == [(b"ar", True)]
    assert len(inbox.messages) == 2
