"""No password in any log line, even with zeep and urllib3 debug logging on."""

from __future__ import annotations

import logging
from typing import Callable

import pytest
from pydantic import SecretStr

from sync_pipeline.soap.errors import AuthenticationError
from sync_pipeline.wms import WmsClient
from sync_pipeline.redaction import REDACTED
from sync_pipeline.soap.redaction import redact
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.conftest import PASSWORD
from sync_pipeline_tests.wms.samples import article, order
from sync_pipeline_tests.wms.status_calls import order_statuses

LOGGERS = ("", "zeep", "zeep.transports", "zeep.xsd", "zeep.wsdl", "urllib3", "requests", "sync_pipeline")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_password_never_logged(make_client: Callable[..., WmsClient], wms_admin: Admin,
                               debug_logs: pytest.LogCaptureFixture) -> None:
    client = make_client()
    wms_admin.post("faults", {"seed": 3, "error_rate": 0.5})  # retries log warnings too
    client.process_article(article("SKU-1001"))
    client.process_order(order("80001", ("SKU-1001", 1)))
    list(client.inventory())
    list(client.orders())
    wrong = make_client(password=SecretStr("another-secret-pw"))
    with pytest.raises(AuthenticationError):
        order_statuses(wrong)

    text = debug_logs.text + "".join(str(record.args) for record in debug_logs.records)
    assert "HTTP Post to" in text, "zeep's envelope logging did not run: the test proved nothing"
    assert f"Password>{REDACTED}</" in text
    assert "retrying" in text
    assert PASSWORD not in text
    assert "another-secret-pw" not in text


def test_redaction_covers_prefixes_attributes_and_escaped_text() -> None:
    envelope = ('<soap-env:Body><ns0:Password>p&amp;ss</ns0:Password>'
                '<Password xmlns="http://ongoingsystems.se/WSI">plain</Password></soap-env:Body>')
    redacted = redact(envelope)
    assert "p&amp;ss" not in redacted and "plain" not in redacted
    assert redacted.count(REDACTED) == 2
