"""Co-building the map in a real Chromium with touch, at both tablet sizes."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from PIL import Image

from ecomap.examples import example_maps, generated_map
from ecomap.model import new_map
from ecomap.render.standalone import standalone_html
from ecomap.render.style import STRENGTH_LINES
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet, add_map, saved, wait_drawn

pytestmark = pytest.mark.e2e

HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", '" onmouseover="alert(1)']

NODE_POINT = """(id) => {
  const c = document.querySelector('.ecomap-canvas');
  const n = c.ecomapNetwork;
  const p = n.canvasToDOM(n.getPositions([id])[id]);
  const r = c.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""


#: The page's layout is in place (its style can arrive after the map's first drawing, on a page's first
#: load): the tools scroll in a panel of their own. Then two frames, for the map to fit its place again.
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


def node_point(tablet: Tablet, node_id: str) -> tuple[float, float]:
    x, y = tablet.page.evaluate(NODE_POINT, node_id)
    return float(x), float(y)


def drawn_nodes(tablet: Tablet) -> dict[str, dict]:  # type: ignore[type-arg]
    nodes = tablet.page.evaluate("() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.nodes.get()")
    return {node["id"]: node for node in nodes}


def drawn_edge(tablet: Tablet, edge_id: str) -> dict:  # type: ignore[type-arg]
    return tablet.page.evaluate(
        "(id) => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get(id)", edge_id
    )


def along_tie(tablet: Tablet, tie_id: str) -> tuple[float, float]:
    """Where the line from the person to a tie is on the page, two thirds of the way, clear of both names."""
    tablet.page.locator(".ecomap-canvas").scroll_into_view_if_needed()
    person, tie = node_point(tablet, "@person"), node_point(tablet, tie_id)
    return (person[0] + tie[0] * 2) / 3, (person[1] + tie[1] * 2) / 3


def ink_near(tablet: Tablet, point: tuple[float, float], size: int = 24) -> int:
    """How many dark pixels there are in a square around ``point``."""
    x, y = point
    png = tablet.page.screenshot(clip={"x": x - size / 2, "y": y - size / 2, "width": size, "height": size})
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(image.histogram()[:110])


def test_adding_ties_by_tapping_an_empty_ring(app: App, tablet: Tablet) -> None:
    map_id = add_map(app, new_map(f"Elen {tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    centre = node_point(tablet, "@person")
    box = tablet.page.locator(".ecomap-canvas").bounding_box()
    assert box is not None
    radius = min(box["width"], box["height"]) / 2 / 1.04
    tablet.page.touchscreen.tap(centre[0] + radius * 0.59, centre[1])  # the community ring, at 90°
    form = tablet.page.locator(".ecomap-add")  # the map's own form (tests/e2e/test_adding.py has the rest)
    form.wait_for(state="visible")
    assert form.get_by_text("Add to Community").is_visible()
    form.get_by_label("Name").fill("Côr y Bala")
    form.get_by_label("Who are they?").select_option("group")
    form.get_by_role("button", name="Add to the map").tap()
    tablet.page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.pending === '0'")
    wait_drawn(tablet)

    tie = saved(app, map_id).ties[0]
    assert (tie.name, tie.sector, tie.kind) == ("Côr y Bala", "community", "group")
    assert tie.position is not None and abs(tie.position.angle - 90) < 3
    assert drawn_nodes(tablet)[tie.id]["label"] == "Côr y Bala"
    assert tablet.dialogs == [] and tablet.outside_requests() == []


def test_dragging_a_tie_keeps_its_new_place_after_a_reload(app: App, tablet: Tablet) -> None:
    m = new_map("Iolo").with_tie({"id": "t1", "name": "Nain", "sector": "family"})
    map_id = add_map(app, m.replace(id=f"drag-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    start = node_point(tablet, "t1")
    centre = node_point(tablet, "@person")
    # Drag Nain round the family ring to its left side (270°), at the same distance from the centre.
    reach = ((start[0] - centre[0]) ** 2 + (start[1] - centre[1]) ** 2) ** 0.5
    target = (centre[0] - reach, centre[1])
    tablet.page.mouse.move(*start)
    tablet.page.mouse.down()
    for step in range(1, 11):
        tablet.page.mouse.move(
            start[0] + (target[0] - start[0]) * step / 10, start[1] + (target[1] - start[1]) * step / 10
        )
    tablet.page.mouse.up()
    wait_drawn(tablet)
    position = saved(app, map_id).tie("t1").position
    assert position is not None and abs(position.angle - 270) < 5 and 0.25 <= position.distance <= 0.43

    tablet.page.reload()
    wait_drawn(tablet)
    after = node_point(tablet, "t1")
    assert abs(after[0] - target[0]) < 12 and abs(after[1] - target[1]) < 12


def test_editing_strength_changes_the_line_and_undo_brings_it_back(app: App, tablet: Tablet) -> None:
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
    map_id = add_map(app, m.replace(id=f"edit-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    dashed_ink = ink_near(tablet, along_tie(tablet, "t1"))

    tablet.page.touchscreen.tap(*node_point(tablet, "t1"))
    tablet.settle()
    tablet.page.get_by_role("radio", name="Strong").tap()
    wait_drawn(tablet)
    assert saved(app, map_id).tie("t1").strength == "strong"
    assert drawn_edge(tablet, "tie:t1")["width"] == 7
    strong_ink = ink_near(tablet, along_tie(tablet, "t1"))
    assert strong_ink > dashed_ink * 2, (dashed_ink, strong_ink)

    tablet.page.locator(".st-key-undo button").tap()  # the toolbar's (the map's bar has one too)
    wait_drawn(tablet)
    assert saved(app, map_id).tie("t1").strength == "tenuous"
    assert drawn_edge(tablet, "tie:t1")["dashes"]
    assert ink_near(tablet, along_tie(tablet, "t1")) < strong_ink
    assert tablet.outside_requests() == []


def test_the_guided_conversation_builds_the_map_and_reads_it_back(app: App, tablet: Tablet) -> None:
    map_id = add_map(app, new_map(f"Siôn {tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    page = tablet.page
    page.get_by_role("button", name="Guided conversation").tap()
    tablet.settle()
    assert page.get_by_text("Who do you see or speak to most days?").count() == 1
    page.get_by_label("Name", exact=True).fill("Mam")
    page.get_by_role("radio", name="Mam").tap()
    page.get_by_role("button", name="Add to the map").tap()
    wait_drawn(tablet)
    assert page.get_by_text("Mam sounds like part of your every day.").count() == 1
    page.get_by_role("button", name="Next question").tap()
    tablet.settle()
    page.get_by_label("Name", exact=True).fill("Osian")
    page.get_by_role("button", name="Add to the map").tap()
    wait_drawn(tablet)
    for _ in range(5):
        page.get_by_role("button", name="Next question").tap()
        tablet.settle()
    assert page.get_by_text("Here is what we have drawn together").count() == 1
    assert page.get_by_text("You see Mam every day").count() == 1
    page.get_by_role("button", name="Yes, that's right").tap()
    tablet.settle()
    ties = {t.name: t for t in saved(app, map_id).ties}
    assert ties["Mam"].frequency == "daily" and ties["Osian"].flow == "to_person"
    assert set(drawn_nodes(tablet)) == {"@person", "t1", "t2"}


def test_hostile_names_never_run_anywhere(app: App, tablet: Tablet, tmp_path: Path) -> None:
    m = new_map(HOSTILE[0], map_id=f"hostile-{tablet.page.viewport_size['width']}")  # type: ignore[index]
    for i, name in enumerate(HOSTILE, start=1):
        m = m.with_tie({"id": f"t{i}", "name": name, "sector": "community", "own_words": name, "notes": name})
    m = m.replace(title=HOSTILE[1], person={"name": HOSTILE[2], "what_matters": HOSTILE, "strengths": HOSTILE})
    add_map(app, m)
    tablet.goto(app.url)
    open_map(tablet, app, m.id)
    tablet.page.touchscreen.tap(*node_point(tablet, "t1"))
    tablet.settle()
    tablet.page.get_by_role("button", name="Guided conversation").tap()
    tablet.settle()
    for _ in range(len(HOSTILE) * 2 + 1):
        tablet.page.get_by_role("button", name="Next question").tap()
        tablet.settle()
        if tablet.page.get_by_text("Here is what we have drawn together").count():
            break
    tablet.page.wait_for_timeout(500)
    assert {n["label"] for n in drawn_nodes(tablet).values()} >= set(HOSTILE)
    assert tablet.dialogs == []

    export = tmp_path / "hostile.html"
    export.write_text(standalone_html(m), encoding="utf-8")
    offline = tablet.context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    offline.on("request", lambda request: requests.append(request.url))
    offline.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    offline.goto(export.as_uri())
    offline.wait_for_function("() => typeof network !== 'undefined' && network.body.data.nodes.length === 4")
    labels = offline.evaluate("() => network.body.data.nodes.get().map(n => n.label)")
    offline.mouse.move(200, 200)
    offline.wait_for_timeout(300)
    assert set(labels) >= set(HOSTILE)
    assert dialogs == []
    assert requests == [export.as_uri()]
    offline.close()


def boxes_overlap(a: dict, b: dict) -> bool:  # type: ignore[type-arg]
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_a_full_map_is_readable_at_tablet_sizes(app: App, tablet: Tablet) -> None:
    m = next(m for m in example_maps() if len(m.ties) >= 20)
    map_id = add_map(app, m.replace(id=f"full-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    size = f"{tablet.page.viewport_size['width']}x{tablet.page.viewport_size['height']}"  # type: ignore[index]
    tablet.screenshot(f"map-{size}")
    # Each mark and its name where it is drawn: vis-network's own bounding box leaves out a name's vadjust.
    boxes = tablet.page.evaluate(
        "() => { const n = document.querySelector('.ecomap-canvas').ecomapNetwork;"
        " return n.body.data.nodes.getIds().map(id => { const node = n.body.nodes[id], r = node.options.size;"
        " const s = node.labelModule.size, top = s.top + (node.labelModule.fontOptions.vadjust || 0);"
        " return [id, {left: Math.min(node.x - r, s.left), right: Math.max(node.x + r, s.left + s.width),"
        " top: Math.min(node.y - r, top), bottom: Math.max(node.y + r, top + s.height)}]; }); }"
    )
    overlapping = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if boxes_overlap(box_a, box_b)]
    assert overlapping == []
    scale = tablet.page.evaluate("() => document.querySelector('.ecomap-canvas').ecomapNetwork.getScale()")
    assert 28 * scale >= 12, "labels are drawn at 12 CSS pixels or more"
    assert tablet.outside_requests() == []


def test_every_control_beside_the_map_is_a_big_enough_touch_target(app: App, tablet: Tablet) -> None:
    m = next(m for m in example_maps() if m.person.name.startswith("Rhys"))
    map_id = add_map(app, m.replace(id=f"touch-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    tablet.page.touchscreen.tap(*node_point(tablet, "t2"))  # Kirsty: cut off and stressful
    wait_drawn(tablet)
    size = f"{tablet.page.viewport_size['width']}x{tablet.page.viewport_size['height']}"  # type: ignore[index]
    tablet.screenshot(f"editor-{size}")
    # Streamlit's own data-grid toolbar (of the table view, for mouse users) is left out.
    controls = tablet.page.locator(
        ".st-key-workspace button:not([data-testid='stBaseButton-elementToolbar']):visible,"
        " .st-key-toolbar button:visible, .st-key-toolbar a:visible"
    )
    small = []
    for i in range(controls.count()):
        box = controls.nth(i).bounding_box()
        if box and (box["width"] < 44 or box["height"] < 44):
            small.append((controls.nth(i).inner_text(), box["width"], box["height"]))
    assert controls.count() > 20
    assert small == [], "\n".join(map(repr, small))


def test_highlighting_shows_strengths_and_areas_and_a_finding_shows_its_tie(app: App, tablet: Tablet) -> None:
    m = next(m for m in example_maps() if m.person.name.startswith("Cai"))
    map_id = add_map(app, m.replace(id=f"findings-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    page = tablet.page
    assert drawn_nodes(tablet)["t1"]["shadow"]["enabled"] is False
    page.get_by_text("Show what is strong and what to explore").tap()
    wait_drawn(tablet)
    nodes = drawn_nodes(tablet)
    assert nodes["t1"]["shadow"]["enabled"] is True  # Mam: strong, both ways
    assert nodes["t4"]["gapMarker"] is True  # Dad: stressful
    size = f"{tablet.page.viewport_size['width']}x{tablet.page.viewport_size['height']}"  # type: ignore[index]
    tablet.screenshot(f"findings-{size}")

    page.get_by_role("button", name="The tie with Dad can be stressful").tap()
    wait_drawn(tablet)
    assert drawn_nodes(tablet)["t4"]["borderWidth"] == 4
    assert page.get_by_role("heading", name="Dad").count() == 1
    page.get_by_role("button", name="Done").tap()
    wait_drawn(tablet)
    page.get_by_text("Show what is strong and what to explore").tap()
    wait_drawn(tablet)
    nodes = drawn_nodes(tablet)
    # What is no longer sent is gone from the drawing too: no glow, no marker, no selection.
    assert (nodes["t1"]["shadow"]["enabled"], nodes["t4"]["gapMarker"], nodes["t4"]["borderWidth"]) == (False, False, 2)
    assert tablet.outside_requests() == []


def bar_button(tablet: Tablet, field: str, value: str = "toggle") -> object:
    return tablet.page.locator(f'.ecomap-quick button[data-field="{field}"][data-value="{value}"]')


def confirmed(tablet: Tablet) -> None:
    """Wait until Python has confirmed every edit drawn on the map, and the run has finished."""
    tablet.page.wait_for_function(
        "() => document.querySelector('.ecomap-canvas').dataset.pending === '0'", timeout=30_000
    )
    wait_drawn(tablet)


def test_a_tie_edit_on_the_bar_of_a_sixty_tie_map_sends_under_eight_kilobytes(app: App, tablet: Tablet) -> None:
    """Only what a tap changes: the map's own element (the frame) is sent again as a reference."""
    m = generated_map(60)
    map_id = add_map(app, m.replace(id=f"bytes-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    received: list[int] = []
    tablet.page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    open_map(tablet, app, map_id)
    tablet.page.touchscreen.tap(*node_point(tablet, "t2"))
    confirmed(tablet)
    tablet.page.wait_for_timeout(300)
    for field, value in (
        ("strength", "moderate"),
        ("stressful", "toggle"),
        ("strength", "tenuous"),
        ("gets", "toggle"),
    ):
        received.clear()
        bar_button(tablet, field, value).tap()  # type: ignore[attr-defined]
        confirmed(tablet)
        tablet.page.wait_for_timeout(300)  # anything still on its way is counted too
        # 9.2 KB before the map, the editor's fields and the rest of the tools were fragments of their own,
        # and the values element carried every tie's values: about 4 KB now (bench/README.md).
        assert sum(received) < 8 * 1024, (
            f"{field}: {sum(received)} bytes in {len(received)} frames: {sorted(received)[-12:]}"
        )
    assert drawn_edge(tablet, "tie:t2")["width"] == STRENGTH_LINES["tenuous"].width
    assert saved(app, map_id).tie("t2").strength == "tenuous"
    assert tablet.page.get_by_role("radio", name="Tenuous", exact=True).is_checked()  # the editor shows it too


#: Records, in the page, when each websocket message arrives and when the map's bar is first shown
#: with a tie's values, so that a test can say which came first.
ORDER_SPY = """() => {
  window.__order = [];
  for (const socket of window.__sockets || []) socket.addEventListener('message', () => window.__order.push('frame'));
  const bar = document.querySelector('.ecomap-quick');
  new MutationObserver(() => {
    if (!bar.hidden && bar.dataset.tie) window.__order.push('bar:' + bar.dataset.tie);
  }).observe(bar, { attributes: true, childList: true });
}"""

SOCKETS = """() => {
  const Real = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (...args) { const ws = new Real(...args); window.__sockets.push(ws); return ws; };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
}"""


def test_selecting_a_tie_shows_its_bar_with_its_values_before_any_server_message(app: App, tablet: Tablet) -> None:
    m = new_map("Gwen").with_tie(
        {"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous", "stressful": True,
         "status": "hoped_for", "support": {"practical": "gives"}}
    )  # fmt: skip
    map_id = add_map(app, m.replace(id=f"select-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    tablet.page.add_init_script(f"({SOCKETS})()")
    open_map(tablet, app, map_id)
    page = tablet.page
    page.evaluate(ORDER_SPY)
    page.touchscreen.tap(*node_point(tablet, "t1"))
    confirmed(tablet)
    order = page.evaluate("() => window.__order")
    assert order and order[0] == "bar:t1", order  # drawn before any message from the server arrived
    assert "frame" in order  # and the server answered after
    bar = page.locator(".ecomap-quick")
    assert bar.get_attribute("data-tie") == "t1" and "Dafydd" in bar.inner_text()
    pressed = {
        (b.get_attribute("data-field"), b.get_attribute("data-value"))
        for b in bar.locator('button[aria-pressed="true"]').all()
    }
    assert pressed == {("strength", "tenuous"), ("stressful", "toggle"), ("gives", "toggle"), ("status", "hoped_for")}
    assert drawn_nodes(tablet)["t1"]["borderWidth"] == 4  # the selection ring, drawn at once too
    assert page.get_by_role("heading", name="Dafydd").count() == 1  # Python opened the editor after


#: Records, in the page, the tap (its press and its lift), each draw of the map's canvas, each message
#: the page sends and each it receives, and each choice a widget shows chosen, in order, with the number
#: of animation frames begun before each.
SEND_SPY = """() => {
  window.__order = [];
  window.__frames = 0;
  const tick = () => { window.__frames += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const mark = (what) => window.__order.push([what, window.__frames]);
  for (const socket of window.__sockets || []) {
    const send = socket.send.bind(socket);
    socket.send = (data) => { mark('sent'); send(data); };
    socket.addEventListener('message', () => mark('frame'));
  }
  new MutationObserver(() => mark('drawn'))
    .observe(document.querySelector('.ecomap-canvas'), { attributes: true, attributeFilter: ['data-draws'] });
  window.addEventListener('pointerdown', () => mark('tap'), true);
  window.addEventListener('pointerup', () => mark('lifted'), true);
  window.addEventListener('keydown', () => mark('tap'), true);
  new MutationObserver((changes) => {
    if (changes.some((c) => c.target.getAttribute('aria-checked') === 'true')) mark('checked');
  }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['aria-checked'] });
}"""

#: Marks each of the bar's buttons as they are, to tell after a tap whether they are the same elements.
MARK_BAR = "() => { for (const b of document.querySelectorAll('.ecomap-quick button')) b.__kept = true; }"


@pytest.mark.parametrize("tap", ["select", "strength", "stressful"])
def test_an_edit_on_the_map_is_sent_only_once_the_frame_showing_it_is_drawn(app: App, tablet: Tablet, tap: str) -> None:
    """The map answers first: the tap is drawn in the frame after it, and only then does the page send
    anything (sending starts Streamlit's own work, which would hold that frame back)."""
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "moderate"})
    map_id = add_map(app, m.replace(id=f"send-{tap}-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    tablet.page.add_init_script(f"({SOCKETS})()")
    open_map(tablet, app, map_id)
    page = tablet.page
    if tap != "select":
        page.touchscreen.tap(*node_point(tablet, "t1"))
        confirmed(tablet)
    page.evaluate(SEND_SPY)
    page.evaluate(MARK_BAR)
    if tap == "select":
        page.touchscreen.tap(*node_point(tablet, "t1"))
    else:
        value = "strong" if tap == "strength" else "toggle"
        box = bar_button(tablet, tap, value).bounding_box()  # type: ignore[attr-defined]
        assert box is not None
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    confirmed(tablet)
    order = page.evaluate("() => window.__order")
    order = order[[what for what, _ in order].index("tap") :]  # a draw still under way before it is not the tap's
    events = [what for what, _ in order]
    assert "sent" in events and "frame" in events, order
    drawn, sent = events.index("drawn"), events.index("sent")
    assert drawn < sent, order  # the canvas was drawn before anything was sent
    assert order[drawn][1] > order[0][1], order  # once, in the next frame: not at once in the tap's task
    assert events[:sent].count("drawn") == 1, order
    assert order[sent][1] > order[0][1], order  # after an animation frame: not in the tap's own task
    edge = page.evaluate("() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1')")
    assert (edge["strength"], bool(edge.get("stressful"))) == {
        "select": ("moderate", False),
        "strength": ("strong", False),
        "stressful": ("moderate", True),
    }[tap]
    if tap != "select":  # the bar's own buttons stay: only what they show is set anew
        assert page.evaluate("() => [...document.querySelectorAll('.ecomap-quick button')].every((b) => b.__kept)")
    tie = saved(app, map_id).tie("t1")
    assert (tie.strength, tie.stressful) == {"strength": ("strong", False), "stressful": ("moderate", True)}.get(
        tap, ("moderate", False)
    )


@pytest.mark.parametrize("how", ["finger", "mouse"])
def test_a_choice_tapped_in_the_editor_is_drawn_before_the_widget_does_its_own_work(
    app: App, tablet: Tablet, how: str
) -> None:
    """A strength chosen in the editor beside the map is drawn on the map first; the widget's own work
    (its choice shown, Streamlit's rerun that saves it) comes once that frame is drawn, once, with the
    focus on the choice as a tap leaves it."""
    map_id = tie_editor_open(app, tablet, f"editor-{how}", "moderate")
    page = tablet.page
    strong = editor_option(tablet, "Strong")
    strong.wait_for()  # type: ignore[attr-defined]
    page.evaluate(SEND_SPY)
    if how == "finger":
        box = strong.bounding_box()
        assert box is not None
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    else:  # pressed and let go a moment later, in another frame, as a hand does
        box = strong.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.wait_for_timeout(120)
        page.mouse.up()
    page.wait_for_function("() => window.__order.some(([what]) => what === 'sent')")
    confirmed(tablet)
    order = page.evaluate("() => window.__order")
    # From the lift, the tap's end: the press itself moves the focus off the map, which draws its ring away.
    order = order[[what for what, _ in order].index("lifted") :]
    events = [what for what, _ in order]
    assert events.count("checked") == 1, order  # the widget's choice, once
    drawn, checked, sent = events.index("drawn"), events.index("checked"), events.index("sent")
    assert drawn < checked and drawn < sent, order  # the map drawn first, then the widget's own work
    assert order[drawn][1] > order[0][1] and events[:checked].count("drawn") == 1, order  # once, in a frame
    assert order[checked][1] > order[0][1] and order[sent][1] > order[0][1], order  # not in the tap's task
    focused = page.evaluate("() => document.activeElement && document.activeElement.innerText.trim()")
    assert focused == "Strong"
    assert strong.is_checked()
    edge = page.evaluate("() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1')")
    assert edge["strength"] == "strong"
    assert saved(app, map_id).tie("t1").strength == "strong"


#: Records, in the page, each websocket message and each width the tie's line is drawn with, in order.
LINE_SPY = """(edge) => {
  window.__order = [];
  for (const socket of window.__sockets || []) socket.addEventListener('message', () => window.__order.push('frame'));
  const edges = document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges;
  edges.on('*', () => { const e = edges.get(edge); if (e) window.__order.push('line:' + e.width); });
}"""


def tie_editor_open(app: App, tablet: Tablet, name: str, strength: str) -> str:
    """Gwen's map with one tie (Dafydd, ``strength``), opened with its websockets known to the page
    (SOCKETS), and the tie tapped: its editor is open beside the map. Returns the map's id."""
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": strength})
    map_id = add_map(app, m.replace(id=f"{name}-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    tablet.page.add_init_script(f"({SOCKETS})()")
    open_map(tablet, app, map_id)
    tablet.page.touchscreen.tap(*node_point(tablet, "t1"))
    confirmed(tablet)
    return map_id


def editor_option(tablet: Tablet, label: str) -> object:
    return tablet.page.locator(".st-key-workspace").get_by_role("radio", name=label, exact=True)


def test_a_strength_chosen_in_the_editor_is_drawn_on_the_map_before_any_server_message(
    app: App, tablet: Tablet
) -> None:
    map_id = tie_editor_open(app, tablet, "editor-first", "tenuous")
    page = tablet.page
    editor_option(tablet, "Strong").wait_for()  # type: ignore[attr-defined]
    page.evaluate(LINE_SPY, "tie:t1")
    editor_option(tablet, "Strong").tap()  # type: ignore[attr-defined]
    page.wait_for_function("() => window.__order.includes('frame')")
    confirmed(tablet)
    order = page.evaluate("() => window.__order")
    strong, tenuous = STRENGTH_LINES["strong"].width, STRENGTH_LINES["tenuous"].width
    assert order and order[0] == f"line:{strong}", order  # drawn before any message from the server arrived
    assert f"line:{tenuous}" not in order, order  # and never put back: the rerun confirmed it
    assert saved(app, map_id).tie("t1").strength == "strong"  # saved once, by the editor's own rerun
    assert drawn_edge(tablet, "tie:t1")["width"] == strong
    assert page.locator(".ecomap-canvas").get_attribute("data-pending") == "0"  # the map sent no edit of its own
    assert bar_button(tablet, "strength", "strong").get_attribute("aria-pressed") == "true"  # type: ignore[attr-defined]

    # Stress and status are drawn at once too, by the same path.
    page.evaluate(LINE_SPY, "tie:t1")
    editor_option(tablet, "Stressful").tap()  # type: ignore[attr-defined]
    assert drawn_edge(tablet, "tie:t1").get("stressful") is True
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").stressful is True
    editor_option(tablet, "In the past").tap()  # type: ignore[attr-defined]
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").status == "past" and drawn_edge(tablet, "tie:t1").get("stressful") is True
    assert tablet.dialogs == [] and tablet.outside_requests() == []


def test_a_refused_change_in_the_editor_puts_the_line_back(app: App, tablet: Tablet) -> None:
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
    map_id = add_map(app, m.replace(id=f"editor-refused-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    tablet.page.add_init_script(f"({SOCKETS})()")
    open_map(tablet, app, map_id)
    page = tablet.page
    page.touchscreen.tap(*node_point(tablet, "t1"))
    confirmed(tablet)
    editor_option(tablet, "Strong").wait_for()  # type: ignore[attr-defined]
    # Someone else saves a newer version meanwhile: the tie is stressful there.
    store = Store.from_url(app.database_url)
    held = store.open(LOCAL_USER, map_id)
    store.save(LOCAL_USER, held.map.with_tie_fields("t1", stressful=True), expected_version=held.version)
    store.engine.dispose()
    page.evaluate(LINE_SPY, "tie:t1")
    editor_option(tablet, "Strong").tap()  # type: ignore[attr-defined]
    page.wait_for_function("() => window.__order.includes('frame')")
    confirmed(tablet)
    order = page.evaluate("() => window.__order")
    strong, tenuous = STRENGTH_LINES["strong"].width, STRENGTH_LINES["tenuous"].width
    assert order and order[0] == f"line:{strong}", order  # drawn at once
    page.wait_for_function(
        "(w) => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1').width === w",
        arg=tenuous,
    )
    edge = drawn_edge(tablet, "tie:t1")
    assert edge["width"] == tenuous and edge["stressful"] is True  # put back, as Python has it
    assert saved(app, map_id).tie("t1").strength == "tenuous"
    assert page.get_by_text("Someone else saved this map").count() >= 1
    assert editor_option(tablet, "Tenuous").is_checked()  # type: ignore[attr-defined]


def test_every_edit_on_the_bar_is_drawn_at_once_and_saved(app: App, tablet: Tablet) -> None:
    m = (
        new_map("Gwen")
        .with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
        .with_tie({"id": "t2", "name": "Nia", "sector": "community"})
    )
    map_id = add_map(app, m.replace(id=f"quick-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    page = tablet.page
    page.touchscreen.tap(*node_point(tablet, "t1"))
    confirmed(tablet)
    click_and_read = """([field, value, edge]) => {
      document.querySelector(`.ecomap-quick button[data-field="${field}"][data-value="${value}"]`).click();
      const c = document.querySelector('.ecomap-canvas');
      const e = c.ecomapNetwork.body.data.edges.get(edge);
      const n = c.ecomapNetwork.body.data.nodes.get('t1');
      return e ? {width: e.width, stressful: e.stressful, arrows: e.arrows, dashes: e.dashes,
                  border: n.color.border, pending: c.dataset.pending} : null;
    }"""
    # Each is drawn in the same task as the tap, before anything reaches the server; then saved.
    drawn = page.evaluate(click_and_read, ["strength", "strong", "tie:t1"])
    assert drawn["width"] == STRENGTH_LINES["strong"].width and drawn["pending"] == "1"
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").strength == "strong"
    assert page.get_by_role("radio", name="Strong", exact=True).is_checked()  # the editor beside the map shows it

    drawn = page.evaluate(click_and_read, ["stressful", "toggle", "tie:t1"])
    assert drawn["stressful"] is True
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").stressful is True

    drawn = page.evaluate(click_and_read, ["gets", "toggle", "tie:t1"])
    assert drawn["arrows"] == "from"
    confirmed(tablet)
    assert set(saved(app, map_id).tie("t1").gets) == {"emotional", "practical", "information", "social"}

    drawn = page.evaluate(click_and_read, ["gives", "toggle", "tie:t1"])
    assert drawn["arrows"] == "to, from"
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").flow == "both"

    drawn = page.evaluate(click_and_read, ["status", "past", "tie:t1"])
    assert drawn["dashes"] and drawn["border"] != drawn_nodes(tablet)["t2"]["color"]["border"]
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").status == "past"

    drawn = page.evaluate(click_and_read, ["undo", "undo", "tie:t1"])
    assert not drawn["dashes"] or drawn["dashes"] is False  # current again, at once
    confirmed(tablet)
    assert saved(app, map_id).tie("t1").status == "current"

    # Link mode: "Link", then a tap on another tie draws the dotted link at once.
    bar_button(tablet, "link", "t1").tap()  # type: ignore[attr-defined]
    page.touchscreen.tap(*node_point(tablet, "t2"))
    assert drawn_edge(tablet, "link:t1:t2") is not None
    confirmed(tablet)
    assert [link.between for link in saved(app, map_id).links] == [("t1", "t2")]
    tablet.screenshot(f"quick-bar-{tablet.page.viewport_size['width']}")  # type: ignore[index]
    assert tablet.outside_requests() == [] and tablet.dialogs == []


def test_a_refused_edit_puts_the_map_back_and_says_why(app: App, tablet: Tablet) -> None:
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
    map_id = add_map(app, m.replace(id=f"refused-{tablet.page.viewport_size['width']}"))  # type: ignore[index]
    open_map(tablet, app, map_id)
    page = tablet.page
    page.touchscreen.tap(*node_point(tablet, "t1"))
    confirmed(tablet)
    # Someone else saves a newer version meanwhile: the tie is stressful there.
    store = Store.from_url(app.database_url)
    held = store.open(LOCAL_USER, map_id)
    store.save(LOCAL_USER, held.map.with_tie_fields("t1", stressful=True), expected_version=held.version)
    store.engine.dispose()
    width = page.evaluate(
        """() => { document.querySelector('.ecomap-quick button[data-field="strength"][data-value="strong"]').click();
        return document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1').width; }"""
    )
    assert width == STRENGTH_LINES["strong"].width  # drawn at once
    confirmed(tablet)
    edge = drawn_edge(tablet, "tie:t1")
    assert edge["width"] == STRENGTH_LINES["tenuous"].width and edge["stressful"] is True  # as Python has it
    assert "Someone else saved this map" in page.locator(".ecomap-quick").inner_text()
    assert "Someone else saved this map" in page.locator(".ecomap-live").inner_text()
    assert saved(app, map_id).tie("t1").strength == "tenuous"


def test_a_plan_step_is_changed_and_removed_beside_the_map(app: App, tablet: Tablet) -> None:
    from tests.conftest import alys

    width = tablet.page.viewport_size["width"]  # type: ignore[index]
    map_id = add_map(app, alys().replace(id=f"plan-{width}"))
    open_map(tablet, app, map_id)
    page = tablet.page
    plan = page.locator(".st-key-workspace")
    change = page.get_by_role("button", name="Change")
    change.scroll_into_view_if_needed()
    box = change.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44
    change.tap()
    tablet.settle()
    what = plan.get_by_label("What", exact=True)
    assert what.input_value() == "Ask when the choir meets"
    what.fill("Go to the choir's open evening")
    plan.get_by_label("Who", exact=True).fill("Alys and Nansi")
    page.get_by_role("button", name="Save").tap()
    wait_drawn(tablet)
    tablet.screenshot(f"plan-changed-{width}")
    item = saved(app, map_id).plan_item("a1")
    assert (item.action, item.who, item.tie) == ("Go to the choir's open evening", "Alys and Nansi", "t2")
    assert page.get_by_text("Go to the choir's open evening").count() == 1

    page.get_by_role("button", name="Change").tap()
    tablet.settle()
    tablet.screenshot(f"plan-editor-{width}")
    page.get_by_role("button", name="Remove from the plan").tap()
    wait_drawn(tablet)
    assert saved(app, map_id).plan == ()
    assert page.get_by_role("button", name="Change").count() == 0
