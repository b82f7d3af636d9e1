"""Names for saved versions ("first conversation", "three-month review").

The versions themselves stay immutable; a name lives beside its version and can be changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "version_labels",
        sa.Column("map_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("labelled_by", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["map_id", "version"], ["map_versions.map_id", "map_versions.version"]),
    )


def downgrade() -> None:
    op.drop_table("version_labels")
