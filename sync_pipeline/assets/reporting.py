"""Turning a SyncReport into what the Dagster UI shows, and keeping the cursor between runs."""

from __future__ import annotations

import dagster as dg

from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.report import SyncReport

MAX_FAILURE_ROWS = 200
OWNERS = ["team:integrations"]
SOAP_KINDS = {"soap", "24sevenoffice", "ongoing"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def failures_markdown(report: SyncReport) -> str:
    if not report.failures:
        return "No failed records."
    rows = ["| record | field | reason | retryable |", "|---|---|---|---|"]
    for error in report.failures[:MAX_FAILURE_ROWS]:
        rows.append(f"| {_cell(error.key)} | {_cell(error.field or '')} | {_cell(error.message)} | "
                    f"{'yes' if error.retryable else 'no'} |")
    if report.failed > MAX_FAILURE_ROWS:
        rows.append(f"| … | | {report.failed - MAX_FAILURE_ROWS} more | |")
    return "\n".join(rows)


def report_metadata(report: SyncReport) -> dict[str, object]:
    metadata: dict[str, object] = {name: dg.MetadataValue.int(value) for name, value in report.counts().items()}
    metadata["failures"] = dg.MetadataValue.md(failures_markdown(report))
    metadata["summary"] = dg.MetadataValue.text(report.summary())
    if report.cursor is not None:
        metadata["cursor"] = dg.MetadataValue.text(report.cursor.to_json())
    for name, value in report.details.items():
        metadata[name] = dg.MetadataValue.json(value) if isinstance(value, (list, dict)) else value
    return metadata


def last_cursor(context: dg.AssetExecutionContext) -> Cursor | None:
    """The cursor the previous materialization of this asset recorded (None: start from scratch)."""
    event = context.instance.get_latest_materialization_event(context.asset_key)
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get("cursor")
    return Cursor.from_json(value.value) if value is not None else None


def failed_records_check(report: SyncReport, asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name="no_failed_records",
        passed=report.failed == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"failed": report.failed},
        description=f"{report.failed} record(s) failed" if report.failed else "every record went through",
    )


def no_failed_records_spec(asset_name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name="no_failed_records", asset=asset_name,
                             description="Warns when any record of the last run was refused or failed.")
