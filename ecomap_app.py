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
  unless ``ECOMAP_ALLOW_NETWORK=1`` or in visit mode (a private-range address, or every address),
  and so does a setting that cannot be read: one message, exit status 2, nothing served;
- in visit mode (``ECOMAP_VISIT=1``) :class:`VisitGate` serves this machine (loopback) as before,
  and any other device only its pairing link (``/pair/<token>``, :mod:`ecomap.pairing`) and, once
  paired, what its cookie opens: a device that has not paired gets 403 for the page, every static
  file, the websocket and the health check.

Every page's icon (``favicon.png``, where Streamlit's default points) is Ecomap's own
(:func:`page_icon`). An error no part of a page caught is shown plainly (:func:`ui.failures.script_error`): the
database's reason in a few words, never the error's own text.
"""

from __future__ import annotations

import html
import sys
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import quote

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request, cookie_parser
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config

from ecomap.errors import StoreUnavailable
from ecomap.i18n import translator
from ecomap.pairing import DEVICE_COOKIE, REFUSALS, device_visit, pair, token_from_path
from ecomap.settings import (
    SettingInvalid,
    Settings,
    address_refusal,
    find_private_address,
    host_header_patterns,
    is_loopback,
    is_private_address,
    redirect_host,
    visit_refusal,
)
from ecomap.store import Store, default_url
from ui.common import ICON
from ui.failures import script_error
from ui.signin import app_secrets, team_mode

#: The exit status of a server that refuses to start (as the command line's for bad input).
REFUSED = 2
#: Where the ``[server]`` address comes from when none is given: every address (Streamlit's default).
EVERY_ADDRESS = "0.0.0.0"  # noqa: S104 (named to be refused, never bound here)


def served_settings() -> Settings:
    """The settings, with the server's own address and sign-in's host among the allowed names (and in
    visit mode the laptop's address on its hotspot or network, found when it is not set)."""
    address = config.get_option("server.address") or ""
    named = address if address.strip() not in ("", EVERY_ADDRESS, "::") else None
    settings = Settings.from_environ()
    if settings.visit and settings.visit_address is None:
        settings = replace(settings, visit_address=find_private_address())
    visit_host = settings.visit_address if settings.visit else None
    return settings.with_hosts(named, redirect_host(app_secrets()), visit_host)


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
    refusal = visit_refusal(settings, team_mode=team) or address_refusal(
        address, team_mode=team, allow_network=settings.allow_network, visit=settings.visit
    )
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


def _refusal_page(reason: str) -> str:
    """A plain page saying why, in English and in Welsh (the device has no language chosen yet)."""
    parts = []
    for language in ("en", "cy"):
        t = translator(language)
        words = t(REFUSALS[reason])
        parts.append(f'<p lang="{language}">{html.escape(words)}</p>')
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Ecomap</title>'
        "<style>body{font:18px/1.5 sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#0b0c0c}</style>"
        f"</head><body><h1>Ecomap</h1>{''.join(parts)}</body></html>"
    )


class VisitGate:
    """Visit mode's gate, in front of all of Streamlit: loopback (the laptop) goes through; any other
    device only pairs (``/pair/<token>``), and once paired carries a cookie that must name a visit
    still going on. Everything else, page, static file, websocket or health check, gets 403."""

    def __init__(self, app: ASGIApp, *, database_url: str | None = None) -> None:
        self.app = app
        self.database_url = database_url
        self._store: Store | None = None

    def store(self) -> Store:
        # One engine for the gate, holding no one's data: it reads only the visit tables.
        if self._store is None:
            store = Store.from_url(self.database_url or default_url())
            store.migrate()
            self._store = store
        return self._store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        peer = str(client[0]) if client else ""
        if peer and is_loopback(peer):
            await self.app(scope, receive, send)
            return
        if not is_private_address(peer):  # a hotspot's or a home's network only
            await self._refuse(scope, receive, send)
            return
        try:
            allowed = await self._admitted(scope, receive, send)
        except StoreUnavailable:
            await self._refuse(scope, receive, send, status=503, body="Ecomap’s database cannot be used just now.")
            return
        if allowed:
            await self.app(scope, receive, send)

    async def _admitted(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Whether the request goes on to Streamlit; if not, the answer has been sent."""
        token = token_from_path(str(scope.get("path", "")))
        if token is not None and scope["type"] == "http":
            device = await run_in_threadpool(pair, self.store(), token)
            if device is None:
                await self._refuse(scope, receive, send, reason="link")
                return False
            seconds = max(1, int((device.expires_at - datetime.now(UTC)).total_seconds()))
            response = RedirectResponse(f"/map?map={quote(device.map_id, safe='')}", status_code=303)
            response.set_cookie(
                DEVICE_COOKIE, device.secret, max_age=seconds, path="/", httponly=True, samesite="strict"
            )
            response.headers["Cache-Control"] = "no-store"
            await response(scope, receive, send)
            return False
        headers = dict(scope.get("headers") or [])
        secret = cookie_parser(headers.get(b"cookie", b"").decode("latin-1")).get(DEVICE_COOKIE)
        if secret and await run_in_threadpool(device_visit, self.store(), secret) is not None:
            return True
        await self._refuse(scope, receive, send, reason="ended" if secret else "unpaired")
        return False

    @staticmethod
    async def _refuse(
        scope: Scope, receive: Receive, send: Send, *, reason: str = "unpaired", status: int = 403, body: str = ""
    ) -> None:
        if scope["type"] == "websocket":
            # Closed before it is accepted: the server answers the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        response: Response = HTMLResponse(body or _refusal_page(reason), status_code=status)
        response.headers["Cache-Control"] = "no-store"
        await response(scope, receive, send)


#: How long a browser keeps the page's icon before it asks again (a day).
ICON_MAX_AGE = 86_400


async def page_icon(request: Request) -> Response:
    """Ecomap's icon, where every page's own ``favicon.png`` link and Streamlit's default point.

    Served here, in place of Streamlit's, rather than given to ``st.set_page_config``: Streamlit
    opens a page icon with Pillow and NumPy, about 90 ms of the first page's first run."""
    return FileResponse(ICON, media_type="image/png", headers={"Cache-Control": f"max-age={ICON_MAX_AGE}"})


def icon_path() -> str:
    """The icon's path under the server's ``baseUrlPath`` (``/favicon.png`` when there is none)."""
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/favicon.png" if base else "/favicon.png"


SETTINGS = refuse_unsafe_start()
allow_hosts(SETTINGS)

app = st.App(
    "streamlit_app.py",
    on_script_error=script_error,
    routes=[Route(icon_path(), page_icon, methods=["GET", "HEAD"])],
    middleware=[
        Middleware(
            TrustedHostMiddleware, allowed_hosts=host_header_patterns(SETTINGS.allowed_hosts), www_redirect=False
        ),
        *([Middleware(VisitGate)] if SETTINGS.visit else []),
    ],
)
