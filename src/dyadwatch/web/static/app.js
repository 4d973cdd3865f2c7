// dyadwatch dashboard. Text from articles is always inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const QUADS = [
  ["verbal cooperation", "verbal_cooperation", "#7fbf7f", 1],
  ["material cooperation", "material_cooperation", "#2e8b57", 1],
  ["verbal conflict", "verbal_conflict", "#f4a582", -1],
  ["material conflict", "material_conflict", "#b2182b", -1],
];
const KEY_EVENTS = "key events";

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Plotly reads hover text as a subset of HTML, so markup characters are escaped for it.
function plotlyText(text) {
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
  return String(text).replace(/[&<>"]/g, (c) => entities[c]);
}

async function getJSON(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  const response = await fetch(`${path}?${query}`);
  const body = await response.json();
  if (!response.ok) throw new Error(explain(body.detail) || `${path}: ${response.status}`);
  return body;
}

function explain(detail) {
  return Array.isArray(detail) ? detail.map((error) => error.msg).join("; ") : detail;
}

// Runs an action of the page, showing its failure instead of leaving the page half drawn.
async function attempt(action) {
  $("status").textContent = "";
  try {
    await action();
  } catch (error) {
    $("status").textContent = error.message;
  }
}

function describe(event) {
  const place = event.location ? ` in ${event.location.name}` : "";
  return `${event.date || "undated"}: ${event.source.name} ${event.type} ${event.target.name}${place}`;
}

function renderEvents(list, events) {
  list.replaceChildren();
  for (const event of events) {
    const item = element("li", null, { class: `event quad-${event.quad}` });
    item.append(element("strong", describe(event)));
    item.append(element("span", ` (${event.status}, intensity ${event.intensity})`));
    for (const mention of event.mentions) {
      const quote = element("blockquote", mention.sentence, { class: "evidence" });
      quote.append(" ", element("a", `article ${mention.article_id}`, { href: `#article-${mention.article_id}` }));
      item.append(quote);
    }
    list.append(item);
  }
  if (!events.length) list.append(element("li", "No events."));
}

function showEvents(title, events) {
  $("events-title").textContent = title;
  renderEvents($("events"), events);
}

async function showEventsById(title, ids) {
  showEvents(title, await Promise.all(ids.map((id) => getJSON(`/api/events/${id}`))));
}

async function showArticle(id) {
  const [article, reported] = await Promise.all([
    getJSON(`/api/articles/${id}`),
    getJSON("/api/events", { article: id, limit: 500 }),
  ]);
  $("article-panel").hidden = false;
  $("article-title").textContent = article.title || `Article ${id}`;
  $("article-meta").textContent = [article.outlet, article.published, article.url].filter(Boolean).join(" · ");
  $("article-issues").textContent = article.issues.map((tag) => tag.label).join(", ");
  const paragraphs = (article.body || "").split(/\n\s*\n/).map((paragraph) => element("p", paragraph));
  $("article-body").replaceChildren(...paragraphs);
  renderEvents($("article-events"), reported.items);
  $("article-panel").scrollIntoView();
}

// Stars each period that counts a key event, in a row along the top (its own hidden axis),
// so a star never hides a bar or a point of the line.
function keyEventTrace(points, keyEvents) {
  const byPeriod = new Map();
  for (const event of keyEvents) {
    const index = points.findIndex((point) => point.event_ids.includes(event.id));
    if (index < 0) continue;
    if (!byPeriod.has(index)) byPeriod.set(index, []);
    byPeriod.get(index).push(event);
  }
  const marked = [...byPeriod.entries()];
  return {
    type: "scatter", mode: "markers", name: KEY_EVENTS,
    x: marked.map(([index]) => points[index].period),
    y: marked.map(() => 0.95), yaxis: "y2",
    customdata: marked.map(([, events]) => events.map((event) => event.id)),
    hovertext: marked.map(([, events]) => events.map((event) => plotlyText(describe(event))).join("<br>")),
    hoverinfo: "text",
    marker: { symbol: "star", size: 16, color: "#f1a340", line: { color: "#333", width: 1 } },
  };
}

async function drawIndex() {
  const dyad = $("dyad").value.trim();
  const [points, keyEvents] = await Promise.all([
    getJSON("/api/index", { dyad, by: $("by").value }),
    getJSON("/api/key-events", { dyad }),
  ]);
  const periods = points.map((point) => point.period);
  const bars = QUADS.map(([name, key, color, sign]) => ({
    type: "bar", name, x: periods, y: points.map((point) => sign * point[key]), marker: { color },
  }));
  const line = {
    type: "scatter", mode: "lines+markers", name: "net cooperation",
    x: periods, y: points.map((point) => point.net_cooperation),
  };
  const chart = $("index-chart");
  await Plotly.newPlot(chart, [...bars, line, keyEventTrace(points, keyEvents)], {
    barmode: "relative", hovermode: "closest", margin: { t: 20 }, xaxis: { type: "category" },
    yaxis: { title: { text: "distinct events" } },
    yaxis2: { overlaying: "y", range: [0, 1], visible: false, fixedrange: true },
  }, { responsive: true, displaylogo: false });
  chart.on("plotly_click", (clicked) => attempt(() => showClicked(clicked.points[0], points)));
  showEvents(`Key events ${dyad.toUpperCase()}`, keyEvents);
}

function showClicked(hit, points) {
  if (hit.data.name === KEY_EVENTS) return showEventsById(`Key events of ${hit.x}`, hit.customdata);
  const point = points[hit.pointIndex];
  return showEventsById(`Events of ${point.period}`, point.event_ids);
}

async function showFoundEvents(title, filters) {
  const found = await getJSON("/api/events", { limit: 100, ...filters });
  showEvents(title, found.items);
  $("events-panel").scrollIntoView();
}

function linkButton(text, action) {
  const button = element("button", text, { class: "link", type: "button" });
  button.addEventListener("click", () => attempt(action));
  return button;
}

async function drawActors() {
  const rows = (await getJSON("/api/actors", { limit: 50 })).items.map((actor) => {
    const name = element("td", null, { class: "actor" });
    name.append(linkButton(actor.name, () => showFoundEvents(`Events of ${actor.name}`, { actor: actor.id })));
    const row = element("tr");
    row.append(name, element("td", actor.country), element("td", actor.sector), element("td", actor.mentions));
    return row;
  });
  $("actors").tBodies[0].replaceChildren(...rows);
}

async function drawIssues() {
  const items = (await getJSON("/api/issues")).map((row) => {
    const show = () => showFoundEvents(`Events on ${row.label}`, { dyad: $("dyad").value.trim(), issue: row.issue });
    const item = element("li");
    item.append(linkButton(row.label, show), `: ${row.articles} articles, ${row.events} events`);
    return item;
  });
  $("issues").replaceChildren(...items);
}

async function search(query) {
  const found = await getJSON("/api/search", { q: query });
  $("search-panel").hidden = false;
  const items = found.items.map((hit) => {
    const item = element("li", null, { class: "result" });
    item.append(element("a", hit.title || `Article ${hit.id}`, { href: `#article-${hit.id}` }));
    item.append(element("div", [hit.outlet, hit.published].filter(Boolean).join(" · "), { class: "hint" }));
    item.append(element("div", hit.snippet, { class: "hint" }));
    return item;
  });
  $("results").replaceChildren(...items);
  if (!items.length) $("results").append(element("li", "Nothing found."));
}

// Article links are plain #article-ID anchors, so an article view can be bookmarked.
function route() {
  const match = /^#article-(\d+)$/.exec(window.location.hash);
  if (match) attempt(() => showArticle(Number(match[1])));
}

$("search-form").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  const query = $("search").value.trim();
  if (query) attempt(() => search(query));
});
$("dyad-form").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  attempt(drawIndex);
});
$("by").addEventListener("change", () => attempt(drawIndex));
window.addEventListener("hashchange", route);
attempt(drawIndex);
attempt(drawActors);
attempt(drawIssues);
route();
