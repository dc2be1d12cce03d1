/* quotegraph view: draws the graph with vis-network and shows the quotes behind every edge.
 *
 * Safety rule of this file: every text from the data reaches the page as a DOM text node
 * (createTextNode, textContent, element properties); nothing is ever parsed as HTML. The data
 * arrives as JSON in a script element of type application/json and is read with JSON.parse.
 */
(function () {
  "use strict";

  performance.mark("quotegraph:start");
  const data = JSON.parse(document.getElementById("quotegraph-data").textContent);
  performance.mark("quotegraph:parsed");
  let lang = data.lang;
  const root = document.documentElement;
  root.dataset.state = "loading";

  // ---- small helpers --------------------------------------------------------------------------
  function t(key, values) {
    let text = (data.strings[lang] && data.strings[lang][key]) || data.strings.en[key] || key;
    for (const [name, value] of Object.entries(values || {})) text = text.split("{" + name + "}").join(String(value));
    return text;
  }
  function pick(labels, fallback) {
    return (labels && (labels[lang] || labels.en)) || fallback;
  }
  /** An element with properties and children; strings become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "style") for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, v);
      else if (key === "lang" || key === "title" || key === "type" || key === "hidden") node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss").replace(/\s+/g, " ").trim();
  }
  const nameOf = (id) => pick(data.names[id], id);
  const relationLabel = (name) => pick(data.relations[name], name);
  const kindInfo = new Map(data.kinds.map((k) => [k.id, k]));
  const nodeInfo = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeInfo = new Map(data.edges.map((e) => [e.id, e]));
  const incident = new Map(data.nodes.map((n) => [n.id, []]));
  for (const e of data.edges) {
    incident.get(e.from).push(e);
    if (e.to !== e.from) incident.get(e.to).push(e);
  }
  const SHAPE_SYMBOL = { dot: "●", square: "■", diamond: "◆", triangle: "▲", hexagon: "⬢", triangleDown: "▼", star: "★" };

  // ---- tooltips (DOM elements: vis-network shows an element as it is) -------------------------
  function nodeTooltip(n) {
    const kind = kindInfo.get(n.kind);
    const type = n.type ? pick(data.types[n.type], n.type) : "";
    return el(
      "div",
      { class: "tip" },
      el("strong", {}, pick(n.label, n.id)),
      el("span", { class: "dim" }, [kind ? pick(kind.label, n.kind) : n.kind, type].filter(Boolean).join(" · ")),
      pick(n.description, "") ? el("div", {}, pick(n.description, "")) : null,
      el("div", { class: "dim" }, t("statement_count", { n: n.degree + n.attributes.length }))
    );
  }
  function edgeLabel(e) {
    return (e.conflict ? "⚠ " : "") + relationLabel(e.relation);
  }
  function edgeTooltip(e) {
    return el(
      "div",
      { class: "tip" },
      el("strong", {}, nameOf(e.from) + " → " + relationLabel(e.relation) + " → " + nameOf(e.to)),
      e.conflict ? el("div", {}, "⚠ " + t("conflict")) : null,
      el("div", { class: "dim" }, t("statement_count", { n: e.statements.length }) + "; " + t("click_to_read"))
    );
  }
  function visNode(n) {
    return { id: n.id, label: pick(n.short, n.id), title: nodeTooltip(n) };
  }
  function visEdge(e) {
    return { id: e.id, label: edgeLabel(e), title: edgeTooltip(e) };
  }

  // ---- data sets and filters ------------------------------------------------------------------
  const nodes = new vis.DataSet(data.vis.nodes.map((n) => Object.assign({}, n, visNode(nodeInfo.get(n.id)))));
  const edges = new vis.DataSet(data.vis.edges.map((e) => Object.assign({}, e, visEdge(edgeInfo.get(e.id)))));
  const shown = {
    kinds: new Set(data.kinds.map((k) => k.id)),
    relations: new Set(Object.keys(data.relations)),
    sources: new Set(Object.keys(data.sources)),
  };
  function nodeShown(id) {
    const n = nodeInfo.get(id);
    return shown.kinds.has(n.kind) && (n.sources.length === 0 || n.sources.some((s) => shown.sources.has(s)));
  }
  function edgeShown(e) {
    return shown.relations.has(e.relation) && e.sources.some((s) => shown.sources.has(s)) && nodeShown(e.from) && nodeShown(e.to);
  }
  performance.mark("quotegraph:datasets");
  const nodeView = new vis.DataView(nodes, { filter: (n) => nodeShown(n.id) });
  const edgeView = new vis.DataView(edges, { filter: (e) => edgeShown(edgeInfo.get(e.id)) });

  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.vis.options);
  performance.mark("quotegraph:network");

  function showCounts() {
    const statements = edgeView.get().reduce((sum, e) => sum + edgeInfo.get(e.id).statements.length, 0);
    let counts = nodeView.length + " " + t("nodes") + " · " + edgeView.length + " " + t("edges") + " · " + statements + " " + t("statements");
    if (data.left_out) {
      const note = data.left_out;
      counts += " · " + t("left_out", {
        nodes: note.nodes.toLocaleString(lang),
        statements: note.statements.toLocaleString(lang),
        ranking: t("ranked_" + note.ranking),
      });
    }
    document.getElementById("counts").textContent = counts;
  }
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }

  // ---- legend and filters ---------------------------------------------------------------------
  function buildLegend() {
    const kinds = document.getElementById("legend-kinds");
    kinds.replaceChildren(
      ...data.kinds.map((k) =>
        el("li", {}, el("span", { class: "swatch", style: { color: k.color } }, SHAPE_SYMBOL[k.shape] || "●"), pick(k.label, k.id))
      )
    );
    const c = data.edge_colors;
    const line = (cls, color) => el("span", { class: "line " + cls, style: { "border-top-color": color } });
    document.getElementById("legend-edges").replaceChildren(
      el("li", {}, line("", c.for), t("edge_support")),
      el("li", {}, line("dashed", c.against), t("edge_oppose")),
      el("li", {}, line("glow", c.other), t("edge_conflict")),
      el("li", {}, line("dotted", c.derived), t("edge_derived")),
      el("li", {}, line("", c.other), t("edge_other"))
    );
  }
  function checkbox(group, value, text, count) {
    const box = el("input", { type: "checkbox", value: value, dataset: { group: group } });
    box.checked = shown[group].has(value);
    box.addEventListener("change", () => {
      if (box.checked) shown[group].add(value);
      else shown[group].delete(value);
      refresh();
    });
    return el("label", {}, box, el("span", {}, text), count === undefined ? null : el("span", { class: "n" }, String(count)));
  }
  function fill(id, group, entries) {
    const set = document.getElementById(id);
    const legend = set.querySelector("legend");
    set.replaceChildren(legend, ...entries.map(([value, text, count]) => checkbox(group, value, text, count)));
  }
  function buildFilters() {
    const kindCount = {};
    for (const n of data.nodes) kindCount[n.kind] = (kindCount[n.kind] || 0) + 1;
    const relCount = {};
    for (const e of data.edges) relCount[e.relation] = (relCount[e.relation] || 0) + e.statements.length;
    fill("filter-kinds", "kinds", data.kinds.map((k) => [k.id, pick(k.label, k.id), kindCount[k.id]]));
    fill(
      "filter-relations",
      "relations",
      Object.keys(data.relations)
        .filter((r) => relCount[r])
        .map((r) => [r, relationLabel(r), relCount[r]])
        .sort((a, b) => a[1].localeCompare(b[1]))
    );
    fill(
      "filter-sources",
      "sources",
      Object.entries(data.sources).map(([id, s]) => [id, s.title + (s.date ? " (" + s.date + ")" : ""), undefined])
    );
  }

  // ---- the side panel -------------------------------------------------------------------------
  const panel = document.getElementById("panel");
  const panelBody = document.getElementById("panel-body");
  let current = null;

  function row(term, ...value) {
    return [el("dt", {}, term), el("dd", {}, ...value)];
  }
  function statementBlock(st) {
    const source = data.sources[st.source] || { title: st.source, date: "" };
    const quotes = st.quotes.map((q) =>
      el(
        "blockquote",
        { class: "sentence", lang: q.lang || null, dataset: { start: String(q.start), end: String(q.end) } },
        q.prefix,
        el("mark", {}, q.exact),
        q.suffix
      )
    );
    const meta = [
      row(t("asserted_by"), nameOf(st.by)),
      row(t("voice"), pick(data.voices[st.voice], st.voice)),
      st.in ? row(t("expressed_in"), nameOf(st.in)) : [],
      st.when ? row(t("when"), st.when) : [],
      st.polarity ? row(t("polarity"), pick(data.polarities[st.polarity], st.polarity)) : [],
      st.value !== undefined ? row(t("value"), String(st.value)) : [],
      row(t("source"), source.title, " · ", source.date || t("no_date")),
      row(t("statement_id"), el("code", {}, st.id), " · ", st.quotes.map((q) => t("offsets", { start: q.start, end: q.end })).join(", ")),
      st.derived_from.length ? row(t("derived_from"), st.derived_from.join(", ")) : [],
    ];
    return el(
      "article",
      { class: "statement", dataset: { statement: st.id } },
      quotes,
      st.translation ? el("p", { class: "translation", lang: "en" }, t("translation") + ": ", st.translation) : null,
      st.hedged ? el("p", { class: "warning" }, t("hedged")) : null,
      el("dl", { class: "meta" }, meta.flat(2))
    );
  }
  function conflictNotes(e) {
    const lines = data.conflicts
      .filter((c) => c.statements.some((id) => e.statements.some((st) => st.id === id)))
      .map((c) => el("div", {}, t("conflict_line", { holder: nameOf(c.holder), stance: nameOf(c.stance) })));
    return lines.length ? el("div", { class: "warning" }, el("strong", {}, "⚠ " + t("conflict")), lines) : null;
  }
  function openPanel(kind, id, children) {
    current = { kind: kind, id: id };
    panelBody.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
    panel.dataset.kind = kind;
    panel.dataset.id = id;
    panel.hidden = false; // it lies over the graph: opening it costs no resize and no redraw
  }
  function showEdge(id) {
    const e = edgeInfo.get(id);
    openPanel("edge", id, [
      el("h2", {}, nameOf(e.from), " → ", edgeLabel(e), " → ", nameOf(e.to)),
      el("p", { class: "sub" }, t("statement_count", { n: e.statements.length })),
      conflictNotes(e),
      e.statements.map(statementBlock),
    ]);
  }
  function showNode(id) {
    const n = nodeInfo.get(id);
    const kind = kindInfo.get(n.kind);
    const links = (incident.get(id) || []).map((e) => {
      const outgoing = e.from === id;
      const text = (outgoing ? "→ " : "← ") + edgeLabel(e) + (outgoing ? " → " : " ← ") + nameOf(outgoing ? e.to : e.from) + " (" + e.statements.length + ")";
      const button = el("button", { type: "button", dataset: { edge: e.id } }, text);
      button.addEventListener("click", () => {
        if (edgeView.get(e.id)) network.selectEdges([e.id]);
        showEdge(e.id);
      });
      return el("li", {}, button);
    });
    openPanel("node", id, [
      el("h2", {}, pick(n.label, id)),
      el("p", { class: "sub" }, [kind ? pick(kind.label, n.kind) : n.kind, n.type ? pick(data.types[n.type], n.type) : ""].filter(Boolean).join(" · ")),
      el(
        "dl",
        { class: "meta" },
        [
          n.aliases.length ? row(t("aliases"), n.aliases.join(", ")) : [],
          pick(n.description, "") ? row(t("description"), pick(n.description, "")) : [],
          n.wikidata ? row(t("wikidata"), n.wikidata) : [],
        ].flat()
      ),
      n.attributes.length ? [el("h3", {}, t("attributes")), n.attributes.map((a) => statementBlock(a))] : [],
      links.length ? [el("h3", {}, t("connections")), el("ul", { class: "connections" }, links)] : [],
    ]);
  }
  function closePanel() {
    current = null;
    panel.hidden = true;
  }
  document.getElementById("panel-close").addEventListener("click", closePanel);
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // ---- search ---------------------------------------------------------------------------------
  const status = document.getElementById("status");
  let index = [];
  function buildSearch() {
    index = [];
    const options = [];
    for (const n of data.nodes) {
      const names = new Set([n.label.de, n.label.en, ...n.aliases, n.id]);
      for (const name of names) if (name) index.push([fold(name), n.id]);
      options.push(el("option", { value: pick(n.label, n.id) }));
    }
    document.getElementById("search-names").replaceChildren(...options);
    const input = document.getElementById("search");
    input.placeholder = t("search_placeholder");
  }
  function find(query) {
    const q = fold(query);
    if (!q) return null;
    for (const test of [(name) => name === q, (name) => name.startsWith(q), (name) => name.includes(q)]) {
      const hit = index.find(([name]) => test(name));
      if (hit) return hit[1];
    }
    return null;
  }
  function focusNode(id) {
    const n = nodeInfo.get(id);
    if (!nodeShown(id)) {
      shown.kinds.add(n.kind);
      for (const s of n.sources) shown.sources.add(s);
      buildFilters();
      refresh();
      status.textContent = t("search_hidden", { name: pick(n.label, id) });
    }
    showNode(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = document.getElementById("search").value;
    const id = find(query);
    status.textContent = id ? "" : t("search_none", { q: query });
    if (id) focusNode(id);
  });
  document.getElementById("search").addEventListener("input", (event) => {
    // a name picked from the suggestion list arrives as one replacement, not as typing
    if (event.inputType && event.inputType !== "insertReplacementText") return;
    const id = find(event.target.value);
    if (id) focusNode(id);
  });

  /** vis-network hides its tooltip only when the pointer moves on the canvas; leaving it or switching
   *  language should too. Its interaction handler keeps the hovered item in popupObj and shows no new
   *  tooltip until that is cleared, so both go (vis-network 9, as bundled by pyvis; tested). */
  function hideTooltip() {
    const handler = network.interactionHandler;
    if (!handler || !handler.popup) return;
    handler.popupObj = undefined;
    handler.popup.hide();
  }
  container.addEventListener("mouseleave", hideTooltip);

  // ---- language -------------------------------------------------------------------------------
  function setLanguage(next, initial) {
    lang = next;
    hideTooltip();
    root.lang = next;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
    for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === next));
    if (!initial) {
      nodes.update(data.nodes.map(visNode));
      edges.update(data.edges.map(visEdge));
    }
    buildLegend();
    buildFilters();
    buildSearch();
    showCounts();
    layoutStatus();
    if (current && current.kind === "edge") showEdge(current.id);
    else if (current && current.kind === "node") showNode(current.id);
    else panelBody.replaceChildren(el("p", { class: "sub" }, t("panel_hint")));
  }
  for (const button of document.querySelectorAll("[data-lang]")) button.addEventListener("click", () => setLanguage(button.dataset.lang));

  // ---- physics: stabilise, then stop; big graphs come laid out and never start ----------------
  let physics = data.physics ? "running" : "off";
  function layoutStatus() {
    root.dataset.physics = physics;
    status.textContent = physics === "running" ? t("layout_running") : physics === "stopped" ? t("layout_stable") : t("layout_static");
  }
  network.on("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });
    physics = "stopped";
    layoutStatus();
    network.redraw();
  });
  network.on("afterDrawing", () => {
    if (root.dataset.state === "ready" || physics === "running") return;
    root.dataset.state = "ready";
    window.quotegraphReadyMs = performance.now();
    performance.mark("quotegraph:ready");
    if (data.focus && nodeInfo.has(data.focus)) {
      network.selectNodes([data.focus]);
      showNode(data.focus);
    }
  });

  setLanguage(lang, true);
  if (!data.nodes.length) status.textContent = t("empty");
  if (!data.physics) network.fit();

  // for people poking around in the console, and for the browser tests
  window.quotegraph = { data, network, nodes, edges, nodeView, edgeView, showNode, showEdge, find, setLanguage };
})();
