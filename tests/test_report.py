"""The assessment attachment, read back the way its readers read it: pdftotext and python-docx."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime
from functools import cache
from typing import Any

import docx
import pytest
from PIL import Image

from ecomap import report as report_module
from ecomap.analysis import findings
from ecomap.examples import example_maps
from ecomap.i18n import long_date, translator
from ecomap.model import SCHEMA_VERSION, Consent, EcoMap
from ecomap.report import (
    Bullets,
    Facts,
    Heading,
    Picture,
    Report,
    ReportContext,
    build_report,
    describe,
    docx_bytes,
    pdf_bytes,
    tie_description,
    visit_line,
)
from ecomap.versions import SavedVersion
from ecomap.vocab import SHARING
from tests.conftest import alys

HISTORY = (
    SavedVersion(1, datetime(2026, 11, 1, 10, tzinfo=UTC), "ffion", "first conversation"),
    SavedVersion(2, datetime(2026, 11, 1, 10, 40, tzinfo=UTC), "ffion"),
    SavedVersion(3, datetime(2026, 11, 10, 10, tzinfo=UTC), "ffion"),
    SavedVersion(4, datetime(2026, 11, 23, 10, tzinfo=UTC), "ffion"),
)
CONTEXT = ReportContext(prepared_by="Ffion Evans", version=4, saved_at=HISTORY[-1].saved_at, history=HISTORY)
EXAMPLES = example_maps()
NAMES = [m.person.called for m in EXAMPLES]


@cache
def example_report(name: str, language: str = "en", context: ReportContext = CONTEXT) -> Report:
    """The attachment of the example map of ``name``, drawn once for every test that reads it."""
    m = next(m for m in EXAMPLES if m.person.called == name)
    return build_report(m, t=translator(language), context=context)


@cache
def example_pdf(name: str, language: str = "en", context: ReportContext = CONTEXT) -> bytes:
    return pdf_bytes(example_report(name, language, context))


def _flat(text: str) -> str:
    """Text with line breaks and hyphenless wrapping undone, for searching."""
    return " ".join(text.split())


def pdf_text(pdf: bytes, *, layout: bool = False, page: int | None = None) -> str:
    options = (["-layout"] if layout else []) + (["-f", str(page), "-l", str(page)] if page else [])
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
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
    """What any reader must find: own words, every tie's name, the findings, the plan, who prepared it."""
    words = [tie.own_words for tie in m.ties if tie.own_words]
    words += [tie.name for tie in m.ties]
    words += [f.text for f in findings(m) if f.id != "personal-strength"]
    words += list(m.person.what_matters) + list(m.person.strengths)
    words += [item.action for item in m.plan] + ["Ffion Evans", "first conversation"]
    return words


def _shared_with(consent: Consent | None) -> str:
    """With whom the consent says the map may be shared, as the header says it (empty when not talked about)."""
    if consent is None or (consent.share_with is None and not consent.share_also_with):
        return ""
    whom = [SHARING[value].label for value in consent.share_with or ()] + [consent.share_also_with]
    return ", ".join(w for w in whom if w) or "Nobody"


def _recorded(m: EcoMap) -> dict[str, str]:
    """Each header label and the value the map records for it, written out here apart from the report's code
    (empty when not recorded); whether the read-back was agreed is always said."""
    t, person, record = translator(), m.person, m.record
    agreed = {True: "Yes", False: "Not yet", None: "Not recorded"}[record.read_back_agreed]
    consent = record.consent.to_record if record.consent else None
    return {
        "Name": person.name,
        "Preferred name": person.preferred_name,
        "Date of birth": long_date(person.date_of_birth, t) if person.date_of_birth else "",
        "Age": "" if person.age is None else str(person.age),
        "Case reference": record.case_reference,
        "Practitioner": ", ".join(filter(None, (record.practitioner, record.practitioner_role))),
        "Agency": record.agency,
        "Who was present": ", ".join(record.present),
        "Date of the conversation": long_date(record.met_on, t) if record.met_on else "",
        "Place of the conversation": record.place,
        "Agreed the read-back": agreed,
        "Consent to record the map": {True: "Given", False: "Not given", None: "Not recorded"}[consent],
        "May be shared with": _shared_with(record.consent),
        "Review date": long_date(record.review_on, t) if record.review_on else "",
    }


# -- what the attachment holds -----------------------------------------------------------------


@pytest.mark.parametrize("m", EXAMPLES, ids=NAMES)
def test_the_pdf_holds_the_words_and_fits_on_few_pages(m: EcoMap) -> None:
    pdf = example_pdf(m.person.called)
    text = _flat(pdf_text(pdf))
    missing = [words for words in _expected(m) if _flat(words) not in text]
    assert missing == []
    # The record's facts and the map fill the first page; what the map says is two pages more.
    assert pdf_pages(pdf) == 3
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "DejaVuSans" in fonts and " yes yes " in fonts  # embedded, subset


@pytest.mark.parametrize("m", EXAMPLES, ids=NAMES)
def test_the_docx_opens_and_holds_the_same(m: EcoMap) -> None:
    data = docx_bytes(example_report(m.person.called))
    text = _flat(docx_text(data))
    assert [words for words in _expected(m) if _flat(words) not in text] == []
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.author == "Ffion Evans"
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith(m.person.called)
    first = next(p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1")
    assert first == f"What matters to {m.person.called}"


# -- the header: what the record holds, and nothing else -----------------------------------------


@pytest.mark.parametrize("m", EXAMPLES, ids=NAMES)
def test_the_header_shows_each_recorded_field_and_no_other(m: EcoMap) -> None:
    recorded = _recorded(m)
    assert sum(1 for value in recorded.values() if value) >= 10  # the examples record nearly everything
    report = example_report(m.person.called, context=ReportContext())
    first_page = pdf_text(example_pdf(m.person.called, context=ReportContext()), layout=True, page=1)
    lines = [line.strip() for line in first_page.splitlines()]
    for label, value in recorded.items():
        rows = [_flat(line) for line in lines if re.match(rf"{re.escape(label)}\s", line)]
        assert rows == ([f"{label} {value}"] if value else []), label
    assert not any(line.startswith("Prepared by") for line in lines)
    assert "Local practitioner" not in first_page
    table = docx.Document(io.BytesIO(docx_bytes(report))).tables[0]
    rows = [(row.cells[0].text, row.cells[1].text) for row in table.rows]
    assert rows == [(label, value) for label, value in recorded.items() if value]


def test_each_example_leaves_a_different_field_unrecorded() -> None:
    """The examples between them show a date of birth and an age, a read-back agreed and one not recorded."""
    by_name = {m.person.called: _recorded(m) for m in EXAMPLES}
    assert by_name["Alys"]["Date of birth"] == "2 March 1944" and by_name["Alys"]["Age"] == ""
    assert by_name["Rhys"]["Age"] == "34" and by_name["Rhys"]["Date of birth"] == ""
    assert by_name["Rhys"]["Agreed the read-back"] == "Not recorded" and by_name["Cai"]["Agreed the read-back"] == "Yes"


@pytest.mark.parametrize(
    ("record", "rows"),
    [
        (
            {},
            [
                ("Name", "Alys Pritchard"),
                ("Preferred name", "Alys"),
                ("Agreed the read-back", "Not recorded"),
                ("Consent to record the map", "Not recorded"),
            ],
        ),
        (
            {"practitioner_role": "Support worker", "read_back_agreed": False, "present": ["Alys", "Mam"]},
            [
                ("Name", "Alys Pritchard"),
                ("Preferred name", "Alys"),
                ("Practitioner", "Support worker"),
                ("Who was present", "Alys, Mam"),
                ("Agreed the read-back", "Not yet"),
                ("Consent to record the map", "Not recorded"),
            ],
        ),
    ],
    ids=["nothing recorded", "a role without a name, not yet agreed"],
)
def test_the_header_invents_nothing(record: dict[str, Any], rows: list[tuple[str, str]]) -> None:
    report = build_report(alys().replace(record=record))
    assert next(block for block in report.blocks if isinstance(block, Facts)).rows == tuple(rows)


def test_prepared_by_is_said_only_when_the_context_names_someone() -> None:
    named = build_report(alys(), context=ReportContext(prepared_by="Ffion Evans"))
    assert ("Prepared by", "Ffion Evans") in next(b for b in named.blocks if isinstance(b, Facts)).rows
    assert named.author == "Ffion Evans"
    unnamed = build_report(alys(), context=ReportContext(prepared_by=None))
    assert "Prepared by" not in unnamed.text() and unnamed.author == ""


# -- what a manager must never meet: ids, version numbers, decimals, percentages ----------------

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
NEVER = {
    "a uuid": UUID,
    "a tie id": re.compile(r"\bt\d+\b"),
    "a plan id": re.compile(r"\ba\d+\b"),
    "a version number": re.compile(r"\b(Version|Fersiwn|version|fersiwn) \d"),
    "a bare decimal": re.compile(r"\d+\.\d+"),
    "a percentage": re.compile(r"%"),
}


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("m", EXAMPLES, ids=NAMES)
def test_no_internal_id_version_number_or_decimal_is_printed(m: EcoMap, language: str) -> None:
    context = ReportContext(
        version=4,
        saved_at=HISTORY[-1].saved_at,
        history=HISTORY,
        changes=("The tie with someone is new.",),
        changes_since=HISTORY[2],
    )
    report = example_report(m.person.called, language, context)
    pdf = example_pdf(m.person.called, language, context)
    for text in (pdf_text(pdf, layout=True), docx_text(docx_bytes(report))):
        found = {what: pattern.findall(text) for what, pattern in NEVER.items() if pattern.search(text)}
        assert found == {}
        assert m.id not in text


def test_visits_tell_the_history_by_date() -> None:
    assert visit_line(alys(), CONTEXT, t=translator()) == (
        "Drawn together on 1 November 2026; last changed on 23 November 2026 (3 visits). "
        "Named: first conversation (1 November 2026)."
    )
    one_visit = ReportContext(history=HISTORY[:2])
    assert visit_line(alys(), one_visit, t=translator()) == (
        "Drawn together on 1 November 2026 (1 visit). Named: first conversation (1 November 2026)."
    )
    assert visit_line(alys(), ReportContext(), t=translator()) == "Drawn on 22 November 2026."
    assert visit_line(alys(), CONTEXT, t=translator("cy")).startswith(
        "Lluniwyd gyda’n gilydd ar 1 Tachwedd 2026; newidiwyd ddiwethaf ar 23 Tachwedd 2026 (3 ymweliad)."
    )


def test_the_attachment_can_say_what_has_changed_since_an_earlier_visit() -> None:
    from ecomap.diff import diff, summary

    old = alys()
    new = old.with_tie(old.tie("t3").model_copy(update={"stressful": False}))
    context = ReportContext(changes=tuple(summary(diff(old, new), old, new)), changes_since=HISTORY[0])
    report = build_report(new, context=context)
    assert "What has changed" in [block.text for block in report.blocks if isinstance(block, Heading)]
    text = _flat(pdf_text(pdf_bytes(report)))
    assert (
        "What has changed Since first conversation, 1 November 2026. • The tie with Meddygfa is no longer stressful."
    ) in text


# -- the measures in plain words ----------------------------------------------------------------


def test_the_measures_are_counts_in_plain_words() -> None:
    blocks = list(example_report("Alys").blocks)
    numbers = blocks[blocks.index(Heading("The map in numbers")) + 1]
    assert isinstance(numbers, Bullets)
    assert numbers.items[:4] == (
        "18 ties are part of Alys’s life now: 5 in family, 7 in community and 6 in services.",
        "12 of 18 ties are family or community.",
        "3 of 18 ties are strong.",
        "2 of 18 ties can be stressful.",
    )
    assert "Alys gets information support from 6 ties and gives it to 1; it goes both ways with 1 of them." in (
        numbers.items
    )
    assert "8 pairs of people on the map know each other." in numbers.items
    for item in numbers.items:
        assert not re.search(r"\d+\.\d+|%|_|\{|\bt\d+\b", item), item


# -- the map in words -----------------------------------------------------------------------------


def test_the_map_in_words_is_a_list_under_each_ring() -> None:
    blocks = describe(alys())
    assert [(type(b).__name__, getattr(b, "text", None)) for b in blocks if not isinstance(b, Bullets)][1:] == [
        ("Heading", "Family (1)"),
        ("Heading", "Community (1)"),
        ("Heading", "Services (1)"),
        ("Heading", "Who knows whom"),
    ]
    items = [item for block in blocks if isinstance(block, Bullets) for item in block.items]
    assert items == [
        "Mam: strong, daily. Alys and Mam support each other: emotional, practical.",
        "Côr Meibion (group): moderate, hoped for.",
        "Meddygfa (organisation): moderate, can be stressful. Support with Meddygfa has not been talked about yet.",
        "Mam and Côr Meibion",
    ]


def _tie(i: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"t{i}", "name": f"Person {i}", "sector": "family", **fields}


@pytest.mark.parametrize(
    ("support", "said"),
    [
        (
            {"emotional": "gets", "practical": "gives"},
            ["Alys gets support from Person 1: emotional.", "Alys gives Person 1 support: practical."],
        ),
        ({"social": "both"}, ["Alys and Person 1 support each other: social."]),
        ({}, ["No support goes either way between Alys and Person 1 at the moment."]),
        (None, ["Support with Person 1 has not been talked about yet."]),
    ],
    ids=["gives practical, gets emotional", "both ways", "none either way", "not asked"],
)
def test_the_attachment_says_which_way_support_goes(support: dict[str, str] | None, said: list[str]) -> None:
    tie = _tie(1, strength="strong") | ({} if support is None else {"support": support})
    m = alys().replace(ties=[tie], links=[], plan=[])
    report = build_report(m)
    for text in (_flat(pdf_text(pdf_bytes(report))), _flat(docx_text(docx_bytes(report)))):
        assert all(sentence in text for sentence in said), text
    if support == {"emotional": "gets", "practical": "gives"}:
        assert "Alys gets support from Person 1: practical" not in report.text()
        assert "Person 1 gets" not in report.text()
        welsh = build_report(m, t=translator("cy")).text()
        assert "Mae Alys yn cael cefnogaeth gan Person 1: emosiynol." in welsh
        assert "Mae Alys yn rhoi cefnogaeth i Person 1: ymarferol." in welsh


def forty_ties() -> EcoMap:
    """A map of 40 ties whose items run to two lines, so that many of them meet a page's end."""
    sectors = ("family", "community", "services")
    ties = [
        _tie(
            i,
            name=f"Person {i} Longfellow-Pritchard of Llanuwchllyn",
            role="old friend from the chapel choir",
            sector=sectors[i % 3],
            frequency="weekly",
            stressful=i % 4 == 0,
            support={"emotional": "both", "practical": "gets", "information": "gives", "social": "both"},
        )
        for i in range(1, 41)
    ]
    return EcoMap.from_dict(
        {"schema_version": SCHEMA_VERSION, "id": "m-forty", "person": {"name": "Alys Pritchard"}, "ties": ties}
    )


def test_no_item_of_the_map_in_words_is_split_across_pages() -> None:
    m = forty_ties()
    t = translator()
    items = [tie_description(tie, t, person=m.person.called) for tie in m.ties]
    assert all(len(item) > 160 for item in items)  # two lines each
    # The picture only takes up the first page here (placing 40 long names takes the layout seconds).
    report = build_report(m, picture=Image.new("RGB", (750, 860), "white"))
    pdf = pdf_bytes(report)
    pages = [_flat(pdf_text(pdf, page=n)) for n in range(1, pdf_pages(pdf) + 1)]
    assert len(pages) >= 3
    split = [item for item in items if not any(_flat(item) in page for page in pages)]
    assert split == []
    document = docx.Document(io.BytesIO(docx_bytes(report)))
    listed = [p for p in document.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert len(listed) >= 40 and all(p.paragraph_format.keep_together for p in listed)


# -- sections, languages, hostile text ------------------------------------------------------------


def test_the_sections_come_in_the_order_of_the_national_assessment() -> None:
    report = example_report("Alys")
    headings = [block.text for block in report.blocks if isinstance(block, Heading) and block.level == 1]
    assert headings == [
        "What matters to Alys",
        "Alys’s strengths",
        "In Alys’s own words",
        "What is strong",
        "Areas to explore together",
        "Personal outcomes and agreed next steps",
        "The map in numbers",
        "The map in words",
    ]
    picture = next(block for block in report.blocks if isinstance(block, Picture))
    assert picture.png.startswith(b"\x89PNG")


def test_the_welsh_attachment_uses_the_national_assessments_welsh_headings() -> None:
    report = example_report("Alys", "cy")
    headings = [block.text for block in report.blocks if isinstance(block, Heading) and block.level == 1]
    assert headings[:6] == [
        "Beth sy’n bwysig i Alys",
        "Cryfderau Alys",
        "Yng ngeiriau Alys ei hun",
        "Beth sy’n gryf",
        "Pethau i’w harchwilio gyda’n gilydd",
        "Canlyniadau personol a’r camau nesaf a gytunwyd",
    ]
    facts = next(block for block in report.blocks if isinstance(block, Facts)).rows
    assert [label for label, _ in facts][:4] == ["Enw", "Enw dewisol", "Dyddiad geni", "Cyfeirnod yr achos"]
    for text in (_flat(pdf_text(example_pdf("Alys", "cy"))), _flat(docx_text(docx_bytes(report)))):
        assert "Beth sy’n bwysig i Alys" in text and "Canlyniadau personol" in text
        assert "Wedi cytuno â’r crynodeb" in text


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


# -- fonts read once a process -------------------------------------------------------------------


def _dateless(pdf: bytes) -> bytes:
    """A PDF without what differs between two writings of it: the time it was made and the ID made from it."""
    pdf = re.sub(rb"/CreationDate \(D:\d+Z\)", b"", pdf)
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", pdf)


def _read_by_fpdf2(pdf: Any, family: str, style: str, path: Any) -> None:
    pdf.add_font(family, style, str(path))


def test_fpdf2s_font_is_what_sharing_a_read_face_knows() -> None:
    """fpdf2's font holds what ``_add_font`` copies or makes anew for each document: another fpdf2 would
    be read by fpdf2 itself (right, but slower)."""
    from fpdf.fonts import TTFFont

    assert frozenset(TTFFont.__slots__) == report_module._FONT_FIELDS


def test_a_face_read_once_makes_the_same_documents_as_fpdf2_reading_it_for_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Documents one after another on the faces read once (the oblique, an emoji's fallback font, Hebrew,
    Welsh, then plain English) are byte for byte what fpdf2 writes reading the faces for each document:
    no document's characters are left in the next one's fonts, and each embeds only its own subset."""
    emoji = alys().replace(
        ties=[
            {"id": "t1", "name": "Nain 👵 שרה", "sector": "family", "own_words": "Mae'n dŵad bob dydd ★"},
            {"id": "t2", "name": "Côr Meibion", "sector": "community", "kind": "group"},
        ],
        links=[],
        plan=[],
    )
    plain = alys().replace(ties=[{"id": "t1", "name": "Bob Jones", "sector": "family"}], links=[], plan=[])
    reports = [build_report(emoji, t=translator("cy")), build_report(plain), example_report(NAMES[0])]
    shared = [pdf_bytes(r) for r in reports]
    monkeypatch.setattr(report_module, "_add_font", _read_by_fpdf2)
    own = [pdf_bytes(r) for r in reports]
    assert [_dateless(pdf) for pdf in shared] == [_dateless(pdf) for pdf in own]
    first, second = pdf_text(shared[0]), pdf_text(shared[1])
    assert "Nain 👵" in first and "Côr Meibion" in first and "dŵad bob dydd ★" in first
    assert "Bob Jones" in second and "Nain" not in second and "Côr" not in second
    fonts = subprocess.run(["pdffonts", "-"], input=shared[1], capture_output=True, check=True).stdout.decode()
    assert "Symbola" not in fonts and fonts.count("DejaVuSans") == 2  # regular and bold, no fallback font


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_example_attachment_is_the_same_on_faces_read_once(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = [example_report(name, language) for name in NAMES]
    shared = [_dateless(pdf_bytes(r)) for r in reports]
    monkeypatch.setattr(report_module, "_add_font", _read_by_fpdf2)
    assert shared == [_dateless(pdf_bytes(r)) for r in reports]
