"""Waiting for a state another process reaches in its own time (the Dagster daemon, a sandbox)."""

from __future__ import annotations

import time
from typing import Any, Callable

PATIENCE = 300  # seconds any one awaited state may take on a loaded two-core machine


def until(condition: Callable[[], Any], what: str, seconds: float = PATIENCE) -> Any:
    """The first true value of `condition`, asked every half second for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"waited {seconds} s in vain for: {what}")
