"""The versions page (pages/history.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys
from tests.pages.conftest import history_page, shown


def test_the_versions_page_compares_names_and_restores(database: Store) -> None:
    database.add_person(LOCAL_USER, alys())
    better = alys().with_tie(alys().tie("t3").model_copy(update={"stressful": False}))
    database.save(LOCAL_USER, better, expected_version=1)
    at = history_page(alys().id).run()
    assert not at.exception
    said = " ".join(shown(block.value) for block in at.markdown)
    assert "The tie with Meddygfa is no longer stressful." in said
    assert "Alys has a stressful tie" not in said

    at.selectbox(key="name_version").set_value(1)
    at.text_input(key="name_text").input("first conversation")
    at.button(key="FormSubmitter:name_a_version-Name this version").click().run()
    assert not at.exception
    assert [v.label for v in database.versions(LOCAL_USER, alys().id)] == ["first conversation", ""]

    at.selectbox(key="compare_from").set_value(1).run()
    at.button(key="restore").click().run()
    assert not at.exception
    assert [v.version for v in database.versions(LOCAL_USER, alys().id)] == [1, 2, 3]
    assert database.open(LOCAL_USER, alys().id).map == alys()
    assert "Version 1 is the current map again" in at.success[0].value
