"""Ledger fixtures: every ledger test runs on SQLite (a file per test) and on the real PostgreSQL.

PostgreSQL comes from the DAGSTER_PG_* variables (`./dev test` sets them). Each test session (each
xdist worker) works in schemas of its own, sync_ledger_test_<random>..., dropped when it ends.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text

from sync_pipeline.ledger import Ledger, LedgerError, sqlite_url
from sync_pipeline.ledger.engine import build_engine
from sync_pipeline_tests.postgres import dagster_postgres_url

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    try:
        return dagster_postgres_url(os.environ)
    except LedgerError as missing:
        problem = str(missing)
    pytest.fail(f"the ledger tests need the real PostgreSQL: {problem}. `./dev test` sets them "
                "(127.0.0.1:5432, user and password sync_pipeline, database sync_pipeline_test).", pytrace=False)


@pytest.fixture(scope="session")
def postgres_schemas(postgres_url: str) -> Iterator[Callable[[], str]]:
    """Hands out fresh schema names for this session; drops every one of them at the end."""
    prefix = f"sync_ledger_test_{secrets.token_hex(4)}"
    handed_out: list[str] = []

    def fresh() -> str:
        name = f"{prefix}_{len(handed_out)}"
        handed_out.append(name)
        return name

    yield fresh
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        for name in handed_out:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


@dataclass
class Store:
    """Where one test's ledger lives; open() gives Ledgers on it (closed after the test)."""

    backend: str
    url: str
    schema: str
    opened: list[Ledger] = field(default_factory=list)
    engines: list = field(default_factory=list)

    def open(self, **options) -> Ledger:
        ledger = Ledger(self.url, schema=self.schema, **options)
        self.opened.append(ledger)
        return ledger

    def engine(self):
        """A bare engine on the store (for looking under the ledger's hood)."""
        engine = build_engine(self.url, self.schema)
        self.engines.append(engine)
        return engine


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        found = Store("sqlite", sqlite_url(tmp_path / "ledger.sqlite"), "sync_ledger")
    else:
        schemas = request.getfixturevalue("postgres_schemas")
        found = Store("postgresql", request.getfixturevalue("postgres_url"), schemas())
    yield found
    for ledger in found.opened:
        ledger.close()
    for engine in found.engines:
        engine.dispose()


@pytest.fixture
def ledger(store: Store) -> Ledger:
    return store.open()


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """For checks that never reach the database (argument validation): one backend is enough."""
    with Ledger(sqlite_url(tmp_path / "ledger.sqlite")) as ledger:
        yield ledger
