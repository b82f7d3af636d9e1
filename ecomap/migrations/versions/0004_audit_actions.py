"""Audit actions as a closed set, with what they carried in the action's text in columns of their own.

Before this revision a restore was written as ``restore-3`` and an export as ``export-pdf``. Now the
action is one of a fixed list (checked by the database), a restore's source version is in
``from_version`` and an export's format in ``detail``. Existing rows are converted both ways.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: The actions as this revision defines them (ecomap.store.AuditAction when it was written).
ACTIONS = (
    "create",
    "open",
    "save",
    "save-refused",
    "restore",
    "restore-refused",
    "label",
    "export",
    "caseload",
)
CHECK = "audit_action_known"


@contextmanager
def _audit_unprotected() -> Iterator[None]:
    """Lift the audit's refusal of changes (revision 0001) for this revision's own rewrite, then put it back.

    On SQLite the triggers go with the table when batch mode copies it, so they are made again.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_no_{event}")
    else:
        op.execute("ALTER TABLE audit DISABLE TRIGGER audit_unchanging")
    yield
    if sqlite:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_no_{event.lower()} BEFORE {event} ON audit "
                "BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END"
            )
    else:
        op.execute("ALTER TABLE audit ENABLE TRIGGER audit_unchanging")


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("from_version", sa.Integer, nullable=True))
        batch.add_column(sa.Column("detail", sa.String(32), nullable=True))
    with _audit_unprotected():
        op.execute(
            "UPDATE audit SET action = 'restore', from_version = CAST(substr(action, 9) AS INTEGER) "
            "WHERE action LIKE 'restore-%'"
        )
        op.execute("UPDATE audit SET action = 'export', detail = substr(action, 8) WHERE action LIKE 'export-%'")
        with op.batch_alter_table("audit") as batch:
            known = ", ".join(f"'{action}'" for action in ACTIONS)
            batch.create_check_constraint(CHECK, f"action IN ({known})")


def downgrade() -> None:
    with _audit_unprotected():
        with op.batch_alter_table("audit") as batch:
            batch.drop_constraint(CHECK, type_="check")
        op.execute(
            "UPDATE audit SET action = 'restore-' || CAST(from_version AS VARCHAR(11)) "
            "WHERE action = 'restore' AND from_version IS NOT NULL"
        )
        op.execute(
            "UPDATE audit SET action = substr('export-' || detail, 1, 32) "
            "WHERE action = 'export' AND detail IS NOT NULL"
        )
        # Before this revision a restore went through a save, and a refused one was audited as such.
        op.execute("UPDATE audit SET action = 'save-refused' WHERE action = 'restore-refused'")
        with op.batch_alter_table("audit") as batch:
            batch.drop_column("detail")
            batch.drop_column("from_version")
