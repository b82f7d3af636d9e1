"""A whole home visit in Chromium with touch, at both tablet sizes.

From an empty map to eight people, their strengths, a stressful tie, support both ways, a link, a
drag, an undo, a plan step and a finding: after every step the map is on the screen, uncovered,
and the page is not scrolled; the tools beside (or under) it show exactly what the store saved.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pytest

from ecomap.layout import RINGS
from ecomap.model import EcoMap, Tie, new_map
from ecomap.vocab import FREQUENCIES, STATUSES, STRENGTHS, SUPPORTS
from tests.e2e.conftest import App, Tablet
from tests.e2e.test_map import add_map, drawn_nodes, node_point, open_map, saved, wait_drawn

pytestmark = pytest.mark.e2e

#: Where the map is: the middle 80% of its canvas, and whatever is drawn at nine points of it (the
#: canvas itself, unless something covers it or it is off the screen), and how far the page is scrolled.
MAP_IN_VIEW = """() => {
  const canvas = document.querySelector('.ecomap-canvas');
  const box = canvas.getBoundingClientRect();
  const left = box.left + box.width * 0.1, top = box.top + box.height * 0.1;
  const width = box.width * 0.8, height = box.height * 0.8;
  const covered = [];
  for (const fx of [0, 0.5, 1]) for (const fy of [0, 0.5, 1]) {
    const x = left + width * fx, y = top + height * fy;
    const hit = document.elementFromPoint(x, y);
    if (!hit || !canvas.contains(hit)) covered.push([Math.round(x), Math.round(y), hit ? hit.className : null]);
  }
  const main = document.querySelector('[data-testid="stMain"]');
  return {box: [left, top, left + width, top + height], covered, scrolled: main.scrollTop + window.scrollY};
}"""

#: What the editor of one tie shows as chosen (aria-checked of a segmented control, aria-pressed of a
#: pill), the map's own bar, the headings and the words of the tools.
SHOWN = """(tieId) => {
  const tools = document.querySelector('[class*="st-key-tools_"]');
  const chosen = (field) => {
    const group = tools.querySelector(`[class*="st-key-${field}_${tieId}_"]`);
    if (!group) return null;
    return Array.from(group.querySelectorAll('button'))
      .filter((b) => b.getAttribute('aria-checked') === 'true' || b.getAttribute('aria-pressed') === 'true')
      .map((b) => b.innerText.trim());
  };
  const shown = {};
  for (const field of ['strength', 'stressful', 'gets', 'gives', 'frequency', 'status']) shown[field] = chosen(field);
  const bar = document.querySelector('.ecomap-quick');
  const fields = ['strength', 'stressful', 'gets', 'gives', 'status'];
  const buttons = Array.from(bar.querySelectorAll('button')).filter((b) => fields.includes(b.dataset.field));
  shown.bar = bar.hidden ? null
    : buttons.map((b) => [b.dataset.field, b.dataset.value, b.getAttribute('aria-pressed') === 'true']);
  shown.headings = Array.from(tools.querySelectorAll('h3')).map((h) => h.innerText.trim());
  shown.words = tools.innerText;
  return shown;
}"""

#: Whether an element is really on the screen: what is drawn at its middle is the element itself.
ON_SCREEN = """(element) => {
  const r = element.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return Boolean(hit) && (element.contains(hit) || hit.contains(element));
}"""


def expected(tie: Tie) -> dict[str, Any]:
    """What the editor and the map's bar must show for ``tie`` as saved."""
    strength = STRENGTHS[tie.strength].label
    return {
        "strength": [strength],
        "stressful": ["Stressful" if tie.stressful else "Not stressful"],
        "gets": [SUPPORTS[k].label for k in SUPPORTS if k in tie.gets],
        "gives": [SUPPORTS[k].label for k in SUPPORTS if k in tie.gives],
        "frequency": [FREQUENCIES[tie.frequency].label] if tie.frequency else [],
        "status": [STATUSES[tie.status].label],
        "bar": [
            *(("strength", k, k == tie.strength) for k in STRENGTHS),
            ("stressful", "toggle", tie.stressful),
            ("gets", "toggle", bool(tie.gets)),
            ("gives", "toggle", bool(tie.gives)),
            *(("status", k, k == tie.status) for k in STATUSES),
        ],
        "heading": tie.name,
        "support": "not asked" if tie.support is None else "none" if not tie.support else "asked",
    }


def shown(tablet: Tablet, tie_id: str) -> dict[str, Any]:
    raw: dict[str, Any] = tablet.page.evaluate(SHOWN, tie_id)
    words = raw.pop("words")
    raw["bar"] = [tuple(button) for button in raw["bar"]] if raw["bar"] is not None else None
    raw["heading"] = raw.pop("headings")[0]
    told = ("Not asked yet." in words, "Nothing either way, for now." in words)
    raw["support"] = {(True, False): "not asked", (False, True): "none", (False, False): "asked"}.get(told, "both")
    return raw


class Visit:
    """One visit: the tablet, the app, the map, and the checks made after every step."""

    def __init__(self, tablet: Tablet, app: App, map_id: str) -> None:
        self.tablet, self.page, self.app, self.map_id = tablet, tablet.page, app, map_id
        viewport = tablet.page.viewport_size
        assert viewport is not None
        self.size = f"{viewport['width']}x{viewport['height']}"
        self.steps = 0

    def saved(self) -> EcoMap:
        return saved(self.app, self.map_id)

    def tie(self, name: str) -> Tie:
        return next(tie for tie in self.saved().ties if tie.name == name)

    def map_in_view(self, step: str) -> None:
        view = self.page.evaluate(MAP_IN_VIEW)
        left, top, right, bottom = view["box"]
        size = self.page.viewport_size
        assert size is not None
        assert left >= 0 and top >= 0 and right <= size["width"] and bottom <= size["height"], (step, view)
        assert view["covered"] == [] and view["scrolled"] == 0, (step, view)

    def check(self, step: str, editing: str | None = None) -> None:
        """After ``step``: the map is in view, and the editor of ``editing`` (a name) shows what is saved."""
        self.steps += 1
        wait_drawn(self.tablet)
        self.map_in_view(step)
        if editing is None:
            return
        deadline = time.monotonic() + 5
        while True:  # a second tap changes nothing saved, so nothing says when its run is over
            tie = self.tie(editing)
            want, got = expected(tie), shown(self.tablet, tie.id)
            if want == got or time.monotonic() > deadline:
                break
            self.page.wait_for_timeout(100)
        assert got == want, step
        assert drawn_nodes(self.tablet)[tie.id]["borderWidth"] == 4, f"{step}: {editing} is marked on the map"

    def on_screen(self, locator: Any) -> bool:
        return bool(locator.evaluate(ON_SCREEN))

    def shot(self, name: str) -> None:
        self.tablet.screenshot(f"visit-{name}-{self.size}")

    # -- what the practitioner does ---------------------------------------------------------------

    def tap_ring(self, sector: str, angle: float) -> None:
        """Tap the middle of ``sector``'s ring at ``angle`` degrees clockwise from the top."""
        box = self.page.locator(".ecomap-canvas").bounding_box()
        assert box is not None
        centre = node_point(self.tablet, "@person")
        reach = (min(box["width"], box["height"]) / 2 - 4) / 1.04 * sum(RINGS[sector]) / 2
        radians = math.radians(angle)
        self.page.touchscreen.tap(centre[0] + math.sin(radians) * reach, centre[1] - math.cos(radians) * reach)
        self.tablet.settle()

    def tap_tie(self, name: str) -> None:
        self.page.touchscreen.tap(*node_point(self.tablet, self.tie(name).id))
        wait_drawn(self.tablet)

    def name_and_role(self, name: str, role: str) -> None:
        tools = self.page.locator('[class*="st-key-tools_"]')
        field = tools.get_by_label("Name", exact=True)
        assert self.on_screen(field), f"the name field is on the screen, in the tools, unscrolled ({name})"
        field.fill(name)
        tools.get_by_role("radio", name=role, exact=True).tap()
        self.tablet.settle()
        tools.get_by_role("button", name="Add to the map").tap()

    def form_on_map(self, step: str) -> Any:
        """After a tap on a ring: the map's own form is open over the map, its name focused, nothing scrolled."""
        self.steps += 1
        form = self.page.locator(".ecomap-add")
        form.wait_for(state="visible")
        box, canvas = form.bounding_box(), self.page.locator(".ecomap-canvas").bounding_box()
        assert box is not None and canvas is not None, step
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"], step
        assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"], step
        assert self.page.evaluate("() => document.activeElement.name") == "name", step
        assert self.page.evaluate(MAP_IN_VIEW)["scrolled"] == 0, step
        return form

    def add_on_map(self, name: str, role: str) -> None:
        """Fill in the map's own form, opened by a tap on a ring, and add."""
        form = self.page.locator(".ecomap-add")
        form.get_by_label("Name").fill(name)
        form.get_by_label("Who are they?").select_option(label=role)
        form.get_by_role("button", name="Add to the map").tap()
        assert form.is_hidden(), f"the form goes once {name} is added"
        self.page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.pending === '0'")

    def choose(self, label: str) -> None:
        self.page.locator('[class*="st-key-tools_"]').get_by_role("radio", name=label, exact=True).tap()

    def pill(self, way: str, tie: str, label: str) -> None:
        group = self.page.locator(f'[class*="st-key-{way}_{self.tie(tie).id}_"]')
        group.get_by_role("button", name=label, exact=True).tap()

    def done(self) -> None:
        done = self.page.get_by_role("button", name="Done", exact=True)
        done.scroll_into_view_if_needed()
        assert self.on_screen(done), "Done is reached inside the tools, without scrolling the page"
        self.map_in_view("Done scrolled into view")
        done.tap()


def test_a_whole_visit_keeps_the_map_in_view_and_the_controls_true_to_the_saved_map(app: App, tablet: Tablet) -> None:
    viewport = tablet.page.viewport_size
    assert viewport is not None
    map_id = add_map(app, new_map("Nia Rowlands", map_id=f"visit-{viewport['width']}"))
    started = time.monotonic()
    open_map(tablet, app, map_id)
    visit = Visit(tablet, app, map_id)
    page = tablet.page
    visit.check("the empty map")
    visit.shot("empty")

    # Four people added by tapping an empty part of their ring; each is selected once added.
    for sector, angle, name, role in (
        ("family", 30, "Mam", "Mam"),
        ("family", 150, "Dad", "Dad"),
        ("community", 90, "Côr y Bala", "Group or club"),
        ("services", 210, "Dr Owen", "GP"),
    ):
        visit.tap_ring(sector, angle)
        form = visit.form_on_map(f"a tap on the {sector} ring")
        assert form.get_by_text(f"Add to {sector.capitalize()}").is_visible()
        if name == "Mam":
            visit.shot("ring-tapped")
        visit.add_on_map(name, role)
        visit.check(f"{name} added at the tapped spot", editing=name)
        tie = visit.tie(name)
        assert tie.sector == sector and tie.position is not None and abs(tie.position.angle - angle) < 4
        assert tie.support is None  # a new tie: support not asked yet, and the editor says so
        if name == "Mam":
            visit.shot("added")
            visit.choose("Strong")
            visit.check("Mam made strong", editing="Mam")
            visit.choose("Strong")
            visit.check("a second tap on Strong", editing="Mam")
            assert visit.tie("Mam").strength == "strong"
        if name == "Dad":
            visit.choose("Stressful")
            visit.check("Dad's tie made stressful", editing="Dad")
            visit.choose("Stressful")
            visit.check("a second tap on Stressful", editing="Dad")
            assert visit.tie("Dad").stressful is True
            visit.choose("Tenuous")
            visit.check("Dad's tie made tenuous", editing="Dad")

    # Four more from the quick add, each selected once added; Done goes back to adding.
    for name, role in (("Siân", "Friend"), ("Beti", "Neighbour"), ("Ysgol Bro Tegid", "School or college")):
        visit.done()
        visit.check("Done")
        visit.name_and_role(name, role)
        visit.check(f"{name} added from the quick add", editing=name)
    visit.done()
    visit.check("Done")
    visit.name_and_role("Taid", "Grandparent")
    visit.check("Taid added from the quick add", editing="Taid")
    assert len(visit.saved().ties) == 8
    visit.shot("eight")

    # Support both ways with Siân: she gives Nia emotional support and Nia gives it back, and practical help.
    visit.tap_tie("Siân")
    visit.check("Siân tapped", editing="Siân")
    visit.pill("gets", "Siân", "Emotional")
    visit.check("Nia gets emotional support from Siân", editing="Siân")
    visit.pill("gives", "Siân", "Emotional")
    visit.check("and gives it", editing="Siân")
    visit.pill("gives", "Siân", "Practical")
    visit.check("and practical help", editing="Siân")
    assert visit.tie("Siân").support == {"emotional": "both", "practical": "gives"}

    # The choir's strength from the map's own bar; then a link from the choir to Siân.
    visit.tap_tie("Côr y Bala")
    visit.check("the choir tapped", editing="Côr y Bala")
    page.locator(".ecomap-quick").get_by_role("button", name="Tenuous", exact=True).tap()
    visit.check("the choir made tenuous on the map's bar", editing="Côr y Bala")
    assert visit.tie("Côr y Bala").strength == "tenuous"
    page.locator(".ecomap-quick").get_by_role("button", name="Link to someone").tap()
    visit.check("link started")
    page.touchscreen.tap(*node_point(tablet, visit.tie("Siân").id))
    visit.check("the choir linked to Siân", editing="Côr y Bala")
    choir, sian = visit.tie("Côr y Bala").id, visit.tie("Siân").id
    assert {link.key for link in visit.saved().links} == {frozenset({choir, sian})}
    visit.shot("linked")

    # Beti dragged round her ring, and the drag undone.
    beti = visit.tie("Beti").id
    version = page.evaluate("() => document.querySelector('.ecomap-canvas').dataset.version")
    start, centre = node_point(tablet, beti), node_point(tablet, "@person")
    reach = math.hypot(start[0] - centre[0], start[1] - centre[1])
    target = (centre[0], centre[1] + reach) if start[1] < centre[1] else (centre[0], centre[1] - reach)
    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(start[0] + (target[0] - start[0]) * step / 10, start[1] + (target[1] - start[1]) * step / 10)
    page.mouse.up()
    page.wait_for_function("(v) => document.querySelector('.ecomap-canvas').dataset.version !== v", arg=version)
    visit.check("Beti dragged", editing="Côr y Bala")
    moved = visit.saved().tie(beti).position
    assert moved is not None
    page.locator(".st-key-undo button").tap()
    visit.check("Undo", editing="Côr y Bala")
    assert visit.saved().tie(beti).position is None

    # The school is hoped for, and becomes a step of the plan.
    visit.tap_tie("Ysgol Bro Tegid")
    visit.choose("Hoped for")
    visit.check("the school hoped for", editing="Ysgol Bro Tegid")
    page.get_by_role("button", name="Add to the plan").tap()
    visit.check("a plan step for the school", editing="Ysgol Bro Tegid")
    assert visit.on_screen(page.get_by_text("Added to the plan")), "the tools' notice is held in view"
    school = visit.tie("Ysgol Bro Tegid").id
    assert [item.tie for item in visit.saved().plan] == [school]
    visit.shot("plan")

    # What is strong and what to explore: a finding, tapped at the foot of a scrolled list, opens its tie.
    visit.done()
    visit.check("Done")
    page.get_by_text("Show what is strong and what to explore").tap()
    visit.check("the findings shown")
    scrolled = page.locator('[class*="st-key-tools_"]').evaluate(
        "(tools) => { tools.scrollTop = tools.scrollHeight; return tools.scrollTop; }"
    )
    assert scrolled > 0
    page.get_by_role("button", name="The tie with Dad can be stressful").tap()
    visit.check("a finding about Dad tapped", editing="Dad")
    assert visit.on_screen(page.locator('[class*="st-key-tools_"] h3').first), "Dad's editor opens at its top"
    dad = node_point(tablet, visit.tie("Dad").id)
    assert page.evaluate(
        "([x, y]) => document.querySelector('.ecomap-canvas').contains(document.elementFromPoint(x, y))", list(dad)
    ), "Dad is in view on the map"
    visit.shot("finding")

    assert visit.steps >= 35
    assert tablet.dialogs == [] and tablet.outside_requests() == []
    assert time.monotonic() - started < 120
