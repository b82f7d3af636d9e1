// The client-only baseline: every action answered in the browser, in the same task, with no server.
// It draws the map as the app does (vis-network with the same options, draw.js's rings and marks)
// and keeps the DOM hooks the app's map has (.ecomap-canvas, .ecomap-quick with data-field and
// data-value, .ecomap-add), so that bench/browser.py drives both the same way. Names are set as
// textContent or drawn as canvas text only.
(() => {
  const page = JSON.parse(document.getElementById("bench-data").textContent);
  const data = page.data;
  const container = document.querySelector(".ecomap-canvas");
  const bar = document.querySelector(".ecomap-quick");
  const form = document.querySelector(".ecomap-add");
  const editor = document.querySelector(".bench-editor");
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(
    container,
    { nodes, edges },
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
  container.ecomapNetwork = network;
  const centre = data.nodes[0].id;
  const state = { selected: null, spot: null, added: [], count: 0 };

  function fit() {
    const width = container.clientWidth || 600;
    const height = Math.round(Math.max(320, Math.min(width, window.innerHeight * page.heightShare)));
    container.style.height = `${height}px`;
    network.setSize(`${width}px`, `${height}px`);
    const scale = (Math.min(width, height) / 2 - 4) / (data.radius * 1.04);
    network.moveTo({ position: { x: 0, y: 0 }, scale, animation: false });
  }

  function polar(x, y) {
    const ux = x / data.radius;
    const uy = y / data.radius;
    return { angle: ((Math.atan2(ux, -uy) * 180) / Math.PI + 360) % 360, distance: Math.hypot(ux, uy) };
  }

  function nodeNear(pointer) {
    let best = null;
    let bestDistance = 24;
    for (const [id, position] of Object.entries(network.getPositions())) {
      const dom = network.canvasToDOM(position);
      const distance = Math.hypot(dom.x - pointer.x, dom.y - pointer.y);
      if (distance <= bestDistance) {
        best = id;
        bestDistance = distance;
      }
    }
    return best;
  }

  function button(field, value, label, pressed, onTap) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.field = field;
    if (value !== null) b.dataset.value = value;
    b.textContent = label;
    b.setAttribute("aria-pressed", String(pressed));
    b.addEventListener("click", onTap);
    return b;
  }

  function radios(fieldset, name, choices, chosen, onChange) {
    for (const old of fieldset.querySelectorAll("label")) old.remove();
    for (const [key, label] of choices) {
      const wrapper = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = key;
      input.checked = key === chosen;
      input.addEventListener("change", () => onChange(key));
      wrapper.append(input, document.createTextNode(label));
      fieldset.appendChild(wrapper);
    }
  }

  // The map's own bar and the editor beside the map, both from the tie as it is drawn now.
  function render() {
    const id = state.selected;
    bar.hidden = !id;
    editor.hidden = !id;
    bar.replaceChildren();
    if (!id) return;
    const node = nodes.get(id);
    const edge = edges.get(`tie:${id}`);
    bar.dataset.tie = id;
    const name = document.createElement("span");
    name.className = "ecomap-quick-name";
    name.textContent = node.label;
    bar.appendChild(name);
    for (const [key, label] of page.strengths) {
      bar.appendChild(button("strength", key, label, edge.strength === key, () => setStrength(id, key)));
    }
    bar.appendChild(button("stressful", null, page.words.stressful, !!edge.stressful, () => toggleStress(id)));
    bar.appendChild(button("gets", null, page.words.gets, false, () => {}));
    bar.appendChild(button("gives", null, page.words.gives, false, () => {}));
    for (const [key, label] of page.statuses) {
      bar.appendChild(button("status", key, label, node.status === key, () => {}));
    }
    bar.appendChild(button("undo", null, page.words.undo, false, () => {}));
    editor.querySelector(".bench-editor-name").textContent = node.label;
    radios(editor.querySelector(".bench-strength"), "strength", page.strengths, edge.strength, (key) => setStrength(id, key));
    radios(editor.querySelector(".bench-status"), "status", page.statuses, node.status || "current", () => {});
  }

  function select(id) {
    if (state.selected && nodes.get(state.selected)) {
      nodes.update({ id: state.selected, borderWidth: 2, color: page.colours[state.selected] });
    }
    state.selected = id;
    if (id) {
      page.colours[id] = page.colours[id] || nodes.get(id).color;
      nodes.update({ id, borderWidth: 4, color: { ...nodes.get(id).color, border: page.selectedColour } });
    }
    render();
  }

  function setStrength(id, key) {
    const old = edges.get(`tie:${id}`);
    const line = page.lines[`${key}:${nodes.get(id).status || "current"}`];
    edges.update({ ...data.edgeDefaults, ...line, id: old.id, to: id, arrows: old.arrows, stressful: !!old.stressful });
    render();
  }

  function toggleStress(id) {
    edges.update({ id: `tie:${id}`, stressful: !edges.get(`tie:${id}`).stressful });
    network.redraw();
    render();
  }

  function startAdding(spot, ring) {
    state.spot = { ...spot, sector: ring.sector };
    const select = form.elements.role;
    select.replaceChildren();
    for (const [value, label] of page.roles[ring.sector]) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      select.appendChild(option);
    }
    select.selectedIndex = -1;
    form.elements.name.value = "";
    form.hidden = false;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    const role = page.roleKinds[form.elements.role.value];
    if (!name || !role || !state.spot) return;
    state.count += 1;
    const id = `new${state.count}`;
    const radians = (state.spot.angle * Math.PI) / 180;
    const x = Math.sin(radians) * state.spot.distance * data.radius;
    const y = -Math.cos(radians) * state.spot.distance * data.radius;
    nodes.add({ ...page.newNodes[`${state.spot.sector}:${role}`], id, label: name, x, y, status: "current" });
    edges.add({ ...page.newEdge, id: `tie:${id}`, to: id });
    state.added.push(id);
    form.hidden = true;
    state.spot = null;
    select(id);
  });

  network.on("click", (event) => {
    let id = event.nodes[0] || nodeNear(event.pointer.DOM);
    if (!id && event.edges.length) {
      const edge = edges.get(event.edges[0]);
      if (edge && edge.kind === "tie") id = edge.to;
    }
    if (id && id !== centre) {
      form.hidden = true;
      select(id);
      return;
    }
    if (id === centre) return;
    const spot = polar(event.pointer.canvas.x, event.pointer.canvas.y);
    const ring = data.rings.find((r) => spot.distance >= r.inner && spot.distance < r.outer);
    if (ring) startAdding(spot, ring);
  });
  network.on("beforeDrawing", (ctx) => drawRings(ctx, data));
  network.on("afterDrawing", (ctx) => {
    drawMarks(ctx, network, edges, data);
    container.dataset.draws = String(Number(container.dataset.draws || 0) + 1);
  });
  new ResizeObserver(fit).observe(container);
  fit();
  container.dataset.version = "1";

  // For the harness between samples: take the last person added away again.
  window.clientOnly = {
    undo() {
      const id = state.added.pop();
      if (!id) return;
      if (state.selected === id) select(null);
      edges.remove(`tie:${id}`);
      nodes.remove(id);
    },
  };
})();
