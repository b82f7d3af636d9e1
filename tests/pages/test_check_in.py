"""The home visit's check-out and check-in page (pages/check_in.py), run by AppTest in team mode: the laptop's
own store is the page tests' SQLite file, the team server a second SQLite file or a PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from ecomap.access import Role
from ecomap.settings import TEAM_DATABASE_URL_VARIABLE
from ecomap.store import OPERATOR, Store, checkouts
from tests.conftest import alys, gwen
from tests.pages.conftest import link_labels, people_page, shown
from tests.pages.team_mode import signed_in, user
from ui.check_in import CHOSEN_KEY, IN_KEY, OUT_KEY, PEOPLE_KEY, UNTIL_KEY, _team_store, choice_key

ANWEN = ("anwen", "anwen@example.org", "Anwen Evans")
BRYN = ("bryn", "bryn@example.org", "Bryn *Thomas*")
CARYS = ("carys", "carys@example.org", "Carys Jones")
PAGE = "pages/check_in.py"


@dataclass
class Team:
    server: Store
    alys: str
    gwen: str


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def team(request: pytest.FixtureRequest, database: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    """A team server where Anwen and Bryn are in team North, with Alys and Gwen; Carys is in no team there."""
    url = request.getfixturevalue(f"{request.param}_url")
    if request.param == "sqlite":
        url = url.replace("ecomap.db", "team.db")
    monkeypatch.setenv(TEAM_DATABASE_URL_VARIABLE, url)
    server = Store.from_url(url)
    server.migrate()
    anwen, bryn, carys = user(*ANWEN), user(*BRYN), user(*CARYS)
    for each in (anwen, bryn, carys):
        server.record_sign_in(each)
    north = server.create_team(OPERATOR, "North")
    for each in (anwen, bryn):
        server.add_member(OPERATOR, north.id, each.id, Role.PRACTITIONER)
    first = server.add_person(anwen, alys(), team_id=north.id)
    second = server.add_person(bryn, gwen(), team_id=north.id)
    try:
        yield Team(server, first.person_id, second.person_id)
    finally:
        # The page's engine for the team server, shared by sessions as the app's own store is: closed here.
        _team_store(url).engine.dispose()
        _team_store.clear()
        server.engine.dispose()


def page(who: tuple[str, str, str] = ANWEN) -> AppTest:
    return signed_in(people_page().switch_page(PAGE), *who)


def said(at: AppTest) -> str:
    """Every message and text the run drew, as a reader sees it."""
    parts = [str(e.value) for kind in ("success", "warning", "error", "info", "markdown") for e in at.get(kind)]
    return shown("\n".join(parts))


def checked_out_on(server: Store) -> dict[str, str]:
    """The server's open check-outs: person id -> the user who holds it."""
    with server.engine.connect() as connection:
        rows = connection.execute(
            select(checkouts.c.person_id, checkouts.c.user_id).where(
                checkouts.c.ended_at.is_(None), checkouts.c.copy_of.is_(None)
            )
        ).all()
    return {person_id: user_id for person_id, user_id in rows}


def check_out_both(at: AppTest, team: Team) -> AppTest:
    at.run()
    assert not at.exception
    at.multiselect(key=PEOPLE_KEY).set_value([team.alys, team.gwen])
    return at.button(key=OUT_KEY).click().run()


def test_two_people_are_checked_out_and_come_back_one_as_it_was_the_other_as_chosen(
    team: Team, database: Store
) -> None:
    anwen = user(*ANWEN)
    at = page()
    at.run()
    assert not at.exception
    assert at.date_input(key=UNTIL_KEY).value == date.today() + timedelta(days=1)
    assert at.multiselect(key=PEOPLE_KEY).options == ["Alys Pritchard", "Gwen Morgan"]

    check_out_both(at, team)
    assert not at.exception
    assert "copied to this laptop: Alys Pritchard, Gwen Morgan." in said(at)
    assert {copy.person_id for copy in database.copies(anwen)} == {team.alys, team.gwen}
    assert checked_out_on(team.server) == {team.alys: anwen.id, team.gwen: anwen.id}
    assert "Everyone you may see on the team server is on this laptop already." in said(at)

    # On the visit both maps change; meanwhile Bryn changes Gwen's on the server.
    here = {copy.person_id: copy for copy in database.copies(anwen)}
    m = database.open(anwen, alys().id).map
    database.save(anwen, m.replace(title="On the visit"), expected_version=here[team.alys].current_version)
    m = database.open(anwen, gwen().id).map
    database.save(anwen, m.with_tie_fields("t1", strength="strong"), expected_version=here[team.gwen].current_version)
    theirs = team.server.open(user(*BRYN), gwen().id)
    team.server.save(user(*BRYN), theirs.map.with_tie_fields("t2", strength="strong"), expected_version=theirs.version)

    at.run()
    assert "Gwen Morgan: checked out until" in said(at)
    at.button(key=IN_KEY).click().run()
    assert not at.exception
    words = said(at)
    assert "Alys Pritchard is back on the team server: the visit’s versions are 2 there." in words
    assert "still here: Gwen Morgan" in words
    assert [copy.person_id for copy in database.copies(anwen)] == [team.gwen]
    assert team.server.open(anwen, alys().id).map.title == "On the visit"
    assert "Dafydd was changed on the visit." in words
    assert "Mrs Hughes was changed on the server." in words
    assert any("+ new" in shown(caption.value) for caption in at.caption)  # the change map's key, under it

    at.segmented_control(key=choice_key(team.gwen, "t1")).set_value("visit")
    at.button(key=CHOSEN_KEY).click().run()
    assert not at.exception
    assert "Choose what to keep for each change first." in said(at)
    assert database.copies(anwen)

    at.segmented_control(key=choice_key(team.gwen, "t2")).set_value("visit")
    at.button(key=CHOSEN_KEY).click().run()
    assert not at.exception
    words = said(at)
    assert "Gwen Morgan is back on the team server: the visit’s versions are 3 there, and the map as you chose" in words
    assert "is version 4." in words
    kept = team.server.open(anwen, gwen().id).map
    assert [(tie.name, tie.strength) for tie in kept.ties] == [("Dafydd", "strong"), ("Mrs Hughes", "tenuous")]
    assert database.copies(anwen) == []
    assert checked_out_on(team.server) == {}
    assert "Nobody is checked out to this laptop." in words


def test_someone_checked_out_by_another_is_said_and_nobody_is_checked_out(team: Team, database: Store) -> None:
    team.server.check_out(user(*BRYN), [team.gwen], date.today() + timedelta(days=3))
    at = check_out_both(page(), team)
    assert not at.exception
    assert at.error[0].value.startswith("Nobody was checked out: Gwen Morgan is checked out by Bryn \\*Thomas\\* until")
    assert database.copies(user(*ANWEN)) == []
    assert checked_out_on(team.server) == {team.gwen: user(*BRYN).id}


def test_a_practitioner_who_sees_nobody_on_the_team_server_is_told_so(team: Team) -> None:
    at = page(CARYS).run()
    assert not at.exception
    words = said(at)
    assert "There is no one on the team server you may check out" in words
    assert "Nobody is checked out to this laptop." in words
    assert not at.get("multiselect")


def test_the_page_is_linked_only_where_there_is_a_team_server(database: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at = people_page().run()
    assert not at.exception
    assert "Check out and check in" not in link_labels(at)
    at = people_page().switch_page(PAGE).run()
    assert not at.exception
    assert "This laptop has no team server to check people out from." in said(at)

    monkeypatch.setenv(TEAM_DATABASE_URL_VARIABLE, "sqlite:///" + str(database.engine.url.database))
    at = people_page().run()
    assert "Check out and check in" in link_labels(at)
    # Without sign-in nobody is named to act on the team server.
    at = people_page().switch_page(PAGE).run()
    assert not at.exception
    assert "needs you signed in as yourself" in said(at)


def test_the_page_speaks_welsh(team: Team) -> None:
    at = page()
    at.query_params["lang"] = "cy"
    at = check_out_both(at, team)
    assert not at.exception
    assert "Alys Pritchard, Gwen Morgan" in said(at)
    assert "copied to this laptop" not in said(at)


def test_a_team_server_that_cannot_be_reached_is_said_plainly(database: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://ecomap:s3cret@127.0.0.1:9/ecomap"  # nothing listens on the discard port
    monkeypatch.setenv(TEAM_DATABASE_URL_VARIABLE, url)
    try:
        at = page().run()
        assert not at.exception
        assert "(it cannot be reached)" in at.error[0].value
        assert "s3cret" not in said(at)
        assert "Nobody is checked out to this laptop." in said(at)
    finally:
        _team_store(url).engine.dispose()
        _team_store.clear()
