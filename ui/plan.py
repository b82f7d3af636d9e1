"""The plan beside the map: agreed next steps, added from a hoped-for tie, edited, ticked off, removed."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from ecomap.i18n import Translator
from ecomap.model import EcoMap, PlanItem
from ecomap.vocab import N_
from ui import editing
from ui.common import plain

#: The plan item whose editor is open.
EDITING_KEY = "plan_editing"


def _typed(key: str) -> str:
    return str(st.session_state.get(key) or "").strip()


#: What a plan item for a tie says until it is changed: for a tie hoped for, a first step; for
#: one in the past, getting back in touch.
PLAN_DEFAULTS = {
    "hoped_for": N_("A first step towards {name}"),
    "past": N_("Get back in touch with {name}"),
}


def add_plan_item(t: Translator, tie_id: str, action_key: str, who_key: str, by_key: str) -> None:
    by: date | None = st.session_state.get(by_key)
    item = {"action": _typed(action_key), "tie": tie_id, "who": _typed(who_key), "by": by}
    if editing.apply(lambda m: m.with_plan_item({k: v for k, v in item.items() if v is not None})):
        editing.notice("done", t("Added to the plan: {action}", action=item["action"]))


def plan_for(t: Translator, tie_id: str, name: str, status: str, version: int) -> None:
    """Turn a tie hoped for, or one in the past, into a plan item: what, who, by when, in one step."""
    with st.container(border=True, key=f"plan_for_{tie_id}"):
        heading = t("Plan for this together")
        st.markdown(f"**{plain(heading)}**")
        st.text_input(t("What"), value=t(PLAN_DEFAULTS[status], name=name), key=f"plan_action_{version}")
        st.text_input(t("Who"), key=f"plan_who_{version}", max_chars=300)
        st.date_input(t("By when"), value=None, key=f"plan_by_{version}", format="DD/MM/YYYY")
        st.button(
            t("Add to the plan"),
            key="plan_add",
            icon=":material/flag:",
            on_click=add_plan_item,
            args=(t, tie_id, f"plan_action_{version}", f"plan_who_{version}", f"plan_by_{version}"),
        )


def set_done(item_id: str, key: str) -> None:
    editing.apply(lambda m: m.with_plan_done(item_id, bool(st.session_state.get(key))))


def start_editing(item_id: str) -> None:
    st.session_state[EDITING_KEY] = item_id


def stop_editing() -> None:
    st.session_state.pop(EDITING_KEY, None)


def save_item(item_id: str, keys: dict[str, str]) -> None:
    """Save the plan item as its editor's fields now say; an empty "what" is refused with a message."""
    fields: dict[str, Any] = {"action": _typed(keys["action"]), "who": _typed(keys["who"])}
    fields["by"] = st.session_state.get(keys["by"])
    if editing.apply(lambda m: m.with_plan_fields(item_id, **fields)):
        stop_editing()


def remove_item(item_id: str) -> None:
    if editing.apply(lambda m: m.without_plan_item(item_id)):
        stop_editing()


def describe(t: Translator, item: PlanItem) -> str:
    """A plan item in one line: what, by when, who."""
    when = f" ({item.by:%d/%m/%Y})" if item.by else ""
    said_who = t("Who")
    who = f" {said_who}: {item.who}." if item.who else ""
    return f"{item.action}{when}.{who}"


def _item_editor(t: Translator, item: PlanItem, epoch: int) -> None:
    keys = {field: f"plan_edit_{field}_{item.id}_{epoch}" for field in ("action", "who", "by")}
    with st.form(key=f"plan_edit_{item.id}", border=True):
        st.text_input(t("What"), value=item.action, key=keys["action"], max_chars=300)
        st.text_input(t("Who"), value=item.who, key=keys["who"], max_chars=300)
        st.date_input(t("By when"), value=item.by, key=keys["by"], format="DD/MM/YYYY")
        st.form_submit_button(t("Save"), type="primary", on_click=save_item, args=(item.id, keys))
    left, right = st.columns(2)
    left.button(
        t("Remove from the plan"),
        key=f"plan_remove_{item.id}",
        icon=":material/delete:",
        on_click=remove_item,
        args=(item.id,),
    )
    right.button(t("Cancel"), key=f"plan_cancel_{item.id}", on_click=stop_editing)


def plan_panel(t: Translator, m: EcoMap, epoch: int) -> None:
    """The plan: each item ticked off when done, or opened to change or remove it."""
    if not m.plan:
        return
    st.subheader(t("Plan"), anchor=False)
    open_item = st.session_state.get(EDITING_KEY)
    for item in m.plan:
        if item.id == open_item:
            _item_editor(t, item, epoch)
            continue
        key = f"plan_done_{item.id}_{epoch}"
        st.checkbox(plain(describe(t, item)), value=item.done, key=key, on_change=set_done, args=(item.id, key))
        st.button(
            t("Change"),
            key=f"plan_change_{item.id}",
            icon=":material/edit:",
            on_click=start_editing,
            args=(item.id,),
            help=t("Change or remove this step"),
        )
