"""Ecomap: the people page, where a practitioner finds a person or adds one."""

from __future__ import annotations

import json

import streamlit as st

from ecomap.errors import MapInvalid, StoreUnavailable
from ecomap.examples import load_examples
from ecomap.i18n import Translator, long_date
from ecomap.model import new_map
from ecomap.search import matching
from ecomap.settings import Settings
from ecomap.store import PersonSummary
from ui.common import MAP_PAGE, current_user, page_setup, plain, store, with_language
from ui.editing import unavailable
from ui.importing import import_section
from ui.mapview import VIS_STATIC, VIS_URL
from ui.messages import show_problems

#: Set once the practitioner has read what an ecomap is; it stays hidden for the rest of the session.
INTRO_HIDDEN_KEY = "people_intro_hidden"
SEARCH_KEY = "people_search"
#: The expander that brings in a map from another tool (open or closed).
IMPORT_KEY = "people_import"
#: A home visit's check-out and check-in (linked only when the laptop has a team server).
CHECK_IN_PAGE = "pages/check_in.py"

PAGE_CSS = """
<style>
/* The people page: every link, button and field at least 44 CSS pixels, for a finger. */
.stApp button, .stApp summary, .stApp [data-testid="stPageLink-NavLink"] { min-height: 44px; min-width: 44px; }
.stApp [data-testid="stPageLink-NavLink"] { display: flex; align-items: center; }
.stApp [data-testid="stTextInputRootElement"], .stApp .stSelectbox [role="group"] { min-height: 44px; }
</style>
"""


#: Once People is drawn, the browser fetches vis-network (from this server, at idle) for the map a
#: tap on a name opens: it is half a megabyte, and no element of People uses it.
PREFETCH_MAP = """<script>
if (!document.querySelector('link[data-ecomap-prefetch]')) {
  const link = document.createElement('link');
  link.rel = 'prefetch';
  link.as = 'script';
  link.dataset.ecomapPrefetch = '';
  link.href = new URL(URL_OF_VIS, document.baseURI).href;
  document.head.appendChild(link);
}
</script>"""


def prefetch_map() -> None:
    """Ask the browser to fetch the map's vis-network at idle, when the server has it to serve."""
    if VIS_STATIC.exists():
        st.html(PREFETCH_MAP.replace("URL_OF_VIS", json.dumps(VIS_URL)), unsafe_allow_javascript=True)


def hide_intro() -> None:
    st.session_state[INTRO_HIDDEN_KEY] = True


def show_intro() -> None:
    st.session_state[INTRO_HIDDEN_KEY] = False


def intro(t: Translator) -> None:
    """What an ecomap is and how to start, until "Got it"."""
    with st.container(border=True, key="intro"):
        st.header(t("What is an ecomap?"), anchor=False)
        st.markdown(
            t(
                "An ecomap is a picture of the people, groups and services in someone’s life, drawn together "
                "with them. The person is in the middle; around them, in rings, are family, then community, "
                "then services. It shows what is strong and working, and what you might explore together."
            )
        )
        st.markdown(t("To start, add a person below or open one of the example maps, then tap a ring to add someone."))
        st.button(t("Got it"), key="intro_got_it", type="primary", on_click=hide_intro)


def row_label(t: Translator, person: PersonSummary) -> str:
    """A row of the list: the name, literally, and when the map was last saved."""
    saved = t("saved {date}", date=long_date(person.updated_at, t))
    return f"{plain(person.name)} · {plain(saved)}"


@st.fragment
def people_list(t: Translator, people: list[PersonSummary]) -> None:
    """The search and the people it finds; typing reruns only this part, and reads names only."""
    query = st.text_input(
        t("Search by name"),
        key=SEARCH_KEY,
        type="search",
        live=True,
        placeholder=t("Type part of a name"),
    )
    found = matching(people, query, name=lambda person: person.name)
    if not found:
        st.info(
            t(
                "No one on the list matches “{query}”. Check the spelling, or add them below as a new person.",
                query=plain(query.strip()),
            )
        )
    for person in found:
        st.page_link(
            MAP_PAGE,
            label=row_label(t, person),
            icon=":material/person:",
            query_params=with_language({"map": person.map_id}),
            width="stretch",
        )


t = page_setup()
st.html(PAGE_CSS)
user = current_user()

heading = st.container(horizontal=True, vertical_alignment="center", key="people_heading")
heading.title(t("People"), anchor=False)
if st.session_state.get(INTRO_HIDDEN_KEY, False):
    heading.button(
        t("What is an ecomap?"), key="intro_show", icon=":material/help:", type="tertiary", on_click=show_intro
    )
else:
    intro(t)
if Settings.from_environ().team_database_url:
    heading.page_link(
        CHECK_IN_PAGE, label=t("Check out and check in"), icon=":material/home_work:", query_params=with_language()
    )

if not store().roles(user):
    # Signed in, but in no team yet: there is no one they may see, and no team to add anyone to.
    st.info(
        t(
            "You are not in a team yet, so there is no one to show here. Ask whoever looks after "
            "Ecomap to add you to your team."
        ),
        icon=":material/group_off:",
    )
    st.stop()

if store().is_empty(user):
    st.info(t("Nobody is here yet. You can load three fictional example people to explore Ecomap."))
    if st.button(t("Load the example maps"), key="load_examples", type="primary"):
        load_examples(store(), user)
        st.rerun()
else:
    people_list(t, store().people(user))

st.header(t("Add a person"), anchor=False)
with st.form(key="add_person", clear_on_submit=True, border=False):
    name = st.text_input(t("Name"), key="new_person_name", max_chars=100)
    added = st.form_submit_button(t("Add and open their map"), type="primary")

if added:
    try:
        m = new_map(name)
    except MapInvalid as exc:
        show_problems(t, exc.problems)
    else:
        try:
            store().add_person(user, m)
        except StoreUnavailable as exc:
            st.error(unavailable(exc, t), icon=":material/error:")
        else:
            st.switch_page(MAP_PAGE, query_params=with_language({"map": m.id}))

# Drawn only while open: its file drop and download (two more kinds of element, and the template's
# file) would otherwise be sent to, and loaded by, every first page (bench/README.md, cold start).
with st.expander(
    t("Bring in a map from another tool"), icon=":material/upload_file:", key=IMPORT_KEY, on_change="rerun"
) as bring_in:
    if bring_in.open:
        import_section(t)

prefetch_map()
