"""entries: one row per record, with versions, hashes, states, failures and retries"""

import sqlalchemy as sa
from alembic import op

from sync_pipeline.ledger.alembic.versions import schema_name
from sync_pipeline.ledger.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("source_version", sa.String(100)),
        sa.Column("payload_hash", sa.String(64)),
        sa.Column("wms_id", sa.String(100)),
        sa.Column("last_error", sa.Text),
        sa.Column("error_field", sa.String(200)),
        sa.Column("retryable", sa.Boolean, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime),
        sa.Column("dead", sa.Boolean, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        schema=schema_name(),
    )
    op.create_index("ix_entries_retry", "entries", ["kind", "dead", "next_attempt_at"], schema=schema_name())


def downgrade() -> None:
    op.drop_table("entries", schema=schema_name())
