"""Stage: issues. Which topics of the relationship an article or a sentence is about.

The taxonomy is a data file (``data/issues.csv``: issue id, label, ``|``-separated trigger
terms); every tag keeps the words that triggered it, so a reader can see why it is there.
Matching is on whole words and case-insensitive, except that a term containing an acronym
("WHO", "PLA") must match as written so it does not fire on the everyday word. Spaces,
hyphens and apostrophes match any of their variants ("cross strait", "People’s").

All terms of a taxonomy go into one compiled regular expression, longest first, so a phrase
("Taiwan Strait") wins over its own first word. A term may belong to one issue only.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

BUILT_IN = "data/issues.csv"


@dataclass(frozen=True)
class Issue:
    issue: str
    label: str
    terms: tuple[str, ...]
    source: str  # "file, line N": where the row was read, for error messages


@dataclass(frozen=True)
class IssueTag:
    issue: str  # e.g. "taiwan"
    label: str  # "Taiwan"
    triggers: tuple[str, ...]  # the words of the text that triggered it, as written
    score: int  # trigger occurrences


class TaxonomyError(ValueError):
    """A malformed taxonomy file; the message names the file and line."""


def load_taxonomy(extra: Path | None = None) -> list[Issue]:
    """The built-in taxonomy, with a user file's rows added or replacing ours by issue id."""
    text = resources.files("dyadwatch").joinpath(BUILT_IN).read_text("utf-8")
    issues = {i.issue: i for i in _read_rows(Path(BUILT_IN).name, text)}
    if extra is not None:
        issues |= {i.issue: i for i in _read_rows(str(extra), extra.read_text(encoding="utf-8"))}
    taxonomy = list(issues.values())
    _check_terms_are_unambiguous(taxonomy)
    return taxonomy


def _read_rows(name: str, text: str) -> list[Issue]:
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or not {"issue", "label", "terms"} <= set(reader.fieldnames):
        raise TaxonomyError(f"{name}, line 1: the header must name issue, label and terms")
    found = []
    for row in reader:
        source = f"{name}, line {reader.line_num}"
        terms = tuple(t.strip() for t in (row["terms"] or "").split("|") if t.strip())
        issue, label = (row["issue"] or "").strip(), (row["label"] or "").strip()
        if not issue or not label or not terms:
            raise TaxonomyError(f"{source}: needs an issue id, a label and terms, got {row}")
        found.append(Issue(issue, label, terms, source))
    return found


def _check_terms_are_unambiguous(taxonomy: list[Issue]) -> None:
    owner: dict[str, Issue] = {}
    for issue in taxonomy:
        for term in issue.terms:
            first = owner.setdefault(_key(term), issue)
            if first is not issue:
                raise TaxonomyError(
                    f"{issue.source}: term {term!r} is also a term of {first.issue!r}"
                    f" ({first.source})"
                )


def _key(words: str) -> str:
    """One spelling for every variant the pattern accepts."""
    return re.sub(r"[\s\-]+", " ", words.replace("’", "'")).lower()


def _term_pattern(term: str) -> str:
    words = (re.escape(word).replace("'", "['’]") for word in re.split(r"[\s\-]+", term))
    escaped = r"[\s\-]+".join(words)
    # an acronym must match as written: "WHO" is not "who", "SWIFT" not "swift"
    return escaped if re.search(r"\b[A-Z]{2,}\b", term) else f"(?i:{escaped})"


@dataclass(frozen=True)
class Tagger:
    issues: dict[str, Issue]  # by the key of each of its terms
    pattern: re.Pattern[str]

    @classmethod
    def build(cls, taxonomy: list[Issue]) -> Tagger:
        by_key = {_key(term): issue for issue in taxonomy for term in issue.terms}
        terms = sorted((t for issue in taxonomy for t in issue.terms), key=len, reverse=True)
        alternatives = "|".join(_term_pattern(term) for term in terms)
        return cls(by_key, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"))

    def tag(self, text: str, min_hits: int = 1) -> list[IssueTag]:
        """Issues with at least ``min_hits`` trigger occurrences, strongest first."""
        hits: dict[Issue, Counter[str]] = {}
        for match in self.pattern.finditer(text):
            issue = self.issues[_key(match.group())]
            hits.setdefault(issue, Counter())[match.group()] += 1
        tags = [
            IssueTag(issue.issue, issue.label, tuple(found), found.total())
            for issue, found in hits.items()
            if found.total() >= min_hits
        ]
        return sorted(tags, key=lambda tag: (-tag.score, tag.issue))


@cache
def default_tagger() -> Tagger:
    return Tagger.build(load_taxonomy())


def tag_issues(text: str, min_hits: int = 1) -> list[IssueTag]:
    """The built-in taxonomy's issues in a text: use ``min_hits=2`` for a whole article (one
    passing word is noise there), 1 for a sentence."""
    return default_tagger().tag(text, min_hits)
