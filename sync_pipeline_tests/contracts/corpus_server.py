"""The canned server answering each SOAP request by the operation its SOAPAction names, for the corpus.

Every path is served; `answers[operation]` is a list of replies given one per request, the last one
again and again. A request for an operation without answers gets HTTP 500 and an empty body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sync_pipeline_tests.canned_server import XML, Canned


class Answer(NamedTuple):
    body: bytes
    status: int = 200
    content_type: str = XML


class RoutedServer(Canned):
    def __init__(self) -> None:
        super().__init__("")
        self.answers: dict[str, list[Answer]] = {}

    def reply(self, soap_action: str) -> tuple[int, bytes, str]:
        operation = soap_action.strip('"').rpartition("/")[2]
        queue = self.answers.get(operation) or [Answer(b"", 500)]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer.status, answer.body, answer.content_type

    def answer(self, operation: str, *answers: Answer | bytes) -> None:
        """Answer `operation` with these, one per request, the last one from then on."""
        self.answers[operation] = [a if isinstance(a, Answer) else Answer(a) for a in answers]


def routed_server() -> Iterator[RoutedServer]:
    """The body of a fixture: a RoutedServer, stopped afterwards."""
    server = RoutedServer()
    yield server
    server.stop()
