"""SYNC_CUSTOMS_AREA: off by default, named areas (the EU's member states, Norway alone) and country codes,
one clear line for a word that is neither, and the area reaching the order process."""

from __future__ import annotations

import pytest

from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.sync.customs import EU
from sync_pipeline_tests.settings_environment import clear_settings, load, problems


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)


def test_the_customs_check_is_off_by_default(monkeypatch):
    settings = load(monkeypatch)
    assert settings.sync_customs_area == frozenset()
    assert ProcessConfig.from_settings(settings).orders.customs_area == frozenset()
    assert load(monkeypatch, SYNC_CUSTOMS_AREA="off").sync_customs_area == frozenset()


@pytest.mark.parametrize(("value", "expected"), [
    ("EU", EU),
    ("NO", frozenset({"NO"})),
    ("eu, no", EU | {"NO"}),
    ("NO,SJ", frozenset({"NO", "SJ"})),
    (" se , dk ", frozenset({"SE", "DK"})),
])
def test_named_areas_and_country_codes(monkeypatch, value, expected):
    settings = load(monkeypatch, SYNC_CUSTOMS_AREA=value)
    assert settings.sync_customs_area == expected
    assert ProcessConfig.from_settings(settings).orders.customs_area == expected


def test_the_eu_is_its_27_member_states_without_norway():
    assert len(EU) == 27 and "NO" not in EU and {"SE", "DE", "GR", "IE"} <= EU and "GB" not in EU


@pytest.mark.parametrize("value", ["Europe", "EU,SWE", "N0"])
def test_a_word_that_is_neither_area_nor_country_is_refused_naming_it(monkeypatch, value):
    found = problems(monkeypatch, SYNC_CUSTOMS_AREA=value)
    assert len(found) == 1, found
    assert found[0].startswith("SYNC_CUSTOMS_AREA: must be off, EU, NO or country codes")
    wrong = [w.strip().upper() for w in value.split(",") if w.strip().upper() not in ("EU", "NO")][0]
    assert repr(wrong) in found[0]
