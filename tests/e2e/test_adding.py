"""Adding someone in the map's own form, in a real Chromium with touch, at both tablet sizes: drawn at once
where the ring was tapped, saved with the name and role typed, or refused and put away with the reason."""

from __future__ import annotations

import math
from typing import Any

import pytest

from ecomap.model import NAME_MAX, new_map
from tests.e2e.conftest import App, Tablet, add_map, saved, wait_drawn

pytestmark = pytest.mark.e2e

#: Where a place at (angle, distance) of the map is on the page.
MAP_POINT = """([angle, distance]) => {
  const c = document.querySelector('.ecomap-canvas');
  const n = c.ecomapNetwork;
  const radius = 500 * distance;
  const radians = (angle * Math.PI) / 180;
  const p = n.canvasToDOM({ x: Math.sin(radians) * radius, y: -Math.cos(radians) * radius });
  const r = c.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""

#: What is true the moment Add is pressed, before anything from the server: the drawn node named so (if
#: any) and the version of the data the map holds. Recorded by a listener after the form's own.
WATCH_SUBMIT = """(name) => {
  const form = document.querySelector('.ecomap-add');
  window.__atSubmit = null;
  form.addEventListener('submit', () => {
    const c = document.querySelector('.ecomap-canvas');
    const node = c.ecomapNetwork.body.data.nodes.get().find((n) => n.label === name) || null;
    const bar = document.querySelector('.ecomap-quick');
    window.__atSubmit = {
      node, version: c.dataset.version, pending: c.dataset.pending, formHidden: form.hidden,
      bar: bar.hidden ? null : bar.dataset.tie,
    };
  }, { once: true });
}"""

DRAWN = "() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.nodes.get()"

#: The page's layout is in place (its style can arrive after the map's first drawing): the tools scroll
#: in a panel of their own. Then two frames, for the map to fit its place again.
LAID_OUT = """async () => {
  const tools = document.querySelector('[class*="st-key-tools_"]');
  if (!tools || getComputedStyle(tools).overflowY !== 'auto') return false;
  for (let i = 0; i < 2; i++) await new Promise((done) => requestAnimationFrame(done));
  return true;
}"""


def open_map(tablet: Tablet, app: App, map_id: str) -> None:
    tablet.goto(f"{app.url}/map?map={map_id}")
    wait_drawn(tablet)
    tablet.page.wait_for_function(LAID_OUT, timeout=30_000)
    tablet.page.locator(".ecomap-canvas").scroll_into_view_if_needed()


def tap_ring(tablet: Tablet, angle: float, distance: float) -> None:
    x, y = tablet.page.evaluate(MAP_POINT, [angle, distance])
    tablet.page.touchscreen.tap(x, y)


def drawn(tablet: Tablet) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in tablet.page.evaluate(DRAWN)}


def place_of(node: dict[str, Any]) -> tuple[float, float]:
    """A drawn node's angle (degrees clockwise from the top) and distance (0 to 1)."""
    x, y = node["x"] / 500, node["y"] / 500
    return (math.degrees(math.atan2(x, -y)) + 360) % 360, math.hypot(x, y)


def width(tablet: Tablet) -> int:
    size = tablet.page.viewport_size
    assert size is not None
    return int(size["width"])


def test_someone_added_in_the_maps_form_is_drawn_at_once_where_tapped_and_saved_as_typed(
    app: App, tablet: Tablet
) -> None:
    map_id = add_map(app, new_map(f"Elen {width(tablet)}"))
    open_map(tablet, app, map_id)
    page = tablet.page
    version = page.locator(".ecomap-canvas").get_attribute("data-version")
    tap_ring(tablet, 90, 0.6)  # the community ring, to the right
    form = page.locator(".ecomap-add")
    form.wait_for(state="visible")
    assert form.get_by_text("Add to Community").is_visible()
    # The name is focused at once, for the tablet's keyboard; the roles are the community ring's.
    assert page.evaluate("() => document.activeElement.name") == "name"
    roles = form.locator("select[name=role] option").all_text_contents()
    assert roles[0] == "Someone or something else" and "Group or club" in roles and "Mam" not in roles
    for control in form.locator("input, select, button").all():
        box = control.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    box, canvas = form.bounding_box(), page.locator(".ecomap-canvas").bounding_box()
    assert box is not None and canvas is not None
    assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]  # over the map

    form.get_by_label("Name").fill("Côr y Bala")
    form.get_by_label("Who are they?").select_option("group")
    page.evaluate(WATCH_SUBMIT, "Côr y Bala")
    form.get_by_role("button", name="Add to the map").tap()
    at_submit = page.evaluate("() => window.__atSubmit")
    # Drawn in the same task as the tap, before the server has answered: a group's shape, where tapped,
    # selected, with the map's bar for it, and counted as not yet saved.
    assert at_submit["version"] == version and at_submit["formHidden"] is True and at_submit["pending"] == "1"
    node = at_submit["node"]
    assert node is not None and node["shape"] == "hexagon" and node["sector"] == "community"
    assert at_submit["bar"] == node["id"]
    angle, distance = place_of(node)
    assert abs(angle - 90) < 1 and abs(distance - 0.6) < 0.01

    page.wait_for_function(
        f"() => {{ const c = document.querySelector('.ecomap-canvas');"
        f" return c.dataset.version !== '{version}' && c.dataset.pending === '0'; }}"
    )
    wait_drawn(tablet)
    (tie,) = saved(app, map_id).ties
    assert (tie.name, tie.role, tie.kind, tie.sector) == ("Côr y Bala", "group", "group", "community")
    assert tie.position is not None and abs(tie.position.angle - 90) < 1 and abs(tie.position.distance - 0.6) < 0.01
    # The person drawn is the person saved (the browser's id kept), now selected with their controls shown.
    assert tie.id == node["id"] and drawn(tablet)[tie.id]["label"] == "Côr y Bala"
    assert page.locator(".ecomap-quick").is_visible() and "Côr y Bala" in page.locator(".ecomap-quick").inner_text()
    assert tablet.dialogs == [] and tablet.outside_requests() == []


@pytest.mark.parametrize(
    ("name", "why"),
    [("\x01\x02\x03", "control character (U+0001)"), ("Siân " * 25, f"longer than {NAME_MAX} characters")],
    ids=["control characters", "too long"],
)
def test_a_name_the_model_refuses_is_drawn_then_taken_away_and_the_map_says_why(
    app: App, tablet: Tablet, name: str, why: str
) -> None:
    map_id = add_map(app, new_map(f"Gwen {width(tablet)} {len(name)}"))
    open_map(tablet, app, map_id)
    page = tablet.page
    tap_ring(tablet, 200, 0.3)  # the family ring
    form = page.locator(".ecomap-add")
    form.wait_for(state="visible")
    # The browser lets through what the model is to judge: the length limit is not the form's.
    typed = "(input, name) => { input.removeAttribute('maxlength'); input.value = name; }"
    form.get_by_label("Name").evaluate(typed, name)
    page.evaluate(WATCH_SUBMIT, name.strip())
    form.get_by_label("Name").press("Enter")  # Enter adds
    assert page.evaluate("() => window.__atSubmit.node") is not None  # drawn at once
    page.get_by_text(why).first.wait_for(state="visible")  # beside the map
    page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.pending === '0'")
    wait_drawn(tablet)
    assert why in page.locator(".ecomap-live").inner_text()  # and said by the map
    assert [n["id"] for n in drawn(tablet).values()] == ["@person"]  # taken away again
    assert saved(app, map_id).ties == ()
    assert tablet.dialogs == []


def test_escape_and_cancel_add_no_one(app: App, tablet: Tablet) -> None:
    map_id = add_map(app, new_map(f"Ifan {width(tablet)}"))
    open_map(tablet, app, map_id)
    page = tablet.page
    form = page.locator(".ecomap-add")
    tap_ring(tablet, 300, 0.85)  # the services ring
    form.wait_for(state="visible")
    assert form.get_by_text("Add to Services").is_visible()
    form.get_by_label("Name").fill("Meddygfa")
    form.get_by_label("Name").press("Escape")
    assert form.is_hidden()
    tap_ring(tablet, 300, 0.85)
    form.wait_for(state="visible")
    assert form.get_by_label("Name").input_value() == ""  # a new start
    form.get_by_label("Name").fill("Meddygfa")
    form.get_by_role("button", name="Cancel").tap()
    assert form.is_hidden()
    # An empty name is not added either: the form says so and stays.
    tap_ring(tablet, 300, 0.85)
    form.get_by_role("button", name="Add to the map").tap()
    assert form.is_visible() and form.get_by_text("Type their name first.").is_visible()
    page.wait_for_timeout(500)
    tablet.settle()
    assert [n["id"] for n in drawn(tablet).values()] == ["@person"]
    assert saved(app, map_id).ties == ()


#: After two animation frames: the map's count of canvas draws, and the mark's box and the map's scale.
MARK = """async () => {
  for (let i = 0; i < 2; i++) await new Promise((done) => requestAnimationFrame(done));
  const c = document.querySelector('.ecomap-canvas');
  const mark = document.querySelector('.ecomap-add-mark');
  if (!mark) return { draws: c.dataset.draws, hidden: true };  // made with the form, when first opened
  const r = mark.getBoundingClientRect();
  return { draws: c.dataset.draws, hidden: mark.hasAttribute('hidden'), scale: c.ecomapNetwork.getScale(),
    x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width,
    dashes: mark.querySelector('circle').getAttribute('stroke-dasharray'),
    focused: document.activeElement.name };
}"""


@pytest.mark.parametrize(("angle", "distance"), [(90, 0.6), (200, 0.85), (20, 0.3)])
def test_the_spot_tapped_is_marked_over_the_map_without_drawing_the_map_again(
    app: App, tablet: Tablet, angle: float, distance: float
) -> None:
    """The dashed mark of the spot is an element over the canvas, centred where the ring was tapped and
    sized as the map is zoomed; opening the form draws no canvas, and closing it takes the mark away."""
    map_id = add_map(app, new_map(f"Mari {angle} {width(tablet)}"))
    open_map(tablet, app, map_id)
    page = tablet.page
    before = page.evaluate(MARK)
    assert before["hidden"] is True
    x, y = page.evaluate(MAP_POINT, [angle, distance])
    page.touchscreen.tap(x, y)
    page.locator(".ecomap-add").wait_for(state="visible")
    shown = page.evaluate(MARK)
    assert shown["hidden"] is False and shown["draws"] == before["draws"]  # the canvas was not drawn again
    assert abs(shown["x"] - x) < 1.5 and abs(shown["y"] - y) < 1.5, (shown, x, y)
    assert shown["width"] == pytest.approx(2 * 25 * shown["scale"], abs=1)
    assert shown["dashes"] == "6 5" and shown["focused"] == "name"
    page.locator(".ecomap-add").get_by_role("button", name="Cancel").tap()
    assert page.evaluate(MARK)["hidden"] is True


def test_a_focus_asked_for_by_a_late_answer_leaves_the_name_being_typed_in_the_form(app: App, tablet: Tablet) -> None:
    """Python's answer to a tap asks for the map's focus; arriving once the form is open and a name is
    being typed (a slow connection), it leaves the focus where the person put it, and nothing typed is lost."""
    m = new_map("Elen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "moderate"})
    map_id = add_map(app, m.replace(id=f"late-focus-{width(tablet)}"))
    page = tablet.page
    held: list[str | bytes] = []
    holding = [False]

    def route(ws: Any) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if holding[0]:
                held.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)
        routes.append((ws, server))

    routes: list[tuple[Any, Any]] = []
    page.route_web_socket("**/_stcore/stream", route)
    open_map(tablet, app, map_id)
    node = page.evaluate(
        "() => { const c = document.querySelector('.ecomap-canvas'); const n = c.ecomapNetwork;"
        " const p = n.canvasToDOM(n.getPosition('t1')); const r = c.getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }"
    )
    holding[0] = True
    page.touchscreen.tap(*node)  # selected at once; Python's answer (the map to have the focus) is held
    page.locator('.ecomap-quick[data-tie="t1"]').wait_for()
    tap_ring(tablet, 90, 0.6)
    page.locator(".ecomap-add").wait_for(state="visible")
    page.keyboard.type("Nia")
    holding[0] = False
    for ws, _ in routes:
        for message in held:
            ws.send(message)
    page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.pending === '0'")
    page.wait_for_timeout(1500)  # the map's tries to take the focus last some frames
    page.keyboard.type(" Jones")
    assert page.evaluate("() => [document.activeElement.name, document.activeElement.value]") == ["name", "Nia Jones"]
    assert page.get_by_role("heading", name="Dafydd").count() == 1  # Python's answer did arrive
