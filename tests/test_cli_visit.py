"""The command line of a home visit: ``visit check-out`` and ``visit check-in`` between a PostgreSQL team
server and this machine's SQLite store, each problem one line and nothing changed by it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecomap.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_TO_CHOOSE, main
from ecomap.store import LOCAL_USER, OPERATOR, Store, checkouts
from tests.conftest import alys
from tests.test_checkout import ANWEN, BRYN, NEXT_WEEK, TODAY, Team, _team, gwen

pytestmark = pytest.mark.postgres


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@dataclass
class Urls:
    team: Team
    server: str
    visit: str

    def visit_command(self, verb: str, *rest: str, who: str = "anwen@example.org") -> tuple[int, str, str]:
        return run("visit", verb, "--server", self.server, "--database", self.visit, "--as", who, *rest)


@pytest.fixture
def urls(postgres_url: str, sqlite_url: str) -> Iterator[Urls]:
    """The team of tests/test_checkout.py (Anwen and Bryn in North with Alys and Gwen, Carys in South) and
    Anwen's laptop's store, by their URLs."""
    server, visit = Store.from_url(postgres_url), Store.from_url(sqlite_url)
    try:
        yield Urls(_team(server, visit), postgres_url, sqlite_url)
    finally:
        server.engine.dispose()
        visit.engine.dispose()


def _documents(store: Store, person_id: str) -> dict[int, str]:
    return store.subject_access(OPERATOR, person_id).documents


def _open_checkouts(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(checkouts).where(checkouts.c.ended_at.is_(None))
            ).scalar_one()
        )


def test_two_people_go_out_and_come_back_one_after_a_choice_made_on_the_command_line(urls: Urls) -> None:
    team = urls.team
    server, visit = team.server, team.visit
    until = NEXT_WEEK.isoformat()
    assert urls.visit_command("check-out", team.alys, team.gwen, "--until", until) == (
        EXIT_OK,
        f"person {team.alys}: checked out until {until} (map m-test, 2 versions)\n"
        f"person {team.gwen}: checked out until {until} (map m-gwen, 1 version)\n",
        "",
    )
    assert {c.person_id for c in visit.copies(LOCAL_USER)} == {team.alys, team.gwen}

    # On the visit both maps change; meanwhile Bryn changes Gwen's on the server.
    a = visit.open(ANWEN, alys().id).map
    visit.save(ANWEN, a.with_tie({"id": "t4", "name": "Nain", "sector": "family"}), expected_version=2)
    g = visit.open(ANWEN, gwen().id).map
    visit.save(ANWEN, g.with_tie_fields("t1", strength="strong").with_tie_fields("t2", notes="Sundays"),
               expected_version=1)  # fmt: skip
    server.save(BRYN, g.with_tie_fields("t2", strength="cut_off"), expected_version=1)
    server_gwen = _documents(server, team.gwen)

    status, out, err = urls.visit_command("check-in")
    assert (status, err) == (EXIT_TO_CHOOSE, "")
    lines = out.splitlines()
    # Alys lands (copies are taken by the person's name: Alys before Gwen).
    assert lines[0] == f"person {team.alys}: landed, version 3 from the visit"
    assert lines[1].startswith(f"person {team.gwen}: the map changed on the server while it was checked out")
    assert "nothing was written" in lines[1]
    assert lines[2] == "  t1"
    assert lines[3] == "    Dafydd was changed on the visit."
    assert "  t2" in lines and "    Mrs Hughes was changed on the visit and on the server." in lines
    assert lines[-1] == (
        f"  to keep the visit's of each: visit check-in {team.gwen} --keep t1=visit --keep t2=visit "
        "(=server keeps the server's)"
    )
    assert server.open(ANWEN, alys().id).version == 3
    assert _documents(server, team.gwen) == server_gwen  # nothing of Gwen's was written
    assert [c.person_id for c in visit.copies(ANWEN)] == [team.gwen]

    # One choice given is not enough: the other is asked for, still nothing written.
    status, out, _ = urls.visit_command("check-in", "--keep", f"{team.gwen}/t1=visit")
    assert status == EXIT_TO_CHOOSE
    assert "  t1 (keeping the visit's)" in out.splitlines()
    assert out.splitlines()[-1].startswith(f"  to keep the visit's of each: visit check-in {team.gwen} --keep t2=visit")
    assert _documents(server, team.gwen) == server_gwen

    # Every choice, one for Gwen by her id and one for whoever differs there: she lands, merged.
    assert urls.visit_command("check-in", team.gwen, "--keep", f"{team.gwen}/t1=visit", "--keep", "t2=server") == (
        EXIT_OK,
        f"person {team.gwen}: landed after the choices, version 3 from the visit (named 'made on the visit'), "
        "version 4 as chosen\n",
        "",
    )
    chosen = server.open(ANWEN, gwen().id).map
    assert (chosen.tie("t1").strength, chosen.tie("t2").strength) == ("strong", "cut_off")
    assert visit.copies(LOCAL_USER) == [] and _open_checkouts(server) == 0
    assert urls.visit_command("check-in") == (EXIT_OK, "nothing checked out to this store by anwen@example.org\n", "")


def test_the_sentences_of_a_check_in_speak_welsh_when_asked(urls: Urls) -> None:
    team = urls.team
    assert urls.visit_command("check-out", team.gwen, "--until", NEXT_WEEK.isoformat())[0] == EXIT_OK
    g = team.visit.open(ANWEN, gwen().id).map
    team.visit.save(ANWEN, g.with_tie_fields("t1", strength="strong"), expected_version=1)
    team.server.save(BRYN, g.with_tie_fields("t1", strength="tenuous"), expected_version=1)
    english = urls.visit_command("check-in")[1]
    welsh = urls.visit_command("check-in", "--lang", "cy")[1]
    assert english.splitlines()[1] == welsh.splitlines()[1] == "  t1"
    assert english.splitlines()[2] == "    Dafydd was changed on the visit and on the server."
    assert welsh.splitlines()[2] == "    Newidiwyd Dafydd ar yr ymweliad ac ar y gweinydd."


@pytest.mark.parametrize(
    ("argv", "who", "said"),
    [
        (("check-out", "{alys}", "--until", "{next_week}"), "nobody@example.org",
         "nobody has signed in as nobody@example.org"),
        (("check-out", "{alys}", "no-such-person", "--until", "{next_week}"), "anwen@example.org",
         "there is no person no-such-person"),
        (("check-out", "{alys}", "--until", "2026-13-01"), "anwen@example.org",
         "visit check-out: '2026-13-01' is not a date: write it YYYY-MM-DD"),
        (("check-out", "{alys}", "--until", "{yesterday}"), "anwen@example.org",
         "visit check-out: a check-out lasts until today or a later day"),
        (("check-out", "{alys}", "{elsewhere}", "--until", "{next_week}"), "anwen@example.org",
         "there is no person {elsewhere}"),
        (("check-in", "{alys}"), "anwen@example.org", "visit check-in: person {alys} is not checked out to this store"),
        (("check-in", "--keep", "t1=mine"), "anwen@example.org",
         "visit check-in: --keep t1=mine: write it KEY=visit or KEY=server (PERSON_ID/KEY=... for one person)"),
        (("check-in", "--keep", "someone/t1=visit"), "anwen@example.org",
         "visit check-in: --keep someone/t1=visit: person someone is not checked out to this store"),
    ],
    ids=["unknown user", "unknown person", "bad date", "past date", "not visible", "not here", "bad keep",
         "keep of nobody"],
)  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(urls: Urls, argv: tuple[str, ...], who: str, said: str) -> None:
    team = urls.team
    names = {
        "alys": team.alys,
        "elsewhere": team.elsewhere,
        "next_week": NEXT_WEEK.isoformat(),
        "yesterday": (TODAY - timedelta(days=1)).isoformat(),
    }
    before = _documents(team.server, team.alys)
    status, out, err = urls.visit_command(*(part.format(**names) for part in argv), who=who)
    assert (status, out, err) == (EXIT_BAD_INPUT, "", said.format(**names) + "\n")
    assert team.visit.copies(LOCAL_USER) == []
    assert _open_checkouts(team.server) == 0
    assert _documents(team.server, team.alys) == before


def test_a_record_checked_out_by_someone_else_is_refused_by_name_of_the_holder(urls: Urls) -> None:
    team = urls.team
    team.server.check_out(BRYN, [team.gwen], NEXT_WEEK)
    assert urls.visit_command("check-out", team.alys, team.gwen, "--until", NEXT_WEEK.isoformat()) == (
        EXIT_BAD_INPUT,
        "",
        f"visit check-out: person {team.gwen} is checked out by Bryn Thomas until {NEXT_WEEK.isoformat()}\n",
    )
    assert team.visit.copies(LOCAL_USER) == [] and _open_checkouts(team.server) == 1


def test_a_store_that_is_not_at_the_newest_schema_is_named(urls: Urls, tmp_path: Path) -> None:
    from ecomap.database import head_revision

    path = tmp_path / "laptop.db"
    status, out, err = run(
        "visit", "check-out", urls.team.alys, "--until", NEXT_WEEK.isoformat(), "--server", urls.server,
        "--database", f"sqlite:///{path}", "--as", "anwen@example.org",
    )  # fmt: skip
    assert (status, out) == (EXIT_BAD_INPUT, "")
    assert err == f"{path}: there is no database file here\n"
    old = Store.from_url(f"sqlite:///{path}")
    old.migrate("0006")
    old.engine.dispose()
    status, out, err = run(
        "visit", "check-in", "--server", urls.server, "--database", f"sqlite:///{path}", "--as", "anwen@example.org"
    )
    assert err == (
        f"{path}: the schema is at revision 0006, not {head_revision()}: "
        "`python -m ecomap db upgrade` brings it there\n"
    )
    assert _open_checkouts(urls.team.server) == 0


def test_the_team_server_is_ecomap_team_database_url_unless_given_and_never_this_store(
    urls: Urls, monkeypatch: pytest.MonkeyPatch
) -> None:
    team, until = urls.team, NEXT_WEEK.isoformat()
    common = ("--database", urls.visit, "--as", "anwen@example.org")
    monkeypatch.delenv("ECOMAP_TEAM_DATABASE_URL", raising=False)
    assert run("visit", "check-in", *common) == (
        EXIT_BAD_INPUT, "", "visit check-in: say which team server: --server URL, or ECOMAP_TEAM_DATABASE_URL\n"
    )  # fmt: skip
    assert run("visit", "check-in", "--server", urls.visit, *common) == (
        EXIT_BAD_INPUT, "", "visit check-in: the team server is this machine's own store\n"
    )  # fmt: skip
    assert run("visit", "check-in", "--server", "not a url", *common) == (
        EXIT_BAD_INPUT, "", "visit check-in: --server and --database are each a database's URL\n"
    )  # fmt: skip
    monkeypatch.setenv("ECOMAP_TEAM_DATABASE_URL", urls.server)
    assert run("visit", "check-out", team.gwen, "--until", until, *common)[0] == EXIT_OK
    assert run("visit", "check-in", *common) == (
        EXIT_OK,
        f"person {team.gwen}: landed, nothing new from the visit\n",
        "",
    )
    assert _open_checkouts(team.server) == 0


def test_help_lists_the_visit_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "visit" in capsys.readouterr().out
    assert main(["visit", "--help"]) == 0
    shown = capsys.readouterr().out
    assert "check-out" in shown and "check-in" in shown
    assert main(["visit", "check-in", "--help"]) == 0
    assert "--keep" in capsys.readouterr().out
