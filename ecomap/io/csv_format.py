"""Ties as CSV: one row per tie, with the columns a spreadsheet user expects.

Written with readable headings and vocabulary values; read back from the same headings
or the field names, with values as written here or as their English labels. A cell that
a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe, and the apostrophe is taken off
again on import.

Support has two columns: **Gets**, the kinds of support the person gets from the tie, and
**Gives**, the kinds they give it (``emotional``, ``practical``, ``information``, ``social``, or
their labels, separated by ``;``); a kind in both goes both ways. Both cells empty means support
has not been talked about yet; the word ``none`` means it has, and there is none that way (a
tie with none either way says ``none`` in both).

A CSV from the release before (map format version 1) has the columns **Support flows** (one
flow for the tie) and **Kinds of support** instead; it is read with the same meaning the model's
upgrade of a version 1 map gives it (each kind goes the tie's one way; with no flow the person
gets it; a flow without kinds is kept in the notes).

Examples
--------
>>> from ecomap.model import example
>>> write(example()).splitlines()[0].split(",")[:4]
['Id', 'Name', 'Role', 'Kind']
>>> write(example()).splitlines()[1].split(",")[7:9]
['emotional', 'emotional']
>>> neutralise("=HYPERLINK(1)"), neutralise("-2"), neutralise("Mam")
("'=HYPERLINK(1)", "'-2", 'Mam')
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import NO_SUPPORT, Draft, Imported, directions, text_of, tie_role
from ecomap.model import SCHEMA_VERSION, EcoMap, Tie
from ecomap.vocab import VOCABULARIES

__all__ = [
    "COLUMNS",
    "FORMULA_STARTS",
    "NO_SUPPORT_WORDS",
    "PREVIOUS_COLUMNS",
    "SOURCE",
    "TEMPLATE_NOTES",
    "as_bytes",
    "neutralise",
    "read",
    "support_cells",
    "template",
    "write",
]

#: The format's name in :attr:`~ecomap.io.base.Imported.source`.
SOURCE = "CSV"
#: What a cell starts with when a spreadsheet would run it as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Each column's heading, and the tie field it holds.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Id", "id"),
    ("Name", "name"),
    ("Role", "role"),
    ("Kind", "kind"),
    ("Sector", "sector"),
    ("Strength", "strength"),
    ("Stressful", "stressful"),
    ("Gets", "gets"),
    ("Gives", "gives"),
    ("Contact", "frequency"),
    ("Status", "status"),
    ("Own words", "own_words"),
    ("Notes", "notes"),
    ("Knows", "knows"),
    ("Angle", "angle"),
    ("Distance", "distance"),
)
#: The support columns of the release before (map format version 1): still read, never written.
PREVIOUS_COLUMNS: tuple[tuple[str, str], ...] = (("Support flows", "flow"), ("Kinds of support", "support"))
#: The words a Gets or Gives cell says "asked: none that way" with (English and Welsh), the first one written.
NO_SUPPORT_WORDS = (NO_SUPPORT, "dim")
_FIELD_BY_HEADING = {key.casefold(): name for heading, name in COLUMNS + PREVIOUS_COLUMNS for key in (heading, name)}
_YES = {"yes", "y", "true", "1", "ie", "do"}
_NO = {"no", "n", "false", "0", "", "na", "naddo"}


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _restore(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def support_cells(tie: Tie) -> tuple[str, str]:
    """The tie's Gets and Gives cells: empty when support has not been asked, ``none`` for nothing that way.

    >>> from ecomap.model import example
    >>> mam = example().tie("t1")
    >>> support_cells(mam), support_cells(mam.model_copy(update={"support": {"practical": "gives"}}))
    (('emotional', 'emotional'), ('none', 'practical'))
    >>> support_cells(mam.model_copy(update={"support": {}})), support_cells(mam.model_copy(update={"support": None}))
    (('none', 'none'), ('', ''))
    """
    if tie.support is None:
        return "", ""
    return "; ".join(tie.gets) or NO_SUPPORT, "; ".join(tie.gives) or NO_SUPPORT


def write(m: EcoMap) -> str:
    """The ties as CSV text (UTF-8 with a byte-order mark is what :func:`as_bytes` gives)."""
    names = {tie.id: tie.name for tie in m.ties}
    knows: dict[str, list[str]] = {tie.id: [] for tie in m.ties}
    for link in m.links:
        a, b = link.between
        knows[a].append(b)
        knows[b].append(a)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for heading, _ in COLUMNS])
    for tie in m.ties:
        row: dict[str, Any] = tie.model_dump(mode="json")
        row["stressful"] = "yes" if tie.stressful else "no"
        row["gets"], row["gives"] = support_cells(tie)
        row["frequency"] = tie.frequency or ""
        row["knows"] = "; ".join(f"{other} ({names[other]})" for other in knows[tie.id])
        row["angle"] = f"{tie.position.angle:g}" if tie.position else ""
        row["distance"] = f"{tie.position.distance:g}" if tie.position else ""
        writer.writerow([neutralise(str(row[name])) for _, name in COLUMNS])
    return buffer.getvalue()


def as_bytes(m: EcoMap) -> bytes:
    """CSV bytes that spreadsheets open with every letter right (UTF-8 with a byte-order mark)."""
    return write(m).encode("utf-8-sig")


#: The template's example row says how to fill in its support columns, in its notes.
TEMPLATE_NOTES = (
    "Gets: the kinds of support the person gets from this tie; Gives: the kinds they give it "
    "(emotional, practical, information, social; separate them with ;). A kind in both goes both ways. "
    "Leave both empty if support has not been talked about yet; write none if it has and there is none that way."
)


def template() -> bytes:
    """An empty CSV with the headings and one example row, for filling in by hand; its notes say how.

    >>> rows = template().decode("utf-8-sig").splitlines()
    >>> rows[1].split(",")[7:9]
    ['emotional; practical', 'emotional']
    """
    from ecomap.model import example

    mam = example().with_tie_fields("t1", support={"emotional": "both", "practical": "gets"}, notes=TEMPLATE_NOTES)
    return as_bytes(mam)


def _value(vocabulary: str, cell: str) -> str | None:
    """A vocabulary value from a cell holding the value or its English label."""
    wanted = cell.strip().casefold().replace(" ", "_")
    for value, term in VOCABULARIES[vocabulary].items():
        if wanted in (value, term.label.casefold().replace(" ", "_")):
            return value
    return None


def read(data: bytes, *, person_name: str) -> Imported:
    """A CSV of ties (one per row) as an :class:`Imported` map for ``person_name``."""
    text = text_of(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MapInvalid([Problem("row 1", "the file has no heading row")])
    headings = [cell.strip() for cell in rows[0]]
    fields = [_FIELD_BY_HEADING.get(heading.casefold()) for heading in headings]
    if "name" not in fields:
        raise MapInvalid([Problem("row 1", f"no 'Name' column (found: {', '.join(headings)})")])
    draft = Draft(SOURCE)
    previous = _previous_release(fields, draft)
    knows: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {field: _restore(cell.strip()) for field, cell in zip(fields, row, strict=False) if field}
        extra = {
            heading: _restore(cell.strip())
            for heading, field, cell in zip(headings, fields, row, strict=False)
            if field is None and heading and cell.strip()
        }
        tie = _tie(f"row {number}", cells, extra, draft, previous=previous)
        if tie is not None:
            knows[tie["id"]] = cells.get("knows", "")
            draft.ties.append(tie)
    ids = {tie["id"] for tie in draft.ties}
    for tie_id, cell in knows.items():
        for part in cell.split(";"):
            other = part.strip().split(" (", 1)[0].strip()
            if other and other not in ids:
                draft.problems.append(
                    Problem(f"tie {tie_id}, column Knows", f"{other!r} is not the id of a tie in the file")
                )
            elif other:
                draft.link(tie_id, other)
    try:
        return draft.imported(person_name, schema_version=1 if previous else SCHEMA_VERSION)
    except MapInvalid as exc:
        raise MapInvalid([_row_problem(p, draft.ties) for p in exc.problems]) from None


def _previous_release(fields: list[str | None], draft: Draft) -> bool:
    """Whether the support is in the release before's columns (one flow and the kinds), to read as version 1."""
    new, old = {"gets", "gives"} & set(fields), {"flow", "support"} & set(fields)
    if new and old:
        draft.notes.append(
            "The file has the Gets and Gives columns and the earlier Support flows or Kinds of support: "
            "Gets and Gives are read, the earlier columns are not."
        )
    elif old:
        draft.notes.append(
            "The file was written by an earlier release of Ecomap, with one flow of support for each tie: "
            "each kind of support is taken to go that way (to the person when no flow is given)."
        )
    return bool(old) and not new


def _tie(
    row: str, cells: dict[str, str], extra: dict[str, str], draft: Draft, *, previous: bool = False
) -> dict[str, Any] | None:
    """The tie in one row, or None (with the problem noted) when it has no name.

    With ``previous`` the row is in the release before's terms (format version 1): its flow and
    its list of kinds are kept as they are, for the model's upgrade to give each kind its direction.
    """
    tie_id = cells.get("id") or f"t{len(draft.ties) + 1}"
    if not cells.get("name"):
        draft.problems.append(Problem(f"{row}, column Name", "is empty"))
        return None
    tie: dict[str, Any] = {"id": tie_id, "name": cells["name"]}
    for field in ("kind", "sector", "strength", "frequency", "status", *(("flow",) if previous else ())):
        cell = cells.get(field, "")
        if not cell:
            continue
        value = _value(field, cell)
        if value is None:
            allowed = ", ".join(VOCABULARIES[field])
            draft.problems.append(Problem(f"{row}, column {_heading(field)}", f"{cell!r} is not one of {allowed}"))
        else:
            tie[field] = value
    written = cells.get("role", "")
    if "sector" in tie:
        # A row that gives its sector is in Ecomap's own terms, as written here: its role is kept word for word.
        tie.update(tie_role(written, sector=tie["sector"], kind=tie.get("kind")).fields(), role=written)
    else:
        tie.update(draft.role(tie_id, written, kind=tie.get("kind")).fields())
    stressful = cells.get("stressful", "").casefold()
    if stressful in _YES:
        tie["stressful"] = True
    elif stressful not in _NO:
        draft.problems.append(Problem(f"{row}, column Stressful", f"{cells['stressful']!r} is not yes or no"))
    if previous:
        tie["support"] = _kinds(row, "support", cells, draft)
    elif cells.get("gets") or cells.get("gives"):
        tie["support"] = directions(_kinds(row, "gets", cells, draft), _kinds(row, "gives", cells, draft))
    tie["own_words"] = cells.get("own_words", "")
    tie["notes"] = draft.notes_with(cells.get("notes", ""), extra)
    angle, distance = cells.get("angle", ""), cells.get("distance", "")
    if angle and distance:
        try:
            tie["position"] = {"angle": float(angle), "distance": float(distance)}
        except ValueError:
            draft.problems.append(Problem(f"{row}, columns Angle and Distance", "expected numbers"))
    return tie


def _kinds(row: str, field: str, cells: dict[str, str], draft: Draft) -> list[str]:
    """The kinds of support a cell lists (values or labels, ``;`` or ``,`` between them); ``none`` lists none."""
    kinds: list[str] = []
    for part in (part.strip() for part in cells.get(field, "").replace(",", ";").split(";")):
        if not part or part.casefold() in NO_SUPPORT_WORDS:
            continue
        value = _value("support", part)
        if value is None:
            allowed = ", ".join(VOCABULARIES["support"])
            draft.problems.append(
                Problem(f"{row}, column {_heading(field)}", f"{part!r} is not one of {allowed} (or {NO_SUPPORT})")
            )
        elif value not in kinds:
            kinds.append(value)
    return kinds


def _heading(field: str) -> str:
    return next((heading for heading, name in COLUMNS + PREVIOUS_COLUMNS if name == field), field)


def _row_problem(problem: Problem, ties: list[dict[str, Any]]) -> Problem:
    """A model problem (``ties[2].name``) said in the spreadsheet's terms (row 4, column Name)."""
    if problem.where.startswith("ties["):
        index, _, rest = problem.where[5:].partition("]")
        field = rest.lstrip(".").split(".")[0].split("[")[0]
        return Problem(f"tie {ties[int(index)]['id']}, column {_heading(field)}", problem.message)
    return problem
