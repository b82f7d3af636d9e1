// Ecomap's two-way map: vis-network (loaded once, from the app's own static folder) draws the data
// Python sends; taps, drags and taps on an empty ring go back to Python as trigger values.
// `data` is always a MapMessage (ecomap/render/interactive.py): nothing else is read from Python.
// Names are only ever drawn as canvas text or set as textContent: nothing here parses markup.
// drawRings and drawMarks come from ecomap/render/draw.js, placed before this file.

const maps = new WeakMap(); // parentElement -> state of that map
const TOUCH_RADIUS_PX = 24; // a tap this close to a node counts as a tap on it (48 px target)

function loadVis(url) {
  if (!window.__ecomapVis) {
    window.__ecomapVis = new Promise((resolve, reject) => {
      if (window.vis && window.vis.Network) return resolve(window.vis);
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.vis);
      script.onerror = () => reject(new Error("vis-network did not load"));
      document.head.appendChild(script);
    });
  }
  return window.__ecomapVis;
}

function polar(x, y, radius) {
  const ux = x / radius;
  const uy = y / radius;
  const angle = ((Math.atan2(ux, -uy) * 180) / Math.PI + 360) % 360;
  return { angle: Math.round(angle * 1000) / 1000, distance: Math.round(Math.hypot(ux, uy) * 1e6) / 1e6 };
}

function ringAt(rings, distance) {
  return rings.find((r) => distance >= r.inner && distance < r.outer) || null;
}

// The page lays out its tools beside the map, or under it when the window is upright: the same test here.
const UPRIGHT = window.matchMedia("(orientation: portrait)");

function sizeAndFit(s) {
  const width = s.container.clientWidth || 600;
  const share = UPRIGHT.matches ? s.data.heightShare.upright : s.data.heightShare.wide;
  const height = Math.round(Math.max(320, Math.min(width, window.innerHeight * share)));
  s.container.style.height = `${height}px`;
  s.network.setSize(`${width}px`, `${height}px`);
  const scale = (Math.min(width, height) / 2 - 4) / (s.data.radius * 1.04);
  s.network.moveTo({ position: { x: 0, y: 0 }, scale, animation: false });
}

function nodeNear(s, pointerDom) {
  let best = null;
  let bestDistance = TOUCH_RADIUS_PX;
  const positions = s.network.getPositions();
  for (const [id, position] of Object.entries(positions)) {
    const dom = s.network.canvasToDOM(position);
    const distance = Math.hypot(dom.x - pointerDom.x, dom.y - pointerDom.y);
    if (distance <= bestDistance) {
      best = id;
      bestDistance = distance;
    }
  }
  return best;
}

function onTap(s, event) {
  const centre = s.data.nodes[0].id;
  let id = event.nodes[0] || nodeNear(s, event.pointer.DOM);
  if (!id && event.edges.length) {
    const edge = s.edges.get(event.edges[0]);
    if (edge && edge.kind === "tie") id = edge.to;
  }
  if (id && id !== centre) {
    s.keyTie = id;
    s.setTriggerValue("tapped", id);
    return;
  }
  if (id === centre) return;
  const spot = polar(event.pointer.canvas.x, event.pointer.canvas.y, s.data.radius);
  const ring = ringAt(s.data.rings, spot.distance);
  if (ring && s.data.adding) addFormOpen(s, ring, spot, event.pointer.DOM); // ecomap_add.js: the map's own form
}

function onDragEnd(s, event) {
  const id = event.nodes[0];
  if (!id) return;
  const node = s.nodes.get(id);
  if (!node || node.kind === "centre") return;
  const position = s.network.getPositions([id])[id];
  const spot = polar(position.x, position.y, s.data.radius);
  const ring = s.data.rings.find((r) => r.sector === node.sector);
  const margin = s.data.ringMargin;
  const distance = Math.min(Math.max(spot.distance, ring.inner + margin), ring.outer - margin);
  const radians = (spot.angle * Math.PI) / 180;
  const x = Math.sin(radians) * distance * s.data.radius;
  const y = -Math.cos(radians) * distance * s.data.radius;
  s.nodes.update({ id, x, y }); // drawn at once; Python saves it after
  s.drawnNodes.delete(id); // whatever Python sends next for it is drawn, even the old place
  s.setTriggerValue("moved", { id, angle: spot.angle, distance: Math.round(distance * 1e6) / 1e6 });
}

// The map's own bar for the tie being edited: its strength and its stress, drawn at once in the
// browser (as a drag is) and sent to Python after, so a tap costs no round trip to see. It is one
// line (a long name is cut short; the editor shows it whole), so the map below never moves further.
const QUICK_CSS = `
.ecomap-quick { display: flex; flex-wrap: nowrap; gap: 6px; align-items: center; margin: 0 0 6px 0;
  overflow-x: auto; }
.ecomap-quick[hidden] { display: none; }
.ecomap-quick-name { font-weight: 600; margin-right: 4px; flex: 0 1 auto; min-width: 3em;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ecomap-quick button { flex: 0 0 auto; min-height: 44px; min-width: 44px; padding: 0 14px; border-radius: 8px;
  font: inherit; border: 1px solid #90a4ae; background: #ffffff; color: #111111; touch-action: manipulation; }
.ecomap-quick button[aria-pressed="true"] { background: #37474f; border-color: #37474f; color: #ffffff; }
.ecomap-quick button[aria-pressed="true"]::before { content: "\\2713\\00a0" / ""; font-weight: 700; }
`;

function quickButton(label, pressed, onTap) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-pressed", String(pressed));
  button.addEventListener("click", onTap);
  return button;
}

function renderQuick(s) {
  const quick = s.data.quick;
  s.bar.hidden = !quick;
  s.bar.replaceChildren();
  if (!quick) return;
  s.bar.setAttribute("aria-label", quick.label);
  const name = document.createElement("span");
  name.className = "ecomap-quick-name";
  name.textContent = quick.name;
  s.bar.appendChild(name);
  for (const [key, label] of quick.strengths) {
    s.bar.appendChild(quickButton(label, quick.strength === key, () => quickStrength(s, key)));
  }
  s.bar.appendChild(quickButton(quick.stressLabel, quick.stressful, () => quickStress(s)));
}

function quickStrength(s, key) {
  const quick = s.data.quick;
  if (quick.strength === key) return;
  const id = `tie:${quick.tie}`;
  const edge = withDefaults({ id, ...quick.edges[key], stressful: quick.stressful }, s.data.edgeDefaults);
  s.edges.update(edge);
  s.drawnEdges.delete(id); // whatever Python sends next for it is drawn
  quick.strength = key;
  renderQuick(s);
  s.setTriggerValue("quick", { id: quick.tie, strength: key });
}

function quickStress(s) {
  const quick = s.data.quick;
  const id = `tie:${quick.tie}`;
  quick.stressful = !quick.stressful;
  s.edges.update({ id, stressful: quick.stressful });
  s.drawnEdges.delete(id);
  s.network.redraw();
  renderQuick(s);
  s.setTriggerValue("quick", { id: quick.tie, stressful: quick.stressful });
}

// The keyboard's way round the map: the map takes the focus, the arrow keys move from one tie to the
// next (ring by ring, clockwise from the top: the same order every time), Enter opens the tie as a tap
// does, Escape closes it; each tie reached is said in a live region (its name, ring, strength and
// stress, and where it is in the order) and ringed on the canvas.
const VISUALLY_HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;";

function keyOrder(s) {
  const rings = s.data.rings.map((ring) => ring.sector);
  const ties = s.data.nodes.filter((node) => node.id !== s.data.nodes[0].id);
  const angle = (node) => polar(node.x, node.y, s.data.radius).angle;
  return ties
    .map((node) => ({ id: node.id, ring: rings.indexOf(s.nodes.get(node.id)?.sector), angle: angle(node) }))
    .sort((a, b) => a.ring - b.ring || a.angle - b.angle || (a.id < b.id ? -1 : 1))
    .map((tie) => tie.id);
}

function sayTie(s, id, order) {
  const words = s.data.keyboard;
  const node = s.nodes.get(id);
  const edge = s.edges.get(`tie:${id}`);
  if (!words || !node) return;
  const ring = s.data.rings.find((r) => r.sector === node.sector);
  const parts = [ring ? ring.label : "", edge ? words.strengths[edge.strength] || "" : ""];
  if (edge && edge.stressful) parts.push(words.stressful);
  const where = words.position.replace("{n}", String(order.indexOf(id) + 1)).replace("{total}", String(order.length));
  s.live.textContent = `${node.label}: ${parts.filter(Boolean).join(", ")}. ${where}.`;
}

function onKey(s, event) {
  const order = keyOrder(s);
  const keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  if (event.key in keys || event.key === "Home" || event.key === "End") {
    if (!order.length) return;
    event.preventDefault();
    const at = order.indexOf(s.keyTie);
    let next;
    if (event.key === "Home") next = 0;
    else if (event.key === "End") next = order.length - 1;
    else if (at < 0) next = keys[event.key] > 0 ? 0 : order.length - 1;
    else next = (at + keys[event.key] + order.length) % order.length;
    s.keyTie = order[next];
    s.container.dataset.keyTie = s.keyTie;
    sayTie(s, s.keyTie, order);
    s.network.redraw();
  } else if ((event.key === "Enter" || event.key === " ") && order.includes(s.keyTie)) {
    event.preventDefault();
    s.setTriggerValue("tapped", s.keyTie);
  } else if (event.key === "Escape") {
    event.preventDefault();
    s.setTriggerValue("escape", true);
  }
}

function drawKeyRing(ctx, s) {
  if (!s.keyTie || document.activeElement !== s.container) return;
  const p = s.network.getPositions([s.keyTie])[s.keyTie];
  if (!p) return;
  ctx.setLineDash([]);
  ctx.lineWidth = 5;
  ctx.strokeStyle = "#ffffff";
  ctx.beginPath();
  ctx.arc(p.x, p.y, 34, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.lineWidth = 3;
  ctx.strokeStyle = getComputedStyle(s.container).outlineColor || "#000000"; // the page's focus ring (ui/common.py)
  ctx.stroke();
}

// The focus after a run (ui/focus.py): the control with that Streamlit key, once the run has finished
// drawing it: the one marked data-focus-target (the map), else a choice's chosen option, else the first
// control in it. Tried on the next frames too, in case the page drew it again.
const FOCUSABLE = 'button:not([disabled]), input:not([type="hidden"]):not([disabled]), textarea:not([disabled]),'
  + ' select, a[href], [tabindex]:not([tabindex="-1"])';

function focusable(key) {
  const box = document.querySelector(`.st-key-${CSS.escape(key)}`);
  if (!box) return null;
  if (box.matches(FOCUSABLE)) return box;
  return box.querySelector("[data-focus-target]") || box.querySelector('[aria-checked="true"]')
    || box.querySelector(FOCUSABLE);
}

function takeFocus(s) {
  const request = s.data.focus;
  if (!request || request.asked === s.focusAsked) return;
  s.focusAsked = request.asked;
  let tries = 0;
  let held = 0;
  const attempt = () => {
    tries += 1;
    const app = document.querySelector('[data-testid="stApp"]');
    const found = app && app.dataset.testScriptState === "running" ? null : focusable(request.key);
    if (found && found.isConnected) {
      if (document.activeElement !== found) found.focus();
      if (document.activeElement === found) held += 1;
    }
    if (held < 4 && tries < 120 && s.focusAsked === request.asked) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

function create(s, vis) {
  s.nodes = new vis.DataSet();
  s.edges = new vis.DataSet();
  s.drawnNodes = new Map();
  s.drawnEdges = new Map();
  s.network = new vis.Network(
    s.container,
    { nodes: s.nodes, edges: s.edges },
    {
      autoResize: false,
      physics: false,
      layout: { improvedLayout: false, randomSeed: 1 },
      interaction: {
        dragView: false,
        zoomView: false,
        hover: false,
        keyboard: false,
        selectConnectedEdges: false,
        tooltipDelay: 3600000,
      },
      nodes: { chosen: false, labelHighlightBold: false },
      edges: { smooth: false, chosen: false, arrows: { to: { scaleFactor: 0.9 }, from: { scaleFactor: 0.9 } } },
    },
  );
  s.container.ecomapNetwork = s.network; // for tests and tools in the page
  // The map itself takes the focus (onKey); vis-network's own focusable frame would be a second stop.
  for (const inner of s.container.querySelectorAll("[tabindex]")) inner.tabIndex = -1;
  s.network.on("beforeDrawing", (ctx) => drawRings(ctx, s.data));
  s.network.on("afterDrawing", (ctx) => {
    drawMarks(ctx, s.network, s.edges, s.data);
    drawKeyRing(ctx, s);
    s.container.dataset.draws = String(Number(s.container.dataset.draws || 0) + 1);
    s.container.dataset.drawnVersion = String(s.data.version);
  });
  s.network.on("click", (event) => onTap(s, event));
  s.network.on("dragEnd", (event) => onDragEnd(s, event));
  s.container.addEventListener("keydown", (event) => onKey(s, event));
  for (const change of ["focus", "blur"]) s.container.addEventListener(change, () => s.network.redraw());
  s.resize = new ResizeObserver(() => sizeAndFit(s));
  s.resize.observe(s.container);
}

// Python sends each item with only what differs from its style (data.styles) and the defaults;
// a DataSet update merges, so every item gets its style and defaults back here, and a look that
// is gone (a halo, a selection) is really gone.
function withDefaults(item, ...layers) {
  const full = { ...item };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (!(key in full)) full[key] = value;
      else if (value && typeof value === "object" && !Array.isArray(value) && typeof full[key] === "object") {
        full[key] = { ...value, ...full[key] };
      }
    }
  }
  return full;
}

// Puts back the edge ids that ecomap.render.interactive.pack leaves out.
export function unpack(data) {
  for (const edge of data.edges) {
    if (!edge.id) edge.id = edge.from ? `link:${edge.from}:${edge.to}` : `tie:${edge.to}`;
  }
  return data;
}

// Makes the DataSet hold exactly these items, touching only those that changed since the last
// update (``drawn`` remembers each item as it was given), so that one tie's edit redraws one tie.
function replaceAll(dataset, items, drawn) {
  const keep = new Set(items.map((item) => item.id));
  const gone = dataset.getIds().filter((id) => !keep.has(id));
  dataset.remove(gone);
  for (const id of gone) drawn.delete(id);
  const changed = [];
  for (const item of items) {
    const text = JSON.stringify(item);
    if (drawn.get(item.id) !== text) {
      drawn.set(item.id, text);
      changed.push(item);
    }
  }
  if (changed.length) dataset.update(changed);
}

// The person's text size: every name drawn larger (or smaller) by the same share.
function scaled(node, scale) {
  if (!scale || scale === 1 || !node.font) return node;
  return { ...node, font: { ...node.font, size: Math.round(node.font.size * scale) } };
}

function update(s) {
  const { styles, nodeDefaults, edgeDefaults } = s.data;
  replaceAll(
    s.nodes,
    s.data.nodes.map((node) => scaled(withDefaults(node, styles[node.style] || {}, nodeDefaults), s.data.textScale)),
    s.drawnNodes,
  );
  replaceAll(
    s.edges,
    s.data.edges.map((edge) => withDefaults(edge, styles[edge.style] || {}, edgeDefaults)),
    s.drawnEdges,
  );
  renderQuick(s);
  s.container.setAttribute("aria-label", s.data.description);
  if (s.data.keyboard) s.hint.textContent = s.data.keyboard.hint;
  const selected = s.data.nodes.find((node) => node.borderWidth === 4);
  if (!s.keyTie || !s.nodes.get(s.keyTie)) s.keyTie = selected ? selected.id : null;
  s.container.dataset.version = String(s.data.version);
  const shares = JSON.stringify(s.data.heightShare);
  if (s.fittedShare !== shares) {
    s.fittedShare = shares; // later resizes (a tablet turned round) come through the ResizeObserver
    sizeAndFit(s);
  }
  s.network.redraw();
  takeFocus(s);
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let s = maps.get(parentElement);
  if (!s) {
    if (!document.getElementById("ecomap-quick-css")) {
      const style = document.createElement("style");
      style.id = "ecomap-quick-css";
      style.textContent = QUICK_CSS;
      document.head.appendChild(style);
    }
    const bar = document.createElement("div");
    bar.className = "ecomap-quick";
    bar.setAttribute("role", "group");
    bar.hidden = true;
    const container = document.createElement("div");
    container.className = "ecomap-canvas";
    container.setAttribute("role", "application");
    container.tabIndex = 0;
    container.dataset.focusTarget = "map"; // what ui/focus.py focuses for the map's key
    const hint = document.createElement("span");
    hint.id = `ecomap-hint-${Math.random().toString(36).slice(2)}`;
    hint.style.cssText = VISUALLY_HIDDEN;
    container.setAttribute("aria-describedby", hint.id);
    const live = document.createElement("div");
    live.setAttribute("aria-live", "polite");
    live.className = "ecomap-live";
    live.style.cssText = VISUALLY_HIDDEN;
    parentElement.append(bar, container, hint, live);
    s = { container, bar, hint, live };
    maps.set(parentElement, s);
    s.ready = loadVis(data.visUrl).then((vis) => create(s, vis));
  }
  s.data = data;
  s.setTriggerValue = setTriggerValue;
  s.ready.then(() => update(s));
  return () => {
    // Called when Streamlit unmounts the element; a map that is still on the page is kept.
    setTimeout(() => {
      if (!s.container.isConnected && s.network) {
        s.resize.disconnect();
        s.network.destroy();
        maps.delete(parentElement);
      }
    }, 0);
  };
}
