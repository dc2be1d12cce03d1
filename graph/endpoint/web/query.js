// The query page of `kg serve`: posts the query to /sparql and builds the result table from
// DOM text nodes only (never innerHTML), so text from sources is always shown as text.
"use strict";

const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const $ = (id) => document.getElementById(id);
let info = null;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function setState(state) {
  // "running", "done" or "failed": for styling, and for tests that wait for an answer
  document.body.dataset.state = state;
}

function showError(status, code, message) {
  setState("failed");
  const box = $("error");
  box.hidden = false;
  box.textContent = `${status} ${code}: ${message}`;
}

function cell(term) {
  const td = element("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.appendChild(element("span", term.value, "uri"));
  } else {
    td.appendChild(element("span", term.value, term.type));
    if (term["xml:lang"]) td.appendChild(element("span", "@" + term["xml:lang"], "lang"));
    else if (term.datatype) td.appendChild(element("span", "^^" + term.datatype.replace(/^.*[#/]/, ""), "type"));
  }
  return td;
}

function renderSelect(data, target) {
  const vars = data.head.vars || [];
  const table = element("table");
  table.id = "result-table";
  const head = element("tr");
  for (const name of vars) head.appendChild(element("th", name));
  const thead = element("thead");
  thead.appendChild(head);
  table.appendChild(thead);
  const tbody = element("tbody");
  for (const binding of data.results.bindings) {
    const row = element("tr");
    for (const name of vars) row.appendChild(cell(binding[name]));
    tbody.appendChild(row);
  }
  table.appendChild(tbody);
  target.appendChild(table);
  return data.results.bindings.length;
}

async function run(event) {
  if (event) event.preventDefault();
  const query = $("query").value;
  const results = $("results");
  clear(results);
  $("error").hidden = true;
  $("status").textContent = "running…";
  setState("running");
  const started = performance.now();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
      body: new URLSearchParams({ query }),
    });
  } catch (err) {
    $("status").textContent = "";
    showError("—", "network", String(err));
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = (response.headers.get("Content-Type") || "").split(";")[0];
  if (!response.ok) {
    $("status").textContent = "";
    try {
      const body = await response.json();
      showError(body.error.status, body.error.code, body.error.message);
    } catch (err) {
      showError(response.status, "error", response.statusText);
    }
    return;
  }
  let summary;
  if (type === "application/sparql-results+json") {
    const data = await response.json();
    if (typeof data.boolean === "boolean") {
      results.appendChild(element("p", data.boolean ? "yes" : "no", "boolean"));
      summary = "answer";
    } else {
      summary = `${renderSelect(data, results)} row(s)`;
    }
  } else {
    results.appendChild(element("pre", await response.text(), "graph"));
    summary = `${response.headers.get("Quotegraph-Rows") || "?"} triple(s)`;
  }
  $("status").textContent = `${summary} in ${seconds} s`;
  const truncated = response.headers.get("Quotegraph-Truncated");
  if (truncated) {
    const limit = truncated === "max-rows" ? `${info ? info.max_rows : "the maximum number of"} rows` : "the size limit";
    $("status").appendChild(element("span", ` — stopped at ${limit}; narrow the query down`, "note"));
  }
  setState("done");
}

function download(event) {
  event.preventDefault();
  const params = new URLSearchParams({ query: $("query").value, format: event.target.dataset.format });
  window.location.href = "/sparql?" + params.toString();
}

async function loadInfo() {
  try {
    info = await (await fetch("/info.json")).json();
  } catch (err) {
    return;
  }
  $("build").textContent = `build ${info.build} · timeout ${info.timeout_s} s · max ${info.max_rows} rows`;
  $("endpoint").textContent = new URL(info.endpoint, window.location.href).href;
  if (info.view) $("view-link").href = info.view;
  else $("view-link").textContent = "interactive graph (not built)";
  const select = $("bundled");
  for (const query of info.queries) {
    const option = element("option", `${query.name} — ${query.title}`);
    option.value = query.name;
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    const chosen = info.queries.find((q) => q.name === select.value);
    $("bundled-description").textContent = chosen ? chosen.description : "";
    if (chosen) $("query").value = chosen.text;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("query-form").addEventListener("submit", run);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
  });
  for (const link of document.querySelectorAll("a.download")) link.addEventListener("click", download);
  loadInfo();
});
