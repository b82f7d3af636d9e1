"""The assessment attachment, read back the way its readers read it: pdftotext and python-docx."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime

import docx
import pytest

from ecomap.analysis import findings
from ecomap.examples import example_maps
from ecomap.i18n import translator
from ecomap.model import EcoMap
from ecomap.report import (
    Heading,
    Picture,
    ReportContext,
    build_report,
    describe,
    docx_bytes,
    measures_in_words,
    pdf_bytes,
    version_line,
)
from ecomap.versions import SavedVersion
from tests.conftest import alys

CONTEXT = ReportContext(
    author="Ffion Evans",
    version=3,
    saved_at=datetime(2026, 11, 23, 10, tzinfo=UTC),
    history=(
        SavedVersion(1, datetime(2026, 11, 1, 10, tzinfo=UTC), "ffion", "first conversation"),
        SavedVersion(2, datetime(2026, 11, 10, 10, tzinfo=UTC), "ffion"),
        SavedVersion(3, datetime(2026, 11, 23, 10, tzinfo=UTC), "ffion"),
    ),
)


def _flat(text: str) -> str:
    """Text with line breaks and hyphenless wrapping undone, for searching."""
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _expected(m: EcoMap) -> list[str]:
    """What any reader must find: own words, every tie's name, the findings, the plan, the author."""
    words = [tie.own_words for tie in m.ties if tie.own_words]
    words += [tie.name for tie in m.ties]
    words += [f.text for f in findings(m) if f.id != "personal-strength"]
    words += list(m.person.what_matters) + list(m.person.strengths)
    words += [item.action for item in m.plan] + ["Ffion Evans", "first conversation"]
    return words


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_the_pdf_holds_the_words_and_fits_on_few_pages(m: EcoMap) -> None:
    pdf = pdf_bytes(build_report(m, context=CONTEXT))
    text = _flat(pdf_text(pdf))
    missing = [words for words in _expected(m) if _flat(words) not in text]
    assert missing == []
    assert pdf_pages(pdf) <= (2 if len(m.ties) <= 16 else 3)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "DejaVuSans" in fonts and " yes yes " in fonts  # embedded, subset


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.called)
def test_the_docx_opens_and_holds_the_same(m: EcoMap) -> None:
    data = docx_bytes(build_report(m, context=CONTEXT))
    text = _flat(docx_text(data))
    assert [words for words in _expected(m) if _flat(words) not in text] == []
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.author == "Ffion Evans"
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith(m.person.called)
    assert next(p.text for p in document.paragraphs if p.style.name == "Heading 1") == "The map in words"


def test_welsh_letters_survive_in_both_formats() -> None:
    m = alys().replace(
        ties=[
            {"id": "t1", "name": "Gŵyn ap Ŷr", "sector": "family", "own_words": "Mae'n dŵad bob dydd â chacen"},
            {"id": "t2", "name": "Côr Meibion", "sector": "community", "kind": "group"},
        ],
        links=[],
        plan=[],
    )
    report = build_report(m, t=translator("cy"))
    for text in (pdf_text(pdf_bytes(report)), docx_text(docx_bytes(report))):
        assert "Gŵyn ap Ŷr" in text and "Mae'n dŵad bob dydd â chacen" in text and "Côr Meibion" in text
        assert "Y map mewn geiriau" in text


def test_the_sections_come_in_the_order_a_reader_expects() -> None:
    report = build_report(example_maps()[0], context=CONTEXT)
    headings = [block.text for block in report.blocks if isinstance(block, Heading)]
    assert headings == [
        "The map in words",
        "In Alys’s own words",
        "What is strong",
        "What matters to Alys",
        "Alys’s strengths",
        "Areas to explore together",
        "The map in numbers",
        "Agreed next steps",
    ]
    picture = next(block for block in report.blocks if isinstance(block, Picture))
    assert picture.png.startswith(b"\x89PNG")


def test_the_description_names_each_ring_and_how_each_line_is_drawn() -> None:
    lines = describe(alys())
    assert lines[1] == "Family (1): Mam: strong, daily; support: emotional (both ways), practical (both ways)."
    assert lines[2] == "Community (1): Côr Meibion (group): moderate, hoped for."
    assert lines[3] == "Services (1): Meddygfa (organisation): moderate, can be stressful."
    assert lines[4] == "Who knows whom: Mam and Côr Meibion."


def test_the_measures_read_as_sentences() -> None:
    sentences = measures_in_words(alys())
    assert sentences[0] == "2 ties are part of Alys’s life now: 1 family, 0 community, 1 services."
    assert sentences[1] == "1 of them is strong."
    assert "50% can be stressful." in sentences


def test_the_version_line_counts_and_names_versions() -> None:
    line = version_line(CONTEXT, t=translator())
    assert line == (
        "Version 3, saved 23 November 2026. First drawn 1 November 2026. 2 earlier versions are kept. "
        "Named versions: first conversation (1, 1 November 2026)."
    )


def test_hostile_text_is_printed_as_text() -> None:
    m = alys().replace(
        ties=[{"id": "t1", "name": "<b>Bold</b> **not bold**", "sector": "family", "own_words": "=HYPERLINK(1)"}],
        links=[],
        plan=[],
    )
    report = build_report(m)
    text = pdf_text(pdf_bytes(report))
    assert "<b>Bold</b> **not bold**" in text and "=HYPERLINK(1)" in text
    assert "<b>Bold</b> **not bold**" in docx_text(docx_bytes(report))


def test_the_attachment_can_say_what_has_changed_since_an_earlier_version() -> None:
    from ecomap.diff import diff, summary

    old = alys()
    new = old.with_tie(old.tie("t3").model_copy(update={"stressful": False}))
    context = ReportContext(changes=tuple(summary(diff(old, new), old, new)), changes_since="Since version 1.")
    report = build_report(new, context=context)
    assert "What has changed" in [block.text for block in report.blocks if isinstance(block, Heading)]
    text = " ".join(pdf_text(pdf_bytes(report)).split())
    assert "What has changed Since version 1. • The tie with Meddygfa is no longer stressful." in text
