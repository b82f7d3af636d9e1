"""Visit mode's pairing, on an SQLite file and on a real PostgreSQL: a single-use link, a device's cookie
that opens one visit until it ends, only hashes kept; and the gate in front of Streamlit
(``ecomap_app.VisitGate``), driven as an ASGI app with the laptop's and another device's addresses."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from ecomap.access import Role
from ecomap.errors import AccessDenied, NotFound
from ecomap.pairing import (
    DEVICE_COOKIE,
    PAIR_PATH,
    device_visit,
    digest,
    end_visit,
    live_visit,
    pair,
    pairing_url,
    start_pairing,
    token_from_path,
)
from ecomap.store import LOCAL_USER, AuditAction, Store, User, visit_devices, visit_links, visits
from tests.conftest import alys

ANWEN = User("oidc:test:anwen", "Anwen Evans", "anwen@example.org")  # a practitioner of team A
BRYN = User("oidc:test:bryn", "Bryn Thomas", "bryn@example.org")  # a practitioner of team B

LINK_TIME = timedelta(minutes=10)
VISIT_TIME = timedelta(hours=8)
T0 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def map_id(store: Store) -> str:
    return store.add_person(LOCAL_USER, alys()).map.id


def _link(store: Store, map_id: str, *, now: datetime = T0, user: User = LOCAL_USER) -> str:
    return start_pairing(store, user, map_id, link_time=LINK_TIME, visit_time=VISIT_TIME, now=now).token


def test_a_link_pairs_once_only(store: Store, map_id: str) -> None:
    link = start_pairing(store, LOCAL_USER, map_id, link_time=LINK_TIME, visit_time=VISIT_TIME, now=T0)
    assert (link.map_id, link.expires_at) == (map_id, T0 + LINK_TIME)
    device = pair(store, link.token, now=T0 + timedelta(minutes=1))
    assert device is not None
    assert (device.visit_id, device.map_id, device.expires_at) == (link.visit_id, map_id, T0 + VISIT_TIME)
    assert pair(store, link.token, now=T0 + timedelta(minutes=2)) is None
    # Audited as a pairing by whoever started the visit.
    [entry] = store.search_audit(LOCAL_USER, actions=[AuditAction.PAIR])
    assert (entry.user_id, entry.map_id, entry.detail) == (LOCAL_USER.id, map_id, f"visit {link.visit_id}")


def test_an_expired_link_does_not_pair(store: Store, map_id: str) -> None:
    token = _link(store, map_id)
    assert pair(store, token, now=T0 + LINK_TIME) is None
    assert pair(store, token, now=T0 + LINK_TIME + timedelta(days=1)) is None
    # Just before its time it still would have: a new link, used a second before it expires.
    assert pair(store, _link(store, map_id), now=T0 + LINK_TIME - timedelta(seconds=1)) is not None


def test_a_new_link_makes_the_earlier_unused_one_stop_working(store: Store, map_id: str) -> None:
    first = start_pairing(store, LOCAL_USER, map_id, link_time=LINK_TIME, visit_time=VISIT_TIME, now=T0)
    used = _link(store, map_id, now=T0 + timedelta(minutes=1))
    assert pair(store, used, now=T0 + timedelta(minutes=1)) is not None
    second = start_pairing(
        store, LOCAL_USER, map_id, link_time=LINK_TIME, visit_time=VISIT_TIME, now=T0 + timedelta(minutes=2)
    )
    assert second.visit_id == first.visit_id  # the same visit goes on
    assert pair(store, first.token, now=T0 + timedelta(minutes=3)) is None
    device = pair(store, second.token, now=T0 + timedelta(minutes=3))
    assert device is not None and device.visit_id == first.visit_id


def test_a_devices_cookie_opens_its_visit_until_the_visit_expires(store: Store, map_id: str) -> None:
    device = pair(store, _link(store, map_id), now=T0)
    assert device is not None
    opened = device_visit(store, device.secret, now=T0 + VISIT_TIME - timedelta(seconds=1))
    assert opened is not None and (opened.visit_id, opened.map_id) == (device.visit_id, map_id)
    assert device_visit(store, device.secret, now=T0 + VISIT_TIME) is None
    # A secret of no device, or one that is not a secret at all, opens nothing.
    for junk in (None, "", secrets.token_urlsafe(32), "x", device.secret + "'; --", device.secret[:-1] + "!"):
        assert device_visit(store, junk, now=T0) is None
    # Once a visit is over, a link of it pairs nothing, and a new link starts a new visit.
    late = _link(store, map_id, now=T0 + VISIT_TIME - timedelta(minutes=1))
    assert pair(store, late, now=T0 + VISIT_TIME) is None
    after = start_pairing(store, LOCAL_USER, map_id, link_time=LINK_TIME, visit_time=VISIT_TIME, now=T0 + VISIT_TIME)
    assert after.visit_id != device.visit_id


def test_ending_a_visit_lets_every_device_go_and_counts_them(store: Store, map_id: str) -> None:
    now = datetime.now(UTC)
    devices = [pair(store, _link(store, map_id, now=now), now=now) for _ in range(2)]
    assert all(d is not None for d in devices) and len({d.secret for d in devices if d}) == 2
    visit = live_visit(store, LOCAL_USER, map_id)
    assert visit is not None and visit.devices == 2 and visit.expires_at == now + VISIT_TIME
    unused = _link(store, map_id, now=now)
    assert end_visit(store, LOCAL_USER, map_id) == 2
    for device in devices:
        assert device is not None and device_visit(store, device.secret) is None
    assert pair(store, unused) is None  # its unused links stop working too
    assert live_visit(store, LOCAL_USER, map_id) is None
    assert end_visit(store, LOCAL_USER, map_id) == 0  # nothing going on: nothing to end, nothing audited
    [entry] = store.search_audit(LOCAL_USER, actions=[AuditAction.UNPAIR])
    assert (entry.map_id, entry.detail) == (map_id, "2 devices")


def test_a_user_who_may_not_see_the_map_cannot_pair_it_nor_see_or_end_its_visit(store: Store) -> None:
    a = store.create_team(LOCAL_USER, "Team A").id
    b = store.create_team(LOCAL_USER, "Team B").id
    for user in (ANWEN, BRYN):
        store.record_sign_in(user)
    store.add_member(LOCAL_USER, a, ANWEN.id, Role.PRACTITIONER)
    store.add_member(LOCAL_USER, b, BRYN.id, Role.PRACTITIONER)
    theirs = store.add_person(ANWEN, alys(), team_id=a).map.id
    with pytest.raises(AccessDenied, match=rf"^there is no map {theirs}$"):  # the words a missing map gets
        start_pairing(store, BRYN, theirs, link_time=LINK_TIME, visit_time=VISIT_TIME)
    with pytest.raises(NotFound, match=r"^there is no map no-such-map$"):
        start_pairing(store, BRYN, "no-such-map", link_time=LINK_TIME, visit_time=VISIT_TIME)
    with store.engine.connect() as connection:
        assert connection.execute(select(visits.c.id)).all() == []
        assert connection.execute(select(visit_links.c.token_hash)).all() == []
    device = pair(store, _link(store, theirs, now=datetime.now(UTC), user=ANWEN))
    assert device is not None
    with pytest.raises(AccessDenied):
        live_visit(store, BRYN, theirs)
    with pytest.raises(AccessDenied):
        end_visit(store, BRYN, theirs)
    assert device_visit(store, device.secret) is not None  # Bryn's attempt ended nothing
    denied = store.search_audit(LOCAL_USER, user_id=BRYN.id, actions=[AuditAction.DENIED])
    assert [e.detail for e in denied] == ["unpair", "pair", "pair"]  # newest first; a missing map is no one's


def _every_value(store: Store) -> list[str]:
    """Every value of every row of every table, as text."""
    found: list[str] = []
    with store.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f"SELECT * FROM {table}")).all():
                found += [str(value) for value in row]
    return found


def test_only_the_hash_of_a_secret_is_stored(store: Store, map_id: str) -> None:
    token = _link(store, map_id, now=datetime.now(UTC))
    with store.engine.connect() as connection:
        assert connection.execute(select(visit_links.c.token_hash)).scalars().all() == [digest(token)]
    device = pair(store, token)
    assert device is not None
    with store.engine.connect() as connection:
        assert connection.execute(select(visit_devices.c.secret_hash)).scalars().all() == [digest(device.secret)]
    values = _every_value(store)
    assert not any(token in value or device.secret in value for value in values)
    assert len(token) >= 43 and len(device.secret) >= 43  # 256 random bits each
    assert digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_token_of_a_pairing_path() -> None:
    token = secrets.token_urlsafe(32)
    assert token_from_path(f"{PAIR_PATH}{token}") == token
    assert token_from_path(f"{PAIR_PATH}{token}/") == token
    for junk in ("", "short", "a" * 65, f"{token}/more", f"{token}%00", "../../etc/passwd", f"{token[:20]} {token}"):
        assert token_from_path(PAIR_PATH + junk) == "", junk  # a pairing path, but no token: refused
    for other in ("/", "/map", "/pair", "/pairing/" + token, "/static/pair/" + token, "pair/" + token, ""):
        assert token_from_path(other) is None, other


def test_a_pairing_url_names_the_laptop_by_its_address() -> None:
    assert pairing_url("192.168.4.1", 8501, "tok") == "http://192.168.4.1:8501/pair/tok"
    assert pairing_url("fd00::2", 8600, "tok") == "http://[fd00::2]:8600/pair/tok"
    assert pairing_url("laptop.local", 80, "tok") == "http://laptop.local:80/pair/tok"


# -- the gate: loopback passes, another device only pairs and then opens what its cookie opens ------

LAPTOP = ("127.0.0.1", "::1", "::ffff:127.0.0.1")
TABLET = "192.168.4.20"
#: A page, a static file, the health check, and (as a websocket) Streamlit's stream.
PATHS = ("/", "/static/js/main.js", "/_stcore/health", "/map")
STREAM = "/_stcore/stream"


@dataclass
class Inner:
    """The app behind the gate (Streamlit, here): answers 200, accepts a websocket, and counts calls."""

    calls: list[str] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls.append(scope["path"])
        if scope["type"] == "websocket":
            await send({"type": "websocket.accept"})
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"streamlit"})


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)


def _drive(gate: Any, kind: str, path: str, client: str, cookie: str | None = None) -> Answer:
    """One request (``http``) or websocket handshake (``websocket``) from ``client`` through ``gate``."""
    headers = [(b"host", b"laptop.local:8501")]
    if cookie is not None:
        headers.append((b"cookie", f"{DEVICE_COOKIE}={cookie}".encode()))
    scope: dict[str, Any] = {
        "type": kind,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http" if kind == "http" else "ws",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": (client, 50000),
        "server": ("192.168.4.1", 8501),
    }
    sent: list[dict[str, Any]] = []
    incoming = [{"type": "websocket.connect"} if kind == "websocket" else {"type": "http.request", "body": b""}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # A loop of its own, on a thread of its own: the browser tests' Playwright runs one on this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, gate(scope, receive, send)).result()
    if kind == "websocket":
        [message] = sent
        return Answer(101 if message["type"] == "websocket.accept" else 403, [], "")
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Answer(
        start["status"], [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start["headers"]], body.decode()
    )


@pytest.fixture
def gate(store: Store) -> Iterator[tuple[Any, Inner]]:
    from ecomap_app import VisitGate

    inner = Inner()
    url = store.engine.url.render_as_string(hide_password=False)
    visit_gate = VisitGate(inner, database_url=url)  # type: ignore[arg-type]
    yield visit_gate, inner
    if visit_gate._store is not None:
        visit_gate._store.engine.dispose()


def _everything(gate: Any, client: str, cookie: str | None = None) -> list[int]:
    """The statuses of a page, a static file, the health check, the map page and the websocket."""
    answers = [_drive(gate, "http", path, client, cookie).status for path in PATHS]
    return [*answers, _drive(gate, "websocket", STREAM, client, cookie).status]


def test_the_laptop_passes_and_another_device_gets_403_for_everything(gate: tuple[Any, Inner]) -> None:
    visit_gate, inner = gate
    for laptop in LAPTOP:
        assert _everything(visit_gate, laptop) == [200, 200, 200, 200, 101], laptop
    inner.calls.clear()
    assert _everything(visit_gate, TABLET) == [403] * 5
    assert _everything(visit_gate, TABLET, cookie=secrets.token_urlsafe(32)) == [403] * 5
    refused = _drive(visit_gate, "http", "/", TABLET)
    assert refused.header("cache-control") == "no-store"
    assert "Scan the pairing code" in refused.body and 'lang="cy"' in refused.body
    assert "has ended on the laptop" in _drive(visit_gate, "http", "/", TABLET, cookie=secrets.token_urlsafe(32)).body
    assert inner.calls == []  # nothing reached Streamlit


def test_a_device_pairs_through_the_link_and_its_cookie_lets_it_through_until_the_visit_ends(
    store: Store, map_id: str, gate: tuple[Any, Inner]
) -> None:
    visit_gate, inner = gate
    token = _link(store, map_id, now=datetime.now(UTC))
    paired = _drive(visit_gate, "http", f"{PAIR_PATH}{token}", TABLET)
    assert paired.status == 303
    assert paired.header("location") == f"/map?map={map_id}"
    assert paired.header("cache-control") == "no-store"
    cookie = paired.header("set-cookie") or ""
    name, _, rest = cookie.partition("=")
    secret = rest.split(";")[0]
    assert name == DEVICE_COOKIE and device_visit(store, secret) is not None
    attributes = {part.strip().split("=")[0].lower() for part in rest.split(";")[1:]}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes and "samesite=strict" in cookie.lower()
    assert inner.calls == []

    assert _everything(visit_gate, TABLET, cookie=secret) == [200, 200, 200, 200, 101]
    # The link, used, opens nothing more, whoever tries it.
    again = _drive(visit_gate, "http", f"{PAIR_PATH}{token}", "192.168.4.21")
    assert again.status == 403 and "has been used or has expired" in again.body
    assert _drive(visit_gate, "http", f"{PAIR_PATH}junk", TABLET).status == 403
    # Ended on the laptop: the tablet is let go at its next request.
    assert end_visit(store, LOCAL_USER, map_id) == 1
    assert _everything(visit_gate, TABLET, cookie=secret) == [403] * 5
    assert "has ended on the laptop" in _drive(visit_gate, "http", "/", TABLET, cookie=secret).body


def test_a_device_on_no_private_network_is_refused_even_with_a_link(store: Store, map_id: str, gate: Any) -> None:
    visit_gate, inner = gate
    token = _link(store, map_id, now=datetime.now(UTC))
    assert _everything(visit_gate, "8.8.8.8") == [403] * 5
    assert _drive(visit_gate, "http", f"{PAIR_PATH}{token}", "8.8.8.8").status == 403
    assert inner.calls == []
    assert pair(store, token) is not None  # the link was not used up by it


def test_a_gate_whose_database_cannot_be_used_says_so_and_lets_no_device_through() -> None:
    from ecomap_app import VisitGate

    inner = Inner()
    visit_gate = VisitGate(inner, database_url="postgresql+psycopg://ecomap@127.0.0.1:1/ecomap")  # type: ignore[arg-type]
    answer = _drive(visit_gate, "http", "/", TABLET, cookie=secrets.token_urlsafe(32))
    assert answer.status == 503 and "cannot be used just now" in answer.body
    assert _drive(visit_gate, "http", "/", "127.0.0.1").status == 200  # the laptop does not need it
    assert inner.calls == ["/"]
