"""One write at a time per goods owner, as Ongoing processes them: a second write waits, then times out."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

WRITE_TIMEOUT = ("Server was unable to process request. ---> Timeout expired. "
                 "Another write for this goods owner is in progress.")


class WriteInProgress(Exception):
    """Another write for the same goods owner did not finish within the wait time."""

    def __init__(self) -> None:
        super().__init__(WRITE_TIMEOUT)


class WriteGuard:
    def __init__(self, wait_seconds: float):
        self.wait_seconds = wait_seconds
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def _lock_for(self, goods_owner_code: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(goods_owner_code, threading.Lock())

    @contextmanager
    def write(self, goods_owner_code: str) -> Iterator[None]:
        """Hold the goods owner's write slot for the duration of the block; raises WriteInProgress."""
        lock = self._lock_for(goods_owner_code)
        if not lock.acquire(timeout=self.wait_seconds):
            raise WriteInProgress()
        try:
            yield
        finally:
            lock.release()
