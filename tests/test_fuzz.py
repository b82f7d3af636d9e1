"""Property-based round trips and fuzzing of every importer.

(a) Random valid maps (Welsh, right-to-left scripts, emoji with joiners and tags, line breaks,
2,000-character notes, every direction of support, not asked yet, the record) survive JSON,
GraphML, CSV (the ties and links it holds) and the store, SQLite and PostgreSQL, unchanged.

(b) Random bytes, and byte and structural mutations of the sample files and of our own exports
of the example maps, fed to :func:`ecomap.io.import_bytes` under every ending and to
:func:`ecomap.model.loads`, give a map or :class:`~ecomap.errors.MapInvalid` with located,
one-line messages: anything else fails. A map that comes back from an importer has every
person the file holds.

The test command runs a bounded number of examples; ``ECOMAP_FUZZ_EXAMPLES=20000`` runs that many
for each test of (b), a twentieth of that for each of (a), and prints how many cases were tried,
refused cleanly, crashed and lost (kept in ``test-artifacts/fuzz-figures.txt`` too).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecomap.errors import MapInvalid, Problem
from ecomap.examples import example_maps
from ecomap.io import IMPORT_SUFFIXES, csv_format, graphml, import_bytes
from ecomap.model import (
    LINE_MAX,
    NAME_MAX,
    ROLE_MAX,
    SCHEMA_VERSION,
    TEXT_MAX,
    TITLE_MAX,
    EcoMap,
    dumps,
    loads,
)
from ecomap.store import LOCAL_USER, Store
from ecomap.vocab import DIRECTIONS, FREQUENCIES, KINDS, ROLES, SECTORS, STATUSES, STRENGTHS, SUPPORTS

SAMPLES = Path(__file__).resolve().parent / "samples"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

#: Examples per test: a bounded run in the test command, or as many as ``ECOMAP_FUZZ_EXAMPLES`` says.
LONG_RUN = int(os.environ.get("ECOMAP_FUZZ_EXAMPLES", "0") or 0)


def budget(examples: int, *, long_run_share: int = 1) -> settings:
    """Hypothesis settings for a test of ``examples`` cases in the bounded run, and ``ECOMAP_FUZZ_EXAMPLES``
    divided by ``long_run_share`` in a long run (a random map takes about 50 ms to make, bytes a millisecond)."""
    return settings(
        max_examples=max(LONG_RUN // long_run_share, examples) if LONG_RUN else examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )


#: What the run has seen: cases tried, maps made, refused cleanly, crashed, lost.
TALLY: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    """After a long run, the figures (cases tried, refused cleanly, crashed, lost): printed, and kept in
    ``test-artifacts/fuzz-figures.txt``."""
    yield
    if LONG_RUN:
        lines = [f"fuzz figures ({LONG_RUN:,} examples a test):"]
        lines += [f"  {what}: {TALLY[what]:,}" for what in ("tried", "map", "refused", "crashed", "lost")]
        lines += [f"  {what}: {count:,}" for what, count in sorted(TALLY.items()) if ":" in what]
        print("\n".join(lines))
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "fuzz-figures.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- (a) random valid maps ----------------------------------------------------------------------

WELSH = ["Siân", "Dafydd ap Gruffudd", "Nain", "Taid", "Côr Meibion Llŷn", "Ŵyr bach", "Gwenllïan", "Ysgol Gymraeg"]
RIGHT_TO_LEFT = ["سارة", "محمد بن علي", "דוד כהן", "שָׁלוֹם", "أمّي"]
EMOJI = ["👩‍👩‍👧‍👦", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "👍🏽", "🧑‍🦽", "❤️", "🐕‍🦺"]
MIXED = [
    "Mam (אמא) 💙",
    "Siân & سارة",
    "O'Brien",
    "'=not a formula",
    "-ish",
    "=SUM(A1)",
    "@home",
    "a; b (c)",
    "Knows; t2",
]
WORDS = WELSH + RIGHT_TO_LEFT + EMOJI + MIXED


def _characters(*, multiline: bool) -> st.SearchStrategy[str]:
    """Any character a map's text may hold (see :func:`ecomap.model.text_problem`): no control, surrogate or
    invisible format character but the joiners, and a line break only where text has several lines."""
    return st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Cf"),
        include_characters="\u200c\u200d" + ("\n" if multiline else ""),
    )


def _text(most: int, *, multiline: bool = False, least: int = 0) -> st.SearchStrategy[str]:
    """Text as a map holds it (NFC, a single line stripped), from curated words and any allowed character."""
    pieces = st.one_of(st.sampled_from(WORDS), st.text(_characters(multiline=multiline), max_size=12))
    joins = st.sampled_from([" ", "", ", ", "\n" if multiline else " ", "\n\n" if multiline else " - "])

    def made(parts: list[tuple[str, str]]) -> str:
        text = unicodedata.normalize("NFC", "".join(piece + join for piece, join in parts))
        return text if multiline else text.strip()

    return (
        st.lists(st.tuples(pieces, joins), max_size=6)
        .map(made)
        .filter(lambda text: least <= len(text.strip() if least else text) and len(text) <= most)
    )


#: Notes of exactly the longest length, with line breaks, in Welsh, Hebrew and emoji.
LONG_NOTES = st.sampled_from(["Mae Nain yn canu.\n", "שָׁלוֹם 👩‍👩‍👧\n", "Côr ✨ "]).map(
    lambda piece: (piece * (TEXT_MAX // len(piece) + 1))[:TEXT_MAX]
)
NOTES = st.one_of(_text(300, multiline=True), LONG_NOTES)
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}", fullmatch=True)
SUPPORT = st.one_of(
    st.none(), st.dictionaries(st.sampled_from(list(SUPPORTS)), st.sampled_from(list(DIRECTIONS)), max_size=4)
)
POSITION = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "angle": st.floats(0, 360, exclude_max=True, allow_nan=False),
            "distance": st.floats(0, 1, allow_nan=False),
        }
    ),
)
DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat)


def _optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


NAMES = _text(NAME_MAX, least=1)
SHORT = _text(NAME_MAX)
LINES = _text(LINE_MAX, multiline=True)
TIE_FIELDS = st.fixed_dictionaries(
    {"name": NAMES, "sector": st.sampled_from(list(SECTORS))},
    optional={
        "kind": st.sampled_from(list(KINDS)),
        "role": st.one_of(st.sampled_from(list(ROLES)), _text(ROLE_MAX)),
        "strength": st.sampled_from(list(STRENGTHS)),
        "stressful": st.booleans(),
        "frequency": st.sampled_from(list(FREQUENCIES)),
        "status": st.sampled_from(list(STATUSES)),
        "own_words": NOTES,
        "notes": NOTES,
        "support": SUPPORT.filter(lambda support: support is not None),
        "position": POSITION.filter(lambda position: position is not None),
    },
)
PLAN_FIELDS = st.fixed_dictionaries(
    {"action": _text(300, multiline=True, least=1)}, optional={"who": LINES, "by": DATES, "done": st.booleans()}
)
PERSON = st.fixed_dictionaries(
    {"name": NAMES},
    optional={
        "preferred_name": SHORT,
        "pronouns": _text(ROLE_MAX),
        "language": st.sampled_from(["en", "cy", "ar", "he", "pl", "cy-GB"]),
        "what_matters": st.lists(LINES, max_size=3),
        "strengths": st.lists(LINES, max_size=3),
    },
)
AGE = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"age": st.integers(0, 130)}),
    st.fixed_dictionaries({"date_of_birth": DATES}),
)
RECORD = _optional(
    case_reference=SHORT,
    practitioner=SHORT,
    practitioner_role=SHORT,
    agency=SHORT,
    present=st.lists(SHORT, max_size=3),
    met_on=DATES,
    place=SHORT,
    read_back_agreed=st.booleans(),
    review_on=DATES,
)
CREATED = st.datetimes(
    datetime(2000, 1, 1),
    datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
)


@st.composite
def maps(draw: st.DrawFn) -> EcoMap:
    """A random valid map in the current format, of up to eight ties."""
    tie_ids = draw(st.lists(IDS, unique=True, max_size=8))
    ties = [{"id": tie_id, **draw(TIE_FIELDS)} for tie_id in tie_ids]
    pairs = [(a, b) for i, a in enumerate(tie_ids) for b in tie_ids[i + 1 :]]
    links = [
        {"between": list(pair[:: draw(st.sampled_from([1, -1]))]), "stressful": draw(st.booleans())}
        for pair in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6) if pairs else st.just([]))
    ]
    plan = []
    for i in range(draw(st.integers(0, 3))):
        item = {"id": f"a{i}", **draw(PLAN_FIELDS)}
        if tie_ids and draw(st.booleans()):
            item["tie"] = draw(st.sampled_from(tie_ids))
        plan.append(item)
    document = {
        "schema_version": SCHEMA_VERSION,
        "id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
        "title": draw(_text(TITLE_MAX)),
        "created": draw(CREATED).isoformat(),
        "person": {**draw(PERSON), **draw(AGE)},
        "record": draw(RECORD),
        "ties": ties,
        "links": links,
        "plan": plan,
    }
    return EcoMap.from_dict(document)


def _with_ties(*ties: dict[str, Any], **fields: Any) -> EcoMap:
    """A map of these ties (each a family tie named Siân unless it says), for the regression examples."""
    drawn = [{"id": f"t{i}", "name": "Siân", "sector": "family", **tie} for i, tie in enumerate(ties, start=1)]
    return EcoMap.from_dict({"schema_version": SCHEMA_VERSION, "id": "m", "person": {"name": "Alys"}, "ties": drawn,
                             **fields})  # fmt: skip


def _came_back(what: str, before: Any, after: Any) -> None:
    TALLY["tried"] += 1
    if after != before:
        TALLY["lost"] += 1
        TALLY[f"lost: {what}"] += 1
    else:
        TALLY["map"] += 1
    assert after == before


@budget(40, long_run_share=20)
@given(maps())
def test_random_maps_survive_json(m: EcoMap) -> None:
    _came_back("json", m, loads(dumps(m)))
    _came_back("json import", m, import_bytes(dumps(m).encode(), "map.json").map)


@budget(30, long_run_share=20)
@given(maps())
def test_random_maps_survive_graphml(m: EcoMap) -> None:
    _came_back("graphml", m, import_bytes(graphml.write(m), "map.graphml").map)


def _held_by_csv(m: EcoMap) -> tuple[tuple[Any, ...], set[frozenset[str]]]:
    """What a CSV holds of a map: every tie, and which ties are linked."""
    return m.ties, {link.key for link in m.links}


@budget(30, long_run_share=20)
@given(maps())
@example(_with_ties({"notes": "Siân "}))  # the notes' last space was taken off
@example(_with_ties({"position": {"angle": 100.81234567, "distance": 0.0}}))  # written to 6 digits, 100.812
@example(_with_ties({"name": "'=not a formula"}))  # read back as the formula "=not a formula"
@example(_with_ties({"id": "a", "name": "Nain; b"}, {"id": "b"}, links=[{"between": ["a", "b"]}]))  # "b" is no tie
def test_random_maps_survive_csv_in_the_ties_and_links_it_holds(m: EcoMap) -> None:
    back = import_bytes(csv_format.as_bytes(m), "map.csv", person_name=m.person.name).map
    _came_back("csv", _held_by_csv(m), _held_by_csv(back))


@budget(20, long_run_share=20)
@given(maps())
def test_random_maps_survive_the_store(store: Store, m: EcoMap) -> None:
    m = m.replace(id=str(uuid.uuid4()))
    store.add_person(LOCAL_USER, m)
    _came_back("store", m, store.open(LOCAL_USER, m.id).map)
    later = m.replace(title="Later")
    store.save(LOCAL_USER, later, expected_version=1)
    _came_back("store", later, store.open(LOCAL_USER, m.id).map)
    _came_back("store", m, store.open(LOCAL_USER, m.id, version=1).map)


# -- (b) random and mutated bytes ----------------------------------------------------------------

#: The importer doors: each ending of import_bytes, and the map file reader itself.
TARGETS: dict[str, Callable[[bytes], Any]] = {
    **{suffix: (lambda data, suffix=suffix: import_bytes(data, f"fuzz{suffix}")) for suffix in IMPORT_SUFFIXES},
    "loads": loads,
}


def _seeds() -> dict[str, bytes]:
    """The sample files and our own exports of the example maps, by name."""
    seeds = {str(path.relative_to(SAMPLES)): path.read_bytes() for path in sorted(SAMPLES.rglob("*.*"))}
    seeds = {name: data for name, data in seeds.items() if name.endswith((".json", ".csv", ".graphml"))}
    for m in example_maps():
        stem = m.person.name.split()[0].lower()
        seeds[f"{stem}.json"] = dumps(m).encode()
        seeds[f"{stem}.csv"] = csv_format.as_bytes(m)
        seeds[f"{stem}.graphml"] = graphml.write(m)
    return seeds


SEEDS = _seeds()


def _answered(target: str, data: bytes) -> Any:
    """What a door makes of ``data``: a map, or a refusal whose every problem is a located line."""
    TALLY["tried"] += 1
    try:
        result = TARGETS[target](data)
    except MapInvalid as exc:
        TALLY["refused"] += 1
        assert exc.problems, "refused without saying why"
        for problem in exc.problems:
            _one_short_line(problem)
        return None
    except BaseException:
        TALLY["crashed"] += 1
        TALLY[f"crashed: {target}"] += 1
        raise
    TALLY["map"] += 1
    m = result if isinstance(result, EcoMap) else result.map
    assert isinstance(m, EcoMap)
    lost = _people_lost(target, data, m)
    if lost:
        TALLY["lost"] += 1
    assert not lost, lost
    return result


def _one_short_line(problem: Problem) -> None:
    """A problem is said on one short line: its place and message free of controls, under 300 characters."""
    line = str(problem)
    assert problem.message.strip(), f"an empty message: {line!r}"
    assert len(line) < 300, f"a message of {len(line)} characters: {line[:400]!r}"
    assert line.isprintable(), f"a message with a line break or an invisible character: {line!r}"


def _people_lost(target: str, data: bytes, m: EcoMap) -> str:
    """Why the map holds fewer people than the file, if it does (else an empty string)."""
    if target in (".graphml", ".xml"):
        graph = next(child for child in graphml.parse(data) if child.tag.endswith("graph"))
        nodes = [child for child in graph if child.tag.rsplit("}", 1)[-1] == "node"]
        if len(nodes) not in (len(m.ties), len(m.ties) + 1):  # the person may be a node
            return f"{len(nodes)} nodes, {len(m.ties)} ties"
    if target == ".csv":
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter_of(text)))
        people = [row for row in rows[1:] if any(cell.strip() for cell in row)]
        if len(people) != len(m.ties):
            return f"{len(people)} rows, {len(m.ties)} ties"
    if target == ".json":
        document = json.loads(data.decode("utf-8-sig"))
        if "schema_version" not in document:
            networks = [v.get("nwk") for v in document["versions"]] if "versions" in document else [document]
            people = [len(n.get("alteri", [])) for n in networks if isinstance(n, dict)]
            if len(m.ties) not in people:
                return f"{len(m.ties)} ties from alteri of {people}"
    return ""


def _delimiter_of(text: str) -> str:
    for delimiter in csv_format.DELIMITERS:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        if any(cell.strip().casefold() == "name" for cell in first):
            return delimiter
    return ","


def _every_door(data: bytes) -> None:
    for target in TARGETS:
        _answered(target, data)


#: Bytes a mutation inserts: the characters that separate, quote, nest and escape, numbers too
#: large or not numbers at all, text that is not text, and markup a file should not hold.
TOKENS = [
    b'"', b"'", b",", b";", b"\t", b"\n", b"\r", b"\r\n", b"\x00", b"<", b">", b"&", b"[", b"]", b"{", b"}", b":",
    b"null", b"true", b"false", b"[]", b"{}", b"[[[[[[[[", b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-0",
    b"1.5", b"9" * 5000, b"\\ud800", b"\\udfff", b"\\u202e", b"\\u0000", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xff",
    b"\xc3", "ŵ".encode(), "👩‍👩‍👧".encode(), "\u202e".encode(), "\u2028".encode(), "\ufffe".encode(),
    b"=1+1", b"'=", b"&#xd800;", b"&#0;", b"&amp;", b"&lt;", b"<![CDATA[x]]>", b"<!-- x -->", b"<!DOCTYPE g>",
    b'<node id="t1"/>', b"<node/>", b'<edge source="t1" target="t1"/>', b"</node>", b"<graph>", b"</graph>",
    b"<?xml version='1.0' encoding='utf-16'?>", b" encoding='x'", b" encoding='big5'",
    b'"versions"', b'"alteri"', b'"schema_version"', b'"id"', b'"ties"', b'{"id": 1}', b'"flow": []',
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed file with a few of its bytes changed, inserted, removed, repeated or spliced from another."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        to = min(len(data), at + draw(st.integers(0, 64)))
        operation = draw(st.sampled_from(["token", "byte", "delete", "repeat", "splice", "random"]))
        if operation == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif operation == "byte" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif operation == "delete":
            del data[at:to]
        elif operation == "repeat":
            data[at:at] = data[at:to] * draw(st.integers(1, 3))
        elif operation == "splice":
            other = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
            start = draw(st.integers(0, len(other)))
            data[at:to] = other[start : start + draw(st.integers(0, 200))]
        else:
            data[at:at] = draw(st.binary(max_size=16))
    return bytes(data)


#: Values a structural mutation puts in a document: every JSON type, and the awkward ones.
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), st.text(max_size=20),
        st.sampled_from(["", "2", "²", "٢", "nan", "1e400", "\ud800", "\u202e", "t1", "family", "gets", "none"]),
        st.just("x" * 3000),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)  # fmt: skip


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*path, index))


@st.composite
def mutated_json(draw: st.DrawFn) -> bytes:
    """A JSON seed with values replaced by any JSON type, fields removed or added, entries repeated."""
    names = sorted(name for name in SEEDS if name.endswith(".json"))
    document = json.loads(SEEDS[draw(st.sampled_from(names))].decode("utf-8-sig"))
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(document))
        path = paths[draw(st.integers(0, len(paths) - 1))]
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        operation = draw(st.sampled_from(["replace", "delete", "add", "repeat"]))
        if not path or operation == "replace":
            value = draw(JSON_VALUES)
            if path:
                parent[path[-1]] = value
            else:
                document = value
        elif operation == "delete":
            del parent[path[-1]]
        elif operation == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "name", "support", "flow", "extra", "id1", "alteri"]))] = draw(
                JSON_VALUES
            )
        elif isinstance(parent, list):
            parent.insert(path[-1], json.loads(json.dumps(parent[path[-1]])))
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


GRAPHML_TEXT = st.one_of(
    st.sampled_from(["", "nan", "NaN", "inf", "-1e400", "1e400", "9" * 5000, "abc", "true", "false", "maybe", "2",
                     "3", "1", "0", "-1", "1.5", "link", "tie", "friendship", "t1", "@person", "[", "[{", "{}", "[]",
                     "[" * 2000, '{"a": ' + "9" * 5000 + "}", "family", "strongest", "gets", "none", "🏴󠁧󠁢󠁷󠁬󠁳󠁿"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
)  # fmt: skip


def _xml_text(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "surrogatepass")


@st.composite
def mutated_graphml(draw: st.DrawFn) -> bytes:
    """A GraphML seed with data values, ids and whole nodes or edges changed, repeated or removed."""
    names = sorted(name for name in SEEDS if name.endswith(".graphml"))
    data = SEEDS[draw(st.sampled_from(names))]
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["value", "value", "id", "repeat", "remove", "type"]))
        if operation == "value":
            spans = [m.span(1) for m in re.finditer(rb"<data key=\"[^\"]*\">([^<]*)</data>", data)]
        elif operation == "id":
            spans = [m.span(1) for m in re.finditer(rb" (?:id|source|target)=\"([^\"]*)\"", data)]
        elif operation == "type":
            spans = [m.span(1) for m in re.finditer(rb"attr\.type=\"([^\"]*)\"", data)]
        else:
            spans = [m.span() for m in re.finditer(rb"<(node|edge)\b.*?</\1>|<(?:node|edge)\b[^>]*/>", data, re.S)]
        if not spans:
            continue
        start, end = spans[draw(st.integers(0, len(spans) - 1))]
        if operation == "repeat":
            data = data[:end] + data[start:end] + data[end:]
        elif operation == "remove":
            data = data[:start] + data[end:]
        elif operation == "type":
            kind = draw(st.sampled_from(["int", "long", "float", "double", "boolean", "string", "x"]))
            data = data[:start] + kind.encode() + data[end:]
        else:
            data = data[:start] + _xml_text(draw(GRAPHML_TEXT)).replace(b'"', b"&quot;") + data[end:]
    return data


@st.composite
def mutated_csv(draw: st.DrawFn) -> bytes:
    """A CSV seed with cells changed, rows or columns repeated or removed, and cells past the headings."""
    names = sorted(name for name in SEEDS if name.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(SEEDS[draw(st.sampled_from(names))].decode("utf-8-sig"), newline="")))
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, max(len(rows[row]) - 1, 0)))
        operation = draw(st.sampled_from(["cell", "cell", "repeat row", "remove row", "repeat column", "extra"]))
        if operation == "cell" and rows[row]:
            rows[row][column] = draw(GRAPHML_TEXT | st.sampled_from(["x" * 200_000, "a; b", "t1 (Mam); t9", "yes"]))
        elif operation == "repeat row":
            rows.insert(row, list(rows[row]))
        elif operation == "remove row" and len(rows) > 1:
            del rows[row]
        elif operation == "repeat column":
            rows = [r[: column + 1] + r[column : column + 1] + r[column + 1 :] for r in rows]
        else:
            rows[row].append(draw(GRAPHML_TEXT))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"]))).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@budget(300)
@given(st.binary(max_size=2000))
@example(b"")
@example(b"\xef\xbb\xbf")
def test_random_bytes_get_a_map_or_a_located_message(data: bytes) -> None:
    _every_door(data)


@budget(400)
@given(mutated())
@example(b"<?xml version='1.0' encoding='tf-8'?><graphml/>")  # LookupError: unknown encoding
def test_mutated_files_get_a_map_or_a_located_message(data: bytes) -> None:
    _every_door(data)


@budget(300)
@given(mutated_json())
def test_mutated_json_gets_a_map_or_a_located_message(data: bytes) -> None:
    for target in (".json", "loads"):
        _answered(target, data)


@budget(300)
@given(mutated_graphml())
def test_mutated_graphml_gets_a_map_or_a_located_message(data: bytes) -> None:
    _answered(".graphml", data)


@budget(300)
@given(mutated_csv())
def test_mutated_csv_gets_a_map_or_a_located_message(data: bytes) -> None:
    _answered(".csv", data)


def test_every_seed_is_a_map_to_its_own_importer() -> None:
    for name, data in SEEDS.items():
        assert _answered(f".{name.rsplit('.', 1)[1]}", data) is not None, name
    assert len(SEEDS) >= 14


# -- the model's defects the fuzz found, each class with more cases than the one found ----------

_V1 = (
    b'{"schema_version": 1, "id": "m", "person": {"name": "A"}, "ties": [{"id": "t1", "name": "M", "sector": "family", '
)
_V2 = b'{"schema_version": 2, "id": "m", "person": {"name": "A"}, '
_PERSON = b'{"schema_version": 2, "id": "m", "person": {"name": "A", '

#: Map files the model once answered wrongly (a TypeError, Python's own message, a message over several
#: lines or thousands of characters long), and how the line it answers now starts.
MODEL_DEFECTS = {
    "a version 1 flow that is a list (TypeError: unhashable type)": (_V1 + b'"flow": []}]}', "ties[0].flow: a list"),
    "a version 1 flow that is an object": (_V1 + b'"flow": {"a": 1}}]}', "ties[0].flow: an object"),
    "a version 1 flow that is a number": (_V1 + b'"flow": 1}]}', "ties[0].flow: 1 is not"),
    "a version 1 kind of support that is a list": (_V1 + b'"support": [[]]}]}', "ties[0].support[0]: a list"),
    "a version 1 kind of support that is an object": (
        _V1 + b'"support": ["emotional", {}]}]}',
        "ties[0].support[1]: an object",
    ),
    "a version 1 kind of support that is null": (_V1 + b'"support": [null]}]}', "ties[0].support[0]: null"),
    "an integer of 5,000 digits (Python's own message, no place)": (
        _PERSON + b'"age": ' + b"9" * 5000 + b"}}",
        "line 1, column 65: a number of 5,000 digits",
    ),
    "a negative integer of 5,000 digits in a list": (
        _V2 + b'"ties": [-' + b"1" * 5000 + b"]}",
        "line 1, column 68: a number of 5,000 digits",
    ),
    "an integer of 101 digits on the third line": (
        b'{"schema_version": 2,\n "id": "m",\n "person": {"name": "A", "age": ' + b"7" * 101 + b"}}",
        "line 3, column 33: a number of 101 digits",
    ),
    "a field named with a line break (a problem over two lines)": (
        _V2 + b'"ties": [{"id": "t1", "name": "Mam", "sector": "family", "support": {"\\n": "gets"}}]}',
        "ties[0].support['\\n']: ",
    ),
    "a field named with a bidirectional control": (
        _V2 + b'"ties": [{"id": "t1", "name": "Mam", "sector": "family", "\\u202eeman": "x"}]}',
        "ties[0]['\\u202eeman']: is not a field",
    ),
    "a field named with 5,000 letters and a NUL": (
        _PERSON + b'"\\u0000' + b"x" * 5000 + b'": 1}}',
        "person['\\x00xxxx",
    ),
    "a field named twice, with a line break": (
        _PERSON + b'"\\n": 1, "\\n": 2}}',
        "the field '\\n' appears twice",
    ),
    "an id of 5,000 letters (shown whole in the message)": (
        b'{"schema_version": 2, "id": "' + b"x" * 5000 + b'", "person": {"name": "A"}}',
        "id: 'xxxx",
    ),
    "a link to a tie id with a line break and 3,000 letters": (
        _V2
        + b'"ties": [{"id": "t1", "name": "Mam", "sector": "family"}], "links": [{"between": ["t1", "\\n'
        + b"y" * 3000
        + b'"]}]}',
        "links[0].between[1]: '\\n",
    ),
    "a strength of 3,000 letters with a tab": (
        _V2 + b'"ties": [{"id": "t1", "name": "Mam", "sector": "family", "strength": "\\t' + b"z" * 3000 + b'"}]}',
        "ties[0].strength: '\\tzzz",
    ),
    "a language code with a carriage return": (_PERSON + b'"language": "c\\ry"}}', "person.language: 'c\\ry'"),
    "a format version of 5,000 characters": (b'{"schema_version": "' + b"9" * 5000 + b'"}', "schema_version: '999"),
}


@pytest.mark.parametrize("case", list(MODEL_DEFECTS))
def test_the_model_answers_what_the_fuzz_found_with_a_short_located_line(case: str) -> None:
    data, starts = MODEL_DEFECTS[case]
    with pytest.raises(MapInvalid) as raised:
        loads(data)
    lines = [str(problem) for problem in raised.value.problems]
    assert lines[0].startswith(starts), lines
    for problem in raised.value.problems:
        _one_short_line(problem)
    assert not any("sys.set_int_max_str_digits" in line for line in lines), lines


@pytest.mark.parametrize("make", [os.mkfifo, lambda path: os.symlink("/dev/zero", path)], ids=["pipe", "device"])
def test_validate_refuses_a_pipe_or_a_device_at_once(tmp_path: Path, make: Callable[[Path], None]) -> None:
    from ecomap.model import read_map

    special = tmp_path / "map.json"
    make(special)
    answers: list[str] = []

    def validating() -> None:
        try:
            read_map(special)
        except MapInvalid as exc:
            answers.append(str(exc))

    worker = threading.Thread(target=validating, daemon=True)
    worker.start()
    worker.join(timeout=2)
    if worker.is_alive():  # blocked opening the pipe: open its other end so that it ends
        with open(special, "wb"):
            pass
        worker.join()
        pytest.fail("read_map waited for someone to write to the pipe")
    assert answers == ["is a device, a pipe or a socket, not a file"]


def test_validate_refuses_a_folder(tmp_path: Path) -> None:
    from ecomap.model import read_map

    with pytest.raises(MapInvalid, match=r"^is a folder, not a file$"):
        read_map(tmp_path)
