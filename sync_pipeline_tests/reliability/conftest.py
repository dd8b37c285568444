"""The Dagster fixtures (seeded sandboxes with the environment pointing at them, a test instance)."""

from sync_pipeline_tests.dagster.conftest import instance, stack  # noqa: F401 - fixtures
