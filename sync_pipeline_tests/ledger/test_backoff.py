"""Exponential backoff: grows, is capped, jitter stays within its bounds."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from sync_pipeline.ledger import BackoffPolicy

MINUTE = timedelta(minutes=1)


def test_ceiling_doubles_until_the_cap():
    policy = BackoffPolicy(base=MINUTE, cap=10 * MINUTE, max_attempts=20)
    assert [policy.ceiling(n) for n in range(1, 7)] == [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE,
                                                        10 * MINUTE, 10 * MINUTE]
    assert policy.ceiling(10_000) == 10 * MINUTE


def test_jitter_takes_off_at_most_its_fraction():
    policy = BackoffPolicy(base=MINUTE, cap=timedelta(hours=1), jitter=0.5)
    assert policy.delay(3, random=lambda: 0.0) == 4 * MINUTE
    assert policy.delay(3, random=lambda: 0.5) == 3 * MINUTE
    nearly_one = 1.0 - 1e-12
    assert 2 * MINUTE <= policy.delay(3, random=lambda: nearly_one) < 2 * MINUTE + timedelta(milliseconds=1)
    source = random.Random(7)
    for attempt in range(1, 12):
        for _ in range(200):
            wait = policy.delay(attempt, random=source.random)
            assert policy.ceiling(attempt) / 2 <= wait <= policy.ceiling(attempt)


def test_below_the_cap_with_half_jitter_waits_never_shrink():
    policy = BackoffPolicy(base=MINUTE, cap=timedelta(hours=2), jitter=0.5)
    below_cap = [n for n in range(1, 15) if policy.ceiling(n + 1) < policy.cap]
    assert below_cap == [1, 2, 3, 4, 5, 6]
    for attempt in below_cap:
        longest_now = policy.delay(attempt, random=lambda: 0.0)
        shortest_next = policy.delay(attempt + 1, random=lambda: 1.0 - 1e-12)
        assert shortest_next >= longest_now - timedelta(milliseconds=1)
    at_cap = [policy.delay(n, random=lambda: 0.0) for n in range(8, 15)]
    assert set(at_cap) == {policy.cap}


def test_no_jitter_is_exact_and_full_jitter_can_reach_zero():
    assert BackoffPolicy(base=MINUTE, jitter=0.0).delay(2, random=lambda: 0.99) == 2 * MINUTE
    assert BackoffPolicy(base=MINUTE, jitter=1.0).delay(2, random=lambda: 0.999) < timedelta(seconds=1)


def test_exhausted_after_max_attempts():
    policy = BackoffPolicy(max_attempts=3)
    assert [policy.exhausted(n) for n in (1, 2, 3, 4)] == [False, False, True, True]


@pytest.mark.parametrize("options", [
    {"base": timedelta(0)}, {"base": MINUTE, "cap": timedelta(seconds=1)}, {"max_attempts": 0},
    {"jitter": 1.5}, {"jitter": -0.1},
])
def test_nonsense_policies_are_refused(options):
    with pytest.raises(ValueError):
        BackoffPolicy(**options)
