"""The caseload page (pages/caseload.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from ecomap.examples import example_maps, load_examples
from ecomap.store import LOCAL_USER, Store
from tests.pages.conftest import people_page


def test_the_caseload_page_counts_patterns_and_names_nobody(database: Store) -> None:
    load_examples(database, LOCAL_USER)
    at = people_page().switch_page("pages/caseload.py").run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["3", "15.3"]  # 46 current ties among three people
    assets, gaps = (frame.value for frame in at.dataframe)
    assert dict(zip(assets["Pattern"], assets["People"], strict=True))["At least one strong tie"] == 3
    shown_text = " ".join(
        [*map(str, assets.to_numpy().ravel()), *map(str, gaps.to_numpy().ravel())] + [m.label for m in at.metric]
    )
    assert not any(m.person.name.split()[0] in shown_text for m in example_maps())
    assert [e.action for e in database.audit(LOCAL_USER)].count("caseload") == 1
    assert "open" not in [e.action for e in database.audit(LOCAL_USER)]


def test_an_empty_caseload_says_so(database: Store) -> None:
    at = people_page().switch_page("pages/caseload.py").run()
    assert not at.exception
    assert "Nobody is here yet" in at.info[0].value
