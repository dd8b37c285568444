"""A real HTTP server answering every POST with one canned reply, for replies no sandbox gives."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

XML = "text/xml; charset=utf-8"


class Canned:
    """Answers every POST with `status` and `body` (set them per test), counting the requests.

    A subclass may answer per request instead by overriding `reply`.
    """

    def __init__(self, path: str) -> None:
        self.status, self.body, self.requests = 200, b"", 0
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                canned.requests += 1
                status, body, content_type = canned.reply(self.headers.get("SOAPAction", ""))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def reply(self, soap_action: str) -> tuple[int, bytes, str]:
        """The status, body and content type answering a request with this SOAPAction header."""
        return self.status, self.body, XML

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def canned_server(path: str) -> Iterator[Canned]:
    """The body of a fixture: a Canned server at `path`, stopped after the test."""
    server = Canned(path)
    yield server
    server.stop()
