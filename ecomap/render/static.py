"""The map as a still picture (PNG, SVG, PDF) for printing and pasting into case records.

Drawn with matplotlib's object API (:class:`~matplotlib.figure.Figure`, no pyplot state,
so it is safe in a threaded server) from the same layout and the same line table as the
interactive map: strong is a thick solid line, moderate a solid line, tenuous a dashed
line, cut off a line with a break; stress is tick marks, flow is arrowheads, kind is the
mark's shape, hoped-for is faint and past is grey. A legend below the map says so in words.
Text is set in DejaVu Sans, which matplotlib ships and which has every Welsh letter, with the
fallback fonts of :mod:`ecomap.render.fonts` for emoji and symbols; every text is written by
:func:`_write`, which draws it literally (a ``$`` is a dollar sign, never mathematics) and
replaces what no font has (:func:`~ecomap.render.fonts.drawable`).

Examples
--------
>>> from ecomap.model import example
>>> image(example(), "svg")[:5]
b'<?xml'
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Literal

from ecomap.i18n import Translator, long_date, translator
from ecomap.layout import RINGS, Label, Spot, person_label, place, tie_label
from ecomap.model import EcoMap, Tie
from ecomap.render.fonts import drawable, font_families, needs_fallback
from ecomap.render.interactive import legend
from ecomap.render.style import (
    HOPED_FOR_OPACITY,
    LINE_COLOUR,
    LINK_COLOUR,
    LINK_LINE,
    PAST_COLOUR,
    PERSON_COLOUR,
    RING_FILLS,
    SECTOR_COLOURS,
    STRENGTH_LINES,
    STRESS_COLOUR,
)
from ecomap.vocab import N_

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from numpy.typing import NDArray
    from PIL.Image import Image as PILImage

__all__ = [
    "FIGURE_WIDTH",
    "IMAGE_FORMATS",
    "KIND_MARKERS",
    "LABEL_POINTS",
    "MARKS",
    "PNG_DPI",
    "Caption",
    "ImageFormat",
    "Mark",
    "MarkStyle",
    "caption_line",
    "figure",
    "image",
    "png_bytes",
    "png_rows",
    "raster",
]

Point = tuple[float, float]
Segment = tuple[Point, Point]
#: The still pictures :func:`image` makes.
ImageFormat = Literal["png", "svg", "pdf"]
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "svg", "pdf")

#: The picture's size in inches: it fits an A4 or Letter page inside its margins.
FIGURE_WIDTH = 7.5
MAP_SIZE = 7.1
HEADER_HEIGHT = 0.75
LEGEND_HEIGHT = 1.5
#: Print resolution for PNG.
PNG_DPI = 200
#: zlib's level for PNG: 1 writes a map in about two thirds of the time of the default 6, for 2% more bytes
#: (a map is mostly flat colour). The rows are written as they are (no PNG filter): zlib finds the row
#: above within its reach, so a map is about a fifth smaller than with the filters Pillow chooses for
#: each row, in less than half the time.
PNG_COMPRESSION = 1
#: Text sizes in points; at A4 a tie's name is never smaller than this.
LABEL_POINTS = 7.5
PERSON_POINTS = 10.0
RING_POINTS = 9.0
#: Half of what the interactive map draws in pixels becomes points here.
LINE_SCALE = 0.5
#: matplotlib marker for each kind (the interactive map's shapes: dot, hexagon, square, triangle, diamond).
KIND_MARKERS: dict[str, str] = {"person": "o", "group": "h", "organisation": "s", "place": "^", "pet": "D"}
MARK_POINTS = 9.0
PERSON_MARK_POINTS = 16.0
#: A typographic point in the map's own units (it spans -1 to 1 across :data:`MAP_SIZE` inches).
_POINT = 2.0 / (MAP_SIZE * 72)


@dataclass(frozen=True)
class Caption:
    """What the picture says about itself: whose map, which version, when."""

    name: str
    version: int | None = None
    when: date | datetime | None = None


#: A tie whose arrowheads show each flow, for the legend (a flow follows from the support's directions).
_FLOW_SAMPLES: dict[str, dict[str, str]] = {
    "to_person": {"emotional": "gets"},
    "from_person": {"emotional": "gives"},
    "both": {"emotional": "both"},
}


def caption_line(caption: Caption, t: Translator) -> str:
    """The line under the name: version and date in the reader's language.

    >>> caption_line(Caption("Alys", 3, date(2026, 11, 23)), translator("en"))
    'Version 3 · 23 November 2026'
    """
    parts = []
    if caption.version is not None:
        parts.append(t("Version {number}", number=caption.version))
    if caption.when is not None:
        parts.append(long_date(caption.when, t))
    return " · ".join(parts)


class _Pen:
    """Draws Hartman's marks in one axes, where ``point`` is the size of a typographic point.

    Lines and arrowheads are gathered by style and drawn as one collection per style in
    :meth:`finish`, which keeps a 300-tie map quick to draw.
    """

    def __init__(self, ax: Axes, point: float, *, vector: bool = False) -> None:
        self.ax = ax
        self.point = point
        #: Whether names must stay text (SVG, PDF: found, copied, read aloud) rather than only be drawn.
        self.vector = vector
        self._lines: dict[tuple[float, str, tuple[float, ...], float, float], list[Segment]] = {}
        self._heads: dict[tuple[str, float], list[list[Point]]] = {}
        self._marks: dict[tuple[str, float, str, str, float], list[Point]] = {}
        #: The names of a picture of pixels, drawn by one artist (:func:`_names_artist`) in :meth:`finish`.
        self._names: list[tuple[Point, str, bool, str]] = []

    def line(
        self,
        a: Point,
        b: Point,
        *,
        width: float,
        colour: str,
        dashes: Sequence[float] = (),
        alpha: float = 1.0,
        z: float = 2,
    ) -> None:
        self._lines.setdefault((width, colour, tuple(dashes), alpha, z), []).append((a, b))

    def finish(self) -> None:
        """Add everything drawn so far to the axes."""
        from matplotlib.collections import LineCollection, PolyCollection
        from matplotlib.lines import Line2D

        for (width, colour, dashes, alpha, z), segments in self._lines.items():
            style: object = (0, tuple(d / max(width, 0.1) for d in dashes)) if dashes else "solid"
            self.ax.add_collection(
                LineCollection(
                    segments,
                    colors=colour,
                    linewidths=width,
                    linestyles=style,
                    alpha=alpha,
                    capstyle="butt",
                    zorder=z,
                ),
                autolim=False,
            )
        for (colour, alpha), polygons in self._heads.items():
            collection = PolyCollection(polygons, facecolors=colour, edgecolors="none", alpha=alpha, zorder=3.2)
            self.ax.add_collection(collection, autolim=False)
        for (marker, size, face, edge, alpha), points in self._marks.items():
            # the marks alone (no line): as ``ax.plot`` would add them, without its parsing of arguments
            marks = Line2D(
                [p[0] for p in points],
                [p[1] for p in points],
                marker=marker,
                markersize=size,
                markerfacecolor=face,
                markeredgecolor=edge,
                markeredgewidth=1.4,
                alpha=alpha,
                linestyle="none",
                zorder=4,
            )
            self.ax.add_line(marks)
        if self._names:
            self.ax.add_artist(_names_artist()(self._names, LABEL_POINTS))
        self._lines.clear()
        self._heads.clear()
        self._marks.clear()
        self._names = []

    def ticks(self, a: Point, b: Point, *, colour: str = STRESS_COLOUR) -> None:
        """Short strokes across the line: the tie is stressful."""
        length = math.dist(a, b)
        if length <= 0:
            return
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        step, half = 9 * self.point, 4.5 * self.point
        d = 12 * self.point
        while d < length - 12 * self.point:
            cx, cy = a[0] + ux * d, a[1] + uy * d
            self.line(
                (cx - uy * half - ux * half * 0.4, cy + ux * half - uy * half * 0.4),
                (cx + uy * half + ux * half * 0.4, cy - ux * half + uy * half * 0.4),
                width=1.3,
                colour=colour,
                z=3,
            )
            d += step

    def break_mark(self, a: Point, b: Point, *, colour: str) -> None:
        """A gap with two strokes across the middle of the line: the tie is cut off."""
        length = math.dist(a, b)
        if length <= 0:
            return
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        gap, half = 2.5 * self.point, 5.5 * self.point
        self.line((mx - ux * gap, my - uy * gap), (mx + ux * gap, my + uy * gap), width=5, colour="#ffffff", z=3)
        for shift in (-gap, gap):
            cx, cy = mx + ux * shift, my + uy * shift
            self.line(
                (cx - uy * half - ux * half * 0.45, cy + ux * half - uy * half * 0.45),
                (cx + uy * half + ux * half * 0.45, cy - ux * half + uy * half * 0.45),
                width=1.4,
                colour=colour,
                z=3.1,
            )

    def arrowhead(self, tip: Point, tail: Point, *, colour: str, alpha: float) -> None:
        """A filled arrowhead at ``tip`` pointing away from ``tail``."""
        length = math.dist(tip, tail)
        if length <= 0:
            return
        ux, uy = (tip[0] - tail[0]) / length, (tip[1] - tail[1]) / length
        size, half = 7 * self.point, 3.6 * self.point
        base = (tip[0] - ux * size, tip[1] - uy * size)
        points = [tip, (base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half)]
        self._heads.setdefault((colour, alpha), []).append(points)

    def tie(self, tie: Tie, a: Point, b: Point) -> None:
        """The line from the person (``a``) to the tie (``b``), in Hartman's conventions."""
        style = STRENGTH_LINES[tie.strength]
        colour = PAST_COLOUR if tie.status == "past" else LINE_COLOUR
        alpha = HOPED_FOR_OPACITY if tie.status == "hoped_for" else 1.0
        dashes = style.dashes or ((6, 6) if tie.status != "current" else ())
        width = style.width * LINE_SCALE
        self.line(a, b, width=width, colour=colour, dashes=[d * LINE_SCALE for d in dashes], alpha=alpha)
        if tie.stressful:
            self.ticks(a, b)
        if style.break_mark:
            self.break_mark(a, b, colour=colour)
        if tie.flow in ("to_person", "both"):
            self.arrowhead(a, b, colour=colour, alpha=alpha)
        if tie.flow in ("from_person", "both"):
            self.arrowhead(b, a, colour=colour, alpha=alpha)

    def mark(self, tie: Tie, at: Point, *, size: float = MARK_POINTS) -> None:
        colour = PAST_COLOUR if tie.status == "past" else SECTOR_COLOURS[tie.sector]
        face = "#ffffff" if tie.status == "past" else colour
        alpha = HOPED_FOR_OPACITY if tie.status == "hoped_for" else 1.0
        self._marks.setdefault((KIND_MARKERS[tie.kind], size, face, colour, alpha), []).append(at)

    def label(self, label: Label, *, size: float, faint: bool = False, boxed: bool = False) -> None:
        """A name where the layout puts it, wrapped as on the interactive map, against the side of its
        box nearest its mark, with a white edge (or box) behind it."""
        from matplotlib import patheffects

        box = {"boxstyle": "round,pad=0.25", "facecolor": "#ffffff", "edgecolor": "none"} if boxed else None
        left, top, right, bottom = label.box  # y downwards, as the layout has it
        where = ((left + right) / 2, -bottom if label.above else -top)
        text = "\n".join(label.lines)
        style: dict[str, Any] = {
            "fontsize": size,
            "ha": "center",
            "va": "bottom" if label.above else "top",
            "linespacing": 1.05,
        }
        colour = "#5f6368" if faint else "#111111"
        if boxed:
            _write(self.ax, *where, text, **style, color=colour, zorder=5, bbox=box)
        elif self.vector:  # the white edge a text of its own, drawn as outlines: the name itself stays text
            halo = patheffects.Stroke(linewidth=2.2, foreground="#ffffff")
            _write(self.ax, *where, text, **style, color="#ffffff", zorder=4.9, path_effects=[halo])
            _write(self.ax, *where, text, **style, color=colour, zorder=5)
        elif size == LABEL_POINTS:  # a tie's name in a picture of pixels: drawn with the others, in finish
            self._names.append((where, drawable(text), label.above, colour))
        else:  # one text drawn with its edge: quicker, for a picture of pixels
            edged = patheffects.withStroke(linewidth=2.2, foreground="#ffffff")
            _write(self.ax, *where, text, **style, color=colour, zorder=5, path_effects=[edged])


@cache
def _names_artist() -> Any:
    """The artist that draws the ties' names of a picture of pixels, as each would be drawn as a text of
    :func:`_write` (centred, wrapped lines 1.05 apart, against its mark's side) with a white edge (a
    stroke path effect), one after another in the same order, without a matplotlib text for each name
    (their layout, font look-ups and settings were about 1 ms a name).

    Each line is laid out once a picture, as matplotlib lays out a text drawn as outlines, and measured
    by those outlines (their control box, unhinted, as the outlines are drawn): a hinted measure of each
    line as well took as long as the layout, for centring that differs by less than a pixel.
    """
    import numpy as np
    from matplotlib.artist import Artist
    from matplotlib.colors import to_rgba
    from matplotlib.font_manager import FontProperties, fontManager, get_font
    from matplotlib.ft2font import LoadFlags
    from matplotlib.path import Path
    from matplotlib.transforms import Affine2D

    #: A line of a name: its outline (in the outline font's units, from its start on the baseline), and
    #: its width, height and descent in pixels.
    Line = tuple[Path | None, float, float, float]

    class Names(Artist):
        def __init__(self, names: list[tuple[Point, str, bool, str]], size: float) -> None:
            super().__init__()
            self.names = names
            self.size = size
            self.set_zorder(5)

        def draw(self, renderer: Any) -> None:
            if not self.get_visible():
                return
            dpi = self.get_figure(root=True).dpi  # type: ignore[union-attr]
            transform = self.axes.transData  # type: ignore[union-attr]
            height = renderer.get_canvas_width_height()[1]
            text2path = renderer._text2path
            pixels = renderer.points_to_pixels(self.size) / text2path.FONT_SCALE  # per unit of an outline
            scaled = Affine2D().scale(pixels).rotate_deg(0)
            faces: dict[bool, tuple[Any, float, float]] = {}  # by whether the fallback fonts are needed
            glyphs: dict[Any, Any] = {}
            lines: dict[tuple[bool, str], Line] = {}

            def outline(fallback: bool, line: str) -> Line:
                """The line's glyphs, each outline read once a picture, placed as TextToPath places them."""
                font = faces[fallback][0]
                verts: list[Any] = []
                codes: list[Any] = []
                for item in font._layout(line, LoadFlags.NO_HINTING):
                    key = (item.ft_object.fname, item.glyph_index)
                    if key not in glyphs:
                        item.ft_object.load_glyph(item.glyph_index, flags=LoadFlags.NO_HINTING)
                        glyphs[key] = item.ft_object.get_path()
                    glyph_verts, glyph_codes = glyphs[key]
                    verts.append(np.add(glyph_verts, (item.x, item.y)))
                    codes.append(glyph_codes)
                points = np.concatenate(verts) if verts else np.empty((0, 2))
                if not len(points):  # a line of spaces: nothing drawn, nothing measured
                    return None, 0.0, 0.0, 0.0
                (left, bottom), (right, top) = points.min(axis=0), points.max(axis=0)
                path = Path(points, np.concatenate(codes))
                return path, (right - left) * pixels, (top - bottom) * pixels, -bottom * pixels

            laid: list[tuple[list[tuple[Line, float]], float, float, float, float]] = []
            for (x, y), text, above, _ in self.names:
                fallback = needs_fallback(text)
                if fallback not in faces:
                    prop = FontProperties(family=list(font_families()) if fallback else "DejaVu Sans", size=self.size)
                    metrics = get_font(fontManager._find_fonts_by_props(prop))
                    table, head = metrics.get_sfnt_table("OS/2"), metrics.get_sfnt_table("head")
                    assert table is not None and head is not None  # DejaVu Sans has both
                    scale = 1 / head["unitsPerEm"] * self.size * dpi / 72
                    ascent, descent = table["sTypoAscender"] * scale, -table["sTypoDescender"] * scale
                    faces[fallback] = (text2path._get_font(prop), ascent, descent)
                _, ascent, descent = faces[fallback]
                # as matplotlib's Text lays out lines 1.05 apart, centred, from the top or the bottom
                line_height = 1.05 * (ascent + descent)
                placed, down, d = [], 0.0, 0.0
                for line in text.split("\n"):
                    if (fallback, line) not in lines:
                        lines[fallback, line] = outline(fallback, line)
                    laid_line = lines[fallback, line]
                    _, _, h, d = laid_line
                    a = h - d
                    leading = line_height - (a + d)
                    a += leading / 2
                    d += leading / 2
                    down -= a
                    placed.append((laid_line, down))
                    down -= d
                widest = max(laid_line[1] for laid_line, _ in placed)
                at_x, at_y = transform.transform((x, y))
                laid.append((placed, widest, placed[-1][1] - d if above else 0, at_x, at_y))
            for (_, _, _, colour), (placed, widest, offset_y, at_x, at_y) in zip(self.names, laid, strict=True):
                gc = renderer.new_gc()
                gc.set_foreground(to_rgba(colour), isRGBA=True)
                gc.set_alpha(None)
                gc.set_url(None)
                gc.set_antialiased(True)
                gc.set_snap(None)
                gc.set_linewidth(0.0)
                for (path, w, _, _), line_y in placed:
                    if path is None:
                        continue
                    left = widest / 2 - w / 2 - widest / 2 + at_x
                    base = line_y - offset_y + at_y
                    if renderer.flipy():
                        base = height - base
                    placing = scaled.frozen().translate(left, height - base if renderer.flipy() else base)
                    # the white edge, then the name over it (the edge covers the name's own edges wholly,
                    # so the name's fill under it, which a stroke path effect also draws, is not drawn)
                    edge = renderer.new_gc()
                    edge.copy_properties(gc)
                    edge.set_linewidth(2.2)
                    edge.set_foreground("#ffffff")
                    renderer.draw_path(edge, path, placing, None)
                    edge.restore()
                    renderer.draw_path(gc, path, placing, gc.get_rgb())
                gc.restore()
            self.stale = False

    return Names


def _write(on: Axes | Figure, x: float, y: float, text: str, **style: Any) -> Text:
    """Every text of the picture: drawn literally (matplotlib would read ``$...$`` as mathematics),
    in DejaVu Sans with the emoji fallback fonts, and with what no font has replaced visibly."""
    drawn = drawable(text)
    family = list(font_families()) if needs_fallback(drawn) else "DejaVu Sans"  # a list of fonts is slower to lay out
    return on.text(x, y, drawn, parse_math=False, fontfamily=family, **style)


def _shorten(a: Point, b: Point, start: float, end: float) -> Segment:
    length = math.dist(a, b)
    if length <= start + end:
        return a, b
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    return (a[0] + ux * start, a[1] + uy * start), (b[0] - ux * end, b[1] - uy * end)


def _draw_rings(ax: Axes, t: Translator, point: float) -> None:
    """The rings and their names: the same on every map, and drawn under everything else."""
    from matplotlib.patches import Circle

    from ecomap.vocab import SECTORS

    for sector, (_inner, outer) in reversed(list(RINGS.items())):
        ax.add_patch(Circle((0, 0), outer, facecolor=RING_FILLS[sector], edgecolor=SECTOR_COLOURS[sector], lw=1.2))
    ax.add_patch(Circle((0, 0), RINGS["family"][0], facecolor="#ffffff", edgecolor="none"))
    for sector, (_inner, outer) in RINGS.items():
        _write(
            ax,
            0,
            outer - 11 * point,
            t(SECTORS[sector].label),
            fontsize=RING_POINTS,
            fontweight="bold",
            color=SECTOR_COLOURS[sector],
            ha="center",
            va="center",
            zorder=1.5,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": (1, 1, 1, 0.85), "edgecolor": "none"},
        )


def _draw_map(ax: Axes, m: EcoMap, spots: dict[str, Spot], point: float, *, vector: bool) -> None:
    """The person, their ties, links and names, over the rings."""
    pen = _Pen(ax, point, vector=vector)
    xy = {tie_id: (spot.x, -spot.y) for tie_id, spot in spots.items()}
    centre = (0.0, 0.0)
    person_gap = PERSON_MARK_POINTS / 2 * point + 2 * point
    mark_gap = MARK_POINTS / 2 * point + 2 * point
    for link in m.links:
        a, b = (xy[i] for i in link.between)
        a, b = _shorten(a, b, mark_gap, mark_gap)
        pen.line(a, b, width=LINK_LINE.width * 0.6, colour=LINK_COLOUR, dashes=(1.5, 2.5), z=1.8)
        if link.stressful:
            pen.ticks(a, b)
    for tie in m.ties:
        a, b = _shorten(centre, xy[tie.id], person_gap, mark_gap)
        pen.tie(tie, a, b)
    for tie in m.ties:
        pen.mark(tie, xy[tie.id])
        pen.label(tie_label(tie.name, spots[tie.id]), size=LABEL_POINTS, faint=tie.status != "current")
    pen.finish()
    ax.plot([0], [0], marker="o", markersize=PERSON_MARK_POINTS, color=PERSON_COLOUR, zorder=4)
    pen.label(person_label(m), size=PERSON_POINTS, boxed=True)


def _draw_legend(ax: Axes, t: Translator) -> None:
    """The legend in its own axes, whose data units are inches, drawn with the map's own pen."""
    entries = legend(t)
    pen = _Pen(ax, 1 / 72)
    sample = 0.42
    row = 0.2
    columns: list[list[tuple[str, Callable[[float, float], None]]]] = [[], [], []]

    def tie_sample(**fields: object) -> Callable[[float, float], None]:  # a legend's sample line
        tie = Tie.model_validate({"id": "x", "name": "x", "sector": "family", **fields})
        return lambda x, y: pen.tie(tie, (x, y), (x + sample, y))

    def mark_sample(tie: Tie) -> Callable[[float, float], None]:
        return lambda x, y: pen.mark(tie, (x + sample / 2, y), size=7)

    def link_sample(x: float, y: float) -> None:
        pen.line((x, y), (x + sample, y), width=LINK_LINE.width * 0.6, colour=LINK_COLOUR, dashes=(1.5, 2.5))

    for key, text in entries["lines"]:
        if key == "stressful":
            columns[0].append((text, tie_sample(stressful=True)))
        elif key == "link":
            columns[0].append((text, link_sample))
        else:
            columns[0].append((text, tie_sample(strength=key)))
    for key, text in entries["arrows"]:
        columns[1].append((text, tie_sample(support=_FLOW_SAMPLES[key])))
    for key, text in entries["status"]:
        columns[1].append((text, tie_sample(status=key)))
    for key, text in entries["shapes"]:
        tie = Tie.model_validate({"id": "x", "name": "x", "sector": "community", "kind": key})
        columns[2].append((text, mark_sample(tie)))
    widths = (2.85, 2.75, 1.9)
    x = 0.0
    for column, width in zip(columns, widths, strict=True):
        for index, (text, draw) in enumerate(column):
            y = -index * row - row / 2
            draw(x, y)
            _write(ax, x + sample + 0.08, y, text, fontsize=7, va="center", ha="left", color="#111111", wrap=False)
        x += width
    pen.finish()
    ax.set_xlim(-0.05, FIGURE_WIDTH - 0.45)
    ax.set_ylim(-LEGEND_HEIGHT + 0.2, 0.02)


#: The marks a change map puts on a tie (see :data:`MARKS`).
Mark = Literal["new", "lost", "stronger", "weaker"]


@dataclass(frozen=True)
class MarkStyle:
    """How a change map marks a tie: the glyph, what it means in words, and whether it sits on the line."""

    glyph: str
    meaning: str
    on_line: bool


#: Marks on a change map: a glyph in a ring beside the tie (or on its line), never colour alone.
MARKS: dict[str, MarkStyle] = {
    "new": MarkStyle("+", N_("new"), False),
    "lost": MarkStyle("×", N_("gone, or now in the past"), False),
    "stronger": MarkStyle("▲", N_("stronger"), True),
    "weaker": MarkStyle("▼", N_("weaker"), True),
}


def _draw_marks(ax: Axes, spots: Mapping[str, Spot], marks: Mapping[str, Mark], point: float) -> None:
    for tie_id, mark in marks.items():
        spot = spots.get(tie_id)
        if spot is None:
            continue
        style = MARKS[mark]
        if style.on_line:
            x, y = spot.x * 0.55, -spot.y * 0.55
        else:
            x, y = spot.x + 9 * point, -spot.y + 9 * point
        _write(
            ax,
            x,
            y,
            style.glyph,
            fontsize=8,
            fontweight="bold",
            ha="center",
            va="center",
            color="#111111",
            zorder=6,
            bbox={"boxstyle": "circle,pad=0.2", "facecolor": "#ffffff", "edgecolor": "#111111", "linewidth": 1},
        )


def figure(
    m: EcoMap,
    *,
    t: Translator | None = None,
    caption: Caption | None = None,
    header: bool = True,
    marks: Mapping[str, Mark] | None = None,
    vector: bool = True,
) -> Figure:
    """The map, its name and date, and its legend, as one matplotlib figure.

    ``caption`` sets the name shown (a pseudonym, say), the version and the date;
    without it the person's name and the map's creation date are used. ``header=False``
    leaves the name and date out, for a page that already shows them. ``marks`` puts a
    change mark on ties (see :data:`MARKS`), and says what each mark means beside the name.
    ``vector=False`` is for a picture of pixels: each name is drawn with its white edge in one go,
    where SVG and PDF keep it as text, found, copied and read aloud, over an edge of its own.
    """
    return _figure(m, t=t or translator(), caption=caption, header=header, marks=marks, vector=vector)


def _height(header: bool) -> float:
    return (HEADER_HEIGHT if header else 0.0) + MAP_SIZE + LEGEND_HEIGHT


def _map_axes(fig: Figure, height: float) -> Axes:
    left = (FIGURE_WIDTH - MAP_SIZE) / 2
    ax = fig.add_axes((left / FIGURE_WIDTH, LEGEND_HEIGHT / height, MAP_SIZE / FIGURE_WIDTH, MAP_SIZE / height))
    ax.set_xlim(-1.0, 1.0)
    ax.set_ylim(-1.0, 1.0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def _legend_axes(fig: Figure, height: float) -> Axes:
    ax = fig.add_axes((0.3 / FIGURE_WIDTH, 0.05 / height, 1 - 0.6 / FIGURE_WIDTH, (LEGEND_HEIGHT - 0.2) / height))
    ax.set_axis_off()
    return ax


def _figure(
    m: EcoMap,
    *,
    t: Translator,
    caption: Caption | None,
    header: bool,
    marks: Mapping[str, Mark] | None,
    vector: bool,
    backdrop: bool = True,
) -> Figure:
    """:func:`figure`; ``backdrop=False`` leaves out the rings and the legend (see :func:`_backdrop`)."""
    from matplotlib.figure import Figure

    caption = caption or Caption(m.person.name, None, m.created)
    height = _height(header)
    fig = Figure(figsize=(FIGURE_WIDTH, height), facecolor="#ffffff")
    if header:
        _write(fig, 0.3 / FIGURE_WIDTH, 1 - 0.32 / height, caption.name, fontsize=14, fontweight="bold", va="center")
        line = caption_line(caption, t)
        _write(fig, 0.3 / FIGURE_WIDTH, 1 - 0.58 / height, line, fontsize=9, color="#444444", va="center")
        if marks:
            key = "   ".join(f"{MARKS[mark].glyph} {t(MARKS[mark].meaning)}" for mark in MARKS)
            _write(fig, 1 - 0.3 / FIGURE_WIDTH, 1 - 0.45 / height, key, fontsize=8.5, ha="right", va="center")
    ax = _map_axes(fig, height)
    if backdrop:
        _draw_rings(ax, t, _POINT)
    spots = place(m)
    _draw_map(ax, m, spots, _POINT, vector=vector)
    if marks:
        _draw_marks(ax, spots, marks, _POINT)
    if backdrop:
        _draw_legend(_legend_axes(fig, height), t)
    return fig


@lru_cache(maxsize=4)
def _backdrop(language: str, dpi: int, header: bool) -> NDArray[np.uint8]:
    """The rings with their names and the legend, drawn at ``dpi`` as RGBA pixels where the figure has
    them, on white: the same on every map in one language, so drawn once and kept (nothing in it is
    about a person). A picture of pixels is drawn over a copy of it."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    t = translator(language)
    height = _height(header)
    fig = Figure(figsize=(FIGURE_WIDTH, height), facecolor="#ffffff")
    _draw_rings(_map_axes(fig, height), t, _POINT)
    _draw_legend(_legend_axes(fig, height), t)
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    canvas.draw()  # type: ignore[no-untyped-call]
    pixels = np.array(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    pixels.setflags(write=False)
    return pixels


def _pixels(fig: Figure, dpi: int, backdrop: NDArray[np.uint8] | None = None) -> NDArray[np.uint8]:
    """The figure drawn at ``dpi`` as rows of RGBA pixels, opaque: the map is drawn on white (a PNG keeps
    no alpha channel of it).

    With ``backdrop`` (pixels of the figure's size) the figure is drawn over a copy of it, not on white.
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    if backdrop is None:
        canvas.draw()  # type: ignore[no-untyped-call]
    else:
        renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
        np.asarray(renderer.buffer_rgba())[...] = backdrop
        fig.patch.set_visible(False)  # the backdrop is the white
        fig.draw(renderer)
    return np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]


def png_rows(picture: PILImage) -> bytes:
    """An RGB raster's pixels as a PNG holds them: each row after a byte naming its filter (0, none),
    compressed with zlib at :data:`PNG_COMPRESSION`.

    A PDF embeds the same bytes as an image (``/FlateDecode`` with ``/Predictor 15``).

    >>> import zlib
    >>> from PIL import Image
    >>> list(zlib.decompress(png_rows(Image.new("RGB", (2, 2), (10, 20, 30)))))
    [0, 10, 20, 30, 10, 20, 30, 0, 10, 20, 30, 10, 20, 30]
    """
    import numpy as np

    if picture.mode != "RGB":
        raise ValueError(f"not an RGB picture: {picture.mode}")
    return _rows(np.asarray(picture))


def _rows(pixels: NDArray[np.uint8]) -> bytes:
    """:func:`png_rows` of pixels in rows, RGB or RGBA (whose alpha is left out: the map is opaque)."""
    import zlib

    import numpy as np

    height, width = pixels.shape[:2]
    rows = np.empty((height, 1 + width * 3), np.uint8)
    rows[:, 0] = 0
    # copied a channel at a time: numpy copies one byte of four some five times quicker than three of four
    channels = rows[:, 1:].reshape(height, width, 3, copy=False)  # the rows themselves, never a copy
    for channel in range(3):
        channels[:, :, channel] = pixels[:, :, channel]
    if height < 64:
        return zlib.compress(rows.data, PNG_COMPRESSION)
    # The upper and lower halves compressed at once, on two threads (zlib lets go of the interpreter
    # while it works): two deflate streams, the first flushed to a byte's end but not finished, make one.
    from concurrent.futures import ThreadPoolExecutor

    def deflated(half: memoryview, last: bool) -> bytes:
        compressor = zlib.compressobj(PNG_COMPRESSION, zlib.DEFLATED, -15)
        return compressor.compress(half) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)

    data = rows.reshape(-1).data
    middle = (height // 2) * (1 + width * 3)
    with ThreadPoolExecutor(max_workers=1) as other:
        lower = other.submit(deflated, data[middle:], True)
        upper = deflated(data[:middle], False)
        check = zlib.adler32(data)
        return b"\x78\x01" + upper + lower.result() + check.to_bytes(4, "big")


def png_bytes(picture: PILImage) -> bytes:
    """A raster as PNG, compressed lightly (:func:`png_rows`), at its resolution.

    >>> from PIL import Image
    >>> square = Image.new("RGB", (3, 2), "#1b5f57")
    >>> square.info["dpi"] = (100, 100)
    >>> again = Image.open(io.BytesIO(png_bytes(square)))
    >>> again.size, again.getpixel((2, 1)), round(again.info["dpi"][0])
    ((3, 2), (27, 95, 87), 100)
    """
    dpi = picture.info.get("dpi", (PNG_DPI, PNG_DPI))
    if picture.mode != "RGB":
        buffer = io.BytesIO()
        picture.save(buffer, "png", compress_level=PNG_COMPRESSION, dpi=dpi)
        return buffer.getvalue()
    return _png_file(picture.size, dpi, png_rows(picture))


def _png_file(size: tuple[int, int], dpi: tuple[float, float], rows: bytes) -> bytes:
    """An RGB PNG of ``size`` pixels at ``dpi`` whose compressed rows are ``rows`` (:func:`png_rows`)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = [int(value / 0.0254 + 0.5) for value in dpi]
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", *size, 8, 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", *per_metre, 1)),
            chunk(b"IDAT", rows),
            chunk(b"IEND", b""),
        )
    )


def raster(
    m: EcoMap,
    *,
    t: Translator | None = None,
    caption: Caption | None = None,
    dpi: int = PNG_DPI,
    header: bool = True,
    marks: Mapping[str, Mark] | None = None,
) -> PILImage:
    """The map as an RGB image at ``dpi`` (what a PNG holds, before it is encoded).

    >>> from ecomap.model import example
    >>> picture = raster(example(), dpi=50)
    >>> picture.mode, picture.size
    ('RGB', (375, 467))
    """
    from PIL import Image

    pixels = _map_pixels(m, t=t, caption=caption, dpi=dpi, header=header, marks=marks)
    picture = Image.frombuffer("RGBA", (pixels.shape[1], pixels.shape[0]), pixels).convert("RGB")  # opaque
    picture.info["dpi"] = (dpi, dpi)
    return picture


def _map_pixels(
    m: EcoMap,
    *,
    t: Translator | None,
    caption: Caption | None,
    dpi: int,
    header: bool,
    marks: Mapping[str, Mark] | None,
) -> NDArray[np.uint8]:
    """The map drawn at ``dpi`` over its backdrop, as rows of RGBA pixels (a PNG's, or :func:`raster`'s)."""
    t = t or translator()
    fig = _figure(m, t=t, caption=caption, header=header, marks=marks, vector=False, backdrop=False)
    return _pixels(fig, dpi, _backdrop(t.language, dpi, header))


def image(
    m: EcoMap,
    fmt: ImageFormat,
    *,
    t: Translator | None = None,
    caption: Caption | None = None,
    dpi: int = PNG_DPI,
    header: bool = True,
    marks: Mapping[str, Mark] | None = None,
) -> bytes:
    """The map as PNG (at ``dpi``), SVG or PDF bytes."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"not an image format: {fmt!r}")
    if fmt == "png":  # the drawn pixels compressed as they are (no RGB picture made of them first)
        pixels = _map_pixels(m, t=t, caption=caption, dpi=dpi, header=header, marks=marks)
        return _png_file((pixels.shape[1], pixels.shape[0]), (dpi, dpi), _rows(pixels))
    fig = figure(m, t=t, caption=caption, header=header, marks=marks)
    buffer = io.BytesIO()
    metadata = {"Title": caption.name if caption else m.person.name} if fmt in ("svg", "pdf") else {}
    if fmt == "pdf":
        metadata["Creator"] = "Ecomap"
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata or None)
    return buffer.getvalue()
