"""The ledger's schema is created and upgraded by Alembic; ledgers made by the old migrator are adopted."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, select, text

from sync_pipeline.ledger import SCHEMA_VERSION, Ledger, LedgerError, State, migrate
from sync_pipeline.ledger.engine import sqlite_url
from sync_pipeline.ledger.migrations import VERSION_TABLE, _scripts, version
from sync_pipeline.ledger.schema import metadata
from sync_pipeline_tests.ledger import legacy_migrator

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
HEAD = "0005"


def revisions(engine) -> list[str]:
    """The revisions the version table holds (one, once migrated: Alembic keeps the head)."""
    with engine.connect() as connection:
        return list(connection.scalars(text(f"SELECT version_num FROM {qualified(engine, VERSION_TABLE)}")))


def qualified(engine, name: str) -> str:
    schema = engine.get_execution_options().get("schema_translate_map", {}).get(None)
    return name if schema is None else f'"{schema}".{name}'


def table(store, name: str) -> str:
    return name if store.backend == "sqlite" else f'"{store.schema}".{name}'


def test_a_new_ledger_is_created_at_the_latest_version(store):
    engine = store.engine()
    assert version(engine) == 0
    store.open()
    assert version(engine) == SCHEMA_VERSION == 5
    assert revisions(engine) == [HEAD]
    assert [s.revision for s in reversed(list(_scripts().walk_revisions()))] == ["0001", "0002", "0003", "0004", "0005"]


def test_upgrading_from_version_1_keeps_the_records(store):
    engine = store.engine()
    assert migrate(engine, target=1) == 1
    assert revisions(engine) == ["0001"]
    with engine.begin() as connection:  # a record as version 1 stored it
        connection.execute(text(
            f"INSERT INTO {table(store, 'entries')} (kind, key, state, source_version, payload_hash, wms_id, "
            "last_error, error_field, retryable, attempts, next_attempt_at, dead, updated_at) VALUES "
            "('order', '7', 'sent', 'v1', :hash, '9001', NULL, NULL, :no, 0, NULL, :no, :now)"),
            {"hash": "a" * 64, "no": False, "now": NOW.replace(tzinfo=None) if store.backend == "sqlite" else NOW})
        assert "claimed_by" not in {c["name"] for c in inspect(connection).get_columns("entries", schema=_schema(store))}

    ledger = store.open()  # upgrades on opening
    assert revisions(engine) == [HEAD]
    entry = ledger.get("order", "7")
    assert (entry.state, entry.source_version, entry.payload_hash, entry.wms_id, entry.updated_at) == (
        State.SENT, "v1", "a" * 64, "9001", NOW)
    assert entry.claimed_by is None
    assert ledger.claim("order", ["7"], "run-1", now=NOW) == {"7"}  # version 2
    ledger.set_cursor("orders", "{}", now=NOW)  # version 3
    assert ledger.get_cursor("orders") == "{}"
    assert ledger.mark("order", "7", "reported", now=NOW)


def test_migrating_again_changes_nothing(store):
    store.open()
    engine = store.engine()
    assert migrate(engine) == SCHEMA_VERSION
    assert migrate(engine, target=1) == SCHEMA_VERSION  # never downwards
    assert revisions(engine) == [HEAD]


def test_the_migrated_schema_is_the_one_the_code_uses(store):
    store.open()
    with store.engine().connect() as connection:
        found = inspect(connection)
        assert set(found.get_table_names(schema=_schema(store))) == set(metadata.tables) | {VERSION_TABLE}
        for name, expected in metadata.tables.items():
            columns = {c["name"]: c["nullable"] for c in found.get_columns(name, schema=_schema(store))}
            assert columns == {c.name: c.nullable for c in expected.columns}, name
            indexes = {i["name"] for i in found.get_indexes(name, schema=_schema(store))}
            assert indexes == {i.name for i in expected.indexes}, name


def test_a_ledger_newer_than_the_code_is_refused(store):
    store.open()
    engine = store.engine()
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE {qualified(engine, VERSION_TABLE)} SET version_num = '0099'"))
    with pytest.raises(LedgerError, match="newer than this code"):
        store.open()
    assert revisions(engine) == ["0099"]


def test_a_legacy_ledger_newer_than_the_code_is_refused(store):
    engine = store.engine()
    legacy_migrator.migrate(engine)
    with engine.begin() as connection:
        connection.execute(legacy_migrator.schema_version.insert().values(
            version=SCHEMA_VERSION + 1, description="from the future", applied_at=NOW))
    with pytest.raises(LedgerError, match="newer than this code"):
        store.open()
    assert legacy_versions(engine) == [*range(1, legacy_migrator.LATEST + 1), SCHEMA_VERSION + 1]  # left as it was


def errors_opening_together(open_ledger, count: int = 6) -> list[BaseException]:
    """What `count` threads raised calling `open_ledger` at the same moment (as a run's steps start)."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def opening() -> None:
        start.wait()
        try:
            open_ledger()
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    threads = [threading.Thread(target=opening) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_processes_starting_together_migrate_once(store):
    """Six ledgers opened at the same moment on an empty database."""
    assert errors_opening_together(store.open) == []
    assert revisions(store.engine()) == [HEAD]


def test_sqlite_files_opened_together_from_new_are_never_locked(tmp_path):
    """Switching a new SQLite file to WAL is refused at once, with no busy wait, while another
    connection opens it: about one round in ten failed so before the ledger waited for it."""
    for round_ in range(40):
        url = sqlite_url(tmp_path / f"ledger-{round_}.sqlite")
        assert errors_opening_together(lambda: Ledger(url).close()) == [], f"round {round_}"
        with Ledger(url, create=False) as ledger:
            assert version(ledger.engine) == SCHEMA_VERSION
            with ledger.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_unknown_target_versions_are_refused(store):
    with pytest.raises(LedgerError):
        migrate(store.engine(), target=SCHEMA_VERSION + 1)
    with pytest.raises(LedgerError):
        migrate(store.engine(), target=0)


def test_opening_without_creating_leaves_the_database_alone(store):
    Ledger(store.url, schema=store.schema, create=False).close()
    assert version(store.engine()) == 0


def _schema(store) -> str | None:
    return None if store.backend == "sqlite" else store.schema


def legacy_versions(engine) -> list[int]:
    table = legacy_migrator.schema_version
    with engine.connect() as connection:
        return list(connection.scalars(select(table.c.version).order_by(table.c.version)))


def entries_table(store) -> str:
    return table(store, "entries")


@pytest.mark.parametrize("old_version", range(1, legacy_migrator.LATEST + 1))
def test_a_ledger_made_by_the_old_migrator_is_adopted_with_its_data(store, old_version):
    """Made by the migrator before Alembic (schema_version table): stamped at its revision, upgraded, kept."""
    engine = store.engine()
    assert legacy_migrator.migrate(engine, target=old_version) == old_version
    with engine.begin() as connection:
        connection.execute(text(
            f"INSERT INTO {entries_table(store)} (kind, key, state, source_version, payload_hash, wms_id, "
            "last_error, error_field, retryable, attempts, next_attempt_at, dead, updated_at) VALUES "
            "('order', '7', 'sent', 'v1', :hash, '9001', 'refused', 'Qty', :yes, 2, :now, :no, :now)"),
            {"hash": "a" * 64, "yes": True, "no": False,
             "now": NOW.replace(tzinfo=None) if store.backend == "sqlite" else NOW})
        if old_version >= 3:
            connection.execute(text(f"INSERT INTO {table(store, 'cursors')} (process, value, updated_at) "
                                    "VALUES ('orders', '{\"since\": 1}', :now)"),
                               {"now": NOW.replace(tzinfo=None) if store.backend == "sqlite" else NOW})

    ledger = store.open()

    assert revisions(engine) == [HEAD]
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names(schema=_schema(store)))
    assert tables == set(metadata.tables) | {VERSION_TABLE}  # schema_version gone
    entry = ledger.get("order", "7")
    assert (entry.state, entry.source_version, entry.payload_hash, entry.wms_id, entry.last_error,
            entry.error_field, entry.retryable, entry.attempts, entry.next_attempt_at, entry.updated_at) == (
        State.SENT, "v1", "a" * 64, "9001", "refused", "Qty", True, 2, NOW, NOW)
    assert ledger.get_cursor("orders") == ('{"since": 1}' if old_version >= 3 else None)
    assert ledger.claim("order", ["7"], "run-1", now=NOW) == {"7"}
    ledger.record_stages("order", "7", {"confirmed": NOW})
    assert ledger.stage_times("order") == {"7": {"confirmed": NOW}}


def test_old_ledgers_opened_together_are_adopted_once(store):
    legacy_migrator.migrate(store.engine(), target=2)
    assert errors_opening_together(store.open) == []
    assert revisions(store.engine()) == [HEAD]
