"""stock_history: each stock cycle's rows (both systems' figures and how they compared), appended per cycle"""

import sqlalchemy as sa
from alembic import op

from sync_pipeline.ledger.alembic.versions import schema_name
from sync_pipeline.ledger.schema import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("stock_history", schema=schema_name()):
        # Made by the code before this revision (created on first use, the same columns as text): kept
        # with its rows, given the index this revision adds.
        op.create_index("ix_stock_history_taken_at", "stock_history", ["taken_at"], schema=schema_name())
        return
    op.create_table(
        "stock_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("taken_at", UtcDateTime, nullable=False),
        sa.Column("run_id", sa.String(100), nullable=False),
        sa.Column("basis", sa.String(16)),
        sa.Column("article_number", sa.String(255), nullable=False),
        sa.Column("product_id", sa.BigInteger),
        sa.Column("product_code", sa.String(255)),
        sa.Column("wms_quantity", sa.Numeric(38, 6)),
        sa.Column("erp_quantity", sa.Numeric(38, 6)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        schema=schema_name(),
    )
    op.create_index("ix_stock_history_article_time", "stock_history", ["article_number", "taken_at"],
                    schema=schema_name())
    op.create_index("ix_stock_history_taken_at", "stock_history", ["taken_at"], schema=schema_name())


def downgrade() -> None:
    op.drop_table("stock_history", schema=schema_name())
