"""Break-glass on the map page: an admin opens a record outside their teams, or a restricted one, only
after giving a reason, which the store keeps in the audit (``Store.break_glass``).

The admin page links to the map page with the person's id (``?person=...``); the map page asks for
the reason here before anything of the map is read, and then opens the map as usual: for
:data:`ecomap.access.BREAK_GLASS_HOURS` hours the admin sees that record as a member would.
"""

from __future__ import annotations

import streamlit as st

from ecomap.access import BREAK_GLASS_HOURS, REASON_MAX
from ecomap.errors import NotFound, StoreUnavailable
from ecomap.i18n import Translator
from ui.common import PEOPLE_PAGE, current_user, store, with_language

__all__ = ["MAP_PARAM", "PERSON_PARAM", "break_glass_step"]

#: The URL's word for the person whose record an admin asks to open with a reason.
PERSON_PARAM = "person"
#: The URL's word for the map the map page shows.
MAP_PARAM = "map"
#: The reason's field.
REASON_KEY = "break_glass_reason"


def break_glass_step(t: Translator) -> str:
    """The id of the map to open after a break-glass, or "" when the URL asks for none.

    When the URL names a person (``?person=...``) and the user is an admin, this asks for the reason
    (a form) and stops the page until one is given: nothing of the map is read or shown before. With
    a reason, the store opens the record (audited BREAK_GLASS), the URL names its map, and its id is
    returned. For anyone who is not an admin it returns "": the page then has no map to show.
    """
    person_id = st.query_params.get(PERSON_PARAM, "")
    if not person_id:
        return ""
    user = current_user()
    if not store().is_admin(user):
        return ""
    st.title(t("Open a record with a reason"), anchor=False)
    st.markdown(
        t(
            "This record is outside your teams, or restricted. Say why you need to open it: the reason "
            "goes into the audit, and the record stays open to you for {hours} hours.",
            hours=BREAK_GLASS_HOURS,
        )
    )
    with st.form("break_glass"):
        reason = st.text_area(t("Reason"), max_chars=REASON_MAX, key=REASON_KEY)
        given = st.form_submit_button(t("Open the map"), type="primary", icon=":material/lock_open:")
    if given:
        try:
            opened = store().break_glass(user, person_id, reason)
        except ValueError:
            st.error(t("A reason is needed to open the record."), icon=":material/error:")
        except NotFound:
            st.error(t("There is no record with that id."), icon=":material/error:")
        except StoreUnavailable:
            st.error(t("The database cannot be used just now: nothing was changed. Please try again in a moment."))
        else:
            del st.query_params[PERSON_PARAM]
            st.query_params[MAP_PARAM] = opened.map.id
            return opened.map.id
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:", query_params=with_language())
    st.stop()
