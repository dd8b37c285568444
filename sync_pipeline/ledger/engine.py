"""Where the ledger lives: resolving its URL and building an engine that behaves the same on both backends.

- PostgreSQL (production): the server Dagster uses, tables in the ledger's own schema (sync_ledger),
  mapped with schema_translate_map; connections are checked before use, so a restarted server
  costs the next transaction, not the process.
- SQLite (embedded default): one file under DAGSTER_HOME. Every transaction starts with BEGIN
  IMMEDIATE (reads: a plain BEGIN), so writers queue for the file lock instead of failing half-way
  ("database is locked"), and WAL lets readers carry on meanwhile.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar, overload

import tenacity
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError

from sync_pipeline.ledger.model import LedgerError, LedgerUnavailable

DEFAULT_SCHEMA = "sync_ledger"
DEFAULT_FILE_NAME = "sync_ledger.sqlite"
SQLITE_BUSY_TIMEOUT_SECONDS = 60
APPLICATION_NAME = "sync_pipeline ledger"
READ_ONLY = "sync_ledger_read_only"  # execution option: a transaction that only reads
RECONNECT_PATIENCE_SECONDS = 2.0
CONNECT, BEFORE_COMMIT, COMMIT = "connect", "before commit", "commit"  # where a LedgerUnavailable arose
T = TypeVar("T")
P = ParamSpec("P")
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_url(text: str) -> str:
    """The URL if the ledger can use it; LedgerError (never showing a password) if not."""
    try:
        url = make_url(str(text).strip())
    except ArgumentError:
        raise LedgerError("must be a database URL like postgresql+psycopg2://user:password@host:5432/db "
                          "or sqlite:////path/to/sync_ledger.sqlite") from None
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        if url.get_driver_name() != "pysqlite":
            raise LedgerError(f"SQLite through its standard driver only (sqlite:///...), got {shown}")
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
            raise LedgerError("a SQLite ledger needs a file (sqlite:////path/to/sync_ledger.sqlite): "
                              "an in-memory one would forget everything when the process ends")
        return url.render_as_string(hide_password=False)
    if url.get_backend_name() == "postgresql":
        if url.get_driver_name() != "psycopg2":
            raise LedgerError(f"PostgreSQL through psycopg2 only (postgresql+psycopg2://...), got {shown}")
        if not url.host or not url.database:
            raise LedgerError(f"a PostgreSQL ledger URL names the host and the database, got {shown}")
        return url.render_as_string(hide_password=False)
    raise LedgerError(f"the ledger runs on PostgreSQL or SQLite, got {shown}")


def sqlite_url(path: str | Path) -> str:
    return URL.create("sqlite", database=str(Path(path).expanduser().resolve())).render_as_string()


def resolve_url(configured: object = None, environ: Mapping[str, str] | None = None) -> str:
    """The ledger's URL: `configured` (e.g. Settings.sync_ledger_url), else SYNC_LEDGER_URL, else
    sync_ledger.sqlite under DAGSTER_HOME."""
    environ = os.environ if environ is None else environ
    if configured is not None and hasattr(configured, "get_secret_value"):
        configured = configured.get_secret_value()
    text = str(configured).strip() if configured else (environ.get("SYNC_LEDGER_URL") or "").strip()
    if text:
        return check_url(text)
    home = (environ.get("DAGSTER_HOME") or "").strip()
    if not home:
        raise LedgerError("the sync ledger has no home: set SYNC_LEDGER_URL, or DAGSTER_HOME for the "
                          f"default SQLite file ($DAGSTER_HOME/{DEFAULT_FILE_NAME})")
    return sqlite_url(Path(home) / DEFAULT_FILE_NAME)


def check_schema(schema: str) -> str:
    if not _SCHEMA_NAME.match(schema):
        raise LedgerError(f"a ledger schema name is lower-case letters, digits and _, got {schema!r}")
    return schema


def build_engine(url: str | URL, schema: str = DEFAULT_SCHEMA) -> Engine:
    """A new engine for the ledger at `url` (see the module docstring for what each backend gets)."""
    url = make_url(check_url(url if isinstance(url, str) else url.render_as_string(hide_password=False)))
    if url.get_backend_name() == "sqlite":
        assert url.database  # check_url refuses a SQLite URL without a file
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
    else:
        # Named, so an operator sees the ledger's connections in pg_stat_activity.
        named = {} if "application_name" in url.query else {"application_name": APPLICATION_NAME}
        engine = create_engine(url, pool_pre_ping=True, connect_args=named)
    return prepare_engine(engine, schema)


def prepare_engine(engine: Engine, schema: str = DEFAULT_SCHEMA) -> Engine:
    """`engine` set up for the ledger: SQLite gets its locking, PostgreSQL the ledger's schema."""
    if engine.dialect.name == "sqlite":
        if not getattr(engine, "_sync_ledger_prepared", False):
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            engine._sync_ledger_prepared = True  # type: ignore[attr-defined]
        return engine
    if engine.dialect.name == "postgresql":
        if not getattr(engine, "_sync_ledger_prepared", False):
            event.listen(engine, "handle_error", _unavailable)
            engine._sync_ledger_prepared = True  # type: ignore[attr-defined]
        return engine.execution_options(schema_translate_map={None: check_schema(schema)})
    raise LedgerError(f"the ledger runs on PostgreSQL or SQLite, not {engine.dialect.name}")


def _unavailable(context: ExceptionContext) -> None:
    """A lost or refused connection becomes LedgerUnavailable, naming the ledger's database and the
    driver's reason (not the statement and its parameters). The pool's own liveness check (pre-ping)
    is left alone: it reconnects quietly after a restart."""
    if context.is_pre_ping or not (context.is_disconnect or context.connection is None):
        return
    original = context.original_exception
    reason = (str(original).strip().splitlines() or [type(original).__name__])[0]
    where = context.engine.url.render_as_string(hide_password=True) if context.engine is not None else "?"
    raise LedgerUnavailable(f"the sync ledger's database ({where}) is not available: {reason}") from original


def ledger_schema(connection: Connection) -> str | None:
    """The schema the ledger's tables live in on this connection (None on SQLite)."""
    return (connection.get_execution_options().get("schema_translate_map") or {}).get(None)


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Hand transaction control to SQLAlchemy (pysqlite would begin lazily, and deferred), then WAL.
    dbapi_connection.isolation_level = None
    _wal(dbapi_connection)


def _wal(dbapi_connection: sqlite3.Connection) -> None:
    # Switching a new file to WAL answers "database is locked" at once, without SQLite's busy
    # wait, when another process opens the same file at that moment (steps starting together).
    # The mode is kept in the file, so waiting briefly and asking again settles it.
    asking = tenacity.Retrying(
        retry=tenacity.retry_if_exception(lambda exc: isinstance(exc, sqlite3.OperationalError)
                                          and "locked" in str(exc)),
        wait=tenacity.wait_exponential(multiplier=0.005, max=0.25),
        stop=tenacity.stop_before_delay(SQLITE_BUSY_TIMEOUT_SECONDS),
        reraise=True,
    )
    asking(lambda: dbapi_connection.execute("PRAGMA journal_mode=WAL").close())


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front; a plain BEGIN would upgrade later and could fail with
    # "database is locked" when another writer got there first. Readers need no lock (WAL).
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@overload
def patient(method: Callable[P, T]) -> Callable[P, T]: ...
@overload
def patient(*, repeatable: bool) -> Callable[[Callable[P, T]], Callable[P, T]]: ...


def patient(method: Callable[P, T] | None = None, *,
            repeatable: bool = True) -> Callable[P, T] | Callable[[Callable[P, T]], Callable[P, T]]:
    """Run a ledger method again while its database is briefly away (a restart takes about a second).

    Again when that is safe: the connection could not be had, or the transaction failed before its
    commit (the database rolled it back), or the commit failed and the method is `repeatable` (doing
    it twice leaves what doing it once does). A commit that failed may have happened, so a method
    that counts (record_failure) is not repeated then. A database away for longer than
    RECONNECT_PATIENCE_SECONDS raises LedgerUnavailable as before.
    """
    def safe_to_repeat(exc: BaseException) -> bool:
        if not isinstance(exc, LedgerUnavailable):
            return False
        phase = getattr(exc, "phase", None)
        return phase in (CONNECT, BEFORE_COMMIT) or (phase == COMMIT and repeatable)

    def decorate(method: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(method)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            waiting = tenacity.Retrying(
                retry=tenacity.retry_if_exception(safe_to_repeat),
                wait=tenacity.wait_exponential(multiplier=0.1),  # 0.1, 0.2, 0.4 ... s
                stop=tenacity.stop_before_delay(RECONNECT_PATIENCE_SECONDS),
                reraise=True,
            )
            return waiting(method, *args, **kwargs)

        return run

    return decorate(method) if method is not None else decorate


@contextmanager
def connected(engine: Engine, *, transaction: bool) -> Iterator[Connection]:
    """A connection, in a transaction if asked; a LedgerUnavailable says in which phase it failed."""
    try:
        connection = engine.connect()
    except LedgerUnavailable as exc:
        exc.phase = CONNECT
        raise
    body_done = False
    try:
        with connection:
            if transaction:
                with connection.begin():
                    yield connection
                    body_done = True
            else:
                yield connection
                body_done = True
    except LedgerUnavailable as exc:
        exc.phase = COMMIT if body_done else BEFORE_COMMIT
        raise
