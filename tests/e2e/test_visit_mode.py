"""A home visit on a real server in visit mode: the laptop (1280x800, on loopback) shows the pairing
code, a tablet (768x1024, touch, on this machine's network address) joins through the link, both
show one map and each sees the other's change within a second, and a device that has not paired
gets nothing: not the page, not a static file, not the health check.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ecomap.model import EcoMap
from ecomap.pairing import REFUSALS
from ecomap.settings import find_private_address
from tests.conftest import document
from tests.e2e.conftest import App, Tablet, add_map, saved, wait_drawn
from tests.e2e.test_map import node_point

pytestmark = pytest.mark.e2e

#: How long a change on one screen may take to be drawn on the other, once it is saved.
WITHIN = 1.0

LAPTOP = {"width": 1280, "height": 800}


def network_address() -> str:
    """This machine's private address (where a tablet on the hotspot reaches it), as visit mode finds it."""
    address = find_private_address()
    if address is None:
        if os.environ.get("CI"):
            pytest.fail("this machine has no private network address for the tablet to reach it by")
        pytest.skip("this machine has no private network address for the tablet to reach it by")
    return address


@pytest.fixture(scope="module")
def visit_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, str]]:
    address = network_address()
    server = App(
        tmp_path_factory.mktemp("visit") / "ecomap.db",
        env={"ECOMAP_VISIT": "1", "ECOMAP_VISIT_ADDRESS": address},
        args=("--server.address", "0.0.0.0"),
    )
    yield server, f"http://{address}:{server.port}"
    server.stop()


class Screen(Tablet):
    """A browser page of the visit: the laptop's (no touch) or the tablet's; its requests may go to the laptop."""

    def __init__(self, browser: Any, viewport: dict[str, int], *, touch: bool, laptop: str) -> None:
        self.context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch, device_scale_factor=1)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.laptop = laptop
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def outside_requests(self) -> list[str]:
        return [url for url in super().outside_requests() if not url.startswith(self.laptop)]

    def version(self) -> int:
        drawn = self.page.evaluate("() => document.querySelector('.ecomap-canvas').dataset.drawnVersion")
        return int(drawn)

    def drawn_after(self, version: int) -> None:
        """Wait at most :data:`WITHIN` for the map to be drawn at a version after ``version``."""
        self.page.wait_for_function(
            "(v) => { const c = document.querySelector('.ecomap-canvas');"
            " return c && Number(c.dataset.drawnVersion) > v && c.dataset.drawnVersion === c.dataset.version; }",
            arg=version,
            timeout=WITHIN * 1000,
        )


def the_family() -> EcoMap:
    return EcoMap.from_dict(
        document(
            id="m-visit",
            person={"name": "Nia Rowlands"},
            ties=[
                {"id": "t1", "name": "Mam", "sector": "family", "strength": "moderate"},
                {"id": "t2", "name": "Côr y Bala", "sector": "community", "strength": "tenuous"},
            ],
            links=[],
            plan=[],
        )
    )


def saved_once(app: App, map_id: str, field: str, tie_id: str, want: object) -> float:
    """Wait until the store holds ``want`` for the tie's ``field``; the moment it is seen."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if getattr(saved(app, map_id).tie(tie_id), field) == want:
            return time.monotonic()
        time.sleep(0.02)
    raise AssertionError(f"{tie_id}.{field} was never saved as {want!r}")


def test_the_tablet_pairs_and_both_screens_show_one_map(visit_app: tuple[App, str], browser: Any) -> None:
    app, network = visit_app
    map_id = add_map(app, the_family())
    laptop = Screen(browser, LAPTOP, touch=False, laptop=app.url)
    tablet = Screen(browser, {"width": 768, "height": 1024}, touch=True, laptop=network)
    stranger = Screen(browser, {"width": 768, "height": 1024}, touch=True, laptop=network)
    try:
        # A device that has not paired gets nothing from the laptop: the page, a file, the health check.
        for path in ("/", f"/map?map={map_id}", "/_stcore/health", "/static/index.html", "/pair/not-a-real-link"):
            response = stranger.page.goto(f"{network}{path}")
            assert response is not None and response.status == 403, path
            assert "Nia" not in stranger.page.content() and "Mam" not in stranger.page.content()

        laptop.goto(f"{app.url}/map?map={map_id}")
        wait_drawn(laptop)
        laptop.page.get_by_role("button", name="Let the tablet join").click()
        laptop.settle()
        link = laptop.page.locator(".st-key-visit_link code").inner_text().strip()
        assert link.startswith(f"{network}/pair/"), link
        assert laptop.page.get_by_role("img", name="Scan this code with the tablet’s camera.").count() <= 1
        laptop.screenshot("visit-mode-laptop-code")

        tablet.goto(link)
        wait_drawn(tablet)
        assert f"map={map_id}" in tablet.page.url
        # The tablet has this one map, in the calm view, with no sidebar and no way to another page.
        assert tablet.page.locator('[data-testid="stSidebar"]').count() == 0
        assert tablet.page.get_by_role("link", name="All people").count() == 0
        tablet.screenshot("visit-mode-tablet-joined")
        # The link was for one device only.
        response = stranger.page.goto(link)
        assert response is not None and response.status == 403
        # The laptop puts its code away once the tablet has joined.
        laptop.page.get_by_text("A tablet has joined this visit.").wait_for(timeout=5_000)

        # A change on the tablet, on the map's own bar, is drawn on the laptop within a second of its save.
        before = laptop.version()
        tablet.page.touchscreen.tap(*node_point(tablet, "t1"))
        tablet.page.locator('.ecomap-quick button[data-field="strength"][data-value="strong"]').tap()
        saved_at = saved_once(app, map_id, "strength", "t1", "strong")
        laptop.drawn_after(before)
        delay = time.monotonic() - saved_at
        assert delay < WITHIN, delay
        assert laptop.page.locator(".ecomap-canvas").get_attribute("data-version") == str(before + 1)

        # And the other way: a change on the laptop is drawn on the tablet.
        wait_drawn(tablet)
        before = tablet.version()
        laptop.page.mouse.click(*node_point(laptop, "t2"))
        laptop.page.locator('.ecomap-quick button[data-field="stressful"]').click()
        saved_at = saved_once(app, map_id, "stressful", "t2", True)
        tablet.drawn_after(before)
        delay = time.monotonic() - saved_at
        assert delay < WITHIN, delay
        assert saved(app, map_id).tie("t1").strength == "strong"  # neither screen's change overwrote the other's
        tablet.screenshot("visit-mode-tablet-after")

        # The practitioner ends the visit with one tap: the tablet is told, and gets nothing more.
        wait_drawn(laptop)
        laptop.page.get_by_role("button", name="End the visit on the tablet").first.click()
        tablet.page.get_by_text(REFUSALS["ended"]).wait_for(timeout=5_000)
        response = tablet.page.goto(f"{network}/map?map={map_id}")
        assert response is not None and response.status == 403
        for screen in (laptop, tablet, stranger):
            assert screen.outside_requests() == [] and screen.dialogs == []
    finally:
        for screen in (laptop, tablet, stranger):
            screen.context.close()
