"""The text size for the person looking at the tablet: 90 to 150%, kept for the session and in the URL.

It enlarges the tools beside the map and the map's own bar (CSS ``zoom``, so they reflow in their
panel) and the names drawn on the map (the map's script scales their font); the map itself always
fits its place.
"""

from __future__ import annotations

import streamlit as st

from ecomap.i18n import Translator

__all__ = ["SIZES", "TEXT_SIZE_KEY", "TEXT_SIZE_PARAM", "text_size", "text_size_control", "text_size_css"]

#: The sizes offered, in percent of the usual.
SIZES = (90, 100, 110, 120, 130, 140, 150)
#: The session's size (kept when the control is not on the page).
TEXT_SIZE_KEY = "text_size"
#: The URL's word for it (``?text=130``), so a reload keeps it.
TEXT_SIZE_PARAM = "text"
_CHOICE_KEY = "text_size_choice"


def text_size() -> int:
    """The session's text size in percent: the one chosen, else the URL's, else 100."""
    chosen = st.session_state.get(TEXT_SIZE_KEY)
    if chosen not in SIZES:
        asked = st.query_params.get(TEXT_SIZE_PARAM, "")
        chosen = int(asked) if asked.isdigit() and int(asked) in SIZES else 100
        st.session_state[TEXT_SIZE_KEY] = chosen
    size: int = chosen
    return size


def _chosen() -> None:
    size = st.session_state.get(_CHOICE_KEY)
    if size in SIZES:
        st.session_state[TEXT_SIZE_KEY] = size
        st.query_params[TEXT_SIZE_PARAM] = str(size)


def text_size_control(t: Translator) -> None:
    """The choice of text size (each size a step of a slider: arrow keys or a drag)."""
    st.session_state[_CHOICE_KEY] = text_size()
    st.select_slider(
        t("Text size"),
        options=list(SIZES),
        format_func=lambda size: f"{size}%",
        key=_CHOICE_KEY,
        on_change=_chosen,
    )


def text_size_css() -> str:
    """The page's style for the session's text size (nothing at 100%)."""
    size = text_size()
    if size == 100:
        return ""
    zoom = size / 100
    return f'<style>[class*="st-key-tools_"], .ecomap-quick, .st-key-people_under_map {{ zoom: {zoom}; }}</style>'
