"""sync_all against both Dagster storages: the project's dagster.yaml on a real PostgreSQL (a fresh
database per test, dropped afterwards) and the embedded SQLite default of a bare DAGSTER_HOME."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator

import dagster as dg
import psycopg2
import pytest
from dagster._core.storage.runs import SqliteRunStorage
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from sync_pipeline_tests.dagster.conftest import Stack, run_job

PROJECT = Path(__file__).resolve().parents[2]
PG_VARIABLES = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")


def _connect(database: str):
    connection = psycopg2.connect(host=os.environ["DAGSTER_PG_HOST"], port=os.environ["DAGSTER_PG_PORT"],
                                  user=os.environ["DAGSTER_PG_USER"], password=os.environ["DAGSTER_PG_PASSWORD"],
                                  dbname=database)
    connection.autocommit = True
    return connection


@pytest.fixture
def postgres_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database of its own for this test; DAGSTER_PG_DB points at it while the test runs."""
    missing = [name for name in PG_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not set: the PostgreSQL storage tests need a running server. "
                    "Run the suite with ./dev test (it starts PostgreSQL and sets DAGSTER_PG_*).")
    name = f"sync_pipeline_test_{uuid.uuid4().hex[:12]}"
    admin = _connect(os.environ["DAGSTER_PG_DB"])
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        monkeypatch.setenv("DAGSTER_PG_DB", name)
        yield name
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def instance_in(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def test_sync_all_on_postgresql_with_the_projects_dagster_yaml(stack: Stack, postgres_database: str,
                                                               dagster_home: Path) -> None:
    shutil.copy(PROJECT / "dagster.yaml", dagster_home / "dagster.yaml")
    instance = instance_in(dagster_home)
    try:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        result = run_job("sync_all", instance)
        assert result.success
        assert instance.get_latest_materialization_event(dg.AssetKey("stock_snapshot")) is not None
    finally:
        instance.dispose()

    connection = _connect(postgres_database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT run_id, status FROM runs WHERE pipeline_name = 'sync_all'")
            stored = cursor.fetchall()
    finally:
        connection.close()
    assert stored == [(result.run_id, "SUCCESS")], "the run is stored in this PostgreSQL database"

    again = instance_in(dagster_home)  # a new process would see the same history and cursors
    try:
        assert again.get_run_by_id(result.run_id).is_success
        assert again.get_latest_materialization_event(dg.AssetKey("wms_orders")) is not None
    finally:
        again.dispose()


def test_sync_all_on_the_embedded_sqlite_default(stack: Stack, dagster_home: Path) -> None:
    instance = instance_in(dagster_home)  # no dagster.yaml: Dagster's default storage under DAGSTER_HOME
    try:
        assert isinstance(instance.run_storage, SqliteRunStorage)
        result = run_job("sync_all", instance)
        assert result.success
    finally:
        instance.dispose()
    assert (dagster_home / "history" / "runs.db").is_file()
    again = instance_in(dagster_home)
    try:
        assert again.get_run_by_id(result.run_id).is_success
    finally:
        again.dispose()
