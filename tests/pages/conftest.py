"""What the page tests share: a temporary database, each page ready to run in AppTest, and readers of what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecomap.store import DATABASE_URL_VARIABLE, LOCAL_USER, Store
from tests.conftest import alys

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    store = Store.from_url(url)
    store.migrate()
    return store


def people_page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)


def map_page(map_id: str) -> AppTest:
    at = people_page().switch_page("pages/map.py")
    at.query_params["map"] = map_id
    return at


def history_page(map_id: str) -> AppTest:
    at = people_page().switch_page("pages/history.py")
    at.query_params["map"] = map_id
    return at


def opened_on_map(database: Store) -> tuple[AppTest, str]:
    opened = database.add_person(LOCAL_USER, alys())
    return map_page(opened.map.id).run(), opened.map.id


def open_record(at: AppTest) -> AppTest:
    """Open "For the record" beside the map (its fields are drawn only while it is open)."""
    from ui.person_panel import RECORD_KEY

    at.session_state[RECORD_KEY] = True
    return at.run()


def shown(markdown: str) -> str:
    """Markdown source as a reader sees it (escapes removed)."""
    return markdown.replace("\\", "")


def link_labels(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.main.get("page_link")]
