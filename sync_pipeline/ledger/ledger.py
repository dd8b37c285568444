"""The sync ledger: a durable record of every entity the integration handles (docs/ledger.md).

A process claims its records for its run, reads their entries, skips what is backing off, dead or
unchanged, writes the rest and records each outcome; leaving `Ledger.run`'s block releases the
claims. Every method is one short transaction, safe to call from several threads and processes
at once. Failure reasons are stored as the caller gives them, after a redaction pass (redact.py):
callers pass RecordError messages, which name a record, a field and a reason, never a credential.

The Ledger is assembled from one part per thing it stores: records.py (the entries), dead_letters.py,
claims.py, cursors.py and stage_times.py; rows.py holds the statements they share.
"""

from __future__ import annotations

import random as _random
from datetime import datetime, timezone
from typing import Callable, Iterable

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from sync_pipeline.ledger.backoff import BackoffPolicy
from sync_pipeline.ledger.claims import DEFAULT_CLAIM_TTL, Claims, LedgerRun
from sync_pipeline.ledger.cursors import Cursors
from sync_pipeline.ledger.dead_letters import DeadLetters
from sync_pipeline.ledger.engine import DEFAULT_SCHEMA, READ_ONLY, build_engine, prepare_engine
from sync_pipeline.ledger.migrations import migrate
from sync_pipeline.ledger.records import Records
from sync_pipeline.ledger.stage_times import StageTimes
from sync_pipeline.redaction import Redactor

__all__ = ["DEFAULT_CLAIM_TTL", "Ledger", "LedgerRun"]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Ledger(Records, DeadLetters, Claims, Cursors, StageTimes):
    """The ledger on PostgreSQL or SQLite (an Engine, or a URL: see engine.resolve_url).

    backoff: when failed records are retried and when they are dead-lettered.
    random: the jitter's source (a callable returning [0, 1)); inject one for deterministic tests.
    clock: "now" for every method not given `now=`.
    secrets: known credential values, masked wherever they would appear in a stored reason.
    """

    def __init__(self, engine: Engine | str | URL, *, schema: str = DEFAULT_SCHEMA,
                 backoff: BackoffPolicy | None = None, random: Callable[[], float] = _random.random,
                 clock: Callable[[], datetime] = _utcnow, secrets: Iterable[str] = (), create: bool = True):
        self._owns_engine = not isinstance(engine, Engine)
        self.engine = prepare_engine(engine, schema) if isinstance(engine, Engine) else build_engine(engine, schema)
        self._reader = self.engine.execution_options(**{READ_ONLY: True})
        self.backoff = backoff or BackoffPolicy()
        self._random = random
        self._clock = clock
        self._redact = Redactor(secrets)
        if create:
            migrate(self.engine)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({self.engine.url.render_as_string(hide_password=True)})"
