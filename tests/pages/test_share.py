"""The share page (pages/share.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys
from tests.pages.conftest import people_page


def test_the_share_page_offers_every_format(database: Store) -> None:
    database.add_person(LOCAL_USER, alys())
    at = people_page().switch_page("pages/share.py")
    at.query_params["map"] = alys().id
    at.run()
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    assert len(labels) == 8 and "Assessment attachment (PDF)" in labels
