"""The partition keys of failed_records: one per failing record, readable, and read back to the record.

    article:SKU-1003 (product 3)    stock:SKU-1005 (product 5)    supplier:Nordic Supply AS (company 7)
    order:1002

The name (article number, company name) is for people; the number at the end is the ERP id the
ledger keys the record by, so a key is read back without asking the ERP. A record that fails again
after its partition was re-driven and removed gets the key once more with " #2" (" #3"…): Dagster
keeps a removed partition's materializations, and the old key would come back green.
"""

from __future__ import annotations

import re

from sync_pipeline.assets.redrive import Record
from sync_pipeline.ledger import Kind
from sync_pipeline.processes.registry import PROCESSES

# The kinds of records a process writes, in the registry's order: those a re-drive can send again.
KINDS: tuple[Kind, ...] = tuple(dict.fromkeys(process.kind for process in PROCESSES))

# What the ERP id at the end of the key is, for kinds whose key carries a name.
ID_NOUNS = {Kind.ARTICLE: "product", Kind.STOCK: "product", Kind.SUPPLIER: "company"}
MAX_NAME = 80
_EPISODE = re.compile(r" #(\d+)$")
# Dagster refuses "..." and control characters in partition keys; the UI's partition picker reads
# commas and brackets as lists and ranges.
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f,\[\]]|\.{3,}")


def partition_key(kind: Kind, key: str, name: str | None = None, episode: int = 1) -> str:
    """The partition of record `key` (its ERP id) of `kind`, named `name` where the kind has names."""
    noun = ID_NOUNS.get(kind)
    if noun is None:
        base = f"{kind}:{key}"
    else:
        shown = " ".join(_NOT_IN_NAMES.sub(" ", name or "").split())[:MAX_NAME].strip()
        base = f"{kind}:{shown} ({noun} {key})" if shown else f"{kind}:{noun} {key}"
    return base if episode == 1 else f"{base} #{episode}"


def merchant_prefixed(merchant: str | None, key: str) -> str:
    """With a tenants file each key starts with the merchant's: `acme/order:1002`."""
    return key if merchant is None else f"{merchant}/{key}"


def split_merchant(partition: str) -> tuple[str | None, str]:
    """(the merchant a key names or None, the key without it)."""
    head, slash, rest = partition.partition("/")
    if slash and ":" not in head:
        return head, rest
    return None, partition


def record_of(partition: str) -> Record | None:
    """The record a partition key names; None for a key this module did not make."""
    base = _EPISODE.sub("", split_merchant(partition)[1])
    kind_text, _, rest = base.partition(":")
    kind = next((kind for kind in KINDS if kind.value == kind_text), None)
    if kind is None:
        return None
    noun = ID_NOUNS.get(kind)
    pattern = r"\d+" if noun is None else rf"(?:.* \({noun} \d+\)|{noun} \d+)"
    if not re.fullmatch(pattern, rest):
        return None
    return Record(kind, rest.rstrip(")").split()[-1], rest)
