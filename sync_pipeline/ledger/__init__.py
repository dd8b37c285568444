"""The sync ledger: what the integration did with every record, durable across runs and crashes.

See docs/ledger.md for the schema, the states, the guarantees and how to inspect it.
"""

from sync_pipeline.ledger.backoff import BackoffPolicy
from sync_pipeline.ledger.engine import DEFAULT_SCHEMA, build_engine, check_url, resolve_url, sqlite_url
from sync_pipeline.ledger.hashing import canonical_json, payload_hash
from sync_pipeline.ledger.ledger import DEFAULT_CLAIM_TTL, Ledger, LedgerRun
from sync_pipeline.ledger.migrations import LATEST as SCHEMA_VERSION
from sync_pipeline.ledger.migrations import migrate
from sync_pipeline.ledger.model import (LIFECYCLE, SUCCESS_STATE, Kind, LedgerEntry, LedgerError, LedgerUnavailable,
                                        State)
from sync_pipeline.ledger.stages import Stage

__all__ = [
    "DEFAULT_CLAIM_TTL",
    "DEFAULT_SCHEMA",
    "LIFECYCLE",
    "SCHEMA_VERSION",
    "SUCCESS_STATE",
    "BackoffPolicy",
    "Kind",
    "Ledger",
    "LedgerEntry",
    "LedgerError",
    "LedgerUnavailable",
    "LedgerRun",
    "Stage",
    "State",
    "build_engine",
    "canonical_json",
    "check_url",
    "migrate",
    "payload_hash",
    "resolve_url",
    "sqlite_url",
]
