"""The two-way map component: vis-network from the app's static folder, map data from ecomap."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
VIS_STATIC = ROOT / "static" / "vendor" / "vis-network.min.js"
#: Where the browser finds it (Streamlit serves ``static/`` at ``app/static/``).
VIS_URL = "app/static/vendor/vis-network.min.js"
MAP_KEY = "ecomap_map"


def pyvis_vis_network() -> Path:
    """vis-network's JavaScript as shipped inside the installed pyvis package."""
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"


@st.cache_resource(show_spinner=False)
def ensure_vis_served() -> Path:
    """Put pyvis's vis-network where Streamlit serves static files (once per server)."""
    source = pyvis_vis_network()
    if not VIS_STATIC.exists() or VIS_STATIC.stat().st_size != source.stat().st_size:
        VIS_STATIC.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, VIS_STATIC)
    return VIS_STATIC


@cache
def _component() -> Callable[..., Any]:
    from ecomap.render.standalone import drawing_js

    js = drawing_js() + (Path(__file__).with_name("ecomap_map.js")).read_text(encoding="utf-8")
    css = "/* the map fills its column */\n.ecomap-canvas { width: 100%; touch-action: none; }\n"
    return st.components.v2.component("ecomap.map", js=js, css=css, isolate_styles=False)


def ecomap_map(
    data: dict[str, Any],
    *,
    on_tapped: Callable[[], None],
    on_moved: Callable[[], None],
    on_add_at: Callable[[], None],
) -> None:
    """Draw the map; taps, drags and taps on an empty ring call back before the next run."""
    ensure_vis_served()
    _component()(
        data={**data, "visUrl": VIS_URL},
        key=MAP_KEY,
        on_tapped_change=on_tapped,
        on_moved_change=on_moved,
        on_add_at_change=on_add_at,
    )


def event(name: str) -> Any:
    """The value of the map's trigger ``name`` in this run (inside its callback)."""
    state = st.session_state.get(MAP_KEY)
    if state is None:
        return None
    return state.get(name) if hasattr(state, "get") else getattr(state, name, None)
