"""Every page's last word on an error none of its parts caught (``streamlit.App``'s ``on_script_error``)."""

from __future__ import annotations

import streamlit as st

from ecomap.errors import StoreUnavailable
from ui.common import session_translator
from ui.editing import unavailable


def script_error(exc: Exception) -> bool:
    """Show ``exc`` plainly and keep Streamlit's own display of it off the page.

    A database that cannot be used says why in a few plain words; anything else says only that
    something went wrong. Never the error's own text: it could hold a person's details.
    """
    t = session_translator()
    if isinstance(exc, StoreUnavailable):
        st.error(unavailable(exc, t), icon=":material/error:")
    else:
        st.error(
            t(
                "Something went wrong on this page. Everything saved before is kept; please try again, "
                "or tell whoever looks after Ecomap."
            ),
            icon=":material/error:",
        )
    return True
