"""The ledger's schema, created and upgraded by Alembic (revisions in ledger/alembic/versions/).

Opening a Ledger upgrades it to the latest revision. migrate() runs in one transaction under a
lock (a PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE), so processes opening a new ledger at
the same moment queue and it is migrated once, and a failed step leaves the schema as it was.
A ledger at a revision this code does not know (made by newer code) is refused rather than written to.

Revisions are numbered: revision "0004" is schema version 4. Each is frozen once released: it
declares the tables as they were then. To change the schema, add a revision and update schema.py
to match (test_migrations compares the two).

Ledgers made before Alembic kept their version in a table `schema_version`; such a ledger is
adopted as it opens: stamped at the revision of its version, that table dropped, its data kept.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from sync_pipeline.ledger.engine import ledger_schema
from sync_pipeline.ledger.model import LedgerError

SCRIPTS = Path(__file__).parent / "alembic"
VERSION_TABLE = "alembic_version"
LEGACY_VERSION_TABLE = "schema_version"  # the version table of ledgers made before Alembic


def revision_of(version: int) -> str:
    return f"{version:04d}"


@functools.cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _latest() -> int:
    head = _scripts().get_current_head()
    if head is None:
        raise LedgerError(f"no ledger revisions in {SCRIPTS}")
    return int(head)


LATEST = _latest()


def migrate(engine: Engine, target: int | None = None) -> int:
    """Bring the ledger's schema to version `target` (default: the latest); returns the version it is at.

    Never downwards: a ledger already past `target` stays where it is.
    """
    target = LATEST if target is None else target
    if not 1 <= target <= LATEST:
        raise LedgerError(f"no ledger schema version {target}; versions run from 1 to {LATEST}")
    with engine.begin() as connection:
        _lock(connection)
        _adopt_legacy(connection)
        current = _version(connection)
        if current < target:
            command.upgrade(_config(connection), revision_of(target))
        return max(current, target)


def version(engine: Engine) -> int:
    """The schema version the ledger is at (0: no ledger yet)."""
    with engine.connect() as connection:
        if _has_table(connection, LEGACY_VERSION_TABLE) and not _has_table(connection, VERSION_TABLE):
            return _legacy_version(connection)
        return _version(connection)


def _version(connection: Connection) -> int:
    heads = _context(connection).get_current_heads()
    if not heads:
        return 0
    known = {script.revision for script in _scripts().walk_revisions()}
    if len(heads) > 1 or heads[0] not in known:
        raise LedgerError(f"the ledger's schema is at revision {', '.join(heads)}, newer than this code knows "
                          f"({revision_of(LATEST)}): upgrade sync_pipeline before using this ledger")
    return int(heads[0])


def _adopt_legacy(connection: Connection) -> None:
    """Stamp a ledger made before Alembic at the revision of its schema_version, and drop that table."""
    if not _has_table(connection, LEGACY_VERSION_TABLE) or _has_table(connection, VERSION_TABLE):
        return
    found = _legacy_version(connection)
    if found > LATEST:
        raise LedgerError(f"the ledger's schema is at version {found}, newer than this code knows "
                          f"({LATEST}): upgrade sync_pipeline before using this ledger")
    if found > 0:
        _context(connection).stamp(_scripts(), revision_of(found))
    connection.exec_driver_sql(f"DROP TABLE {_qualified(connection, LEGACY_VERSION_TABLE)}")


def _legacy_version(connection: Connection) -> int:
    table = _qualified(connection, LEGACY_VERSION_TABLE)
    return connection.exec_driver_sql(f"SELECT max(version) FROM {table}").scalar() or 0


def _context(connection: Connection) -> MigrationContext:
    return MigrationContext.configure(connection, opts={
        "version_table": VERSION_TABLE, "version_table_schema": ledger_schema(connection)})


def _has_table(connection: Connection, name: str) -> bool:
    return connection.dialect.has_table(connection, name, schema=ledger_schema(connection))


def _lock(connection: Connection) -> None:
    schema = ledger_schema(connection)
    if connection.dialect.name != "postgresql" or schema is None:
        return  # SQLite: the transaction began IMMEDIATE, which is the lock
    key = int.from_bytes(hashlib.sha256(f"sync_ledger migrations {schema}".encode()).digest()[:8], "big", signed=True)
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    # Look before creating: CREATE SCHEMA needs the CREATE privilege on the database even when the
    # schema exists, and a DBA may have created it for a role that lacks that privilege.
    if connection.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = :name"), {"name": schema}) == 0:
        connection.exec_driver_sql(f"CREATE SCHEMA {_quote(connection, schema)}")


def _qualified(connection: Connection, table: str) -> str:
    schema = ledger_schema(connection)
    return _quote(connection, table) if schema is None else f"{_quote(connection, schema)}.{_quote(connection, table)}"


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)
