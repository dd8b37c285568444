"""How long orders take between the systems: p50/p95 per UTC day for each stage transition (pure).

Input: the ledger's stage times, order key -> {Stage: first time reached} (ledger/stages.py).
Each transition's sample is one order that reached both stages; it belongs to the UTC day of its
*later* stage (the day the order got there). Percentiles are nearest-rank: always a duration one
order really took. A negative duration (the ERP's clock ahead of ours) counts as zero.

Two transitions are the integration's own doing and are checked against the target: confirmed ->
in the WMS (the push) and shipped -> Sent in the ERP (the report). The others include the
warehouse's own work (picking, packing), shown for the whole picture; shipped -> returned (the goods
of a return order came in, read by the returns process) is the customer's and the carrier's time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping, Sequence

from sync_pipeline.ledger.stages import Stage
from sync_pipeline.markdown_table import table

StageTimes = Mapping[str, Mapping[Stage, datetime]]


@dataclass(frozen=True)
class Transition:
    name: str  # metadata key part
    label: str
    start: Stage
    end: Stage
    checked: bool = False  # the integration's own: held against the latency target
    whose: str = "includes the warehouse's work"  # why an unchecked transition is not held against the target


TRANSITIONS = (
    Transition("confirmed_to_wms", "confirmed → in WMS", Stage.CONFIRMED, Stage.CREATED_IN_WMS, checked=True),
    Transition("confirmed_to_shipped", "confirmed → shipped", Stage.CONFIRMED, Stage.SHIPPED),
    Transition("confirmed_to_sent", "confirmed → Sent in ERP", Stage.CONFIRMED, Stage.REPORTED),
    Transition("shipped_to_sent", "shipped → Sent in ERP", Stage.SHIPPED, Stage.REPORTED, checked=True),
    Transition("shipped_to_returned", "shipped → returned", Stage.SHIPPED, Stage.RETURNED,
               whose="the customer's and the carrier's time"),
)
CHECKED = tuple(t for t in TRANSITIONS if t.checked)


@dataclass(frozen=True)
class Sample:
    key: str
    reached: datetime  # when the later stage was reached
    seconds: float


@dataclass(frozen=True)
class Figures:
    count: int
    p50: float | None  # seconds
    p95: float | None
    slowest: tuple[Sample, ...] = ()

    @classmethod
    def of(cls, samples: Sequence[Sample], *, slowest: int = 0) -> Figures:
        seconds = sorted(s.seconds for s in samples)
        ranked = tuple(sorted(samples, key=lambda s: (-s.seconds, s.key))[:slowest])
        return cls(len(seconds), percentile(seconds, 50), percentile(seconds, 95), ranked)


def percentile(ordered: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile of sorted values (None for none)."""
    if not ordered:
        return None
    return ordered[max(math.ceil(p / 100 * len(ordered)), 1) - 1]


def samples(times: StageTimes, transition: Transition, *, since: datetime | None = None) -> list[Sample]:
    """One sample per order that reached both stages (the later one at or after `since`)."""
    found = []
    for key, stages in times.items():
        start, end = stages.get(transition.start), stages.get(transition.end)
        if start is None or end is None or (since is not None and end < since):
            continue
        found.append(Sample(key, end, max((end - start).total_seconds(), 0.0)))
    return found


def by_day(times: StageTimes, *, since: datetime | None = None) -> dict[date, dict[str, Figures]]:
    """UTC day -> transition name -> figures, newest day first."""
    days: dict[date, dict[str, list[Sample]]] = {}
    for transition in TRANSITIONS:
        for sample in samples(times, transition, since=since):
            days.setdefault(sample.reached.date(), {}).setdefault(transition.name, []).append(sample)
    return {day: {name: Figures.of(found) for name, found in days[day].items()} for day in sorted(days, reverse=True)}


def recent(times: StageTimes, since: datetime, *, slowest: int = 5) -> dict[str, Figures]:
    """Transition name -> figures over the orders that reached its later stage since `since`."""
    return {t.name: Figures.of(samples(times, t, since=since), slowest=slowest) for t in TRANSITIONS}


def over_target(figures: Mapping[str, Figures], target_seconds: float) -> list[Transition]:
    """The checked transitions whose p95 passes the target."""
    return [t for t in CHECKED if (p95 := figures[t.name].p95) is not None and p95 > target_seconds]


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def by_day_markdown(days: Mapping[date, Mapping[str, Figures]]) -> str:
    if not days:
        return "No order has passed a stage yet."
    headers = ["Day (UTC)", *[f"{t.label} p50 / p95 (orders)" for t in TRANSITIONS]]
    rows = [[day.isoformat(), *[_cell(figures.get(t.name)) for t in TRANSITIONS]] for day, figures in days.items()]
    return table(headers, rows)


def recent_markdown(figures: Mapping[str, Figures], *, target_seconds: float, hours: int) -> str:
    rows = []
    for t in TRANSITIONS:
        f = figures[t.name]
        slowest = ", ".join(f"{s.key} ({duration(s.seconds)})" for s in f.slowest)
        target = ("over target" if f.p95 is not None and f.p95 > target_seconds else "within target") \
            if t.checked else f"not checked ({t.whose})"
        rows.append([t.label, f.count, duration(f.p50), duration(f.p95), target, slowest or None])
    return (f"**Last {hours} hours** (target for the checked stages: p95 ≤ {duration(target_seconds)})\n\n"
            + table(["Stage", "Orders", "p50", "p95", "Target", "Slowest orders"], rows) + "\n")


def _cell(figures: Figures | None) -> str | None:
    if figures is None or not figures.count:
        return None
    return f"{duration(figures.p50)} / {duration(figures.p95)} ({figures.count})"
