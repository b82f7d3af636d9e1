"""The admin page's parts: teams and members, the records an admin manages, and the audit.

Every action goes through the store's admin-only calls, which refuse (and audit) anyone who is not
an admin; the page only draws what the store answers. Admins see records by their ids, never by
name: a record's details (team, restriction, retention date, last save) come from the records the
admin may see, and anything else of a record only through break-glass on the map page.

The tables are pandas DataFrames, and the audit's CSV and the subject access ZIP are made by
:mod:`ecomap.rights`; this module is imported by the admin page only (pandas is loaded on the admin
and caseload pages and nowhere else).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from ecomap.access import TEAM_NAME_MAX, Member, Role, Team, clean_team_name, normal_email
from ecomap.errors import AccessDenied, NotFound, StoreUnavailable
from ecomap.i18n import TIME_ZONE, Translator, date_and_time, long_date
from ecomap.rights import audit_csv, subject_access_zip
from ecomap.store import AuditAction, AuditEntry, PersonSummary, Store, User
from ecomap.vocab import N_
from ui.break_glass import PERSON_PARAM
from ui.common import MAP_PAGE, session_translator, store, with_language

__all__ = [
    "ACTION_LABELS",
    "HIDE_TABLE_DOWNLOAD",
    "ROLE_LABELS",
    "AuditQuery",
    "audit_frame",
    "audit_section",
    "member_frame",
    "records_section",
    "show_notice",
    "team_frame",
    "teams_section",
]

#: Each role as an admin reads it.
ROLE_LABELS: dict[Role, str] = {Role.PRACTITIONER: N_("Practitioner"), Role.LEAD: N_("Team lead")}

#: Each action of the audit as an admin reads it (the CSV keeps the action's own name).
ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.CREATE: N_("Record created"),
    AuditAction.OPEN: N_("Map opened"),
    AuditAction.SAVE: N_("Map saved"),
    AuditAction.SAVE_REFUSED: N_("Save refused (saved by someone else)"),
    AuditAction.RESTORE: N_("Version restored"),
    AuditAction.RESTORE_REFUSED: N_("Restore refused (saved by someone else)"),
    AuditAction.LABEL: N_("Version named"),
    AuditAction.EXPORT: N_("Exported"),
    AuditAction.CASELOAD: N_("Caseload viewed"),
    AuditAction.IMPORT: N_("Imported"),
    AuditAction.SIGN_IN: N_("Signed in"),
    AuditAction.SIGN_OUT: N_("Signed out"),
    AuditAction.BREAK_GLASS: N_("Opened with a reason (break-glass)"),
    AuditAction.DENIED: N_("Refused by the access rules"),
    AuditAction.RESTRICT: N_("Record restricted"),
    AuditAction.UNRESTRICT: N_("Restriction lifted"),
    AuditAction.MOVE: N_("Record moved to another team"),
    AuditAction.RETENTION: N_("Retention date set"),
    AuditAction.TEAM: N_("Team made or renamed"),
    AuditAction.MEMBERSHIP: N_("Membership changed"),
    AuditAction.PURGE: N_("Records purged"),
    AuditAction.SUBJECT_ACCESS: N_("Subject access read"),
    AuditAction.VIEW_AUDIT: N_("Audit searched"),
}

#: The message of the last action, shown once at the top of the page: (kind, text).
NOTICE_KEY = "admin_notice"
#: The last search of the audit (an :class:`AuditQuery`) and what it found.
AUDIT_KEY = "admin_audit"
#: The person id the records section is looking at.
RECORD_KEY = "admin_record"
#: What a downloaded file's name keeps of an id: letters, digits and hyphens.
_SAFE_NAME = re.compile(r"[^A-Za-z0-9-]+")

# -- notices and attempts ---------------------------------------------------------------------------


def _notify(kind: str, text: str) -> None:
    st.session_state[NOTICE_KEY] = (kind, text)


def show_notice() -> None:
    """The last action's outcome, once."""
    held = st.session_state.pop(NOTICE_KEY, None)
    if held is None:
        return
    kind, text = held
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    else:
        st.error(text, icon=":material/error:")


def _attempt(
    do: Callable[[Translator], str],
    problems: Mapping[type[Exception], str] | None = None,
    **values: object,
) -> None:
    """Run an admin's action (in a callback, before the page is drawn) and keep its outcome as the notice.

    The store refuses a non-admin (audited): the page then shows only that it is for admins. Each
    other problem the store may raise is said in the words ``problems`` gives its type (with ``values``
    filled in).
    """
    t = session_translator()
    try:
        _notify("success", do(t))
    except AccessDenied:
        _notify("error", t("This page is for admins."))
    except StoreUnavailable:
        _notify("error", t("The database cannot be used just now: nothing was changed. Please try again in a moment."))
    except (ValueError, NotFound) as exc:
        for kind, text in (problems or {}).items():
            if isinstance(exc, kind):
                _notify("error", t(text, **values))
                return
        raise


def _typed(key: str) -> str:
    return str(st.session_state.get(key) or "").strip()


# -- teams and members ------------------------------------------------------------------------------


def team_frame(t: Translator, teams: Sequence[Team]) -> pd.DataFrame:
    """Every team: its name, how many records and members it has, and its id."""
    return pd.DataFrame(
        [
            {t("Team"): team.name, t("Records"): team.people, t("Members"): team.members, t("Id"): team.id}
            for team in teams
        ],
        columns=[t("Team"), t("Records"), t("Members"), t("Id")],
    )


def member_frame(t: Translator, members: Sequence[Member]) -> pd.DataFrame:
    """A team's members: name, e-mail address, role, whether an admin, and whether they have signed in yet."""
    columns = [t("Name"), t("E-mail address"), t("Role"), t("An admin"), t("Signed in yet")]
    return pd.DataFrame(
        [
            {
                columns[0]: member.display_name,
                columns[1]: member.email or "",
                columns[2]: t(ROLE_LABELS[member.role]),
                columns[3]: member.is_admin,
                columns[4]: not member.pending,
            }
            for member in members
        ],
        columns=columns,
    )


def _create_team(user: User) -> None:
    def do(t: Translator) -> str:
        team = store().create_team(user, clean_team_name(_typed("admin_new_team")))
        st.session_state["admin_new_team"] = ""
        return t("Team {name} made.", name=team.name)

    _attempt(
        do,
        {ValueError: N_("A team needs a name of its own, of 1 to {n} characters, that no other team has.")},
        n=TEAM_NAME_MAX,
    )


def _rename_team(user: User) -> None:
    def do(t: Translator) -> str:
        team = store().rename_team(user, st.session_state["admin_rename_which"], _typed("admin_rename_to"))
        st.session_state["admin_rename_to"] = ""
        return t("The team is now called {name}.", name=team.name)

    _attempt(
        do,
        {
            ValueError: N_("A team needs a name of its own, of 1 to {n} characters, that no other team has."),
            NotFound: N_("That team is not there any more."),
        },
        n=TEAM_NAME_MAX,
    )


def _add_member(user: User, team_id: str) -> None:
    def do(t: Translator) -> str:
        email = normal_email(_typed("admin_member_email"))
        role = Role(st.session_state["admin_member_role"])
        store().add_member(user, team_id, email, role)
        st.session_state["admin_member_email"] = ""
        return t("{email} is a member of the team, as {role}.", email=email, role=t(ROLE_LABELS[role]))

    _attempt(do, {ValueError: N_("That is not an e-mail address."), NotFound: N_("That team is not there any more.")})


def _member_target(member: Member) -> str:
    """What the store names a member by: their user id, or the address waiting for a first sign-in."""
    return member.user_id or member.email or ""


def _change_member(user: User, team_id: str, remove: bool) -> None:
    def do(t: Translator) -> str:
        target = st.session_state["admin_member_which"]
        if remove:
            store().remove_member(user, team_id, target)
            return t("They are no longer a member of the team.")
        role = Role(st.session_state["admin_member_new_role"])
        store().add_member(user, team_id, target, role)
        return t("Their role in the team is now {role}.", role=t(ROLE_LABELS[role]))

    _attempt(
        do,
        {
            NotFound: N_("They are not a member of that team any more."),
            ValueError: N_("That is not an e-mail address."),
        },
    )


def _set_admin(user: User, is_admin: bool) -> None:
    def do(t: Translator) -> str:
        store().set_admin(user, _typed("admin_admin_target"), is_admin)
        st.session_state["admin_admin_target"] = ""
        return t("They are an admin now.") if is_admin else t("They are no longer an admin.")

    _attempt(
        do,
        {
            NotFound: N_("Nobody has signed in with that address or id yet: they can be made an admin once they have."),
            ValueError: N_("The last admin cannot stop being one: make someone else an admin first."),
        },
    )


def teams_section(t: Translator, user: User) -> None:
    """The teams (make one, rename one), the members of a chosen team (add by e-mail address with a
    role, change a role, remove), and who is an admin."""
    teams = store().teams(user)
    st.header(t("Teams"), anchor=False)
    st.dataframe(team_frame(t, teams), hide_index=True, width="stretch", key="admin_teams")
    names = {team.id: team.name for team in teams}
    with st.form("admin_team_new"):
        st.text_input(t("A new team's name"), max_chars=TEAM_NAME_MAX, key="admin_new_team")
        st.form_submit_button(t("Make the team"), on_click=_create_team, args=(user,))
    if teams:
        with st.form("admin_team_rename"):
            st.selectbox(t("Team to rename"), list(names), format_func=names.__getitem__, key="admin_rename_which")
            st.text_input(t("Its new name"), max_chars=TEAM_NAME_MAX, key="admin_rename_to")
            st.form_submit_button(t("Rename the team"), on_click=_rename_team, args=(user,))

    st.header(t("Members"), anchor=False)
    if not teams:
        st.info(t("Make a team first: members belong to a team."))
        return
    team_id = st.selectbox(t("Team"), list(names), format_func=names.__getitem__, key="admin_members_of")
    members = store().members(user, team_id)
    if members:
        st.dataframe(member_frame(t, members), hide_index=True, width="stretch", key="admin_members")
    else:
        st.caption(t("Nobody is in this team yet."))
    roles = list(ROLE_LABELS)
    with st.form("admin_member_add"):
        st.text_input(
            t("E-mail address"),
            key="admin_member_email",
            help=t("Someone who has not signed in yet becomes a member at their first sign-in."),
        )
        st.radio(t("Role"), roles, format_func=lambda r: t(ROLE_LABELS[r]), key="admin_member_role", horizontal=True)
        st.form_submit_button(t("Add to the team"), on_click=_add_member, args=(user, team_id))
    if members:
        targets = {_member_target(m): m for m in members}
        with st.form("admin_member_change"):
            st.selectbox(
                t("Member"),
                list(targets),
                format_func=lambda key: _member_label(t, targets[key]),
                key="admin_member_which",
            )
            st.radio(
                t("New role"),
                roles,
                format_func=lambda r: t(ROLE_LABELS[r]),
                key="admin_member_new_role",
                horizontal=True,
            )
            change, remove = st.columns(2)
            with change:
                st.form_submit_button(t("Change the role"), on_click=_change_member, args=(user, team_id, False))
            with remove:
                st.form_submit_button(t("Remove from the team"), on_click=_change_member, args=(user, team_id, True))

    st.header(t("Admins"), anchor=False)
    st.caption(
        t("An admin manages teams, members and records and reads the audit; the table of members says who is one.")
    )
    with st.form("admin_admins"):
        st.text_input(t("E-mail address or user id of someone who has signed in"), key="admin_admin_target")
        make, unmake = st.columns(2)
        with make:
            st.form_submit_button(t("Make an admin"), on_click=_set_admin, args=(user, True))
        with unmake:
            st.form_submit_button(t("Stop being an admin"), on_click=_set_admin, args=(user, False))


def _member_label(t: Translator, member: Member) -> str:
    """A member as a choice reads: name and address, or the address and that they have not signed in."""
    if member.pending:
        return t("{email} (not signed in yet)", email=member.email or "")
    return f"{member.display_name} ({member.email})" if member.email else member.display_name


# -- records ----------------------------------------------------------------------------------------


def _record_frame(t: Translator, record: PersonSummary, team_names: Mapping[str, str]) -> pd.DataFrame:
    """One record as an admin sees it: ids, team, restriction, retention date and last save; no name."""
    return pd.DataFrame(
        [
            {
                t("Person's id"): record.person_id,
                t("Map's id"): record.map_id,
                t("Team"): team_names.get(record.team_id, record.team_id),
                t("Restricted"): record.restricted,
                t("Kept until"): long_date(record.retention_until, t) if record.retention_until else "",
                t("Last saved"): date_and_time(record.updated_at, t),
            }
        ]
    )


def _move(user: User, person_id: str) -> None:
    def do(t: Translator) -> str:
        store().move_person(user, person_id, st.session_state["admin_move_to"])
        return t("The record is in its new team.")

    _attempt(do, {NotFound: N_("There is no record with that id, or no such team.")})


def _restrict(user: User, person_id: str, restricted: bool) -> None:
    def do(t: Translator) -> str:
        store().restrict(user, person_id, restricted)
        if restricted:
            return t("The record is restricted: only an admin can open it, with a reason.")
        return t("The restriction is lifted: the record's team can open it again.")

    _attempt(do, {NotFound: N_("There is no record with that id.")})


def _retain(user: User, person_id: str, keep: bool) -> None:
    def do(t: Translator) -> str:
        until = st.session_state.get("admin_retain_until") if keep else None
        if keep and not isinstance(until, date):
            raise ValueError("no date")
        store().set_retention(user, person_id, until)
        if until is None:
            return t("The record has no retention date now.")
        return t("The record is kept until {day}, then purged.", day=long_date(until, t))

    _attempt(
        do, {NotFound: N_("There is no record with that id."), ValueError: N_("Choose the date to keep it until.")}
    )


def _find_record() -> None:
    st.session_state[RECORD_KEY] = _typed("admin_record_id")


def _subject_access(in_store: Store, user: User, person_id: str) -> bytes:
    """The subject access ZIP of one person (:func:`ecomap.rights.subject_access_zip`), read out when it
    is downloaded (outside the page's run); the store audits it."""
    return subject_access_zip(in_store.subject_access(user, person_id))


def records_section(t: Translator, user: User) -> None:
    """A record found by its person's id (the audit names them): its details where the admin may see
    it, and what an admin does to it: move it, restrict it, set its retention date, open it with a reason."""
    st.header(t("Records"), anchor=False)
    st.caption(
        t(
            "Records are found by the person's id, as the audit shows it: an admin sees no one's name "
            "unless they open the record, with a reason."
        )
    )
    with st.form("admin_record_find"):
        st.text_input(t("Person's id"), key="admin_record_id")
        st.form_submit_button(t("Find the record"), on_click=_find_record)
    person_id = str(st.session_state.get(RECORD_KEY) or "")
    if not person_id:
        return
    teams = store().teams(user)
    team_names = {team.id: team.name for team in teams}
    seen = next((p for p in store().people(user) if p.person_id == person_id), None)
    if seen is not None:
        st.dataframe(_record_frame(t, seen, team_names), hide_index=True, width="stretch", key="admin_record")
        st.page_link(
            MAP_PAGE,
            label=t("Open the map"),
            icon=":material/open_in_new:",
            query_params=with_language({"map": seen.map_id}),
        )
    else:
        st.caption(
            t(
                "This record is outside your teams, or restricted, or there is none with that id: its details "
                "show once it is opened with a reason."
            )
        )
        st.page_link(
            MAP_PAGE,
            label=t("Open the map, with a reason"),
            icon=":material/lock_open:",
            query_params=with_language({PERSON_PARAM: person_id}),
        )
    with st.form("admin_record_move"):
        st.selectbox(t("Move to the team"), list(team_names), format_func=team_names.__getitem__, key="admin_move_to")
        st.form_submit_button(t("Move the record"), on_click=_move, args=(user, person_id))
    restrict, lift = st.columns(2)
    with restrict:
        st.button(t("Restrict the record"), key="admin_restrict", on_click=_restrict, args=(user, person_id, True))
    with lift:
        st.button(t("Lift the restriction"), key="admin_unrestrict", on_click=_restrict, args=(user, person_id, False))
    with st.form("admin_record_retain"):
        st.date_input(
            t("Keep the record until"),
            value=seen.retention_until if seen is not None else None,
            key="admin_retain_until",
            format="DD/MM/YYYY",
        )
        keep, clear = st.columns(2)
        with keep:
            st.form_submit_button(t("Set the date"), on_click=_retain, args=(user, person_id, True))
        with clear:
            st.form_submit_button(t("Clear the date"), on_click=_retain, args=(user, person_id, False))
    in_store = store()
    st.download_button(
        t("Download the subject access (ZIP)"),
        data=lambda: _subject_access(in_store, user, person_id),
        file_name=f"ecomap-subject-access-{_SAFE_NAME.sub('-', person_id)[:40]}.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        key="admin_subject_access",
        on_click="ignore",
        help=t(
            "Everything held about the person, for a subject access request: every version of the map, "
            "the ties, the audit about them and the attachment, with a README naming each file. Made "
            "when it is downloaded, and audited."
        ),
    )


# -- the audit --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditQuery:
    """What an admin searches the audit for: a person, a user, actions, and days (both included, on the
    clocks of :data:`ecomap.i18n.TIME_ZONE`)."""

    person_id: str | None = None
    user_id: str | None = None
    actions: tuple[AuditAction, ...] = field(default_factory=tuple)
    first_day: date | None = None
    last_day: date | None = None

    def search(self, in_store: Store, user: User) -> list[AuditEntry]:
        """The entries found, newest first (the search is audited by the store)."""
        zone = ZoneInfo(TIME_ZONE)
        since = datetime.combine(self.first_day, time.min, zone) if self.first_day else None
        until = datetime.combine(self.last_day + timedelta(days=1), time.min, zone) if self.last_day else None
        return in_store.search_audit(
            user,
            person_id=self.person_id,
            user_id=self.user_id,
            actions=self.actions or None,
            since=since,
            until=until,
        )


def audit_frame(t: Translator, entries: Iterable[AuditEntry]) -> pd.DataFrame:
    """The audit as the admin page's table: when, who, what, whether it was done, about which record."""
    columns = [
        t("When"), t("User"), t("E-mail address"), t("User id"), t("Action"), t("Carried out"), t("Person's id"),
        t("Map's id"), t("Version"), t("Detail"),
    ]  # fmt: skip
    rows = [
        [
            date_and_time(e.at, t),
            e.user_name or "",
            e.user_email or "",
            e.user_id,
            t(ACTION_LABELS[e.action]),
            e.ok,
            e.person_id or "",
            e.map_id or "",
            e.version,
            e.detail or "",
        ]
        for e in entries
    ]
    return pd.DataFrame(rows, columns=columns).astype({t("Version"): "Int64"})


def _search(user: User) -> None:
    query = AuditQuery(
        person_id=_typed("admin_audit_person") or None,
        user_id=_typed("admin_audit_user") or None,
        actions=tuple(st.session_state.get("admin_audit_actions") or ()),
        first_day=st.session_state.get("admin_audit_from"),
        last_day=st.session_state.get("admin_audit_to"),
    )

    def do(t: Translator) -> str:
        entries = query.search(store(), user)
        st.session_state[AUDIT_KEY] = (query, entries)
        return t.plural("{n} entry found.", "{n} entries found.", len(entries))

    _attempt(do)


def _download(in_store: Store, user: User, query: AuditQuery) -> bytes:
    """The CSV of ``query`` (:func:`ecomap.rights.audit_csv`), searched again when it is downloaded
    (outside the page's run), so that the download is audited too."""
    return audit_csv(query.search(in_store, user))


#: The tables' own "Download as CSV" in their toolbars is hidden on the admin page: the audit leaves only
#: through its own download, which is audited and neutralises formulas (Streamlit has no option for it).
HIDE_TABLE_DOWNLOAD = """
<style>
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none; }
</style>
"""


def audit_section(t: Translator, user: User) -> None:
    """The audit searched by person, user, actions and days, as a table, and downloaded as CSV; the
    store audits each search and each download."""
    st.header(t("The audit"), anchor=False)
    with st.form("admin_audit_search"):
        person, who = st.columns(2)
        person.text_input(t("Person's id"), key="admin_audit_person")
        who.text_input(t("User id"), key="admin_audit_user", help=t("As the table's User id column shows it."))
        st.multiselect(
            t("Actions"),
            list(ACTION_LABELS),
            format_func=lambda a: t(ACTION_LABELS[a]),
            key="admin_audit_actions",
            placeholder=t("Every action"),
        )
        first, last = st.columns(2)
        first.date_input(t("From"), value=None, key="admin_audit_from", format="DD/MM/YYYY")
        last.date_input(t("To"), value=None, key="admin_audit_to", format="DD/MM/YYYY")
        st.form_submit_button(t("Search the audit"), type="primary", on_click=_search, args=(user,))
    found = st.session_state.get(AUDIT_KEY)
    if found is None:
        st.caption(t("Each search, and each download, is itself in the audit."))
        return
    query, entries = found
    in_store = store()
    if not entries:
        st.info(t("Nothing in the audit matches."))
        return
    st.dataframe(audit_frame(t, entries), hide_index=True, width="stretch", key="admin_audit_table")
    st.download_button(
        t("Download as CSV"),
        data=lambda: _download(in_store, user, query),
        file_name="ecomap-audit.csv",
        mime="text/csv",
        icon=":material/download:",
        key="admin_audit_csv",
        on_click="ignore",
    )
