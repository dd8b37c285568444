"""The reconciliation settings: defaults, and one clear line per wrong value."""

from __future__ import annotations

import pytest

from sync_pipeline.settings import Settings, SettingsError
from sync_pipeline_tests.settings_environment import clear_settings, set_required


@pytest.fixture
def environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)
    set_required(monkeypatch)
    return monkeypatch


def reconcile_numbers(settings: Settings) -> tuple[int, int, int]:
    return settings.sync_drift_threshold, settings.sync_drift_grace_minutes, settings.sync_latency_target_minutes


def test_defaults(environment):
    assert reconcile_numbers(Settings.load()) == (0, 30, 60)


def test_values_are_read(environment):
    environment.setenv("SYNC_DRIFT_THRESHOLD", "5")
    environment.setenv("SYNC_DRIFT_GRACE_MINUTES", "0")
    environment.setenv("SYNC_LATENCY_TARGET_MINUTES", " 15 ")
    assert reconcile_numbers(Settings.load()) == (5, 0, 15)


def test_wrong_values_are_named(environment):
    environment.setenv("SYNC_DRIFT_THRESHOLD", "-1")
    environment.setenv("SYNC_DRIFT_GRACE_MINUTES", "1441")
    environment.setenv("SYNC_LATENCY_TARGET_MINUTES", "an hour")
    with pytest.raises(SettingsError) as refused:
        Settings.load()
    assert refused.value.problems == [
        "SYNC_DRIFT_THRESHOLD: must be a whole number of differences, 0 or more, got '-1'",
        "SYNC_DRIFT_GRACE_MINUTES: must be a whole number of minutes, from 0 to 1440, got '1441'",
        "SYNC_LATENCY_TARGET_MINUTES: must be a whole number of minutes, 1 or more, got 'an hour'",
    ]
