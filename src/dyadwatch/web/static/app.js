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
const dyad = () => $("dyad").value.trim();
const issue = () => $("issue").value;
const minConfidence = () => $("confidence").value;

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

// Only web addresses become links: a scraped URL could be "javascript:...".
function webAddress(url) {
  return /^https?:\/\//i.test(url || "") ? url : null;
}

function signed(value) {
  return value === null || value === undefined ? "n/a" : `${value >= 0 ? "+" : ""}${value.toFixed(2)}`;
}

function count(number, noun) {
  return `${number} ${noun}${number === 1 ? "" : "s"}`;
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

// Folded, each event is a summary line that opens on a click to show its sentences.
function renderEvents(list, events, { folded = false } = {}) {
  list.replaceChildren();
  for (const event of events) {
    const item = element("li", null, { class: `event quad-${event.quad}` });
    const head = element(folded ? "summary" : "div", null, { class: "event-head" });
    head.append(element("strong", describe(event)), element("span", ` (${event.status}, intensity ${event.intensity})`));
    const body = folded ? element("details") : item;
    body.append(head);
    for (const mention of event.mentions) {
      const quote = element("blockquote", mention.sentence, { class: "evidence" });
      quote.append(" ", element("a", `article ${mention.article_id}`, { href: `#article-${mention.article_id}` }));
      body.append(quote);
    }
    if (folded) item.append(body);
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
  const country = article.outlet_country && `(${article.outlet_country})`;
  $("article-meta").textContent = [[article.outlet, country].filter(Boolean).join(" "), article.published, article.url]
    .filter(Boolean).join(" · ");
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
    const index = points.findIndex((point) => {
      const [first, last] = periodDays(point.period);
      return event.date >= first && event.date <= last;
    });
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

// Bars by quad class, conflict below zero; hover tells the articles and stories behind.
function quadBars(points) {
  const periods = points.map((point) => point.period);
  const behind = points.map((point) => [point.articles, point.stories]);
  return QUADS.map(([name, key, color, sign]) => ({
    type: "bar", name, x: periods, y: points.map((point) => sign * point[key]), marker: { color },
    customdata: behind,
    hovertemplate: `%{x}: %{y} ${name}<br>%{customdata[0]} articles, %{customdata[1]} distinct stories<extra></extra>`,
  }));
}

function plotChart(chart, traces, layout, onClick) {
  return Plotly.newPlot(chart, traces, {
    barmode: "relative", hovermode: "closest", margin: { t: 20 }, xaxis: { type: "category" },
    yaxis: { title: { text: "distinct events" } }, ...layout,
  }, { responsive: true, displaylogo: false }).then(() => {
    chart.removeAllListeners?.("plotly_click");
    chart.on("plotly_click", (clicked) => attempt(() => onClick(clicked.points[0])));
  });
}

function issueLabel() {
  return issue() ? ` · ${$("issue").selectedOptions[0].textContent}` : "";
}

async function drawIndex() {
  const filters = { dyad: dyad(), issue: issue(), min_confidence: minConfidence() };
  const [points, keyEvents] = await Promise.all([
    getJSON("/api/index", { ...filters, by: $("by").value }),
    getJSON("/api/key-events", filters),
  ]);
  const line = {
    type: "scatter", mode: "lines+markers", name: "net cooperation",
    x: points.map((point) => point.period), y: points.map((point) => point.net_cooperation),
    customdata: points.map((point) => [point.articles, point.stories]),
    hovertemplate: "%{x}: net cooperation %{y}<br>%{customdata[0]} articles, %{customdata[1]} distinct stories<extra></extra>",
  };
  await plotChart($("index-chart"), [...quadBars(points), line, keyEventTrace(points, keyEvents)], {
    yaxis2: { overlaying: "y", range: [0, 1], visible: false, fixedrange: true },
  }, (hit) => showClicked(hit, points));
  $("index-title").textContent = `Relations index ${filters.dyad.toUpperCase()}${issueLabel()}`;
  showEvents(`Key events ${filters.dyad.toUpperCase()}${issueLabel()}`, keyEvents);
  if (!$("digest-since").value && points.length) comparePeriod(points[points.length - 1].period);
  await drawDigest();
}

const DAY_MS = 24 * 60 * 60 * 1000;

// The first and last days of an index period: "2023", "2023-06", "2023-W25" or "2023-06-19".
function periodDays(period) {
  const iso = (time) => new Date(time).toISOString().slice(0, 10);
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (/^\d{4}$/.test(period)) return [`${period}-01-01`, `${period}-12-31`];
  if (month) return [`${period}-01`, iso(Date.UTC(Number(month[1]), Number(month[2]), 0))];
  if (!week) return [period, period];
  const january4 = Date.UTC(Number(week[1]), 0, 4); // in ISO week 1, which starts on a Monday
  const monday = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * DAY_MS + (Number(week[2]) - 1) * 7 * DAY_MS;
  return [iso(monday), iso(monday + 6 * DAY_MS)];
}

function comparePeriod(period) {
  [$("digest-since").value, $("digest-until").value] = periodDays(period);
}

function figure(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function change(value) {
  return value > 0 ? `+${figure(value)}` : figure(value);
}

// What changed over the panel's dates (default: the last seven days) against the days before.
async function drawDigest() {
  const digest = await getJSON("/api/digest", {
    dyad: dyad(), since: $("digest-since").value || "7d", until: $("digest-until").value,
    min_confidence: minConfidence(),
  });
  const { period, previous } = digest;
  $("digest-title").textContent = `What changed in ${digest.dyad}: ${period.start} to ${period.end}`;
  $("digest-meta").textContent = `${count(period.days, "day")}, against ${previous.start} to ${previous.end}`;
  const rows = Object.entries(digest.change).map(([name, difference]) => {
    const row = element("tr", null, { class: `figure-${name}` });
    row.append(element("td", name.replaceAll("_", " ")), element("td", figure(digest.index[name])),
      element("td", figure(digest.previous_index[name])), element("td", change(difference)));
    return row;
  });
  $("digest-index").tBodies[0].replaceChildren(...rows);
  renderEvents($("digest-events"), digest.key_events);
  listOrNone($("digest-stories"), digest.stories.map(storyChange));
  listOrNone($("digest-issues"), digest.issues.map((issue) =>
    element("li", `${issue.label}: ${count(issue.events, "event")} (${change(issue.change)})`)));
  listOrNone($("digest-actors"), digest.new_actors.map((actor) => {
    const item = element("li");
    item.append(linkButton(actor.name, () => showActor(actor.id)), ` (${actor.country || "?"}): ${count(actor.events, "event")}`);
    return item;
  }));
}

function listOrNone(list, items) {
  list.replaceChildren(...items);
  if (!items.length) list.append(element("li", "None."));
}

function storyChange(story) {
  const item = element("li", null, { class: `story-change ${story.status}` });
  const grown = story.status === "growing" ? ` more (${story.added + story.earlier} in all)` : "";
  item.append(element("strong", story.title), element("span", ` ${story.status} · ${count(story.added, "article")}${grown}`
    + (story.outlets.length ? ` from ${story.outlets.join(", ")}` : ""), { class: "hint" }));
  const links = element("div", null, { class: "hint" });
  for (const article of story.articles) {
    links.append(element("a", article.title || `Article ${article.article_id}`, { href: `#article-${article.article_id}` }), " ");
  }
  item.append(links);
  return item;
}

async function showClicked(hit, points) {
  comparePeriod(hit.x);
  attempt(drawDigest);
  if (hit.data.name === KEY_EVENTS) return showEventsById(`Key events of ${hit.x}`, hit.customdata);
  const { period } = points[hit.pointIndex];
  const found = await getJSON("/api/index/events", {
    dyad: dyad(), issue: issue(), min_confidence: minConfidence(), by: $("by").value, period,
  });
  return showEventsById(`Events of ${period}`, found.event_ids);
}

async function showFoundEvents(title, filters) {
  const found = await getJSON("/api/events", { limit: 100, min_confidence: minConfidence(), ...filters });
  showEvents(title, found.items);
  $("events-panel").scrollIntoView();
}

function linkButton(text, action) {
  const button = element("button", text, { class: "link", type: "button" });
  button.addEventListener("click", () => attempt(action));
  return button;
}

// A view opened from a button is bookmarkable: its address names it without reloading.
function bookmark(hash) {
  history.replaceState(null, "", hash);
}

async function drawActors() {
  const rows = (await getJSON("/api/actors", { limit: 50 })).items.map((actor) => {
    const name = element("td", null, { class: "actor" });
    name.append(linkButton(actor.name, () => showActor(actor.id)));
    const row = element("tr");
    row.append(name, element("td", actor.country), element("td", actor.sector), element("td", actor.mentions));
    return row;
  });
  $("actors").tBodies[0].replaceChildren(...rows);
}

function showActorEvents(title, events) {
  $("actor-events-title").textContent = title;
  renderEvents($("actor-events"), events, { folded: true });
}

async function showActor(id) {
  const by = $("by").value;
  const [profile, found] = await Promise.all([
    getJSON(`/api/actors/${encodeURIComponent(id)}`, { by }),
    getJSON("/api/events", { actor_id: id, limit: 500 }),
  ]);
  const events = found.items;
  $("actor-panel").hidden = false;
  $("actor-title").textContent = profile.name;
  const types = Object.entries(profile.types).map(([type, count]) => `${type} ${count}`).join(", ");
  $("actor-meta").textContent = [profile.country, profile.sector, profile.kind, `${profile.mentions} mentions`,
    `${profile.events} events`, types].filter(Boolean).join(" · ");
  const points = profile.timeline;
  await plotChart($("actor-chart"), quadBars(points), {}, async (hit) => {
    const { period } = points[hit.pointIndex];
    const found = await getJSON(`/api/actors/${encodeURIComponent(id)}/events`, { by, period });
    const ids = new Set(found.event_ids);
    showActorEvents(`Events of ${profile.name} in ${hit.x}`, events.filter((event) => ids.has(event.id)));
  });
  const rows = profile.counterparts.map((other) => {
    const name = element("td", null, { class: "counterpart" });
    const shared = () => events.filter((event) => event.source.id === other.id || event.target.id === other.id);
    name.append(linkButton(other.name, () => showActorEvents(`Events of ${profile.name} with ${other.name}`, shared())));
    const kinds = Object.entries(other.types).map(([type, count]) => `${type} ${count}`).join(", ");
    const row = element("tr");
    row.append(name, element("td", other.country), element("td", other.events), element("td", kinds));
    return row;
  });
  $("counterparts").tBodies[0].replaceChildren(...rows);
  showActorEvents(`Events of ${profile.name}`, events);
  bookmark(`#actor-${id}`);
  $("actor-panel").scrollIntoView();
}

async function drawIssues() {
  const rows = await getJSON("/api/issues");
  const items = rows.map((row) => {
    const show = async () => {
      $("issue").value = row.issue;
      await drawIndex();
      $("index-section").scrollIntoView();
    };
    const item = element("li");
    item.append(linkButton(row.label, show), `: ${row.articles} articles, ${row.events} events`);
    return item;
  });
  $("issues").replaceChildren(...items);
  for (const [select, everyIssue] of [[$("issue"), "all issues"], [$("search-issue"), "any issue"]]) {
    const chosen = select.value;
    select.replaceChildren(element("option", everyIssue, { value: "" }),
      ...rows.map((row) => element("option", row.label, { value: row.issue })));
    select.value = chosen;
  }
}

let stories = [];

function dateSpan(story) {
  if (!story.start) return "undated";
  return story.start === story.end ? story.start : `${story.start} to ${story.end}`;
}

const STORY_PAGE = 50;

async function drawStories() {
  stories = [];
  $("stories").replaceChildren();
  await moreStories();
  if (!stories.length) $("stories").append(element("li", "No stories."));
}

// The next page of stories, last reported first, with a button for the one after it.
async function moreStories() {
  const found = await getJSON("/api/stories", { dyad: dyad(), limit: STORY_PAGE, offset: stories.length });
  stories = stories.concat(found);
  const items = found.map((story) => {
    const item = element("li", null, { class: "story" });
    const outlets = story.outlets.length ? ` · ${story.outlets.join(", ")}` : "";
    item.append(linkButton(story.title, () => showStory(story.id)),
      element("span", ` ${dateSpan(story)} · ${count(story.reports.length, "report")}${outlets}`, { class: "hint" }));
    return item;
  });
  $("stories").querySelector(".more-stories")?.remove();
  $("stories").append(...items);
  if (found.length === STORY_PAGE) {
    const more = element("li", null, { class: "more-stories" });
    more.append(linkButton("More stories", () => attempt(moreStories)));
    $("stories").append(more);
  }
}

function stanceText(report) {
  const parts = [report.blames && `blames ${report.blames}`, report.favours && `favours ${report.favours}`];
  return parts.filter(Boolean).join(" · ") || "takes no clear side";
}

function reportCard(report) {
  const card = element("article", null, { class: "report" });
  const head = element("h3", report.outlet || `outlet not known (${report.source.split("/").pop()})`);
  head.append(" ", element("span", report.outlet_country || "country not known", { class: "country", title: "the outlet's country" }));
  card.append(head);
  const title = element("p", null, { class: "report-title" });
  title.append(element("a", report.title || `Article ${report.article_id}`, { href: `#article-${report.article_id}` }));
  const address = webAddress(report.url);
  if (address) title.append(" ", element("a", "original ↗", { href: address, rel: "noopener noreferrer", target: "_blank", class: "hint" }));
  card.append(title);
  const copy = report.copy_of && `copy of article ${report.copy_of}`;
  card.append(element("p", [report.published, `tone ${signed(report.tone)}`, copy].filter(Boolean).join(" · "), { class: "hint" }));
  card.append(element("p", stanceText(report), { class: report.blames || report.favours ? "stance sided" : "stance" }));
  const sides = Object.entries(report.sides || {}).map(([country, side]) =>
    `${country}: ${side.blamed_in} sentences against it, tone ${signed(side.tone)}`);
  card.append(element("p", sides.join("; "), { class: "hint" }));
  card.append(element("h4", "Key sentences"));
  for (const sentence of report.key_sentences) card.append(element("blockquote", sentence, { class: "evidence" }));
  if (!report.key_sentences.length) card.append(element("p", "No sentence reports the story's events.", { class: "hint" }));
  if (report.blames) {
    const why = element("details");
    why.append(element("summary", `Why it blames ${report.blames}`));
    for (const sentence of report.sides[report.blames].evidence) why.append(element("blockquote", sentence, { class: "evidence" }));
    card.append(why);
  }
  return card;
}

function showStory(id) {
  const story = stories.find((candidate) => candidate.id === id);
  if (!story) throw new Error(`no story ${id} for ${dyad().toUpperCase()}`);
  $("story-panel").hidden = false;
  $("story-title").textContent = story.title;
  $("story-meta").textContent = [dateSpan(story), count(story.outlets.length, "outlet"),
    count(story.event_ids.length, "event")].join(" · ");
  $("reports").replaceChildren(...story.reports.map(reportCard));
  bookmark(`#story-${id}`);
  $("story-panel").scrollIntoView();
}

const SEARCH_PAGE = 20;
let searched = null; // the filters of the search shown, and how many results are listed

function searchFilters(query) {
  return {
    q: query,
    issue: $("search-issue").value,
    outlet: $("search-outlet").value.trim(),
    since: $("search-since").value,
    until: $("search-until").value,
    dyad: $("search-in-dyad").checked ? dyad() : "",
    mode: $("search-mode").value,
  };
}

function searchSummary(filters) {
  const parts = [`“${filters.q}”`];
  if (filters.mode !== "hybrid") parts.push(`by ${$("search-mode").selectedOptions[0].textContent}`);
  if (filters.dyad) parts.push(`in ${filters.dyad.toUpperCase()}`);
  if (filters.issue) parts.push(`on ${$("search-issue").selectedOptions[0].textContent}`);
  if (filters.outlet) parts.push(`outlet contains “${filters.outlet}”`);
  if (filters.since || filters.until) parts.push(`published ${filters.since || "…"} to ${filters.until || "…"}`);
  return parts.join(" · ");
}

function resultItem(hit) {
  const item = element("li", null, { class: "result" });
  item.append(element("a", hit.title || `Article ${hit.id}`, { href: `#article-${hit.id}` }));
  const copy = hit.duplicate_of && `copy of article ${hit.duplicate_of}`;
  const country = hit.outlet_country && `(${hit.outlet_country})`;
  const outlet = [hit.outlet, country].filter(Boolean).join(" ");
  item.append(element("div", [outlet, hit.published, copy].filter(Boolean).join(" · "), { class: "hint" }));
  item.append(element("div", hit.snippet, { class: "hint snippet" }));
  return item;
}

// A new search lists its first page; "More results" appends the next one.
async function search(filters, { more = false } = {}) {
  const offset = more ? searched.shown : 0;
  const found = await getJSON("/api/search", { ...filters, limit: SEARCH_PAGE, offset });
  if (!more) {
    searched = { filters, shown: 0 };
    $("results").replaceChildren();
    $("search-summary").textContent = searchSummary(filters);
  }
  searched.shown += found.items.length;
  $("search-panel").hidden = false;
  $("results").append(...found.items.map(resultItem));
  if (!searched.shown) $("results").append(element("li", "Nothing found."));
  $("more-results").hidden = found.items.length < SEARCH_PAGE;
}

// Article links are plain #article-ID anchors, so an article view can be bookmarked; so
// are #story-ID and #actor-ID.
function route(storiesDrawn) {
  let hash = window.location.hash;
  try {
    hash = decodeURIComponent(hash);
  } catch {
    return; // not an address this page made
  }
  const article = /^#article-(\d+)$/.exec(hash);
  const story = /^#story-(\d+)$/.exec(hash);
  const actor = /^#actor-(.+)$/.exec(hash);
  if (article) attempt(() => showArticle(Number(article[1])));
  if (story) {
    attempt(async () => {
      await storiesDrawn;
      showStory(Number(story[1]));
    });
  }
  if (actor) attempt(() => showActor(actor[1]));
}

$("search-form").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  const query = $("search").value.trim();
  if (query) attempt(() => search(searchFilters(query)));
});
$("more-results").addEventListener("click", () => attempt(() => search(searched.filters, { more: true })));
$("dyad-form").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  attempt(drawIndex);
  attempt(drawStories);
});
$("digest-form").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  attempt(drawDigest);
});
$("dyad").addEventListener("input", () => { $("search-dyad").textContent = dyad().toUpperCase(); });
$("by").addEventListener("change", () => attempt(drawIndex));
$("issue").addEventListener("change", () => attempt(drawIndex));
$("confidence").addEventListener("input", () => {
  $("confidence-value").textContent = Number(minConfidence()).toFixed(2);
});
$("confidence").addEventListener("change", () => attempt(drawIndex));
window.addEventListener("hashchange", () => route());
attempt(drawIndex);
attempt(drawActors);
attempt(drawIssues);
route(attempt(drawStories));
