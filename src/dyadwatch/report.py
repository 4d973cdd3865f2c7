"""A static HTML report for people who cannot run a server: one self-contained file.

The relations index chart (plotly, its JavaScript embedded, nothing fetched), the key events
with the sentences behind them, and the stories. Every scraped text is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dyadwatch.analytics import IndexPoint, Period, key_events, relations_index
from dyadwatch.store import Store
from dyadwatch.stories import Story, build_stories

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd;
padding: .3rem .5rem; text-align: left; vertical-align: top; } blockquote { margin: .2rem 0;
color: #444; font-size: .9rem; } .muted { color: #777; }
"""


def index_figure(points: list[IndexPoint], title: str) -> go.Figure:
    periods = [p.period for p in points]
    figure = go.Figure()
    for name, attribute, colour in (
        ("verbal cooperation", "verbal_cooperation", "#7fbf7f"),
        ("material cooperation", "material_cooperation", "#2e8b57"),
        ("verbal conflict", "verbal_conflict", "#f4a582"),
        ("material conflict", "material_conflict", "#b2182b"),
    ):
        sign = -1 if "conflict" in attribute else 1
        values = [sign * getattr(p, attribute) for p in points]
        figure.add_bar(x=periods, y=values, name=name, marker_color=colour)
    figure.add_scatter(
        x=periods,
        y=[p.net_cooperation for p in points],
        name="net cooperation",
        mode="lines+markers",
    )
    figure.update_layout(barmode="relative", title=title, yaxis_title="distinct events")
    return figure


def write_report(
    store: Store, out: Path, dyad: tuple[str, str] = ("CHN", "USA"), by: Period = "month"
) -> Path:
    name = "–".join(dyad)
    points = relations_index(store, dyad, by)
    chart = index_figure(points, f"{name} relations index by {by}")
    sections = [
        f"<h1>{escape(name)} relations</h1>",
        chart.to_html(full_html=False, include_plotlyjs=True),
        "<h2>Key events</h2>",
        _events_table(key_events(store, dyad, limit=20)),
        "<h2>Stories</h2>",
        _stories_table(build_stories(store, dyad)),
    ]
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(name)} relations"
        f"</title><style>{STYLE}</style></head><body>{''.join(sections)}</body></html>"
    )
    out.write_text(page, encoding="utf-8")
    return out


def _events_table(events: list[dict[str, Any]]) -> str:
    rows = []
    for event in events:
        evidence = "".join(
            f"<blockquote>{escape(m['sentence'])} <span class='muted'>"
            f"(article {m['article_id']}, {escape(m['source'])})</span></blockquote>"
            for m in event["mentions"]
        )
        rows.append(
            f"<tr><td>{escape(event['date'] or '?')}</td>"
            f"<td>{escape(event['source']['name'])}</td><td>{escape(event['type'])}</td>"
            f"<td>{escape(event['target']['name'])}</td><td>{event['intensity']:+.1f}</td>"
            f"<td>{evidence}</td></tr>"
        )
    header = "<tr><th>date</th><th>source</th><th>type</th><th>target</th><th>int.</th>"
    return f"<table>{header}<th>evidence</th></tr>{''.join(rows)}</table>"


def _stories_table(stories: list[Story]) -> str:
    rows = [
        f"<tr><td>{escape(s.start or '?')} – {escape(s.end or '?')}</td>"
        f"<td>{escape(s.title)}</td><td>{'<br>'.join(map(_told_by, s.reports))}</td>"
        f"<td>{len(s.articles)}</td></tr>"
        for s in stories
    ]
    header = (
        "<tr><th>dates</th><th>story</th><th>how each outlet tells it</th><th>articles</th></tr>"
    )
    return f"<table>{header}{''.join(rows)}</table>"


def _told_by(report: dict[str, Any]) -> str:
    """ "Global Times (CHN): blames USA, favours CHN"."""
    sides = [f"{verb} {report[verb]}" for verb in ("blames", "favours") if report[verb]]
    country = report["outlet_country"] or "?"
    outlet = report["outlet"] or Path(report["source"]).name
    return escape(f"{outlet} ({country}): {', '.join(sides) or 'no clear side'}")
