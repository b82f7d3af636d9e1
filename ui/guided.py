"""The guided conversation: open questions one at a time, then the map read back to confirm."""

from __future__ import annotations

import streamlit as st

from ecomap.conversation import PROMPTS, read_back
from ecomap.i18n import Translator
from ecomap.model import EcoMap
from ui import editing
from ui.adding import added, clear_added, name_and_role
from ui.common import plain
from ui.focus import focus_next
from ui.plan import plan_panel

GUIDED_KEY = "guided"
STEP_KEY = "guided_step"


def is_on() -> bool:
    return bool(st.session_state.get(GUIDED_KEY, False))


def go_to(step: int, focus: str = "") -> None:
    """Show question ``step`` (past the last, the read-back); the focus goes to the button ``focus``."""
    st.session_state[STEP_KEY] = step
    clear_added()
    if focus:
        focus_next(focus)


def set_guided(on: bool) -> None:
    """Start or end the guided conversation, from its first question; the focus stays on the switch."""
    st.session_state[GUIDED_KEY] = on
    editing.close_panel()
    go_to(0)
    focus_next("guided_toggle")


def answer(agreed: bool) -> None:
    """The person's answer to the read-back, kept on the record; then back to free drawing."""
    editing.apply(lambda m: m.with_record(read_back_agreed=agreed))
    set_guided(False)


def guided_panel(t: Translator, m: EcoMap, epoch: int) -> None:
    step = st.session_state.get(STEP_KEY, 0)
    if step < len(PROMPTS):
        prompt = PROMPTS[step]
        st.caption(t("Question {n} of {total}", n=step + 1, total=len(PROMPTS)))
        st.subheader(t(prompt.question))
        st.write(t(prompt.hint))
        for name in added():
            st.success(t(prompt.affirmation, name=plain(name)), icon=":material/favorite:")
        name_and_role(t, "guided", ring=prompt.sector, extra=prompt.preset)
        left, right = st.columns(2)
        left.button(
            t("Back"),
            key="guided_back",
            on_click=go_to,
            args=(max(step - 1, 0), "guided_back" if step > 1 else "guided_next"),
            disabled=step == 0,
        )
        right.button(
            t("Next question"),
            key="guided_next",
            on_click=go_to,
            args=(step + 1, "guided_next" if step + 1 < len(PROMPTS) else "guided_confirm"),
            type="primary",
        )
        return
    st.subheader(t("Here is what we have drawn together"))
    for sentence in read_back(m, t=t):
        st.markdown(f"- {plain(sentence)}")
    plan_panel(t, m, epoch)
    st.write(t("Is this right? Is anything missing?"))
    left, right = st.columns(2)
    left.button(t("Yes, that's right"), key="guided_confirm", type="primary", on_click=answer, args=(True,))
    right.button(t("Something to change"), key="guided_change", on_click=answer, args=(False,))
