"""The Welsh walk: every page and main state of the map in Welsh, with no English word on it outside
an allow-list, and the language kept in the URL, across pages and reloads, and taken from the browser.

A word is English when it is a word of an English message (the catalog's message ids) or of
Streamlit's own frame (:data:`STREAMLIT_WORDS`), and not a word of any Welsh translation. What the
person and the practitioner wrote (the example maps' names, notes, own words...) is theirs and is
left as written. What Streamlit does not let us translate is :data:`ALLOWED`, each with why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from ecomap.examples import example_maps
from ecomap.i18n import locales_dir
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet, wait_drawn

pytestmark = pytest.mark.e2e

#: Words of Streamlit's own frame that would be English in a Welsh session if they showed.
STREAMLIT_WORDS = frozenset(
    [
        "upload",
        "browse",
        "files",
        "drag",
        "drop",
        "limit",
        "per",
        "file",
        "choose",
        "option",
        "options",
        "select",
        "clear",
        "search",
        "running",
        "stop",
        "skip",
        "main",
        "content",
        "deploy",
        "rerun",
        "settings",
        "print",
        "record",
        "screencast",
        "about",
        "loading",
        "please",
        "wait",
        "connecting",
        "results",
        "show",
        "password",
    ]
)

#: English that Streamlit shows and gives no way to set, each with why (the list is in docs/welsh.md).
ALLOWED: dict[str, str] = {
    "Skip to main content": "Streamlit's own link at the top of every page; it has no setting for its words",
    "Choose date": "the calendar button of st.date_input: its screen-reader name cannot be set",
    "Open": "the screen-reader name of the arrow that opens a st.selectbox: it cannot be set",
    "Search": "a table's toolbar (st.dataframe): its buttons' names cannot be set",
    "Show/hide columns": "a table's toolbar (st.dataframe)",
    "Download as CSV": "a table's toolbar (st.dataframe)",
    "Fullscreen": "a table's toolbar (st.dataframe)",
    "Drag and drop file here": "st.file_uploader's drop zone: it takes a label, not these words",
    "Limit": "st.file_uploader's drop zone ('Limit 5MB per file')",
    "5MB per file": "st.file_uploader's drop zone",
    "file upload": "the screen-reader name of st.file_uploader's drop zone",
    "Browse files": "st.file_uploader's button",
    "Upload": "st.file_uploader's button's screen-reader name",
    "Link to heading": "the link Streamlit puts beside a heading",
    "English": "each language is named in itself in the choice of language (Cymraeg, English)",
}

#: The words of one map state that count: each visible text (not the names of icons, which are drawn
#: as pictures and hidden from screen readers), and the words a screen reader says for an element;
#: each with where it is (the nearest Streamlit element, and the attribute).
PAGE_WORDS = """() => {
  const seen = [];
  const where = (el) => {
    const owner = el.closest('[data-testid]');
    return owner ? owner.dataset.testid : el.tagName.toLowerCase();
  };
  const hidden = (el) => {
    if (el.closest('[aria-hidden="true"], [data-testid="stIconMaterial"], .material-symbols-rounded')) return true;
    const style = getComputedStyle(el);
    return style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || ['SCRIPT', 'STYLE'].includes(el.tagName) || hidden(el)) continue;
    seen.push([where(el), node.textContent]);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
    if (hidden(el)) continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      if (el.getAttribute(name)) seen.push([`${where(el)} ${name}`, el.getAttribute(name)]);
    }
  }
  return seen;
}"""

WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*")


def words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text)}


@cache
def english_and_welsh() -> tuple[frozenset[str], frozenset[str]]:
    with (locales_dir() / "cy" / "LC_MESSAGES" / "ecomap.po").open("rb") as po:
        catalog = read_po(po)
    english: set[str] = set(STREAMLIT_WORDS)
    welsh: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = [str(text) for text in (message.id if isinstance(message.id, tuple | list) else [message.id])]
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for text in ids:
            english |= words(re.sub(r"{\w+(?::[^}]*)?}", " ", text))
        for translated in strings:
            welsh |= words(re.sub(r"{\w+(?::[^}]*)?}", " ", str(translated or "")))
    return frozenset(english), frozenset(welsh)


@cache
def written_by_people() -> frozenset[str]:
    """Every word the example maps hold: their names, notes and own words are the people's, as written."""
    import json

    found: set[str] = set()
    for m in example_maps():
        found |= words(json.dumps(m.to_dict(), ensure_ascii=False))
    return frozenset(found)


def english_on(tablet: Tablet) -> list[str]:
    """The English words on the page now, each with where it is and the text it is in."""
    english, welsh = english_and_welsh()
    allowed = welsh | written_by_people()
    found = []
    for where, text in tablet.page.evaluate(PAGE_WORDS):
        said = text
        for phrase in ALLOWED:
            said = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", said)
        english_words = sorted((words(said) & english) - allowed)
        if english_words:
            found.append(f"{', '.join(english_words)} in {where}: {text.strip()[:100]!r}")
    return sorted(set(found))


@pytest.fixture(scope="module")
def ids(app: App) -> dict[str, str]:
    store = Store.from_url(app.database_url)
    store.migrate()
    for m in example_maps():
        store.add_person(LOCAL_USER, m)
    store.engine.dispose()
    return {m.person.called: m.id for m in example_maps()}


@pytest.fixture(scope="module")
def welsh_tablet(browser: object) -> Iterator[Tablet]:
    tablet = Tablet(browser, "landscape")
    yield tablet
    tablet.context.close()


def tap_key(tablet: Tablet, key: str) -> None:
    tablet.page.locator(f".st-key-{key}").locator("button, label").first.tap()
    tablet.settle()


def open_map(tablet: Tablet, app: App, map_id: str) -> None:
    tablet.goto(f"{app.url}/map?map={map_id}&lang=cy")
    wait_drawn(tablet)


def tap_tie(tablet: Tablet, tie_id: str) -> None:
    x, y = tablet.page.evaluate(
        """(id) => {
          const c = document.querySelector('.ecomap-canvas');
          const n = c.ecomapNetwork;
          const p = n.canvasToDOM(n.getPositions([id])[id]);
          const r = c.getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }""",
        tie_id,
    )
    tablet.page.touchscreen.tap(x, y)
    wait_drawn(tablet)


def people(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    tablet.goto(f"{app.url}/?lang=cy")


def importer(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    people(tablet, app, ids)
    tablet.page.locator('[data-testid="stExpander"] summary').last.tap()
    tablet.settle()
    expect(tablet.page.locator('[data-testid="stFileUploaderDropzone"]')).to_be_visible()


def the_map(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Rhys"])


def editor(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Rhys"])
    tap_tie(tablet, "t2")
    expect(tablet.page.locator(".st-key-close_editor")).to_be_visible()


def guided(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Rhys"])
    tap_key(tablet, "guided_toggle")
    expect(tablet.page.locator(".st-key-guided_next")).to_be_visible()


def table(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Rhys"])
    tap_key(tablet, "show_table")
    expect(tablet.page.locator('[data-testid="stDataFrame"]')).to_be_visible()


def findings(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Rhys"])
    tap_key(tablet, "show_findings")
    expect(tablet.page.locator('[class*="st-key-finding_gap_"]').first).to_be_visible()


def record(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Alys"])
    tablet.page.locator('[data-testid="stExpander"] summary', has_text="Ar gyfer y cofnod").first.tap()
    tablet.settle()


def calm(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    open_map(tablet, app, ids["Rhys"])
    tap_key(tablet, "calm_view")


def versions(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    tablet.goto(f"{app.url}/history?map={ids['Rhys']}&lang=cy")


def share(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    tablet.goto(f"{app.url}/share?map={ids['Rhys']}&lang=cy")


def caseload(tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    tablet.goto(f"{app.url}/caseload?lang=cy")


STATES: dict[str, Callable[[Tablet, App, dict[str, str]], None]] = {
    "people": people,
    "import": importer,
    "map": the_map,
    "editor": editor,
    "guided": guided,
    "table": table,
    "findings": findings,
    "record": record,
    "calm": calm,
    "versions": versions,
    "share": share,
    "caseload": caseload,
}


@pytest.mark.parametrize("state", list(STATES))
def test_every_page_and_state_in_welsh_has_no_english(
    state: str, welsh_tablet: Tablet, app: App, ids: dict[str, str]
) -> None:
    STATES[state](welsh_tablet, app, ids)
    welsh_tablet.screenshot(f"welsh-{state}")
    assert welsh_tablet.page.evaluate("document.documentElement.lang") == "cy"
    assert english_on(welsh_tablet) == []


def test_the_language_stays_across_pages_and_a_reload(welsh_tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    page = welsh_tablet.page
    welsh_tablet.goto(f"{app.url}/?lang=cy")
    page.locator('[data-testid="stPageLink-NavLink"]', has_text="Rhys").first.click()
    wait_drawn(welsh_tablet)
    assert "lang=cy" in page.url and "/map" in page.url
    expect(page.locator(".st-key-undo")).to_contain_text("Dadwneud")
    page.locator('[data-testid="stPageLink-NavLink"]', has_text="Fersiynau").first.click()
    welsh_tablet.settle()
    assert "lang=cy" in page.url and "/history" in page.url
    page.reload()
    welsh_tablet.settle()
    assert "lang=cy" in page.url
    expect(page.get_by_text("Ymweliadau").first).to_be_visible()


def test_choosing_english_puts_it_in_the_url(welsh_tablet: Tablet, app: App) -> None:
    page = welsh_tablet.page
    welsh_tablet.goto(f"{app.url}/?lang=cy")
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    welsh_tablet.settle()
    page.wait_for_function("() => location.search.includes('lang=en')")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    welsh_tablet.settle()
    expect(page.get_by_role("radiogroup", name="Language")).to_be_attached()


@pytest.mark.parametrize(("locale", "language", "label"), [("cy-GB", "cy", "Iaith"), ("en-GB", "en", "Language")])
def test_a_first_visit_follows_the_browsers_language(
    browser: Any, app: App, ids: dict[str, str], locale: str, language: str, label: str
) -> None:
    context = browser.new_context(locale=locale, viewport={"width": 1024, "height": 768})
    try:
        page = context.new_page()
        page.goto(app.url)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
        page.wait_for_function(f"() => location.search.includes('lang={language}')")
        # The page's language is set by the rerun the address's new language starts: wait for it.
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=language, timeout=30_000)
        expect(page.get_by_role("radiogroup", name=label)).to_be_attached()
    finally:
        context.close()


def test_a_language_named_in_itself_carries_its_own_lang(welsh_tablet: Tablet, app: App, ids: dict[str, str]) -> None:
    """Where the two languages meet (WCAG 3.1.2): "English" on a Welsh page is marked lang="en"."""
    page = welsh_tablet.page
    welsh_tablet.goto(f"{app.url}/share?map={ids['Rhys']}&lang=cy")
    english = page.get_by_text("English", exact=True).first
    expect(english).to_be_visible()
    assert english.evaluate("(el) => el.closest('[lang]').lang") == "en"
    option = page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English")
    expect(option).to_be_visible()
    assert option.evaluate("(el) => (el.querySelector('[lang]') || el.closest('[lang]')).lang") == "en"
