"""Shared page set-up: the store, the session's translator, the sign-in gate and the sidebar."""

from __future__ import annotations

import importlib
import json
import re
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import streamlit as st

from ecomap import versions
from ecomap.errors import StoreUnavailable
from ecomap.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, long_date, preferred_language, translator
from ecomap.pairing import DEVICE_COOKIE, REFUSALS, DeviceVisit, device_visit
from ecomap.render.interactive import FOCUS_COLOUR
from ecomap.settings import Settings, is_loopback
from ecomap.store import Store, User, default_url
from ecomap.versions import SavedVersion
from ui import signin

PEOPLE_PAGE = "streamlit_app.py"
MAP_PAGE = "pages/map.py"
SHARE_PAGE = "pages/share.py"
HISTORY_PAGE = "pages/history.py"
CASELOAD_PAGE = "pages/caseload.py"
ADMIN_PAGE = "pages/admin.py"
ACCESSIBILITY_PAGE = "pages/accessibility.py"
LANGUAGE_KEY = "language"
#: The URL's word for the session's language (``?lang=cy``): a reload, a bookmark or a link keeps it.
LANGUAGE_PARAM = "lang"
#: The page icon, served as every page's ``favicon.png`` (ecomap_app.py).
ICON = Path(__file__).with_name("icon.png")

SidebarState = Literal["auto", "expanded", "collapsed"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")

#: Every page's own CSS: every control a finger can reach takes at least 44 by 44 CSS pixels (WCAG
#: 2.5.5), measured on each page at both tablet sizes by tests/e2e/test_targets.py; and a button's
#: words wrap between words rather than being cut short.
TOUCH_CSS = """
<style>
[data-testid="stApp"] button, [data-testid="stApp"] summary, [data-testid="stApp"] [role="tab"],
[data-testid="stApp"] a[href]:not(p a, li a), [data-testid="stPageLink-NavLink"] {
  min-height: 44px; min-width: 44px;
}
[data-testid="stApp"] summary, [data-testid="stPageLink-NavLink"] { display: flex; align-items: center; }
[data-testid="stApp"] a[href]:not(p a, li a) { display: inline-flex; align-items: center; }
/* A switch, a checkbox and a radio button take the tap on their whole label, words and all. */
[data-testid="stCheckbox"] label, [data-testid="stRadio"] label,
[data-testid="stApp"] label:has(input[type="checkbox"]), [data-testid="stApp"] label:has(input[type="radio"]) {
  min-height: 44px; min-width: 44px; align-items: center;
}
/* Fields to type or pick in: names, dates, numbers, notes, and choice lists. */
[data-testid="stApp"] input:not([type="checkbox"], [type="radio"], [type="file"], [role="combobox"]),
[data-testid="stApp"] textarea,
[data-testid="stSelectbox"] [role="group"], [data-testid="stMultiSelect"] [role="group"] {
  min-height: 44px;
}
/* The help mark beside a label: a 44 pixel target round its small sign. */
[data-testid="stTooltipHoverTarget"] button { display: inline-flex; align-items: center; justify-content: center; }
[data-testid="stApp"] button p, [data-testid="stApp"] button [data-testid="stMarkdownContainer"] {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: normal;
}
/* Fields a tablet's browser would zoom into if their words were under 16 pixels. */
[data-testid="stApp"] input, [data-testid="stApp"] textarea { font-size: max(16px, 1rem); }
/* The collapsed sidebar is out of the keyboard's way as well as out of sight. */
[data-testid="stSidebar"][data-collapsed="true"] { visibility: hidden; }
/* A chosen option (a strength, a kind of support, a choice on the map's bar) carries a tick and a
   bold outline, not only a fill. */
[data-testid="stApp"] button[data-selected="true"] { border: 2px solid currentColor; font-weight: 700; }
[data-testid="stApp"] button[data-selected="true"]::before { content: "\\2713\\00a0" / ""; font-weight: 700; }
/* The keyboard's focus on every control (WCAG 2.4.7, 2.4.11): a 3 pixel ring, 2 pixels clear of the
   control with a white gap, in the focus colour (3:1 or more against the page, the grey fields and a
   chosen option's accent). */
[data-testid="stApp"] :is(a, button, input, textarea, select, summary, [tabindex]):focus-visible,
[data-testid="stApp"] label:has(input:focus-visible),
[data-testid="stApp"] [data-baseweb="select"]:has(input:focus-visible) {
  outline: 3px solid FOCUS_COLOUR !important; outline-offset: 2px !important; box-shadow: 0 0 0 2px #ffffff !important;
}
/* The map's own ring is drawn inside its edge: the map's column clips anything outside it. */
[data-testid="stApp"] .ecomap-canvas:focus-visible { outline-offset: -5px !important; }
</style>
""".replace("FOCUS_COLOUR", FOCUS_COLOUR)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    # Shared by every session: it holds an engine and its pool, never anyone's data.
    store = Store.from_url(url)
    store.migrate()
    return store


def store() -> Store:
    """The store for this app's database (``ECOMAP_DATABASE_URL`` or the SQLite file)."""
    return _store(default_url())


#: What the first page's first run would otherwise import itself (``streamlit_app.py``'s own imports).
FIRST_PAGE_MODULES = ("ecomap.examples", "ecomap.search", "ui.importing", "ui.mapview", "ui.messages")
#: How long the warm-up waits for the server to serve before it gives up (a process that is no server).
WARM_UP_WAIT = 60.0


def _serving() -> bool:
    """Whether this process is a Streamlit server that now answers browsers."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.runtime import RuntimeState

    return Runtime.exists() and Runtime.instance().state is not RuntimeState.INITIAL


def warm_up(*, wait: float = WARM_UP_WAIT) -> None:
    """Once the server serves, do what every first page would wait for, while the browser is still
    loading Streamlit's own scripts: open the store (its migration check imports Alembic, about
    200 ms), import the first page's modules, and read the dates' and the translations' data.

    It holds no one's data: the store is the shared one (:func:`store`), the date formatted is
    today's. A database that cannot be used now is left for the first page to say so.
    """
    deadline = time.monotonic() + wait
    while not _serving():
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)
    try:
        store()
        for module in FIRST_PAGE_MODULES:
            importlib.import_module(module)
        for language in LANGUAGES:
            long_date(datetime.now(UTC), translator(language))
    except Exception:  # noqa: S110 (the first page meets the same problem and says it)
        pass


def start_warm_up() -> None:
    """:func:`warm_up` in a thread of its own, once per process (when ``ui.common`` is first imported)."""
    threading.Thread(target=warm_up, name="ecomap-warm-up", daemon=True).start()


def describe_version(info: SavedVersion, t: Translator) -> str:
    """A version as a picker shows it, its name first: "first conversation · 23 November 2026, 10:47"."""
    return versions.describe_version(info, t)


def current_user() -> User:
    """The acting practitioner: the local mode's one user, or whoever is signed in (team mode).

    A session that is not signed in (or has just gone too long unused) never acts: the call ends
    the run, or the callback it is in, and the page shows the sign-in screen instead.
    """
    user = signin.signed_in_user(store())
    if user is None:
        st.rerun()
    return user


def plain(text: str) -> str:
    """``text`` with Markdown made literal, for labels that Streamlit renders as Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def session_translator() -> Translator:
    """The translator of this session's language (for callbacks, which run before the page)."""
    return translator(st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))


#: Sets the page's own language (``<html lang>``), which Streamlit leaves as English, and marks each
#: language's name, written in itself ("English" on a Welsh page), with its own ``lang`` (WCAG 3.1.2),
#: in the choice lists too as they open. No one's data is in it.
_PAGE_LANGUAGE = """<script>
document.documentElement.lang = {language};
window.ecomapLanguageNames = {names};
if (!window.ecomapLanguageMarks) {{
  const mark = (el) => {{
    const lang = el && !el.children.length && window.ecomapLanguageNames[el.textContent.trim()];
    if (lang && el.lang !== lang) el.lang = lang;
  }};
  const within = (node) => {{
    if (node.nodeType === Node.TEXT_NODE) return mark(node.parentElement);
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    mark(node);
    for (const el of node.querySelectorAll('p, span, div, li')) mark(el);
  }};
  window.ecomapLanguageMarks = new MutationObserver((changes) => {{
    for (const change of changes) {{
      if (change.type === 'characterData') mark(change.target.parentElement);
      for (const node of change.addedNodes) within(node);
    }}
  }});
  window.ecomapLanguageMarks.observe(document.body, {{childList: true, subtree: true, characterData: true}});
  within(document.body);
}}
</script>"""


def session_language() -> str:
    """This session's language: the one chosen on a page, else the URL's (``?lang=cy``), else the first
    the browser asks for that Ecomap speaks, else English."""
    for chosen in (st.session_state.get(LANGUAGE_KEY), st.query_params.get(LANGUAGE_PARAM)):
        if chosen in LANGUAGES:
            return str(chosen)
    asked = preferred_language(st.context.locale, st.context.headers.get("Accept-Language"))
    return asked or DEFAULT_LANGUAGE


def with_language(query_params: dict[str, str] | None = None) -> dict[str, str]:
    """``query_params`` with the session's language: what every link to another page passes, so the
    language goes with it (``st.page_link(..., query_params=with_language({"map": id}))``)."""
    return {**(query_params or {}), LANGUAGE_PARAM: st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)}


def page_setup(title: str | None = None, *, sidebar: SidebarState = "auto") -> Translator:
    """Configure the page and draw the sidebar; return the session's translator."""
    # Re-assigning keeps the choice when the page changes (Streamlit drops state of widgets not yet drawn);
    # the URL carries it too, so a reload or a new page speaks the same language.
    st.session_state[LANGUAGE_KEY] = session_language()
    if st.query_params.get(LANGUAGE_PARAM) != st.session_state[LANGUAGE_KEY]:
        st.query_params[LANGUAGE_PARAM] = st.session_state[LANGUAGE_KEY]
    t = translator(st.session_state[LANGUAGE_KEY])
    # No page icon: the server serves Ecomap's (ICON) where Streamlit's default points (ecomap_app.py).
    st.set_page_config(page_title=title or t("Ecomap"), layout="wide", initial_sidebar_state=sidebar)
    st.html(TOUCH_CSS)
    # The page says which language it is in (WCAG 3.1.1), so a screen reader speaks Welsh as Welsh.
    names = json.dumps({name: code for code, name in LANGUAGES.items()})
    st.html(_PAGE_LANGUAGE.format(language=json.dumps(t.language), names=names), unsafe_allow_javascript=True)
    # The gate: before anything of a person is read, a session that is not signed in sees only this.
    user = signin.signed_in_user(store())
    if user is None:
        signin.sign_in_screen(t, lambda: language_choice(t))
        st.stop()
    if (visit := paired_device(t)) is not None:
        paired_page(visit)
        return t
    with st.sidebar:
        st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:", query_params=with_language())
        role_links(t, user)
        language_choice(t)
        who_is_signed_in(t, user)
        st.page_link(
            ACCESSIBILITY_PAGE,
            label=t("Accessibility"),
            icon=":material/accessibility_new:",
            query_params=with_language(),
        )
    return t


#: What a paired tablet does not see: the sidebar and every link away from the visit's map.
PAIRED_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
.st-key-toolbar [data-testid="stPageLink"] { display: none !important; }
</style>
"""
#: Why a tablet whose visit is over sees nothing more (:data:`ecomap.pairing.REFUSALS`).
ENDED = "ended"
#: The map page's calm view (its switch's key): a paired tablet's default.
CALM_VIEW_KEY = "calm_view"


def visit_mode() -> bool:
    """Whether the app serves a home visit (``ECOMAP_VISIT=1``)."""
    return Settings.from_environ().visit


def other_device() -> bool:
    """Whether this session is another device than this machine, in visit mode (a tablet)."""
    ip = st.context.ip_address  # None from this machine itself
    return visit_mode() and ip is not None and not is_loopback(ip)


def paired_device(t: Translator) -> DeviceVisit | None:
    """The visit a tablet's session is paired with (``None`` for this machine, or outside visit mode). A
    tablet whose visit has ended or is over is told so, and the run stops: it sees nothing more."""
    if not other_device():
        return None
    visit = device_visit(store(), st.context.cookies.get(DEVICE_COOKIE))
    if visit is None:
        st.html(PAIRED_CSS)
        st.info(
            t(REFUSALS[ENDED]),
            icon=":material/link_off:",
        )
        st.stop()
    return visit


def _this_page() -> str:
    """The script of the page being run (``pages/map.py``), as Streamlit names it."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    page = ctx.pages_manager.get_pages().get(ctx.page_script_hash)
    return Path(str(page["script_path"])).as_posix() if page else ""


def paired_page(visit: DeviceVisit) -> None:
    """A paired tablet sees its visit's map and nothing else: any other page or map goes to it, there is
    no sidebar and no link away, and the calm view is where it starts."""
    if not _this_page().endswith(MAP_PAGE) or st.query_params.get("map") != visit.map_id:
        st.switch_page(MAP_PAGE, query_params=with_language({"map": visit.map_id}))
    st.session_state.setdefault(CALM_VIEW_KEY, True)
    st.html(PAIRED_CSS)


def role_links(t: Translator, user: User) -> None:
    """The sidebar's links that come with a role: the caseload for a team lead, the admin page for an admin
    (none while the database cannot be used: the page says so itself)."""
    try:
        leads, admin = any(role.sees_caseload for role in store().roles(user).values()), store().is_admin(user)
    except StoreUnavailable:
        return
    if leads:
        st.page_link(
            CASELOAD_PAGE, label=t("Across the caseload"), icon=":material/monitoring:", query_params=with_language()
        )
    if admin:
        st.page_link(ADMIN_PAGE, label=t("Admin"), icon=":material/admin_panel_settings:", query_params=with_language())


def language_choice(t: Translator) -> None:
    """The choice of the language every page speaks: both languages on show, one tap to change."""
    st.segmented_control(
        t("Language"), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__, key=LANGUAGE_KEY, required=True
    )


def who_is_signed_in(t: Translator, user: User) -> None:
    """The sidebar's word on who is acting: local mode said plainly, or the signed-in name and Sign out."""
    if not signin.team_mode():
        st.caption(t("Local mode: one practitioner on this machine, no sign-in"))
        return
    st.caption(t("Signed in as {name}", name=plain(user.display_name)))
    st.button(t("Sign out"), key="sign_out", icon=":material/logout:", on_click=signin.sign_out, args=(store(),))
    signin.idle_timer(store())


start_warm_up()
