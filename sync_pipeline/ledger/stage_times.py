"""Stage times: when each order reached each stage (table stage_times; the stages: stages.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Mapping

from sqlalchemy import Connection, select

from sync_pipeline.ledger.engine import connected, patient
from sync_pipeline.ledger.model import Kind, key_of, kind_of
from sync_pipeline.ledger.part import LedgerPart
from sync_pipeline.ledger.rows import insert_into
from sync_pipeline.ledger.schema import stage_times
from sync_pipeline.ledger.stages import Stage, stage_of


StageTimesGiven = Mapping[Stage, datetime | None] | Mapping[str, datetime | None]


def insert_stages(connection: Connection, kind: Kind, key: str, times: StageTimesGiven, now: datetime,
                  utc: Callable[[datetime], datetime]) -> None:
    """Stage times inside the caller's transaction: a record's outcome carries them (Records.record_success)."""
    rows = [{"kind": kind.value, "key": key, "stage": stage_of(stage).value, "at": utc(at),
             "recorded_at": now} for stage, at in times.items() if at is not None]
    if rows:
        statement = insert_into(connection, stage_times).on_conflict_do_nothing(
            index_elements=[stage_times.c.kind, stage_times.c.key, stage_times.c.stage])
        connection.execute(statement, rows)


class StageTimes(LedgerPart):
    """Recording and reading stage times; a stage keeps its first time."""

    @patient
    def record_stages(self, kind: Kind | str, key: str | int, times: StageTimesGiven, *,
                      now: datetime | None = None) -> None:
        """When the record reached each stage (None: unknown, skipped); a stage keeps its first time."""
        kind, key, now = kind_of(kind), key_of(key), self._now(now)
        if not any(at is not None for at in times.values()):
            return
        with connected(self.engine, transaction=True) as connection:
            insert_stages(connection, kind, key, times, now, self._now)

    @patient
    def stage_times(self, kind: Kind | str, *, since: datetime | None = None) -> dict[str, dict[Stage, datetime]]:
        """key -> {stage: first time reached}, for the records that reached any stage at or after `since`."""
        kind = kind_of(kind)
        query = select(stage_times.c.key, stage_times.c.stage, stage_times.c.at).where(stage_times.c.kind == kind)
        if since is not None:
            recent = select(stage_times.c.key).where(stage_times.c.kind == kind, stage_times.c.at >= self._now(since))
            query = query.where(stage_times.c.key.in_(recent))
        found: dict[str, dict[Stage, datetime]] = {}
        with connected(self._reader, transaction=False) as connection:
            for key, stage, at in connection.execute(query.order_by(stage_times.c.key)):
                found.setdefault(key, {})[Stage(stage)] = at
        return found
