"""A newcomer's first visit, in a real browser: examples, a new person, a tie, a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet

pytestmark = pytest.mark.e2e


def test_a_newcomer_adds_a_person_and_a_tie_and_finds_them_after_a_reload(app: App, tablet: Tablet) -> None:
    page = tablet.page
    tablet.goto(app.url)

    load = page.get_by_role("button", name="Load the example maps")
    expect(load.or_(page.get_by_role("link", name="Alys Pritchard"))).to_be_visible()
    if load.count():
        load.tap()
        tablet.settle()
    for name in ("Alys Pritchard", "Cai Hughes", "Rhys Morgan"):
        expect(page.get_by_role("link", name=name)).to_have_count(1)

    page.get_by_role("link", name="Cai Hughes").tap()
    tablet.settle()
    assert page.get_by_role("heading", name="Cai").count() == 1
    page.get_by_role("link", name="All people").tap()
    tablet.settle()

    newcomer = f"Morfudd {page.viewport_size['width']}"  # type: ignore[index]
    page.get_by_label("Name", exact=True).fill(newcomer)
    page.get_by_role("button", name="Add and open their map").tap()
    tablet.settle()
    assert page.get_by_role("heading", name=newcomer).count() == 1

    page.get_by_label("Name", exact=True).fill("Nain Morfudd")
    page.get_by_role("radio", name="Grandparent").tap()
    page.get_by_role("button", name="Add to the map").tap()
    tablet.settle()
    tablet.screenshot(f"map-table-{page.viewport_size['width']}")  # type: ignore[index]

    page.reload()
    tablet.settle()
    assert page.get_by_role("heading", name=newcomer).count() == 1
    tablet.screenshot(f"map-table-after-reload-{page.viewport_size['width']}")  # type: ignore[index]
    store = Store.from_url(app.database_url)
    saved = next(p for p in store.people(LOCAL_USER) if p.name == newcomer)
    assert [t.name for t in store.open(LOCAL_USER, saved.map_id).map.ties] == ["Nain Morfudd"]
    store.engine.dispose()

    page.get_by_role("link", name="All people").tap()
    tablet.settle()
    assert page.get_by_role("link", name=newcomer).count() == 1
    assert tablet.dialogs == []
    assert tablet.outside_requests() == []
