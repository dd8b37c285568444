"""A ledger call waits out a database that is briefly away, and only repeats what is safe to repeat.

The pipeline records outcomes while the next write is on the wire, so a PostgreSQL restart can
come in the middle of any ledger call. The real server here is a private one (the machine's
cluster serves the other tests): stopped, then started again shortly or only after a while.
"""

from __future__ import annotations

import threading
import time

import pytest

from sync_pipeline.ledger import Kind, Ledger, LedgerUnavailable, engine
from sync_pipeline.ledger.engine import BEFORE_COMMIT, COMMIT, CONNECT, RECONNECT_PATIENCE_SECONDS, patient
from sync_pipeline_tests.reliability.private_postgres import PrivatePostgres, started_or_failed


@pytest.fixture(scope="module")
def server():
    with started_or_failed("the patience tests") as found:
        yield found


def away_for(server: PrivatePostgres, seconds: float) -> threading.Thread:
    server.stop()
    back = threading.Timer(seconds, server.start)
    back.start()
    return back


def test_a_call_during_a_short_outage_waits_and_succeeds(server: PrivatePostgres, monkeypatch) -> None:
    # On a loaded machine PostgreSQL may take longer to start than the production patience: the call
    # waits for as long as the server is away here, which is what is tested, and no longer.
    monkeypatch.setattr(engine, "RECONNECT_PATIENCE_SECONDS", 120.0)
    with Ledger(server.url) as ledger:
        ledger.record_success(Kind.ORDER, "1", {"n": 1})
        back = away_for(server, 0.5)
        started = time.monotonic()
        ledger.record_success(Kind.ORDER, "2", {"n": 2})
        waited = time.monotonic() - started
        back.join()
        assert waited > 0.3, waited
        assert ledger.get(Kind.ORDER, "2").payload_hash, "recorded once the server was back"


def test_a_longer_outage_fails_with_ledger_unavailable_after_the_patience(server: PrivatePostgres) -> None:
    with Ledger(server.url) as ledger:
        ledger.get_cursor("orders")
        back = away_for(server, RECONNECT_PATIENCE_SECONDS + 2)
        started = time.monotonic()
        try:
            with pytest.raises(LedgerUnavailable, match=f"127.0.0.1:{server.port}"):
                ledger.set_cursor("orders", "2026-11-26T00:00:00+00:00")
            assert time.monotonic() - started <= RECONNECT_PATIENCE_SECONDS + 0.5
        finally:
            back.join()
        ledger.set_cursor("orders", "2026-11-26T00:00:00+00:00")
        assert ledger.get_cursor("orders") == "2026-11-26T00:00:00+00:00"


def failing(phases: list[str | None]):
    """A ledger call failing in each of `phases` in turn (None: succeeding), and how often it ran."""
    calls = []

    def call() -> str:
        calls.append(1)
        phase = phases[len(calls) - 1]
        if phase is None:
            return "done"
        error = LedgerUnavailable("the sync ledger's database is not available")
        error.phase = phase
        raise error

    return call, calls


@pytest.mark.parametrize("phase", [CONNECT, BEFORE_COMMIT, COMMIT])
def test_a_repeatable_call_is_repeated_after_any_phase(phase: str) -> None:
    call, calls = failing([phase, None])
    assert patient(call)() == "done" and len(calls) == 2


def test_a_counting_call_is_not_repeated_after_a_failed_commit() -> None:
    """record_failure counts attempts: a commit that failed may have happened, so it is not done twice."""
    call, calls = failing([COMMIT, None])
    with pytest.raises(LedgerUnavailable):
        patient(repeatable=False)(call)()
    assert len(calls) == 1
    call, calls = failing([BEFORE_COMMIT, None])
    assert patient(repeatable=False)(call)() == "done" and len(calls) == 2
