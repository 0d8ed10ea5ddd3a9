// The interactive view of autograd_core.explore: works on the SVG graphviz drew.
// Node <title>s are the DOT ids ("t3" a tensor, "o3" the op that made it); edge
// <title>s are "t1->o3"; module clusters are <g class="cluster">.
function autogradExplore(pageId) {
  "use strict";
  const page = document.getElementById(pageId);
  if (!page || page.dataset.ready) return;
  page.dataset.ready = "1";
  const data = JSON.parse(page.querySelector(".ax-data").textContent);
  const svg = page.querySelector(".ax-graph svg");
  const tip = page.querySelector(".ax-tip");
  const table = page.querySelector(".ax-table");
  const slider = page.querySelector(".ax-step");
  const stepText = page.querySelector(".ax-step-text");
  const search = page.querySelector(".ax-search");
  const found = page.querySelector(".ax-found");

  const style = document.createElement("style");
  style.textContent = `
    #${pageId} { font: 13px Helvetica, Arial, sans-serif; position: relative; }
    #${pageId} .ax-bar { margin: 4px 0; display: flex; gap: 8px; align-items: center; }
    #${pageId} .ax-graph { overflow: auto; max-height: 80vh; border: 1px solid #ddd; }
    #${pageId} .ax-tip { position: absolute; z-index: 10; background: #fff; max-width: 480px;
      border: 1px solid #999; padding: 6px 8px; white-space: pre-wrap; font: 12px monospace;
      box-shadow: 2px 2px 6px rgba(0,0,0,.2); pointer-events: none; max-height: 320px;
      overflow: hidden; }
    #${pageId} .ax-table { font: 12px monospace; margin: 4px 0; white-space: pre-wrap; }
    #${pageId} g.cluster { cursor: pointer; }
    #${pageId} g.ax-current > path, #${pageId} g.ax-current > polygon,
    #${pageId} g.ax-current > ellipse { stroke: #d35400 !important; stroke-width: 4px; }
    #${pageId} g.ax-found-node > path, #${pageId} g.ax-found-node > polygon {
      stroke: #1f618d !important; stroke-width: 4px; }
    #${pageId} g.ax-folded > path, #${pageId} g.ax-folded > polygon {
      fill: #d6dbdf !important; stroke-dasharray: 4 2; }`;
  page.appendChild(style);

  const titleOf = (g) => {
    const t = g.querySelector(":scope > title");
    return t ? t.textContent : "";
  };
  const nodes = Array.from(svg.querySelectorAll("g.node"));
  const edges = Array.from(svg.querySelectorAll("g.edge"));
  const clusters = Array.from(svg.querySelectorAll("g.cluster"));
  const nodeById = new Map(nodes.map((g) => [titleOf(g), g]));
  const edgeById = new Map(edges.map((g) => [titleOf(g).replace(/&gt;/g, ">"), g]));
  const hidden = new Set();

  // ---- folding module clusters -----------------------------------------------------
  const inside = (box, g) => {
    const b = g.getBBox();
    const x = b.x + b.width / 2, y = b.y + b.height / 2;
    return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
  };
  function refresh() {
    for (const g of nodes) g.style.display = hidden.has(g) ? "none" : "";
    for (const g of edges) {
      const [src, dst] = titleOf(g).split("->");
      const a = nodeById.get(src), b = nodeById.get(dst);
      g.style.display = (a && hidden.has(a)) || (b && hidden.has(b)) ? "none" : "";
    }
  }
  function fold(cluster, on) {
    const label = cluster.querySelector("text");
    if (label && cluster.dataset.title === undefined) cluster.dataset.title = label.textContent;
    const box = cluster.querySelector("path, polygon").getBBox();
    const members = nodes.filter((g) => inside(box, g));
    cluster.classList.toggle("ax-folded", on);
    for (const g of members) on ? hidden.add(g) : hidden.delete(g);
    // a folded cluster inside an unfolded one keeps its nodes hidden
    for (const other of clusters) {
      if (other !== cluster && other.classList.contains("ax-folded")) {
        const b = other.querySelector("path, polygon").getBBox();
        for (const g of nodes) if (inside(b, g)) hidden.add(g);
      }
    }
    if (label) {
      label.textContent = on ? `${cluster.dataset.title}  (${members.length} folded)`
                             : cluster.dataset.title;
    }
  }
  for (const cluster of clusters) {
    cluster.addEventListener("click", (event) => {
      if (event.target.closest("g.node")) return;
      event.stopPropagation();
      fold(cluster, !cluster.classList.contains("ax-folded"));
      refresh();
    });
  }
  for (const cluster of clusters) {
    if (cluster.classList.contains("composite")) fold(cluster, true);
  }
  refresh();

  // ---- hovering a tensor -------------------------------------------------------------
  for (const g of nodes) {
    const facts = data.tensors[titleOf(g)];
    if (!facts) continue;
    g.addEventListener("mouseenter", (event) => {
      const lines = [
        `${facts.name || "(unnamed)"}  ${facts.shape} ${facts.dtype}  [${facts.op}]`,
        `value: ${facts.value}`,
      ];
      if (facts.grad !== null) lines.push(`grad: ${facts.grad}`);
      if (facts.origin) lines.push(facts.origin);
      tip.textContent = lines.join("\n");
      tip.hidden = false;
      const r = page.getBoundingClientRect();
      tip.style.left = `${event.clientX - r.left + 12}px`;
      tip.style.top = `${event.clientY - r.top + 12}px`;
    });
    g.addEventListener("mouseleave", () => { tip.hidden = true; });
  }

  // ---- stepping through backward -----------------------------------------------------
  function show(k) {
    for (const g of svg.querySelectorAll(".ax-current")) g.classList.remove("ax-current");
    if (!data.steps.length) {
      stepText.textContent = "no backward to replay (use backward(retain_graph=True))";
      return;
    }
    k = Math.max(0, Math.min(data.steps.length - 1, k));
    slider.value = String(k);
    const step = data.steps[k];
    const g = nodeById.get(step.node);
    if (g) g.classList.add("ax-current");
    for (const e of step.edges) {
      const edge = edgeById.get(e);
      if (edge) edge.classList.add("ax-current");
    }
    stepText.textContent = `step ${k} of ${data.steps.length - 1}: ${step.equation}`;
    table.textContent = step.table;
    page.dataset.step = String(k);
    page.dataset.edges = step.edges.join(" ");
  }
  slider.addEventListener("input", () => show(Number(slider.value)));
  page.tabIndex = 0;
  const keys = (event) => {
    if (event.target === search) return;
    if (event.key === "ArrowRight") { show(Number(slider.value) + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { show(Number(slider.value) - 1); event.preventDefault(); }
  };
  page.addEventListener("keydown", keys);
  if (document.querySelectorAll(".autograd-explore").length === 1) {
    document.addEventListener("keydown", (event) => {
      if (!page.contains(event.target)) keys(event);
    });
  }
  show(0);

  // ---- searching by name -------------------------------------------------------------
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    let n = 0, first = null;
    for (const g of nodes) {
      const facts = data.tensors[titleOf(g)];
      const hit = q !== "" && facts && facts.name.toLowerCase().includes(q);
      g.classList.toggle("ax-found-node", hit);
      if (hit) { n += 1; first = first || g; }
    }
    found.textContent = q === "" ? "" : `${n} found`;
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center", inline: "center" });
  });
}
