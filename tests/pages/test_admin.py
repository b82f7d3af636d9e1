"""The admin page (pages/admin.py) and the map page's break-glass step, run by Streamlit's AppTest."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pandas as pd
from streamlit.testing.v1 import AppTest

from ecomap.access import LOCAL_TEAM_ID, Role
from ecomap.rights import README_NAME
from ecomap.store import LOCAL_USER, AuditAction, Store, User
from tests.conftest import alys
from tests.pages.conftest import people_page
from tests.pages.team_mode import signed_in, user
from tests.test_imports import imports_in, module_name, project_files
from ui.admin import AuditQuery, _download, _subject_access

CAI = ("cai", "cai@example.org", "Cai Jones")


def admin_page() -> AppTest:
    return people_page().switch_page("pages/admin.py")


def texts(at: AppTest) -> str:
    """Everything the page says in words, its tables' cells included."""
    said = [
        e.value for kind in ("markdown", "caption", "info", "success", "error", "header", "title") for e in at.get(kind)
    ]
    cells = [str(cell) for frame in at.dataframe for cell in frame.value.to_numpy().ravel()]
    return " ".join(map(str, said + cells))


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The page's table with that column (the tabs draw every table on every run)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def actions(database: Store, who: User = LOCAL_USER) -> list[str]:
    return [str(e.action) for e in database.search_audit(LOCAL_USER, user_id=who.id)]


def elsewhere(database: Store, name: str = "Another team") -> tuple[str, str]:
    """A team the local admin is not in, with one record: (team id, person id)."""
    team = database.create_team(LOCAL_USER, name)
    database.add_member(LOCAL_USER, team.id, LOCAL_USER.id, Role.PRACTITIONER)
    opened = database.add_person(LOCAL_USER, alys(), team_id=team.id)
    database.remove_member(LOCAL_USER, team.id, LOCAL_USER.id)
    return team.id, opened.person_id


# -- who may use it ---------------------------------------------------------------------------------


def test_anyone_but_an_admin_reads_that_the_page_is_for_admins_and_nothing_else(database: Store) -> None:
    database.add_member(LOCAL_USER, LOCAL_TEAM_ID, CAI[1], Role.LEAD)
    at = signed_in(admin_page(), *CAI).run()
    assert not at.exception
    assert [i.value for i in at.info] == ["This page is for admins."]
    assert not at.tabs and not at.text_input and not at.dataframe and not at.main.get("button")
    assert "Admin" not in [link.proto.label for link in at.sidebar.get("page_link")]


def test_an_admin_unmade_while_the_page_is_open_is_refused_by_the_store(database: Store) -> None:
    cai = user(*CAI)
    database.record_sign_in(cai)
    database.set_admin(LOCAL_USER, cai.id, True)
    at = admin_page().run()
    at.text_input(key="admin_new_team").input("Gogledd")
    database.set_admin(cai, LOCAL_USER.id, False)
    at.button(key="FormSubmitter:admin_team_new-Make the team").click().run()
    assert not at.exception
    assert [i.value for i in at.info] == ["This page is for admins."]
    assert [team.name for team in database.teams(cai)] == ["This machine"]
    refused = [e for e in database.search_audit(cai, user_id=LOCAL_USER.id) if e.action is AuditAction.DENIED]
    assert [e.detail for e in refused] == ["team"]


def test_the_sidebar_links_to_the_admin_page_and_the_caseload_for_the_local_admin_and_lead(database: Store) -> None:
    at = people_page().run()
    assert {"Admin", "Across the caseload"} <= {link.proto.label for link in at.sidebar.get("page_link")}


def test_a_practitioner_has_neither_link(database: Store) -> None:
    database.add_member(LOCAL_USER, LOCAL_TEAM_ID, CAI[1], Role.PRACTITIONER)
    at = signed_in(people_page(), *CAI).run()
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert "People" in labels and "Admin" not in labels and "Across the caseload" not in labels


# -- teams and members ------------------------------------------------------------------------------


def test_an_admin_makes_and_renames_a_team(database: Store) -> None:
    at = admin_page().run()
    at.text_input(key="admin_new_team").input("  Gogledd   Cymru ")
    at.button(key="FormSubmitter:admin_team_new-Make the team").click().run()
    assert not at.exception
    assert "Team Gogledd Cymru made." in [s.value for s in at.success]
    made = next(team for team in database.teams(LOCAL_USER) if team.name == "Gogledd Cymru")
    assert "Gogledd Cymru" in set(frame_with(at, "Records")["Team"])

    at.selectbox(key="admin_rename_which").set_value(made.id)
    at.text_input(key="admin_rename_to").input("This machine")
    at.button(key="FormSubmitter:admin_team_rename-Rename the team").click().run()
    assert "that no other team has" in at.error[0].value
    at.text_input(key="admin_rename_to").input("Gwynedd")
    at.button(key="FormSubmitter:admin_team_rename-Rename the team").click().run()
    assert [team.name for team in database.teams(LOCAL_USER)] == ["Gwynedd", "This machine"]
    assert actions(database).count("team") == 2


def test_an_admin_adds_a_member_by_email_changes_their_role_and_removes_them(database: Store) -> None:
    at = admin_page().run()
    at.text_input(key="admin_member_email").input("Cai@Example.org")
    at.radio(key="admin_member_role").set_value(Role.LEAD)
    at.button(key="FormSubmitter:admin_member_add-Add to the team").click().run()
    assert not at.exception
    (waiting,) = [m for m in database.members(LOCAL_USER, LOCAL_TEAM_ID) if m.pending]
    assert (waiting.email, waiting.role) == ("cai@example.org", Role.LEAD)
    members = frame_with(at, "Signed in yet")
    assert list(members.loc[members["E-mail address"] == "cai@example.org", "Signed in yet"]) == [False]

    at.selectbox(key="admin_member_which").set_value("cai@example.org")
    at.radio(key="admin_member_new_role").set_value(Role.PRACTITIONER)
    at.button(key="FormSubmitter:admin_member_change-Change the role").click().run()
    assert "Their role in the team is now Practitioner." in [s.value for s in at.success]
    assert [m.role for m in database.members(LOCAL_USER, LOCAL_TEAM_ID) if m.pending] == [Role.PRACTITIONER]

    at.selectbox(key="admin_member_which").set_value("cai@example.org")
    at.button(key="FormSubmitter:admin_member_change-Remove from the team").click().run()
    assert [m for m in database.members(LOCAL_USER, LOCAL_TEAM_ID) if m.pending] == []
    assert actions(database).count("membership") == 3

    at.text_input(key="admin_member_email").input("not an address")
    at.button(key="FormSubmitter:admin_member_add-Add to the team").click().run()
    assert [e.value for e in at.error] == ["That is not an e-mail address."]


def test_an_admin_makes_someone_who_has_signed_in_an_admin_and_the_table_says_so(database: Store) -> None:
    cai = user(*CAI)
    database.add_member(LOCAL_USER, LOCAL_TEAM_ID, CAI[1], Role.PRACTITIONER)
    at = admin_page().run()
    at.text_input(key="admin_admin_target").input("nobody@example.org")
    at.button(key="FormSubmitter:admin_admins-Make an admin").click().run()
    assert "Nobody has signed in with that address" in at.error[0].value
    database.record_sign_in(cai)
    at.text_input(key="admin_admin_target").input(CAI[1])
    at.button(key="FormSubmitter:admin_admins-Make an admin").click().run()
    assert database.is_admin(cai)
    members = frame_with(at, "Signed in yet")
    assert list(members.loc[members["Name"] == "Cai Jones", "An admin"]) == [True]


# -- records ----------------------------------------------------------------------------------------


def find(at: AppTest, person_id: str) -> AppTest:
    at.text_input(key="admin_record_id").input(person_id)
    return at.button(key="FormSubmitter:admin_record_find-Find the record").click().run()


def test_a_record_is_found_by_id_and_shown_without_a_name(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    at = find(admin_page().run(), opened.person_id)
    assert not at.exception
    row = frame_with(at, "Last saved").iloc[0]
    assert (row["Person's id"], row["Map's id"], row["Team"], row["Restricted"]) == (
        opened.person_id, opened.map.id, "This machine", False,
    )  # fmt: skip
    assert "Alys" not in texts(at)
    assert [(link.proto.page, link.proto.query_string) for link in at.main.get("page_link")] == [
        ("map", f"map={opened.map.id}&lang=en")
    ]


def test_an_admin_moves_restricts_and_keeps_a_record_until_a_date(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    team = database.create_team(LOCAL_USER, "Gwynedd")
    at = find(admin_page().run(), opened.person_id)
    at.selectbox(key="admin_move_to").set_value(team.id)
    at.button(key="FormSubmitter:admin_record_move-Move the record").click().run()
    assert not at.exception
    assert "The record is in its new team." in [s.value for s in at.success]
    database.add_member(LOCAL_USER, team.id, LOCAL_USER.id, Role.PRACTITIONER)
    (moved,) = database.people(LOCAL_USER)
    assert moved.team_id == team.id

    at.button(key="admin_restrict").click().run()
    assert database.people(LOCAL_USER) == []  # restricted: only through break-glass now
    at.button(key="admin_unrestrict").click().run()
    assert [p.restricted for p in database.people(LOCAL_USER)] == [False]

    keep = date.today() + timedelta(days=365 * 7)
    at.date_input(key="admin_retain_until").set_value(keep)
    at.button(key="FormSubmitter:admin_record_retain-Set the date").click().run()
    assert [p.retention_until for p in database.people(LOCAL_USER)] == [keep]
    at.button(key="FormSubmitter:admin_record_retain-Clear the date").click().run()
    assert [p.retention_until for p in database.people(LOCAL_USER)] == [None]
    assert [a for a in actions(database) if a in {"move", "restrict", "unrestrict", "retention"}] == [
        "retention", "retention", "unrestrict", "restrict", "move",
    ]  # fmt: skip


def test_a_record_outside_the_admins_teams_is_opened_only_with_a_reason(database: Store) -> None:
    _, person_id = elsewhere(database)
    at = find(admin_page().run(), person_id)
    assert not at.exception
    assert "outside your teams" in texts(at)
    link = at.main.get("page_link")[-1].proto
    assert (link.page, link.label) == ("map", "Open the map, with a reason")
    assert f"person={person_id}" in link.query_string


def test_the_subject_access_is_made_when_it_is_downloaded_and_audited(database: Store) -> None:
    _, person_id = elsewhere(database)
    archive = zipfile.ZipFile(io.BytesIO(_subject_access(database, LOCAL_USER, person_id)))
    assert README_NAME in archive.namelist() and "versions/v001.json" in archive.namelist()
    assert actions(database)[0] == "subject-access"


# -- the audit --------------------------------------------------------------------------------------


def test_the_audit_is_searched_by_action_and_person_and_shown_as_a_table(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    database.open(LOCAL_USER, opened.map.id)
    database.add_person(LOCAL_USER, alys().replace(id="another"))
    at = admin_page().run()
    at.multiselect(key="admin_audit_actions").select(AuditAction.CREATE).select(AuditAction.OPEN)
    at.text_input(key="admin_audit_person").input(opened.person_id)
    at.button(key="FormSubmitter:admin_audit_search-Search the audit").click().run()
    assert not at.exception
    table = frame_with(at, "Action")
    assert list(table["Action"]) == ["Map opened", "Record created"]
    assert set(table["Person's id"]) == {opened.person_id}
    assert "2 entries found." in [s.value for s in at.success]
    (search,) = database.search_audit(LOCAL_USER, actions=[AuditAction.VIEW_AUDIT])
    assert search.person_id == opened.person_id


def test_the_audit_is_searched_by_days(database: Store) -> None:
    database.add_person(LOCAL_USER, alys())
    at = admin_page().run()
    at.date_input(key="admin_audit_to").set_value(date.today() - timedelta(days=1))
    at.button(key="FormSubmitter:admin_audit_search-Search the audit").click().run()
    assert [i.value for i in at.info] == ["Nothing in the audit matches."]
    at.date_input(key="admin_audit_from").set_value(date.today())
    at.date_input(key="admin_audit_to").set_value(date.today())
    at.button(key="FormSubmitter:admin_audit_search-Search the audit").click().run()
    assert "Record created" in set(frame_with(at, "Action")["Action"])


def test_the_audit_downloads_as_csv_with_formulas_neutralised_and_the_download_is_audited(database: Store) -> None:
    _, person_id = elsewhere(database)
    database.break_glass(LOCAL_USER, person_id, '=HYPERLINK("http://example.org")')
    before = len(database.search_audit(LOCAL_USER, actions=[AuditAction.VIEW_AUDIT]))
    csv = _download(database, LOCAL_USER, AuditQuery(actions=(AuditAction.BREAK_GLASS,)))
    frame = pd.read_csv(io.BytesIO(csv), dtype=str)
    assert list(frame["detail"]) == ['\'=HYPERLINK("http://example.org")']
    assert list(frame["person_id"]) == [person_id]
    assert len(database.search_audit(LOCAL_USER, actions=[AuditAction.VIEW_AUDIT])) == before + 2


def test_pandas_is_imported_by_the_admin_and_caseload_pages_only() -> None:
    files = project_files()
    known = {module_name(path) for path in files}
    importing = {
        path for path, source in files.items() for i in imports_in(path, source, known) if i.target == "pandas"
    }
    assert importing == {"pages/caseload.py", "ui/admin.py", "ecomap/rights.py"}
    users_of_ui_admin = {path for path, source in files.items() for i in imports_in(path, source, known)
                         if i.target == "ui.admin"}  # fmt: skip
    assert users_of_ui_admin == {"pages/admin.py"}
    rights = [i for i in imports_in("ecomap/rights.py", files["ecomap/rights.py"], known) if i.target == "pandas"]
    assert rights and not any(i.top_level for i in rights)  # only when a CSV is made


# -- break-glass on the map page --------------------------------------------------------------------


def map_for(person_id: str) -> AppTest:
    at = people_page().switch_page("pages/map.py")
    at.query_params["person"] = person_id
    return at


def test_an_admin_opens_another_teams_record_only_after_giving_a_reason(database: Store) -> None:
    _, person_id = elsewhere(database)
    at = map_for(person_id).run()
    assert not at.exception
    assert at.title[0].value == "Open a record with a reason"
    assert not at.subheader and "Alys" not in texts(at)
    at.button(key="FormSubmitter:break_glass-Open the map").click().run()
    assert [e.value for e in at.error] == ["A reason is needed to open the record."]
    assert not at.subheader and "Alys" not in texts(at)
    assert "break-glass" not in actions(database)

    at.text_area(key="break_glass_reason").input("Safeguarding referral from the GP today")
    at.button(key="FormSubmitter:break_glass-Open the map").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Alys"
    (glass,) = [e for e in database.search_audit(LOCAL_USER, actions=[AuditAction.BREAK_GLASS])]
    assert (glass.person_id, glass.detail) == (person_id, "Safeguarding referral from the GP today")
    assert at.query_params.get("map") and "person" not in at.query_params


def test_a_restricted_record_of_the_admins_own_team_needs_a_reason_too(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    database.restrict(LOCAL_USER, opened.person_id, True)
    at = map_for(opened.person_id).run()
    assert at.title[0].value == "Open a record with a reason"
    at.text_area(key="break_glass_reason").input("Court order")
    at.button(key="FormSubmitter:break_glass-Open the map").click().run()
    assert at.subheader[0].value == "Alys"


def test_a_practitioner_asking_for_break_glass_gets_no_form_and_no_map(database: Store) -> None:
    _, person_id = elsewhere(database)
    database.add_member(LOCAL_USER, LOCAL_TEAM_ID, CAI[1], Role.PRACTITIONER)
    at = signed_in(map_for(person_id), *CAI).run()
    assert not at.exception
    assert not at.text_area and not at.subheader
    assert [i.value for i in at.info] == ["Choose a person to open their map."]


def test_a_record_past_its_retention_date_is_shown_with_it(database: Store) -> None:
    opened = database.add_person(LOCAL_USER, alys())
    database.set_retention(LOCAL_USER, opened.person_id, date.today() - timedelta(days=3))
    at = find(admin_page().run(), opened.person_id)
    assert not at.exception
    assert at.date_input(key="admin_retain_until").value == date.today() - timedelta(days=3)
