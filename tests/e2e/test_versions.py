"""Change over time in a real browser: a change made on the map, then seen on the comparison."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

import ecomap.store
from ecomap.model import new_map
from ecomap.render.style import STRENGTH_LINES
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet
from tests.e2e.test_map import add_map, drawn_nodes, node_point, open_map, saved, wait_drawn

pytestmark = pytest.mark.e2e


def test_a_change_made_on_the_map_is_marked_on_the_comparison(app: App, tablet: Tablet) -> None:
    page = tablet.page
    width = page.viewport_size["width"]  # type: ignore[index]
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
    map_id = add_map(app, m.replace(id=f"versions-{width}"))
    open_map(tablet, app, map_id)

    page.touchscreen.tap(*node_point(tablet, "t1"))
    tablet.settle()
    page.get_by_role("radio", name="Strong").tap()
    wait_drawn(tablet)
    assert saved(app, map_id).tie("t1").strength == "strong"

    page.get_by_role("link", name="Versions").tap()
    wait_drawn(tablet)
    expect(page.get_by_text("The tie with Dafydd is stronger (tenuous before, strong now).")).to_have_count(1)
    edge = page.evaluate("() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1')")
    assert edge["label"] == "▲" and edge["width"] == 7
    assert "@person" in drawn_nodes(tablet)
    tablet.screenshot(f"versions-{width}")

    # Version 1 beside itself: nothing has changed, and no mark is left on the line.
    page.get_by_role("combobox", name="with").click()
    page.get_by_role("option").first.click()
    page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.drawnVersion === '1-1'")
    edge = page.evaluate("() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1')")
    assert not edge["label"] and edge["width"] == STRENGTH_LINES["tenuous"].width
    page.get_by_role("combobox", name="with").click()
    page.get_by_role("option").last.click()
    page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.drawnVersion === '1-2'")

    page.get_by_role("button", name="Make version 1 the current map again").tap()
    tablet.settle()
    expect(page.get_by_text("Version 1 is the current map again, as a new version.")).to_have_count(1)
    assert saved(app, map_id).tie("t1").strength == "tenuous"
    assert tablet.outside_requests() == []


def test_the_versions_page_offers_visits_with_their_times(
    app: App, tablet: Tablet, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tablet.page
    width = page.viewport_size["width"]  # type: ignore[index]
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
    m = m.replace(id=f"visits-{width}")
    # The store stamps saves with the time of day and takes no clock: two sittings need hours between them.
    now = [datetime(2026, 11, 24, 10, 2, tzinfo=UTC)]
    monkeypatch.setattr(ecomap.store, "_now", lambda: now[0])
    store = Store.from_url(app.database_url)
    store.migrate()
    store.add_person(LOCAL_USER, m)
    for version in range(2, 46):
        now[0] = datetime(2026, 11, 24, 10, 2 + version, tzinfo=UTC)
        m = m.replace(title=f"Gwen, draft {version}")
        store.save(LOCAL_USER, m, expected_version=version - 1)
    store.label_version(LOCAL_USER, m.id, 30, "first conversation")
    for step, version in enumerate(range(46, 49)):
        now[0] = datetime(2026, 12, 1, 14, 10 + step, tzinfo=UTC)
        stronger = m.with_tie(m.tie("t1").model_copy(update={"strength": "strong"}))
        m = stronger if step == 0 else m.replace(title=str(step))
        store.save(LOCAL_USER, m, expected_version=version - 1)
    store.engine.dispose()

    tablet.goto(f"{app.url}/history?map={m.id}")
    wait_drawn(tablet)
    assert page.evaluate("() => document.querySelector('.ecomap-canvas').dataset.drawnVersion") == "45-48"
    first_visit = "Visit on 24 November 2026, 10:02–10:47 (45 changes)"
    expect(page.get_by_role("combobox", name="Compare")).to_have_value(first_visit)
    expect(page.get_by_role("combobox", name="with")).to_have_value("Now · Version 48 · 1 December 2026, 14:12")
    # Each picker shows its whole choice: nothing is cut off.
    cut = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] [data-baseweb=select] input')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.value)"
    )
    assert cut == []
    expect(page.get_by_text("The tie with Dafydd is stronger (tenuous before, strong now).")).to_have_count(1)
    tablet.screenshot(f"versions-visits-{width}")

    page.get_by_role("combobox", name="Compare").click()
    expect(page.get_by_role("option")).to_have_text(
        ["first conversation · 24 November 2026, 10:32", first_visit, "Now · Version 48 · 1 December 2026, 14:12"]
    )
    page.keyboard.press("Escape")
    page.get_by_text("Visit on 1 December 2026, 14:10–14:12 (3 changes)").tap()
    tablet.settle()
    for line in ("14:12 · Version 48", "14:11 · Version 47", "14:10 · Version 46"):
        expect(page.get_by_text(line)).to_be_visible()
    page.get_by_text("Visits").scroll_into_view_if_needed()
    tablet.screenshot(f"versions-visit-list-{width}")
    assert tablet.outside_requests() == []
