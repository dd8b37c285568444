"""What each part of the Ledger (records, dead letters, claims, cursors, stage times) uses of it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Engine

from sync_pipeline.ledger.backoff import BackoffPolicy
from sync_pipeline.ledger.model import LedgerError
from sync_pipeline.redaction import Redactor


class LedgerPart:
    """The state Ledger.__init__ sets up, and "now" as every part reads it."""

    engine: Engine
    _reader: Engine  # the engine's read-only transactions
    backoff: BackoffPolicy
    _random: Callable[[], float]
    _clock: Callable[[], datetime]
    _redact: Redactor

    def _now(self, now: datetime | None) -> datetime:
        moment = self._clock() if now is None else now
        if moment.tzinfo is None:
            raise LedgerError(f"the ledger works in UTC: give an aware datetime, got {moment!r}")
        return moment.astimezone(timezone.utc)
