"""Alerts name what failed and link to the run: failed asset checks to the webhook and e-mail, run
failures to a real local SMTP server (STARTTLS, login) and to Slack's API (dagster-slack, through a
local HTTPS proxy), all from the same two alert sensors; Slack and e-mail are channels of those
sensors, not sensors of their own."""

from __future__ import annotations

import email
import json
import socket
import ssl
import subprocess
import threading
from email import policy
from pathlib import Path
from typing import Iterator

import dagster as dg
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sync_pipeline.settings import SettingsError, load_settings
from sync_pipeline_tests.dagster.conftest import Sensors, Stack, Webhook
from sync_pipeline_tests.dagster.test_failure_alerts import WRONG_PASSWORD

UI = "https://dagster.example.com/ops"
SENDER, RECIPIENT = "alerts@example.com", "ops@example.com"
SMTP_PASSWORD = "smtp-SECRET-2718"
SLACK_TOKEN = "xoxb-SECRET-31415"


def self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    cert, key = folder / f"{host}.pem", folder / f"{host}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class SlackApi:
    """Slack's Web API where the Slack SDK reaches it through HTTPS_PROXY: a local proxy that accepts the
    CONNECT to slack.com, answers the TLS with its own certificate (trusted through SSL_CERT_FILE) and
    records each API call, answering {"ok": true} as Slack does."""

    def __init__(self, folder: Path):
        self.cert, key = self_signed(folder, "slack.com")
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._tls.load_cert_chain(self.cert, key)
        self.calls: list[dict] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.proxy = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed by stop()
                return
            with connection:
                tunnel = connection.makefile("rb")
                request_line = tunnel.readline().decode()
                while tunnel.readline() not in (b"\r\n", b""):
                    pass
                connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                with self._tls.wrap_socket(connection, server_side=True) as secure:
                    self._answer(request_line, secure)

    def _answer(self, tunnel_line: str, secure: ssl.SSLSocket) -> None:
        stream = secure.makefile("rb")
        method, path, _ = stream.readline().decode().split(" ", 2)
        headers = {}
        while (line := stream.readline().decode().strip()):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = stream.read(int(headers.get("content-length", "0")))
        self.calls.append({"tunnel": tunnel_line.strip(), "method": method, "path": path,
                           "authorization": headers.get("authorization"), "json": json.loads(body)})
        reply = b'{"ok": true}'
        secure.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                       + f"Content-Length: {len(reply)}\r\n\r\n".encode() + reply)

    def stop(self) -> None:
        self._listener.close()


class Mailbox:
    """A local SMTP server that wants STARTTLS and a login, as a real submission port does."""

    def __init__(self, folder: Path):
        cert, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key),
                        "-out", str(cert)], check=True, capture_output=True)
        self.cert = cert
        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[str] = []
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, tls_context=tls,
                                      require_starttls=True, authenticator=self._authenticate, auth_require_tls=True)
        self._controller.start()

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == SMTP_PASSWORD.encode()
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def mailbox(stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    box = Mailbox(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(box.cert))  # trust the local server's certificate
    for name, value in {"SYNC_ALERT_EMAIL_FROM": SENDER, "SYNC_ALERT_EMAIL_TO": RECIPIENT,
                        "SYNC_ALERT_EMAIL_SMTP_HOST": "localhost", "SYNC_ALERT_EMAIL_SMTP_PORT": str(box.port),
                        "SYNC_ALERT_EMAIL_SMTP_TYPE": "STARTTLS", "SYNC_ALERT_EMAIL_SMTP_PASSWORD": SMTP_PASSWORD,
                        "SYNC_UI_BASE_URL": UI + "/"}.items():
        monkeypatch.setenv(name, value)
    yield box
    box.stop()


def body(message) -> str:
    return message.get_body(preferencelist=("plain", "html")).get_content()


def test_a_failed_check_is_alerted_with_its_records_and_a_link_to_the_run(
        stack: Stack, webhook: Webhook, mailbox: Mailbox, instance: dg.DagsterInstance) -> None:
    stack.erp_admin.post("products", [{"Id": 99, "No": "SKU-LONG", "Name": "x" * 120}])
    sensors = Sensors(instance, "alert_on_check_failure")
    result = sensors.run("sync_all")
    assert result.success, "a failed record of a delta run fails the check, not the run"
    sensors.tick()

    (posted,) = webhook.received
    alert = posted["json"]
    assert (alert["kind"], alert["title"], alert["run_id"], alert["failed"]) == (
        "checks failed", "Sync check failed: sync_all", result.run_id, 1)
    link = f"{UI}/runs/{result.run_id}"
    assert alert["link"] == link
    assert alert["text"].startswith("The job sync_all went through, but 1 check(s) failed. wms_articles: 1 record(s) "
                                    "failed; first: record SKU-LONG, field ")
    assert alert["text"].endswith(f"(check no_failed_records, warn). Run {result.run_id}: {link}")
    (mail,) = mailbox.messages
    assert mail["Subject"] == "Sync check failed: sync_all" and mail["To"] == RECIPIENT
    assert alert["text"] in body(mail)
    assert mailbox.logins == [SENDER]

    sensors.tick()
    assert len(webhook.received) == 1 and len(mailbox.messages) == 1, "one alert per failed check"


def test_a_failed_run_is_mailed_by_the_run_failure_sensor_with_a_link(
        stack: Stack, mailbox: Mailbox, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SO24_PASSWORD", WRONG_PASSWORD)
    sensors = Sensors(instance, "alert_on_run_failure")
    result = sensors.run("sync_all")
    assert not result.success
    sensors.tick()

    (mail,) = mailbox.messages
    assert mail["Subject"] == "Sync run failed: sync_all"
    assert body(mail).strip() == ("The job sync_all failed. wms_articles stopped: 24SevenOffice refused the login "
                                  f"for demo@example.com. Run {result.run_id}: {UI}/runs/{result.run_id}")
    for secret in (WRONG_PASSWORD, SMTP_PASSWORD):
        assert secret not in mail.as_string()


def test_a_failed_run_is_posted_to_slack_through_dagster_slack(stack: Stack, webhook: Webhook,
                                                              instance: dg.DagsterInstance, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    slack = SlackApi(tmp_path)
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"HTTPS_PROXY": slack.proxy, "SSL_CERT_FILE": str(slack.cert), "SYNC_SLACK_TOKEN": SLACK_TOKEN,
                        "SYNC_SLACK_CHANNEL": "#warehouse-ops", "SO24_PASSWORD": WRONG_PASSWORD}.items():
        monkeypatch.setenv(name, value)
    try:
        sensors = Sensors(instance, "alert_on_run_failure")
        assert not sensors.run("sync_all").success
        sensors.tick()
    finally:
        slack.stop()
    (posted,) = webhook.received
    (call,) = slack.calls
    assert call["tunnel"].startswith("CONNECT slack.com:443 ")
    assert (call["method"], call["path"]) == ("POST", "/api/chat.postMessage")
    assert call["authorization"] == f"Bearer {SLACK_TOKEN}"
    assert call["json"] == {"channel": "#warehouse-ops", "text": posted["json"]["text"]}, "the same alert"
    assert SLACK_TOKEN not in posted["json"]["text"] and WRONG_PASSWORD not in call["json"]["text"]


def test_slack_and_email_are_channels_of_the_same_two_sensors(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync_pipeline.definitions import build_definitions

    def alert_sensor_names() -> set[str]:
        return {sensor.name for sensor in build_definitions().sensors if sensor.name.startswith("alert")}

    assert alert_sensor_names() == {"alert_on_run_failure", "alert_on_check_failure"}
    monkeypatch.setenv("SYNC_SLACK_TOKEN", SLACK_TOKEN)
    monkeypatch.setenv("SYNC_SLACK_CHANNEL", "#warehouse-ops")
    assert alert_sensor_names() == {"alert_on_run_failure", "alert_on_check_failure"}
    assert SLACK_TOKEN not in repr(load_settings())

    monkeypatch.delenv("SYNC_SLACK_CHANNEL")
    with pytest.raises(SettingsError, match="Slack alerts need SYNC_SLACK_CHANNEL as well"):
        load_settings()
    monkeypatch.setenv("SYNC_ALERT_EMAIL_TO", RECIPIENT)
    monkeypatch.delenv("SYNC_SLACK_TOKEN")
    with pytest.raises(SettingsError, match="e-mail alerts need SYNC_ALERT_EMAIL_FROM, SYNC_ALERT_EMAIL_SMTP_HOST"):
        load_settings()
