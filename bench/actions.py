"""The four actions on the map, on Ecomap and on a client-only page, at normal and at 4x slowed CPU.

The client-only page (``bench/apps/client_only.html``) draws the same map with the same vis-network
and answers every action in the browser alone, served as static files from loopback: the floor any
client-side app can reach. Each action is timed from the ``pointerdown`` (or the key or the choice)
of real input dispatched by Playwright to the animation frame after the page shows its result:

- open a tie: a tap on it, to the map's own bar showing that tie;
- change a tie's strength on the map's own bar, and in the editor beside the map: a tap, to the
  line drawn anew (the edge in vis-network's data has the new strength, and the canvas has drawn);
- add a person: a tap on an empty part of a ring to the form shown, the last letter of the name to
  the field holding it, the role chosen to it shown chosen, and the submit to the person drawn on
  the map: the sum of the four waits.

Slowing the CPU is Chromium's own (``Emulation.setCPUThrottlingRate``), for the page measured only:
the server runs at full speed.
"""

from __future__ import annotations

import http.server
import shutil
import statistics
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.browser import APP, ARGS, CHROMIUM, SETTLED, TAPS, Frames, serve, tablet
from bench.common import ROOT, Result
from ecomap.examples import example_maps, generated_map
from ecomap.i18n import translator
from ecomap.layout import RINGS
from ecomap.model import PERSON, EcoMap, new_map
from ecomap.render.interactive import VIEW_HEIGHTS, WORLD_RADIUS, full_edge, full_node, vis_data
from ecomap.render.standalone import drawing_js, script_json, vis_network_path
from ecomap.render.style import PERSON_COLOUR
from ecomap.store import LOCAL_USER, Store
from ecomap.vocab import ROLES, STATUSES, STRENGTHS

APPS = ROOT / "bench" / "apps"
RATES = (1, 4)
ACTIONS = {
    "open": "open a tie (tap to its controls shown)",
    "bar": "change a tie's strength on the map's own bar",
    "editor": "change it in the editor beside the map",
    "add": "add a person (sum of the waits)",
}
#: The maps measured: the example map of 21 ties (Alys's) and a generated one of 60.
MAPS = {"bench-21": 21, "bench-60": 60}

#: Marks the first input event after the harness arms it: the moment the action starts.
MARK_INPUT = """
for (const name of ['touchstart', 'pointerdown', 'mousedown', 'keydown', 'input', 'change']) {
  window.addEventListener(name, () => {
    if (!window.__tapOpen) { window.__tapAt = performance.now(); window.__tapOpen = true; }
  }, true);
}
"""
#: Arms the mark and starts watching, before the input is dispatched: once the input is marked, each
#: frame tests ``ready(args)`` after all of its animation-frame callbacks (the page's own drawing among
#: them) and its layout, where a ResizeObserver is told of a probe resized in the frame's first
#: callback; the next frame then sets ``window.__result`` to the milliseconds from the input (or -1 after
#: ``timeout`` ms). ``args.draws`` is the map's count of draws when armed. (Tested in the frame's first
#: callback instead, a result drawn in that frame by the page's own callback, registered after the
#: watch's, would be seen a frame late.)
ARM_WATCH = """({ready, args, timeout}) => {
  window.__tapOpen = false;
  window.__result = undefined;
  const canvas = document.querySelector('.ecomap-canvas');
  const given = { ...args, draws: Number((canvas && canvas.dataset.draws) || 0) };
  const check = new Function('a', 'return (' + ready + ')(a)');
  const started = performance.now();
  const probe = document.createElement('div');
  probe.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none';
  document.body.appendChild(probe);
  let armed = false;
  const drawn = () => {
    if (!armed) return;
    armed = false;
    let done = false;
    if (window.__tapOpen) { try { done = check(given); } catch (e) { done = false; } }
    if (done) {
      observer.disconnect();
      probe.remove();
      requestAnimationFrame(() => { window.__result = performance.now() - window.__tapAt; });
    } else requestAnimationFrame(tick);
  };
  const observer = new ResizeObserver(drawn);
  const tick = () => {
    if (performance.now() - started > timeout) { observer.disconnect(); probe.remove(); window.__result = -1; return; }
    armed = true;
    probe.style.width = probe.style.width === '1px' ? '2px' : '1px';
  };
  observer.observe(probe);
  requestAnimationFrame(tick);
}"""

OPEN_READY = """(a) => {
  const bar = document.querySelector('.ecomap-quick');
  if (!bar || bar.hidden) return false;
  if (bar.dataset.tie) return bar.dataset.tie === a.tie;
  const name = bar.querySelector('.ecomap-quick-name');
  return !!name && name.textContent === a.name;
}"""
LINE_READY = """(a) => {
  const canvas = document.querySelector('.ecomap-canvas');
  const edge = canvas.ecomapNetwork.body.data.edges.get(a.edge);
  return !!edge && edge.strength === a.strength && Number(canvas.dataset.draws || 0) > a.draws;
}"""
FORM_READY = """(a) => {
  const form = document.querySelector('.ecomap-add');
  if (form && !form.hidden && form.offsetParent !== null) return true;
  const input = document.querySelector('.st-key-add_at_name input');
  return !!input && input.offsetParent !== null;
}"""
VALUE_READY = "(a) => { const el = document.querySelector(a.selector); return !!el && el.value === a.value; }"
PILL_READY = """(a) => [...document.querySelectorAll('.st-key-add_at_role button')].some(
  (b) => (b.dataset.selected === 'true' || b.getAttribute('aria-pressed') === 'true'
          || b.getAttribute('aria-checked') === 'true') && b.textContent.trim() === a.label)"""
ADDED_READY = """(a) => {
  const canvas = document.querySelector('.ecomap-canvas');
  const found = canvas.ecomapNetwork.body.data.nodes.get({ filter: (node) => node.label === a.name });
  return found.length > 0 && Number(canvas.dataset.draws || 0) > a.draws;
}"""
GONE_READY = """(name) => document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.nodes
  .get({ filter: (node) => node.label === name }).length === 0"""
TIE_POINT = """(id) => { const c = document.querySelector('.ecomap-canvas'); const n = c.ecomapNetwork;
  const p = n.canvasToDOM(n.getPositions([id])[id]); const r = c.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y]; }"""
#: A point in the middle of a ring, well clear of every mark and name on the map and of the ring's
#: own name at the top: [x, y, sector], in the page's coordinates.
EMPTY_SPOT = """({rings, radius}) => {
  const c = document.querySelector('.ecomap-canvas'); const n = c.ecomapNetwork;
  const r = c.getBoundingClientRect();
  const ids = n.body.data.nodes.getIds();
  const boxes = ids.map((id) => n.getBoundingBox(id));
  const positions = n.getPositions();
  for (const [sector, inner, outer] of rings) {
    for (let angle = 20; angle < 340; angle += 5) {
      const radians = angle * Math.PI / 180; const d = (inner + outer) / 2 * radius;
      const x = Math.sin(radians) * d; const y = -Math.cos(radians) * d;
      const clear = boxes.every((b) => !b || x < b.left - 30 || x > b.right + 30 || y < b.top - 30 || y > b.bottom + 30)
        && Object.values(positions).every((p) => Math.hypot(p.x - x, p.y - y) > 80);
      if (!clear) continue;
      const dom = n.canvasToDOM({ x, y });
      if (dom.x < 10 || dom.y < 10 || dom.x > r.width - 10 || dom.y > r.height - 10) continue;
      return [r.left + dom.x, r.top + dom.y, sector];
    }
  }
  return null;
}"""


# -- the client-only page -------------------------------------------------------------------------


def client_only_data(m: EcoMap) -> dict[str, Any]:
    """What the client-only page draws and edits: the map's data as the app sends it, every node and
    edge with its style filled in, and for each tie its line at each strength; the roles of each ring
    and how a new person of each kind is drawn."""
    t = translator("en")
    data = vis_data(m, t=t)
    nodes = [full_node(node, data) for node in data["nodes"]]
    for node in nodes:
        if node["id"] != PERSON:
            node["status"] = m.tie(node["id"]).status
    kinds = sorted({(role.sector, role.kind) for role in ROLES.values()})
    probe = new_map("Probe")
    for index, (sector, kind) in enumerate(kinds):
        probe = probe.with_tie({"id": f"p{index}", "name": "Probe", "sector": sector, "kind": kind})
    probe_data = vis_data(probe, t=t)
    drawn = {"id", "label", "x", "y", "style", "font", "widthConstraint"}
    new_nodes = {
        f"{sector}:{kind}": {k: v for k, v in full_node(node, probe_data).items() if k not in drawn}
        for (sector, kind), node in zip(kinds, probe_data["nodes"][1:], strict=True)
    }
    font = {**probe_data["nodeDefaults"]["font"]}
    for template in new_nodes.values():
        template["font"] = font
    own = ("id", "to", "style", "arrows", "stressful")
    new_edge = {k: v for k, v in full_edge(probe_data["edges"][0], probe_data).items() if k not in own}
    combos = [(strength, status) for strength in STRENGTHS for status in STATUSES]
    lines_probe = new_map("Probe")
    for index, (strength, status) in enumerate(combos):
        tie = {"id": f"l{index}", "name": "Probe", "sector": "family", "strength": strength, "status": status}
        lines_probe = lines_probe.with_tie(tie)
    lines_data = vis_data(lines_probe, t=t)
    lines = {
        f"{strength}:{status}": {k: v for k, v in full_edge(edge, lines_data).items() if k not in own}
        for (strength, status), edge in zip(combos, lines_data["edges"], strict=True)
    }
    roles: dict[str, list[tuple[str, str]]] = {}
    for role in ROLES.values():
        roles.setdefault(role.sector, []).append((role.value, t(role.label)))
    return {
        "data": {**data, "nodes": nodes, "edges": [full_edge(edge, data) for edge in data["edges"]]},
        "lines": lines,
        "newNodes": new_nodes,
        "newEdge": new_edge,
        "roles": roles,
        "roleKinds": {role.value: role.kind for role in ROLES.values()},
        "strengths": [(key, t(term.label)) for key, term in STRENGTHS.items()],
        "statuses": [(key, t(term.label)) for key, term in STATUSES.items()],
        "words": {"stressful": t("Stressful"), "gets": "Gets", "gives": "Gives", "undo": t("Undo")},
        "colours": {},
        "selectedColour": PERSON_COLOUR,
        "heightShare": VIEW_HEIGHTS["map"]["wide"],
    }


def client_only_site(folder: Path, maps: dict[str, EcoMap]) -> Path:
    """The client-only page for each map (``<map id>.html``) beside vis-network (pyvis's copy, as the
    app serves it), the shared drawing script and the page's own script."""
    site = folder / "client-only"
    site.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vis_network_path(), site / "vis-network.min.js")
    (site / "draw.js").write_text(drawing_js(), encoding="utf-8")
    shutil.copyfile(APPS / "client_only.js", site / "client_only.js")
    template = (APPS / "client_only.html").read_text(encoding="utf-8")
    for name, m in maps.items():
        (site / f"{name}.html").write_text(template.replace("BENCH_DATA", script_json(client_only_data(m))), "utf-8")
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Python's own static file server for ``folder`` on loopback, in a thread; yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# -- driving either page --------------------------------------------------------------------------


@dataclass
class Target:
    """A page measured: the app (with its websocket watched) or the client-only page."""

    name: str
    page: Any
    frames: Frames | None = None
    taps: int = TAPS

    def settle(self) -> None:
        """Wait until the app has answered whatever the last action sent, and drawn it."""
        if self.frames is None:
            self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            return
        self.frames.answered(self.page)
        self.page.wait_for_selector(SETTLED)
        self.page.wait_for_function(
            "() => Number(document.querySelector('.ecomap-canvas')?.dataset.pending || 0) === 0", timeout=30_000
        )

    def timed(self, act: Callable[[], object], ready: str, args: dict[str, Any]) -> float:
        """Arm the watch, do ``act`` (real input), and return the milliseconds to the frame after ``ready``."""
        self.page.evaluate(ARM_WATCH, {"ready": ready, "args": args, "timeout": 30_000})
        act()
        self.page.wait_for_function("() => window.__result !== undefined", timeout=40_000, polling=50)
        elapsed = float(self.page.evaluate("() => window.__result"))
        if elapsed < 0:
            raise RuntimeError(f"{self.name}: the page never showed the result")
        return elapsed

    def first(self, *selectors: str) -> Any:
        """The first of ``selectors`` present on the page (the newer hook first, then the older)."""
        for selector in selectors[:-1]:
            if self.page.locator(selector).count():
                return self.page.locator(selector).first
        return self.page.locator(selectors[-1]).first


def _edge(page: Any, tie_id: str) -> dict[str, Any]:
    edge: dict[str, Any] = page.evaluate(
        "(id) => { const e = document.querySelector('.ecomap-canvas').ecomapNetwork.body.data.edges.get(id);"
        " return { strength: e.strength, width: e.width }; }",
        f"tie:{tie_id}",
    )
    return edge


def _open(target: Target, m: EcoMap) -> list[float]:
    """Tap two ties in turn: each tap opens the other."""
    times = []
    first, second = m.ties[0], m.ties[1]
    for index in range(target.taps + 2):
        tie = second if index % 2 == 0 else first
        x, y = target.page.evaluate(TIE_POINT, tie.id)
        tap = partial(target.page.touchscreen.tap, x, y)
        elapsed = target.timed(tap, OPEN_READY, {"tie": tie.id, "name": tie.name})
        target.settle()
        if index >= 2:  # the first two warm up
            times.append(elapsed)
    return times


def _strength_buttons(target: Target, key: str, label: str, *, on_bar: bool) -> Any:
    page = target.page
    if on_bar:
        return target.first(
            f'.ecomap-quick button[data-field="strength"][data-value="{key}"]',
            f'.ecomap-quick button:text-is("{label}")',
        )
    if page.locator(f'.bench-editor input[value="{key}"]').count():
        return page.locator(f'.bench-editor input[value="{key}"]')
    return page.get_by_role("radio", name=label, exact=True).first


def _change(target: Target, m: EcoMap, *, on_bar: bool) -> list[float]:
    """Tap Strong and Moderate in turn for the first tie, on the map's own bar or in the editor."""
    times = []
    tie = m.ties[0]
    labels = {key: term.label for key, term in STRENGTHS.items()}
    for index in range(target.taps + 2):
        now = _edge(target.page, tie.id)["strength"]
        key = "moderate" if now == "strong" else "strong"
        button = _strength_buttons(target, key, labels[key], on_bar=on_bar)
        button.wait_for()
        elapsed = target.timed(button.tap, LINE_READY, {"edge": f"tie:{tie.id}", "strength": key})
        target.settle()
        if index >= 2:
            times.append(elapsed)
    return times


def _add(target: Target, m: EcoMap) -> list[float]:
    """Add a person where a ring is empty, then take them away again (not timed)."""
    times = []
    rings = [[sector, inner, outer] for sector, (inner, outer) in RINGS.items()]
    page = target.page
    for index in range(target.taps + 2):
        spot = page.evaluate(EMPTY_SPOT, {"rings": rings, "radius": WORLD_RADIUS})
        if spot is None:
            raise RuntimeError(f"{target.name}: no empty part of a ring to tap")
        x, y, sector = spot
        name = f"Nia Bench {index + 1}"
        role = next(role for role in ROLES.values() if role.sector == sector)
        waits = [target.timed(partial(page.touchscreen.tap, x, y), FORM_READY, {})]
        name_field = target.first('.ecomap-add input[name="name"]', ".st-key-add_at_name input")
        name_selector = (
            '.ecomap-add input[name="name"]'
            if page.locator('.ecomap-add input[name="name"]').count()
            else ".st-key-add_at_name input"
        )
        name_field.fill(name[:-1])
        typed = {"selector": name_selector, "value": name}
        waits.append(target.timed(partial(page.keyboard.press, name[-1]), VALUE_READY, typed))
        if page.locator('.ecomap-add select[name="role"]').count():
            chooser = page.locator('.ecomap-add select[name="role"]')
            waits.append(
                target.timed(
                    partial(chooser.select_option, role.value),
                    VALUE_READY,
                    {"selector": '.ecomap-add select[name="role"]', "value": role.value},
                )
            )
        else:
            pill = page.locator(".st-key-add_at_role").get_by_role("button", name=role.label, exact=True)
            waits.append(target.timed(pill.tap, PILL_READY, {"label": role.label}))
            target.settle()
        submit = target.first('.ecomap-add [type="submit"]', ".st-key-add_at_add button")
        waits.append(target.timed(submit.tap, ADDED_READY, {"name": name}))
        target.settle()
        _take_away(target, name)
        if index >= 2:
            times.append(sum(waits))
    return times


def _take_away(target: Target, name: str) -> None:
    page = target.page
    if target.frames is None:
        page.evaluate("() => window.clientOnly.undo()")
    else:
        page.locator(".st-key-undo button").tap()
        page.wait_for_function(GONE_READY, arg=name, timeout=30_000)
        target.settle()
        page.keyboard.press("Escape")  # nothing else stays open
    target.settle()


def _measure(target: Target, m: EcoMap, rate: int) -> dict[str, list[float]]:
    """Every action on ``target``'s page at CPU slowed ``rate`` times (1: not slowed)."""
    cdp = target.page.context.new_cdp_session(target.page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    try:
        found = {"open": _open(target, m)}
        _select(target, m.ties[0])
        found["bar"] = _change(target, m, on_bar=True)
        if target.frames is not None:  # the editor beside the map follows the rerun
            target.page.get_by_role("radio", name="Strong", exact=True).first.wait_for()
        found["editor"] = _change(target, m, on_bar=False)
        found["add"] = _add(target, m)
    finally:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        cdp.detach()
    return found


def _select(target: Target, tie: Any) -> None:
    x, y = target.page.evaluate(TIE_POINT, tie.id)
    target.page.touchscreen.tap(x, y)
    target.page.wait_for_function(OPEN_READY, arg={"tie": tie.id, "name": tie.name}, timeout=30_000)
    target.settle()


def bench_maps() -> dict[str, EcoMap]:
    """The maps measured: Alys's (21 ties), and 60 generated ties whose first is current."""
    alys = next(m for m in example_maps() if len(m.ties) == MAPS["bench-21"]).replace(id="bench-21")
    sixty = generated_map(MAPS["bench-60"]).replace(id="bench-60")
    sixty = sixty.with_tie(sixty.ties[0].model_copy(update={"status": "current"}))
    return {"bench-21": alys, "bench-60": sixty}


def actions(
    taps: int = TAPS, maps_measured: tuple[str, ...] = tuple(MAPS), rates: tuple[int, ...] = RATES
) -> list[Result]:
    """Each action on the client-only page and on Ecomap, for each map, at each CPU rate: ``taps``
    samples of each after two that warm up."""
    import tempfile

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return [Result("actions", 0, "ms", note=f"not measured: no Chromium at {CHROMIUM}")]
    folder = Path(tempfile.mkdtemp(prefix="ecomap-bench-"))
    maps = {map_id: m for map_id, m in bench_maps().items() if map_id in maps_measured}
    figures: dict[tuple[str, str, int, str], list[float]] = {}
    try:
        database = folder / "actions.db"
        store = Store.from_url(f"sqlite:///{database}")
        store.migrate()
        for m in maps.values():
            store.add_person(LOCAL_USER, m)
        store.engine.dispose()
        site = client_only_site(folder, maps)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            with static_server(site) as client_url, serve(APP, database) as (app_url, _, _):
                for map_id, m in maps.items():
                    for rate in rates:
                        for app in ("client-only", "Ecomap"):
                            page = tablet(chromium)
                            page.add_init_script(MARK_INPUT)
                            frames = Frames(page) if app == "Ecomap" else None
                            if frames is None:
                                page.goto(f"{client_url}/{map_id}.html")
                                page.wait_for_function("() => document.querySelector('.ecomap-canvas').dataset.draws")
                            else:
                                page.goto(f"{app_url}/map?map={map_id}")
                                page.wait_for_selector(SETTLED)
                                page.wait_for_function(
                                    "() => document.querySelector('.ecomap-canvas')?.dataset.drawnVersion"
                                )
                            target = Target(app, page, frames, taps)
                            for action, samples in _measure(target, m, rate).items():
                                figures[(map_id, action, rate, app)] = samples
                            page.context.close()
            chromium.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return action_results(figures)


def action_results(figures: dict[tuple[str, str, int, str], list[float]]) -> list[Result]:
    """One result per map, action and CPU rate: Ecomap's median beside the client-only page's."""
    results = []
    for (map_id, action, rate, app), samples in figures.items():
        if app != "Ecomap":
            continue
        floor = figures[(map_id, action, rate, "client-only")]
        results.append(
            Result(
                f"{ACTIONS[action]}, {MAPS[map_id]} ties, CPU {rate}x",
                statistics.median(samples),
                "ms",
                statistics.median(floor),
                "client-only page",
                1.5,
                "ratio",
                samples=samples,
                group="actions",
                row=f"{ACTIONS[action]}, {MAPS[map_id]} ties",
                column=f"{rate}x",
                baseline_samples=floor,
            )
        )
    return results
