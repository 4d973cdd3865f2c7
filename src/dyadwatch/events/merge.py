"""When two event mentions report the same real event, so counts are not inflated.

Same event: same PLOVER type, same actors (in either order for mutual acts such as meetings
and agreements), and dates close enough for the precision they carry. A denial ("did not
meet") is never merged with the meeting it denies.
"""

from __future__ import annotations

from datetime import date, timedelta

MUTUAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
WINDOW = {
    "day": timedelta(days=3),
    "week": timedelta(days=7),
    "article": timedelta(days=7),
    "month": timedelta(days=31),
}
STATUS_RANK = {"happened": 3, "planned": 2, "background": 1, "negated": 0}


def merge_key(event_type: str, source_actor: str, target_actor: str) -> tuple[str, str, str]:
    if event_type in MUTUAL_TYPES:
        source_actor, target_actor = sorted((source_actor, target_actor))
    return event_type, source_actor, target_actor


def dates_agree(
    known: date | None, known_precision: str, new: date | None, new_precision: str
) -> bool:
    """Whether two mention dates can be the same happening (an unknown date fits any)."""
    if known is None or new is None:
        return True
    coarser = max(
        WINDOW.get(known_precision, timedelta(days=366)),
        WINDOW.get(new_precision, timedelta(days=366)),
    )
    return abs(known - new) <= coarser


def statuses_agree(known: str, new: str) -> bool:
    return (known == "negated") == (new == "negated")


def stronger_status(known: str, new: str) -> str:
    """A planned meeting later reported as held is one event that happened."""
    return max(known, new, key=STATUS_RANK.__getitem__)
