"""The figures of a reliability test: printed, and written to test-artifacts/reliability/<name>.json.

The JSON file does not depend on pytest's output capture (`-s`), so the figures of the last run
are always there to read (docs/reliability.md quotes them).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"


def publish(name: str, figures: dict[str, Any], node=None) -> Path:
    """Write the figures (with the time of the run) and print them; `node` (request.node) also gets them
    as user properties (shown in JUnit XML reports)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    document = {"test": name, "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), **figures}
    path.write_text(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")
    print(f"\n{name}: " + json.dumps(figures, default=str))
    if node is not None:
        for key, value in figures.items():
            node.user_properties.append((key, json.dumps(value, default=str)))
    return path


class RetryCounter(logging.Handler):
    """Counts the SOAP clients' retries (call_with_retry logs one warning per retry) and ERP re-logins."""

    LOGGERS = ("sync_pipeline.soap.client", "sync_pipeline.erp.session")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()
        self._levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "retrying in" in message:
            self.counts["client_retries"] += 1
        elif "logging in again" in message:
            self.counts["relogins_after_session_expiry"] += 1

    def __enter__(self) -> "RetryCounter":
        for name in self.LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            logger.setLevel(logging.INFO)
            logger.addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        for name in self.LOGGERS:
            logger = logging.getLogger(name)
            logger.removeHandler(self)
            logger.setLevel(self._levels[name])
