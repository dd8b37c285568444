"""PostgreSQL specifics: the ledger keeps to its schema and outlives a restarted server."""

from __future__ import annotations

import secrets

from sqlalchemy import create_engine, inspect, make_url, text

from sync_pipeline.ledger import Ledger, State


def test_the_ledger_keeps_to_its_own_schema(postgres_url, postgres_schemas):
    schema = postgres_schemas()
    with Ledger(postgres_url, schema=schema) as ledger:
        ledger.mark("order", "1", "pending")
        with ledger.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names(schema=schema))
            assert tables == {"entries", "cursors", "stage_times", "stock_history", "alembic_version"}
            assert connection.scalar(text("SELECT application_name FROM pg_stat_activity "
                                          "WHERE pid = pg_backend_pid()")) == "sync_pipeline ledger"


def test_connections_lost_between_calls_are_replaced(postgres_url, postgres_schemas):
    """As after a PostgreSQL restart: the pooled connections are dead, the next call still works."""
    name = f"ledger-restart-{secrets.token_hex(4)}"
    url = make_url(postgres_url).update_query_dict({"application_name": name}).render_as_string(hide_password=False)
    with Ledger(url, schema=postgres_schemas()) as ledger:
        assert ledger.mark("order", "1", "pending")
        admin = create_engine(postgres_url)
        with admin.begin() as connection:
            killed = connection.scalar(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                            "WHERE application_name = :name"), {"name": name})
        admin.dispose()
        assert killed >= 1
        assert ledger.mark("order", "1", "sent")
        assert ledger.get("order", "1").state is State.SENT
