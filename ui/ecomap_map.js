// Ecomap's two-way map: vis-network (loaded once, from the app's own static folder) draws the data
// Python sends; taps, drags and taps on an empty ring go back to Python as trigger values.
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

function sizeAndFit(s) {
  const width = s.container.clientWidth || 600;
  const height = Math.round(Math.max(320, Math.min(width, window.innerHeight * s.data.heightShare)));
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
    s.setTriggerValue("tapped", id);
    return;
  }
  if (id === centre) return;
  const spot = polar(event.pointer.canvas.x, event.pointer.canvas.y, s.data.radius);
  const ring = ringAt(s.data.rings, spot.distance);
  if (ring) s.setTriggerValue("add_at", { sector: ring.sector, angle: spot.angle, distance: spot.distance });
}

function onDragEnd(s, event) {
  const id = event.nodes[0];
  if (!id) return;
  const node = s.nodes.get(id);
  if (!node || node.kind === "centre") return;
  const position = s.network.getPositions([id])[id];
  const spot = polar(position.x, position.y, s.data.radius);
  const ring = s.data.rings.find((r) => r.sector === node.sector);
  const margin = 0.03;
  const distance = Math.min(Math.max(spot.distance, ring.inner + margin), ring.outer - margin);
  const radians = (spot.angle * Math.PI) / 180;
  const x = Math.sin(radians) * distance * s.data.radius;
  const y = -Math.cos(radians) * distance * s.data.radius;
  s.nodes.update({ id, x, y }); // drawn at once; Python saves it after
  s.setTriggerValue("moved", { id, angle: spot.angle, distance: Math.round(distance * 1e6) / 1e6 });
}

function create(s, vis) {
  s.nodes = new vis.DataSet();
  s.edges = new vis.DataSet();
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
  s.network.on("beforeDrawing", (ctx) => drawRings(ctx, s.data));
  s.network.on("afterDrawing", (ctx) => {
    drawMarks(ctx, s.network, s.edges, s.data);
    s.container.dataset.draws = String(Number(s.container.dataset.draws || 0) + 1);
    s.container.dataset.drawnVersion = String(s.data.version);
  });
  s.network.on("click", (event) => onTap(s, event));
  s.network.on("dragEnd", (event) => onDragEnd(s, event));
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

function replaceAll(dataset, items) {
  const keep = new Set(items.map((item) => item.id));
  dataset.remove(dataset.getIds().filter((id) => !keep.has(id)));
  dataset.update(items);
}

function update(s) {
  const { styles, nodeDefaults, edgeDefaults } = s.data;
  replaceAll(
    s.nodes,
    s.data.nodes.map((node) => withDefaults(node, styles[node.style] || {}, nodeDefaults)),
  );
  replaceAll(
    s.edges,
    s.data.edges.map((edge) => withDefaults(edge, styles[edge.style] || {}, edgeDefaults)),
  );
  s.container.setAttribute("aria-label", s.data.description);
  s.container.dataset.version = String(s.data.version);
  sizeAndFit(s);
  s.network.redraw();
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let s = maps.get(parentElement);
  if (!s) {
    const container = document.createElement("div");
    container.className = "ecomap-canvas";
    container.setAttribute("role", "img");
    parentElement.appendChild(container);
    s = { container };
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
