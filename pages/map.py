"""One person's map, built together on a tablet: tap, drag, add; every change saved at once."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from ecomap.analysis import findings
from ecomap.conversation import summary_line, tie_rows
from ecomap.model import PERSON
from ecomap.render.interactive import keyboard_words, vis_data
from ui import editing, guided, live
from ui import findings as findings_view
from ui.adding import quick_add
from ui.break_glass import break_glass_step
from ui.common import HISTORY_PAGE, PEOPLE_PAGE, SHARE_PAGE, page_setup, plain, with_language
from ui.focus import focus_next, take_focus
from ui.legend import legend_html
from ui.mapview import ecomap_map, rejoin_element
from ui.people_list import people_list
from ui.person_panel import person_panel
from ui.plan import plan_panel
from ui.text_size import text_size, text_size_control, text_size_css
from ui.tie_editor import tie_editor

CALM_KEY = "calm_view"
TABLE_KEY = "show_table"
#: What the page outside the workspace shows (the toolbar, the view's style), as the last full run drew it.
PAGE_KEY = "map_page_drawn"

#: The map never leaves the screen: the page is exactly as tall as the screen, and only the tools scroll,
#: in a panel of their own (sideways, beside the map; upright, a sheet under it). Nothing a tap changes in
#: the tools can move the map, and a notice is held at the top of the tools instead of pushing the map down.
LAYOUT_CSS = """
<style>
[data-testid="stMainBlockContainer"] {
  height: 100vh; height: 100dvh; padding: 4rem 1rem 0.75rem 1rem; max-width: none;
}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"],
[data-testid="stVerticalBlock"]:has(> [data-testid="stLayoutWrapper"] > .st-key-workspace),
.st-key-workspace { height: 100%; }
[data-testid="stLayoutWrapper"]:has(.st-key-workspace),
.st-key-workspace > [data-testid="stLayoutWrapper"],
[data-testid="stColumn"]:has([class*="st-key-tools_"]) > [data-testid="stVerticalBlock"],
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-tools_"]) { flex: 1 1 0; min-height: 0; }
.st-key-workspace [data-testid="stHorizontalBlock"]:has(.st-key-map_panel) { height: 100%; flex-wrap: nowrap; }
[data-testid="stColumn"]:has(.st-key-map_panel) { overflow: hidden; }
[data-testid="stColumn"]:has([class*="st-key-tools_"]) { display: flex; flex-direction: column; overflow: hidden; }
[class*="st-key-tools_"] {
  flex: 1 1 0; min-height: 0; flex-wrap: nowrap; overflow-y: auto; overscroll-behavior: contain;
}
[data-testid="stLayoutWrapper"]:has(> .st-key-notice) {
  position: sticky; top: 0; z-index: 3; background: #ffffff;
}
@media (orientation: landscape) {
  /* The toolbar stays one line (a long name is cut short), so the map beside the tools always fits. */
  .st-key-toolbar { flex-wrap: nowrap; }
  .st-key-toolbar > :has([data-testid="stHeading"]) { flex: 0 1 auto; min-width: 0; }
  .st-key-toolbar [data-testid="stHeading"] h3 { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
}
@media (orientation: portrait) {
  .st-key-workspace [data-testid="stHorizontalBlock"]:has(.st-key-map_panel) { flex-direction: column; }
  [data-testid="stColumn"]:has(.st-key-map_panel) { width: 100% !important; flex: 0 0 auto !important; }
  [data-testid="stColumn"]:has([class*="st-key-tools_"]) {
    width: calc(100% + 2rem) !important; flex: 1 1 0 !important; min-height: 12rem;
    margin: 0 -1rem -0.75rem -1rem; padding: 0.75rem 1rem 0 1rem; border-radius: 16px 16px 0 0;
    box-shadow: 0 -2px 10px rgba(0, 0, 0, 0.18); background: #ffffff;
  }
}
</style>
"""
CALM_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header { display: none !important; }
</style>
"""

t = page_setup(sidebar="collapsed")

# An admin opening a record outside their teams, or a restricted one, gives a reason first.
map_id = st.query_params.get("map", "") or break_glass_step(t)
if (editing.opened(map_id) if map_id else None) is None:
    st.info(t("Choose a person to open their map."))
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:", query_params=with_language())
    st.stop()

calm = st.session_state.get(CALM_KEY, False)
in_conversation = guided.is_on()
held = editing.current()
m, version = held.map, held.version
live.follow(t)  # visit mode: the pairing panel, and the map kept up with the other screen
if sized := text_size_css():
    st.html(sized)
undo_slot = None
if calm:
    st.html(CALM_CSS)
else:
    st.html(LAYOUT_CSS)
    top = st.container(horizontal=True, vertical_alignment="center", key="toolbar")
    top.page_link(PEOPLE_PAGE, label=t("All people"), icon=":material/arrow_back:", query_params=with_language())
    top.subheader(plain(m.person.called), anchor=False)
    undo_slot = top.empty()  # drawn by the map (draw_map), which every change reruns
    top.button(
        t("Guided conversation") if not in_conversation else t("Free drawing"),
        key="guided_toggle",
        icon=":material/forum:",
        on_click=guided.set_guided,
        args=(not in_conversation,),
    )
    top.page_link(
        HISTORY_PAGE,
        label=t("Versions"),
        icon=":material/history:",
        query_params=with_language({"map": m.id}),
        help=t("Name versions, compare any two, restore an old one"),
    )
    top.page_link(
        SHARE_PAGE,
        label=t("Share and attach"),
        icon=":material/ios_share:",
        query_params=with_language({"map": m.id}),
        help=t("The assessment attachment (PDF or Word), pictures and data files"),
    )


def outside() -> tuple[object, ...]:
    """What the page outside the workspace draws from the session: when a change in the workspace
    alters it (a new name for the person), the whole page runs. (Undo in the toolbar is drawn by the
    map, :func:`draw_map`, so that the first change, which makes it possible, does not run it all.)"""
    return (
        editing.current().map.person.called,
        guided.is_on(),
        st.session_state.get(CALM_KEY, False),
        text_size(),
    )


st.session_state[PAGE_KEY] = outside()


def undo_all() -> None:
    """Undo in the toolbar (drawn by the map): the whole workspace shows the map as it was."""
    editing.undo()
    editing.rerun_only(editing.WORKSPACE_FRAGMENT)


@st.fragment(key=editing.MAP_FRAGMENT)
def draw_map() -> None:
    """The map alone: a change of a tie's values on its bar, or in the tie's fields beside it, runs
    this (and those fields) only; everything is read from the session, as it is when it runs alone."""
    if st.session_state.get(PAGE_KEY) != outside():
        st.rerun(scope="app")
    if undo_slot is not None:
        undo_slot.button(
            t("Undo"), key="undo", icon=":material/undo:", on_click=undo_all, disabled=not editing.can_undo()
        )
    held = editing.current()
    m = held.map
    found = findings(m, t=t) if findings_view.is_on() else []
    ecomap_map(
        vis_data(m, t=t, highlight=found, spots=editing.spots(m)),
        version=held.version,
        description=summary_line(m, t=t),
        view="calm" if st.session_state.get(CALM_KEY, False) else "map",
        keyboard=keyboard_words(t),
        focus=take_focus(),
        text_scale=text_size() / 100,
        m=m,
        selected=editing.selected(m),
        link_from=editing.linking_from(),
        highlighted=bool(found),
    )


@st.fragment(key=editing.WORKSPACE_FRAGMENT)
def workspace() -> None:
    """The map and the tools beside it: a tap on the map, or a change in the tools, runs this only
    (or less: :func:`draw_map`, and the tie's fields in the editor, run alone too)."""
    if st.session_state.get(PAGE_KEY) != outside():
        st.rerun(scope="app")
    st.session_state.pop(editing.FIELDS_SHOWN_KEY, None)  # the editor's fields say so again when drawn
    held = editing.current()  # a conflict may have brought a newer version
    m, version = held.map, held.version
    epoch = editing.form_epoch()
    selected = editing.selected(m)
    found = findings(m, t=t) if findings_view.is_on() else []

    def person_tools() -> None:
        quick_add(t)
        people_list(t, m)
        person_panel(t, m, epoch)
        plan_panel(t, m, epoch)

    def tools() -> tuple[str, Callable[[], None]]:
        """What the tools show, by name, and the panel that draws it: the conversation, a tie's editor,
        the findings, or adding and the person's own panel."""
        if in_conversation:
            return "guided", partial(guided.guided_panel, t, m, epoch)
        if selected and selected != PERSON:
            return f"tie_{selected}", partial(tie_editor, t, m, selected, epoch=epoch, version=version)
        if findings_view.is_on():
            return "findings", partial(findings_view.findings_panel, t, m, epoch, found)
        return "person", person_tools

    with st.container(key="workspace"):
        if calm:
            editing.show_notice(t)
            draw_map()
            st.toggle(
                t("Calm view: only the map, for drawing together"), key=CALM_KEY, on_change=focus_next, args=(CALM_KEY,)
            )
            with st.container(key="people_under_map"):
                text_size_control(t)
                people_list(t, m)
        else:
            map_column, tools_column = st.columns([3, 2])
            with map_column, st.container(key="map_panel"):
                draw_map()
            shown, panel = tools()
            # A new element whenever the tools show something else, so that they open at their top.
            with tools_column, st.container(key=f"tools_{shown}"):
                if st.session_state.get(editing.NOTICE_KEY):  # held at the top of the tools, never pushing the map
                    with st.container(key="notice"):
                        editing.show_notice(t)
                st.toggle(
                    t("Show what is strong and what to explore"),
                    key=findings_view.SHOW_KEY,
                    on_change=focus_next,
                    args=(findings_view.SHOW_KEY,),
                )
                panel()
                st.toggle(
                    t("Calm view: only the map, for drawing together"),
                    key=CALM_KEY,
                    on_change=focus_next,
                    args=(CALM_KEY,),
                )
                if shown == "person":  # with the person's own panel (and in the calm view), not in every tool
                    text_size_control(t)
                st.html(legend_html(t))
                # A switch, not an expander: the rows are built and sent only while someone reads them.
                if m.ties and st.toggle(
                    t("Everyone on the map, as a table"), key=TABLE_KEY, on_change=focus_next, args=(TABLE_KEY,)
                ):
                    st.dataframe(tie_rows(m, t=t), hide_index=True, key="ties_table")


workspace()
rejoin_element()  # outside the fragments: a server started again runs the whole page
