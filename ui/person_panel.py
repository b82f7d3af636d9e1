"""The person at the centre, beside the map: what matters to them and their strengths, in their words."""

from __future__ import annotations

import streamlit as st

from ecomap.i18n import Translator
from ecomap.model import EcoMap
from ui import editing
from ui.common import plain


def set_person_list(field: str, key: str) -> None:
    """Save one of the person's lists as the text area ``key`` holds it: one item a line."""
    lines = [line.strip() for line in str(st.session_state.get(key, "")).splitlines() if line.strip()]
    editing.apply(lambda m: m.with_person(**{field: lines}))


def person_panel(t: Translator, m: EcoMap, epoch: int) -> None:
    labels = {"what_matters": t("What matters to {name}", name=plain(m.person.called)), "strengths": t("Strengths")}
    for field, label in labels.items():
        key = f"{field}_{epoch}"
        st.text_area(
            label,
            value="\n".join(getattr(m.person, field)),
            key=key,
            placeholder=t("One on each line, in their words."),
            on_change=set_person_list,
            args=(field, key),
        )
