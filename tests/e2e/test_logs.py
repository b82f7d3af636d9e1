"""No personal data in the server's log or in what the page says when something fails.

A real Streamlit server holds a map whose names are known (one with dollar signs a plotting library
would read as mathematics, one with an emoji); the browser downloads its files, then the database
is damaged under the running server, and a poisoned version is put in another map's history. After
each, no line of the server's output (stdout and stderr) and no message on the page holds a name.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecomap.model import EcoMap
from ecomap.store import LOCAL_USER, Store
from tests.conftest import alys
from tests.e2e.conftest import App, Tablet

pytestmark = pytest.mark.e2e

#: The names the map holds: none of them may reach the log, nor a message of the page.
PERSON = "Zebedee Quartermaine"
TIES = ["Savings club ($5-$10)", "Tom $$ Jerry", "Nain Gwenhwyfar 👵"]
#: What would show one of the names, even in part.
TELLTALES = ["Zebedee", "Quartermaine", "Savings club", "$5-$10", "Tom $$", "Gwenhwyfar"]
#: Where Streamlit writes a message: alerts (error, warning, info), exceptions and toasts.
MESSAGES = '[data-testid="stAlert"], [data-testid="stException"], [data-testid="stToast"]'


def _secret_map(name: str = PERSON) -> EcoMap:
    ties = [{"id": f"t{i}", "name": tie, "sector": "community"} for i, tie in enumerate(TIES, start=1)]
    m = alys().replace(ties=ties, links=[], plan=[], title="", record={})
    return m.replace(person={"name": name}, id=f"{name.split()[0].lower()}-map")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    server = App(tmp_path_factory.mktemp("logs") / "ecomap.db")
    yield server
    server.stop()


def _log(app: App) -> list[str]:
    app.log.flush()
    return Path(app.log.name).read_text(encoding="utf-8", errors="replace").splitlines()


def _leaks(app: App, tablet: Tablet) -> list[str]:
    """Every log line and page message that holds one of the names."""
    said = [*_log(app), *tablet.page.locator(MESSAGES).all_inner_texts()]
    return [line for line in said if any(telltale in line for telltale in TELLTALES)]


def _opened(tablet: Tablet, app: App, name: str) -> None:
    tablet.goto(app.url)
    tablet.page.get_by_role("link", name=name).first.tap()
    tablet.settle()


@pytest.fixture
def ipad(browser: object) -> Iterator[Tablet]:
    t = Tablet(browser, "landscape")
    yield t
    t.context.close()


def test_names_with_dollars_and_emoji_download_and_stay_out_of_the_log(app: App, ipad: Tablet) -> None:
    page = ipad.page
    ipad.goto(app.url)  # the app makes its database on the first visit
    agreed = {"to_record": True, "share_with": ["team"]}  # consent covers sharing: no reason is asked
    Store.from_url(app.database_url).add_person(LOCAL_USER, _secret_map().with_record(consent=agreed))
    _opened(ipad, app, PERSON)
    page.get_by_role("link", name="Share and attach").tap()
    ipad.settle()
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Assessment attachment (PDF)").tap()
    text = subprocess.run(
        ["pdftotext", pdf_download.value.path(), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(name in " ".join(text.split()) for name in [PERSON, *TIES])
    for label in ("Picture (PNG)", "Picture (SVG)"):
        with page.expect_download() as picture:
            page.get_by_role("button", name=label).tap()
        assert Path(picture.value.path()).stat().st_size > 10_000
    assert page.locator(MESSAGES).count() == 0
    assert _leaks(app, ipad) == []


def test_a_poisoned_version_is_refused_without_a_name_in_the_log(app: App, ipad: Tablet) -> None:
    ipad.goto(app.url)
    store = Store.from_url(app.database_url)
    opened = store.add_person(LOCAL_USER, _secret_map("Quartermaine Poisoned"))
    document = opened.map.to_dict()
    document["ties"][0]["kind"] = "Zebedee Quartermaine's"  # a name where a word of the format belongs
    with sqlite3.connect(Path(app.database_url.removeprefix("sqlite:///"))) as db:
        triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'map_versions'"
        for (trigger,) in db.execute(triggers).fetchall():
            db.execute(f'DROP TRIGGER "{trigger}"')  # versions are written once: this test breaks that on purpose
        db.execute("UPDATE map_versions SET document = ? WHERE map_id = ?", (json.dumps(document), opened.map.id))
    _opened(ipad, app, "Quartermaine Poisoned")
    expect(ipad.page.locator(MESSAGES).first).to_be_visible()
    ipad.screenshot("logs-poisoned-version")
    assert _leaks(app, ipad) == []


def test_a_database_damaged_under_the_server_is_told_without_a_name(app: App, ipad: Tablet) -> None:
    page = ipad.page
    ipad.goto(app.url)
    page.get_by_label("Name", exact=True).fill(PERSON + " the second")
    database = Path(app.database_url.removeprefix("sqlite:///"))
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            with path.open("r+b") as handle:  # what a failing disk leaves: the file is there, its pages are not
                size = handle.seek(0, 2)
                handle.seek(0)
                handle.write(b"\x5a" * size)
    page.get_by_role("button", name="Add and open their map").tap()
    ipad.settle()
    expect(page.locator(MESSAGES).first).to_be_visible()
    ipad.screenshot("logs-damaged-database")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _leaks(app, ipad) == []
