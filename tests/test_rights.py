"""People's rights: the consent a map records, and everything held about one person as one ZIP."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from ecomap.errors import MapInvalid
from ecomap.i18n import translator
from ecomap.io import csv_format
from ecomap.model import Consent, EcoMap, Tie
from ecomap.report import attachment
from ecomap.rights import AUDIT_COLUMNS, audit_csv, subject_access_zip
from ecomap.store import LOCAL_USER, OPERATOR, AuditAction, AuditEntry, Store
from tests.conftest import alys, document
from tests.test_report import pdf_text


def read_csv_ties(data: bytes) -> tuple[Tie, ...]:
    return csv_format.read(data, person_name="Alys Pritchard").map.ties


# -- consent on the map -----------------------------------------------------------------------------


def test_a_map_without_consent_reads_as_before_and_writes_none() -> None:
    m = alys()
    assert m.record.consent is None
    assert "consent" not in json.dumps(m.to_dict())


def test_consent_is_kept_through_the_file_format_in_the_vocabulary_order() -> None:
    m = alys().with_record(
        consent={"to_record": True, "share_with": ["gp", "team"], "share_also_with": " Housing association "}
    )
    back = EcoMap.from_dict(json.loads(json.dumps(m.to_dict())))
    assert back == m
    assert back.record.consent == Consent(
        to_record=True, share_with=("team", "gp"), share_also_with="Housing association"
    )
    assert back.to_dict()["schema_version"] == 2


@pytest.mark.parametrize(
    ("consent", "place"),
    [
        ({"to_record": "yes"}, "record.consent.to_record"),
        ({"share_with": ["the neighbours"]}, "record.consent.share_with[0]"),
        ({"share_with": ["gp", "gp"]}, "record.consent.share_with"),
        ({"shared": True}, "record.consent.shared"),
    ],
)
def test_consent_outside_its_vocabulary_is_refused_with_its_place(consent: dict[str, object], place: str) -> None:
    with pytest.raises(MapInvalid) as refused:
        EcoMap.from_dict(document(schema_version=2, record={"consent": consent}))
    assert any(problem.startswith(f"{place}:") for problem in map(str, refused.value.problems)), refused.value.problems


@pytest.mark.parametrize(
    ("consent", "covers"),
    [
        (None, False),
        ({}, False),
        ({"to_record": True}, False),
        ({"to_record": True, "share_with": []}, False),
        ({"to_record": False, "share_with": ["team"]}, False),
        ({"share_with": ["team"]}, False),
        ({"to_record": True, "share_with": ["team"]}, True),
        ({"to_record": True, "share_also_with": "Her advocate"}, True),
    ],
)
def test_only_consent_to_record_and_to_share_with_someone_covers_sharing(
    consent: dict[str, object] | None, covers: bool
) -> None:
    m = alys().with_record(consent=consent)
    assert (m.record.consent is not None and m.record.consent.covers_sharing) is covers


def test_the_attachment_says_what_consent_was_recorded() -> None:
    said = pdf_text(attachment(alys(), "pdf"))
    assert "Consent to record the map" in said and "Not recorded" in said and "May be shared with" not in said
    agreed = alys().with_record(
        consent={"to_record": True, "share_with": ["team", "family"], "share_also_with": "Her advocate"}
    )
    said = " ".join(pdf_text(attachment(agreed, "pdf")).split())
    assert "Consent to record the map Given" in said
    assert "May be shared with The team working with them, Their family, Her advocate" in said


# -- the subject access ZIP -----------------------------------------------------------------------


def _three_versions_and_someone_else(store: Store) -> tuple[str, EcoMap]:
    """Alys with three versions (opened and exported too), and Gwenllian, whose record must stay out."""
    first = store.add_person(LOCAL_USER, alys())
    second = store.save(LOCAL_USER, first.map.with_record(case_reference="ADL-20931"), expected_version=1)
    store.label_version(LOCAL_USER, first.map.id, 1, "first conversation")
    third = first.map.with_record(case_reference="ADL-20931", consent={"to_record": True, "share_with": ["team"]})
    store.save(LOCAL_USER, third, expected_version=second)
    store.open(LOCAL_USER, first.map.id)
    store.record_export(LOCAL_USER, first.map.id, 3, "pdf")
    other = EcoMap.from_dict(
        document(id="m-gwenllian", person={"name": "Gwenllian Ap-Rhys", "preferred_name": "Gwen"}, title="Gwen's map")
    )
    added = store.add_person(LOCAL_USER, other)
    store.save(LOCAL_USER, other.with_person(strengths=["Gardening"]), expected_version=1)
    store.record_export(LOCAL_USER, other.id, 2, "csv")
    return first.person_id, other.replace(title=added.person_id)  # the other's person id, carried in the title


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _readable(name: str, data: bytes) -> str:
    return pdf_text(data) if name.endswith(".pdf") else data.decode("utf-8")


def test_a_subject_access_holds_every_version_their_audit_and_nobody_else(store: Store) -> None:
    person_id, other = _three_versions_and_someone_else(store)
    held = store.subject_access(OPERATOR, person_id)
    members = _members(subject_access_zip(held))

    assert sorted(members) == sorted(
        ["README.txt", "attachment.pdf", "ties.csv", "versions.csv", "audit.csv"]
        + [f"versions/v00{n}.json" for n in (1, 2, 3)]
    )
    versions = [EcoMap.from_dict(json.loads(members[f"versions/v00{n}.json"])) for n in (1, 2, 3)]
    assert [v.record.case_reference for v in versions] == ["", "ADL-20931", "ADL-20931"]
    assert versions[2].record.consent == Consent(to_record=True, share_with=("team",))
    listed = list(csv.DictReader(io.StringIO(members["versions.csv"].decode())))
    assert [(row["version"], row["saved_by"], row["label"]) for row in listed] == [
        ("1", "local", "first conversation"),
        ("2", "local", ""),
        ("3", "local", ""),
    ]
    with io.StringIO(members["audit.csv"].decode()) as text:
        audit = list(csv.DictReader(text))
    assert {row["person_id"] for row in audit} == {person_id}
    assert [row["action"] for row in audit] == ["create", "save", "label", "save", "open", "export"]
    assert "user_email" not in audit[0]
    assert [t.name for t in read_csv_ties(members["ties.csv"])] == [t.name for t in versions[2].ties]
    said = " ".join(pdf_text(members["attachment.pdf"]).split())
    assert "Alys Pritchard" in said and "ADL-20931" in said

    foreign = [other.person.name, "Gwenllian", other.id, other.title, "Gardening"]
    for name, data in members.items():
        text = _readable(name, data)
        assert not [word for word in foreign if word in text], name


def test_the_readme_names_every_file_in_english_and_welsh(store: Store) -> None:
    person_id, _ = _three_versions_and_someone_else(store)
    members = _members(subject_access_zip(store.subject_access(OPERATOR, person_id)))
    readme = members["README.txt"].decode()
    english, welsh = readme.split("\n----\n")
    for part in (english, welsh):
        named = {line.split(":")[0] for line in part.splitlines() if ": " in line}
        assert {"README.txt", "attachment.pdf", "ties.csv", "versions.csv", "audit.csv"} <= named
        assert "versions/v001.json … versions/v003.json" in named
    assert "subject access" in english and "in Welsh." in english  # Alys's own language
    assert translator("cy")("the ties of the current map, one row each, for a spreadsheet.") in welsh


def test_the_audit_csv_neutralises_formulas_and_keeps_every_entry() -> None:
    entries = [
        AuditEntry(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "oidc:x:1", AuditAction.BREAK_GLASS, "p1", "m1", 3, True,
                   detail="=HYPERLINK(\"http://x\")", user_name="@Bethan", user_email="bethan@example.org"),
        AuditEntry(datetime(2026, 12, 1, 9, 5, tzinfo=UTC), "local", AuditAction.DENIED, None, None, None, False,
                   detail="open"),
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(audit_csv(entries).decode())))
    assert rows[0] == list(AUDIT_COLUMNS)
    assert rows[1] == ["2026-12-01T09:00:00+00:00", "break-glass", "yes", "oidc:x:1", "'@Bethan",
                       "bethan@example.org", "p1", "m1", "3", "", "'=HYPERLINK(\"http://x\")"]  # fmt: skip
    assert rows[2][:3] == ["2026-12-01T09:05:00+00:00", "denied", "no"] and len(rows) == 3
