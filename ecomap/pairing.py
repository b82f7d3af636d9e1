"""Visit mode's pairing: a tablet joins one home visit's map through a single-use link, and is let go.

The laptop starts a visit of one map and shows a pairing link (``/pair/<token>``, as a QR code).
The link works once, for :attr:`ecomap.settings.Settings.pairing_time`; the device that opens it
gets a cookie of its own (:data:`DEVICE_COOKIE`) that opens that visit's map and nothing else,
for as long as the visit lasts (:attr:`~ecomap.settings.Settings.visit_time`) or until the
laptop ends it. The store keeps only the SHA-256 of the link's token and of the cookie's secret
(both 256 random bits from :mod:`secrets`), so a copy of the database opens nothing. Pairing and
ending a visit are audited (``pair``, ``unpair``).

>>> from datetime import timedelta
>>> from ecomap.model import example
>>> from ecomap.store import LOCAL_USER, Store
>>> store = Store.from_url("sqlite://")
>>> store.migrate()
>>> map_id = store.add_person(LOCAL_USER, example()).map.id
>>> link = start_pairing(store, LOCAL_USER, map_id, link_time=timedelta(minutes=10), visit_time=timedelta(hours=8))
>>> device = pair(store, link.token)
>>> device is not None and device_visit(store, device.secret).map_id == map_id
True
>>> pair(store, link.token) is None  # a link works once
True
>>> end_visit(store, LOCAL_USER, map_id), device_visit(store, device.secret)
(1, None)
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.sql import ColumnElement

from ecomap.store import AuditAction, Store, User, _now, _utc, maps, visit_devices, visit_links, visits
from ecomap.vocab import N_

__all__ = [
    "DEVICE_COOKIE",
    "PAIR_PATH",
    "REFUSALS",
    "Device",
    "DeviceVisit",
    "PairingLink",
    "Visit",
    "device_visit",
    "digest",
    "end_visit",
    "live_visit",
    "pair",
    "pairing_url",
    "start_pairing",
    "token_from_path",
]

#: The cookie a paired device carries: its secret, which opens the one visit it paired with.
DEVICE_COOKIE = "ecomap_device"
#: Where a pairing link points: ``/pair/<token>``.
PAIR_PATH = "/pair/"
#: Random bytes in a link's token and in a device's secret.
SECRET_BYTES = 32
#: Why a device other than the laptop gets nothing (the gate's page, and a tablet's page after its visit).
REFUSALS = {
    "link": N_("This pairing link has been used or has expired. Ask for a new one on the laptop."),
    "ended": N_("This visit has ended on the laptop, or its time is up. Ask for a new pairing link there."),
    "unpaired": N_("This device has not joined a visit. Scan the pairing code on the practitioner’s laptop to join."),
}
#: What a token or a secret looks like (``secrets.token_urlsafe``); anything else is refused unread.
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,64}")


@dataclass(frozen=True)
class PairingLink:
    """A new pairing link: its token (shown once, as the QR code), its visit and until when it works."""

    token: str
    visit_id: str
    map_id: str
    expires_at: datetime


@dataclass(frozen=True)
class Device:
    """A device just paired: its cookie's secret, the map it may open, and until when."""

    secret: str
    visit_id: str
    map_id: str
    expires_at: datetime


@dataclass(frozen=True)
class DeviceVisit:
    """What a paired device's cookie opens: one visit's map, until the visit's end."""

    visit_id: str
    map_id: str
    expires_at: datetime


@dataclass(frozen=True)
class Visit:
    """A visit going on, as the laptop shows it: its map, until when it lasts, how many devices joined."""

    id: str
    map_id: str
    started_at: datetime
    expires_at: datetime
    devices: int


def digest(secret: str) -> str:
    """The SHA-256 of a token or a secret, as the store keeps it (hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _well_formed(secret: str | None) -> bool:
    return bool(secret) and _SECRET.fullmatch(secret or "") is not None


def token_from_path(path: str) -> str | None:
    """The token of a pairing link's path (``/pair/<token>``), or ``None`` for any other path."""
    if not path.startswith(PAIR_PATH):
        return None
    token = path[len(PAIR_PATH) :].rstrip("/")
    return token if _well_formed(token) else ""


def pairing_url(address: str, port: int, token: str) -> str:
    """The link a tablet opens: ``http://<laptop's address>:<port>/pair/<token>``."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}{PAIR_PATH}{token}"


def _live(now: datetime) -> ColumnElement[bool]:
    """SQL, on ``visits``: a visit not ended and not over."""
    return and_(visits.c.ended_at.is_(None), visits.c.expires_at > now)


def start_pairing(
    store: Store,
    user: User,
    map_id: str,
    *,
    link_time: timedelta,
    visit_time: timedelta,
    now: datetime | None = None,
) -> PairingLink:
    """A new single-use pairing link for the visit of ``map_id`` going on (started now, for ``visit_time``,
    if none is), working for ``link_time``. Any earlier unused link of the visit stops working.

    ``user`` must be able to see the map (refused as :meth:`Store.open` refuses).
    """
    moment = _utc(now or _now())
    token = secrets.token_urlsafe(SECRET_BYTES)
    with store._writing() as connection:
        store._seen_map(connection, user, map_id, AuditAction.PAIR.value)
        visit_id = connection.execute(
            select(visits.c.id)
            .where(visits.c.map_id == map_id, _live(moment))
            .order_by(visits.c.started_at.desc())
            .limit(1)
        ).scalar()
        if visit_id is None:
            store._ensure_user(connection, user)
            visit_id = secrets.token_hex(16)
            connection.execute(
                insert(visits).values(
                    id=visit_id, map_id=map_id, started_by=user.id, started_at=moment, expires_at=moment + visit_time
                )
            )
        connection.execute(
            update(visit_links)
            .where(visit_links.c.visit_id == visit_id, visit_links.c.used_at.is_(None))
            .where(visit_links.c.expires_at > moment)
            .values(expires_at=moment)
        )
        expires = moment + link_time
        connection.execute(insert(visit_links).values(token_hash=digest(token), visit_id=visit_id, expires_at=expires))
    return PairingLink(token, visit_id, map_id, expires)


def pair(store: Store, token: str, *, now: datetime | None = None) -> Device | None:
    """Use a pairing link: a new device of its visit, or ``None`` for a link that is unknown, used,
    expired, or of a visit that is over. Audited as a ``pair`` by whoever started the visit."""
    if not _well_formed(token):
        return None
    moment = _utc(now or _now())
    secret = secrets.token_urlsafe(SECRET_BYTES)
    live_visits = select(visits.c.id).where(_live(moment))
    with store._writing() as connection:
        visit_id = connection.execute(
            update(visit_links)
            .where(
                visit_links.c.token_hash == digest(token),
                visit_links.c.used_at.is_(None),
                visit_links.c.expires_at > moment,
                visit_links.c.visit_id.in_(live_visits),
            )
            .values(used_at=moment)
            .returning(visit_links.c.visit_id)
        ).scalar()
        if visit_id is None:
            return None
        row = connection.execute(
            select(visits.c.map_id, visits.c.started_by, visits.c.expires_at, maps.c.person_id)
            .join(maps, maps.c.id == visits.c.map_id)
            .where(visits.c.id == visit_id)
        ).one()
        connection.execute(
            insert(visit_devices).values(secret_hash=digest(secret), visit_id=visit_id, paired_at=moment)
        )
        store._audit(
            connection,
            User(row.started_by, ""),
            AuditAction.PAIR,
            person_id=row.person_id,
            map_id=row.map_id,
            detail=f"visit {visit_id}",
            user_known=True,
        )
    return Device(secret, visit_id, row.map_id, _utc(row.expires_at))


def device_visit(store: Store, secret: str | None, *, now: datetime | None = None) -> DeviceVisit | None:
    """The visit a device's cookie secret opens, while the visit goes on; ``None`` otherwise."""
    if not _well_formed(secret):
        return None
    assert secret is not None
    moment = _utc(now or _now())
    with store._reading() as connection:
        row = connection.execute(
            select(visits.c.id, visits.c.map_id, visits.c.expires_at)
            .join(visit_devices, visit_devices.c.visit_id == visits.c.id)
            .where(visit_devices.c.secret_hash == digest(secret), _live(moment))
        ).first()
    return None if row is None else DeviceVisit(row.id, row.map_id, _utc(row.expires_at))


def live_visit(store: Store, user: User, map_id: str, *, now: datetime | None = None) -> Visit | None:
    """The visit of ``map_id`` going on, with how many devices have joined it, or ``None``."""
    moment = _utc(now or _now())
    joined = select(func.count()).where(visit_devices.c.visit_id == visits.c.id).scalar_subquery()
    with store._reading() as connection:
        store._seen_map(connection, user, map_id, AuditAction.PAIR.value)
        row = connection.execute(
            select(visits.c.id, visits.c.started_at, visits.c.expires_at, joined.label("devices"))
            .where(visits.c.map_id == map_id, _live(moment))
            .order_by(visits.c.started_at.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return Visit(row.id, map_id, _utc(row.started_at), _utc(row.expires_at), int(row.devices))


def end_visit(store: Store, user: User, map_id: str, *, now: datetime | None = None) -> int:
    """End every visit of ``map_id`` going on: each of its paired devices is let go at its next request,
    and its unused links stop working. Returns how many devices were let go; audited as ``unpair``."""
    moment = _utc(now or _now())
    with store._writing() as connection:
        person_id, _ = store._seen_map(connection, user, map_id, AuditAction.UNPAIR.value)
        ended = list(
            connection.execute(
                update(visits)
                .where(visits.c.map_id == map_id, _live(moment))
                .values(ended_at=moment)
                .returning(visits.c.id)
            ).scalars()
        )
        if not ended:
            return 0
        devices = int(
            connection.execute(
                select(func.count()).select_from(visit_devices).where(visit_devices.c.visit_id.in_(ended))
            ).scalar_one()
        )
        store._audit(
            connection,
            user,
            AuditAction.UNPAIR,
            person_id=person_id,
            map_id=map_id,
            detail=f"{devices} device{'' if devices == 1 else 's'}",
        )
    return devices
