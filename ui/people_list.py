"""Everyone on the map as a list, each with Edit, Link and Move: every change without a pointer.

The list sits beside the map and under it in the calm view, ring by ring in the order the map's
arrow keys take (clockwise from the top). Move is the single-pointer way to do what a drag does
(WCAG 2.5.7): another ring, round the ring, nearer the person or further out, each one button,
each change one of the model's edits (``EcoMap.with_tie_fields``) saved at once.
"""

from __future__ import annotations

import streamlit as st

from ecomap.i18n import Translator
from ecomap.layout import RINGS, keep_in_ring
from ecomap.model import EcoMap
from ecomap.vocab import SECTORS
from ui import editing
from ui.common import plain
from ui.focus import focus_next

__all__ = [
    "DISTANCE_STEP",
    "TURN_DEGREES",
    "link_chooser",
    "move_controls",
    "move_round",
    "move_to_ring",
    "people_list",
    "ring_key",
    "shown_in_order",
]

#: How far one press of "round the ring" turns a tie, in degrees.
TURN_DEGREES = 15.0
#: How far one press of "nearer" or "further" moves a tie, as a share of the map's radius.
DISTANCE_STEP = 0.06


def shown_in_order(m: EcoMap) -> list[str]:
    """The ties' ids ring by ring (family, community, services), each ring clockwise from the top:
    the order of this list and of the map's arrow keys."""
    spots = editing.spots(m)
    rings = list(SECTORS)
    return [tie.id for tie in sorted(m.ties, key=lambda tie: (rings.index(tie.sector), spots[tie.id].angle, tie.id))]


def ring_key(tie_id: str, epoch: int) -> str:
    """The key of the ring choice that moves a tie to another ring."""
    return editing.editor_key("ring", tie_id, epoch)


def _place(m: EcoMap, tie_id: str) -> tuple[float, float]:
    """Where the tie is drawn now (its saved place, else where the layout put it): angle and distance."""
    spot = editing.spots(m)[tie_id]
    return spot.angle, spot.distance


def move_to_ring(tie_id: str, key: str) -> None:
    """Move the tie to the ring chosen in ``key``, at the same angle, in the middle of that ring."""
    sector = st.session_state.get(key)
    m = editing.current().map
    if sector is None:  # a second press on the chosen ring leaves it chosen
        st.session_state[key] = m.tie(tie_id).sector
        focus_next(key)
        return
    angle, _ = _place(m, tie_id)
    inner, outer = RINGS[sector]
    position = {"angle": angle, "distance": keep_in_ring(sector, (inner + outer) / 2)}
    editing.apply(lambda changed: changed.with_tie_fields(tie_id, sector=sector, position=position))
    focus_next(key)


def move_round(tie_id: str, *, turn: float = 0.0, step: float = 0.0, key: str) -> None:
    """Move the tie ``turn`` degrees clockwise round its ring and ``step`` further from the centre
    (kept inside its ring); the focus stays on the button ``key``."""
    m = editing.current().map
    angle, distance = _place(m, tie_id)
    sector = m.tie(tie_id).sector
    position = {"angle": (angle + turn) % 360, "distance": keep_in_ring(sector, distance + step)}
    editing.apply(lambda changed: changed.with_tie_fields(tie_id, position=position))
    focus_next(key)


def move_controls(t: Translator, m: EcoMap, tie_id: str, epoch: int) -> None:
    """The buttons that move one tie: its ring, then round the ring and nearer or further."""
    tie = m.tie(tie_id)
    key = ring_key(tie_id, epoch)
    st.segmented_control(
        t("Move {name} to the ring", name=plain(tie.name)),
        list(SECTORS),
        format_func=lambda sector: t(SECTORS[sector].label),
        default=None if key in st.session_state else tie.sector,
        key=key,
        on_change=move_to_ring,
        args=(tie_id, key),
    )
    row = st.container(horizontal=True, wrap=True, key="move_buttons")
    for name, label, icon, turn, step in (
        ("move_anticlockwise", t("Round the ring, anticlockwise"), ":material/rotate_left:", -TURN_DEGREES, 0.0),
        ("move_clockwise", t("Round the ring, clockwise"), ":material/rotate_right:", TURN_DEGREES, 0.0),
        ("move_in", t("Nearer {person}", person=plain(m.person.called)), ":material/north_east:", 0.0, -DISTANCE_STEP),
        ("move_out", t("Further out"), ":material/south_west:", 0.0, DISTANCE_STEP),
    ):
        row.button(
            label,
            key=name,
            icon=icon,
            on_click=move_round,
            args=(tie_id,),
            kwargs={"turn": turn, "step": step, "key": name},
        )
    row.button(t("Done moving"), key="move_done", on_click=editing.stop_move, type="primary")


def link_with(tie_id: str, key: str) -> None:
    """Link (or unlink) the tie with the one chosen in ``key``; the editor stays open."""
    other = st.session_state.get(key)
    if other and other != tie_id:
        editing.apply(lambda m: m.with_link_toggled(tie_id, other))
    editing.stop_link()


def link_chooser(t: Translator, m: EcoMap, tie_id: str) -> None:
    """Whom to link the tie with, without tapping the map: everyone else, the ones linked already marked."""
    tie = m.tie(tie_id)
    linked = {a if b == tie_id else b for link in m.links for a, b in [link.between] if tie_id in (a, b)}
    others = [other for other in shown_in_order(m) if other != tie_id]
    st.selectbox(
        t("Link {name} with", name=plain(tie.name)),
        others,
        index=None,
        format_func=lambda other: (
            t("{name} (linked: choose to unlink)", name=m.tie(other).name) if other in linked else m.tie(other).name
        ),
        placeholder=t("Choose someone on the map"),
        key="link_with",
        on_change=link_with,
        args=(tie_id, "link_with"),
    )
    st.button(t("Cancel the link"), key="link_cancel", on_click=editing.stop_link)


def edit(tie_id: str) -> None:
    editing.select(tie_id, back_to=f"list_edit_{tie_id}")


def link(tie_id: str) -> None:
    editing.select(tie_id, back_to=f"list_link_{tie_id}")
    editing.start_link(tie_id)


def move(tie_id: str) -> None:
    editing.select(tie_id, back_to=f"list_move_{tie_id}")
    editing.start_move(tie_id, focus=ring_key(tie_id, editing.form_epoch()))


def people_list(t: Translator, m: EcoMap) -> None:
    """Everyone on the map, ring by ring, each with Edit, Link and Move (named, for a screen reader)."""
    st.subheader(t("Everyone on the map"), anchor=False)
    if not m.ties:
        st.caption(t("No one is on the map yet."))
        return
    order = shown_in_order(m)
    for sector, term in SECTORS.items():
        ids = [tie_id for tie_id in order if m.tie(tie_id).sector == sector]
        if not ids:
            continue
        st.markdown(f"**{plain(t(term.label))}**")
        for tie_id in ids:
            name = plain(m.tie(tie_id).name)
            row = st.container(horizontal=True, wrap=True, key=f"list_row_{tie_id}")
            for action, label, icon, callback in (
                ("edit", t("Edit {name}", name=name), ":material/edit:", edit),
                ("link", t("Link {name}", name=name), ":material/share:", link),
                ("move", t("Move {name}", name=name), ":material/open_with:", move),
            ):
                row.button(label, key=f"list_{action}_{tie_id}", icon=icon, on_click=callback, args=(tie_id,))
