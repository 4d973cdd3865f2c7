"""What happened between a source and a target in one sentence: the PLOVER type.

A multinomial logistic model over the sentence's word stems and our cue lexicon
(``data/events_lexicon.tsv``), with the words between, right after and right before the two
actors marked apart (they carry the verb). ``benchmarks/train_events.py`` fits it on
PLOVER-coded sentences into ``data/events_model.json``. The quad class is chosen first, by
the summed probability of its types, then the likeliest type within it. Status (planned,
negated) and mode come from cue words around the actors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from dyadwatch.events.ontology import (
    MATERIAL_CONFLICT,
    MATERIAL_COOPERATION,
    ROOTS,
    VERBAL_COOPERATION,
    YIELD_ROOTS,
    intensity,
    label_quad,
)

TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|n't")
Span = tuple[int, int]
# Acts whose cue words, right next to an actor, name the event outright ("met Xi", "the
# visit of Blinken"). Only meetings: for accusations, rejections, threats, sanctions,
# assaults and agreements the rule cost 5-fold CV macro-F1 (0.749 -> 0.721) against the model.
EXPLICIT_ACTS = {"CONSULT"}
BOUND_CONFIDENCE = 0.9
# Words that carry no event: a type whose heaviest word is one of them rests on the sentence
# as a whole, not on anything that says what happened.
FUNCTION_WORDS = set(
    TOKEN.findall(
        "the a an and or but of to in on at by for with from as into about over than that this "
        "these those it its he she his her they their them we our is are was were be been being "
        "has have had do does did will would shall can could may might also "
        "said says who which what when where while there here then so such very more most "
        "after before since during until between among around through both all any each if "
        "because however only just now even"
    )
)
# Material conflict (protests, troops, sanctions, arrests, attacks) needs a word that says so:
# below this quad probability, a material-conflict choice resting on function words gives way
# to the likeliest other quad ("Yellen raised concerns about ... controls" is no assault).
# So does one with no cue of its own type below the second threshold ("Yellen raised
# concerns about China's new export controls" is no assault either).
# 5-fold CV: macro-F1 0.744 -> 0.753, quad accuracy 0.851 -> 0.852.
BARE_CONFLICT_CONFIDENCE = 0.7
UNCUED_CONFLICT_CONFIDENCE = 0.5
MIN_CONFIDENCE = 0.3  # quad probability below which no event is taken to be reported
NO_EVENT = "NONE"  # label of sentences that report no event (the bare-sentence model has it)
NEAR = 30  # characters after or before an actor whose words are marked as near it
NEGATION = re.compile(
    r"\b(not|never|no longer|did ?n[o']t|won't|cannot|can't"
    r"|without (reaching|signing|agreeing|securing|striking)"
    r"|(held|reached|made|had) no ([\w-]+ ){0,2}(talks|meetings?|deal|agreement|contact))\b",
    re.I,
)
# "urged the US not to ...": the "not" is the request's, the urging happened.
ASKED_NOT_TO = re.compile(
    r"\b(?:urg|ask|warn|call\w* on|press|demand|told|tell|advis)\w*\b[^.;]{0,60}?\bnot to\b", re.I
)
# A refusal negates the act refused ("refused to meet"), unless the refusal is the event.
REFUSAL = re.compile(r"\b(refus(e|ed|es|ing)|declin(e|ed|es|ing)|fail(s|ed|ing)?) to\b", re.I)
PLANNED = re.compile(
    r"\b(will|shall|plans? to|planning to|planned|expected to|scheduled to|set to|"
    r"is due to|are due to|upcoming|next (week|month|year)|later this (week|month|year)|"
    r"intends? to|hopes? (to|for)|hoped[- ]for|it is hoped|about to|"
    r"to (meet|visit|hold|travel|sign)|"
    r"(possible|potential|proposed|prospective) (meeting|visit|summit|talks|trip)|"
    r"(would|may|might|could) (meet|visit|hold|travel|sign|go|talk)|work towards? an?)\b",
    re.I,
)
# An infinitive after a superlative or an ordinal describes someone, it plans nothing: "the
# most senior US official to visit Taiwan in decades", "the first president to meet".
RANKED_INFINITIVE = re.compile(
    r"\bthe\s+(?:first|second|third|last|only|most\s+[\w-]+|highest[\w-]*"
    r"|(?!(?:inter|requ|sugg|prot|cont|qu|gu|w|r|arr|harv|t|b|n|z|l|pr)est\b)[a-z]+est)"
    r"(?:\s+[\w.-]+){0,4}?\s+(?P<inf>to\s+(?:meet|visit|hold|travel|sign))\b",
    re.I,
)
MODES = {
    root: [(mode, re.compile(pattern, re.I)) for mode, pattern in cues]
    for root, cues in {
        "CONSULT": [
            ("call", r"\b(phone|phoned|call|video|virtual)\b"),
            ("visit", r"\b(visit|visited|visiting|trip|travel|arriv)"),
            ("meet", r"\b(met|meet|meeting|talks|summit)\b"),
        ],
        "ACCUSE": [
            ("investigate", r"\b(investigat|probe|inquiry)"),
            ("allege", r"\b(accus|alleg|charg|sue|sued|lawsuit)"),
            ("disapprove", r"\b(criticiz|criticis|condemn|denounc|blam)"),
        ],
        "RETREAT": [
            ("ceasefire", r"\b(ceasefire|cease-fire|truce)\b"),
            ("withdraw", r"\b(withdr|pull(ed|s|ing)? out|pull(ed|s|ing)? back)"),
            ("release", r"\b(releas|freed|free)"),
            ("disarm", r"\b(disarm|demobili[sz]|surrender)"),
            ("resign", r"\b(resign|step(ped|s)? down)"),
        ],
        "PROTEST": [
            ("hunger", r"\bhunger strike"),
            ("riot", r"\briot"),
            ("boycott", r"\b(boycott|strike)"),
            ("demo", r"\b(protest|demonstrat|rall(y|ied))"),
        ],
        "SANCTION": [("expel", r"\b(expel|expulsion)")],
        "MOBILIZE": [("troops", r"\b(troops|soldiers|forces)\b")],
        "COERCE": [
            ("arrest", r"\b(arrest|detain|jail|charg)"),
            ("deport", r"\bdeport"),
            ("seize", r"\b(seiz|confiscat|occup)"),
        ],
        "ASSAULT": [
            ("aerial", r"\b(air ?strike|bomb(ed|ing|s)?|air raid|drone)"),
            ("abduct", r"\b(abduct|kidnap|hijack)"),
            ("beat", r"\bbeat(en|ing|s)?\b"),
        ],
    }.items()
}
YIELD_RETREAT = re.compile(
    r"\b(withdr|pull(ed)? out|retreat|releas|freed|ceasefire|truce|evacuat|disarm|surrender)",
    re.I,
)


@dataclass(frozen=True)
class EventType:
    root: str  # PLOVER root, e.g. "CONSULT"
    mode: str | None  # e.g. "visit", "meet", "call" when clear
    cameo_root: str  # two-digit CAMEO root, e.g. "04"
    quad: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    intensity: float  # -10..+10
    status: str  # "happened" | "planned" | "negated"
    confidence: float  # 0..1
    trigger: str  # the word(s) that decided it


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    stem: str


@dataclass(frozen=True)
class Decision:
    label: str  # a training label: a PLOVER root, or YIELD for CONCEDE and RETREAT
    confidence: float
    trigger: str


@dataclass(frozen=True)
class TypeModel:
    labels: list[str]
    vocabulary: dict[str, int]
    weights: np.ndarray  # features x labels
    bias: np.ndarray

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> TypeModel:
        return cls(
            stored["labels"],
            {name: i for i, name in enumerate(stored["features"])},
            np.array(stored["weights"]),
            np.array(stored["bias"]),
        )

    def probabilities(self, features: list[str]) -> np.ndarray:
        rows = [self.vocabulary[f] for f in features if f in self.vocabulary]
        logits = self.weights[rows].sum(axis=0) + self.bias
        exp = np.exp(logits - logits.max())
        return np.asarray(exp / exp.sum())

    def weight(self, feature: str, label: str) -> float:
        row = self.vocabulary.get(feature)
        return 0.0 if row is None else float(self.weights[row, self.labels.index(label)])


@dataclass(frozen=True)
class TypeModels:
    """One model for sentences whose actors are known, one for bare sentences: where the
    actors stand tells most, and a bare sentence's words must weigh without that help."""

    with_spans: TypeModel
    without_spans: TypeModel

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> TypeModels:
        return cls(
            TypeModel.from_dict(stored["with_spans"]),
            TypeModel.from_dict(stored["without_spans"]),
        )

    def pick(self, source: Span | None, target: Span | None) -> TypeModel:
        return self.without_spans if source is None and target is None else self.with_spans


def stem(word: str) -> str:
    """A crude English stem so that "meets", "meeting" and "meet" share features."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(sentence: str) -> list[Word]:
    return [Word(m.start(), m.end(), stem(m.group())) for m in TOKEN.finditer(sentence.lower())]


# Words of calling off that the lexicon leaves out (its SANCTION cues hold "suspend", "halt").
# Tariffs laid on a country's goods are an economic sanction, whatever else the sentence says.
TARIFFS = re.compile(
    r"\b(?:impos|rais|slap|levi|hik|increas|announc|extend|retaliat)\w*\s+(?:[\w$%,.-]+\s+){0,4}?"
    r"(?:tariffs?|duties|levies)\b",
    re.I,
)
HALT_STEMS = {stem(w) for w in ("cancel", "cancelled", "canceled", "postpone", "postponed")}
HALT_BEFORE_OFF = {stem(w) for w in ("call", "called", "break", "broke", "broken")}


# Words passed over when looking for the verb after the source, in stemmed form.
AUXILIARIES = {
    stem(w)
    for w in TOKEN.findall(
        "has have had is are was were be been being will would shall should can could may "
        "might must also 's on in at last this week today yesterday monday tuesday wednesday "
        "thursday friday saturday sunday said says reportedly then"
    )
}


@cache
def lexicon() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(label, stems) for every cue of data/events_lexicon.tsv."""
    text = resources.files("dyadwatch").joinpath("data/events_lexicon.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((label, tuple(stem(w) for w in cue.split())) for label, cue in rows)


def places(word: Word, spans: list[Span]) -> list[str]:
    """Where a word stands relative to the actors: (b)etween them, right (a)fter or
    right before (p) one. Words inside an actor's span are names, marked (n)."""
    if any(start <= word.start < end for start, end in spans):
        return ["n"]
    found = []
    if len(spans) == 2 and spans[0][1] <= word.start < spans[1][0]:
        found.append("b")
    if any(0 <= word.start - end <= NEAR for _, end in spans):
        found.append("a")
    if any(0 <= start - word.end <= NEAR for start, _ in spans):
        found.append("p")
    return found


# Cue words that are other words before "of": "signs of progress" are no signing.
NOT_BEFORE_OF = {stem(w) for w in ("sign", "signs", "deal")}
# Cue words that say something else before these: "deliver a speech" gives no aid.
NOT_BEFORE = {
    stem("deliver"): {
        stem(w)
        for w in ("speech", "speeches", "remarks", "address", "lecture", "keynote", "message")
    }
}


def cues(found: list[Word]) -> Iterator[tuple[str, int, int]]:
    """(label, first word, last word) of each lexicon cue in the sentence."""
    stems = [w.stem for w in found]
    by_first = cues_by_first_stem()
    for i, first in enumerate(stems):
        for label, cue in by_first.get(first, ()):
            end = i + len(cue)
            if tuple(stems[i:end]) != cue:
                continue
            if len(cue) == 1 and first in NOT_BEFORE_OF and stems[end : end + 1] == ["of"]:
                continue  # "signs of progress", "a great deal of"
            if set(stems[end : end + 3]) & NOT_BEFORE.get(first, set()):
                continue  # "delivered a speech", "deliver his remarks"
            yield label, i, end - 1


@cache
def cues_by_first_stem() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for label, cue in lexicon():
        index.setdefault(cue[0], []).append((label, cue))
    return index


def verb_slots(found: list[Word], source: Span | None, target: Span | None) -> list[str]:
    """The word that stands where the verb usually is: the first after the source once
    auxiliaries and adverbs are passed ("Iran has strongly condemned"), and the one right
    before the target ("accused Russia", "against Russia")."""
    slots = []
    if source is not None:
        after = [w for w in found if w.start >= source[1]]
        verb = next(
            (w for w in after if w.stem not in AUXILIARIES and not w.stem.endswith("ly")), None
        )
        if verb is not None:
            slots.append(f"v:{verb.stem}")
    if target is not None:
        before = [w for w in found if w.end <= target[0]]
        if before:
            slots.append(f"t:{before[-1].stem}")
    return slots


@dataclass(frozen=True)
class Reading:
    """A sentence as the model sees it: its words, where each stands relative to the
    actors, the lexicon cues outside the actors' names, and the verb-slot features."""

    sentence: str
    words: list[Word]
    marks: list[list[str]]
    cues: list[tuple[str, int, int]]
    slots: list[str]


def read(sentence: str, source: Span | None, target: Span | None) -> Reading:
    found = words(sentence)
    spans = sorted(s for s in (source, target) if s)
    marks = [places(w, spans) for w in found]
    outside = [cue for cue in cues(found) if marks[cue[1]] != ["n"]]
    return Reading(sentence, found, marks, outside, verb_slots(found, source, target))


def features(sentence: str, source: Span | None, target: Span | None) -> list[str]:
    """Stems and lexicon cues, each also marked by where it stands relative to the actors,
    and the words in the verb's usual slots. Actor names themselves are left out: who acts
    says little about what they did."""
    return bag_of(read(sentence, source, target))


def bag_of(reading: Reading) -> list[str]:
    bag = list(reading.slots)
    for word, mark in zip(reading.words, reading.marks, strict=True):
        if mark != ["n"]:
            bag += [f"s:{word.stem}"] + [f"{m}:{word.stem}" for m in mark]
    for label, first, _ in reading.cues:
        bag += [f"l:{label}"] + [f"l{m}:{label}" for m in reading.marks[first]]
    return bag


def decide(
    models: TypeModels, sentence: str, source: Span | None, target: Span | None
) -> Decision | None:
    """The label the models give, chosen quad first; None when no quad is likely enough."""
    model = models.pick(source, target)
    reading = read(sentence, source, target)
    bound = bound_cue(reading)
    if (bound is not None and halted_meeting(reading)) or TARIFFS.search(sentence):
        bound = "SANCTION"
    if bound is not None:
        return Decision(bound, BOUND_CONFIDENCE, trigger(model, reading, bound))
    probabilities = model.probabilities(bag_of(reading))
    by_quad: dict[int, float] = {}
    for label, p in zip(model.labels, probabilities, strict=True):
        by_quad[_quad(label)] = by_quad.get(_quad(label), 0.0) + float(p)
    quad = max(by_quad, key=by_quad.__getitem__)
    if quad == 0 or by_quad[quad] < MIN_CONFIDENCE:
        return None
    label = _likeliest(model, probabilities, quad)
    found = trigger(model, reading, label)
    bare = found.lower() in FUNCTION_WORDS and by_quad[quad] < BARE_CONFLICT_CONFIDENCE
    uncued = not any(cue == label for cue, _, _ in reading.cues)
    if quad == MATERIAL_CONFLICT and (
        bare or (uncued and by_quad[quad] < UNCUED_CONFLICT_CONFIDENCE)
    ):
        others = {q: p for q, p in by_quad.items() if q not in (0, MATERIAL_CONFLICT)}
        quad = max(others, key=others.__getitem__)
        if by_quad[quad] < MIN_CONFIDENCE:
            return None
        label = _likeliest(model, probabilities, quad)
        found = trigger(model, reading, label)
    if quad in (VERBAL_COOPERATION, MATERIAL_COOPERATION) and halted_meeting(reading):
        label = "SANCTION"
        found = trigger(model, reading, label)
    return Decision(label, by_quad[quad], found)


def halted_meeting(reading: Reading) -> bool:
    """A meeting word right after a word of halting ("suspend talks", "halts climate
    talks", "cancelled the visit"): calling talks off is CAMEO's "halt negotiations",
    which PLOVER counts as a sanction, not a consultation."""
    found = reading.words
    halts = [last for label, _, last in reading.cues if label == "SANCTION"]
    halts += [i for i, w in enumerate(found) if w.stem in HALT_STEMS]
    halts += [  # "called off", "broke off"
        i
        for i, w in enumerate(found)
        if w.stem == "off" and i > 0 and found[i - 1].stem in HALT_BEFORE_OFF
    ]
    meetings = [first for label, first, _ in reading.cues if label == "CONSULT"]
    return any(0 < m - h <= 3 for h in halts for m in meetings)


def _likeliest(model: TypeModel, probabilities: np.ndarray, quad: int) -> str:
    best = max(
        (i for i, label in enumerate(model.labels) if _quad(label) == quad),
        key=lambda i: probabilities[i],
    )
    return model.labels[best]


def bound_cue(reading: Reading) -> str | None:
    """The label of the cues that stand right next to the actors ("met Xi", "accused the
    US", "during the visit of Blinken"), when they all name one explicit act: such a verb
    says what happened more surely than the words of the whole sentence."""
    labels = {
        label
        for label, first, last in reading.cues
        if {"a", "p"} & (set(reading.marks[first]) | set(reading.marks[last]))
    }
    return labels.pop() if len(labels) == 1 and labels <= EXPLICIT_ACTS else None


def _quad(label: str) -> int:
    return 0 if label == NO_EVENT else label_quad(label)


def trigger(model: TypeModel, reading: Reading, label: str) -> str:
    """The words that weighed most for the label: a cue of the label if there is one (the
    one weighing most by where it stands), else the single heaviest word."""
    marks = reading.marks
    scored = [
        (sum(model.weight(f"l{m}:{label}", label) for m in ["", *marks[first]]), first, last)
        for cue_label, first, last in reading.cues
        if cue_label == label
    ]
    if not scored:
        scored = [
            (sum(model.weight(f"{m}:{w.stem}", label) for m in ["s", *marks[i]]), i, i)
            for i, w in enumerate(reading.words)
            if marks[i] != ["n"]
        ]
    if not scored:
        return ""
    _, first, last = max(scored)
    return reading.sentence[reading.words[first].start : reading.words[last].end]


@cache
def type_models() -> TypeModels:
    stored = resources.files("dyadwatch").joinpath("data/events_model.json").read_text("utf-8")
    return TypeModels.from_dict(json.loads(stored))


def classify(sentence: str, source: Span | None, target: Span | None) -> EventType | None:
    """The event a sentence reports between source and target spans; None if none is clear."""
    decision = decide(type_models(), sentence, source, target)
    if decision is None:
        return None
    root = _root(decision.label, sentence)
    status = event_status(clause(sentence, source, target), root)
    return event_type(root, sentence, status, decision.confidence, decision.trigger)


def event_type(
    label: str, sentence: str, status: str, confidence: float, trigger: str
) -> EventType:
    """An event of a PLOVER root (or the training data's YIELD) as the sentence tells it:
    its mode, CAMEO root, quad and intensity."""
    root = _root(label, sentence)
    mode = _mode(root, sentence)
    return EventType(
        root=root,
        mode=mode,
        cameo_root=ROOTS[root].cameo_root,
        quad=ROOTS[root].quad,
        intensity=intensity(root, mode),
        status=status,
        confidence=round(confidence, 3),
        trigger=trigger,
    )


def _root(label: str, sentence: str) -> str:
    # The training data joins PLOVER's CONCEDE and RETREAT as YIELD: withdrawing,
    # releasing or ceasing fire is a retreat, any other giving way a concession.
    if label == "YIELD":
        return YIELD_ROOTS[1] if YIELD_RETREAT.search(sentence) else YIELD_ROOTS[0]
    return label


def _mode(root: str, sentence: str) -> str | None:
    return next((mode for mode, cue in MODES.get(root, []) if cue.search(sentence)), None)


def clause(sentence: str, source: Span | None, target: Span | None) -> str:
    """The stretch of the sentence around the two actors, where the verb's tense lives."""
    spans = [s for s in (source, target) if s]
    if not spans:
        return sentence
    start = max(0, min(s[0] for s in spans) - 40)
    return sentence[start : max(s[1] for s in spans) + 40]


def event_status(sentence: str, root: str | None = None) -> str:
    """ "negated" for a denial ("did not meet") or a refusal of any act but a rejection,
    "planned" for a future or intended act."""
    said = ASKED_NOT_TO.sub(lambda m: m.group(0)[: -len("not to")], sentence)
    if NEGATION.search(said) or (root != "REJECT" and REFUSAL.search(said)):
        return "negated"
    ranked = [m.span("inf") for m in RANKED_INFINITIVE.finditer(sentence)]
    if any(m.span() not in ranked for m in PLANNED.finditer(sentence)):
        return "planned"
    return "happened"
