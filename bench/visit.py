"""Two screens, one map: the delay from a change on the laptop to the tablet drawing it, in visit mode.

A real server in visit mode (``ECOMAP_VISIT=1``) on this machine's private address; the laptop's
page (1280x800) on loopback, the tablet's (768x1024, touch) on that address, paired through the
laptop's code. Each change is a tie's strength tapped on the laptop's map bar; it is timed from the
tap to the tablet's map drawn at the new version, :data:`CHANGES` times, and the other way round.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.browser import APP, ARGS, CHROMIUM, serve
from bench.common import Result
from ecomap.examples import example_maps
from ecomap.settings import find_private_address
from ecomap.store import LOCAL_USER, Store

#: Changes measured each way (after two that warm up).
CHANGES = 20
#: The most a change may take to appear on the other screen.
BUDGET_MS = 1000.0

DRAWN_AFTER = """(v) => { const c = document.querySelector('.ecomap-canvas');
  return c && Number(c.dataset.drawnVersion) > v && c.dataset.drawnVersion === c.dataset.version; }"""
VERSION = "() => Number(document.querySelector('.ecomap-canvas').dataset.drawnVersion)"
POINT = """(id) => { const c = document.querySelector('.ecomap-canvas'); const n = c.ecomapNetwork;
  c.scrollIntoView({block: 'center'});
  const p = n.canvasToDOM(n.getPositions([id])[id]); const r = c.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y]; }"""
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PENDING = "document.querySelector('.ecomap-canvas').dataset.pending"
SAVED_AFTER = "(v) => Number(document.querySelector('.ecomap-canvas').dataset.version) > v"
DRAWN = "() => document.querySelector('.ecomap-canvas')?.dataset.drawnVersion"


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _changes(source: Any, target: Any, tie_id: str, *, touch: bool) -> tuple[list[float], int]:
    """Tap Strong and Moderate in turn for ``tie_id`` on ``source``'s map bar: the time in ms from each
    tap to ``target`` drawing the new version, and how many taps made no edit."""
    point = source.evaluate(POINT, tie_id)
    if touch:
        source.touchscreen.tap(*point)
    else:
        source.mouse.click(*point)
    source.wait_for_selector(f'.ecomap-quick[data-tie="{tie_id}"]')
    delays: list[float] = []
    lost = 0
    bar = '.ecomap-quick button[data-field="strength"]'
    while len(delays) < CHANGES + 2:
        source.wait_for_function(f"() => {PENDING} === '0'", polling=20)
        target.wait_for_selector(SETTLED)
        strength = (
            "moderate"
            if source.locator(f'{bar}[aria-pressed="true"]').get_attribute("data-value") == "strong"
            else "strong"
        )
        before, mine = target.evaluate(VERSION), source.evaluate(VERSION)
        button = source.locator(f'{bar}[data-value="{strength}"]')
        started = time.perf_counter()
        button.tap() if touch else button.click()
        # A tap that lands as the bar is drawn again is not an edit: it is tapped again, untimed.
        try:
            source.wait_for_function(SAVED_AFTER, arg=mine, timeout=5_000, polling=20)
        except PlaywrightTimeout:
            lost += 1
            continue
        target.wait_for_function(DRAWN_AFTER, arg=before, timeout=15_000, polling=20)
        delays.append((time.perf_counter() - started) * 1000)
    return delays[2:], lost  # the first two warm up


def visit() -> list[Result]:
    from playwright.sync_api import sync_playwright

    address = find_private_address()
    if not Path(CHROMIUM).exists() or address is None:
        why = f"no Chromium at {CHROMIUM}" if address else "this machine has no private address"
        return [Result("visit: laptop to tablet", 0, "ms", note=f"not measured: {why}")]
    folder = Path(tempfile.mkdtemp(prefix="ecomap-bench-"))
    try:
        database = folder / "visit.db"
        store = Store.from_url(f"sqlite:///{database}")
        store.migrate()
        m = example_maps()[0]
        tie_id = m.ties[0].id
        store.add_person(LOCAL_USER, m.with_tie_fields(tie_id, strength="moderate"))
        store.engine.dispose()
        env = {"ECOMAP_VISIT": "1", "ECOMAP_VISIT_ADDRESS": address}
        with sync_playwright() as playwright, serve(APP, database, "--server.address", "0.0.0.0", env=env) as served:  # noqa: S104
            url = served[0]
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            laptop = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
            laptop.goto(f"{url}/map?map={m.id}")
            laptop.wait_for_function(DRAWN)
            laptop.wait_for_selector(SETTLED)
            laptop.get_by_role("button", name="Let the tablet join").click()
            link = laptop.locator(".st-key-visit_link code").inner_text().strip()
            tablet = chromium.new_context(
                viewport={"width": 768, "height": 1024}, has_touch=True, is_mobile=True
            ).new_page()
            tablet.goto(link)
            tablet.wait_for_function(DRAWN)
            tablet.wait_for_selector(SETTLED)
            laptop.get_by_text("A tablet has joined this visit.").wait_for(timeout=10_000)
            to_tablet = _changes(laptop, tablet, tie_id, touch=False)
            to_laptop = _changes(tablet, laptop, tie_id, touch=True)
            chromium.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(
            f"visit: {name}",
            statistics.median(samples),
            "ms",
            budget=BUDGET_MS,
            note=(
                f"median over {CHANGES} changes, p95 {_percentile(samples, 0.95):.0f} ms: from the tap on one screen's"
                f" bar to the other's map drawn at the new version ({lost} taps made no edit and were tapped again)"
            ),
            samples=samples,
        )
        for name, (samples, lost) in (("laptop to tablet", to_tablet), ("tablet to laptop", to_laptop))
    ]
