"""People, maps, immutable map versions and an append-only audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_PROTECTED = ("map_versions", "audit")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "maps",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_maps_person_id", "maps", ["person_id"])
    op.create_table(
        "map_versions",
        sa.Column("map_id", sa.String(64), sa.ForeignKey("maps.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("saved_by", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=True),
        sa.Column("map_id", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_audit_person_id", "audit", ["person_id"])
    op.create_index("ix_audit_map_id", "audit", ["map_id"])
    _protect_history()


def _protect_history() -> None:
    """Versions and the audit are written once: the database itself refuses changes to them."""
    if op.get_bind().dialect.name == "sqlite":
        for table in _PROTECTED:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION ecomap_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% rows cannot be changed', TG_TABLE_NAME; END $$"
    )
    for table in _PROTECTED:
        op.execute(
            f"CREATE TRIGGER {table}_unchanging BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ecomap_refuse_change()"
        )


def downgrade() -> None:
    for table in ("audit", "map_versions", "maps", "people", "users"):
        op.drop_table(table)
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION ecomap_refuse_change()")
