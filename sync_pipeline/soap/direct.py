"""Posting rendered SOAP messages to one address, back to back, without requests' per-call work.

Per call, requests reads the proxy settings from the environment again, merges cookies and hooks
and builds a Response: most of a millisecond that a chain of posts to one address does not need,
and that counts once a service takes one write at a time. DirectPost settles all of that once,
from the transport's own session (its proxies, TLS verification and client certificate, and the
environment it trusts), and then sends each message through that session's connection pool.
Replies are bounded and repaired as every other reply (transport.py), and failures raise the same
requests exceptions, so classify() sorts them the same way.

Where the address is reached without a proxy, a write goes leaner still (`prepare`, `send`): the whole
request (head and body) is built beforehand, in the caller's thread, and sent with one sendall on a
connection the adapter's own pool made (its TLS settings, socket options and connect timeout). urllib3's
per-request work (headers added and checked one by one, the response wrapped, retries and timeouts
settled again) is about half a millisecond a write here, paid between one reply and the next request.
The reply is parsed by llhttp (httptools, Node's HTTP parser, in C): http.client's reader, whose head
goes through the email package, took 0.2 ms more a write (bare posts at 20 ms: 20.62 → 20.40 ms).
Through a proxy, `send` posts through the pool as `post` does.

Cookies are not sent: Ongoing, the service this is for, does not use them.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httptools
import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection
from urllib3.exceptions import DecodeError, HTTPError, MaxRetryError, NewConnectionError, ProtocolError, SSLError
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
        self._direct = select_proxy(address, settings["proxies"]) is None
        self._connection: HTTPConnection | None = None  # the lean path's, taken from the pool once
        # Small replies: asked for as they are, so that nothing needs decoding between two writes.
        self._head = (f"POST {self._url} HTTP/1.1\r\nHost: {_host(address)}\r\n"
                      + _header_lines({**self._headers, "Accept-Encoding": "identity"}))

    def prepare(self, body: bytes, headers: dict[str, str]) -> Prepared:
        """The whole request for `send`, built once (by the caller's thread, while the poster waits on the wire)."""
        head = f"{self._head}{_header_lines(headers)}Content-Length: {len(body)}\r\n\r\n"
        return Prepared(head.encode("latin-1") + body, body, headers)

    def send(self, prepared: Prepared, on_sent: Callable[[], None] | None = None) -> Reply:
        """Post a prepared request; `on_sent` is called once it is handed to the socket."""
        if not self._direct:
            return self.post(prepared.body, prepared.headers, on_sent)
        log_post(self._transport.logger, self.address, prepared.body)
        connection = self._connected()
        try:
            sock = connection.sock
            if sock is None:
                raise requests.ConnectionError("not connected")
            sock.sendall(prepared.request)
            if on_sent is not None:
                on_sent()
            reply, keep_alive = _read_reply(sock, self._transport.max_reply_bytes)
        except BaseException as exc:
            self.close()  # what is left of the reply is never read: the next write gets a new connection
            if isinstance(exc, (HTTPError, OSError, http.client.HTTPException)):
                raise _as_requests_error(exc) from exc
            raise
        if not keep_alive:
            self.close()
        log_reply(self._transport.logger, self.address, reply)
        refuse_web_page(reply.status_code, reply.headers, reply.content)
        return reply

    def close(self) -> None:
        """Close the lean path's connection (the pool's own connections are the pool's)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connected(self) -> HTTPConnection:
        """The lean path's connection, opened anew when there is none or the server has closed it."""
        if self._connection is not None and not self._connection.is_connected:
            self.close()
        if self._connection is None:
            connection = self._pool._get_conn()
            if not isinstance(connection, HTTPConnection):
                raise TypeError(f"DirectPost needs urllib3's HTTPConnection, the pool gave {type(connection).__name__}")
            connection.timeout = self._transport.operation_timeout  # connect, and each read and send after
            try:
                if not connection.is_connected:
                    connection.connect()
                if connection.sock is not None:
                    connection.sock.settimeout(self._transport.operation_timeout)
            except BaseException as exc:
                connection.close()
                if isinstance(exc, (HTTPError, OSError)):
                    raise _as_requests_error(exc) from exc
                raise
            self._connection = connection
        return self._connection

    def post(self, body: bytes, headers: dict[str, str], on_sent: Callable[[], None] | None = None) -> Reply:
        """Post one message; `on_sent` is called once the whole request is handed to the socket."""
        logger = self._transport.logger
        log_post(logger, self.address, body)
        try:
            response = self._pool.urlopen(
                "POST", self._url, body=body if on_sent is None else _signalling(body, on_sent),
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


@dataclass(frozen=True)
class Prepared:
    """A request built for DirectPost.send: its bytes on the wire, and its body and headers (logged; posted
    as they are through a proxy)."""

    request: bytes
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class _ReplyParts:
    """httptools' callbacks for one reply: its status, head and body as llhttp parses them."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.status = 0
        self.headers: list[tuple[str, str]] = []
        self.body: list[bytes] = []
        self.head_read = self.complete = self.keep_alive = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        if self.status >= 200:  # an interim reply (100 Continue) is passed over, as http.client does
            self.head_read = True
        else:
            self.headers.clear()

    def on_body(self, data: bytes) -> None:
        self.body.append(data)

    def on_message_complete(self) -> None:
        if self.head_read:
            self.complete = True
            self.keep_alive = self.parser.should_keep_alive()  # asked now: it is reset for the next message

    def received(self, sock: socket.socket) -> bool:
        """Feed what the socket has next to the parser; False when the server closed the connection."""
        data = sock.recv(CHUNK)
        if data:
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError as exc:
                raise http.client.HTTPException(f"an unreadable HTTP reply: {exc}") from exc
        return bool(data)

    def body_chunks(self, sock: socket.socket) -> Iterator[bytes]:
        """The body, parts already parsed first, until the reply is complete."""
        while True:
            yield from self.body
            self.body.clear()
            if self.complete:
                return
            if not self.received(sock):
                if self._ends_with_connection():
                    return
                raise http.client.IncompleteRead(b"")

    def _ends_with_connection(self) -> bool:
        names = {name.lower() for name, _ in self.headers}
        return "content-length" not in names and "transfer-encoding" not in names


def _read_reply(sock: socket.socket, limit: int) -> tuple[Reply, bool]:
    """One HTTP reply read from `sock` by llhttp (httptools), and whether the connection stays open.

    http.client's reader parses the head with the email package: 0.2 ms more a reply here, paid
    between one write's reply and the next write. The body is bounded as every other reply's.
    """
    parts = _ReplyParts()
    while not parts.head_read:
        if not parts.received(sock):
            raise http.client.RemoteDisconnected("the service closed the connection without a reply")
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(parts.headers)
    encoding = headers.get("Content-Encoding", "identity").strip().lower()
    if encoding != "identity":
        raise requests.exceptions.ContentDecodingError(f"a {encoding} reply, asked for identity")
    content = read_bounded(headers, parts.body_chunks(sock), limit)
    return Reply(parts.status, headers, content), parts.keep_alive and parts.complete


def _host(address: str) -> str:
    """The Host header for `address`: its host and port, without any user name or password."""
    parts = urlsplit(address)
    return parts.netloc.rpartition("@")[2]


def _header_lines(headers: Mapping[str, str]) -> str:
    """Header lines as sent; a name or value with a line break is refused, as http.client refuses it."""
    for name, value in headers.items():
        if any(c in name or c in value for c in "\r\n"):
            raise ValueError(f"the header {name!r} has a line break")
    return "".join(f"{name}: {value}\r\n" for name, value in headers.items())


def _signalling(body: bytes, on_sent: Callable[[], None]) -> Iterator[bytes]:
    """The body as one chunk; calling `on_sent` once the connection has sent it (the length is in the headers)."""
    yield body
    on_sent()


def _as_requests_error(exc: HTTPError | OSError | http.client.HTTPException) -> requests.RequestException:
    """urllib3's or http.client's failure as the requests exception a session would raise, so classify() sorts it alike."""
    cause: Exception = exc.reason if isinstance(exc, MaxRetryError) and exc.reason is not None else exc
    if isinstance(cause, requests.RequestException):
        return cause
    if isinstance(cause, NewConnectionError):  # a subclass of urllib3's timeout, but refused, as requests says
        return requests.ConnectionError(cause)
    if isinstance(cause, (Urllib3Timeout, TimeoutError)):
        return requests.Timeout(cause)
    if isinstance(cause, DecodeError):
        return requests.exceptions.ContentDecodingError(cause)
    if isinstance(cause, (SSLError, ssl.SSLError)):
        return requests.exceptions.SSLError(cause)
    if isinstance(cause, (ProtocolError, http.client.IncompleteRead)):
        return requests.exceptions.ChunkedEncodingError(cause)
    return requests.ConnectionError(cause)
