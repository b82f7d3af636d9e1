"""The store, on an SQLite file and on a real PostgreSQL in the same run."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, column, event, insert, inspect, select, table, text
from sqlalchemy.exc import DBAPIError, IntegrityError

import ecomap.store as store_module
from ecomap.access import LOCAL_TEAM_ID, Role
from ecomap.errors import Conflict, NotFound
from ecomap.examples import example_maps, load_examples
from ecomap.model import EcoMap
from ecomap.pairing import end_visit, pair, start_pairing
from ecomap.store import LOCAL_USER, AuditAction, Store, User, audit_log, map_facts
from tests.conftest import alys

ANWEN = User("anwen", "Anwen Evans")
BRYN = User("bryn", "Bryn Thomas")


def join(store: Store, *people: User, role: Role = Role.LEAD) -> None:
    """Sign ``people`` in and make them members of the local team (these tests are not about who sees what)."""
    for user in people:
        store.record_sign_in(user)
        store.add_member(LOCAL_USER, LOCAL_TEAM_ID, user.id, role)


@pytest.fixture
def store(store: Store) -> Store:
    """The store, with Anwen and Bryn leads of the local team."""
    join(store, ANWEN, BRYN)
    return store


def test_migrations_create_the_schema(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"users", "people", "maps", "map_versions", "audit", "version_labels", "alembic_version"} <= tables
    store.migrate()  # a second run is a no-op


def test_the_schema_revision_the_store_opens_without_alembic_is_alembics_head() -> None:
    from ecomap.database import head_revision

    assert head_revision() == store_module.SCHEMA_REVISION


def test_a_store_at_the_newest_revision_opens_without_loading_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    Store.from_url(url).migrate()
    opening = (
        "import sys; from ecomap.store import Store; store = Store.from_url(sys.argv[1]); store.migrate(); "
        "print(store.schema_revision(), sorted(m for m in sys.modules if m.split('.')[0] in {'alembic', 'mako'}))"
    )
    done = subprocess.run([sys.executable, "-c", opening, url], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [store_module.SCHEMA_REVISION, "[]"]


@pytest.mark.parametrize("written", [[], ["0003"], ["9999"], ["0003", store_module.SCHEMA_REVISION]])
def test_a_store_not_at_the_newest_revision_goes_through_alembic(
    database_url: str, written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty version table, an older revision, one this release does not know, or two heads: each is
    Alembic's to upgrade or refuse, never taken as current."""
    store = Store.from_url(database_url)
    store.migrate()
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
        for revision in written:
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:r)"), {"r": revision})
    assert store.schema_revision() == (written[0] if len(written) == 1 else None)
    from alembic import command

    upgrades: list[str] = []
    monkeypatch.setattr(command, "upgrade", lambda config, revision: upgrades.append(revision))
    store.migrate()
    assert upgrades == ["head"]
    store.engine.dispose()


def test_the_migrations_make_exactly_the_tables_the_store_describes(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ecomap.store import metadata

    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_a_version_can_be_named_renamed_and_unnamed(store: Store) -> None:
    store.add_person(ANWEN, alys())
    store.save(ANWEN, alys().replace(title="Later"), expected_version=1)
    store.label_version(ANWEN, alys().id, 1, "  first   conversation ")
    assert [(v.version, v.label) for v in store.versions(ANWEN, alys().id)] == [(1, "first conversation"), (2, "")]
    store.label_version(BRYN, alys().id, 1, "first visit")
    store.label_version(BRYN, alys().id, 2, "three-month review")
    assert [v.label for v in store.versions(ANWEN, alys().id)] == ["first visit", "three-month review"]
    store.label_version(BRYN, alys().id, 2, "")
    assert [v.label for v in store.versions(ANWEN, alys().id)] == ["first visit", ""]
    with pytest.raises(NotFound):
        store.label_version(BRYN, alys().id, 7, "no such version")
    assert [e.action for e in store.audit(ANWEN, map_id=alys().id)].count("label") == 4


def test_restoring_an_old_version_adds_a_version_and_keeps_every_one(store: Store) -> None:
    store.add_person(ANWEN, alys())
    second = alys().with_tie({"id": "t9", "name": "Beti", "sector": "community"})
    store.save(ANWEN, second, expected_version=1)
    third = second.without_tie("t1")
    store.save(ANWEN, third, expected_version=2)
    assert store.restore(BRYN, alys().id, 1, expected_version=3) == 4
    assert store.open(ANWEN, alys().id).map == alys()
    assert [store.open(ANWEN, alys().id, version=v).map for v in (1, 2, 3, 4)] == [alys(), second, third, alys()]
    with pytest.raises(Conflict):
        store.restore(BRYN, alys().id, 2, expected_version=3)
    assert [v.version for v in store.versions(ANWEN, alys().id)] == [1, 2, 3, 4]
    restores = [(e.user_id, e.version, e.from_version) for e in store.audit(ANWEN) if e.action == "restore"]
    assert restores == [("bryn", 4, 1)]


def test_a_refused_restore_writes_nothing_but_its_audit_entry(store: Store) -> None:
    store.add_person(ANWEN, alys())
    store.save(ANWEN, alys().replace(title="Later"), expected_version=1)
    with pytest.raises(Conflict) as caught:
        store.restore(BRYN, alys().id, 1, expected_version=1)
    assert (caught.value.expected, caught.value.current) == (1, 2)
    assert [v.version for v in store.versions(ANWEN, alys().id)] == [1, 2]
    last = store.audit(ANWEN)[-1]
    assert (last.user_id, last.action, last.ok, last.version, last.from_version) == (
        "bryn",
        AuditAction.RESTORE_REFUSED,
        False,
        2,
        1,
    )


def test_a_restore_is_one_transaction(store: Store) -> None:
    store.add_person(ANWEN, alys())
    store.save(ANWEN, alys().replace(title="Later"), expected_version=1)
    begun: list[Connection] = []

    def count(connection: Connection) -> None:
        begun.append(connection)

    event.listen(store.engine, "begin", count)
    try:
        store.restore(BRYN, alys().id, 1, expected_version=2)
    finally:
        event.remove(store.engine, "begin", count)
    assert len(begun) == 1


def test_a_restore_that_fails_part_way_leaves_nothing_half_done(store: Store) -> None:
    store.add_person(ANWEN, alys())
    later = alys().replace(title="Later")
    store.save(ANWEN, later, expected_version=1)
    versions_before, audit_before = store.versions(ANWEN, alys().id), store.audit(ANWEN)
    users_before = _rows(store)["users"]

    def fail_the_audit(_connection: Connection, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT"):
            raise RuntimeError("the disk is full")

    event.listen(store.engine, "before_cursor_execute", fail_the_audit)
    try:
        with pytest.raises(RuntimeError, match="the disk is full"):
            store.restore(BRYN, alys().id, 1, expected_version=2)
    finally:
        event.remove(store.engine, "before_cursor_execute", fail_the_audit)

    assert store.versions(ANWEN, alys().id) == versions_before
    assert store.audit(ANWEN) == audit_before
    with store.engine.connect() as connection:
        assert connection.execute(select(map_facts.c.version)).scalars().all() == [2]
    assert _rows(store)["users"] == users_before
    opened = store.open(ANWEN, alys().id)
    assert (opened.version, opened.map) == (2, later)
    assert store.restore(BRYN, alys().id, 1, expected_version=2) == 3


def test_the_database_keeps_the_audit_to_its_actions(store: Store) -> None:
    store.add_person(LOCAL_USER, alys())
    row = {"at": datetime.now(UTC), "user_id": LOCAL_USER.id, "ok": True}
    with store.engine.begin() as connection:
        connection.execute(insert(audit_log), [{**row, "action": action.value} for action in AuditAction])
    assert {e.action for e in store.audit(LOCAL_USER)} == set(AuditAction)
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(insert(audit_log), {**row, "action": "restore-3"})


@pytest.mark.parametrize("fmt", ["", "x" * 33])
def test_an_export_names_its_format(store: Store, fmt: str) -> None:
    store.add_person(LOCAL_USER, alys())
    with pytest.raises(ValueError, match="format"):
        store.record_export(LOCAL_USER, alys().id, 1, fmt)


def test_a_new_person_opens_as_version_one(store: Store) -> None:
    created = store.add_person(LOCAL_USER, alys())
    opened = store.open(LOCAL_USER, created.map.id)
    assert opened.version == 1
    assert opened.map == alys()
    assert [p.name for p in store.people(LOCAL_USER)] == ["Alys Pritchard"]


def test_every_save_is_a_new_version_and_old_ones_stay(store: Store) -> None:
    store.add_person(ANWEN, alys())
    changed = alys().with_tie({"id": "t9", "name": "Beti drws nesaf", "sector": "community"})
    assert store.save(ANWEN, changed, expected_version=1) == 2
    assert store.open(ANWEN, changed.id).map == changed
    assert store.open(ANWEN, changed.id, version=1).map == alys()
    assert [(v.version, v.saved_by) for v in store.versions(ANWEN, changed.id)] == [(1, "anwen"), (2, "anwen")]


def test_two_editors_saving_the_same_version_get_a_conflict_and_the_first_work_is_kept(store: Store) -> None:
    store.add_person(ANWEN, alys())
    anwen_loaded = store.open(ANWEN, alys().id)
    bryn_loaded = store.open(BRYN, alys().id)
    anwens = anwen_loaded.map.with_tie({"id": "t9", "name": "Nansi", "sector": "community", "strength": "strong"})
    bryns = bryn_loaded.map.with_tie({"id": "t9", "name": "Someone else", "sector": "services"})

    assert store.save(ANWEN, anwens, expected_version=anwen_loaded.version) == 2
    with pytest.raises(Conflict) as caught:
        store.save(BRYN, bryns, expected_version=bryn_loaded.version)

    assert (caught.value.expected, caught.value.current) == (1, 2)
    newest = store.open(ANWEN, alys().id)
    assert newest.version == 2
    assert newest.map == anwens
    assert len(store.versions(ANWEN, alys().id)) == 2
    refused = [e for e in store.audit(ANWEN) if e.action == "save-refused"]
    assert [(e.user_id, e.ok, e.version) for e in refused] == [("bryn", False, 2)]


def test_eight_threads_saving_at_once_lose_nothing(store: Store) -> None:
    store.add_person(LOCAL_USER, alys())
    map_id = alys().id
    errors: list[BaseException] = []
    conflicts = [0] * 8

    join(store, *(User(f"worker{n}", f"Worker {n}") for n in range(8)))

    def add_my_tie(n: int) -> None:
        user = User(f"worker{n}", f"Worker {n}")
        try:
            for _ in range(200):
                opened = store.open(user, map_id)
                changed = opened.map.with_tie({"id": f"w{n}", "name": f"Friend {n}", "sector": "community"})
                try:
                    store.save(user, changed, expected_version=opened.version)
                    return
                except Conflict:
                    conflicts[n] += 1
            raise AssertionError(f"worker {n} never saved after 200 tries")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add_my_tie, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    newest = store.open(LOCAL_USER, map_id)
    assert {f"w{n}" for n in range(8)} <= {t.id for t in newest.map.ties}
    assert newest.version == 9
    assert [v.version for v in store.versions(LOCAL_USER, map_id)] == list(range(1, 10))
    saves = [e for e in store.audit(LOCAL_USER, map_id=map_id) if e.action == "save"]
    assert len(saves) == 8
    assert len([e for e in store.audit(LOCAL_USER) if e.action == "save-refused"]) == sum(conflicts)


def test_eight_threads_adding_people_at_once_lose_nothing(store: Store) -> None:
    maps = [EcoMap.from_dict({**alys().to_dict(), "id": f"m{n}"}) for n in range(8)]
    join(store, User("new0", "A new practitioner"), User("new1", "A new practitioner"))
    errors: list[BaseException] = []

    def add(n: int) -> None:
        try:
            store.add_person(User(f"new{n % 2}", "A new practitioner"), maps[n])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.map_id for p in store.people(LOCAL_USER)) == [f"m{n}" for n in range(8)]


def test_the_audit_says_who_did_what_and_never_what_the_map_says(store: Store) -> None:
    store.add_person(ANWEN, alys())
    store.open(BRYN, alys().id)
    store.save(BRYN, alys().replace(title="Review"), expected_version=1)
    store.record_export(ANWEN, alys().id, 2, "pdf")
    entries = store.audit(ANWEN, map_id=alys().id)
    assert [(e.user_id, e.action, e.version, e.detail) for e in entries] == [
        ("anwen", "create", 1, None),
        ("bryn", "open", 1, None),
        ("bryn", "save", 2, None),
        ("anwen", "export", 2, "pdf"),
    ]
    with store.engine.connect() as connection:
        rows = connection.execute(audit_log.select()).all()
    dumped = repr(rows)
    for personal in ("Alys", "Mam", "Côr", "rings me", "Review"):
        assert personal not in dumped


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE map_versions SET document = '{}'",
        "DELETE FROM map_versions",
        "UPDATE audit SET action = 'nothing'",
        "DELETE FROM audit",
    ],
)
def test_versions_and_the_audit_cannot_be_rewritten(store: Store, statement: str) -> None:
    store.add_person(LOCAL_USER, alys())
    with pytest.raises(DBAPIError, match="cannot be changed"), store.engine.begin() as connection:
        connection.execute(text(statement))
    assert store.open(LOCAL_USER, alys().id).map == alys()


def test_opening_what_is_not_there_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.open(LOCAL_USER, "nobody")
    store.add_person(LOCAL_USER, alys())
    with pytest.raises(NotFound):
        store.open(LOCAL_USER, alys().id, version=5)
    with pytest.raises(NotFound):
        store.save(LOCAL_USER, alys().replace(id="nobody"), expected_version=1)


def test_the_examples_load_once(store: Store) -> None:
    assert store.is_empty()
    assert load_examples(store, LOCAL_USER) == len(example_maps())
    assert load_examples(store, LOCAL_USER) == 0
    assert not store.is_empty()
    assert [p.name for p in store.people(LOCAL_USER)] == ["Alys Pritchard", "Cai Hughes", "Rhys Morgan"]


def test_a_save_renames_the_person_in_the_list(store: Store) -> None:
    store.add_person(LOCAL_USER, alys())
    person = alys().person.model_copy(update={"name": "Alys Pritchard-Jones"})
    store.save(LOCAL_USER, alys().replace(person=person), expected_version=1)
    assert [p.name for p in store.people(LOCAL_USER)] == ["Alys Pritchard-Jones"]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_url: str) -> None:
    store = Store.from_url(sqlite_url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    store.engine.dispose()


def test_the_caseload_counts_every_current_map_in_one_statement(store: Store) -> None:
    from ecomap.caseload import caseload_of
    from ecomap.examples import generated_map

    maps = [generated_map(n, seed=n) for n in (0, 2, 5, 12)]
    for m in maps:
        store.add_person(ANWEN, m)
    assert store.caseload(BRYN) == caseload_of(maps)

    # A save and a restore change the counts; a refused save does not.
    changed = maps[1].without_tie(maps[1].ties[0].id)
    store.save(ANWEN, changed, expected_version=1)
    with pytest.raises(Conflict):
        store.save(ANWEN, maps[1].with_tie({"id": "t99", "name": "Beti", "sector": "community"}), expected_version=1)
    assert store.caseload(BRYN) == caseload_of([maps[0], changed, *maps[2:]])
    store.restore(ANWEN, maps[1].id, 1, expected_version=2)
    assert store.caseload(BRYN) == caseload_of(maps)
    viewed = [e for e in store.audit(BRYN) if e.action == "caseload"]
    assert len(viewed) == 3 and all(e.person_id is None and e.map_id is None for e in viewed)


def test_an_empty_caseload_counts_nobody(store: Store) -> None:
    load = store.caseload(ANWEN)
    assert (load.people, load.ties, load.share("few-ties"), load.mean_ties) == (0, 0, None, None)


def _migrate(store: Store, revision: str, *, down: bool = False) -> None:
    """Take the store's database up (or down) to ``revision``."""
    store.migrate(revision, down=down)


def test_the_upgrade_gives_maps_saved_before_it_their_counts(database_url: str) -> None:
    from ecomap.caseload import caseload_of
    from ecomap.model import dumps
    from ecomap.store import map_versions, maps, people, users

    older = Store.from_url(database_url)
    _migrate(older, "0002")
    examples = example_maps()
    now = datetime.now(UTC)
    with older.engine.begin() as connection:
        connection.execute(insert(users).values(id="anwen", display_name="Anwen", created_at=now))
        for i, m in enumerate(examples):
            connection.execute(
                insert(people).values(id=f"p{i}", name=m.person.name, created_at=now, created_by="anwen")
            )
            connection.execute(
                insert(maps).values(id=m.id, person_id=f"p{i}", current_version=1, created_at=now, updated_at=now)
            )
            connection.execute(
                insert(map_versions).values(map_id=m.id, version=1, document=dumps(m), saved_by="anwen", saved_at=now)
            )
    older.migrate()
    join(older, ANWEN)
    assert older.caseload(ANWEN) == caseload_of(examples)
    from ecomap.analysis import counts
    from ecomap.store import map_facts

    with older.engine.connect() as connection:
        stored = {row.map_id: row._mapping for row in connection.execute(map_facts.select())}
    # Every count, those migration 0003 wrote and those 0005 added, is the map's own.
    assert {m.id: {name: stored[m.id][name] for name in counts(m)} for m in examples} == {
        m.id: counts(m) for m in examples
    }
    older.engine.dispose()


# Audit rows as revision 0003 wrote them: (action, version, ok).
OLD_AUDIT = [
    ("create", 1, True),
    ("open", 1, True),
    ("save", 2, True),
    ("save-refused", 2, False),
    ("save", 3, True),
    ("restore-1", 3, True),
    ("label", 1, True),
    ("export-pdf", 3, True),
    ("export-graphml", 3, True),
    ("caseload", None, True),
]
# The same rows after the upgrade: (action, version, from_version, detail, ok).
NEW_AUDIT = [
    (AuditAction.CREATE, 1, None, None, True),
    (AuditAction.OPEN, 1, None, None, True),
    (AuditAction.SAVE, 2, None, None, True),
    (AuditAction.SAVE_REFUSED, 2, None, None, False),
    (AuditAction.SAVE, 3, None, None, True),
    (AuditAction.RESTORE, 3, 1, None, True),
    (AuditAction.LABEL, 1, None, None, True),
    (AuditAction.EXPORT, 3, None, "pdf", True),
    (AuditAction.EXPORT, 3, None, "graphml", True),
    (AuditAction.CASELOAD, None, None, None, True),
]


def _old_audit(connection: Connection) -> list[tuple[str, int | None, bool]]:
    rows = connection.execute(text("SELECT action, version, ok FROM audit ORDER BY id")).all()
    return [(action, version, bool(ok)) for action, version, ok in rows]


def test_the_upgrade_moves_what_audit_actions_carried_into_columns_and_back(database_url: str) -> None:
    older = Store.from_url(database_url)
    _migrate(older, "0003")
    old_audit = table("audit", *(column(name) for name in ("at", "user_id", "action", "map_id", "version", "ok")))
    now = datetime.now(UTC)
    with older.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO users (id, display_name, created_at) VALUES ('anwen', 'Anwen', :now)"), {"now": now}
        )
        connection.execute(
            insert(old_audit),
            [
                {"at": now, "user_id": "anwen", "action": action, "map_id": "m1", "version": version, "ok": ok}
                for action, version, ok in OLD_AUDIT
            ],
        )

    older.migrate()
    converted = [(e.action, e.version, e.from_version, e.detail, e.ok) for e in older.audit(ANWEN)]
    assert converted == NEW_AUDIT
    with pytest.raises(DBAPIError, match="cannot be changed"), older.engine.begin() as connection:
        connection.execute(text("UPDATE audit SET action = 'open'"))

    _migrate(older, "0003", down=True)
    with older.engine.connect() as connection:
        assert _old_audit(connection) == OLD_AUDIT
        assert {c["name"] for c in inspect(connection).get_columns("audit")}.isdisjoint({"from_version", "detail"})
    with pytest.raises(DBAPIError, match="cannot be changed"), older.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit"))
    older.engine.dispose()


def _rows(store: Store) -> dict[str, list[dict[str, object]]]:
    """Every row of every table there is now, as column -> value, in the order of its key."""
    found = {}
    with store.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            key = inspect(connection).get_pk_constraint(name)["constrained_columns"] or ["version_num"]
            rows = connection.execute(text(f"SELECT * FROM {name} ORDER BY {', '.join(key)}")).mappings()
            found[name] = [dict(row) for row in rows]
    return found


def _the_store_describes_the_schema(store: Store) -> bool:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ecomap.store import metadata

    with store.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata) == []


def _load_a_year(store: Store) -> None:
    """The examples, and what a year of visits leaves on one of them: saves, a name, a restore, an export."""
    join(store, ANWEN, BRYN)
    load_examples(store, ANWEN)
    m = example_maps()[0]
    store.save(BRYN, m.with_tie({"id": "t99", "name": "Beti", "sector": "community"}), expected_version=1)
    store.label_version(ANWEN, m.id, 1, "first conversation")
    store.restore(BRYN, m.id, 1, expected_version=2)
    store.record_export(ANWEN, m.id, 3, "pdf")
    store.caseload(ANWEN)
    # A home visit: the record checked out for a day, a tablet paired to its map, the visit ended.
    person_id = store.open(ANWEN, m.id).person_id
    store.check_out(ANWEN, [person_id], date.today() + timedelta(days=1))
    link = start_pairing(store, ANWEN, m.id, link_time=timedelta(minutes=5), visit_time=timedelta(hours=1))
    assert pair(store, link.token) is not None
    end_visit(store, ANWEN, m.id)


def test_every_revision_goes_up_and_down_one_at_a_time_and_keeps_what_it_holds(database_url: str) -> None:
    from ecomap.caseload import caseload_of
    from ecomap.database import current_revision, known_revisions

    store = Store.from_url(database_url)
    revisions = known_revisions()
    for revision in revisions:
        _migrate(store, revision)
        assert current_revision(database_url) == revision
    assert _the_store_describes_the_schema(store)
    _load_a_year(store)
    at_head = _rows(store)
    # Below revision 0007 the audit has no words for a sign-in or a membership: those entries go.
    older_actions = {"create", "open", "save", "save-refused", "restore", "restore-refused", "label", "export"}
    at_head_before_teams = {
        **at_head,
        "audit": [row for row in at_head["audit"] if row["action"] in older_actions | {"caseload"}],
    }

    # Below revision 0009 nor can it say a check-out, a check-in or a tablet paired and let go.
    at_head_before_visits = {
        **at_head,
        "audit": [row for row in at_head["audit"] if row["action"] not in {"check-out", "check-in", "pair", "unpair"}],
    }

    for revision in reversed(revisions[:-1]):
        _migrate(store, revision, down=True)
        assert current_revision(database_url) == revision
        now = _rows(store)
        before = at_head_before_teams if revision < "0007" else at_head_before_visits if revision < "0009" else at_head
        for name, rows in now.items():
            if name == "alembic_version":
                continue
            assert len(rows) == len(before[name]) > 0, f"{name} at revision {revision}"
            # A table keeps its rows in the columns it still has; the audit's actions are written as
            # the older revisions wrote them (tested on their own above).
            same = [c for c in rows[0] if c in before[name][0] and (name, c) != ("audit", "action")]
            assert [[row[c] for c in same] for row in rows] == [[row[c] for c in same] for row in before[name]], (
                f"{name} at revision {revision}"
            )
        assert {"users", "people", "maps", "map_versions", "audit"} <= set(now)
    _migrate(store, "base", down=True)
    assert set(inspect(store.engine).get_table_names()) == {"alembic_version"}
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'ecomap%'")).scalar() == 0

    store.migrate()
    assert _the_store_describes_the_schema(store)
    join(store, ANWEN)
    assert load_examples(store, ANWEN) == 3
    assert store.caseload(ANWEN) == caseload_of(example_maps())
    with pytest.raises(DBAPIError, match="cannot be changed"), store.engine.begin() as connection:
        connection.execute(text("UPDATE map_versions SET document = '{}'"))
    store.engine.dispose()


# -- a database that cannot be used: a plain reason, nothing of the map, nothing lost ---------------

SECRET = "Gwenllian Zebedee-Pryce"


def full_sqlite_store(tmp_path: Path) -> tuple[Store, str]:
    """A store on an SQLite file that has room for what it holds now and little more."""
    from sqlalchemy import event

    url = f"sqlite:///{tmp_path / 'full.db'}"
    store = Store.from_url(url)
    store.migrate()
    opened = store.add_person(LOCAL_USER, alys().with_person(name=SECRET))
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 1}")  # type: ignore[attr-defined]

    return store, opened.map.id


def test_a_full_disk_refuses_the_save_in_plain_words_and_keeps_every_version(tmp_path: Path) -> None:
    from ecomap.errors import StoreUnavailable

    store, map_id = full_sqlite_store(tmp_path)
    bigger = store.open(LOCAL_USER, map_id).map.with_tie_fields("t1", notes=f"{SECRET} " * 80)
    with pytest.raises(StoreUnavailable) as caught:
        for _ in range(20):  # each save adds a version: the file is soon full
            version = store.open(LOCAL_USER, map_id).version
            store.save(LOCAL_USER, bigger.with_tie_fields("t1", own_words=str(version)), expected_version=version)
    assert caught.value.reason == "there is no room left"
    assert SECRET not in str(caught.value) and "INSERT" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    kept = store.versions(LOCAL_USER, map_id)
    assert [v.version for v in kept] == list(range(1, len(kept) + 1))
    assert store.open(LOCAL_USER, map_id, version=1).map.person.name == SECRET
    store.engine.dispose()


def test_a_database_that_cannot_be_reached_says_so_without_the_map(tmp_path: Path) -> None:
    from ecomap.errors import StoreUnavailable

    folder = tmp_path / "gone"
    folder.mkdir()
    store = Store.from_url(f"sqlite:///{folder / 'ecomap.db'}")
    store.migrate()
    opened = store.add_person(LOCAL_USER, alys().with_person(name=SECRET))
    store.engine.dispose()
    (folder / "ecomap.db").write_bytes(b"this is not a database at all " * 200)
    with pytest.raises(StoreUnavailable) as caught:
        store.save(LOCAL_USER, opened.map, expected_version=1)
    assert caught.value.reason in ("it is damaged", "it cannot be reached")
    assert SECRET not in str(caught.value)
    store.engine.dispose()


def test_database_errors_never_carry_the_statements_parameters(store: Store) -> None:
    from sqlalchemy import insert

    from ecomap.errors import StoreUnavailable
    from ecomap.store import people

    # PostgreSQL's own detail names the failing row, so the store's errors say only a plain reason.
    with pytest.raises(StoreUnavailable) as caught, store._writing() as connection:
        for _ in range(2):
            connection.execute(insert(people).values(id="same", name=SECRET, created_by="nobody"))
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_new_sqlite_database_and_its_folder_are_readable_by_this_user_only(tmp_path: Path) -> None:
    import stat

    folder = tmp_path / "data"
    store = Store.from_url(f"sqlite:///{folder / 'ecomap.db'}")
    store.migrate()
    store.add_person(LOCAL_USER, alys())
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in [folder, *folder.iterdir()] if path.exists()}
    store.engine.dispose()
    assert modes["data"] == 0o700
    assert modes["ecomap.db"] == 0o600
    assert {name: mode for name, mode in modes.items() if name.startswith("ecomap.db-")} == {
        name: 0o600 for name in modes if name.startswith("ecomap.db-")
    }
    assert any(name.startswith("ecomap.db-") for name in modes)  # the WAL files were there to check


def test_a_database_left_readable_to_others_is_made_private_and_so_are_the_wal_files_made_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    database = folder / "ecomap.db"
    database.touch()
    database.chmod(0o644)
    monkeypatch.setattr(store_module, "_DATA_DIR", folder.resolve())
    old_mask = os.umask(0)  # the most open umask: nothing is taken away from what a file is made with
    try:
        store = Store.from_url(f"sqlite:///{database}")
        store.migrate()
        store.add_person(LOCAL_USER, alys())  # the WAL files are made now, while the store is open
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in [folder, *folder.iterdir()]}
        store.engine.dispose()
    finally:
        os.umask(old_mask)
    assert modes == {"data": 0o700, "ecomap.db": 0o600, "ecomap.db-wal": 0o600, "ecomap.db-shm": 0o600}
