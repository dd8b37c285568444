"""Failures: exponential backoff with jitter, dead-lettering after N attempts, redrive."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sync_pipeline.ledger import BackoffPolicy, State
from sync_pipeline.soap.errors import RecordError

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)
POLICY = BackoffPolicy(base=MINUTE, cap=4 * MINUTE, max_attempts=5, jitter=0.5)


class Dice:
    """The jitter's random source, playing back given values."""

    def __init__(self, *values: float):
        self.values = list(values)

    def __call__(self) -> float:
        return self.values.pop(0)


def test_retryable_failures_back_off_exponentially_with_jitter_and_a_cap(store):
    ledger = store.open(backoff=POLICY, random=Dice(0.0, 0.5, 0.0, 0.999999))
    waits = []
    for attempt in range(1, 5):
        entry = ledger.record_failure("article", "SKU-1", "timed out", retryable=True, now=NOW)
        assert entry.attempts == attempt and not entry.dead and entry.retryable
        waits.append(entry.next_attempt_at - NOW)
    assert waits[0] == MINUTE  # no jitter drawn
    assert waits[1] == 1.5 * MINUTE  # 2 minutes less half of the 50 % jitter
    assert waits[2] == 4 * MINUTE  # capped (would be 4 anyway) ...
    assert 2 * MINUTE <= waits[3] <= 2 * MINUTE + timedelta(milliseconds=1)  # ... capped at 4, jitter down to 2


def test_due_retries_of_chosen_stages(store):
    ledger = store.open(backoff=POLICY, random=lambda: 0.0)
    ledger.record_failure("order", "1", "timed out", retryable=True, now=NOW)  # push failed: error
    ledger.mark("order", "2", State.SHIPPED, now=NOW)
    ledger.record_failure("order", "2", "timed out", retryable=True, now=NOW)  # report failed: still shipped
    later = NOW + 2 * MINUTE
    assert ledger.due_retries("order", later) == ["1", "2"]
    assert ledger.due_retries("order", later, states=[State.PENDING, State.ERROR]) == ["1"]
    assert ledger.due_retries("order", later, states=["shipped"]) == ["2"]
    assert ledger.due_retries("order", later, states=[]) == []


def test_due_retries_lists_what_may_go_again(store):
    ledger = store.open(backoff=POLICY, random=lambda: 0.0)
    ledger.record_failure("article", "late", "timed out", retryable=True, now=NOW + MINUTE)
    ledger.record_failure("article", "early", "timed out", retryable=True, now=NOW)
    ledger.record_failure("article", "refused", "bad EAN", retryable=False, now=NOW)
    ledger.record_failure("order", "7", "timed out", retryable=True, now=NOW)
    ledger.record_success("article", "fine", {"x": 1}, now=NOW)
    assert ledger.due_retries("article", NOW + MINUTE / 2) == []
    assert ledger.due_retries("article", NOW + MINUTE) == ["early"]
    assert ledger.due_retries("article", NOW + 2 * MINUTE) == ["early", "late"]  # longest waiting first
    assert ledger.due_retries("article", NOW + 2 * MINUTE, limit=1) == ["early"]
    assert ledger.due_retries("order", NOW + 2 * MINUTE) == ["7"]
    assert ledger.is_due("article", "fine", now=NOW) and ledger.is_due("article", "never-seen", now=NOW)
    assert not ledger.is_due("article", "late", now=NOW + MINUTE)
    assert ledger.is_due("article", "late", now=NOW + 2 * MINUTE)


def test_dead_lettered_after_max_attempts(store):
    ledger = store.open(backoff=POLICY, random=lambda: 0.0)
    moment = NOW
    for _ in range(4):
        entry = ledger.record_failure("order", "7", RecordError("7", "WMS unavailable", retryable=True), now=moment)
        moment = entry.next_attempt_at
    assert not entry.dead and ledger.due_retries("order", moment) == ["7"]
    entry = ledger.record_failure("order", "7", RecordError("7", "WMS unavailable", retryable=True), now=moment)
    assert entry.dead and entry.attempts == 5 and entry.next_attempt_at is None
    assert ledger.due_retries("order", moment + timedelta(days=30)) == []
    assert not ledger.is_due("order", "7", now=moment + timedelta(days=30))
    assert [(e.kind, e.key, e.last_error) for e in ledger.dead_letters()] == [("order", "7", "WMS unavailable")]
    assert ledger.dead_letters("article") == []
    assert ledger.counts()["order"] == {"error": 1, "failing": 1, "dead": 1}


def test_a_failure_that_is_not_retryable_is_dead_lettered_at_once(store):
    ledger = store.open(backoff=POLICY)
    error = RecordError("SKU-1", "Product ⇒ Name has 130 characters; 24SevenOffice allows at most 125", "Name")
    entry = ledger.record_failure("article", "SKU-1", error, source_version="v1", now=NOW)
    assert entry.dead and not entry.retryable and entry.attempts == 1
    assert (entry.last_error, entry.error_field, entry.state) == (error.message, "Name", State.ERROR)
    assert [e.key for e in ledger.dead_letters("article")] == ["SKU-1"]


def test_redrive_sends_a_dead_letter_again_on_the_next_run(store):
    ledger = store.open(backoff=POLICY, random=lambda: 0.0)
    ledger.record_failure("article", "SKU-1", "refused: unknown unit", retryable=False, now=NOW)
    ledger.record_failure("article", "SKU-2", "refused: unknown unit", retryable=False, now=NOW)
    later = NOW + timedelta(hours=3)
    assert ledger.redrive("article", "SKU-1", now=later)
    entry = ledger.get("article", "SKU-1")
    assert (entry.dead, entry.attempts, entry.retryable, entry.next_attempt_at) == (False, 0, True, later)
    assert entry.last_error == "refused: unknown unit"  # kept until it goes through
    assert ledger.due_retries("article", later) == ["SKU-1"]  # only the redriven one
    assert [e.key for e in ledger.dead_letters("article")] == ["SKU-2"]
    entry = ledger.record_success("article", "SKU-1", {"x": 1}, now=later)
    assert (entry.failing, entry.dead, entry.attempts, entry.next_attempt_at) == (False, False, 0, None)
    assert not ledger.redrive("article", "SKU-1")  # nothing failing
    assert not ledger.redrive("article", "SKU-404")  # not in the ledger


def test_a_new_source_version_gets_a_fresh_chance(store):
    ledger = store.open(backoff=BackoffPolicy(base=MINUTE, max_attempts=2), random=lambda: 0.0)
    ledger.record_failure("article", "SKU-1", "bad EAN", retryable=False, source_version="v1", now=NOW)
    assert not ledger.is_due("article", "SKU-1", source_version="v1", now=NOW)
    assert ledger.is_due("article", "SKU-1", source_version="v2", now=NOW)  # an operator fixed it in the ERP
    ledger.record_failure("article", "SKU-1", "timed out", retryable=True, source_version="v2", now=NOW)
    entry = ledger.record_failure("article", "SKU-1", "timed out", retryable=True, source_version="v3", now=NOW)
    assert entry.attempts == 1 and not entry.dead  # attempts count per version
    entry = ledger.record_failure("article", "SKU-1", "timed out", retryable=True, source_version="v3", now=NOW)
    assert entry.attempts == 2 and entry.dead


def test_not_before_holds_a_retry_back(store):
    ledger = store.open(backoff=POLICY, random=lambda: 0.0)
    quarantine_end = NOW + timedelta(hours=1)
    entry = ledger.record_failure("stock", "SKU-1", "Limit exceeded", retryable=True, not_before=quarantine_end,
                                  now=NOW)
    assert entry.next_attempt_at == quarantine_end
    entry = ledger.record_failure("stock", "SKU-2", "timed out", retryable=True, not_before=NOW, now=NOW)
    assert entry.next_attempt_at == NOW + MINUTE


def test_success_clears_the_failure(store):
    ledger = store.open(backoff=POLICY, random=lambda: 0.0)
    ledger.record_failure("order", "7", "timed out", retryable=True, now=NOW)
    ledger.record_failure("order", "7", "timed out", retryable=True, now=NOW)
    entry = ledger.record_success("order", "7", {"v": 1}, now=NOW)
    assert (entry.state, entry.last_error, entry.attempts, entry.next_attempt_at, entry.retryable) == (
        State.SENT, None, 0, None, False)
    assert ledger.due_retries("order", NOW + timedelta(days=1)) == []
    assert ledger.counts() == {"order": {"sent": 1, "failing": 0, "dead": 0}}
