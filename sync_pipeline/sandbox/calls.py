"""The sandbox's log of SOAP calls: a count per operation and one line per call."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timezone
from typing import Any


class CallLog:
    def __init__(self, keep: int = 200_000):
        self._lock = threading.Lock()
        self._keep = keep
        self._counts: Counter[str] = Counter()
        self._log: list[dict[str, Any]] = []

    def record(self, operation: str, outcome: str, key: str | None = None, detail: str | None = None) -> None:
        entry = {"time": datetime.now(timezone.utc).isoformat(), "operation": operation,
                 "key": key, "outcome": outcome, "detail": detail}
        with self._lock:
            self._counts[operation] += 1
            self._log.append(entry)
            if len(self._log) > self._keep:
                del self._log[: len(self._log) - self._keep]

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"counts": dict(self._counts), "log": list(self._log)}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()
