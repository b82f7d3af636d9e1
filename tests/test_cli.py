"""The command line: exit codes, one located line per problem, never a traceback."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest

from ecomap.cli import main
from ecomap.examples import examples_dir, load_examples
from ecomap.model import read_map
from tests.conftest import document
from tests.disks import full_disk, read_only_folder

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
