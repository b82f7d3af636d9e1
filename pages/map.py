"""One person's map, built together on a tablet: tap, drag, add; every change saved at once."""

from __future__ import annotations

import streamlit as st

from ecomap.analysis import findings
from ecomap.conversation import summary_line, tie_rows
from ecomap.model import PERSON
from ecomap.render.interactive import quick_edits, vis_data
from ui import editing, guided
from ui import findings as findings_view
from ui.adding import add_panel, quick_add
from ui.common import HISTORY_PAGE, PEOPLE_PAGE, SHARE_PAGE, page_setup, plain
from ui.legend import legend_html
from ui.mapview import ecomap_map
from ui.person_panel import person_panel
from ui.plan import plan_panel
from ui.tie_editor import tie_editor

CALM_KEY = "calm_view"
TABLE_KEY = "show_table"

PAGE_CSS = """
<style>
/* Touch targets of at least 44 CSS pixels, and the map above the tools when the tablet is upright. */
.stButton button, .stDownloadButton button, [data-testid="stButtonGroup"] button,
[data-testid="stPageLink-NavLink"] {
  min-height: 44px; min-width: 44px;
}
[data-testid="stPageLink-NavLink"] { display: flex; align-items: center; }
@media (orientation: portrait) {
  .st-key-workspace [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-workspace [data-testid="stColumn"] { width: 100% !important; flex: 1 1 100% !important; }
}
</style>
"""
CALM_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header { display: none !important; }
</style>
"""

t = page_setup(sidebar="collapsed")
st.html(PAGE_CSS)

map_id = st.query_params.get("map", "")
if (editing.opened(map_id) if map_id else None) is None:
    st.info(t("Choose a person to open their map."))
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:")
    st.stop()

calm = st.session_state.get(CALM_KEY, False)
in_conversation = guided.is_on()
held = editing.current()
m, version = held.map, held.version
if calm:
    st.html(CALM_CSS)
else:
    top = st.container(horizontal=True, vertical_alignment="center", key="toolbar")
    top.page_link(PEOPLE_PAGE, label=t("All people"), icon=":material/arrow_back:")
    top.subheader(plain(m.person.called), anchor=False)
    top.button(t("Undo"), key="undo", icon=":material/undo:", on_click=editing.undo, disabled=not editing.can_undo())
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
        query_params={"map": m.id},
        help=t("Name versions, compare any two, restore an old one"),
    )
    top.page_link(
        SHARE_PAGE,
        label=t("Share and attach"),
        icon=":material/ios_share:",
        query_params={"map": m.id},
        help=t("The assessment attachment (PDF or Word), pictures and data files"),
    )
editing.show_notice(t)

held = editing.current()  # a conflict shown above may have brought a newer version
m, version = held.map, held.version
epoch = editing.form_epoch()
selected = editing.selected(m)
link_from = editing.linking_from()
pending = editing.pending_spot()
found = findings(m, t=t) if findings_view.is_on() else []
data = vis_data(m, t=t, selected=selected, link_from=link_from, highlight=found, spots=editing.spots(m))


def draw_map() -> None:
    ecomap_map(
        data,
        version=version,
        description=summary_line(m, t=t),
        view="calm" if calm else "map",
        pending=(pending["angle"], pending["distance"]) if pending else None,
        quick=quick_edits(m, selected, t=t) if selected and not in_conversation and not link_from else None,
    )
    st.toggle(t("Calm view: only the map, for drawing together"), key=CALM_KEY)


with st.container(key="workspace"):
    if calm:
        draw_map()
    else:
        map_column, tools = st.columns([2, 1])
        with map_column:
            draw_map()
            st.toggle(t("Show what is strong and what to explore"), key=findings_view.SHOW_KEY)
            st.html(legend_html(t))
            # A switch, not an expander: the rows are built and sent only while someone reads them.
            if m.ties and st.toggle(t("Everyone on the map, as a table"), key=TABLE_KEY):
                st.dataframe(tie_rows(m, t=t), hide_index=True, key="ties_table")
        with tools:
            if in_conversation:
                guided.guided_panel(t, m, epoch)
            elif pending:
                add_panel(t, pending)
            elif selected and selected != PERSON:
                tie_editor(t, m, selected, epoch=epoch, version=version)
            elif findings_view.is_on():
                findings_view.findings_panel(t, m, epoch, found)
            else:
                quick_add(t)
                person_panel(t, m, epoch)
                plan_panel(t, m, epoch)
