"""The map with the keyboard alone, at both tablet sizes: no tap, no click, no mouse.

Someone is added, each tie is opened from the map with the arrow keys and Enter (and said in the
live region), a tie's strength and stress are changed, two people are linked, one is moved to
another ring and round it, and the move is undone; after each step the focus is where the step
leaves it, never on the page itself, never in the collapsed sidebar, and drawn as a 3 pixel ring.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from ecomap.model import new_map
from tests.e2e.conftest import App, Tablet, add_map, saved, wait_drawn

pytestmark = pytest.mark.e2e

#: Whether the focus is inside the element with this Streamlit key (or with this selector).
FOCUS_IN = """([selector, text]) => {
  const a = document.activeElement;
  return a !== null && a !== document.body && a.closest(selector) !== null && (!text || a.innerText.trim() === text
    || a.innerText.trim().endsWith(`\n${text}`));
}"""

#: Where the focus is, in words, for a failing assertion.
FOCUS_IS = """() => {
  const a = document.activeElement;
  if (!a) return 'nothing';
  const keyed = a.closest('[class*="st-key-"]');
  const key = keyed ? [...keyed.classList].find((c) => c.startsWith('st-key-')) : '';
  return `${a.tagName} ${key} ${(a.getAttribute('aria-label') || a.innerText || a.value || '').slice(0, 40)}`;
}"""

IN_SIDEBAR = "() => document.activeElement && document.activeElement.closest('[data-testid=\"stSidebar\"]') !== null"

#: The focus ring drawn round the focused control: its width and style.
RING = """() => {
  const a = document.activeElement;
  const box = a.closest('label') && a.matches('input[type=checkbox]') ? a.closest('label') : a;
  const style = getComputedStyle(box);
  return [style.outlineWidth, style.outlineStyle, style.outlineOffset];
}"""


def focus_in(page: Page, selector: str) -> None:
    """The focus is (or comes, once the page's run has finished) inside ``selector``."""
    try:
        page.wait_for_function(FOCUS_IN, arg=[selector, ""], timeout=5_000)
    except Exception as exc:
        raise AssertionError(f"the focus is on {page.evaluate(FOCUS_IS)}, not in {selector}") from exc


def tab_to(page: Page, selector: str, text: str = "", *, back: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focus is inside ``selector`` (on a control saying ``text``);
    never through the sidebar."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        assert not page.evaluate(IN_SIDEBAR), "the collapsed sidebar took the focus"
        if page.evaluate(FOCUS_IN, [selector, text]):
            return
    raise AssertionError(f"{selector} was not reached with Tab (the focus is on {page.evaluate(FOCUS_IS)})")


def arrow_to(tablet: Tablet, selector: str, text: str, key: str = "ArrowRight", limit: int = 40) -> None:
    """Move along a group of choices with an arrow key to ``text`` (Space or Enter then chooses it)."""
    for _ in range(limit):
        if tablet.page.evaluate(FOCUS_IN, [selector, text]):
            return
        tablet.page.keyboard.press(key)
    raise AssertionError(f"{text} was not reached with {key} (the focus is on {tablet.page.evaluate(FOCUS_IS)})")


def press(tablet: Tablet, key: str) -> None:
    """Press ``key`` and wait for the run it starts to finish and the map to be drawn."""
    tablet.page.keyboard.press(key)
    tablet.page.wait_for_timeout(200)
    wait_drawn(tablet)


def live(page: Page) -> str:
    return str(page.evaluate("() => document.querySelector('.ecomap-live').textContent"))


def test_the_whole_map_with_the_keyboard_alone(app: App, tablet: Tablet) -> None:
    width = tablet.page.viewport_size["width"]  # type: ignore[index]
    m = new_map("Nia").with_tie({"id": "t1", "name": "Mam", "sector": "family", "role": "mother"})
    m = m.with_tie({"id": "t2", "name": "Côr y Dre", "sector": "community", "kind": "group"})
    map_id = add_map(app, m.replace(id=f"keys-{width}"))
    page = tablet.page
    tablet.goto(f"{app.url}/map?map={map_id}")
    wait_drawn(tablet)

    # Add someone: the name, a role chip, Add; their editor opens with the focus on their strength.
    tab_to(page, ".st-key-quick_name")
    page.keyboard.type("Bethan")
    tab_to(page, ".st-key-quick_role")
    arrow_to(tablet, ".st-key-quick_role", "Friend")
    press(tablet, "Space")
    tab_to(page, ".st-key-quick_add")
    press(tablet, "Enter")
    added = saved(app, map_id).tie("t3")
    assert (added.name, added.sector) == ("Bethan", "community")
    focus_in(page, '[class*="st-key-strength_t3_"]')
    assert page.evaluate(RING) == ["3px", "solid", "2px"], "the focus is drawn as a 3 pixel ring, clear of the control"
    tablet.screenshot(f"keyboard-added-{width}")

    # Its strength and its stress, each chosen with the arrow keys; the focus stays on the choice.
    arrow_to(tablet, '[class*="st-key-strength_t3_"]', "Strong", "ArrowLeft")
    press(tablet, "Space")
    assert saved(app, map_id).tie("t3").strength == "strong"
    focus_in(page, '[class*="st-key-strength_t3_"]')
    tab_to(page, '[class*="st-key-stressful_t3_"]')
    arrow_to(tablet, '[class*="st-key-stressful_t3_"]', "Stressful")
    press(tablet, "Enter")
    assert saved(app, map_id).tie("t3").stressful is True
    focus_in(page, '[class*="st-key-stressful_t3_"]')
    tablet.screenshot(f"keyboard-stress-{width}")

    # Done: the editor closes and the focus goes to the map.
    tab_to(page, ".st-key-close_editor")
    press(tablet, "Enter")
    assert page.locator(".st-key-close_editor").count() == 0
    focus_in(page, ".ecomap-canvas")

    # Each tie from the map itself: the arrow keys go ring by ring, clockwise; Enter opens, Escape closes.
    for name, said in (
        ("Mam", "Mam: Family, Moderate. 1 of 3."),
        ("Côr y Dre", "Côr y Dre: Community, Moderate."),
        ("Bethan", "Bethan: Community, Strong, stressful."),
    ):
        page.keyboard.press("ArrowRight")
        assert live(page).startswith(said)
        press(tablet, "Enter")
        assert page.get_by_role("heading", name=name).count() == 1
        focus_in(page, ".ecomap-canvas")
    tablet.screenshot(f"keyboard-map-{width}")
    press(tablet, "Escape")
    assert page.locator(".st-key-close_editor").count() == 0
    focus_in(page, ".ecomap-canvas")

    # Link Mam with Bethan from the list beside the map: the chooser takes the focus, then Link to someone.
    tab_to(page, ".st-key-list_link_t1")
    press(tablet, "Enter")
    focus_in(page, ".st-key-link_with")
    page.keyboard.type("Bethan")
    press(tablet, "Enter")
    assert [link.between for link in saved(app, map_id).links] == [("t1", "t3")]
    focus_in(page, ".st-key-link_start")

    # Move Mam to the community ring, then round it, without a drag; then undo the last move.
    tab_to(page, ".st-key-move_start")
    press(tablet, "Enter")
    focus_in(page, '[class*="st-key-ring_t1_"]')
    arrow_to(tablet, '[class*="st-key-ring_t1_"]', "Community")
    press(tablet, "Enter")
    moved = saved(app, map_id).tie("t1")
    assert moved.sector == "community" and moved.position is not None
    focus_in(page, '[class*="st-key-ring_t1_"]')
    tab_to(page, ".st-key-move_clockwise")
    press(tablet, "Enter")
    turned = saved(app, map_id).tie("t1").position
    assert turned is not None and round((turned.angle - moved.position.angle) % 360) == 15
    focus_in(page, ".st-key-move_clockwise")
    tablet.screenshot(f"keyboard-moved-{width}")

    tab_to(page, ".st-key-undo", back=True)
    press(tablet, "Enter")
    assert saved(app, map_id).tie("t1").position == moved.position
    focus_in(page, ".st-key-undo")
    tablet.screenshot(f"keyboard-undone-{width}")
    assert tablet.dialogs == [] and tablet.outside_requests() == []


def test_the_text_size_enlarges_the_tools_and_the_names_on_the_map_and_a_reload_keeps_it(
    app: App, tablet: Tablet
) -> None:
    width = tablet.page.viewport_size["width"]  # type: ignore[index]
    m = new_map("Nia").with_tie({"id": "t1", "name": "Mam", "sector": "family", "role": "mother"})
    map_id = add_map(app, m.replace(id=f"text-size-{width}"))
    page = tablet.page
    tablet.goto(f"{app.url}/map?map={map_id}")
    wait_drawn(tablet)
    font = "() => document.querySelector('.ecomap-canvas').ecomapNetwork.body.nodes['t1'].options.font.size"
    assert page.evaluate(font) == 28
    tab_to(page, ".st-key-text_size_choice")
    press(tablet, "End")
    page.wait_for_function(f"() => ({font})() === 42", timeout=10_000)
    zoom = "() => getComputedStyle(document.querySelector('[class*=\"st-key-tools_\"]')).zoom"
    assert page.evaluate(zoom) == "1.5"
    assert "text=150" in page.url
    focus_in(page, ".st-key-text_size_choice")
    tablet.screenshot(f"text-size-150-{width}")
    tablet.goto(page.url)
    wait_drawn(tablet)
    assert page.evaluate(font) == 42 and page.evaluate(zoom) == "1.5"
