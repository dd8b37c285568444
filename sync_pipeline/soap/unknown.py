"""Counts of reply elements skipped because no service description defines them.

The real services keep growing: an element our descriptions do not have is skipped (see tolerant.py
and the fast paths), and counted here by "<ParentTypeName>.<localname>" so an operator learns of it.
Each name is logged once per collector at INFO; the element's text never is (it may be a secret).

`watching()` lets a caller see what every collector notes while it runs, e.g. one Dagster run whose
clients live longer than the run: the notes of the code inside the block (in that thread, or in the
same context) reach the watch too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

log = logging.getLogger(__name__)

MESSAGE = "%s reply: skipped %s, which no service description defines"
Notes = dict[str, int]  # name -> count, collected locally before they count (see fast_reply.py)


class UnknownElements:
    """Thread-safe counts of skipped elements by name; logs each name once."""

    def __init__(self, *, logs: bool = True):
        self._lock = threading.Lock()
        self._counts: Notes = {}
        self._operations: dict[str, str] = {}  # name -> the operation whose reply had it first
        self._logs = logs

    def note(self, operation: str, name: str, count: int = 1) -> None:
        """`count` elements called `name` skipped in a reply of `operation`."""
        self.add(operation, {name: count})

    def add(self, operation: str, notes: Mapping[str, int]) -> None:
        """Every count of `notes` (a reply's, collected while it was read) at once."""
        if not notes:
            return
        self._count(operation, notes)
        for watch in _watches.get():
            if watch is not self:
                watch._count(operation, notes)

    def _count(self, operation: str, notes: Mapping[str, int]) -> None:
        with self._lock:
            new = [name for name in notes if name not in self._counts]
            for name, count in notes.items():
                self._counts[name] = self._counts.get(name, 0) + count
            for name in new:
                self._operations[name] = operation
        if self._logs:
            for name in new:
                log.info(MESSAGE, operation, name)

    def snapshot(self) -> Notes:
        """The counts so far, by name (sorted)."""
        with self._lock:
            return dict(sorted(self._counts.items()))

    def messages(self) -> list[str]:
        """The log line of each name, as the collector logs it (once per name)."""
        with self._lock:
            return [MESSAGE % (self._operations[name], name) for name in sorted(self._counts)]


_watches: ContextVar[tuple[UnknownElements, ...]] = ContextVar("unknown_element_watches", default=())


@contextmanager
def watching() -> Iterator[UnknownElements]:
    """A collector that also gets what any collector notes inside the block (it logs nothing itself)."""
    watch = UnknownElements(logs=False)
    token = _watches.set((*_watches.get(), watch))
    try:
        yield watch
    finally:
        _watches.reset(token)
