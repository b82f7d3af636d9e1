// The map's own small form to add someone where a ring was tapped (`.ecomap-add`): a name, one of the
// ring's roles, Add and Cancel. Adding is an edit of the map's own (EDITS.add, sent by sendEdit with
// the others): the new person is drawn at once at the tapped place, in the ring's look with a moderate
// line, selected, and Python saves them (ui/adding.py add_on_map) with the model's rule for a name, or
// refuses them: the edit is dropped, so they are gone from the map, and the reason is said.
// `s.data.adding` (AddForm in ecomap/render/interactive.py) holds the form's words and each ring's
// roles; it is null where the map is only looked at, or in the guided conversation. Names are set as
// `value`/`textContent` only. Placed after ecomap_map.js, whose onTap calls addFormOpen.

const ADD_CSS = `
.ecomap-add-host { position: relative; }
.ecomap-add { position: absolute; z-index: 5; box-sizing: border-box; width: 280px; max-width: calc(100% - 8px);
  display: flex; flex-direction: column; gap: 6px; padding: 10px 12px 12px 12px; border-radius: 12px;
  background: #ffffff; color: #111111; border: 1px solid #90a4ae; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25); }
.ecomap-add[hidden] { display: none; }
.ecomap-add-title { margin: 0; font-weight: 600; }
.ecomap-add label { display: flex; flex-direction: column; gap: 2px; }
.ecomap-add input, .ecomap-add select { font: inherit; font-size: max(16px, 1em); min-height: 44px;
  box-sizing: border-box; padding: 0 8px; border: 1px solid #5f6b73; border-radius: 8px; background: #ffffff;
  color: #111111; }
.ecomap-add-problem { margin: 0; color: #b00020; font-weight: 600; }
.ecomap-add-problem:empty { display: none; }
.ecomap-add-buttons { display: flex; gap: 8px; justify-content: flex-end; flex-wrap: wrap; }
.ecomap-add button { min-height: 44px; min-width: 44px; padding: 0 16px; border-radius: 8px; font: inherit;
  border: 1px solid #90a4ae; background: #ffffff; color: #111111; touch-action: manipulation; }
.ecomap-add button[type="submit"] { background: #37474f; border-color: #37474f; color: #ffffff; font-weight: 600; }
.ecomap-add-mark { position: absolute; left: 0; top: 0; pointer-events: none; overflow: visible; }
.ecomap-add-mark[hidden] { display: none; }
`;

// The dashed circle where someone is about to be added: an element over the canvas, placed where the
// spot is drawn (and again each time the map is drawn, zoomed or moved), so that opening the form draws
// no canvas. Its size is the map's: MARK_RADIUS and MARK_LINE in the map's units, MARK_DASHES too.
const MARK_RADIUS = 22;
const MARK_LINE = 3;
const MARK_DASHES = "6 5";
const SVG = "http://www.w3.org/2000/svg";

// An id for the new tie, made here so that the person drawn now is the one Python saves (the model
// takes any id of letters, digits and - up to 64). crypto.randomUUID needs a secure page (https or
// localhost); a tablet on a trusted network may reach the app over plain http, so random bytes then.
function addNewId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function addElement(tag, props, ...children) {
  const element = document.createElement(tag);
  Object.assign(element, props);
  element.append(...children);
  return element;
}

// The form, made once for each map and kept beside it (Python's data never rebuilds it).
function addFormMake(s) {
  if (!document.getElementById("ecomap-add-css")) {
    document.head.appendChild(addElement("style", { id: "ecomap-add-css", textContent: ADD_CSS }));
  }
  const uid = Math.random().toString(36).slice(2);
  const title = addElement("p", { className: "ecomap-add-title", id: `ecomap-add-title-${uid}` });
  const name = addElement("input", { type: "text", name: "name", autocomplete: "off", spellcheck: false });
  name.setAttribute("autocapitalize", "words");
  name.setAttribute("enterkeyhint", "done");
  const role = addElement("select", { name: "role" });
  const nameText = addElement("span");
  const roleText = addElement("span");
  const problem = addElement("p", { className: "ecomap-add-problem" });
  problem.setAttribute("role", "alert");
  const add = addElement("button", { type: "submit" });
  const cancel = addElement("button", { type: "button", name: "cancel" });
  const form = addElement(
    "form",
    { className: "ecomap-add", hidden: true, noValidate: true },
    title,
    addElement("label", {}, nameText, name),
    addElement("label", {}, roleText, role),
    problem,
    addElement("div", { className: "ecomap-add-buttons" }, cancel, add),
  );
  form.setAttribute("aria-labelledby", title.id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    addSubmit(s);
  });
  cancel.addEventListener("click", () => addFormClose(s));
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      addFormClose(s);
    }
  });
  // A mouse's tap that opened the form goes on to focus the map (its mousedown): the name keeps the
  // focus it was given.
  s.container.addEventListener("focusin", () => {
    if (!form.hidden && performance.now() - s.add.openedAt < 800) name.focus();
  });
  // The tap that opened the form is the form's: no emulated mouse after it (which would focus the map
  // and click it in the frame that shows the form).
  s.container.addEventListener("touchend", (event) => {
    if (s.add.tapOpened && event.cancelable) event.preventDefault();
    s.add.tapOpened = false;
  }, { capture: true, passive: false });
  const host = s.container.parentElement;
  host.classList.add("ecomap-add-host");
  host.appendChild(form);
  const mark = addMarkMake(s);
  s.add = { form, title, name, nameText, role, roleText, problem, addButton: add, cancel, mark, spot: null, openedAt: 0 };
  return s.add;
}

function addMarkMake(s) {
  const r = MARK_RADIUS + MARK_LINE;
  const mark = document.createElementNS(SVG, "svg");
  mark.setAttribute("class", "ecomap-add-mark");
  mark.setAttribute("viewBox", `${-r} ${-r} ${2 * r} ${2 * r}`);
  mark.setAttribute("aria-hidden", "true");
  mark.setAttribute("hidden", "");
  const circle = document.createElementNS(SVG, "circle");
  for (const [name, value] of [["r", MARK_RADIUS], ["fill", "none"], ["stroke-width", MARK_LINE], ["stroke-dasharray", MARK_DASHES]]) {
    circle.setAttribute(name, String(value));
  }
  mark.appendChild(circle);
  s.network.canvas.frame.appendChild(mark); // vis-network's own frame: clipped where the canvas is
  s.network.on("afterDrawing", () => addMarkPlace(s));
  return mark;
}

// The mark over the spot, at the map's scale (a view zoomed in shows it larger, as it shows the people).
function addMarkPlace(s) {
  const add = s.add;
  if (!add || !add.spot || !s.data) return;
  const scale = s.network.getScale();
  const at = s.network.canvasToDOM(addPoint(add.spot, s.data.radius));
  const size = 2 * (MARK_RADIUS + MARK_LINE) * scale;
  add.mark.setAttribute("width", String(size));
  add.mark.setAttribute("height", String(size));
  add.mark.style.transform = `translate(${at.x - size / 2}px, ${at.y - size / 2}px)`;
  add.mark.firstChild.setAttribute("stroke", s.data.pendingColour);
}

// Opens the form for a tap on an empty part of `ring` at `spot` (angle, distance), `at` the tap's
// place on the canvas in CSS pixels: the words and roles from the data, the place marked on the map.
function addFormOpen(s, ring, spot, at) {
  const words = s.data.adding;
  if (!words) return;
  const add = s.add || addFormMake(s);
  const margin = s.data.ringMargin;
  const distance = Math.min(Math.max(spot.distance, ring.inner + margin), ring.outer - margin);
  add.spot = { sector: ring.sector, angle: spot.angle, distance: Math.round(distance * 1e6) / 1e6 };
  add.title.textContent = words.titles[ring.sector] || "";
  add.nameText.textContent = words.name;
  add.roleText.textContent = words.role;
  add.addButton.textContent = words.add;
  add.cancel.textContent = words.cancel;
  add.name.maxLength = words.nameMax;
  add.problem.textContent = "";
  if (add.form.hidden || add.form.dataset.sector !== ring.sector) {
    add.name.value = "";
    const roles = words.roles[ring.sector] || [];
    add.role.replaceChildren(...roles.map(([value, label]) => addElement("option", { value, textContent: label })));
  }
  add.form.dataset.sector = ring.sector;
  add.form.hidden = false;
  // Over the map, beside the tapped place (under it if there is room, else above), never off the map.
  const left = s.container.offsetLeft;
  const top = s.container.offsetTop;
  const width = add.form.offsetWidth;
  const height = add.form.offsetHeight;
  const x = Math.min(Math.max(at.x - width / 2, 4), Math.max(4, s.container.clientWidth - width - 4));
  const below = at.y + 28;
  const y = below + height <= s.container.clientHeight ? below : Math.max(4, at.y - 28 - height);
  add.form.style.left = `${left + x}px`;
  add.form.style.top = `${top + y}px`;
  addMark(s, add.spot);
  add.openedAt = performance.now();
  add.tapOpened = true; // the touch that ends this tap, in the same task, is the form's
  setTimeout(() => { add.tapOpened = false; }, 0);
  add.name.focus({ preventScroll: true });
}

function addPoint(spot, radius) {
  const radians = (spot.angle * Math.PI) / 180;
  return { x: Math.sin(radians) * spot.distance * radius, y: -Math.cos(radians) * spot.distance * radius };
}

// The mark shown where someone is about to be added, until the form closes.
function addMark(s, spot) {
  const add = s.add;
  if (!add) return;
  add.mark.toggleAttribute("hidden", !spot);
  if (spot) addMarkPlace(s);
}

function addFormClose(s, { focusMap = true } = {}) {
  const add = s.add;
  if (!add || add.form.hidden) return;
  add.form.hidden = true;
  add.spot = null;
  addMark(s, null);
  if (focusMap) s.container.focus({ preventScroll: true });
}

// Add: the person drawn at once at the tapped place, then Python told. A name with nothing in it is
// refused here, in the form; every other rule is the model's, in Python.
function addSubmit(s) {
  const add = s.add;
  const words = s.data.adding;
  if (!add || !add.spot || !words) return addFormClose(s);
  const name = add.name.value.trim();
  if (!name) {
    add.problem.textContent = words.empty;
    add.name.focus();
    return;
  }
  const spot = add.spot;
  const roles = words.roles[spot.sector] || [];
  const role = roles.some(([key]) => key === add.role.value) ? add.role.value : "";
  addFormClose(s, { focusMap: true });
  sendEdit(s, "add", { id: addNewId(), name, role, sector: spot.sector, angle: spot.angle, distance: spot.distance });
}

// What the edit draws until Python's map has the person: a node of the ring's look (the style table has
// every ring and status) in the shape of the role's kind, a moderate current line, and the selection.
EDITS.add = (m, value, s) => {
  if (s.data.nodes.some((node) => node.id === value.id)) return; // Python's map has them already
  const roles = (s.data.adding && s.data.adding.roles[value.sector]) || [];
  const [, , shape] = roles.find(([key]) => key === value.role) || roles[0] || ["", "", "dot"];
  const { x, y } = addPoint(value, s.data.radius);
  m.nodes.push({ id: value.id, label: value.name, x, y, shape, sector: value.sector });
  m.ties[value.id] = [s.data.vocab.strengths.indexOf("moderate"), s.data.vocab.statuses.indexOf("current"), 0];
  m.selected = value.id;
  m.linkFrom = null;
};
