"""DirectPost's lean path (prepare, send) over real HTTP.

A small HTTP/1.1 server stands in for a service whose behaviour the sandboxes do not show: it closes
a kept-alive connection, answers through a proxy, or encodes its reply. What a user relies on: the
request arrives whole, writes share one connection, a connection the server closed is opened again
instead of failing a write, a proxy still gets the request as a proxy expects it, and a reply the
lean path cannot read fails as a retryable error (the write is then repeated the ordinary way).
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest
import requests

from sync_pipeline.soap.direct import DirectPost
from sync_pipeline.soap.errors import classify
from sync_pipeline.soap.transport import GuardedTransport, ReplyTooLarge

PATH = "/warehouse/service.asmx"
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"http://ongoingsystems.se/WSI/ProcessOrder"'}
REPLY = b"<?xml version='1.0'?><ok/>"


class Service:
    """Answers each POST with REPLY over HTTP/1.1 keep-alive; records (request line, client port, headers, body)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[str, int, dict[str, str], bytes]] = []
        self.close_after_reply = False  # as a server whose keep-alive ended
        self.content_encoding: str | None = None
        self.closed = threading.Event()  # set each time the server has closed a connection
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.requests.append((self.requestline, self.client_address[1], dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                if service.content_encoding:
                    self.send_header("Content-Encoding", service.content_encoding)
                self.send_header("Content-Length", str(len(REPLY)))
                self.end_headers()
                self.wfile.write(REPLY)
                self.close_connection = service.close_after_reply

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def shutdown_request(self, request: Any) -> None:
                super().shutdown_request(request)
                service.closed.set()

        self.server = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.root = f"{'https' if tls else 'http'}://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service() -> Iterator[Service]:
    running = Service()
    yield running
    running.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by openssl."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def sender(address: str, proxies: dict[str, str] | None = None, verify: str | bool = True) -> DirectPost:
    session = requests.Session()
    session.trust_env = False  # this machine's proxy settings play no part; a test sets its own
    session.proxies.update(proxies or {})
    session.verify = verify
    return DirectPost(GuardedTransport(session=session, timeout=5, operation_timeout=5), address)


def test_prepared_writes_arrive_whole_over_one_connection(service: Service) -> None:
    post = sender(service.root + PATH)
    bodies = [f"<order n='{n}'>Ærlig «{n}»</order>".encode() for n in range(3)]
    replies = [post.send(post.prepare(body, HEADERS)) for body in bodies]
    post.close()

    assert [(reply.status_code, reply.content) for reply in replies] == [(200, REPLY)] * 3
    assert replies[0].headers["content-type"] == "text/xml; charset=utf-8"
    assert [line for line, _, _, _ in service.requests] == [f"POST {PATH} HTTP/1.1"] * 3
    assert [body for _, _, _, body in service.requests] == bodies
    assert all(headers["SOAPAction"] == HEADERS["SOAPAction"] for _, _, headers, _ in service.requests)
    assert len({port for _, port, _, _ in service.requests}) == 1, "each write opened a connection of its own"


def test_a_connection_the_server_closed_is_opened_again(service: Service) -> None:
    post = sender(service.root + PATH)
    service.close_after_reply = True
    first = post.send(post.prepare(b"<first/>", HEADERS))
    assert service.closed.wait(5)
    service.close_after_reply = False
    second = post.send(post.prepare(b"<second/>", HEADERS))  # not a failed write: a new connection
    post.close()

    assert (first.content, second.content) == (REPLY, REPLY)
    (_, port_1, _, _), (_, port_2, _, _) = service.requests
    assert port_1 != port_2


def test_through_a_proxy_the_request_goes_as_a_proxy_expects_it(service: Service) -> None:
    # The service plays the proxy: a request for another host, in absolute form, comes to it.
    post = sender("http://wms.example.invalid" + PATH, proxies={"http": service.root})
    reply = post.send(post.prepare(b"<via-proxy/>", HEADERS))
    post.close()

    assert reply.content == REPLY
    ((line, _, headers, body),) = service.requests
    assert line == f"POST http://wms.example.invalid{PATH} HTTP/1.1"
    assert headers["Host"] == "wms.example.invalid" and body == b"<via-proxy/>"


def test_an_encoded_reply_is_a_retryable_failure_and_the_next_write_works(service: Service) -> None:
    post = sender(service.root + PATH)
    service.content_encoding = "gzip"  # though the request asked for the reply as it is
    with pytest.raises(requests.RequestException) as failed:
        post.send(post.prepare(b"<encoded/>", HEADERS))
    assert classify(failed.value, "ProcessOrder").retryable
    assert service.requests[0][2]["Accept-Encoding"] == "identity"

    service.content_encoding = None
    assert post.send(post.prepare(b"<plain/>", HEADERS)).content == REPLY
    post.close()


def test_a_service_that_is_not_there_is_a_retryable_failure() -> None:
    with socket.socket() as held:  # a port nothing listens on
        held.bind(("127.0.0.1", 0))
        address = f"http://127.0.0.1:{held.getsockname()[1]}{PATH}"
    post = sender(address)
    with pytest.raises(requests.ConnectionError) as failed:
        post.send(post.prepare(b"<nobody/>", HEADERS))
    assert classify(failed.value, "ProcessOrder").retryable


def test_a_header_with_a_line_break_is_refused(service: Service) -> None:
    post = sender(service.root + PATH)
    with pytest.raises(ValueError, match="line break"):
        post.prepare(b"<x/>", {**HEADERS, "SOAPAction": '"a"\r\nX-Injected: 1'})
    assert service.requests == []


def test_over_tls_the_certificate_is_checked_as_the_session_says(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    service = Service(tls=context)
    try:
        trusting = sender(service.root + PATH, verify=str(cert))
        replies = [trusting.send(trusting.prepare(f"<tls n='{n}'/>".encode(), HEADERS)) for n in range(2)]
        trusting.close()
        assert [reply.content for reply in replies] == [REPLY, REPLY]
        assert len({port for _, port, _, _ in service.requests}) == 1

        doubting = sender(service.root + PATH)  # the system's authorities: a self-signed certificate is refused
        with pytest.raises(requests.exceptions.SSLError):
            doubting.send(doubting.prepare(b"<refused/>", HEADERS))
        assert len(service.requests) == 2, "a request went out over a connection whose certificate was refused"
    finally:
        service.stop()


class RawService:
    """Answers each request with the next canned reply as raw bytes (sent in the pieces given), then closes
    the connection if the reply says so: replies the standard library's server never writes."""

    def __init__(self) -> None:
        self.replies: list[tuple[list[bytes], bool]] = []
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.root = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as incoming:
            while self.replies:
                head = b""
                for header in iter(incoming.readline, b""):  # until the blank line, or the client closing
                    if header == b"\r\n":
                        break
                    head += header
                else:
                    return
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                incoming.read(length)
                pieces, close = self.replies.pop(0)
                for piece in pieces:
                    connection.sendall(piece)
                if close:
                    return

    def stop(self) -> None:
        self.listener.close()


@pytest.fixture
def raw_service() -> Iterator[RawService]:
    running = RawService()
    yield running
    running.stop()


def test_replies_in_every_framing_http_allows_are_read_whole(raw_service: RawService) -> None:
    chunked = [b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n",
               b"5\r\n<?xml\r\n", b"6\r\n versi\r\n", b"D\r\non='1.0'?><ok\r\n2\r\n/>\r\n0\r\n\r\n"]
    interim = [b"HTTP/1.1 100 Continue\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\n" + REPLY]
    until_closed = [b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n", REPLY[:10], REPLY[10:]]
    raw_service.replies = [(chunked, False), (interim, False), (until_closed, True), (interim, False)]
    post = sender(raw_service.root + PATH)
    replies = [post.send(post.prepare(f"<n{n}/>".encode(), HEADERS)) for n in range(4)]
    post.close()

    assert [(reply.status_code, reply.content) for reply in replies] == [(200, REPLY)] * 4
    assert replies[0].headers["transfer-encoding"] == "chunked"
    assert raw_service.connections == 2, "the reply ended by closing the connection was not followed by a new one"


@pytest.mark.parametrize("pieces", [
    [b"<html>not HTTP at all</html>\r\n\r\n"],
    [b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<?xml version='1.0'?>"],  # closed before the body's end
    [b"HTTP/1.1 200 OK\r\nContent-Len"],  # closed within the head
    [],  # closed without a reply
], ids=["not HTTP", "body cut short", "head cut short", "no reply"])
def test_a_reply_that_is_not_whole_http_is_a_retryable_failure_and_the_next_write_works(
        raw_service: RawService, pieces: list[bytes]) -> None:
    whole = [b"HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\n" + REPLY]
    raw_service.replies = [(pieces, True), (whole, False)]
    post = sender(raw_service.root + PATH)
    with pytest.raises(requests.RequestException) as failed:
        post.send(post.prepare(b"<broken/>", HEADERS))
    assert classify(failed.value, "ProcessOrder").retryable

    assert post.send(post.prepare(b"<next/>", HEADERS)).content == REPLY
    post.close()


def test_a_reply_above_the_size_limit_is_refused_while_it_is_read(raw_service: RawService) -> None:
    declared = [b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000]
    chunk = b"800\r\n" + b"x" * 2048 + b"\r\n"  # no length declared: 6,144 bytes in three chunks
    chunked = [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunk, chunk, chunk + b"0\r\n\r\n"]
    raw_service.replies = [(declared, True), (chunked, True)]
    session = requests.Session()
    session.trust_env = False
    post = DirectPost(GuardedTransport(session=session, timeout=5, operation_timeout=5, max_reply_bytes=4096),
                      raw_service.root + PATH)
    with pytest.raises(ReplyTooLarge, match="declares 5000 bytes"):
        post.send(post.prepare(b"<big/>", HEADERS))
    with pytest.raises(ReplyTooLarge, match="larger than the limit"):
        post.send(post.prepare(b"<bigger/>", HEADERS))
    post.close()
