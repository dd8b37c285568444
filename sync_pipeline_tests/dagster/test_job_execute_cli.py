"""`dagster job execute -m sync_pipeline.definitions -j sync_all`, as an operator would type it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sync_pipeline_tests.dagster.conftest import Stack

PROJECT = Path(__file__).resolve().parents[2]


def test_dagster_job_execute_runs_sync_all(stack: Stack, tmp_path: Path) -> None:
    products = {p["No"] for p in stack.erp_admin.get("state")["products"]}
    assert stack.wms_admin.get("state")["articles"] == [], "the warehouse starts without articles"

    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}  # the stack fixture set SO24_* and ONGOING_*
    process = subprocess.run(
        [sys.executable, "-m", "dagster", "job", "execute", "-m", "sync_pipeline.definitions", "-j", "sync_all"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=240,
    )
    output = process.stdout + process.stderr
    assert process.returncode == 0, output[-4000:]
    assert 'RUN_SUCCESS - Finished execution of run for "sync_all"' in output

    articles = {a["ArticleNumber"] for a in stack.wms_admin.get("state")["articles"]}
    assert articles == products, "every ERP product is a WMS article now"
    assert stack.erp_admin.get("state")["logins"] == 1, "the run's steps share one ERP login"
    assert os.environ["SO24_PASSWORD"] not in output and os.environ["ONGOING_PASSWORD"] not in output
