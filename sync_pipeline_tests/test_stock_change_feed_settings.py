"""SYNC_STOCK_CHANGE_FEED: off by default (docs/operations.md says why), on reaches the stock process."""

from __future__ import annotations

import pytest

from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline_tests.settings_environment import clear_settings, load


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)


def test_the_change_feed_is_off_by_default_and_switched_on_by_the_setting(monkeypatch):
    assert ProcessConfig.from_settings(load(monkeypatch)).stock_change_feed is False
    assert ProcessConfig.from_settings(load(monkeypatch, SYNC_STOCK_CHANGE_FEED="on")).stock_change_feed is True
