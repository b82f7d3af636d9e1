"""The fonts every picture and printed page draws text in, and text made drawable in them.

Text is set in DejaVu Sans (matplotlib ships it; it has every Welsh letter, Hebrew and Arabic),
and a character DejaVu Sans lacks, such as an emoji, is drawn from the first fallback font that
has it: Symbola (Debian's ``fonts-symbola``, outline glyphs for emoji and symbols, which
matplotlib's Agg and fpdf2 can both draw; colour bitmap emoji fonts cannot be). A character no
font here has is never left to be drawn as an empty box: :func:`drawable` replaces it with
U+FFFD, the replacement character, visibly, and drops an invisible one (a joiner, a variation
selector, a tag) that no font has a glyph for.

>>> drawable("Nain \\U0001F475"), drawable("Cymru \\U0001F3F4\\U000E0067\\U000E007F")[:7]
('Nain 👵', 'Cymru 🏴')
>>> drawable("\\U0010FFFD")
'�'
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cache
from pathlib import Path

__all__ = [
    "FALLBACK_FONTS",
    "MISSING",
    "dejavu",
    "drawable",
    "fallback_fonts",
    "font_families",
    "needs_fallback",
]

#: Where Debian installs the fonts that draw what DejaVu Sans lacks (emoji, symbols), in the order tried.
FALLBACK_FONTS = (Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),)
#: What a character is drawn as when no font has it: the replacement character, never an empty box.
MISSING = "\ufffd"


@cache
def dejavu(style: str = "") -> Path:
    """DejaVu Sans as shipped with matplotlib (regular, ``"B"`` bold or ``"I"`` oblique)."""
    import matplotlib

    name = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}[style]
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def fallback_fonts() -> tuple[Path, ...]:
    """The fallback fonts installed on this machine (see :data:`FALLBACK_FONTS`)."""
    return tuple(path for path in FALLBACK_FONTS if path.is_file())


@cache
def _characters(path: Path) -> frozenset[int]:
    """Every character a font file has a glyph for."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _no_bold_fallback_note(record: logging.LogRecord) -> bool:
    """Leave out matplotlib's note that a fallback font has no bold (its regular glyphs are used, as meant)."""
    return not str(record.msg).startswith("findfont: Failed to find font weight")


@cache
def font_families() -> tuple[str, ...]:
    """The font families for matplotlib's text, DejaVu Sans first, each fallback font registered once.

    matplotlib draws each character from the first family in the list that has it.
    """
    from matplotlib import font_manager

    logging.getLogger("matplotlib.font_manager").addFilter(_no_bold_fallback_note)
    families = ["DejaVu Sans"]
    for path in fallback_fonts():
        font_manager.fontManager.addfont(str(path))
        families.append(font_manager.FontProperties(fname=str(path)).get_name())
    return tuple(families)


def _invisible(char: str) -> bool:
    """A joiner, variation selector, tag or other mark that is drawn as nothing (or as part of another)."""
    return unicodedata.category(char) in ("Cf", "Mn", "Me") or 0xFE00 <= ord(char) <= 0xFE0F


@cache
def _known() -> frozenset[int]:
    known = set(_characters(dejavu()))
    for path in fallback_fonts():
        known |= _characters(path)
    return frozenset(known)


def needs_fallback(text: str) -> bool:
    """Whether ``text`` has a character DejaVu Sans lacks (so that its fallback fonts are needed to draw it).

    >>> needs_fallback("Gwenllïan ŵ ŷ"), needs_fallback("Nain 👵")
    (False, True)
    """
    regular = _characters(dejavu())
    return not all(ord(char) in regular for char in text)


def drawable(text: str) -> str:
    """``text`` as the picture and the PDF can draw it: each character some font here has is kept, an
    invisible one no font has is left out, and any other is :data:`MISSING`, so nothing is an empty box.

    Line breaks and spaces are kept as they are.
    """
    known = _known()
    if all(ord(char) in known or char in "\n\t" for char in text):
        return text
    kept = []
    for char in text:
        if ord(char) in known or char in "\n\t":
            kept.append(char)
        elif not _invisible(char):
            kept.append(MISSING)
    return "".join(kept)
