"""Training and evaluation rows for the pair coder, from ``../shared/bench/``.

A row is one pair of actor mentions, marked as the model reads it (``pair_model.mark``, the
first in the text first), with its labels each way (the PLOVER roots of the acts of the
first on the second, and of the second on the first; none for no event), its status (or
None where the data has none) and the group it is cross-validated by.

- ``chinaus`` rows come from the whole pipeline's reading of the rebuilt pages (the text
  cleaner, the actor matcher, the candidate pairs): a pair is labelled with the gold events
  of its page whose evidence quote lies in the sentence and whose source and target
  countries are the pair's (for a meeting, either way round); any other pair has none. The
  group is the page's story, so that copies and re-reports of one happening stay together.
- ``written`` rows come the same way from ``gold/pair_sentences.jsonl``: short items written
  by the project around the hard cases (past meetings retold, the writer's prescriptions,
  direction, plans and refusals, a side named only in the sentence before; and since p268,
  third countries that are only a meeting's topic, host, venue or a qualifier, lists of
  attendees, victim-first sentences, types easily confused, two countries and no event),
  each item a group of its own.
- ``pages`` rows come the same way as ``chinaus`` rows from the project's own labelled pages
  (``gold/pages/*.jsonl``: other happenings than chinaus's, labelled with its conventions;
  their texts are rebuilt like chinaus's, into ``$DYADWATCH_PAGES_TEXTS``), grouped by story.
- ``plv`` rows are plv_train's sentences with the coded pair marked where the data marks it
  (PLOVER's YIELD split into CONCEDE and RETREAT by the words that tell a retreat), and the
  pairs our matcher finds whose mentions lie in the marked spans, with the same label.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from dyadwatch.actors.resolve import default_matcher
from dyadwatch.events.candidates import candidates
from dyadwatch.events.classify import _root
from dyadwatch.events.coref import sentence_actors
from dyadwatch.events.pair_model import Marked, mark
from dyadwatch.extract import extract
from dyadwatch.ingest.discover import discover
from dyadwatch.ingest.readers import read_documents
from dyadwatch.models import Document
from dyadwatch.pipeline import article_record, roles_date

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
TEXTS = Path(os.environ.get("DYADWATCH_CHINAUS_TEXTS", "~/dyadwatch-dev/chinaus/texts"))
PAGES = Path(__file__).resolve().parent / "gold" / "pages"
PAGES_TEXTS = Path(os.environ.get("DYADWATCH_PAGES_TEXTS", "~/dyadwatch-dev/extra/texts"))
MUTUAL = {"CONSULT"}  # the scorer takes a meeting either way round
TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Row:
    marked: Marked
    forward: tuple[str, ...]  # acts of the first on the second
    backward: tuple[str, ...]  # acts of the second on the first
    status: str | None
    group: str
    page: str | None  # chinaus page id


def manifest() -> list[dict]:
    path = SHARED / "chinaus" / "manifest.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def on_sentence(sentence: str, evidence: str) -> bool:
    """The chinaus scorer's test: most of the quote's words are in the sentence."""
    said, quoted = set(TOKEN.findall(sentence.lower())), set(TOKEN.findall(evidence.lower()))
    return bool(quoted) and len(said & quoted) >= 0.7 * len(quoted)


def same_sides(event: dict, source: str, target: str) -> bool:
    """Whether a gold event is between these countries, this way round (a meeting either way,
    as the scorer takes it)."""
    pair = event["source"].get("country"), event["target"].get("country")
    return pair == (source, target) or (event["type"] in MUTUAL and pair == (target, source))


def gold_events(events: list[dict], sentence: str, source: str, target: str) -> list[dict]:
    """The gold events a pair of these countries stands for in this sentence."""
    return [
        event
        for event in events
        if same_sides(event, source, target) and on_sentence(sentence, event["evidence"])
    ]


def article_of(path: Path) -> dict:
    """The page as ingest stores it: extracted from the text file."""
    (found,) = list(discover([str(path)]))
    (document,) = [d for d in read_documents(found) if isinstance(d, Document)]  # type: ignore[arg-type]
    return article_record(extract(document))


def chinaus_rows(folder: Path | None = None) -> list[Row]:
    return _page_rows(manifest(), (folder or TEXTS).expanduser())


def pages_rows() -> list[Row]:
    """The project's own labelled pages whose texts are rebuilt, grouped by their story."""
    files = sorted(PAGES.glob("*.jsonl"))
    labels = [json.loads(line) for path in files for line in path.open(encoding="utf-8")]
    rows = _page_rows(labels, PAGES_TEXTS.expanduser())
    return [replace(row, group=f"pages:{row.group}", page=None) for row in rows]


def _page_rows(pages: list[dict], folder: Path) -> list[Row]:
    """The labelled candidate pairs of the pages whose text is in the folder."""
    rows = []
    for page in pages:
        path = folder / f"{page['id']}.txt"
        if path.exists():
            article = article_of(path)
            found = _labelled(article["body"], roles_date(article), page["events"])
            rows += [replace(row, group=page["story"], page=page["id"]) for row in found]
    return rows


def written_rows() -> list[Row]:
    path = Path(__file__).resolve().parent / "gold" / "pair_sentences.jsonl"
    rows = []
    for line in path.open(encoding="utf-8"):
        item = json.loads(line)
        events = [
            {**e, "source": {"country": e["source"]}, "target": {"country": e["target"]}}
            for e in item["events"]
        ]
        found = _labelled(item["text"], date.fromisoformat(item["date"]), events)
        rows += [replace(row, group=f"written:{item['id']}") for row in found]
    return rows


def _labelled(body: str, on: date | None, events: list[dict]) -> list[Row]:
    """The candidate pairs of a text as the pipeline reads them, labelled from gold events."""
    told = list(sentence_actors(body, default_matcher(), on))
    rows = []
    for pair in candidates(told):
        found = {}
        for source, target, forward in pair.directions():
            countries = str(source.country), str(target.country)
            found[forward] = gold_events(events, pair.sentence.text, *countries)
        both = found.get(True, []) + found.get(False, [])
        status = both[0]["status"] if both else None
        forward, backward = _types(found.get(True, [])), _types(found.get(False, []))
        rows.append(Row(pair.marked, forward, backward, status, "", None))
    return rows


def _types(events: list[dict]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(event["type"] for event in events))


def plv_rows() -> list[Row]:
    """plv_train's pairs: the marked one, and the matcher's mentions inside the marked spans."""
    matcher = default_matcher()
    rows = []
    path = SHARED / "events" / "plv_train.tsv"
    with path.open(encoding="utf-8") as handle:
        for number, record in enumerate(csv.DictReader(handle, delimiter="\t")):
            sentence = record["sentence"]
            labels = (_root(record["gold_root"], sentence),)
            spans = spans_of(sentence, record["source"], record["target"])
            if spans is None:
                continue
            group = f"plv:{number}"
            rows.append(_plv_row(sentence, spans, labels, group))
            found = matcher.find(sentence, date(2020, 1, 1))
            inside = [
                [m for m in found if span[0] <= m.start and m.end <= span[1]] for span in spans
            ]
            for source in inside[0][:1]:
                for target in inside[1][:1]:
                    local = (source.start, source.end), (target.start, target.end)
                    if local != spans:
                        rows.append(_plv_row(sentence, local, labels, group))
    return rows


def _plv_row(
    sentence: str, spans: tuple[tuple[int, int], ...], labels: tuple[str, ...], group: str
) -> Row:
    source, target = spans
    if source < target:
        return Row(mark(sentence, source, target), labels, (), None, group, None)
    return Row(mark(sentence, target, source), (), labels, None, group, None)


def spans_of(sentence: str, source: str, target: str) -> tuple[tuple[int, int], ...] | None:
    at_source, at_target = sentence.find(source), sentence.find(target)
    if at_source < 0 or at_target < 0 or not source or not target:
        return None
    spans = (at_source, at_source + len(source)), (at_target, at_target + len(target))
    if spans[0][0] < spans[1][1] and spans[1][0] < spans[0][1]:
        return None  # overlapping marks
    return spans
