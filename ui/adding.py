"""Adding someone to the map: a name and one tap on a role chip, in a ring, at a tapped spot or anywhere;
or a name and a role typed in the map's own small form (``ui/ecomap_add.js``), saved here after."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from ecomap.errors import MapInvalid
from ecomap.i18n import Translator
from ecomap.layout import keep_in_ring
from ecomap.vocab import ROLES, SECTORS
from ui import editing
from ui.messages import describe

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


def quick_add(t: Translator) -> None:
    """Adding someone anywhere: the role decides the ring."""
    st.subheader(t("Add someone or something"))
    st.caption(t("Or tap an empty part of a ring on the map to add someone there."))
    name_and_role(t, "quick")


#: A tie id the map's form may give (the model's rule for an id).
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def add_on_map(t: Translator, value: Mapping[str, Any]) -> str | None:
    """Save the person added in the map's own form (already drawn there): the map's edit ``add``,
    ``{id, name, role, sector, angle, distance}``. None when it was saved, else why not, in words.

    The name is the model's to judge (:class:`ecomap.model.Tie`); the role must be one of the ring's
    (or none); the tie keeps the browser's id when it is a valid one not yet used, so that the person
    drawn is the person saved. Saved, the new tie is selected, as after Add beside the map; refused (a
    name the model refuses, a conflict, a database that cannot be used), the map draws the saved map,
    without the person, and says why.
    """
    name, sector, role_key = value.get("name"), value.get("sector"), value.get("role") or ""
    angle, distance = _number(value.get("angle")), _number(value.get("distance"))
    role = ROLES.get(role_key) if isinstance(role_key, str) else None
    if (
        not isinstance(name, str)
        or not isinstance(sector, str)
        or sector not in SECTORS
        or angle is None
        or distance is None
        or (role_key and (role is None or role.sector != sector))
    ):
        return t("That could not be added to the map.")
    m = editing.current().map
    used = {tie.id for tie in m.ties}
    given = value.get("id")
    if any(tie.id == given and tie.name == name and tie.sector == sector for tie in m.ties):
        return None  # saved already: sent again after a server started again, whose answer never came
    tie_id = given if isinstance(given, str) and _ID.fullmatch(given) and given not in used else m.next_tie_id()
    tie: dict[str, Any] = {
        "id": tie_id,
        "name": name,
        "sector": sector,
        "position": {"angle": angle, "distance": keep_in_ring(sector, min(max(distance, 0.0), 1.0))},
    }
    if role:
        tie.update(kind=role.kind, role=role.value)
    try:
        changed = m.with_tie(tie)
    except MapInvalid as exc:
        reason = t("Not added to the map: {reason}", reason="; ".join(describe(t, p) for p in exc.problems))
        editing.notice("problems", reason)  # beside the map too: the map's bar goes with the person
        return reason
    if not editing.apply(lambda _: changed):
        return editing.why_refused(t, otherwise=t("That could not be added to the map."))
    st.session_state[ADDED_KEY] = [*added(), changed.tie(tie_id).name]
    editing.select(tie_id)
    return None
