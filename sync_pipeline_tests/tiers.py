"""The fast tier: `./dev test -m "not slow"` leaves out what starts processes, PostgreSQL, the Dagster
daemon or a browser, or runs for long by design. `./dev test` (and CI) runs everything.

Marked here, by place and by fixture, so a new test in one of these places (or using one of these
fixtures) is slow without anyone remembering to say so; a test elsewhere that turns slow is added
to SLOW_PLACES.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

SLOW_PLACES = {
    "reliability": "end-to-end guarantees: fault soaks, crash-safety workers, PostgreSQL restarts",
    "ui": "Chromium driving the Dagster UI of a `dagster dev`",
    "test_benchmarks_smoke.py": "every benchmark at small scale, sandboxes and dagster dev in child processes",
    "dagster/test_demo_command.py": "`sync-pipeline demo` in a child process: sandboxes plus dagster dev",
    "dagster/test_demo_stops.py": "`sync-pipeline demo` in a child process: sandboxes plus dagster dev",
    "dagster/test_demo_restarts.py": "`sync-pipeline demo` started three times in a child process",
    "dagster/test_demo_merchants.py": "`sync-pipeline demo --merchants 3` in a child process, a run through its UI",
    "dagster/test_job_execute_cli.py": "the dagster command line in child processes",
    "dagster/test_code_location_load.py::test_a_run_loads_the_code_location_without_pandas_or_celery":
        "the code location imported in a child process",
    "dagster/test_code_location_load.py::test_with_a_broker_the_runs_send_their_steps_to_celery":
        "the code location imported in a child process",
    "dagster/test_daemon_alerts.py": "dagster dev (webserver and daemon) and the sandboxes in child processes",
    "dagster/test_merchants_daemon.py": "dagster dev (webserver and daemon) serving three merchants",
    "dagster/test_storage.py": "Dagster's storage on PostgreSQL",
    "sandbox/test_cli.py": "`sync-pipeline sandbox` in child processes",
    "ledger/test_postgres.py": "the ledger on PostgreSQL",
    "contracts/test_corpus_erp.py": "replies drawn from the real descriptions' whole vocabulary, read on both paths",
    "erp/test_large_read_memory.py": "a 20,000-product reply read in a child process, its peak RSS measured",
    "contracts/test_corpus_wms.py": "replies drawn from the real descriptions' whole vocabulary, read on both paths",
    "dagster/test_schedules.py::test_dagster_refuses_to_load_the_code_location_with_an_uneven_interval":
        "`dagster definitions validate` in a child process",
}

SLOW_FIXTURES = {
    "stack": "Dagster jobs run end to end over both seeded sandboxes (dagster/conftest.py)",
    "merchants": "Dagster jobs run end to end over two merchants' seeded sandboxes (tenants/fixtures.py)",
}


def slow_reason(item: pytest.Item) -> str | None:
    relative = Path(item.path).resolve().relative_to(TESTS)
    test = f"{relative.as_posix()}::{item.name.partition('[')[0]}"
    for place, reason in SLOW_PLACES.items():
        if place in (test, relative.as_posix()) or Path(place) in relative.parents:
            return reason
    for fixture, reason in SLOW_FIXTURES.items():
        if fixture in getattr(item, "fixturenames", ()):
            return reason
    # The ledger's tests run on SQLite and on PostgreSQL: the SQLite half stays in the fast tier.
    if getattr(item, "callspec", None) is not None and item.callspec.params.get("store") == "postgresql":
        return "the ledger on PostgreSQL"
    return None


def mark_slow_tests(items: list[pytest.Item]) -> None:
    for item in items:
        if slow_reason(item) is not None:
            item.add_marker(pytest.mark.slow)
