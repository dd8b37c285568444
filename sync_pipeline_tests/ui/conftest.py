"""The README's main command (`sync-pipeline demo`) and a headless Chromium, for tests of the Dagster UI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from playwright.sync_api import Page, expect, sync_playwright

from sync_pipeline_tests.ports import free_ports

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts" / "ui"
CHROMIUM = Path("/usr/bin/chromium")
# The machine's network is closed: without the background-networking flags Chromium keeps dialling
# Google's services and its connections are refused.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_SECONDS = 120
UI_SECONDS = 30  # for any page or element to show: generous, for a loaded machine
LOCATION_QUERY = """
{ workspaceOrError { ... on Workspace { locationEntries { locationOrLoadError {
    __typename ... on PythonError { message } } } } } }
"""


@dataclass
class DemoUi:
    url: str
    log: Path

    def graphql(self, query: str, **variables: Any) -> dict:
        reply = requests.post(f"{self.url}/graphql", json={"query": query, "variables": variables},
                              timeout=60)  # generous for a loaded machine: it ends with the answer
        reply.raise_for_status()
        body = reply.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]


class Screenshots:
    """Numbered screenshots of each step in test-artifacts/ui/ (the folder holds the latest run only)."""

    def __init__(self, page: Page):
        self.page, self.count = page, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("*.png"):
            old.unlink()

    def take(self, name: str) -> Path:
        self.count += 1
        path = ARTIFACTS / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=path)
        return path


def _default_sigint() -> None:
    # A test run started in the background inherits SIGINT ignored; the demo must stop on Ctrl+C as it
    # does for an operator, so restore the default before it starts.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _log_tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_loaded(demo: DemoUi, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"sync-pipeline demo exited:\n{_log_tail(demo.log)}"
        with suppress(requests.RequestException):
            entries = demo.graphql(LOCATION_QUERY)["workspaceOrError"]["locationEntries"]
            location = entries[0]["locationOrLoadError"] if entries else None
            if location is not None:
                assert location["__typename"] == "RepositoryLocation", location
                return
        time.sleep(0.5)
    raise AssertionError(f"the Dagster UI did not load the code location in {STARTUP_SECONDS}s:\n"
                         f"{_log_tail(demo.log)}")


def _stop(process: subprocess.Popen) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        pass
    with suppress(ProcessLookupError):  # whatever outlived the command (run workers) goes too
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


@pytest.fixture
def demo_ui(tmp_path: Path) -> Iterator[DemoUi]:
    """`sync-pipeline demo` on free ports with its own DAGSTER_HOME, its log kept as a test artifact."""
    ui, erp, wms = free_ports(3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {name: value for name, value in os.environ.items() if not name.startswith("SYNC_")}
    # The schedule fires once a day (00:00 UTC), so no scheduled run overlaps the one the test launches.
    env["SYNC_INTERVAL_MINUTES"] = "1440"
    demo = DemoUi(f"http://127.0.0.1:{ui}", ARTIFACTS / "demo.log")
    with demo.log.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sync_pipeline.cli", "demo", "--port", str(ui), "--erp-port", str(erp),
             "--wms-port", str(wms), "--dagster-home", str(tmp_path / "dagster_home")],
            cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_default_sigint,
        )
        try:
            _wait_until_loaded(demo, process)
            yield demo
        finally:
            _stop(process)


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture
def browser_page(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    """A page in Debian's Chromium, headless, with a fresh profile; a screenshot is kept if the test fails."""
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `./dev test` installs Debian's chromium package"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile", executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1600, "height": 1000})
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(UI_SECONDS * 1000)
            expect.set_options(timeout=UI_SECONDS * 1000)
            # Dagster greets a new instance with a "Join the community" dialog over whatever page is open.
            page.add_locator_handler(page.get_by_text("Join the Dagster community"),
                                     lambda: page.get_by_role("button", name="Skip").click())
            yield page
            if request.node.stash.get(CALL_FAILED, False):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=ARTIFACTS / "failure.png")
        finally:
            context.close()


@pytest.fixture
def screenshots(browser_page: Page) -> Screenshots:
    return Screenshots(browser_page)
