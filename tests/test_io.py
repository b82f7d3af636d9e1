"""Exports and imports, checked the way their readers would read them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from PIL import Image

from ecomap.errors import EcomapError, MapInvalid, UnknownFormat
from ecomap.examples import example_maps, examples_dir
from ecomap.exports import EXPORTS, ExportFormat, ExportOptions, export, file_name
from ecomap.i18n import translator
from ecomap.io import csv_format, easynwk, graphml, import_bytes, import_file
from ecomap.io.base import MAX_PROBLEMS, TieRole, english_role, leave_out, map_roles, tie_role
from ecomap.model import MAX_FILE_BYTES, EcoMap, read_map
from ecomap.vocab import SUPPORTS
from tests.conftest import alys
from tests.test_cli import run
from tests.test_report import docx_text, pdf_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
ROSA = SAMPLES / "easynwk" / "Rosa_Braunsteigl-Mueller.json"
ROSA_SUPPORT = SAMPLES / "easynwk" / "Rosa_Braunsteigl-Mueller_support.json"
NETWORK_CANVAS = SAMPLES / "networkcanvas" / "session-export.graphml"
EXAMPLE_PATHS = sorted(examples_dir().glob("*.json"))


def sample(path: Path) -> bytes:
    return path.read_bytes()


# -- exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_PATHS, ids=lambda p: p.stem)
def test_the_command_line_writes_every_format_for_every_example(path: Path, tmp_path: Path) -> None:
    m = read_map(path)
    for suffix in EXPORTS:
        out = tmp_path / f"map{suffix}"
        status, printed, err = run("export", str(path), "--to", str(out))
        assert (status, err) == (0, ""), suffix
        assert printed.startswith(f"{out}: ")
    with Image.open(tmp_path / "map.png") as png:
        assert png.size[0] == 1500
    assert (tmp_path / "map.svg").read_bytes().lstrip().startswith(b"<?xml")
    text = " ".join(pdf_text((tmp_path / "map.pdf").read_bytes()).split())
    assert all(" ".join(tie.name.split()) in text for tie in m.ties)
    assert all(tie.name in docx_text((tmp_path / "map.docx").read_bytes()) for tie in m.ties)
    assert read_map(tmp_path / "map.json") == m
    assert graphml.read((tmp_path / "map.graphml").read_bytes()).map == m
    assert b"<script" in (tmp_path / "map.html").read_bytes()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "map.csv").read_text(encoding="utf-8-sig"))))
    assert [row["Name"] for row in rows] == [tie.name for tie in m.ties]


def test_image_makes_a_pdf_of_the_map_alone(tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    assert run("export", str(EXAMPLE_PATHS[0]), "--to", str(out), "--image")[0] == 0
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, check=True, text=True).stdout
    assert "Pages:           1" in info
    assert "The map in words" not in pdf_text(out.read_bytes())


def test_an_unknown_ending_or_a_bad_map_is_refused_with_nothing_written(tmp_path: Path) -> None:
    status, _, err = run("export", str(EXAMPLE_PATHS[0]), "--to", str(tmp_path / "map.gif"))
    assert status == 2 and "the ending says which" in err
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    status, _, err = run("export", str(bad), "--to", str(tmp_path / "out.png"))
    assert status == 2 and err.startswith(f"{bad}: ")
    assert not (tmp_path / "out.png").exists() and not (tmp_path / "map.gif").exists()


#: What each format's bytes begin with, as its readers check.
SIGNATURES = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".svg": b"<?xml",
    ".html": b"<!DOCTYPE html>",
    ".json": b"{",
    ".csv": "\ufeffId,Name,".encode(),
    ".graphml": b"<?xml",
}


def test_every_export_format_has_its_signature_checked() -> None:
    assert set(SIGNATURES) == set(EXPORTS)


@pytest.mark.parametrize("suffix", list(EXPORTS))
def test_every_format_in_the_table_names_a_writer_that_writes_its_kind_of_file(suffix: str) -> None:
    m = example_maps()[0]
    fmt = EXPORTS[suffix]
    data = fmt.writer(m, ExportOptions(t=translator("en")))
    assert fmt.suffix == suffix
    assert data.lstrip()[: len(SIGNATURES[suffix])].lower() == SIGNATURES[suffix].lower()
    if suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert "word/document.xml" in archive.namelist()
    elif suffix == ".json":
        assert EcoMap.from_dict(json.loads(data)) == m
    elif suffix in (".svg", ".graphml"):
        assert f"<{suffix[1:]}".encode() in data


def test_export_writes_through_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[ExportOptions] = []

    def writer(m: EcoMap, options: ExportOptions) -> bytes:
        seen.append(options)
        return m.person.name.encode()

    monkeypatch.setitem(EXPORTS, ".txt", ExportFormat(".txt", "Text", "text/plain", "", writer))
    assert export(alys(), ".TXT", image=True) == alys().person.name.encode()
    assert [(options.image, options.t.language) for options in seen] == [(True, "en")]


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        (".gif", "Ecomap cannot write .gif: use .pdf, .docx, .png, .svg, .html, .json, .csv, .graphml"),
        (".GIF", "Ecomap cannot write .gif: use .pdf, .docx, .png, .svg, .html, .json, .csv, .graphml"),
        ("", "Ecomap cannot write files without an ending: use .pdf, .docx, .png, .svg, .html, .json, .csv, .graphml"),
    ],
)
def test_an_unknown_export_format_raises_the_library_s_own_error(suffix: str, message: str) -> None:
    with pytest.raises(UnknownFormat) as raised:
        export(alys(), suffix)
    assert str(raised.value) == message
    assert isinstance(raised.value, EcomapError)


def _modules_loaded_by(*modules: str) -> list[str]:
    code = "import sys\n" + "".join(f"import {module}\n" for module in modules) + "print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_readers_never_load_render_report_or_the_export_door() -> None:
    loaded = _modules_loaded_by("ecomap.io", "ecomap.io.base", "ecomap.io.csv_format", "ecomap.io.easynwk")
    above = ("ecomap.render", "ecomap.report", "ecomap.exports", "matplotlib", "fpdf", "docx", "pyvis", "networkx")
    assert [name for name in loaded if name.startswith(above)] == []


def test_importing_the_export_door_loads_no_drawing_or_document_library() -> None:
    heavy = ("matplotlib", "fpdf", "docx", "pyvis", "networkx", "ecomap.render", "ecomap.report")
    assert [name for name in _modules_loaded_by("ecomap.exports") if name.startswith(heavy)] == []


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_graphml_and_json_round_trip_to_an_equal_map(m: EcoMap) -> None:
    assert graphml.read(graphml.write(m)).map == m
    assert import_bytes(export(m, ".json"), "map.json").map == m


def test_graphml_carries_every_tie_attribute_for_networkx_and_gephi() -> None:
    m = example_maps()[0]
    G = nx.read_graphml(io.BytesIO(graphml.write(m)))
    assert G.number_of_nodes() == len(m.ties) + 1
    assert G.number_of_edges() == len(m.ties) + len(m.links)
    tie = m.ties[0]
    node = G.nodes[tie.id]
    for field in ("name", "kind", "role", "sector", "strength", "flow", "status", "own_words", "notes", "frequency"):
        assert node[field] == (getattr(tie, field) or ""), field
    assert node["label"] == tie.name and node["stressful"] is tie.stressful
    assert (tie.support, node["support_emotional"], node["support_practical"]) == (
        {"emotional": "both", "practical": "both"},
        "both",
        "both",
    )
    assert (node["support_information"], node["support_social"]) == ("none", "none")
    assert G.edges["@person", tie.id]["weight"] == 3.0
    assert G.edges["@person", tie.id]["flow"] == tie.flow == "both"


def test_a_csv_cell_that_would_be_a_formula_is_neutralised_and_restored() -> None:
    m = alys().replace(
        ties=[
            {"id": "t1", "name": '=HYPERLINK("http://x")', "sector": "family"},
            {"id": "t2", "name": "Nain", "sector": "family", "own_words": "+44 7700 900123", "notes": "@home\n-ish"},
        ],
        links=[],
        plan=[],
    )
    data = csv_format.as_bytes(m)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[2][11] == "'+44 7700 900123" and rows[2][12] == "'@home\n-ish"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    back = csv_format.read(data, person_name="Alys").map
    assert [tie.name for tie in back.ties] == ['=HYPERLINK("http://x")', "Nain"]
    assert back.ties[1].own_words == "+44 7700 900123"


def test_a_csv_from_a_spreadsheet_is_read_with_labels_semicolons_and_unknown_columns() -> None:
    text = (
        "Name;Role;Strength;Stressful;Kinds of support;Contact;Favourite food\n"
        "Nain;grandmother;Strong;yes;emotional, practical;Daily;bara brith\n"
        "Côr;choir;;no;;;\n"
    )
    imported = csv_format.read(text.encode(), person_name="Cerys")
    nain, cor = imported.map.ties
    assert (nain.role, nain.sector, nain.strength, nain.stressful) == ("grandparent", "family", "strong", True)
    assert nain.support == {"emotional": "gets", "practical": "gets"} and nain.frequency == "daily"
    assert cor.support is None
    assert nain.notes == "Favourite food: bara brith"
    assert imported.extra == ("Favourite food",)
    assert imported.unknown_roles == {"choir": ("t2",)} and cor.sector == "community"
    chosen = map_roles(imported, {"choir": "group"})
    assert (chosen.map.ties[1].role, chosen.map.ties[1].kind, chosen.unknown_roles) == ("group", "group", {})
    assert leave_out(imported, ["Favourite food"]).map.ties[0].notes == ""


def test_a_csv_with_bad_cells_names_the_row_and_column() -> None:
    text = "Name,Strength,Stressful\nNain,very strong,maybe\n,strong,no\n"
    with pytest.raises(MapInvalid) as raised:
        csv_format.read(text.encode(), person_name="Cerys")
    assert [str(p) for p in raised.value.problems] == [
        "row 2, column Strength: 'very strong' is not one of strong, moderate, tenuous, cut_off",
        "row 2, column Stressful: 'maybe' is not yes or no",
        "row 3, column Name: is empty",
    ]


def test_the_csv_template_imports_as_one_tie() -> None:
    template = csv_format.template()
    assert import_bytes(template, "ecomap-template.csv", person_name="Alys").map.ties[0].name == "Mam"


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_our_own_csv_reads_back_with_every_role_word_for_word(m: EcoMap) -> None:
    imported = csv_format.read(csv_format.as_bytes(m), person_name=m.person.name)
    fields = ("id", "name", "role", "kind", "sector", "strength", "stressful", "flow", "support", "status")
    assert [[getattr(tie, f) for f in fields] for tie in imported.map.ties] == [
        [getattr(tie, f) for f in fields] for tie in m.ties
    ]
    assert {link.key for link in imported.map.links} == {link.key for link in m.links}
    assert imported.unknown_roles == {}


# -- support and its direction -----------------------------------------------------------------

#: Each way support can be recorded on a tie, the tie's ``support``, and its Gets and Gives cells.
DIRECTION_TABLE = {
    "gets": ({"emotional": "gets"}, "emotional", "none"),
    "gives": ({"practical": "gives"}, "none", "practical"),
    "both": ({"social": "both"}, "social", "social"),
    "mixed": ({"emotional": "gets", "practical": "gives", "information": "both"}, "emotional; information",
              "practical; information"),
    "none": ({}, "none", "none"),
    "not asked": (None, "", ""),
}  # fmt: skip


def _with_support(support: dict[str, str] | None) -> EcoMap:
    tie = {"id": "t1", "name": "Mam", "sector": "family", "support": support}
    return alys().replace(ties=[{k: v for k, v in tie.items() if v is not None}], links=[], plan=[])


@pytest.mark.parametrize("case", list(DIRECTION_TABLE))
def test_csv_and_graphml_keep_each_direction_exactly(case: str) -> None:
    support, gets, gives = DIRECTION_TABLE[case]
    m = _with_support(support)
    data = csv_format.as_bytes(m)
    row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert (row["Gets"], row["Gives"]) == (gets, gives)
    assert csv_format.read(data, person_name="Alys").map.ties[0].support == support
    assert graphml.read(graphml.write(m)).map == m
    node = nx.read_graphml(io.BytesIO(graphml.write(m))).nodes["t1"]
    written = {kind: node[f"support_{kind}"] for kind in SUPPORTS if f"support_{kind}" in node}
    assert written == ({} if support is None else {kind: support.get(kind, "none") for kind in SUPPORTS})


@pytest.mark.parametrize(
    ("gets", "gives", "support"),
    [
        ("", "", None),
        ("none", "", {}),
        ("NONE", "none", {}),
        ("dim", "dim", {}),
        ("Emotional, Information", "", {"emotional": "gets", "information": "gets"}),
        ("practical", "practical; social", {"practical": "both", "social": "gives"}),
        ("emotional; emotional", "none", {"emotional": "gets"}),
        ("none; social", "", {"social": "gets"}),
    ],
)
def test_a_hand_written_csv_says_gets_gives_none_or_leaves_support_unasked(
    gets: str, gives: str, support: dict[str, str] | None
) -> None:
    text = f"Name,Role,Gets,Gives\nNain,grandmother,{_cell(gets)},{_cell(gives)}\n"
    imported = csv_format.read(text.encode(), person_name="Cerys")
    assert imported.map.ties[0].support == support
    assert imported.notes == ()


def _cell(text: str) -> str:
    return f'"{text}"' if "," in text else text


def test_a_kind_of_support_the_csv_does_not_know_names_its_row_and_column() -> None:
    with pytest.raises(MapInvalid) as raised:
        csv_format.read(b"Name,Gets,Gives\nNain,love,none\n", person_name="Cerys")
    assert [str(p) for p in raised.value.problems] == [
        "row 2, column Gets: 'love' is not one of emotional, practical, information, social (or none)"
    ]


def test_the_csv_template_says_how_to_fill_in_its_support() -> None:
    template = csv_format.template()
    row = next(csv.DictReader(io.StringIO(template.decode("utf-8-sig"))))
    assert (row["Gets"], row["Gives"], row["Notes"]) == ("emotional; practical", "emotional", csv_format.TEMPLATE_NOTES)
    assert "Leave both empty" in row["Notes"] and "write none" in row["Notes"]
    mam = import_bytes(template, "ecomap-template.csv").map.ties[0]
    assert mam.support == {"emotional": "both", "practical": "gets"}


def test_graphml_never_reads_back_the_flow_it_writes_for_other_tools() -> None:
    m = _with_support({"emotional": "gets"})
    data = graphml.write(m).replace(b">to_person<", b">from_person<")
    assert b">from_person<" in data
    assert graphml.read(data).map == m


def test_other_tools_graphml_may_say_each_kind_s_direction_in_our_words() -> None:
    data = b"""<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
      <key id="n" for="node" attr.name="name" attr.type="string"/>
      <key id="e" for="node" attr.name="support_emotional" attr.type="string"/>
      <key id="p" for="node" attr.name="support_type_practical" attr.type="boolean"/>
      <key id="s" for="node" attr.name="social_support" attr.type="string"/>
      <graph><node id="a"><data key="n">Nain</data><data key="e">gives</data><data key="p">true</data></node>
      <node id="b"><data key="n">Taid</data><data key="e">none</data><data key="s">often</data></node>
      <node id="c"><data key="n">Cor</data></node></graph></graphml>"""
    a, b, c = graphml.read(data, person_name="Cerys").map.ties
    assert (a.support, b.support, c.support) == ({"emotional": "gives", "practical": "gets"}, {}, None)
    assert b.notes == "social_support: often"


# -- files of the release before (map format version 1) ----------------------------------------

PREVIOUS = SAMPLES / "ecomap-v1"


def test_a_graphml_file_of_the_release_before_reads_as_its_map_upgraded() -> None:
    imported = import_file(PREVIOUS / "megan-lewis.graphml")
    assert imported.source == "Ecomap GraphML"
    assert imported.map == read_map(PREVIOUS / "megan-lewis.json")


def test_a_csv_of_the_release_before_reads_with_the_meaning_the_upgrade_gives_its_map() -> None:
    imported = import_file(PREVIOUS / "megan-lewis.csv", person_name="Megan Lewis")
    upgraded = read_map(PREVIOUS / "megan-lewis.json")
    fields = ("id", "name", "role", "sector", "strength", "frequency", "support", "notes", "position")
    assert [[getattr(t, f) for f in fields] for t in imported.map.ties] == [
        [getattr(t, f) for f in fields] for t in upgraded.ties
    ]
    by_id = {tie.id: tie for tie in imported.map.ties}
    assert [by_id[t].support for t in ("t1", "t2", "t3", "t4", "t5", "t6")] == [
        {"emotional": "both", "practical": "both"},
        {"practical": "gives"},
        {"information": "gets"},
        {"social": "gets"},
        None,
        None,
    ]
    assert by_id["t5"].notes == "Waves most mornings\nSupport went both ways (the kinds were not recorded)."
    assert {link.key for link in imported.map.links} == {link.key for link in upgraded.links}
    assert any("earlier release of Ecomap" in note for note in imported.notes)


def test_a_csv_with_both_kinds_of_support_columns_reads_gets_and_gives() -> None:
    text = b"Name,Support flows,Kinds of support,Gets,Gives\nNain,from_person,practical,emotional,\n"
    imported = csv_format.read(text, person_name="Cerys")
    assert imported.map.ties[0].support == {"emotional": "gets"}
    assert any("Gets and Gives are read" in note for note in imported.notes)


# -- pseudonymised exports ---------------------------------------------------------------------


def test_pseudonymise_takes_names_out_of_every_format() -> None:
    m = example_maps()[0]
    names = ["Alys", "Pritchard", "Siân", "Gareth", "Nansi", "Beti"]
    for suffix in (".json", ".csv", ".graphml", ".html", ".pdf", ".docx"):
        data = export(m, suffix, pseudonymise=True)
        if suffix == ".pdf":
            text = pdf_text(data)
        elif suffix == ".docx":
            text = docx_text(data)
        else:
            text = data.decode("utf-8-sig")
        assert [name for name in names if name in text] == [], suffix
    assert file_name(m, ".pdf", pseudonymised=True) == "ecomap.pdf"
    with zipfile.ZipFile(io.BytesIO(export(m, ".docx", pseudonymise=True))) as archive:
        assert b"Alys" not in archive.read("docProps/core.xml")


# -- imports -----------------------------------------------------------------------------------


def test_the_easynwk_sample_imports_with_all_ten_ties_in_their_sectors() -> None:
    imported = easynwk.read(sample(ROSA))
    m = imported.map
    assert m.person.name == "Rosa Braunsteigl-Müller"
    sectors = {tie.name: tie.sector for tie in m.ties}
    assert sectors == {
        "Ewald": "family", "Josefine": "family", "Strolchi": "family", "Hubert": "family", "Richard": "family",
        "Maria": "family", "Susi": "community", "Lara": "community", "Max": "community", "Dr. Maier": "services",
    }  # fmt: skip
    by_name = {tie.name: tie for tie in m.ties}
    assert by_name["Strolchi"].kind == "pet"
    assert by_name["Hubert"].status == "past" and by_name["Hubert"].role == "father"
    assert by_name["Maria"].role == "mother" and by_name["Maria"].strength == "strong"
    assert by_name["Dr. Maier"].role == "gp"
    pairs = [("Maria", "Lara"), ("Maria", "Richard"), ("Maria", "Josefine"), ("Ewald", "Josefine"), ("Ewald", "Maria")]
    links = {frozenset(by_name[n].id for n in pair) for pair in pairs}
    assert {link.key for link in m.links} == links
    assert imported.unknown_roles == {"Großtante": (by_name["Josefine"].id,)}
    assert "age: 86" in by_name["Josefine"].notes
    # easyNWK's angle is counter-clockwise from the x-axis; ours is clockwise from the top.
    assert by_name["Richard"].position is not None and by_name["Richard"].position.angle == pytest.approx(
        74.804, abs=0.01
    )


def test_an_easynwk_file_without_versions_is_read_too() -> None:
    network = json.loads(sample(ROSA).decode("utf-8-sig"))["versions"][0]["nwk"]
    imported = import_bytes(json.dumps(network).encode(), "rosa.json")
    assert len(imported.map.ties) == 10


def test_an_easynwk_file_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    english_role("Mutter")  # easyNWK's own role list is read once, before counting
    parsed: list[str] = []
    real = json.loads

    def counting(text: str | bytes, **options: object) -> object:
        parsed.append(str(text)[:20])
        return real(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(json, "loads", counting)
    imported = import_bytes(sample(ROSA), ROSA.name)
    assert len(parsed) == 1 and len(imported.map.ties) == 10


def test_the_easynwk_reader_takes_a_document_already_parsed() -> None:
    document = json.loads(sample(ROSA).decode("utf-8-sig"))
    by_document = easynwk.read_document(document)
    by_bytes = easynwk.read(sample(ROSA))
    assert by_document.map.replace(id="m") == by_bytes.map.replace(id="m")
    assert (by_document.unknown_roles, by_document.extra, by_document.notes) == (
        by_bytes.unknown_roles,
        by_bytes.extra,
        by_bytes.notes,
    )


#: easyNWK's five support fields and the kind each is here; its numbers and the direction each says.
EASYNWK_FIELDS = {
    "supportEmotional": "emotional",
    "supportCognitive": "information",
    "supportSocial": "social",
    "supportMaterial": "practical",
    "supportPractical": "practical",
}
EASYNWK_NUMBERS = {0: None, 1: "gives", 2: "gets", 3: "both"}


@pytest.mark.parametrize("field", list(EASYNWK_FIELDS))
@pytest.mark.parametrize("number", list(EASYNWK_NUMBERS))
@pytest.mark.parametrize("written", [int, str], ids=["number", "text"])
def test_each_easynwk_support_number_in_each_kind_gives_its_direction(field: str, number: int, written: type) -> None:
    others = {other: 0 for other in EASYNWK_FIELDS if other != field}
    alter = {"id": 1, "name": "Maria", "angle": 45, "distance": 20, **others, field: written(number)}
    tie = easynwk.read_document({"alteri": [alter]}).map.ties[0]
    direction = EASYNWK_NUMBERS[number]
    assert tie.support == (None if direction is None else {EASYNWK_FIELDS[field]: direction})


def test_the_easynwk_table_is_the_one_the_reader_uses() -> None:
    assert {f: k for f, k in easynwk.SUPPORT_FIELDS.items() if f in EASYNWK_FIELDS} == EASYNWK_FIELDS
    assert easynwk.SUPPORT_NUMBERS == EASYNWK_NUMBERS


@pytest.mark.parametrize(
    ("material", "practical", "support"),
    [
        (1, 1, "gives"), (2, 2, "gets"), (1, 2, "both"), (2, 1, "both"), (3, 1, "both"), (2, 3, "both"), (0, 2, "gets"),
    ],
)  # fmt: skip
def test_easynwk_material_and_practical_support_are_joined_with_both_directions_kept(
    material: int, practical: int, support: str
) -> None:
    alter = {"id": 1, "name": "Maria", "angle": 45, "distance": 20,
             "supportMaterial": material, "supportPractical": practical}  # fmt: skip
    imported = easynwk.read_document({"alteri": [alter]})
    assert imported.map.ties[0].support == {"practical": support}
    joined = [note for note in imported.notes if "material and practical" in note]
    assert len(joined) == (1 if material and practical else 0)


def test_the_easynwk_sample_with_support_imports_every_direction_and_conflict() -> None:
    imported = import_file(ROSA_SUPPORT)
    by_name = {tie.name: tie for tie in imported.map.ties}
    assert {name: tie.support for name, tie in by_name.items() if tie.support is not None} == {
        "Maria": {"emotional": "both", "practical": "both", "information": "gets", "social": "both"},
        "Richard": {"emotional": "both", "practical": "both", "social": "gives"},
        "Lara": {"emotional": "gets", "information": "gives", "social": "both"},
        "Susi": {"emotional": "gives", "practical": "both", "information": "both", "social": "gets"},
        "Max": {"practical": "gives"},
    }
    assert by_name["Dr. Maier"].support is None and by_name["Ewald"].support is None
    assert [name for name, tie in by_name.items() if tie.stressful] == ["Lara"]
    assert [note for note in imported.notes if "material and practical" in note] == [
        "Richard: easyNWK's material and practical support are one kind here, practical; kept as one (both ways).",
        "Maria: easyNWK's material and practical support are one kind here, practical; kept as one (both ways).",
    ]
    plain = easynwk.read(sample(ROSA)).map
    assert imported.map.replace(id="m", ties=[t.model_copy(update={"support": None, "stressful": False})
                                             for t in imported.map.ties]) == plain.replace(id="m")  # fmt: skip


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4, "4"),
        (-1, "-1"),
        ("two", "'two'"),
        (True, "true"),
        (None, "null"),
        (1.5, "1.5"),
        ("٢", "'٢'"),
        ([2], "a list"),
    ],
)
def test_an_easynwk_support_number_out_of_range_is_refused_with_its_place(value: object, shown: str) -> None:
    alter = {"id": 1, "name": "Maria", "angle": 45, "distance": 20, "supportSocial": value}
    with pytest.raises(MapInvalid) as raised:
        easynwk.read_document({"alteri": [alter]})
    assert [str(p) for p in raised.value.problems] == [f"alteri[0].supportSocial: must be 0, 1, 2 or 3, not {shown}"]


@pytest.mark.parametrize(
    ("written", "given", "expected"),
    [
        ("Grandmother", {}, TieRole("grandparent", "family", "person")),
        ("Mutter", {}, TieRole("mother", "family", "person")),
        ("dog", {}, TieRole("pet", "family", "pet")),
        ("GP", {}, TieRole("gp", "services", "organisation")),
        ("GP", {"kind": "person"}, TieRole("gp", "services", "person")),
        ("school", {"sector": "services"}, TieRole("school", "services", "organisation")),
        ("Kolleg*in", {"kind": "person"}, TieRole("work", "community", "person")),
        ("Vereinskolleg*in", {}, TieRole("group", "community", "group")),
        ("choir", {}, TieRole("choir", "community", "person", unknown=True)),
        ("Großtante", {"sector": "family"}, TieRole("Großtante", "family", "person", unknown=True)),
        ("Ex-Partner*in", {}, TieRole("ex-partner", "community", "person", unknown=True)),
        ("  ", {"kind": "place"}, TieRole("", "community", "place")),
        ("", {}, TieRole("", "community", "person")),
    ],
)  # fmt: skip
def test_the_role_decides_the_sector_and_kind_the_file_does_not_give(
    written: str, given: dict[str, str], expected: TieRole
) -> None:
    assert tie_role(written, **given) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("knows.csv", b"Id,Name,Knows\na,A,b; a\nb,B,a (A)\n"),
        ("nwk.json", json.dumps({"alteri": [{"id": 1, "name": "A", "angle": 45, "distance": 50},
                                            {"id": 2, "name": "B", "angle": 45, "distance": 50}],
                                 "connections": [{"id1": 1, "id2": 2}, {"id1": 2, "id2": 1}, {"id1": 1, "id2": 1}]
                                 }).encode()),
        ("links.graphml", b"""<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>
            <node id="a"/><node id="b"/><edge source="a" target="b"/><edge source="b" target="a"/>
            <edge source="a" target="a"/></graph></graphml>"""),
    ],
)  # fmt: skip
def test_every_reader_links_a_pair_once_and_never_a_tie_to_itself(name: str, data: bytes) -> None:
    links = import_bytes(data, name).map.links
    assert len(links) == 1 and len(set(links[0].between)) == 2


def test_the_network_canvas_sample_imports_with_the_ego_on_the_graph() -> None:
    imported = import_file(NETWORK_CANVAS)
    m = imported.map
    assert imported.source == "Network Canvas"
    assert m.person.name == "Cerys Morgan"
    assert [tie.name for tie in m.ties] == ["Nain", "Rhys", "Bethan", "Food bank", "Health visitor"]
    nain = m.ties[0]
    assert (nain.role, nain.sector, nain.strength, nain.support) == (
        "grandparent",
        "family",
        "strong",
        {"emotional": "gets", "practical": "gets"},
    )
    # Network Canvas asked who gives Cerys each kind: false for both is asked, and none.
    assert [tie.support for tie in m.ties[1:]] == [
        {"emotional": "gets"},
        {"emotional": "gets"},
        {"practical": "gets"},
        {},
    ]
    assert m.ties[3].kind == "place" and m.ties[4].sector == "services"
    assert {link.key for link in m.links} == {frozenset(("t1", "t2")), frozenset(("t2", "t3"))}
    assert imported.unknown_roles == {"community service": ("t4",)}
    assert any("know_each_other_strength" in note for note in imported.notes)


YED = b"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key for="node" id="d7" attr.name="relationship" attr.type="string"/>
  <graph id="G" edgedefault="undirected">
    <node id="n0"><data key="d6"><y:ShapeNode><y:NodeLabel>Megan</y:NodeLabel></y:ShapeNode></data></node>
    <node id="n1"><data key="d6"><y:ShapeNode><y:NodeLabel>Dafydd</y:NodeLabel></y:ShapeNode></data>
      <data key="d7">brother</data></node>
    <node id="n2"><data key="d6"><y:ShapeNode><y:NodeLabel>Ysgol</y:NodeLabel></y:ShapeNode></data>
      <data key="d7">school</data></node>
    <node id="n3"><data key="d6"><y:ShapeNode><y:NodeLabel>GP</y:NodeLabel></y:ShapeNode></data></node>
    <edge source="n0" target="n1"/><edge source="n0" target="n2"/><edge source="n0" target="n3"/>
    <edge source="n1" target="n2"/>
  </graph>
</graphml>"""


def test_a_yed_drawing_finds_its_labels_and_the_person_linked_to_everyone() -> None:
    imported = graphml.read(YED)
    m = imported.map
    assert m.person.name == "Megan"
    assert [(t.name, t.role, t.sector) for t in m.ties] == [
        ("Dafydd", "sibling", "family"),
        ("Ysgol", "school", "community"),
        ("GP", "", "community"),
    ]
    assert [link.between for link in m.links] == [("t1", "t2")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&lol3;"/></graph></graphml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="n1">&secret;</node></graph></graphml>"""


def _many_nodes(n: int) -> bytes:
    nodes = "".join(f'<node id="n{i}"/>' for i in range(n))
    return f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>{nodes}</graph></graphml>'.encode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("lolz.graphml", BILLION_LAUGHS, "declares a DTD or entities"),
        ("secret.graphml", EXTERNAL_ENTITY, "declares a DTD or entities"),
        ("notxml.graphml", b"Name,Role\nNain,grandmother\n", "line 1, column 0: not well-formed XML"),
        ("html.graphml", b"<html><body>hello</body></html>", "not GraphML"),
        ("huge.graphml", _many_nodes(100_000), "the graph has 100,000 nodes; an ecomap holds at most 500 ties"),
        ("list.json", b"[1, 2, 3]", "not an Ecomap map or an easyNWK file"),
        ("types.json", b'{"versions": [{"nwk": {"alteri": "everyone"}}]}', "versions[0].nwk.alteri: expected a list"),
        ("angle.json", b'{"alteri": [{"id": 1, "name": "A", "angle": "north", "distance": 5}]}',
         "alteri[0].angle: must be a number, not 'north'"),
        ("ours.json", b'{"schema_version": 1, "id": "x", "person": {}}', "person.name"),
        ("pic.gif", b"GIF89a", "Ecomap imports .json, .csv, .graphml, .xml files"),
        ("latin1.csv", "Name\nSiân\n".encode("latin-1"), "not UTF-8 text"),
    ],
)  # fmt: skip
def test_hostile_and_broken_files_are_refused_quickly_with_a_clear_message(
    name: str, data: bytes, message: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(MapInvalid) as raised:
        import_bytes(data, name)
    assert message in str(raised.value)
    assert time.perf_counter() - started < 5


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.graphml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    out = tmp_path / "big.json"
    status, _, err = run("import", str(big), "--to", str(out))
    assert status == 2
    assert err == f"{big}: the file is 50.0 MB; Ecomap imports files up to {MAX_FILE_BYTES // 2**20} MB\n"
    assert not out.exists()
    with pytest.raises(MapInvalid, match=r"50\.0 MB"):
        import_bytes(b"x" * (50 * 1024 * 1024), "big.csv")


def test_the_import_command_reports_what_to_check_and_never_replaces_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rosa.json"
    status, printed, err = run("import", str(ROSA), "--to", str(out))
    assert (status, err) == (0, "")
    assert printed.splitlines()[0] == f"{out}: Rosa Braunsteigl-Müller, 10 ties and 5 links from easyNWK"
    assert "  check: the role 'Großtante' (Josefine) is not one Ecomap knows; kept as written" in printed
    assert len(read_map(out).ties) == 10
    before = out.read_bytes()
    status, _, err = run("import", str(NETWORK_CANVAS), "--to", str(out))
    assert status == 2 and "already exists; nothing was written" in err
    assert out.read_bytes() == before


def test_the_real_import_command_never_prints_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphml"
    bad.write_bytes(BILLION_LAUGHS)
    result = subprocess.run(
        [sys.executable, "-m", "ecomap", "import", str(bad), "--to", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "declares a DTD" in result.stderr


# -- every importer answers: a map or a located message, never a crash or a silent loss --------


def _alter(**fields: object) -> dict[str, object]:
    return {"id": 1, "name": "Maria", "angle": 45, "distance": 20, **fields}


def _nwk(*alteri: object, **network: object) -> bytes:
    return json.dumps({"alteri": list(alteri), **network}).encode()


#: easyNWK files whose fields have the wrong JSON type, and what the importer says of each.
EASYNWK_BROKEN = {
    "id a list": (_nwk(_alter(id=[1])), "alteri[0].id: must be a number or text, not a list"),
    "id an object": (_nwk(_alter(id={"n": 1})), "alteri[0].id: must be a number or text, not an object"),
    "id true": (_nwk(_alter(id=True)), "alteri[0].id: must be a number or text, not true"),
    "name a list": (_nwk(_alter(name=["Maria"])), "alteri[0].name: must be text, not a list"),
    "name a number": (_nwk(_alter(name=42)), "alteri[0].name: must be text, not 42"),
    "role an object": (_nwk(_alter(role={"de": "Mutter"})), "alteri[0].role: must be text, not an object"),
    "role false": (_nwk(_alter(role=False)), "alteri[0].role: must be text, not false"),
    "angle text": (_nwk(_alter(angle="north")), "alteri[0].angle: must be a number, not 'north'"),
    "angle true": (_nwk(_alter(angle=True)), "alteri[0].angle: must be a number, not true"),
    "distance null": (_nwk(_alter(distance=None)), "alteri[0].distance: must be a number, not null"),
    "distance a list": (_nwk(_alter(distance=[20])), "alteri[0].distance: must be a number, not a list"),
    "note a list": (_nwk(_alter(note=["x"])), "alteri[0].note: must be text, not a list"),
    "age an object": (_nwk(_alter(age={"years": 3})), "alteri[0].age: must be a number or text, not an object"),
    "support of 5,000 digits": (_nwk(_alter(supportSocial="1" * 5000)),
                                f"alteri[0].supportSocial: must be 0, 1, 2 or 3, not '{'1' * 39}…'"),
    "support a superscript two": (_nwk(_alter(supportSocial="²")),
                                  "alteri[0].supportSocial: must be 0, 1, 2 or 3, not '²'"),
    "connection a list": (_nwk(_alter(), _alter(id=2), connections=[{"id1": [1], "id2": 2}]),
                          "connections[0].id1: must be a number or text, not a list"),
    "connection an object": (_nwk(_alter(), _alter(id=2), connections=[{"id1": 1, "id2": {"id": 2}}]),
                             "connections[0].id2: must be a number or text, not an object"),
    "the same id twice": (_nwk(_alter(), _alter(name="Lara")), "alteri[1].id: 1 is also the id of alteri[0]"),
    "ego's name a list": (_nwk(ego={"name": ["Rosa"]}), "ego.name: must be text, not a list"),
    "version's title an object": (json.dumps({"versions": [{"title": {"de": "x"}, "nwk": {"alteri": []}}]}).encode(),
                                  "versions[0].title: must be text, not an object"),
    "current version a list": (json.dumps({"versions": [{"id": 1, "nwk": {"alteri": []}}], "currentVersion": [1]}
                                          ).encode(), "currentVersion: must be a number or text, not a list"),
    "too many people": (_nwk(*(_alter(id=i) for i in range(501))),
                        "alteri: the file has 501 people; an ecomap holds at most 500 ties"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(EASYNWK_BROKEN))
def test_an_easynwk_field_of_the_wrong_type_is_refused_with_its_place(case: str) -> None:
    data, message = EASYNWK_BROKEN[case]
    with pytest.raises(MapInvalid) as raised:
        import_bytes(data, "rosa.json")
    assert [str(p) for p in raised.value.problems] == [message]


def test_easynwk_ids_that_are_numbers_or_text_and_alteri_without_one_are_kept() -> None:
    data = _nwk(_alter(id=1.5), _alter(id="b", name="Lara"), _alter(name="Susi", id=None),
                connections=[{"id1": 1.5, "id2": "b"}])  # fmt: skip
    m = import_bytes(data, "rosa.json").map
    assert [tie.name for tie in m.ties] == ["Maria", "Lara", "Susi"]
    assert [link.between for link in m.links] == [("t1", "t2")]


#: CSV files the reader cannot take as they are, and what it says of each.
CSV_BROKEN = {
    "a cell over the csv module's limit": (b"Name,Notes\nNain,ok\nTaid," + b"x" * 200_000 + b"\n",
                                           "row 3: a cell is longer than 131,072 characters, the most Ecomap reads"),
    "the same id twice": (b"Id,Name,Knows\na,Nain,\nb,Taid,a\na,Mam,b\n",
                          "row 4, column Id: 'a' is also the id in row 2"),
    "the same column twice": (b"Name,Notes,notes\nNain,a,b\n",
                              "row 1, column 3: 'notes' is a second Notes column (the first is column 2)"),
    "an unknown column twice": (b"Name,Food,Food\nNain,a,b\n",
                                "row 1, column 3: 'Food' is a second 'Food' column (the first is column 2)"),
    "a cell past the headings": (b"Name,Role\nNain,grandmother,loves baking\n",
                                 "row 2, column 3: 'loves baking' has no heading"),
    "a cell under an empty heading": (b"Name,,Role\nNain,bakes,grandmother\n",
                                      "row 2, column 2: 'bakes' has no heading"),
    "an angle without a distance": (b"Name,Angle\nNain,30\n", "row 2, column Distance: is empty; a tie is placed "
                                    "by its Angle and Distance together"),
    "an angle that is not a number": (b"Name,Angle,Distance\nNain,north,0.5\n",
                                      "row 2, column Angle: must be a number, not 'north'"),
    "an angle that is NaN": (b"Name,Angle,Distance\nNain,nan,0.5\n",
                             "row 2, column Angle: must be a number, not 'nan'"),
    "a distance too large to be a number": (b"Name,Angle,Distance\nNain,30,1e400\n",
                                            "row 2, column Distance: must be a number, not '1e400'"),
    "a distance of 5,000 digits": (b"Name,Angle,Distance\nNain,30," + b"9" * 5000 + b"\n",
                                   f"row 2, column Distance: must be a number, not '{'9' * 39}…'"),
    "a distance past the edge": (b"Name,Angle,Distance\n\nNain,30,5\n",
                                 "row 3, column Distance: input should be less than or equal to 1"),
    "a name too long": (b"Name\n\nNain\n" + b"x" * 101 + b"\n", "row 4, column Name: is longer than 100 characters"),
    "too many rows": (b"Name\n" + b"Nain\n" * 501,
                      "the file has more than 500 rows of ties; an ecomap holds at most 500 ties"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CSV_BROKEN))
def test_a_csv_the_reader_cannot_take_is_refused_naming_the_row(case: str) -> None:
    data, message = CSV_BROKEN[case]
    with pytest.raises(MapInvalid) as raised:
        import_bytes(data, "cerys.csv")
    assert [str(p) for p in raised.value.problems] == [message]


def test_a_csv_with_old_mac_line_endings_reads_each_line_as_a_row() -> None:
    m = import_bytes(b'Name,Notes\rNain,"bakes\rsings"\rTaid,a\rb\r', "cerys.csv").map
    assert [(tie.name, tie.notes) for tie in m.ties] == [("Nain", "bakes\nsings"), ("Taid", "a"), ("b", "")]


def test_a_csv_of_a_million_rows_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(MapInvalid, match="the file has more than 500 rows of ties"):
        import_bytes(b"Name\n" + b"Nain\n" * 1_000_000, "cerys.csv")
    assert time.perf_counter() - started < 5


def test_a_csv_s_own_ids_are_never_taken_by_rows_without_one() -> None:
    m = import_bytes(b"Id,Name,Knows\n,Nain,t1\nt1,Taid,\n", "cerys.csv").map
    assert [(tie.id, tie.name) for tie in m.ties] == [("t2", "Nain"), ("t1", "Taid")]
    assert [link.key for link in m.links] == [frozenset(("t1", "t2"))]


GRAPHML_NS = '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'

#: Another tool's GraphML, one element a line: line 1 is <graphml>, then the keys, then <graph>.
OTHER = f"""{GRAPHML_NS}
<key id="c" for="node" attr.name="closeness" attr.type="string"/>
<key id="e" for="node" attr.name="is_ego" attr.type="string"/>
<key id="w" for="edge" attr.name="weight" attr.type="double"/>
<graph>
<node id="ego"><data key="e">true</data></node>
<node id="a">{{a}}</node>
{{more}}
<edge source="ego" target="a">{{edge}}</edge>
</graph></graphml>"""

#: Our own GraphML, cut down: the <graph> is on line 14, its data on 15, the ties on 16 and 17, the link on 18.
OURS = f"""{GRAPHML_NS}
<key id="v" for="graph" attr.name="ecomap_schema_version" attr.type="int"/>
<key id="i" for="graph" attr.name="ecomap_id" attr.type="string"/>
<key id="p" for="graph" attr.name="person_name" attr.type="string"/>
<key id="pl" for="graph" attr.name="plan" attr.type="string"/>
<key id="n" for="node" attr.name="name" attr.type="string"/>
<key id="s" for="node" attr.name="sector" attr.type="string"/>
<key id="a" for="node" attr.name="angle" attr.type="double"/>
<key id="d" for="node" attr.name="distance" attr.type="double"/>
<key id="st" for="node" attr.name="stressful" attr.type="{{stressful_type}}"/>
<key id="k" for="edge" attr.name="edge_kind" attr.type="string"/>
<key id="o" for="edge" attr.name="link_order" attr.type="int"/>
<key id="sl" for="edge" attr.name="stressful" attr.type="boolean"/>
<graph edgedefault="undirected">
<data key="v">{{version}}</data><data key="i">m1</data><data key="p">Alys</data><data key="pl">{{plan}}</data>
<node id="t1"><data key="n">Mam</data><data key="s">family</data>{{t1}}</node>
<node id="t2"><data key="n">Dad</data><data key="s">family</data></node>
<edge source="t1" target="t2"><data key="k">{{kind}}</data>{{edge}}</edge>
</graph></graphml>"""


def _other(a: str = "", more: str = "", edge: str = "") -> bytes:
    return OTHER.format(a=a, more=more, edge=edge).encode()


def _ours(**parts: str) -> bytes:
    fields = {"stressful_type": "boolean", "version": "2", "plan": "[]", "t1": "", "kind": "link", "edge": ""}
    return OURS.format(**{**fields, **parts}).encode()


#: GraphML the reader cannot take as it is, and what it says of each.
GRAPHML_BROKEN = {
    "a node id twice": (_other(more='<node id="a"/>'), "line 8, node 'a': another node has this id, on line 7"),
    "a node without an id": (_other(more="<node/>"), "line 8: a node with no id"),
    "closeness NaN": (_other(a='<data key="c">nan</data>'),
                      "line 7, node 'a', closeness: must be a strength (strong, moderate, tenuous, cut_off) or a "
                      "number, not 'nan'"),
    "closeness in words": (_other(a='<data key="c">very close</data>'),
                           "line 7, node 'a', closeness: must be a strength (strong, moderate, tenuous, cut_off) or a "
                           "number, not 'very close'"),
    "an infinite weight": (_other(edge='<data key="w">INF</data>'), "line 9, edge, weight: must be a number, not inf"),
    "a weight in words": (_other(edge='<data key="w">heavy</data>'),
                          "line 9, edge, weight: must be a number, not 'heavy'"),
    "our angle in words": (_ours(t1='<data key="a">north</data><data key="d">0.3</data>'),
                           "line 16, node 't1', angle: must be a number, not 'north'"),
    "our angle NaN": (_ours(t1='<data key="a">NaN</data><data key="d">0.3</data>'),
                      "line 16, node 't1', angle: must be a number, not nan"),
    "our distance of 5,000 digits": (_ours(t1=f'<data key="a">30</data><data key="d">{"9" * 5000}</data>'),
                                     "line 16, node 't1', distance: must be a number, not inf"),
    "our angle without a distance": (_ours(t1='<data key="a">30</data>'),
                                     "line 16, node 't1': has an angle but no distance"),
    "our version in words": (_ours(version="two"),
                             "line 15, graph data ecomap_schema_version: must be a format version number, not 'two'"),
    "our version of 5,000 digits": (_ours(version="9" * 5000),
                                    "line 15, graph data ecomap_schema_version: must be a format version number, "
                                    f"not '{'9' * 39}…'"),
    "our link order in words": (_ours(edge='<data key="o">first</data>'),
                                "line 18, edge, link_order: must be a whole number, not 'first'"),
    "our stressful in words": (_ours(stressful_type="string", t1='<data key="st">maybe</data>'),
                               "line 16, node 't1', stressful: must be true or false, not 'maybe'"),
    "our edge of no kind": (_ours(kind="friendship"),
                            "line 18, edge, edge_kind: must be tie or link, not 'friendship'"),
    "our plan nested too deeply": (_ours(plan="[" * 100_000),
                                   "line 15, graph data plan: the JSON is nested too deeply"),
    "our plan not JSON": (_ours(plan="[{"), "line 15, graph data plan: line 1, column 3: not valid JSON "
                                            "(Expecting property name enclosed in double quotes)"),
    "an encoding Python does not know": (b"<?xml version='1.0' encoding='tf-8'?>" + _ours(),
                                         "line 1: the file names an encoding Ecomap cannot read: save it as UTF-8"),
    "an encoding of several bytes": (b"<?xml version='1.0' encoding='shift_jis'?>" + _ours(),
                                     "line 1: the file names an encoding Ecomap cannot read: save it as UTF-8"),
    "an encoding that is no text's": (b"<?xml version='1.0' encoding='rot13'?>" + _ours(),
                                      "line 1: the file names an encoding Ecomap cannot read: save it as UTF-8"),
    "our tie too long a name": (_ours(t1="").replace(b">Mam<", b">" + b"M" * 101 + b"<"),
                                "line 16, node 't1', name: is longer than 100 characters"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(GRAPHML_BROKEN))
def test_graphml_the_reader_cannot_take_is_refused_naming_the_line(case: str) -> None:
    data, message = GRAPHML_BROKEN[case]
    with pytest.raises(MapInvalid) as raised:
        import_bytes(data, "cerys.graphml")
    assert [str(p) for p in raised.value.problems] == [message]


def test_our_graphml_reads_a_stressful_written_as_text_as_it_says() -> None:
    m = import_bytes(_ours(stressful_type="string", t1='<data key="st">false</data>'), "alys.graphml").map
    assert [tie.stressful for tie in m.ties] == [False, False]
    m = import_bytes(_ours(stressful_type="string", t1='<data key="st">True</data>'), "alys.graphml").map
    assert [tie.stressful for tie in m.ties] == [True, False]


def test_other_tools_graphml_keeps_every_node_and_its_numbers() -> None:
    m = import_bytes(_other(a='<data key="c">4</data>', more='<node id="b"/>', edge='<data key="w">2.0</data>'),
                     "cerys.graphml").map  # fmt: skip
    assert [(tie.name, tie.strength) for tie in m.ties] == [("a", "strong"), ("b", "moderate")]


def test_graphml_nested_a_hundred_thousand_deep_is_answered_quickly() -> None:
    deep = (GRAPHML_NS + "<graph>" + "<x>" * 100_000 + "</x>" * 100_000 + "</graph></graphml>").encode()
    started = time.perf_counter()
    assert import_bytes(deep, "deep.graphml").map.ties == ()
    assert time.perf_counter() - started < 5


def test_a_folder_is_refused_as_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(MapInvalid) as raised:
        import_file(tmp_path)
    assert str(raised.value) == "is a folder, not a file"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_without_reading_it(device: str, tmp_path: Path) -> None:
    link = tmp_path / "endless.csv"
    link.symlink_to(device)
    started = time.perf_counter()
    with pytest.raises(MapInvalid) as raised:
        import_file(link)
    assert str(raised.value) == "is a device, a pipe or a socket, not a file"
    assert time.perf_counter() - started < 5


def test_a_pipe_is_refused_at_once_even_with_nobody_writing_to_it(tmp_path: Path) -> None:
    fifo = tmp_path / "map.json"
    os.mkfifo(fifo)
    answers: list[BaseException | None] = []

    def importing() -> None:
        try:
            import_file(fifo)
        except BaseException as exc:
            answers.append(exc)
        else:
            answers.append(None)

    worker = threading.Thread(target=importing, daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # blocked opening the pipe: open its other end so that it ends
        with open(fifo, "wb"):
            pass
        worker.join()
    assert [str(answer) for answer in answers] == ["is a device, a pipe or a socket, not a file"]
    assert isinstance(answers[0], MapInvalid)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("deep.json", b"[" * 100_000, "the JSON is nested too deeply"),
        ("crowd.json", _nwk(*(_alter(id=i) for i in range(60_000))), "alteri: the file has 60,000 people"),
        ("crowd.csv", b"Name\n" + b"Nain\n" * 1_000_000, "the file has more than 500 rows of ties"),
        ("edges.graphml", (GRAPHML_NS + "<graph>" + "<edge/>" * 700_000 + "</graph></graphml>").encode(),
         f"line 1: the file holds more than {graphml.MAX_ELEMENTS:,} XML elements, more than Ecomap reads"),
        ("elements.graphml", (GRAPHML_NS + "<graph>" + "<x/>" * 1_200_000 + "</graph></graphml>").encode(),
         "XML elements, more than Ecomap reads"),
    ],
)  # fmt: skip
def test_a_huge_or_deep_file_of_under_5_mb_is_refused_in_well_under_5_seconds(
    name: str, data: bytes, message: str
) -> None:
    assert len(data) <= MAX_FILE_BYTES
    started = time.perf_counter()
    with pytest.raises(MapInvalid) as raised:
        import_bytes(data, name)
    assert message in str(raised.value)
    assert time.perf_counter() - started < 3


def test_a_file_with_many_problems_reports_the_first_and_how_many_more() -> None:
    data = b"Name,Strength\n" + b"Nain,very\n" * 100
    with pytest.raises(MapInvalid) as raised:
        import_bytes(data, "cerys.csv")
    said = [str(p) for p in raised.value.problems]
    assert len(said) == MAX_PROBLEMS
    assert said[0] == "row 2, column Strength: 'very' is not one of strong, moderate, tenuous, cut_off"
    assert said[-1] == f"and {100 - MAX_PROBLEMS + 1} more problems"
