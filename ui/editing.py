"""Editing the open map: every change saved at once, one-tap undo, conflicts shown, never lost.

All state lives in ``st.session_state`` (one session, one practitioner), never in globals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ecomap.errors import Conflict, MapInvalid, NotFound
from ecomap.layout import Spot, layout_key, place
from ecomap.model import EcoMap
from ecomap.store import Opened
from ui.common import current_user, store

OPENED_KEY = "opened_map"
UNDO_KEY = "undo_stack"
NOTICE_KEY = "map_notice"
SELECTED_KEY = "selected_tie"
ADD_AT_KEY = "add_at"
LINK_FROM_KEY = "link_from"
LAYOUT_KEY = "map_layout"
FORM_KEY = "form_epoch"
UNDO_LIMIT = 50


def opened(map_id: str) -> Opened | None:
    """The map this session is editing, loaded once and then kept in the session."""
    held: Opened | None = st.session_state.get(OPENED_KEY)
    if held is None or held.map.id != map_id:
        try:
            held = store().open(current_user(), map_id)
        except NotFound:
            return None
        st.session_state[OPENED_KEY] = held
        st.session_state[UNDO_KEY] = []
        refresh_forms()
        for key in (SELECTED_KEY, ADD_AT_KEY, LINK_FROM_KEY, NOTICE_KEY):
            st.session_state.pop(key, None)
    return held


def spots(m: EcoMap) -> dict[str, Spot]:
    """The map's layout, kept in the session while the names, rings and positions stay the same."""
    key = layout_key(m)
    kept = st.session_state.get(LAYOUT_KEY)
    if kept is None or kept[0] != key:
        kept = (key, place(m))
        st.session_state[LAYOUT_KEY] = kept
    result: dict[str, Spot] = kept[1]
    return result


def form_epoch() -> int:
    """A number for the editing widgets' keys that changes only when the map changed under them.

    A widget that made a change already shows it, so it keeps its key and is not drawn anew;
    after an undo, a conflict or a newly opened map the widgets get new keys and show the map.
    """
    epoch: int = st.session_state.setdefault(FORM_KEY, 0)
    return epoch


def refresh_forms() -> None:
    st.session_state[FORM_KEY] = st.session_state.get(FORM_KEY, 0) + 1


def current() -> Opened:
    opened_map: Opened = st.session_state[OPENED_KEY]
    return opened_map


def notice(kind: str, text: str) -> None:
    """A message to show once, above the map, on the next run."""
    st.session_state[NOTICE_KEY] = (kind, text)


def _save(changed: EcoMap, *, undoable: bool) -> bool:
    held = current()
    try:
        version = store().save(current_user(), changed, expected_version=held.version)
    except Conflict:
        newest = store().open(current_user(), held.map.id)
        st.session_state[OPENED_KEY] = newest
        st.session_state[UNDO_KEY] = []
        refresh_forms()
        notice("conflict", "")
        return False
    if undoable:
        stack: list[EcoMap] = st.session_state.setdefault(UNDO_KEY, [])
        stack.append(held.map)
        del stack[:-UNDO_LIMIT]
    st.session_state[OPENED_KEY] = Opened(held.person_id, changed, version)
    return True


def apply(change: Callable[[EcoMap], EcoMap]) -> bool:
    """Apply ``change`` to the open map and save it as a new version; False if it was refused."""
    try:
        changed = change(current().map)
    except MapInvalid as exc:
        notice("problems", "\n".join(str(p) for p in exc.problems))
        return False
    if changed == current().map:
        return True
    return _save(changed, undoable=True)


def undo() -> None:
    """Put back the map as it was before the last change (saved as a new version)."""
    stack: list[EcoMap] = st.session_state.get(UNDO_KEY, [])
    if stack:
        previous = stack.pop()
        _save(previous.replace(), undoable=False)
        refresh_forms()


def can_undo() -> bool:
    return bool(st.session_state.get(UNDO_KEY))


def tie_fields(tie_id: str, **fields: Any) -> Callable[[EcoMap], EcoMap]:
    """A change that sets ``fields`` on one tie."""

    def change(m: EcoMap) -> EcoMap:
        tie = m.tie(tie_id).model_dump(mode="json", exclude_none=True)
        tie.update(fields)
        return m.with_tie({k: v for k, v in tie.items() if v is not None})

    return change


def toggle_link(a: str, b: str) -> Callable[[EcoMap], EcoMap]:
    """A change that links two ties, or unlinks them if they are linked already."""

    def change(m: EcoMap) -> EcoMap:
        pair = frozenset((a, b))
        links = [link.model_dump(mode="json") for link in m.links]
        kept = [link for link in links if frozenset(link["between"]) != pair]
        if len(kept) == len(links):
            kept.append({"between": [a, b], "stressful": False})
        return m.replace(links=kept)

    return change
