"""Figures measured in a real Chromium on a touch tablet (1024x768): taps, bytes, cold start.

Each is measured beside a baseline app in ``bench/apps/`` served the same way in the same run.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import ROOT, Result
from ecomap.examples import generated_map
from ecomap.store import LOCAL_USER, Store

CHROMIUM = os.environ.get("ECOMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TAPS = 20
#: What ``scripts/app.sh`` serves: the pages behind the Host allow-list.
APP = "ecomap_app.py"
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'

#: How long a measured page may take to show what is waited for before the run stops with an error.
WAIT_LIMIT_MS = 30_000
#: Resolves with the milliseconds from the last pointerdown to the frame after ``ready()`` holds, or
#: fails (naming what it waited for) when that has not held within ``WAIT_LIMIT_MS``.
WAIT_FOR = (
    """(ready) => new Promise((resolve, reject) => {
  const check = new Function('return (' + ready + ')()');
  const until = performance.now() + LIMIT;
  const tick = () => {
    let done = false;
    try { done = check(); } catch (e) { done = false; }
    if (done) { requestAnimationFrame(() => resolve(performance.now() - window.__tapAt)); }
    else if (performance.now() > until) { reject(new Error('not shown within ' + LIMIT + ' ms: ' + ready)); }
    else { requestAnimationFrame(tick); }
  };
  tick();
})"""
).replace("LIMIT", str(WAIT_LIMIT_MS))
MARK_TAPS = """
for (const name of ['touchstart', 'pointerdown', 'mousedown']) {
  window.addEventListener(name, () => {
    if (!window.__tapOpen) { window.__tapAt = performance.now(); window.__tapOpen = true; }
  }, true);
}
"""
EDGE_T1 = "document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get('tie:t1')"
#: Re-arms the tap mark before the next tap.
ARM = "() => { window.__tapOpen = false; }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(
    script: str, database: Path, *options: str, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, float, subprocess.Popen[bytes]]]:
    """A Streamlit server for ``script`` (with more settings in ``env``); yields its URL, the moment it
    was started, and the process."""
    port = _free_port()
    environ = {**os.environ, "ECOMAP_DATABASE_URL": f"sqlite:///{database}", **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), *options],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):  # noqa: S310 (http, localhost)
                    break
            except OSError:
                time.sleep(0.02)
        yield url, started, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Frames:
    """Counts the bytes the server sends over the page's websocket, and when the page last sent."""

    def __init__(self, page: Any) -> None:
        self.received = 0
        self.last = time.monotonic()
        self.last_sent = 0.0
        page.on("websocket", self._watch)

    def _watch(self, socket: Any) -> None:
        socket.on("framereceived", lambda payload: self._count(payload))
        socket.on("framesent", lambda _: self._sent())

    def _count(self, payload: Any) -> None:
        self.received += len(payload)
        self.last = time.monotonic()

    def _sent(self) -> None:
        self.last_sent = time.monotonic()

    def answered(self, page: Any, seconds: float = 0.3) -> None:
        """Wait until the server has answered the page's last message (something arrived after it),
        then nothing for ``seconds``."""
        deadline = time.monotonic() + 20
        while self.last_sent >= self.last and time.monotonic() < deadline:
            page.wait_for_timeout(10)
        while time.monotonic() - max(self.last, self.last_sent) < seconds:
            page.wait_for_timeout(20)

    def quiet(self, page: Any, seconds: float = 0.4, *, since: int | None = None) -> None:
        """Wait until something has arrived after ``since`` bytes (if given), then nothing for ``seconds``."""
        deadline = time.monotonic() + 15
        while since is not None and self.received <= since and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        while time.monotonic() - self.last < seconds:
            page.wait_for_timeout(50)


def tablet(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True)
    return context.new_page()


def _tap_map(page: Any, frames: Frames, *, on_bar: bool) -> tuple[list[float], list[int]]:
    """Tap Strong and Moderate in turn for the open tie, on the map's own bar or in the editor beside
    the map; time each redraw and count the bytes."""
    times, sizes = [], []
    for index in range(TAPS + 2):
        strength, width = ("Strong", 7) if index % 2 == 0 else ("Moderate", 3)
        frames.quiet(page)
        before = frames.received
        page.evaluate(ARM)
        if on_bar:
            page.locator(".ecomap-quick").get_by_role("button", name=strength, exact=True).tap()
        else:
            page.get_by_role("radio", name=strength, exact=True).tap()
        ready = f"() => {EDGE_T1}.width === {width}"
        elapsed = page.evaluate(WAIT_FOR, ready)
        frames.quiet(page, since=before)
        if index >= 2:  # the first two warm up
            times.append(float(elapsed))
            sizes.append(frames.received - before)
    return times, sizes


def _tap_button(page: Any, frames: Frames, label: str, ready: str) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for index in range(TAPS + 2):
        frames.quiet(page)
        before = frames.received
        expected = page.evaluate("() => window.__count = (window.__count || 0) + 1")
        page.evaluate(ARM)
        page.get_by_role("button", name=label).tap()
        elapsed = page.evaluate(WAIT_FOR, ready.replace("COUNT", str(expected)))
        frames.quiet(page, since=before)
        if index >= 2:
            times.append(float(elapsed))
            sizes.append(frames.received - before)
    return times, sizes


def _bench_database(folder: Path) -> Path:
    """A database with one generated 60-tie map, ``bench-60``, whose first tie is current."""
    database = folder / "bench.db"
    store = Store.from_url(f"sqlite:///{database}")
    store.migrate()
    m = generated_map(60).replace(id="bench-60")
    store.add_person(LOCAL_USER, m.with_tie(m.ties[0].model_copy(update={"status": "current"})))
    store.engine.dispose()
    return database


def _open_tie(page: Any, url: str) -> None:
    """Open the bench map and tap its first tie, so that its editor is open."""
    page.goto(f"{url}/map?map=bench-60")
    page.wait_for_selector(SETTLED)
    page.wait_for_function("() => document.querySelector('.ecomap-canvas')?.dataset.drawnVersion")
    point = page.evaluate(
        """() => { const c = document.querySelector('.ecomap-canvas'); const n = c.ecomapNetwork;
        const p = n.canvasToDOM(n.getPositions(['t1']).t1); const r = c.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }"""
    )
    page.touchscreen.tap(*point)
    page.wait_for_selector(SETTLED)
    page.get_by_role("radio", name="Strong", exact=True).wait_for()


def browser() -> list[Result]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return [Result("browser figures", 0, "ms", note=f"not measured: no Chromium at {CHROMIUM}")]
    folder = Path(tempfile.mkdtemp(prefix="ecomap-bench-"))
    results: list[Result] = []
    try:
        database = _bench_database(folder)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for label, options in (("as shipped", ()), ("postScriptGC on", ("--runner.postScriptGC", "true"))):
                results += _taps(chromium, database, label, options)
            chromium.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def _taps(chromium: Any, database: Path, label: str, options: tuple[str, ...]) -> list[Result]:
    with serve(APP, database, *options) as (url, _, _):
        page = tablet(chromium)
        frames = Frames(page)
        page.add_init_script(MARK_TAPS)
        _open_tie(page, url)
        times, sizes = _tap_map(page, frames, on_bar=True)
        editor_times, editor_sizes = _tap_map(page, frames, on_bar=False)
        page.context.close()
    with serve("bench/apps/bare_button.py", database, *options) as (url, _, _):
        page = tablet(chromium)
        bare_frames = Frames(page)
        page.add_init_script(MARK_TAPS)
        page.goto(url)
        page.wait_for_selector(SETTLED)
        ready = "() => document.body.innerText.includes('Tapped ' + COUNT + ' times')"
        bare_times, _ = _tap_button(page, bare_frames, "Tap", ready)
        page.context.close()
    results = [
        Result(
            f"tap to redraw, 60 ties, on the map ({label})",
            statistics.median(times),
            "ms",
            statistics.median(bare_times),
            "a bare one-button page",
            100.0 if label == "as shipped" else None,
            note="a strength tapped on the map's own bar: drawn in the browser, then saved",
            samples=times,
        ),
        Result(
            f"tap to redraw, 60 ties, in the editor ({label})",
            statistics.median(editor_times),
            "ms",
            statistics.median(bare_times),
            "a bare one-button page",
            note="a strength tapped in the editor beside the map: drawn when the rerun's data arrives",
            samples=editor_times,
        ),
    ]
    if label == "as shipped":
        with serve("bench/apps/pyvis_iframe.py", database, *options) as (url, _, _):
            page = tablet(chromium)
            iframe_frames = Frames(page)
            page.add_init_script(MARK_TAPS)
            page.goto(url)
            page.wait_for_selector(SETTLED)
            _, iframe_sizes = _tap_button(page, iframe_frames, "Strong", "() => true")
            page.context.close()
        on_map, in_editor = statistics.median(sizes) / 1024, statistics.median(editor_sizes) / 1024
        results.append(
            Result(
                "bytes sent per tie edit, 60 ties",
                max(on_map, in_editor),
                "KB",
                statistics.median(iframe_sizes) / 1024,
                "pyvis HTML in an iframe",
                20.0,
                note=f"websocket frames as received, uncompressed: {on_map:.1f} KB for an edit on the map's bar, "
                f"{in_editor:.1f} KB in the editor",
            )
        )
    return results


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory(edits: int = 1000) -> list[Result]:
    """The server's memory over ``edits`` tie edits with ``runner.postScriptGC`` off, as shipped: does it stay flat?"""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return [Result("memory over edits", 0, "MB", note=f"not measured: no Chromium at {CHROMIUM}")]
    folder = Path(tempfile.mkdtemp(prefix="ecomap-bench-"))
    try:
        database = _bench_database(folder)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            with serve(APP, database, "--runner.postScriptGC", "false") as (url, _, process):
                page = tablet(chromium)
                _open_tie(page, url)
                samples: list[float] = []
                for index in range(edits):
                    strength, width = ("Strong", 7) if index % 2 == 0 else ("Moderate", 3)
                    page.get_by_role("radio", name=strength, exact=True).tap()
                    page.wait_for_function(f"() => {EDGE_T1}.width === {width}")
                    page.wait_for_selector(SETTLED)
                    if (index + 1) % 100 == 0:
                        samples.append(_rss_mb(process.pid))
                page.context.close()
            chromium.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(
            f"server memory after {edits:,} edits (postScriptGC off)",
            samples[-1],
            "MB",
            samples[0],
            "the same server after 100 edits",
            1.1,
            "ratio",
            note="resident memory of the Streamlit server, sampled every 100 edits: "
            + ", ".join(f"{v:.0f}" for v in samples),
            samples=samples,
        )
    ]


def cold() -> list[Result]:
    """Cold start: the People page drawn from ``streamlit run``, beside a bare page's."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return [Result("cold start", 0, "ms", note=f"not measured: no Chromium at {CHROMIUM}")]
    folder = Path(tempfile.mkdtemp(prefix="ecomap-bench-"))
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            results = _cold_start(chromium, folder)
            chromium.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(BARE_VIS.parent.parent, ignore_errors=True)
    return results


#: The map page drawn after a tap on People: its canvas has drawn the map's data, and the run is over.
MAP_DRAWN = (
    f"() => !!document.querySelector('.ecomap-canvas[data-drawn-version]') && !!document.querySelector('{SETTLED}')"
)
#: People's own rows (not the sidebar's links).
PEOPLE_ROW = '[data-testid="stMain"] [data-testid="stPageLink-NavLink"]'
#: How long a practitioner looks at People before tapping a name (what is fetched after it is drawn).
READING_MS = 1000


def _open_map_from_people(page: Any) -> float:
    """From the tap on the first row of a drawn first page to the map page drawn (ms)."""
    page.wait_for_timeout(READING_MS)
    page.evaluate(MARK_TAPS)
    page.evaluate(ARM)
    page.locator(PEOPLE_ROW).first.tap()
    return float(page.evaluate(WAIT_FOR, MAP_DRAWN))


def _example_ties() -> int:
    """How many ties the first example person's map has (the one a tap on People's first row opens)."""
    from ecomap.examples import example_maps

    return len(sorted(example_maps(), key=lambda m: m.person.name.casefold())[0].ties)


#: Where the bare two-page app's server serves static files from (``static/`` beside its script).
BARE_VIS = ROOT / "bench" / "apps" / "static" / "vendor" / "vis-network.min.js"


def _vis_served() -> None:
    """vis-network where the bare two-page app's server serves it (taken away again by :func:`cold`)."""
    from ui.mapview import pyvis_vis_network

    BARE_VIS.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pyvis_vis_network(), BARE_VIS)


def _cold_start(chromium: Any, folder: Path) -> list[Result]:
    """From ``streamlit run`` to the first page drawn in the browser: the app on a new database (the
    first start), the app on one already holding the three example people (every start after),
    and a bare page; then, on the same servers, from a tap on People's first person to their map
    drawn, beside the same tap on a bare two-page app (``bench/apps/bare_nav.py``)."""
    from ecomap.examples import load_examples

    existing = folder / "cold-existing.db"
    store = Store.from_url(f"sqlite:///{existing}")
    store.migrate()
    load_examples(store, LOCAL_USER)
    store.engine.dispose()
    _vis_served()
    ties = _example_ties()
    figures: dict[str, list[float]] = {"new": [], "existing": [], "bare": [], "nav": []}
    opened: dict[str, list[float]] = {"existing": [], "nav": []}
    for attempt in range(3):
        for name, script, wait in (
            ("new", APP, "h1"),
            ("existing", APP, "h1"),
            ("bare", "bench/apps/bare_button.py", "button"),
            ("nav", "bench/apps/bare_nav.py", "h1"),
        ):
            database = existing if name == "existing" else folder / f"cold-{name}-{attempt}.db"
            with serve(script, database) as (url, started, _):
                page = tablet(chromium)
                page.goto(f"{url}/?ties={ties}" if name == "nav" else url)
                page.wait_for_selector(wait)
                page.wait_for_selector(SETTLED)
                figures[name].append((time.perf_counter() - started) * 1000)
                if name in opened:
                    opened[name].append(_open_map_from_people(page))
                page.context.close()
    bare = statistics.median(figures["bare"])
    nav = statistics.median(opened["nav"])
    return [
        Result(
            "cold start to first page, existing database",
            statistics.median(figures["existing"]),
            "ms",
            bare,
            "a bare one-button page",
            1.15,
            "ratio",
            note="process start to the People page drawn, on a database holding the three example people",
            samples=figures["existing"],
        ),
        Result(
            "cold start to first page, new database",
            statistics.median(figures["new"]),
            "ms",
            bare,
            "a bare one-button page",
            note="process start to the page drawn, creating the database on the way",
            samples=figures["new"],
        ),
        Result(
            "map page opened from People, first in the process",
            statistics.median(opened["existing"]),
            "ms",
            nav,
            f"a bare page's link to a bare page of the same widgets drawing {ties} ties with vis-network",
            1.3,
            "ratio",
            note=(
                f"a tap on People's first person ({ties} ties) {READING_MS} ms after People is drawn, to their "
                "map's canvas drawn and the run over; the first map page of a new server"
            ),
            samples=opened["existing"],
        ),
    ]
