"""The change map: two versions in one picture.

The newer map is drawn, with the ties that have gone since the older one drawn again
as ghosts (grey, dashed, as a tie in the past is), and a mark on every tie that changed:
``+`` new, ``×`` gone or now in the past, ``▲`` stronger, ``▼`` weaker. The marks are
glyphs and words, so the picture never relies on colour alone.

Examples
--------
>>> from ecomap.model import example
>>> old = example()
>>> new = old.with_tie({"id": "t2", "name": "Nain", "sector": "family"})
>>> merged, marks = overlay(old, new)
>>> marks
{'t2': 'new'}
"""

from __future__ import annotations

from ecomap.diff import MapDiff, diff
from ecomap.i18n import Translator, translator
from ecomap.layout import place
from ecomap.model import EcoMap, Position
from ecomap.render.interactive import MapData, vis_data
from ecomap.render.static import MARKS, Caption, Mark, image

__all__ = ["GHOST_PREFIX", "change_image", "change_key", "change_vis_data", "overlay"]

#: What a ghost's id starts with: the id of a tie that has gone, drawn again on the change map.
GHOST_PREFIX = "gone."


def overlay(old: EcoMap, new: EcoMap, changes: MapDiff | None = None) -> tuple[EcoMap, dict[str, Mark]]:
    """The newer map with the gone ties added back as ghosts, and each changed tie's mark."""
    changes = changes or diff(old, new)
    marks: dict[str, Mark] = {}
    ghosts = []
    gone = {change.tie for change in changes.of("removed")}
    # Everyone stays where each version drew them: the ghosts do not push the others round.
    was, now = place(old), place(new)
    for tie in old.ties:
        if tie.id in gone:
            ghost_id = GHOST_PREFIX + tie.id
            spot = was[tie.id]
            position = Position(angle=spot.angle, distance=spot.distance)
            ghosts.append(tie.model_copy(update={"id": ghost_id, "status": "past", "position": position}))
            marks[ghost_id] = "lost"
    for change in changes.changes:
        if change.kind == "added":
            marks[change.tie] = "new"
        elif change.kind == "status" and change.params["after"] == "past":
            marks[change.tie] = "lost"
        elif change.kind == "status" and change.params["before"] == "hoped_for":
            marks[change.tie] = "new"
        elif change.kind in ("stronger", "weaker"):
            marks.setdefault(change.tie, change.kind)  # type: ignore[arg-type]
    pinned = [
        tie.model_copy(update={"position": Position(angle=now[tie.id].angle, distance=now[tie.id].distance)})
        for tie in new.ties
    ]
    merged = new.replace(ties=[*pinned, *ghosts])
    return merged, marks


def change_image(
    old: EcoMap,
    new: EcoMap,
    fmt: str = "png",
    *,
    t: Translator | None = None,
    caption: Caption | None = None,
    changes: MapDiff | None = None,
) -> bytes:
    """The change map as a still picture."""
    merged, marks = overlay(old, new, changes)
    return image(merged, fmt, t=t, caption=caption, marks=marks)  # type: ignore[arg-type]


def change_key(t: Translator | None = None) -> list[str]:
    """What each mark on the change map means, in the reader's language.

    >>> change_key()[0]
    '+ new'
    """
    t = t or translator()
    return [f"{style.glyph} {t(style.meaning)}" for style in MARKS.values()]


def change_vis_data(
    old: EcoMap, new: EcoMap, *, t: Translator | None = None, changes: MapDiff | None = None
) -> MapData:
    """The change map for the interactive view: each mark is also written into the tie's label."""
    t = t or translator()
    merged, marks = overlay(old, new, changes)
    data = vis_data(merged, t=t)
    for node in data["nodes"]:
        mark = marks.get(node["id"])
        if mark is None:
            continue
        style = MARKS[mark]
        node["label"] = f"{node['label']}\n{style.glyph} {t(style.meaning)}"
        if mark == "new":
            node["borderWidth"] = 5
    for edge in data["edges"]:
        mark = marks.get(edge["to"]) if edge["id"].startswith("tie:") else None
        if mark in ("stronger", "weaker"):
            edge["label"] = MARKS[mark].glyph
            edge["font"] = {"size": 30, "strokeWidth": 6, "strokeColor": "#ffffff", "align": "middle"}
    return data
