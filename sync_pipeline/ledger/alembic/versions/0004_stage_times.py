"""stage_times: when each order reached each stage (confirmed, in the WMS, shipped, reported)"""

import sqlalchemy as sa
from alembic import op

from sync_pipeline.ledger.alembic.versions import schema_name
from sync_pipeline.ledger.schema import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_times",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("stage", sa.String(32), primary_key=True),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        schema=schema_name(),
    )
    op.create_index("ix_stage_times_at", "stage_times", ["kind", "at"], schema=schema_name())


def downgrade() -> None:
    op.drop_table("stage_times", schema=schema_name())
