"""The command line: exit codes, one located line per problem, never a traceback."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ecomap.cli import main
from ecomap.examples import examples_dir, load_examples
from ecomap.model import read_map
from tests.conftest import alys as alys_map
from tests.conftest import document
from tests.disks import full_disk, read_only_folder

if TYPE_CHECKING:
    from ecomap.store import Store

ROOT = Path(__file__).resolve().parent.parent
#: A map of the release before (format version 1) and the CSV and GraphML that release wrote of it.
PREVIOUS = ROOT / "tests" / "samples" / "ecomap-v1"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_every_example_is_valid() -> None:
    paths = sorted(str(p) for p in examples_dir().glob("*.json"))
    status, out, err = run("validate", *paths)
    assert (status, err) == (0, "")
    assert out.count(": valid (") == len(paths) >= 3


def test_a_map_of_the_release_before_is_valid_and_exports_and_imports_as_its_upgrade(tmp_path: Path) -> None:
    old = PREVIOUS / "megan-lewis.json"
    assert json.loads(old.read_text(encoding="utf-8"))["schema_version"] == 1
    assert run("validate", str(old)) == (0, f"{old}: valid (6 ties, 1 links, 1 plan items)\n", "")
    upgraded = read_map(old)
    written = []
    for suffix in (".json", ".csv", ".graphml"):
        out = tmp_path / f"megan{suffix}"
        assert run("export", str(old), "--to", str(out))[0] == 0
        written.append(out)
    for source in (*written, PREVIOUS / "megan-lewis.csv", PREVIOUS / "megan-lewis.graphml"):
        back = tmp_path / f"{source.stem}-{source.suffix[1:]}-{source.parent.name}.json"
        status, printed, err = run("import", str(source), "--to", str(back), "--person", "Megan Lewis")
        assert (status, err) == (0, ""), source
        assert printed.startswith(f"{back}: Megan Lewis, 6 ties and 1 links from ")
        assert [(t.id, t.support, t.notes) for t in read_map(back).ties] == [
            (t.id, t.support, t.notes) for t in upgraded.ties
        ], source


def test_a_broken_file_exits_2_with_one_located_line_per_problem(tmp_path: Path) -> None:
    broken = document(
        ties=[
            {"id": "t1", "name": "Mam", "sector": "family", "strength": "strongest"},
            {"id": "t2", "name": "Dad", "sector": "family", "hat": "red"},
        ],
        links=[],
        plan=[],
    )
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    status, out, err = run("validate", str(path))
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        f"{path}: ties[0].strength: 'strongest' is not one of strong, moderate, tenuous, cut_off",
        f"{path}: ties[1].hat: is not a field of the map format",
    ]


def test_good_and_bad_files_together_exit_2_and_report_both(tmp_path: Path) -> None:
    good = next(examples_dir().glob("*.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    status, out, err = run("validate", str(good), str(bad))
    assert status == 2
    assert f"{good}: valid" in out
    assert err.startswith(f"{bad}: line 1, column 3: not valid JSON")


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", b"[]", b'{"schema_version": 99, "id": "x"}', b"[" * 50_000],
)
def test_the_real_command_never_prints_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "ecomap", "validate", str(path)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}: ")


def test_a_missing_file_is_reported() -> None:
    status, _, err = run("validate", "/nowhere/map.json")
    assert status == 2
    assert err == "/nowhere/map.json: No such file or directory\n"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    for command in ("validate", "analyse", "export", "import", "diff"):
        assert command in shown


def test_diff_says_what_changed_in_words_and_as_json(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps(document()), encoding="utf-8")
    changed = document()
    changed["ties"][2]["stressful"] = False
    changed["ties"][1]["status"] = "current"
    new.write_text(json.dumps(changed), encoding="utf-8")
    status, out, err = run("diff", str(old), str(new))
    assert (status, err) == (0, "")
    assert out.splitlines()[:3] == [
        "- The tie with Meddygfa is no longer stressful.",
        "- Côr Meibion, once hoped for, is part of Alys’s life now.",
        "- Ties in Alys’s life now: 2 before, 3 now.",
    ]
    assert "  size: 2 -> 3" in out
    status, out, _ = run("diff", str(old), str(new), "--json")
    result = json.loads(out)
    assert [(c["kind"], c["tie"]) for c in result["changes"]] == [("no_longer_stressful", "t3"), ("status", "t2")]
    assert result["measures"]["size"] == {"before": 2, "after": 3}
    assert result["summary"][0] == "The tie with Meddygfa is no longer stressful."
    status, out, _ = run("diff", str(old), str(new), "--lang", "cy")
    assert out.startswith("- Nid yw’r cysylltiad â Meddygfa yn straen mwyach.")


def test_diff_of_a_broken_file_names_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    status, out, err = run("diff", str(bad), str(next(examples_dir().glob("*.json"))))
    assert (status, out) == (2, "")
    assert err.startswith(f"{bad}: line 1, column 2: not valid JSON")


def test_schema_prints_the_shipped_schema() -> None:
    status, out, _ = run("schema")
    assert status == 0
    shipped = json.loads((ROOT / "ecomap" / "schema" / "map-v2.schema.json").read_text(encoding="utf-8"))
    assert json.loads(out) == shipped


@pytest.mark.parametrize("path", sorted(examples_dir().glob("*.json")), ids=lambda p: p.stem)
def test_analyse_json_prints_the_design_ids_only(path: Path) -> None:
    from ecomap.analysis import FINDING_TYPES

    status, out, err = run("analyse", str(path), "--json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert set(result) == {"measures", "findings"}
    assert result["findings"] and {f["id"] for f in result["findings"]} <= set(FINDING_TYPES)
    assert all(set(f) == {"id", "kind", "tie", "params", "text"} for f in result["findings"])
    assert result["measures"]["size"] > 0


def test_analyse_speaks_welsh_when_asked() -> None:
    path = examples_dir() / "alys-pritchard.json"
    status, out, _ = run("analyse", str(path), "--lang", "cy")
    assert status == 0
    assert "Mae Siân ac Alys yn cefnogi ei gilydd bob dydd." in out


def test_analyse_refuses_an_invalid_file_with_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(ties=[{"id": "t1", "name": "Mam", "sector": "moon"}], links=[], plan=[])))
    status, out, err = run("analyse", str(path), "--json")
    assert (status, out) == (2, "")
    assert err == f"{path}: ties[0].sector: 'moon' is not one of family, community, services\n"


# -- files written whole, or not at all -------------------------------------------------------------


def _nothing(folder: Path) -> AbstractContextManager[Path]:
    folder.mkdir()
    return nullcontext(folder)


# (how to make the place, the name to write in it, the start of the reason given)
BAD_PLACES: list[tuple[Callable[[Path], AbstractContextManager[Path]], str, str]] = [
    (_nothing, "missing/out{suffix}", "the folder {folder}/missing does not exist"),
    (_nothing, "folder{suffix}", "it is a folder"),
    (full_disk, "out{suffix}", "there is no room left on the disk"),
    (read_only_folder, "out{suffix}", "the folder {folder} "),
]
BAD_PLACE_IDS = ["missing folder", "a folder", "full disk", "read-only folder"]


@pytest.mark.parametrize(("place", "name", "reason"), BAD_PLACES, ids=BAD_PLACE_IDS)
@pytest.mark.parametrize("suffix", [".pdf", ".csv"])
def test_an_export_to_a_place_that_cannot_take_it_says_why_and_leaves_no_file(
    tmp_path: Path, place: Callable[[Path], AbstractContextManager[Path]], name: str, reason: str, suffix: str
) -> None:
    with place(tmp_path / "place") as folder:
        if name.startswith("folder"):
            (folder / name.format(suffix=suffix)).mkdir()
        before = sorted(p.name for p in folder.iterdir())
        target = folder / name.format(suffix=suffix)
        status, out, err = run("export", str(examples_dir() / "alys-pritchard.json"), "--to", str(target))
        assert (status, out) == (2, "")
        assert err.startswith(f"{target}: {reason.format(folder=folder)}")
        assert err.endswith("; nothing was written\n") and err.count("\n") == 1
        assert sorted(p.name for p in folder.iterdir()) == before


def test_an_export_to_a_name_that_leads_to_a_device_never_replaces_the_device(tmp_path: Path) -> None:
    (tmp_path / "map.csv").symlink_to("/dev/null")
    status, out, err = run("export", str(examples_dir() / "cai-hughes.json"), "--to", str(tmp_path / "map.csv"))
    assert (status, out) == (2, "")
    assert (
        err
        == f"{tmp_path / 'map.csv'}: it is not an ordinary file (a device, a pipe or a socket); nothing was written\n"
    )
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.csv"]


@pytest.mark.parametrize(("place", "name", "reason"), BAD_PLACES, ids=BAD_PLACE_IDS)
def test_an_import_to_a_place_that_cannot_take_it_leaves_nothing_to_block_the_next_try(
    tmp_path: Path, place: Callable[[Path], AbstractContextManager[Path]], name: str, reason: str
) -> None:
    source = PREVIOUS / "megan-lewis.csv"
    with place(tmp_path / "place") as folder:
        if name.startswith("folder"):
            (folder / name.format(suffix=".json")).mkdir()
        before = sorted(p.name for p in folder.iterdir())
        target = folder / name.format(suffix=".json")
        status, out, err = run("import", str(source), "--to", str(target), "--person", "Megan Lewis")
        assert (status, out) == (2, "")
        assert err.startswith(f"{target}: {reason.format(folder=folder)}") and err.count("\n") == 1
        assert sorted(p.name for p in folder.iterdir()) == before
    again = tmp_path / "megan.json"
    assert run("import", str(source), "--to", str(again), "--person", "Megan Lewis")[0] == 0
    assert read_map(again).person.name == "Megan Lewis"
    assert stat.S_IMODE(again.stat().st_mode) == 0o600


def test_an_import_over_an_existing_map_is_refused_without_force_and_replaces_it_whole_with(tmp_path: Path) -> None:
    target = tmp_path / "megan.json"
    target.write_text("{}", encoding="utf-8")
    source = PREVIOUS / "megan-lewis.json"
    status, _, err = run("import", str(source), "--to", str(target))
    assert status == 2
    assert err == f"{target}: it already exists; nothing was written (use --force to replace it)\n"
    assert target.read_text(encoding="utf-8") == "{}"
    assert run("import", str(source), "--to", str(target), "--force")[0] == 0
    assert read_map(target).person.name == "Megan Lewis"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["megan.json"]


def test_the_real_command_says_the_disk_is_full_without_a_traceback(tmp_path: Path) -> None:
    with full_disk(tmp_path / "full") as folder:
        result = subprocess.run(
            [sys.executable, "-m", "ecomap", "export", str(examples_dir() / "rhys-morgan.json"), "--to",
             str(folder / "rhys.docx")],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        assert result.returncode == 2
        assert result.stderr == f"{folder / 'rhys.docx'}: there is no room left on the disk; nothing was written\n"
        assert sorted(p.name for p in folder.iterdir()) == ["filler"]


# -- the operator's commands for the database ------------------------------------------------------


def test_db_upgrade_says_from_which_revision_to_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecomap.database import head_revision

    path = tmp_path / "ecomap.db"
    monkeypatch.setenv("ECOMAP_DATABASE_URL", f"sqlite:///{path}")
    assert run("db", "upgrade") == (0, f"{path}: the schema was made at revision {head_revision()}, the newest\n", "")
    assert run("db", "upgrade") == (
        0,
        f"{path}: already at revision {head_revision()}, the newest; nothing to do\n",
        "",
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_db_check_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    from ecomap.database import head_revision
    from ecomap.store import LOCAL_USER, Store

    path, out = tmp_path / "ecomap.db", tmp_path / "ecomap.backup"
    url = f"sqlite:///{path}"
    assert run("db", "upgrade", "--database", url)[0] == 0
    store = Store.from_url(url)
    load_examples(store, LOCAL_USER)
    held = f"3 maps, 3 versions, schema revision {head_revision()}"
    assert run("db", "check", "--database", url) == (0, f"{path}: fine ({held}, the newest; every version there)\n", "")
    status, printed, _ = run("db", "backup", str(out), "--database", url)
    assert (status, printed) == (0, f"{out}: a backup of {path} ({held}; {out.stat().st_size:,} bytes)\n")
    assert run("db", "backup", str(out), "--database", url) == (
        2, "", f"{out}: it already exists; nothing was written (use --force to replace it)\n"
    )  # fmt: skip
    assert run("db", "restore", str(out), "--database", url) == (
        2, "", f"{path} holds 3 maps; nothing was restored (--force replaces it, keeping a copy)\n"
    )  # fmt: skip
    assert run("db", "restore", str(out), "--force", "--database", url) == (
        0, f"{path}: restored from {out} ({held})\n  the database as it was is kept in {path}.before-restore\n", ""
    )  # fmt: skip
    assert len(store.people(LOCAL_USER)) == 3
    store.engine.dispose()


def test_db_check_prints_one_line_per_problem_and_exits_2(tmp_path: Path) -> None:
    from sqlalchemy import text

    from ecomap.store import LOCAL_USER, Store

    url = f"sqlite:///{tmp_path / 'ecomap.db'}"
    run("db", "upgrade", "--database", url)
    store = Store.from_url(url)
    load_examples(store, LOCAL_USER)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE maps SET current_version = 2"))
    store.engine.dispose()
    status, out, err = run("db", "check", "--database", url)
    assert (status, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 6 and all(line.startswith(f"{tmp_path / 'ecomap.db'}: map ") for line in lines)
    assert "its current version 2 is not saved" in lines[0]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["db", "check"], "{db}: there is no database file here"),
        (["db", "backup", "{tmp}/out.db"], "{db}: there is no database file here"),
        (["db", "restore", "{tmp}/none.db"], "{tmp}/none.db: No such file or directory"),
        (["db", "backup", "{tmp}/missing/out.db"], "{tmp}/missing/out.db: the folder {tmp}/missing does not exist; "
                                                   "nothing was written"),
        (["db", "check", "--database", "mysql://someone@somewhere/ecomap"],
         "mysql://someone@somewhere/ecomap: Ecomap looks after SQLite and PostgreSQL databases only"),
        (["db", "check", "--database", "postgresql+psycopg://ecomap:s3cret@127.0.0.1:9/none"],
         "postgresql+psycopg://ecomap:***@127.0.0.1:9/none: the database could not be used: it cannot be reached"),
    ],
    ids=["check, no file", "backup, no file", "restore, no backup", "backup, no folder", "mysql", "unreachable"],
)  # fmt: skip
def test_a_db_command_that_cannot_be_done_says_why_in_one_line_and_never_a_traceback(
    tmp_path: Path, argv: list[str], said: str
) -> None:
    db = tmp_path / "ecomap.db"
    command = [part.format(tmp=tmp_path) for part in argv]
    result = subprocess.run(
        [sys.executable, "-m", "ecomap", *command],
        capture_output=True, text=True, cwd=ROOT, check=False, env={**os.environ, "ECOMAP_DATABASE_URL": f"sqlite:///{db}"},
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == said.format(db=db, tmp=tmp_path) + "\n"
    assert "s3cret" not in result.stderr
    assert not db.exists()


# -- the operator's commands: teams, members, admins, the audit, people's rights ----------------------


@pytest.fixture
def operated(database_url: str) -> Iterator[tuple[str, Store]]:
    """A database at the newest schema (SQLite and PostgreSQL) and the store on it."""
    from ecomap.store import Store

    assert run("db", "upgrade", "--database", database_url)[0] == 0
    store = Store.from_url(database_url)
    yield database_url, store
    store.engine.dispose()


def test_teams_and_members_are_managed_on_the_command_line_and_audited(operated: tuple[str, Store]) -> None:
    from ecomap.access import Role
    from ecomap.store import OPERATOR, AuditAction, User

    url, store = operated
    status, out, err = run("teams", "add", "  North   Wales ", "--database", url)
    (north,) = [team for team in store.teams(OPERATOR) if team.name == "North Wales"]
    assert (status, out, err) == (0, f"team {north.id}: North Wales, made\n", "")
    assert run("teams", "add", "north wales", "--database", url) == (
        2, "", "teams: there is a team of that name already\n"
    )  # fmt: skip
    listed = run("teams", "list", "--database", url)[1].splitlines()
    assert listed[0].split() == ["ID", "NAME", "RECORDS", "MEMBERS"]
    assert [line.split()[0] for line in listed[1:]] == [north.id, "local"]  # by name: North Wales, This machine

    assert run("members", "add", "north wales", "Bethan@Example.org", "--role", "lead", "--database", url) == (
        0, f"team {north.id}: bethan@example.org is a lead; bound to them at their first sign-in\n", ""
    )  # fmt: skip
    assert run("members", "add", north.id, "dewi@example.org", "--database", url)[0] == 0
    store.record_sign_in(User("oidc:abc:dewi", "Dewi Jones", "dewi@example.org"))
    members = run("members", "list", "North Wales", "--database", url)[1].splitlines()
    assert members[1].split()[:2] == ["lead", "(waiting"] and members[2].split()[:4] == [
        "practitioner", "oidc:abc:dewi", "Dewi", "Jones"
    ]  # fmt: skip
    assert [m.role for m in store.members(OPERATOR, north.id)] == [Role.LEAD, Role.PRACTITIONER]
    assert run("members", "remove", "North Wales", "dewi@example.org", "--database", url)[0] == 0
    assert run("members", "remove", "North Wales", "dewi@example.org", "--database", url) == (
        2, "", f"dewi@example.org is not a member of team {north.id}\n"
    )  # fmt: skip
    assert run("teams", "rename", "North Wales", "Gogledd Cymru", "--database", url) == (
        0, f"team {north.id}: renamed Gogledd Cymru\n", ""
    )  # fmt: skip
    assert run("members", "list", "South", "--database", url) == (2, "", "there is no team South\n")

    assert run("admins", "add", "bethan@example.org", "--database", url) == (
        2, "", "nobody has signed in with that address yet\n"
    )  # fmt: skip
    assert run("admins", "add", "dewi@example.org", "--database", url)[0] == 0
    assert store.is_admin(User("oidc:abc:dewi", "Dewi Jones"))
    assert run("admins", "remove", "oidc:abc:dewi", "--database", url) == (
        0, "oidc:abc:dewi: no longer an admin\n", ""
    )  # fmt: skip
    done = store.search_audit(OPERATOR, user_id=OPERATOR.id, actions=[AuditAction.TEAM, AuditAction.MEMBERSHIP])
    assert len(done) == 7  # a team made and renamed, two members added, one removed, an admin made and unmade


def _someone_with_three_versions(store: Store) -> str:
    from ecomap.store import LOCAL_USER

    first = store.add_person(LOCAL_USER, alys_map())
    second = store.save(LOCAL_USER, first.map.with_record(case_reference="=cmd|' /C calc'!A0"), expected_version=1)
    store.save(LOCAL_USER, first.map.replace(title="Later"), expected_version=second)
    store.record_export(LOCAL_USER, first.map.id, 3, "pdf", reason='=HYPERLINK("http://x") asked by the court')
    return first.person_id


def test_the_audit_is_searched_and_written_as_csv_with_formulas_neutralised(
    operated: tuple[str, Store], tmp_path: Path
) -> None:
    import csv

    from ecomap.store import LOCAL_USER

    url, store = operated
    person = _someone_with_three_versions(store)
    status, out, err = run("audit", "--person", person, "--action", "save", "export", "--database", url)
    lines = out.splitlines()
    assert (status, err) == (0, "") and lines[0].split()[:4] == ["AT", "(UTC)", "ACTION", "OK"]
    assert [line.split()[2] for line in lines[1:-1]] == ["export", "save", "save"]  # newest first
    assert lines[-1] == "3 entries" and "Alys" not in out

    from ecomap.errors import NotFound
    from ecomap.store import User

    stranger = User("oidc:x:eve", "=cmd|' /C calc'!A0", "eve@example.org")
    with pytest.raises(NotFound):
        store.open(stranger, store.people(LOCAL_USER)[0].map_id)  # refused, and audited with her name
    target = tmp_path / "audit.csv"
    assert run("audit", "--person", person, "--csv", str(target), "--database", url) == (
        0, f"{target}: 6 entries ({target.stat().st_size:,} bytes)\n", ""
    )  # fmt: skip
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [row["action"] for row in rows] == ["denied", "view-audit", "export", "save", "save", "create"]
    assert (rows[0]["user_name"], rows[0]["user_email"], rows[0]["ok"]) == (
        "'=cmd|' /C calc'!A0",
        "eve@example.org",
        "no",
    )
    assert rows[2]["detail"] == 'pdf: =HYPERLINK("http://x") asked by the court'
    assert run("audit", "--csv", str(target), "--database", url)[0] == 2  # never replaced without --force
    assert run("audit", "--csv", str(target), "--force", "--database", url)[0] == 0

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert run("audit", "--since", tomorrow, "--database", url)[1].splitlines()[-1] == "0 entries"
    today = date.today().isoformat()
    assert run("audit", "--since", today, "--until", today, "--action", "create", "--database", url)[1].endswith(
        "\n1 entry\n"
    )


def test_a_subject_access_is_one_private_zip_of_everything_about_that_person(
    operated: tuple[str, Store], tmp_path: Path
) -> None:
    import zipfile

    from ecomap.store import OPERATOR, AuditAction

    url, store = operated
    person = _someone_with_three_versions(store)
    target = tmp_path / "alys.zip"
    status, out, err = run("subject-access", person, "--to", str(target), "--database", url)
    assert (status, err) == (0, "")
    assert out.startswith(f"{target}: everything held about person {person}: 3 versions, 4 entries of the audit (")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert {"versions/v001.json", "versions/v002.json", "versions/v003.json", "audit.csv", "README.txt"} <= set(names)
    assert store.search_audit(OPERATOR, person_id=person, actions=[AuditAction.SUBJECT_ACCESS])
    assert run("subject-access", person, "--to", str(target), "--database", url) == (
        2, "", f"{target}: it already exists; nothing was written (use --force to replace it)\n"
    )  # fmt: skip
    assert run("subject-access", person, "--to", str(tmp_path / "alys.pdf"), "--database", url) == (
        2, "", f"{tmp_path / 'alys.pdf'}: a subject access is written as a ZIP: name it .zip\n"
    )  # fmt: skip
    assert run("subject-access", "nobody", "--to", str(tmp_path / "none.zip"), "--database", url) == (
        2, "", "there is no person nobody\n"
    )  # fmt: skip
    assert not (tmp_path / "none.zip").exists()


def test_retention_restriction_moves_and_a_purge_by_ids_and_counts_never_names(operated: tuple[str, Store]) -> None:
    from ecomap.store import LOCAL_USER, OPERATOR, AuditAction

    url, store = operated
    person = _someone_with_three_versions(store)
    (summary,) = store.people(LOCAL_USER)
    assert run("retention", person, "--until", "2030-01-31", "--database", url) == (
        0, f"person {person}: kept until 2030-01-31, then purged\n", ""
    )  # fmt: skip
    assert run("restrict", person, "--on", "--database", url)[0] == 0
    assert store.people(LOCAL_USER) == []  # restricted: nobody but an admin, by break-glass
    assert run("restrict", person, "--off", "--database", url) == (
        0, f"person {person}: no longer restricted\n", ""
    )  # fmt: skip
    team = run("teams", "add", "South", "--database", url)[1].split()[1].rstrip(":")
    assert run("move", person, "--team", "south", "--database", url) == (
        0, f"person {person}: moved to team {team}\n", ""
    )  # fmt: skip
    assert run("move", person, "--team", "local", "--database", url)[0] == 0

    assert run("purge", "--due", "--dry-run", "--database", url)[1] == (
        f"0 records past their retention date on {date.today().isoformat()} would be removed, with 0 versions; "
        "nothing was removed\n"
    )
    assert run("retention", person, "--until", "2020-01-31", "--database", url)[0] == 0
    status, out, err = run("purge", "--due", "--dry-run", "--database", url)
    assert (status, err) == (0, "")
    assert out.splitlines()[1].split() == [person, summary.map_id, "local", "2020-01-31", "3"]
    assert len(store.people(LOCAL_USER)) == 1  # a dry run removes nothing
    status, out, err = run("purge", "--due", "--database", url)
    assert (status, err) == (0, "") and "Alys" not in out
    assert out.splitlines()[-1].startswith("1 record past their retention date on ")
    assert store.people(LOCAL_USER) == []
    (purged,) = store.search_audit(OPERATOR, actions=[AuditAction.PURGE])[:1]
    assert purged.detail == "1 record" and purged.person_id is None
    assert store.search_audit(OPERATOR, person_id=person) == []
    later = (date.today() + timedelta(days=1)).isoformat()
    assert run("purge", "--due", "--today", later, "--database", url) == (
        2, "", "purge: a purge cannot be dated after today\n"
    )  # fmt: skip
    assert run("retention", person, "--none", "--database", url) == (2, "", f"there is no person {person}\n")


def test_the_operators_commands_need_the_newest_schema_and_say_so(tmp_path: Path) -> None:
    from ecomap.database import head_revision

    path = tmp_path / "ecomap.db"
    url = f"sqlite:///{path}"
    assert run("teams", "list", "--database", url) == (2, "", f"{path}: there is no database file here\n")
    assert not path.exists()
    from ecomap.store import Store

    old = Store.from_url(url)
    old.migrate("0006")
    old.engine.dispose()
    assert run("audit", "--database", url) == (
        2, "", f"{path}: the schema is at revision 0006, not {head_revision()}: `python -m ecomap db upgrade` "
               "brings it there\n"
    )  # fmt: skip


def test_a_table_prints_what_a_terminal_would_act_on_as_escapes(operated: tuple[str, Store]) -> None:
    url, store = operated
    from ecomap.store import OPERATOR

    store.create_team(OPERATOR, "Team \x1b[31mred")
    printed = run("teams", "list", "--database", url)[1]
    assert "\x1b" not in printed and "Team \\x1b[31mred" in printed


def test_help_lists_the_operators_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    for command in ("teams", "members", "admins", "audit", "subject-access", "purge", "retention", "restrict", "move"):
        assert command in shown


def test_every_file_the_command_line_writes_is_private_to_its_owner_whatever_the_umask(tmp_path: Path) -> None:
    from ecomap.store import LOCAL_USER, Store

    source = ROOT / "data" / "examples"
    example = sorted(source.glob("*.json"))[0]
    url = f"sqlite:///{tmp_path / 'ecomap.db'}"
    old_mask = os.umask(0)  # the most open umask: nothing is taken away from what a file is made with
    try:
        assert run("db", "upgrade", "--database", url)[0] == 0
        store = Store.from_url(url)
        person = store.add_person(LOCAL_USER, read_map(example)).person_id
        store.engine.dispose()
        written = {
            "map.pdf": ("export", str(example), "--to"),
            "map.csv": ("export", str(example), "--to"),
            "map.json": ("export", str(example), "--to"),
            "imported.json": ("import", str(example), "--to"),
            "backup.db": ("db", "backup", "--database", url),
            "audit.csv": ("audit", "--database", url, "--csv"),
            "person.zip": ("subject-access", person, "--database", url, "--to"),
        }
        for name, command in written.items():
            assert run(*command, str(tmp_path / name))[0] == 0, name
    finally:
        os.umask(old_mask)
    modes = {name: oct(stat.S_IMODE((tmp_path / name).stat().st_mode)) for name in written}
    assert modes == dict.fromkeys(written, "0o600")
    assert oct(stat.S_IMODE((tmp_path / "ecomap.db").stat().st_mode)) == "0o600"
