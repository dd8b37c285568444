"""The HTTP side of both clients: a bounded reply size, readable .NET character references, a SOAP Body.

- Size: a reply is read in chunks and refused once it passes `max_reply_bytes` (counted after
  gzip/deflate decoding, so a compressed "bomb" is stopped too); a declared Content-Length above
  the limit is refused before anything is read. Without a bound a misbehaving or hostile server
  could make the process hold an endless reply in memory.
- Character references: ASP.NET web services (both vendors' services are .NET) write characters
  XML 1.0 forbids (NUL, ESC, vertical tab, …) as numeric references such as `&#x1B;` instead of
  refusing them, and every strict parser then refuses the whole reply: one product name with a
  stray control character would stop the whole catalogue. Such references are read as U+FFFD
  (the replacement character) instead; the mapping removes it from free text and refuses it in
  identifiers, so only the record concerned is affected.
- Body: a SOAP envelope without a Body (or with an empty one) is refused as a reply that does not
  match the service description (zeep itself would fail on it with a TypeError).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

import requests
import zeep
from lxml import etree
from zeep.exceptions import TransportError, XMLParseError
from zeep.transports import Transport
from zeep.utils import get_media_type

MB = 1024 * 1024
DEFAULT_MAX_REPLY_MB = 256  # about 800,000 products in one GetProducts reply (SYNC_MAX_REPLY_MB)
DEFAULT_MAX_REPLY_BYTES = DEFAULT_MAX_REPLY_MB * MB
CHUNK = 256 * 1024
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]{1,8})|([0-9]{1,10}));")
_REPLACEMENT = b"&#xFFFD;"
_SOAP_ENVELOPES = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")


class ReplyTooLarge(Exception):
    """The reply passed the configured size limit and was not read further."""


class NotSoapReply(TransportError):
    """The service answered with a web page (a proxy's or load balancer's), not a SOAP message."""

    def __init__(self, message: str, status_code: int) -> None:
        TransportError.__init__(self, message, status_code=status_code)  # not super(): see GuardedTransport


_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def refuse_web_page(status_code: int, headers: Mapping[str, str], content: bytes) -> None:
    """Raise NotSoapReply for an HTML page, before any XML parser sees it.

    Parsed as XML, an error page's DOCTYPE reads as a forbidden DTD and its markup as an unknown
    fault, and neither tells that an HTTP 503 page is worth trying again.
    """
    if get_media_type(headers.get("Content-Type", "text/xml")) == "text/html" or _HTML_START.match(content):
        raise NotSoapReply(f"HTTP {status_code}: an HTML page, not a SOAP reply", status_code=status_code)


def is_xml_character(code_point: int) -> bool:
    """Whether XML 1.0 allows this character (its production `Char`)."""
    return (code_point in (0x9, 0xA, 0xD) or 0x20 <= code_point <= 0xD7FF or 0xE000 <= code_point <= 0xFFFD
            or 0x10000 <= code_point <= 0x10FFFF)


def readable_references(body: bytes) -> bytes:
    """`body` with numeric character references to characters XML 1.0 forbids replaced by U+FFFD."""
    if b"&#" not in body:
        return body

    def replace(match: re.Match[bytes]) -> bytes:
        code_point = int(match[1], 16) if match[1] is not None else int(match[2])
        return match[0] if is_xml_character(code_point) else _REPLACEMENT

    return _CHARACTER_REFERENCE.sub(replace, body)


class GuardedTransport(Transport):
    """zeep's Transport with the reply size bound and the character-reference repair described above."""

    def __init__(self, *, max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES, **kwargs: Any) -> None:
        if max_reply_bytes < 1:
            raise ValueError("max_reply_bytes must be positive")
        Transport.__init__(self, **kwargs)  # not super(): mypy exempts zeep's untyped calls by name only
        self.max_reply_bytes = max_reply_bytes

    def post(self, address: str, message: bytes | str, headers: dict[str, str]) -> requests.Response:
        log_post(self.logger, address, message)
        response = self.session.post(address, data=message, headers=headers, timeout=self.operation_timeout,
                                     stream=True)
        try:
            response._content = read_bounded(response.headers, response.iter_content(CHUNK), self.max_reply_bytes)
        except ReplyTooLarge:
            response.close()  # stop reading: the rest of the reply is never downloaded
            raise
        log_reply(self.logger, address, response)
        refuse_web_page(response.status_code, response.headers, response._content)
        return response


def read_bounded(headers: Mapping[str, str], chunks: Iterable[bytes], limit: int) -> bytes:
    """The (decoded) reply body from `chunks`, with character references repaired; ReplyTooLarge past `limit`."""
    declared = headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit and not headers.get("Content-Encoding"):
        raise ReplyTooLarge(f"the reply declares {int(declared)} bytes, more than the limit of {limit} bytes")
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(f"the reply is larger than the limit of {limit} bytes")
        parts.append(chunk)
    return readable_references(b"".join(parts))


def log_post(logger: logging.Logger, address: str, message: bytes | str) -> None:
    """The request at DEBUG, as zeep logs it (the redaction filter on the logger masks the secrets)."""
    if logger.isEnabledFor(logging.DEBUG):
        shown = message.decode("utf-8") if isinstance(message, bytes) else message
        logger.debug("HTTP Post to %s:\n%s", address, shown)


def log_reply(logger: logging.Logger, address: str, response: Any) -> None:
    """The reply at DEBUG, as zeep logs it (the redaction filter on the logger masks the secrets)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    shown = response.content
    if get_media_type(response.headers.get("Content-Type", "text/xml")) != "multipart/related":
        shown = shown.decode(response.encoding or "utf-8", errors="replace")
    logger.debug("HTTP Response from %s (status: %d):\n%s", address, response.status_code, shown)


class SoapBodyCheck(zeep.Plugin):
    """Refuses a reply envelope without a SOAP Body element that has content."""

    def ingress(self, envelope: etree._Element, http_headers: dict[str, str],
                operation: object) -> tuple[etree._Element, dict[str, str]]:
        if etree.QName(envelope).namespace not in _SOAP_ENVELOPES:
            return envelope, http_headers  # not an envelope at all: zeep refuses it itself
        body = next((child for child in envelope if isinstance(child.tag, str)
                     and etree.QName(child).localname == "Body"
                     and etree.QName(child).namespace in _SOAP_ENVELOPES), None)
        if body is None or not any(isinstance(child.tag, str) for child in body):
            raise XMLParseError("the reply has no SOAP Body, or an empty one")
        return envelope, http_headers
