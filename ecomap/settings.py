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

Visit mode (``ECOMAP_VISIT=1``, ``scripts/app.sh --visit``) serves a home visit from the laptop: the
laptop on loopback, and a tablet on the laptop's own hotspot or local network once it has paired.

>>> visit = Settings.from_environ({"ECOMAP_VISIT": "1", "ECOMAP_VISIT_ADDRESS": "192.168.1.20"})
>>> visit.visit, visit.visit_address, visit.pairing_time, visit.visit_time
(True, '192.168.1.20', datetime.timedelta(seconds=600), datetime.timedelta(seconds=28800))
>>> is_private_address("192.168.1.20"), is_private_address("8.8.8.8"), is_private_address("127.0.0.1")
(True, False, False)
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import urlparse

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = [
    "ALLOWED_HOSTS_VARIABLE",
    "ALLOW_NETWORK_VARIABLE",
    "AUTH_KEYS",
    "COOKIE_SECRET_MIN",
    "DEFAULT_IDLE_MINUTES",
    "IDLE_MINUTES_VARIABLE",
    "LOOPBACK_HOSTS",
    "MAX_IDLE_MINUTES",
    "PAIRING_MINUTES_VARIABLE",
    "TEAM_DATABASE_URL_VARIABLE",
    "VISIT_ADDRESS_VARIABLE",
    "VISIT_HOURS_VARIABLE",
    "VISIT_VARIABLE",
    "SettingInvalid",
    "Settings",
    "address_refusal",
    "auth_configured",
    "auth_problem",
    "find_private_address",
    "host_header_patterns",
    "is_loopback",
    "is_private_address",
    "redirect_host",
    "visit_refusal",
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
#: Set to 1 for visit mode: the laptop hosts a home visit, and a tablet on its hotspot joins one map.
VISIT_VARIABLE = "ECOMAP_VISIT"
#: The laptop's address on its hotspot or local network, as the tablet reaches it (found when unset).
VISIT_ADDRESS_VARIABLE = "ECOMAP_VISIT_ADDRESS"
#: Minutes a pairing link (the laptop's QR code) works for, once.
PAIRING_MINUTES_VARIABLE = "ECOMAP_PAIRING_MINUTES"
#: Hours a visit lasts at most: a paired tablet is let go then, if the visit was not ended before.
VISIT_HOURS_VARIABLE = "ECOMAP_VISIT_HOURS"
#: The team server's database, on a laptop that checks records out to a home visit and back in (a
#: database URL, as ``ECOMAP_DATABASE_URL``): unset, the laptop has no team server. Never logged.
TEAM_DATABASE_URL_VARIABLE = "ECOMAP_TEAM_DATABASE_URL"
DEFAULT_PAIRING_MINUTES = 10.0
MAX_PAIRING_MINUTES = 60.0
DEFAULT_VISIT_HOURS = 8.0
MAX_VISIT_HOURS = 24.0

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
#: The databases Ecomap's store runs on, as a database URL names them (``postgresql+psycopg://...``).
_DATABASES = frozenset({"postgresql", "sqlite"})


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
    #: Visit mode: the laptop hosts one visit's map for a paired tablet.
    visit: bool = False
    #: The laptop's address a tablet reaches it by in visit mode (``None``: not set, found at start).
    visit_address: str | None = None
    #: How long a pairing link works for (once).
    pairing_time: timedelta = timedelta(minutes=DEFAULT_PAIRING_MINUTES)
    #: How long a visit, and so a paired tablet's cookie, lasts at most.
    visit_time: timedelta = timedelta(hours=DEFAULT_VISIT_HOURS)
    #: The team server's database URL, for a visit's check-out and check-in (``None``: not set). It may
    #: hold a password, so it is left out of the settings' ``repr``.
    team_database_url: str | None = field(default=None, repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of ``environ`` (the process's environment when left out); raises :class:`SettingInvalid`."""
        env = os.environ if environ is None else environ
        return cls(
            allowed_hosts=_hosts(env.get(ALLOWED_HOSTS_VARIABLE, "")),
            allow_network=_flag(ALLOW_NETWORK_VARIABLE, env.get(ALLOW_NETWORK_VARIABLE, "")),
            idle_timeout=_minutes(IDLE_MINUTES_VARIABLE, env.get(IDLE_MINUTES_VARIABLE)),
            visit=_flag(VISIT_VARIABLE, env.get(VISIT_VARIABLE, "")),
            visit_address=_visit_address(env.get(VISIT_ADDRESS_VARIABLE, "")),
            pairing_time=_minutes(
                PAIRING_MINUTES_VARIABLE,
                env.get(PAIRING_MINUTES_VARIABLE),
                default=DEFAULT_PAIRING_MINUTES,
                most=MAX_PAIRING_MINUTES,
            ),
            visit_time=_minutes(
                VISIT_HOURS_VARIABLE,
                env.get(VISIT_HOURS_VARIABLE),
                default=DEFAULT_VISIT_HOURS,
                most=MAX_VISIT_HOURS,
                unit=60,
                words="hours",
            ),
            team_database_url=_database_url(TEAM_DATABASE_URL_VARIABLE, env.get(TEAM_DATABASE_URL_VARIABLE, "")),
        )

    def with_hosts(self, *hosts: str | None) -> Settings:
        """These settings with more allowed names (each checked; ``None`` and empty ones left out)."""
        more = tuple(_host(ALLOWED_HOSTS_VARIABLE, host) for host in hosts if host)
        return replace(self, allowed_hosts=_unique((*self.allowed_hosts, *more)))


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


def _minutes(
    variable: str,
    text: str | None,
    *,
    default: float = DEFAULT_IDLE_MINUTES,
    most: float = MAX_IDLE_MINUTES,
    unit: float = 1,
    words: str = "minutes",
) -> timedelta:
    """A length of time in minutes (or in ``unit`` minutes, called ``words``), from more than 0 to ``most``."""
    if text is None or not text.strip():
        return timedelta(minutes=default * unit)
    try:
        amount = float(text)
    except ValueError:
        amount = float("nan")
    if not 0 < amount <= most:
        raise SettingInvalid(f"{variable}: {text.strip()!r} is not a number of {words} from more than 0 to {most:g}")
    return timedelta(minutes=amount * unit)


def _visit_address(text: str) -> str | None:
    """The laptop's address for visit mode, if set: a private-range IP address (a hotspot's or a home network's)."""
    if not text.strip():
        return None
    address = _host(VISIT_ADDRESS_VARIABLE, text)
    if not is_private_address(address):
        raise SettingInvalid(
            f"{VISIT_ADDRESS_VARIABLE}: {text.strip()!r} is not a private-range IP address "
            "(a hotspot's or a local network's, such as 192.168.1.20 or 10.42.0.1)"
        )
    return address


def _database_url(variable: str, text: str) -> str | None:
    """A database URL, if set: PostgreSQL's or SQLite's, as SQLAlchemy reads it. What it holds is never said
    (it may hold a password), in the refusal or in what the refusal was raised from.

    >>> _database_url(TEAM_DATABASE_URL_VARIABLE, " postgresql+psycopg://ecomap:secret@team.example/ecomap ")
    'postgresql+psycopg://ecomap:secret@team.example/ecomap'
    >>> _database_url(TEAM_DATABASE_URL_VARIABLE, "mysql://ecomap:secret@team.example/ecomap")
    Traceback (most recent call last):
    ...
    ecomap.settings.SettingInvalid: ECOMAP_TEAM_DATABASE_URL is not a PostgreSQL or SQLite database URL ...
    """
    url = text.strip()
    if not url:
        return None
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        backend = None
    if backend not in _DATABASES:
        raise SettingInvalid(
            f"{variable} is not a PostgreSQL or SQLite database URL (such as "
            "postgresql+psycopg://user:password@host/dbname; what it holds is not shown, as it may hold a password)"
        ) from None
    return url


def host_header_patterns(hosts: tuple[str, ...]) -> list[str]:
    """The allowed names as a ``Host`` header writes them (an IPv6 address in brackets)."""
    return [f"[{host}]" if ":" in host else host for host in hosts]


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``address`` writes (``[::1]`` as ``::1``, an IPv4-mapped IPv6 address as its IPv4
    address), or ``None`` for a name or anything else."""
    name = address.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_loopback(address: str) -> bool:
    """Whether a server address (or a client's) is this machine's own: ``localhost`` or a loopback IP, IPv4-mapped
    too (empty means every address).

    >>> is_loopback("::ffff:127.0.0.1"), is_loopback("[::1]"), is_loopback("192.168.1.20")
    (True, True, False)
    """
    if address.strip().lower() == "localhost":
        return True
    ip = _ip(address)
    return ip is not None and ip.is_loopback


def is_private_address(address: str) -> bool:
    """Whether ``address`` is an IP address of a private range (a hotspot's, a home's or an office's
    network: 10/8, 172.16/12, 192.168/16, IPv6 unique local, ...), and not this machine's loopback.

    >>> is_private_address("10.42.0.1"), is_private_address("fd00::2"), is_private_address("tablet.local")
    (True, True, False)
    """
    ip = _ip(address)
    return ip is not None and ip.is_private and not (ip.is_loopback or ip.is_unspecified or ip.is_multicast)


def find_private_address() -> str | None:
    """This machine's own private-range IPv4 address (its hotspot's or its network's), or ``None``.

    The address the system would send from to a private network is asked first (a UDP socket
    is connected, which sends nothing), then the addresses of this machine's name.
    """
    found: list[str] = []
    for probe in ("192.168.255.255", "10.255.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                found.append(str(udp.getsockname()[0]))
        except OSError:
            continue
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    return next((address for address in found if is_private_address(address)), None)


def address_refusal(address: str, *, team_mode: bool, allow_network: bool, visit: bool = False) -> str | None:
    """Why the app will not serve ``address``, or ``None`` when it may.

    Local mode has no sign-in, so it serves only this machine unless :data:`ALLOW_NETWORK_VARIABLE`
    says otherwise; team mode signs everyone in, and may serve any address. Visit mode serves the
    laptop on loopback and a paired tablet on a private network, so it may listen on a
    private-range address or on every address (the app answers no one else: only loopback and
    private-range addresses, and of those only a paired device, get past its gate).
    """
    if team_mode or allow_network or is_loopback(address):
        return None
    if visit and (address.strip() in ("", "0.0.0.0", "::") or is_private_address(address)):  # noqa: S104
        return None
    shown = repr(address) if address.strip() else "every address of this machine"
    return (
        f"Ecomap will not serve {shown}: it is in local mode (no sign-in is set up), so anyone who "
        "can reach that address could open people's maps without signing in. Serve it on localhost "
        "(the default), set up sign-in (README, Sign-in), or, on a network you trust, start it with "
        f"{ALLOW_NETWORK_VARIABLE}=1 and add the name the tablet uses to {ALLOWED_HOSTS_VARIABLE}."
    )


def visit_refusal(settings: Settings, *, team_mode: bool) -> str | None:
    """Why visit mode cannot start with these settings, or ``None`` (always ``None`` outside visit mode)."""
    if not settings.visit:
        return None
    if team_mode:
        return (
            f"Ecomap will not start in visit mode ({VISIT_VARIABLE}=1) with sign-in set up: a visit runs on the "
            "laptop's own store without sign-in. Check the people you will see out to the laptop, then start it "
            "there without the [auth] section."
        )
    if settings.visit_address is None:
        return (
            "Ecomap cannot start in visit mode: this machine has no private-range network address for the "
            "tablet to reach (turn on the laptop's hotspot or join a local network), or set "
            f"{VISIT_ADDRESS_VARIABLE} to the laptop's address on it."
        )
    return None


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
