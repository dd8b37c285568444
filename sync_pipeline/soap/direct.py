"""Posting rendered SOAP messages to one address, back to back, without requests' per-call work.

Per call, requests reads the proxy settings from the environment again, merges cookies and hooks
and builds a Response: most of a millisecond that a chain of posts to one address does not need,
and that counts once a service takes one write at a time. DirectPost settles all of that once,
from the transport's own session (its proxies, TLS verification and client certificate, and the
environment it trusts), and then sends each message through that session's connection pool.
Replies are bounded and repaired as every other reply (transport.py), and failures raise the same
requests exceptions, so classify() sorts them the same way.

Cookies are not sent: Ongoing, the service this is for, does not use them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import requests
from urllib3.exceptions import DecodeError, HTTPError, MaxRetryError, ProtocolError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util import Timeout

from sync_pipeline.soap.transport import CHUNK, GuardedTransport, log_post, log_reply, read_bounded, refuse_web_page


@dataclass
class Reply:
    """What zeep's process_reply reads of a requests.Response."""

    status_code: int
    headers: Mapping[str, str]  # case-insensitive, as urllib3 gives them
    content: bytes
    encoding: str | None = None


class DirectPost:
    """One address of one transport; safe to use from one thread at a time."""

    def __init__(self, transport: GuardedTransport, address: str):
        session = transport.session
        adapter = session.get_adapter(address)
        if not isinstance(adapter, requests.adapters.HTTPAdapter):
            raise TypeError(f"DirectPost needs requests' HTTPAdapter, the session has {type(adapter).__name__}")
        settings = session.merge_environment_settings(address, {}, None, None, None)
        request = session.prepare_request(requests.Request("POST", address))
        # The adapter's own pool and URL rules (requests is pinned; these are the calls its send() makes).
        self._pool = adapter.get_connection_with_tls_context(request, settings["verify"], settings["proxies"],
                                                             settings["cert"])
        self._url = adapter.request_url(request, settings["proxies"])
        # The session's headers (User-Agent, …); each message brings its own length and SOAPAction.
        self._headers = {name: value if isinstance(value, str) else value.decode("latin-1")  # as http.client sends it
                         for name, value in request.headers.items() if name.lower() not in ("cookie", "content-length")}
        self._retries = adapter.max_retries
        self._timeout = Timeout(connect=transport.operation_timeout, read=transport.operation_timeout)
        self._transport, self.address = transport, address

    def post(self, body: bytes, headers: dict[str, str], sent: threading.Event | None = None) -> Reply:
        """Post one message; `sent` is set once the whole request is handed to the socket."""
        logger = self._transport.logger
        log_post(logger, self.address, body)
        try:
            response = self._pool.urlopen(
                "POST", self._url, body=body if sent is None else _signalling(body, sent),
                headers={**self._headers, **headers, "Content-Length": str(len(body))}, redirect=False,
                assert_same_host=False, preload_content=False, decode_content=False, retries=self._retries,
                timeout=self._timeout,
            )
        except (HTTPError, OSError) as exc:
            raise _as_requests_error(exc) from exc
        try:
            content = read_bounded(response.headers, response.stream(CHUNK, decode_content=True),
                                   self._transport.max_reply_bytes)
        except BaseException as exc:
            response.close()  # what is left of the reply is never read; the pool opens a new connection
            if isinstance(exc, (HTTPError, OSError)):
                raise _as_requests_error(exc) from exc
            raise
        finally:
            response.release_conn()
        reply = Reply(response.status, response.headers, content)
        log_reply(logger, self.address, reply)
        refuse_web_page(reply.status_code, reply.headers, content)
        return reply


def _signalling(body: bytes, sent: threading.Event) -> Iterator[bytes]:
    """The body as one chunk; setting `sent` once the connection has sent it (the length is in the headers)."""
    yield body
    sent.set()


def _as_requests_error(exc: HTTPError | OSError) -> requests.RequestException:
    """urllib3's failure as the requests exception a session would raise, so classify() sorts it alike."""
    cause: Exception = exc.reason if isinstance(exc, MaxRetryError) and exc.reason is not None else exc
    if isinstance(cause, Urllib3Timeout):
        return requests.Timeout(cause)
    if isinstance(cause, DecodeError):
        return requests.exceptions.ContentDecodingError(cause)
    if isinstance(cause, SSLError):
        return requests.exceptions.SSLError(cause)
    if isinstance(cause, ProtocolError):
        return requests.exceptions.ChunkedEncodingError(cause)
    return requests.ConnectionError(cause)
