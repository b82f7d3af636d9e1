"""A home visit's check-out (before) and check-in (after), on the practitioner's laptop.

The laptop's own store (:func:`ui.common.store`) is the *visit store*; the team server's is
``ECOMAP_TEAM_DATABASE_URL`` (:attr:`ecomap.settings.Settings.team_database_url`), held as the app
holds its own: one engine and its pool, shared by every session, never anyone's data. Both are
used as the signed-in practitioner (:func:`ui.common.current_user`): on a laptop without sign-in
(local mode) nobody is named to act on the team server, so the page says sign-in is needed.

*Check out for a visit*: the people the practitioner may see on the team server (but those on this
laptop already), chosen, and a day until which they are checked out (tomorrow, unless another is
chosen; never a day past). :func:`ecomap.checkout.check_out` copies them here, all or none.

*Check in after the visit*: the copies this laptop holds, and one button that checks in every one
that can land. A person whose map changed on the team server meanwhile is kept here (nothing is
written) and shown: the change map from the server's map to the visit's, each tie that differs in
plain words (:func:`ecomap.checkout.said`) with a choice of which to keep, and a button that checks
them in as chosen. The maps compared are held in this session only, until the person is checked in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import streamlit as st

from ecomap.checkout import SIDES, Outcome, Side, check_in, check_out, said
from ecomap.errors import AccessDenied, Conflict, StoreUnavailable
from ecomap.i18n import Translator, long_date
from ecomap.settings import Settings
from ecomap.store import CheckedOutElsewhere, Store, User, VisitCopy
from ecomap.vocab import N_
from ui.common import PEOPLE_PAGE, current_user, plain, session_translator, store, with_language
from ui.editing import unavailable
from ui.mapview import change_map
from ui.signin import team_mode

__all__ = [
    "CHOSEN_KEY",
    "IN_KEY",
    "OUT_KEY",
    "PENDING_KEY",
    "PEOPLE_KEY",
    "UNTIL_KEY",
    "WHOSE_KEY",
    "check_in_page",
    "choice_key",
    "team_server_url",
]

#: The people chosen to check out (their person ids).
PEOPLE_KEY = "check_out_people"
#: The day they are checked out until.
UNTIL_KEY = "check_out_until"
#: The check-out button.
OUT_KEY = "check_out"
#: The button that checks in every copy that can land.
IN_KEY = "check_in_all"
#: The button that checks in the person shown, as chosen.
CHOSEN_KEY = "check_in_chosen"
#: Which of the people waiting for choices is shown, when more than one is.
WHOSE_KEY = "check_in_whose"
#: The people whose server map changed while they were on the visit: person id -> the check-in's
#: :class:`~ecomap.checkout.Outcome` (the two maps and what differs), in this session only.
PENDING_KEY = "check_in_pending"
#: What the page says once, after a check-out or a check-in: (kind, words), each part's own.
OUT_SAID_KEY = "check_out_said"
IN_SAID_KEY = "check_in_said"
#: The words of each side of a choice.
KEEP = {"visit": N_("Keep the visit’s"), "server": N_("Keep the server’s")}


def team_server_url() -> str | None:
    """The team server's database URL (``ECOMAP_TEAM_DATABASE_URL``), or ``None`` when the laptop has none."""
    return Settings.from_environ().team_database_url


@st.cache_resource(show_spinner=False)
def _team_store(url: str) -> Store:
    # Shared by every session: it holds an engine and its pool, never anyone's data. The team server's
    # schema is upgraded on the server, by its owner, never from a laptop.
    return Store.from_url(url)


def team_store(url: str) -> Store:
    """The team server's store."""
    return _team_store(url)


def choice_key(person_id: str, key: str) -> str:
    """The key of the choice for one differing tie (or the details) of one person."""
    return f"check_in_choice:{person_id}:{key}"


def _say(where: str, kind: str, words: str) -> None:
    st.session_state[where] = (kind, words)


def _show(where: str) -> None:
    said_once = st.session_state.pop(where, None)
    if said_once is None:
        return
    kind, words = said_once
    icon = {"success": ":material/check_circle:", "warning": ":material/warning:"}.get(kind, ":material/error:")
    {"success": st.success, "warning": st.warning}.get(kind, st.error)(words, icon=icon)


def _names(people: Mapping[str, str], ids: list[str]) -> str:
    return ", ".join(plain(people.get(person_id, person_id)) for person_id in ids)


# -- check-out ------------------------------------------------------------------------------------


def _check_out(url: str, names: Mapping[str, str]) -> None:
    """Check out the people chosen, until the day chosen, and say how it went."""
    t = session_translator()
    chosen = [person_id for person_id in st.session_state.get(PEOPLE_KEY) or [] if person_id in names]
    until = st.session_state.get(UNTIL_KEY)
    if not chosen:
        _say(OUT_SAID_KEY, "warning", t("Choose who to check out first."))
        return
    if not isinstance(until, date) or until < date.today():
        _say(OUT_SAID_KEY, "warning", t("Choose the day they are checked out until: today or a later day."))
        return
    try:
        carried = check_out(team_store(url), store(), current_user(), chosen, until)
    except CheckedOutElsewhere as exc:
        words = t(
            "Nobody was checked out: {name} is checked out by {holder} until {date}.",
            name=plain(names.get(exc.person_id, exc.person_id)),
            holder=plain(exc.holder),
            date=long_date(exc.until, t),
        )
        _say(OUT_SAID_KEY, "error", words)
    except AccessDenied:
        words = t("Nobody was checked out: one of them is no longer someone you may see on the team server.")
        _say(OUT_SAID_KEY, "error", words)
    except StoreUnavailable as exc:
        _say(OUT_SAID_KEY, "error", unavailable(exc, t))
    except ValueError:
        words = t("Nobody more was checked out: one of them is on this laptop already. Check them in first.")
        _say(OUT_SAID_KEY, "error", words)
    else:
        ids = [record.person["id"] for record in carried]
        words = t(
            "Checked out until {date}, and copied to this laptop: {names}.",
            date=long_date(until, t),
            names=_names(names, ids),
        )
        _say(OUT_SAID_KEY, "success", words)
        st.session_state[PEOPLE_KEY] = []


def check_out_part(t: Translator, user: User, url: str, here: list[VisitCopy]) -> None:
    """Part one: who to check out from the team server, until when, and the button."""
    st.header(t("Check out for a visit"), anchor=False)
    _show(OUT_SAID_KEY)
    try:
        on_server = team_store(url).people(user)
    except StoreUnavailable as exc:
        st.error(unavailable(exc, t), icon=":material/error:")
        return
    if not on_server:
        st.info(
            t(
                "There is no one on the team server you may check out: you are in no team there yet, or "
                "your teams have no one yet. Ask whoever looks after Ecomap."
            ),
            icon=":material/group_off:",
        )
        return
    on_laptop = {copy.person_id for copy in here}
    names = {person.person_id: person.name for person in on_server if person.person_id not in on_laptop}
    if not names:
        st.info(t("Everyone you may see on the team server is on this laptop already."))
        return
    st.multiselect(
        t("Who you will see"),
        options=list(names),
        format_func=names.__getitem__,  # a choice is shown as it is written, never as Markdown
        key=PEOPLE_KEY,
        placeholder=t("Choose people"),
    )
    today = date.today()
    st.date_input(
        t("Checked out until"),
        value=today + timedelta(days=1),
        min_value=today,
        key=UNTIL_KEY,
        format="DD/MM/YYYY",
        help=t("Until then, nobody else can check them out. Check them in when you are back."),
    )
    st.button(
        t("Check out to this laptop"),
        key=OUT_KEY,
        type="primary",
        icon=":material/download:",
        on_click=_check_out,
        args=(url, names),
    )


# -- check-in -------------------------------------------------------------------------------------


def _landed_words(t: Translator, name: str, outcome: Outcome) -> str:
    numbers = ", ".join(str(version) for version in outcome.versions)
    if outcome.state == "merged":
        return t(
            "{name} is back on the team server: the visit’s versions are {versions} there, and the map as "
            "you chose is version {version}.",
            name=plain(name),
            versions=numbers,
            version=outcome.merged_version,
        )
    if not outcome.versions:
        return t("{name} is back on the team server, unchanged.", name=plain(name))
    return t(
        "{name} is back on the team server: the visit’s versions are {versions} there.",
        name=plain(name),
        versions=numbers,
    )


def _checked_in(t: Translator, names: Mapping[str, str], outcomes: list[Outcome]) -> None:
    """Hold those still to choose for, and say which landed."""
    pending: dict[str, Outcome] = st.session_state.setdefault(PENDING_KEY, {})
    landed = []
    for outcome in outcomes:
        name = names.get(outcome.person_id, outcome.person_id)
        if outcome.state == "choose":
            pending[outcome.person_id] = outcome
        else:
            pending.pop(outcome.person_id, None)
            landed.append(_landed_words(t, name, outcome))
    waiting = [o for o in outcomes if o.state == "choose"]
    if waiting:
        landed.append(
            t(
                "The team server’s map changed while they were on the visit, so they are still here: {names}. "
                "Choose what to keep below.",
                names=_names(names, [o.person_id for o in waiting]),
            )
        )
    if landed:
        _say(IN_SAID_KEY, "warning" if waiting else "success", "\n\n".join(landed))


def _run_check_in(
    url: str, names: Mapping[str, str], choices: Mapping[str, Mapping[str, Side]] | None, person_ids: list[str] | None
) -> list[Outcome] | None:
    t = session_translator()
    try:
        return check_in(team_store(url), store(), current_user(), choices, person_ids=person_ids)
    except AccessDenied:
        words = t(
            "The team server would not take one of them back: you may no longer see them there. Ask whoever "
            "looks after Ecomap."
        )
    except Conflict:
        words = t("Someone saved one of these maps on the team server just now. Please check in again.")
    except StoreUnavailable as exc:
        words = unavailable(exc, t)
    _say(IN_SAID_KEY, "error", words)
    return None


def _check_in_all(url: str, names: Mapping[str, str]) -> None:
    """Check in every copy that can land; hold the others for choices."""
    outcomes = _run_check_in(url, names, None, None)
    if outcomes is not None:
        _checked_in(session_translator(), names, outcomes)


def _check_in_chosen(url: str, names: Mapping[str, str], person_id: str) -> None:
    """Check in one person as chosen, tie by tie."""
    t = session_translator()
    outcome: Outcome | None = st.session_state.get(PENDING_KEY, {}).get(person_id)
    if outcome is None:
        return
    chosen = {d.key: st.session_state.get(choice_key(person_id, d.key)) for d in outcome.differences}
    kept: dict[str, Side] = {key: side for key, side in chosen.items() if side in SIDES}
    if len(kept) < len(chosen):
        _say(IN_SAID_KEY, "warning", t("Choose what to keep for each change first."))
        return
    outcomes = _run_check_in(url, names, {person_id: kept}, [person_id])
    if outcomes is None:
        return
    again = next((o for o in outcomes if o.state == "choose"), None)
    if again is not None:
        # The server's map changed again since the choices were shown, and differs in more ties now.
        st.session_state[PENDING_KEY][person_id] = again
        _say(
            IN_SAID_KEY,
            "warning",
            t("The team server’s map changed again meanwhile: please look at the changes again."),
        )
        return
    _checked_in(t, names, outcomes)


def choices_for(t: Translator, url: str, names: Mapping[str, str], outcome: Outcome) -> None:
    """One person whose server map changed: the change map, each difference in words with its choice, and
    the button to check them in as chosen."""
    server_map, visit_map = outcome.server_map, outcome.visit_map
    assert server_map is not None and visit_map is not None  # a check-in to choose for carries both
    name = names.get(outcome.person_id, visit_map.person.name)
    st.subheader(t("What to keep of {name}’s map", name=plain(name)), anchor=False)
    st.markdown(
        plain(
            t(
                "The map changed on the team server while it was on the visit. The change map shows the "
                "visit’s map compared with the server’s."
            )
        )
    )
    left, right = st.columns([3, 2])
    with left:
        change_map(server_map, visit_map, version=f"check-in-{outcome.person_id}", t=t)
    with right:
        for difference in outcome.differences:
            sentences = said(difference, server_map, visit_map, t=t)
            with st.container(border=True, key=f"check_in_difference_{outcome.person_id}_{difference.key}"):
                st.markdown(f"**{plain(sentences[0])}**")
                if sentences[1:]:
                    st.markdown("\n".join(f"- {plain(sentence)}" for sentence in sentences[1:]))
                st.segmented_control(
                    plain(sentences[0]),
                    list(SIDES[::-1]),
                    format_func=lambda side: t(KEEP[side]),
                    key=choice_key(outcome.person_id, difference.key),
                    label_visibility="collapsed",
                )
        st.button(
            t("Check in with these choices"),
            key=CHOSEN_KEY,
            type="primary",
            icon=":material/upload:",
            on_click=_check_in_chosen,
            args=(url, names, outcome.person_id),
        )


def check_in_part(t: Translator, url: str, here: list[VisitCopy]) -> None:
    """Part two: the copies held here, the button that checks them all in, and the choices still to make."""
    st.header(t("Check in after the visit"), anchor=False)
    _show(IN_SAID_KEY)
    names = {copy.person_id: copy.name for copy in here}
    pending: dict[str, Outcome] = st.session_state.setdefault(PENDING_KEY, {})
    for person_id in [p for p in pending if p not in names]:
        del pending[person_id]  # checked in meanwhile (another tab), or no longer here
    if not here:
        st.info(t("Nobody is checked out to this laptop."))
        return
    lines = []
    for copy in here:
        until = long_date(copy.until, t)
        line = (
            t("{name}: checked out until {date}, changed on the visit", name=plain(copy.name), date=until)
            if copy.current_version > copy.server_version
            else t("{name}: checked out until {date}, not changed on the visit", name=plain(copy.name), date=until)
        )
        lines.append(f"- {line}")
    st.markdown("\n".join(lines))
    st.button(
        t("Check in everyone who can be"),
        key=IN_KEY,
        icon=":material/upload:",
        on_click=_check_in_all,
        args=(url, names),
        help=t("A map that changed on the team server meanwhile stays here until you choose what to keep."),
    )
    if not pending:
        return
    waiting = list(pending)
    whose = waiting[0]
    if len(waiting) > 1:
        whose = st.selectbox(
            t("Whose changes to look at"),
            options=waiting,
            format_func=names.__getitem__,
            key=WHOSE_KEY,
        )
    choices_for(t, url, names, pending[whose])


def check_in_page(t: Translator) -> None:
    """The page: both parts, or why there are none (no team server set up, or no sign-in on this laptop)."""
    st.title(t("Check out and check in"), anchor=False)
    url = team_server_url()
    if url is None:
        st.info(t("This laptop has no team server to check people out from."), icon=":material/cloud_off:")
        st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:", query_params=with_language())
        return
    if not team_mode():
        st.info(
            t(
                "Checking out from the team server needs you signed in as yourself: set up sign-in on this "
                "laptop (README, Sign-in), then sign in."
            ),
            icon=":material/login:",
        )
        return
    user = current_user()
    here = [copy for copy in store().copies(user) if copy.user_id == user.id]
    check_out_part(t, user, url, here)
    check_in_part(t, url, here)
