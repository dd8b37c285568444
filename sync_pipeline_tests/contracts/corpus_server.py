"""A real HTTP server answering each SOAP request by the operation its SOAPAction names, for the corpus.

Every path is served; `answers[operation]` is a list of replies given one per request, the last one
again and again. A request for an operation without answers gets HTTP 500 and an empty body.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

XML = "text/xml; charset=utf-8"


class Answer(NamedTuple):
    body: bytes
    status: int = 200
    content_type: str = XML


class RoutedServer:
    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.requests: list[str] = []  # the operations asked for, in order
        routed = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = self.headers.get("SOAPAction", "").strip('"').rpartition("/")[2]
                routed.requests.append(operation)
                queue = routed.answers.get(operation) or [Answer(b"", 500)]
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, operation: str, *answers: Answer | bytes) -> None:
        """Answer `operation` with these, one per request, the last one from then on."""
        self.answers[operation] = [a if isinstance(a, Answer) else Answer(a) for a in answers]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def routed_server() -> Iterator[RoutedServer]:
    """The body of a fixture: a RoutedServer, stopped afterwards."""
    server = RoutedServer()
    yield server
    server.stop()
