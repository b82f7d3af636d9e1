"""The map format: defaults, validation messages that name the place, text rules, versions."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from ecomap.errors import MapInvalid, UnsupportedVersion
from ecomap.model import (
    MAX_FILE_BYTES,
    NAME_MAX,
    SCHEMA_VERSION,
    EcoMap,
    Tie,
    dumps,
    loads,
    new_map,
    read_map,
    upgrade,
)
from tests.conftest import alys, document


def problems_of(doc: object) -> list[str]:
    with pytest.raises(MapInvalid) as caught:
        EcoMap.from_dict(doc)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_round_trip_is_exact() -> None:
    m = alys()
    assert EcoMap.from_dict(m.to_dict()) == m
    assert loads(dumps(m)) == m


def test_defaults_fill_every_optional_field() -> None:
    m = EcoMap.from_dict(
        {
            "schema_version": 1,
            "id": "m",
            "person": {"name": "Cai"},
            "ties": [{"id": "t1", "name": "Nain", "sector": "family"}],
        }
    )
    tie = m.ties[0]
    assert (tie.kind, tie.role, tie.strength, tie.stressful, tie.flow) == ("person", "", "moderate", False, "none")
    assert (tie.support, tie.frequency, tie.status, tie.own_words, tie.notes, tie.position) == (
        None,  # support not asked yet
        None,
        "current",
        "",
        "",
        None,
    )
    assert m.person.what_matters == () and m.links == () and m.plan == ()
    assert m.created.tzinfo is not None


def tie_with(**fields: object) -> dict[str, object]:
    return document(ties=[{"id": "t1", "name": "Mam", "sector": "family", **fields}], links=[], plan=[])


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            tie_with(strength="strongest"),
            "ties[0].strength: 'strongest' is not one of strong, moderate, tenuous, cut_off",
        ),
        (tie_with(sector="friends"), "ties[0].sector: 'friends' is not one of family, community, services"),
        (tie_with(flow="in"), "ties[0].flow: 'in' is not one of to_person, from_person, both, none"),
        (
            tie_with(support=["money"]),
            "ties[0].support[0]: 'money' is not one of emotional, practical, information, social",
        ),
        (tie_with(support=["social", "social"]), "ties[0].support: lists the same value more than once"),
        (tie_with(frequency="hourly"), "ties[0].frequency: 'hourly' is not one of daily, weekly, monthly, rarely"),
        (tie_with(status="gone"), "ties[0].status: 'gone' is not one of current, hoped_for, past"),
        (tie_with(kind="robot"), "ties[0].kind: 'robot' is not one of person, group, organisation, place, pet"),
        (tie_with(stressful="yes"), "ties[0].stressful: input should be a valid boolean"),
        (tie_with(colour="red"), "ties[0].colour: is not a field of the map format"),
        (
            tie_with(position={"angle": 10, "distance": 1.5}),
            "ties[0].position.distance: input should be less than or equal to 1",
        ),
        (tie_with(name=""), "ties[0].name: must not be empty"),
        (tie_with(name="   "), "ties[0].name: must not be empty"),
        (tie_with(name="x" * (NAME_MAX + 1)), f"ties[0].name: is longer than {NAME_MAX} characters"),
        (tie_with(name="Mam\nDad"), "ties[0].name: contains a line break, which is not allowed here"),
        (tie_with(notes="bell\x07"), "ties[0].notes: contains a control character (U+0007), which is not allowed here"),
        (tie_with(id="t 1"), "ties[0].id: 't 1' is not a valid id (letters, digits and _ . : - only, up to 64)"),
        (tie_with(name=7), "ties[0].name: input should be a valid string"),
        (document(person={}), "person.name: is required"),
        (
            document(person={"name": "A", "language": "Welsh"}),
            "person.language: 'Welsh' is not a language code such as 'cy' or 'en'",
        ),
        (document(extra=1), "extra: is not a field of the map format"),
        (document(ties=[{"id": "t1", "name": "Mam"}], links=[], plan=[]), "ties[0].sector: is required"),
        (document(links=[{"between": ["t1", "t9"]}]), "links[0].between[1]: there is no tie with the id 't9'"),
        (document(links=[{"between": ["t1", "t1"]}]), "links[0].between: a link joins two different ties"),
        (
            document(links=[{"between": ["t1", "t2"]}, {"between": ["t2", "t1"]}]),
            "links[1]: the same two ties are linked twice",
        ),
        (document(plan=[{"id": "a1", "action": "Call", "tie": "t7"}]), "plan[0].tie: there is no tie with the id 't7'"),
        (document(plan=[{"id": "a1", "action": ""}]), "plan[0].action: must not be empty"),
        ({"id": "m", "person": {"name": "A"}}, "schema_version: is required"),
        (document(schema_version="1"), "schema_version: '1' is not a format version number"),
        ([1, 2], "a map must be a JSON object"),
    ],
)
def test_bad_documents_are_refused_with_the_place_named(doc: object, expected: str) -> None:
    assert expected in problems_of(doc)


def test_duplicate_tie_ids_are_named() -> None:
    ties = [{"id": "t1", "name": "Mam", "sector": "family"}, {"id": "t1", "name": "Dad", "sector": "family"}]
    assert problems_of(document(ties=ties, links=[], plan=[])) == ["ties[1].id: the id 't1' is used by another tie"]


def test_every_problem_is_reported_not_just_the_first() -> None:
    doc = document(ties=[{"id": "t1", "name": "", "sector": "x", "strength": "y"}], links=[], plan=[])
    assert len(problems_of(doc)) == 3


def test_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Siân Tŷ Isa")
    assert decomposed != "Siân Tŷ Isa"
    m = EcoMap.from_dict(tie_with(name=decomposed, own_words=decomposed))
    assert m.ties[0].name == "Siân Tŷ Isa"
    assert m.ties[0].own_words == "Siân Tŷ Isa"


def test_line_breaks_are_kept_in_notes_and_own_words() -> None:
    m = EcoMap.from_dict(tie_with(notes="first\r\nsecond", own_words="one\ntwo"))
    assert m.ties[0].notes == "first\nsecond"
    assert m.ties[0].own_words == "one\ntwo"


def test_angles_wrap_into_one_turn() -> None:
    m = EcoMap.from_dict(tie_with(position={"angle": -90, "distance": 0.5}))
    assert m.ties[0].position is not None and m.ties[0].position.angle == 270.0


def test_a_newer_format_version_says_so() -> None:
    with pytest.raises(UnsupportedVersion) as caught:
        EcoMap.from_dict(document(schema_version=SCHEMA_VERSION + 1))
    assert f"format version {SCHEMA_VERSION + 1}" in str(caught.value)
    assert "update Ecomap" in str(caught.value)


def test_older_versions_are_upgraded_one_step_at_a_time() -> None:
    seen: list[int] = []

    def step(n: int):  # type: ignore[no-untyped-def]
        def upgrade_step(doc: dict) -> dict:  # type: ignore[type-arg]
            seen.append(n)
            return {**doc, "schema_version": n + 1, f"from_{n}": True}

        return upgrade_step

    result = upgrade({"schema_version": 1}, steps={1: step(1), 2: step(2)}, target=3)
    assert seen == [1, 2]
    assert result == {"schema_version": 3, "from_1": True, "from_2": True}


def test_an_older_version_with_no_upgrade_is_refused() -> None:
    with pytest.raises(UnsupportedVersion, match="version 0 is not one this release can upgrade"):
        EcoMap.from_dict(document(schema_version=0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"schema_version": 1,\n "id": }', "line 2, column 8: not valid JSON"),
        ('{"schema_version": 1, "schema_version": 1}', "the field 'schema_version' appears twice in one object"),
        (b"\xff\xfe{}", "the file is not UTF-8 text"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_json_is_located(text: str | bytes, expected: str) -> None:
    with pytest.raises(MapInvalid) as caught:
        loads(text)
    assert expected in str(caught.value)


def test_a_byte_order_mark_is_accepted() -> None:
    assert loads(b"\xef\xbb\xbf" + dumps(alys()).encode()) == alys()


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(MapInvalid, match="larger than"):
        read_map(path)


def test_a_map_file_as_large_as_an_import_is_read(tmp_path: Path) -> None:
    m = alys().replace(title="x" * 100)
    path = tmp_path / "padded.json"
    text = dumps(m)
    path.write_text(text[:-2] + " " * (3 * 1024 * 1024) + text[-2:], encoding="utf-8")  # 3 MB, under the one limit
    assert read_map(path) == m


def test_a_device_that_never_ends_is_refused_before_it_is_read() -> None:
    with pytest.raises(MapInvalid, match=r"^is a device, a pipe or a socket, not a file$"):
        read_map("/dev/zero")


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(MapInvalid, match="No such file"):
        read_map(tmp_path / "absent.json")


def test_with_tie_adds_and_replaces_and_validates() -> None:
    m = alys().with_tie({"id": "t9", "name": "Beti", "sector": "community"})
    assert m.tie("t9").name == "Beti"
    m2 = m.with_tie(Tie(id="t9", name="Beti drws nesaf", sector="community"))
    assert [t.name for t in m2.ties].count("Beti drws nesaf") == 1
    with pytest.raises(MapInvalid):
        m.with_tie({"id": "t10", "name": "", "sector": "community"})


def test_without_tie_removes_its_links_and_plan_references() -> None:
    m = alys().without_tie("t2")
    assert [t.id for t in m.ties] == ["t1", "t3"]
    assert m.links == ()
    assert m.plan[0].tie is None


def test_maps_are_immutable() -> None:
    m = alys()
    with pytest.raises(ValueError, match="frozen"):
        m.title = "changed"  # type: ignore[misc]


def test_new_map_has_a_fresh_id_and_no_ties() -> None:
    a, b = new_map("Rhys"), new_map("Rhys")
    assert a.id != b.id and a.ties == ()


def test_dumps_writes_welsh_letters_as_themselves() -> None:
    text = dumps(EcoMap.from_dict(tie_with(name="Dei Tŷ Isa")))
    assert "Tŷ" in text
    assert json.loads(text)["ties"][0]["name"] == "Dei Tŷ Isa"


# -- format version 2: support with its direction ------------------------------------------------

V1_SUPPORT = [
    # (version 1 flow, version 1 kinds) -> (version 2 support, derived flow, the person gets, gives)
    ("to_person", ["emotional"], {"emotional": "gets"}, "to_person", ("emotional",), ()),
    ("from_person", ["practical", "emotional"], {"emotional": "gives", "practical": "gives"}, "from_person", (),
     ("emotional", "practical")),
    ("both", ["social"], {"social": "both"}, "both", ("social",), ("social",)),
    ("none", ["information"], {"information": "gets"}, "to_person", ("information",), ()),  # v1: the tie gave it
    ("none", [], None, "none", (), ()),  # nothing recorded: not asked yet
]  # fmt: skip


@pytest.mark.parametrize(("flow", "kinds", "support", "derived", "gets", "gives"), V1_SUPPORT)
def test_a_version_1_map_upgrades_to_the_same_meaning(
    flow: str, kinds: list[str], support: dict[str, str] | None, derived: str, gets: tuple[str, ...],
    gives: tuple[str, ...],
) -> None:  # fmt: skip
    v1_tie = {"id": "t1", "name": "Mam", "sector": "family", "flow": flow, "support": kinds}
    tie = EcoMap.from_dict(document(links=[], plan=[], ties=[v1_tie])).tie("t1")
    assert (tie.support, tie.flow, tie.gets, tie.gives) == (support, derived, gets, gives)


@pytest.mark.parametrize("flow", ["to_person", "from_person", "both"])
def test_a_version_1_flow_without_kinds_is_kept_in_the_notes(flow: str) -> None:
    v1_tie = {"id": "t1", "name": "Mam", "sector": "family", "flow": flow, "notes": "Rings on Sundays"}
    tie = EcoMap.from_dict(document(links=[], plan=[], ties=[v1_tie])).tie("t1")
    assert tie.support is None
    assert tie.notes.startswith("Rings on Sundays\n") and "kinds were not recorded" in tie.notes


def test_a_version_2_map_is_written_as_version_2_and_reads_back_the_same() -> None:
    m = alys().with_tie_fields("t1", support={"practical": "gives", "emotional": "both"})
    document_2 = m.to_dict()
    assert document_2["schema_version"] == SCHEMA_VERSION == 2
    assert document_2["ties"][0]["support"] == {"emotional": "both", "practical": "gives"}  # in the table's order
    assert "flow" not in document_2["ties"][0]
    assert loads(dumps(m)) == m


def test_not_asked_and_none_either_way_are_different_and_both_survive_a_round_trip() -> None:
    unasked = alys().with_tie_fields("t1", support=None)
    none = alys().with_tie_fields("t1", support={})
    assert unasked.tie("t1").support is None and not unasked.tie("t1").support_asked
    assert none.tie("t1").support == {} and none.tie("t1").support_asked
    assert loads(dumps(unasked)) == unasked and loads(dumps(none)) == none
    assert "support" not in unasked.to_dict()["ties"][0]


@pytest.mark.parametrize(
    ("support", "expected"),
    [
        ({"money": "gets"}, "ties[0].support.money"),
        ({"emotional": "takes"}, "ties[0].support.emotional"),
        (["emotional"], "ties[0].support"),
    ],
)
def test_a_version_2_support_that_is_not_a_kind_and_a_direction_is_refused_with_its_place(
    support: object, expected: str
) -> None:
    doc = {"schema_version": 2, "id": "m", "person": {"name": "Cai"},
           "ties": [{"id": "t1", "name": "Nain", "sector": "family", "support": support}]}  # fmt: skip
    with pytest.raises(MapInvalid) as caught:
        EcoMap.from_dict(doc)
    assert any(str(p).startswith(expected) for p in caught.value.problems), caught.value.problems


def test_the_record_and_the_persons_age_are_optional_and_kept() -> None:
    m = alys().with_person(date_of_birth="2011-05-04", age=15).replace(
        record={"case_reference": "CYP-1", "practitioner": "Owain Jenkins", "present": ["Megan", "Mam"],
                "met_on": "2026-11-30", "read_back_agreed": True, "review_on": "2027-02-28"})  # fmt: skip
    again = loads(dumps(m))
    assert again == m
    assert (str(again.person.date_of_birth), again.person.age, again.record.present) == (
        "2011-05-04",
        15,
        ("Megan", "Mam"),
    )
    assert alys().record.read_back_agreed is None and alys().person.age is None  # nothing invented
    with pytest.raises(MapInvalid, match=r"person\.age"):
        alys().with_person(age=200)


# -- text rules: one place refuses what could not be written or would show as something else -------

REFUSED_CHARACTERS = [
    ("\ud800", "unpaired surrogate"),
    ("\udfff", "unpaired surrogate"),
    ("\u202e", "bidirectional control"),
    ("\u202a", "bidirectional control"),
    ("\u2066", "bidirectional control"),
    ("\u2069", "bidirectional control"),
    ("\u200f", "bidirectional control"),
    ("\u061c", "bidirectional control"),
    ("\u200b", "invisible character"),
    ("\ufeff", "invisible character"),
    ("\u0007", "control character"),
]
TEXT_FIELDS = [
    ("ties[0].name", lambda text: alys().with_tie_fields("t1", name=f"Mam{text}")),
    ("ties[0].notes", lambda text: alys().with_tie_fields("t1", notes=f"Rings{text} on Sundays")),
    ("ties[0].own_words", lambda text: alys().with_tie_fields("t1", own_words=text)),
    ("ties[0].role", lambda text: alys().with_tie_fields("t1", role=f"mum{text}")),
    ("person.name", lambda text: alys().with_person(name=f"Alys{text}")),
    ("person.strengths[0]", lambda text: alys().with_person(strengths=[f"Cook{text}"])),
    ("plan[0].action", lambda text: alys().with_plan_fields("a1", action=f"Ring{text}")),
    ("record.practitioner", lambda text: alys().with_record(practitioner=f"Owain{text}")),
]


@pytest.mark.parametrize(("char", "what"), REFUSED_CHARACTERS, ids=[f"U+{ord(c):04X}" for c, _ in REFUSED_CHARACTERS])
@pytest.mark.parametrize(("where", "change"), TEXT_FIELDS, ids=[where for where, _ in TEXT_FIELDS])
def test_a_character_that_is_not_text_or_hides_what_text_says_is_refused_with_its_place(
    char: str, what: str, where: str, change: Any
) -> None:
    with pytest.raises(MapInvalid) as caught:
        change(char)
    (problem,) = caught.value.problems
    assert problem.where == where and what in problem.message and f"U+{ord(char):04X}" in problem.message


def test_an_unpaired_surrogate_in_a_json_file_is_refused_before_anything_is_written() -> None:
    text = dumps(alys()).replace('"Mam"', '"Mam\\ud800"')
    with pytest.raises(MapInvalid, match="unpaired surrogate"):
        loads(text)


@pytest.mark.parametrize(
    "name",
    [
        "👩‍👧 Mam and me",  # a zero-width joiner builds the emoji
        "🏴󠁧󠁢󠁷󠁬󠁳󠁿 Côr Cymru",  # the flag of Wales is built from tag characters
        "Siân ap Rhys-Ŵynn",
        "مريم",  # right-to-left letters are text, not controls
        "שרה",
        "Ella\u200cTomás",  # a zero-width non-joiner shapes some scripts
    ],
)
def test_emoji_welsh_and_right_to_left_names_are_text(name: str) -> None:
    assert loads(dumps(alys().with_tie_fields("t1", name=name))).tie("t1").name == name
