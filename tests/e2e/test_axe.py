"""The accessibility audit: axe-core (the npm package, fetched and verified by scripts/fetch_axe.py)
run on every page and every state of the map, at both tablet sizes with touch, in English and Welsh.

Any serious or critical violation of WCAG 2.0, 2.1 or 2.2 A and AA fails the test; the rest are
printed. One server and one browser serve the whole audit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ecomap.examples import example_maps
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import ROOT, TABLETS, App, Tablet, wait_drawn

sys.path.insert(0, str(ROOT / "scripts"))
from fetch_axe import AXE_VERSION, ensure_axe

pytestmark = pytest.mark.e2e

#: The WCAG rules axe checks, by its tags.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: What fails the audit; the rest is printed.
FAILING = ("serious", "critical")
#: Rules outside the WCAG tags that fail the audit too, whatever their impact: headings in order.
ALSO_FAILING = ["heading-order"]

RUN_AXE = """async ([tags, rules]) => {
  const options = {resultTypes: ['violations']};
  const wcag = await axe.run(document, {...options, runOnly: {type: 'tag', values: tags}});
  const also = await axe.run(document, {...options, runOnly: {type: 'rule', values: rules}});
  return [...wcag.violations, ...also.violations].map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300)})),
  }));
}"""


@pytest.fixture(scope="module")
def ids(app: App) -> dict[str, str]:
    """The example people in the app's database, by first name: their map ids."""
    store = Store.from_url(app.database_url)
    store.migrate()
    for m in example_maps():
        store.add_person(LOCAL_USER, m)
    store.engine.dispose()
    return {m.person.called: m.id for m in example_maps()}


def in_language(url: str, language: str) -> str:
    """``url`` asking for ``language`` (``?lang=cy``: the page's language, kept across the session's pages)."""
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


def tap_key(tablet: Tablet, key: str) -> None:
    """Tap the control whose Streamlit key is ``key`` (whatever its words in either language)."""
    control = tablet.page.locator(f".st-key-{key}").locator("button, label").first
    control.tap()
    tablet.settle()


def open_map(tablet: Tablet, app: App, map_id: str, language: str) -> None:
    tablet.goto(in_language(f"{app.url}/map?map={map_id}", language))
    wait_drawn(tablet)


def people(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    tablet.goto(in_language(app.url, language))


def importer(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    people(tablet, app, ids, language)
    tablet.page.locator('[data-testid="stExpander"] summary').last.tap()
    tablet.settle()
    expect(tablet.page.locator('[data-testid="stFileUploaderDropzone"]')).to_be_visible()


def map_alone(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    open_map(tablet, app, ids["Rhys"], language)


def tie_editor(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    open_map(tablet, app, ids["Rhys"], language)
    x, y = tablet.page.evaluate(
        """(id) => {
          const c = document.querySelector('.ecomap-canvas');
          const n = c.ecomapNetwork;
          const p = n.canvasToDOM(n.getPositions([id])[id]);
          const r = c.getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }""",
        "t2",
    )
    tablet.page.touchscreen.tap(x, y)
    wait_drawn(tablet)
    expect(tablet.page.locator(".st-key-close_editor")).to_be_visible()


def guided(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    open_map(tablet, app, ids["Rhys"], language)
    tap_key(tablet, "guided_toggle")
    expect(tablet.page.locator(".st-key-guided_next")).to_be_visible()


def table(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    open_map(tablet, app, ids["Rhys"], language)
    tap_key(tablet, "show_table")
    expect(tablet.page.locator('[data-testid="stDataFrame"]')).to_be_visible()


def findings(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    open_map(tablet, app, ids["Rhys"], language)
    tap_key(tablet, "show_findings")
    expect(tablet.page.locator('[class*="st-key-finding_gap_"]').first).to_be_visible()


def calm(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    open_map(tablet, app, ids["Rhys"], language)
    tap_key(tablet, "calm_view")
    expect(tablet.page.locator('[data-testid="stSidebar"]')).to_be_hidden()


def versions(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    tablet.goto(in_language(f"{app.url}/history?map={ids['Rhys']}", language))


def share(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    tablet.goto(in_language(f"{app.url}/share?map={ids['Rhys']}", language))


def caseload(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    tablet.goto(in_language(f"{app.url}/caseload", language))
    expect(tablet.page.get_by_role("heading", level=1)).to_be_visible()


def statement(tablet: Tablet, app: App, ids: dict[str, str], language: str) -> None:
    tablet.goto(in_language(f"{app.url}/accessibility", language))


PAGES: dict[str, Callable[[Tablet, App, dict[str, str], str], None]] = {
    "people": people,
    "import": importer,
    "map": map_alone,
    "editor": tie_editor,
    "guided": guided,
    "table": table,
    "findings": findings,
    "calm": calm,
    "versions": versions,
    "share": share,
    "caseload": caseload,
    "accessibility": statement,
}


def audit(tablet: Tablet) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    tablet.page.add_script_tag(path=str(ensure_axe()))
    violations: list[dict[str, Any]] = tablet.page.evaluate(RUN_AXE, [TAGS, ALSO_FAILING])
    return violations


@pytest.fixture(scope="module")
def tablets(browser: object) -> Any:
    """One page per tablet size for the whole audit (each page load is a new session of the app)."""
    opened = {size: Tablet(browser, size) for size in TABLETS}
    yield opened
    for tablet in opened.values():
        tablet.context.close()


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("page", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(
    app: App, ids: dict[str, str], tablets: dict[str, Tablet], page: str, language: str
) -> None:
    failing: dict[str, list[str]] = {}
    for size, tablet in tablets.items():
        PAGES[page](tablet, app, ids, language)
        expect(tablet.page.locator("html")).to_have_attribute("lang", language)  # the page speaks it
        tablet.page.wait_for_timeout(200)
        violations = audit(tablet)
        width = TABLETS[size]["width"]
        tablet.screenshot(f"axe-{page}-{language}-{width}")
        for violation in violations:
            line = f"axe {AXE_VERSION} {page} {language} {width}: {violation['impact']} {violation['id']}"
            targets = [node["target"] for node in violation["nodes"]]
            print(line, json.dumps(targets[:5]), violation["nodes"][0]["summary"].replace("\n", " | "))
            if violation["impact"] in FAILING or violation["id"] in ALSO_FAILING:
                failing.setdefault(f"{size} {violation['id']}", []).extend(targets)
        assert tablet.dialogs == [] and tablet.outside_requests() == []
    assert failing == {}
