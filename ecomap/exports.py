"""Every export format in one table, each with its writer, and the door to them: :func:`export`.

A writer takes the map and the :class:`ExportOptions` and returns the file's bytes. The
pictures and attachments come from ``render`` and ``report``, the data files from ``io``;
each writer imports what it draws with only when it is called, so importing this module
loads no drawing or document library.

Examples
--------
>>> sorted(EXPORTS)
['.csv', '.docx', '.graphml', '.html', '.json', '.pdf', '.png', '.svg']
>>> from ecomap.model import example
>>> export(example(), ".json")[:1]
b'{'
>>> export(example(), ".gif")
Traceback (most recent call last):
...
ecomap.errors.UnknownFormat: Ecomap cannot write .gif: use .pdf, .docx, .png, .svg, .html, .json, .csv, .graphml
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecomap.errors import UnknownFormat
from ecomap.i18n import Translator, translator
from ecomap.model import EcoMap, dumps
from ecomap.vocab import N_

if TYPE_CHECKING:
    from ecomap.render.static import ImageFormat
    from ecomap.report import ReportContext

__all__ = ["EXPORTS", "ExportFormat", "ExportOptions", "export", "export_format", "file_name"]


@dataclass(frozen=True)
class ExportOptions:
    """What a writer is given besides the map: the files' language, and the report's context.

    ``image`` makes ``.pdf`` the map alone instead of the assessment attachment.
    """

    t: Translator
    image: bool = False
    context: ReportContext | None = None


Writer = Callable[[EcoMap, ExportOptions], bytes]


@dataclass(frozen=True)
class ExportFormat:
    """One kind of file Ecomap writes: its ending, its name and help for people, and its writer."""

    suffix: str
    label: str
    mime: str
    help: str
    writer: Writer


def _picture(m: EcoMap, fmt: ImageFormat, options: ExportOptions) -> bytes:
    from ecomap.render.static import Caption, image

    context = options.context
    when = (context and context.saved_at) or m.created
    caption = Caption(m.person.name, context.version if context else None, when)
    return image(m, fmt, t=options.t, caption=caption)


def _attachment(m: EcoMap, fmt: str, options: ExportOptions) -> bytes:
    from ecomap.report import attachment

    return attachment(m, fmt, t=options.t, context=options.context)


def _pdf(m: EcoMap, options: ExportOptions) -> bytes:
    return _picture(m, "pdf", options) if options.image else _attachment(m, "pdf", options)


def _docx(m: EcoMap, options: ExportOptions) -> bytes:
    return _attachment(m, "docx", options)


def _png(m: EcoMap, options: ExportOptions) -> bytes:
    return _picture(m, "png", options)


def _svg(m: EcoMap, options: ExportOptions) -> bytes:
    return _picture(m, "svg", options)


def _html(m: EcoMap, options: ExportOptions) -> bytes:
    from ecomap.render.standalone import standalone_html

    return standalone_html(m, t=options.t).encode("utf-8")


def _json(m: EcoMap, options: ExportOptions) -> bytes:
    return dumps(m).encode("utf-8")


def _csv(m: EcoMap, options: ExportOptions) -> bytes:
    from ecomap.io import csv_format

    return csv_format.as_bytes(m)


def _graphml(m: EcoMap, options: ExportOptions) -> bytes:
    from ecomap.io import graphml

    return graphml.write(m)


#: Every format Ecomap writes, keyed by its file ending: the attachments, the pictures, then the data files.
EXPORTS: dict[str, ExportFormat] = {
    f.suffix: f
    for f in (
        ExportFormat(".pdf", N_("Assessment attachment (PDF)"), "application/pdf",
                     N_("The map, its legend and what it says, on A4, to attach to an assessment"), _pdf),
        ExportFormat(".docx", N_("Assessment attachment (Word)"),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     N_("The same attachment as a Word document, to edit or paste into a case record"), _docx),
        ExportFormat(".png", N_("Picture (PNG)"), "image/png", N_("The map as a picture, at print resolution"), _png),
        ExportFormat(".svg", N_("Picture (SVG)"), "image/svg+xml",
                     N_("The map as a drawing that stays sharp at any size"), _svg),
        ExportFormat(".html", N_("Interactive map (HTML)"), "text/html",
                     N_("An interactive copy of the map that opens in any browser, without internet"), _html),
        ExportFormat(".json", N_("Map file (JSON)"), "application/json",
                     N_("The whole map in Ecomap's own format, to keep or to open elsewhere"), _json),
        ExportFormat(".csv", N_("Ties as a spreadsheet (CSV)"), "text/csv", N_("One row per tie, for a spreadsheet"),
                     _csv),
        ExportFormat(".graphml", N_("Network file (GraphML)"), "application/graphml+xml",
                     N_("For network tools such as Gephi, yEd or networkx"), _graphml),
    )
}  # fmt: skip


def export_format(suffix: str) -> ExportFormat:
    """The format a file ending names, in any case; :class:`~ecomap.errors.UnknownFormat` if there is none.

    >>> export_format(".PNG").mime
    'image/png'
    """
    suffix = suffix.lower()
    if suffix not in EXPORTS:
        raise UnknownFormat(f"Ecomap cannot write {suffix or 'files without an ending'}: use {', '.join(EXPORTS)}")
    return EXPORTS[suffix]


def export(
    m: EcoMap,
    suffix: str,
    *,
    t: Translator | None = None,
    pseudonymise: bool = False,
    image: bool = False,
    context: ReportContext | None = None,
) -> bytes:
    """The map in the format named by ``suffix`` (``.pdf`` is the attachment unless ``image``).

    With ``pseudonymise`` the names are taken out first, and the report keeps only the
    version and its date of what ``context`` says.

    >>> from ecomap.model import example
    >>> b"Alys" in export(example(), ".csv", pseudonymise=True)
    False
    """
    fmt = export_format(suffix)
    t = t or translator()
    if pseudonymise:
        from ecomap.pseudonym import pseudonymise as take_names_out
        from ecomap.report import ReportContext

        m = take_names_out(m, t=t)
        context = ReportContext(version=context.version, saved_at=context.saved_at) if context else None
    return fmt.writer(m, ExportOptions(t=t, image=image, context=context))


def file_name(m: EcoMap, suffix: str, *, pseudonymised: bool = False) -> str:
    """A safe file name for an export: the person's name in plain letters, or ``ecomap``.

    >>> from ecomap.model import example
    >>> file_name(example(), ".pdf"), file_name(example(), ".png", pseudonymised=True)
    ('ecomap-alys-pritchard.pdf', 'ecomap.png')
    """
    if pseudonymised:
        return f"ecomap{suffix}"
    plain = unicodedata.normalize("NFKD", m.person.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40]
    return f"ecomap-{slug}{suffix}" if slug else f"ecomap{suffix}"
