"""The accessibility statement: what was tested, how, and what is known not to meet WCAG 2.2 AA yet."""

from __future__ import annotations

import streamlit as st

from ui.common import page_setup

#: The axe-core release the audit runs (scripts/fetch_axe.py pins it; a test holds the two equal).
AXE_CORE = "4.14.1"

t = page_setup()
st.title(t("Accessibility statement"), anchor=False)
st.markdown(
    t(
        "Ecomap is meant for everyone who draws a map together: the person, their family and the "
        "practitioner, with a finger, a keyboard or a screen reader, in English or in Welsh. It aims to "
        "meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA."
    )
)

st.header(t("How it is tested"), anchor=False)
for line in (
    t(
        "Every run of the tests checks each page with axe-core {version}, in Chromium: the People page, "
        "with the importer open, a map alone, with a tie's editor open, in the guided conversation, as a "
        "table, with what is strong and what to explore, the calm view, Versions, Share and attach, the "
        "caseload and this page.",
        version=AXE_CORE,
    ),
    t(
        "Each is checked at 768 by 1024 and at 1024 by 768 pixels, with touch, in English and in Welsh, "
        "against the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA. A serious or critical problem, "
        "or headings out of order, fails the tests."
    ),
    t(
        "A test uses the keyboard alone, with no pointer: it adds someone, opens each tie from the map, "
        "changes a strength and a stress, links two people, moves one to another ring and round it, "
        "and undoes, checking where the focus is after every step."
    ),
    t("Another test checks that every control on every page is at least 44 by 44 pixels."),
):
    st.markdown(f"- {line}")

st.header(t("Using Ecomap with a keyboard"), anchor=False)
for line in (
    t("Tab moves from control to control; the one with the focus has a dark ring round it."),
    t(
        "On the map, the arrow keys go from one person or place to the next, ring by ring; each is read "
        "out with its ring, its strength and whether it is stressful. Enter opens it, Escape closes it."
    ),
    t(
        "Beside the map, Everyone on the map lists each person and place with Edit, Link and Move. Move "
        "does what dragging does: another ring, round the ring, nearer or further out."
    ),
    t("After each change the focus goes back to the control that made it."),
    t("Text size, beside the person's own panel and under the calm view, makes the words larger, up to 150%."),
):
    st.markdown(f"- {line}")

st.header(t("What does not meet the standard yet"), anchor=False)
for line in (
    t(
        "The map is a drawing. A screen reader hears a one-sentence summary of it and each tie as the "
        "arrow keys reach it; the whole map in words is the list beside it and the table under it."
    ),
    t(
        "Some of Streamlit's own words, such as those of its file upload and its tooltips, may stay in "
        "English in the Welsh pages."
    ),
    t(
        "The tests are automated and run by the keyboard. Ecomap has not yet been tried by people who "
        "use screen readers (NVDA, JAWS, VoiceOver, TalkBack), switch access or voice control."
    ),
    t(
        "The names on the map grow with the text size chosen beside the map, not with the browser's own "
        "text size; at the largest sizes, names close together on the map may touch."
    ),
):
    st.markdown(f"- {line}")

st.header(t("Telling us"), anchor=False)
st.markdown(
    t(
        "If something is hard to see, reach or understand, tell whoever looks after Ecomap in your "
        "organisation: say which page, what you were doing, and how you use it (a keyboard, a screen "
        "reader, a larger text size)."
    )
)
