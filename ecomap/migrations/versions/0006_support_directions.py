"""Support with its direction: each map's counts of support the person gets, gives, and shares
both ways, for each kind, in place of one count per kind that could not say which way it went.

Existing maps get them from their current version (read as format version 2).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KINDS = ("emotional", "practical", "information", "social")
#: The counts this revision adds (they are in ecomap.analysis.COUNTS as it was written).
ADDED = tuple(f"{way}_{kind}" for way in ("gets", "gives", "both") for kind in KINDS)


def _fill(names: tuple[str, ...], value_of: object) -> None:
    from ecomap.analysis import counts
    from ecomap.model import loads

    connection = op.get_bind()
    current = sa.text(
        "SELECT m.id, v.document FROM maps m JOIN map_versions v ON v.map_id = m.id AND v.version = m.current_version"
    )
    facts = sa.table("map_facts", sa.column("map_id"), *(sa.column(name) for name in names))
    for map_id, document in connection.execute(current).all():
        counted = counts(loads(document))
        values = {name: value_of(counted, name) for name in names}  # type: ignore[operator]
        connection.execute(facts.update().where(facts.c.map_id == map_id).values(values))


def upgrade() -> None:
    with op.batch_alter_table("map_facts") as batch:
        for kind in KINDS:
            batch.drop_column(kind)
        for name in ADDED:
            batch.add_column(sa.Column(name, sa.Integer, nullable=False, server_default="0"))
    _fill(ADDED, lambda counted, name: counted[name])


def downgrade() -> None:
    with op.batch_alter_table("map_facts") as batch:
        for name in ADDED:
            batch.drop_column(name)
        for kind in KINDS:
            batch.add_column(sa.Column(kind, sa.Integer, nullable=False, server_default="0"))
    # The counts before this revision: ties that gave each kind, which is what the person gets.
    _fill(KINDS, lambda counted, name: counted[f"gets_{name}"])
