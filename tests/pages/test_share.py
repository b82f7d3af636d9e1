"""The share page (pages/share.py), run by Streamlit's AppTest against a temporary database."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from ecomap.store import LOCAL_USER, AuditAction, Store
from tests.conftest import alys
from tests.pages.conftest import people_page, shown


def test_the_share_page_offers_every_format(database: Store) -> None:
    database.add_person(LOCAL_USER, alys())
    at = people_page().switch_page("pages/share.py")
    at.query_params["map"] = alys().id
    at.run()
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    assert len(labels) == 8 and "Assessment attachment (PDF)" in labels


class Files:
    """The media file managers of AppTest's runs, so that a download's deferred file can be made as a click would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.managers: list[MediaFileManager] = []
        made = self.managers

        class Recorded(MediaFileManager):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                made.append(self)

        monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Recorded)

    def download(self, at: AppTest, label: str) -> None:
        """Make the file of the download button ``label`` of the last run, as the browser's click does."""
        (button,) = [b for b in at.get("download_button") if b.proto.label == label]
        assert button.proto.deferred_file_id, "the button has no file to make"
        self.managers[-1].execute_deferred(button.proto.deferred_file_id)


def _share_page(map_id: str) -> AppTest:
    at = people_page().switch_page("pages/share.py")
    at.query_params["map"] = map_id
    return at.run()


def _consent_said(at: AppTest) -> list[str]:
    return [shown(m.value) for m in at.main.get("markdown") if ":**" in m.value]


def _disabled(at: AppTest) -> set[bool]:
    return {button.proto.disabled for button in at.get("download_button")}


def test_with_no_consent_recorded_every_download_waits_for_a_reason_that_goes_into_the_audit(
    database: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = Files(monkeypatch)
    opened = database.add_person(LOCAL_USER, alys())
    at = _share_page(opened.map.id)
    assert not at.exception
    assert _consent_said(at) == ["**Consent to record the map:** Not recorded"]
    assert "does not cover sharing Alys’s map" in at.warning[0].value
    assert _disabled(at) == {True}  # nothing is made before a reason is given
    at.text_input(key="share_reason").input("   ").run()
    assert _disabled(at) == {True}  # spaces are no reason

    at.text_input(key="share_reason").input("A safeguarding\nreferral to the GP").run()
    assert _disabled(at) == {False}
    files.download(at, "Assessment attachment (PDF)")
    (entry,) = [e for e in database.audit(LOCAL_USER) if e.action == AuditAction.EXPORT]
    assert (entry.detail, entry.version, entry.person_id) == (
        "pdf: A safeguarding referral to the GP",
        1,
        opened.person_id,
    )


@pytest.mark.parametrize(
    ("consent", "said"),
    [
        ({"to_record": False, "share_with": ["team"]}, ["Not given", "The team working with them"]),
        ({"to_record": True, "share_with": []}, ["Given", "Nobody"]),
    ],
)
def test_consent_that_does_not_cover_sharing_is_shown_and_asks_for_a_reason(
    database: Store, consent: dict[str, object], said: list[str]
) -> None:
    database.add_person(LOCAL_USER, alys().with_record(consent=consent))
    at = _share_page(alys().id)
    assert _consent_said(at) == [
        f"**Consent to record the map:** {said[0]}",
        f"**May be shared with:** {said[1]}",
    ]
    assert at.text_input(key="share_reason") and _disabled(at) == {True}


def test_consent_that_covers_sharing_is_shown_and_downloads_need_no_reason(
    database: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = Files(monkeypatch)
    agreed = {"to_record": True, "share_with": ["team", "gp"], "share_also_with": "Her advocate"}
    database.add_person(LOCAL_USER, alys().with_record(consent=agreed))
    at = _share_page(alys().id)
    assert not at.exception
    assert _consent_said(at) == [
        "**Consent to record the map:** Given",
        "**May be shared with:** The team working with them, Their GP, Her advocate",
    ]
    assert not at.warning and not [w for w in at.text_input if w.key == "share_reason"]
    assert _disabled(at) == {False}
    files.download(at, "Ties as a spreadsheet (CSV)")
    (entry,) = [e for e in database.audit(LOCAL_USER) if e.action == AuditAction.EXPORT]
    assert entry.detail == "csv"


def test_the_consent_is_shown_in_welsh(database: Store) -> None:
    database.add_person(LOCAL_USER, alys().with_record(consent={"to_record": True, "share_with": ["family"]}))
    at = people_page().switch_page("pages/share.py")
    at.query_params["map"] = alys().id
    at.query_params["lang"] = "cy"
    at.run()
    assert not at.exception
    assert _consent_said(at) == ["**Caniatâd i gofnodi’r map:** Wedi’i roi", "**Gellir ei rannu gyda:** Eu teulu"]


def test_the_consent_is_recorded_under_for_the_record_beside_the_map(database: Store) -> None:
    from tests.pages.conftest import open_record, opened_on_map

    at, map_id = opened_on_map(database)
    open_record(at)
    at.button_group(key="consent_to_record_1").set_value("yes").run()
    at.button_group(key="consent_share_with_1").set_value(["team", "agencies"]).run()
    at.text_input(key="consent_share_also_1").input("  Her advocate ").run()
    assert not at.exception
    consent = database.open(LOCAL_USER, map_id).map.record.consent
    assert consent is not None
    assert (consent.to_record, consent.share_with, consent.share_also_with) == (
        True,
        ("team", "agencies"),
        "Her advocate",
    )
    assert consent.covers_sharing

    at.button_group(key="consent_share_with_1").set_value(["team", "agencies", "nobody"]).run()
    assert database.open(LOCAL_USER, map_id).map.record.consent.share_with == ()  # type: ignore[union-attr]
    assert at.button_group(key="consent_share_with_1").value == ["nobody"]
    at.button_group(key="consent_share_with_1").set_value(["nobody", "gp"]).run()
    assert database.open(LOCAL_USER, map_id).map.record.consent.share_with == ("gp",)  # type: ignore[union-attr]

    at.button_group(key="consent_to_record_1").set_value(None).run()
    at.button_group(key="consent_share_with_1").set_value([]).run()
    at.text_input(key="consent_share_also_1").input("").run()
    assert not at.exception
    assert database.open(LOCAL_USER, map_id).map.record.consent is None  # nothing left: nothing recorded
