"""The per-map counts carry their record's team and newest named version, so that a lead's caseload
reads one table: no join to maps and people, no look-up of each map's names.

Existing rows get them from their person's team and their map's version names.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (On SQLite the store runs migrations with foreign keys off; map_facts is copied whole.)
    with op.batch_alter_table("map_facts") as batch:
        batch.add_column(sa.Column("team_id", sa.String(36), nullable=False, server_default="local"))
        batch.add_column(sa.Column("named_version", sa.Integer, nullable=True))
    op.execute(
        "UPDATE map_facts SET "
        "team_id = (SELECT p.team_id FROM maps m JOIN people p ON p.id = m.person_id WHERE m.id = map_facts.map_id), "
        "named_version = (SELECT max(l.version) FROM version_labels l WHERE l.map_id = map_facts.map_id)"
    )
    with op.batch_alter_table("map_facts") as batch:
        batch.alter_column("team_id", server_default=None, existing_type=sa.String(36), existing_nullable=False)
        batch.create_foreign_key("map_facts_team_id_fkey", "teams", ["team_id"], ["id"])
        batch.create_index("ix_map_facts_team_id", ["team_id"])


def downgrade() -> None:
    with op.batch_alter_table("map_facts") as batch:
        batch.drop_index("ix_map_facts_team_id")
        batch.drop_constraint("map_facts_team_id_fkey", type_="foreignkey")
        batch.drop_column("named_version")
        batch.drop_column("team_id")
