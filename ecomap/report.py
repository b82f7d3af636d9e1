"""The assessment attachment: the map and what it says, as an A4 PDF or a Word document.

:func:`build_report` gathers the content once, as plain blocks (headings, paragraphs,
lists, a table, the picture); :func:`pdf_bytes` (fpdf2, with DejaVu Sans embedded for
every Welsh letter) and :func:`docx_bytes` (python-docx) lay the same blocks out. The
words are the analysis's own: assets first, areas to explore as things to explore
together, the person's own words as they said them.

Examples
--------
>>> from ecomap.model import example
>>> report = build_report(example())
>>> [b.text for b in report.blocks if isinstance(b, Heading)][:3]
['The map in words', 'In Alys’s own words', 'What is strong']
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ecomap.analysis import findings, measures
from ecomap.i18n import Translator, long_date, short_date, translator
from ecomap.model import EcoMap, Tie
from ecomap.versions import SavedVersion
from ecomap.vocab import DIRECTIONS, FREQUENCIES, KINDS, N_, ROLES, SECTORS, STATUSES, STRENGTHS, SUPPORTS, values

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

#: The picture's width on the page, in millimetres (A4 is 210 wide; the margins are 15): the
#: map fills the first page, and its names print at 7 points.
PICTURE_WIDTH_MM = 178.0
#: The map's resolution in the attachment: 170 pixels an inch at 178 mm wide keeps 7.5 pt names crisp
#: in print, and embeds a quarter fewer pixels than the 200 dpi of a PNG export.
PICTURE_DPI = 170
#: The body text's size in points and its line height in millimetres.
BODY_POINTS = 8.0
LINE_MM = 3.6


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # "body", "quote" or "small"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Facts:
    """The title block: label and value pairs."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Picture:
    """The map, drawn once: the PDF embeds the raster as it is; PNG is made only for what needs it."""

    raster: PILImage
    alt: str
    width_mm: float = PICTURE_WIDTH_MM

    @cached_property
    def png(self) -> bytes:
        from ecomap.render.static import png_bytes

        return png_bytes(self.raster)


Block = Heading | Paragraph | Bullets | Table | Facts | Picture


@dataclass(frozen=True)
class ReportContext:
    """What the map itself does not know: who prepares the report, and the map's history."""

    author: str = ""
    version: int | None = None
    saved_at: datetime | None = None
    history: tuple[SavedVersion, ...] = ()
    #: Sentences saying what changed since an earlier version, if one was chosen.
    changes: tuple[str, ...] = ()
    changes_since: str = ""


@dataclass(frozen=True)
class Report:
    title: str
    language: str
    author: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def text(self) -> str:
        """Every word of the report as plain text, in order."""
        lines = [self.title]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, Bullets):
                lines += block.items
            elif isinstance(block, Table):
                lines += [" | ".join(block.header), *(" | ".join(row) for row in block.rows)]
            elif isinstance(block, Facts):
                lines += [f"{label}: {value}" for label, value in block.rows]
            else:
                lines.append(block.alt)
        return "\n".join(lines)


def _percent(share: float | None) -> str:
    return f"{round((share or 0) * 100)}%"


def _role_text(tie: Tie, t: Translator) -> str:
    if tie.role in ROLES:
        return t(ROLES[tie.role].label)
    return tie.role


def tie_description(tie: Tie, t: Translator) -> str:
    """One tie as a line of the plain-text description: who it is and how its line is drawn.

    >>> from ecomap.model import example
    >>> tie_description(example().ties[0], translator())
    'Mam: strong, daily; support: emotional (both ways)'
    """
    who = tie.name
    role = _role_text(tie, t)
    if role and role.casefold() not in who.casefold():
        who += f" ({role})"
    elif not role and tie.kind != "person":
        who += f" ({t(KINDS[tie.kind].label).lower()})"
    details = [t(STRENGTHS[tie.strength].label).lower()]
    if tie.frequency:
        details.append(t(FREQUENCIES[tie.frequency].label).lower())
    if tie.stressful:
        details.append(t("can be stressful"))
    if tie.status != "current":
        details.append(t(STATUSES[tie.status].label).lower())
    text = f"{who}: {', '.join(details)}"
    if tie.support:
        kinds = ", ".join(
            f"{t(SUPPORTS[kind].label).lower()} ({t(DIRECTIONS[direction].label).lower()})"
            for kind, direction in tie.support.items()
        )
        text += "; " + t("support: {kinds}", kinds=kinds)
    return text


def describe(m: EcoMap, *, t: Translator | None = None) -> list[str]:
    """The map in words, for someone who cannot see the picture: rings, ties, lines, links."""
    t = t or translator()
    person = m.person.called
    lines = [
        t(
            "{person} is at the centre. Around them are three rings: family nearest, then community, "
            "then services. A thicker line is a stronger tie; a dashed line is a tenuous one.",
            person=person,
        )
    ]
    for sector in values("sector"):
        ties = [tie for tie in m.ties if tie.sector == sector]
        heading = t(SECTORS[sector].label)
        if not ties:
            lines.append(t("{sector}: no one on the map yet.", sector=heading))
            continue
        lines.append(f"{heading} ({len(ties)}): " + ". ".join(tie_description(tie, t) for tie in ties) + ".")
    if m.links:
        names = {tie.id: tie.name for tie in m.ties}
        pairs = [
            t("{a} and {b}", a=names[a], b=names[b]) + (f" ({t('can be stressful')})" if link.stressful else "")
            for link in m.links
            for a, b in [link.between]
        ]
        lines.append(t("Who knows whom: {pairs}.", pairs="; ".join(pairs)))
    return lines


def measures_in_words(m: EcoMap, *, t: Translator | None = None) -> list[str]:
    """The measures as sentences a person can read."""
    t = t or translator()
    numbers = measures(m)
    person = m.person.called
    size = numbers["size"]
    by_sector = numbers["size_by_sector"]
    if size == 0:
        return [t("No ties are marked as part of {person}’s life now.", person=person)]
    sentences = [
        t.plural(
            "{n} tie is part of {person}’s life now: {family} family, {community} community, {services} services.",
            "{n} ties are part of {person}’s life now: {family} family, {community} community, {services} services.",
            size,
            person=person,
            **by_sector,
        ),
        t.plural("{n} of them is strong.", "{n} of them are strong.", numbers["strong_count"]),
        t("{share} are family or community rather than services.", share=_percent(numbers["informal_share"])),
    ]
    if numbers["reciprocity"] is not None:
        sentences.append(
            t(
                "Support goes both ways in {share} of the ties where support flows.",
                share=_percent(numbers["reciprocity"]),
            )
        )
    sentences.append(t("{share} give more than one kind of support.", share=_percent(numbers["multiplexity"])))
    for key, sentence in (
        ("support_received", N_("Ties {person} gets each kind of support from: {counts}.")),
        ("support_given", N_("Ties {person} gives each kind of support to: {counts}.")),
    ):
        counts = ", ".join(f"{t(SUPPORTS[kind].label).lower()} {n}" for kind, n in numbers[key].items())
        sentences.append(t(sentence, person=person, counts=counts))
    sentences.append(t("{share} can be stressful.", share=_percent(numbers["stressful_share"])))
    if numbers["density"] is not None:
        sentences.append(t("Of all the pairs of ties, {share} know each other.", share=_percent(numbers["density"])))
    return sentences


def version_line(context: ReportContext, *, t: Translator) -> str:
    """The map's history in one line: this version, when, how many before, the named ones."""
    parts = []
    if context.version is not None:
        saved = long_date(context.saved_at, t) if context.saved_at else ""
        parts.append(t("Version {version}, saved {date}.", version=context.version, date=saved))
    if context.history:
        first = min(context.history, key=lambda entry: entry.version)
        parts.append(t("First drawn {date}.", date=long_date(first.saved_at, t)))
        earlier = [entry for entry in context.history if context.version is None or entry.version < context.version]
        parts.append(t.plural("{n} earlier version is kept.", "{n} earlier versions are kept.", len(earlier)))
        named = [f"{e.label} ({e.version}, {long_date(e.saved_at, t)})" for e in context.history if e.label]
        if named:
            parts.append(t("Named versions: {names}.", names="; ".join(named)))
    return " ".join(parts)


def build_report(
    m: EcoMap,
    *,
    t: Translator | None = None,
    context: ReportContext | None = None,
    picture: PILImage | None = None,
) -> Report:
    """The attachment's content. ``picture`` is the map as a raster (drawn here when not given)."""
    t = t or translator()
    context = context or ReportContext()
    person = m.person.called
    when = context.saved_at or m.created
    facts = [(t("Person"), m.person.name)]
    if m.title:
        facts.append((t("Map"), m.title))
    facts.append((t("Date"), long_date(when, t)))
    if context.author:
        facts.append((t("Prepared by"), context.author))
    if context.version is not None:
        facts.append((t("Version"), str(context.version)))
    if picture is None:
        from ecomap.render.static import Caption, raster

        caption = Caption(m.person.name, context.version, when)
        picture = raster(m, t=t, caption=caption, header=False, dpi=PICTURE_DPI)
    description = describe(m, t=t)
    blocks: list[Block] = [Facts(tuple(facts))]
    line = version_line(context, t=t)
    if line:
        blocks.append(Paragraph(line, "small"))
    blocks.append(Picture(picture, description[0]))
    blocks += [Heading(t("The map in words")), *(Paragraph(line) for line in description)]

    quotes = [tie for tie in m.ties if tie.own_words.strip()]
    blocks.append(Heading(t("In {person}’s own words", person=person)))
    if quotes:
        blocks += [Paragraph(f"“{tie.own_words.strip()}” ({tie.name})", "quote") for tie in quotes]
    else:
        blocks.append(Paragraph(t("No words are recorded on the map yet.")))

    found = findings(m, t=t)
    by_tie: dict[str | None, list[str]] = {}
    for finding in found:
        if finding.kind == "asset" and finding.id != "personal-strength":
            by_tie.setdefault(finding.tie or finding.text, []).append(finding.text)
    assets = [" ".join(texts) for texts in by_tie.values()]
    gaps = [f.text for f in found if f.kind == "gap"]
    blocks += [Heading(t("What is strong")), Bullets(tuple(assets)) if assets else Paragraph(t("Nothing yet."))]
    if m.person.what_matters:
        blocks += [Heading(t("What matters to {person}", person=person)), Bullets(m.person.what_matters)]
    if m.person.strengths:
        blocks += [Heading(t("{person}’s strengths", person=person)), Bullets(m.person.strengths)]
    blocks += [Heading(t("Areas to explore together")), Bullets(tuple(gaps)) if gaps else Paragraph(t("Nothing yet."))]
    blocks += [Heading(t("The map in numbers")), Paragraph(" ".join(measures_in_words(m, t=t)))]

    blocks.append(Heading(t("Agreed next steps")))
    if m.plan:
        names = {tie.id: tie.name for tie in m.ties}
        rows = tuple(
            (
                item.action + (f" ({names[item.tie]})" if item.tie else ""),
                item.who,
                short_date(item.by, t) if item.by else "",
                t("Done") if item.done else "",
            )
            for item in m.plan
        )
        blocks.append(Table((t("What"), t("Who"), t("By when"), t("Done")), rows))
    else:
        blocks.append(Paragraph(t("No next steps agreed yet.")))
    if context.changes:
        blocks += [Heading(t("What has changed")), Paragraph(context.changes_since, "small")]
        blocks.append(Bullets(context.changes))
    return Report(t("Ecomap: {name}", name=m.person.name), t.language, context.author, tuple(blocks))


# -- PDF ---------------------------------------------------------------------------------------


def font_path(style: str = "") -> Path:
    """DejaVu Sans as shipped with matplotlib (regular, "B" bold or "I" oblique)."""
    import matplotlib

    name = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}[style]
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def pdf_bytes(report: Report) -> bytes:
    """The report as an A4 PDF with its fonts embedded, tagged with its title, author and language."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _Document(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font("DejaVu", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, f"{report.title} · {self.page_no()}/{{nb}}", align="C")

    pdf = _Document(format="A4", unit="mm")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=13)
    for style in ("", "B", "I"):
        pdf.add_font("DejaVu", style, str(font_path(style)))
    pdf.set_title(report.title)
    pdf.set_author(report.author)
    pdf.set_creator("Ecomap")
    pdf.set_lang(report.language)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    for block in report.blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())


def _pdf_block(pdf: object, block: Block) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    assert isinstance(pdf, FPDF)
    pdf.set_text_color(17, 17, 17)
    if isinstance(block, Facts):
        # Label and value stay together on a line; a pair that does not fit starts the next line.
        for label, value in block.rows:
            pdf.set_font("DejaVu", "B", 9)
            label_width = pdf.get_string_width(f"{label}: ")
            pdf.set_font("DejaVu", size=9)
            value_width = min(pdf.get_string_width(value) + 5, pdf.epw - label_width)
            if pdf.get_x() + label_width + value_width > pdf.l_margin + pdf.epw:
                pdf.ln(4.6)
            pdf.set_font("DejaVu", "B", 9)
            pdf.cell(label_width, 4.6, f"{label}: ")
            pdf.set_font("DejaVu", size=9)
            pdf.cell(value_width, 4.6, value, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.ln(6)
    elif isinstance(block, Picture):
        left = (pdf.w - block.width_mm) / 2
        pdf.image(block.raster, x=left, w=block.width_mm, alt_text=block.alt)
        pdf.ln(2)
    elif isinstance(block, Heading):
        if pdf.get_y() > pdf.h - 28:
            pdf.add_page()
        pdf.ln(1)
        pdf.start_section(block.text, level=block.level - 1)
        pdf.set_font("DejaVu", "B", 10.5)
        pdf.set_text_color(27, 95, 87)
        pdf.multi_cell(0, 4.6, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Paragraph):
        style, size = {"quote": ("I", BODY_POINTS), "small": ("", BODY_POINTS - 1)}.get(block.style, ("", BODY_POINTS))
        pdf.set_font("DejaVu", style, size)
        indent = 4 if block.style == "quote" else 0
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, LINE_MM, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.5)
    elif isinstance(block, Bullets):
        pdf.set_font("DejaVu", size=BODY_POINTS)
        for item in block.items:
            pdf.set_x(pdf.l_margin + 1)
            pdf.cell(4, LINE_MM, "•")
            pdf.multi_cell(pdf.epw - 5, LINE_MM, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.3)
    else:
        pdf.set_font("DejaVu", size=9)
        with pdf.table(
            col_widths=(58, 21, 13, 8), line_height=LINE_MM, text_align="LEFT", first_row_as_headings=True
        ) as table:
            for row in (block.header, *block.rows):
                cells = table.row()
                for value in row:
                    cells.cell(value)


# -- DOCX --------------------------------------------------------------------------------------


def docx_bytes(report: Report) -> bytes:
    """The report as a Word document (headings, lists and a table Word can restyle)."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin = section.bottom_margin = Mm(14)
    document.styles["Normal"].font.size = Pt(10)
    properties = document.core_properties
    properties.title = report.title
    properties.author = report.author
    properties.language = report.language
    document.add_heading(report.title, level=0)
    for block in report.blocks:
        if isinstance(block, Facts):
            paragraph = document.add_paragraph()
            for index, (label, value) in enumerate(block.rows):
                paragraph.add_run(("   " if index else "") + f"{label}: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, Picture):
            document.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
            document.inline_shapes[-1]._inline.docPr.set("descr", block.alt)
        elif isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            style = {"quote": "Quote", "small": None}.get(block.style)
            paragraph = document.add_paragraph(block.text, style=style)
            if block.style == "small":
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        else:
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, value in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = value
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attachment(
    m: EcoMap,
    fmt: str,
    *,
    t: Translator | None = None,
    context: ReportContext | None = None,
) -> bytes:
    """The attachment as ``"pdf"`` or ``"docx"`` bytes."""
    report = build_report(m, t=t, context=context)
    if fmt == "pdf":
        return pdf_bytes(report)
    if fmt == "docx":
        return docx_bytes(report)
    raise ValueError(f"not an attachment format: {fmt!r}")


def headings(report: Report) -> Sequence[str]:
    """The report's section headings, in order."""
    return [block.text for block in report.blocks if isinstance(block, Heading)]
