"""Stage latency on plain stage times: samples, nearest-rank percentiles, days, the target."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sync_pipeline.ledger import Stage
from sync_pipeline.reconcile import latency

DAY = datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)


def order(confirmed: datetime, in_wms: timedelta | None = None, shipped: timedelta | None = None,
          reported: timedelta | None = None, returned: timedelta | None = None) -> dict:
    times = {Stage.CONFIRMED: confirmed}
    for stage, after in ((Stage.CREATED_IN_WMS, in_wms), (Stage.SHIPPED, shipped), (Stage.REPORTED, reported),
                         (Stage.RETURNED, returned)):
        if after is not None:
            times[stage] = confirmed + after
    return times


@pytest.mark.parametrize("values, p50, p95", [
    ([], None, None),
    ([7.0], 7.0, 7.0),
    ([1.0, 2.0], 1.0, 2.0),
    ([float(n) for n in range(1, 21)], 10.0, 19.0),
    ([float(n) for n in range(1, 101)], 50.0, 95.0),
])
def test_nearest_rank_percentiles(values, p50, p95):
    assert (latency.percentile(values, 50), latency.percentile(values, 95)) == (p50, p95)


def test_each_transition_counts_the_orders_that_reached_both_stages():
    times = {
        "1": order(DAY + 60 * MIN, in_wms=2 * MIN, shipped=120 * MIN, reported=121 * MIN, returned=3000 * MIN),
        "2": order(DAY + 60 * MIN, in_wms=4 * MIN),
        "3": {Stage.SHIPPED: DAY, Stage.REPORTED: DAY + 3 * MIN},  # confirmed before the ledger kept times
    }
    figures = latency.recent(times, DAY)
    assert {name: f.count for name, f in figures.items()} == {
        "confirmed_to_wms": 2, "confirmed_to_shipped": 1, "confirmed_to_sent": 1, "shipped_to_sent": 2,
        "shipped_to_returned": 1}
    assert figures["shipped_to_returned"].p95 == (3000 - 120) * 60.0
    assert figures["confirmed_to_wms"].p95 == 240.0 and figures["confirmed_to_wms"].p50 == 120.0
    assert [s.key for s in figures["shipped_to_sent"].slowest] == ["3", "1"]


def test_a_sample_belongs_to_the_day_its_later_stage_was_reached():
    times = {"1": order(DAY - 10 * MIN, in_wms=20 * MIN), "2": order(DAY - 30 * MIN, in_wms=5 * MIN)}
    days = latency.by_day(times)
    assert list(days) == [date(2026, 3, 2), date(2026, 3, 1)], "newest day first"
    assert days[date(2026, 3, 2)]["confirmed_to_wms"].p95 == 1200.0
    assert days[date(2026, 3, 1)]["confirmed_to_wms"].p95 == 300.0


def test_since_leaves_out_orders_that_got_there_earlier():
    times = {"old": order(DAY - 48 * 60 * MIN, in_wms=MIN), "new": order(DAY, in_wms=3 * MIN)}
    assert [s.key for s in latency.samples(times, latency.TRANSITIONS[0], since=DAY)] == ["new"]


def test_a_clock_ahead_counts_as_zero():
    times = {"1": order(DAY, in_wms=-2 * MIN)}
    assert latency.recent(times, DAY - 5 * MIN)["confirmed_to_wms"].p95 == 0.0


def test_only_the_integrations_own_stages_are_held_against_the_target():
    times = {"1": order(DAY, in_wms=5 * MIN, shipped=600 * MIN, reported=602 * MIN, returned=9000 * MIN)}
    figures = latency.recent(times, DAY)
    assert latency.over_target(figures, 60 * 60) == [], "ten hours in the warehouse (or days until a return) " \
        "are not the integration's"
    assert [t.name for t in latency.over_target(figures, 4 * 60)] == ["confirmed_to_wms"]
    assert [t.name for t in latency.over_target(figures, 60)] == ["confirmed_to_wms", "shipped_to_sent"]
    assert latency.over_target(latency.recent({}, DAY), 1) == [], "no orders, nothing over"


@pytest.mark.parametrize("seconds, text", [
    (None, "—"), (0, "0 s"), (59.4, "59 s"), (61, "1 min 01 s"), (3600, "1 h 00 min"),
    (2 * 86400 + 3 * 3600, "2 d 3 h"),
])
def test_durations_read_as_people_say_them(seconds, text):
    assert latency.duration(seconds) == text


def test_markdown_shows_each_day_and_the_last_hours():
    times = {"1": order(DAY, in_wms=2 * MIN, shipped=60 * MIN, reported=61 * MIN)}
    by_day = latency.by_day_markdown(latency.by_day(times))
    assert "| 2026-03-02 | 2 min 00 s / 2 min 00 s (1) | 1 h 00 min / 1 h 00 min (1) |" in by_day
    recent = latency.recent_markdown(latency.recent(times, DAY), target_seconds=60, hours=24)
    assert "| confirmed → in WMS | 1 | 2 min 00 s | 2 min 00 s | over target | 1 (2 min 00 s) |" in recent
    assert "not checked" in recent
    assert latency.by_day_markdown({}) == "No order has passed a stage yet."
