"""What happened between a source and a target in one sentence: the PLOVER type.

A multinomial logistic model over the sentence's words, with the words between and right
after the two actors marked apart (they carry the verb), fitted by
``benchmarks/train_events.py`` on PLOVER-coded sentences and shipped in
``data/events_model.json``. Status (planned, negated) and mode come from cue words around
the trigger, which is the word that weighed most for the chosen type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from dyadwatch.events.ontology import ROOTS, intensity

TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|n't")
Span = tuple[int, int]
MIN_CONFIDENCE = 0.3  # below this the sentence is not taken to report an event
NEGATION = re.compile(
    r"\b(not|never|no longer|refused to|declined to|failed to|did ?n[o']t|won't|cannot|"
    r"can't|denied)\b",
    re.I,
)
PLANNED = re.compile(
    r"\b(will|would|shall|plans? to|planning to|planned|expected to|scheduled to|set to|"
    r"to (meet|visit|hold|travel|sign)|is due to|are due to|upcoming|next (week|month|year)|"
    r"later this (week|month|year)|could pave the way|hopes? (to|for))\b",
    re.I,
)
MODES = {
    "CONSULT": [
        ("call", re.compile(r"\b(phone|call|video|virtual)\b", re.I)),
        ("visit", re.compile(r"\b(visit|visited|visiting|trip|travel|arriv)", re.I)),
        ("meet", re.compile(r"\b(met|meet|meeting|talks|summit|held talks)\b", re.I)),
    ]
}
# Words that name the event outright when they stand between the two actors ("Blinken met
# Xi", "Beijing accused Washington"): checked before the model, which decides otherwise.
TRIGGERS = [
    (root, re.compile(pattern, re.I))
    for root, pattern in [
        ("CONSULT", r"\b(met|meets|meet with|held talks|talks with|talked|visited|visit of|"
         r"visit to|hosted|phoned|spoke with|call with)\b"),
        ("AGREE", r"\b(agreed|signed|pledged)\b"),
        ("ACCUSE", r"\b(accused|accuses|blamed|blames|criticized|criticised|condemned)\b"),
        ("THREATEN", r"\b(threatened|threatens)\b"),
        ("SANCTION", r"\b(sanctioned|imposed sanctions|expelled)\b"),
        ("REJECT", r"\b(rejected|rejects|dismissed)\b"),
        ("REQUEST", r"\b(urged|urges|called on|demanded)\b"),
        ("ASSAULT", r"\b(shot down|attacked|bombed|fired on)\b"),
        ("SUPPORT", r"\b(praised|welcomed|backed|endorsed)\b"),
    ]
]  # fmt: skip
MAX_GAP = 80  # characters of text between the actors searched for a trigger
YIELD_RETREAT = re.compile(
    r"\b(withdr|pull(ed)? out|retreat|release|ceasefire|evacuat|disarm)", re.I
)


@dataclass(frozen=True)
class EventType:
    root: str  # PLOVER root, e.g. "CONSULT"
    mode: str | None  # "visit", "meet", "call" when clear
    cameo_root: str  # two-digit CAMEO root, e.g. "04"
    quad: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    intensity: float  # -10..+10
    status: str  # "happened" | "planned" | "negated"
    confidence: float  # 0..1
    trigger: str  # the word that weighed most for the type


@dataclass(frozen=True)
class TypeModel:
    labels: list[str]
    vocabulary: dict[str, int]
    weights: np.ndarray  # features x labels
    bias: np.ndarray

    def scores(self, features: list[str]) -> np.ndarray:
        rows = [self.vocabulary[f] for f in features if f in self.vocabulary]
        logits = self.weights[rows].sum(axis=0) + self.bias
        exp = np.exp(logits - logits.max())
        return np.asarray(exp / exp.sum())


def stem(word: str) -> str:
    """A crude English stem so that "meets", "meeting" and "met"-like forms share features."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def features(sentence: str, source: Span | None, target: Span | None) -> list[str]:
    """Bag of stems over the sentence; stems between or right after the actors marked."""
    found = []
    spans = sorted(s for s in (source, target) if s)
    lower = sentence.lower()
    for match in TOKEN.finditer(lower):
        word = stem(match.group())
        found.append(f"s:{word}")
        if len(spans) == 2 and spans[0][1] <= match.start() < spans[1][0]:
            found.append(f"b:{word}")
        if spans and any(0 <= match.start() - end <= 40 for _, end in spans):
            found.append(f"a:{word}")
    return found


@cache
def type_model() -> TypeModel:
    stored = json.loads(
        resources.files("dyadwatch").joinpath("data/events_model.json").read_text("utf-8")
    )
    return TypeModel(
        stored["labels"],
        {name: i for i, name in enumerate(stored["features"])},
        np.array(stored["weights"]),
        np.array(stored["bias"]),
    )


def classify(sentence: str, source: Span | None, target: Span | None) -> EventType | None:
    """The event a sentence reports between source and target spans; None if none is clear."""
    model = type_model()
    bag = features(sentence, source, target)
    scores = model.scores(bag)
    best = int(scores.argmax())
    ruled = trigger_between(sentence, source, target)
    if ruled is not None:
        label, trigger, confidence = ruled[0], ruled[1], 0.9
    elif scores[best] >= MIN_CONFIDENCE:
        label, confidence = model.labels[best], float(scores[best])
        trigger = _trigger(model, bag, best)
    else:
        return None
    root = _root(label, sentence)
    mode = _mode(root, sentence)
    return EventType(
        root=root,
        mode=mode,
        cameo_root=ROOTS[root].cameo_root,
        quad=ROOTS[root].quad,
        intensity=intensity(root, mode),
        status=event_status(_clause(sentence, source, target)),
        confidence=round(confidence, 3),
        trigger=trigger,
    )


def trigger_between(
    sentence: str, source: Span | None, target: Span | None
) -> tuple[str, str] | None:
    """(type, word) when a trigger word stands between two nearby actors."""
    if source is None or target is None:
        return None
    first, second = sorted((source, target))
    gap = sentence[first[1] : second[0]]
    if len(gap) > MAX_GAP:
        # far apart, only a word right after the first actor or right before the second binds
        gap = f"{gap[: MAX_GAP // 2]} … {gap[-MAX_GAP // 2 :]}"
    found = [(m.start(), root, m.group()) for root, cue in TRIGGERS if (m := cue.search(gap))]
    return min(found)[1:] if found else None


def _root(label: str, sentence: str) -> str:
    # The training data joins PLOVER's CONCEDE and RETREAT as YIELD: withdrawing,
    # releasing or ceasing fire is a retreat, any other giving way a concession.
    if label == "YIELD":
        return "RETREAT" if YIELD_RETREAT.search(sentence) else "CONCEDE"
    return label


def _mode(root: str, sentence: str) -> str | None:
    return next((mode for mode, cue in MODES.get(root, []) if cue.search(sentence)), None)


def _trigger(model: TypeModel, bag: list[str], label: int) -> str:
    weights = {f: model.weights[model.vocabulary[f], label] for f in bag if f in model.vocabulary}
    return max(weights, key=weights.__getitem__).split(":", 1)[1] if weights else ""


def _clause(sentence: str, source: Span | None, target: Span | None) -> str:
    """The stretch of the sentence around the two actors, where the verb's tense lives."""
    spans = [s for s in (source, target) if s]
    if not spans:
        return sentence
    start = max(0, min(s[0] for s in spans) - 40)
    return sentence[start : max(s[1] for s in spans) + 40]


def event_status(sentence: str) -> str:
    """ "negated" for a denial ("did not meet"), "planned" for a future or intended act."""
    if NEGATION.search(sentence):
        return "negated"
    if PLANNED.search(sentence):
        return "planned"
    return "happened"
