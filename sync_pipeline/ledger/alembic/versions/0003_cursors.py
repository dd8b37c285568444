"""cursors: each process's changed-since cursor"""

import sqlalchemy as sa
from alembic import op

from sync_pipeline.ledger.alembic.versions import schema_name
from sync_pipeline.ledger.schema import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cursors",
        sa.Column("process", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        schema=schema_name(),
    )


def downgrade() -> None:
    op.drop_table("cursors", schema=schema_name())
