"""The app's settings: each read from the environment here, typed, checked, and named once.

Local mode (no sign-in set up) serves one practitioner on this machine; team mode (an ``[auth]``
section in ``.streamlit/secrets.toml``) signs everyone in. The settings that tell them apart, and
the rules that depend on them, live here so that the entry point, the pages and the tests read the
same ones.

>>> settings = Settings.from_environ({"ECOMAP_ALLOWED_HOSTS": "tablet.local, 192.168.1.20"})
>>> settings.allowed_hosts
('localhost', '127.0.0.1', '::1', 'tablet.local', '192.168.1.20')
>>> settings.idle_timeout
datetime.timedelta(seconds=1800)
>>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("[::1]")
(True, False, True)
>>> host_header_patterns(("localhost", "::1"))
['localhost', '[::1]']
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

__all__ = [
    "ALLOWED_HOSTS_VARIABLE",
    "ALLOW_NETWORK_VARIABLE",
    "AUTH_KEYS",
    "COOKIE_SECRET_MIN",
    "DEFAULT_IDLE_MINUTES",
    "IDLE_MINUTES_VARIABLE",
    "LOOPBACK_HOSTS",
    "MAX_IDLE_MINUTES",
    "SettingInvalid",
    "Settings",
    "address_refusal",
    "auth_configured",
    "auth_problem",
    "host_header_patterns",
    "is_loopback",
    "redirect_host",
]

#: More names the app may be reached by, comma-separated (``tablet.local,192.168.1.20``).
ALLOWED_HOSTS_VARIABLE = "ECOMAP_ALLOWED_HOSTS"
#: Set to 1 to let local mode (no sign-in) serve an address other than this machine's own.
ALLOW_NETWORK_VARIABLE = "ECOMAP_ALLOW_NETWORK"
#: Minutes without use after which a signed-in session is signed out.
IDLE_MINUTES_VARIABLE = "ECOMAP_IDLE_MINUTES"
#: The names this machine is reached by from itself: always allowed.
LOOPBACK_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
DEFAULT_IDLE_MINUTES = 30.0
#: The longest idle time a setting may ask for: a working day.
MAX_IDLE_MINUTES = 12 * 60.0

#: What sign-in's ``[auth]`` section must hold (Streamlit's OpenID Connect settings, one provider).
AUTH_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
#: The fewest characters of the secret that signs the sign-in cookie (``secrets.token_urlsafe(48)`` makes 64).
COOKIE_SECRET_MIN = 32
#: What ``.streamlit/secrets.toml.example`` holds in place of a secret: never one to sign with.
PLACEHOLDER = "replace with"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"(?:\*\.)?{_LABEL}(?:\.{_LABEL})*")


class SettingInvalid(ValueError):
    """A setting that cannot be read: the message names the variable, what it holds and what it may hold."""


@dataclass(frozen=True)
class Settings:
    """The settings in force, read once from the environment."""

    #: Every name a request's ``Host`` may carry: the loopback names first, then the setting's.
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    #: Whether local mode may serve an address other than loopback.
    allow_network: bool = False
    #: How long a signed-in session may go without use.
    idle_timeout: timedelta = timedelta(minutes=DEFAULT_IDLE_MINUTES)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of ``environ`` (the process's environment when left out); raises :class:`SettingInvalid`."""
        env = os.environ if environ is None else environ
        return cls(
            allowed_hosts=_hosts(env.get(ALLOWED_HOSTS_VARIABLE, "")),
            allow_network=_flag(ALLOW_NETWORK_VARIABLE, env.get(ALLOW_NETWORK_VARIABLE, "")),
            idle_timeout=_minutes(IDLE_MINUTES_VARIABLE, env.get(IDLE_MINUTES_VARIABLE)),
        )

    def with_hosts(self, *hosts: str | None) -> Settings:
        """These settings with more allowed names (each checked; ``None`` and empty ones left out)."""
        more = tuple(_host(ALLOWED_HOSTS_VARIABLE, host) for host in hosts if host)
        return Settings(_unique((*self.allowed_hosts, *more)), self.allow_network, self.idle_timeout)


def _unique(hosts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(hosts))


def _host(variable: str, text: str) -> str:
    """One allowed name, lower case, an IPv6 address without brackets."""
    name = text.strip().lower().rstrip(".")
    bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        pass
    if not _HOSTNAME.fullmatch(name) or len(name) > 253:
        raise SettingInvalid(
            f"{variable}: {text.strip()!r} is not a host name or an IP address "
            "(write names without http:// or a port, such as tablet.local or 192.168.1.20)"
        )
    return name


def _hosts(text: str) -> tuple[str, ...]:
    given = tuple(_host(ALLOWED_HOSTS_VARIABLE, part) for part in text.split(",") if part.strip())
    return _unique((*LOOPBACK_HOSTS, *given))


def _flag(variable: str, text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingInvalid(f"{variable}: {text.strip()!r} is not 1 or 0")


def _minutes(variable: str, text: str | None) -> timedelta:
    if text is None or not text.strip():
        return timedelta(minutes=DEFAULT_IDLE_MINUTES)
    try:
        minutes = float(text)
    except ValueError:
        minutes = float("nan")
    if not 0 < minutes <= MAX_IDLE_MINUTES:
        raise SettingInvalid(
            f"{variable}: {text.strip()!r} is not a number of minutes from more than 0 to {MAX_IDLE_MINUTES:g}"
        )
    return timedelta(minutes=minutes)


def host_header_patterns(hosts: tuple[str, ...]) -> list[str]:
    """The allowed names as a ``Host`` header writes them (an IPv6 address in brackets)."""
    return [f"[{host}]" if ":" in host else host for host in hosts]


def is_loopback(address: str) -> bool:
    """Whether a server address is this machine's own: ``localhost`` or a loopback IP (empty means every address)."""
    name = address.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def address_refusal(address: str, *, team_mode: bool, allow_network: bool) -> str | None:
    """Why the app will not serve ``address``, or ``None`` when it may.

    Local mode has no sign-in, so it serves only this machine unless :data:`ALLOW_NETWORK_VARIABLE`
    says otherwise; team mode signs everyone in, and may serve any address.
    """
    if team_mode or allow_network or is_loopback(address):
        return None
    shown = repr(address) if address.strip() else "every address of this machine"
    return (
        f"Ecomap will not serve {shown}: it is in local mode (no sign-in is set up), so anyone who "
        "can reach that address could open people's maps without signing in. Serve it on localhost "
        "(the default), set up sign-in (README, Sign-in), or, on a network you trust, start it with "
        f"{ALLOW_NETWORK_VARIABLE}=1 and add the name the tablet uses to {ALLOWED_HOSTS_VARIABLE}."
    )


def auth_configured(secrets: Mapping[str, object]) -> bool:
    """Whether the secrets set up sign-in (an ``[auth]`` section): team mode."""
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and bool(auth)


def auth_problem(secrets: Mapping[str, object]) -> str | None:
    """What the ``[auth]`` section lacks (the first of :data:`AUTH_KEYS` missing or empty), or ``None``."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping):
        return "the secrets have no [auth] section"
    for key in AUTH_KEYS:
        value = auth.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"the secrets' [auth] section has no {key} (README, Sign-in)"
    secret = str(auth["cookie_secret"])
    if len(secret) < COOKIE_SECRET_MIN or secret.startswith(PLACEHOLDER):
        return (
            f"the secrets' cookie_secret must be a random string of at least {COOKIE_SECRET_MIN} characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    return None


def redirect_host(secrets: Mapping[str, object]) -> str | None:
    """The host name of sign-in's ``redirect_uri``: the name a team reaches the app by."""
    auth = secrets.get("auth")
    uri = auth.get("redirect_uri") if isinstance(auth, Mapping) else None
    return urlparse(uri).hostname if isinstance(uri, str) else None
