"""Change over time: the versions of a map, named; any two compared; an old one restored."""

from __future__ import annotations

import streamlit as st

from ecomap.conversation import measures_in_words
from ecomap.diff import summary
from ecomap.errors import Conflict, NotFound
from ecomap.store import LOCAL_USER
from ecomap.versions import (
    LABEL_MAX,
    default_comparison,
    describe_choice,
    describe_save,
    describe_visit,
    landmarks,
    visits,
)
from ecomap.vocab import N_
from ui import editing
from ui.common import MAP_PAGE, PEOPLE_PAGE, current_user, page_setup, plain, store, with_language
from ui.mapview import change_map

FROM_KEY = "compare_from"
TO_KEY = "compare_to"
NAME_VERSION_KEY = "name_version"
NAME_TEXT_KEY = "name_text"
EVERY_KEY = "every_version"
#: Wide enough for a visit told in full (its date, its times, its changes); on a tablet the two pickers stack.
PICKER_WIDTH = 440


def save_name(map_id: str) -> None:
    version = st.session_state.get(NAME_VERSION_KEY)
    if version is not None:
        store().label_version(current_user(), map_id, version, st.session_state.get(NAME_TEXT_KEY, ""))


def heading(text: str) -> None:
    st.markdown(f"**{plain(text)}**")


def restore(map_id: str, version: int, current: int) -> None:
    try:
        store().restore(current_user(), map_id, version, expected_version=current)
    except Conflict:
        st.session_state["history_notice"] = "conflict"
    else:
        st.session_state.pop(editing.OPENED_KEY, None)  # the map page loads the restored map
        st.session_state["history_notice"] = f"restored:{version}"
        st.session_state.pop(FROM_KEY, None)
        st.session_state.pop(TO_KEY, None)


t = page_setup()
user = current_user()
map_id = st.query_params.get("map", "")
try:
    versions = store().versions(user, map_id) if map_id else []
except NotFound:
    versions = []
if not versions:
    st.info(t("Choose a person to see how their map has changed."))
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:", query_params=with_language())
    st.stop()

current = versions[-1].version
by_number = {info.version: info for info in versions}
newest = store().open(user, map_id).map
top = st.container(horizontal=True, vertical_alignment="center")
top.page_link(
    MAP_PAGE, label=t("Back to the map"), icon=":material/arrow_back:", query_params=with_language({"map": map_id})
)
top.subheader(t("How {name}’s map has changed", name=plain(newest.person.called)), anchor=False)

notice = st.session_state.pop("history_notice", None)
if notice == "conflict":
    st.warning(t("Someone else saved this map just now. Nothing was restored; please look again."))
elif notice:
    st.success(t("Version {version} is the current map again, as a new version.", version=notice.split(":")[1]))

found = visits(versions)
every = st.session_state.get(EVERY_KEY, False)
default_from, default_to = default_comparison(found)
kept = {st.session_state.get(key) for key in (FROM_KEY, TO_KEY, NAME_VERSION_KEY)}  # a choice stays offered
offered = (
    list(by_number)
    if every
    else sorted({*landmarks(found), default_from, default_to, *(v for v in kept if v in by_number)})
)


def describe(version: int) -> str:
    return describe_choice(by_number[version], found, t)


pick = st.container(horizontal=True, vertical_alignment="bottom")
older = pick.selectbox(
    t("Compare"), options=offered, index=offered.index(default_from), format_func=describe, key=FROM_KEY,
    width=PICKER_WIDTH, placeholder=t("Choose a version"),
)  # fmt: skip
newer = pick.selectbox(
    t("with"), options=offered, index=offered.index(default_to), format_func=describe, key=TO_KEY,
    width=PICKER_WIDTH, placeholder=t("Choose a version"),
)  # fmt: skip
pick.toggle(t("Every version"), key=EVERY_KEY, help=t("Offer every save, not only the visits and the named versions."))

old_map = store().open(user, map_id, version=older).map
new_map = newest if newer == current else store().open(user, map_id, version=newer).map
left, right = st.columns([3, 2])
with left:
    changes = change_map(old_map, new_map, version=f"{older}-{newer}", t=t)
    if older != current:
        st.button(
            t("Make version {version} the current map again", version=older),
            key="restore",
            icon=":material/restore:",
            on_click=restore,
            args=(map_id, older, current),
            help=t("It is saved as a new version; every version stays."),
        )
with right:
    heading(t("What has changed"))
    st.markdown("\n".join(f"- {plain(sentence)}" for sentence in summary(changes, old_map, new_map, t=t)))
    if changes.findings_appeared:
        heading(t("New on the list of findings"))
        st.markdown("\n".join(f"- {plain(f.text)}" for f in changes.findings_appeared))
    if changes.findings_resolved:
        heading(t("No longer on the list of findings"))
        st.markdown("\n".join(f"- {plain(f.text)}" for f in changes.findings_resolved))
    was, now = measures_in_words(old_map, t=t), measures_in_words(new_map, t=t)
    moved = [key for key in dict.fromkeys([*now, *was]) if was.get(key) != now.get(key)]
    if moved:
        heading(t("Measures"))
        before, after = t("Before"), t("Now")
        st.markdown(
            "\n".join(
                f"- **{before}**: {plain(was.get(key, '–'))}  \n  **{after}**: {plain(now.get(key, '–'))}"
                for key in moved
            )
        )

heading(t("Visits"))
for visit in reversed(found):
    names = " · ".join(visit.labels)
    with st.expander(plain(f"{describe_visit(visit, t)} · {names}" if names else describe_visit(visit, t)),
                     key=f"visit_{visit.first}"):  # fmt: skip
        first = visit.versions[0]
        # The local mode's stand-in is no one's name: it is said in the reader's language.
        by = t(N_("Local practitioner")) if first.saved_by == LOCAL_USER.id else first.saved_by_name
        if by:
            st.caption(t("Saved by {name}", name=plain(by)))
        st.markdown("\n".join(f"- {plain(describe_save(saved, t))}" for saved in reversed(visit.versions)))
with st.form("name_a_version", border=False):
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.selectbox(
        t("Version"), options=list(reversed(offered)), key=NAME_VERSION_KEY, format_func=describe,
        width=PICKER_WIDTH, placeholder=t("Choose a version"),
    )  # fmt: skip
    row.text_input(t("Its name"), key=NAME_TEXT_KEY, max_chars=LABEL_MAX, placeholder=t("three-month review"))
    row.form_submit_button(t("Name this version"), on_click=save_name, args=(map_id,))
