"""The assessment attachment: the map and what it says, as an A4 PDF or a Word document.

:func:`build_report` gathers the content once, as plain blocks (the record's facts,
headings, paragraphs, lists, a table, the picture); :func:`pdf_bytes` (fpdf2, with DejaVu
Sans embedded for every Welsh letter) and :func:`docx_bytes` (python-docx) lay the same
blocks out. A manager files it: the first page says whose map it is and what the record
holds (each field only when it is recorded, nothing filled in), and when the map was
drawn and last changed, by visit dates. The sections follow the Welsh national
assessment's wording: what matters to the person, their strengths and own words, what is
strong, areas to explore together, personal outcomes (the agreed next steps), the map in
numbers and, last, the map in words, one item a tie, each kept whole on its page. The
words are the analysis's own; no version number, internal id or share is printed.

Examples
--------
>>> from ecomap.model import example
>>> report = build_report(example())
>>> [b.text for b in report.blocks if isinstance(b, Heading)][:3]
['What matters to Alys', 'In Alys’s own words', 'What is strong']
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecomap.analysis import findings, is_current
from ecomap.conversation import measures_in_words, support_words
from ecomap.i18n import Translator, long_date, short_date, translator
from ecomap.model import EcoMap, Tie
from ecomap.versions import SavedVersion, visits
from ecomap.vocab import FREQUENCIES, KINDS, SECTORS, SHARING, STATUSES, STRENGTHS, role_label, values

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

__all__ = [
    "BODY_POINTS",
    "FACT_LABEL_MM",
    "FACT_LINE_MM",
    "LINE_MM",
    "PICTURE_DPI",
    "PICTURE_WIDTH_MM",
    "Block",
    "Bullets",
    "Facts",
    "Heading",
    "Paragraph",
    "Picture",
    "Report",
    "ReportContext",
    "Table",
    "attachment",
    "build_report",
    "consent_facts",
    "describe",
    "docx_bytes",
    "font_path",
    "headings",
    "pdf_bytes",
    "record_facts",
    "tie_description",
    "visit_line",
]

#: The picture's width on the page, in millimetres (A4 is 210 wide; the margins are 15): the
#: map fills the first page under the record's facts, and its names print at 7 points.
PICTURE_WIDTH_MM = 178.0
#: The map's resolution in the attachment: 170 pixels an inch at 178 mm wide keeps 7.5 pt names crisp
#: in print, and embeds a quarter fewer pixels than the 200 dpi of a PNG export.
PICTURE_DPI = 170
#: The body text's size in points and its line height in millimetres.
BODY_POINTS = 8.0
LINE_MM = 3.6
#: The record's facts: the labels' column width and the line height, in millimetres.
FACT_LABEL_MM = 52.0
FACT_LINE_MM = 4.0


@dataclass(frozen=True)
class Heading:
    """A section's heading (level 1) or a ring's within it (level 2)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text, a quotation of the person's words, or small print."""

    text: str
    style: str = "body"  # "body", "quote" or "small"


@dataclass(frozen=True)
class Bullets:
    """A list; each item is kept whole on one page."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row, such as the personal outcomes and agreed next steps."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Facts:
    """The header: what the record holds, as label and value rows of a two-column table."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Picture:
    """The map, drawn once: the PDF embeds the raster as it is; PNG is made only for what needs it."""

    raster: PILImage
    alt: str
    width_mm: float = PICTURE_WIDTH_MM

    @cached_property
    def png(self) -> bytes:
        """The picture as PNG, made the first time it is asked for (Word embeds PNG, not SVG)."""
        from ecomap.render.static import png_bytes

        return png_bytes(self.raster)


#: One block of the attachment's content, laid out the same way in PDF and Word.
Block = Heading | Paragraph | Bullets | Table | Facts | Picture


@dataclass(frozen=True)
class ReportContext:
    """What the map itself does not know: who prepared the attachment, and the map's history.

    ``prepared_by`` is a signed-in practitioner's own name, or None (the local mode's user is not
    a person's name, so nothing is said). ``version`` is the version the attachment is of, for the
    pictures' captions; the attachment itself tells the map's history by its visits.
    """

    prepared_by: str | None = None
    version: int | None = None
    saved_at: datetime | None = None
    history: tuple[SavedVersion, ...] = ()
    #: Sentences saying what changed since an earlier version, if one was chosen, and that version.
    changes: tuple[str, ...] = ()
    changes_since: SavedVersion | None = None


@dataclass(frozen=True)
class Report:
    """The attachment's content, built once (:func:`build_report`) and laid out as PDF or Word."""

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


def _role_text(tie: Tie, t: Translator) -> str:
    return role_label(tie.role, t)


def consent_facts(m: EcoMap, *, t: Translator | None = None) -> list[tuple[str, str]]:
    """What the person consented to, as the header and the share page say it: whether the map may be
    recorded (always said: given, not given, or not recorded), and with whom it may be shared (when
    that was talked about: "Nobody" for no one).

    >>> from ecomap.model import example
    >>> consent_facts(example())
    [('Consent to record the map', 'Not recorded')]
    >>> agreed = {"to_record": True, "share_with": ["gp", "team"], "share_also_with": "the housing association"}
    >>> for label, value in consent_facts(example().with_record(consent=agreed)):
    ...     print(f"{label}: {value}")
    Consent to record the map: Given
    May be shared with: The team working with them, Their GP, the housing association
    >>> consent_facts(example().with_record(consent={"to_record": False, "share_with": []}))
    [('Consent to record the map', 'Not given'), ('May be shared with', 'Nobody')]
    """
    t = t or translator()
    consent = m.record.consent
    given = None if consent is None else consent.to_record
    rows = [(t("Consent to record the map"), {True: t("Given"), False: t("Not given"), None: t("Not recorded")}[given])]
    if consent is not None and (consent.share_with is not None or consent.share_also_with):
        whom = [t(SHARING[value].label) for value in consent.share_with or ()]
        whom += [consent.share_also_with] if consent.share_also_with else []
        rows.append((t("May be shared with"), ", ".join(whom) or t("Nobody")))
    return rows


def record_facts(m: EcoMap, *, t: Translator | None = None, prepared_by: str | None = None) -> list[tuple[str, str]]:
    """The header's rows: each field the map records, in the order a case file reads them, and only those.

    Whether the person agreed the read-back is always said, as recorded: yes, not yet, or not recorded;
    so is their consent to the map being recorded (:func:`consent_facts`).

    >>> from ecomap.model import example
    >>> record_facts(example())[2:]
    [('Agreed the read-back', 'Not recorded'), ('Consent to record the map', 'Not recorded')]
    >>> record_facts(example().replace(record={"case_reference": "ADL-1", "read_back_agreed": False}))[2:4]
    [('Case reference', 'ADL-1'), ('Agreed the read-back', 'Not yet')]
    """
    t = t or translator()
    person, record = m.person, m.record
    practitioner = ", ".join(part for part in (record.practitioner, record.practitioner_role) if part)
    agreed = {True: t("Yes"), False: t("Not yet"), None: t("Not recorded")}[record.read_back_agreed]
    rows = [
        (t("Name"), person.name),
        (t("Preferred name"), person.preferred_name),
        (t("Date of birth"), long_date(person.date_of_birth, t) if person.date_of_birth else ""),
        (t("Age"), str(person.age) if person.age is not None else ""),
        (t("Case reference"), record.case_reference),
        (t("Practitioner"), practitioner),
        (t("Agency"), record.agency),
        (t("Who was present"), ", ".join(record.present)),
        (t("Date of the conversation"), long_date(record.met_on, t) if record.met_on else ""),
        (t("Place of the conversation"), record.place),
        (t("Agreed the read-back"), agreed),
        *consent_facts(m, t=t),
        (t("Review date"), long_date(record.review_on, t) if record.review_on else ""),
        (t("Prepared by"), prepared_by or ""),
    ]
    return [(label, value) for label, value in rows if value]


def tie_description(tie: Tie, t: Translator, *, person: str) -> str:
    """One tie as an item of the map in words: who it is, how strong, how often, stressful, its status,
    and which way support goes (for a tie in the person's life now).

    >>> from ecomap.model import example
    >>> tie_description(example().ties[0], translator(), person="Alys")
    'Mam: strong, daily. Alys and Mam support each other: emotional.'
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
    if not is_current(tie):
        details.append(t(STATUSES[tie.status].label).lower())
    said = [f"{who}: {', '.join(details)}."]
    if is_current(tie):
        said += support_words(tie, t=t, person=person)
    return " ".join(said)


def describe(m: EcoMap, *, t: Translator | None = None) -> list[Block]:
    """The map in words, for someone who cannot see the picture: how to read it, then each ring's ties
    as a list under the ring's heading, then who knows whom.

    >>> from ecomap.model import example
    >>> [type(block).__name__ for block in describe(example())]
    ['Paragraph', 'Heading', 'Bullets', 'Heading', 'Paragraph', 'Heading', 'Paragraph']
    """
    t = t or translator()
    person = m.person.called
    blocks: list[Block] = [
        Paragraph(
            t(
                "{person} is at the centre. Around them are three rings: family nearest, then community, "
                "then services. A thicker line is a stronger tie; a dashed line is a tenuous one.",
                person=person,
            )
        )
    ]
    for sector in values("sector"):
        ties = [tie for tie in m.ties if tie.sector == sector]
        blocks.append(Heading(f"{t(SECTORS[sector].label)} ({len(ties)})", level=2))
        if ties:
            blocks.append(Bullets(tuple(tie_description(tie, t, person=person) for tie in ties)))
        else:
            blocks.append(Paragraph(t("No one on the map yet.")))
    if m.links:
        names = {tie.id: tie.name for tie in m.ties}
        pairs = [
            t("{a} and {b}", a=names[a], b=names[b]) + (" (" + t("can be stressful") + ")" if link.stressful else "")
            for link in m.links
            for a, b in [link.between]
        ]
        blocks += [Heading(t("Who knows whom"), level=2), Bullets(tuple(pairs))]
    return blocks


def visit_line(m: EcoMap, context: ReportContext, *, t: Translator) -> str:
    """When the map was drawn and last changed, by visit dates, and its named versions: never a version number.

    >>> from datetime import UTC, datetime
    >>> from ecomap.model import example
    >>> days = [(9, 14, "first conversation"), (9, 14, ""), (12, 1, "")]
    >>> saved = [SavedVersion(n, datetime(2026, month, day, 10, tzinfo=UTC), "ffion", label)
    ...          for n, (month, day, label) in enumerate(days, 1)]
    >>> context = ReportContext(history=tuple(saved))
    >>> print(visit_line(example(), context, t=translator()))  # doctest: +NORMALIZE_WHITESPACE
    Drawn together on 14 September 2026; last changed on 1 December 2026 (2 visits). Named: first conversation
    (14 September 2026).
    """
    history = [v for v in context.history if context.version is None or v.version <= context.version]
    if not history:
        first = long_date(m.created, t)
        if context.saved_at is None or long_date(context.saved_at, t) == first:
            return t("Drawn on {date}.", date=first)
        return t("Drawn on {first}; last changed on {last}.", first=first, last=long_date(context.saved_at, t))
    found = visits(history)
    first, last = long_date(found[0].start, t), long_date(context.saved_at or found[-1].end, t)
    count = len(found)
    if first == last:
        line = t.plural("Drawn together on {first} ({n} visit).", "Drawn together on {first} ({n} visits).", count,
                        first=first)  # fmt: skip
    else:
        line = t.plural(
            "Drawn together on {first}; last changed on {last} ({n} visit).",
            "Drawn together on {first}; last changed on {last} ({n} visits).",
            count,
            first=first,
            last=last,
        )
    named = [f"{v.label} ({long_date(v.saved_at, t)})" for v in history if v.label]
    if named:
        line += " " + t("Named: {names}.", names="; ".join(named))
    return line


def _since(saved: SavedVersion, t: Translator) -> str:
    when = long_date(saved.saved_at, t)
    if saved.label:
        return t("Since {name}, {date}.", name=saved.label, date=when)
    return t("Since {date}.", date=when)


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
    if picture is None:
        from ecomap.render.static import Caption, raster

        caption = Caption(m.person.name, None, context.saved_at or m.created)
        picture = raster(m, t=t, caption=caption, header=False, dpi=PICTURE_DPI)
    description = describe(m, t=t)
    alt = description[0].text if isinstance(description[0], Paragraph) else ""
    blocks: list[Block] = [
        Facts(tuple(record_facts(m, t=t, prepared_by=context.prepared_by))),
        Paragraph(visit_line(m, context, t=t), "small"),
        Picture(picture, alt),
    ]

    blocks.append(Heading(t("What matters to {person}", person=person)))
    blocks.append(Bullets(m.person.what_matters) if m.person.what_matters else Paragraph(t("Nothing yet.")))
    if m.person.strengths:
        blocks += [Heading(t("{person}’s strengths", person=person)), Bullets(m.person.strengths)]
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
    blocks += [Heading(t("Areas to explore together")), Bullets(tuple(gaps)) if gaps else Paragraph(t("Nothing yet."))]

    blocks.append(Heading(t("Personal outcomes and agreed next steps")))
    if m.plan:
        names = {tie.id: tie.name for tie in m.ties}
        rows = tuple(
            (
                item.action + (f" ({names[item.tie]})" if item.tie else ""),
                item.who,
                short_date(item.by, t) if item.by else "",
                t("Yes") if item.done else "",
            )
            for item in m.plan
        )
        blocks.append(Table((t("What"), t("Who"), t("By when"), t("Completed")), rows))
    else:
        blocks.append(Paragraph(t("No next steps agreed yet.")))
    if context.changes:
        blocks.append(Heading(t("What has changed")))
        if context.changes_since is not None:
            blocks.append(Paragraph(_since(context.changes_since, t), "small"))
        blocks.append(Bullets(context.changes))
    blocks += [Heading(t("The map in numbers")), Bullets(tuple(measures_in_words(m, t=t).values()))]
    blocks += [Heading(t("The map in words")), *description]
    author = context.prepared_by or ""
    return Report(t("Ecomap: {name}", name=m.person.name), t.language, author, tuple(blocks))


# -- PDF ---------------------------------------------------------------------------------------


def font_path(style: str = "") -> Path:
    """DejaVu Sans as shipped with matplotlib (regular, "B" bold or "I" oblique)."""
    from ecomap.render.fonts import dejavu

    return dejavu(style)


#: What a font of fpdf2 2.8 holds (``fpdf.fonts.TTFFont``), as :func:`_add_font` knows it: what each
#: document must have of its own is made anew there, the rest is shared between documents.
_FONT_FIELDS = frozenset({
    "i", "type", "name", "desc", "glyph_ids", "_hbfont", "sp", "ss", "up", "ut", "cw", "ttffile", "fontkey",
    "emphasis", "scale", "subset", "cmap", "ttfont", "missing_glyphs", "biggest_size_pt", "color_font",
    "unicode_range", "palette_index", "is_compressed", "is_cff", "is_cid_keyed", "is_symbol", "cff_ros",
    "collection_font_number",
})  # fmt: skip


@cache
def _parsed_face(path: Path) -> tuple[Any, bytes, bytes]:
    """A font file as fpdf2 reads it (about 20 ms a face of DejaVu Sans), read once a process: fpdf2's font
    with no document's characters in it yet, its fontTools tables pickled (a document's copy is unpickled
    in about a third of the time the file takes to read), and the file's bytes, for the tables read later.

    Nothing in it is about a person; each document's copy is its own (fpdf2 subsets it in place)."""
    import pickle

    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("face", "", str(path))
    font: Any = pdf.fonts["face"]
    ttfont = font.ttfont
    reader, ttfont.reader = ttfont.reader, None
    try:
        tables = pickle.dumps(ttfont, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        ttfont.reader = reader
        ttfont.close()
    font.ttfont = font.subset = None  # each copy is given its own
    return font, tables, path.read_bytes()


def _add_font(pdf: Any, family: str, style: str, path: Path) -> None:
    """``pdf.add_font(family, style, path)``, from the face read once a process (:func:`_parsed_face`): the
    same font as fpdf2's own, whose tables, characters, widths and subset are the document's own copy."""
    import copy
    import pickle

    from fontTools.ttLib.sfnt import SFNTReader  # type: ignore[import-untyped]
    from fpdf.enums import TextEmphasis
    from fpdf.font_type_3 import get_color_font_object
    from fpdf.fonts import SubsetMap, TTFFont

    if frozenset(TTFFont.__slots__) != _FONT_FIELDS:  # another fpdf2: its own reading, which is always right
        pdf.add_font(family, style, str(path))
        return
    template, tables, data = _parsed_face(path)
    style = "".join(sorted(style.upper()))
    font = copy.copy(template)
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = pickle.loads(tables)  # noqa: S301 (pickled by this process, from a font file it ships)
    font.ttfont.reader = SFNTReader(io.BytesIO(data), checkChecksums=0, fontNumber=template.collection_font_number)
    font.desc = copy.copy(template.desc)  # the document's descriptor is given its font file when written
    font.cw = template.cw.copy()  # a defaultdict: a character looked up is added
    font.cmap = dict(template.cmap)
    font.glyph_ids = dict(template.glyph_ids)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    font.color_font = get_color_font_object(pdf, font, font.palette_index) if pdf.render_color_fonts else None
    pdf.fonts[font.fontkey] = font


def pdf_bytes(report: Report) -> bytes:
    """The report as an A4 PDF with its fonts embedded, tagged with its title, author and language."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from ecomap.render.fonts import drawable, fallback_fonts, needs_fallback

    class _Document(FPDF):
        with_fallbacks = False

        def normalize_text(self, text: str) -> str:
            """Every text of the page, with what no font has replaced visibly (never an empty box); the
            fallback fonts for emoji and symbols are added the first time a text needs them (they take
            about 100 ms to read the first time in a process, and a subset of them is embedded)."""
            drawn = drawable(text)
            if not self.with_fallbacks and needs_fallback(drawn):
                self.with_fallbacks = True
                names = [f"Fallback{index}" for index, _path in enumerate(fallback_fonts())]
                for name, path in zip(names, fallback_fonts(), strict=True):
                    _add_font(self, name, "", path)
                self.set_fallback_fonts(names, exact_match=False)  # in any style of DejaVu Sans
            return super().normalize_text(drawn)

        def footer(self) -> None:
            self.set_y(-10)
            self.set_font("DejaVu", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, f"{report.title} · {self.page_no()}/{{nb}}", align="C")

    pdf = _Document(format="A4", unit="mm")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=13)
    quotes = any(isinstance(block, Paragraph) and block.style == "quote" for block in report.blocks)
    for style in ("", "B", "I") if quotes else ("", "B"):  # each face read once a process (:func:`_parsed_face`)
        _add_font(pdf, "DejaVu", style, font_path(style))
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


#: What fpdf2's line breaking treats specially (other spaces, a soft hyphen, a line or page break): a
#: text holding one is broken by fpdf2 itself.
_SPECIAL_CHARACTERS = frozenset(
    "\u200b\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000\t\u00a0\u00ad\n\r\u000c"
)


def _lines(pdf: object, width: float, text: str) -> list[str] | None:
    """``text`` broken into lines as fpdf2's ``multi_cell`` breaks it in a cell ``width`` wide, left
    aligned, in the current font: at the last space that fits, or inside a word longer than a line.
    One pass over its characters, where fpdf2 measures each line again for every character it adds
    (about a fifth of the attachment's time). None when fpdf2 must break it itself: a text with a
    character only a fallback font has, or one of :data:`_SPECIAL_CHARACTERS`.
    """
    from fpdf import FPDF
    from fpdf.fonts import TTFFont
    from fpdf.util import FloatTolerance

    from ecomap.render.fonts import needs_fallback

    assert isinstance(pdf, FPDF)
    text = pdf.normalize_text(text)
    font = pdf.current_font
    if not isinstance(font, TTFFont) or needs_fallback(text) or not _SPECIAL_CHARACTERS.isdisjoint(text):
        return None
    if pdf.char_spacing or pdf.font_stretching != 100:
        return None
    widths, size, k = font.cw, pdf.font_size_pt, pdf.k
    room = width - pdf.c_margin - pdf.c_margin
    lines: list[str] = []
    start, space, index = 0, -1, 0  # where the line starts, its last space, the character
    units = 0.0  # the line's width in the font's units (whole numbers, so summed exactly, as fpdf2 sums them)
    while index < len(text):
        character = text[index]
        unit = widths[ord(character)]
        if FloatTolerance.greater_than(units * size * 0.001 / k + unit * size * 0.001 / k, room):
            if character == " ":  # a space at the end of a line is left out
                lines.append(text[start:index])
                index += 1
            elif space >= 0:  # the line ends before its last space
                lines.append(text[start:space])
                index = space + 1
            else:  # a word wider than a line is broken where it must be
                lines.append(text[start:index])
            start, units, space = index, 0.0, -1
            continue
        if character == " ":
            space = index
        units += unit
        index += 1
    if units:
        lines.append(text[start:])
    return lines or [""]


def _kept_whole(pdf: object, width: float, text: str) -> list[str] | None:
    """``text`` broken into lines (:func:`_lines`), after starting a new page when it would not fit whole
    in a cell ``width`` wide in what is left of this one (and fits on a page)."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    lines = _lines(pdf, width, text)
    broken = (
        lines if lines is not None else pdf.multi_cell(width, LINE_MM, text, align="L", dry_run=True, output="LINES")
    )
    assert isinstance(broken, list)
    height = len(broken) * LINE_MM
    if pdf.get_y() + height > pdf.page_break_trigger and height <= pdf.page_break_trigger - pdf.t_margin:
        pdf.add_page()
    return lines


def _write(pdf: object, width: float, text: str, lines: list[str] | None) -> None:
    """``text`` in a cell ``width`` wide from where the page is, left aligned, a line of :data:`LINE_MM`
    each, as ``lines`` (:func:`_lines`; None leaves the breaking to fpdf2); then the next line starts
    at the left margin."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    assert isinstance(pdf, FPDF)
    if lines is None:
        pdf.multi_cell(width, LINE_MM, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        pdf.cell(width, LINE_MM, line, align="L", new_x=XPos.LMARGIN if last else XPos.LEFT, new_y=YPos.NEXT)


def _embedded(pdf: object, raster: PILImage) -> str:
    """The name under which ``raster`` is kept in the document's images, as its PNG's compressed rows
    (:func:`~ecomap.render.static.png_rows`): fpdf2 would compress its pixels again, more slowly, and
    read them twice more to name them."""
    from fpdf import FPDF
    from fpdf.image_datastructures import RasterImageInfo

    from ecomap.render.static import png_rows

    assert isinstance(pdf, FPDF)
    if raster.mode != "RGB":
        raster = raster.convert("RGB")
    width, height = raster.size
    name = f"ecomap-picture-{len(pdf.image_cache.images) + 1}"
    pdf.image_cache.images[name] = RasterImageInfo(
        data=png_rows(raster),
        w=width,
        h=height,
        cs="DeviceRGB",
        iccp=None,
        bpc=8,
        dpn=3,
        f="FlateDecode",
        inverted=False,
        dp=f"/Predictor 15 /Colors 3 /Columns {width}",
        i=len(pdf.image_cache.images) + 1,
        usages=0,
        iccp_i=None,
    )
    return name


def _pdf_block(pdf: object, block: Block) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    assert isinstance(pdf, FPDF)
    pdf.set_text_color(17, 17, 17)
    if isinstance(block, Facts):
        from fpdf.fonts import FontFace

        pdf.set_font("DejaVu", size=BODY_POINTS + 0.5)
        label_share = FACT_LABEL_MM / pdf.epw
        with pdf.table(
            col_widths=(label_share, 1 - label_share),
            line_height=FACT_LINE_MM,
            text_align="LEFT",
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            padding=(0.6, 1.2),
        ) as table:
            for label, value in block.rows:
                cells = table.row()
                cells.cell(label, style=FontFace(emphasis="BOLD"))
                cells.cell(value)
        pdf.ln(1.5)
    elif isinstance(block, Picture):
        # The map stays on the first page under the record's facts: narrower if it must, never split.
        room = pdf.page_break_trigger - pdf.get_y() - 1
        width = min(block.width_mm, room * block.raster.width / block.raster.height)
        pdf.image(_embedded(pdf, block.raster), x=(pdf.w - width) / 2, w=width, alt_text=block.alt)
        pdf.ln(2)
    elif isinstance(block, Heading):
        if pdf.get_y() > pdf.h - 28:
            pdf.add_page()
        pdf.ln(1)
        pdf.start_section(block.text, level=block.level - 1)
        pdf.set_font("DejaVu", "B", 10.5 if block.level == 1 else 9)
        pdf.set_text_color(27, 95, 87)
        pdf.multi_cell(0, 4.6, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Paragraph):
        style, size = {"quote": ("I", BODY_POINTS), "small": ("", BODY_POINTS - 1)}.get(block.style, ("", BODY_POINTS))
        pdf.set_font("DejaVu", style, size)
        indent = 4 if block.style == "quote" else 0
        lines = _kept_whole(pdf, pdf.epw - indent, block.text)
        pdf.set_x(pdf.l_margin + indent)
        _write(pdf, pdf.epw - indent, block.text, lines)
        pdf.ln(0.5)
    elif isinstance(block, Bullets):
        pdf.set_font("DejaVu", size=BODY_POINTS)
        for item in block.items:
            lines = _kept_whole(pdf, pdf.epw - 5, item)
            pdf.set_x(pdf.l_margin + 1)
            pdf.cell(4, LINE_MM, "•")
            _write(pdf, pdf.epw - 5, item, lines)
            pdf.ln(0.3)
    else:
        pdf.set_font("DejaVu", size=9)
        with pdf.table(
            col_widths=(55, 21, 13, 11), line_height=LINE_MM, text_align="LEFT", first_row_as_headings=True
        ) as table:
            for row in (block.header, *block.rows):
                cells = table.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(2)


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
            facts = document.add_table(rows=0, cols=2)
            facts.style = "Table Grid"
            for label, value in block.rows:
                left, right = facts.add_row().cells
                left.width, right.width = Mm(FACT_LABEL_MM), Mm(180 - FACT_LABEL_MM)
                left.paragraphs[0].add_run(label).bold = True
                right.paragraphs[0].add_run(value)
            document.add_paragraph()
        elif isinstance(block, Picture):
            document.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
            document.inline_shapes[-1]._inline.docPr.set("descr", block.alt)
        elif isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            style = {"quote": "Quote", "small": None}.get(block.style)
            paragraph = document.add_paragraph(block.text, style=style)
            paragraph.paragraph_format.keep_together = True
            if block.style == "small":
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet").paragraph_format.keep_together = True
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
