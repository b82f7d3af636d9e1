"""The command line: exit codes, one located line per problem, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecomap.cli import main
from ecomap.examples import examples_dir
from ecomap.model import read_map
from tests.conftest import document

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
    assert "Mae Siân a Alys yn cefnogi ei gilydd bob dydd." in out


def test_analyse_refuses_an_invalid_file_with_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(ties=[{"id": "t1", "name": "Mam", "sector": "moon"}], links=[], plan=[])))
    status, out, err = run("analyse", str(path), "--json")
    assert (status, out) == (2, "")
    assert err == f"{path}: ties[0].sector: 'moon' is not one of family, community, services\n"
