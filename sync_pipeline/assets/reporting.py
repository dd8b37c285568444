"""Turning a SyncReport into what the Dagster UI shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import dagster as dg

from sync_pipeline.ledger import Kind, LedgerEntry
from sync_pipeline.processes.model import SOAP_KINDS as PROCESS_SOAP_KINDS
from sync_pipeline.processes.runner import SWITCHED_OFF, UNKNOWN_ELEMENTS
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.cursor import Cursor
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.utc import utc_text

MAX_FAILURE_ROWS = 200
MAX_DEAD_LETTER_ROWS = 200
MAX_NAMED_RECORDS = 10  # records a failed check names (in its metadata and alert); the count is complete
MAX_REASONS = 3  # refused records whose reasons an alert quotes
FIRST_REASONS = "first_reasons"  # metadata the alert sensors read: the first refused records with their reasons
OWNERS = ["team:integrations"]
SOAP_KINDS = set(PROCESS_SOAP_KINDS)


@dataclass
class LedgerView:
    """What the ledger says about one run's records: each failure's entry, and the kind's dead letters."""

    kind: Kind
    failures: dict[RecordError, LedgerEntry] = field(default_factory=dict)
    dead_letters: list[LedgerEntry] = field(default_factory=list)


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _moment(value: datetime | None) -> str:
    return utc_text(value) if value is not None else ""


def _next_attempt(entry: LedgerEntry | None) -> str:
    if entry is None:
        return "—"
    if entry.dead:
        return "dead-lettered"
    return _moment(entry.next_attempt_at) or "next run"


def failures_markdown(report: SyncReport) -> str:
    if not report.failures:
        return "No failed records."
    entries = report.ledger.failures if report.ledger is not None else {}
    rows = ["| record | field | reason | retryable | attempts | next attempt |", "|---|---|---|---|---|---|"]
    for error in report.failures[:MAX_FAILURE_ROWS]:
        entry = entries.get(error)
        rows.append(f"| {cell(error.key)} | {cell(error.field or '')} | {cell(error.message)} | "
                    f"{'yes' if error.retryable else 'no'} | {entry.attempts if entry is not None else '—'} | "
                    f"{_next_attempt(entry)} |")
    if report.failed > MAX_FAILURE_ROWS:
        rows.append(f"| … | | {report.failed - MAX_FAILURE_ROWS} more | | | |")
    return "\n".join(rows)


def dead_letters_markdown(view: LedgerView) -> str:
    """The kind's dead-lettered records: not retried until re-driven or changed in the source."""
    if not view.dead_letters:
        return f"No dead-lettered {view.kind} records."
    rows = [f"{len(view.dead_letters)} dead-lettered {view.kind} record(s). Re-drive them from the asset "
            f"`failed_records`: select their partitions (`{view.kind}:…`) and Materialize.", "",
            "| record | state | field | reason | attempts | since |", "|---|---|---|---|---|---|"]
    for entry in view.dead_letters[:MAX_DEAD_LETTER_ROWS]:
        rows.append(f"| {cell(entry.key)} | {entry.state} | {cell(entry.error_field or '')} | "
                    f"{cell(entry.last_error or '')} | {entry.attempts} | {_moment(entry.updated_at)} |")
    if len(view.dead_letters) > MAX_DEAD_LETTER_ROWS:
        rows.append(f"| … | | | {len(view.dead_letters) - MAX_DEAD_LETTER_ROWS} more | | |")
    return "\n".join(rows)


def report_metadata(report: SyncReport) -> dict[str, object]:
    metadata: dict[str, object] = {name: dg.MetadataValue.int(value) for name, value in report.counts().items()}
    metadata["failures"] = dg.MetadataValue.md(failures_markdown(report))
    if report.ledger is not None:
        metadata["dead_letters"] = dg.MetadataValue.md(dead_letters_markdown(report.ledger))
    metadata["summary"] = dg.MetadataValue.text(report.summary())
    if report.cursor is not None:
        # The cursor itself is kept in the ledger (the runner saves it); the operator reads where it stands.
        metadata["changes_read"] = dg.MetadataValue.text(cursor_line(report.cursor))
    for name, value in report.details.items():
        if name == UNKNOWN_ELEMENTS:
            metadata[name] = dg.MetadataValue.md(unknown_elements_markdown(value))
        else:
            metadata[name] = dg.MetadataValue.json(value) if isinstance(value, (list, dict)) else value
    return metadata


def unknown_elements_markdown(counts: dict[str, int]) -> str:
    """The elements the run's replies had that no service description defines: skipped, by name."""
    rows = ["| element | skipped |", "|---|---|"]
    rows += [f"| {cell(name)} | {count} |" for name, count in counts.items()]
    return "\n".join(rows)


def cursor_line(cursor: Cursor) -> str:
    """Where a delta run's cursor stands, as a sentence: the change time read up to, and the records
    changed at that moment already handled (the next run reads from there and skips them), and the records
    the run left unconcluded (read again next run)."""
    if cursor.moment is None:
        return "no changes read yet: the next run reads every record"
    moment = cursor.moment
    shown = utc_text(moment) if moment.tzinfo is not None else f"{moment:%Y-%m-%d %H:%M:%S} (source's time)"
    line = f"changes read up to {shown}"
    if cursor.recent:
        line += f"; handled near that moment, not read again unless changed: {_named(sorted(cursor.recent))}"
    if cursor.again:
        line += f"; read again next run: {_named(sorted(cursor.again))}"
    return line


def _named(keys: list[str]) -> str:
    return ", ".join(keys[:MAX_NAMED_RECORDS]) + (f" and {len(keys) - MAX_NAMED_RECORDS} more"
                                                  if len(keys) > MAX_NAMED_RECORDS else "")


def record_reason(error: RecordError) -> str:
    """One refused record for people: `record <key>, field <field>: <reason>`."""
    return f"record {error.key}{f', field {error.field}' if error.field else ''}: {error.message}"


def first_reasons(report: SyncReport) -> list[str]:
    return [record_reason(error) for error in report.failures[:MAX_REASONS]]


def failed_records_check(report: SyncReport, asset_key: dg.AssetKey,
                         severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.WARN) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name="no_failed_records",
        passed=report.failed == 0,
        severity=severity,
        metadata={"failed": report.failed, "records": ", ".join(e.key for e in report.failures[:MAX_NAMED_RECORDS])
                  + (f", … ({report.failed})" if report.failed > MAX_NAMED_RECORDS else ""),
                  FIRST_REASONS: dg.MetadataValue.json(first_reasons(report))},
        description=(f"{report.failed} record(s) failed" if report.failed
                     else f"switched off: {report.details[SWITCHED_OFF]}" if SWITCHED_OFF in report.details
                     else "every record went through"),
    )


def refused_records_failure(report: SyncReport, asset: str, partition: str,
                            metadata: dict[str, object]) -> dg.Failure:
    """What a partition whose run refused records raises once every record was tried: the partition then
    shows failed (a materialization followed by a failure would still show it materialized), and the
    step's failure carries the report's metadata, so the run's page shows what the materialization would."""
    tried = report.created + report.updated + report.unchanged + report.failed
    return dg.Failure(
        description=(f"{report.failed} of {tried} record(s) refused in {asset}, partition {partition}, after "
                     f"every record was tried; first: {'; '.join(first_reasons(report))}"),
        metadata={**metadata, FIRST_REASONS: dg.MetadataValue.json(first_reasons(report))},
        allow_retries=False)  # running it again is the operator's call, once the cause is fixed


def no_failed_records_spec(asset_name: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name="no_failed_records", asset=asset_name,
                             description="Fails when any record of the last run was refused or failed: a warning "
                                         "on a delta asset; on a partition an error, and the partition fails.")
