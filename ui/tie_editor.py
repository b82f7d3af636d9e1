"""The tie editor beside the map: big buttons for each of a tie's fields, each change saved at once."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ecomap.i18n import Translator
from ecomap.model import EcoMap
from ecomap.vocab import FREQUENCIES, STATUSES, STRENGTHS, SUPPORTS
from ecomap.wording import check
from ui import editing
from ui.common import plain
from ui.focus import MAP_KEY, focus_next
from ui.messages import show_suggestions
from ui.people_list import link_chooser, move_controls, ring_key
from ui.plan import plan_for

#: Fields that always have a value: a second tap on the chosen option leaves it chosen, on screen
#: and in the map. (Contact can be cleared: a second tap clears it, and the map says so too.)
_ALWAYS_CHOSEN = ("strength", "status", "stressful")
#: The editor's choices that the map draws at once when one is tapped (``ui/ecomap_map.js``), before
#: the widget's own rerun saves it: each field's options in the order shown, as the map's values.
MAP_DRAWN: dict[str, list[Any]] = {"strength": list(STRENGTHS), "stressful": [False, True], "status": list(STATUSES)}
#: The fields drawn in the editor's own fragment (:data:`ui.editing.FIELDS_FRAGMENT`), which a change
#: on the map's bar reruns with the map. A change of one of them reruns the map and them; a status
#: (which may show the plan's form below them) or a refused change, the whole workspace.
_IN_FRAGMENT = ("strength", "stressful", "frequency", "status")


def _rerun_after(saved: bool, *, alone: bool = True) -> None:
    """What a change in the fragment reruns: the map and the fragment, or the whole workspace."""
    if saved and alone:
        editing.rerun_only(editing.MAP_FRAGMENT, editing.FIELDS_FRAGMENT)
    else:
        editing.rerun_only(editing.WORKSPACE_FRAGMENT)


def _shown(field: str, value: Any) -> Any:
    """A field's value as its widget shows it."""
    return ("yes" if value else "no") if field == "stressful" else value


def set_field(tie_id: str, field: str, key: str) -> None:
    """Save the tie's ``field`` as the widget ``key`` now shows it (a choice keeps the keyboard's focus)."""
    value: Any = st.session_state.get(key)
    if field not in ("name", "own_words", "notes"):
        focus_next(key)
    if field in MAP_DRAWN:
        editing.editor_changed()
    saved = True
    if field in _ALWAYS_CHOSEN and value is None:
        st.session_state[key] = _shown(field, getattr(editing.current().map.tie(tie_id), field))
    else:
        if field == "stressful":
            value = value == "yes"
        saved = editing.apply(lambda m: m.with_tie_fields(tie_id, **{field: value}))
    if field in _IN_FRAGMENT:  # the others are drawn by the workspace, which their change reruns
        _rerun_after(saved, alone=field != "status")


def set_support(tie_id: str, gets_key: str, gives_key: str) -> None:
    """Save which way each kind of support goes, from the two choices "gets" and "gives"."""
    gets = set(st.session_state.get(gets_key) or ())
    gives = set(st.session_state.get(gives_key) or ())
    support = {kind: "both" if kind in gets and kind in gives else "gets" if kind in gets else "gives"
               for kind in SUPPORTS if kind in gets | gives}  # fmt: skip
    _rerun_after(editing.apply(lambda m: m.with_tie_fields(tie_id, support=support)))


def support_not_asked(tie_id: str) -> None:
    _rerun_after(editing.apply(lambda m: m.with_tie_fields(tie_id, support=None)))


def _support(t: Translator, m: EcoMap, tie_id: str, epoch: int) -> None:
    """What the person gets from the tie, and what they give it, kind by kind; "not asked yet" and
    "none either way" are told apart."""
    tie = m.tie(tie_id)
    keys = {way: editing.editor_key(way, tie_id, epoch) for way in ("gets", "gives")}
    asked = {
        "gets": t("What does {person} get from {name}?", person=plain(m.person.called), name=plain(tie.name)),
        "gives": t("What does {person} give {name}?", person=plain(m.person.called), name=plain(tie.name)),
    }
    for way, question in asked.items():
        st.pills(
            question,
            list(SUPPORTS),
            selection_mode="multi",
            format_func=lambda x: t(SUPPORTS[x].label),
            default=None if keys[way] in st.session_state else list(getattr(tie, way)),  # the map's bar may have set it
            key=keys[way],
            on_change=set_support,
            args=(tie_id, keys["gets"], keys["gives"]),
            wrap=True,
        )
    if tie.support is None:
        st.caption(t("Not asked yet."))
        st.button(
            t("Nothing either way"),
            key=f"support_none_{tie_id}",
            on_click=set_support,
            args=(tie_id, keys["gets"], keys["gives"]),
        )
    elif not tie.support:
        st.caption(t("Nothing either way, for now."))
        st.button(t("Not asked yet"), key=f"support_unasked_{tie_id}", on_click=support_not_asked, args=(tie_id,))


def remove_tie(tie_id: str) -> None:
    if editing.apply(lambda m: m.without_tie(tie_id)):
        editing.close_panel()
        focus_next(MAP_KEY)  # the tie's own row in the list has gone with it


def _segmented(
    t: Translator, label: str, table: dict[str, Any], tie_id: str, field: str, value: Any, epoch: int
) -> None:
    key = editing.editor_key(field, tie_id, epoch)
    st.segmented_control(
        label,
        list(table),
        format_func=lambda x: t(table[x].label),
        default=None if key in st.session_state else value,  # the map's own bar may have set it
        key=key,
        on_change=set_field,
        args=(tie_id, field, key),
        wrap=True,
    )


def _text(t: Translator, label: str, tie_id: str, field: str, value: str, epoch: int, *, area: bool) -> None:
    key = editing.editor_key(field, tie_id, epoch)
    widget = st.text_area if area else st.text_input
    widget(label, value=value, key=key, max_chars=2000 if area else 100, on_change=set_field, args=(tie_id, field, key))


def show_saved(m: EcoMap, tie_id: str, epoch: int) -> None:
    """The editor's fields of the tie (:func:`tie_fields`) show its values as saved in ``m``, keeping
    their keys: what the map's bar changed, or a change here that was refused."""
    tie = m.tie(tie_id)
    shown = {
        "strength": tie.strength,
        "status": tie.status,
        "stressful": _shown("stressful", tie.stressful),
        "gets": list(tie.gets),
        "gives": list(tie.gives),
    }
    for field, value in shown.items():
        st.session_state[editing.editor_key(field, tie_id, epoch)] = value


@st.fragment(key=editing.FIELDS_FRAGMENT)
def tie_fields(t: Translator, tie_id: str) -> None:
    """The tie's fields that the map's bar shows too, and its contact: a fragment of their own, run
    again with the map (and nothing else) when one of them changes here or on the bar."""
    held = editing.current()
    m, epoch = held.map, editing.form_epoch()
    if tie_id not in {tie.id for tie in m.ties}:
        return
    st.session_state[editing.FIELDS_SHOWN_KEY] = tie_id
    # Set in this run, before the widgets: a value set in the callback of a rerun of only some
    # fragments does not reach the browser (the widget is sent as it was).
    show_saved(m, tie_id, epoch)
    tie = m.tie(tie_id)
    _segmented(t, t("Strength"), STRENGTHS, tie_id, "strength", tie.strength, epoch)
    key = editing.editor_key("stressful", tie_id, epoch)
    st.segmented_control(
        t("Stressful?"),
        [_shown("stressful", value) for value in MAP_DRAWN["stressful"]],
        format_func=lambda x: t("Stressful") if x == "yes" else t("Not stressful"),
        default=None if key in st.session_state else _shown("stressful", tie.stressful),
        key=key,
        on_change=set_field,
        args=(tie_id, "stressful", key),
    )
    _support(t, m, tie_id, epoch)
    _segmented(t, t("Contact"), FREQUENCIES, tie_id, "frequency", tie.frequency, epoch)
    _segmented(t, t("Status"), STATUSES, tie_id, "status", tie.status, epoch)


def tie_editor(t: Translator, m: EcoMap, tie_id: str, *, epoch: int, version: int) -> None:
    """The editor of one tie; ``epoch`` is the widgets' key epoch, ``version`` the map's version."""
    tie = m.tie(tie_id)
    st.subheader(plain(tie.name))
    if editing.linking_from() == tie_id:
        st.info(t("Now tap the person or place on the map to link with {name}.", name=plain(tie.name)))
        link_chooser(t, m, tie_id)
    if editing.moving() == tie_id:
        move_controls(t, m, tie_id, epoch)
    _text(t, t("Name"), tie_id, "name", tie.name, epoch, area=False)
    tie_fields(t, tie_id)
    _text(t, t("In their own words"), tie_id, "own_words", tie.own_words, epoch, area=True)
    _text(t, t("Notes"), tie_id, "notes", tie.notes, epoch, area=True)
    show_suggestions(t, check(tie.own_words) + check(tie.notes))
    if tie.status != "current":
        plan_for(t, tie.id, tie.name, tie.status, version)
    # One row where the three fit, two where they do not: each button is as wide as its words.
    row = st.container(horizontal=True, wrap=True, key="tie_actions")
    row.button(
        t("Link to someone"),
        key="link_start",
        on_click=editing.start_link,
        args=(tie_id,),
        icon=":material/share:",
        wrap=True,
    )
    row.button(
        t("Move"),
        key="move_start",
        on_click=editing.start_move,
        args=(tie_id,),
        kwargs={"focus": ring_key(tie_id, epoch)},
        icon=":material/open_with:",
        wrap=True,
    )
    row.button(t("Remove"), key="remove_tie", on_click=remove_tie, args=(tie_id,), icon=":material/delete:", wrap=True)
    row.button(t("Done"), key="close_editor", on_click=editing.close_panel, type="primary", wrap=True)
