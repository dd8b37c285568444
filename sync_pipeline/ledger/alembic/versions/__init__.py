"""The ledger's schema revisions, 0001 upwards. Each is frozen once released (see migrations.py)."""

from alembic import op


def schema_name() -> str | None:
    """The schema the ledger's tables live in (None on SQLite), named explicitly in every operation:
    Alembic's ALTER statements do not go through the engine's schema_translate_map."""
    return op.get_context().version_table_schema
