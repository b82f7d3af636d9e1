"""Baseline for opening the map from People: a bare first page with one link, and a second page with
the map page's widgets (as ``bare_map.py``) beside a bare component that loads the same vis-network
from the app's static folder and draws the same number of ties as the example map opened, with no
work of ours behind it. The second page is drawn when its canvas has ``data-drawn-version``, as the
map's is."""

import json

import streamlit as st

TIES = int(st.query_params.get("ties", "21"))

DRAW_JS = """export default function (component) {
  const { data, parentElement } = component;
  const ties = JSON.parse(data);
  let box = parentElement.querySelector('.ecomap-canvas');
  if (box) return;
  box = document.createElement('div');
  box.className = 'ecomap-canvas';
  box.style.height = '600px';
  parentElement.append(box);
  const load = window.__bareVis || (window.__bareVis = new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = new URL('app/static/vendor/vis-network.min.js', document.baseURI).href;
    script.onload = () => resolve(window.vis);
    document.head.appendChild(script);
  }));
  load.then((vis) => {
    const nodes = [{ id: 'me', label: 'Elen', x: 0, y: 0 }];
    const edges = [];
    for (let i = 0; i < ties; i++) {
      const angle = (2 * Math.PI * i) / ties;
      const radius = 120 + 100 * (i % 3);
      nodes.push({ id: 't' + i, label: 'Tie ' + i, x: radius * Math.sin(angle), y: -radius * Math.cos(angle) });
      edges.push({ from: 'me', to: 't' + i, width: 1 + (i % 3) });
    }
    const network = new vis.Network(box, { nodes, edges }, {
      physics: false, layout: { improvedLayout: false },
      interaction: { dragView: false, zoomView: false, hover: false, keyboard: false },
    });
    network.on('afterDrawing', () => { box.dataset.drawnVersion = '1'; });
  });
}
"""


def people() -> None:
    st.title("People", anchor=False)
    st.page_link(map_page, label="Elen", icon=":material/person:", query_params={"ties": str(TIES)})


def the_map() -> None:
    top = st.container(horizontal=True)
    top.page_link(first_page, label="All people")
    top.subheader("Elen", anchor=False)
    top.button("Undo", key="undo")
    map_column, tools = st.columns([2, 1])
    with map_column:
        draw = st.components.v2.component("bare.map", js=DRAW_JS, isolate_styles=False)  # in the page, as the map is
        draw(data=json.dumps(TIES), key="map")
        st.toggle("Calm view", key="calm")
        st.toggle("Show what is strong", key="findings")
    with tools:
        st.text_input("Name", key="name")
        for label in ("Strength", "Stressful", "Support"):
            st.segmented_control(label, options=["a", "b", "c", "d"], key=label)
        st.text_area("Notes", key="notes")
        st.button("Remove from the map", key="remove")


first_page = st.Page(people, title="People", default=True)
map_page = st.Page(the_map, title="Map", url_path="map")
st.navigation([first_page, map_page], position="hidden").run()
