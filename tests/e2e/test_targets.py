"""Every control on every page is a big enough touch target, and no button's words are cut, at both
tablet sizes with touch: the people list, a map (with nothing chosen, with a tie in the editor, in the
guided conversation, with its findings listed), versions, share, the caseload and the importer. And the
map draws every name inside the box the layout keeps clear for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ecomap.examples import example_maps
from ecomap.io import import_file
from ecomap.layout import person_label, place, tie_label
from ecomap.model import PERSON, EcoMap
from ecomap.render.interactive import WORLD_RADIUS
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import ROOT, App, Tablet, wait_drawn

pytestmark = pytest.mark.e2e

#: The smallest touch target, in CSS pixels, on each side.
TOUCH = 44
ROSA = ROOT / "tests" / "samples" / "easynwk" / "Rosa_Braunsteigl-Mueller.json"

#: Every visible control a finger can reach, measured by the box that takes the tap: a checkbox's or
#: a switch's (or a radio button's) label, a choice list's whole field, anything else its own box. A
#: control counts as reached when the point at the middle of that box is the control or inside it.
#: For each button, whether the words in it are cut (wider than the room they are shown in).
MEASURE = """() => {
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=switch],'
    + ' [role=checkbox], [role=radio], [role=option], label:has(input)';
  const found = [];
  const seen = new Set();
  for (const element of document.querySelectorAll(controls)) {
    const input = element.matches('input, [role=switch], [role=checkbox], [role=radio]');
    const field = element.closest('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]')
      && element.closest('[role="group"]');
    const box = (input && element.closest('label')) || field || element;
    if (seen.has(box)) continue;
    seen.add(box);
    const style = getComputedStyle(box);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    box.scrollIntoView({block: 'center', inline: 'center'});
    const r = box.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    if (hit === null || !(hit === box || box.contains(hit) || element.contains(hit))) continue;
    const name = (element.getAttribute('aria-label') || box.innerText || element.outerHTML.slice(0, 60));
    const cut = element.tagName === 'BUTTON'
      ? [...element.querySelectorAll('p, span, div')].some((e) => e.scrollWidth > e.clientWidth + 1)
      : false;
    found.push({name: name.split(/\\s+/).join(' ').slice(0, 60), width: r.width, height: r.height, cut});
  }
  return found;
}"""


def add_examples(app: App) -> dict[str, str]:
    """The example people in the app's database (once), by first name: their map ids."""
    store = Store.from_url(app.database_url)
    store.migrate()
    present = {summary.map_id for summary in store.people(LOCAL_USER)}
    ids = {}
    for m in example_maps():
        if m.id not in present:
            store.add_person(LOCAL_USER, m)
        ids[m.person.called] = m.id
    store.engine.dispose()
    return ids


def open_map(tablet: Tablet, app: App) -> None:
    tablet.goto(f"{app.url}/map?map={add_examples(app)['Rhys']}")
    wait_drawn(tablet)


def tap_tie(tablet: Tablet, tie_id: str) -> None:
    x, y = tablet.page.evaluate(
        """(id) => {
          const c = document.querySelector('.ecomap-canvas');
          const n = c.ecomapNetwork;
          c.scrollIntoView({block: 'center'});
          const p = n.canvasToDOM(n.getPositions([id])[id]);
          const r = c.getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }""",
        tie_id,
    )
    tablet.page.touchscreen.tap(x, y)
    wait_drawn(tablet)


def people(tablet: Tablet, app: App) -> None:
    add_examples(app)
    tablet.goto(app.url)
    expect(tablet.page.get_by_role("link", name="Alys Pritchard · saved ")).to_be_visible()


def importer(tablet: Tablet, app: App) -> None:
    people(tablet, app)
    tablet.page.get_by_text("Bring in a map from another tool").tap()
    tablet.settle()
    expect(tablet.page.locator('[data-testid="stFileUploaderDropzone"]')).to_be_visible()


def map_alone(tablet: Tablet, app: App) -> None:
    open_map(tablet, app)
    expect(tablet.page.get_by_role("heading", name="Add someone or something")).to_be_visible()


def tie_editor(tablet: Tablet, app: App) -> None:
    open_map(tablet, app)
    tap_tie(tablet, "t2")  # Kirsty: cut off and stressful
    # Both her bar on the map and her editor in the tools, each with its own Link to someone.
    expect(tablet.page.get_by_role("group", name="Changes on the map: Kirsty")).to_be_visible()
    tools = tablet.page.locator('[class*="st-key-tools_"]')
    expect(tools.get_by_role("button", name="Link to someone")).to_be_visible()


def guided(tablet: Tablet, app: App) -> None:
    open_map(tablet, app)
    tablet.page.get_by_role("button", name="Guided conversation").tap()
    wait_drawn(tablet)
    expect(tablet.page.get_by_role("button", name="Free drawing")).to_be_visible()


def findings(tablet: Tablet, app: App) -> None:
    open_map(tablet, app)
    tablet.page.get_by_text("Show what is strong and what to explore").tap()
    wait_drawn(tablet)
    expect(tablet.page.get_by_role("heading", name="Areas to explore together")).to_be_visible()


def versions(tablet: Tablet, app: App) -> None:
    tablet.goto(f"{app.url}/history?map={add_examples(app)['Rhys']}")
    expect(tablet.page.get_by_role("heading", name="How Rhys’s map has changed")).to_be_visible()


def share(tablet: Tablet, app: App) -> None:
    tablet.goto(f"{app.url}/share?map={add_examples(app)['Rhys']}")
    expect(tablet.page.get_by_role("heading", name="Share Rhys’s map")).to_be_visible()
    expect(tablet.page.get_by_role("button", name="Network file (GraphML)")).to_be_visible()


def caseload(tablet: Tablet, app: App) -> None:
    add_examples(app)
    # Five people or more, so that the caseload shows its tables and chart (fewer are counts only).
    store = Store.from_url(app.database_url)
    present = {summary.map_id for summary in store.people(LOCAL_USER)}
    for m in example_maps():
        if f"{m.id}-2" not in present:
            someone = m.person.model_copy(update={"name": f"Someone else {m.id}", "preferred_name": ""})
            store.add_person(LOCAL_USER, m.replace(id=f"{m.id}-2", person=someone))
    store.engine.dispose()
    tablet.goto(f"{app.url}/caseload")
    expect(tablet.page.get_by_role("heading", name="Across the caseload")).to_be_visible()
    table = tablet.page.locator('[data-testid="stDataFrame"]').first
    table.hover()  # its toolbar (columns, download, search, full screen) shows over it
    expect(tablet.page.locator('[data-testid="stElementToolbar"] button').first).to_be_visible()


PAGES: dict[str, Callable[[Tablet, App], None]] = {
    "people": people,
    "map": map_alone,
    "editor": tie_editor,
    "guided": guided,
    "findings": findings,
    "versions": versions,
    "share": share,
    "caseload": caseload,
    "import": importer,
}


#: Whether the page's own CSS is on it: its first button is made at least 44 pixels tall.
STYLED = """() => {
  const button = document.querySelector('[data-testid="stApp"] button');
  return button !== null && getComputedStyle(button).minHeight === '44px';
}"""


@pytest.mark.parametrize("page", list(PAGES))
def test_every_control_is_at_least_44_pixels_each_way_and_no_button_is_cut(app: App, tablet: Tablet, page: str) -> None:
    PAGES[page](tablet, app)
    tablet.settle()
    tablet.page.wait_for_function(STYLED, timeout=30_000)
    size = "{width}x{height}".format(**tablet.page.viewport_size)  # type: ignore[arg-type]
    controls: list[dict[str, Any]] = tablet.page.evaluate(MEASURE)
    tablet.page.evaluate("() => window.scrollTo(0, 0)")
    tablet.screenshot(f"targets-{page}-{size}")
    small = [
        (c["name"], round(c["width"]), round(c["height"])) for c in controls if min(c["width"], c["height"]) < TOUCH
    ]
    cut = [c["name"] for c in controls if c["cut"]]
    assert len(controls) > 3, "the measure found the page's controls, not only the sidebar's"
    assert (small, cut) == ([], [])
    assert tablet.dialogs == [] and tablet.outside_requests() == []


#: Each name as vis-network draws it, in the map's world: its lines' widest ink and its lines' height,
#: moved by its vadjust.
DRAWN_NAMES = """() => {
  const n = document.querySelector('.ecomap-canvas').ecomapNetwork;
  const out = {};
  for (const id of n.body.data.nodes.getIds()) {
    const node = n.body.nodes[id];
    const label = node.labelModule;
    const width = Math.max(...label.lines.map((line) => line.width));
    const top = label.size.top + (label.fontOptions.vadjust || 0);
    out[id] = {lines: label.lines.map((line) => line.blocks.map((b) => b.text).join('')),
               left: node.x - width / 2, right: node.x + width / 2, top, bottom: top + label.size.height};
  }
  return out;
}"""


def mapped(app: App, which: str) -> EcoMap:
    """An example person's map, or the imported easyNWK map, in the app's database."""
    if which != "Rosa":
        add_examples(app)
        return next(m for m in example_maps() if m.person.called == which)
    m = import_file(ROSA).map.replace(id="rosa")
    store = Store.from_url(app.database_url)
    store.migrate()
    if all(summary.map_id != m.id for summary in store.people(LOCAL_USER)):
        store.add_person(LOCAL_USER, m)
    store.engine.dispose()
    return m


def inside(ink: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """Whether drawn ink (in the map's world) is inside a layout box (in shares of its radius), to a pixel."""
    left, top, right, bottom = (v * WORLD_RADIUS for v in box)
    return (
        left - 1 <= ink["left"] and ink["right"] <= right + 1 and top - 1 <= ink["top"] and ink["bottom"] <= bottom + 1
    )


@pytest.mark.parametrize("which", ["Alys", "Cai", "Rhys", "Rosa"])
def test_the_map_draws_each_name_inside_its_box_in_the_layout_and_never_splits_a_word(
    app: App, tablet: Tablet, which: str
) -> None:
    m = mapped(app, which)
    tablet.goto(f"{app.url}/map?map={m.id}")
    wait_drawn(tablet)
    drawn = tablet.page.evaluate(DRAWN_NAMES)
    spots = place(m)
    labels = {tie.id: (tie.name, tie_label(tie.name, spots[tie.id])) for tie in m.ties}
    labels[PERSON] = (m.person.called, person_label(m))
    for node_id, (name, label) in labels.items():
        ink = drawn[node_id]
        assert [word for line in ink["lines"] for word in line.split()] == name.split(), "no word is split"
        assert len(ink["lines"]) <= len(label.lines)
    assert [name for node_id, (name, label) in labels.items() if not inside(drawn[node_id], label.box)] == []
    tablet.screenshot(f"names-{which}-{tablet.page.viewport_size['width']}")  # type: ignore[index]
