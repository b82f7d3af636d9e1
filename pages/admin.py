"""The admin page: teams and members, the records an admin manages (by id), and the audit.

Only for admins: anyone else reads that it is for admins and nothing more, and the store refuses
(and audits) every admin's call they might make.
"""

from __future__ import annotations

import streamlit as st

from ui.admin import HIDE_TABLE_DOWNLOAD, audit_section, records_section, show_notice, teams_section
from ui.common import current_user, page_setup, store

t = page_setup()
st.title(t("Admin"))
user = current_user()
if not store().is_admin(user):
    st.info(t("This page is for admins."))
    st.stop()
st.html(HIDE_TABLE_DOWNLOAD)
# The notice has a place of its own, so that the tabs stay where they are and keep the one chosen.
with st.container(key="admin_notice_place"):
    show_notice()
teams, records, audit = st.tabs(
    [t("Teams and members"), t("Records"), t("The audit")], key="admin_tab", on_change="rerun"
)
with teams:
    teams_section(t, user)
with records:
    records_section(t, user)
with audit:
    audit_section(t, user)
