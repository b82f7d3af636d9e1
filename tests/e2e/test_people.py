"""The people page in a real browser: a newcomer's first visit, what an ecomap is, search, and touch targets."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from ecomap.examples import load_examples
from ecomap.model import new_map
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet, add_map
from ui.common import ICON

pytestmark = pytest.mark.e2e

#: The smallest touch target, in CSS pixels, on each side.
TOUCH = 44

#: Whether a finger can reach the element: the point at its centre is the element or inside it. A link
#: hidden until it has the keyboard's focus (Skip to main content) or a sidebar slid away is not reached.
REACHED = """(e) => {
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return hit !== null && (hit === e || e.contains(hit));
}"""


def touch_targets(page: Page) -> list[tuple[str, float, float]]:
    """Every link and button a finger can reach on the page: its name, width and height."""
    found: list[tuple[str, float, float]] = []
    for element in page.locator("a, button, summary, [role=button]").all():
        if not element.is_visible():
            continue
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        if box is None or not element.evaluate(REACHED):
            continue
        name = " ".join((element.get_attribute("aria-label") or element.inner_text()).split())
        found.append((name or element.evaluate("e => e.outerHTML.slice(0, 80)"), box["width"], box["height"]))
    return found


def too_small(page: Page) -> list[tuple[str, float, float]]:
    return [target for target in touch_targets(page) if min(target[1:]) < TOUCH]


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


def test_the_explanation_goes_with_a_tap_and_a_search_finds_a_person_to_open(app: App, tablet: Tablet) -> None:
    store = Store.from_url(app.database_url)
    store.migrate()
    if store.is_empty():
        load_examples(store, LOCAL_USER)
    if "Siân Owen" not in {p.name for p in store.people(LOCAL_USER)}:
        store.add_person(LOCAL_USER, new_map("Siân Owen"))
    store.engine.dispose()
    page = tablet.page
    width = page.viewport_size["width"]  # type: ignore[index]
    tablet.goto(app.url)

    explanation = page.get_by_text("An ecomap is a picture of the people, groups and services")
    expect(explanation).to_be_visible()
    expect(page.get_by_role("link", name="Alys Pritchard · saved ")).to_be_visible()
    tablet.screenshot(f"people-{width}")
    assert too_small(page) == []
    assert touch_targets(page), "the measure found the page's links and buttons"

    page.get_by_role("button", name="Got it").tap()
    tablet.settle()
    expect(explanation).to_have_count(0)
    expect(page.get_by_role("button", name="What is an ecomap?")).to_be_visible()

    page.get_by_label("Search by name").fill("sian")
    expect(page.get_by_role("link", name="Alys Pritchard")).to_have_count(0)
    tablet.settle()
    expect(page.get_by_role("link", name="Siân Owen · saved ")).to_have_count(1)
    expect(page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]')).to_have_count(1)
    tablet.screenshot(f"people-search-{width}")
    assert "Clear entry" in [name for name, _, _ in touch_targets(page)]
    assert too_small(page) == []

    page.get_by_label("Search by name").fill("Zebedee")
    expect(page.get_by_text("No one on the list matches “Zebedee”.")).to_be_visible()
    page.get_by_label("Search by name").fill("SIÂN")
    expect(page.get_by_role("link", name="Siân Owen")).to_have_count(1)
    tablet.settle()

    page.get_by_role("link", name="Siân Owen").tap()
    tablet.settle()
    expect(page).to_have_url(re.compile(r"/map\?map="))
    expect(page.get_by_role("heading", name="Siân Owen")).to_have_count(1)
    expect(page.locator(".ecomap-canvas")).to_be_visible()

    page.get_by_role("link", name="All people").tap()
    tablet.settle()
    expect(page.get_by_role("button", name="What is an ecomap?")).to_be_visible()
    expect(explanation).to_have_count(0)

    page.get_by_text("Bring in a map from another tool").tap()
    tablet.settle()
    tablet.screenshot(f"people-import-{width}")
    assert too_small(page) == []
    assert tablet.dialogs == []
    assert tablet.outside_requests() == []


#: Where the page's icon link points, as the browser resolves it.
ICON_HREF = "() => { const link = document.querySelector('link[rel~=\"icon\"]'); return link && link.href; }"


def test_every_page_shows_ecomaps_own_icon_from_this_server(app: App, tablet: Tablet) -> None:
    """The tab's icon is Ecomap's (not Streamlit's), served by this server at each page's own address."""
    map_id = add_map(app, new_map("Gwen"))
    icon = ICON.read_bytes()
    for path in ("/", f"/map?map={map_id}"):
        tablet.goto(f"{app.url}{path}")
        href = tablet.page.evaluate(ICON_HREF)
        assert href is not None and urlparse(href).netloc == urlparse(app.url).netloc, (path, href)
        response = tablet.page.request.get(href)
        assert response.status == 200 and response.headers["content-type"] == "image/png", path
        assert response.body() == icon, path
    assert tablet.outside_requests() == []
