"""Per-map counts for the caseload: one row for each map's current version, no names or words.

Existing maps get their row from their current version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: The counts as this revision defines them (ecomap.caseload.FACTS when it was written).
FACTS = (
    "ties",
    "family",
    "community",
    "services",
    "strong",
    "stressful",
    "mutual",
    "one_way",
    "frequent",
    "community_connected",
    "hoped_for",
    "emotional",
    "practical",
    "information",
    "social",
)


def upgrade() -> None:
    table = op.create_table(
        "map_facts",
        sa.Column("map_id", sa.String(64), sa.ForeignKey("maps.id"), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in FACTS),
    )
    from ecomap.analysis import counts as facts
    from ecomap.model import loads

    connection = op.get_bind()
    current = sa.text(
        "SELECT m.id, m.current_version, v.document FROM maps m "
        "JOIN map_versions v ON v.map_id = m.id AND v.version = m.current_version"
    )
    # Today's counting, kept to this revision's columns (a later revision that adds a count fills it in).
    # (A count per kind of support was, then, of the ties giving it: what the person gets.)
    rows = [
        {"map_id": map_id, "version": version, **{name: counts.get(name, counts.get(f"gets_{name}")) for name in FACTS}}
        for map_id, version, document in connection.execute(current)
        for counts in [facts(loads(document))]
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("map_facts")
