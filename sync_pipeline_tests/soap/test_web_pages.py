"""A web page where a SOAP reply should be: retried when it is an HTTP error page, refused clearly otherwise."""

from __future__ import annotations

import pytest

from sync_pipeline.soap.errors import RetryableError, TerminalError, classify
from sync_pipeline.soap.transport import NotSoapReply, refuse_web_page

PAGE = b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>busy</body></html>"
ENVELOPE = (b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            b"<soap:Body/></soap:Envelope>")


@pytest.mark.parametrize("content_type, body", [
    ("text/html; charset=utf-8", ENVELOPE),  # the header alone tells
    ("text/xml", PAGE),
    ("text/xml", b"\xef\xbb\xbf  <?xml version='1.0'?>\n<HTML lang='no'><body/></HTML>"),
    ("application/octet-stream", b"\n\n<html>\n<body>maintenance</body></html>"),
])
def test_web_pages_are_recognised(content_type: str, body: bytes) -> None:
    with pytest.raises(NotSoapReply):
        refuse_web_page(200, {"Content-Type": content_type}, body)


@pytest.mark.parametrize("body", [ENVELOPE, b"<soap:Envelope", b"", b"<htmlish/>", b"<!-- <html> -->"])
def test_soap_replies_and_broken_xml_are_left_to_the_soap_layer(body: bytes) -> None:
    refuse_web_page(500, {"Content-Type": "text/xml; charset=utf-8"}, body)


@pytest.mark.parametrize("status, expected", [(503, RetryableError), (502, RetryableError), (429, RetryableError),
                                              (404, TerminalError), (200, TerminalError)])
def test_web_pages_are_sorted_by_their_status(status: int, expected: type) -> None:
    with pytest.raises(NotSoapReply) as raised:
        refuse_web_page(status, {"Content-Type": "text/html"}, PAGE)
    error = classify(raised.value, "GetProducts")
    assert type(error) is expected
    assert f"HTTP {status}" in str(error)
    if status == 200:
        assert "HTML page" in str(error) and "not a SOAP reply" in str(error)
