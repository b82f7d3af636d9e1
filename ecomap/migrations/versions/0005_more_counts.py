"""Three more per-map counts, for the measures: ties with any flow, ties with flow both ways, ties
giving two or more kinds of support.

Existing maps get them from their current version.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The counts this revision adds (they are in ecomap.analysis.COUNTS as it was written).
ADDED = ("flowing", "both_ways", "multiplex")


def upgrade() -> None:
    with op.batch_alter_table("map_facts") as batch:
        for name in ADDED:
            batch.add_column(sa.Column(name, sa.Integer, nullable=False, server_default="0"))
    from ecomap.analysis import counts
    from ecomap.model import loads

    connection = op.get_bind()
    current = sa.text(
        "SELECT m.id, v.document FROM maps m JOIN map_versions v ON v.map_id = m.id AND v.version = m.current_version"
    )
    facts = sa.table("map_facts", sa.column("map_id"), *(sa.column(name) for name in ADDED))
    for map_id, document in connection.execute(current).all():
        counted = counts(loads(document))
        connection.execute(
            facts.update().where(facts.c.map_id == map_id).values({name: counted[name] for name in ADDED})
        )


def downgrade() -> None:
    with op.batch_alter_table("map_facts") as batch:
        for name in ADDED:
            batch.drop_column(name)
