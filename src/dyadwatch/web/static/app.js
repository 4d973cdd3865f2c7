// dyadwatch dashboard. Article text is always inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

async function getJSON(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  const response = await fetch(`${path}?${query}`);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function showEvents(title, events) {
  $("events-title").textContent = title;
  const list = $("events");
  list.replaceChildren();
  for (const event of events) {
    const item = element("li", null, { class: `event quad-${event.quad}` });
    const place = event.location ? ` in ${event.location.name}` : "";
    item.append(element("strong", `${event.date || "undated"}: ${event.source.name} ${event.type} ${event.target.name}${place}`));
    item.append(element("span", ` (${event.status}, intensity ${event.intensity})`));
    for (const mention of event.mentions) {
      const quote = element("blockquote", mention.sentence, { class: "evidence" });
      const link = element("a", ` article ${mention.article_id}`, { href: `#article-${mention.article_id}` });
      link.addEventListener("click", () => showArticle(mention.article_id));
      quote.append(link);
      item.append(quote);
    }
    list.append(item);
  }
  if (!events.length) list.append(element("li", "No events."));
}

async function showArticle(id) {
  const article = await getJSON(`/api/articles/${id}`);
  $("article-panel").hidden = false;
  $("article-title").textContent = article.title || `Article ${id}`;
  $("article-meta").textContent = [article.outlet, article.published, article.source].filter(Boolean).join(" · ");
  const body = $("article-body");
  body.replaceChildren(...article.body.split("\n\n").map((paragraph) => element("p", paragraph)));
  $("article-panel").scrollIntoView();
}

async function eventsOfPeriod(point) {
  const ids = point.event_ids || [];
  const events = await Promise.all(ids.map((id) => getJSON(`/api/events/${id}`)));
  showEvents(`Events of ${point.period}`, events);
}

async function drawIndex() {
  const dyad = $("dyad").value;
  const points = await getJSON("/api/index", { dyad, by: $("by").value });
  const periods = points.map((p) => p.period);
  const bars = [
    ["verbal cooperation", "verbal_cooperation", "#7fbf7f", 1],
    ["material cooperation", "material_cooperation", "#2e8b57", 1],
    ["verbal conflict", "verbal_conflict", "#f4a582", -1],
    ["material conflict", "material_conflict", "#b2182b", -1],
  ].map(([name, key, color, sign]) => ({
    type: "bar", name, x: periods, y: points.map((p) => sign * p[key]), marker: { color },
  }));
  const line = {
    type: "scatter", mode: "lines+markers", name: "net cooperation",
    x: periods, y: points.map((p) => p.net_cooperation),
  };
  const chart = $("index-chart");
  await Plotly.newPlot(chart, [...bars, line], {
    barmode: "relative", margin: { t: 20 }, yaxis: { title: "distinct events" },
  }, { responsive: true, displaylogo: false });
  chart.on("plotly_click", (data) => eventsOfPeriod(points[data.points[0].pointIndex]));
  showEvents("Key events", await getJSON("/api/key-events", { dyad }));
}

async function drawIssues() {
  const list = $("issues");
  list.replaceChildren();
  for (const row of await getJSON("/api/issues")) {
    const item = element("li", `${row.label}: ${row.articles} articles, ${row.events} events`);
    item.addEventListener("click", async () => {
      const found = await getJSON("/api/events", { dyad: $("dyad").value, issue: row.issue });
      showEvents(`Events on ${row.label}`, found.items);
    });
    list.append(item);
  }
}

$("search-form").addEventListener("submit", async (submitted) => {
  submitted.preventDefault();
  const q = $("search").value.trim();
  if (!q) return;
  const found = await getJSON("/api/search", { q });
  $("search-panel").hidden = false;
  const list = $("results");
  list.replaceChildren();
  for (const hit of found.items) {
    const item = element("li", null, { class: "result" });
    const link = element("a", hit.title || `Article ${hit.id}`, { href: `#article-${hit.id}` });
    link.addEventListener("click", () => showArticle(hit.id));
    item.append(link, element("div", hit.snippet, { class: "hint" }));
    list.append(item);
  }
  if (!found.items.length) list.append(element("li", "Nothing found."));
});

$("dyad").addEventListener("change", drawIndex);
$("by").addEventListener("change", drawIndex);
drawIndex();
drawIssues();
