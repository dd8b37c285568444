"""One write at a time per goods owner, across every client in this process.

Ongoing processes the writes of one goods owner one after another; a write sent while another
is running waits, then fails with "Timeout expired". Every WmsClient for the same service and
goods owner shares one lock, so threads of one process never send overlapping writes.
Separate processes are not covered (the service's own timeout, which is retried, is the
backstop there).
"""

from __future__ import annotations

import threading

_locks: dict[tuple[str, str], threading.Lock] = {}
_guard = threading.Lock()


def goods_owner_write_lock(service_url: str, goods_owner_code: str) -> threading.Lock:
    """The process-wide lock for writes to `goods_owner_code` at `service_url`."""
    key = (service_url.rstrip("/").lower(), goods_owner_code)
    with _guard:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = threading.Lock()
        return lock
