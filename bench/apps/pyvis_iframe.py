"""Baseline: the usual way to show a pyvis map in Streamlit, its whole HTML in an iframe on every run."""

import streamlit as st
import streamlit.components.v1 as components

from ecomap.examples import generated_map
from ecomap.render.standalone import standalone_html

m = generated_map(60)
strong = st.session_state.get("strong", False)
if st.button("Strong", key="toggle"):
    strong = not strong
    st.session_state["strong"] = strong
tie = m.ties[0].model_copy(update={"strength": "strong" if strong else "tenuous"})
components.html(standalone_html(m.with_tie(tie)), height=700)
