"""Which merchant a run serves: its partition of the merchant dimension (docs/tenants.md).

With a tenants file every process asset is partitioned by merchant (the file's keys, a static
partitions definition: adding or removing a merchant is an edit of the file and a reload of the code
location), and each daily resync asset by merchant x day. Without one, the assets are not partitioned by
merchant and every run serves the one merchant the environment describes.
"""

from __future__ import annotations

import dagster as dg

from sync_pipeline.tenants import Merchant, Merchants

MERCHANT = "merchant"  # the dimension's name in merchant x day partitions
DAY = "day"
MERCHANT_TAG = "sync_pipeline/merchant"  # on every run of one merchant: alerts and the run list name it

Context = dg.AssetExecutionContext | dg.OpExecutionContext


def merchant_partitions(merchants: Merchants) -> dg.StaticPartitionsDefinition | None:
    return dg.StaticPartitionsDefinition(merchants.keys) if merchants.partitioned else None


def by_merchant(partitions_def: dg.PartitionsDefinition | None,
                merchants: dg.StaticPartitionsDefinition) -> dg.PartitionsDefinition:
    """An asset's partitions with a tenants file: merchant, or merchant x day for a daily asset."""
    if partitions_def is None:
        return merchants
    return dg.MultiPartitionsDefinition({DAY: partitions_def, MERCHANT: merchants})


def merchant_key_of(partitions_def: dg.PartitionsDefinition | None, partition_key: str | None) -> str | None:
    """The merchant a partition key names under `partitions_def` (None: not partitioned by merchant)."""
    if partition_key is None:
        return None
    if isinstance(partitions_def, dg.MultiPartitionsDefinition):
        if MERCHANT not in {dimension.name for dimension in partitions_def.partitions_defs}:
            return None
        key = (partition_key if isinstance(partition_key, dg.MultiPartitionKey)
               else partitions_def.get_partition_key_from_str(partition_key))
        return key.keys_by_dimension[MERCHANT]
    if isinstance(partitions_def, dg.StaticPartitionsDefinition):
        return partition_key
    return None


def merchant_of(context: Context, merchants: Merchants) -> Merchant:
    """The merchant this step serves: its asset's merchant partition, else the run's merchant tag."""
    key: str | None = None
    if isinstance(context, dg.AssetExecutionContext) and context.has_partition_key:
        key = merchant_key_of(context.assets_def.partitions_def, context.partition_key)
    if key is None:
        key = context.run.tags.get(MERCHANT_TAG)
    try:
        return merchants.get(key)
    except KeyError as unknown:
        raise dg.Failure(str(unknown.args[0])) from None


def daily_partitions(partitions_def: dg.PartitionsDefinition | None) -> bool:
    """Whether the asset's partitions are days (a daily resync's, alone or by merchant)."""
    if isinstance(partitions_def, dg.MultiPartitionsDefinition):
        return any(isinstance(d.partitions_def, dg.TimeWindowPartitionsDefinition) for d in partitions_def.partitions_defs)
    return isinstance(partitions_def, dg.TimeWindowPartitionsDefinition)
