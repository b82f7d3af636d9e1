"""Pages in team mode under AppTest: sign-in set up in the secrets, and a user Streamlit's sign-in names.

AppTest's own ``secrets`` and ``user`` stand in for ``.streamlit/secrets.toml`` and ``st.user``; the app
itself has no switch of users: it reads ``st.user`` as it does when someone has really signed in.
"""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from ecomap.store import User

#: An ``[auth]`` section with everything sign-in needs (no provider is reached in these tests).
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a long random string for the tests only",
    "client_id": "ecomap",
    "client_secret": "its secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
#: The issuer the test users sign in with.
ISSUER = "https://login.example"


def claims(subject: str, email: str, name: str) -> dict[str, object]:
    """What Streamlit's sign-in puts in ``st.user`` for a user who has just signed in."""
    return {"is_logged_in": True, "iss": ISSUER, "sub": subject, "email": email, "name": name, "iat": time.time()}


def user(subject: str, email: str, name: str) -> User:
    """The store's user for those claims (as the app makes it)."""
    return User.from_claims(claims(subject, email, name))


def signed_in(at: AppTest, subject: str, email: str, name: str) -> AppTest:
    """``at`` in team mode, signed in as that user."""
    at.secrets = {"auth": dict(AUTH)}
    at.user = claims(subject, email, name)
    return at
