"""Baseline: a bare Streamlit page with one button (what a tap costs with no work at all)."""

import streamlit as st

count = st.session_state.get("count", 0)
if st.button("Tap", key="tap"):
    count += 1
    st.session_state["count"] = count
st.write(f"Tapped {count} times")
