// Drawing shared by the app's map and the standalone HTML export: the rings behind the ties,
// and Hartman's marks that vis-network has no option for (stress ticks, the cut-off break).
// `data` is the map's data (MapData in ecomap/render/interactive.py): colours come from it.

function drawRings(ctx, data) {
  const { rings, radius } = data;
  for (const ring of [...rings].reverse()) {
    ctx.beginPath();
    ctx.arc(0, 0, ring.outer * radius, 0, 2 * Math.PI);
    ctx.fillStyle = ring.fill;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = ring.colour;
    ctx.stroke();
  }
  ctx.beginPath();
  ctx.arc(0, 0, rings[0].inner * radius, 0, 2 * Math.PI);
  ctx.fillStyle = data.backgroundColour;
  ctx.fill();
  ctx.font = "bold 26px sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const ring of rings) {
    const y = -(ring.outer * radius) + 20;
    const width = ctx.measureText(ring.label).width + 16;
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(-width / 2, y - 16, width, 32);
    ctx.fillStyle = ring.colour;
    ctx.fillText(ring.label, 0, y);
  }
}

function dashedCircle(ctx, x, y, radius, dashes, colour) {
  ctx.setLineDash(dashes);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawMarks(ctx, network, edges, data) {
  const positions = network.getPositions();
  for (const edge of edges.get()) {
    const a = positions[edge.from];
    const b = positions[edge.to];
    if (!a || !b) continue;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length < 1) continue;
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    if (edge.stressful) {
      ctx.strokeStyle = data.stressColour;
      ctx.lineWidth = 3;
      for (let d = 40; d < length - 40; d += 26) {
        const cx = a.x + ux * d;
        const cy = a.y + uy * d;
        ctx.beginPath();
        ctx.moveTo(cx - uy * 10 - ux * 4, cy + ux * 10 - uy * 4);
        ctx.lineTo(cx + uy * 10 + ux * 4, cy - ux * 10 + uy * 4);
        ctx.stroke();
      }
    }
    if (edge.breakMark) {
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      ctx.strokeStyle = data.backgroundColour;
      ctx.lineWidth = 10;
      ctx.beginPath();
      ctx.moveTo(mx - ux * 6, my - uy * 6);
      ctx.lineTo(mx + ux * 6, my + uy * 6);
      ctx.stroke();
      ctx.strokeStyle = edge.color.color;
      ctx.lineWidth = 3;
      for (const shift of [-6, 6]) {
        ctx.beginPath();
        ctx.moveTo(mx + ux * shift - uy * 13 - ux * 6, my + uy * shift + ux * 13 - uy * 6);
        ctx.lineTo(mx + ux * shift + uy * 13 + ux * 6, my + uy * shift - ux * 13 + uy * 6);
        ctx.stroke();
      }
    }
  }
  for (const seat of data.emptySeats || []) {
    dashedCircle(ctx, seat.x, seat.y, 24, [4, 6], data.gapColour);
    ctx.fillStyle = data.gapColour;
    ctx.font = "bold 28px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(seat.label, seat.x, seat.y);
  }
  for (const node of data.nodes || []) {
    if (!node.gapMarker) continue;
    const p = positions[node.id];
    dashedCircle(ctx, p.x, p.y, 30, [5, 4], data.gapColour);
  }
}
