"""The two-way map component, and what its taps, drags and bar do to the open map.

Its script and vis-network come from the app's static folder; what it draws is a
:class:`~ecomap.render.interactive.MapMessage`, built by ``ecomap.render.interactive.map_message``.
A ``st.components.v2`` component re-sends its inline script with every change of its data, so the
inline part is a few lines that import the real script once per page, by URL. The script's file
name carries a hash of its text, so a browser never runs an old copy after an upgrade.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

import streamlit as st

from ecomap.diff import MapDiff, diff, summary
from ecomap.i18n import Translator
from ecomap.model import EcoMap
from ecomap.render.change import change_key, change_vis_data
from ecomap.render.interactive import (
    FocusRequest,
    FrameValues,
    KeyboardWords,
    MapData,
    MapMessage,
    add_form,
    bar_words,
    frame,
    frame_values,
    map_message,
    pack,
    sync_message,
    undo_values,
)
from ecomap.vocab import STATUSES, STRENGTHS, SUPPORTS
from ui import adding, editing, guided, tie_editor
from ui.common import plain, session_translator
from ui.focus import MAP_KEY, focus_next

ROOT = Path(__file__).resolve().parent.parent
VIS_STATIC = ROOT / "static" / "vendor" / "vis-network.min.js"
#: Where the browser finds it (Streamlit serves ``static/`` at ``app/static/``).
STATIC_URL = "app/static/vendor"
VIS_URL = f"{STATIC_URL}/vis-network.min.js"


def pyvis_vis_network() -> Path:
    """vis-network's JavaScript as shipped inside the installed pyvis package (found, not imported:
    importing pyvis loads Jinja, NetworkX and IPython's display, which the map page does not use)."""
    spec = importlib.util.find_spec("pyvis")
    assert spec is not None and spec.origin is not None, "pyvis is in requirements.txt"
    return Path(spec.origin).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"


def map_script() -> str:
    """The map's script: the shared drawing (``draw.js``), the component (``ecomap_map.js``) and its
    form to add someone where a ring is tapped (``ecomap_add.js``), as one module."""
    from ecomap.render.standalone import drawing_js

    parts = ("ecomap_map.js", "ecomap_add.js")
    return drawing_js() + "".join(Path(__file__).with_name(part).read_text(encoding="utf-8") for part in parts)


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


#: The map's second element: a few lines that hand its data to the map's script (``sync``).
SYNC_JS = """export default (c) => {
  const d = JSON.parse(new TextDecoder().decode(c.data));
  import(new URL(d.scriptUrl, document.baseURI).href).then((s) => s.sync({ data: d }));
};
"""
#: The second element's Streamlit key; it takes no room on the page.
SYNC_KEY = "ecomap_sync"
#: The ties' values the map's frame carries (:func:`framed_values`), with a digest of the frame they were sent with.
FRAME_VALUES_KEY = "map_frame_values"


@cache
def _sync_component() -> Callable[..., Any]:
    css = ".st-key-ecomap_sync { display: none; }\n"
    return st.components.v2.component("ecomap.sync", js=SYNC_JS, css=css, isolate_styles=False)


#: The page's rejoin element (:func:`rejoin_element`): a server started again asks for a run of the
#: whole page, which the map (in a fragment) cannot ask for, through the trigger it gives the map's script.
REJOIN_JS = """export default (c) => {
  const rejoin = () => c.setTriggerValue("rejoin", Date.now());
  window.__ecomapRejoin = rejoin;
  return () => { if (window.__ecomapRejoin === rejoin) window.__ecomapRejoin = null; };
};
"""
#: The rejoin element's Streamlit key; it takes no room on the page.
REJOIN_KEY = "ecomap_rejoin"


@cache
def _rejoin_component() -> Callable[..., Any]:
    css = f".st-key-{REJOIN_KEY} {{ display: none; }}\n"
    return st.components.v2.component("ecomap.rejoin", js=REJOIN_JS, css=css, isolate_styles=False)


def rejoin_element() -> None:
    """Draw, outside every fragment of a page with an editable map, what the map's script uses after
    the server has started again: the new session has run nothing yet, so it knows none of the page's
    fragments and drops the edits the map sends again; this element's trigger, set by the map's script,
    runs the whole page, and the map sends its edits again once that run has drawn it."""
    # no data: a text would be looked at as a table (Streamlit imports pandas and pyarrow for that)
    _rejoin_component()(key=REJOIN_KEY, on_rejoin_change=_nothing)


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
    keyboard: KeyboardWords | None = None,
    focus: FocusRequest | None = None,
    text_scale: float = 1.0,
    editable: bool = True,
    m: EcoMap | None = None,
    selected: str | None = None,
    link_from: str | None = None,
    highlighted: bool = False,
) -> None:
    """Draw the map as two elements: the frame, which a tap does not change, so that Streamlit sends it
    again as a reference only (``ecomap.render.interactive.map_message``), and the values a tap changes
    (``sync_message``), small, with every run.

    With ``m`` (the open map, drawn by ``data`` from :func:`ecomap.render.interactive.vis_data`), the
    ties' lines, styles and links are drawn in the browser from ``m``'s values; ``selected`` and
    ``link_from`` mark the tie being edited and the one a link starts from. With ``editable``, taps,
    drags, the map's own bar and its form to add someone where a ring is tapped (not in the guided
    conversation, which asks for people its own way) change the open map (:func:`on_edits` runs
    before the next run); without, the map is only looked at. With ``keyboard``, the arrow keys move
    between ties, Enter opens one and Escape closes it; ``focus`` is the control to focus once the run
    has finished (:func:`ui.focus.take_focus`); ``text_scale`` enlarges the names on the map
    (:func:`ui.text_size.text_size`); ``highlighted`` says findings are drawn (an undo then waits for
    Python's map, as the halos may change).
    """
    script_url = ensure_served()
    t = session_translator()
    with_editor = editable and m is not None and not guided.is_on()
    message = map_message(
        frame(data, m) if m is not None else data,
        view=view,
        bar=bar_words(t, person=m.person.called) if m is not None and editable else None,
        keyboard=keyboard,
        adding=add_form(t) if editable and not guided.is_on() else None,
        text_scale=text_scale,
        vis_url=VIS_URL,
        script_url=script_url,
        editor_choices=tie_editor.MAP_DRAWN if with_editor else None,
    )
    packed, base = framed_values(message, m)
    _component()(
        data=packed,
        key=MAP_KEY,
        on_edits_change=on_edits if editable else _nothing,
    )
    stack = st.session_state.get(editing.UNDO_KEY) or []
    epoch = editing.form_epoch()
    editor = (
        {field: editing.editor_key(field, selected, epoch) for field in tie_editor.MAP_DRAWN}
        if with_editor and selected
        else None
    )
    sync = sync_message(
        m,
        version=version,
        description=description,
        applied=editing.applied(),
        refused=st.session_state.pop(editing.REFUSED_KEY, None),
        selected=selected,
        link_from=link_from,
        editable=editable and m is not None and not guided.is_on(),
        undo_to=stack[-1] if stack and not highlighted else None,
        can_undo=bool(stack),
        focus=focus,
        base=base,
        editor=editor,
        editor_seen=editing.editor_seen(),
    )
    compact = json.dumps({**sync, "scriptUrl": script_url}, ensure_ascii=False, separators=(",", ":"))
    _sync_component()(data=compact.encode("utf-8"), key=SYNC_KEY)


def change_map(old: EcoMap, new: EcoMap, *, version: str, t: Translator) -> MapDiff:
    """The change map from ``old`` to ``new``, only looked at, with its key under it; returns the changes
    it draws (:func:`ecomap.diff.diff`), for the words beside it."""
    changes = diff(old, new, t=t)
    ecomap_map(
        change_vis_data(old, new, t=t, changes=changes),
        version=version,
        description=" ".join(summary(changes, old, new, t=t)),
        view="change",
        editable=False,
    )
    st.caption(plain("   ".join(change_key(t))))
    return changes


def framed_values(message: MapMessage, m: EcoMap | None) -> tuple[bytes, FrameValues]:
    """The map's frame packed with the ties' values it carries, and those values: kept as they were
    while the rest of the frame is the same, so that its bytes stay the same (Streamlit then sends it
    as a reference) and the values element carries only what differs; taken anew with any other
    change of the frame (a name, a place, a tie added)."""
    without = hashlib.sha256(pack(message)).digest()
    kept = st.session_state.get(FRAME_VALUES_KEY)
    if kept is not None and kept[0] == without:
        base: FrameValues = kept[1]
    else:
        base = frame_values(m)
        st.session_state[FRAME_VALUES_KEY] = (without, base)
    with_values: MapMessage = {**message, "values": base}
    return pack(with_values), base


def event(name: str) -> Any:
    """The value of the map's trigger ``name`` in this run (inside its callback)."""
    state = st.session_state.get(MAP_KEY)
    if state is None:
        return None
    return state.get(name) if hasattr(state, "get") else getattr(state, name, None)


# -- what taps and drags on the map do (run before the page is drawn again) ----------------------


def _nothing() -> None:
    pass


#: The most edits one trigger may carry (the map sends every edit not yet confirmed).
MAX_EDITS = 200


def on_edits() -> None:
    """The edits made on the map (already drawn there), each handled once and in order: those
    numbered above :func:`ui.editing.applied`. Each is recorded as applied; one that cannot be made
    (a conflict, an invalid value, a tie removed meanwhile) as refused, with its reason, and the map
    then draws the saved map's values."""
    edits = event("edits")
    if not isinstance(edits, list):
        return
    t = session_translator()
    alone = True  # only ties' values changed, and saved: the map (and the tie's fields) alone show them
    for item in edits[:MAX_EDITS]:
        number = item.get("edit") if isinstance(item, dict) else None
        if not isinstance(number, int) or isinstance(number, bool) or number <= editing.applied():
            continue
        handler = HANDLERS.get(str(item.get("kind")))
        reason = handler(t, item) if handler else t("That change could not be made.")
        editing.set_applied(number)
        alone = alone and not reason and item.get("kind") == "tie" and item.get("field") != "status"
        if reason:
            editing.refuse(number, reason)
    # A status may show the plan's form in the editor, a refusal says why in the tools: all of them then.
    if not alone:
        editing.rerun_only(editing.WORKSPACE_FRAGMENT)
    elif editing.fields_shown() is not None:
        editing.rerun_only(editing.MAP_FRAGMENT, editing.FIELDS_FRAGMENT)


def _tie_on_map(value: Any) -> str | None:
    ties = {tie.id for tie in editing.current().map.ties}
    return value if isinstance(value, str) and value in ties else None


def _gone(t: Translator) -> str:
    return t("That person or place is no longer on the map.")


def _select(t: Translator, item: dict[str, Any]) -> str | None:
    """A tap on a tie (or Enter on it) opens its editor; the keyboard's focus stays on the map."""
    tie_id = _tie_on_map(item.get("id"))
    if tie_id is None:
        return _gone(t)
    st.session_state.pop(editing.LINK_FROM_KEY, None)
    editing.select(tie_id, back_to=MAP_KEY)
    focus_next(MAP_KEY)
    return None


def _escape(t: Translator, item: dict[str, Any]) -> str | None:
    """Escape on the map closes whatever is open beside it (an editor, adding someone, a link begun)."""
    editing.close_panel()
    focus_next(MAP_KEY)
    return None


def _moved(t: Translator, item: dict[str, Any]) -> str | None:
    """A tie dragged within its ring: already drawn there, saved here."""
    tie_id, angle, distance = _tie_on_map(item.get("id")), item.get("angle"), item.get("distance")
    if tie_id is None:
        return _gone(t)
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (angle, distance)):
        return t("That change could not be made.")
    position = {"angle": angle, "distance": distance}
    return None if editing.apply(lambda m: m.with_tie_fields(tie_id, position=position)) else editing.why_refused(t)


def support_with(tie_support: Mapping[Any, Any] | None, way: str, on: bool) -> dict[str, str]:
    """A tie's support (kind by kind, with its direction) with ``way`` ("gets" or "gives") turned on
    for every kind, or off for every kind: what the map's bar does. Turned off and on again, the
    kinds that went the other way only are as they were; a kind with no direction left goes.

    >>> support_with({"practical": "gives"}, "gets", True)["practical"], support_with(None, "gives", True)["social"]
    ('both', 'gives')
    >>> support_with({"practical": "both", "emotional": "gets"}, "gets", False)
    {'practical': 'gives'}
    """
    other = "gives" if way == "gets" else "gets"
    support: dict[str, str] = {}
    for kind in SUPPORTS:
        direction = (tie_support or {}).get(kind)
        ways = {"both": {"gets", "gives"}, "gets": {"gets"}, "gives": {"gives"}}.get(direction or "", set())
        ways = ways | {way} if on else ways - {way}
        if ways:
            support[kind] = "both" if len(ways) == 2 else other if other in ways else way
    return support


def _tie(t: Translator, item: dict[str, Any]) -> str | None:
    """A strength, stress, support either way or status chosen on the map's own bar: already drawn
    there, saved here; the editor beside the map shows it too."""
    tie_id, field, value = _tie_on_map(item.get("id")), item.get("field"), item.get("value")
    if tie_id is None:
        return _gone(t)
    fields: dict[str, Any]
    if field == "strength" and value in STRENGTHS:
        fields = {"strength": value}
    elif field == "status" and value in STATUSES:
        fields = {"status": value}
    elif field == "stressful" and isinstance(value, bool):
        fields = {"stressful": value}
    elif field in ("gets", "gives") and isinstance(value, bool):
        fields = {"support": support_with(editing.current().map.tie(tie_id).support, field, value)}
    else:
        return t("That change could not be made.")
    if not editing.apply(lambda m: m.with_tie_fields(tie_id, **fields)):
        return editing.why_refused(t)
    show_in_editor(tie_id)
    return None


def show_in_editor(tie_id: str) -> None:
    """The editor beside the map shows the tie's values as saved, and keeps its widgets."""
    tie_editor.show_saved(editing.current().map, tie_id, editing.form_epoch())


def _link(t: Translator, item: dict[str, Any]) -> str | None:
    """Link mode on the map: the link between two ties (drawn at once) saved, or taken away."""
    a, b = _tie_on_map(item.get("a")), _tie_on_map(item.get("b"))
    st.session_state.pop(editing.LINK_FROM_KEY, None)
    if a is None or b is None:
        return _gone(t)
    if a == b:
        return t("That change could not be made.")
    if not editing.apply(lambda m: m.with_link_toggled(a, b)):
        return editing.why_refused(t)
    editing.select(a, back_to=MAP_KEY)
    focus_next(MAP_KEY)
    return None


def _undo(t: Translator, item: dict[str, Any]) -> str | None:
    """Undo on the map's own bar (drawn back there when it could be): Python's undo of the last change."""
    stack = st.session_state.get(editing.UNDO_KEY) or []
    if not stack:
        return t("There is nothing to undo.")
    only_values = undo_values(editing.current().map, stack[-1]) is not None
    editing.undo(refresh=not only_values, focus=False)
    tie_id = editing.selected(editing.current().map)
    if only_values and tie_id:
        show_in_editor(tie_id)
    return None


HANDLERS: dict[str, Callable[[Translator, dict[str, Any]], str | None]] = {
    "select": _select,
    "escape": _escape,
    "moved": _moved,
    "tie": _tie,
    "link": _link,
    "undo": _undo,
}

#: Someone added in the map's own form where a ring was tapped (``ui/ecomap_add.js``), with the name and
#: role typed: already drawn there, saved (or refused) with the other edits, in order.
HANDLERS["add"] = adding.add_on_map
