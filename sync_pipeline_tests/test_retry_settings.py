"""SYNC_RETRY_*: checked at load, and the ledger the assets get retries and dead-letters by them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sync_pipeline.resources import resources_from_env
from sync_pipeline.settings import Settings, SettingsError
from sync_pipeline_tests.settings_environment import clear_settings, set_required

START = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)
    set_required(monkeypatch)


def assets_ledger(home: Path):
    """The ledger exactly as the Dagster assets get it: settings -> resources -> LedgerResource."""
    return resources_from_env(Settings.load())["ledger"].ledger(home=str(home))


def test_defaults():
    settings = Settings.load()
    assert (settings.sync_retry_base_seconds, settings.sync_retry_max_seconds, settings.sync_retry_attempts) == (
        300, 21600, 10)


def test_a_failing_record_waits_the_configured_delays_and_is_dead_lettered_after_the_configured_attempts(
        monkeypatch, tmp_path):
    monkeypatch.setenv("SYNC_RETRY_BASE_SECONDS", "60")
    monkeypatch.setenv("SYNC_RETRY_MAX_SECONDS", "150")
    monkeypatch.setenv("SYNC_RETRY_ATTEMPTS", "4")
    ledger = assets_ledger(tmp_path / "home")
    now = START
    for attempt, ceiling in enumerate((60 * SECOND, 120 * SECOND, 150 * SECOND), start=1):
        entry = ledger.record_failure("article", "SKU-1", "WMS unavailable", retryable=True, now=now)
        assert (entry.attempts, entry.dead) == (attempt, False)
        # Up to half of each wait is jitter: due somewhere in the second half of the ceiling.
        assert now + ceiling / 2 <= entry.next_attempt_at <= now + ceiling
        assert not ledger.is_due("article", "SKU-1", now=now + ceiling / 2 - SECOND)
        assert ledger.is_due("article", "SKU-1", now=now + ceiling)
        now += ceiling
    dead = ledger.record_failure("article", "SKU-1", "WMS unavailable", retryable=True, now=now)
    assert (dead.attempts, dead.dead, dead.next_attempt_at) == (4, True, None)
    assert not ledger.is_due("article", "SKU-1", now=now + timedelta(days=30))


def test_without_settings_the_ledger_keeps_the_default_policy(tmp_path):
    ledger = assets_ledger(tmp_path / "home")
    first = ledger.record_failure("article", "SKU-1", "WMS unavailable", retryable=True, now=START)
    assert START + 150 * SECOND <= first.next_attempt_at <= START + 300 * SECOND
    attempts = [ledger.record_failure("article", "SKU-1", "WMS unavailable", retryable=True, now=START)
                for _ in range(9)]
    assert [entry.dead for entry in attempts] == [False] * 8 + [True]


@pytest.mark.parametrize("name, value, expected", [
    ("SYNC_RETRY_BASE_SECONDS", "five", "SYNC_RETRY_BASE_SECONDS: must be a whole number of seconds from 1 to 604800, got 'five'"),
    ("SYNC_RETRY_BASE_SECONDS", "0", "SYNC_RETRY_BASE_SECONDS: must be a whole number of seconds from 1 to 604800, got '0'"),
    ("SYNC_RETRY_MAX_SECONDS", "1.5", "SYNC_RETRY_MAX_SECONDS: must be a whole number of seconds from 1 to 604800, got '1.5'"),
    ("SYNC_RETRY_MAX_SECONDS", "604801", "SYNC_RETRY_MAX_SECONDS: must be a whole number of seconds from 1 to 604800, got '604801'"),
    ("SYNC_RETRY_ATTEMPTS", "0", "SYNC_RETRY_ATTEMPTS: must be a whole number of attempts from 1 to 1000, got '0'"),
    ("SYNC_RETRY_ATTEMPTS", "-3", "SYNC_RETRY_ATTEMPTS: must be a whole number of attempts from 1 to 1000, got '-3'"),
])
def test_wrong_values_are_refused_one_line_each(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        Settings.load()
    assert refused.value.problems == [expected]


def test_each_wrong_value_gets_its_own_line(monkeypatch):
    monkeypatch.setenv("SYNC_RETRY_BASE_SECONDS", "x")
    monkeypatch.setenv("SYNC_RETRY_ATTEMPTS", "0")
    with pytest.raises(SettingsError) as refused:
        Settings.load()
    assert [line.split(":")[0] for line in refused.value.problems] == ["SYNC_RETRY_BASE_SECONDS", "SYNC_RETRY_ATTEMPTS"]


def test_a_max_below_the_base_is_refused(monkeypatch):
    monkeypatch.setenv("SYNC_RETRY_BASE_SECONDS", "600")
    monkeypatch.setenv("SYNC_RETRY_MAX_SECONDS", "300")
    with pytest.raises(SettingsError) as refused:
        Settings.load()
    assert refused.value.problems == [
        "settings: SYNC_RETRY_MAX_SECONDS (300) is less than SYNC_RETRY_BASE_SECONDS (600): the longest wait "
        "between retries cannot be shorter than the first"]


def test_max_equal_to_base_is_a_fixed_wait(monkeypatch):
    monkeypatch.setenv("SYNC_RETRY_BASE_SECONDS", "120")
    monkeypatch.setenv("SYNC_RETRY_MAX_SECONDS", "120")
    assert Settings.load().sync_retry_max_seconds == 120
