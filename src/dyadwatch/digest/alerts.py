"""Alert rules over a digest's figures, such as ``material_conflict>=3``: a figure's name, a
comparison and a number, read with one regular expression (never evaluated as code)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dyadwatch.digest import FIGURES

COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}
NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
RULE = re.compile(rf"\s*(\w+)\s*(>=|<=|==|!=|>|<)\s*({NUMBER})\s*")


class RuleError(ValueError):
    """A rule that cannot be read; the message says what a rule looks like."""


@dataclass(frozen=True)
class Rule:
    figure: str
    comparison: str
    value: float

    def holds(self, figures: Mapping[str, float]) -> bool:
        return COMPARISONS[self.comparison](figures[self.figure], self.value)

    def __str__(self) -> str:
        return f"{self.figure}{self.comparison}{self.value:g}"


def parse_rule(text: str) -> Rule:
    found = RULE.fullmatch(text)
    if found is None:
        raise RuleError(
            f"{text!r} is not a rule: write FIGURE COMPARISON NUMBER, e.g. material_conflict>=3"
            f" (comparisons: {' '.join(COMPARISONS)})"
        )
    figure, comparison, number = found.groups()
    if figure not in FIGURES:
        raise RuleError(f"{text!r}: no figure {figure!r}; the figures are {', '.join(FIGURES)}")
    return Rule(figure, comparison, float(number))


def holding(rules: list[Rule], figures: Mapping[str, float]) -> list[Rule]:
    """The rules that hold for these figures."""
    return [rule for rule in rules if rule.holds(figures)]
