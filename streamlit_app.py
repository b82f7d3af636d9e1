"""Ecomap: the people page, where a practitioner finds a person or adds one."""

from __future__ import annotations

import streamlit as st

from ecomap.errors import MapInvalid
from ecomap.examples import load_examples
from ecomap.model import new_map
from ui.common import MAP_PAGE, current_user, page_setup, plain, store
from ui.importing import import_section
from ui.messages import show_problems

t = page_setup()
user = current_user()
st.title(t("People"))

if store().is_empty():
    st.info(t("Nobody is here yet. You can load three fictional example people to explore Ecomap."))
    if st.button(t("Load the example maps"), key="load_examples", type="primary"):
        load_examples(store(), user)
        st.rerun()

for person in store().people(user):
    st.page_link(
        MAP_PAGE,
        label=plain(person.name),
        icon=":material/person:",
        query_params={"map": person.map_id},
        help=t("Version {version}, saved {date}", version=person.version, date=f"{person.updated_at:%d/%m/%Y}"),
    )

st.subheader(t("Add a person"))
with st.form(key="add_person", clear_on_submit=True, border=False):
    name = st.text_input(t("Name"), key="new_person_name", max_chars=100)
    added = st.form_submit_button(t("Add and open their map"), type="primary")

if added:
    try:
        m = new_map(name)
    except MapInvalid as exc:
        show_problems(t, exc.problems)
    else:
        store().add_person(user, m)
        st.switch_page(MAP_PAGE, query_params={"map": m.id})

with st.expander(t("Bring in a map from another tool"), icon=":material/upload_file:"):
    import_section(t)
