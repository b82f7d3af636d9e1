"""Bringing in a map from another tool: upload, preview, choices, and only then a save."""

from __future__ import annotations

import uuid

import streamlit as st

from ecomap.errors import MapInvalid
from ecomap.i18n import Translator
from ecomap.io import IMPORT_SUFFIXES, import_bytes
from ecomap.io.base import Imported, leave_out, map_roles
from ecomap.io.csv_format import template
from ecomap.model import MAX_FILE_BYTES
from ecomap.vocab import ROLES, SECTORS, STRENGTHS, role_label
from ui.common import MAP_PAGE, current_user, plain, store, with_language
from ui.messages import show_problems

UPLOAD_KEY = "import_upload"
PERSON_KEY = "import_person"
ROLE_KEY = "import_role:"
LEAVE_OUT_KEY = "import_leave_out"


def _read(t: Translator) -> Imported | None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return None
    if upload.size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024 // 1024
        st.error(t("The file is too large: Ecomap imports files up to {n} MB.", n=limit), icon=":material/error:")
        return None
    try:
        return import_bytes(upload.getvalue(), upload.name, person_name=st.session_state.get(PERSON_KEY, ""))
    except MapInvalid as exc:
        st.error(t("{file} could not be read. Nothing was saved.", file=plain(upload.name)), icon=":material/error:")
        show_problems(t, exc.problems)
        return None


def _with_choices(imported: Imported) -> Imported:
    choices = {written: st.session_state.get(ROLE_KEY + written, "") for written in imported.unknown_roles}
    return leave_out(map_roles(imported, choices), st.session_state.get(LEAVE_OUT_KEY, []))


def _add(imported: Imported) -> None:
    m = imported.map
    if any(person.map_id == m.id for person in store().people(current_user())):
        m = m.replace(id=str(uuid.uuid4()))  # the same file again becomes a new person, never an overwrite
    store().add_person(current_user(), m)
    st.session_state.pop(UPLOAD_KEY, None)
    st.switch_page(MAP_PAGE, query_params=with_language({"map": m.id}))


def import_section(t: Translator) -> None:
    """The upload, the preview of what will be created, and the button that creates it."""
    st.caption(
        t(
            "Ecomap JSON, easyNWK JSON, a CSV of ties, or GraphML (Network Canvas, Gephi, yEd). "
            "You will see what will be created before anything is saved."
        )
    )
    st.text_input(t("The person’s name, if the file does not say (CSV)"), key=PERSON_KEY, max_chars=100)
    st.file_uploader(
        t("Choose a file"),
        type=[suffix.lstrip(".") for suffix in IMPORT_SUFFIXES],
        key=UPLOAD_KEY,
        max_upload_size=MAX_FILE_BYTES // 1024 // 1024,
    )
    st.download_button(
        t("CSV template"),
        data=template(),
        file_name="ecomap-template.csv",
        mime="text/csv",
        key="csv_template",
        icon=":material/table:",
        on_click="ignore",
    )
    read = _read(t)
    if read is None:
        return
    st.markdown(
        t(
            "**{name}**, {ties} ties and {links} links, from {source}.",
            name=plain(read.map.person.name),
            ties=len(read.map.ties),
            links=len(read.map.links),
            source=read.source,
        )
    )
    for note in read.notes:
        st.info(plain(note), icon=":material/info:")
    role_options = ["", *ROLES]
    for written, tie_ids in read.unknown_roles.items():
        names = ", ".join(tie.name for tie in read.map.ties if tie.id in tie_ids)
        st.selectbox(
            t("“{role}” ({names}) is not a role Ecomap knows. Which is it?", role=plain(written), names=plain(names)),
            options=role_options,
            format_func=lambda value: t("Keep as written") if not value else t(ROLES[value].label),
            key=ROLE_KEY + written,
        )
    if read.extra:
        st.multiselect(
            t("Kept in each tie’s notes, as they have no place of their own. Leave any out?"),
            options=list(read.extra),
            placeholder=t("Choose any to leave out"),  # Streamlit's own words would be English
            key=LEAVE_OUT_KEY,
        )
    chosen = _with_choices(read)
    st.dataframe(
        [
            {
                t("Name"): tie.name,
                t("Role"): role_label(tie.role, t),
                t("Ring"): t(SECTORS[tie.sector].label),
                t("Strength"): t(STRENGTHS[tie.strength].label),
                t("Notes"): tie.notes,
            }
            for tie in chosen.map.ties
        ],
        hide_index=True,
        key="import_preview",
    )
    if st.button(t("Add {name} to People", name=plain(chosen.map.person.name)), key="import_confirm", type="primary"):
        _add(chosen)
