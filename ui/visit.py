"""Visit mode on the laptop: "Let the tablet join" (a QR code of a single-use pairing link) and
"End the visit on the tablet", in a small panel over the top of the map page.

The QR code is made here (segno, pure Python) and shown as an image served by this app: nothing
is fetched from anywhere else. The link's token is kept in this session only, to be shown; the
store keeps its SHA-256 (:mod:`ecomap.pairing`).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime

import segno
import streamlit as st
from streamlit import config

from ecomap.errors import AccessDenied, NotFound, StoreUnavailable
from ecomap.i18n import Translator, clock_time
from ecomap.pairing import end_visit, live_visit, pairing_url, start_pairing
from ecomap.settings import VISIT_ADDRESS_VARIABLE, Settings, find_private_address
from ui.common import current_user, session_translator, store

__all__ = ["LINK_KEY", "HeldLink", "held_link", "joined_since", "visit_panel"]

#: The pairing link this session shows, while it is shown (:class:`HeldLink`).
LINK_KEY = "visit_link"
#: What the panel says once, after a change (a tablet joined, the visit ended).
SAID_KEY = "visit_said"

#: The panel sits over the top right of the page, out of the map's way and taking no room of it.
PANEL_CSS = """
<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-visit_panel) {
  position: fixed; top: 0.5rem; right: 4.5rem; z-index: 999991; width: auto; max-width: min(24rem, 90vw);
}
.st-key-visit_panel { background: #ffffff; border-radius: 12px; }
.st-key-visit_panel img { image-rendering: pixelated; }
.st-key-visit_link code { word-break: break-all; white-space: normal; font-size: 0.95rem; }
</style>
"""


@dataclass(frozen=True)
class HeldLink:
    """A pairing link on show: its address (with its token), until when it works, and how many devices
    had joined the visit when it was made."""

    map_id: str
    url: str
    expires_at: datetime
    devices_before: int


def held_link() -> HeldLink | None:
    link: HeldLink | None = st.session_state.get(LINK_KEY)
    return link


def laptop_address() -> str | None:
    """The laptop's address on its hotspot or network, as the tablet reaches it."""
    return Settings.from_environ().visit_address or os.environ.get(VISIT_ADDRESS_VARIABLE) or find_private_address()


def _start(map_id: str) -> None:
    t = session_translator()
    settings = Settings.from_environ()
    address = laptop_address()
    if address is None:
        st.session_state[SAID_KEY] = (
            "error",
            t("This laptop has no network address for the tablet to reach: turn on its hotspot, then try again."),
        )
        return
    try:
        before = live_visit(store(), current_user(), map_id)
        link = start_pairing(
            store(), current_user(), map_id, link_time=settings.pairing_time, visit_time=settings.visit_time
        )
    except (StoreUnavailable, NotFound, AccessDenied):
        st.session_state[SAID_KEY] = ("error", t("The pairing code could not be made just now. Please try again."))
        return
    url = pairing_url(address, int(config.get_option("server.port")), link.token)
    st.session_state[LINK_KEY] = HeldLink(map_id, url, link.expires_at, before.devices if before else 0)
    st.session_state.pop(SAID_KEY, None)


def _close() -> None:
    st.session_state.pop(LINK_KEY, None)
    st.session_state.pop(SAID_KEY, None)


def _end(map_id: str) -> None:
    t = session_translator()
    st.session_state.pop(LINK_KEY, None)
    try:
        let_go = end_visit(store(), current_user(), map_id)
    except (StoreUnavailable, NotFound, AccessDenied):
        st.session_state[SAID_KEY] = ("error", t("The visit could not be ended just now. Please try again."))
        return
    said = (
        t("The visit has ended: the tablet can no longer open the map.")
        if let_go
        else t("The visit has ended. No tablet had joined it.")
    )
    st.session_state[SAID_KEY] = ("done", said)


def joined_since(link: HeldLink) -> bool:
    """Whether a device has joined the visit since ``link`` was made (or the visit is over)."""
    try:
        visit = live_visit(store(), current_user(), link.map_id)
    except (StoreUnavailable, NotFound, AccessDenied):
        return False
    return visit is None or visit.devices > link.devices_before


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG, big enough for a tablet's camera across a table."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


@st.fragment
def visit_panel(t: Translator, map_id: str) -> None:
    """The laptop's panel: the button that shows the pairing code, the code and its link, and ending the visit."""
    st.html(PANEL_CSS)
    link = held_link()
    if link is not None and link.map_id != map_id:
        _close()
        link = None
    try:
        visit = live_visit(store(), current_user(), map_id)
    except (StoreUnavailable, NotFound, AccessDenied):
        visit = None
    with st.container(key="visit_panel", border=link is not None):
        said = st.session_state.get(SAID_KEY)
        if link is None:
            row = st.container(horizontal=True, vertical_alignment="center", key="visit_buttons")
            row.button(
                t("Let the tablet join"), key="visit_join", icon=":material/qr_code_2:", on_click=_start, args=(map_id,)
            )
            if visit is not None and visit.devices:
                row.button(
                    t("End the visit on the tablet"),
                    key="visit_end",
                    icon=":material/link_off:",
                    type="primary",
                    on_click=_end,
                    args=(map_id,),
                )
            if said:
                (st.error if said[0] == "error" else st.success)(said[1])
            return
        st.subheader(t("Let the tablet join"), anchor=False)
        st.image(qr_png(link.url), width=232, caption=t("Scan this code with the tablet’s camera."))
        st.caption(t("Or open this link on the tablet:"))
        with st.container(key="visit_link"):
            st.code(link.url, language=None, wrap_lines=True)
        st.caption(t("It works once, until {time}.", time=clock_time(link.expires_at, t)))
        row = st.container(horizontal=True, key="visit_link_buttons")
        row.button(t("New code"), key="visit_again", icon=":material/refresh:", on_click=_start, args=(map_id,))
        row.button(t("Close"), key="visit_close", on_click=_close)
        if visit is not None and visit.devices:
            row.button(
                t("End the visit on the tablet"),
                key="visit_end_open",
                icon=":material/link_off:",
                type="primary",
                on_click=_end,
                args=(map_id,),
            )
