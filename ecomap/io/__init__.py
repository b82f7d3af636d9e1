"""Maps in from other files: :func:`import_file` and :func:`import_bytes` are the door.

The format comes from the file's ending and, for JSON, its content: our own JSON, easyNWK
JSON (``easynwk``), CSV (``csv_format``) or GraphML, Network Canvas's too (``graphml``).
Every importer returns an :class:`~ecomap.io.base.Imported`: the map it would create, and
what the practitioner should look at before saving it (roles Ecomap does not know,
attributes with no place of their own). Nothing is saved here. The shared parts of the
readers live in :mod:`ecomap.io.base`; ``csv_format`` and ``graphml`` write their formats
too, for :mod:`ecomap.exports`.

Examples
--------
>>> from ecomap.model import dumps, example
>>> import_bytes(dumps(example()).encode(), "alys.json").source
'Ecomap JSON'
>>> import_bytes(b"Name,Role\\nNain,nain\\n", "cerys-morgan.csv").map.person.name
'cerys morgan'
"""

from __future__ import annotations

from pathlib import Path, PurePath

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import MAX_PROBLEMS, Imported, at_most, check_size, read_file
from ecomap.model import EcoMap, parse_json

__all__ = ["IMPORT_SUFFIXES", "import_bytes", "import_file"]

#: The file endings Ecomap imports.
IMPORT_SUFFIXES = (".json", ".csv", ".graphml", ".xml")


def import_bytes(data: bytes, name: str, *, person_name: str = "", graph: int = 0) -> Imported:
    """Read a map from another file; the format comes from the name's ending and the content.

    ``person_name`` names the person when the file does not (else the file's name does);
    ``graph`` picks one of several graphs in a GraphML file. Anything wrong raises
    :class:`~ecomap.errors.MapInvalid`, each problem naming its place in the file (the first
    :data:`~ecomap.io.base.MAX_PROBLEMS` of them, and how many more there are).
    """
    try:
        return _read(data, name, person_name=person_name, graph=graph)
    except MapInvalid as exc:
        if len(exc.problems) <= MAX_PROBLEMS:
            raise
        raise type(exc)(at_most(exc.problems)) from None


def _read(data: bytes, name: str, *, person_name: str, graph: int) -> Imported:
    check_size(len(data))
    suffix = PurePath(name).suffix.lower()
    fallback = person_name or PurePath(name).stem.replace("_", " ").replace("-", " ").strip()
    if suffix == ".json":
        from ecomap.io import easynwk

        document = parse_json(data)
        if isinstance(document, dict) and "schema_version" in document:
            return Imported(EcoMap.from_dict(document), "Ecomap JSON")
        if easynwk.looks_like(document):
            return easynwk.read_document(document, person_name=fallback)
        raise MapInvalid([Problem("", "not an Ecomap map or an easyNWK file: neither 'schema_version' nor 'versions'")])
    if suffix == ".csv":
        from ecomap.io import csv_format

        return csv_format.read(data, person_name=fallback)
    if suffix in (".graphml", ".xml"):
        from ecomap.io import graphml

        return graphml.read(data, person_name=fallback, graph=graph)
    raise MapInvalid([Problem("", f"Ecomap imports {', '.join(IMPORT_SUFFIXES)} files, not '{suffix or name}'")])


def import_file(path: str | Path, *, person_name: str = "", graph: int = 0) -> Imported:
    """:func:`import_bytes` for a file on disk (see :func:`~ecomap.io.base.read_file`).

    A folder, a device or a pipe is refused before it is opened, and a file too large before it is read.
    """
    path = Path(path)
    return import_bytes(read_file(path), path.name, person_name=person_name, graph=graph)
