"""Find the actors an article mentions and resolve them against the catalogue, as of its date.

In order: exact aliases (phrase matching on tokens), role titles resolved to the office holder
on the article date ("the Secretary of State" in 2023 is Blinken), misspelled names matched
fuzzily ("Xi Jiping", "Brinken"; after a title, looser, against its holder's names only:
"Secretary of State Blincoln"), unless the word names a place ("Netanya").
A country word that only qualifies a person or agency of that country ("Chinese President Xi")
is folded into it, and a country or capital after "in"/"at" (or in a list after them: "in
Xinjiang, Tibet and Hong Kong") or in a dateline ("BEIJING -") is a place, not an actor; one
that names a relationship ("China-US relations", "ties with the US") or a thing ("the Taiwan
Strait", "the Taiwan question") is no actor either. A country word before a generic noun of a
sector ("Chinese officials", "US lawmakers", "Beijing's diplomats") names that sector of the
country: a group actor ``group:CHN:GOV``; "former" or "retired" before the country word makes
officials, diplomats and lawmakers its elite (``group:USA:ELI``: "former US officials and
executives"), and "a group of" or "a delegation of" before it is part of the group's name. A
country word that opens the name of an institution ("the Chinese Academy of Social Sciences",
"American International Group") or ends one ("Renmin University of China") is no actor.
A country after "relations with" names a relationship unless a verb acts on that relationship
("broke off relations with Libya", "restore ties with Gondor": Libya is the counterpart), and
one after "at" is a place unless something is fired or aimed at it ("fired shells at Seoul").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from rapidfuzz import fuzz, process
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from dyadwatch.actors import open_world
from dyadwatch.actors.catalogue import Actor, Catalogue
from dyadwatch.events.places import gazetteer
from dyadwatch.nlp import tokenizer

LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "throughout", "within"}
# "the Chinese capital", "American goods": a country adjective before these is no actor.
NOT_ACTORS = {
    "capital", "city", "cities", "soil", "territory", "waters", "airspace", "coast",
    "coastline", "economy", "goods", "products", "imports", "exports", "market", "markets",
    "language", "culture", "history", "currency", "strait", "straits", "sea", "question",
    "issue", "issues", "problem", "model", "dream", "threat", "virus", "border", "policy",
    "policies",
}  # fmt: skip
TRADED = {"goods", "products", "imports", "exports"}  # the target of a measure "on" them
# Things whose word is also a verb: a country before them names the thing only after "the".
VERB_LIKE_THINGS = {"issue", "issues", "question", "problem", "model", "threat", "border"}
# "China-US relations", "relations between China and the US", "ties with Washington": the
# countries name a relationship, not who acted.
RELATIONS = {
    "relations", "relation", "relationship", "relationships", "ties", "rivalry", "conflict",
    "conflicts", "tensions", "competition",
}  # fmt: skip
RELATION_JOINS = {"-", "–", "—", "/", "and", "the", "bilateral", "'s", "’s", "its", "their"}
# Words between an agency and a person it qualifies: "US House Speaker Nancy Pelosi".
PERSON_TITLE_WORDS = {
    "spokesman", "spokeswoman", "spokesperson", "secretary", "minister", "chief", "head",
    "director", "official", "speaker", "chairman", "chairwoman", "leader", "envoy",
}  # fmt: skip
# Verbs acting on a relationship: the country after "relations with" is their counterpart.
RELATION_VERBS = {
    "break", "breaks", "broke", "broken", "breaking", "sever", "severs", "severed", "severing",
    "cut", "cuts", "cutting", "restore", "restores", "restored", "restoring", "resume",
    "resumes", "resumed", "resuming", "renew", "renews", "renewed", "renewing", "establish",
    "establishes", "established", "establishing", "normalize", "normalizes", "normalized",
    "normalise", "normalised", "suspend", "suspends", "suspended", "suspending", "downgrade",
    "downgraded", "upgrade", "upgraded", "freeze", "froze", "frozen", "end", "ended", "ends",
    "improve", "improves", "improved", "improving", "strengthen", "strengthened",
    "strengthening", "enhance", "enhances", "enhanced", "enhancing", "deepen", "deepened",
    "deepening", "expand", "expanded", "expanding", "mend", "mended", "repair", "repaired",
    "forge", "forged", "forging",
}  # fmt: skip
# Words that may stand between such a verb and the relationship: "restore full diplomatic ties".
RELATION_MODIFIERS = {
    "full", "formal", "diplomatic", "economic", "trade", "military", "official", "normal",
    "close", "closer", "bilateral", "its", "their", "the", "all", "down", "off", "up", "ties",
    "relations", "a",
}  # fmt: skip
# Verbs of firing or aiming: the country after "at" is what they hit, not where they stand.
AIMED = {
    "fire", "fires", "fired", "firing", "shoot", "shoots", "shot", "shooting", "aim", "aims",
    "aimed", "aiming", "launch", "launched", "launches", "hurl", "hurled", "lob", "lobbed",
    "throw", "threw", "thrown", "direct", "directed", "point", "pointed", "strike", "struck",
    "lash", "lashed", "hit",
}  # fmt: skip
AIMED_REACH = 6  # tokens back from "at" to the verb ("fired two artillery shells at Seoul")
# The last word of an institution's name: a country word opening it ("the Chinese Academy of
# Social Sciences") or ending it after "of" ("Renmin University of China") is part of a name.
INSTITUTION_NOUNS = {
    "University", "Institute", "Academy", "College", "School", "Center", "Centre",
    "Foundation", "Group", "Association", "Society", "Corporation", "Company", "Museum",
    "Library", "Hospital", "Airlines", "Press",
}  # fmt: skip
# Words before a country word that make a group its former office holders: the elite.
FORMER = {"former", "retired", "ex", "ex-"}
ELITE_OF = {"GOV", "DIP", "LEG", "MIL"}  # sectors whose former members are its elite
ELITE = "ELI"
# A collective noun and "of" before the group: "a group of former Chinese officials".
COLLECTIVE_OF = {"group", "delegation", "team", "panel", "party"}
LIST_GLUE = {",", "and", "or", "the"}
ARTICLES = {"the", "a", "an"}
DATELINE_MARKS = {"-", "–", "—", "(", ":"}
DATELINE_CITY = 3  # words at most in a dateline's city: "SAN JOSE, Costa Rica"
# Words that may stand between a country and the generic noun of a sector: "Chinese senior
# officials", "US tech companies", "China's state media".
GROUP_MODIFIERS = {
    "senior", "top", "state", "foreign", "local", "former", "tech", "technology", "leading",
    "ruling", "high-ranking", "retired", "federal", "central", "provincial", "national",
    "naval", "big", "major", "many", "some", "other", "several", "private", "military",
    "government", "business", "trade", "security", "defense", "defence", "news", "own",
}  # fmt: skip
CALENDAR = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
}  # fmt: skip
QUOTES = {"'", "’", "‘", '"', "“", "”"}
TITLE_GLUE = {"of", "for", "the", "'s", "’s", "-", "and"}  # words inside titles and names
# A free-standing misspelled name: "Brinken" (85.7 against Blinken) passes, while a two-word
# name must be closer, so that "Wang Li" (85.7 against Wang Yi) does not.
FUZZY_ONE_WORD = 85.0
FUZZY_TWO_WORDS = 90.0
FUZZY_AFTER_TITLE = 60.0  # a name right after the title its holder bears
FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class ActorMention:
    start: int  # character offsets in the text
    end: int
    text: str
    actor: Actor
    country: str | None  # whom the actor acts for on that date
    sector: str | None
    how: str  # "alias", "role" or "fuzzy"


class ActorMatcher:
    """Built once per catalogue; ``find`` is then cheap per article."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.nlp = tokenizer()
        self.by_alias: dict[str, list[Actor]] = defaultdict(list)
        self.names = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.titles = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for alias, actor in catalogue.aliases():
            if actor not in self.by_alias[alias]:
                self.by_alias[alias].append(actor)
        self.names.add("ALIAS", [self.nlp.make_doc(alias) for alias in self.by_alias])
        self.role_titles = {
            role.title.lower() for actor in self._actors() for role in catalogue.roles_of(actor.id)
        }
        self.titles.add("TITLE", [self.nlp.make_doc(t) for t in sorted(self.role_titles)])
        # Lowercase words a title is made of ("foreign minister"), for a country word
        # qualifying a person with such a title between them.
        self.title_words = {w for t in self.role_titles for w in t.split()} | PERSON_TITLE_WORDS
        self.title_words |= GROUP_MODIFIERS | FORMER | {"vice", "deputy", "assistant", "acting"}
        # Misspellings keep the first letter (an assumption that keeps fuzzy search cheap).
        self.fuzzy_names: dict[str, list[str]] = defaultdict(list)
        for alias, actors in sorted(self.by_alias.items()):
            if len(alias) >= FUZZY_MIN_LENGTH and any(a.kind == "person" for a in actors):
                self.fuzzy_names[alias[0]].append(alias)
        self.sector_nouns = {
            tuple(t.lower_ for t in self.nlp.make_doc(noun)): code
            for noun, code in catalogue.sector_nouns()
        }

    def _actors(self) -> list[Actor]:
        unique = {actor.id: actor for actors in self.by_alias.values() for actor in actors}
        return list(unique.values())

    def find(self, text: str, on: date | None = None) -> list[ActorMention]:
        doc = self.nlp(text)
        spans = filter_spans(
            [Span(doc, s, e, "ALIAS") for _, s, e in self.names(doc)]
            + [Span(doc, s, e, "TITLE") for _, s, e in self.titles(doc)]
        )
        # "Xi" of "Xi Jiping" is left to the fuzzy match of the whole name.
        spans = [
            s
            for s in spans
            if s.label_ == "TITLE" or not _part_of_other_name(s, self.by_alias[s.text])
        ]
        mentions: list[ActorMention] = []
        seen: list[Actor] = []  # actors named so far, to settle ambiguous short forms
        for span in spans:
            mention = self._resolve(span, on, seen)
            if mention is not None:
                mentions.append(mention)
                seen.append(mention.actor)
        mentions += self._fuzzy(doc, spans, on)
        mentions.sort(key=lambda m: m.start)
        mentions = self._groups(doc, self._drop_qualifiers_and_places(doc, mentions))
        return _short_forms(doc, self._tied_people(doc, mentions))

    def _tied_people(self, doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
        """With the people the catalogue lacks whom the text ties to a country ("Chinese
        Vice Foreign Minister Le Yucheng"), the country word or group that ties them folded
        into them."""
        found = [(_tokens(doc, m), m.actor, m.country, m.sector) for m in mentions]
        nouns = {words[0]: code for words, code in self.sector_nouns.items() if len(words) == 1}
        folded, people = set(), []
        for name, person, tie in open_world.tied_people(
            doc, found, nouns, self.title_words, gazetteer()
        ):
            if tie is not None:
                folded.add(tie.start_char)
            people.append(
                ActorMention(
                    name.start_char,
                    name.end_char,
                    name.text,
                    person,
                    person.country,
                    person.sector,
                    "open",
                )  # fmt: skip
            )
        kept = [m for m in mentions if m.start not in folded]
        return sorted(kept + people, key=lambda m: m.start)

    def _resolve(self, span: Span, on: date | None, seen: list[Actor]) -> ActorMention | None:
        if span.label_ == "TITLE":
            return self._role_holder(span, on)
        actor = self._choose(self.by_alias[span.text], on, seen)
        if actor is not None and _other_namesake(span.text, actor, seen):
            return None
        return self._mention(span, actor, on, "alias") if actor else None

    def _choose(self, candidates: list[Actor], on: date | None, seen: list[Actor]) -> Actor | None:
        """One actor for an alias; an ambiguous short form needs context to decide."""
        named_before = [actor for actor in reversed(seen) if actor in candidates]
        if named_before:
            return named_before[0]
        if len(candidates) == 1:
            return candidates[0]
        in_office = [a for a in candidates if on and self.catalogue.roles_of(a.id, on)]
        return in_office[0] if len(in_office) == 1 else None

    def _role_holder(self, span: Span, on: date | None) -> ActorMention | None:
        if on is None or _next_is_name(span):
            return None  # the name that follows says who it is
        if _after_former(span):
            return None  # "the former Chinese ambassador to the US" is not the one in office
        country = self._qualifying_country(span, on)
        holder = self.catalogue.find_role_title(span.text, country, on)
        return self._mention(span, holder, on, "role") if holder else None

    def _qualifying_country(self, span: Span, on: date | None) -> str | None:
        """The country a title belongs to, from the word before it ("Chinese", "U.S.")."""
        if span.start == 0:
            return None
        before = span.doc[span.start - 1]
        actors = self.by_alias.get(before.text, [])
        countries = {a.country for a in actors if a.kind == "country"}
        return countries.pop() if len(countries) == 1 else None

    def _fuzzy(self, doc: Doc, known: list[Span], on: date | None) -> list[ActorMention]:
        covered = {i for span in known for i in range(span.start, span.end)}
        found = []
        for start, end in _capitalised_runs(doc, covered):
            candidate = doc[start:end]
            threshold = FUZZY_ONE_WORD if len(candidate) == 1 else FUZZY_TWO_WORDS
            names = self._names_for(candidate, known, on)
            if names:
                threshold = FUZZY_AFTER_TITLE  # only the names of the title's holder
            elif candidate.text in gazetteer():
                continue  # a place ("Netanya", "Macon") is no misspelled "Netanyahu", "Macron"
            else:
                names = self.fuzzy_names[candidate.text[0]]
            best = process.extractOne(
                candidate.text, names, scorer=fuzz.ratio, score_cutoff=threshold
            )
            if best is None:
                continue
            actor = self._choose(self.by_alias[best[0]], on, [])
            if actor:
                found.append(self._mention(candidate, actor, on, "fuzzy"))
        return found

    def _names_for(self, candidate: Span, known: list[Span], on: date | None) -> list[str]:
        """After a title, only the names of the title's holder are in the running."""
        title = next((s for s in known if s.end == candidate.start and s.label_ == "TITLE"), None)
        if title is None or on is None:
            return []
        holder = self.catalogue.find_role_title(title.text, self._qualifying_country(title, on), on)
        return list(holder.aliases) if holder else []

    def _mention(self, span: Span, actor: Actor, on: date | None, how: str) -> ActorMention:
        roles = self.catalogue.roles_of(actor.id, on) if on else []
        country = roles[0].country if roles else actor.country
        sector = roles[0].sector if roles else actor.sector
        return ActorMention(span.start_char, span.end_char, span.text, actor, country, sector, how)

    def _drop_qualifiers_and_places(
        self, doc: Doc, mentions: list[ActorMention]
    ) -> list[ActorMention]:
        countries = {
            i
            for m in mentions
            if m.actor.kind == "country"
            for i in range(_tokens(doc, m).start, _tokens(doc, m).end)
        }
        kept = []
        for i, mention in enumerate(mentions):
            following = mentions[i + 1] if i + 1 < len(mentions) else None
            before = mentions[i - 1] if i > 0 else None
            if mention.actor.kind == "country" and (
                _after_locative(doc, mention)
                or _in_institution_name(doc, mention)
                or _in_place_list(doc, mention)
                or _dateline(doc, mention)
                or (_before_thing(doc, mention, countries) and not self._names_group(doc, mention))
                or _names_relation(doc, mention, countries)
                or _qualifies(doc, mention, following, self.title_words)
                or _of_person(doc, mention, before)
            ):
                continue
            if mention.actor.kind == "agency" and _agency_qualifies(doc, mention, following):
                continue
            kept.append(mention)
        return kept

    def _groups(self, doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
        """A country word followed by the generic noun of a sector becomes that sector of
        the country, spanning both: "Chinese officials", "US lawmakers"; with "former"
        before it, the elite ("former US officials"); with "a group of" before that, the
        span takes it in ("a group of former Chinese officials")."""
        covered = {i for m in mentions for i in range(_tokens(doc, m).start, _tokens(doc, m).end)}
        found = []
        for mention in mentions:
            span = _tokens(doc, mention)
            end = self._sector_end(doc, span.end, covered)
            if mention.actor.kind != "country" or end is None:
                found.append(mention)
                continue
            code, last = end
            first = _group_start(doc, span.start, covered)
            if code in ELITE_OF and any(t.lower_ in FORMER for t in doc[first : span.start]):
                code = ELITE
            first = _collective_start(doc, first, covered)
            start = doc[first].idx
            text = _text(doc)[start : doc[last - 1].idx + len(doc[last - 1])]
            actor = self.catalogue.group(mention.actor.id, code)
            found.append(
                ActorMention(start, start + len(text), text, actor, actor.country, code, "group")
            )
        return found

    def _names_group(self, doc: Doc, mention: ActorMention) -> bool:
        """A country word before the noun of a sector that is also a thing's: "the
        Philippine coast guard" is no coast."""
        return self._sector_end(doc, _tokens(doc, mention).end, set()) is not None

    def _sector_end(self, doc: Doc, i: int, covered: set[int]) -> tuple[str, int] | None:
        """(sector, end token) of the sector nouns at token ``i``, past a possessive and a
        modifier or two, and on over nouns joined to them ("officials and executives");
        None when there is none."""
        if i < len(doc) and doc[i].lower_ in ("'s", "’s"):
            i += 1
        found = None
        for _ in range(3):
            if i >= len(doc) or i in covered:
                break
            match = self._sector_noun(doc, i)
            if match is not None:  # the first noun decides: "military officials" are MIL
                found = (found[0] if found else match[0], match[1])
                i = match[1]
            elif found is None and doc[i].lower_ in GROUP_MODIFIERS:
                i += 1
            else:
                break
        while found is not None and found[1] + 1 < len(doc) and doc[found[1]].lower_ == "and":
            joined = self._sector_noun(doc, found[1] + 1)
            if joined is None or found[1] + 1 in covered:
                break
            found = (found[0], joined[1])
        return found

    def _sector_noun(self, doc: Doc, i: int) -> tuple[str, int] | None:
        for size in (3, 2, 1):
            words = tuple(t.lower_ for t in doc[i : i + size])
            if len(words) == size and words in self.sector_nouns:
                return self.sector_nouns[words], i + size
        return None


def _other_namesake(alias: str, actor: Actor, seen: list[Actor]) -> bool:
    """A one-word short form ("Liu") after another person of that surname was named ("Liu
    Pengyu") and the short form's own person was not: likely that other person."""
    if " " in alias or actor.kind != "person" or actor in seen:
        return False
    return any(
        other.kind == "person" and other != actor and other.name.split()[0] == alias
        for other in seen
    )


def _short_forms(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """With the one-word short forms of the people named before ("Wang" after "Wang Yi",
    "Ms Mao" after "Mao Ning"); not a word that opens a longer capitalised name ("Wang
    Wenbin")."""
    covered = {i for m in mentions for i in range(_tokens(doc, m).start, _tokens(doc, m).end)}
    people = [(m.start, m) for m in mentions if m.actor.kind == "person"]
    found = []
    words = open_world.capitalised(doc)
    starts_name = {i - 1 for i in words}  # the word before a capitalised one
    for i in words:
        token = doc[i]
        if i in covered or len(token) < 2 or i in starts_name:
            continue
        named = [m for start, m in people if start < token.idx]
        actor = open_world.short_form_of(token.text, [m.actor for m in named])
        if actor is not None:
            last = next(m for m in reversed(named) if m.actor == actor)
            found.append(
                ActorMention(
                    token.idx,
                    token.idx + len(token),
                    token.text,
                    actor,
                    last.country,
                    last.sector,
                    "short",
                )  # fmt: skip
            )
    return sorted(mentions + found, key=lambda m: m.start)


def _group_start(doc: Doc, start: int, covered: set[int]) -> int:
    """Where a group's name starts: at "former" or "retired" among the modifiers before its
    country word ("former US officials", "retired senior Chinese officers"), else at the
    country word."""
    i, first = start, start
    while i > 0 and i - 1 not in covered and doc[i - 1].lower_ in GROUP_MODIFIERS | FORMER:
        i -= 1
        if doc[i].lower_ in FORMER:
            first = i
    return first


def _collective_start(doc: Doc, start: int, covered: set[int]) -> int:
    """Back over "a group of" / "the delegation of" before a group (and the modifiers
    between: "a group of senior Chinese officials")."""
    i = start
    while i > 0 and i - 1 not in covered and doc[i - 1].lower_ in GROUP_MODIFIERS:
        i -= 1
    of, noun = i - 1, i - 2
    if noun < 0 or doc[of].lower_ != "of" or doc[noun].lower_ not in COLLECTIVE_OF:
        return start
    if covered & {of, noun}:
        return start
    article = noun - 1
    if article >= 0 and doc[article].lower_ in ("a", "an", "the") and article not in covered:
        return article
    return noun


def _after_former(span: Span) -> bool:
    """A title after "former" (or "former Chinese"): someone who held it once."""
    words = [t.lower_ for t in span.doc[max(0, span.start - 2) : span.start]]
    return any(w in FORMER for w in words)


def _in_institution_name(doc: Doc, mention: ActorMention) -> bool:
    """A country word opening or ending an institution's capitalised name: "the Chinese
    Academy of Social Sciences", "American International Group", "Renmin University of
    China"."""
    span = _tokens(doc, mention)
    i = span.end
    while i < len(doc) and i - span.end < 5 and (doc[i].is_title or doc[i].lower_ in ("of", "for")):
        if doc[i].text in INSTITUTION_NOUNS:
            return True
        i += 1
    j = span.start - 1
    if j >= 0 and doc[j].lower_ == "the":
        j -= 1
    return j >= 1 and doc[j].lower_ == "of" and doc[j - 1].text in INSTITUTION_NOUNS


def _part_of_other_name(span: Span, actors: list[Actor]) -> bool:
    """A person's one-word short form before a given name the catalogue does not know:
    "Liu" of "Liu Jianchao" or "Liu Fu-kuo" is not Liu He."""
    if len(span) != 1 or not all(a.kind == "person" for a in actors):
        return False
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is None or not (after.is_title and after.is_alpha) or after.lower_ in CALENDAR:
        return False
    return not _title_cased_line(_text(span.doc), span.start_char)


def _title_cased_line(text: str, at: int) -> bool:
    """Whether the line around ``at`` is a headline in title case ("Blinken Meets Xi")."""
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    words = [w for w in text[start : end if end >= 0 else None].split() if w[:1].isalpha()]
    return len(words) > 0 and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _next_is_name(span: Span) -> bool:
    return span.end < len(span.doc) and span.doc[span.end].is_title


def _capitalised_runs(doc: Doc, covered: set[int]) -> list[tuple[int, int]]:
    """Runs of one or two capitalised tokens not already matched: candidate misspelled names."""
    runs, i = [], 0
    while i < len(doc):
        if i in covered or not doc[i].is_title or not doc[i].is_alpha:
            i += 1
            continue
        end = i + 1
        if end < len(doc) and end not in covered and doc[end].is_title and doc[end].is_alpha:
            end += 1
        runs.append((i, end))
        i = end
    return runs


def _text(doc: Doc) -> str:
    """The doc's text, built once: spaCy joins its tokens anew on every ``doc.text``."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = doc.text
    return str(doc.user_data["text"])


def _tokens(doc: Doc, mention: ActorMention) -> Span:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    assert span is not None  # mentions are made from token spans of this doc
    return span


def _after_locative(doc: Doc, mention: ActorMention) -> bool:
    """A place after "in" or "at", also past an article: "in the US", "at a South Korean
    air base"; not a possessor ("at the US's request") nor a target ("fired at Seoul")."""
    span = _tokens(doc, mention)
    start = span.start
    while start > 0 and doc[start - 1].lower_ in ARTICLES:
        start -= 1
    if start == 0 or doc[start - 1].lower_ not in LOCATIVE:
        return False
    if span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s"):
        return False
    return not (doc[start - 1].lower_ == "at" and _aimed_at(doc, start - 1))


def _aimed_at(doc: Doc, at: int) -> bool:
    """Whether "at" follows a verb of firing or aiming in the same clause: "fired two
    artillery shells at Seoul"."""
    for i in range(at - 1, max(-1, at - 1 - AIMED_REACH), -1):
        if doc[i].is_punct:
            return False
        if doc[i].lower_ in AIMED:
            return True
    return False


def _in_place_list(doc: Doc, mention: ActorMention) -> bool:
    """The last items of a list of places after "in": "in Xinjiang, Tibet and Hong Kong"."""
    span = _tokens(doc, mention)
    if span.start == 0 or doc[span.start - 1].lower_ not in ("and", "or", ","):
        return False
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after in ("'s", "’s"):
        return False  # "and North Korea's missile launches": a possessor, not a place
    # After a comma: "in Xinjiang, Hong Kong and Tibet" (the list goes on after it) or "in
    # Lima, Peru" (the place before the comma is a city of this country).
    comma = doc[span.start - 1].text == ","
    if comma and after not in (",", "and", "or") and not _city_of(doc, span.start - 1, mention):
        return False
    i = span.start - 1
    while i >= 0 and span.start - i <= 12:
        word = doc[i]
        if word.lower_ in LOCATIVE:
            return True
        if not (word.lower_ in LIST_GLUE or word.is_title or word.is_upper):
            return False
        i -= 1
    return False


def _city_of(doc: Doc, comma: int, mention: ActorMention) -> bool:
    """Whether the words before the comma name a city of the mention's country."""
    from dyadwatch.events.places import gazetteer  # the place table loads when needed

    table = gazetteer()
    for size in (3, 2, 1):
        if comma - size < 0:
            continue
        entry = table.get(doc[comma - size : comma].text)
        if entry is not None and entry[1] == mention.actor.id:
            return True
    return False


def _dateline(doc: Doc, mention: ActorMention) -> bool:
    """A place opening a paragraph before a dash or a colon: "BEIJING -", "Hong Kong: ...".
    A short headline ("China: US must stop arming Taiwan") keeps its speaker."""
    span = _tokens(doc, mention)
    text = _text(doc)
    line_start = text.rfind("\n", 0, mention.start) + 1
    if span.end >= len(doc):
        return False
    if text[line_start : mention.start].strip():
        return _city_dateline(doc, span.start, line_start, mention)
    mark = doc[span.end].text
    if mark not in DATELINE_MARKS:
        return False
    if mark != ":":
        return True
    line_end = text.find("\n", mention.end)
    rest = text[mention.end + 1 : line_end if line_end >= 0 else None].strip()
    return len(rest.split()) >= 8 and rest[-1:] in '.!?"”'


def _city_dateline(doc: Doc, start: int, line_start: int, mention: ActorMention) -> bool:
    """The country of a dateline's city: "OSAKA, Japan -", "LIMA, Peru (Reuters) -"."""
    comma = start - 1
    if comma < 1 or doc[comma].text != ",":
        return False
    first = comma
    while first > 0 and doc[first - 1].idx >= line_start and comma - first < DATELINE_CITY:
        first -= 1
    if first == comma or (first > 0 and doc[first - 1].idx >= line_start):
        return False
    words = doc[first:comma].text
    return (words.isupper() and len(words) > 2) or _city_of(doc, comma, mention)


def _names_relation(doc: Doc, mention: ActorMention, countries: set[int]) -> bool:
    """A country that only names a relationship: "China-US relations", "bilateral ties
    with the US", "relations between China and the US"."""
    span = _tokens(doc, mention)
    i = span.end
    while i < len(doc) and (i in countries or doc[i].lower_ in RELATION_JOINS):
        i += 1
    if i < len(doc) and doc[i].lower_ in RELATIONS:
        return True
    i = span.start - 1
    while i >= 0 and (i in countries or doc[i].lower_ in RELATION_JOINS):
        i -= 1
    if i >= 1 and doc[i].lower_ in ("between", "with"):
        before = doc[i - 1].lower_
        named = before in RELATIONS or (
            before == "bilateral" and i >= 2 and doc[i - 2].lower_ in RELATIONS
        )
        return named and not (doc[i].lower_ == "with" and _relation_acted_on(doc, i - 1))
    return False


def _relation_acted_on(doc: Doc, i: int) -> bool:
    """Whether a verb acts on the relationship ending at token ``i``: "broke off relations",
    "restore full diplomatic ties" (the country after "with" is the counterpart)."""
    i -= 1
    while i >= 0 and doc[i].lower_ in RELATION_MODIFIERS:
        if doc[i].lower_ in RELATION_VERBS:
            return True
        i -= 1
    return i >= 0 and doc[i].lower_ in RELATION_VERBS


def _before_thing(doc: Doc, mention: ActorMention, countries: set[int]) -> bool:
    """A country word naming a thing: "the Taiwan Strait", "the 'one China' policy", "the
    Hong Kong and Taiwan issues"."""
    end = _tokens(doc, mention).end
    while end < len(doc) and (
        doc[end].text in QUOTES or end in countries or doc[end].lower_ in ("and", "or", ",")
    ):
        end += 1
    if end >= len(doc) or doc[end].lower_ not in NOT_ACTORS:
        return False
    if doc[end].lower_ in TRADED and _measure_on(doc, _tokens(doc, mention).start):
        return False  # "tariffs on $200 billion of Chinese goods": China is the target
    if doc[end].lower_ in VERB_LIKE_THINGS:  # "the Taiwan issue", not "China issues a warning"
        start = _tokens(doc, mention).start - 1
        while start >= 0 and (start in countries or doc[start].lower_ in ("and", "or", ",")):
            start -= 1  # back to the start of "the Hong Kong and Taiwan issues"
        return start >= 0 and doc[start].lower_ in ("the", "its", "their", "his", "her")
    return True


def _measure_on(doc: Doc, start: int) -> bool:
    """Whether a few words before stands the "on" or "against" of a measure ("tariffs on",
    "curbs against")."""
    return any(token.lower_ in ("on", "against") for token in doc[max(0, start - 5) : start])


def _qualifies(
    doc: Doc, mention: ActorMention, following: ActorMention | None, title_words: set[str]
) -> bool:
    """A country word before a person or agency of that country is a modifier of it
    ("Chinese President Xi", "U.S. Secretary of State Blinken", "Chinese foreign minister
    Wang Yi"), not when other words stand between ("the Chinese delegation was led by Wang
    Chao")."""
    if following is None or following.actor.kind == "country":
        return False
    if following.country != mention.actor.country:
        return False
    between = doc[_tokens(doc, mention).end : _tokens(doc, following).start]
    words = [t for t in between if not t.is_space]
    return len(words) <= 6 and all(
        (t.is_alpha and (t.is_title or t.is_upper or t.lower_ in title_words))
        or t.lower_ in TITLE_GLUE
        for t in words
    )


def _of_person(doc: Doc, mention: ActorMention, before: ActorMention | None) -> bool:
    """A country after "of" right behind a person of it: "President Xi Jinping of China"."""
    if before is None or before.actor.kind != "person" or before.country != mention.actor.id:
        return False
    between = doc[_tokens(doc, before).end : _tokens(doc, mention).start]
    return [t.lower_ for t in between if not t.is_space] == ["of"]


def _agency_qualifies(doc: Doc, mention: ActorMention, following: ActorMention | None) -> bool:
    """An agency before a person of its country with a title between: "US House Speaker
    Nancy Pelosi", "Chinese Foreign Ministry spokesman Wang Wenbin"."""
    if following is None or following.actor.kind != "person":
        return False
    if following.country != mention.actor.country:
        return False
    between = [
        t for t in doc[_tokens(doc, mention).end : _tokens(doc, following).start] if not t.is_space
    ]
    return len(between) <= 3 and all(t.is_title or t.lower_ in PERSON_TITLE_WORDS for t in between)


@cache
def default_matcher() -> ActorMatcher:
    return ActorMatcher(Catalogue.load())
