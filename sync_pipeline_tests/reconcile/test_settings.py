"""The reconciliation settings: defaults, and one clear line per wrong value."""

from __future__ import annotations

import pytest

from sync_pipeline.settings import Settings, SettingsError
from sync_pipeline_tests.test_settings import REQUIRED


@pytest.fixture
def environment(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.upper().startswith(("SO24_", "ONGOING_", "SYNC_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_defaults(environment):
    settings = Settings.load()
    assert (settings.sync_drift_threshold, settings.sync_drift_grace_minutes, settings.sync_latency_target_minutes) \
        == (0, 30, 60)


def test_values_are_read(environment):
    environment.setenv("SYNC_DRIFT_THRESHOLD", "5")
    environment.setenv("SYNC_DRIFT_GRACE_MINUTES", "0")
    environment.setenv("SYNC_LATENCY_TARGET_MINUTES", " 15 ")
    settings = Settings.load()
    assert (settings.sync_drift_threshold, settings.sync_drift_grace_minutes, settings.sync_latency_target_minutes) \
        == (5, 0, 15)


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
