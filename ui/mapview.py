"""The two-way map component: its script and vis-network from the app's static folder, map data from ecomap.

A ``st.components.v2`` component re-sends its inline script with every change of its data, so the
inline part is a few lines that import the real script once per page, by URL. The script's file
name carries a hash of its text, so a browser never runs an old copy after an upgrade.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from ecomap.render.interactive import pack

ROOT = Path(__file__).resolve().parent.parent
VIS_STATIC = ROOT / "static" / "vendor" / "vis-network.min.js"
#: Where the browser finds it (Streamlit serves ``static/`` at ``app/static/``).
STATIC_URL = "app/static/vendor"
VIS_URL = f"{STATIC_URL}/vis-network.min.js"
MAP_KEY = "ecomap_map"


def pyvis_vis_network() -> Path:
    """vis-network's JavaScript as shipped inside the installed pyvis package."""
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"


def map_script() -> str:
    """The map's script: the shared drawing (``draw.js``) and the component (``ecomap_map.js``)."""
    from ecomap.render.standalone import drawing_js

    return drawing_js() + Path(__file__).with_name("ecomap_map.js").read_text(encoding="utf-8")


@st.cache_resource(show_spinner=False)
def ensure_served() -> str:
    """Put vis-network and the map's script where Streamlit serves static files; the script's URL.

    Once per server; it holds file names, never anyone's data.
    """
    source = pyvis_vis_network()
    VIS_STATIC.parent.mkdir(parents=True, exist_ok=True)
    if not VIS_STATIC.exists() or VIS_STATIC.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, VIS_STATIC)
    script = map_script()
    name = f"ecomap-map-{hashlib.sha256(script.encode()).hexdigest()[:12]}.js"
    target = VIS_STATIC.with_name(name)
    if not target.exists():
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")  # servers starting at once
        partial.write_text(script, encoding="utf-8")
        partial.replace(target)
    return f"{STATIC_URL}/{name}"


#: The inline part: it imports the map's script once per page and hands it each render.
LOADER_JS = """// Loads the map's script once per page, by URL, and hands it every render with the map's data,
// which arrives as compact JSON bytes (ecomap.render.interactive.pack).
export default function (component) {
  const data = JSON.parse(new TextDecoder().decode(component.data));
  const url = new URL(data.scriptUrl, document.baseURI).href;
  window.__ecomapScripts = window.__ecomapScripts || {};
  const loading = (window.__ecomapScripts[url] = window.__ecomapScripts[url] || import(url));
  let cleanup = null;
  let gone = false;
  loading.then((script) => {
    if (!gone) cleanup = script.default({ ...component, data: script.unpack(data) });
  });
  return () => {
    gone = true;
    if (cleanup) cleanup();
  };
}
"""


@cache
def _component() -> Callable[..., Any]:
    css = "/* the map fills its column */\n.ecomap-canvas { width: 100%; touch-action: none; }\n"
    return st.components.v2.component("ecomap.map", js=LOADER_JS, css=css, isolate_styles=False)


def ecomap_map(
    data: dict[str, Any],
    *,
    on_tapped: Callable[[], None],
    on_moved: Callable[[], None],
    on_add_at: Callable[[], None],
    on_quick: Callable[[], None] | None = None,
) -> None:
    """Draw the map; taps, drags, taps on an empty ring and the map's own strength and stress bar
    (``data["quick"]``, see :func:`ecomap.render.interactive.quick_edits`) call back before the next run."""
    script_url = ensure_served()
    _component()(
        data=pack({**data, "visUrl": VIS_URL, "scriptUrl": script_url}),
        key=MAP_KEY,
        on_tapped_change=on_tapped,
        on_moved_change=on_moved,
        on_add_at_change=on_add_at,
        on_quick_change=on_quick or (lambda: None),
    )


def event(name: str) -> Any:
    """The value of the map's trigger ``name`` in this run (inside its callback)."""
    state = st.session_state.get(MAP_KEY)
    if state is None:
        return None
    return state.get(name) if hasattr(state, "get") else getattr(state, name, None)
