"""Re-drive by clicking: failing records are partitions of failed_records; materializing them re-sends them.

As an operator: records fail in a cycle, the sensor lists them as partitions (ticked here as the daemon
ticks it, its partition requests applied as the daemon applies them), the data is fixed in the ERP,
the chosen partitions are materialized (one run each, as the UI's Materialize starts them), and the
warehouse holds exactly those records.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from sync_pipeline.assets.failed_records import ASSET_KEY, FAILED_RECORDS, SENSOR_NAME
from sync_pipeline.ledger import Kind
from sync_pipeline_tests.dagster.conftest import Stack, materialization_metadata, run_job
from sync_pipeline_tests.dagster.test_dry_run import ledger_of, reset_calls, writes_made
from sync_pipeline_tests.dagster.test_redrive import LONG_NAME

PROJECT = Path(__file__).resolve().parents[2]
ARTICLE_3, ARTICLE_5 = "article:SKU-1003 (product 3)", "article:SKU-1005 (product 5)"


def tick(instance: dg.DagsterInstance) -> str | None:
    """One tick of the sensor, its partition requests applied as the daemon applies them; its message."""
    from sync_pipeline.definitions import build_definitions

    defs = build_definitions()
    context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
    data = defs.resolve_sensor_def(SENSOR_NAME).evaluate_tick(context)
    assert data.run_requests == [], "the sensor starts no run: re-sending is the operator's choice"
    for request in data.dynamic_partitions_requests:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return data.skip_message


def partitions(instance: dg.DagsterInstance) -> list[str]:
    return list(instance.get_dynamic_partitions(FAILED_RECORDS.name))


def status(instance: dg.DagsterInstance, *keys: str) -> list[str | None]:
    found = instance.get_status_by_partition(ASSET_KEY, list(keys), FAILED_RECORDS) or {}
    return [found[key].value if found.get(key) is not None else None for key in keys]


def materialize(instance: dg.DagsterInstance, *keys: str) -> list[dg.ExecuteInProcessResult]:
    """The selected partitions materialized: one run per partition, as the UI's Materialize launches them."""
    from sync_pipeline.definitions import build_definitions

    job = build_definitions().resolve_implicit_job_def_def_for_assets([ASSET_KEY])
    return [job.execute_in_process(instance=instance, partition_key=key, asset_selection=[ASSET_KEY],
                                   raise_on_error=False) for key in keys]


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    return next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE").event_specific_data.error.message


def failing_in_ledger(instance: dg.DagsterInstance) -> set[tuple[str, str]]:
    ledger = ledger_of(instance)
    return {(kind, key) for kind in ("article", "supplier", "order", "stock") for key in ledger.failing(kind)}


@pytest.fixture
def two_bad_articles(stack: Stack, instance: dg.DagsterInstance) -> Stack:
    """Products 3 and 5 have names too long for the warehouse: both refused, and orders 2 and 4 that name them."""
    stack.erp_admin.post("products", [{"Id": 3, "Name": LONG_NAME}, {"Id": 5, "Name": LONG_NAME}])
    assert run_job("sync_all", instance).success
    tick(instance)
    return stack


def test_failing_records_are_listed_as_readable_partitions(two_bad_articles: Stack,
                                                           instance: dg.DagsterInstance) -> None:
    assert partitions(instance) == [ARTICLE_3, ARTICLE_5, "order:2", "order:4"]
    assert failing_in_ledger(instance) == {("article", "3"), ("article", "5"), ("order", "2"), ("order", "4")}
    assert status(instance, *partitions(instance)) == [None] * 4, "not re-driven yet"
    assert "4 failing record(s): 0 partition(s) added, 0 removed" == tick(instance), "a second tick changes nothing"
    hint = materialization_metadata(instance, "wms_articles")["dead_letters"]
    assert "Re-drive them from the asset `failed_records`: select their partitions (`article:…`)" in hint


def test_materializing_one_partition_resends_that_record_alone_and_its_partition_goes(
        two_bad_articles: Stack, instance: dg.DagsterInstance) -> None:
    stack = two_bad_articles
    stack.erp_admin.post("products", [{"Id": 3, "Name": "Fixed name"}, {"Id": 5, "Name": "Fixed too, not chosen"}])
    cursor = ledger_of(instance).get_cursor("articles")
    reset_calls(stack)

    [result] = materialize(instance, ARTICLE_3)

    assert result.success
    assert writes_made(stack) == {("ProcessArticle", "SKU-1003")}, "only the chosen record was written"
    names = {a["ArticleNumber"]: a["ArticleName"] for a in stack.wms_admin.get("state")["articles"]}
    assert names["SKU-1003"] == "Fixed name" and "SKU-1005" not in names
    assert status(instance, ARTICLE_3) == ["MATERIALIZED"]
    metadata = {k: v.value for k, v in result.asset_materializations_for_node("failed_records")[0].metadata.items()}
    assert metadata["record"] == "article SKU-1003 (product 3)" and metadata["outcome"] == "created"
    assert "dead-lettered" in metadata["ledger_before"] and metadata["ledger_after"] == "sent, 0 failed attempt(s)"
    assert ledger_of(instance).get_cursor("articles") == cursor, "the delta cursor did not move"

    tick(instance)
    assert partitions(instance) == [ARTICLE_5, "order:2", "order:4"], "the healed record's partition is removed"


def test_selected_order_partitions_are_sent_once_their_articles_are_fixed(
        two_bad_articles: Stack, instance: dg.DagsterInstance) -> None:
    stack = two_bad_articles
    stack.erp_admin.post("products", [{"Id": 3, "Name": "Fixed name"}, {"Id": 5, "Name": "Fixed too"}])
    assert run_job("sync_all", instance).success  # a later cycle heals the articles; the orders wait out a backoff
    tick(instance)
    assert partitions(instance) == ["order:2", "order:4"], "the articles healed by the cycle left the list"
    reset_calls(stack)

    results = materialize(instance, "order:2", "order:4")

    assert [r.success for r in results] == [True, True]
    assert writes_made(stack) == {("ProcessOrder", "2"), ("ProcessOrder", "4")}
    in_wms = {o["GoodsOwnerOrderNumber"] for o in stack.wms_admin.get("state")["orders"]}
    assert {"2", "4"} <= in_wms
    assert status(instance, "order:2", "order:4") == ["MATERIALIZED", "MATERIALIZED"]
    tick(instance)
    assert partitions(instance) == [] and failing_in_ledger(instance) == set()


def test_a_redrive_that_fails_again_fails_its_partition_naming_record_and_field(
        two_bad_articles: Stack, instance: dg.DagsterInstance) -> None:
    stack = two_bad_articles
    reset_calls(stack)

    [result] = materialize(instance, ARTICLE_5)  # not fixed in the ERP

    assert not result.success
    assert writes_made(stack) == {("ProcessArticle", "SKU-1005")}
    message = failure_message(result)
    assert "re-drive of article SKU-1005 (product 5) failed" in message and "ArticleName is 120 characters" in message
    assert status(instance, ARTICLE_5, ARTICLE_3) == ["FAILED", None]
    tick(instance)
    assert ARTICLE_5 in partitions(instance), "still failing: still listed"


def test_a_record_failing_again_after_its_redrive_comes_back_without_the_old_green(
        two_bad_articles: Stack, instance: dg.DagsterInstance) -> None:
    stack = two_bad_articles
    stack.erp_admin.post("products", {"Id": 3, "Name": "Fixed name"})
    assert [r.success for r in materialize(instance, ARTICLE_3)] == [True]
    tick(instance)
    assert ARTICLE_3 not in partitions(instance)

    stack.erp_admin.post("products", {"Id": 3, "Name": LONG_NAME})
    assert run_job("sync_all", instance).success
    tick(instance)

    assert f"{ARTICLE_3} #2" in partitions(instance)
    assert status(instance, f"{ARTICLE_3} #2") == [None], "listed as failing, not green from the earlier re-drive"


def test_partitions_wait_for_their_names_while_the_erp_does_not_answer(
        two_bad_articles: Stack, instance: dg.DagsterInstance) -> None:
    stack = two_bad_articles
    for key in partitions(instance):
        instance.delete_dynamic_partition(FAILED_RECORDS.name, key)
    stack.erp_admin.post("faults", {"error_rate": 1.0})

    message = tick(instance)

    assert partitions(instance) == ["order:2", "order:4"], "orders need no name; articles wait"
    assert message is not None and "2 waiting for their names" in message
    stack.erp_admin.post("faults", {})
    tick(instance)
    assert partitions(instance) == ["order:2", "order:4", ARTICLE_3, ARTICLE_5]


def test_a_switched_off_process_refuses_its_partition(two_bad_articles: Stack, instance: dg.DagsterInstance,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    stack = two_bad_articles
    stack.erp_admin.post("products", {"Id": 3, "Name": "Fixed name"})
    monkeypatch.setenv("SYNC_ARTICLES", "off")
    reset_calls(stack)

    [result] = materialize(instance, ARTICLE_3)

    assert not result.success
    assert "the articles process is switched off (SYNC_ARTICLES=off)" in failure_message(result)
    assert writes_made(stack) == set()
    assert ledger_of(instance).get(Kind.ARTICLE, "3").failing, "nothing was tried"


def test_the_command_line_redrives_a_partition_as_the_runbook_says(stack: Stack, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        stack.erp_admin.post("products", [{"Id": 3, "Name": LONG_NAME}])
        assert run_job("sync_all", instance).success
        tick(instance)
        stack.erp_admin.post("products", {"Id": 3, "Name": "Fixed name"})
        reset_calls(stack)

        process = subprocess.run(  # the command of docs/operations.md, "Re-drive failed records"
            [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "sync_pipeline.definitions",
             "--select", "failed_records", "--partition", ARTICLE_3],
            cwd=PROJECT, env=dict(os.environ), capture_output=True, text=True, timeout=240)

        assert process.returncode == 0, (process.stdout + process.stderr)[-4000:]
        assert writes_made(stack) == {("ProcessArticle", "SKU-1003")}
        assert status(instance, ARTICLE_3) == ["MATERIALIZED"]
