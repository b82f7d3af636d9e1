"""Check-out and check-in: a PostgreSQL team server, a laptop's SQLite visit store, and the merge tie by tie."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ecomap.access import Role
from ecomap.checkout import DETAILS, ChoicesNeeded, Side, check_in, check_out, differences, merge, said
from ecomap.database import check
from ecomap.errors import AccessDenied
from ecomap.model import EcoMap
from ecomap.store import LOCAL_USER, OPERATOR, AuditAction, CheckedOutElsewhere, Store, User, checkouts
from tests.conftest import alys, document, gwen

ANWEN = User("oidc:team:anwen", "Anwen Evans", "anwen@example.org")
BRYN = User("oidc:team:bryn", "Bryn Thomas", "bryn@example.org")
CARYS = User("oidc:team:carys", "Carys Jones", "carys@example.org")

TODAY = datetime.now(UTC).date()
NEXT_WEEK = TODAY + timedelta(days=7)


@dataclass
class Team:
    server: Store
    visit: Store
    alys: str
    gwen: str
    elsewhere: str


@pytest.fixture
def team(postgres_url: str, sqlite_url: str) -> Iterator[Team]:
    """A team server (PostgreSQL) where Anwen and Bryn are in team North and Carys in South, with Alys and
    Gwen in North and one record in South; and Anwen's laptop's visit store (SQLite)."""
    server, visit = Store.from_url(postgres_url), Store.from_url(sqlite_url)
    try:
        yield _team(server, visit)
    finally:
        server.engine.dispose()
        visit.engine.dispose()


def _team(server: Store, visit: Store) -> Team:
    server.migrate()
    visit.migrate()
    for user in (ANWEN, BRYN, CARYS):
        server.record_sign_in(user)
    north, south = server.create_team(OPERATOR, "North"), server.create_team(OPERATOR, "South")
    server.add_member(OPERATOR, north.id, ANWEN.id, Role.PRACTITIONER)
    server.add_member(OPERATOR, north.id, BRYN.id, Role.PRACTITIONER)
    server.add_member(OPERATOR, south.id, CARYS.id, Role.PRACTITIONER)
    first = server.add_person(ANWEN, alys(), team_id=north.id)
    server.save(ANWEN, alys().replace(title="Second conversation"), expected_version=1)
    server.label_version(ANWEN, alys().id, 1, "first conversation")
    second = server.add_person(BRYN, gwen(), team_id=north.id)
    other = server.add_person(CARYS, alys().replace(id="m-south"), team_id=south.id)
    return Team(server, visit, first.person_id, second.person_id, other.person_id)


def _documents(store: Store, person_id: str) -> dict[int, str]:
    return store.subject_access(OPERATOR, person_id).documents


def _actions(store: Store, person_id: str | None = None) -> list[str]:
    """The audit's actions, oldest first, but the test's own readings of it."""
    read = {AuditAction.SUBJECT_ACCESS, AuditAction.VIEW_AUDIT}
    return [str(e.action) for e in reversed(store.search_audit(OPERATOR, person_id=person_id)) if e.action not in read]


def _rows_of(store: Store, person_id: str, map_id: str) -> int:
    """How many rows of any table name the person or their map."""
    found = 0
    with store.engine.connect() as connection:
        for table, column in (
            ("people", "id"),
            ("maps", "person_id"),
            ("map_versions", "map_id"),
            ("version_labels", "map_id"),
            ("map_facts", "map_id"),
            ("audit", "person_id"),
            ("audit", "map_id"),
            ("checkouts", "person_id"),
        ):
            key = map_id if column == "map_id" else person_id
            found += connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE {column} = :k"), {"k": key}
            ).scalar_one()
    return found


@pytest.mark.postgres
def test_two_people_go_on_a_visit_and_come_back_with_every_version_kept(team: Team) -> None:
    server, visit = team.server, team.visit
    carried = check_out(server, visit, ANWEN, [team.alys, team.gwen], NEXT_WEEK)
    assert [c.person["id"] for c in carried] == [team.alys, team.gwen]
    # The laptop holds both records, every version and its name, and the laptop's own user sees them.
    assert _documents(visit, team.alys) == _documents(server, team.alys)
    assert [v.label for v in visit.versions(ANWEN, alys().id)] == ["first conversation", ""]
    assert {c.person_id for c in visit.copies(LOCAL_USER)} == {team.alys, team.gwen}
    assert _actions(visit, team.alys) == ["check-out"] and _actions(server, team.alys)[-1] == "check-out"
    with pytest.raises(CheckedOutElsewhere, match="checked out by Anwen Evans until"):
        server.check_out(BRYN, [team.gwen], NEXT_WEEK)

    # On the visit: Alys's map twice, Gwen's once; on the server meanwhile Bryn changes Gwen's.
    a = visit.open(ANWEN, alys().id).map
    visit.save(ANWEN, a.with_tie({"id": "t4", "name": "Nain", "sector": "family"}), expected_version=2)
    visit.save(LOCAL_USER, a.with_tie_fields("t3", stressful=False), expected_version=3)
    g = visit.open(ANWEN, gwen().id).map
    visit.save(ANWEN, g.with_tie_fields("t1", strength="strong").with_tie_fields("t2", notes="Visits on Sundays"),
               expected_version=1)  # fmt: skip
    server.save(BRYN, g.with_tie_fields("t2", strength="cut_off"), expected_version=1)
    visit_gwen = _documents(visit, team.gwen)
    visit_alys = _documents(visit, team.alys)
    alys_on_visit = visit.versions(ANWEN, alys().id)
    server_gwen = _documents(server, team.gwen)

    outcomes = {o.person_id: o for o in check_in(server, visit, ANWEN)}
    # Alys lands: versions 3 and 4 as they were made, with their times and authors (the laptop's user is Anwen).
    assert outcomes[team.alys].state == "landed"
    assert outcomes[team.alys].versions == (3, 4)
    assert _documents(server, team.alys) == visit_alys
    landed = server.versions(ANWEN, alys().id)
    assert [v.saved_by for v in landed] == [ANWEN.id] * 4
    assert [v.label for v in landed] == ["first conversation", "", "", ""]
    assert [v.saved_at for v in landed][2:] == [v.saved_at for v in alys_on_visit][2:]
    # Gwen needs a choice: t2 differs (the visit wrote a note, the server cut the tie off), and t1.
    gwen_outcome = outcomes[team.gwen]
    assert gwen_outcome.state == "choose"
    assert [(d.key, d.how, d.by) for d in gwen_outcome.differences] == [
        ("t1", "changed", "visit"),
        ("t2", "changed", "both"),
    ]
    assert gwen_outcome.server_map is not None and gwen_outcome.visit_map is not None
    words = said(gwen_outcome.differences[0], gwen_outcome.server_map, gwen_outcome.visit_map)
    assert words[0] == "Dafydd was changed on the visit."
    assert any("stronger" in sentence for sentence in words)
    # Nothing of Gwen's was written: her copy stays, and the server has its own two versions.
    assert _documents(server, team.gwen) == server_gwen
    assert [c.person_id for c in visit.copies(ANWEN)] == [team.gwen]

    outcomes = {o.person_id: o for o in check_in(server, visit, ANWEN, {team.gwen: {"t1": "visit", "t2": "server"}})}
    assert outcomes[team.gwen].state == "merged"
    assert outcomes[team.gwen].versions == (3,)
    assert outcomes[team.gwen].merged_version == 4
    after = _documents(server, team.gwen)
    # Every version of both sides is there: the server's 1 and 2, the visit's (as 3), and the choice.
    assert len(after) == 4
    assert after[1] == server_gwen[1] == visit_gwen[1]
    assert after[2] == server_gwen[2]
    assert after[3] == visit_gwen[2]
    chosen = server.open(ANWEN, gwen().id).map
    assert chosen.tie("t1").strength == "strong"
    assert chosen.tie("t2").strength == "cut_off" and chosen.tie("t2").notes == ""
    assert [v.label for v in server.versions(ANWEN, gwen().id)] == ["", "", "made on the visit", ""]

    # The laptop's copies are gone, every row of them; the check-outs have ended.
    assert visit.copies(LOCAL_USER) == []
    assert _rows_of(visit, team.alys, alys().id) == 0
    assert _rows_of(visit, team.gwen, gwen().id) == 0
    with server.engine.connect() as connection:
        assert connection.execute(select(checkouts.c.ended_at.is_not(None))).scalars().all() == [True, True]
    # The audit holds both: on the server each check-out and check-in, with the visit's own entries.
    alys_audit = _actions(server, team.alys)
    assert alys_audit.count("check-out") == 1 and alys_audit.count("check-in") == 1
    assert alys_audit[-3:] == ["save", "save", "check-in"]
    # On the laptop, the entries about the people went with them; one entry naming nobody says each copy went.
    assert _actions(visit) == ["check-in", "check-in"]
    for store in (server, visit):
        assert check(str(store.engine.url.render_as_string(hide_password=False))).problems == ()
    # A record checked in can be checked out again by someone else.
    assert len(server.check_out(BRYN, [team.gwen], NEXT_WEEK)) == 1


@pytest.mark.postgres
def test_only_a_record_the_user_may_see_is_checked_out(team: Team) -> None:
    with pytest.raises(AccessDenied, match=f"there is no person {team.elsewhere}"):
        check_out(team.server, team.visit, ANWEN, [team.alys, team.elsewhere], NEXT_WEEK)
    # Nothing is checked out, nothing copied, and the refusal is audited.
    assert team.visit.copies(LOCAL_USER) == []
    assert "check-out" not in _actions(team.server)
    assert team.server.search_audit(OPERATOR, actions=[AuditAction.DENIED])[0].detail == "check-out"


@pytest.mark.postgres
def test_a_check_out_lasts_until_a_day_not_past_and_then_frees_the_record(team: Team) -> None:
    with pytest.raises(ValueError, match="until today or a later day"):
        team.server.check_out(ANWEN, [team.gwen], TODAY - timedelta(days=1))
    check_out(team.server, team.visit, ANWEN, [team.gwen], TODAY)
    with pytest.raises(CheckedOutElsewhere):
        team.server.check_out(BRYN, [team.gwen], NEXT_WEEK, today=TODAY)
    # Anwen's check-out has passed its date: Bryn may take the record, and her check-out ends.
    tomorrow = TODAY + timedelta(days=1)
    bryns = team.server.check_out(BRYN, [team.gwen], NEXT_WEEK, today=tomorrow)
    assert bryns[0].checkout["until"] == NEXT_WEEK
    entry = team.server.search_audit(OPERATOR, actions=[AuditAction.CHECK_OUT])[0]
    assert entry.user_id == BRYN.id and entry.detail is not None and entry.detail.endswith("ended, past its date")
    # What Anwen did on the visit is still kept: the server changed meanwhile, so she chooses.
    g = team.visit.open(ANWEN, gwen().id).map
    team.visit.save(ANWEN, g.with_tie_fields("t1", strength="strong"), expected_version=1)
    team.server.save(BRYN, g.replace(title="Bryn's visit"), expected_version=1)
    [outcome] = check_in(team.server, team.visit, ANWEN)
    assert outcome.state == "choose"
    assert [d.key for d in outcome.differences] == ["t1", DETAILS]
    [outcome] = check_in(team.server, team.visit, ANWEN, {team.gwen: {"t1": "visit", DETAILS: "server"}})
    assert outcome.state == "merged"
    chosen = team.server.open(BRYN, gwen().id).map
    assert (chosen.title, chosen.tie("t1").strength) == ("Bryn's visit", "strong")
    assert len(_documents(team.server, team.gwen)) == 4


@pytest.mark.postgres
def test_a_copy_is_not_removed_by_hand_while_it_is_checked_out(team: Team) -> None:
    check_out(team.server, team.visit, ANWEN, [team.gwen], NEXT_WEEK)
    with team.visit.engine.connect() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("DELETE FROM map_versions WHERE map_id = 'm-gwen'"))
    with team.server.engine.connect() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("DELETE FROM map_versions WHERE map_id = 'm-gwen'"))
    assert len(_documents(team.visit, team.gwen)) == 1


@pytest.mark.postgres
def test_a_check_in_that_landed_is_not_landed_twice(team: Team) -> None:
    check_out(team.server, team.visit, ANWEN, [team.gwen], NEXT_WEEK)
    g = team.visit.open(ANWEN, gwen().id).map
    team.visit.save(ANWEN, g.replace(title="At home"), expected_version=1)
    brought = team.visit.brought_back(ANWEN, team.gwen)
    assert team.server.land(ANWEN, brought, expected_version=1).versions == (2,)
    again = team.server.land(ANWEN, brought, expected_version=2)
    assert again.already and again.versions == ()
    assert len(_documents(team.server, team.gwen)) == 2
    # A check-in run again after the laptop's copy failed to go removes it and writes nothing more.
    [outcome] = check_in(team.server, team.visit, ANWEN)
    assert outcome.versions == ()
    assert team.visit.copies(LOCAL_USER) == []
    assert len(_documents(team.server, team.gwen)) == 2


@pytest.mark.postgres
def test_someone_else_cannot_check_in_a_copy(team: Team) -> None:
    check_out(team.server, team.visit, ANWEN, [team.gwen], NEXT_WEEK)
    brought = team.visit.brought_back(ANWEN, team.gwen)
    with pytest.raises(AccessDenied, match="is not yours"):
        team.server.land(BRYN, brought, expected_version=1)


def test_the_migration_goes_down_and_up_again_with_the_guards(database_url: str) -> None:
    store = Store.from_url(database_url)
    store.migrate()
    store.add_person(LOCAL_USER, alys())
    store.migrate("0008", down=True)
    store.migrate()
    assert check(database_url).problems == ()
    store.engine.dispose()


# -- the merge, tie by tie ------------------------------------------------------------------------

_NAMES = ("Mam", "Dad", "Nain", "Sioned", "Côr", "Meddygfa")
_TIE = st.fixed_dictionaries(
    {
        "name": st.sampled_from(_NAMES),
        "sector": st.sampled_from(["family", "community", "services"]),
        "strength": st.sampled_from(["cut_off", "tenuous", "moderate", "strong"]),
        "stressful": st.booleans(),
    }
)
#: A map: some of six tie ids, each with its own fields, some links between them, and a title.
_MAPS = st.builds(
    lambda ties, links, title: _map(ties, links, title),
    st.dictionaries(st.sampled_from([f"t{i}" for i in range(6)]), _TIE, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=6),
    st.sampled_from(["", "First", "Later"]),
)


def _map(ties: dict[str, dict[str, object]], links: list[tuple[int, int]], title: str) -> EcoMap:
    ids = sorted(ties)
    pairs = {frozenset((ids[a % len(ids)], ids[b % len(ids)])) for a, b in links} if ids else set()
    return EcoMap.from_dict(
        document(
            title=title,
            ties=[{"id": key, **fields} for key, fields in ties.items()],
            links=[{"between": sorted(pair)} for pair in pairs if len(pair) == 2],
            plan=[{"id": "a1", "action": "Ring", "tie": ids[0]}] if ids else [],
        )
    )


@settings(max_examples=150, deadline=None)
@given(base=_MAPS, server=_MAPS, visit=_MAPS, sides=st.lists(st.sampled_from(["server", "visit"]), min_size=8))
def test_each_tie_is_the_chosen_sides_and_the_rest_is_kept(
    base: EcoMap, server: EcoMap, visit: EcoMap, sides: list[Side]
) -> None:
    found = differences(base, server, visit)
    choices = {d.key: sides[i % len(sides)] for i, d in enumerate(found)}
    kept = merge(base, server, visit, choices)
    on = {"server": {t.id: t for t in server.ties}, "visit": {t.id: t for t in visit.ties}}
    result = {t.id: t for t in kept.ties}
    for d in found:
        if d.key != DETAILS:
            assert result.get(d.key) == on[choices[d.key]].get(d.key)
    same = {key for key in on["server"] if on["server"][key] == on["visit"].get(key)}
    assert {key: result[key] for key in same} == {key: on["server"][key] for key in same}
    assert set(result) <= set(on["server"]) | set(on["visit"])
    rest = visit if choices.get(DETAILS) == "visit" else server
    assert kept.title == rest.title
    # The result is a valid map: every link's and plan item's tie is on it.
    assert EcoMap.from_dict(kept.to_dict()) == kept
    assert all(set(link.between) <= set(result) for link in kept.links)


@settings(max_examples=100, deadline=None)
@given(base=_MAPS, server=_MAPS, visit=_MAPS, side=st.sampled_from(["server", "visit"]))
def test_choosing_one_side_for_everything_gives_that_sides_ties(
    base: EcoMap, server: EcoMap, visit: EcoMap, side: Side
) -> None:
    kept = merge(base, server, visit, {d.key: side for d in differences(base, server, visit)})
    wanted = server if side == "server" else visit
    assert {t.id: t for t in kept.ties} == {t.id: t for t in wanted.ties}
    assert kept.person == wanted.person and kept.title == wanted.title


def test_a_merge_without_every_choice_says_which_are_missing() -> None:
    base = gwen()
    server = base.with_tie_fields("t2", strength="cut_off")
    visit = base.with_tie_fields("t1", strength="strong").replace(title="At home")
    with pytest.raises(ChoicesNeeded) as refused:
        merge(base, server, visit, {"t1": "visit"})
    assert [d.key for d in refused.value.missing] == ["t2", DETAILS]


def test_links_follow_both_sides() -> None:
    base = alys()  # t1-t2 linked
    server = base.replace(links=[{"between": ["t1", "t3"]}])  # t1-t2 taken away, t1-t3 added
    visit = base.replace(links=[{"between": ["t1", "t2"]}, {"between": ["t2", "t3"]}])  # t2-t3 added
    kept = merge(base, server, visit, {})
    assert sorted(tuple(link.between) for link in kept.links) == [("t1", "t3"), ("t2", "t3")]


def test_a_plan_item_whose_tie_goes_keeps_its_words() -> None:
    base = alys()  # the plan asks about t2
    visit = base.replace(ties=[tie for tie in base.ties if tie.id != "t2"], links=[], plan=[])
    kept = merge(base, base, visit, {"t2": "visit", DETAILS: "server"})
    assert [(item.action, item.tie) for item in kept.plan] == [("Ask when the choir meets", None)]


def test_every_difference_is_said_plainly() -> None:
    base = gwen()
    server = base.with_tie({"id": "t5", "name": "Ffion", "sector": "community"})
    visit = base.replace(ties=[base.tie("t1")]).with_tie_fields("t1", notes="new")
    found = differences(base, server, visit)
    assert [(d.key, d.how, d.by) for d in found] == [
        ("t1", "changed", "visit"),
        ("t2", "removed", "visit"),
        ("t5", "removed", "server"),
    ]
    assert [said(d, server, visit)[0] for d in found] == [
        "Dafydd was changed on the visit.",
        "Mrs Hughes was taken off the map on the visit.",
        "Ffion was added on the server.",
    ]
    assert said(found[0], server, visit)[-1] == "Its notes, own words or place on the map differ."
    # A tie made stronger with a note written is said both ways: the change map's sentence, and the note.
    stronger = base.with_tie_fields("t1", strength="strong", notes="sees him on Sundays now")
    (changed,) = differences(base, base, stronger)
    words = said(changed, base, stronger)
    assert any("stronger" in sentence for sentence in words)
    assert words[-1] == "Its notes, own words or place on the map differ."
