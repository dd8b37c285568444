"""Every run's process imports the code location before its first step (docs/benchmarks.md, "PF5, where a
run's start goes"): what only some runs use (pandas for the stock runs, dagster-celery with a broker) is
loaded by those runs, not by every run's start. Each case imports the code location in a fresh interpreter,
as a run's process does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dagster._core.instance.config import dagster_instance_config

from sync_pipeline.sandbox.demo_stack import LOCAL_INSTANCE
from sync_pipeline_tests.settings_environment import REQUIRED

HEAVY_FOR_STOCK = ("pandas", "numpy")
REPORT = """
import json, sys
import dagster as dg
import sync_pipeline.definitions as location
repository = location.defs.get_repository_def()
jobs = {job.name: job.executor_def.name for job in repository.get_all_jobs() if not job.name.startswith("__")}
print(json.dumps({"modules": sorted(sys.modules), "assets": sorted(k.to_user_string() for k in
                  repository.asset_graph.get_all_asset_keys()), "executors": jobs}))
"""


def loaded(tmp_path: Path, **env: str) -> dict:
    """The modules the code location's import left loaded, its assets and each job's executor."""
    clean = {name: value for name, value in os.environ.items() if not name.upper().startswith(("SO24_", "ONGOING_", "SYNC_"))}
    done = subprocess.run([sys.executable, "-c", REPORT], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**clean, **REQUIRED, "DAGSTER_HOME": str(tmp_path), **env})
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_a_run_loads_the_code_location_without_pandas_or_celery(tmp_path: Path) -> None:
    found = loaded(tmp_path)
    assert not set(HEAVY_FOR_STOCK) & set(found["modules"]), "pandas is for the stock runs, loaded by them"
    assert "dagster_celery" not in found["modules"], "no broker: runs execute in their own process"
    # the lighter load still defines everything: the stock assets and their jobs are there
    assert {"stock_snapshot", "stock_resync", "wms_articles", "wms_orders", "drift_report"} <= set(found["assets"])
    assert found["executors"]["sync_all"] == "in_process"


def test_with_a_broker_the_runs_send_their_steps_to_celery(tmp_path: Path) -> None:
    found = loaded(tmp_path, SYNC_CELERY_BROKER_URL="redis://:secret@127.0.0.1:6379/0")
    assert "dagster_celery" in found["modules"]
    assert set(found["executors"].values()) == {"celery"}
    assert not set(HEAVY_FOR_STOCK) & set(found["modules"])


def test_every_instance_takes_a_queued_run_within_a_second(tmp_path: Path) -> None:
    """The run queue's look is part of every run's start: each instance the project ships (production, the
    distributed deployment, the demo's) looks every second and launches runs due together side by side."""
    project = Path(__file__).resolve().parents[2]
    instances = {"dagster.yaml": (project / "dagster.yaml").read_text(),
                 "deploy/dagster.yaml": (project / "deploy" / "dagster.yaml").read_text(),
                 "demo": LOCAL_INSTANCE}
    for name, text in instances.items():
        home = tmp_path / name.replace("/", "_")
        home.mkdir()
        (home / "dagster.yaml").write_text(text)
        config, _ = dagster_instance_config(str(home))  # Dagster's own validation of the instance file
        queue = config["run_coordinator"]["config"]
        assert config["run_coordinator"]["class"] == "QueuedRunCoordinator", name
        assert queue["dequeue_interval_seconds"] == 1 and queue["dequeue_use_threads"], name
        assert config["sensors"]["use_threads"], name
