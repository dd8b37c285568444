"""Changed-since cursors that neither skip nor repeat records at the boundary.

The ERP rounds its changed-since filter, so the clients read from one second before the cursor.
Records changed inside that overlap are read again; the cursor remembers the version (change time)
of each record it handled near its moment, and an unchanged one is then not sent twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable, Protocol, TypeVar

OVERLAP = timedelta(seconds=2)


class Versioned(Protocol):
    """A source record whose version is its change time (ERP products, orders, companies)."""

    @property
    def DateChanged(self) -> datetime | None: ...


V = TypeVar("V", bound=Versioned)


@dataclass(frozen=True)
class Cursor:
    moment: datetime | None = None
    recent: dict[str, str] = field(default_factory=dict)  # record key -> change time handled
    # Records the last run left unconcluded: read again next time, though they changed before `moment`.
    again: tuple[str, ...] = ()

    def already_handled(self, key: str, changed: datetime | None) -> bool:
        return changed is not None and self.recent.get(key) == changed.isoformat()

    def to_json(self) -> str:
        data: dict[str, object] = {"moment": self.moment.isoformat() if self.moment else None, "recent": self.recent}
        if self.again:
            data["again"] = list(self.again)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> "Cursor":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:  # a bare timestamp, as an operator might type it
            return cls(moment=datetime.fromisoformat(text))
        moment = datetime.fromisoformat(data["moment"]) if data.get("moment") else None
        return cls(moment=moment, recent=dict(data.get("recent") or {}), again=tuple(data.get("again") or ()))


class CursorBuilder:
    """Collects what a run handled and makes the next cursor from it."""

    def __init__(self, previous: Cursor | None):
        self.previous = previous or Cursor()
        self._handled: dict[str, datetime] = {}
        self._moment = self.previous.moment
        self._held: datetime | None = None

    def handled(self, key: str, changed: datetime | None) -> None:
        if changed is None:
            return
        self._handled[key] = changed
        self.passed(changed)

    def passed(self, changed: datetime | None) -> None:
        """A record this run gave up on (reported as failed): the cursor still moves past it."""
        if changed is not None and (self._moment is None or changed > self._moment):
            self._moment = changed

    def held(self, changed: datetime | None) -> None:
        """A record another run holds right now: the cursor stays at it, so the next run reads it again.

        Should that run die before handling it, no later delta read would see it otherwise. A held
        record older than the previous cursor came by id (a due retry): the ledger keeps it due.
        """
        if changed is None or (self.previous.moment is not None and changed < self.previous.moment - OVERLAP):
            return
        if self._held is None or changed < self._held:
            self._held = changed

    def build(self) -> Cursor:
        if self._moment is None:
            return Cursor()
        moment = min(self._moment, self._held) if self._held is not None else self._moment
        floor = moment - OVERLAP
        recent = {k: v for k, v in self.previous.recent.items() if datetime.fromisoformat(v) >= floor}
        recent.update({k: v.isoformat() for k, v in self._handled.items() if v >= floor})
        return Cursor(moment=moment, recent=recent)


def hold_back(progress: CursorBuilder, records: list[V], held_keys: Iterable[str], key: Callable[[V], str]) -> None:
    """Keep the cursor at the records (of those read) whose keys another run holds."""
    held = set(held_keys)
    for record in records:
        if key(record) in held:
            progress.held(record.DateChanged)


def unseen(records: list[V], cursor: Cursor, key: Callable[[V], str]) -> tuple[list[V], int]:
    """The records this cursor has not handled in their current version, and how many it had."""
    fresh = [r for r in records if not cursor.already_handled(key(r), r.DateChanged)]
    return fresh, len(records) - len(fresh)


Window = tuple[datetime, datetime]  # [start, end): records changed in it (a day's resync, an operator's range)


def in_window(records: list[V], window: Window | None) -> list[V]:
    """The records whose change time falls in the window; all of them without one."""
    if window is None:
        return records
    start, end = window
    return [r for r in records if r.DateChanged is not None and start <= r.DateChanged < end]
