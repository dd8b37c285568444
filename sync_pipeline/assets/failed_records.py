"""Failed records as partitions: pick them in the UI and press Materialize to send them again.

The asset failed_records has one dynamic partition per record whose latest attempt failed (the
ledger's failing records: backing off, due for a retry, or dead-lettered). Materializing a partition
re-drives that record alone (assets/redrive.py); selecting several starts one run per record. A
re-drive that fails again fails its partition, with the reason.

The sensor failed_records_partitions keeps the partitions in step with the ledger, so whichever run
recorded a failure, or healed one (a re-drive, a later cycle, a change in the ERP), the list follows:
a record that fails gets a partition; a partition whose record no longer fails, or that was re-driven
successfully, is removed (the runs keep the history). Partition keys: assets/failed_record_keys.py.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import dagster as dg

from sync_pipeline.assets.failed_record_keys import (ID_NOUNS, KINDS, merchant_prefixed, partition_key, record_of,
                                                     split_merchant)
from sync_pipeline.assets.redrive import RedriveRefused, redrive
from sync_pipeline.assets.reporting import OWNERS
from sync_pipeline.ledger import Kind
from sync_pipeline.processes.model import ONGOING_WRITES, SOAP_KINDS
from sync_pipeline.tenants import Merchant, Merchants
from sync_pipeline.soap.errors import SyncError

FAILED_RECORDS = dg.DynamicPartitionsDefinition(name="failed_records")
ASSET_KEY = dg.AssetKey("failed_records")
SENSOR_NAME = "failed_records_partitions"
SHOWN_KEYS = 20  # partition keys named in a sensor's log line; the counts are always complete

RecordId = tuple[Kind, str]  # a record as the ledger keys it: its kind and ERP id


@dg.asset(
    name=ASSET_KEY.path[-1], partitions_def=FAILED_RECORDS, group_name="redrive", owners=OWNERS,
    kinds=set(SOAP_KINDS), pool=ONGOING_WRITES,
    description="One partition per record whose last attempt failed (kept in step with the sync ledger by the "
                "sensor failed_records_partitions). Select partitions and Materialize: each record is sent again "
                "through its process, and nothing else. A partition whose record is healed is removed.",
)
def failed_records(context: dg.AssetExecutionContext, merchants: dg.ResourceParam[Merchants]) -> dg.MaterializeResult:
    merchant_key, _ = split_merchant(context.partition_key)
    record = record_of(context.partition_key)
    if record is None:
        raise RedriveRefused(f"partition {context.partition_key!r} names no record: the sensor {SENSOR_NAME} "
                             "makes them as kind:name (product id), e.g. 'article:SKU-1003 (product 3)' or "
                             "'order:1002'")
    try:
        merchant = merchants.get(merchant_key)
    except KeyError as unknown:
        raise RedriveRefused(f"partition {context.partition_key!r}: {unknown.args[0]}") from None
    return dg.MaterializeResult(metadata=redrive(context, record, merchant))


@dataclass
class PartitionChanges:
    """What to add to and delete from failed_records so its partitions are the failing records."""

    add: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unnamed: int = 0  # failing records left for the next tick: their names could not be read
    failing: int = 0  # failing records in the ledger(s) looked at

    def requests(self) -> list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest]:
        requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
        if self.delete:
            requests.append(FAILED_RECORDS.build_delete_request(self.delete))
        if self.add:
            requests.append(FAILED_RECORDS.build_add_request(self.add))
        return requests


def kept_partitions(failing: Collection[RecordId], existing: Sequence[str],
                    materialized: Collection[str]) -> dict[RecordId, str]:
    """The existing partitions that stay: their record still fails and they were not re-driven successfully."""
    kept: dict[RecordId, str] = {}
    for key in existing:
        record = record_of(key)
        if record is not None and (record.kind, record.key) in failing and key not in materialized:
            kept.setdefault((record.kind, record.key), key)
    return kept


def needing_names(failing: Iterable[RecordId], kept: Collection[RecordId]) -> list[RecordId]:
    """The failing records that get a new partition, in the registry's order of kinds, then by id."""
    new = [record for record in failing if record not in kept]
    return sorted(new, key=lambda record: (KINDS.index(record[0]), int(record[1]) if record[1].isdigit() else 0,
                                           record[1]))


def partition_changes(failing: Collection[RecordId], existing: Sequence[str], materialized: Collection[str],
                      names: Mapping[RecordId, str | None], busy: Collection[str] = (),
                      merchant: str | None = None) -> PartitionChanges:
    """Partitions for the failing records and none for the others. `names`: what the ERP calls each new
    one (kinds with names; a record missing from it waits for the next tick). `busy`: partitions with a
    run queued or in progress, removed only once it ended (a run of a removed partition would fail)."""
    kept = kept_partitions(failing, existing, materialized)
    changes = PartitionChanges(delete=[key for key in existing if key not in kept.values() and key not in busy])
    for record in needing_names(failing, kept):
        if record[0] in ID_NOUNS and record not in names:
            changes.unnamed += 1
            continue
        episode = 1
        while (key := merchant_prefixed(merchant, partition_key(*record, names.get(record), episode))) in materialized:
            episode += 1
        changes.add.append(key)
    return changes


def erp_names(erp, records: Sequence[RecordId]) -> dict[RecordId, str | None]:
    """Article numbers of products and names of companies, by record; None where the ERP has no such record."""
    product_ids = sorted({int(key) for kind, key in records if ID_NOUNS.get(kind) == "product"})
    company_ids = sorted({int(key) for kind, key in records if ID_NOUNS.get(kind) == "company"})
    numbers = {str(p.Id): p.No for p in erp.products(product_ids)} if product_ids else {}
    companies = {str(c.Id): c.Name for c in erp.companies(company_ids)} if company_ids else {}
    return {(kind, key): (numbers if ID_NOUNS[kind] == "product" else companies).get(key)
            for kind, key in records if kind in ID_NOUNS}


def _shown(keys: list[str]) -> str:
    return ", ".join(keys[:SHOWN_KEYS]) + (f", … ({len(keys)})" if len(keys) > SHOWN_KEYS else "")


def failed_records_sensor(interval_seconds: int = 30) -> dg.SensorDefinition:
    @dg.sensor(name=SENSOR_NAME, minimum_interval_seconds=interval_seconds,
               default_status=dg.DefaultSensorStatus.RUNNING,
               description="Keeps the partitions of failed_records in step with the sync ledger: one per failing "
                           f"record, removed once it is healed; looks every {interval_seconds} s "
                           "(SYNC_SENSOR_INTERVAL_SECONDS). Starts no runs.")
    def _sensor(context: dg.SensorEvaluationContext, merchants: dg.ResourceParam[Merchants]) -> dg.SensorResult:
        every = list(context.instance.get_dynamic_partitions(FAILED_RECORDS.name))
        materialized = context.instance.get_materialized_partitions(ASSET_KEY)
        statuses = context.instance.get_status_by_partition(ASSET_KEY, every, FAILED_RECORDS) or {}
        busy = {key for key, status in statuses.items() if status is dg.AssetPartitionStatus.IN_PROGRESS}
        changes, failing = PartitionChanges(), 0
        for merchant in merchants:
            existing = [key for key in every if split_merchant(key)[0] == merchant.key]
            found = merchant_changes(context, merchant, existing, materialized, busy)
            changes.add += found.add
            changes.delete += found.delete
            changes.unnamed += found.unnamed
            failing += found.failing
        # Keys of merchants no longer in the tenants file go with them.
        changes.delete += [key for key in every if split_merchant(key)[0] not in {m.key for m in merchants}
                           and key not in busy]
        if changes.delete:
            context.log.info(f"healed or re-driven, partitions removed: {_shown(changes.delete)}")
        if changes.add:
            context.log.info(f"failing, partitions added: {_shown(changes.add)}")
        summary = (f"{failing} failing record(s): {len(changes.add)} partition(s) added, "
                   f"{len(changes.delete)} removed" + (f", {changes.unnamed} waiting for their names"
                                                       if changes.unnamed else ""))
        return dg.SensorResult(dynamic_partitions_requests=changes.requests(), skip_reason=summary)

    return _sensor


def merchant_changes(context: dg.SensorEvaluationContext, merchant: Merchant, existing: Sequence[str],
                     materialized: Collection[str], busy: Collection[str]) -> PartitionChanges:
    """The partition changes of one merchant's failing records (its ledger, its ERP for names)."""
    store = merchant.ledger(home=context.instance.root_directory)
    failing = {(kind, key) for kind in KINDS for key in store.failing(kind)}
    unnamed = [record for record in needing_names(failing, kept_partitions(failing, existing, materialized))
               if record[0] in ID_NOUNS]
    names: dict[RecordId, str | None] = {}
    if unnamed:
        try:
            names = erp_names(merchant.erp(), unnamed)
        except SyncError:
            # Named next time: a key without the name would change once the ERP answers.
            context.log.warning(f"24SevenOffice{'' if merchant.key is None else ' of ' + merchant.key} did not "
                                f"answer for the names of {len(unnamed)} failing record(s); their partitions wait "
                                "for the next look")
    changes = partition_changes(failing, existing, materialized, names, busy, merchant.key)
    changes.failing = len(failing)
    return changes
