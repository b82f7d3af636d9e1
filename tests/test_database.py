"""The operator's care of the database: a restore drill on SQLite and PostgreSQL, the check's findings, the
backup's refusals, and an upgrade that says from which revision to which."""

from __future__ import annotations

import sqlite3
import stat
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ecomap.access import LOCAL_TEAM_ID, Role
from ecomap.database import (
    HISTORY_GUARDS,
    NotDone,
    backup,
    check,
    current_revision,
    head_revision,
    restore,
    upgrade,
)
from ecomap.errors import Conflict, StoreUnavailable
from ecomap.examples import example_maps, load_examples
from ecomap.files import FileNotWritten
from ecomap.store import LOCAL_USER, Store, User, metadata
from tests.conftest import alys
from tests.disks import full_disk

ANWEN = User("anwen", "Anwen Evans")
BRYN = User("bryn", "Bryn Thomas")


def _upgrade_with_members(url: str) -> None:
    """Upgrade the database, and make Anwen and Bryn leads of the local team (who acts is not tested here)."""
    upgrade(url)
    store = Store.from_url(url)
    for user in (ANWEN, BRYN):
        store.record_sign_in(user)
        store.add_member(LOCAL_USER, LOCAL_TEAM_ID, user.id, Role.LEAD)
    store.engine.dispose()


def populate(store: Store) -> str:
    """The examples, and one map with what a year of visits leaves: saves, a name, a restore, an export."""
    load_examples(store, ANWEN)
    map_id = example_maps()[0].id
    opened = store.open(ANWEN, map_id)
    store.save(
        BRYN, opened.map.with_tie({"id": "t99", "name": "Beti drws nesaf", "sector": "community"}), expected_version=1
    )
    store.label_version(ANWEN, map_id, 1, "first conversation")
    store.restore(BRYN, map_id, 1, expected_version=2)
    store.record_export(ANWEN, map_id, 3, "pdf")
    store.caseload(ANWEN)
    return map_id


def everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the store describes, in the order of its key."""
    with store.engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(table.select().order_by(*table.primary_key.columns))]
            for name, table in metadata.tables.items()
        }


def as_read(store: Store) -> tuple[object, ...]:
    """What the store says it holds: people, every version of every map, and the audit."""
    people = store.people(ANWEN)
    return people, [store.versions(ANWEN, p.map_id) for p in people], store.audit(ANWEN)


def test_a_restore_brings_back_exactly_what_the_backup_held(database_url: str, tmp_path: Path) -> None:
    store = Store.from_url(database_url)
    _upgrade_with_members(database_url)
    map_id = populate(store)
    held, read = everything(store), as_read(store)
    copied = backup(database_url, tmp_path / "ecomap.backup")
    assert (copied.maps, copied.versions, copied.revision) == (3, 5, head_revision())
    assert stat.S_IMODE((tmp_path / "ecomap.backup").stat().st_mode) == 0o600

    # A bad day: another save, a new person, a name taken off, counts lost, a table dropped.
    store.save(ANWEN, alys().replace(id=map_id, title="A mistake"), expected_version=3)
    store.add_person(ANWEN, alys())
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM map_facts"))
        connection.execute(text("DROP TABLE version_labels"))
    with pytest.raises(NotDone, match="holds 4 maps; nothing was restored"):
        restore(database_url, tmp_path / "ecomap.backup")

    restored = restore(database_url, tmp_path / "ecomap.backup", force=True)

    assert (restored.contents.maps, restored.contents.versions) == (3, 5)
    assert everything(store) == held
    assert as_read(store) == read
    assert check(database_url).problems == ()
    assert [store.open(ANWEN, map_id, version=v).map for v in (1, 3)] == [example_maps()[0]] * 2
    assert store.save(BRYN, alys().replace(id=map_id), expected_version=3) == 4
    with pytest.raises(Conflict):
        store.save(BRYN, alys().replace(id=map_id), expected_version=3)
    with pytest.raises(DBAPIError, match="cannot be changed"), store.engine.begin() as connection:
        connection.execute(text("UPDATE map_versions SET document = '{}'"))
    # The restored database guards its history against every statement, as the one backed up did.
    replace = "REPLACE INTO" if store.engine.dialect.name == "sqlite" else "INSERT INTO"
    upsert = "" if store.engine.dialect.name == "sqlite" else " ON CONFLICT (id) DO UPDATE SET ok = false"
    with pytest.raises(DBAPIError, match="cannot be changed"), store.engine.begin() as connection:
        connection.execute(
            text(f"{replace} audit (id, at, user_id, action, ok) VALUES (1, :at, 'local', 'open', true){upsert}"),
            {"at": datetime.now(UTC)},
        )
    if restored.kept is not None:  # SQLite keeps the database as it was, whole, beside it
        assert restored.kept.name == "ecomap.db.before-restore"
        assert stat.S_IMODE(restored.kept.stat().st_mode) == 0o600
        kept = Store.from_url(f"sqlite:///{restored.kept}")
        assert len(kept.people(ANWEN)) == 4 and kept.open(ANWEN, map_id).map.title == "A mistake"
        kept.engine.dispose()
    store.engine.dispose()


def test_a_backup_is_never_written_over_one_already_there_unless_forced(database_url: str, tmp_path: Path) -> None:
    _upgrade_with_members(database_url)
    out = tmp_path / "ecomap.backup"
    out.write_bytes(b"last week's")
    with pytest.raises(FileNotWritten, match="it already exists; nothing was written"):
        backup(database_url, out)
    assert out.read_bytes() == b"last week's"
    backup(database_url, out, replace=True)
    assert out.read_bytes() != b"last week's"
    assert sorted(p.name for p in tmp_path.iterdir() if "ecomap.backup" in p.name) == ["ecomap.backup"]


def test_what_is_not_a_backup_is_refused_and_nothing_changes(database_url: str, tmp_path: Path) -> None:
    store = Store.from_url(database_url)
    _upgrade_with_members(database_url)
    store.add_person(ANWEN, alys())
    held = everything(store)
    for content in (b"", b"not a backup at all", b"SQLite format 3\x00" + b"\x00" * 200, b"PGDMP garbage"):
        (tmp_path / "in").write_bytes(content)
        with pytest.raises((NotDone, StoreUnavailable)):
            restore(database_url, tmp_path / "in", force=True)
    assert everything(store) == held
    store.engine.dispose()


# -- SQLite's own cases ------------------------------------------------------------------------------


def _migrate_to(url: str, revision: str) -> None:

    store = Store.from_url(url)
    store.migrate(revision)
    store.engine.dispose()


def test_an_upgrade_says_from_which_revision_to_which(sqlite_url: str) -> None:
    assert upgrade(sqlite_url).before is None
    assert upgrade(sqlite_url).before == head_revision()
    older = sqlite_url.replace("ecomap.db", "older.db")
    _migrate_to(older, "0003")
    assert (upgrade(older).before, upgrade(older).after) == ("0003", head_revision())
    path = Path(older.removeprefix("sqlite:///"))
    assert stat.S_IMODE(Path(sqlite_url.removeprefix("sqlite:///")).stat().st_mode) == 0o600
    assert path.exists()


def test_a_database_of_a_newer_release_is_not_touched(sqlite_url: str, tmp_path: Path) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    store.add_person(ANWEN, alys())
    backup(sqlite_url, tmp_path / "newer.db")
    newer = Store.from_url(f"sqlite:///{tmp_path / 'newer.db'}")
    with newer.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    newer.engine.dispose()
    with pytest.raises(NotDone, match="revision 9999, which this release of Ecomap does not know"):
        upgrade(f"sqlite:///{tmp_path / 'newer.db'}")
    with pytest.raises(NotDone, match="revision 9999"):
        restore(sqlite_url, tmp_path / "newer.db", force=True)
    assert current_revision(f"sqlite:///{tmp_path / 'newer.db'}") == "9999"
    assert "revision 9999" in check(f"sqlite:///{tmp_path / 'newer.db'}").problems[0]
    store.engine.dispose()


def test_the_check_names_each_map_whose_versions_are_not_all_there(sqlite_url: str) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    load_examples(store, ANWEN)
    first, second, third = (m.id for m in example_maps())
    for version in (1, 2):
        store.save(ANWEN, example_maps()[1].replace(title=f"v{version + 1}"), expected_version=version)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE maps SET current_version = 4 WHERE id = :id"), {"id": first})
        connection.execute(text("DROP TRIGGER map_versions_no_delete"))
        connection.execute(text("DELETE FROM map_versions WHERE map_id = :id AND version = 2"), {"id": second})
        connection.execute(text("UPDATE map_facts SET version = 7 WHERE map_id = :id"), {"id": third})
    assert check(sqlite_url).problems == (
        "trigger map_versions_no_delete is missing: versions or the audit could be changed or removed",
        f"map {first}: its current version 4 is not saved",
        f"map {first}: its caseload counts are those of version 1, not of its current version 4",
        f"map {second}: versions 1 to 3 should be saved; 2 are, numbered 1 to 3",
        f"map {third}: its caseload counts are those of version 7, not of its current version 1",
    )
    store.engine.dispose()


def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "ecomap.db"
    url = f"sqlite:///{path}"
    store = Store.from_url(url)
    _upgrade_with_members(url)
    store.add_person(ANWEN, alys())
    store.engine.dispose()
    return path


def test_the_check_says_a_file_overwritten_in_the_middle_is_damaged(tmp_path: Path) -> None:
    path = damaged(tmp_path)
    with path.open("r+b") as handle:  # a page overwritten, as a failing disk might
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096)
    assert check(f"sqlite:///{path}").problems == ("integrity: it is damaged",)


def test_the_check_lists_what_the_integrity_check_finds(tmp_path: Path) -> None:
    path = damaged(tmp_path)
    with closing(sqlite3.connect(path)) as connection:  # an index no longer of its table's rows
        connection.execute("PRAGMA writable_schema=ON")
        connection.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_maps_person_id ON maps (current_version)' "
            "WHERE name = 'ix_maps_person_id'"
        )
        connection.commit()
    assert check(f"sqlite:///{path}").problems == ("integrity: row 1 missing from index ix_maps_person_id",)


def test_the_check_says_when_there_is_no_schema_or_an_old_one(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert check(f"sqlite:///{empty}").problems == (
        "it has no Ecomap schema yet: `python -m ecomap db upgrade` makes it",
    )
    _migrate_to(f"sqlite:///{tmp_path / 'old.db'}", "0004")
    assert check(f"sqlite:///{tmp_path / 'old.db'}").problems == (
        f"its schema is at revision 0004, the newest is {head_revision()}: `python -m ecomap db upgrade`",
    )
    with pytest.raises(NotDone, match="there is no database file here"):
        check(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()


def test_a_restore_where_there_was_no_database_makes_it_private(sqlite_url: str, tmp_path: Path) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    populate(store)
    backup(sqlite_url, tmp_path / "backup.db")
    fresh = tmp_path / "new" / "ecomap.db"
    restored = restore(f"sqlite:///{fresh}", tmp_path / "backup.db")
    assert (restored.contents.maps, restored.kept) == (3, None)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    again = Store.from_url(f"sqlite:///{fresh}")
    assert everything(again) == everything(store)
    again.engine.dispose()
    store.engine.dispose()


def test_a_damaged_database_is_set_aside_whole_and_the_backup_put_in_its_place(sqlite_url: str, tmp_path: Path) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    populate(store)
    held = everything(store)
    backup(sqlite_url, tmp_path / "backup.db")
    store.engine.dispose()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    path.write_bytes(b"not a database " * 400)
    with pytest.raises(NotDone, match="cannot be read; nothing was restored"):
        restore(sqlite_url, tmp_path / "backup.db")
    restored = restore(sqlite_url, tmp_path / "backup.db", force=True)
    assert restored.kept is not None and restored.kept.read_bytes() == b"not a database " * 400
    assert everything(store) == held
    store.engine.dispose()


def test_a_second_restore_keeps_the_first_ones_copy_too(sqlite_url: str, tmp_path: Path) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    store.add_person(ANWEN, alys())
    backup(sqlite_url, tmp_path / "backup.db")
    kept = [restore(sqlite_url, tmp_path / "backup.db", force=True).kept for _ in range(3)]
    assert [p.name for p in kept if p] == ["ecomap.db.before-restore", "ecomap.db.before-restore-2",
                                           "ecomap.db.before-restore-3"]  # fmt: skip
    store.engine.dispose()


def test_a_backup_to_a_full_disk_leaves_no_file(sqlite_url: str, tmp_path: Path) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    populate(store)
    with full_disk(tmp_path / "full") as folder:
        with pytest.raises(FileNotWritten, match="there is no room left on the disk; nothing was written"):
            backup(sqlite_url, folder / "backup.db")
        assert sorted(p.name for p in folder.iterdir()) == ["filler"]
    store.engine.dispose()


def test_a_backup_taken_while_the_app_saves_is_whole(sqlite_url: str, tmp_path: Path) -> None:
    store = Store.from_url(sqlite_url)
    _upgrade_with_members(sqlite_url)
    map_id = store.add_person(LOCAL_USER, alys()).map.id
    stop = threading.Event()

    def keep_saving() -> None:
        version = 1
        while not stop.is_set():
            version = store.save(LOCAL_USER, alys().replace(title=f"v{version + 1}"), expected_version=version)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        copies = [backup(sqlite_url, tmp_path / f"copy{n}.db") for n in range(5)]
    finally:
        stop.set()
        saver.join()
    for n, copied in enumerate(copies):
        url = f"sqlite:///{tmp_path / f'copy{n}.db'}"
        assert check(url).problems == ()
        copy = Store.from_url(url)
        versions = [v.version for v in copy.versions(LOCAL_USER, map_id)]
        assert versions == list(range(1, copied.versions + 1))
        copy.engine.dispose()
    store.engine.dispose()


def test_the_check_names_each_guard_of_the_history_that_is_missing(database_url: str) -> None:
    store = Store.from_url(database_url)
    _upgrade_with_members(database_url)
    store.add_person(ANWEN, alys())
    assert check(database_url).problems == ()
    dialect = store.engine.dialect.name
    dropped = sorted(HISTORY_GUARDS[dialect])[:2]
    with store.engine.begin() as connection:
        for name in dropped:
            table = "map_versions" if name.startswith("map_versions") else "audit"
            on = f" ON {table}" if dialect == "postgresql" else ""
            connection.execute(text(f"DROP TRIGGER {name}{on}"))
    assert check(database_url).problems == tuple(
        f"trigger {name} is missing: versions or the audit could be changed or removed" for name in dropped
    )
    store.engine.dispose()
