"""entries: claims (claimed_by, claimed_until) guarding against overlapping runs"""

import sqlalchemy as sa
from alembic import op

from sync_pipeline.ledger.alembic.versions import schema_name
from sync_pipeline.ledger.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entries", sa.Column("claimed_by", sa.String(100)), schema=schema_name())
    op.add_column("entries", sa.Column("claimed_until", UtcDateTime), schema=schema_name())
    op.create_index("ix_entries_claimed_by", "entries", ["claimed_by"], schema=schema_name())


def downgrade() -> None:
    op.drop_index("ix_entries_claimed_by", "entries", schema=schema_name())
    op.drop_column("entries", "claimed_until", schema=schema_name())
    op.drop_column("entries", "claimed_by", schema=schema_name())
