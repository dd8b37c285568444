"""SYNC_ERP_REQUESTS_PER_HOUR per merchant: a merchant's clients, as the assets get them, keep its own budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_pipeline.erp.budget import RequestBudgetSpent
from sync_pipeline.settings import SettingsError, load_settings
from sync_pipeline.tenants.deployment import load_deployment
from sync_pipeline_tests.settings_environment import clear_settings
from sync_pipeline_tests.tenants.fixtures import start_merchants


def test_one_merchants_spent_budget_stops_its_requests_only_and_names_it(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    stacks = start_merchants(["acme", "beta"], tmp_path, monkeypatch,
                             settings={"acme": {"SYNC_ERP_REQUESTS_PER_HOUR": 3}})
    try:
        _, merchants = load_deployment(None)
        acme, beta = merchants.get("acme"), merchants.get("beta")
        assert (acme.settings.sync_erp_requests_per_hour, beta.settings.sync_erp_requests_per_hour) == (3, 7200)

        acme.erp().products([1])            # its login and a read
        acme.erp().order_ids_changed_since(None)  # its third request
        with pytest.raises(RequestBudgetSpent) as spent:
            acme.erp().products([1])
        for _ in range(5):  # beta's requests are its own: acme's spent budget does not touch them
            assert [p.No for p in beta.erp().products([1])] == ["SKU-1001"]

        assert "24SevenOffice request budget of merchant acme spent: 3 requests in the last hour" in str(spent.value)
        acme_calls = stacks[0].erp_admin.get("calls")["log"]
        beta_calls = stacks[1].erp_admin.get("calls")["log"]
        assert [entry["outcome"] for entry in acme_calls] == ["ok"] * 3
        assert [entry["outcome"] for entry in beta_calls] == ["ok"] * 6
    finally:
        for stack in stacks:
            stack.stop()


def test_the_budget_must_be_a_whole_number_of_requests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clear_settings(monkeypatch, tmp_path)
    with pytest.raises(SettingsError, match="SYNC_ERP_REQUESTS_PER_HOUR: must be a whole number of requests, "
                                            "1 or more, got '0'"):
        load_settings(None, sync_erp_requests_per_hour="0")
