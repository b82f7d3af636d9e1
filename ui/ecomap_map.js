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
  let id = s.network.getNodeAt(event.pointer.DOM) || nodeNear(s, event.pointer.DOM);
  const line = id ? undefined : s.network.getEdgeAt(event.pointer.DOM);
  if (!id && line !== undefined) {
    const edge = s.edges.get(line);
    if (edge && edge.kind === "tie") id = edge.to;
  }
  if (id && id !== centre) {
    s.keyTie = id;
    tapTie(s, id);
    return;
  }
  if (id === centre) return;
  const spot = polar(event.pointer.canvas.x, event.pointer.canvas.y, s.data.radius);
  const ring = ringAt(s.data.rings, spot.distance);
  if (ring && s.data.adding) addFormOpen(s, ring, spot, event.pointer.DOM); // ecomap_add.js: the map's own form
}

// A tie tapped (or Enter on it): selected at once, its bar shown with its values, and Python told after
// (which opens its editor); after "Link", the link to it is drawn at once instead.
function tapTie(s, id) {
  if (!s.sync || !s.sync.editable) return;
  const from = s.armed || model(s).linkFrom;
  s.armed = null;
  if (from && from !== id) sendEdit(s, "link", { a: from, b: id });
  else sendEdit(s, "select", { id }, false);
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
  quietly(s, () => s.nodes.update({ id, x, y }));
  if (!s.sync || !s.sync.editable) return;
  sendEdit(s, "moved", { id, angle: spot.angle, distance: Math.round(distance * 1e6) / 1e6 }); // drawn at once
}

// The map answers first, Python follows. What the map draws is the frame (the map's own element: names,
// places, rings; it changes only when they do) with the values of the second element (`sync`: each tie's
// strength, status and flags, the links, the selection, the version, `applied` and `refused`), and over
// them every edit made here that Python has not yet confirmed (`s.pending`, in order). An edit is drawn
// in the same task as the tap (compose, then replaceAll) and sent after, with every edit still pending,
// under one trigger (`edits`), so that none is lost when two taps' reruns are merged; Python handles
// each once, in order (its number above `applied`), and its next `sync` confirms it (`applied`) or
// refuses it (`refused: {edit, reason}`): the edit is dropped, so the map shows Python's values again.
const STRESSFUL = 1;
const GETS = 2;
const GIVES = 4;

function copyModel(m) {
  return { ...m, ties: { ...m.ties }, links: m.links.map((link) => [...link]), places: { ...m.places } };
}

// What each kind of edit draws, over the model (what Python last said, and the edits before it). The
// map's own form to add someone may put its kinds here too (EDITS.add).
export const EDITS = {
  select(m, value) {
    m.selected = value.id;
    m.linkFrom = null;
  },
  escape(m) {
    m.selected = null;
    m.linkFrom = null;
  },
  tie(m, value, s) {
    const old = m.ties[value.id];
    if (!old) return;
    const [strength, status, flags] = old;
    const vocab = s.data.vocab;
    const bit = { stressful: STRESSFUL, gets: GETS, gives: GIVES }[value.field];
    if (value.field === "strength") m.ties[value.id] = [vocab.strengths.indexOf(value.value), status, flags];
    else if (value.field === "status") m.ties[value.id] = [strength, vocab.statuses.indexOf(value.value), flags];
    else if (bit) m.ties[value.id] = [strength, status, value.value ? flags | bit : flags & ~bit];
  },
  link(m, value) {
    const at = m.links.findIndex(([a, b]) => (a === value.a && b === value.b) || (a === value.b && b === value.a));
    if (at >= 0) m.links.splice(at, 1);
    else m.links.push([value.a, value.b, 0]);
    m.selected = value.a;
    m.linkFrom = null;
  },
  moved(m, value) {
    m.places[value.id] = value;
  },
};
const UNDOABLE = new Set(["tie", "link", "moved", "add"]);

function model(s) {
  const sync = s.sync || { ties: {}, links: null, selected: null, linkFrom: null, canUndo: false, undo: null };
  const base = s.data.values || { ties: {}, links: [] }; // the frame's values: the sync sends what differs
  const links = sync.links || base.links;
  let m = { ties: { ...base.ties, ...sync.ties }, links: links.map((link) => [...link]), places: {}, nodes: [] };
  m.selected = sync.selected;
  m.linkFrom = sync.linkFrom;
  const before = [];
  let pythonUndo = sync.canUndo ? sync.undo || "server" : null;
  for (const edit of s.pending) {
    if (edit.kind === "undo") {
      const { selected, linkFrom } = m;
      if (before.length) m = before.pop();
      else if (pythonUndo && pythonUndo !== "server") {
        Object.assign(m.ties, pythonUndo.ties || {});
        if (pythonUndo.links) m.links = pythonUndo.links.map((link) => [...link]);
      }
      pythonUndo = null;
      Object.assign(m, { selected, linkFrom });
      continue;
    }
    if (UNDOABLE.has(edit.kind)) before.push(copyModel(m));
    const draw = EDITS[edit.kind];
    if (draw) draw(m, edit.value, s);
  }
  for (const tap of s.local) EDITS.tie(m, tap.value, s);
  m.undoable = before.length > 0 || Boolean(pythonUndo);
  return m;
}

// A choice tapped in the editor beside the map (a Streamlit widget, ui/tie_editor.py) is drawn at once
// too, as a local look over the values (`s.local`): never sent, as the widget's own rerun saves it.
// Python's values take over again once they have it: when the sync's count of the editor's changes
// (`editorSeen`) passes the one seen at the tap, or the widget has another key (a conflict, another tie),
// a refused change is put back. The widgets are known by their keys, which the sync names for the
// selected tie (`editor`, by field), and each option by its place among the choice's buttons; the
// field's values, in that order, are the frame's `editorChoices`.
function editorTap(s, target) {
  const sync = s.sync;
  const choices = s.data && s.data.editorChoices;
  const button = target instanceof Element ? target.closest("button") : null;
  if (!button || !sync || !sync.editor || !choices || !sync.selected || button.disabled) return false;
  for (const [field, key] of Object.entries(sync.editor)) {
    if (!button.closest(`.st-key-${CSS.escape(key)}`)) continue;
    const place = [...button.parentElement.children].filter((el) => el.tagName === "BUTTON").indexOf(button);
    const options = choices[field] || [];
    if (place < 0 || place >= options.length) return false;
    const value = { id: sync.selected, field, value: options[place] };
    s.local = s.local.filter((tap) => tap.value.field !== field);
    s.local.push({ key, seen: sync.editorSeen, value });
    draw(s);
    return true;
  }
  return false;
}

// A pointer lifted on the button it went down on is the tap (drawn then); a click with no pointer
// (assistive technology), Enter and Space too. The widget's own work on a tap the map has drawn (its
// click, with Streamlit's rerun) waits until the frame showing it is on the screen: a finger's tap has
// its emulated mouse events and click cancelled, and the focus and the click are given to the button
// once that frame is drawn; a mouse's click is held back until then. (A key is the widget's own to
// answer, on its release.) A pointer that scrolled the tools is cancelled by the browser and draws
// nothing.
function listenToPage() {
  if (listeningToPage) return;
  listeningToPage = true;
  for (const name of ["pointerdown", "keydown"]) {
    document.addEventListener(name, (event) => { if (event.isTrusted) personMoves += 1; }, true);
  }
  let down = null;
  let answered = null;
  let replaying = null;
  const tapped = (target) => Boolean(currentMap && currentMap.network && editorTap(currentMap, target));
  const button = (event) => (event.target instanceof Element ? event.target.closest("button") : null);
  const replay = (pressed) =>
    afterPaint(() => {
      if (!pressed.isConnected || pressed.disabled) return;
      replaying = pressed;
      if (document.activeElement !== pressed) pressed.focus({ preventScroll: true });
      pressed.click();
      replaying = null;
    });
  document.addEventListener("pointerdown", (event) => {
    down = button(event);
    answered = null;
  }, true);
  document.addEventListener("pointercancel", () => { down = null; }, true);
  document.addEventListener("pointerup", (event) => {
    if (down && down === button(event) && tapped(event.target)) answered = down;
    down = null;
  }, true);
  document.addEventListener("touchend", (event) => {
    if (answered === null || answered !== button(event) || !event.cancelable) return;
    event.preventDefault(); // no emulated mouse, focus or click in the frame that shows the tap
    replay(answered);
    answered = null;
  }, { capture: true, passive: false });
  document.addEventListener("click", (event) => {
    const pressed = button(event);
    if (replaying !== null && replaying === pressed) return;
    const same = answered !== null && answered === pressed;
    answered = null;
    if (same) {
      event.stopImmediatePropagation();
      event.preventDefault();
      replay(pressed);
    } else tapped(event.target);
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    if (tapped(event.target)) answered = button(event);
  }, true);
}
let listeningToPage = false;
let personMoves = 0; // taps and keys on the page, counted (takeFocus)

function tieEdge(id, [strength, status, flags], vocab) {
  const gets = flags & GETS;
  const gives = flags & GIVES;
  const edge = { id: `tie:${id}`, to: id, style: `${vocab.strengths[strength]}:${vocab.statuses[status]}` };
  const arrows = gets && gives ? "to, from" : gets ? "from" : gives ? "to" : ""; // the person is "from"
  if (arrows) edge.arrows = arrows;
  if (flags & STRESSFUL) edge.stressful = true;
  return edge;
}

// The item drawn as `id`, from `part` of the frame (a node or a line of it) and `key` (the values it is
// drawn with): the one made last time when both are the same, so that an edit builds and compares
// again only what it changes. Made anew for each frame Python sends.
function composed(s, id, part, key, make) {
  if (s.composedFor !== s.data) {
    s.composedFor = s.data;
    s.composed = new Map();
  }
  const last = s.composed.get(id);
  if (last && last.part === part && last.key === key) return last.item;
  const item = make();
  s.composed.set(id, { part, key, item });
  return item;
}

// Every node and line as drawn now: the frame, the values, the edits pending; each with its style.
function compose(s, m) {
  const { styles, nodeDefaults, edgeDefaults, vocab, selectedLook } = s.data;
  const chosen = (id) => id === m.selected || id === m.linkFrom || id === s.armed;
  const nodeItem = (node) => {
    const item = { ...node };
    const values = m.ties[node.id];
    if (values && !item.style) item.style = `${item.sector}:${vocab.statuses[values[1]]}`;
    const place = m.places[node.id];
    if (place) {
      const radians = (place.angle * Math.PI) / 180;
      item.x = Math.sin(radians) * place.distance * s.data.radius;
      item.y = -Math.cos(radians) * place.distance * s.data.radius;
    }
    if (chosen(node.id)) {
      item.borderWidth = selectedLook.borderWidth;
      item.color = { ...(item.color || {}), ...selectedLook.color };
    }
    return scaled(withDefaults(item, styles[item.style] || {}, nodeDefaults), s.data.textScale);
  };
  const all = [...s.data.nodes, ...m.nodes];
  const nodes = all.map((node) => {
    const values = m.ties[node.id];
    const place = m.places[node.id];
    const key = `${values ? values[1] : ""}|${place ? `${place.angle},${place.distance}` : ""}|${chosen(node.id)}`;
    return composed(s, node.id, node, key, () => nodeItem(node));
  });
  const line = (edge) => withDefaults(edge, styles[edge.style] || {}, edgeDefaults);
  const edges = s.data.edges.map((edge) => composed(s, edge.id, edge, "", () => line(edge)));
  for (const node of all) {
    const values = m.ties[node.id];
    if (!values) continue;
    edges.push(composed(s, `tie:${node.id}`, node, values.join(","), () => line(tieEdge(node.id, values, vocab))));
  }
  for (const [a, b, stressful] of m.links) {
    const id = `link:${a}:${b}`;
    const link = () => line({ id, from: a, to: b, style: "link", ...(stressful ? { stressful: true } : {}) });
    edges.push(composed(s, id, null, String(Boolean(stressful)), link));
  }
  return { nodes, edges };
}

function connected() {
  const app = document.querySelector('[data-testid="stApp"]');
  return !app || app.dataset.testConnectionState === "CONNECTED";
}

// How long an edit sent waits for Python's answer before the map says it is not saved yet and sends it
// again (Python applies each numbered edit once, so a second sending changes nothing saved twice).
const RESEND_MS = 3000;

function send(s) {
  if (!connected()) s.lost = s.dropped = true;
  const edits = s.pending.map((edit) => ({ ...edit.value, edit: edit.edit, kind: edit.kind }));
  if (!edits.length) return;
  s.setTriggerValue("edits", edits);
  clearTimeout(s.resend);
  s.resend = setTimeout(() => unanswered(s), RESEND_MS);
}

// Edits sent that Python has not answered (a server that restarted, a sending lost on the way): said
// to be not saved yet, and sent again while the connection is there.
function unanswered(s) {
  if (!s.pending.some((p) => p.saves)) return;
  s.lost = true;
  draw(s);
  if (connected()) {
    if (s.dropped) rejoin(); // the connection went since the page last ran: perhaps a new server
    s.lost = false;
    send(s);
    s.lost = true; // still said until Python answers
    draw(s);
  } else {
    s.resend = setTimeout(() => unanswered(s), RESEND_MS);
  }
}

// A server started again holds a new session that has run nothing yet, so it knows none of the page's
// fragments, and drops what the map sends (the map runs in a fragment); the browser asks it for a run
// of the whole page only when one was under way. The page's rejoin element (ui/mapview.py, outside
// every fragment) asks for that run; the values it draws then bring the edits still pending (onSync).
// `s.dropped` says the connection went and Python has not confirmed every edit since.
function rejoin() {
  if (typeof window.__ecomapRejoin === "function") window.__ecomapRejoin();
}

// Runs `fn` once the frame being drawn has been painted: in the task after the next animation frame, or
// after AFTER_PAINT_MS where no frame comes (a page in the background draws none).
const AFTER_PAINT_MS = 100;

function afterPaint(fn) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, AFTER_PAINT_MS);
}

// An edit made on the map: numbered, drawn at once, and sent once that drawing is on the screen (sending
// starts Streamlit's own work for the rerun, which would otherwise hold the frame back). `saves` says
// whether it changes the saved map (a selection does not): those are counted in data-pending until
// Python confirms them. Each sending carries every edit still pending, so two taps in one frame are sent
// together, and a later sending of the same edits changes nothing (Python applies each number once).
export function sendEdit(s, kind, value, saves = true) {
  s.nextEdit = Math.max(s.nextEdit || 0, s.sync ? s.sync.applied : 0) + 1;
  s.pending.push({ edit: s.nextEdit, kind, value, saves });
  s.note = "";
  draw(s);
  if (!s.sending) {
    s.sending = true;
    afterPaint(() => {
      s.sending = false;
      send(s);
    });
  }
  return s.nextEdit;
}

// The map's own bar for the selected tie: its strength, stress, support both ways, status, a link to
// another tie and Undo, each drawn at once. One line (it scrolls sideways where it does not fit), so
// the map below never moves.
const QUICK_CSS = `
.ecomap-quick { display: flex; flex-wrap: nowrap; gap: 6px; align-items: center; margin: 0 0 6px 0;
  overflow-x: auto; }
.ecomap-quick[hidden] { display: none; }
.ecomap-quick-name { font-weight: 600; margin-right: 4px; flex: 0 1 auto; min-width: 3em;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.ecomap-quick-note { flex: 0 0 auto; font-weight: 600; color: #8a1c2b; }
.ecomap-quick-note:empty { display: none; }
.ecomap-quick button { flex: 0 0 auto; min-height: 44px; min-width: 44px; padding: 0 14px; border-radius: 8px;
  font: inherit; border: 1px solid #90a4ae; background: #ffffff; color: #111111; touch-action: manipulation; }
.ecomap-quick button[aria-pressed="true"] { background: #37474f; border-color: #37474f; color: #ffffff; }
.ecomap-quick button[aria-pressed="true"]::before { content: "\\2713\\00a0" / ""; font-weight: 700; }
.ecomap-quick button:disabled { opacity: 0.55; }
`;

function quickButton(label, field, value, onPress) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.dataset.field = field;
  button.dataset.value = value;
  button.addEventListener("click", onPress);
  return button;
}

// The bar is built when it is shown (and again for a frame with other words); each draw then sets only
// what differs (the tie, its name, the pressed buttons, the note), so a tap restyles a few attributes,
// not a new bar. Its buttons act on the tie the bar shows at the time of the tap (`s.quick`).
function buildQuick(s, words) {
  const name = document.createElement("span");
  name.className = "ecomap-quick-name";
  const note = document.createElement("span");
  note.className = "ecomap-quick-note";
  const tieEdit = (field, value) => () => {
    if (s.quick) sendEdit(s, "tie", { id: s.quick.id, field, value: value(s.quick) });
  };
  const strengths = words.strengths.map(([key, label]) =>
    quickButton(label, "strength", key, tieEdit("strength", () => key)),
  );
  const toggles = [["stressful", words.stressful, STRESSFUL], ["gets", words.gets, GETS], ["gives", words.gives, GIVES]].map(
    ([field, label, bit]) => [bit, quickButton(label, field, "toggle", tieEdit(field, (quick) => !(quick.flags & bit)))],
  );
  const statuses = words.statuses.map(([key, label]) => quickButton(label, "status", key, tieEdit("status", () => key)));
  const link = quickButton(words.link, "link", "", () => {
    if (!s.quick) return;
    s.armed = s.armed ? null : s.quick.id;
    s.note = s.armed ? words.linkHint : "";
    if (s.armed) s.live.textContent = words.linkHint;
    draw(s);
  });
  const undo = quickButton(words.undo, "undo", "undo", () => sendEdit(s, "undo", {}));
  const focused = s.bar.contains(document.activeElement) ? document.activeElement.dataset : null;
  const refocus = focused ? { field: focused.field, value: focused.value } : null;
  s.bar.replaceChildren(name, note, ...strengths, ...toggles.map(([, button]) => button), ...statuses, link, undo);
  s.quickParts = { words, name, note, strengths, toggles, statuses, link, undo, refocus };
}

function setAttr(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function renderQuick(s, m) {
  const words = s.data.bar;
  const id = s.armed || m.selected;
  const values = id && m.ties[id];
  const node = id && s.nodes.get(id);
  const shown = Boolean(words && s.sync && s.sync.editable && values && node);
  if (s.bar.hidden === shown) s.bar.hidden = !shown;
  if (!shown) {
    s.quick = null;
    if (s.quickParts) s.bar.replaceChildren(); // nothing of a tie is left in the page once it is closed
    s.quickParts = null;
    if ("tie" in s.bar.dataset) delete s.bar.dataset.tie;
    return;
  }
  if (!s.quickParts || s.quickParts.words !== words) buildQuick(s, words);
  const parts = s.quickParts;
  const [strength, status, flags] = values;
  s.quick = { id, flags };
  setAttr(s.bar, "data-tie", id);
  setAttr(s.bar, "aria-label", `${words.group}: ${node.label}`);
  setText(parts.name, node.label);
  parts.strengths.forEach((button, i) => setAttr(button, "aria-pressed", String(strength === i)));
  for (const [bit, button] of parts.toggles) setAttr(button, "aria-pressed", String(Boolean(flags & bit)));
  parts.statuses.forEach((button, i) => setAttr(button, "aria-pressed", String(status === i)));
  setAttr(parts.link, "data-value", id);
  setAttr(parts.link, "aria-pressed", String(Boolean(s.armed || m.linkFrom)));
  if (parts.undo.disabled === m.undoable) parts.undo.disabled = !m.undoable;
  const unsaved = s.pending.some((p) => p.saves) && (s.lost || !connected());
  setText(parts.note, unsaved ? words.notSaved : s.note || "");
  if (parts.refocus) {
    const { field, value } = parts.refocus;
    parts.refocus = null;
    const again = [...s.bar.querySelectorAll("button")].find(
      (b) => b.dataset.field === field && b.dataset.value === value && !b.disabled,
    );
    if (again) again.focus({ preventScroll: true });
  }
}

// The canvas is drawn again in the next animation frame, once, with everything this task changed (as
// vis-network draws a change of its data): never at once, which would lay the page out in the middle of
// the task (the bar just drawn) and draw the canvas twice in one frame.
function repaint(s) {
  s.network.body.emitter.emit("_requestRedraw");
}

// vis-network draws the whole canvas at once, in the task, for every change of its data (with physics
// off, each change "starts" a simulation that is a draw): the changes made by `change` draw nothing, and
// the canvas is drawn in the next frame (repaint) with all of them.
function quietly(s, change) {
  const renderer = s.network.renderer;
  const allowed = renderer.allowRedraw;
  renderer.allowRedraw = false;
  try {
    change();
  } finally {
    renderer.allowRedraw = allowed;
  }
  repaint(s);
}

// Draws everything as it is now (frame, values, pending edits) and the bar; called for every edit made
// here and for everything Python sends. A look Python no longer sends is gone: nothing is kept apart.
function draw(s) {
  if (!s.network || !s.data) return;
  const m = model(s);
  const { nodes, edges } = compose(s, m);
  quietly(s, () => {
    replaceAll(s.nodes, nodes, s.drawnNodes);
    replaceAll(s.edges, edges, s.drawnEdges);
  });
  const pending = s.pending.filter((p) => p.saves).length;
  s.container.dataset.pending = String(pending);
  renderQuick(s, m);
}

// Python's values arrive: confirmed edits leave the pending list, a refused one too (and its reason is
// said, on the bar and in the live region); after a lost connection, what is still pending is sent again.
function onSync(s, sync) {
  s.sync = sync;
  s.pending = s.pending.filter((p) => p.edit > sync.applied);
  if (!s.pending.length) {
    s.lost = false;
    if (connected()) s.dropped = false;
    clearTimeout(s.resend);
  }
  s.local = s.local.filter(
    (tap) => sync.editorSeen <= tap.seen && sync.editor && sync.editor[tap.value.field] === tap.key,
  );
  if (sync.refused && sync.refused.edit !== s.refusedShown) {
    s.refusedShown = sync.refused.edit;
    s.note = sync.refused.reason;
    s.armed = null;
    s.live.textContent = sync.refused.reason;
  }
  if (s.lost && connected() && s.pending.length) {
    s.lost = false;
    send(s);
  }
}

function watchConnection(s) {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return;
  s.connection = new MutationObserver(() => {
    if (!connected()) {
      s.dropped = true;
      if (s.pending.length) s.lost = true;
      draw(s);
    } else if (s.dropped) {
      rejoin(); // a server started again knows the page's fragments after this run; it sends what is pending (onSync)
    }
  });
  s.connection.observe(app, { attributes: true, attributeFilter: ["data-test-connection-state"] });
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
    repaint(s);
  } else if ((event.key === "Enter" || event.key === " ") && order.includes(s.keyTie)) {
    event.preventDefault();
    tapTie(s, s.keyTie);
  } else if (event.key === "Escape") {
    event.preventDefault();
    s.armed = null;
    if (s.sync && s.sync.editable) sendEdit(s, "escape", {}, false);
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

// The person's own moves win over a request: a tap or a key after it has come (another control chosen),
// or the map's own form open with the focus in it (a name being typed while a slow answer comes in):
// the focus they took stays theirs.
function takeFocus(s) {
  const request = s.sync && s.sync.focus;
  if (!request || request.asked === s.focusAsked) return;
  s.focusAsked = request.asked;
  let tries = 0;
  let held = 0;
  const moves = personMoves;
  const attempt = () => {
    if (personMoves !== moves || (s.add && !s.add.form.hidden && s.add.form.contains(document.activeElement))) return;
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
        // The map's selection is its own (compose draws it): vis-network's would draw the whole canvas
        // again for every tap, a tap on an empty ring too.
        selectable: false,
        tooltipDelay: 3600000,
      },
      nodes: { chosen: false, labelHighlightBold: false },
      edges: { smooth: false, chosen: false, arrows: { to: { scaleFactor: 0.9 }, from: { scaleFactor: 0.9 } } },
    },
  );
  s.container.ecomapNetwork = s.network; // for tests and tools in the page
  s.container.ecomapState = s;
  // The map itself takes the focus (onKey); vis-network's own focusable frame would be a second stop.
  for (const inner of s.container.querySelectorAll("[tabindex]")) inner.tabIndex = -1;
  s.network.on("beforeDrawing", (ctx) => drawRings(ctx, s.data));
  s.network.on("afterDrawing", (ctx) => {
    drawMarks(ctx, s.network, s.edges, s.data);
    drawKeyRing(ctx, s);
    s.container.dataset.draws = String(Number(s.container.dataset.draws || 0) + 1);
    if (s.sync) s.container.dataset.drawnVersion = String(s.sync.version);
  });
  s.network.on("click", (event) => onTap(s, event));
  s.network.on("dragEnd", (event) => onDragEnd(s, event));
  s.container.addEventListener("keydown", (event) => onKey(s, event));
  // The ring round the tie the keys are on is drawn only while the map has the focus (drawKeyRing).
  for (const change of ["focus", "blur"]) s.container.addEventListener(change, () => { if (s.keyTie) repaint(s); });
  s.resize = new ResizeObserver(() => sizeAndFit(s));
  s.resize.observe(s.container);
  watchConnection(s);
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
    const last = drawn.get(item.id);
    if (last && last.item === item) continue; // the very item given last time (compose keeps it)
    const text = JSON.stringify(item);
    drawn.set(item.id, { item, text });
    if (!last || last.text !== text) changed.push(item);
  }
  if (changed.length) dataset.update(changed);
}

// The person's text size: every name drawn larger (or smaller) by the same share.
function scaled(node, scale) {
  if (!scale || scale === 1 || !node.font) return node;
  return { ...node, font: { ...node.font, size: Math.round(node.font.size * scale) } };
}

function update(s) {
  if (latestSync) onSync(s, latestSync);
  draw(s);
  if (!s.sync) return;
  s.container.setAttribute("aria-label", s.sync.description);
  if (s.data.keyboard) s.hint.textContent = s.data.keyboard.hint;
  const selected = model(s).selected;
  if (!s.keyTie || !s.nodes.get(s.keyTie)) s.keyTie = selected || null;
  s.container.dataset.version = String(s.sync.version);
  const shares = JSON.stringify(s.data.heightShare);
  if (s.fittedShare !== shares) {
    s.fittedShare = shares; // later resizes (a tablet turned round) come through the ResizeObserver
    sizeAndFit(s);
  }
  repaint(s);
  takeFocus(s);
}

// The map's second element (ui/mapview.py): Python's values, version, applied and refused, with every
// run. It comes after the map's own element in the page; the map on the page draws it.
let latestSync = null;
let currentMap = null;

export function sync(component) {
  latestSync = component.data;
  const s = currentMap;
  if (s && s.ready) s.ready.then(() => update(s));
  return () => {};
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
    s = { container, bar, hint, live, pending: [], local: [], nextEdit: 0, armed: null, note: "" };
    maps.set(parentElement, s);
    s.ready = loadVis(data.visUrl).then((vis) => create(s, vis));
    listenToPage();
  }
  s.data = data;
  s.setTriggerValue = setTriggerValue;
  currentMap = s;
  s.ready.then(() => update(s));
  return () => {
    // Called when Streamlit unmounts the element; a map that is still on the page is kept.
    setTimeout(() => {
      if (!s.container.isConnected && s.network) {
        s.resize.disconnect();
        if (s.connection) s.connection.disconnect();
        s.network.destroy();
        if (currentMap === s) currentMap = null;
        maps.delete(parentElement);
      }
    }, 0);
  };
}
