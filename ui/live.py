"""Two screens, one map: in visit mode the map page follows its map's newest version in the store.

A fragment of the page (:func:`follow`) asks the store every :data:`POLL_SECONDS` for the newest
version of the open map (:meth:`ecomap.store.Store.current_version`, one small read, scoped by
access like every query). When another screen has saved a newer one, the session takes it up
(the undo of this screen starts again, as after a conflict, so that an undo never takes away the
other screen's change) and the page runs again: the map is drawn anew in place, never reloaded.
Two changes at once follow the store's conflict rule: the later save is refused, and that screen
shows the newest version and the conflict notice (:func:`ui.editing.apply`), never an overwrite.

On a paired tablet the same fragment notices the visit ending (or its time running out) and runs
the page again, which then says so (:func:`ui.common.paired_device`). On the laptop it notices
a tablet joining through the code on show, and puts the code away.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from ecomap.errors import AccessDenied, NotFound, StoreUnavailable
from ecomap.i18n import Translator
from ecomap.pairing import DEVICE_COOKIE, device_visit
from ui import editing, visit
from ui.common import current_user, other_device, session_translator, store, visit_mode

__all__ = ["POLL_SECONDS", "follow"]

#: How often a screen asks for the map's newest version: a change shows on the other within a second.
POLL_SECONDS = 0.4


def follow(t: Translator) -> None:
    """On the map page, in visit mode: the laptop's pairing panel, and the map kept up with the store."""
    if not visit_mode():
        return
    tablet = other_device()
    if not tablet:
        visit.visit_panel(t, editing.current().map.id)
    _follow(tablet)


def _take_newer(map_id: str) -> None:
    """Hold the newest version of the map in place of the session's, as a conflict does (without its notice)."""
    st.session_state[editing.OPENED_KEY] = store().open(current_user(), map_id)
    st.session_state[editing.UNDO_KEY] = []
    editing.refresh_forms()


@st.fragment(run_every=POLL_SECONDS)
def _follow(tablet: bool) -> None:
    held = editing.current()
    try:
        if tablet and device_visit(store(), st.context.cookies.get(DEVICE_COOKIE)) is None:
            st.rerun()  # the visit is over: the page says so
        link = visit.held_link()
        if link is not None and (link.expires_at <= datetime.now(UTC) or visit.joined_since(link)):
            st.session_state.pop(visit.LINK_KEY, None)
            if link.expires_at > datetime.now(UTC):
                t = session_translator()
                st.session_state[visit.SAID_KEY] = ("done", t("A tablet has joined this visit."))
            st.rerun()
        if store().current_version(current_user(), held.map.id) > held.version:
            _take_newer(held.map.id)
            st.rerun()
    except (StoreUnavailable, NotFound, AccessDenied):
        return  # asked again at the next tick; a save says plainly what is wrong
