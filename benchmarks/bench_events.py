"""Event coding figures: PLOVER type (cross-validated), quad class on other data, PETRARCH
unit tests, actor spans, and speed.

    .venv/bin/python benchmarks/bench_events.py

- plv_train.tsv: per-type P/R/F1, root macro-F1 and quad accuracy, 5-fold cross-validated
  through the same decision as ``classify`` (train_events.py), with the gold actor spans
  (the headline) and on the bare sentences.
- conflibert_quad_train.tsv: quad accuracy on bare sentences (no actor spans given; no event
  found counts as quad 0), 5-fold cross-validated since its no-event sentences are learnt.
- speed of the shipped classifier in sentences per second.
- petrarch_unit_tests.xml: share of expected codings whose CAMEO root maps into our ontology
  and that we find at root level (PETRARCH's invented names are not ours to match).
- plv_train.tsv again: whether our actor matching and pair choice land on the gold source
  and target spans (text overlap).
- the whole coder (``code_text``: actor matching, pair choice, type, the gates that hold back
  events without evidence) on plv_train (every sentence reports an event) and on ConfliBERT's
  sentences (240 report none): how many sentences give an event, and of those how many have
  the gold quad class; "events on no-event sentences" are false codings.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree
from datetime import date

import train_events

from dyadwatch.actors.resolve import default_matcher
from dyadwatch.events.classify import classify
from dyadwatch.events.coder import code_text
from dyadwatch.events.ontology import CAMEO_TO_ROOT

EVENTS = train_events.SHARED / "bench" / "events"


def speed() -> None:
    """Sentences per second of the shipped classifier, with actor spans and bare."""
    rows, _, _ = train_events.load()
    sentences, _ = train_events.load_quads()
    bare: list[train_events.Row] = [(sentence, None, None) for sentence in sentences]
    for name, calls in [("plv_train with actor spans", rows), ("conflibert bare", bare)]:
        started = time.perf_counter()
        for call in calls:
            classify(*call)
        rate = len(calls) / (time.perf_counter() - started)
        print(f"classify speed, {name}: {rate:.0f} sentences/s")


def petrarch_share() -> None:
    tree = ElementTree.parse(EVENTS / "petrarch_unit_tests.xml")
    expected = found = 0
    for sentence in tree.iter("Sentence"):
        text = " ".join((sentence.findtext("Text") or "").split())
        roots = {
            CAMEO_TO_ROOT.get(coding.get("eventcode", "")[:2])
            for coding in sentence.iter("EventCoding")
        } - {None}
        if not text or not roots:
            continue
        coded = classify(text, None, None)
        expected += 1
        found += coded is not None and CAMEO_TO_ROOT[coded.cameo_root] in roots
    print(f"petrarch unit tests: {found}/{expected} = {found / expected:.3f} expected roots found")


def actor_spans() -> None:
    rows, _, _ = train_events.load()
    matcher = default_matcher()
    source_hits = target_hits = coded = 0
    for sentence, source, target in rows:
        events = code_text(sentence, date(2020, 1, 1), matcher).events
        if not events:
            continue
        coded += 1
        event = events[0]
        source_hits += _overlaps((event.source.start, event.source.end), source)
        target_hits += _overlaps((event.target.start, event.target.end), target)
    print(
        f"actor spans on plv_train: {coded}/{len(rows)} sentences give a dyadic event; of "
        f"those, source span matches {source_hits / coded:.3f}, target {target_hits / coded:.3f}"
    )


def detection() -> None:
    rows, labels, quads = train_events.load()
    matcher = default_matcher()
    coded = root_hits = quad_hits = 0
    for (sentence, _, _), label, quad in zip(rows, labels, quads, strict=True):
        events = code_text(sentence, date(2020, 1, 1), matcher).events
        if events:
            coded += 1
            root = events[0].type.root
            root_hits += (root in ("CONCEDE", "RETREAT") and label == "YIELD") or root == label
            quad_hits += events[0].type.quad == quad
    print(
        f"coder on plv_train: {coded}/{len(rows)} sentences give an event; of those, "
        f"root right {root_hits / coded:.3f}, quad right {quad_hits / coded:.3f}"
    )
    sentences, conflibert = train_events.load_quads()
    given = {q: 0 for q in range(5)}
    right = 0
    for sentence, quad in zip(sentences, conflibert, strict=True):
        events = code_text(sentence, date(2020, 1, 1), matcher).events
        if events:
            given[quad] += 1
            right += events[0].type.quad == quad
    with_event = sum(q > 0 for q in conflibert)
    found = sum(given[q] for q in range(1, 5))
    print(
        f"coder on conflibert: events on {given[0]}/{conflibert.count(0)} no-event sentences "
        f"and on {found}/{with_event} event sentences (quad right {right / max(found, 1):.3f}); "
        f"precision of 'reports an event' {found / max(found + given[0], 1):.3f}"
    )


def _overlaps(found: tuple[int, int], gold: tuple[int, int] | None) -> bool:
    return gold is not None and found[0] < gold[1] and gold[0] < found[1]


def main() -> None:
    train_events.cross_validate()
    speed()
    petrarch_share()
    actor_spans()
    detection()


if __name__ == "__main__":
    main()
