"""What a sentence tells of an act the pair coder read: its PLOVER root as the sentence words it
(the training data's YIELD split into CONCEDE and RETREAT), its mode, CAMEO root, quad class
and intensity; and its status from cue words around the actors (planned, negated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dyadwatch.events.ontology import ROOTS, YIELD_ROOTS, intensity

Span = tuple[int, int]
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
