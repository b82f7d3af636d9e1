"""Baseline for the map page's rerun: the same widgets with nothing computed behind them."""

import streamlit as st

N = int(st.query_params.get("n", "60"))
top = st.container(horizontal=True)
top.button("All people", key="people")
top.subheader("Elen", anchor=False)
top.button("Undo", key="undo")
top.button("Guided conversation", key="guided_toggle")
map_column, tools = st.columns([2, 1])
with map_column:
    st.html("<div style='height:600px'></div>")
    st.toggle("Calm view", key="calm")
    st.toggle("Show what is strong", key="findings")
    st.html("<div>legend</div>")
    # As on the map page: the table is built only while its switch is on (off here, as there).
    if st.toggle("Everyone on the map, as a table", key="table"):
        st.dataframe([{"Name": f"Tie {i}", "Ring": "Family", "Strength": "Strong"} for i in range(N)], hide_index=True)
with tools:
    st.text_input("Name", key="name")
    for label in ("Strength", "Stressful", "Support flows", "Support", "Contact", "Status"):
        st.segmented_control(label, options=["a", "b", "c", "d"], key=label)
    st.text_area("Own words", key="own_words")
    st.text_area("Notes", key="notes")
    st.button("Link to someone", key="link")
    st.button("Remove from the map", key="remove")
