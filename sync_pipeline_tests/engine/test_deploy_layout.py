"""deploy/: the instance, the workers' config and the compose file agree with the engine and with each other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config
from dagster_celery.cli import get_validated_config

from sync_pipeline.automation.engine import REDELIVERY_SECONDS, celery_settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
BROKER = "redis://:pw@redis:6379/0"


def test_the_workers_run_with_the_celery_settings_the_runs_send_with(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_CELERY_BROKER_URL", BROKER)
    config = get_validated_config(str(DEPLOY / "celery-worker.yaml"))  # dagster-celery's own check
    assert config["config_source"] == celery_settings(REDELIVERY_SECONDS)
    assert config["broker"] == config["backend"] == BROKER


def test_the_instance_queues_runs_one_per_merchant_and_retries_them(tmp_path: Path) -> None:
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))  # Dagster's own validation of the instance file
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    limits = {limit["key"]: limit for limit in config["concurrency"]["runs"]["tag_concurrency_limits"]}
    for key in ("sync_pipeline/merchant", "dagster/partition"):
        assert limits[key]["limit"] == 1 and limits[key]["value"] == {"applyLimitPerUniqueValue": True}
    assert config["run_retries"]["enabled"] and config["run_retries"]["max_retries"] >= 1
    assert config["run_monitoring"]["enabled"]
    assert "postgres" in config["storage"]


def test_only_the_authenticating_proxy_is_reachable_from_outside() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "code-location", "webserver", "daemon", "worker", "proxy"} <= set(services)
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}, published
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "basic_auth" in caddy and "reverse_proxy webserver:3000" in caddy
    worker = services["worker"]["command"]
    assert "--concurrency=1" in worker and "/opt/dagster/home/celery-worker.yaml" in worker
