"""A real Streamlit server and a real Chromium (Debian's), driven by Playwright at tablet sizes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ecomap.model import EcoMap
from ecomap.store import LOCAL_USER, Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TABLETS = {"portrait": {"width": 768, "height": 1024}, "landscape": {"width": 1024, "height": 768}}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("ECOMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: scripts/test.sh installs Debian's chromium")
        pytest.skip("Chromium is not installed (scripts/test.sh installs it)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class App:
    """A Streamlit server for one test module, on its own SQLite file (more settings and options if given)."""

    def __init__(
        self, database: Path, *, port: int | None = None, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.database_url = f"sqlite:///{database}"
        env = {**os.environ, "ECOMAP_DATABASE_URL": self.database_url, **(env or {})}
        self.log = database.with_suffix(".log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "ecomap_app.py", "--server.port", str(self.port), *args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the Streamlit server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    server = App(tmp_path_factory.mktemp("app") / "ecomap.db")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tablet:
    """A touch tablet's browser page that records every request it makes and every dialog."""

    def __init__(self, browser: object, size: str) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport=TABLETS[size], has_touch=True, is_mobile=True, device_scale_factor=1
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.settle()

    def settle(self) -> None:
        """Wait until the script has finished running and the page is still."""
        self.page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
        self.page.wait_for_timeout(150)
        self.page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)

    def outside_requests(self) -> list[str]:
        local = {"localhost", "127.0.0.1", "[::1]", "::1"}
        return [
            url
            for url in self.requests
            if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in local
        ]

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


def wait_drawn(tablet: Tablet) -> None:
    """Wait until the page has run and the map has drawn the version the page sent it."""
    tablet.settle()
    tablet.page.wait_for_function(
        "() => { const c = document.querySelector('.ecomap-canvas');"
        " return c && c.dataset.drawnVersion && c.dataset.drawnVersion === c.dataset.version; }",
        timeout=30_000,
    )


def add_map(app: App, m: EcoMap) -> str:
    """Save ``m`` as a new person in the app's database, as the local user; return its id."""
    store = Store.from_url(app.database_url)
    store.migrate()
    store.add_person(LOCAL_USER, m)
    store.engine.dispose()
    return m.id


def saved(app: App, map_id: str) -> EcoMap:
    """The newest saved version of a map in the app's database."""
    store = Store.from_url(app.database_url)
    try:
        return store.open(LOCAL_USER, map_id).map
    finally:
        store.engine.dispose()


@pytest.fixture(params=list(TABLETS))
def tablet(request: pytest.FixtureRequest, browser: object) -> Iterator[Tablet]:
    t = Tablet(browser, request.param)
    yield t
    t.context.close()
