"""Visit mode: a home visit served from the laptop, and the tablets paired with it.

- ``visits``: one visit of one map (who started it, until when it lasts, when it was ended);
- ``visit_links``: the visit's single-use pairing links, by the SHA-256 of their secret, with
  until when each works and when it was used;
- ``visit_devices``: the devices paired with a visit, by the SHA-256 of their cookie's secret.

All three go with their map (a purge removes them). No name or word of a map is in them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visits",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("map_id", sa.String(64), sa.ForeignKey("maps.id", ondelete="CASCADE"), nullable=False),
        sa.Column("started_by", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_visits_map_id", "visits", ["map_id"])
    op.create_table(
        "visit_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("visit_id", sa.String(32), sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_visit_links_visit_id", "visit_links", ["visit_id"])
    op.create_table(
        "visit_devices",
        sa.Column("secret_hash", sa.String(64), primary_key=True),
        sa.Column("visit_id", sa.String(32), sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("paired_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_visit_devices_visit_id", "visit_devices", ["visit_id"])


def downgrade() -> None:
    op.drop_index("ix_visit_devices_visit_id", "visit_devices")
    op.drop_table("visit_devices")
    op.drop_index("ix_visit_links_visit_id", "visit_links")
    op.drop_table("visit_links")
    op.drop_index("ix_visits_map_id", "visits")
    op.drop_table("visits")
