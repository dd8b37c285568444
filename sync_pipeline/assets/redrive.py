"""Re-drive: one record sent again through its process, nothing else touched.

Two ways in, one path: the asset `failed_records` (assets/failed_records.py: every failing record is a
partition; select and Materialize), and the job `redrive_record` for any record by its number (Jobs →
redrive_record → Launchpad, config {kind: article|order|supplier|stock, key: ...}; also from the CLI).
The record's failure in the ledger is cleared (no longer dead-lettered, attempts from 0), then that
record alone goes through its process with resend on (written even if the ledger thinks the target
has it). Cursors do not move; no other record is read for writing or written.
"""

from dataclasses import dataclass
from typing import Literal

import dagster as dg
from pydantic import Field

from sync_pipeline.assets.process_assets import run_in_dagster
from sync_pipeline.assets.reporting import failures_markdown
from sync_pipeline.ledger import Kind, LedgerEntry
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.model import SyncProcess
from sync_pipeline.processes.registry import PROCESSES, process_named
from sync_pipeline.processes.selection import ByKeys
from sync_pipeline.sync.shipped import LAST_SHIPPED_STATUS
from sync_pipeline.sync.report import SyncReport
from sync_pipeline.tenants import Merchant, Merchants


class RedriveConfig(dg.Config):
    kind: Literal["article", "order", "supplier", "stock"] = Field(
        description="article, order, supplier or stock")
    key: str = Field(description="article or stock: the article number (ERP product No) or the ERP product id; "
                                 "order: the ERP order number (OrderId); supplier: the ERP company id")
    merchant: str | None = Field(default=None, description="With a tenants file: the merchant's key (its "
                                                           "partition); left out when there is one merchant")


class RedriveRefused(dg.Failure):
    """The key names no record, or its process is switched off (said before anything is touched)."""


@dataclass(frozen=True)
class Record:
    """One record to re-drive: its ledger kind and key (an ERP id), and how operators name it."""

    kind: Kind
    key: str
    label: str


def find_product(erp, key: str):
    """The ERP product whose number (No) is `key`, else whose id is `key`; None if there is none."""
    products = erp.products_changed_since(None)
    by_number = [p for p in products if p.No == key]
    if by_number:
        return by_number[0]
    if key.isdigit():
        return next((p for p in products if p.Id == int(key)), None)
    return None


def record_of_config(config: RedriveConfig, erp_client) -> Record:
    """The record the launchpad's {kind, key} names; refused when it names none."""
    key = config.key.strip()
    if config.kind in ("article", "stock"):
        product = find_product(erp_client, key)
        if product is None:
            raise RedriveRefused(f"{config.kind} {key!r}: no product with that number or id in 24SevenOffice")
        if config.kind == "stock" and not product.No:
            raise RedriveRefused(f"stock {key!r}: product {product.Id} has no number, so no warehouse article")
        return Record(Kind(config.kind), str(product.Id), f"{product.No} (product {product.Id})")
    if not key.isdigit():
        raise RedriveRefused(f"{config.kind} key {config.key!r}: give the ERP {config.kind} id, a whole number")
    return Record(Kind(config.kind), str(int(key)), str(int(key)))


def _entry_text(entry: LedgerEntry | None) -> str:
    if entry is None:
        return "not in the ledger"
    text = f"{entry.state}, {entry.attempts} failed attempt(s)"
    if entry.dead:
        text += ", dead-lettered"
    if entry.last_error:
        text += f": {entry.last_error}"
    return text


def redrive(context: dg.OpExecutionContext | dg.AssetExecutionContext, record: Record,
            merchant: Merchant) -> dict[str, dg.MetadataValue]:
    """Send `record` again through its process; its outcome as metadata. Raises dg.Failure if it failed again."""
    store = merchant.ledger(home=context.instance.root_directory)
    process_config = ProcessConfig.from_settings(merchant.settings)
    process = (_order_process(merchant.wms(), int(record.key), process_config) if record.kind is Kind.ORDER
               else _process_of(record.kind))
    off = process.switched_off(process_config)
    if off is not None:
        raise RedriveRefused(f"{record.kind} {record.label}: the {process.name} process is switched off ({off}), "
                             "so nothing is sent; switch it on to re-drive its records")

    before = store.get(record.kind, record.key)
    redriven = store.redrive(record.kind, record.key)
    report = run_in_dagster(context, process, ByKeys((record.key,)), merchant, resend=True, retries=False).report
    after = store.get(record.kind, record.key)

    outcome = _outcome(report)
    metadata = {
        "record": dg.MetadataValue.text(f"{record.kind} {record.label}"),
        **({"merchant": dg.MetadataValue.text(merchant.key)} if merchant.key else {}),
        "outcome": dg.MetadataValue.text(outcome),
        "was_failing": dg.MetadataValue.bool(redriven),
        "ledger_before": dg.MetadataValue.text(_entry_text(before)),
        "ledger_after": dg.MetadataValue.text(_entry_text(after)),
        **{name: dg.MetadataValue.int(value) for name, value in report.counts().items()},
        "failures": dg.MetadataValue.md(failures_markdown(report)),
    }
    context.log_event(dg.AssetObservation(asset_key=process.asset.key,
                                          metadata={"redriven": metadata["record"], "outcome": metadata["outcome"],
                                                    "run": dg.MetadataValue.text(context.run.run_id)}))
    context.log.info(f"re-drive of {record.kind} {record.label}: {outcome}")
    if report.failures:
        raise dg.Failure(description=f"re-drive of {record.kind} {record.label} failed: "
                                     + "; ".join(f"{e.key}: {e.message}" for e in report.failures),
                         metadata=metadata)
    return metadata


def _process_of(kind: Kind) -> SyncProcess:
    """The first process writing this kind of record (an order's: the push; see _order_process)."""
    return next(process for process in PROCESSES if process.kind == kind)


def _order_process(wms, number: int, config: ProcessConfig) -> SyncProcess:
    """Shipped in the WMS (and reporting on): the shipped report; otherwise the order push."""
    current = next(iter(wms.orders(order_numbers=[str(number)])), None)
    sent = config.orders.wms_sent_status
    shipped = current is not None and sent <= current.OrderStatusNumber <= LAST_SHIPPED_STATUS
    return process_named("shipped" if shipped and config.sync_report_shipped else "orders")


def _outcome(report: SyncReport) -> str:
    if report.failures:
        return "failed: " + "; ".join(e.message for e in report.failures)
    if report.created:
        return "created"
    if report.updated:
        return "written"
    return "nothing to write: the target already has it"


@dg.op(
    name="redrive_one_record",
    pool="ongoing_writes",
    description="Sends one record again through its process (clearing its dead letter), touching nothing else.",
)
def redrive_record_op(context: dg.OpExecutionContext, config: RedriveConfig,
                      merchants: dg.ResourceParam[Merchants]) -> dg.Output:
    try:
        merchant = merchants.get(config.merchant or None)
    except KeyError as unknown:
        raise RedriveRefused(str(unknown.args[0]) + ("" if config.merchant else " in the config's merchant")) from None
    record = record_of_config(config, merchant.erp())
    return dg.Output(None, metadata=redrive(context, record, merchant))


@dg.job(name="redrive_record", description="Re-drive one record by its number: config {kind: article|order|supplier|"
                                           "stock, key}. Clears its dead letter and sends it again; nothing else is "
                                           "touched. Failed records: materialize their partitions of failed_records.")
def redrive_record_job():
    redrive_record_op()
