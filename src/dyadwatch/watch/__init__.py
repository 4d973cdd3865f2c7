"""Stage: watch. Follow feeds and sitemaps, fetch the new articles politely, ingest them.

``expand_sources`` turns what a user names (URLs, OPML and text files) into source URLs;
a ``Watcher`` runs rounds over them: each polls the sources with conditional GETs, then
fetches the pages they listed that are not stored yet and ingests them through the normal
pipeline, keeping its state in the store so that a stopped or killed watcher resumes. The
``Fetcher`` holds the politeness and safety rules (robots.txt, per-host delay, retries,
caps, public addresses only).
"""

from dyadwatch.watch.fetch import USER_AGENT, Fetcher, FetchError, Politeness, check_address
from dyadwatch.watch.rounds import RoundReport, Watcher
from dyadwatch.watch.sources import SourceError, expand_sources, parse_interval

__all__ = [
    "USER_AGENT",
    "FetchError",
    "Fetcher",
    "Politeness",
    "RoundReport",
    "SourceError",
    "Watcher",
    "check_address",
    "expand_sources",
    "parse_interval",
]
