"""Keep the chart data (compact Figures JSON) with each submission; old rows have none."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add submissions.figures."""
    op.add_column("submissions", sa.Column("figures", sa.Text(), nullable=True))
