"""Bringing maps in and sending them out, in a real browser on a tablet."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecomap.examples import load_examples
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet
from tests.test_io import BILLION_LAUGHS, ROSA

pytestmark = pytest.mark.e2e


def open_importer(tablet: Tablet, app: App) -> None:
    tablet.goto(app.url)
    tablet.page.get_by_text("Bring in a map from another tool").tap()
    tablet.settle()


def upload(tablet: Tablet, path: Path) -> None:
    tablet.page.locator('input[type="file"]').set_input_files(str(path))
    tablet.settle()


def test_an_easynwk_file_is_previewed_then_added_with_its_unknown_role_chosen(app: App, tablet: Tablet) -> None:
    page = tablet.page
    open_importer(tablet, app)  # the app makes its database on the first visit
    store = Store.from_url(app.database_url)
    before = {p.name for p in store.people(LOCAL_USER)}
    upload(tablet, ROSA)
    expect(page.get_by_text("Rosa Braunsteigl-Müller, 10 ties and 5 links, from easyNWK.")).to_have_count(1)
    assert {p.name for p in store.people(LOCAL_USER)} == before  # nothing saved before it is confirmed
    tablet.screenshot(f"import-preview-{page.viewport_size['width']}")  # type: ignore[index]

    choice = page.get_by_label("“Großtante” (Josefine) is not a role Ecomap knows. Which is it?")
    choice.tap()
    page.keyboard.type("Other relative")
    page.keyboard.press("Enter")
    tablet.settle()
    page.get_by_role("button", name="Add Rosa Braunsteigl-Müller to People").tap()
    tablet.settle()
    expect(page.get_by_role("heading", name="Rosa Braunsteigl-Müller")).to_have_count(1)
    added = [p for p in store.people(LOCAL_USER) if p.name == "Rosa Braunsteigl-Müller"][-1]
    m = store.open(LOCAL_USER, added.map_id).map
    assert len(m.ties) == 10 and len(m.links) == 5
    assert next(tie for tie in m.ties if tie.name == "Josefine").role == "relative"
    assert tablet.outside_requests() == []


def test_a_hostile_file_is_refused_with_a_message_and_nothing_saved(app: App, tablet: Tablet, tmp_path: Path) -> None:
    page = tablet.page
    bad = tmp_path / "lolz.graphml"
    bad.write_bytes(BILLION_LAUGHS)
    open_importer(tablet, app)
    store = Store.from_url(app.database_url)
    before = store.people(LOCAL_USER)
    upload(tablet, bad)
    expect(page.get_by_text("lolz.graphml could not be read. Nothing was saved.")).to_have_count(1)
    expect(page.get_by_text("declares a DTD or entities")).to_have_count(1)
    assert store.people(LOCAL_USER) == before
    assert tablet.dialogs == []


def test_the_attachment_and_a_pseudonymised_csv_download_from_the_share_page(app: App, tablet: Tablet) -> None:
    page = tablet.page
    tablet.goto(app.url)
    store = Store.from_url(app.database_url)
    load_examples(store, LOCAL_USER)
    tablet.goto(app.url)
    page.get_by_role("link", name="Alys Pritchard").tap()
    tablet.settle()
    page.get_by_role("link", name="Share and attach").tap()
    tablet.settle()
    tablet.screenshot(f"share-{page.viewport_size['width']}")  # type: ignore[index]
    # Alys's own language is Welsh, so her files are in Welsh unless English is chosen for them.
    expect(page.locator(".st-key-share_language").get_by_text("Cymraeg")).to_be_visible()
    page.locator(".st-key-share_language").get_by_text("English").tap()
    tablet.settle()

    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Assessment attachment (PDF)").tap()
    pdf = Path(pdf_download.value.path())
    assert pdf_download.value.suggested_filename == "ecomap-alys-pritchard.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Siân" in text and "In Alys’s own words" in text

    page.get_by_text("Take names out").tap()
    tablet.settle()
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Ties as a spreadsheet (CSV)").tap()
    assert csv_download.value.suggested_filename == "ecomap.csv"
    rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 21 and "Siân" not in {row["Name"] for row in rows}

    alys = next(p for p in store.people(LOCAL_USER) if p.name == "Alys Pritchard")
    exported = {entry.detail for entry in store.audit(LOCAL_USER, map_id=alys.map_id) if entry.action == "export"}
    assert {"pdf", "csv"} <= exported
    assert tablet.outside_requests() == []


def test_a_download_the_consent_does_not_cover_waits_for_a_reason_kept_in_the_audit(app: App, tablet: Tablet) -> None:
    page = tablet.page
    tablet.goto(app.url)
    store = Store.from_url(app.database_url)
    load_examples(store, LOCAL_USER)
    rhys = next(p for p in store.people(LOCAL_USER) if p.name == "Rhys Morgan")  # no consent recorded
    tablet.goto(f"{app.url}/share?map={rhys.map_id}")
    expect(page.get_by_text("Consent to record the map:")).to_be_visible()
    expect(page.get_by_text("does not cover sharing Rhys’s map")).to_be_visible()
    button = page.get_by_role("button", name="Map file (JSON)")
    expect(button).to_be_disabled()

    page.get_by_label("Why is it being shared?", exact=True).fill("Asked for by his GP, with Rhys in the room")
    page.keyboard.press("Enter")
    tablet.settle()
    expect(button).to_be_enabled()
    tablet.screenshot(f"share-reason-{page.viewport_size['width']}")  # type: ignore[index]
    with page.expect_download() as download:
        button.tap()
    assert download.value.suggested_filename == "ecomap-rhys-morgan.json"
    exports = [e.detail for e in store.audit(LOCAL_USER, map_id=rhys.map_id) if e.action == "export"]
    assert exports[-1] == "json: Asked for by his GP, with Rhys in the room"
    assert tablet.outside_requests() == []
