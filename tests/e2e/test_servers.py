"""More than one app server: two Streamlit processes on one PostgreSQL database, as behind a proxy.

Each server is its own process, started here, with nothing shared but the database (the real
PostgreSQL the test command starts, ``ECOMAP_TEST_POSTGRES_URL``). A browser on one server sees,
after a reload, what a browser on the other saved; two practitioners saving the same map from the
two servers get a conflict on the second save, and the store keeps one version per save made.
Then both servers behind nginx, configured by the README's own example (TLS, the websocket's
upgrade, sticky sessions): the map is edited and a file downloaded through it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ecomap.model import EcoMap, new_map
from ecomap.store import LOCAL_USER, Store
from tests.conftest import POSTGRES_URL_VARIABLE
from tests.e2e.conftest import ROOT, TABLETS, App, Tablet, free_port
from tests.e2e.test_map import drawn_edge, node_point, open_map, wait_drawn

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

CONFLICT = "Someone else saved this map while you were working."


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new PostgreSQL database for this module, at the newest schema, dropped afterwards."""
    admin_url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not admin_url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: in CI the PostgreSQL tests must run")
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set (scripts/test.sh starts a server and sets it)")
    name = f"ecomap_servers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        store = Store.from_url(url)
        store.migrate()  # once, before the servers start: as `python -m ecomap db upgrade` does in a deployment
        store.engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def servers(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, App]]:
    """Two app servers, each its own process and port, on the one database."""
    folder = tmp_path_factory.mktemp("servers")
    first = App(folder / "first.db", env={"ECOMAP_DATABASE_URL": database})
    try:
        second = App(folder / "second.db", env={"ECOMAP_DATABASE_URL": database})
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()
    for server in (first, second):
        assert not Path(server.database_url.removeprefix("sqlite:///")).exists()  # neither made a database of its own


@pytest.fixture
def two_tablets(browser: object) -> Iterator[tuple[Tablet, Tablet]]:
    """Two practitioners' tablets: separate browser contexts, so separate sessions and cookies."""
    tablets = (Tablet(browser, "landscape"), Tablet(browser, "landscape"))
    yield tablets
    for tablet in tablets:
        tablet.context.close()


def _added(database: str, m: EcoMap) -> str:
    store = Store.from_url(database)
    try:
        store.add_person(LOCAL_USER, m)
    finally:
        store.engine.dispose()
    return m.id


def _versions(database: str, map_id: str) -> list[int]:
    store = Store.from_url(database)
    try:
        return [v.version for v in store.versions(LOCAL_USER, map_id)]
    finally:
        store.engine.dispose()


def _saved(database: str, map_id: str) -> EcoMap:
    store = Store.from_url(database)
    try:
        return store.open(LOCAL_USER, map_id).map
    finally:
        store.engine.dispose()


def _choose_strength(tablet: Tablet, strength: str) -> None:
    tablet.page.touchscreen.tap(*node_point(tablet, "t1"))
    tablet.settle()
    tablet.page.get_by_role("radio", name=strength).tap()
    wait_drawn(tablet)


def _gwen(map_id: str) -> EcoMap:
    m = new_map("Gwen").with_tie({"id": "t1", "name": "Dafydd", "sector": "family", "strength": "tenuous"})
    return m.replace(id=map_id)


def test_a_save_on_one_server_is_seen_on_the_other_after_a_reload(
    servers: tuple[App, App], database: str, two_tablets: tuple[Tablet, Tablet]
) -> None:
    first, second = servers
    on_first, on_second = two_tablets
    map_id = _added(database, _gwen("servers-seen"))
    open_map(on_second, second, map_id)
    assert drawn_edge(on_second, "tie:t1")["dashes"]  # tenuous, as saved

    open_map(on_first, first, map_id)
    _choose_strength(on_first, "Strong")
    assert _saved(database, map_id).tie("t1").strength == "strong"

    on_second.page.reload()
    wait_drawn(on_second)
    assert drawn_edge(on_second, "tie:t1")["width"] == 7  # strong, as the other server saved it
    on_second.screenshot("servers-seen-on-the-second")
    assert on_first.outside_requests() == [] and on_second.outside_requests() == []


def test_two_practitioners_saving_the_same_map_on_two_servers_get_a_conflict_not_an_overwrite(
    servers: tuple[App, App], database: str, two_tablets: tuple[Tablet, Tablet]
) -> None:
    first, second = servers
    on_first, on_second = two_tablets
    map_id = _added(database, _gwen("servers-conflict"))
    open_map(on_first, first, map_id)
    open_map(on_second, second, map_id)  # both hold version 1

    _choose_strength(on_first, "Strong")
    assert _versions(database, map_id) == [1, 2]
    expect(on_first.page.get_by_text(CONFLICT)).to_have_count(0)

    _choose_strength(on_second, "Cut off")  # made on version 1, which is no longer the newest
    expect(on_second.page.get_by_text(CONFLICT)).to_have_count(1)
    on_second.screenshot("servers-conflict-on-the-second")
    assert _versions(database, map_id) == [1, 2]  # the refused save wrote nothing
    assert _saved(database, map_id).tie("t1").strength == "strong"  # the first save stands
    assert drawn_edge(on_second, "tie:t1")["width"] == 7  # the second is shown the newest version

    _choose_strength(on_second, "Cut off")  # made again, on the newest: saved
    assert _versions(database, map_id) == [1, 2, 3]
    assert _saved(database, map_id).tie("t1").strength == "cut_off"


# -- behind the README's nginx -------------------------------------------------------------------


def readme_nginx(upstreams: list[int], https_port: int, http_port: int, certificate: Path, key: Path) -> str:
    """The README's nginx example, as written, with this machine's ports, names and certificate."""
    (example,) = re.findall(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
    example = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, example)
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("ecomap.example.gov.uk;", "localhost;"),
        ("/etc/ssl/certs/ecomap.example.gov.uk.pem", str(certificate)),
        ("/etc/ssl/private/ecomap.example.gov.uk.key", str(key)),
    ):
        assert old in example, old
        example = example.replace(old, new)
    return example


@pytest.fixture(scope="module")
def proxy(servers: tuple[App, App], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx in front of both servers, as the README configures it; its https address."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: apt-get install nginx-light")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    folder = tmp_path_factory.mktemp("nginx")
    certificate, key = folder / "localhost.pem", folder / "localhost.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = free_port(), free_port()
    site = readme_nginx([server.port for server in servers], https_port, http_port, certificate, key)
    temporary = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (folder / "nginx.conf").write_text(
        f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\nevents {{}}\nhttp {{\n"
        f"  access_log {folder / 'access.log'};\n"
        + "".join(f"  {name}_temp_path {path};\n" for name, path in temporary.items()).replace("body_", "client_body_")
        + site
        + "}\n",
        encoding="utf-8",
    )
    command = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off; user root;"]
    checked = subprocess.run([*command[:5], "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"https://localhost:{https_port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class ProxiedTablet(Tablet):
    """A tablet that trusts the test's own certificate (made for localhost a minute ago)."""

    def __init__(self, browser: object, size: str) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport=TABLETS[size], has_touch=True, is_mobile=True, device_scale_factor=1, ignore_https_errors=True
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))


def test_behind_the_readmes_nginx_the_map_is_edited_and_downloaded_over_tls(
    proxy: str, servers: tuple[App, App], database: str, browser: object
) -> None:
    tablet = ProxiedTablet(browser, "landscape")
    try:
        page = tablet.page
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        agreed = {"to_record": True, "share_with": ["team"]}
        map_id = _added(database, _gwen("servers-proxied").with_record(consent=agreed))

        class Proxied:  # the proxy's address, as open_map takes an app's
            url = proxy

        open_map(tablet, Proxied, map_id)  # type: ignore[arg-type]
        _choose_strength(tablet, "Strong")  # over the websocket, through the proxy
        assert _saved(database, map_id).tie("t1").strength == "strong"
        web = [url for url in tablet.requests if url.startswith(("http:", "https:"))]
        assert web and [url for url in web if not url.startswith(f"{proxy}/")] == []  # everything through the proxy
        assert sockets == [f"wss://localhost:{proxy.rsplit(':', 1)[1]}/_stcore/stream"]

        page.get_by_role("link", name="Share and attach").tap()
        tablet.settle()
        with page.expect_download() as download:
            page.get_by_role("button", name="Map file (JSON)").tap()  # made by the process holding the session
        assert download.value.url.startswith(f"{proxy}/") and "/media/" in download.value.url
        assert EcoMap.from_dict(json.loads(Path(download.value.path()).read_text(encoding="utf-8"))).id == map_id
        tablet.screenshot("servers-behind-nginx")
    finally:
        tablet.context.close()
