"""Stage times are recorded by real runs only: a gate without a run (a dry run) writes none."""

from __future__ import annotations

from datetime import datetime, timezone

from sync_pipeline.ledger import Kind, Ledger, Stage, sqlite_url
from sync_pipeline.sync.gate import Gate, no_gate

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def test_only_a_run_holding_claims_records_stage_times(tmp_path):
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as ledger:
        Gate(ledger, None, Kind.ORDER).reached("1", {Stage.CONFIRMED: NOW})
        no_gate(Kind.ORDER).reached("2", {Stage.CONFIRMED: NOW})
        assert ledger.stage_times(Kind.ORDER) == {}
        with ledger.run("run-1") as run:
            Gate(ledger, run, Kind.ORDER).reached("3", {Stage.CONFIRMED: NOW, Stage.SHIPPED: None})
        assert ledger.stage_times(Kind.ORDER) == {"3": {Stage.CONFIRMED: NOW}}
