"""The PLOVER event ontology as dyadwatch uses it: 16 root types, their CAMEO roots, quad
class and intensity (PLOVER's -10..+10 scale), written from the PLOVER manual's public
tables. ACCUSE is scored negative: the manual prints +3 for it although every one of its
modes is negative.
"""

from __future__ import annotations

from dataclasses import dataclass

VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT, MATERIAL_CONFLICT = 1, 2, 3, 4


@dataclass(frozen=True)
class RootType:
    name: str
    cameo_root: str
    quad: int
    intensity: float


ROOTS = {
    root.name: root
    for root in [
        RootType("AGREE", "03", VERBAL_COOPERATION, 2.5),
        RootType("CONSULT", "04", VERBAL_COOPERATION, 2.5),
        RootType("SUPPORT", "05", VERBAL_COOPERATION, 5.0),
        RootType("COOPERATE", "06", MATERIAL_COOPERATION, 9.5),
        RootType("AID", "07", MATERIAL_COOPERATION, 10.0),
        RootType("CONCEDE", "08", MATERIAL_COOPERATION, 4.5),
        RootType("RETREAT", "08", MATERIAL_COOPERATION, 6.5),
        RootType("REQUEST", "10", VERBAL_CONFLICT, 0.0),
        RootType("ACCUSE", "11", VERBAL_CONFLICT, -3.0),
        RootType("REJECT", "12", VERBAL_CONFLICT, -2.0),
        RootType("THREATEN", "13", VERBAL_CONFLICT, -3.5),
        RootType("PROTEST", "14", MATERIAL_CONFLICT, -5.0),
        RootType("MOBILIZE", "15", MATERIAL_CONFLICT, -5.5),
        RootType("SANCTION", "16", MATERIAL_CONFLICT, -6.0),
        RootType("COERCE", "17", MATERIAL_CONFLICT, -7.0),
        RootType("ASSAULT", "18", MATERIAL_CONFLICT, -9.0),
    ]
}
# Intensity of the modes the coder recognises, where they differ from their root's.
MODE_INTENSITY = {
    ("CONSULT", "visit"): 4.0,
    ("CONSULT", "call"): 1.5,
    ("ACCUSE", "allege"): -3.5,
    ("ACCUSE", "investigate"): -3.5,
    ("ACCUSE", "disapprove"): -2.0,
    ("RETREAT", "ceasefire"): 7.5,
    ("RETREAT", "withdraw"): 8.0,
    ("RETREAT", "disarm"): 10.0,
    ("RETREAT", "resign"): 4.5,
    ("PROTEST", "boycott"): -4.5,
    ("PROTEST", "hunger"): -4.5,
    ("PROTEST", "riot"): -7.0,
    ("SANCTION", "expel"): -5.5,
    ("MOBILIZE", "troops"): -6.5,
    ("ASSAULT", "aerial"): -9.5,
    ("ASSAULT", "beat"): -7.5,
    ("ASSAULT", "abduct"): -8.5,
}
# The gold data joins CONCEDE and RETREAT as YIELD; both are material cooperation.
YIELD_ROOTS = ("CONCEDE", "RETREAT")
# CAMEO roots beyond the one-to-one ones: investigations (09) are accusations in PLOVER,
# appeals (02) are requests, and the violent roots 19 and 20 are assaults. Public
# statements (01) fall outside the ontology.
CAMEO_TO_ROOT = {root.cameo_root: root.name for root in ROOTS.values() if root.name != "RETREAT"}
CAMEO_TO_ROOT |= {"02": "REQUEST", "09": "ACCUSE", "19": "ASSAULT", "20": "ASSAULT"}


def label_quad(label: str) -> int:
    """Quad class of a root type or of the joint label YIELD."""
    return ROOTS[YIELD_ROOTS[0] if label == "YIELD" else label].quad


def intensity(root: str, mode: str | None) -> float:
    return MODE_INTENSITY.get((root, mode or ""), ROOTS[root].intensity)
