"""Check-out and check-in: a record taken to a home visit on a laptop, and brought back.

- ``checkouts``: which record (person and map), by whom, when, until which date, the server's
  newest version at check-out, and when the check-out ended. On the team server a row is a
  check-out (``copy_of`` empty); on the laptop's own store (the visit store) a row marks the
  record there as a copy, ``copy_of`` naming the server's check-out. At most one open row a person.
- The audit's actions gain ``check-out`` and ``check-in``, and ``pair`` and ``unpair`` (a device
  joining a visit, or let go).
- The guards of revision 0007 also let a visit store remove its copy of a record once that copy
  is checked in (its row there ended): the record's history is on the team server then. Nothing
  else removes a version or an audit entry but a purge.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The actions as revision 0007 defined them.
ACTIONS_BEFORE = (
    "create",
    "open",
    "save",
    "save-refused",
    "restore",
    "restore-refused",
    "label",
    "export",
    "caseload",
    "import",
    "sign-in",
    "sign-out",
    "break-glass",
    "denied",
    "restrict",
    "unrestrict",
    "move",
    "retention",
    "team",
    "membership",
    "purge",
    "subject-access",
    "view-audit",
)
#: The actions as this revision defines them (ecomap.store.AuditAction when it was written).
ACTIONS = (*ACTIONS_BEFORE, "check-out", "check-in", "pair", "unpair")
CHECK = "audit_action_known"

_PROTECTED = ("map_versions", "audit")
_KEY = {"audit": ("id",), "map_versions": ("map_id", "version")}

#: SQL true when the person ``{p}`` is past their retention date (SQLite), as revision 0007 has it.
_PAST_SQLITE = "EXISTS (SELECT 1 FROM people p WHERE p.id = {p} AND p.retention_until < date('now'))"
#: SQL true when the person ``{p}`` is a visit store's copy that has been checked in.
_CHECKED_IN_COPY = (
    "EXISTS (SELECT 1 FROM checkouts c WHERE c.person_id = {p} AND c.copy_of IS NOT NULL AND c.ended_at IS NOT NULL)"
)
_PERSON_OF_MAP = "(SELECT m.person_id FROM maps m WHERE m.id = OLD.map_id)"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _known(actions: tuple[str, ...]) -> str:
    return "action IN ({})".format(", ".join(f"'{action}'" for action in actions))


def _may_go_sqlite(table: str, *, copies: bool) -> str:
    """SQL true when the OLD row of ``table`` may be deleted (SQLite): past retention, or (``copies``) a
    checked-in copy's."""
    people = ["OLD.person_id", _PERSON_OF_MAP] if table == "audit" else [_PERSON_OF_MAP]
    tests = [_PAST_SQLITE.format(p=p) for p in people]
    if copies:
        tests += [_CHECKED_IN_COPY.format(p=p) for p in people]
    return "(" + " OR ".join(tests) + ")"


def _refuse(table: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed'); END"


def _sqlite_guards(*, copies: bool) -> None:
    """Revision 0007's triggers (no UPDATE, no REPLACE, no DELETE but past retention), and with ``copies``
    a checked-in copy's rows deletable too."""
    for table in _PROTECTED:
        for event in ("update", "delete", "replace"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
        same_key = " AND ".join(f"t.{c} = NEW.{c}" for c in _KEY[table])
        op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {_refuse(table)}")
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {_may_go_sqlite(table, copies=copies)} {_refuse(table)}"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} t WHERE {same_key}) {_refuse(table)}"
        )


def _postgres_guard(*, copies: bool) -> None:
    """Revision 0007's function behind the DELETE triggers, and with ``copies`` a checked-in copy's rows let go."""
    today = "(now() AT TIME ZONE 'UTC')::date"
    copy_of_audit = copy_of_map = ""
    if copies:
        copy_of_audit = (
            "IF EXISTS (SELECT 1 FROM checkouts c WHERE c.person_id = OLD.person_id "
            "AND c.copy_of IS NOT NULL AND c.ended_at IS NOT NULL) THEN RETURN OLD; END IF; "
        )
        copy_of_map = (
            "IF EXISTS (SELECT 1 FROM maps m JOIN checkouts c ON c.person_id = m.person_id "
            "WHERE m.id = OLD.map_id AND c.copy_of IS NOT NULL AND c.ended_at IS NOT NULL) THEN RETURN OLD; END IF; "
        )
    op.execute(
        "CREATE OR REPLACE FUNCTION ecomap_guard_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_TABLE_NAME = 'audit' THEN "
        f"IF EXISTS (SELECT 1 FROM people p WHERE p.id = OLD.person_id AND p.retention_until < {today}) "
        f"THEN RETURN OLD; END IF; {copy_of_audit}END IF; "
        "IF EXISTS (SELECT 1 FROM maps m JOIN people p ON p.id = m.person_id "
        f"WHERE m.id = OLD.map_id AND p.retention_until < {today}) THEN RETURN OLD; END IF; "
        f"{copy_of_map}"
        "RAISE EXCEPTION '% rows cannot be changed', TG_TABLE_NAME; END $$"
    )


def _actions(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    """The audit's closed set of actions from ``before`` to ``after`` (on SQLite batch mode copies the
    table, so its guards are dropped first and made again by the caller)."""
    with op.batch_alter_table("audit") as batch:
        batch.drop_constraint(CHECK, type_="check")
    with op.batch_alter_table("audit") as batch:
        batch.create_check_constraint(CHECK, _known(after))


def upgrade() -> None:
    op.create_table(
        "checkouts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("map_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.Date, nullable=False),
        sa.Column("server_version", sa.Integer, nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("copy_of", sa.Integer, nullable=True),
    )
    op.create_index("ix_checkouts_person_id", "checkouts", ["person_id"])
    open_only = sa.text("ended_at IS NULL")
    op.create_index(
        "checkouts_open_once",
        "checkouts",
        ["person_id"],
        unique=True,
        sqlite_where=open_only,
        postgresql_where=open_only,
    )
    if _sqlite():
        for table in _PROTECTED:
            for event in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    _actions(ACTIONS_BEFORE, ACTIONS)
    if _sqlite():
        _sqlite_guards(copies=True)
    else:
        _postgres_guard(copies=True)


def downgrade() -> None:
    sqlite = _sqlite()
    if sqlite:
        for table in _PROTECTED:
            for event in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    else:
        op.execute("ALTER TABLE audit DISABLE TRIGGER audit_guarded_delete")
    # What the older revisions cannot say goes: entries of the new actions.
    op.execute(f"DELETE FROM audit WHERE NOT ({_known(ACTIONS_BEFORE)})")
    if not sqlite:
        op.execute("ALTER TABLE audit ENABLE TRIGGER audit_guarded_delete")
    _actions(ACTIONS, ACTIONS_BEFORE)
    if sqlite:
        _sqlite_guards(copies=False)
    else:
        _postgres_guard(copies=False)
    op.drop_index("checkouts_open_once", "checkouts")
    op.drop_index("ix_checkouts_person_id", "checkouts")
    op.drop_table("checkouts")
