"""A page served to a rebound name gets nothing (DNS rebinding), in local mode on a real server.

An attacker's page at ``evil.example`` that has had its name rebound to 127.0.0.1 makes the
browser send ``Host: evil.example`` and ``Origin: http://evil.example``: the server answers each
such request, to the page, a static file, the websocket or a download, with 400 and no data.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket

import pytest

from ecomap.examples import load_examples
from ecomap.store import LOCAL_USER, Store
from tests.e2e.conftest import App, Tablet

pytestmark = pytest.mark.e2e

EVIL = "evil.example"
REFUSED = b"Invalid host header"


def origin(host: str) -> str:
    """The ``Origin`` a page at ``host`` sends: the same name and port."""
    return f"http://{host}"


def fetch(app: App, path: str, host: str) -> tuple[int, bytes]:
    """``GET path`` with this ``Host`` and the ``Origin`` a page on that name sends."""
    connection = http.client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host, "Origin": origin(host)})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def upgrade(app: App, host: str) -> bytes:
    """The first bytes the server answers a websocket handshake to ``/_stcore/stream`` with."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin(host)}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", app.port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096)


def give_a_reason_if_asked(tablet: Tablet) -> None:
    """The share page asks why a file is made when the person's consent does not cover sharing."""
    field = tablet.page.locator(".st-key-share_reason input")
    if field.count():
        field.fill("A test of the download")
        field.press("Enter")
        tablet.settle()


def test_a_rebound_name_gets_no_page_no_file_and_no_websocket(app: App) -> None:
    own = f"localhost:{app.port}"
    status, page = fetch(app, "/", own)
    assert status == 200 and b"<script" in page
    script = re.search(rb'src="\.?(/static/[^"]+\.js)"', page)
    assert script is not None, "the page names its script"
    paths = ["/", "/map?map=anything", script.group(1).decode(), "/app/static/vendor/vis-network.min.js",
             "/_stcore/health", "/_stcore/host-config", "/favicon.png"]  # fmt: skip
    for path in paths:
        assert fetch(app, path, EVIL) == (400, REFUSED), path
        assert fetch(app, path, "EVIL.example:80") == (400, REFUSED), path
    for path in paths[:5]:
        assert fetch(app, path, own)[0] == 200, path

    assert upgrade(app, EVIL).startswith(b"HTTP/1.1 400 ")
    assert REFUSED in upgrade(app, EVIL)
    assert upgrade(app, own).startswith(b"HTTP/1.1 101 ")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LocalHost"])
def test_this_machine_own_names_are_served(app: App, host: str) -> None:
    assert fetch(app, "/_stcore/health", f"{host}:{app.port}")[0] == 200
    assert upgrade(app, f"{host}:{app.port}").startswith(b"HTTP/1.1 101 ")


def test_a_download_is_never_served_to_a_rebound_name(app: App, browser: object) -> None:
    tablet = Tablet(browser, "landscape")
    try:
        page = tablet.page
        tablet.goto(app.url)  # the app makes its database on the first visit
        store = Store.from_url(app.database_url)
        if store.is_empty():
            load_examples(store, LOCAL_USER)
        alys = next(p for p in store.people(LOCAL_USER) if p.name == "Alys Pritchard")
        tablet.goto(f"{app.url}/share?map={alys.map_id}")
        give_a_reason_if_asked(tablet)
        with page.expect_download() as download:
            page.get_by_role("button", name="Map file (JSON)").tap()
        path = "/" + download.value.url.split("/", 3)[3]
        assert path.startswith("/media/")
        assert fetch(app, path, EVIL) == (400, REFUSED)
        status, body = fetch(app, path, f"localhost:{app.port}")
        assert status == 200 and "Alys Pritchard" in body.decode()
    finally:
        tablet.context.close()
