"""The two-way map component, and what its taps, drags and bar do to the open map.

Its script and vis-network come from the app's static folder; what it draws is a
:class:`~ecomap.render.interactive.MapMessage`, built by ``ecomap.render.interactive.map_message``.
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
from typing import Any, Literal

import streamlit as st

from ecomap.render.interactive import FocusRequest, KeyboardWords, MapData, QuickBar, map_message, pack
from ui import editing, guided
from ui.focus import MAP_KEY, focus_next

ROOT = Path(__file__).resolve().parent.parent
VIS_STATIC = ROOT / "static" / "vendor" / "vis-network.min.js"
#: Where the browser finds it (Streamlit serves ``static/`` at ``app/static/``).
STATIC_URL = "app/static/vendor"
VIS_URL = f"{STATIC_URL}/vis-network.min.js"


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
    data: MapData,
    *,
    version: int | str,
    description: str,
    view: Literal["map", "calm", "change"] = "map",
    pending: tuple[float, float] | None = None,
    quick: QuickBar | None = None,
    keyboard: KeyboardWords | None = None,
    focus: FocusRequest | None = None,
    text_scale: float = 1.0,
    editable: bool = True,
) -> None:
    """Draw the map (see :func:`ecomap.render.interactive.map_message` for what each part means).

    With ``editable``, taps, drags, taps on an empty ring and the map's own bar change the open map
    (the callbacks below run before the next run); without, the map is only looked at. With
    ``keyboard``, the arrow keys move between ties, Enter opens one and Escape closes it; ``focus``
    is the control to focus once the run has finished (:func:`ui.focus.take_focus`); ``text_scale``
    enlarges the names on the map (:func:`ui.text_size.text_size`).
    """
    script_url = ensure_served()
    message = map_message(
        data,
        version=version,
        description=description,
        view=view,
        pending=pending,
        quick=quick,
        keyboard=keyboard,
        focus=focus,
        text_scale=text_scale,
        vis_url=VIS_URL,
        script_url=script_url,
    )
    _component()(
        data=pack(message),
        key=MAP_KEY,
        on_tapped_change=on_tapped if editable else _nothing,
        on_moved_change=on_moved if editable else _nothing,
        on_add_at_change=on_add_at if editable else _nothing,
        on_quick_change=on_quick if editable else _nothing,
        on_escape_change=on_escape if editable else _nothing,
    )


def event(name: str) -> Any:
    """The value of the map's trigger ``name`` in this run (inside its callback)."""
    state = st.session_state.get(MAP_KEY)
    if state is None:
        return None
    return state.get(name) if hasattr(state, "get") else getattr(state, name, None)


# -- what taps and drags on the map do (run before the page is drawn again) ----------------------


def _nothing() -> None:
    pass


def on_tapped() -> None:
    """A tap on a tie (or Enter on it) opens its editor; in link mode it links (or unlinks) the two
    ties instead. The keyboard's focus stays on the map, to go on to the next tie."""
    tie_id = event("tapped")
    if not tie_id:
        return
    link_from = st.session_state.pop(editing.LINK_FROM_KEY, None)
    if link_from and link_from != tie_id:
        editing.apply(lambda m: m.with_link_toggled(link_from, tie_id))
        editing.select(link_from, back_to=MAP_KEY)
    else:
        editing.select(tie_id, back_to=MAP_KEY)
    focus_next(MAP_KEY)


def on_escape() -> None:
    """Escape on the map closes whatever is open beside it (an editor, adding someone, a link begun)."""
    if event("escape"):
        editing.close_panel()
        focus_next(MAP_KEY)


def on_moved() -> None:
    """A tie dragged within its ring: already drawn there, saved here."""
    moved = event("moved")
    if moved:
        position = {"angle": moved["angle"], "distance": moved["distance"]}
        editing.apply(lambda m: m.with_tie_fields(moved["id"], position=position))


def on_quick() -> None:
    """A strength or stress chosen on the map's own bar: already drawn there, saved here."""
    quick = event("quick")
    if not isinstance(quick, dict) or quick.get("id") not in {tie.id for tie in editing.current().map.ties}:
        return  # nothing, or a tie someone has removed meanwhile
    tie_id = quick["id"]
    fields = {field: quick[field] for field in ("strength", "stressful") if field in quick}
    if fields and editing.apply(lambda m: m.with_tie_fields(tie_id, **fields)):
        # The editor beside the map shows the new value, and keeps its widgets.
        epoch = editing.form_epoch()
        if "strength" in fields:
            st.session_state[editing.editor_key("strength", tie_id, epoch)] = fields["strength"]
        if "stressful" in fields:
            st.session_state[editing.editor_key("stressful", tie_id, epoch)] = "yes" if fields["stressful"] else "no"


def on_add_at() -> None:
    """A tap on an empty part of a ring starts adding someone there (not in the guided conversation)."""
    spot = event("add_at")
    if spot and not guided.is_on():
        editing.add_at(spot)
