"""Every export format in one table, and the two doors: :func:`export` and :func:`import_file`.

Examples
--------
>>> sorted(EXPORTS)
['.csv', '.docx', '.graphml', '.html', '.json', '.pdf', '.png', '.svg']
>>> from ecomap.model import example
>>> export(example(), ".json")[:1]
b'{'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from ecomap.errors import MapInvalid, Problem
from ecomap.i18n import Translator, translator
from ecomap.io.base import Imported, check_size
from ecomap.model import EcoMap, dumps, parse_json
from ecomap.report import ReportContext
from ecomap.vocab import N_


@dataclass(frozen=True)
class ExportFormat:
    suffix: str
    label: str
    mime: str
    help: str


EXPORTS: dict[str, ExportFormat] = {
    f.suffix: f
    for f in (
        ExportFormat(".pdf", N_("Assessment attachment (PDF)"), "application/pdf",
                     N_("The map, its legend and what it says, on A4, to attach to an assessment")),
        ExportFormat(".docx", N_("Assessment attachment (Word)"),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     N_("The same attachment as a Word document, to edit or paste into a case record")),
        ExportFormat(".png", N_("Picture (PNG)"), "image/png", N_("The map as a picture, at print resolution")),
        ExportFormat(".svg", N_("Picture (SVG)"), "image/svg+xml",
                     N_("The map as a drawing that stays sharp at any size")),
        ExportFormat(".html", N_("Interactive map (HTML)"), "text/html",
                     N_("An interactive copy of the map that opens in any browser, without internet")),
        ExportFormat(".json", N_("Map file (JSON)"), "application/json",
                     N_("The whole map in Ecomap's own format, to keep or to open elsewhere")),
        ExportFormat(".csv", N_("Ties as a spreadsheet (CSV)"), "text/csv", N_("One row per tie, for a spreadsheet")),
        ExportFormat(".graphml", N_("Network file (GraphML)"), "application/graphml+xml",
                     N_("For network tools such as Gephi, yEd or networkx")),
    )
}  # fmt: skip


def export(
    m: EcoMap,
    suffix: str,
    *,
    t: Translator | None = None,
    pseudonymise: bool = False,
    image: bool = False,
    context: ReportContext | None = None,
) -> bytes:
    """The map in the format named by ``suffix`` (``.pdf`` is the attachment unless ``image``)."""
    suffix = suffix.lower()
    if suffix not in EXPORTS:
        raise ValueError(f"Ecomap cannot write {suffix or 'files without an ending'}: use {', '.join(EXPORTS)}")
    t = t or translator()
    if pseudonymise:
        from ecomap.pseudonym import pseudonymise as take_names_out

        m = take_names_out(m, t=t)
        context = ReportContext(version=context.version, saved_at=context.saved_at) if context else None
    if suffix in (".png", ".svg") or (suffix == ".pdf" and image):
        from ecomap.render.static import Caption
        from ecomap.render.static import image as picture

        caption = Caption(
            m.person.name, context.version if context else None, (context and context.saved_at) or m.created
        )
        return picture(m, suffix[1:], t=t, caption=caption)  # type: ignore[arg-type]
    if suffix in (".pdf", ".docx"):
        from ecomap.report import attachment

        return attachment(m, suffix[1:], t=t, context=context)
    if suffix == ".html":
        from ecomap.render.standalone import standalone_html

        return standalone_html(m, t=t).encode("utf-8")
    if suffix == ".csv":
        from ecomap.io import csv_format

        return csv_format.as_bytes(m)
    if suffix == ".graphml":
        from ecomap.io import graphml

        return graphml.write(m)
    return dumps(m).encode("utf-8")


def file_name(m: EcoMap, suffix: str, *, pseudonymised: bool = False) -> str:
    """A safe file name for an export: the person's name in plain letters, or ``ecomap``.

    >>> from ecomap.model import example
    >>> file_name(example(), ".pdf"), file_name(example(), ".png", pseudonymised=True)
    ('ecomap-alys-pritchard.pdf', 'ecomap.png')
    """
    import re
    import unicodedata

    if pseudonymised:
        return f"ecomap{suffix}"
    plain = unicodedata.normalize("NFKD", m.person.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40]
    return f"ecomap-{slug}{suffix}" if slug else f"ecomap{suffix}"


IMPORT_SUFFIXES = (".json", ".csv", ".graphml", ".xml")


def import_bytes(data: bytes, name: str, *, person_name: str = "", graph: int = 0) -> Imported:
    """Read a map from another file; the format comes from the name's ending and the content."""
    check_size(len(data))
    suffix = PurePath(name).suffix.lower()
    fallback = person_name or PurePath(name).stem.replace("_", " ").replace("-", " ").strip()
    if suffix == ".json":
        from ecomap.io import easynwk

        document = parse_json(data)
        if isinstance(document, dict) and "schema_version" in document:
            return Imported(EcoMap.from_dict(document), "Ecomap JSON")
        if easynwk.looks_like(document):
            return easynwk.read(data, person_name=fallback)
        raise MapInvalid([Problem("", "not an Ecomap map or an easyNWK file: neither 'schema_version' nor 'versions'")])
    if suffix == ".csv":
        from ecomap.io import csv_format

        return csv_format.read(data, person_name=fallback)
    if suffix in (".graphml", ".xml"):
        from ecomap.io import graphml

        return graphml.read(data, person_name=fallback, graph=graph)
    raise MapInvalid([Problem("", f"Ecomap imports {', '.join(IMPORT_SUFFIXES)} files, not '{suffix or name}'")])


def import_file(path: str | Path, *, person_name: str = "", graph: int = 0) -> Imported:
    """:func:`import_bytes` for a file on disk, refusing one too large before reading it."""
    path = Path(path)
    try:
        check_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise MapInvalid([Problem("", exc.strerror or "cannot be read")]) from None
    return import_bytes(data, path.name, person_name=person_name, graph=graph)
