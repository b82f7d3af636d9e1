"""Baseline: the usual way to show a pyvis map in Streamlit, its whole HTML in an iframe on every run."""

import streamlit as st
import streamlit.components.v1 as components

from ecomap.examples import generated_map
from ecomap.render.standalone import standalone_html

m = generated_map(60)
edits = st.session_state.get("edits", 0)
if st.button("Strong", key="toggle"):
    edits += 1
    st.session_state["edits"] = edits
# Every edit is a new map (as in use), so Streamlit's message cache cannot stand in for sending it.
tie = m.ties[0].model_copy(update={"strength": "strong" if edits % 2 else "tenuous", "name": f"Tie {edits}"})
components.html(standalone_html(m.with_tie(tie)), height=700)
