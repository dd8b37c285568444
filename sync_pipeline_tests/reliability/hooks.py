"""Something happening at the worst moment: right after a sandbox did a write's work, before it replies.

The sandboxes run in the test's process, so a test can wrap their SOAP handlers: `AfterWrites`
calls an action once the n-th write (of the given operations, counted from arm()) has been done,
while the caller still waits for the reply: the test kills the caller there, or stops its database.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterable

WRITES = ("ProcessArticle", "ProcessOrder", "SaveInvoices", "SetStockQuantity")


class AfterWrites:
    def __init__(self, systems: Iterable[Any], operations: Iterable[str] = WRITES):
        self._lock = threading.Lock()
        self._remaining: int | None = None
        self._action: Callable[[str], None] | None = None
        self._only: str | None = None
        self.fired = threading.Event()
        self.fired_at: str | None = None
        wanted = set(operations)
        for system in systems:
            for service in system.services.values():
                for operation, handler in list(service.handlers.items()):
                    if operation in wanted:
                        service.handlers[operation] = self._wrap(operation, handler)

    def arm(self, writes: int, action: Callable[[str], None], operation: str | None = None) -> None:
        """Call action(operation) once `writes` more writes (of `operation`, or any) have been done."""
        with self._lock:
            self._remaining, self._action, self._only, self.fired_at = writes, action, operation, None
            self.fired.clear()

    def disarm(self) -> None:
        with self._lock:
            self._remaining = self._action = None

    def _wrap(self, operation: str, handler: Callable) -> Callable:
        def after_the_work(values: dict[str, Any], context: Any) -> Any:
            reply = handler(values, context)
            with self._lock:
                action = None
                if self._remaining is not None and self._only in (None, operation):
                    self._remaining -= 1
                    if self._remaining <= 0:
                        action, self._remaining, self._action = self._action, None, None
                        self.fired_at = operation
            if action is not None:
                action(operation)
                self.fired.set()
            return reply

        return after_the_work
