"""People's rights: the consent a map records, and everything held about one person as one ZIP."""

from __future__ import annotations

import json

import pytest

from ecomap.errors import MapInvalid
from ecomap.model import Consent, EcoMap
from ecomap.report import attachment
from tests.conftest import alys, document
from tests.test_report import pdf_text

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
