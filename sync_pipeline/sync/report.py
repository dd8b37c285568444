"""What one run of a sync process did, in the counts and failures an operator reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import Cursor

if TYPE_CHECKING:
    from sync_pipeline.sync.gate import Admission


@dataclass
class SyncReport:
    process: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[RecordError] = field(default_factory=list)
    cursor: Cursor | None = None  # where the next delta read starts
    details: dict[str, Any] = field(default_factory=dict)
    # What the ledger says about this run's records (assets/reporting.LedgerView), set by the
    # Dagster runner for the failures and dead-letter tables; None outside Dagster.
    ledger: Any = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def fail(self, error: RecordError) -> None:
        self.failures.append(error)

    def note_admission(self, admission: Admission) -> None:
        """Records the ledger kept out of this run: claimed by an overlapping run, backing off, dead."""
        for name in ("held_by_other_run", "backing_off", "dead"):
            keys = getattr(admission, name)
            if keys:
                self.details[name] = self.details.get(name, []) + list(keys)

    @property
    def dead_lettered(self) -> int:
        return len(self.details.get("dead", []))

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "failed": self.failed, "dead_lettered": self.dead_lettered}

    def summary(self) -> str:
        counts = ", ".join(f"{name} {value}" for name, value in self.counts().items())
        return f"{self.process}: {counts}"
