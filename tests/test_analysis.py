"""Measures against hand-computed values, and every finding firing and not firing."""

from __future__ import annotations

from typing import Any

import pytest

from ecomap.analysis import FINDING_TYPES, THRESHOLDS, analyse, findings, measures
from ecomap.examples import example_maps
from ecomap.i18n import translator
from ecomap.model import SCHEMA_VERSION, EcoMap


def tie(tie_id: str, sector: str = "family", **fields: Any) -> dict[str, Any]:
    return {"id": tie_id, "name": fields.pop("name", f"Name {tie_id}"), "sector": sector, **fields}


def make(*ties: dict[str, Any], links: list[list[str]] | None = None, strengths: list[str] | None = None) -> EcoMap:
    return EcoMap.from_dict(
        {
            "schema_version": SCHEMA_VERSION,
            "id": "m",
            "person": {"name": "Alys Pritchard", "preferred_name": "Alys", "strengths": strengths or []},
            "ties": list(ties),
            "links": [{"between": pair} for pair in links or []],
        }
    )


def ids(m: EcoMap) -> set[tuple[str, str | None]]:
    return {(f.id, f.tie) for f in findings(m)}


# A map where every current tie is well: strong, mutual, frequent, all support, in family and community.
def balanced(**extra: dict[str, Any]) -> EcoMap:
    everything = {kind: "both" for kind in ("emotional", "practical", "information", "social")}
    return make(
        tie("t1", "family", strength="strong", frequency="daily", support=everything),
        tie("t2", "community", strength="strong", frequency="weekly", support=everything),
        tie("t3", "community", strength="moderate", frequency="weekly", support={"social": "both"}),
        *extra.values(),
    )


FIRING: list[tuple[str, EcoMap, tuple[str, str | None]]] = [
    ("strong-tie", balanced(), ("strong-tie", "t1")),
    ("mutual-support", balanced(), ("mutual-support", "t3")),
    ("community-connection", balanced(), ("community-connection", "t3")),
    ("personal-strength", make(tie("t1"), strengths=["Great cook"]), ("personal-strength", None)),
    ("hoped-for-tie", balanced(x=tie("t9", "community", status="hoped_for")), ("hoped-for-tie", "t9")),
    ("empty-sector", make(tie("t1", "family"), tie("t2", "services")), ("empty-sector", None)),
    ("few-ties", make(tie("t1"), tie("t2", "community")), ("few-ties", None)),
    (
        "service-heavy",
        make(tie("t1"), tie("t2", "services"), tie("t3", "services"), tie("t4", "community")),
        ("service-heavy", None),
    ),
    ("no-strong-tie", make(tie("t1", strength="moderate")), ("no-strong-tie", None)),
    ("single-strong-tie", make(tie("t1", strength="strong"), tie("t2")), ("single-strong-tie", "t1")),
    ("stressful-tie", balanced(x=tie("t4", stressful=True)), ("stressful-tie", "t4")),
    ("one-way-giving", balanced(x=tie("t4", support={"practical": "gives"})), ("one-way-giving", "t4")),
    ("support-missing", make(tie("t1", support={"social": "gets"})), ("support-missing", None)),
    ("infrequent-contact", make(tie("t1", frequency="monthly"), tie("t2")), ("infrequent-contact", None)),
]

NOT_FIRING: list[tuple[str, EcoMap]] = [
    ("strong-tie", make(tie("t1", strength="moderate"), tie("t2", strength="strong", status="past"))),
    (
        "mutual-support",
        make(
            tie("t1", support={"practical": "gets"}),
            tie("t2", support={"emotional": "both"}, status="hoped_for"),
            tie("t3", support={"emotional": "both"}, strength="cut_off"),
        ),
    ),
    ("community-connection", make(tie("t1", "community", strength="tenuous"), tie("t2", "services"))),
    ("personal-strength", make(tie("t1"))),
    ("hoped-for-tie", balanced()),
    ("empty-sector", balanced()),
    ("few-ties", balanced()),
    ("service-heavy", make(tie("t1"), tie("t2", "community"), tie("t3", "services"))),
    ("no-strong-tie", balanced()),
    ("no-strong-tie", make()),  # nothing on the map yet: few-ties says it, not this
    ("single-strong-tie", balanced()),
    ("stressful-tie", balanced(x=tie("t4", stressful=True, status="past"))),
    ("one-way-giving", balanced()),
    ("support-missing", balanced()),
    ("support-missing", make()),
    ("infrequent-contact", balanced()),
]


def test_every_finding_type_is_tested_firing_and_not_firing() -> None:
    assert {name for name, _, _ in FIRING} == set(FINDING_TYPES)
    assert {name for name, _ in NOT_FIRING} == set(FINDING_TYPES)


@pytest.mark.parametrize(("name", "m", "expected"), FIRING, ids=[f[0] for f in FIRING])
def test_finding_fires(name: str, m: EcoMap, expected: tuple[str, str | None]) -> None:
    assert expected in ids(m)


@pytest.mark.parametrize(("name", "m"), NOT_FIRING, ids=[f[0] for f in NOT_FIRING])
def test_finding_does_not_fire(name: str, m: EcoMap) -> None:
    assert name not in {finding_id for finding_id, _ in ids(m)}


def test_parameters_say_which_sector_and_which_support() -> None:
    m = make(tie("t1", "family", support={"social": "gets", "practical": "gets", "information": "both"}))
    params = {(f.id, tuple(sorted(f.params.items()))) for f in findings(m)}
    assert ("empty-sector", (("sector", "community"),)) in params
    assert ("support-missing", (("support", "emotional"),)) in params
    assert ("few-ties", (("n", THRESHOLDS["few_ties"]),)) in params


def test_assets_come_first_and_are_named_specifically() -> None:
    found = findings(example_maps()[0])
    kinds = [f.kind for f in found]
    assert kinds == sorted(kinds)  # "asset" < "gap"
    assert "Siân and Alys support each other every day." in [f.text for f in found]


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.name)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_deficit_words_in_any_sentence(m: EcoMap, language: str) -> None:
    for finding in findings(m, t=translator(language)):
        lowered = finding.text.lower()
        for word in ("isolated", "lacks", "lack of", "deficit", "fails", "failed", "poor", "unable"):
            assert word not in lowered, finding.text


def test_sentences_are_in_the_chosen_language() -> None:
    m = make(tie("t1", "family", strength="strong", support={"emotional": "both"}, frequency="daily", name="Mam"))
    welsh = [f.text for f in findings(m, t=translator("cy"))]
    assert welsh[0] == "Mae gan Alys gysylltiad cryf â Mam."
    assert any("cymuned" in text for text in welsh)


# -- measures, computed by hand -------------------------------------------------------------------


def test_measures_of_a_small_map() -> None:
    m = make(
        tie("t1", "family", strength="strong", support={"emotional": "both", "practical": "both"}, stressful=True),
        tie("t2", "family", support={"practical": "gets"}),
        tie("t3", "community", support={}),
        tie("t4", "services", support={"information": "gives", "social": "gives"}),
        tie("t5", "community", status="hoped_for", support={"emotional": "both"}),
        links=[["t1", "t2"], ["t2", "t3"], ["t1", "t5"]],
    )
    assert measures(m) == {
        "size": 4,
        "size_by_sector": {"family": 2, "community": 1, "services": 1},
        "informal_share": 0.75,
        "strong_count": 1,
        "stressful_share": 0.25,
        "reciprocity": round(1 / 3, 4),  # t1 of t1, t2, t4 (no support goes between t3 and the person)
        "multiplexity": 0.5,  # t1 and t4
        "support_received": {"emotional": 1, "practical": 2, "information": 0, "social": 0},
        "support_given": {"emotional": 1, "practical": 1, "information": 1, "social": 1},
        "reciprocity_by_kind": {"emotional": 1.0, "practical": 0.5, "information": 0.0, "social": 0.0},
        "density": 0.3333,  # 2 links among current ties of 6 possible pairs (t1-t5 leaves t5, hoped for)
        "isolates": ["t4"],
    }


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        (
            make(),
            {
                "size": 0,
                "informal_share": None,
                "stressful_share": None,
                "reciprocity": None,
                "multiplexity": None,
                "density": None,
                "isolates": [],
            },
        ),
        (
            make(tie("t1", support={"emotional": "both"})),
            {"size": 1, "informal_share": 1.0, "reciprocity": 1.0, "density": None, "isolates": ["t1"]},
        ),
        (
            make(tie("t1", "services"), tie("t2", "services"), links=[["t1", "t2"]]),
            {"size": 2, "informal_share": 0.0, "density": 1.0, "isolates": [], "reciprocity": None},
        ),
        (
            make(tie("t1", status="hoped_for"), tie("t2", status="hoped_for")),
            {"size": 0, "density": None, "strong_count": 0, "isolates": []},
        ),
    ],
    ids=["no ties", "one tie", "all services", "only hoped-for ties"],
)
def test_measures_at_the_edges(m: EcoMap, expected: dict[str, Any]) -> None:
    got = measures(m)
    assert {key: got[key] for key in expected} == expected


def test_analysis_leaves_the_map_alone_and_is_json_ready() -> None:
    import json

    m = example_maps()[1]
    before = m.to_dict()
    result = analyse(m)
    assert m.to_dict() == before
    assert json.loads(json.dumps(result)) == result
    assert {f["id"] for f in result["findings"]} <= set(FINDING_TYPES)
