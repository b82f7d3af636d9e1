"""Editing the open map: every change saved at once, one-tap undo, conflicts shown, never lost.

What a change *is* lives in the model (``EcoMap.with_tie_fields``, ``with_link_toggled``, ...);
here is only the session's state: the open map, what is selected, undo, and the save.
All of it lives in ``st.session_state`` (one session, one practitioner), never in globals.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ecomap.errors import Conflict, MapInvalid, NotFound, StoreUnavailable
from ecomap.i18n import Translator
from ecomap.layout import Spot, layout_key, place
from ecomap.model import EcoMap
from ecomap.store import Opened
from ui.common import current_user, plain, session_translator, store
from ui.focus import MAP_KEY, focus_next

OPENED_KEY = "opened_map"
UNDO_KEY = "undo_stack"
NOTICE_KEY = "map_notice"
SELECTED_KEY = "selected_tie"
LINK_FROM_KEY = "link_from"
LAYOUT_KEY = "map_layout"
FORM_KEY = "form_epoch"
#: The control the keyboard's focus goes back to when the open editor closes (its Streamlit key).
RETURN_KEY = "focus_return"
#: The tie being moved with buttons (the single-pointer way to do what a drag does).
MOVING_KEY = "moving_tie"
UNDO_LIMIT = 50
#: The number of the last edit made on the map that Python has handled, and the last it refused, with
#: why (``{edit, reason}``): the map's second element carries them back (``applied``, ``refused``).
APPLIED_KEY = "map_applied"
REFUSED_KEY = "map_refused"
#: How many changes of the fields the map draws (strength, stress, status) the editor beside the map
#: has made: the map draws a tap on them at once, until a count above the one it saw says Python has it.
EDITOR_SEEN_KEY = "editor_seen"
#: The map page's fragments (pages/map.py): the map and the tools beside it; the map alone; the tie
#: editor's fields that the map's bar shows too (ui/tie_editor.py). A change reruns the least of them
#: that shows all it changes (:func:`rerun_only`), so that Streamlit sends only what they draw.
WORKSPACE_FRAGMENT = "workspace"
MAP_FRAGMENT = "map_alone"
FIELDS_FRAGMENT = "tie_fields"
#: The tie whose fields the tools show in :data:`FIELDS_FRAGMENT` in this run of the page, if any.
FIELDS_SHOWN_KEY = "tie_fields_shown"


def opened(map_id: str) -> Opened | None:
    """The map this session is editing, loaded once and then kept in the session."""
    held: Opened | None = st.session_state.get(OPENED_KEY)
    if held is None or held.map.id != map_id:
        try:
            held = store().open(current_user(), map_id)
        except NotFound:
            return None
        except StoreUnavailable as exc:
            st.error(unavailable(exc, session_translator()), icon=":material/error:")
            st.stop()
        st.session_state[OPENED_KEY] = held
        st.session_state[UNDO_KEY] = []
        refresh_forms()
        for key in (SELECTED_KEY, LINK_FROM_KEY, NOTICE_KEY, MOVING_KEY, RETURN_KEY):
            st.session_state.pop(key, None)
    return held


def spots(m: EcoMap) -> dict[str, Spot]:
    """The map's layout, kept in the session while the names, rings and positions stay the same."""
    key = layout_key(m)
    kept = st.session_state.get(LAYOUT_KEY)
    if kept is None or kept[0] != key:
        kept = (key, place(m))
        st.session_state[LAYOUT_KEY] = kept
    result: dict[str, Spot] = kept[1]
    return result


def form_epoch() -> int:
    """A number for the editing widgets' keys that changes only when the map changed under them.

    A widget that made a change already shows it, so it keeps its key and is not drawn anew;
    after an undo, a conflict or a newly opened map the widgets get new keys and show the map.
    """
    epoch: int = st.session_state.setdefault(FORM_KEY, 0)
    return epoch


def refresh_forms() -> None:
    st.session_state[FORM_KEY] = st.session_state.get(FORM_KEY, 0) + 1


def current() -> Opened:
    opened_map: Opened = st.session_state[OPENED_KEY]
    return opened_map


def unavailable(exc: StoreUnavailable, t: Translator) -> str:
    """What a practitioner reads when the database cannot be used: why, and that nothing saved is lost."""
    return t(
        "The map could not be saved or opened just now ({reason}). Everything saved before is kept; "
        "please try again in a moment, or tell whoever looks after Ecomap.",
        reason=t(exc.reason),
    )


def notice(kind: str, text: str) -> None:
    """A message to show once, above the map, on the next run: a ``conflict``, a change that was
    ``done`` (said in ``text``), or ``problems`` with one."""
    st.session_state[NOTICE_KEY] = (kind, text)


def _save(changed: EcoMap, *, undoable: bool) -> bool:
    held = current()
    try:
        version = store().save(current_user(), changed, expected_version=held.version)
    except StoreUnavailable as exc:
        notice("problems", unavailable(exc, session_translator()))
        return False
    except Conflict:
        newest = store().open(current_user(), held.map.id)
        st.session_state[OPENED_KEY] = newest
        st.session_state[UNDO_KEY] = []
        refresh_forms()
        notice("conflict", "")
        return False
    if undoable:
        stack: list[EcoMap] = st.session_state.setdefault(UNDO_KEY, [])
        stack.append(held.map)
        del stack[:-UNDO_LIMIT]
    st.session_state[OPENED_KEY] = Opened(held.person_id, changed, version)
    return True


def apply(change: Callable[[EcoMap], EcoMap]) -> bool:
    """Apply ``change`` to the open map and save it as a new version; False if it was refused."""
    try:
        changed = change(current().map)
    except MapInvalid as exc:
        notice("problems", "\n".join(str(p) for p in exc.problems))
        return False
    if changed == current().map:
        return True
    return _save(changed, undoable=True)


def undo(*, refresh: bool = True, focus: bool = True) -> None:
    """Put back the map as it was before the last change (saved as a new version).

    ``refresh`` draws the editing widgets anew (the map's bar leaves it off when only the values it
    shows changed: the caller shows them); ``focus`` puts the keyboard's focus back on Undo.
    """
    stack: list[EcoMap] = st.session_state.get(UNDO_KEY, [])
    if stack:
        previous = stack.pop()
        _save(previous.replace(), undoable=False)
        if refresh:
            refresh_forms()
    if focus:
        focus_next("undo" if can_undo() else MAP_KEY)  # a disabled button cannot hold the focus


def applied() -> int:
    """The number of the last edit made on the map that this session has handled (saved or refused)."""
    return int(st.session_state.get(APPLIED_KEY, 0))


def set_applied(edit: int) -> None:
    st.session_state[APPLIED_KEY] = max(edit, applied())


def refuse(edit: int, reason: str) -> None:
    """Edit ``edit`` made on the map was not saved, for ``reason`` (words for the practitioner): the
    map draws the saved map's values again and says why."""
    st.session_state[REFUSED_KEY] = {"edit": edit, "reason": reason}


def why_refused(t: Translator, *, otherwise: str | None = None) -> str:
    """Why the last change was not saved, in words, from the notice :func:`apply` left for the page;
    ``otherwise`` where the notice says nothing (by default, that the change could not be made)."""
    kind, text = st.session_state.get(NOTICE_KEY) or ("problems", "")
    if kind == "conflict":
        return t(
            "Someone else saved this map while you were working. The newest version is shown now; "
            "please make your last change again."
        )
    return str(text) or otherwise or t("That change could not be made.")


def editor_changed() -> None:
    """The editor beside the map has handled one more change of a field the map draws."""
    st.session_state[EDITOR_SEEN_KEY] = editor_seen() + 1


def editor_seen() -> int:
    """How many such changes the editor has handled in this session (see :data:`EDITOR_SEEN_KEY`)."""
    return int(st.session_state.get(EDITOR_SEEN_KEY, 0))


def rerun_only(*fragments: str) -> None:
    """After this callback, rerun only ``fragments`` of the map page (a callback's last call), where
    the interaction reruns a fragment: a run of the whole page (a page loaded, a test's run) stays
    whole, and where one of them is not on the page, the interaction's own rerun runs instead."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:
        return
    try:
        st.rerun(list(fragments))
    except StreamlitAPIException:
        return


def fields_shown() -> str | None:
    """The tie whose fields the tools show in their own fragment (:data:`FIELDS_FRAGMENT`), if any."""
    tie_id: str | None = st.session_state.get(FIELDS_SHOWN_KEY)
    return tie_id


def can_undo() -> bool:
    return bool(st.session_state.get(UNDO_KEY))


def editor_key(field: str, tie_id: str, epoch: int) -> str:
    """The key of the tie editor's widget for ``field``, in key epoch ``epoch`` (see :func:`form_epoch`)."""
    return f"{field}_{tie_id}_{epoch}"


# -- what is selected on the map ----------------------------------------------------------------


def selected(m: EcoMap) -> str | None:
    """The id of the tie being edited, if it is still on the map."""
    tie_id: str | None = st.session_state.get(SELECTED_KEY)
    return tie_id if tie_id in {tie.id for tie in m.ties} else None


def select(tie_id: str, *, back_to: str | None = None) -> None:
    """Open the editor of one tie (and leave moving another).

    The keyboard's focus goes to the tie's strength, the editor's first choice, and back to the
    control ``back_to`` (a Streamlit key; else the map) when the editor closes.
    """
    st.session_state[SELECTED_KEY] = tie_id
    st.session_state[RETURN_KEY] = back_to
    st.session_state.pop(MOVING_KEY, None)
    focus_next(editor_key("strength", tie_id, form_epoch()))


def linking_from() -> str | None:
    """The tie a new link starts from, while the map waits for the second tap."""
    tie_id: str | None = st.session_state.get(LINK_FROM_KEY)
    return tie_id


def start_link(tie_id: str) -> None:
    """Wait for the tie to link with: a tap on the map, or the chooser in the editor (focused)."""
    st.session_state[LINK_FROM_KEY] = tie_id
    focus_next("link_with")


def stop_link(back_to: str = "link_start") -> None:
    """No link after all: the editor stays open, and the focus goes back to ``back_to``."""
    st.session_state.pop(LINK_FROM_KEY, None)
    focus_next(back_to)


def moving() -> str | None:
    """The tie being moved with the editor's buttons, if any."""
    tie_id: str | None = st.session_state.get(MOVING_KEY)
    return tie_id


def start_move(tie_id: str, *, focus: str) -> None:
    """Show the buttons that move a tie (another ring, round its ring, nearer or further) and focus ``focus``."""
    st.session_state[MOVING_KEY] = tie_id
    focus_next(focus)


def stop_move() -> None:
    st.session_state.pop(MOVING_KEY, None)
    focus_next("move_start")


def close_panel() -> None:
    """Back to the map with nothing selected and no link started; the keyboard's
    focus goes back to the control that opened the editor (else the map)."""
    for key in (SELECTED_KEY, LINK_FROM_KEY, MOVING_KEY):
        st.session_state.pop(key, None)
    focus_next(st.session_state.pop(RETURN_KEY, None) or MAP_KEY)


def show_notice(t: Translator) -> None:
    """The message :func:`notice` held for this run, if any: a conflict or a refused change."""
    held = st.session_state.pop(NOTICE_KEY, None)
    if not held:
        return
    kind, text = held
    if kind == "conflict":
        st.warning(
            t(
                "Someone else saved this map while you were working. The newest version is shown now; "
                "please make your last change again."
            ),
            icon=":material/sync_problem:",
        )
    elif kind == "done":
        st.success(plain(text), icon=":material/check_circle:")
    else:
        st.error(plain(text), icon=":material/error:")
