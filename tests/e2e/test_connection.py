"""A change made while the tablet has lost the server is never lost silently: the map draws it and says
it is not saved yet, and once the server is back it is sent again and saved; a reload then shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecomap.model import EcoMap
from tests.conftest import document
from tests.e2e.conftest import App, Tablet, add_map, saved, wait_drawn
from tests.e2e.test_map import node_point, open_map

pytestmark = pytest.mark.e2e

NOT_SAVED = "Not saved yet: waiting for the connection to the server."
STATE = """() => { const c = document.querySelector('.ecomap-canvas');
  return [c.dataset.pending, document.querySelector('[data-testid="stApp"]').dataset.testConnectionState]; }"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A server of its own, which the test stops and starts again on the same port and database."""
    holder: dict[str, Any] = {"database": tmp_path / "ecomap.db"}
    holder["app"] = App(holder["database"])
    yield holder
    holder["app"].stop()


def family() -> EcoMap:
    return EcoMap.from_dict(
        document(
            id="m-lost",
            person={"name": "Nia Rowlands"},
            ties=[{"id": "t1", "name": "Mam", "sector": "family", "strength": "moderate"}],
            links=[],
            plan=[],
        )
    )


def test_a_change_made_while_the_server_is_gone_is_shown_unsaved_then_saved_when_it_is_back(
    server: dict[str, Any], tablet: Tablet
) -> None:
    app: App = server["app"]
    map_id = add_map(app, family())
    open_map(tablet, app, map_id)
    page = tablet.page
    page.touchscreen.tap(*node_point(tablet, "t1"))
    page.locator('.ecomap-quick[data-tie="t1"]').wait_for()

    app.stop()  # the hotspot is gone
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]').dataset.testConnectionState !== 'CONNECTED'",
        timeout=15_000,
    )
    page.locator('.ecomap-quick button[data-field="strength"][data-value="strong"]').tap()
    # Drawn at once, and said plainly to be unsaved, on the map's bar.
    assert (
        page.locator('.ecomap-quick button[data-field="strength"][data-value="strong"]').get_attribute("aria-pressed")
        == "true"
    )
    note = page.locator(".ecomap-quick-note")
    note.get_by_text(NOT_SAVED).wait_for(timeout=5_000)
    box, width = note.bounding_box(), page.viewport_size["width"]  # type: ignore[index]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, "said in view, not scrolled away"
    assert page.evaluate(STATE)[0] == "1"
    assert saved_strength(server, map_id) == "moderate"
    tablet.screenshot(f"connection-not-saved-{page.viewport_size['width']}")  # type: ignore[index]

    # The server is back on the same port: the change is sent again and saved, once.
    server["app"] = App(server["database"], port=app.port)
    page.wait_for_function(
        f"() => {{ const [p, c] = ({STATE})(); return p === '0' && c === 'CONNECTED'; }}", timeout=60_000
    )
    assert saved_strength(server, map_id) == "strong"
    assert page.get_by_text(NOT_SAVED).count() == 0

    # Started again while nothing was waiting: the next change on the map is saved too.
    server["app"].stop()
    page.wait_for_function(f"() => ({STATE})()[1] !== 'CONNECTED'", timeout=15_000)
    server["app"] = App(server["database"], port=app.port)
    page.wait_for_function(f"() => ({STATE})()[1] === 'CONNECTED'", timeout=30_000)
    page.touchscreen.tap(*node_point(tablet, "t1"))
    page.locator('.ecomap-quick[data-tie="t1"] button[data-field="strength"][data-value="tenuous"]').tap()
    page.wait_for_function(
        f"() => {{ const [p, c] = ({STATE})(); return p === '0' && c === 'CONNECTED'; }}", timeout=60_000
    )
    assert saved_strength(server, map_id) == "tenuous"
    # A reload comes back to the map with the change.
    page.reload()
    wait_drawn(tablet)
    assert saved_strength(server, map_id) == "tenuous"
    assert tablet.dialogs == [] and tablet.outside_requests() == []


def saved_strength(server: dict[str, Any], map_id: str) -> str:
    return saved(server["app"], map_id).tie("t1").strength
