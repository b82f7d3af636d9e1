"""Faults: a saving process killed at random moments, a full disk, an audit that cannot be written.

After each, the database is whole, every version saved before is there and opens, and what could not
be done is refused in plain words with nothing of the map in them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from ecomap.database import check
from ecomap.errors import StoreUnavailable
from ecomap.store import LOCAL_USER, AuditAction, Store
from tests.conftest import alys, busy_family
from tests.disks import fill, small_disk

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Gwenllian Zebedee-Pryce"

#: Starts once (importing the store takes about a second), then forks a saver each time it reads "fork":
#: the saver opens the map and saves it in a loop, printing each version once it is committed. "sync"
#: is answered with "synced", after whatever a killed saver had printed.
SAVER = r"""
import os, signal, sys
from ecomap.store import LOCAL_USER, Store

url, map_id = sys.argv[1:3]
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a killed saver is reaped by the system
for line in sys.stdin:
    if line.strip() == "sync":
        print("synced", flush=True)
        continue
    pid = os.fork()
    if pid:
        print(f"saver {pid}", flush=True)
        continue
    store = Store.from_url(url)
    opened = store.open(LOCAL_USER, map_id)
    version, m = opened.version, opened.map
    while True:
        m = m.with_tie_fields("t1", own_words=f"save {version + 1}")
        version = store.save(LOCAL_USER, m, expected_version=version)
        os.write(1, f"saved {version}\n".encode())
"""
KILLS = 30
#: The whole test's time, at most (it takes about 6 s).
BUDGET_S = 20.0


def _until(process: subprocess.Popen[str], word: str) -> list[int]:
    """Read the saver's lines up to the one starting with ``word``; return the versions saved meanwhile and
    that line's number (last)."""
    assert process.stdout is not None
    saved = []
    while True:
        line = process.stdout.readline()
        assert line, "the saver's parent stopped"
        kind, _, number = line.strip().partition(" ")
        if kind == "saved":
            saved.append(int(number))
        elif kind == word:
            return [*saved, int(number or 0)]


def _gone(pid: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)
    raise AssertionError(f"saver {pid} outlived SIGKILL")


def test_a_saver_killed_30_times_leaves_a_whole_database_with_every_version(tmp_path: Path) -> None:
    started = time.monotonic()
    path = tmp_path / "ecomap.db"
    url = f"sqlite:///{path}"
    store = Store.from_url(url)
    store.migrate()
    map_id = store.add_person(LOCAL_USER, busy_family(40)).map.id
    rng = random.Random(20261201)
    reported, rounds_that_saved = 0, 0
    with subprocess.Popen(
        [sys.executable, "-c", SAVER, url, map_id], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    ) as process:
        assert process.stdin is not None
        try:
            for _ in range(KILLS):
                process.stdin.write("fork\n")
                process.stdin.flush()
                *saved, pid = _until(process, "saver")
                time.sleep(rng.uniform(0.02, 0.2))
                os.kill(pid, signal.SIGKILL)
                _gone(pid)
                process.stdin.write("sync\n")
                process.stdin.flush()
                saved += _until(process, "synced")[:-1]
                rounds_that_saved += bool(saved)
                reported = max([reported, *saved])

                with closing(sqlite3.connect(path)) as connection:
                    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                newest = store.open(LOCAL_USER, map_id)
                assert newest.version >= reported  # every save the saver was told of is kept
                assert [v.version for v in store.versions(LOCAL_USER, map_id)] == list(range(1, newest.version + 1))
                if newest.version > 1:
                    assert newest.map.tie("t1").own_words == f"save {newest.version}"
                assert check(url).problems == ()
                following = newest.map.with_tie_fields("t1", own_words=f"save {newest.version + 1}")
                assert store.save(LOCAL_USER, following, expected_version=newest.version) == newest.version + 1
                assert time.monotonic() - started < BUDGET_S, "the kills took longer than the test's budget"
        finally:
            process.stdin.close()
            process.wait(timeout=10)
            store.engine.dispose()
    assert rounds_that_saved >= KILLS * 2 // 3, "too few kills came while the saver was saving"
    assert process.returncode == 0


# -- a full disk ------------------------------------------------------------------------------------


#: A full disk as SQLite meets it: with its write-ahead log open (it cannot grow the log), or after a
#: restart (it cannot make the log's shared memory), and the reason each gives.
FULL_DISKS = [
    pytest.param(False, "there is no room left", id="log open"),
    pytest.param(True, "its disk could not be used, perhaps because it is full", id="after a restart"),
]


@contextmanager
def store_on_a_full_disk(tmp_path: Path, *, restarted: bool) -> Iterator[tuple[Store, str, Path]]:
    """A store on an SQLite file on a small disk that has just been filled, with two versions of a map."""
    with small_disk(tmp_path / "disk") as disk:
        store = Store.from_url(f"sqlite:///{disk / 'ecomap.db'}")
        store.migrate()
        map_id = store.add_person(LOCAL_USER, alys().with_person(name=SECRET)).map.id
        store.save(LOCAL_USER, alys().with_person(name=SECRET).replace(title="Second"), expected_version=1)
        if restarted:
            store.engine.dispose()  # the last connection closing folds the log into the file and removes it
        filler = fill(disk)
        try:
            yield store, map_id, filler
        finally:
            store.engine.dispose()


@pytest.mark.parametrize(("restarted", "reason"), FULL_DISKS)
def test_a_save_to_a_full_disk_is_refused_in_plain_words_and_keeps_every_version(
    tmp_path: Path, restarted: bool, reason: str
) -> None:
    with store_on_a_full_disk(tmp_path, restarted=restarted) as (store, map_id, filler):
        with pytest.raises(StoreUnavailable) as caught:
            store.save(LOCAL_USER, alys().with_person(name=SECRET).replace(title="Third"), expected_version=2)
        assert caught.value.reason == reason
        assert SECRET not in str(caught.value)
        filler.unlink()  # room again: nothing was lost, and the next save goes through
        assert [v.version for v in store.versions(LOCAL_USER, map_id)] == [1, 2]
        assert store.open(LOCAL_USER, map_id).map.title == "Second"
        assert store.save(LOCAL_USER, alys().with_person(name=SECRET), expected_version=2) == 3
        assert check(str(store.engine.url)).problems == ()


# -- opening when the audit cannot be written -------------------------------------------------------

#: What SQLite says when it cannot write, raised by the audit itself when an opening is recorded.
AUDIT_FULL = (
    "CREATE TRIGGER audit_full BEFORE INSERT ON audit WHEN NEW.action = 'open' "
    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
)


def refuse_to_audit_openings(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.exec_driver_sql(AUDIT_FULL)


def test_an_opening_whose_audit_cannot_be_written_is_refused_and_shows_nothing(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'ecomap.db'}")
    store.migrate()
    map_id = store.add_person(LOCAL_USER, alys().with_person(name=SECRET)).map.id
    refuse_to_audit_openings(store)
    with pytest.raises(StoreUnavailable) as caught:
        store.open(LOCAL_USER, map_id)
    assert caught.value.reason == "there is no room left"
    assert SECRET not in str(caught.value) and caught.value.__cause__ is None
    assert [e.action for e in store.audit(LOCAL_USER)] == [AuditAction.CREATE]  # never opened without its record
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_full")
    assert store.open(LOCAL_USER, map_id).map.person.name == SECRET
    store.engine.dispose()


@pytest.mark.parametrize(("restarted", "reason"), FULL_DISKS)
def test_an_opening_on_a_full_disk_is_refused_in_plain_words(tmp_path: Path, restarted: bool, reason: str) -> None:
    with store_on_a_full_disk(tmp_path, restarted=restarted) as (store, map_id, filler):
        with pytest.raises(StoreUnavailable) as caught:
            for _ in range(1000):  # each opening adds a line to the audit: the room left is soon gone
                store.open(LOCAL_USER, map_id)
        assert caught.value.reason == reason
        assert SECRET not in str(caught.value)
        filler.unlink()
        opened = [e for e in store.audit(LOCAL_USER) if e.action == AuditAction.OPEN]
        assert store.open(LOCAL_USER, map_id).version == 2
        assert len([e for e in store.audit(LOCAL_USER) if e.action == AuditAction.OPEN]) == len(opened) + 1


@pytest.mark.parametrize(
    "poison",
    [
        lambda document: json.dumps({**json.loads(document), "title": {"of": SECRET}}),  # a name where text belongs
        lambda document: document[: document.index(SECRET) + 5],  # cut off inside the name
    ],
    ids=["a name in an object where text belongs", "cut off inside the name"],
)
def test_a_version_changed_outside_ecomap_is_refused_as_damaged_without_its_text(
    tmp_path: Path, poison: object
) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'ecomap.db'}")
    store.migrate()
    map_id = store.add_person(LOCAL_USER, alys().with_person(name=SECRET)).map.id
    with closing(sqlite3.connect(tmp_path / "ecomap.db")) as db, db:
        for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f'DROP TRIGGER "{trigger}"')  # versions are written once: this test breaks that on purpose
        (document,) = db.execute("SELECT document FROM map_versions WHERE map_id = ?", (map_id,)).fetchone()
        db.execute("UPDATE map_versions SET document = ? WHERE map_id = ?", (poison(document), map_id))  # type: ignore[operator]
    with pytest.raises(StoreUnavailable) as caught:
        store.open(LOCAL_USER, map_id)
    assert caught.value.reason == "it is damaged"
    assert "Gwenllian" not in str(caught.value) and caught.value.__cause__ is None
    store.engine.dispose()
