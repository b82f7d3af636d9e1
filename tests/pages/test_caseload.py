"""The caseload page (pages/caseload.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from ecomap.access import Role
from ecomap.caseload import PATTERNS, caseload_of, count_text
from ecomap.examples import example_maps, generated_map, load_examples
from ecomap.i18n import translator
from ecomap.model import EcoMap, new_map
from ecomap.store import LOCAL_USER, Store
from tests.pages.conftest import people_page
from tests.pages.team_mode import signed_in, user


def caseload_page() -> AppTest:
    return people_page().switch_page("pages/caseload.py")


def six_maps() -> list[EcoMap]:
    return [*example_maps(), *(generated_map(2 + 4 * i, seed=i) for i in range(3))]


def chart_data(at: AppTest) -> pd.DataFrame:
    """The data of the page's one chart (AppTest knows Streamlit's charts only as their message)."""
    (chart,) = at.main.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["mark"]["type"] == "bar"
    (dataset,) = chart.proto.datasets
    return convert_arrow_bytes_to_pandas_df(dataset.data.data)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_caseload_page_counts_the_patterns_and_figures_and_names_nobody(database: Store) -> None:
    maps = six_maps()
    for m in maps:
        database.add_person(LOCAL_USER, m)
    expected = caseload_of(maps)
    at = caseload_page().run()
    assert not at.exception
    assert metrics(at) == {
        "People with a map": "6",
        "Maps changed since their last named review": "fewer than 5",
        "Maps with no named review yet": "6",
        "Ties on a map, on average": f"{expected.mean_ties:.1f}",
        "Ties on a map, the median": f"{expected.median_ties:g}",
    }
    assets, gaps = (frame.value for frame in at.dataframe)
    table = pd.concat([assets, gaps])
    en = translator("en")
    assert list(table["People"]) == [count_text(expected.counts[pid], en) for pid in PATTERNS]
    for pid, people, share in zip(PATTERNS, table["People"], table["Share"], strict=True):
        assert (share is None or pd.isna(share)) == (people == "fewer than 5"), pid
    assert "fewer than 5" in set(table["People"]) and "6" in set(table["People"])
    rings = chart_data(at)
    assert list(rings["Ring"]) == ["Family", "Community", "Services"]
    assert list(rings["Share of ties (%)"]) == [
        round(100 * expected.sector_share(sector)) for sector in ("family", "community", "services")
    ]
    shown_text = " ".join([*map(str, table.to_numpy().ravel()), *metrics(at).values(), *(c.value for c in at.caption)])
    assert not any(m.person.name.split()[0] in shown_text for m in maps)
    assert [e.action for e in database.audit(LOCAL_USER)].count("caseload") == 1
    assert "open" not in [e.action for e in database.audit(LOCAL_USER)]


def test_a_ring_with_fewer_than_five_ties_is_left_out_of_the_chart_and_said_so(database: Store) -> None:
    for n in range(5):
        m = new_map(f"Person {n}").with_tie({"id": "t1", "name": "Mam", "sector": "family", "strength": "strong"})
        database.add_person(LOCAL_USER, m.with_tie({"id": "t2", "name": "Choir", "sector": "community"}))
    database.add_person(
        LOCAL_USER, new_map("Person 5").with_tie({"id": "t1", "name": "GP", "sector": "services", "kind": "place"})
    )
    at = caseload_page().run()
    assert not at.exception
    assert list(chart_data(at)["Ring"]) == ["Family", "Community"]
    assert "Left out of the chart, with fewer than 5 ties: Services." in [c.value for c in at.caption]


def test_only_the_records_of_the_teams_one_leads_are_counted(database: Store) -> None:
    load_examples(database, LOCAL_USER)
    elsewhere = database.create_team(LOCAL_USER, "Another team")
    database.add_member(LOCAL_USER, elsewhere.id, LOCAL_USER.id, Role.PRACTITIONER)  # a member, not its lead
    for m in six_maps()[3:]:
        database.add_person(LOCAL_USER, m, team_id=elsewhere.id)
    at = caseload_page().run()
    assert not at.exception
    assert metrics(at)["People with a map"] == "fewer than 5"  # the three of "This machine" only


def test_with_fewer_than_five_people_only_that_is_said(database: Store) -> None:
    load_examples(database, LOCAL_USER)
    at = caseload_page().run()
    assert not at.exception
    assert metrics(at) == {
        "People with a map": "fewer than 5",
        "Maps changed since their last named review": "fewer than 5",
        "Maps with no named review yet": "fewer than 5",
    }
    assert "once 5 or more people have a map" in at.info[0].value
    assert not at.dataframe and not at.main.get("vega_lite_chart")


def test_a_practitioner_who_is_not_a_lead_is_told_plainly(database: Store) -> None:
    load_examples(database, LOCAL_USER)
    database.add_member(LOCAL_USER, "local", "cai@example.org", Role.PRACTITIONER)
    at = signed_in(caseload_page(), "cai", "cai@example.org", "Cai").run()
    assert not at.exception
    assert [i.value for i in at.info] == ["The caseload is for team leads: it counts the maps of the teams they lead."]
    assert not at.metric and not at.dataframe
    cai = user("cai", "cai@example.org", "Cai")
    refused = [e for e in database.search_audit(LOCAL_USER, user_id=cai.id) if e.action == "denied"]
    assert [e.detail for e in refused] == ["caseload"]


def test_a_lead_signed_in_sees_their_teams_caseload(database: Store) -> None:
    for m in six_maps():
        database.add_person(LOCAL_USER, m)
    database.add_member(LOCAL_USER, "local", "mari@example.org", Role.LEAD)
    at = signed_in(caseload_page(), "mari", "mari@example.org", "Mari").run()
    assert not at.exception
    assert metrics(at)["People with a map"] == "6"


def test_an_empty_caseload_says_so(database: Store) -> None:
    at = caseload_page().run()
    assert not at.exception
    assert "Nobody is here yet" in at.info[0].value
