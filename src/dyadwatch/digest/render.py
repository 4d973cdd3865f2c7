"""A digest as plain text (for a terminal or a cron mail), Markdown, one self-contained HTML
page, or JSON. Scraped text is escaped in Markdown and HTML, and only web addresses become
links (a scraped URL could be "javascript:...")."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

if TYPE_CHECKING:  # the digest imports this module
    from dyadwatch.digest import Digest, IssueChange, StoryChange

Format = Literal["text", "md", "html", "json"]
DIGEST_SUFFIXES: dict[str, Format] = {".md": "md", ".html": "html", ".htm": "html", ".json": "json"}
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # what a link's address keeps as written
SENTENCES = 3  # shown per key event; JSON has them all
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: .2rem .6rem;
text-align: right; } td:first-child, th:first-child { text-align: left; }
blockquote { margin: .2rem 0 .2rem 1rem; color: #444; } .muted { color: #777; }
"""


def render(digest: Digest, fmt: Format) -> str:
    renderers: dict[str, Callable[[Digest], str]] = {
        "text": _text,
        "md": _markdown,
        "html": _html,
        "json": _json,
    }
    return renderers[fmt](digest)


def _json(digest: Digest) -> str:
    return json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _number(value: float) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _signed(value: float) -> str:
    return f"{value:+.2f}" if isinstance(value, float) else f"{value:+d}"


def _index_rows(digest: Digest) -> list[tuple[str, str, str, str]]:
    """Each index figure: its name, this period's value, the previous one's, the change."""
    return [
        (
            name.replace("_", " "),
            _number(getattr(digest.index, name)),
            _number(getattr(digest.previous_index, name)),
            _signed(digest.change[name]),
        )
        for name in digest.change  # the index's figures, in its order
    ]


def _heading(digest: Digest) -> tuple[str, str]:
    title = f"What changed in {digest.dyad}: {digest.period.label} ({digest.period.days} days)"
    note = (
        f"against {digest.previous.label}; events coded at least {digest.min_confidence:.2f} sure"
    )
    return title, note


def _event_line(event: dict[str, Any]) -> str:
    place = f" in {event['location']['name']}" if event["location"] else ""
    return (
        f"{event['date']}: {_side(event['source'])} {event['type']} {_side(event['target'])}"
        f"{place} (intensity {event['intensity']:+.1f})"
    )


def _side(actor: dict[str, Any]) -> str:
    return f"{actor['name']} ({actor['country'] or '?'})"


def _source(mention: dict[str, Any]) -> str:
    """Where a sentence was read: outlet and day."""
    parts = [mention["outlet"] or f"article {mention['article_id']}", mention["published"]]
    return ", ".join(p for p in parts if p)


def _story_line(story: StoryChange) -> str:
    first, last = story.first_day or "?", story.last_day or "?"
    span = first if first == last else f"{first} to {last}"
    growth = _count(story.added, "article")
    if story.earlier:
        growth = f"{story.added} more ({story.added + story.earlier} in all)"
    outlets = f" from {', '.join(story.outlets)}" if story.outlets else ""
    return f"{story.title} ({span}): {growth}{outlets}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _issue_line(issue: IssueChange) -> str:
    return f"{issue.label}: {_count(issue.events, 'event')} ({_signed(issue.change)})"


def _actor_line(actor: dict[str, Any]) -> str:
    return f"{_side(actor)}: {_count(actor['events'], 'event')}"


def _web(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def _stories_by_status(digest: Digest) -> list[tuple[str, list[StoryChange]]]:
    return [
        (title, [s for s in digest.stories if s.status == status])
        for title, status in (("New stories", "new"), ("Growing stories", "growing"))
    ]


def _text(digest: Digest) -> str:
    title, note = _heading(digest)
    lines = [title, note, "", f"{'Relations index':<24}{'this':>8}{'before':>8}{'change':>8}"]
    lines += [f"  {row[0]:<22}{row[1]:>8}{row[2]:>8}{row[3]:>8}" for row in _index_rows(digest)]
    lines += ["", "Key events"]
    for event in digest.key_events:
        lines.append(f"  {_event_line(event)}")
        for mention in event["mentions"][:SENTENCES]:
            link = _web(mention["url"]) or f"article {mention['article_id']}"
            lines.append(f'    "{mention["sentence"]}" ({_source(mention)}, {link})')
    if not digest.key_events:
        lines.append("  none")
    sections = [(n, [_story_line(s) for s in ss]) for n, ss in _stories_by_status(digest)]
    sections.append(("Issues rising or falling", [_issue_line(i) for i in digest.issues]))
    sections.append(("Actors newly active", [_actor_line(a) for a in digest.new_actors]))
    for name, items in sections:
        lines += ["", name, *(f"  {item}" for item in items or ["none"])]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Scraped text as Markdown that renders as that text: no links, markup or HTML."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _markdown(digest: Digest) -> str:
    title, note = _heading(digest)
    lines = [f"# {_md(title)}", "", f"{_md(note)}.", "", "## Relations index", ""]
    lines += ["| figure | this period | before | change |", "|---|---:|---:|---:|"]
    lines += [f"| {' | '.join(row)} |" for row in _index_rows(digest)]
    lines += ["", "## Key events", ""]
    for event in digest.key_events:
        lines.append(f"- **{_md(_event_line(event))}**")
        for mention in event["mentions"][:SENTENCES]:
            url = _web(mention["url"])
            where = _md(_source(mention))
            if url:  # <, > and spaces encoded, so the address cannot end the link early
                where = f"[{where}](<{quote(url, safe=URL_SAFE)}>)"
            lines.append(f"  - “{_md(mention['sentence'])}” ({where})")
    if not digest.key_events:
        lines.append("None.")
    sections = [(n, [_md(_story_line(s)) for s in ss]) for n, ss in _stories_by_status(digest)]
    sections.append(("Issues rising or falling", [_md(_issue_line(i)) for i in digest.issues]))
    sections.append(("Actors newly active", [_md(_actor_line(a)) for a in digest.new_actors]))
    for name, items in sections:
        lines += ["", f"## {name}", "", *(f"- {item}" for item in items)]
        if not items:
            lines.append("None.")
    return "\n".join(lines) + "\n"


def _html(digest: Digest) -> str:
    title, note = _heading(digest)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in _index_rows(digest)
    )
    parts = [
        f"<h1>{escape(title)}</h1><p class='muted'>{escape(note)}</p>",
        "<h2>Relations index</h2><table><tr><th>figure</th><th>this period</th>"
        f"<th>before</th><th>change</th></tr>{rows}</table>",
        "<h2>Key events</h2>",
        "".join(map(_html_event, digest.key_events)) or "<p>None.</p>",
    ]
    sections = [(n, [_html_story(s) for s in ss]) for n, ss in _stories_by_status(digest)]
    sections.append(("Issues rising or falling", [escape(_issue_line(i)) for i in digest.issues]))
    sections.append(("Actors newly active", [escape(_actor_line(a)) for a in digest.new_actors]))
    for name, items in sections:
        listed = "".join(f"<li>{item}</li>" for item in items)
        parts.append(f"<h2>{name}</h2>" + (f"<ul>{listed}</ul>" if items else "<p>None.</p>"))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n"
    )


def _html_link(text: str, url: str | None) -> str:
    address = _web(url)
    return f"<a href='{escape(address)}'>{escape(text)}</a>" if address else escape(text)


def _html_event(event: dict[str, Any]) -> str:
    quotes = "".join(
        f"<blockquote>{escape(mention['sentence'])} <span class='muted'>("
        f"{_html_link(_source(mention), mention['url'])})</span></blockquote>"
        for mention in event["mentions"][:SENTENCES]
    )
    return f"<p><strong>{escape(_event_line(event))}</strong></p>{quotes}"


def _html_story(story: StoryChange) -> str:
    links = ", ".join(
        _html_link(a["title"] or f"article {a['article_id']}", a["url"]) for a in story.articles
    )
    return f"{escape(_story_line(story))}<br><span class='muted'>{links}</span>"
