"""An operator's session in the Dagster UI, in headless Chromium, against `sync-pipeline demo`."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

from sync_pipeline_tests.ui.conftest import DemoUi, Screenshots

PROCESS_GROUPS = ("articles", "orders", "suppliers", "stock")
DEMO_PRODUCTS = 24  # the demo catalogue: products 1..24, every one an article in the warehouse
RUN_SECONDS = 300  # generous for a loaded machine: the wait ends when the run does
RUN_QUERY = """
query ($runId: ID!) { runOrError(runId: $runId) { __typename ... on Run { status jobName } } }
"""
RUN_ERRORS_QUERY = """
query ($runId: ID!) { logsForRun(runId: $runId) { ... on EventConnection { events {
    ... on ExecutionStepFailureEvent { stepKey error { message } }
    ... on EngineEvent { message error { message } } } } } }
"""
SECRETS = ("demo-password",)
FOCUSED_ROW = re.compile(r"AssetEventList_assetListRowFocused")


def wait_for_run(demo: DemoUi, run_id: str) -> str:
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        run = demo.graphql(RUN_QUERY, runId=run_id)["runOrError"]
        assert run["__typename"] == "Run", run
        if run["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
            return run["status"]
        time.sleep(1)
    raise AssertionError(f"run {run_id} did not finish within {RUN_SECONDS}s")


def run_errors(demo: DemoUi, run_id: str) -> list[str]:
    events = demo.graphql(RUN_ERRORS_QUERY, runId=run_id)["logsForRun"].get("events", [])
    return [event["error"]["message"] for event in events if event.get("error")]


def assert_no_secrets(page: Page) -> None:
    html = page.content()
    for secret in SECRETS:
        assert secret not in html, f"a password is shown on {page.url}"


def metadata_value(page: Page, table: Locator, key: str) -> str:
    """The value cell of a metadata row on an asset event (the key in the first cell, the value next)."""
    row = table.locator("tr").filter(has=page.get_by_text(key, exact=True))
    return row.locator("td").nth(1).inner_text().strip()


def open_materialization_of_run(page: Page, short_id: str) -> None:
    """On an asset's Events tab, select the materialization made by the given run.

    Each row is clicked and, once the UI marks it focused (its detail renders in the same update),
    the detail's run is read: no short wait decides, however slowly a loaded machine renders.
    """
    shown_run = page.get_by_text(re.compile(r"Materialized in run\s*[0-9a-f]{8}"))
    events = page.locator('[class*="AssetEventList_assetListRow"]')
    expect(events.first).to_be_visible()
    for index in range(events.count()):
        row = events.nth(index)
        if not FOCUSED_ROW.search(row.get_attribute("class") or ""):
            row.click()
        expect(row).to_have_class(FOCUSED_ROW)
        expect(shown_run).to_be_visible()
        if re.search(rf"Materialized in run\s*{short_id}", shown_run.inner_text()):
            return
    raise AssertionError(f"no materialization of run {short_id} among {events.count()} events")


def test_an_operator_runs_sync_all_from_the_ui_and_reads_what_it_did(
        demo_ui: DemoUi, browser_page: Page, screenshots: Screenshots) -> None:
    page = browser_page

    # The global asset graph: one group per process, collapsed into a node each.
    page.goto(f"{demo_ui.url}/asset-groups")
    group_nodes = page.locator('[class*="CollapsedGroupNode_collapsedGroupNodeBox"]')
    for group in PROCESS_GROUPS:
        expect(group_nodes.filter(has=page.get_by_text(group, exact=True)),
               f"the asset graph shows the {group} group").to_have_count(1)
    expect(page.get_by_text("fetching statuses")).to_have_count(0)
    screenshots.take("asset-graph")

    # Jobs -> sync_all -> Materialize all, as the README tells an operator.
    page.locator('a[href="/jobs"]').click()
    page.locator('a[href$="/jobs/sync_all"]').first.click()
    expect(page.get_by_text("One cycle of every enabled process")).to_be_visible()
    screenshots.take("sync-all-job")
    page.get_by_role("button", name="Materialize all").click()
    launched = page.get_by_text(re.compile(r"Launched run [0-9a-f]{8}"))
    expect(launched).to_be_visible()
    short_id = launched.inner_text().split()[-1]
    screenshots.take("sync-all-launched")
    view = page.get_by_role("link", name="View", exact=True)
    run_id = view.get_attribute("href").removeprefix("/runs/")
    assert run_id.startswith(short_id), (run_id, short_id)
    view.click()
    page.wait_for_url(f"**/runs/{run_id}*")

    status = wait_for_run(demo_ui, run_id)
    assert status == "SUCCESS", f"sync_all ended {status}: {run_errors(demo_ui, run_id)}"
    expect(page.get_by_text("Success", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Run of"))).to_be_visible()
    screenshots.take("sync-all-run-succeeded")
    # The run's log, narrowed to the article step: its materialization carries the counts.
    log_filter = page.get_by_placeholder("Filter…")
    log_filter.fill("step:wms_articles")
    log_filter.press("Enter")
    expect(page.get_by_text(re.compile(r"articles: created \d+, updated \d+, unchanged \d+, failed 0")).first
           ).to_be_visible()
    assert_no_secrets(page)
    screenshots.take("sync-all-run-article-step")

    # The latest materialization of the article registry, on the asset's page.
    page.goto(f"{demo_ui.url}/assets/wms_articles")
    expect(page.get_by_text("Latest materialization")).to_be_visible()
    overview = page.locator("table").filter(has=page.get_by_text("summary", exact=True))
    for key in ("created", "updated", "unchanged", "failed", "failures", "summary"):
        expect(overview.get_by_text(key, exact=True), f"the overview shows {key}").to_be_visible()
    assert_no_secrets(page)
    screenshots.take("wms-articles-overview")

    # Its history: the materialization the launched run made (the sensor's push_orders may have made one
    # too, before or after it), with counts that add up to the demo catalogue and a summary that agrees.
    page.locator('a[href$="view=events"]').click()
    open_materialization_of_run(page, short_id)
    event = page.locator("table").filter(has=page.get_by_text("summary", exact=True))
    counts = {key: int(metadata_value(page, event, key)) for key in ("created", "updated", "unchanged", "failed")}
    assert counts["failed"] == 0, counts
    assert counts["created"] + counts["updated"] + counts["unchanged"] == DEMO_PRODUCTS, counts
    summary = metadata_value(page, event, "summary")
    assert summary.startswith("articles: "), summary
    for key, value in counts.items():
        assert re.search(rf"\b{key} {value}\b", summary), (key, value, summary)
    assert metadata_value(page, event, "failures") == "No failed records."
    assert_no_secrets(page)
    screenshots.take("wms-articles-materialization-of-the-run")
