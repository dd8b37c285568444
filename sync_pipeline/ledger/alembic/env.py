"""Alembic's environment for the ledger: runs the revisions on the connection migrations.py hands over.

migrations.py opens the transaction and takes the lock; the version table (alembic_version) lives
next to the ledger's tables (PostgreSQL: the ledger's schema; SQLite: the ledger's file). Run
without a connection (the `alembic` command, e.g. to check a new revision against a scratch
database given as sqlalchemy.url), it builds a ledger engine itself.
"""

from alembic import context

from sync_pipeline.ledger.engine import DEFAULT_SCHEMA, build_engine, ledger_schema
from sync_pipeline.ledger.schema import metadata

VERSION_TABLE = "alembic_version"


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE,
                      version_table_schema=ledger_schema(connection))
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = build_engine(context.config.get_main_option("sqlalchemy.url"), DEFAULT_SCHEMA)
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()
