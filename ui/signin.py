"""Sign-in: the app's mode, who is signed in, the sign-in screen, signing out and the idle time-out.

*Local mode* (no ``[auth]`` in ``.streamlit/secrets.toml``): one practitioner on this machine,
:data:`ecomap.store.LOCAL_USER`, no sign-in. *Team mode*: Streamlit's own OpenID Connect sign-in
(``st.login``, ``st.user``, ``st.logout``); nobody reaches a page until signed in.

In team mode a session's sign-in is audited once (``Store.record_sign_in``), and its sign-out
(``Store.record_sign_out``) when the practitioner signs out or when the session has gone
:attr:`ecomap.settings.Settings.idle_timeout` without use: the next tap, or the page's own timer,
then shows the sign-in screen saying so. Every change is saved as it is made, so nothing is lost.
A new session takes up a sign-in (Streamlit's identity cookie) only within that idle time of it
being made, so a closed tab or a reload after an idle sign-out asks for the sign-in again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import streamlit as st
from streamlit import config

from ecomap.i18n import Translator
from ecomap.settings import SettingInvalid, Settings, auth_configured, auth_problem
from ecomap.store import LOCAL_USER, Store, User

__all__ = [
    "IDLE",
    "SIGNED_IN_KEY",
    "app_secrets",
    "idle_timeout",
    "idle_timer",
    "sign_in_screen",
    "sign_out",
    "signed_in_user",
    "team_mode",
]

#: The user this session has recorded a sign-in for (team mode).
SIGNED_IN_KEY = "signin_user"
#: When this session was last used (seconds since the epoch): the last run that was not the timer's.
LAST_USE_KEY = "signin_last_use"
#: Why this session was signed out, when it was signed out by the app rather than by Streamlit.
SIGNED_OUT_KEY = "signin_signed_out"
#: The reason of a sign-out after :func:`idle_timeout` without use.
IDLE = "idle"
#: Session entries kept across a sign-out: the language the screen speaks.
KEPT_KEYS = frozenset({"language"})
#: The sign-in screen: one card in the middle, and no sidebar (a signed-out session has nothing to go to).
SIGN_IN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"] { display: none; }
.st-key-signin { max-width: 34rem; margin: 0 auto; }
</style>
"""


def app_secrets() -> Mapping[str, object]:
    """The app's secrets (``.streamlit/secrets.toml``, or the files ``secrets.files`` names); none without one.

    A secrets file that is there but cannot be read raises :class:`SettingInvalid`: the app never
    falls back to local mode because sign-in's settings could not be read.
    """
    if st.secrets.load_if_toml_exists():
        return st.secrets
    present = [path for path in config.get_option("secrets.files") if Path(path).is_file()]
    if present:
        raise SettingInvalid(f"{present[0]} cannot be read (it must be TOML, as .streamlit/secrets.toml.example)")
    return {}


def team_mode() -> bool:
    """Whether sign-in is set up: an ``[auth]`` section in the secrets (with everything it needs)."""
    secrets = app_secrets()
    if not auth_configured(secrets):
        return False
    problem = auth_problem(secrets)
    if problem is not None:
        raise SettingInvalid(problem)
    return True


@lru_cache(maxsize=1)
def _settings() -> Settings:
    # The environment's settings hold no one's data; they are read once.
    return Settings.from_environ()


def idle_timeout() -> timedelta:
    """How long a signed-in session may go without use (``ECOMAP_IDLE_MINUTES``, 30 minutes by default)."""
    return _settings().idle_timeout


def _identity() -> tuple[User, float | None] | None:
    """Who Streamlit's sign-in names in this session, and when their sign-in was made; ``None`` before one."""
    if not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    issued = claims.get("iat")
    try:
        user = User.from_claims(claims)
    except ValueError:
        return None
    return user, float(issued) if isinstance(issued, int | float) else None


def _forget_session() -> None:
    """Drop everything this session holds (its maps, its choices) but its language."""
    for key in list(st.session_state.keys()):
        if key not in KEPT_KEYS:
            del st.session_state[key]


def sign_out(store: Store, *, reason: str | None = None) -> None:
    """Audit the sign-out of this session's user and forget everything the session holds.

    With no ``reason`` (the practitioner's own sign-out) Streamlit's sign-in ends as well
    (``st.logout``: its cookie goes, and the browser goes through the identity provider's sign-out);
    with one (:data:`IDLE`) the session shows the sign-in screen saying why.
    """
    user = st.session_state.get(SIGNED_IN_KEY)
    if isinstance(user, User):
        store.record_sign_out(user)
    _forget_session()
    if reason is None:
        st.logout()
    else:
        st.session_state[SIGNED_OUT_KEY] = reason


def signed_in_user(store: Store, *, use: bool = True, now: float | None = None) -> User | None:
    """The user acting in this session: :data:`LOCAL_USER` in local mode; in team mode the signed-in
    user, or ``None`` when nobody is (or the session was just signed out for going unused).

    ``use`` counts this call as use of the session (every run does, but the idle timer's).
    """
    if not team_mode():
        return LOCAL_USER
    if st.session_state.get(SIGNED_OUT_KEY):
        return None
    identity = _identity()
    if identity is None:
        return None
    user, issued = identity
    moment = time.time() if now is None else now
    limit = idle_timeout().total_seconds()
    recorded = st.session_state.get(SIGNED_IN_KEY)
    if recorded == user:
        if moment - float(st.session_state.get(LAST_USE_KEY, moment)) > limit:
            sign_out(store, reason=IDLE)
            return None
    elif issued is None or moment - issued > limit:
        # A sign-in made longer ago than the idle time is not taken up by a new session.
        return None
    else:
        store.record_sign_in(user)
        _forget_session()
        st.session_state[SIGNED_IN_KEY] = user
    if use:
        st.session_state[LAST_USE_KEY] = moment
    return user


def idle_timer(store: Store) -> None:
    """A timer on the page that signs an unused session out when its time is up, with no tap needed."""
    every = timedelta(seconds=max(1.0, min(30.0, idle_timeout().total_seconds() / 10)))

    @st.fragment(run_every=every)
    def check() -> None:
        if signed_in_user(store, use=False) is None:
            st.rerun(scope="app")

    check()


def sign_in_screen(t: Translator, language_choice: Callable[[], object]) -> None:
    """The only thing a signed-out session sees: why it is signed out, if it was, the sign-in button
    and the language."""
    st.html(SIGN_IN_CSS)
    with st.container(key="signin", border=True):
        st.title(t("Ecomap"), anchor=False)
        if st.session_state.get(SIGNED_OUT_KEY) == IDLE:
            minutes = max(1, round(idle_timeout().total_seconds() / 60))
            st.info(
                t.plural(
                    "You were signed out after {n} minute without use. Every change was saved.",
                    "You were signed out after {n} minutes without use. Every change was saved.",
                    minutes,
                ),
                icon=":material/lock_clock:",
            )
        elif st.user.is_logged_in:
            st.info(t("Your sign-in has ended. Sign in again to go on."), icon=":material/lock_clock:")
        st.markdown(t("Sign in with your organisation’s account to see the people you work with."))
        st.button(t("Sign in"), key="signin_button", type="primary", icon=":material/login:", on_click=_sign_in)
        language_choice()


def _sign_in() -> None:
    st.login()
