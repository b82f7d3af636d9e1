"""The sign-in gate, page by page (AppTest): what a signed-out session sees, the audit of a sign-in and
a sign-out, the idle time-out and an old sign-in, and local mode said plainly."""

from __future__ import annotations

import time
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from ecomap.access import Role
from ecomap.examples import load_examples
from ecomap.store import LOCAL_USER, OPERATOR, AuditAction, Store, User
from tests.pages.conftest import map_page, people_page
from ui.signin import LAST_USE_KEY

ISSUER = "https://login.example"
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a test cookie secret of 32 characters at least",
        "client_id": "ecomap",
        "client_secret": "a test client secret",
        "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
    }
}
BETHAN = {"iss": ISSUER, "sub": "bethan", "name": "Bethan Roberts", "email": "bethan@example.org"}
NAMES = ("Alys", "Rhys", "Cai", "Pritchard")


@pytest.fixture
def teams(database: Store) -> dict[str, str]:
    """Alys in the north team, where Bethan works; Rhys and Cai in no team of hers."""
    load_examples(database, LOCAL_USER)
    people = {person.name: person for person in database.people(LOCAL_USER)}
    north = database.create_team(OPERATOR, "North")
    database.add_member(OPERATOR, north.id, BETHAN["email"], Role.PRACTITIONER)
    database.move_person(OPERATOR, people["Alys Pritchard"].person_id, north.id)
    return {"alys": people["Alys Pritchard"].map_id, "rhys": people["Rhys Morgan"].map_id}


def in_team_mode(at: AppTest, user: dict[str, Any] | None = None) -> AppTest:
    at.secrets = dict(AUTH)
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    return at


def signed_in(claims: dict[str, Any] = BETHAN, *, made: float | None = None) -> dict[str, Any]:
    return {**claims, "iat": int(time.time() if made is None else made)}


def words(at: AppTest) -> str:
    """Everything the run drew in words: text, markdown, titles, captions, messages, labels."""
    parts = [str(e.value) for kind in ("markdown", "title", "caption", "info") for e in at.get(kind)]
    parts += [str(e.label) for kind in ("button", "selectbox", "button_group") for e in at.get(kind)]
    parts += [link.proto.label for link in at.get("page_link")]
    return "\n".join(parts)


def audit_of(store: Store, claims: dict[str, Any]) -> list[AuditAction]:
    user = User.from_claims(claims)
    return [e.action for e in store.audit(user) if e.user_id == user.id and e.action in ("sign-in", "sign-out")]


def test_a_signed_out_session_sees_only_the_sign_in(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page()).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert [e.value for e in at.title] == ["Ecomap"]
    assert at.get("page_link") == [] and at.sidebar.get("button_group") == []
    assert [s.label for s in at.segmented_control] == ["Language"]
    assert not any(name in words(at) for name in NAMES)


@pytest.mark.parametrize("page", ["map", "share", "history"])
def test_a_map_address_gives_a_signed_out_session_nothing(database: Store, teams: dict[str, str], page: str) -> None:
    at = people_page().switch_page(f"pages/{page}.py") if page != "map" else map_page(teams["alys"])
    at.query_params["map"] = teams["alys"]
    at = in_team_mode(at).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not any(name in words(at) for name in NAMES)
    assert database.search_audit(OPERATOR, actions=[AuditAction.OPEN]) == []


def test_a_sign_in_is_audited_once_and_shows_only_the_team_people(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page(), signed_in()).run()
    assert not at.exception
    labels = [link.proto.label for link in at.main.get("page_link")]
    assert any("Alys Pritchard" in label for label in labels)
    assert not any("Rhys" in label or "Cai" in label for label in labels)
    assert "Signed in as Bethan Roberts" in [c.value for c in at.sidebar.caption]
    at.run()
    at.switch_page("pages/map.py")
    at.query_params["map"] = teams["alys"]
    at.run()
    assert audit_of(database, BETHAN) == [AuditAction.SIGN_IN]


def test_signing_out_is_audited_and_leaves_only_the_sign_in(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page(), signed_in()).run()
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception
    assert audit_of(database, BETHAN) == [AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not any(name in words(at) for name in NAMES)


def test_a_session_unused_for_the_idle_time_is_signed_out_saying_so(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page(), signed_in()).run()
    at.session_state[LAST_USE_KEY] = time.time() - 31 * 60
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["You were signed out after 30 minutes without use. Every change was saved."]
    assert audit_of(database, BETHAN) == [AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    assert not any(name in words(at) for name in NAMES)
    at.run()
    assert audit_of(database, BETHAN) == [AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    assert [b.label for b in at.button] == ["Sign in"]


def test_a_session_used_within_the_idle_time_stays_signed_in(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page(), signed_in()).run()
    at.session_state[LAST_USE_KEY] = time.time() - 29 * 60
    at.run()
    assert "Signed in as Bethan Roberts" in [c.value for c in at.sidebar.caption]
    assert audit_of(database, BETHAN) == [AuditAction.SIGN_IN]


def test_an_old_sign_in_is_not_taken_up_by_a_new_session(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page(), signed_in(made=time.time() - 31 * 60)).run()
    assert not at.exception
    assert [i.value for i in at.info] == ["Your sign-in has ended. Sign in again to go on."]
    assert audit_of(database, BETHAN) == []
    assert not any(name in words(at) for name in NAMES)


def test_the_sign_in_screen_speaks_welsh(database: Store, teams: dict[str, str]) -> None:
    at = in_team_mode(people_page()).run()
    at.segmented_control(key="language").set_value("cy").run()
    assert [b.label for b in at.button] == ["Mewngofnodi"]


def test_local_mode_says_so_plainly(database: Store) -> None:
    at = people_page().run()
    assert "Local mode: one practitioner on this machine, no sign-in" in [c.value for c in at.sidebar.caption]
    assert at.sidebar.get("button") == []


def test_a_tap_after_the_idle_time_does_nothing_but_sign_out(database: Store, teams: dict[str, str]) -> None:
    # Naming a version saves in the form's callback, before the page (and its gate) runs.
    at = people_page().switch_page("pages/history.py")
    at.query_params["map"] = teams["alys"]
    at = in_team_mode(at, signed_in()).run()

    def name_it(name: str) -> None:
        at.text_input(key="name_text").input(name)
        at.button[[b.label for b in at.button].index("Name this version")].click().run()
        assert not at.exception

    name_it("first conversation")
    assert len(database.search_audit(OPERATOR, actions=[AuditAction.LABEL])) == 1
    at.session_state[LAST_USE_KEY] = time.time() - 31 * 60
    name_it("later")
    assert [b.label for b in at.button] == ["Sign in"]
    assert audit_of(database, BETHAN) == [AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    assert len(database.search_audit(OPERATOR, actions=[AuditAction.LABEL])) == 1


def test_someone_in_no_team_is_told_so_and_sees_no_one(database: Store, teams: dict[str, str]) -> None:
    dewi = {"iss": ISSUER, "sub": "dewi", "name": "Dewi Jones", "email": "dewi@example.org"}
    at = in_team_mode(people_page(), signed_in(dewi)).run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "You are not in a team yet, so there is no one to show here. Ask whoever looks after Ecomap to add you to "
        "your team."
    ]
    assert not any(name in words(at) for name in NAMES)
    assert "Add and open their map" not in words(at) and "Load the example maps" not in words(at)


def test_a_team_with_no_one_yet_is_offered_the_examples(database: Store, teams: dict[str, str]) -> None:
    south = database.create_team(OPERATOR, "South")
    database.add_member(OPERATOR, south.id, "dewi@example.org", Role.PRACTITIONER)
    dewi = {"iss": ISSUER, "sub": "dewi", "name": "Dewi Jones", "email": "dewi@example.org"}
    at = in_team_mode(people_page(), signed_in(dewi)).run()
    assert [b.label for b in at.button if b.label == "Load the example maps"] == ["Load the example maps"]
