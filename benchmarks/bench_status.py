"""Event status and event date: per-status P/R/F1 and date accuracy on a hand-written gold set.

    .venv/bin/python benchmarks/bench_status.py

The gold set (``gold/event_status_gold.jsonl``) is one to three news-like sentences per item,
written by the project from public facts, each with the article date (or none) and every
dyadic event a careful analyst codes in it: its two countries, its status (happened, planned,
negated or background: a past event retold as history) and its date as the text tells it,
at day, week (its Monday), month or year precision, or none (an undated planned, negated or
background event). A few items hold no dyadic event, to count false events. Each item is
coded with ``code_text``; a predicted event matches a gold one of the same country pair
(either order for CONSULT, AGREE and COOPERATE, by the gold or the predicted type), the one
whose date agrees first, then the nearest in the order of the text. Printed: P/R/F1 per
status (a matched event with the wrong status counts against both statuses), their macro-F1,
the share of matched events with the right date at the gold precision, and the spurious
(among them the duplicates of a matched event, e.g. one per pair of people) and missed
events. The gold was written by the same project as the coder, so the figures are
optimistic, and with about a hundred events each figure is a small sample.

The rules have since been tuned while looking at that set, so it is development data. The
same figures are then printed for a held-out set (``gold/event_status_heldout.jsonl``, same
format, other events, actors and wordings, written before the coder was first run on it),
which is never to be used to tune the rules: for it only the number of errors of each kind
is printed, not the sentences. Its one difference in convention: a refusal ("rejected
talks", "refused to meet") is the event PLOVER calls REJECT, and it happened; "did not
meet", a meeting called off or postponed, "without a deal" are negated.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dyadwatch.events.coder import EventMention, code_text

GOLD = Path(__file__).resolve().parent / "gold" / "event_status_gold.jsonl"
HELDOUT = Path(__file__).resolve().parent / "gold" / "event_status_heldout.jsonl"
STATUSES = ("happened", "planned", "negated", "background")
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}  # no one is the target: either order matches


@dataclass(frozen=True)
class Gold:
    source: str
    target: str
    type: str
    status: str
    date: date | None
    precision: str | None


@dataclass(frozen=True)
class Item:
    text: str
    on: date | None
    events: list[Gold]


def read_gold(path: Path = GOLD) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            events = [
                Gold(
                    e["source_country"],
                    e["target_country"],
                    e.get("type", ""),
                    e["status"],
                    date.fromisoformat(e["date"]) if e["date"] else None,
                    e["precision"],
                )
                for e in row["events"]
            ]
            on = date.fromisoformat(row["on"]) if row["on"] else None
            items.append(Item(row["text"], on, events))
    return items


def pair_matches(gold: Gold, event: EventMention) -> bool:
    pair = (event.source.country, event.target.country)
    if pair == (gold.source, gold.target):
        return True
    either_order = gold.type in SYMMETRIC or event.type.root in SYMMETRIC
    return either_order and pair == (gold.target, gold.source)


def same_event(one: EventMention, other: EventMention) -> bool:
    """Both coded from one sentence, same countries (either order), status and date: the type
    may differ, as it is not scored here."""
    countries = {one.source.country, one.target.country}
    return (
        one.sentence.start == other.sentence.start
        and countries == {other.source.country, other.target.country}
        and (one.status, one.date) == (other.status, other.date)
    )


def date_right(gold: Gold, event: EventMention) -> bool:
    found = event.date.date if event.date else None
    if gold.precision is None or gold.date is None:
        return found is None
    if found is None:
        return False
    if gold.precision == "day":
        return found == gold.date
    if gold.precision == "week":  # gold is the Monday: any day of that week is right
        return gold.date <= found < gold.date + timedelta(days=7)
    if gold.precision == "month":
        return (found.year, found.month) == (gold.date.year, gold.date.month)
    return found.year == gold.date.year


def match(golds: list[Gold], events: list[EventMention]) -> list[tuple[int, int]]:
    """Pairs (gold index, event index): the date decides between events of one pair, then
    the order of mention (gold events are listed in the order of the text)."""
    order = sorted(
        range(len(events)), key=lambda j: (events[j].sentence.start, events[j].source.start)
    )
    rank = {j: r for r, j in enumerate(order)}
    candidates = sorted(
        (not date_right(g, events[j]), abs(i - rank[j]), i, j)
        for i, g in enumerate(golds)
        for j in range(len(events))
        if pair_matches(g, events[j])
    )
    used_gold: set[int] = set()
    used_event: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_gold and j not in used_event:
            used_gold.add(i)
            used_event.add(j)
            pairs.append((i, j))
    return pairs


def shown(event: EventMention) -> str:
    when = f"{event.date.date}/{event.date.precision}" if event.date else "no date"
    return f"{event.source.country}->{event.target.country} {event.type.root} {event.status} {when}"


def shown_gold(gold: Gold) -> str:
    when = f"{gold.date}/{gold.precision}" if gold.date else "no date"
    return f"{gold.source}->{gold.target} {gold.type} {gold.status} {when}"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(items: list[Item], show_errors: bool = True) -> None:
    """Print the figures for one gold set. With ``show_errors`` each error is printed with its
    sentence; without, only how many of each kind there were (for the held-out set, whose
    sentences the rules must not be tuned on)."""
    kinds: Counter[str] = Counter()

    def error(kind: str, detail: str) -> None:
        kinds[kind] += 1
        if show_errors:
            print(f"  {detail}")

    n_gold = sum(len(item.events) for item in items)
    empty = sum(not item.events for item in items)
    print(f"{len(items)} items, {n_gold} gold events, {empty} items with none")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    matched = dates_right = spurious = duplicates = missed = 0
    started = time.perf_counter()
    for item in items:
        events = code_text(item.text, item.on).events
        pairs = match(item.events, events)
        for i, j in pairs:
            gold, event = item.events[i], events[j]
            confusion[gold.status, event.status] += 1
            matched += 1
            if event.status == gold.status:
                tp[gold.status] += 1
            else:
                fp[event.status] += 1
                fn[gold.status] += 1
                error(
                    f"status {gold.status} read as {event.status}",
                    f"status {gold.status} read as {event.status}: {item.text}",
                )
            if date_right(gold, event):
                dates_right += 1
            else:
                error(
                    f"date wrong, {gold.status} event at precision {gold.precision}",
                    f"date: gold {shown_gold(gold)}, coded {shown(event)} (on {item.on}): "
                    f"{item.text}",
                )
        for j in set(range(len(events))) - {j for _, j in pairs}:
            spurious += 1
            fp[events[j].status] += 1
            # One event coded once per pair of people ("Blinken and Sullivan met Yang and
            # Wang") is still spurious at the country level, but a different kind of error.
            twin = any(same_event(events[j], events[k]) for _, k in pairs)
            duplicates += twin
            kind = "duplicate of a matched event" if twin else "spurious"
            error(f"{kind} {events[j].status}", f"{kind} {shown(events[j])}: {item.text}")
        for i in set(range(len(item.events))) - {i for i, _ in pairs}:
            missed += 1
            fn[item.events[i].status] += 1
            error(
                f"missed {item.events[i].status}",
                f"missed {shown_gold(item.events[i])}: {item.text}",
            )
    seconds = time.perf_counter() - started
    print(f"\n{'status':12} {'n':>3} {'P':>6} {'R':>6} {'F1':>6}")
    f1s = []
    for status in STATUSES:
        p, r, f = prf(tp[status], fp[status], fn[status])
        f1s.append(f)
        print(
            f"{status:12} {sum(1 for i in items for g in i.events if g.status == status):3d} "
            f"{p:6.2f} {r:6.2f} {f:6.2f}"
        )
    print(f"macro-F1 over the four statuses: {sum(f1s) / len(f1s):.3f}")
    print("\nconfusion (rows gold, columns coded), matched events only:")
    print(f"{'':12}" + "".join(f"{s[:10]:>11}" for s in STATUSES))
    for gold_status in STATUSES:
        print(f"{gold_status:12}" + "".join(f"{confusion[gold_status, s]:11d}" for s in STATUSES))
    share = dates_right / matched if matched else 0.0
    print(
        f"\nmatched {matched} of {n_gold} gold events; "
        f"right date {dates_right}/{matched} = {share:.3f}"
    )
    print(
        f"spurious events {spurious} ({duplicates} of them duplicates of a matched event "
        f"in the same sentence), missed events {missed}"
    )
    print(f"coded {len(items)} items in {seconds:.1f} s")
    if not show_errors:
        print("errors by kind (sentences not shown):")
        for kind, n in sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0])):
            print(f"  {n:3d} {kind}")


def main() -> None:
    print("development (the rules were tuned on it)")
    score(read_gold(GOLD))
    print("\nheld-out (never used to tune the rules)")
    score(read_gold(HELDOUT), show_errors=False)


if __name__ == "__main__":
    main()
