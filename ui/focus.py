"""The keyboard's focus across reruns: a change asks for a control, and after the run it has the focus.

Streamlit draws the page again after every change, and the control that started it is often drawn
anew (or is gone: an editor closed), so the browser's focus falls back to the page. A callback names
the control to focus next by its Streamlit ``key`` (:func:`focus_next`); the map page hands the
request to the map component (:func:`take_focus`), whose script, already loaded, waits for the run
to finish and focuses that control: the chosen option of a choice, else its first control.
"""

from __future__ import annotations

import streamlit as st

from ecomap.render.interactive import FocusRequest

__all__ = ["FOCUS_KEY", "MAP_KEY", "focus_next", "take_focus"]

#: The map component's key: the map takes the focus as a control does.
MAP_KEY = "ecomap_map"
#: The control to focus after this run (its Streamlit key), and how many times focus was asked for.
FOCUS_KEY = "focus_next"
_ASKED_KEY = "focus_asked"


def focus_next(key: str) -> None:
    """After this run, put the keyboard's focus on the control whose Streamlit key is ``key``."""
    asked = int(st.session_state.get(_ASKED_KEY, 0)) + 1
    st.session_state[_ASKED_KEY] = asked
    st.session_state[FOCUS_KEY] = FocusRequest(key=key, asked=asked)


def take_focus() -> FocusRequest | None:
    """The control a change asked to be focused after this run, if any (asked for once only)."""
    request: FocusRequest | None = st.session_state.pop(FOCUS_KEY, None)
    return request
