"""Adding someone to the map: a name and one tap on a role chip, in a ring, at a tapped spot or anywhere."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ecomap.i18n import Translator
from ecomap.layout import keep_in_ring
from ecomap.vocab import ROLES, SECTORS
from ui import editing

#: The names added since this was last cleared (the guided conversation affirms each one).
ADDED_KEY = "guided_added"


def added() -> list[str]:
    names: list[str] = st.session_state.get(ADDED_KEY, [])
    return names


def clear_added() -> None:
    st.session_state[ADDED_KEY] = []


def add_tie(
    t: Translator,
    name_key: str,
    role_key: str,
    sector: str | None,
    extra: dict[str, Any],
    default_sector: str | None = None,
) -> None:
    """Add a tie named in ``name_key``: its ring is ``sector``, else the role's, else ``default_sector``.

    The new tie is selected: its editor opens (the guided conversation keeps its questions) and the
    map marks it, so both people see where it landed.
    """
    name = str(st.session_state.get(name_key, "")).strip()
    role = ROLES.get(st.session_state.get(role_key) or "")
    chosen_sector = sector or (role.sector if role else None) or default_sector
    if not chosen_sector:
        editing.notice("problems", t("Choose who they are, or which ring they belong in."))
        return
    tie: dict[str, Any] = {"name": name, "sector": chosen_sector, **extra}
    if role:
        tie.update(kind=role.kind, role=role.value)
    tie_id = editing.current().map.next_tie_id()
    if editing.apply(lambda m: m.with_tie({"id": tie_id, **tie})):
        st.session_state[name_key] = ""
        st.session_state[role_key] = None
        st.session_state[ADDED_KEY] = [*added(), name]
        editing.select(tie_id)


def role_chips(t: Translator, key: str, sector: str | None = None) -> None:
    options = [r for r, role in ROLES.items() if sector is None or role.sector == sector]
    st.pills(t("Who are they?"), options, format_func=lambda r: t(ROLES[r].label), key=key, wrap=True)


def name_and_role(
    t: Translator,
    prefix: str,
    *,
    ring: str | None = None,
    extra: dict[str, Any] | None = None,
    default_sector: str | None = None,
) -> None:
    """A name, one tap on a role chip, and Add: all that adding someone needs."""
    st.text_input(t("Name"), key=f"{prefix}_name", max_chars=100)
    role_chips(t, f"{prefix}_role", ring)
    st.button(
        t("Add to the map"),
        key=f"{prefix}_add",
        type="primary",
        on_click=add_tie,
        args=(t, f"{prefix}_name", f"{prefix}_role", ring, extra or {}, default_sector),
    )


def add_panel(t: Translator, spot: dict[str, Any]) -> None:
    """Adding someone where the ring was tapped."""
    sector = spot["sector"]
    st.subheader(t("Add to {ring}", ring=t(SECTORS[sector].label)))
    position = {"angle": spot["angle"], "distance": keep_in_ring(sector, spot["distance"])}
    name_and_role(t, "add_at", ring=sector, extra={"position": position})
    st.button(t("Cancel"), key="add_at_cancel", on_click=editing.close_panel)


def quick_add(t: Translator) -> None:
    """Adding someone anywhere: the role decides the ring."""
    st.subheader(t("Add someone or something"))
    st.caption(t("Or tap an empty part of a ring on the map to add someone there."))
    name_and_role(t, "quick")
