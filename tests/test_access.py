"""Who sees what, on an SQLite file and on a real PostgreSQL: teams, roles, break-glass, restriction,
moving, the audit of every action and refusal, history that no statement can change, and the purge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

import ecomap.store as store_module
from ecomap.access import BREAK_GLASS_TIME, LOCAL_TEAM_ID, REASON_MAX, Role
from ecomap.caseload import caseload_of
from ecomap.checkout import check_in, check_out
from ecomap.errors import AccessDenied, Conflict, NotFound
from ecomap.model import EcoMap
from ecomap.pairing import end_visit, pair, start_pairing
from ecomap.store import LOCAL_USER, OPERATOR, AuditAction, AuditEntry, Store, User, audit_log, map_facts
from tests.conftest import alys, busy_family

ANWEN = User("oidc:test:anwen", "Anwen Evans", "anwen@example.org")  # a practitioner of team A
BRYN = User("oidc:test:bryn", "Bryn Thomas", "bryn@example.org")  # a practitioner of team B
CERI = User("oidc:test:ceri", "Ceri Lloyd", "ceri@example.org")  # the lead of team A
DEWI = User("oidc:test:dewi", "Dewi Admin", "dewi@example.org")  # an admin in no team
NAME = "Alys Pritchard"


@dataclass(frozen=True)
class Teams:
    """Two teams and the people of the tests in them."""

    store: Store
    a: str
    b: str


@pytest.fixture
def teams(store: Store) -> Teams:
    a = store.create_team(LOCAL_USER, "Team A").id
    b = store.create_team(LOCAL_USER, "Team B").id
    for user in (ANWEN, BRYN, CERI, DEWI):
        store.record_sign_in(user)
    store.add_member(LOCAL_USER, a, ANWEN.id, Role.PRACTITIONER)
    store.add_member(LOCAL_USER, b, BRYN.id, Role.PRACTITIONER)
    store.add_member(LOCAL_USER, a, CERI.email or "", Role.LEAD)
    store.set_admin(LOCAL_USER, DEWI.id, True)
    return Teams(store, a, b)


def rows_of(store: Store, table: str) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(f"SELECT * FROM {table}")).mappings()]


def audit_rows(store: Store) -> list[dict[str, Any]]:
    return sorted(rows_of(store, "audit"), key=lambda row: row["id"])


def everything(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as column -> value, in a fixed order."""
    with store.engine.connect() as connection:
        names = inspect(connection).get_table_names()
    return {name: sorted(rows_of(store, name), key=repr) for name in names}


def last_denial(store: Store) -> dict[str, Any]:
    row = audit_rows(store)[-1]
    assert (row["action"], bool(row["ok"])) == ("denied", False)
    return row


# -- a practitioner sees their own teams' people only ---------------------------------------------


def test_a_practitioner_of_another_team_can_do_nothing_with_a_record(teams: Teams) -> None:
    store = teams.store
    alys_record = store.add_person(ANWEN, alys())
    map_id, person_id = alys_record.map.id, alys_record.person_id
    store.save(ANWEN, alys().replace(title="Later"), expected_version=1)

    assert store.people(BRYN) == []
    assert store.is_empty(BRYN) and not store.is_empty(ANWEN) and not store.is_empty()
    attempts: dict[str, Callable[[], object]] = {
        "open": lambda: store.open(BRYN, map_id),
        "save": lambda: store.save(BRYN, alys().replace(title="Bryn's"), expected_version=2),
        "restore": lambda: store.restore(BRYN, map_id, 1, expected_version=2),
        "versions": lambda: store.versions(BRYN, map_id),
        "export": lambda: store.record_export(BRYN, map_id, 2, "pdf"),
        "label": lambda: store.label_version(BRYN, map_id, 1, "first"),
        "import": lambda: store.record_import(BRYN, person_id, "csv"),
        "audit": lambda: store.audit(BRYN, map_id=map_id),
    }
    for attempted, attempt in attempts.items():
        with pytest.raises(AccessDenied) as caught:
            attempt()
        # The words a map that is not there gets: nothing says that this one is.
        with pytest.raises(NotFound) as missing:
            store.open(BRYN, "no-such-map")
        assert str(caught.value) in (
            str(missing.value).replace("no-such-map", map_id),
            f"there is no person {person_id}",
        )
        denial = last_denial(store)
        assert (denial["user_id"], denial["detail"], denial["person_id"]) == (BRYN.id, attempted, person_id)

    assert [v.version for v in store.versions(ANWEN, map_id)] == [1, 2]
    assert store.open(ANWEN, map_id).map.title == "Later"
    assert [e.action for e in store.audit(BRYN) if e.person_id is not None] == []


def test_a_lead_sees_only_the_caseload_of_their_teams(teams: Teams) -> None:
    store = teams.store
    ours = [alys(), busy_family(4)]
    for m in ours:
        store.add_person(ANWEN, m)
    store.add_person(BRYN, busy_family(9).replace(id="m-b"))
    store.label_version(ANWEN, alys().id, 1, "first conversation")
    store.save(ANWEN, alys().replace(title="Review"), expected_version=1)

    load = store.caseload(CERI)
    assert load == caseload_of(ours, named=1, changed_since_named=1)
    # Counts lost (the table is not history) are made again by the next save, team and names and all.
    with store.engine.begin() as connection:
        connection.execute(map_facts.delete())
    store.save(ANWEN, alys().replace(title="Review"), expected_version=2)
    store.save(ANWEN, busy_family(4), expected_version=1)
    assert store.caseload(CERI) == caseload_of(ours, named=1, changed_since_named=1)
    store.label_version(ANWEN, alys().id, 3, "three-month review")
    assert store.caseload(CERI).changed_since_named == 0
    store.label_version(ANWEN, alys().id, 3, "")
    store.label_version(ANWEN, alys().id, 1, "")
    assert store.caseload(CERI).never_named == 2
    load = store.caseload(CERI, team_id=teams.a)
    assert (load.people, load.median_ties, load.never_named, load.changed_since_named) == (2, 3.0, 2, 0)
    with pytest.raises(AccessDenied, match="only a team lead"):
        store.caseload(ANWEN)
    assert last_denial(store)["detail"] == "caseload"
    with pytest.raises(AccessDenied):
        store.caseload(DEWI)  # an admin leads no team
    assert load == caseload_of(ours)
    with pytest.raises(AccessDenied):
        store.caseload(CERI, team_id=teams.b)


def test_a_user_in_several_teams_says_which_one_a_new_person_belongs_to(teams: Teams) -> None:
    store = teams.store
    store.add_member(LOCAL_USER, teams.b, ANWEN.id, Role.PRACTITIONER)
    with pytest.raises(ValueError, match="more than one team"):
        store.add_person(ANWEN, alys())
    assert store.add_person(ANWEN, alys(), team_id=teams.b).person_id in {p.person_id for p in store.people(BRYN)}
    with pytest.raises(AccessDenied):
        store.add_person(CERI, busy_family(), team_id=teams.b)
    assert last_denial(store)["detail"] == "create"
    with pytest.raises(AccessDenied):
        store.add_person(DEWI, busy_family())  # in no team
    assert store.roles(ANWEN) == {teams.a: Role.PRACTITIONER, teams.b: Role.PRACTITIONER}


# -- admins: break-glass, restriction, moving ------------------------------------------------------


def test_an_admin_opens_another_teams_record_only_by_break_glass_for_a_while(
    teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = teams.store
    created = store.add_person(ANWEN, alys())
    assert store.people(DEWI) == []
    with pytest.raises(AccessDenied):
        store.open(DEWI, created.map.id)
    for reason in ("", "   \n", "x" * (REASON_MAX + 1)):
        with pytest.raises(ValueError, match="reason"):
            store.break_glass(DEWI, created.person_id, reason)

    opened = store.break_glass(DEWI, created.person_id, "  safeguarding referral\n from the police ")
    assert (opened.map, opened.version) == (alys(), 1)
    entry = store.search_audit(DEWI, actions=[AuditAction.BREAK_GLASS])[0]
    assert (entry.user_id, entry.person_id, entry.detail) == (
        DEWI.id,
        created.person_id,
        "safeguarding referral from the police",
    )
    assert [p.person_id for p in store.people(DEWI)] == [created.person_id]
    assert store.save(DEWI, alys().replace(title="Seen by the admin"), expected_version=1) == 2

    later = datetime.now(UTC) + BREAK_GLASS_TIME + timedelta(minutes=1)
    monkeypatch.setattr(store_module, "_now", lambda: later)
    assert store.people(DEWI) == []
    with pytest.raises(AccessDenied):
        store.open(DEWI, created.map.id)
    with pytest.raises(AccessDenied, match="only an admin"):
        store.break_glass(BRYN, created.person_id, "curious")
    assert last_denial(store)["detail"] == "break-glass"


def test_a_restricted_record_is_opened_by_nobody_but_an_admin_by_break_glass(teams: Teams) -> None:
    store = teams.store
    created = store.add_person(ANWEN, alys())
    with pytest.raises(AccessDenied):
        store.restrict(ANWEN, created.person_id, True)
    store.restrict(DEWI, created.person_id, True)
    assert store.people(ANWEN) == []
    with pytest.raises(AccessDenied) as caught:
        store.open(ANWEN, created.map.id)
    assert str(caught.value) == f"there is no map {created.map.id}"
    assert last_denial(store)["detail"] == "open"
    with pytest.raises(AccessDenied):
        store.break_glass(ANWEN, created.person_id, "I am their worker")

    # An admin who is a member too needs the break-glass step for a restricted record.
    store.add_member(LOCAL_USER, teams.a, DEWI.id, Role.LEAD)
    with pytest.raises(AccessDenied):
        store.open(DEWI, created.map.id)
    assert store.break_glass(DEWI, created.person_id, "court order").map == alys()
    assert store.caseload(CERI).people == 1  # counted, never shown

    store.restrict(DEWI, created.person_id, False)
    assert store.open(ANWEN, created.map.id).version == 1
    actions = [e.action for e in store.search_audit(DEWI, person_id=created.person_id)]
    assert AuditAction.RESTRICT in actions and AuditAction.UNRESTRICT in actions


def test_a_moved_record_follows_its_team(teams: Teams) -> None:
    store = teams.store
    created = store.add_person(ANWEN, alys())
    with pytest.raises(AccessDenied):
        store.move_person(CERI, created.person_id, teams.b)
    with pytest.raises(NotFound):
        store.move_person(DEWI, created.person_id, "no-such-team")
    store.add_member(LOCAL_USER, teams.b, DEWI.id, Role.LEAD)
    assert (store.caseload(CERI).people, store.caseload(DEWI).people) == (1, 0)
    store.move_person(DEWI, created.person_id, teams.b)
    assert (store.caseload(CERI).people, store.caseload(DEWI).people) == (0, 1)  # the counts moved too
    assert store.people(ANWEN) == []
    with pytest.raises(AccessDenied):
        store.open(ANWEN, created.map.id)
    assert [p.team_id for p in store.people(BRYN)] == [teams.b]
    assert store.save(BRYN, alys().replace(title="Team B now"), expected_version=1) == 2
    assert [(r.person_id, r.team_id, r.version) for r in store.records(DEWI, team_id=teams.b)] == [
        (created.person_id, teams.b, 2)
    ]
    assert store.records(DEWI, team_id=teams.a) == []
    with pytest.raises(AccessDenied):
        store.records(BRYN)
    moved = store.search_audit(DEWI, actions=[AuditAction.MOVE])
    assert [(e.person_id, e.detail) for e in moved] == [(created.person_id, f"from {teams.a} to {teams.b}")]


# -- teams and members -----------------------------------------------------------------------------


def test_a_member_added_by_email_is_bound_at_their_first_sign_in_in_any_case(teams: Teams) -> None:
    store = teams.store
    store.add_person(ANWEN, alys())
    pending = store.add_member(OPERATOR, teams.a, " Eluned.Hughes@Example.ORG ", Role.PRACTITIONER)
    assert (pending.pending, pending.email) == (True, "eluned.hughes@example.org")
    eluned = User.from_claims(
        {"iss": "https://login.example", "sub": "e-1", "email": "ELUNED.hughes@example.org", "name": "Eluned"}
    )
    assert store.people(eluned) == []
    store.record_sign_in(eluned)
    assert [p.name for p in store.people(eluned)] == [NAME]
    store.record_sign_in(User(eluned.id, "Eluned Hughes", eluned.email))
    members = store.members(DEWI, teams.a)
    assert [(m.role, m.display_name, m.pending) for m in members] == [
        (Role.LEAD, "Ceri Lloyd", False),
        (Role.PRACTITIONER, "Anwen Evans", False),
        (Role.PRACTITIONER, "Eluned Hughes", False),
    ]
    store.add_member(DEWI, teams.a, eluned.id, Role.LEAD)
    assert store.roles(eluned) == {teams.a: Role.LEAD}
    store.remove_member(DEWI, teams.a, eluned.id)
    assert store.people(eluned) == []
    with pytest.raises(NotFound):
        store.remove_member(DEWI, teams.a, eluned.id)
    with pytest.raises(AccessDenied):
        store.add_member(ANWEN, teams.a, BRYN.id, Role.LEAD)
    with pytest.raises(AccessDenied):
        store.members(BRYN, teams.a)
    details = [e.detail for e in store.search_audit(DEWI, actions=[AuditAction.MEMBERSHIP])]
    assert f"{teams.a}: add practitioner eluned.hughes@example.org" in details
    assert f"{teams.a}: change to lead {eluned.id}" in details
    assert f"{teams.a}: remove {eluned.id}" in details


def test_teams_are_made_renamed_and_listed_by_admins(teams: Teams) -> None:
    store = teams.store
    with pytest.raises(ValueError, match="already"):
        store.create_team(DEWI, "team a")
    with pytest.raises(ValueError, match="already"):
        store.rename_team(DEWI, teams.b, " TEAM   A ")
    store.rename_team(DEWI, teams.b, "Team Bee")
    with pytest.raises(AccessDenied):
        store.create_team(CERI, "Team C")
    store.add_person(ANWEN, alys())
    assert [(t.name, t.people, t.members) for t in store.teams(DEWI)] == [
        ("Team A", 1, 2),
        ("Team Bee", 0, 1),
        ("This machine", 0, 1),
    ]
    assert [t.name for t in store.teams(ANWEN)] == ["Team A"]


def test_the_last_admin_stays_one(teams: Teams) -> None:
    store = teams.store
    for user_id in (OPERATOR.id, DEWI.id):
        store.set_admin(LOCAL_USER, user_id, False)
    with pytest.raises(ValueError, match="last admin"):
        store.set_admin(LOCAL_USER, LOCAL_USER.id, False)
    assert store.is_admin(LOCAL_USER) and not store.is_admin(DEWI)
    store.set_admin(LOCAL_USER, "dewi@example.org", True)
    assert store.is_admin(DEWI)


def test_a_sign_in_names_the_user_by_their_issuer_and_subject() -> None:
    one = User.from_claims({"iss": "https://login.microsoftonline.com/t1/v2.0", "sub": "abc", "name": "Anwen"})
    other = User.from_claims({"iss": "https://accounts.example", "sub": "abc"})
    assert one.id.startswith("oidc:") and one.id.endswith(":abc") and one.id != other.id
    assert (one.display_name, one.email, other.display_name) == ("Anwen", None, "abc")
    long = User.from_claims({"iss": "x", "sub": "s" * 300})
    assert len(long.id) == 64 and long.id != User.from_claims({"iss": "x", "sub": "s" * 299}).id
    with pytest.raises(ValueError):
        User.from_claims({"sub": "abc"})


# -- the audit: every action, never a name ---------------------------------------------------------


def test_every_audit_action_is_written_by_its_call_and_no_entry_holds_a_name(teams: Teams, tmp_path: Path) -> None:
    store = teams.store
    today = datetime.now(UTC).date()
    created = store.add_person(ANWEN, alys())
    map_id, person_id = created.map.id, created.person_id
    store.open(ANWEN, map_id)
    store.save(ANWEN, alys().replace(title="Review"), expected_version=1)
    with pytest.raises(Conflict):
        store.save(ANWEN, alys(), expected_version=1)
    store.restore(ANWEN, map_id, 1, expected_version=2)
    with pytest.raises(Conflict):
        store.restore(ANWEN, map_id, 1, expected_version=2)
    store.label_version(ANWEN, map_id, 1, "first conversation")
    store.record_export(ANWEN, map_id, 3, "pdf", reason="the court asked for it")
    store.record_import(ANWEN, person_id, "graphml")
    store.caseload(CERI)
    store.record_sign_out(ANWEN)
    with pytest.raises(AccessDenied):
        store.open(BRYN, map_id)
    store.restrict(DEWI, person_id, True)
    store.break_glass(DEWI, person_id, "safeguarding")
    store.restrict(DEWI, person_id, False)
    store.move_person(DEWI, person_id, teams.b)
    store.set_retention(DEWI, person_id, today + timedelta(days=365))
    store.subject_access(DEWI, person_id)
    store.search_audit(DEWI)
    # A visit: the record checked out to a laptop's store and back, and a tablet paired and let go.
    laptop = Store.from_url(f"sqlite:///{tmp_path / 'laptop.db'}")
    try:
        laptop.migrate()
        check_out(store, laptop, BRYN, [person_id], today + timedelta(days=1))
        assert [outcome.state for outcome in check_in(store, laptop, BRYN)] == ["landed"]
    finally:
        laptop.engine.dispose()
    link = start_pairing(store, BRYN, map_id, link_time=timedelta(minutes=5), visit_time=timedelta(hours=1))
    assert pair(store, link.token) is not None
    assert end_visit(store, BRYN, map_id) == 1
    other = store.add_person(BRYN, busy_family())
    store.set_retention(DEWI, other.person_id, today - timedelta(days=1))
    store.purge_due(OPERATOR, today, dry_run=False)

    rows = audit_rows(store)
    assert {row["action"] for row in rows} == {action.value for action in AuditAction}
    # The acting user is known for every entry; the team's name and the person's are in none.
    for row in rows:
        for column, value in row.items():
            assert NAME not in str(value) and "Pritchard" not in str(value), (row["action"], column)
    export = next(row for row in rows if row["action"] == "export")
    assert export["detail"] == "pdf: the court asked for it"
    with pytest.raises(ValueError, match=f"at most {REASON_MAX} characters"):
        store.record_export(ANWEN, map_id, 3, "pdf", reason="x" * (REASON_MAX + 1))
    # The longest reason with the longest format is kept whole.
    assert store_module.FORMAT_MAX + len(": ") + REASON_MAX <= store_module.DETAIL_MAX


def test_an_admin_searches_the_audit_by_person_user_action_and_time(teams: Teams) -> None:
    store = teams.store
    first = store.add_person(ANWEN, alys())
    store.add_person(BRYN, busy_family())
    store.open(ANWEN, first.map.id)
    with pytest.raises(AccessDenied):
        store.search_audit(CERI)
    assert last_denial(store)["detail"] == "view-audit"

    about = store.search_audit(DEWI, person_id=first.person_id)
    assert [e.action for e in about] == [AuditAction.OPEN, AuditAction.CREATE]  # newest first
    assert {(e.user_name, e.user_email) for e in about} == {("Anwen Evans", "anwen@example.org")}
    by_bryn = store.search_audit(DEWI, user_id=BRYN.id, actions=[AuditAction.CREATE])
    assert [e.person_id for e in by_bryn] == [store.people(BRYN)[0].person_id]
    now = datetime.now(UTC)
    assert store.search_audit(DEWI, since=now + timedelta(minutes=1)) == []
    assert len(store.search_audit(DEWI, until=now + timedelta(minutes=1), limit=2)) == 2
    # A time in another zone means that moment.
    zone = datetime.now(UTC).astimezone().tzinfo
    assert store.search_audit(DEWI, since=(now + timedelta(minutes=1)).astimezone(zone)) == []
    assert [e.action for e in store.search_audit(DEWI, actions=[AuditAction.VIEW_AUDIT])][:1] == [
        AuditAction.VIEW_AUDIT
    ]


# -- history no statement can change ---------------------------------------------------------------

NOW = "2026-12-01 10:00:00"
#: Statements that would change or remove a written version or audit entry, on each database.
ATTACKS = {
    "audit": {
        "both": [
            "UPDATE audit SET ok = ok",
            "DELETE FROM audit",
            f"INSERT INTO audit (id, at, user_id, action, ok) VALUES (1, '{NOW}', 'local', 'open', true) "
            "ON CONFLICT (id) DO UPDATE SET action = 'open'",
        ],
        "sqlite": [
            f"INSERT OR REPLACE INTO audit (id, at, user_id, action, ok) VALUES (1, '{NOW}', 'local', 'open', 1)",
            f"REPLACE INTO audit (id, at, user_id, action, ok) VALUES (1, '{NOW}', 'local', 'open', 1)",
            f"INSERT INTO audit (id, at, user_id, action, ok) VALUES (1, '{NOW}', 'local', 'open', 1) "
            "ON CONFLICT DO UPDATE SET action = 'open'",
            f"INSERT OR IGNORE INTO audit (id, at, user_id, action, ok) VALUES (1, '{NOW}', 'local', 'open', 1)",
        ],
        "postgresql": ["TRUNCATE audit", "TRUNCATE audit CASCADE"],
    },
    "map_versions": {
        "both": [
            "UPDATE map_versions SET document = '{}'",
            "DELETE FROM map_versions",
            "INSERT INTO map_versions (map_id, version, document, saved_by, saved_at) "
            f"VALUES ('m-test', 1, '{{}}', 'local', '{NOW}') "
            "ON CONFLICT (map_id, version) DO UPDATE SET document = '{}'",
        ],
        "sqlite": [
            "INSERT OR REPLACE INTO map_versions (map_id, version, document, saved_by, saved_at) "
            f"VALUES ('m-test', 1, '{{}}', 'local', '{NOW}')",
            "REPLACE INTO map_versions (map_id, version, document, saved_by, saved_at) "
            f"VALUES ('m-test', 1, '{{}}', 'local', '{NOW}')",
        ],
        "postgresql": ["TRUNCATE map_versions CASCADE"],
    },
}


@pytest.mark.parametrize("table", sorted(ATTACKS))
def test_no_statement_changes_or_removes_history(store: Store, table: str) -> None:
    created = store.add_person(LOCAL_USER, alys())
    store.save(LOCAL_USER, alys().replace(title="Later"), expected_version=1)
    store.set_retention(LOCAL_USER, created.person_id, date.today() + timedelta(days=30))
    before = everything(store)
    dialect = store.engine.dialect.name
    statements = ATTACKS[table]["both"] + ATTACKS[table][dialect]
    for statement in statements:
        with pytest.raises(DBAPIError, match="cannot be changed"), store.engine.begin() as connection:
            connection.exec_driver_sql(statement)
        assert everything(store) == before, statement


def test_even_the_tables_owner_cannot_delete_the_history_of_a_record_still_kept(store: Store) -> None:
    created = store.add_person(LOCAL_USER, alys())
    store.set_retention(LOCAL_USER, created.person_id, None)
    for statement in ("DELETE FROM map_versions", f"DELETE FROM audit WHERE person_id = '{created.person_id}'"):
        with pytest.raises(DBAPIError, match="cannot be changed"), store.engine.begin() as connection:
            connection.exec_driver_sql(statement)


# -- the purge and the subject access --------------------------------------------------------------


def test_a_purge_removes_every_row_of_a_record_past_its_date_and_leaves_one_line(teams: Teams) -> None:
    store = teams.store
    today = datetime.now(UTC).date()
    gone = store.add_person(ANWEN, alys())
    store.save(ANWEN, alys().replace(title="Later"), expected_version=1)
    store.label_version(ANWEN, alys().id, 1, "first conversation")
    store.record_export(ANWEN, alys().id, 2, "pdf")
    with pytest.raises(AccessDenied):
        store.open(BRYN, alys().id)
    with store.engine.begin() as connection:  # an entry about the map only, as some older releases wrote
        connection.execute(
            audit_log.insert().values(at=datetime.now(UTC), user_id=ANWEN.id, action="open", map_id=alys().id, ok=True)
        )
    kept = store.add_person(ANWEN, busy_family().with_person(name="Cai Hughes"))
    store.set_retention(DEWI, gone.person_id, today - timedelta(days=1))
    store.set_retention(DEWI, kept.person_id, today)  # kept until the end of today

    with pytest.raises(AccessDenied):
        store.purge_due(CERI, today, dry_run=True)
    with pytest.raises(ValueError, match="after today"):
        store.purge_due(OPERATOR, today + timedelta(days=2), dry_run=True)
    before = everything(store)
    due = store.purge_due(OPERATOR, today, dry_run=True)
    assert [(c.person_id, c.map_id, c.team_id, c.versions) for c in due] == [(gone.person_id, alys().id, teams.a, 2)]
    # A dry run changes nothing, and writes nothing to the audit.
    assert everything(store) == before

    assert store.purge_due(OPERATOR, today, dry_run=False) == due
    for table, rows in everything(store).items():
        for row in rows:
            for value in row.values():
                assert str(value) not in (gone.person_id, alys().id) and NAME not in str(value), table
    purges = [row for row in audit_rows(store) if row["action"] == "purge"]
    assert [(p["user_id"], p["person_id"], p["map_id"], p["detail"]) for p in purges] == [
        (OPERATOR.id, None, None, "1 record")
    ]
    assert [p.person_id for p in store.people(ANWEN)] == [kept.person_id]
    assert store.open(ANWEN, kept.map.id).map.person.name == "Cai Hughes"
    assert store.purge_due(OPERATOR, today, dry_run=False) == []


def test_a_subject_access_holds_every_version_and_the_audit_about_the_person_only(teams: Teams) -> None:
    store = teams.store
    created = store.add_person(ANWEN, alys())
    second = alys().with_tie({"id": "t9", "name": "Beti", "sector": "community"})
    store.save(ANWEN, second, expected_version=1)
    store.restore(ANWEN, alys().id, 1, expected_version=2)
    other = store.add_person(ANWEN, busy_family())
    store.open(ANWEN, other.map.id)
    with store.engine.begin() as connection:  # an entry about the map only, as some older releases wrote
        connection.execute(
            audit_log.insert().values(at=datetime.now(UTC), user_id=ANWEN.id, action="open", map_id=alys().id, ok=True)
        )
    with pytest.raises(AccessDenied):
        store.subject_access(ANWEN, created.person_id)

    held = store.subject_access(DEWI, created.person_id)
    assert [v.version for v in held.versions] == [1, 2, 3]
    assert [EcoMap.from_dict(__import__("json").loads(held.documents[v])) for v in (1, 2, 3)] == [
        alys(),
        second,
        alys(),
    ]
    assert held.map() == alys() and held.map(2) == second
    assert {e.person_id for e in held.audit} == {created.person_id, None}
    assert {e.map_id for e in held.audit} <= {alys().id, None} and len(held.audit) == 5  # with the refusal
    assert [e.action for e in held.audit][:3] == [AuditAction.CREATE, AuditAction.SAVE, AuditAction.RESTORE]
    assert all(isinstance(e, AuditEntry) and e.user_name == "Anwen Evans" for e in held.audit[:3])
    assert store.search_audit(DEWI, actions=[AuditAction.SUBJECT_ACCESS])[0].person_id == created.person_id


def test_the_local_mode_keeps_working_as_before(store: Store) -> None:
    assert store.is_empty(LOCAL_USER) and store.is_admin(LOCAL_USER)
    assert store.roles(LOCAL_USER) == {LOCAL_TEAM_ID: Role.LEAD}
    created = store.add_person(LOCAL_USER, alys())
    assert [p.team_id for p in store.people(LOCAL_USER)] == [LOCAL_TEAM_ID]
    assert store.caseload(LOCAL_USER).people == 1
    assert [t.name for t in store.teams(LOCAL_USER)] == ["This machine"]
    assert store.open(LOCAL_USER, created.map.id).version == 1


# -- PostgreSQL: the app's own role ----------------------------------------------------------------

ROLES_SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "postgresql-roles.sql"


@pytest.mark.postgres
def test_the_apps_role_on_postgresql_does_everything_the_app_does_and_cannot_change_history(
    postgres_url: str,
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from ecomap.errors import StoreUnavailable

    owner = Store.from_url(postgres_url)
    owner.migrate()
    role = f"ecomap_app_{uuid.uuid4().hex[:8]}"
    script = ROLES_SCRIPT.read_text().replace("ecomap_app", role)
    with owner.engine.begin() as connection:
        connection.exec_driver_sql(script)
    app = Store.from_url(make_url(postgres_url).set(username=role, password="x").render_as_string(hide_password=False))
    try:
        app.migrate()  # at the newest revision already: nothing to do, and nothing it may not do
        created = app.add_person(LOCAL_USER, alys())
        app.save(LOCAL_USER, alys().replace(title="Later"), expected_version=1)
        app.label_version(LOCAL_USER, alys().id, 1, "first")
        app.label_version(LOCAL_USER, alys().id, 1, "first conversation")
        team = app.create_team(LOCAL_USER, "Team A")
        app.add_member(LOCAL_USER, team.id, "anwen@example.org", Role.PRACTITIONER)
        app.record_sign_in(ANWEN)
        app.remove_member(LOCAL_USER, team.id, ANWEN.id)
        app.restrict(LOCAL_USER, created.person_id, True)
        app.break_glass(LOCAL_USER, created.person_id, "a test")
        app.set_retention(LOCAL_USER, created.person_id, date.today() - timedelta(days=1))
        assert app.search_audit(LOCAL_USER, person_id=created.person_id)
        for statement in (
            "UPDATE audit SET ok = ok",
            "DELETE FROM audit",
            "TRUNCATE audit",
            "DELETE FROM map_versions",
        ):
            with pytest.raises(DBAPIError, match="permission denied"), app.engine.begin() as connection:
                connection.exec_driver_sql(statement)
        with pytest.raises(StoreUnavailable):
            app.purge_due(LOCAL_USER, date.today(), dry_run=False)  # a purge runs as the owner
        assert [c.person_id for c in owner.purge_due(OPERATOR, date.today(), dry_run=False)] == [created.person_id]
    finally:
        app.engine.dispose()
        owner.engine.dispose()
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP OWNED BY {role}")
            connection.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


# -- the rule itself, against a model of it -------------------------------------------------------


@dataclass(frozen=True)
class World:
    """Who is in which team, who is an admin, which records are where and restricted, who broke the glass."""

    members: frozenset[tuple[int, int]]  # (user, team)
    admins: frozenset[int]
    records: tuple[tuple[int, bool], ...]  # (team, restricted), one per record
    glass: frozenset[tuple[int, int]]  # (admin, record)

    def sees(self, user: int, record: int) -> bool:
        """The rule as the documentation states it."""
        team, restricted = self.records[record]
        return ((user, team) in self.members and not restricted) or (
            user in self.admins and (user, record) in self.glass
        )


USERS, TEAMS = range(3), range(2)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    members = draw(st.frozensets(st.tuples(st.sampled_from(USERS), st.sampled_from(TEAMS))))
    admins = draw(st.frozensets(st.sampled_from(USERS)))
    records = tuple(draw(st.lists(st.tuples(st.sampled_from(TEAMS), st.booleans()), min_size=1, max_size=4)))
    glass = draw(st.frozensets(st.tuples(st.sampled_from(sorted(admins) or [0]), st.sampled_from(range(len(records))))))
    return World(members, admins, records, frozenset(g for g in glass if g[0] in admins))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_each_user_sees_exactly_the_records_the_rule_gives_them(store: Store, world: World) -> None:
    run = uuid.uuid4().hex[:8]
    users = [User(f"oidc:prop:{run}:{n}", f"User {n}") for n in USERS]
    team_ids = [store.create_team(OPERATOR, f"Team {run} {t}").id for t in TEAMS]
    maker = User(f"oidc:prop:{run}:maker", "Maker")
    for user in [*users, maker]:
        store.record_sign_in(user)
    for t in TEAMS:
        store.add_member(OPERATOR, team_ids[t], maker.id, Role.PRACTITIONER)
    for user, team in world.members:
        store.add_member(OPERATOR, team_ids[team], users[user].id, Role.PRACTITIONER)
    for user in world.admins:
        store.set_admin(OPERATOR, users[user].id, True)
    made = []
    for n, (team, restricted) in enumerate(world.records):
        record = store.add_person(maker, alys().replace(id=f"m-{run}-{n}"), team_id=team_ids[team])
        if restricted:
            store.restrict(OPERATOR, record.person_id, True)
        made.append(record)
    for admin, record in world.glass:
        store.break_glass(users[admin], made[record].person_id, "a test of the rule")

    for u in USERS:
        listed = {p.person_id for p in store.people(users[u])}
        expected = {made[r].person_id for r in range(len(made)) if world.sees(u, r)}
        assert listed & {m.person_id for m in made} == expected
        for r, record in enumerate(made):
            if world.sees(u, r):
                assert store.open(users[u], record.map.id).version == 1
            else:
                with pytest.raises(AccessDenied):
                    store.open(users[u], record.map.id)
