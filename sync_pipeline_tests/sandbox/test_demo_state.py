"""`demo --fresh`: the demo's state in DAGSTER_HOME is removed together, dagster.yaml stays."""

from __future__ import annotations

from pathlib import Path

from sync_pipeline.sandbox.demo_stack import reset_demo_state
from sync_pipeline.stock.history import FILES_FOLDER


def test_fresh_removes_sandboxes_ledger_dagster_storage_and_stock_cycles(tmp_path: Path) -> None:
    for name in ("sandboxes.sqlite", "sandboxes.sqlite-wal", "sync_ledger.sqlite", "dagster.yaml"):
        (tmp_path / name).write_text("x")
    for folder in ("history", "storage", FILES_FOLDER):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kept.csv").write_text("x")

    reset_demo_state(tmp_path)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["dagster.yaml"]
