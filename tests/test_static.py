"""The still picture: PNG, SVG and PDF open, carry the map's marks, and stay readable."""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from ecomap.examples import example_maps, generated_map
from ecomap.i18n import translator
from ecomap.model import EcoMap
from ecomap.render.static import FIGURE_WIDTH, LABEL_POINTS, PNG_DPI, Caption, caption_line, figure, image
from tests.conftest import alys


def _ink(png: bytes, box: tuple[int, int, int, int]) -> int:
    """Dark pixels inside ``box`` of a PNG."""
    picture = Image.open(io.BytesIO(png)).convert("L").crop(box)
    return int((np.asarray(picture) < 110).sum())


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_every_format_opens_at_its_size(m: EcoMap) -> None:
    png = Image.open(io.BytesIO(image(m, "png")))
    assert png.format == "PNG"
    assert png.size[0] == FIGURE_WIDTH * PNG_DPI
    assert png.info["dpi"][0] == pytest.approx(PNG_DPI, abs=0.01)
    svg = ET.fromstring(image(m, "svg"))
    assert svg.tag.endswith("svg")
    assert svg.attrib["width"] == f"{FIGURE_WIDTH * 72:g}pt"
    pdf = image(m, "pdf")
    assert pdf.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert re.search(rf"Page size:\s+{FIGURE_WIDTH * 72:g} x", info)


def test_welsh_letters_are_drawn_with_a_font_that_has_them() -> None:
    m = alys().replace(person={"name": "Gwŷr Ŵyn Ârdd", "preferred_name": "Ŵyn"})
    pdf = image(m, "pdf", t=translator("cy"))
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "DejaVuSans" in fonts
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Gwŷr Ŵyn Ârdd" in text
    assert "Teulu" in text  # the ring names follow the language


def test_a_strong_line_has_more_ink_than_a_tenuous_one() -> None:
    one = alys().replace(
        ties=[{"id": "t1", "name": "Mam", "sector": "family", "strength": "strong"}], links=[], plan=[]
    )
    weak = one.replace(ties=[{"id": "t1", "name": "Mam", "sector": "family", "strength": "tenuous"}])
    # The single family tie sits straight below the centre; look at the stretch of line between them.
    width = int(FIGURE_WIDTH * PNG_DPI)
    middle = width // 2
    top = int(0.75 * PNG_DPI) + int(7.1 * PNG_DPI * 0.5) + 60
    box = (middle - 30, top, middle + 30, top + 80)
    assert _ink(image(one, "png"), box) > 2 * _ink(image(weak, "png"), box)


def test_sixty_ties_are_readable_at_a4() -> None:
    fig = figure(generated_map(60))
    width, _height = fig.get_size_inches()
    assert width <= 8.27 - 0.5  # fits across A4 inside its margins, so it prints at full size
    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = [text for text in fig.axes[0].texts if text.get_fontsize() == LABEL_POINTS and not text.get_path_effects()]
    assert len(labels) == 60
    assert LABEL_POINTS >= 7
    boxes = [label.get_window_extent(renderer) for label in labels]
    overlapping = [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j and a.overlaps(b)]
    assert overlapping == []


def test_the_caption_names_version_and_date_in_the_readers_language() -> None:
    from datetime import date

    caption = Caption("Alys", 4, date(2026, 11, 23))
    assert caption_line(caption, translator("cy")) == "Fersiwn 4 · 23 Tachwedd 2026"
    fig = figure(alys(), caption=Caption("A. P.", 4, date(2026, 11, 23)))
    assert [text.get_text() for text in fig.texts] == ["A. P.", "Version 4 · 23 November 2026"]


def test_a_png_holds_the_pictures_pixels_exactly() -> None:
    import zlib

    from ecomap.render.static import png_bytes, png_rows, raster

    picture = raster(generated_map(60), dpi=60)  # tall enough to be compressed in two halves at once
    assert picture.size[1] >= 64
    again = Image.open(io.BytesIO(png_bytes(picture)))
    assert again.mode == "RGB" and again.size == picture.size
    assert (np.asarray(again) == np.asarray(picture)).all()
    rows = zlib.decompress(png_rows(picture))  # the checksum of the two halves together holds
    width, height = picture.size
    assert len(rows) == height * (1 + 3 * width) and rows[:: 1 + 3 * width] == bytes(height)


@pytest.mark.parametrize("m", [*example_maps(), generated_map(60)], ids=lambda m: m.person.called)
def test_a_png_export_is_the_maps_raster_pixel_for_pixel(m: EcoMap) -> None:
    """``image(..., "png")`` compresses the drawn pixels without making a picture of them first: the same
    pixels, size and resolution as :func:`raster`."""
    from ecomap.render.static import raster

    caption = Caption(m.person.name, 2, m.created)
    for language in ("en", "cy"):
        t = translator(language)
        png = Image.open(io.BytesIO(image(m, "png", t=t, caption=caption, dpi=80)))
        picture = raster(m, t=t, caption=caption, dpi=80)
        assert png.mode == "RGB" and png.size == picture.size and round(png.info["dpi"][0]) == 80
        assert (np.asarray(png) == np.asarray(picture)).all()
