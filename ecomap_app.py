"""Ecomap's web server: the pages of ``streamlit_app.py``, served only to the names the app is known by.

Start it with ``streamlit run ecomap_app.py`` (``scripts/app.sh`` does): Streamlit finds the
:class:`streamlit.App` below and serves it with uvicorn, passing ``--server.port`` and every other
option through. Before anything is served:

- a request whose ``Host`` is not an allowed name (the loopback names, ``ECOMAP_ALLOWED_HOSTS``,
  the address the server was given, and in team mode the host of sign-in's ``redirect_uri``) gets
  400 and nothing else: no page, no static file, no websocket, no ``/media`` download (Starlette's
  ``TrustedHostMiddleware``, in front of all of Streamlit; Streamlit's own ``server.allowedHosts``
  is set to the same names as well);
- local mode (no ``[auth]`` in the secrets) refuses an address other than this machine's own
  unless ``ECOMAP_ALLOW_NETWORK=1``, and so does a setting that cannot be read: one message, exit
  status 2, nothing served.

An error no part of a page caught is shown plainly (:func:`ui.failures.script_error`): the
database's reason in a few words, never the error's own text.
"""

from __future__ import annotations

import sys

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from streamlit import config

from ecomap.settings import SettingInvalid, Settings, address_refusal, host_header_patterns, redirect_host
from ui.failures import script_error
from ui.signin import app_secrets, team_mode

#: The exit status of a server that refuses to start (as the command line's for bad input).
REFUSED = 2
#: Where the ``[server]`` address comes from when none is given: every address (Streamlit's default).
EVERY_ADDRESS = "0.0.0.0"  # noqa: S104 (named to be refused, never bound here)


def served_settings() -> Settings:
    """The settings, with the server's own address and sign-in's host among the allowed names."""
    address = config.get_option("server.address") or ""
    named = address if address.strip() not in ("", EVERY_ADDRESS, "::") else None
    return Settings.from_environ().with_hosts(named, redirect_host(app_secrets()))


def refuse_unsafe_start() -> Settings:
    """The settings in force; or, for an address local mode must not serve or a setting that cannot
    be read, the reason on standard error and exit status 2 (before any request is answered)."""
    try:
        settings = served_settings()
        team = team_mode()
    except SettingInvalid as exc:
        print(f"Ecomap cannot start: {exc}", file=sys.stderr)
        raise SystemExit(REFUSED) from None
    address = config.get_option("server.address") or EVERY_ADDRESS
    refusal = address_refusal(address, team_mode=team, allow_network=settings.allow_network)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        raise SystemExit(REFUSED)
    return settings


def allow_hosts(settings: Settings) -> None:
    """Give Streamlit's own check of the websocket's ``Host`` the same names, after every reading of its config."""
    names = list(settings.allowed_hosts)

    def apply() -> None:
        config.set_option("server.allowedHosts", names, "ecomap settings")

    config.on_config_parsed(apply, force_connect=True)
    apply()


SETTINGS = refuse_unsafe_start()
allow_hosts(SETTINGS)

app = st.App(
    "streamlit_app.py",
    on_script_error=script_error,
    middleware=[
        Middleware(
            TrustedHostMiddleware, allowed_hosts=host_header_patterns(SETTINGS.allowed_hosts), www_redirect=False
        )
    ],
)
