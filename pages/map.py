"""One person's map: who is in it, and adding a tie. Every change is saved at once."""

from __future__ import annotations

import streamlit as st

from ecomap.errors import Conflict, MapInvalid, NotFound
from ecomap.i18n import Translator
from ecomap.store import Opened
from ecomap.vocab import FLOWS, FREQUENCIES, KINDS, ROLES, SECTORS, STATUSES, STRENGTHS, SUPPORTS, values
from ui.common import PEOPLE_PAGE, current_user, page_setup, plain, store
from ui.messages import show_problems

OPENED_KEY = "opened_map"

t = page_setup()
user = current_user()


def opened(map_id: str) -> Opened | None:
    """The map this session is editing, loaded once and kept in the session."""
    held: Opened | None = st.session_state.get(OPENED_KEY)
    if held is None or held.map.id != map_id:
        try:
            held = store().open(user, map_id)
        except NotFound:
            return None
        st.session_state[OPENED_KEY] = held
    return held


def ties_table(t: Translator, current: Opened) -> list[dict[str, str]]:
    def label(table: dict, value: str | None) -> str:  # type: ignore[type-arg]
        return t(table[value].label) if value else ""

    return [
        {
            t("Name"): tie.name,
            t("Role"): tie.role,
            t("Ring"): label(SECTORS, tie.sector),
            t("Strength"): label(STRENGTHS, tie.strength),
            t("Stressful"): t("Yes") if tie.stressful else "",
            t("Support flows"): label(FLOWS, tie.flow),
            t("Support"): ", ".join(t(SUPPORTS[s].label) for s in tie.support),
            t("Contact"): label(FREQUENCIES, tie.frequency),
            t("Status"): label(STATUSES, tie.status),
            t("Kind"): label(KINDS, tie.kind),
            t("In their own words"): tie.own_words,
        }
        for tie in current.map.ties
    ]


map_id = st.query_params.get("map", "")
current = opened(map_id) if map_id else None
if current is None:
    st.info(t("Choose a person to open their map."))
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:")
    st.stop()

m = current.map
st.page_link(PEOPLE_PAGE, label=t("All people"), icon=":material/arrow_back:")
st.title(plain(m.person.called))
if m.title:
    st.caption(plain(m.title))

if m.ties:
    st.dataframe(ties_table(t, current), hide_index=True, key="ties_table")
else:
    st.info(t("No one is on the map yet. Add the first person or place below."))

st.subheader(t("Add someone or something"))
with st.form(key="add_tie", clear_on_submit=True, border=False):
    name = st.text_input(t("Name"), key="tie_name", max_chars=100)
    role = st.pills(t("Who are they?"), list(ROLES), format_func=lambda r: t(ROLES[r].label), key="tie_role")
    sector = st.segmented_control(
        t("Ring"), values("sector"), format_func=lambda s: t(SECTORS[s].label), key="tie_sector"
    )
    strength = st.segmented_control(
        t("Strength"),
        values("strength"),
        format_func=lambda s: t(STRENGTHS[s].label),
        default="moderate",
        key="tie_strength",
    )
    add = st.form_submit_button(t("Add to the map"), type="primary")

if add:
    chosen = ROLES[role] if role else None
    tie = {
        "id": m.next_tie_id(),
        "name": name,
        "sector": sector or (chosen.sector if chosen else None),
        "kind": chosen.kind if chosen else "person",
        "role": t(chosen.label) if chosen else "",
        "strength": strength or "moderate",
    }
    if tie["sector"] is None:
        st.error(t("Choose who they are, or which ring they belong in."), icon=":material/error:")
    else:
        try:
            changed = m.with_tie(tie)
            version = store().save(user, changed, expected_version=current.version)
        except MapInvalid as exc:
            show_problems(t, exc.problems)
        except Conflict:
            st.session_state.pop(OPENED_KEY, None)
            st.error(
                t(
                    "Someone else saved this map while you were working. The newest version is now shown; "
                    "please add {name} again.",
                    name=plain(name),
                ),
                icon=":material/sync_problem:",
            )
        else:
            st.session_state[OPENED_KEY] = Opened(current.person_id, changed, version)
            st.toast(t("Saved"), icon=":material/check:")
            st.rerun()
