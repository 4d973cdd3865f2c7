"""More training text for the plain-text cleaner: the htmldate development pages, rendered
to plain text as the benchmark's renderings were made and labelled by the HTML extractor.

The 253 pages of ``../shared/bench/dates/htmldate-dev.jsonl.gz`` (many sites and languages)
are flattened three ways: ``lxml_blocks`` (re-implemented below; it reproduces the
benchmark's own rendering of its pages line for line on 99.8% of lines), ``w3m -dump -cols
1000`` (Debian's w3m, where installed) and html2text (the PyPI package, body width 0, no
links, images or emphasis; where installed). Their "silver" body is what
``dyadwatch.extract.extract_html`` (trafilatura) keeps of the HTML. These pages are for
training only: the cross-validation is still scored on the benchmark pages' gold alone.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import lxml.html
from lxml.html import HtmlElement
from shingle_f1 import SHARED

from dyadwatch.extract.html import extract_html

HTMLDATE_PAGES = SHARED / "bench" / "dates" / "htmldate-dev.jsonl.gz"
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})
MIN_SILVER_WORDS = 80  # a shorter silver body is most likely a failed extraction


def lxml_blocks(html: str) -> str:
    """Text of each block element on lines of its own, inline text kept with the source's
    own line breaks."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except ValueError:  # lxml.etree.ParserError: an empty document
        return ""
    lines: list[str] = []
    pending: list[str] = []
    _walk(root, lines, pending)
    _flush(lines, pending)
    return "\n".join(lines)


def _walk(element: HtmlElement, lines: list[str], pending: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is not None and tag not in DROPPED_TAGS:
        block = tag in BLOCK_TAGS
        if block:
            _flush(lines, pending)
        pending.append(element.text or "")
        for child in element:
            _walk(child, lines, pending)
        if block:
            _flush(lines, pending)
    pending.append(element.tail or "")


def _flush(lines: list[str], pending: list[str]) -> None:
    for piece in "".join(pending).split("\n"):
        if line := " ".join(piece.split()):
            lines.append(line)
    pending.clear()


def w3m(html: str) -> str:
    command = ["w3m", "-dump", "-cols", "1000", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8"]
    done = subprocess.run(command, input=html.encode(), capture_output=True, timeout=120)
    return done.stdout.decode("utf-8", "replace")


def renderers() -> dict[str, Callable[[str], str]]:
    """The three renderings of the benchmark: a machine without w3m or html2text would fit
    a different model, so it is stopped with what to install."""
    if not shutil.which("w3m"):
        sys.exit("text_silver needs the w3m program (apt-get install w3m)")
    try:
        import html2text
    except ImportError:
        sys.exit("text_silver needs html2text: pip install -e '.[train]'")

    def markdown(html: str) -> str:
        converter = html2text.HTML2Text()
        converter.body_width = 0
        converter.ignore_links = converter.ignore_images = converter.ignore_emphasis = True
        return converter.handle(html)

    return {"lxml_blocks": lxml_blocks, "w3m": w3m, "html2text": markdown}


def silver_pages() -> Iterator[dict[str, Any]]:
    """Each htmldate page with a usable silver body: url, silver body and its renderings."""
    render = renderers()
    with gzip.open(HTMLDATE_PAGES, "rt", encoding="utf-8") as rows:
        for row in map(json.loads, rows):
            body = extract_html(row["html"], row["url"]).body
            if len(body.split()) < MIN_SILVER_WORDS:
                continue
            texts = {name: function(row["html"]) for name, function in render.items()}
            yield {"url": row["url"], "gold_body": body, "text": texts}
