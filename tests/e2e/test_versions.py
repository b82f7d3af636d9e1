"""Change over time in a real browser: a change made on the map, then seen on the comparison."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecomap.model import new_map
from ecomap.render.style import STRENGTH_LINES
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
