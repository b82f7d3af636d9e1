"""Teams, roles and need-to-know access; the audit complete and append-only; restriction and retention.

- ``teams`` and ``memberships`` (a user, or an e-mail address waiting for its first sign-in, with a
  role: practitioner or lead); ``users`` gain their e-mail address and an admin flag.
- Every person gets a team: existing records go to the team ``local`` ("This machine"), made
  here; the local mode's user ``local`` is its lead and an admin, and the command line's
  ``operator`` an admin in no team. People also get ``restricted`` and ``retention_until``.
- The audit's actions gain sign-in, sign-out, break-glass, denied, restrict, unrestrict, move,
  retention, team, membership, purge, import, subject-access and view-audit; its detail holds up
  to 500 characters (a break-glass reason).
- Versions and the audit stay written once, now against every statement: an UPDATE is refused;
  on SQLite an insert whose key is already there is refused (``INSERT OR REPLACE``, ``REPLACE``
  and upserts would otherwise delete the old row without a DELETE trigger); on PostgreSQL
  TRUNCATE is refused and UPDATE, DELETE and TRUNCATE are revoked from PUBLIC. A DELETE is
  refused unless the row is about a person whose retention date has passed (by the database's
  clock, in UTC): only a purge removes history.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The actions as revision 0004 defined them.
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
)
#: The actions as this revision defines them (ecomap.store.AuditAction when it was written).
ACTIONS = (
    *ACTIONS_BEFORE,
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
CHECK = "audit_action_known"
DETAIL_BEFORE = 32
DETAIL = 500
EMAIL = 320
ROLES = ("practitioner", "lead")
LOCAL_TEAM = ("local", "This machine")
#: The users this revision makes admins: the local mode's user and the command line's operator.
ADMINS = (("local", "Local practitioner"), ("operator", "Operator (command line)"))

_PROTECTED = ("map_versions", "audit")
#: A row of each protected table's own key, as NEW or OLD (SQLite's triggers).
_KEY = {"audit": ("id",), "map_versions": ("map_id", "version")}
#: SQL true when the OLD row of each table is about a person past their retention date (SQLite).
_PAST_RETENTION_SQLITE = {
    # An audit entry is about a person by their id, or (as some older entries are) by their map's only.
    "audit": (
        "(EXISTS (SELECT 1 FROM people p WHERE p.id = OLD.person_id AND p.retention_until < date('now')) "
        "OR EXISTS (SELECT 1 FROM maps m JOIN people p ON p.id = m.person_id "
        "WHERE m.id = OLD.map_id AND p.retention_until < date('now')))"
    ),
    "map_versions": (
        "EXISTS (SELECT 1 FROM maps m JOIN people p ON p.id = m.person_id "
        "WHERE m.id = OLD.map_id AND p.retention_until < date('now'))"
    ),
}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _refuse(table: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed'); END"


def _drop_sqlite_triggers() -> None:
    for table in _PROTECTED:
        for event in ("update", "delete", "replace"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")


def _guard_history() -> None:
    """Versions and the audit: no UPDATE, no REPLACE, no DELETE but of a record past its retention date."""
    if _sqlite():
        _drop_sqlite_triggers()
        for table in _PROTECTED:
            same_key = " AND ".join(f"t.{c} = NEW.{c}" for c in _KEY[table])
            op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {_refuse(table)}")
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN NOT {_PAST_RETENTION_SQLITE[table]} {_refuse(table)}"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} t WHERE {same_key}) {_refuse(table)}"
            )
        return
    today = "(now() AT TIME ZONE 'UTC')::date"
    op.execute(
        "CREATE FUNCTION ecomap_guard_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        # Only the audit has person_id: a field a row does not have cannot be named.
        "IF TG_TABLE_NAME = 'audit' THEN "
        f"IF EXISTS (SELECT 1 FROM people p WHERE p.id = OLD.person_id AND p.retention_until < {today}) "
        "THEN RETURN OLD; END IF; END IF; "
        # Both have map_id: a version of a map, or an audit entry about it.
        "IF EXISTS (SELECT 1 FROM maps m JOIN people p ON p.id = m.person_id "
        f"WHERE m.id = OLD.map_id AND p.retention_until < {today}) THEN RETURN OLD; END IF; "
        "RAISE EXCEPTION '% rows cannot be changed', TG_TABLE_NAME; END $$"
    )
    for table in _PROTECTED:
        op.execute(
            f"CREATE TRIGGER {table}_unchanging BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ecomap_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_guarded_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ecomap_guard_delete()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ecomap_refuse_change()"
        )
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC")


def _unguard_history() -> None:
    """Lift this revision's guards (for its own rewrite, or going down); :func:`_guard_before` puts 0001's back."""
    if _sqlite():
        _drop_sqlite_triggers()
        return
    for table in _PROTECTED:
        for trigger in ("unchanging", "guarded_delete", "no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{trigger} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS ecomap_guard_delete()")


def _guard_before() -> None:
    """The guards as revisions 0001 and 0004 left them: no UPDATE, no DELETE."""
    for table in _PROTECTED:
        if _sqlite():
            for event in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} {_refuse(table)}")
        else:
            op.execute(
                f"CREATE TRIGGER {table}_unchanging BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ecomap_refuse_change()"
            )


def _known(actions: tuple[str, ...]) -> str:
    return "action IN ({})".format(", ".join(f"'{action}'" for action in actions))


def upgrade() -> None:
    now = datetime.now(UTC)
    connection = op.get_bind()
    teams = op.create_table(
        "teams",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.bulk_insert(teams, [{"id": LOCAL_TEAM[0], "name": LOCAL_TEAM[1], "created_at": now}])

    op.add_column("users", sa.Column("email", sa.String(EMAIL), nullable=True))
    op.add_column("users", sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_users_email", "users", ["email"])
    users = sa.table(
        "users", sa.column("id"), sa.column("display_name"), sa.column("created_at"), sa.column("is_admin")
    )
    present = set(connection.execute(sa.select(users.c.id).where(users.c.id.in_([i for i, _ in ADMINS]))).scalars())
    for user_id, name in ADMINS:
        if user_id not in present:
            connection.execute(users.insert().values(id=user_id, display_name=name, created_at=now, is_admin=True))
    connection.execute(users.update().where(users.c.id.in_([i for i, _ in ADMINS])).values(is_admin=True))

    memberships = op.create_table(
        "memberships",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(36), sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("email", sa.String(EMAIL), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "user_id", name="memberships_user_once"),
        sa.UniqueConstraint("team_id", "email", name="memberships_email_once"),
        sa.CheckConstraint("(user_id IS NULL) <> (email IS NULL)", name="memberships_user_or_email"),
        sa.CheckConstraint("role IN ({})".format(", ".join(f"'{r}'" for r in ROLES)), name="memberships_role_known"),
    )
    op.create_index("ix_memberships_team_id", "memberships", ["team_id"])
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.bulk_insert(memberships, [{"team_id": LOCAL_TEAM[0], "user_id": "local", "role": "lead", "added_at": now}])

    # (On SQLite the store runs migrations with foreign keys off, so that people can be copied.)
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("team_id", sa.String(36), nullable=False, server_default=LOCAL_TEAM[0]))
        batch.add_column(sa.Column("restricted", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("retention_until", sa.Date, nullable=True))
    with op.batch_alter_table("people") as batch:
        batch.alter_column("team_id", server_default=None, existing_type=sa.String(36), existing_nullable=False)
        batch.create_foreign_key("people_team_id_fkey", "teams", ["team_id"], ["id"])
        batch.create_index("ix_people_team_id", ["team_id"])

    _unguard_history()
    with op.batch_alter_table("audit") as batch:
        batch.drop_constraint(CHECK, type_="check")
        batch.alter_column("detail", type_=sa.String(DETAIL), existing_type=sa.String(DETAIL_BEFORE))
    with op.batch_alter_table("audit") as batch:
        batch.create_check_constraint(CHECK, _known(ACTIONS))
    _guard_history()


def downgrade() -> None:
    _unguard_history()
    # What the older revisions cannot say goes: entries of the new actions, and detail past 32 characters.
    op.execute(f"DELETE FROM audit WHERE NOT ({_known(ACTIONS_BEFORE)})")
    op.execute(f"UPDATE audit SET detail = substr(detail, 1, {DETAIL_BEFORE}) WHERE length(detail) > {DETAIL_BEFORE}")
    with op.batch_alter_table("audit") as batch:
        batch.drop_constraint(CHECK, type_="check")
        batch.alter_column("detail", type_=sa.String(DETAIL_BEFORE), existing_type=sa.String(DETAIL))
    with op.batch_alter_table("audit") as batch:
        batch.create_check_constraint(CHECK, _known(ACTIONS_BEFORE))
    _guard_before()

    with op.batch_alter_table("people") as batch:
        batch.drop_index("ix_people_team_id")
        batch.drop_constraint("people_team_id_fkey", type_="foreignkey")
        batch.drop_column("retention_until")
        batch.drop_column("restricted")
        batch.drop_column("team_id")
    op.drop_index("ix_memberships_user_id", "memberships")
    op.drop_index("ix_memberships_team_id", "memberships")
    op.drop_table("memberships")
    op.drop_index("ix_users_email", "users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("is_admin")
        batch.drop_column("email")
    op.drop_table("teams")
