"""The standalone HTML export in a real browser: fitted to any window, offline, and safe with any name."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from ecomap.examples import example_maps
from ecomap.layout import RINGS
from ecomap.model import EcoMap, new_map
from ecomap.render.interactive import WORLD_RADIUS
from ecomap.render.standalone import FIT_MARGIN_PX, standalone_html
from ecomap.render.style import RING_FILLS
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", '" onmouseover="alert(1)']
WINDOWS = [(320, 480), (768, 1024), (1024, 768), (1920, 1080)]

#: The outer ring's box on the screen, from the network's own mapping of the map's world to the page.
OUTER_RING_BOX = """(outer) => {
  const c = document.getElementById('ecomap-map');
  const n = c.ecomapNetwork;
  const a = n.canvasToDOM({ x: -outer, y: -outer });
  const b = n.canvasToDOM({ x: outer, y: outer });
  const r = c.getBoundingClientRect();
  return { left: r.left + a.x, top: r.top + a.y, right: r.left + b.x, bottom: r.top + b.y,
           area: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
}"""


class Window:
    """A browser page at one size that records every request, dialog and error."""

    def __init__(self, browser: Any, width: int, height: int) -> None:
        self.size = (width, height)
        self.context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if message.type == "error":  # a script that failed, or one the page's policy refused
            self.errors.append(message.text)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.wait_fitted()

    def wait_fitted(self) -> None:
        self.page.wait_for_function(
            "() => { const c = document.getElementById('ecomap-map');"
            " return c.ecomapNetwork && c.dataset.fitted === `${c.clientWidth}x${c.clientHeight}`; }"
        )
        self.page.wait_for_timeout(200)  # the next frame is drawn

    def screenshot(self, name: str) -> bytes:
        ARTIFACTS.mkdir(exist_ok=True)
        return self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)  # type: ignore[no-any-return]

    def outer_ring_box(self) -> dict[str, Any]:
        return self.page.evaluate(OUTER_RING_BOX, RINGS["services"][1] * WORLD_RADIUS)  # type: ignore[no-any-return]


@pytest.fixture
def window(request: pytest.FixtureRequest, browser: Any) -> Iterator[Window]:
    w = Window(browser, *request.param)
    yield w
    w.context.close()


def full_map() -> EcoMap:
    return next(m for m in example_maps() if len(m.ties) >= 20)


def write(m: EcoMap, path: Path) -> Path:
    path.write_text(standalone_html(m), encoding="utf-8")
    return path


def fill_box(png: bytes, colour: str) -> tuple[int, int, int, int]:
    """The box (left, top, right, bottom, the last two exclusive) of the screenshot's pixels painted in ``colour``."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    rows, columns = np.nonzero((np.abs(pixels - target) <= 2).all(axis=2))
    assert rows.size, f"no pixel of {colour} on the screen"
    return int(columns.min()), int(rows.min()), int(columns.max()) + 1, int(rows.max()) + 1


def assert_fitted(w: Window, png: bytes) -> None:
    width, height = w.size
    box = w.outer_ring_box()
    area = box["area"]
    assert area["left"] == 0 and area["right"] == width and area["bottom"] == height, (
        "the map takes the window below the heading"
    )
    for side in ("left", "top"):
        assert box[side] >= area[side] + FIT_MARGIN_PX - 1
    for side in ("right", "bottom"):
        assert box[side] <= area[side] - FIT_MARGIN_PX + 1
    centre = ((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2)
    assert centre == pytest.approx(((area["left"] + area["right"]) / 2, (area["top"] + area["bottom"]) / 2), abs=1)
    assert (
        min(box["right"] - box["left"], box["bottom"] - box["top"]) >= min(width, area["bottom"] - area["top"]) * 0.85
    )
    # The services ring's pale fill, as painted: all of it inside the map's area, none of it at an edge.
    left, top, right, bottom = fill_box(png, RING_FILLS["services"])
    assert left > 0 and top > area["top"] and right < width and bottom < height
    assert (left, top, right, bottom) == pytest.approx((box["left"], box["top"], box["right"], box["bottom"]), abs=4)
    assert w.page.evaluate("() => [scrollX, scrollY]") == [0, 0]


@pytest.mark.parametrize("window", WINDOWS, indirect=True, ids=[f"{w}x{h}" for w, h in WINDOWS])
def test_the_whole_map_opens_fitted_and_centred_with_no_request(window: Window, tmp_path: Path) -> None:
    path = write(full_map(), tmp_path / "map.html")
    window.open(path)
    width, height = window.size
    png = window.screenshot(f"standalone-{width}x{height}")
    assert_fitted(window, png)
    assert window.page.title() == f"Ecomap: {full_map().person.name}"
    assert window.page.locator("html").get_attribute("lang") == "en"
    assert window.page.get_by_role("heading", level=1).is_visible()
    below = window.page.locator("main")
    below.screenshot(path=str(ARTIFACTS / f"standalone-words-{width}x{height}.png"))
    assert below.locator("li.ecomap-tie").count() == len(full_map().ties)
    assert window.requests == [path.as_uri()]
    assert window.dialogs == [] and window.errors == []


@pytest.mark.parametrize("window", [(1024, 768)], indirect=True, ids=["1024x768"])
def test_the_map_is_fitted_again_whenever_the_window_changes_size(window: Window, tmp_path: Path) -> None:
    path = write(full_map(), tmp_path / "map.html")
    window.open(path)
    window.page.mouse.move(512, 400)
    for _ in range(12):  # zoomed in: the ring now runs off the screen
        window.page.mouse.wheel(0, -200)
        window.page.wait_for_timeout(30)
    window.page.wait_for_timeout(300)
    assert window.outer_ring_box()["top"] < 0
    for width, height in [(320, 480), (1920, 1080), (768, 1024)]:
        window.size = (width, height)
        window.page.set_viewport_size({"width": width, "height": height})
        window.wait_fitted()
        assert_fitted(window, window.screenshot(f"standalone-resized-{width}x{height}"))
    assert window.requests == [path.as_uri()]
    assert window.dialogs == [] and window.errors == []


@pytest.mark.parametrize("window", [(768, 1024)], indirect=True, ids=["768x1024"])
def test_hostile_names_are_shown_as_written_and_never_run(window: Window, tmp_path: Path) -> None:
    m = new_map(HOSTILE[2], map_id="hostile")
    for i, name in enumerate(HOSTILE, start=1):
        m = m.with_tie({"id": f"t{i}", "name": name, "sector": "community", "own_words": name, "notes": name})
    m = m.replace(title=HOSTILE[1], person={"name": HOSTILE[2], "what_matters": HOSTILE, "strengths": HOSTILE})
    path = write(m, tmp_path / "hostile.html")
    window.open(path)
    page = window.page
    for x, y in [(200, 300), (384, 500), (600, 700)]:
        page.mouse.move(x, y)
        page.mouse.click(x, y)
    page.wait_for_timeout(300)
    window.screenshot("standalone-hostile")
    assert page.title() == f"Ecomap: {HOSTILE[2]}"
    assert page.get_by_role("heading", level=1).text_content() == f"Ecomap: {HOSTILE[2]}"
    assert page.locator(".ecomap-tie b").all_text_contents() == HOSTILE
    assert page.evaluate("() => network.body.data.nodes.get().map(n => n.label)")[1:] == HOSTILE
    assert page.locator("img").count() == 0
    assert window.dialogs == [] and window.errors == []
    assert window.requests == [path.as_uri()]
