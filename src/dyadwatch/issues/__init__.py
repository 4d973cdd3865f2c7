"""Stage: issues. Which topics of the relationship an article or a sentence is about.

The taxonomy is a data file (``data/issues.csv``: issue id, label, trigger terms); every tag
keeps the words that triggered it, so a reader can see why it is there. Matching is on whole
words, case-insensitively, except for terms written in capitals ("WHO", "AI chips"), which
must match as written.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Issue:
    issue: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class IssueTag:
    issue: str
    label: str
    triggers: tuple[str, ...]  # the words of the text that triggered it, as written
    score: int  # trigger occurrences


class TaxonomyError(ValueError):
    """A malformed taxonomy file; the message names the file and line."""


def load_taxonomy(extra: Path | None = None) -> list[Issue]:
    """The built-in taxonomy, with a user file's rows added or replacing ours by issue id."""
    text = resources.files("dyadwatch").joinpath("data/issues.csv").read_text("utf-8")
    issues = {i.issue: i for i in _read("issues.csv", text)}
    if extra is not None:
        issues |= {i.issue: i for i in _read(str(extra), extra.read_text(encoding="utf-8"))}
    return list(issues.values())


def _read(name: str, text: str) -> list[Issue]:
    found = []
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        terms = tuple(t.strip() for t in (row.get("terms") or "").split("|") if t.strip())
        if not row.get("issue") or not row.get("label") or not terms:
            raise TaxonomyError(f"{name}, line {line}: needs issue, label and terms: {row}")
        found.append(Issue(row["issue"].strip(), row["label"].strip(), terms))
    return found


@dataclass(frozen=True)
class Tagger:
    issues: list[Issue]
    patterns: list[re.Pattern[str]]

    @classmethod
    def build(cls, issues: list[Issue]) -> Tagger:
        return cls(issues, [_pattern(issue.terms) for issue in issues])

    def tag(self, text: str, min_hits: int = 1) -> list[IssueTag]:
        """Issues with at least ``min_hits`` trigger occurrences, strongest first."""
        tags = []
        for issue, pattern in zip(self.issues, self.patterns, strict=True):
            hits = Counter(match.group() for match in pattern.finditer(text))
            if sum(hits.values()) >= min_hits:
                tags.append(IssueTag(issue.issue, issue.label, tuple(hits), sum(hits.values())))
        return sorted(tags, key=lambda t: (-t.score, t.issue))


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    def one(term: str) -> str:
        escaped = re.escape(term).replace(r"\ ", r"\s+")
        # an acronym or a name with capitals inside must match as written
        return escaped if any(c.isupper() for c in term[1:]) else f"(?i:{escaped})"

    longest_first = sorted(terms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(one(t) for t in longest_first) + r")\b")


@cache
def default_tagger() -> Tagger:
    return Tagger.build(load_taxonomy())


def tag_issues(text: str, min_hits: int = 1) -> list[IssueTag]:
    return default_tagger().tag(text, min_hits)
