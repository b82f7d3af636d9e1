"""Names as the pictures and the attachment draw them: literally, and never as empty boxes.

matplotlib reads ``$...$`` as mathematics (``Savings club ($5-$10)`` came out as a formula and
``Tom $$ Jerry`` raised), and DejaVu Sans has no emoji (they came out as empty boxes). Every text is
now drawn with ``parse_math=False`` in DejaVu Sans with the emoji fallback font
(:mod:`ecomap.render.fonts`), and a character no font has is the replacement character.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from matplotlib.text import Text
from PIL import Image

from ecomap.cli import main
from ecomap.model import EcoMap, write_map
from ecomap.render import fonts, static
from ecomap.render.change import change_image
from ecomap.render.static import figure, image
from ecomap.report import attachment
from tests.conftest import alys

#: Names a plotting library reads as mathematics.
MATHS = [
    "Savings club ($5-$10)",
    "Tom $$ Jerry",
    r"$\frac{1}{2}$ rent",
    "Cost: $$$",
    "x^2 and a_b $y_1$",
    r"$\alpha$ group",
    "$",
]
#: Names with emoji: one character, a presentation selector, a skin tone, a ZWJ family, a flag with tags.
EMOJI = ["Nain 👵", "Café ☕", "Mam ❤️", "Dai 👍🏽", "Teulu 👩‍👩‍👧", "Cymru 🏴󠁧󠁢󠁷󠁬󠁳󠁿"]


def _named(*names: str) -> EcoMap:
    """Alys with one community tie for each name, and her Mam."""
    ties = [{"id": "t1", "name": "Mam", "sector": "family"}]
    ties += [{"id": f"n{i}", "name": name, "sector": "community"} for i, name in enumerate(names)]
    return alys().replace(ties=ties, links=[], plan=[])


def _words(text: str) -> str:
    """Text with every run of spaces and line breaks made one space (a name may wrap over lines)."""
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_fonts(pdf: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_every_text_of_the_picture_is_drawn_literally() -> None:
    fig = figure(_named(*MATHS), marks={"t1": "new"})
    texts = [text for text in fig.findobj(Text) if text.get_text()]
    assert len(texts) > 20  # the names, the rings, the caption, the legend, the change key and marks
    assert all(not text.get_parse_math() for text in texts), [t.get_text() for t in texts if t.get_parse_math()]
    drawn = _words(" ".join(text.get_text() for text in texts))
    for name in MATHS:
        assert name in drawn


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_names_with_dollars_export_as_written(fmt: str) -> None:
    data = image(_named(*MATHS), fmt)
    if fmt == "png":
        assert Image.open(io.BytesIO(data)).format == "PNG"
    elif fmt == "svg":
        comments = _words(" ".join(part.split(" -->")[0] for part in data.decode().split("<!-- ")[1:]))
        for name in MATHS:
            assert name in comments
    else:
        for name in MATHS:
            assert name in _words(pdf_text(data))


def test_the_change_map_draws_names_with_dollars_as_written() -> None:
    old = _named(*MATHS[:3])
    new = _named(*MATHS)
    text = _words(pdf_text(change_image(old, new, "pdf")))
    for name in MATHS:
        assert name in text
    assert change_image(old, new, "png").startswith(b"\x89PNG")


def test_the_attachment_prints_names_with_dollars_and_emoji_as_written() -> None:
    m = _named(*MATHS, *EMOJI)
    pdf = attachment(m, "pdf")
    text = _words(pdf_text(pdf))
    for name in [*MATHS, *EMOJI]:
        assert fonts.drawable(name).replace("\u200d", "") in text.replace("\u200d", "")
    assert "Symbola" in pdf_fonts(pdf)
    docx = Document(io.BytesIO(attachment(m, "docx")))
    written = _words("\n".join(paragraph.text for paragraph in docx.paragraphs))
    written += _words(" ".join(cell.text for table in docx.tables for row in table.rows for cell in row.cells))
    for name in MATHS[:3]:
        assert name in written


@pytest.mark.parametrize("ending", [".png", ".svg", ".pdf", ".docx"])
def test_the_command_line_exports_names_with_dollars(tmp_path: Path, ending: str) -> None:
    source = tmp_path / "map.json"
    write_map(_named(*MATHS, *EMOJI), source)
    out = io.StringIO()
    assert main(["export", str(source), "--to", str(tmp_path / f"out{ending}")], out=out, err=out) == 0, out.getvalue()
    assert (tmp_path / f"out{ending}").stat().st_size > 1000
    if ending == ".pdf":
        assert "Tom $$ Jerry" in _words(pdf_text((tmp_path / "out.pdf").read_bytes()))


# -- emoji ---------------------------------------------------------------------------------------


def test_the_emoji_font_is_installed_and_used() -> None:
    assert fonts.fallback_fonts(), f"none of {fonts.FALLBACK_FONTS} is installed (Debian: fonts-symbola)"
    assert fonts.font_families()[1:] == ("Symbola",)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_emoji_are_drawn_with_no_glyph_missing(fmt: str) -> None:
    # matplotlib warns when no font of the list has a character (an empty box), and warnings are errors here.
    data = image(_named(*EMOJI), fmt)
    if fmt == "pdf":
        assert "Symbola" in pdf_fonts(data)
        text = _words(pdf_text(data)).replace("\u200d", "")
        for name in EMOJI:
            assert fonts.drawable(name).replace("\u200d", "").replace("\ufe0f", "") in text.replace("\ufe0f", "")


def _dark(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 200


def test_an_emoji_in_the_png_is_its_glyph_not_an_empty_box(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = image(_named("👵"), "png", dpi=100)
    without = image(_named("x"), "png", dpi=100)
    monkeypatch.setattr(static, "font_families", lambda: ("DejaVu Sans",))
    monkeypatch.setattr(static, "drawable", lambda text: text)
    boxed = image(_named("👵"), "png", dpi=100)  # DejaVu Sans alone: its empty box
    glyph = _dark(drawn) != _dark(without)
    assert glyph.sum() > 30  # the emoji left ink where the name is
    box = _dark(boxed) != _dark(without)
    assert box.sum() > 30  # the control: DejaVu Sans alone draws its box
    assert (glyph != box).sum() > 30  # and it is not DejaVu Sans's empty box


def test_a_character_no_font_has_is_drawn_as_the_replacement_character() -> None:
    wheelchair = "Cai 🦽"  # Unicode 12: newer than Symbola
    assert fonts.drawable(wheelchair) == "Cai \ufffd"
    assert fonts.drawable("🧑\u200d🦽") == "🧑\u200d\ufffd"
    assert fonts.drawable("\U000e0067") == ""  # an invisible tag no font has is left out
    pdf = image(_named(wheelchair), "pdf")  # no warning of a missing glyph
    assert "Cai \ufffd" in _words(pdf_text(pdf))
    assert "Cai \ufffd" in _words(pdf_text(attachment(_named(wheelchair), "pdf")))
