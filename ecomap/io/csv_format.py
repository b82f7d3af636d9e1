"""Ties as CSV: one row per tie, with the columns a spreadsheet user expects.

Written with readable headings and vocabulary values; read back from the same headings
or the field names, with values as written here or as their English labels. A cell that
a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe, and the apostrophe is taken off
again on import (a cell that already starts with apostrophes before such a character gets one
more, so that it too comes back as it was).

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
import math
import re
from typing import Any

from ecomap.errors import MapInvalid, Problem
from ecomap.io.base import NO_SUPPORT, Draft, Imported, check_ties, directions, shown, text_of, tie_role
from ecomap.model import MAX_TIES, SCHEMA_VERSION, EcoMap, Tie
from ecomap.vocab import VOCABULARIES

__all__ = [
    "COLUMNS",
    "DELIMITERS",
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


def _neutralised(cell: str) -> bool:
    """Whether a cell reads as one :func:`neutralise` wrote: apostrophes, then what starts a formula."""
    return cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula; one that already reads as neutralised gets one
    apostrophe more, so that the import gives back the text exactly.

    >>> neutralise("'=x"), neutralise("'Taid'")
    ("''=x", "'Taid'")
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) or _neutralised(cell) else cell


def _restore(cell: str) -> str:
    return cell[1:] if _neutralised(cell) else cell


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
        row["angle"] = _number_cell(tie.position.angle) if tie.position else ""
        row["distance"] = _number_cell(tie.position.distance) if tie.position else ""
        writer.writerow([neutralise(str(row[name])) for _, name in COLUMNS])
    return buffer.getvalue()


def _number_cell(number: float) -> str:
    """A number as a cell: as short as it can be written and read back the same (``30``, ``0.35``, ``100.81234567``).

    >>> _number_cell(30.0), _number_cell(0.35), _number_cell(100.81234567)
    ('30', '0.35', '100.81234567')
    """
    short = f"{number:g}"
    return short if float(short) == number else repr(number)


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


#: The cell separators a CSV may use (a spreadsheet set to Welsh or German writes ``;``), tried in this order.
DELIMITERS = (",", ";", "\t")


def read(data: bytes, *, person_name: str) -> Imported:
    """A CSV of ties (one per row) as an :class:`Imported` map for ``person_name``.

    The separator is the first of :data:`DELIMITERS` that gives a Name heading. A row is a record
    of the file (a cell may hold line breaks); every problem names its row, and its column.
    """
    text = text_of(data)
    rows = _rows(text, _delimiter(text), most=MAX_TIES + 1)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MapInvalid([Problem("row 1", "the file has no heading row")])
    headings = [cell.strip() for cell in rows[0]]
    fields = [_FIELD_BY_HEADING.get(heading.casefold()) for heading in headings]
    if "name" not in fields:
        found = ", ".join(map(shown, headings[:5])) + (f", … {len(headings) - 5:,} more" if len(headings) > 5 else "")
        raise MapInvalid([Problem("row 1", f"no 'Name' column (found: {found})")])
    _check_headings(headings, fields)
    ties = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    check_ties(len(ties), "rows of ties", counted=False)
    draft = Draft(SOURCE, locate=_locate)
    previous = _previous_release(fields, draft)
    ids = _ids(ties, fields, draft)
    knows: dict[str, tuple[str, str]] = {}
    for number, row in ties:
        cells = {
            field: _cell(cell, strip=field not in _AS_WRITTEN)
            for field, cell in zip(fields, row, strict=False)
            if field
        }
        extra = {
            heading: _cell(cell)
            for heading, field, cell in zip(headings, fields, row, strict=False)
            if field is None and heading and cell.strip()
        }
        for column, cell in enumerate(row, start=1):
            if cell.strip() and (column > len(headings) or not headings[column - 1]):
                draft.problems.append(
                    Problem(f"row {number}, column {column}", f"{shown(cell.strip())} has no heading")
                )
        tie = _tie(f"row {number}", ids[number], cells, extra, draft, previous=previous)
        if tie is not None:
            knows[tie["id"]] = (f"row {number}", cells.get("knows", ""))
            draft.add(tie, f"row {number}")
    names = {tie["id"]: tie["name"] for tie in draft.ties}
    for tie_id, (row_place, cell) in knows.items():
        for other in _known(cell, names):
            if other not in names:
                draft.problems.append(
                    Problem(f"{row_place}, column Knows", f"{shown(other)} is not the id of a tie in the file")
                )
            else:
                draft.link(tie_id, other)
    return draft.imported(person_name, schema_version=1 if previous else SCHEMA_VERSION)


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


def _known(cell: str, names: dict[str, str]) -> list[str]:
    """The ties a Knows cell names: ids separated by ``;``, each may be followed by its name in brackets.

    The name may hold anything, a ``;`` or a bracket too: after an id, the tie's own name in brackets
    is passed over whole; a name written otherwise runs to the next ``)``. Anything else is kept as
    written, to be said as no tie's id.

    >>> _known("t2 (Mam; Dad); t3 (x) ; t4", {"t2": "Mam; Dad", "t3": "Taid", "t4": "Nain"})
    ['t2', 't3', 't4']
    >>> _known("Nain and Taid; t9", {})
    ['Nain and Taid', 't9']
    """
    found: list[str] = []
    at = 0
    while True:
        while at < len(cell) and cell[at] in " ;":
            at += 1
        if at >= len(cell):
            return found
        match = _ID.match(cell, at)
        tie_id = match[0] if match else ""
        after = at + len(tie_id)
        named = f" ({names[tie_id]})" if tie_id in names else None
        if named and cell.startswith(named, after):
            after += len(named)
        elif tie_id and cell.startswith(" (", after) and ")" in cell[after:]:
            after = cell.index(")", after) + 1
        end = cell.find(";", after)
        end = len(cell) if end < 0 else end
        found.append(tie_id if tie_id and not cell[after:end].strip() else cell[at:end].strip())
        at = end


def _delimiter(text: str) -> str:
    """The first separator of :data:`DELIMITERS` whose heading row has a Name column (else a comma)."""
    for delimiter in DELIMITERS:
        headings = next(iter(_rows(text, delimiter, first=True)), [])
        if "name" in (_FIELD_BY_HEADING.get(heading.strip().casefold()) for heading in headings):
            return delimiter
    return DELIMITERS[0]


def _rows(text: str, delimiter: str, *, first: bool = False, most: int | None = None) -> list[list[str]]:
    """The file's records: just the first with ``first``; with ``most``, up to that many after the heading row
    that are not blank, so that a file of a million rows stops at once. A cell over the ``csv`` module's
    limit is said with its row.

    Line breaks may be ``\\r\\n``, ``\\n`` or an old Mac's ``\\r``, between rows and inside quoted cells.
    """
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    rows: list[list[str]] = []
    filled = 0
    try:
        for row in reader:
            rows.append(row)
            filled += len(rows) > 1 and any(cell.strip() for cell in row)
            if first or (most is not None and filled > most):
                break
    except csv.Error as exc:
        limit = csv.field_size_limit()
        too_long = "field limit" in str(exc)
        message = f"a cell is longer than {limit:,} characters, the most Ecomap reads" if too_long else str(exc)
        raise MapInvalid([Problem(f"row {len(rows) + 1}", message)]) from None
    return rows


#: The fields whose cells are read as written, spaces and line breaks at either end too: the texts of several lines.
_AS_WRITTEN = frozenset(("own_words", "notes"))


def _cell(cell: str, *, strip: bool = True) -> str:
    """A cell as a tie's field holds it: trimmed, a neutralised formula restored, a line break written ``\\n``."""
    return _restore((cell.strip() if strip else cell).replace("\r\n", "\n").replace("\r", "\n"))


def _check_headings(headings: list[str], fields: list[str | None]) -> None:
    """Refuse a heading row with one column twice (``Notes`` and ``notes``): one of them would be lost."""
    first: dict[str, int] = {}
    problems = []
    for column, (heading, field) in enumerate(zip(headings, fields, strict=True), start=1):
        key = field or heading.casefold()
        if not heading:
            continue
        if key in first:
            what = _heading(field) if field else shown(headings[first[key] - 1])
            problems.append(
                Problem(
                    f"row 1, column {column}",
                    f"{shown(heading)} is a second {what} column (the first is column {first[key]})",
                )
            )
        else:
            first[key] = column
    if problems:
        raise MapInvalid(problems)


def _ids(ties: list[tuple[int, list[str]]], fields: list[str | None], draft: Draft) -> dict[int, str]:
    """Each row's tie id: its Id cell, or else the first ``t1``, ``t2``, ... that no row's Id cell holds.

    An Id twice is a problem naming both rows: the two would be one tie, and one of them lost.
    """
    column = fields.index("id") if "id" in fields else None
    written: dict[str, int] = {}
    for number, row in ties:
        tie_id = _cell(row[column]) if column is not None and column < len(row) else ""
        if tie_id in written:
            draft.problems.append(
                Problem(f"row {number}, column Id", f"{shown(tie_id)} is also the id in row {written[tie_id]}")
            )
        elif tie_id:
            written[tie_id] = number
    free = (f"t{n}" for n in range(1, len(ties) + len(written) + 2) if f"t{n}" not in written)
    ids = {number: tie_id for tie_id, number in written.items()}
    return {number: ids.get(number) or next(free) for number, _ in ties}


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
    row: str, tie_id: str, cells: dict[str, str], extra: dict[str, str], draft: Draft, *, previous: bool = False
) -> dict[str, Any] | None:
    """The tie in one row, or None (with the problem noted) when it has no name.

    With ``previous`` the row is in the release before's terms (format version 1): its flow and
    its list of kinds are kept as they are, for the model's upgrade to give each kind its direction.
    """
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
            draft.problems.append(Problem(f"{row}, column {_heading(field)}", f"{shown(cell)} is not one of {allowed}"))
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
        draft.problems.append(Problem(f"{row}, column Stressful", f"{shown(cells['stressful'])} is not yes or no"))
    if previous:
        tie["support"] = _kinds(row, "support", cells, draft)
    elif cells.get("gets") or cells.get("gives"):
        tie["support"] = directions(_kinds(row, "gets", cells, draft), _kinds(row, "gives", cells, draft))
    tie["own_words"] = cells.get("own_words", "")
    tie["notes"] = draft.notes_with(cells.get("notes", ""), extra)
    if cells.get("angle") or cells.get("distance"):
        position = {field: _number(row, field, cells, draft) for field in ("angle", "distance")}
        if None not in position.values():
            tie["position"] = position
    return tie


def _number(row: str, field: str, cells: dict[str, str], draft: Draft) -> float | None:
    """The Angle or Distance cell as a finite number, or None with the problem noted."""
    cell = cells.get(field, "")
    where = f"{row}, column {_heading(field)}"
    if not cell:
        draft.problems.append(Problem(where, "is empty; a tie is placed by its Angle and Distance together"))
        return None
    try:
        number = float(cell)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        draft.problems.append(Problem(where, f"must be a number, not {shown(cell)}"))
        return None
    return number


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
                Problem(f"{row}, column {_heading(field)}", f"{shown(part)} is not one of {allowed} (or {NO_SUPPORT})")
            )
        elif value not in kinds:
            kinds.append(value)
    return kinds


def _heading(field: str) -> str:
    return next((heading for heading, name in COLUMNS + PREVIOUS_COLUMNS if name == field), field)


def _locate(place: str, field: str) -> str:
    """A tie's field (``name``, ``position.angle``) said as the row's column (``row 4, column Angle``)."""
    column = field.split(".")[1] if field.startswith("position.") else field.split(".")[0].split("[")[0]
    return f"{place}, column {_heading(column)}" if column else place
